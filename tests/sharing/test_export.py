"""The cjm_html export, read the way it reaches a reader: one file, alone, offline, nothing served.

One notebook is executed once per module (with widget state saved, as nbclient and
JupyterLab's "Save Widget State" store it) and exported through the nbconvert entry
point (``jupyter nbconvert --to cjm_html``) and through :func:`cjm_jupyter.export_html`.
Its journey carries hostile text in names and quotes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import bokeh
import nbclient
import nbformat
import pytest

import cjm_jupyter as cjm
from cjm_jupyter.plots.notebook import BOKEHJS_MARK
from cjm_jupyter.sharing import assets

from ..support.browser import external_refs
from ..support.reader import read_alone

JUPYTER = Path(sys.executable).with_name("jupyter")
HOSTILE = '<img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=1</script>'

CELLS = [
    # BokehJS loaded the way most notebooks do it (Bokeh's own call, CDN by default):
    # the export must still render offline.
    "from bokeh.io import output_notebook\noutput_notebook()",
    "import cjm_jupyter as cjm\n"
    "from cjm_jupyter.plots import setup_notebook, emotion_curve\n"
    "setup_notebook()\n"
    "j = cjm.templates.load('colleen')\n"
    f"j.update_stage('research', name={('Research ' + HOSTILE)!r})\n"
    f"j.update('emotions', 'emo-1', thought={HOSTILE!r})\n"
    "j.name = 'Colleen </script><!--<script>'\n"
    "j",
    "j.plot()",
    "cjm.JourneyEditor(j)",
    "cjm.PersonaEditor(j)",
    "emotion_curve(j)",
]


def _execute(cells: list[str], folder: Path, *, store_widget_state: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=180,
        store_widget_state=store_widget_state,
        resources={"metadata": {"path": str(folder)}},
    )
    # A thread of its own: Playwright's sync API keeps an asyncio loop in the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(client.execute).result()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert errors == [], errors
    return nb


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("executed")
    path = folder / "shared.ipynb"
    nbformat.write(_execute(CELLS, folder, store_widget_state=True), path)
    return path


@pytest.fixture(scope="module")
def exported(notebook: Path) -> Path:
    """The page written by ``jupyter nbconvert --to cjm_html`` (the entry point)."""
    done = subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "cjm_html", str(notebook)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    page = notebook.with_suffix(".html")
    assert page.is_file()
    return page


def _count(page: str, script: str) -> int:
    """How often a script's text (its last 400 characters, unique to it) occurs in the page."""
    return page.count(script[-400:])


@pytest.mark.kernel
def test_the_page_carries_every_script_once_and_loads_nothing(exported: Path) -> None:
    page = exported.read_text(encoding="utf-8")
    assert external_refs(page) == []
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*(src|href)=[\"']?(https?:)?//", page)
    assert _count(page, assets.bokehjs()) == 1
    for name in assets.SHARED_SCRIPTS:
        assert _count(page, assets.shared_script(name)) == 1, name
    # the editor bundles travel JSON-encoded, once each, whatever number of editors
    for name in assets.EDITOR_BUNDLES:
        encoded = json.dumps(assets.editor_bundle(name)).replace("<", "\\u003c")
        assert _count(page, encoded[:-1]) == 1, name
    assert "mathjax" not in page.lower().split("<body", 1)[0].split("bokeh", 1)[0]
    assert len(page.encode()) <= 1.5 * assets.baseline_bytes()


@pytest.mark.kernel
def test_a_reader_sees_plots_and_read_only_editors_offline(
    browser: Any, exported: Path, tmp_path: Path
) -> None:
    reader = read_alone(browser, exported, tmp_path, plots=2, editors=2)
    reader.assert_reader_sees(plots=2, editors=2)
    names = reader.field_values("stage:")
    assert "Research " + HOSTILE in names and "Trigger" in names
    assert "Curious Colleen" in reader.field_values("persona:")
    # the static summaries of drawn editors are not in the page (no duplicate map)
    assert reader.page.locator(".cjm-fallback").count() == 0
    reader.page.context.close()


@pytest.mark.kernel
def test_export_html_from_python_equals_the_command_line_page(
    browser: Any, notebook: Path, exported: Path, tmp_path: Path
) -> None:
    target = tmp_path / "from-python.html"
    assert cjm.export_html(notebook, target) == target
    ours = target.read_text(encoding="utf-8")
    # same page but for nonce and uuids: same scripts, same size within a few hundred bytes
    assert abs(len(ours) - len(exported.read_text(encoding="utf-8"))) < 2_000
    before = nbformat.read(notebook, as_version=4)
    from_node = tmp_path / "from-node.html"
    cjm.export_html(before, from_node, theme="dark")
    assert before == nbformat.read(notebook, as_version=4), "the notebook is not changed"
    reader = read_alone(browser, from_node, tmp_path, plots=2, editors=2)
    reader.assert_reader_sees(plots=2, editors=2)
    assert reader.page.evaluate("document.body.dataset.jpThemeLight") == "false"
    reader.page.context.close()


