"""Saved widget state: an exported page shows the map with no kernel and no network.

The page is what ``ipywidgets.embed`` writes (``drop_defaults=False``, so
anywidget's ``_esm`` is in the state), rendered by the real
``@jupyter-widgets/html-manager`` with require.js and anywidget's AMD
bundle loaded from local files. The two npm packages are fetched once with
``npm pack`` into a cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ipywidgets.embed import embed_data

from cjm_jupyter import JourneyEditor, PersonaEditor

from .conftest import build_small_journey
from .widget_harness import Harness, shared_chromium

pytestmark = pytest.mark.browser

PACKAGES = {
    "require.js": ("requirejs@2.3.7", "package/require.js"),
    "embed-amd.js": ("@jupyter-widgets/html-manager@1.0.15", "package/dist/embed-amd.js"),
}
CACHE = Path(os.environ.get("CJM_TEST_CACHE", Path.home() / ".cache" / "cjm_jupyter-tests"))
ANYWIDGET_AMD = Path(sys.prefix) / "share" / "jupyter" / "nbextensions" / "anywidget" / "index.js"


def _fetch(name: str) -> Path:
    spec, member = PACKAGES[name]
    target = CACHE / spec.replace("/", "_") / name
    if target.exists():
        return target
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("npm is needed on CI for the export test")
        pytest.skip("npm not installed")
    target.parent.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [npm, "pack", spec, "--silent"], cwd=target.parent, capture_output=True, text=True, check=True
    )
    tarball = target.parent / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as tar:
        source = tar.extractfile(member)
        assert source is not None
        target.write_bytes(source.read())
    tarball.unlink()
    return target


def _page(folder: Path, widget: Any) -> Path:
    for name in PACKAGES:
        shutil.copy(_fetch(name), folder / name)
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


@pytest.fixture(scope="module")
def chromium(request: pytest.FixtureRequest) -> Iterator[Any]:
    yield from shared_chromium(request)


@pytest.mark.parametrize(
    ("cls", "key", "value"),
    [
        (JourneyEditor, "stage:awareness:name", "Awareness"),
        (PersonaEditor, "persona:busy-bob:name", "Busy Bob"),
    ],
)
def test_saved_state_shows_the_editor_offline(
    chromium: Any, tmp_path: Path, cls: type, key: str, value: str
) -> None:
    assert ANYWIDGET_AMD.exists(), ANYWIDGET_AMD
    page_file = _page(tmp_path, cls(build_small_journey()))
    page = chromium.new_page()
    try:
        h = Harness(page, url=page_file.as_uri())
        field = h.key(key)
        field.wait_for(timeout=20_000)
        assert field.input_value() == value
        assert h.errors == [] and h.blocked == []
    finally:
        page.close()
