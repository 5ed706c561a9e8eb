"""The shipped examples run: every example notebook, executed and shared offline, and the headless demo."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest

import cjm_jupyter as cjm
from cjm_jupyter.plots.notebook import BOKEHJS_MARK

from .support.examples import DRAWN, NOTEBOOKS, built_site, executed_by_site, shares_the_site
from .support.parallel import rank, unit_of
from .support.paths import EXAMPLES, ROOT
from .support.reader import read_alone

#: Saved with the outputs of a run by examples/save_executed.py (plots as PNG, no BokehJS), and
#: kept small; the others are plots from top to bottom and are saved without outputs.
SAVED_EXECUTED = ("editor.ipynb", "quickstart.ipynb")
SAVED_MAX_BYTES = 2_000_000


@pytest.fixture(scope="module")
def executed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], nbformat.NotebookNode]:
    """``executed(name)``: the example notebook, run once (widget state stored) in a folder of its own.

    When this process builds the docs site anyway (tests/test_docs_site.py is in the run), the
    notebook as that build executed it: one run of each example per test run, not two.
    """
    done: dict[str, nbformat.NotebookNode] = {}
    site = built_site(tmp_path_factory) if shares_the_site(request) else None

    def run(name: str) -> nbformat.NotebookNode:
        if name in done:
            return done[name]
        if site is not None:
            done[name] = nbformat.read(executed_by_site(site, name), as_version=4)
            return done[name]
        nb = nbformat.read(EXAMPLES / name, as_version=4)
        client = nbclient.NotebookClient(
            nb,
            kernel_name="python3",
            timeout=300,
            store_widget_state=True,
            resources={"metadata": {"path": str(tmp_path_factory.mktemp(Path(name).stem))}},
        )
        # A thread of its own: Playwright's sync API keeps an asyncio loop in the main thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(client.execute).result()
        done[name] = nb
        return nb

    return run


def _outputs(nb: nbformat.NotebookNode) -> list[Any]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]


def test_every_example_notebook_is_covered() -> None:
    assert sorted(DRAWN) == NOTEBOOKS


def test_the_examples_run_in_the_unit_of_the_docs_site() -> None:
    # one xdist worker runs both files, so `executed` reads the notebooks the site build ran
    mine, site = unit_of("tests/test_examples.py::t[x]", ROOT), unit_of("tests/test_docs_site.py::t", ROOT)
    assert mine == site == "tests/test_docs_site.py"
    assert rank(site) == 0  # the longest unit starts first


@pytest.mark.slow
@pytest.mark.kernel
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_example_notebook_runs_and_is_shared_offline(
    executed: Any, browser: Any, tmp_path: Path, name: str
) -> None:
    nb = executed(name)
    errors = [o for o in _outputs(nb) if o.output_type == "error"]
    assert not errors, errors[0].get("evalue") if errors else ""
    page = cjm.export_html(nb, tmp_path / f"{Path(name).stem}.html")
    plots, editors = DRAWN[name]
    reader = read_alone(browser, page, tmp_path, plots=plots, editors=editors)
    reader.assert_reader_sees(plots=plots, editors=editors)
    assert reader.page.locator(".jp-Cell").count() == len(nb.cells)
    reader.page.context.close()


@pytest.mark.kernel
def test_quickstart_notebook_shows_the_colleen_summary(executed: Any) -> None:
    outputs = _outputs(executed("quickstart.ipynb"))
    html = [
        o["data"]["text/html"]
        for o in outputs
        if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})
    ]
    assert any("Curious Colleen" in h for h in html), "the notebook shows the Colleen map summary"


@pytest.mark.kernel
def test_quickstart_shows_the_map_and_the_editor_first(executed: Any) -> None:
    nb = executed("quickstart.ipynb")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.id for cell in code[2:4]] == ["plot-map", "editor"]  # after the imports and the load
    plots = [o for o in code[2].outputs if "application/vnd.bokehjs_exec.v0+json" in o.get("data", {})]
    assert len(plots) == 1
    (view,) = [o for o in code[3].outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert view["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] in state


@pytest.mark.parametrize("name", SAVED_EXECUTED)
def test_saved_example_holds_a_run_with_plots_as_pictures(name: str) -> None:
    # examples/save_executed.py writes them; a reader sees outputs before running anything
    path = EXAMPLES / name
    assert path.stat().st_size < SAVED_MAX_BYTES
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1))  # run top to bottom
    assert all(cell.outputs for cell in code), [cell.id for cell in code if not cell.outputs]
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert "bokehjs" not in json.dumps([cell.outputs for cell in code]).lower()  # no 4 MB BokehJS
    assert not any("execution" in cell.metadata for cell in code)  # no timestamps to churn diffs
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    views = [
        o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for cell in code
        for o in cell.outputs
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) == DRAWN[name][1]  # every editor, with its state
    assert all(state[v]["model_module"] == "anywidget" and "_esm" in state[v]["state"] for v in views)


def test_the_saved_quickstart_shows_the_map_as_a_picture() -> None:
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    (shown,) = next(cell for cell in nb.cells if cell.get("id") == "plot-map").outputs
    assert sorted(shown["data"]) == ["image/png", "text/plain"]
    assert shown["data"]["text/plain"].startswith("The Curious Colleen journey map (a picture")
    editor = next(cell for cell in nb.cells if cell.get("id") == "editor").outputs
    assert "cjm-fallback" in editor[0]["data"]["text/html"]  # a summary where widgets do not draw


@pytest.mark.kernel
def test_analytics_notebook_renders_plots_offline(executed: Any) -> None:
    nb = executed("analytics.ipynb")
    code = {cell.id: cell for cell in nb.cells if cell.cell_type == "code"}
    outputs = [o for cell in code.values() for o in cell.get("outputs", [])]
    # the cell with id "first-stage-customers" ends with the funnel's first-stage count
    (shown,) = [o for o in code["first-stage-customers"].outputs if o.output_type == "execute_result"]
    first_stage = int(shown["data"]["text/plain"])
    assert first_stage > 0
    # every synthetic customer starts in the first stage: the count equals the log's customers
    printed = "".join(o.get("text", "") for o in code["make-events"].outputs if o.output_type == "stream")
    assert f"events of {first_stage:,} customers" in printed
    data = [o.get("data", {}) for o in outputs]
    bokehjs = [o for o in outputs if BOKEHJS_MARK in o.get("metadata", {})]
    assert len(bokehjs) == 1 and "application/vnd.bokehjs_load.v0+json" not in str(data)  # BokehJS once
    plotted = [
        cid
        for cid, cell in code.items()
        if any("application/vnd.bokehjs_exec.v0+json" in o.get("data", {}) for o in cell.outputs)
    ]
    assert plotted == ["plot-funnel", "plot-flow", "plot-graph", "plot-map"]
    everything = json.dumps(data)
    assert "cdn.bokeh.org" not in everything  # inline BokehJS: the plots render offline
    # scripts come only from Bokeh's JavaScript outputs; the HTML tables escape the user's text
    assert not [d for d in data if "<script" in d.get("text/html", "")]


def test_demo_writes_every_format(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), str(out)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "all round trips equal" in run.stdout
    colleen = cjm.templates.load("colleen")
    assert cjm.read_json(out / "colleen.json").equals(colleen)
    assert cjm.read_excel(out / "colleen.xlsx").equals(colleen)
    assert cjm.read_csv(out / "colleen-csv").equals(colleen)
    assert "Curious Colleen" in (out / "colleen-summary.html").read_text(encoding="utf-8")
    assert "measured on " in run.stdout and "customers" in run.stdout
    for page in ("colleen-measured-map.html", "colleen-funnel.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "Bokeh" in html and "cdn.bokeh.org" not in html  # inline BokehJS: opens offline


def test_readme_one_liner_prints_a_readable_summary() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import cjm_jupyter as c; print(c.templates.load('colleen'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.startswith("Journey 'Curious Colleen buys a vacuum cleaner' (current state)")
    assert "Stages (5" in run.stdout and "DataFrame" not in run.stdout
