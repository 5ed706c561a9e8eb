"""Executed notebook -> one self-contained HTML file that opens offline: ``cjm_html``.

``jupyter nbconvert --to cjm_html my.ipynb`` (registered through the
``nbconvert.exporters`` entry point) and :func:`export_html` write JupyterLab's
nbconvert page with everything it runs inlined, so the file works from an
e-mail attachment with no kernel and no network:

* BokehJS, once, in the page head (from the installed Bokeh). The notebook's
  own BokehJS loader outputs are dropped: a notebook run with
  ``output_notebook()`` (CDN) renders offline too, and a notebook that loaded
  BokehJS twice does not carry it twice.
* The widget manager (require.js, ``@jupyter-widgets/html-manager``'s
  ``embed-amd.js``, anywidget's AMD module; files shipped in the wheel, see
  :mod:`.assets`), so editors saved with widget state render read-only.
  Each saved editor holds its front-end bundle (anywidget's ``_esm``); the page
  carries each bundle once and the saved editors import it.
* An editor without widget state shows its static HTML summary (the output
  written above the widget, :mod:`cjm_jupyter.widgets._fallback`, or the widget
  output's ``text/html``); an editor with state is drawn and its summary dropped.
* No MathJax, no mermaid, no script, stylesheet, image or frame from
  ``http(s)://``: remote images in Markdown become links.

Every ``application/javascript`` output has ``</script`` and ``<!--`` escaped
(:func:`_output_script_safe`), so text inside it (a journey name in a plot shown
with Bokeh's stock hook) cannot end its ``<script>`` element.
"""

from __future__ import annotations

import copy
import json
import os
import re
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from traitlets import default

from ..io.atomic import atomic_file
from ..plots.notebook import BOKEHJS_MARK
from ..widgets._fallback import FALLBACK_MARK
from . import assets
from .mime import JOURNEY_MIME

__all__ = ["CJMHTMLExporter", "export_html"]

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
BOKEH_LOAD = "application/vnd.bokehjs_load.v0+json"
BOKEH_EXEC = "application/vnd.bokehjs_exec.v0+json"
JAVASCRIPT = "application/javascript"

TEMPLATES = Path(__file__).with_name("templates")


def _stub_esm(name: str) -> str:
    """Return a saved editor's ``_esm``: import the page's one copy of the bundle ``name``."""
    return (
        f"// cjm_jupyter: the {name} bundle is inlined once in this page.\n"
        f"const bundle = await import(globalThis.cjmEditorModules[{json.dumps(name)}]);\n"
        "export default bundle.default;\n"
    )


def _outputs(nb: Any) -> Iterator[tuple[Any, list[Any]]]:
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            yield cell, cell.get("outputs", [])


def _is_bokehjs_loader(output: Any) -> bool:
    """BokehJS itself (or Bokeh's "Loading BokehJS ..." banner): the page loads it once instead."""
    data = output.get("data", {})
    if BOKEH_LOAD in data or output.get("metadata", {}).get(BOKEHJS_MARK):
        return True
    banner = str(data.get("text/html", ""))
    return "bk-notebook-logo" in banner and "Loading BokehJS" in banner


#: A BokehJS version in a loader output: our mark's, or a CDN file name (bokeh-3.9.2.min.js).
_BOKEHJS_FILE = re.compile(r"bokeh-(\d+\.\d+\.\d+[\w.+-]*?)(?:\.min)?\.js")


def _bokehjs_versions(output: Any) -> set[str]:
    """Return the BokehJS versions a loader output loaded (empty when it does not say)."""
    mark = output.get("metadata", {}).get(BOKEHJS_MARK)
    if isinstance(mark, dict) and isinstance(mark.get("version"), str):
        return {mark["version"]}
    return set(_BOKEHJS_FILE.findall(str(output.get("data", {}).get(JAVASCRIPT, ""))))


def _warn_other_bokeh(versions: set[str]) -> None:
    """Warn when the notebook's plots were made with another Bokeh than the one inlined."""
    import bokeh

    other = sorted(v for v in versions if v != bokeh.__version__)
    if other:
        warnings.warn(
            f"the notebook loaded BokehJS {', '.join(other)}, the page inlines BokehJS "
            f"{bokeh.__version__} (the installed Bokeh); plots made with another version may not "
            "render: export with the Bokeh the notebook was run with",
            UserWarning,
            stacklevel=4,
        )


