"""Fixtures of the model tests (tests/model/): edits that must be refused, observers, builders.

``journey`` (a fresh copy of the small journey, ids in tests/support/journeys.py) is in
tests/conftest.py: the io and editor tests use it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, ValidationError

from ..support.journeys import Recorder, assert_same_journey, build_small_journey, check_ordered


@pytest.fixture
def build_journey() -> Callable[[], Journey]:
    """The builder behind ``journey``: a new journey from scratch on each call."""
    return build_small_journey


@pytest.fixture
def empty_journey() -> Journey:
    return Journey("Empty")


@pytest.fixture
def events(journey: Journey) -> Recorder:
    """Changes heard by an observer of ``journey`` (attached after it was built)."""
    rec = Recorder()
    journey.observe(rec)
    return rec


@pytest.fixture
def assert_ordered() -> Callable[[Journey], None]:
    return check_ordered


@pytest.fixture
def rejects() -> Callable[..., ValidationError]:
    """``rejects(j, op, match, **attrs)``: ``op()`` raises ValidationError, nothing changes.

    Checks the message (regex ``match``), the error's attributes given in
    ``attrs`` (frame, row_id, column, value, rule), that the journey equals a
    copy taken before and that observers heard nothing.
    """

    def run(j: Journey, op: Callable[[], Any], match: str, **attrs: Any) -> ValidationError:
        before = j.copy()
        heard = Recorder()
        j.observe(heard)
        try:
            with pytest.raises(ValidationError, match=match) as info:
                op()
        finally:
            j.unobserve(heard)
        err = info.value
        for attr, expected in attrs.items():
            actual = getattr(err, attr)
            if expected is pd.NA:
                assert actual is pd.NA, f"{attr}: {actual!r}"
            else:
                assert actual == expected, f"{attr}: {actual!r} != {expected!r}"
        assert heard == [], f"observers heard {heard}"
        assert_same_journey(j, before)
        return err

    return run
