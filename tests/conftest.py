"""Shared fixtures for the model tests (tests/test_model_*.py).

``journey`` builds a small but complete map through the public API only:

personas      curious-colleen, busy-bob
stages        awareness(0), consideration(1), purchase(2)
touchpoints   awareness: search-engine(0), ads(1); consideration: reviews(0); purchase: checkout(0)
emotions      emo-1 colleen @ search-engine -1 (assumption/assumed)
              emo-2 colleen @ consideration +1 (survey/measured, n=40)
              emo-3 bob @ checkout +2 (assumption/assumed)
pain_points   pain-1 @ search-engine (colleen, severity 4, frequency 3)
              pain-2 @ purchase (severity 5)
opportunities opp-1 @ search-engine -> pain-1 (impact 4, effort 2)
              opp-2 @ purchase -> pain-2
actions       act-1 -> opp-1, stage awareness, due 2025-03-01
metrics       conversion @ purchase (0.12 %), ctr @ ads (busy-bob)
empathy       emp-1 colleen says "I want it cheap"
lanes         Backstage: backstage-awareness, backstage-consideration, backstage-purchase
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Change, Journey, ValidationError
from cjm_jupyter.model.specs import FRAMES


def build_small_journey() -> Journey:
    j = Journey("Buying a vacuum cleaner", scenario="First purchase online", description="Test map")
    colleen = j.add_persona("Curious Colleen", age="32", goals="Find a quiet vacuum")
    bob = j.add_persona("Busy Bob", occupation="Nurse")
    aware = j.add_stage("Awareness", description="Learns the product exists")
    consider = j.add_stage("Consideration")
    purchase = j.add_stage("Purchase")
    search = j.add_touchpoint(aware, "Search engine", channel="search")
    ads = j.add_touchpoint(aware, "Ads", channel="ads")
    j.add_touchpoint(consider, "Reviews", channel="reviews")
    checkout = j.add_touchpoint(purchase, "Checkout", channel="website", owner="Web team")
    j.set_emotion(colleen, touchpoint=search, score=-1, feeling="overwhelmed", thought="So many models")
    j.set_emotion(colleen, stage=consider, score=1, source="survey", n=40)
    j.set_emotion(bob, touchpoint=checkout, score=2)
    pain1 = j.add_pain_point("Too many results", touchpoint=search, persona=colleen, severity=4, frequency=3)
    pain2 = j.add_pain_point("Slow checkout", stage=purchase, severity=5)
    opp1 = j.add_opportunity("Better filters", touchpoint=search, pain_point=pain1, impact=4, effort=2)
    j.add_opportunity("One-click checkout", stage=purchase, pain_point=pain2)
    j.add_action("Build filters", owner="Web", opportunity=opp1, stage=aware, due="2025-03-01")
    j.add_metric("Conversion", 0.12, stage=purchase, unit="%")
    j.add_metric("CTR", 0.03, touchpoint=ads, persona=bob)
    j.add_empathy(colleen, "says", "I want it cheap")
    j.add_lane("Backstage", {aware: "SEO team", purchase: "Payments"})
    j.map_events(search, ["search", "search_click"])
    j.map_events(checkout, "order_placed")
    return j


@pytest.fixture(scope="session")
def _journey_template() -> tuple[Journey, dict[str, pd.DataFrame], dict[str, Any]]:
    j = build_small_journey()
    return j, {n: df.copy(deep=True) for n, df in j.frames.items()}, j.meta


@pytest.fixture
def journey(_journey_template) -> Iterator[Journey]:
    """A fresh small journey (see module docstring for its ids).

    Built once per session and handed out with ``Journey.copy()`` (cheap: the
    model never mutates a stored frame in place). After each test the template
    is checked against a deep snapshot, so a test can never leak into another.
    """
    template, frames, meta = _journey_template
    yield template.copy()
    assert template.meta == meta
    for name, df in frames.items():
        pd.testing.assert_frame_equal(template.frame(name), df)


@pytest.fixture
def build_journey() -> Callable[[], Journey]:
    """The builder behind ``journey``: a new journey from scratch on each call."""
    return build_small_journey


@pytest.fixture
def empty_journey() -> Journey:
    return Journey("Empty")


class Recorder(list):
    """An observer that keeps every Change it hears."""

    def __call__(self, change: Change) -> None:
        self.append(change)


@pytest.fixture
def events(journey: Journey) -> Recorder:
    """Changes heard by an observer of ``journey`` (attached after it was built)."""
    rec = Recorder()
    journey.observe(rec)
    return rec


def check_ordered(j: Journey) -> None:
    """Stages and touchpoints have positions 0..n-1 (per stage) and come sorted."""
    st = j.stages
    assert st["order"].tolist() == list(range(len(st)))
    tp = j.touchpoints
    stage_rank = dict(zip(st["id"], st["order"], strict=True))
    keys = [(stage_rank[s], o) for s, o in zip(tp["stage_id"], tp["order"], strict=True)]
    assert keys == sorted(keys), "touchpoints not sorted by stage position, then position"
    for _, group in tp.groupby("stage_id"):
        assert sorted(group["order"].tolist()) == list(range(len(group)))


@pytest.fixture
def assert_ordered() -> Callable[[Journey], None]:
    return check_ordered


def assert_same_journey(j: Journey, before: Journey) -> None:
    assert j.equals(before)
    assert j.meta == before.meta
    for name in FRAMES:
        pd.testing.assert_frame_equal(j.frame(name), before.frame(name))


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


# -- Browser tests ----------------------------------------------------------------------------
# Playwright fixtures from tests/browser.py (``browser``: one Chromium per session;
# ``open_offline``: a page with the network blocked), registered here exactly once.
pytest.register_assert_rewrite("tests.browser")
from .browser import browser, open_offline  # noqa: E402, F401

# -- Parallel runs (pytest-xdist): worker count, Spark modules kept together, slow files first --
from .parallel import pytest_xdist_auto_num_workers, pytest_xdist_make_scheduler  # noqa: E402, F401


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the local Spark session the Spark test modules share (each module reuses it).

    Under xdist this runs in each worker (the Spark modules all go to one, see parallel.py)
    and in the controller, which never imports pyspark.
    """
    spark_sql = sys.modules.get("pyspark.sql")
    active = spark_sql.SparkSession.getActiveSession() if spark_sql is not None else None
    if active is not None:
        active.stop()