@pytest.mark.kernel
def test_an_editor_saved_without_state_shows_its_static_summary(browser: Any, tmp_path: Path) -> None:
    cells = ["import cjm_jupyter as cjm\nj = cjm.templates.load('colleen')", "cjm.JourneyEditor(j)"]
    nb = _execute(cells, tmp_path, store_widget_state=False)
    page_path = cjm.export_html(nb, tmp_path / "no-state.html")
    page = page_path.read_text(encoding="utf-8")
    assert _count(page, assets.shared_script("embed-amd.js")) == 0, "no widget to draw: no manager"
    reader = read_alone(browser, page_path, tmp_path, plots=0, editors=0)
    summary = reader.page.locator(".cjm-summary")
    summary.first.wait_for(state="visible", timeout=10_000)
    assert "Curious Colleen buys a vacuum cleaner" in summary.first.inner_text()
    assert "Research" in summary.first.inner_text()
    reader.assert_clean()
    reader.page.context.close()


def test_export_html_errors_leave_an_existing_page_intact(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old page", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"^cannot read '.*missing\.ipynb': the file does not exist$"):
        cjm.export_html(tmp_path / "missing.ipynb", target)
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(Exception, match="Notebook does not appear to be JSON"):
        cjm.export_html(broken, target)
    with pytest.raises(ValueError, match=r"^theme must be 'light' or 'dark', not 'blue'$"):
        cjm.export_html(nbformat.v4.new_notebook(), target, theme="blue")
    assert target.read_text(encoding="utf-8") == "old page"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.ipynb", "page.html"]


def test_scripts_in_outputs_cannot_end_their_element() -> None:
    from cjm_jupyter.sharing.exporter import CJMHTMLExporter

    nb = nbformat.v4.new_notebook()
    js = 'var a = "</script><script>window.__pwned=1</script>"; var b = /</g; var c = "<!--<script>";'
    nb.cells = [
        nbformat.v4.new_code_cell(
            "x",
            outputs=[
                nbformat.v4.new_output("display_data", data={"application/javascript": js}),
            ],
        )
    ]
    page, _ = CJMHTMLExporter().from_notebook_node(nb)
    body = page.split("<body", 1)[1]
    assert "</script><script>window.__pwned" not in body
    assert 'var a = "<\\/script><script>window.__pwned=1<\\/script>"; var b = /</g;' in body
    assert "<!--<script>" not in body


@pytest.mark.kernel
@pytest.mark.parametrize("offline_flags", [True, False], ids=["offline-flags", "defaults"])
def test_plain_nbconvert_shows_each_editor_as_its_static_summary(
    browser: Any, notebook: Path, tmp_path: Path, offline_flags: bool
) -> None:
    # Plain --to html picks the widget view (state was saved) but has no manager offline:
    # the static summary written above each editor is what the reader sees, never a blank.
    flags = ["--HTMLExporter.require_js_url=data:text/javascript,", "--HTMLExporter.mathjax_url="]
    out = tmp_path / "plain"
    done = subprocess.run(
        [str(JUPYTER), "nbconvert", "--to", "html", str(notebook), "--output-dir", str(out)]
        + (flags if offline_flags else []),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    reader = read_alone(browser, out / "shared.html", tmp_path, plots=0, editors=0)
    summaries = reader.page.locator(".cjm-fallback")
    assert summaries.count() == 2
    for i in range(2):
        summaries.nth(i).wait_for(state="visible", timeout=10_000)  # revealed after 1.5 s
        text = summaries.nth(i).inner_text()
        assert "Curious Colleen" in text and "Research <img src=x" in text and "Purchase" in text
    assert reader.pwned() is None
    reader.page.context.close()


def test_a_notebook_made_with_another_bokeh_is_exported_with_a_warning(tmp_path: Path) -> None:
    def notebook(version: str) -> nbformat.NotebookNode:
        loader = nbformat.v4.new_output(
            "display_data",
            data={"application/javascript": "/* BokehJS */"},
            metadata={BOKEHJS_MARK: {"version": version}},
        )
        plot = nbformat.v4.new_output(
            "display_data",
            data={"application/javascript": "Bokeh.embed", "application/vnd.bokehjs_exec.v0+json": ""},
        )
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("x", outputs=[loader, plot])]
        return nb

    with pytest.warns(UserWarning, match=r"^the notebook loaded BokehJS 0\.0\.1, the page inlines BokehJS "):
        cjm.export_html(notebook("0.0.1"), tmp_path / "old.html")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cjm.export_html(notebook(bokeh.__version__), tmp_path / "same.html")
