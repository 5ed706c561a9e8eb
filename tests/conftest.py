"""Fixtures every wing shares, the markers put on tests by the fixtures they use, and the xdist plan.

Layout: one folder per wing (model, io, plots, widgets, analytics, sharing), each with a
conftest.py for its own fixtures; project-wide checks (imports, docs, examples, tooling) stay
in tests/. Helpers shared by several modules are plain functions in tests/support/ (no test
module imports another).

``journey`` is a copy of :func:`tests.support.journeys.build_small_journey` (its ids are listed
there). ``browser`` / ``open_offline`` (support/browser.py) give the session's one Chromium and an
offline page; ``chromium`` / ``harness`` (support/widget_harness.py) an editor's ESM on a page.

Markers (pyproject): ``browser`` (Chromium), ``lab`` (a JupyterLab server), ``kernel`` (a Jupyter
kernel), ``spark`` (the local SparkSession), ``slow`` (over ~10 s). A test that takes one of the
fixtures ``browser``, ``open_offline``, ``chromium``, ``harness`` is marked ``browser`` here; one
that takes ``spark`` is marked ``spark`` (and its module must say so in its source, see
support/parallel.py). The quick loop: ``pytest -m "not lab and not spark and not browser"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey

# the helpers' asserts report their values as the tests' own do: rewritten before the first import
pytest.register_assert_rewrite("tests.support")

from .support.frames import assert_same_frame  # noqa: E402
from .support.journeys import build_small_journey  # noqa: E402
from .support.widget_harness import Harness, checked_harness, shared_chromium  # noqa: E402


@pytest.fixture(scope="session")
def _journey_template() -> tuple[Journey, dict[str, pd.DataFrame], dict[str, Any]]:
    j = build_small_journey()
    return j, {n: df.copy(deep=True) for n, df in j.frames.items()}, j.meta


@pytest.fixture
def journey(_journey_template) -> Iterator[Journey]:
    """A fresh small journey (its ids: tests/support/journeys.py).

    Built once per session and handed out with ``Journey.copy()`` (cheap: the
    model never mutates a stored frame in place). After each test the template
    is checked against a deep snapshot, so a test can never leak into another.
    """
    template, frames, meta = _journey_template
    yield template.copy()
    assert template.meta == meta
    for name, df in frames.items():
        assert_same_frame(template.frame(name), df, obj=name)  # after every test: the quick form


# -- Browser tests ----------------------------------------------------------------------------
# Playwright fixtures from tests/support/browser.py (``browser``: one Chromium per session;
# ``open_offline``: a page with the network blocked), registered here exactly once.
from .support.browser import browser, open_offline  # noqa: E402, F401


@pytest.fixture(scope="session")
def chromium(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The session's Chromium (``browser``) for the editor harness; skips without Debian chromium."""
    yield from shared_chromium(request)


@pytest.fixture
def harness(chromium: Any) -> Iterator[Harness]:
    """A fresh page to mount an editor on, checked for script errors and escaping requests afterwards."""
    yield from checked_harness(chromium)


# -- Markers from fixtures ----------------------------------------------------------------------
#: fixture -> the marker every test that takes it gets
MARKER_OF_FIXTURE = {
    "browser": "browser",
    "open_offline": "browser",
    "chromium": "browser",
    "harness": "browser",
    "spark": "spark",
}


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects (pytest's own hook of the same name)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, marker in MARKER_OF_FIXTURE.items():
            if fixture in names and item.get_closest_marker(marker) is None:
                item.add_marker(marker)
        if "spark" in names and not uses_shared_spark(item.path):
            raise pytest.UsageError(
                f"{item.nodeid} uses the shared SparkSession but its module does not mark its Spark "
                "tests with pytest.mark.spark in its source (tests/support/parallel.py groups Spark "
                "modules by that mark onto one worker)"
            )


# -- Parallel runs (pytest-xdist): worker count, Spark modules kept together, slow files first --
from .support.parallel import (  # noqa: E402
    pytest_xdist_auto_num_workers,  # noqa: F401
    pytest_xdist_make_scheduler,  # noqa: F401
    uses_shared_spark,
)