def _output_script_safe(js: str) -> str:
    """Return an output's script made so it cannot end or alter its ``<script>`` element.

    Narrower than :func:`~cjm_jupyter.plots.notebook.script_safe` (which is for
    Bokeh's plot scripts, ``</`` only in strings): any notebook's JavaScript may
    hold a regular expression such as ``/</g``. Only ``</script`` ends the element
    and ``<!--`` alters it; in valid code both occur only inside strings, templates
    and comments, where the escapes read the same.
    """
    return _SCRIPT_END.sub("<\\\\/", js).replace("<!--", "<\\!--")


_SCRIPT_END = re.compile(r"</(?=script)", re.IGNORECASE)


def _library(name: str, text: str) -> str:
    """Return a library script inlined as is: it must not be able to end its element."""
    if _SCRIPT_END.search(text):
        raise ValueError(f"{name} contains '</script' and cannot be inlined in a page")
    return text


class CJMHTMLExporter(HTMLExporter):
    """nbconvert exporter of a self-contained, offline HTML page (see the module).

    Use ``jupyter nbconvert --to cjm_html NOTEBOOK`` or :func:`export_html`.
    All of :class:`nbconvert.exporters.HTMLExporter`'s options apply (e.g.
    ``--theme dark``); ``embed_images`` defaults to True, so local images of
    Markdown cells are inlined too.
    """

    export_from_notebook = "HTML, offline (cjm_jupyter)"

    @default("template_name")
    def _template_name_default(self) -> str:
        return "cjm_html"

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES), os.getcwd()]

    @default("embed_images")
    def _embed_images_default(self) -> bool:
        return True

    # nbconvert's base Exporter hints a NotebookNode, but template exporters (HTMLExporter,
    # which this one extends) return the rendered text: the library's hint is wrong here.
    def from_notebook_node(  # type: ignore[override]
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render ``nb`` (left unchanged) to the page text."""
        nb = copy.deepcopy(nb)
        scripts: dict[str, str] = {}
        needs_bokeh = self._prepare_bokeh(nb)
        editors = self._prepare_widgets(nb)
        needs_widgets = self._has_saved_widgets(nb)
        if needs_bokeh:
            scripts["bokehjs"] = assets.bokehjs()
        if needs_widgets:
            scripts.update({name: assets.shared_script(name) for name in assets.SHARED_SCRIPTS})
        nonce = secrets.token_hex(16)

        def placeholder(name: str) -> str:
            return f"/*cjm-inline:{nonce}:{name}*/"

        resources = dict(resources or {})
        resources["cjm"] = {
            "placeholder": placeholder,
            "head_scripts": [n for n in ("bokehjs", "require.js") if n in scripts],
            "footer_scripts": [n for n in ("anywidget.js", "embed-amd.js") if n in scripts],
            "editor_bundles": sorted(editors) if needs_widgets else [],
        }
        page, resources = super().from_notebook_node(nb, resources, **kw)
        page = _without_remote_loads(page)
        # The big scripts go in after nbconvert's own HTML pass (BeautifulSoup) and ours.
        if resources["cjm"]["editor_bundles"]:
            bundles = {name: assets.editor_bundle(name) for name in resources["cjm"]["editor_bundles"]}
            scripts["editor_bundles"] = json.dumps(bundles).replace("<", "\\u003c")
        for name, text in scripts.items():
            page = page.replace(placeholder(name), _library(name, text), 1)
        return page, resources

    # -- notebook preparation (on a copy) ----------------------------------------------------
    @staticmethod
    def _prepare_bokeh(nb: Any) -> bool:
        """Drop BokehJS loader outputs, escape scripts; True when some output needs BokehJS."""
        needs = False
        loaded: set[str] = set()
        for cell, outputs in _outputs(nb):
            kept = []
            for output in outputs:
                if _is_bokehjs_loader(output):
                    loaded |= _bokehjs_versions(output)
                    continue
                data = output.get("data", {})
                if JAVASCRIPT in data:
                    needs = needs or BOKEH_EXEC in data or "Bokeh" in str(data[JAVASCRIPT])
                    data[JAVASCRIPT] = _output_script_safe(str(data[JAVASCRIPT]))
                kept.append(output)
            cell["outputs"] = kept
        _warn_other_bokeh(loaded if needs else set())
        return needs

    @staticmethod
    def _prepare_widgets(nb: Any) -> set[str]:
        """Point saved editors at the page's one copy of their bundle; the bundles used."""
        state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        texts = {assets.editor_bundle(name): name for name in assets.EDITOR_BUNDLES}
        used: set[str] = set()
        for model in state.values():
            model_state = model.get("state", {}) if isinstance(model, dict) else {}
            # Only a bundle equal to ours is swapped: a notebook saved by another release keeps its own.
            esm = model_state.get("_esm")
            name = texts.get(esm) if isinstance(esm, str) else None
            if name is not None:
                model_state["_esm"] = _stub_esm(name)
                used.add(name)
        return used

    @staticmethod
    def _has_saved_widgets(nb: Any) -> bool:
        """Drop the static summaries of editors the page will draw; True when it draws a widget."""
        state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
        shown = set()
        for _cell, outputs in _outputs(nb):
            for output in outputs:
                view = output.get("data", {}).get(WIDGET_VIEW)
                if isinstance(view, dict) and view.get("model_id") in state:
                    shown.add(view["model_id"])
        for cell, outputs in _outputs(nb):
            cell["outputs"] = [o for o in outputs if not _redundant(o, shown)]
        return bool(shown)


def _redundant(output: Any, drawn: set[str]) -> bool:
    """Tell whether an output is redundant on the page.

    That is an editor's static summary when the page draws the editor, or a
    widget the page cannot draw. A widget output without saved state that
    holds nothing else to show (an editor's summary is the output above it)
    would be an empty output and an nbconvert warning.
    """
    if output.get("metadata", {}).get(FALLBACK_MARK, {}).get("model_id") in drawn:
        return True
    data = output.get("data", {})
    view = data.get(WIDGET_VIEW)
    undrawable = isinstance(view, dict) and view.get("model_id") not in drawn
    return undrawable and set(data) <= {WIDGET_VIEW, JOURNEY_MIME}


#: Elements and the attribute through which they load something.
_LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "link": "href",
    "video": "src",
    "audio": "src",
    "source": "src",
    "embed": "src",
    "object": "data",
    "input": "src",
}


