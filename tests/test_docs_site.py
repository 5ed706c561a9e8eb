"""The reference site builds with no warnings, offline, and shows every example executed.

This is the build ``bash .ci/docs`` runs (Sphinx ``-W``: any warning fails it), made into
``tmp``; the example notebooks run during the build (myst-nb). The pages are then read the
way a visitor of the built site reads them: from files, network blocked, every plot drawn
and every editor drawn read-only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .support.examples import DRAWN, NOTEBOOKS
from .support.paths import ROOT
from .support.reader import ReaderPage, read_alone

DOCS = ROOT / "docs"
#: The site's pages load their scripts from file:// beside them; nothing else may be requested.
_LOCAL = ("file://", "data:", "blob:")
# builds the site (executing every example in a kernel), then reads it in Chromium
pytestmark = [pytest.mark.browser, pytest.mark.kernel, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once into a temporary folder (``html/``), with every example executed."""
    pytest.importorskip("sphinx", reason="the docs build needs the 'docs' extra (in the 'test' extra too)")
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html",
               "-d", str(out / "doctrees"), str(DOCS), str(out / "html")]  # fmt: skip
    env = {**os.environ, "CJM_DOCS_EXECUTE": "force"}
    built = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    assert built.returncode == 0, f"the docs build failed:\n{built.stderr[-6000:]}"
    # -W already fails the build on a warning; this names it ("<file>: WARNING: ...")
    assert ": WARNING:" not in built.stderr, built.stderr[-6000:]
    return out / "html"


def test_the_site_has_the_guide_the_api_and_every_example(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "getting-started.html").is_file()
    assert sorted(p.name for p in (site / "api").glob("*.html")) != []
    for name in NOTEBOOKS:
        stem = Path(name).stem
        assert (site / "examples" / f"{stem}.html").is_file(), name
        assert (site / "examples" / f"{stem}-offline.html").is_file(), name


def _read_in_site(browser: Any, page_path: Path) -> ReaderPage:
    """Open a page of the built site from its folder, with every non-file request aborted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    result = ReaderPage(page, path=page_path)

    def route(r: Any) -> None:
        if r.request.url.startswith(_LOCAL):
            r.continue_()
        else:
            result.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda e: result.page_errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    return result


def _wait_drawn(reader: ReaderPage, plots: int, editors: int) -> None:
    if plots:
        reader.wait_for_bokeh(plots)
    if editors:
        reader.page.wait_for_function(
            "n => [...document.querySelectorAll('*')].filter(e => e.shadowRoot"
            " && e.shadowRoot.querySelector('.cjm-editor')).length"
            " + document.querySelectorAll('.cjm-editor').length >= n",
            arg=editors,
            polling=100,
            timeout=30_000,
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_example_page_shows_its_run_offline(site: Path, browser: Any, name: str) -> None:
    plots, editors = DRAWN[name]
    reader = _read_in_site(browser, site / "examples" / f"{Path(name).stem}.html")
    try:
        _wait_drawn(reader, plots, editors)
        reader.assert_reader_sees(plots=plots, editors=editors)
        # executed at build time: the page holds the cells' outputs, not only their code
        assert reader.page.locator(".cell_output").count() > 0
    finally:
        reader.page.context.close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_examples_offline_page_works_alone(site: Path, browser: Any, tmp_path: Path, name: str) -> None:
    plots, editors = DRAWN[name]
    reader = read_alone(browser, site / "examples" / f"{Path(name).stem}-offline.html", tmp_path,
                        plots=plots, editors=editors)  # fmt: skip
    try:
        reader.assert_reader_sees(plots=plots, editors=editors)
    finally:
        reader.page.context.close()
