"""Plots shown with Bokeh's own ``output_notebook()`` + ``show()`` are safe, without ``setup_notebook()``.

Bokeh writes a shown plot as an ``application/javascript`` output holding the
plot's data, and nbconvert places it inside a ``<script>`` element of the
export: a stage named ``</script><svg onload=...>`` would end that element and
run. Importing ``cjm_jupyter.plots`` (which ``journey.plot()`` and every plot
function do) installs the escaping ``show`` hook, so the habit of every Bokeh
user is safe too.

Two notebooks run in fresh kernels (nbclient), are exported with
``HTMLExporter(**NBCONVERT_OFFLINE)`` and opened in Chromium with every
non-local request aborted:

* ``bokeh_first``: ``output_notebook(resources=INLINE)`` *before* cjm_jupyter is
  imported, ``bokeh.io.show``, ``output_notebook`` again *after*,
  ``bokeh.plotting.show``, a ``push_notebook`` handle, a figure as the last
  expression of a cell and ``display(fig)`` (Bokeh's property table);
* ``plain``: the issue's ``output_notebook(); show(j.plot())`` with BokehJS made
  inline by ``BOKEH_RESOURCES=inline`` (the machine is offline).

The export must run nothing (``window.__pwned`` undefined, no injected element)
*and* render (canvases drawn, every hostile text read back from BokehJS's
documents). A control shows the same payloads do run through Bokeh's stock hook,
and the ``bokeh_first`` notebook also runs in a real JupyterLab.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from nbconvert import HTMLExporter

from cjm_jupyter.plots.notebook import NBCONVERT_OFFLINE

from ..support.browser import OfflinePage
from ..support.lab_server import jupyter_lab, open_and_run_all

EXEC_MIME = "application/vnd.bokehjs_exec.v0+json"

#: Each tries to end the export's <script> element (or to make its end tag not count) and run.
PAYLOADS = (
    '</script><img src=x onerror="window.__pwned=1">',
    "</script><img src=x onerror=window.__pwned=1>",
    "</script><svg onload=window.__pwned=2>",
    '</script><iframe srcdoc="<script>parent.__pwned=3</script>">',
    "<!--<script>",
    "</script><iframe srcdoc=<script>parent.__pwned=3</script>>",
)
STAGE_TEXTS = PAYLOADS[:5]  # the Colleen template has five stages
PERSONA_TEXT = PAYLOADS[5]
EMOTION_TITLE = "Update: </script><svg onload=window.__pwned=4>"
HOSTILE_TEXTS = (*STAGE_TEXTS, PERSONA_TEXT)

HOSTILE_JOURNEY = f"""\
import cjm_jupyter as cjm
j = cjm.templates.load("colleen")
for stage, text in zip(j.stages["id"].tolist(), {STAGE_TEXTS!r}):
    j.update_stage(stage, name=text)
