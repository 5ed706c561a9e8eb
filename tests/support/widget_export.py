"""An editor's saved widget state as a page (ipywidgets.embed), with the html-manager loaded from local files.

The page is what ``ipywidgets.embed`` writes (``drop_defaults=False``, so
anywidget's ``_esm`` is in the state), rendered by the real
``@jupyter-widgets/html-manager`` with require.js and anywidget's AMD
bundle loaded from local files. The two npm packages are pinned, with their
integrity hashes, as devDependencies in ``js/package-lock.json`` and installed
by ``npm ci`` in ``js/`` (``.ci/setup``): nothing is fetched at test time.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from ipywidgets.embed import embed_data

from .paths import ROOT

NODE_MODULES = ROOT / "js" / "node_modules"


#: file in the page -> its path in js/node_modules (versions pinned in js/package.json)
PACKAGES = {
    "require.js": "requirejs/require.js",
    "embed-amd.js": "@jupyter-widgets/html-manager/dist/embed-amd.js",
}


ANYWIDGET_AMD = Path(sys.prefix) / "share" / "jupyter" / "nbextensions" / "anywidget" / "index.js"


def _installed(name: str) -> Path:
    path = NODE_MODULES / PACKAGES[name]
    if not path.exists():
        reason = f"{path} missing: run `npm ci` in js/ (bash .ci/setup does)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def _page(folder: Path, widget: Any) -> Path:
    for name in PACKAGES:
        shutil.copy(_installed(name), folder / name)
    shutil.copy(ANYWIDGET_AMD, folder / "anywidget.js")
    data = embed_data(views=[widget], drop_defaults=False)
    state = json.dumps(data["manager_state"]).replace("</", "<\\/")
    view = json.dumps(data["view_specs"][0])
    page = folder / "export.html"
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8">'
        '<script src="require.js"></script><script src="embed-amd.js"></script>'
        f'<script type="application/vnd.jupyter.widget-state+json">{state}</script>'
        f'</head><body><script type="application/vnd.jupyter.widget-view+json">{view}</script>'
        "</body></html>",
        encoding="utf-8",
    )
    return page
