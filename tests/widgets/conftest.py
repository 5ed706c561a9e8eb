"""Fixtures of the editor tests (tests/widgets/).

``chromium`` and ``harness`` (an editor's ESM on a page of the session's Chromium) are in
tests/conftest.py, since the model's text-safety tests mount editors too.
"""

from __future__ import annotations

from typing import Any

import pytest

from cjm_jupyter import Journey, JourneyEditor

from ..support.journeys import build_small_journey
from ..support.widget_harness import editor_state


@pytest.fixture
def editor(journey: Journey) -> JourneyEditor:
    """A JourneyEditor on a fresh copy of the small journey (driven through its comm, no browser)."""
    return JourneyEditor(journey)


@pytest.fixture(scope="module")
def state() -> dict[str, Any]:  # built once per module: tests never mutate it
    """The state a JourneyEditor of the small journey sends its view (to mount it in ``harness``)."""
    return editor_state(JourneyEditor(build_small_journey()))