j.update_persona(j.personas["id"][0], name={PERSONA_TEXT!r})
"""

NOTEBOOKS: dict[str, tuple[str, ...]] = {
    "bokeh_first": (
        # Bokeh's hooks are in place before cjm_jupyter is imported at all.
        "from bokeh.io import output_notebook, push_notebook, show\nfrom bokeh.resources import INLINE\n"
        "output_notebook(resources=INLINE)",
        HOSTILE_JOURNEY + "show(j.plot())",
        # output_notebook again, now that cjm_jupyter.plots is imported; bokeh.plotting's show
        "output_notebook(resources=INLINE, hide_banner=True)\n"
        "from bokeh.plotting import show as plotting_show\nfrom cjm_jupyter.plots import emotion_curve\n"
        "plotting_show(emotion_curve(j))",
        "curve = emotion_curve(j)\nhandle = show(curve, notebook_handle=True)",
        f"curve.title.text = {EMOTION_TITLE!r}\npush_notebook(handle=handle)",
        # Bokeh's property table, not a plot: it must not carry user text as markup either
        "from IPython.display import display\ndisplay(j.plot())\nj.plot()",
    ),
    "plain": (
        HOSTILE_JOURNEY,
        "from bokeh.io import output_notebook, show\noutput_notebook()\nshow(j.plot())",
    ),
}
#: Bokeh documents each export renders (one per show()).
DOCUMENTS = {"bokeh_first": 3, "plain": 1}


def _execute(cells: tuple[str, ...], folder: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    client = nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(folder)}}
    )
    # BokehJS inline for output_notebook() without arguments: the machine is offline.
    env = {**os.environ, "BOKEH_RESOURCES": "inline"}
    # In a thread of its own: Playwright's sync API keeps an asyncio loop running in the
    # main thread once the session's browser has started, and nbclient needs its own loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(client.execute, env=env).result()
    return nb


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, nbformat.NotebookNode]:
    folder = tmp_path_factory.mktemp("nb")
    return {name: _execute(cells, folder) for name, cells in NOTEBOOKS.items()}


def _outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [o for cell in nb.cells for o in cell.get("outputs", [])]


def _export(nb: nbformat.NotebookNode, path: Path) -> Path:
    body, _ = HTMLExporter(**NBCONVERT_OFFLINE).from_notebook_node(nb)
    path.write_text(body, encoding="utf-8")
    return path


# Every string held by the models of every BokehJS document (properties, column data,
# nested lists and maps): what BokehJS decoded from the page, i.e. the text it draws.
_DOCUMENT_STRINGS_JS = """() => {
  const out = new Set();
  const walk = (v, depth) => {
    if (depth > 6 || v == null) return;
    if (typeof v === "string") { out.add(v); return; }
    if (ArrayBuffer.isView(v) || typeof v !== "object") return;
    if (v instanceof Map) { for (const [k, x] of v) { walk(k, depth + 1); walk(x, depth + 1); } return; }
    if (Array.isArray(v)) { for (const x of v) walk(x, depth + 1); return; }
    if (v.constructor === Object) for (const x of Object.values(v)) walk(x, depth + 1);
  };
  for (const doc of Bokeh.documents)
    for (const model of doc.all_models)
      for (const prop of model) {
        let value;
        try { value = prop.get_value(); } catch { continue; }  // e.g. an unset source_range
        walk(value, 0);
      }
  return [...out];
}"""

_INJECTED_JS = """() => document.querySelectorAll(
  'img[src="x"], svg[onload], iframe[srcdoc], [onerror], [onload]').length"""


def _assert_safe_and_rendered(page: OfflinePage) -> None:
    assert page.page.evaluate("window.__pwned") is None, "user text ran as script"
    assert page.page.evaluate(_INJECTED_JS) == 0, "user text became markup"
    page.assert_drawn(min_colour=2_000)
    strings = page.page.evaluate(_DOCUMENT_STRINGS_JS)
    # Factors and labels hold the names exactly; titles and hovers may embed them in longer text.
    missing = [text for text in HOSTILE_TEXTS if not any(text in s for s in strings)]
    assert missing == [], f"hostile names not read back by BokehJS: {missing}"


def _hostile_colleen() -> Any:
    from cjm_jupyter import templates

    j = templates.load("colleen")
    for stage, text in zip(j.stages["id"].tolist(), STAGE_TEXTS, strict=True):
        j.update_stage(stage, name=text)
    j.update_persona(j.personas["id"][0], name=PERSONA_TEXT)
    return j


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """What Bokeh would publish to the notebook, recorded (no kernel); output state reset after."""
    from bokeh.io import reset_output

    shown: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "bokeh.io.notebook.publish_display_data", lambda data, metadata=None: shown.append(data)
    )
    yield shown
    reset_output()


def test_importing_the_plots_installs_the_escaping_hook_and_output_notebook_keeps_it(
    published: list[dict[str, Any]],
) -> None:
    from bokeh.io import output_notebook, show
    from bokeh.io.notebook import _HOOKS, JS_MIME_TYPE
    from bokeh.plotting import show as plotting_show
    from bokeh.resources import INLINE

    from cjm_jupyter.plots import notebook

    assert _HOOKS["jupyter"]["doc"] is notebook._show_doc  # installed at import, no call needed
    output_notebook(resources=INLINE, hide_banner=True)
    assert _HOOKS["jupyter"]["doc"] is notebook._show_doc, "output_notebook() must not reinstall Bokeh's hook"
    assert plotting_show is show
    j = _hostile_colleen()
    show(j.plot())
    plotting_show(j.plot())  # (notebook_handle=True needs a kernel's comm: the notebooks below)
    scripts = [data[JS_MIME_TYPE] for data in published if EXEC_MIME in data]
    assert len(scripts) == 2
    assert all("</" not in s and "<!--" not in s for s in scripts)
    assert all('<\\/script><img src=x onerror=\\"window.__pwned=1\\">' in s for s in scripts)


def test_bokehs_property_table_of_our_plots_holds_no_user_text() -> None:
    # A figure ending a cell without setup_notebook() shows Model._repr_html_: unescaped
    # repr() of the top-level properties. Ours keep user text in child models only.
    from cjm_jupyter.plots import compare_personas, emotion_curve, touchpoint_heatmap

    j = _hostile_colleen()
    for plot in (j.plot(), emotion_curve(j), touchpoint_heatmap(j), compare_personas(j)):
        table = plot._repr_html_()
        assert not any(text in table for text in ("<img", "<svg", "<iframe", "<!--<")), type(plot)


def test_bokehs_standalone_embeds_escape_user_text_themselves() -> None:
    # save_html, bokeh.embed.components and file_html put the document JSON in the page
    # HTML-escaped; only the notebook route needed our hook.
    from bokeh.embed import components, file_html
    from bokeh.resources import INLINE

    j = _hostile_colleen()
    script, _ = components(j.plot())
    page = file_html(j.plot(), INLINE)
    for html in (script, page):
        assert "<svg onload" not in html and "<img src" not in html and "<!--<script>" not in html
        assert "&lt;/script&gt;&lt;svg onload=window.__pwned=2&gt;" in html


def test_importing_cjm_jupyter_alone_imports_no_bokeh() -> None:
    code = "import sys, cjm_jupyter; print(sorted(m for m in sys.modules if m.split('.')[0] == 'bokeh'))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.kernel
def test_both_notebooks_run_and_show_through_the_escaping_hook(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    for name, nb in executed.items():
        outputs = _outputs(nb)
        assert [o for o in outputs if o["output_type"] == "error"] == [], name
        scripts = [o["data"]["application/javascript"] for o in outputs if EXEC_MIME in o.get("data", {})]
        assert len(scripts) == DOCUMENTS[name], name
        assert all("</" not in s and "<!--" not in s for s in scripts), name
        # the text is kept, spelled so that it cannot end the <script> element
        assert all("<\\/script><svg onload=window.__pwned=2>" in s for s in scripts[:1]), name


@pytest.mark.kernel
def test_a_figure_ending_a_cell_shows_bokehs_table_without_user_markup(
    executed: dict[str, nbformat.NotebookNode],
) -> None:
    last = executed["bokeh_first"].cells[-1].get("outputs", [])
    tables = [o["data"]["text/html"] for o in last if "text/html" in o.get("data", {})]
    assert len(tables) == 2, "display(fig) and the last expression each show Bokeh's property table"
    assert all(text not in table for table in tables for text in ("<img", "<svg", "<iframe", "<!--<")), tables


@pytest.mark.kernel
@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_the_export_runs_no_user_text_and_renders_the_plots(
    name: str,
    executed: dict[str, nbformat.NotebookNode],
    tmp_path: Path,
    open_offline: Callable[..., OfflinePage],
) -> None:
    page = open_offline(_export(executed[name], tmp_path / f"{name}.html"), documents=DOCUMENTS[name])
    _assert_safe_and_rendered(page)
    assert page.blocked == [], f"tried to load from the network: {page.blocked}"
    assert page.page_errors == []


@pytest.mark.browser
def test_control_bokehs_stock_hook_would_run_the_payloads(
    tmp_path: Path, open_offline: Callable[..., OfflinePage]
) -> None:
    # Proves the payloads and the check above are live: the outputs Bokeh's own show_doc
    # publishes (script unescaped), exported the same way, run user text.
    from bokeh.embed.notebook import notebook_content
    from bokeh.io.notebook import JS_MIME_TYPE

    from cjm_jupyter import templates

    j = templates.load("colleen")
    for stage, text in zip(j.stages["id"].tolist(), STAGE_TEXTS, strict=True):
        j.update_stage(stage, name=text)
    script, div, _ = notebook_content(j.plot())
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "show(j.plot())",
            outputs=[
                nbformat.v4.new_output("display_data", data={"text/html": div}),
                nbformat.v4.new_output("display_data", data={JS_MIME_TYPE: script, EXEC_MIME: ""}),
            ],
        )
    ]
    page = open_offline(_export(nb, tmp_path / "stock.html"), wait=False)
    page.page.wait_for_function("window.__pwned !== undefined", timeout=10_000, polling=50)
    assert page.page.evaluate(_INJECTED_JS) > 0


@pytest.mark.browser
@pytest.mark.lab
@pytest.mark.slow
def test_in_jupyterlab_the_plots_render_and_run_no_user_text(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in NOTEBOOKS["bokeh_first"]]
    # without a kernelspec JupyterLab asks which kernel to start, and the kernel never idles
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "hostile.ipynb")
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "hostile.ipynb")
            page.wait_for_function(
                """n => window.Bokeh !== undefined && Bokeh.documents.length >= n
                        && Bokeh.documents.every(d => d.is_idle)""",
                arg=DOCUMENTS["bokeh_first"],
                polling=100,
                timeout=120_000,
            )
            # Every cell has run once the last one shows its two property tables. (The
            # push_notebook() update itself needs the jupyter_bokeh extension in JupyterLab.)
            cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            cells.last.locator(".jp-OutputArea-output").nth(1).wait_for(timeout=60_000)
            assert page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
            _assert_safe_and_rendered(OfflinePage(page))
        finally:
            page.close()
    shutil.rmtree(root, ignore_errors=True)
