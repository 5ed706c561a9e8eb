"""An executed notebook's HTML export shows its plots offline.

The notebook calls ``setup_notebook()`` and shows the Colleen map (as the last
expression of a cell) and an emotion curve (with ``bokeh.io.show``). It is
executed with nbclient, exported with ``HTMLExporter(**NBCONVERT_OFFLINE)`` and
opened in Chromium with every network request aborted.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbclient
import nbformat
import pytest
from nbconvert import HTMLExporter

from cjm_jupyter.plots import notebook
from cjm_jupyter.plots.notebook import BOKEHJS_MARK, NBCONVERT_OFFLINE
from cjm_jupyter.sharing.assets import bokehjs as inline_bokehjs

from ..support.browser import OfflinePage, external_refs

pytestmark = pytest.mark.kernel  # every test reads a notebook run in a kernel

EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"
CDN_HOSTS = ("cdn.bokeh.org", "cdnjs.cloudflare.com", "unpkg.com")
HOSTILE = "</script><img src=x onerror=window.PWNED=1><!--<script>window.PWNED=2</script>"

CELLS = (
    "import cjm_jupyter as cjm\nfrom cjm_jupyter.plots.notebook import setup_notebook\nsetup_notebook()",
    'journey = cjm.templates.load("colleen")\njourney.plot()',
    "from bokeh.io import show\nfrom cjm_jupyter.plots.emotion import emotion_curve\n"
    "show(emotion_curve(journey))",
    # untrusted text ending the export's <script> element, through the map and bokeh.io.show
    "hostile = cjm.templates.load('colleen')\n"
    f"hostile.update_stage(hostile.stages['id'][0], name={HOSTILE!r})\n"
    f"show(hostile.plot())\nfrom bokeh.plotting import figure\nshow(figure(title={HOSTILE!r}))",
)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> nbformat.NotebookNode:
    folder = tmp_path_factory.mktemp("nb")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(folder)}}
    )
    # In a thread of its own: Playwright's sync API keeps an asyncio loop running in the
    # main thread once the session's browser has started, and nbclient needs its own loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(client.execute).result()
    return nb


def outputs(nb: nbformat.NotebookNode, cell: int) -> list[dict]:
    return nb.cells[cell].get("outputs", [])


def test_the_notebook_runs_and_both_plots_are_displayed(executed: nbformat.NotebookNode) -> None:
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == []
    load = outputs(executed, 0)
    # BokehJS once: the JavaScript output alone (Bokeh's own load sends it twice), marked for exporters
    (bokehjs,) = [o for o in load if BOKEHJS_MARK in o.get("metadata", {})]
    assert list(bokehjs["data"]) == ["application/javascript"]
    assert len(str(load)) < 1.2 * len(inline_bokehjs())
    assert not any(host in str(load) for host in CDN_HOSTS), "BokehJS must be inline, not from a CDN"
    # The map ends its cell: setup_notebook()'s display hook shows it (not Bokeh's property table).
    assert any(EXEC_MIME in o.get("data", {}) for o in outputs(executed, 1))
    assert any(EXEC_MIME in o.get("data", {}) for o in outputs(executed, 2))
    shown = [o["data"] for o in outputs(executed, 3) if EXEC_MIME in o.get("data", {})]
    scripts = [data["application/javascript"] for data in shown]
    assert len(scripts) == 2 and all("</" not in s and "<!--" not in s for s in scripts)
    assert all("<\\/script><img src=x onerror=window.PWNED=1>" in s for s in scripts)  # the text is kept


@pytest.mark.slow
@pytest.mark.browser
def test_the_html_export_loads_nothing_from_the_network(
    executed: nbformat.NotebookNode, tmp_path: Path, open_offline: Callable[..., OfflinePage]
) -> None:
    body, _ = HTMLExporter(**NBCONVERT_OFFLINE).from_notebook_node(executed)
    assert external_refs(body) == []
    for host in CDN_HOSTS:
        assert host not in body
    path = tmp_path / "notebook.html"
    path.write_text(body, encoding="utf-8")

    page = open_offline(path, documents=4)
    page.assert_clean()
    page.assert_drawn(min_colour=2_000)
    assert page.page.evaluate("window.PWNED") is None, "user text ran as script in the export"
    # the hostile name is drawn as text on the figure: BokehJS read it back unchanged
    titles = page.page.evaluate(
        "Bokeh.documents.flatMap(d => [...d.all_models]).filter(m => m.type === 'Title').map(m => m.text)"
    )
    assert HOSTILE in titles


def test_without_the_offline_settings_nbconvert_would_fetch_from_cdns(
    executed: nbformat.NotebookNode,
) -> None:
    # Why NBCONVERT_OFFLINE exists: nbconvert's defaults load require.js and MathJax from a CDN.
    body, _ = HTMLExporter().from_notebook_node(executed)
    assert any("cdnjs.cloudflare.com" in ref for ref in external_refs(body))


CLI_FLAGS = ('--HTMLExporter.require_js_url="data:text/javascript,"', '--HTMLExporter.mathjax_url=""')


def test_the_documented_command_line_exports_offline(executed: nbformat.NotebookNode, tmp_path: Path) -> None:
    for flag in CLI_FLAGS:
        assert flag in (notebook.__doc__ or ""), f"the module docstring documents {flag}"
    nbformat.write(executed, tmp_path / "nb.ipynb")
    flags = [flag.replace('"', "") for flag in CLI_FLAGS]  # what the shell passes on
    run = subprocess.run(
        [sys.executable, "-m", "nbconvert", "--to", "html", str(tmp_path / "nb.ipynb"), *flags],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    body = (tmp_path / "nb.html").read_text(encoding="utf-8")
    assert external_refs(body) == []
    assert '<script src="data:text/javascript,">' in body