def _without_remote_loads(page: str) -> str:
    """``page`` with no element that loads from the network (remote images become links)."""
    soup = BeautifulSoup(page, features="html.parser")
    changed = False
    for tag, attr in _LOADING.items():
        for element in soup.find_all(tag):
            url = str(element.get(attr, "")).strip().lower()
            srcset = str(element.get("srcset", "")).lower()
            if not (url.startswith(("http:", "https:", "//")) or "http" in srcset):
                continue
            changed = True
            if tag == "img" and url:
                link = soup.new_tag("a", href=str(element[attr]))  # src and href are single-valued
                link.string = str(element.get("alt") or element[attr])
                element.replace_with(link)
            else:
                element.decompose()
    return str(soup) if changed else page


def export_html(
    notebook: str | os.PathLike[str] | nbformat.NotebookNode,
    html_path: str | os.PathLike[str],
    *,
    theme: str = "light",
) -> Path:
    """Write an executed notebook as one self-contained HTML file that opens offline.

    Parameters
    ----------
    notebook : path or NotebookNode
        An executed notebook (``.ipynb`` path, or a notebook read with nbformat).
        Editors render read-only when the notebook was saved with widget state
        (JupyterLab: Settings > Save Widget State Automatically; nbclient:
        ``store_widget_state=True``); otherwise they show a static summary.
    html_path : path
        The page to write, atomically: a failed export leaves an existing file as it was.
    theme : {"light", "dark"}, default "light"
        JupyterLab theme of the page.

    Returns
    -------
    pathlib.Path
        ``html_path``.

    Raises
    ------
    ValueError
        ``theme`` is neither ``"light"`` nor ``"dark"``.
    FileNotFoundError
        ``notebook`` is a path and no file is there, or the folder that should
        hold ``html_path`` does not exist.
    IsADirectoryError
        ``html_path`` is a folder.

    Examples
    --------
    A notebook as a kernel saves it, here made with nbformat (in practice: the
    ``.ipynb`` of an executed notebook):

    >>> import os, tempfile
    >>> import nbformat
    >>> from cjm_jupyter.sharing import export_html
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Findings")])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     notebook = os.path.join(folder, "analysis.ipynb")
    ...     nbformat.write(nb, notebook)
    ...     page = export_html(notebook, os.path.join(folder, "analysis.html"))
    ...     page.name, "Findings" in page.read_text(encoding="utf-8")
    ('analysis.html', True)
    """
    if theme not in ("light", "dark"):
        raise ValueError(f"theme must be 'light' or 'dark', not {theme!r}")
    if isinstance(notebook, nbformat.NotebookNode):
        nb, name = notebook, Path(html_path).stem
    else:
        source = Path(notebook)
        if not source.is_file():
            raise FileNotFoundError(f"cannot read '{source}': the file does not exist")
        nb, name = nbformat.read(source, as_version=4), source.stem
    exporter = CJMHTMLExporter(theme=theme)
    page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
    target = Path(html_path)
    with atomic_file(target) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return target
