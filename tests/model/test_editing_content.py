"""Journey's editing methods for a map's content.

Emotions, pain points, opportunities, actions, metrics, empathy and lanes, on the small
journey of tests/conftest.py.
"""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from ..support.journeys import ids, row

# -- emotions ----------------------------------------------------------------------


def test_set_emotion_inserts_at_touchpoint(journey):
    eid = journey.set_emotion("busy-bob", touchpoint="ads", score=-0.5, feeling="annoyed", thought="Again?")
    assert eid == "emo-4"
    r = row(journey, "emotions", eid)
    assert r["persona_id"] == "busy-bob"
    assert r["touchpoint_id"] == "ads"
    assert r["stage_id"] is pd.NA
    assert r["score"] == -0.5
    assert (r["feeling"], r["thought"]) == ("annoyed", "Again?")
    assert (r["source"], r["basis"]) == ("assumption", "assumed")
    assert r["n"] is pd.NA


def test_set_emotion_inserts_at_stage_with_sample_size(journey):
    eid = journey.set_emotion("busy-bob", stage="purchase", score=1.25, source="survey", n=120)
    r = row(journey, "emotions", eid)
    assert (r["stage_id"], r["score"], r["source"], r["basis"], r["n"]) == (
        "purchase",
        1.25,
        "survey",
        "measured",
        120,
    )


def test_set_emotion_without_persona(journey):
    eid = journey.set_emotion(None, stage="awareness", score=0)
    assert row(journey, "emotions", eid)["persona_id"] is pd.NA


@pytest.mark.parametrize("score", [-2, 2, 0, -2.0, 1.999])
def test_set_emotion_score_bounds_inclusive(journey, score):
    eid = journey.set_emotion("busy-bob", stage="awareness", score=score)
    assert row(journey, "emotions", eid)["score"] == score


@pytest.mark.parametrize(
    ("source", "basis"),
    [
        ("assumption", "assumed"),
        ("workshop", "assumed"),
        ("hypothesis", "assumed"),
        ("assumed", "assumed"),
        ("  Workshop ", "assumed"),
        ("ASSUMPTION", "assumed"),
        ("survey", "measured"),
        ("interview", "measured"),
        ("analytics", "measured"),
    ],
)
def test_set_emotion_basis_defaults_from_source(journey, source, basis):
    eid = journey.set_emotion("busy-bob", stage="awareness", score=0, source=source)
    assert row(journey, "emotions", eid)["basis"] == basis


def test_set_emotion_explicit_basis_wins(journey):
    eid = journey.set_emotion("busy-bob", stage="awareness", score=0, source="workshop", basis="measured")
    assert row(journey, "emotions", eid)["basis"] == "measured"


def test_set_emotion_upserts_same_persona_place_source(journey):
    before = len(journey.emotions)
    eid = journey.set_emotion("curious-colleen", touchpoint="search-engine", score=1.5)
    assert eid == "emo-1"
    assert len(journey.emotions) == before
    r = row(journey, "emotions", "emo-1")
    assert r["score"] == 1.5
    # fields not given (None) keep their recorded values
    assert (r["feeling"], r["thought"]) == ("overwhelmed", "So many models")


def test_set_emotion_upsert_updates_given_fields(journey):
    journey.set_emotion(
        "curious-colleen", stage="consideration", score=-1, source="survey", feeling="unsure", n=55
    )
    r = row(journey, "emotions", "emo-2")
    assert (r["score"], r["feeling"], r["n"], r["basis"]) == (-1.0, "unsure", 55, "measured")
    assert len(journey.emotions) == 3


def test_set_emotion_upsert_without_persona(journey):
    first = journey.set_emotion(None, stage="awareness", score=0.5, source="nps")
    second = journey.set_emotion(None, stage="awareness", score=-0.5, source="nps", thought="meh")
    assert first == second
    r = row(journey, "emotions", first)
    assert (r["score"], r["thought"], r["basis"]) == (-0.5, "meh", "measured")


