"""The reference site builds with no warnings, offline, and shows every example executed.

This is the build ``bash .ci/docs`` runs (Sphinx ``-W``: any warning fails it), made into
``tmp``; the example notebooks run during the build (myst-nb). The pages are then read the
way a visitor of the built site reads them: from files, network blocked, every plot drawn
and every editor drawn read-only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .support.examples import DRAWN, NOTEBOOKS, built_site, executed_by_site
from .support.reader import read_alone, read_in_place

# builds the site (executing every example in a kernel), then reads it in Chromium
pytestmark = [pytest.mark.browser, pytest.mark.kernel, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once into a temporary folder (``html/``), with every example executed.

    Built once per test process (tests/support/examples.py): tests/test_examples.py reads the
    notebooks this build executed rather than running them again.
    """
    return built_site(tmp_path_factory)


def test_the_site_has_the_guide_the_api_and_every_example(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "getting-started.html").is_file()
    wings = ("model", "io", "templates", "plots", "widgets", "analytics", "personas", "sharing")
    api_pages = {p.name for p in (site / "api").glob("*.html")}
    assert {"cjm_jupyter.html", *(f"cjm_jupyter.{w}.html" for w in wings)} <= api_pages
    for name in NOTEBOOKS:
        stem = Path(name).stem
        assert (site / "examples" / f"{stem}.html").is_file(), name
        assert (site / "examples" / f"{stem}-offline.html").is_file(), name
        assert executed_by_site(site, name).is_file(), name  # what tests/test_examples.py reads


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_example_page_shows_its_run_offline(site: Path, browser: Any, name: str) -> None:
    plots, editors = DRAWN[name]
    page = site / "examples" / f"{Path(name).stem}.html"
    reader = read_in_place(browser, page, plots=plots, editors=editors)
    try:
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
