"""Sphinx extension of the cjm_jupyter docs: pages written from the package and README.md.

On ``config-inited`` (before Sphinx lists the sources and autosummary reads them) it writes

* ``api/<module>.rst``: one page per public module, an autosummary of its
  ``__all__``, so a name added to ``__all__`` appears without editing the docs.
  A name re-exported by several public modules (``cjm_jupyter.Journey`` is
  ``cjm_jupyter.model.Journey``) is documented once, in its home module
  (:data:`HOME_ORDER`), and linked from the others: Sphinx would warn about a
  duplicate object description otherwise.
* ``guide/_readme/<section>.md``: the README's ``##`` sections, one level up
  (``##`` -> ``#``), with README anchors (``#living-maps``) turned into references.
  The user-guide pages ``{include}`` them, so the guide follows the README the lead
  edits; a section that disappears fails the build naming the heading.

On ``build-finished`` it exports every executed example notebook (myst-nb writes
them to ``_build/jupyter_execute``) with the package's own offline exporter,
:func:`cjm_jupyter.export_html`, next to its page: ``examples/<name>-offline.html``.
"""

from __future__ import annotations

import importlib
import logging as pylogging
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import PycodeError
from sphinx.pycode import ModuleAnalyzer
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: The public modules, in the order of the API reference.
PUBLIC_MODULES = (
    "cjm_jupyter",
    "cjm_jupyter.model",
    "cjm_jupyter.io",
    "cjm_jupyter.templates",
    "cjm_jupyter.plots",
    "cjm_jupyter.widgets",
    "cjm_jupyter.analytics",
    "cjm_jupyter.personas",
    "cjm_jupyter.sharing",
)
#: Where an object listed by several modules is documented: the first module here that lists it.
HOME_ORDER = (*PUBLIC_MODULES[1:], "cjm_jupyter")

#: Guide excerpt file name -> the README heading (``## ...``) it starts at.
README_SECTIONS = {
    "start": "Start here: one command into JupyterLab",
    "fresh-machine": "Fresh machine: the main job and the tests",
    "quickstart": "Quickstart",
    "model": "The model",
    "plots": "Visualizations (Bokeh)",
    "editors": "Editors (anywidget)",
    "sharing": "Share a notebook",
    "analytics": "Analytics from event logs (DuckDB, Spark)",
    "personas": "Personas and segments: who are our customers, and is a difference real",
    "living-maps": "Living maps",
    "templates": "Templates",
    "development": "Development",
}


def _write_if_changed(path: Path, text: str) -> None:
    """Write ``text`` unless the file already holds it (Sphinx then keeps its cached pages)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# -- API pages ---------------------------------------------------------------------------------
def _public_names(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    if names is None:
        raise RuntimeError(f"{module_name} has no __all__: the API reference lists __all__")
    return list(names)


def _homes() -> dict[int, str]:
    """id(object) -> the module that documents it."""
    homes: dict[int, str] = {}
    for module_name in HOME_ORDER:
        module = importlib.import_module(module_name)
        for name in _public_names(module_name):
            homes.setdefault(id(getattr(module, name)), module_name)
    return homes


def _role(obj: Any) -> str:
    if isinstance(obj, type):
        return "class"
    if callable(obj):
        return "func"
    if type(obj).__name__ == "module":
        return "mod"
    return "data"


def api_page(module_name: str, homes: dict[int, str]) -> str:
    """The reST page of one public module."""
    module = importlib.import_module(module_name)
    own, elsewhere, submodules = [], [], []
    for name in _public_names(module_name):
        obj = getattr(module, name)
        if type(obj).__name__ == "module":
            submodules.append(obj.__name__)
        elif homes[id(obj)] == module_name:
            own.append(name)
        else:
            elsewhere.append((name, f"{homes[id(obj)]}.{name}", _role(obj)))
    title = f"``{module_name}``"
    lines = [title, "=" * len(title), "", f".. automodule:: {module_name}", "",
             f".. currentmodule:: {module_name}", ""]
    if own:
        lines += [".. autosummary::", "   :toctree: generated", "   :nosignatures:", ""]
        lines += [f"   {name}" for name in own] + [""]
    if elsewhere or submodules:
        lines += ["Also importable from here", "-------------------------", ""]
        lines += [f"* ``{module_name}.{name}``: :{role}:`{target}`" for name, target, role in elsewhere]
        lines += [f"* ``{sub}``: :mod:`{sub}`" for sub in submodules]
        lines.append("")
    return "\n".join(lines)


def write_api_pages(srcdir: Path) -> None:
    homes = _homes()
    for module_name in PUBLIC_MODULES:
        _write_if_changed(srcdir / "api" / f"{module_name}.rst", api_page(module_name, homes))


# -- README excerpts ---------------------------------------------------------------------------
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANCHOR_LINK = re.compile(r"\[([^\]]+)\]\(#([a-z0-9-]+)\)")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading, as the README's own links use it."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def readme_sections(readme: str) -> dict[str, list[str]]:
    """``##`` heading -> the section's lines (heading included), outside code fences only."""
    sections: dict[str, list[str]] = {"": []}
    current, fenced = "", False
    for line in readme.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        sections[current].append(line)
    return sections