def test_set_emotion_other_source_is_a_new_row(journey):
    eid = journey.set_emotion("curious-colleen", touchpoint="search-engine", score=0, source="interview")
    assert eid != "emo-1"
    assert len(journey.emotions) == 4
    assert row(journey, "emotions", "emo-1")["score"] == -1


def test_set_emotion_other_place_is_a_new_row(journey):
    eid = journey.set_emotion("curious-colleen", touchpoint="ads", score=0)
    assert eid not in ("emo-1", "emo-2", "emo-3")
    assert len(journey.emotions) == 4


def test_set_emotion_extra_fields(journey):
    eid = journey.set_emotion("busy-bob", stage="awareness", score=1, wave="2024-Q1")
    assert row(journey, "emotions", eid)["wave"] == "2024-Q1"
    assert pd.isna(row(journey, "emotions", "emo-1")["wave"])


# -- pain points, opportunities, actions, metrics, empathy -----------------------------


def test_add_pain_point(journey):
    pid = journey.add_pain_point(
        "Confusing specs",
        stage="consideration",
        persona="busy-bob",
        severity=3,
        frequency=5,
        evidence="tickets",
    )
    assert pid == "pain-3"
    r = row(journey, "pain_points", pid)
    assert r["touchpoint_id"] is pd.NA
    assert (r["stage_id"], r["persona_id"], r["severity"], r["frequency"]) == (
        "consideration",
        "busy-bob",
        3,
        5,
    )
    assert (r["description"], r["evidence"], r["source"], r["basis"]) == (
        "Confusing specs",
        "tickets",
        "assumption",
        "assumed",
    )


def test_add_pain_point_basis_from_source(journey):
    pid = journey.add_pain_point("x", touchpoint="ads", source="support tickets")
    assert row(journey, "pain_points", pid)["basis"] == "measured"
    pid = journey.add_pain_point("y", touchpoint="ads", source="survey", basis="assumed")
    assert row(journey, "pain_points", pid)["basis"] == "assumed"


def test_add_pain_point_with_explicit_id(journey):
    assert journey.add_pain_point("x", stage="purchase", id="p-x") == "p-x"


def test_add_opportunity(journey):
    oid = journey.add_opportunity(
        "Chat support", touchpoint="checkout", pain_point="pain-2", impact=3, effort=5
    )
    assert oid == "opp-3"
    r = row(journey, "opportunities", oid)
    assert (r["description"], r["touchpoint_id"], r["pain_point_id"], r["impact"], r["effort"]) == (
        "Chat support",
        "checkout",
        "pain-2",
        3,
        5,
    )
    assert r["stage_id"] is pd.NA


def test_add_opportunity_without_place(journey):
    # stage/touchpoint are optional for opportunities (at most one)
    oid = journey.add_opportunity("Loyalty programme")
    r = row(journey, "opportunities", oid)
    assert r["stage_id"] is pd.NA and r["touchpoint_id"] is pd.NA and r["pain_point_id"] is pd.NA


def test_add_action(journey):
    aid = journey.add_action(
        "Ship it", owner="Ops", status="in_progress", due=date(2025, 6, 1), stage="purchase"
    )
    assert aid == "act-2"
    r = row(journey, "actions", aid)
    assert (r["description"], r["owner"], r["status"], r["stage_id"]) == (
        "Ship it",
        "Ops",
        "in_progress",
        "purchase",
    )
    assert r["due"] == pd.Timestamp("2025-06-01")
    assert r["opportunity_id"] is pd.NA
    assert journey.actions["due"].dtype == "datetime64[us]"


