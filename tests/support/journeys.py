"""The small journey of the model tests, built through the public API only, and checks on journeys.

``build_small_journey()`` is what the ``journey`` fixture (tests/conftest.py) hands out a copy of:

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

import re

from cjm_jupyter import Change, Journey
from cjm_jupyter.model.specs import FRAMES

from .frames import assert_same_frame


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


class Recorder(list):
    """An observer that keeps every Change it hears."""

    def __call__(self, change: Change) -> None:
        self.append(change)


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


def assert_same_journey(j: Journey, before: Journey) -> None:
    assert j.equals(before)
    assert j.meta == before.meta
    for name in FRAMES:
        assert_same_frame(j.frame(name), before.frame(name), obj=name)


def exact(message: str) -> str:
    """A regex matching exactly ``message``."""
    return "^" + re.escape(message) + "$"


def row(j: Journey, frame: str, row_id: str) -> dict:
    """One row as a dict, cells as stored (pd.NA / NaT for missing)."""
    df = j.frame(frame)
    hits = (df["id"] == row_id).to_numpy(dtype=bool, na_value=False).nonzero()[0]
    assert len(hits) == 1, f"{frame} has {len(hits)} rows with id {row_id!r}"
    return {c: df[c].iloc[hits[0]] for c in df.columns}


def ids(j: Journey, frame: str) -> list[str]:
    return j.frame(frame)["id"].tolist()
