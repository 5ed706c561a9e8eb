"""The scripts an offline export inlines, read from files shipped in the wheel.

``cjm_jupyter/static/share/`` holds require.js, the Jupyter widget manager
(``@jupyter-widgets/html-manager``'s ``embed-amd.js``) and anywidget's AMD module,
copied from the npm packages pinned in ``js/package.json`` by ``js/build.mjs``
(``npm run check`` proves the copies are current); ``cjm_jupyter/static/`` holds
our editor bundles. BokehJS comes from the installed ``bokeh`` package, so it
always matches the Bokeh that made the plots' documents.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

__all__ = ["EDITOR_BUNDLES", "baseline_bytes", "bokehjs", "editor_bundle", "shared_script", "versions"]

#: Our editor bundles, by the name the export page knows them under.
EDITOR_BUNDLES = ("journey_editor", "persona_editor")

#: Third-party scripts of the widget manager, in the order a page must run them.
SHARED_SCRIPTS = ("require.js", "anywidget.js", "embed-amd.js")


def _read(*parts: str) -> str:
    path = resources.files("cjm_jupyter").joinpath("static", *parts)
    if not path.is_file():
        raise FileNotFoundError(
            f"cjm_jupyter/static/{'/'.join(parts)} is missing; build it with `npm ci && npm run build` in js/"
        )
    return path.read_text(encoding="utf-8")


@cache
def shared_script(name: str) -> str:
    """Return the text of a :data:`SHARED_SCRIPTS` file.

    That is ``require.js``, ``anywidget.js`` or ``embed-amd.js``.
    """
    if name not in SHARED_SCRIPTS:
        raise ValueError(f"unknown shared script {name!r}; expected one of {', '.join(SHARED_SCRIPTS)}")
    return _read("share", name)


@cache
def editor_bundle(name: str) -> str:
    """Return the ES module text of one of our editors (:data:`EDITOR_BUNDLES`)."""
    if name not in EDITOR_BUNDLES:
        raise ValueError(f"unknown editor bundle {name!r}; expected one of {', '.join(EDITOR_BUNDLES)}")
    return _read(f"{name}.js")


@cache
def bokehjs() -> str:
    """BokehJS and its extensions (widgets, tables, WebGL, MathJax) as one script text."""
    from bokeh.resources import INLINE

    return "\n".join(INLINE.js_raw)


@cache
def versions() -> dict[str, dict[str, str]]:
    """Package and version of each shared script (``static/share/versions.json``)."""
    return json.loads(_read("share", "versions.json"))


def baseline_bytes() -> int:
    """UTF-8 size of BokehJS, the widget manager scripts and our bundles, each once.

    The least an export of a notebook with plots and editors must carry; the
    report benchmark compares page sizes against it.
    """
    texts = [bokehjs(), *map(shared_script, SHARED_SCRIPTS), *map(editor_bundle, EDITOR_BUNDLES)]
    return sum(len(t.encode("utf-8")) for t in texts)