@pytest.mark.parametrize(
    "due",
    [
        "2025-03-01",
        date(2025, 3, 1),
        datetime(2025, 3, 1),
        pd.Timestamp("2025-03-01"),
        pytest.param(np.datetime64("2025-03-01"), id="numpy-datetime64"),
    ],
)
def test_add_action_due_forms(journey, due):
    aid = journey.add_action("x", due=due)
    assert row(journey, "actions", aid)["due"] == pd.Timestamp("2025-03-01")


def test_add_action_default_status_is_planned(journey):
    aid = journey.add_action("Plan")
    r = row(journey, "actions", aid)
    assert r["status"] == "planned"
    assert r["due"] is pd.NaT


@pytest.mark.parametrize("status", ["planned", "in_progress", "done", "blocked", "dropped"])
def test_add_action_every_status(journey, status):
    aid = journey.add_action("x", status=status)
    assert row(journey, "actions", aid)["status"] == status


def test_add_metric(journey):
    mid = journey.add_metric("Drop-off", 35.5, touchpoint="checkout", unit="%", segment="mobile", n=900)
    assert mid == "drop-off"
    r = row(journey, "metrics", mid)
    assert (r["name"], r["value"], r["unit"], r["touchpoint_id"], r["segment"], r["n"]) == (
        "Drop-off",
        35.5,
        "%",
        "checkout",
        "mobile",
        900,
    )
    assert (r["source"], r["basis"]) == ("analytics", "measured")
    assert journey.metrics["value"].dtype == "Float64"


def test_add_metric_assumed_source(journey):
    mid = journey.add_metric("Guess", 1, stage="awareness", source="workshop")
    r = row(journey, "metrics", mid)
    assert (r["value"], r["basis"]) == (1.0, "assumed")


def test_add_metric_without_place(journey):
    mid = journey.add_metric("NPS", 42)
    r = row(journey, "metrics", mid)
    assert r["stage_id"] is pd.NA and r["touchpoint_id"] is pd.NA


@pytest.mark.parametrize("quadrant", ["says", "thinks", "does", "feels"])
def test_add_empathy(journey, quadrant):
    eid = journey.add_empathy("busy-bob", quadrant, "Needs speed", source="interview")
    r = row(journey, "empathy", eid)
    assert (r["persona_id"], r["quadrant"], r["text"], r["source"]) == (
        "busy-bob",
        quadrant,
        "Needs speed",
        "interview",
    )


# -- lanes -------------------------------------------------------------------------


def test_add_lane_creates_one_cell_per_stage(journey):
    journey.add_lane("Frontstage", {"consideration": "Sales reps"})
    lanes = journey.lanes
    cells = lanes.loc[lanes["lane"] == "Frontstage"]
    assert cells["stage_id"].tolist() == ["awareness", "consideration", "purchase"]
    assert cells["id"].tolist() == ["frontstage-awareness", "frontstage-consideration", "frontstage-purchase"]
    assert cells["text"].tolist()[1] == "Sales reps"
    assert cells["text"].isna().tolist() == [True, False, True]
    assert journey.lane_names == ["Backstage", "Frontstage"]


def test_add_lane_existing_name(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_lane("Backstage"),
        r"^frame 'lanes', column 'lane', value 'Backstage': a lane with this name exists$",
        frame="lanes",
        column="lane",
        value="Backstage",
    )


def test_add_lane_unknown_stage(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_lane("Front", {"awareness": "ok", "nowhere": "x"}),
        r"^frame 'lanes', column 'stage_id', value 'nowhere': unknown stage id \(no such row in 'stages'\)$",
        frame="lanes",
        column="stage_id",
        value="nowhere",
    )


@pytest.mark.parametrize("cells", [None, {}, {"nowhere": "x"}], ids=["no cells", "empty cells", "cells"])
def test_add_lane_without_stages_is_rejected(empty_journey, rejects, cells):
    # A lane lives in its cells (one per stage): with no stages it could hold nothing.
    err = rejects(
        empty_journey,
        lambda: empty_journey.add_lane("Backstage", cells),
        r"^frame 'lanes', column 'lane', value 'Backstage': add stages before lanes: "
        r"a lane holds one cell per stage$",
        frame="lanes",
        column="lane",
        value="Backstage",
    )
    assert err.row_id is None
    assert empty_journey.lane_names == []
    assert empty_journey.lanes.empty