def excerpt(lines: list[str], root: Path, out: Path) -> str:
    """One README section as a guide excerpt: headings one level up, anchors as references."""
    result, fenced = [], False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and re.match(r"#{2,6} ", line):
            result.append(f"(readme-{_slug(line.lstrip('#'))})=")
            line = line[1:]
        elif not fenced:
            line = _ANCHOR_LINK.sub(lambda m: f"{{ref}}`{m.group(1)} <readme-{m.group(2)}>`", line)
            line = _IMAGE.sub(lambda m: _image(m, root, out), line)
        result.append(line)
    return "\n".join(result).rstrip() + "\n"


def _image(match: re.Match[str], root: Path, out: Path) -> str:
    """A README image copied beside the excerpts (Sphinx reads images inside the docs only)."""
    alt, target = match.group(1), match.group(2)
    if target.startswith(("http:", "https:")):
        return match.group(0)
    source = root / target
    if not (out / source.name).is_file() or (out / source.name).read_bytes() != source.read_bytes():
        shutil.copyfile(source, out / source.name)
    return f"![{alt}](/guide/_readme/{source.name})"


def write_readme_excerpts(srcdir: Path) -> None:
    root = srcdir.parent
    out = srcdir / "guide" / "_readme"
    out.mkdir(parents=True, exist_ok=True)
    sections = readme_sections((root / "README.md").read_text(encoding="utf-8"))
    for file_name, heading in README_SECTIONS.items():
        if heading not in sections:
            raise RuntimeError(
                f"README.md has no section '## {heading}' (docs/_ext/cjm_docs.py README_SECTIONS)"
            )
        _write_if_changed(out / f"{file_name}.md", excerpt(sections[heading], root, out))
    # The lines above the first section (the pitch and the map's picture), without the title.
    intro = [line for line in sections[""] if not line.startswith("# ")]
    _write_if_changed(out / "intro.md", excerpt(intro, root, out))


# -- offline pages of the examples -------------------------------------------------------------
def export_examples(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from cjm_jupyter import export_html

    executed = Path(app.outdir).parent / "jupyter_execute" / "examples"
    for notebook in sorted(executed.glob("*.ipynb")):
        target = Path(app.outdir) / "examples" / f"{notebook.stem}-offline.html"
        export_html(notebook, target)
        logger.info("cjm_docs: wrote %s", target.relative_to(app.outdir))


# -- known noise -------------------------------------------------------------------------------
#: Output MIME types that are never shown, by design: Bokeh's empty marker for JupyterLab's
#: extension (the plot is its ``application/javascript`` beside it) and the journey document a
#: displayed map carries for ``read_notebook``. myst-nb renders every MIME type of an output
#: before it picks one per format, so it warns about these although the page never needs them.
HIDDEN_MIME_TYPES = ("application/vnd.bokehjs_exec.v0+json", "application/vnd.cjm-journey+json")


class _HiddenMimeFilter(pylogging.Filter):
    """Drop myst-nb's "unknown output mime type" warning for :data:`HIDDEN_MIME_TYPES` only."""

    def filter(self, record: pylogging.LogRecord) -> bool:
        match = _UNKNOWN_MIME.match(str(record.msg))
        return not (match and match.group(1) in HIDDEN_MIME_TYPES)


# myst-nb appends the warning type ("[mystnb.unknown_mime_type]") to the message
_UNKNOWN_MIME = re.compile(r"skipping unknown output mime type: (\S+)(?: \[|$)")


# -- constants -----------------------------------------------------------------------------------
def data_docstring(app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    """A re-exported constant's ``#:`` comment instead of its type's docstring.

    autodoc reads ``#:`` comments from the module a page names (``cjm_jupyter.model``),
    not from the one that assigns the constant (``cjm_jupyter.model.specs``); it then
    falls back to the value's class docstring (``dict()`` -> new empty dictionary...).
    """
    if what != "data" or not name.startswith("cjm_jupyter."):
        return
    short = name.rsplit(".", 1)[1]
    lines[:] = _attr_doc(short, obj)


def _attr_doc(short: str, obj: Any) -> list[str]:
    """The ``#:`` comment above the assignment of ``short`` in the package module that holds ``obj``."""
    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("cjm_jupyter") or getattr(module, short, None) is not obj:
            continue
        try:
            docs = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except PycodeError:
            continue
        if ("", short) in docs:
            return [*docs[("", short)]]
    return []


def on_config_inited(app: Sphinx, config: Any) -> None:
    srcdir = Path(app.srcdir)
    write_api_pages(srcdir)
    write_readme_excerpts(srcdir)


def on_builder_inited(app: Sphinx) -> None:
    # first in line on Sphinx's handlers: ahead of the filter that turns warnings into errors
    for handler in pylogging.getLogger("sphinx").handlers:
        handler.filters.insert(0, _HiddenMimeFilter())


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("build-finished", export_examples)
    app.connect("autodoc-process-docstring", data_docstring)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
