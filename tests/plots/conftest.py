"""Fixtures of the plot tests (tests/plots/)."""

from __future__ import annotations

import pytest

from cjm_jupyter import Journey, templates


@pytest.fixture(scope="module")
def colleen() -> Journey:
    """The Colleen template (loaded once per module: the plot tests only read it)."""
    return templates.load("colleen")