def test_add_lane_after_last_stage_removed_is_rejected(empty_journey, rejects):
    sid = empty_journey.add_stage("Only")
    empty_journey.remove_stage(sid)
    rejects(
        empty_journey,
        lambda: empty_journey.add_lane("Backstage"),
        r"^frame 'lanes', column 'lane', value 'Backstage': add stages before lanes",
        frame="lanes",
        column="lane",
    )


def test_add_lane_failing_cell_rolls_back_all_cells(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_lane("Front", {"awareness": "ok", "purchase": ["not", "a", "cell"]}),
        r"not a container",
        frame="lanes",
        column="text",
    )


def test_set_lane_cell_updates_existing(journey):
    journey.set_lane_cell("Backstage", "consideration", "Review team")
    assert row(journey, "lanes", "backstage-consideration")["text"] == "Review team"
    assert len(journey.lanes) == 3


def test_set_lane_cell_clears_with_none(journey):
    journey.set_lane_cell("Backstage", "awareness", None)
    assert row(journey, "lanes", "backstage-awareness")["text"] is pd.NA


def test_set_lane_cell_creates_missing_cell(journey):
    sid = journey.add_stage("Loyalty")
    journey.set_lane_cell("Backstage", sid, "CRM")
    r = row(journey, "lanes", "backstage-loyalty")
    assert (r["lane"], r["stage_id"], r["text"]) == ("Backstage", "loyalty", "CRM")


def test_set_lane_cell_creates_new_lane(journey):
    journey.set_lane_cell("Systems", "purchase", "ERP")
    assert journey.lane_names == ["Backstage", "Systems"]
    assert row(journey, "lanes", "systems-purchase")["text"] == "ERP"


def test_set_lane_cell_unknown_stage(journey, rejects):
    rejects(
        journey,
        lambda: journey.set_lane_cell("Backstage", "nowhere", "x"),
        r"^frame 'lanes', row 'backstage-nowhere', column 'stage_id', value 'nowhere': "
        r"unknown stage id \(no such row in 'stages'\)$",
        frame="lanes",
        row_id="backstage-nowhere",
        column="stage_id",
        value="nowhere",
    )


def test_remove_lane(journey):
    journey.add_lane("Systems")
    journey.remove_lane("Backstage")
    assert journey.lane_names == ["Systems"]
    assert set(journey.lanes["lane"]) == {"Systems"}


def test_remove_unknown_lane(journey, rejects):
    rejects(
        journey,
        lambda: journey.remove_lane("Nope"),
        r"^frame 'lanes', column 'lane', value 'Nope': no lane with this name$",
        frame="lanes",
        column="lane",
        value="Nope",
    )


def test_lane_names_in_order_added(journey):
    journey.add_lane("Zeta")
    journey.add_lane("Alpha")
    assert journey.lane_names == ["Backstage", "Zeta", "Alpha"]
    names = journey.lane_names
    names.append("X")  # a new list each time
    assert journey.lane_names == ["Backstage", "Zeta", "Alpha"]


def test_lane_names_empty(empty_journey):
    assert empty_journey.lane_names == []


def test_removing_a_stage_blocked_by_lane_cells(journey, rejects):
    sid = journey.add_stage("Loyalty")
    journey.set_lane_cell("Backstage", sid, "CRM")
    rejects(
        journey,
        lambda: journey.remove_stage(sid),
        r"still used by lanes 'backstage-loyalty'",
        frame="stages",
        row_id="loyalty",
    )
    journey.remove_stage(sid, cascade=True)
    assert "backstage-loyalty" not in ids(journey, "lanes")
