"""Every public editing method of Journey, on the small journey from conftest."""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import Journey, ValidationError


def row(j: Journey, frame: str, row_id: str) -> dict:
    """One row as a dict, cells as stored (pd.NA / NaT for missing)."""
    df = j.frame(frame)
    hits = (df["id"] == row_id).to_numpy(dtype=bool, na_value=False).nonzero()[0]
    assert len(hits) == 1, f"{frame} has {len(hits)} rows with id {row_id!r}"
    return {c: df[c].iloc[hits[0]] for c in df.columns}


def ids(j: Journey, frame: str) -> list[str]:
    return j.frame(frame)["id"].tolist()


# -- fixture sanity --------------------------------------------------------------


def test_fixture_builds_expected_ids(journey):
    assert ids(journey, "personas") == ["curious-colleen", "busy-bob"]
    assert ids(journey, "stages") == ["awareness", "consideration", "purchase"]
    assert ids(journey, "touchpoints") == ["search-engine", "ads", "reviews", "checkout"]
    assert ids(journey, "emotions") == ["emo-1", "emo-2", "emo-3"]
    assert ids(journey, "pain_points") == ["pain-1", "pain-2"]
    assert ids(journey, "opportunities") == ["opp-1", "opp-2"]
    assert ids(journey, "actions") == ["act-1"]
    assert ids(journey, "metrics") == ["conversion", "ctr"]
    assert ids(journey, "empathy") == ["emp-1"]
    assert ids(journey, "lanes") == ["backstage-awareness", "backstage-consideration", "backstage-purchase"]
    assert journey.lane_names == ["Backstage"]


# -- personas ------------------------------------------------------------------


def test_add_persona_returns_slug_id_and_stores_fields(journey):
    pid = journey.add_persona("Thrifty Tom", age="25-34", channels="email", frustrations="Hidden fees")
    assert pid == "thrifty-tom"
    r = row(journey, "personas", pid)
    assert r["name"] == "Thrifty Tom"
    assert r["age"] == "25-34"
    assert r["channels"] == "email"
    assert r["frustrations"] == "Hidden fees"
    assert r["gender"] is pd.NA
    assert ids(journey, "personas")[-1] == "thrifty-tom"


def test_add_persona_with_explicit_id(journey):
    assert journey.add_persona("Ann", id="p-ann") == "p-ann"
    assert row(journey, "personas", "p-ann")["name"] == "Ann"


def test_add_persona_same_name_gets_suffixed_id(journey):
    assert journey.add_persona("Busy Bob") == "busy-bob-2"
    assert journey.add_persona("Busy Bob") == "busy-bob-3"
    assert journey.personas["name"].tolist().count("Busy Bob") == 3


def test_update_persona_sets_only_given_fields(journey):
    journey.update_persona("busy-bob", age="41", goals="Save time")
    r = row(journey, "personas", "busy-bob")
    assert (r["name"], r["age"], r["goals"], r["occupation"]) == ("Busy Bob", "41", "Save time", "Nurse")


def test_update_persona_none_clears_optional_field(journey):
    journey.update_persona("busy-bob", occupation=None)
    assert row(journey, "personas", "busy-bob")["occupation"] is pd.NA


def test_update_persona_unknown_id(journey, rejects):
    rejects(
        journey,
        lambda: journey.update_persona("nobody", age="3"),
        r"^frame 'personas', row 'nobody': no persona with this id$",
        frame="personas",
        row_id="nobody",
    )


def test_remove_persona_without_dependents(journey):
    pid = journey.add_persona("Lonely Lou")
    journey.remove_persona(pid)
    assert pid not in ids(journey, "personas")


def test_remove_persona_cascade(journey):
    journey.remove_persona("curious-colleen", cascade=True)
    assert ids(journey, "personas") == ["busy-bob"]
    assert ids(journey, "emotions") == ["emo-3"]  # emotions cascade
    assert ids(journey, "empathy") == []  # empathy cascades
    # pain point's persona link is optional (set_null): the pain point stays, unlinked
    assert row(journey, "pain_points", "pain-1")["persona_id"] is pd.NA
    assert ids(journey, "pain_points") == ["pain-1", "pain-2"]


def test_remove_persona_cascade_removes_metrics_of_persona(journey):
    journey.remove_persona("busy-bob", cascade=True)
    assert ids(journey, "metrics") == ["conversion"]
    assert ids(journey, "emotions") == ["emo-1", "emo-2"]


# -- stages ----------------------------------------------------------------------


def test_add_stage_appends_at_end(journey, assert_ordered):
    sid = journey.add_stage("Loyalty", description="Comes back")
    assert sid == "loyalty"
    st = journey.stages
    assert st["id"].tolist()[-1] == "loyalty"
    assert row(journey, "stages", "loyalty") == {
        "id": "loyalty",
        "name": "Loyalty",
        "description": "Comes back",
        "order": 3,
    }
    assert_ordered(journey)


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (0, ["intro", "awareness", "consideration", "purchase"]),
        (1, ["awareness", "intro", "consideration", "purchase"]),
        (3, ["awareness", "consideration", "purchase", "intro"]),
    ],
)
def test_add_stage_at_position_shifts_others(journey, assert_ordered, position, expected):
    journey.add_stage("Intro", position=position)
    assert ids(journey, "stages") == expected
    assert row(journey, "stages", "intro")["order"] == position
    assert_ordered(journey)


def test_add_stage_in_empty_journey(empty_journey):
    assert empty_journey.add_stage("Only") == "only"
    assert empty_journey.stages["order"].tolist() == [0]


def test_update_stage(journey):
    journey.update_stage("consideration", name="Compare", description="Looks at options")
    r = row(journey, "stages", "consideration")
    assert (r["name"], r["description"], r["order"]) == ("Compare", "Looks at options", 1)
    assert ids(journey, "stages") == ["awareness", "consideration", "purchase"]


def test_update_with_no_fields_changes_nothing(journey, events):
    before = journey.copy()
    journey.update_stage("awareness")
    assert journey.equals(before)
    assert events == []


def test_update_without_fields_still_checks_the_id(journey):
    with pytest.raises(ValidationError, match="no stage with this id"):
        journey.update_stage("no-such-stage")


def test_remove_stage_without_dependents_renumbers(journey, assert_ordered):
    sid = journey.add_stage("Intro", position=0)
    journey.remove_stage(sid)
    assert ids(journey, "stages") == ["awareness", "consideration", "purchase"]
    assert_ordered(journey)


def test_remove_stage_blocked_by_dependents(journey, rejects):
    rejects(
        journey,
        lambda: journey.remove_stage("consideration"),
        r"^frame 'stages', row 'consideration': still used by touchpoints 'reviews'; "
        r"pass cascade=True to remove or unlink them too$",
        frame="stages",
        row_id="consideration",
        column=None,
    )


def test_remove_stage_cascade(journey, assert_ordered):
    journey.remove_stage("awareness", cascade=True)
    assert ids(journey, "stages") == ["consideration", "purchase"]
    assert journey.stages["order"].tolist() == [0, 1]
    assert ids(journey, "touchpoints") == ["reviews", "checkout"]
    assert ids(journey, "emotions") == ["emo-2", "emo-3"]  # emo-1 sat at search-engine
    assert ids(journey, "pain_points") == ["pain-2"]  # pain-1 sat at search-engine
    assert ids(journey, "metrics") == ["conversion"]  # ctr sat at ads
    assert ids(journey, "lanes") == ["backstage-consideration", "backstage-purchase"]
    # optional links are cleared, the rows stay
    opp1 = row(journey, "opportunities", "opp-1")
    assert opp1["touchpoint_id"] is pd.NA and opp1["pain_point_id"] is pd.NA
    act = row(journey, "actions", "act-1")
    assert act["stage_id"] is pd.NA and act["opportunity_id"] == "opp-1"
    assert_ordered(journey)


def test_remove_several_stages_at_once(journey):
    journey.remove("stages", ["awareness", "purchase"], cascade=True)
    assert ids(journey, "stages") == ["consideration"]
    assert journey.stages["order"].tolist() == [0]
    assert ids(journey, "touchpoints") == ["reviews"]


@pytest.mark.parametrize(
    ("stage", "position", "expected"),
    [
        ("purchase", 0, ["purchase", "awareness", "consideration"]),
        ("purchase", 1, ["awareness", "purchase", "consideration"]),
        ("awareness", 2, ["consideration", "purchase", "awareness"]),
        ("awareness", 1, ["consideration", "awareness", "purchase"]),
        ("consideration", 1, ["awareness", "consideration", "purchase"]),
    ],
)
def test_move_stage(journey, assert_ordered, stage, position, expected):
    journey.move_stage(stage, position)
    assert ids(journey, "stages") == expected
    assert_ordered(journey)


def test_move_stage_resorts_touchpoints(journey, assert_ordered):
    journey.move_stage("purchase", 0)
    assert ids(journey, "touchpoints") == ["checkout", "search-engine", "ads", "reviews"]
    assert_ordered(journey)


def test_reorder_stages(journey, assert_ordered):
    journey.reorder_stages(["consideration", "purchase", "awareness"])
    assert ids(journey, "stages") == ["consideration", "purchase", "awareness"]
    assert ids(journey, "touchpoints") == ["reviews", "checkout", "search-engine", "ads"]
    assert_ordered(journey)


# -- touchpoints -------------------------------------------------------------------


def test_add_touchpoint_appends_in_stage(journey, assert_ordered):
    tid = journey.add_touchpoint(
        "awareness",
        "Friend",
        channel="word of mouth",
        action="Asks",
        description="d",
        optimisation="o",
        owner="PR",
    )
    assert tid == "friend"
    assert row(journey, "touchpoints", tid) == {
        "id": "friend",
        "stage_id": "awareness",
        "name": "Friend",
        "channel": "word of mouth",
        "action": "Asks",
        "description": "d",
        "optimisation": "o",
        "owner": "PR",
        "order": 2,
    }
    assert ids(journey, "touchpoints") == ["search-engine", "ads", "friend", "reviews", "checkout"]
    assert_ordered(journey)


def test_add_touchpoint_at_position(journey, assert_ordered):
    journey.add_touchpoint("awareness", "Friend", position=0)
    assert ids(journey, "touchpoints") == ["friend", "search-engine", "ads", "reviews", "checkout"]
    assert row(journey, "touchpoints", "ads")["order"] == 2
    # other stages untouched
    assert row(journey, "touchpoints", "reviews")["order"] == 0
    assert_ordered(journey)


def test_add_touchpoint_to_empty_stage(journey, assert_ordered):
    sid = journey.add_stage("Loyalty")
    tid = journey.add_touchpoint(sid, "Newsletter", position=0)
    assert row(journey, "touchpoints", tid)["order"] == 0
    assert ids(journey, "touchpoints")[-1] == tid
    assert_ordered(journey)


def test_update_touchpoint(journey):
    journey.update_touchpoint("ads", name="Display ads", owner="Marketing")
    r = row(journey, "touchpoints", "ads")
    assert (r["name"], r["owner"], r["stage_id"], r["order"]) == ("Display ads", "Marketing", "awareness", 1)


def test_remove_touchpoint_renumbers_stage(journey, assert_ordered):
    journey.remove_touchpoint("search-engine", cascade=True)
    assert row(journey, "touchpoints", "ads")["order"] == 0
    assert ids(journey, "emotions") == ["emo-2", "emo-3"]
    assert ids(journey, "pain_points") == ["pain-2"]
    opp1 = row(journey, "opportunities", "opp-1")
    assert opp1["touchpoint_id"] is pd.NA
    assert opp1["pain_point_id"] is pd.NA
    assert_ordered(journey)


def test_remove_touchpoint_without_dependents(journey, assert_ordered):
    journey.remove_touchpoint("reviews")
    assert "reviews" not in ids(journey, "touchpoints")
    assert_ordered(journey)


def test_move_touchpoint_within_stage(journey, assert_ordered):
    journey.move_touchpoint("ads", position=0)
    assert ids(journey, "touchpoints") == ["ads", "search-engine", "reviews", "checkout"]
    assert row(journey, "touchpoints", "search-engine")["order"] == 1
    assert_ordered(journey)


def test_move_touchpoint_within_stage_default_position_is_last(journey, assert_ordered):
    journey.move_touchpoint("search-engine")
    assert ids(journey, "touchpoints")[:2] == ["ads", "search-engine"]
    assert row(journey, "touchpoints", "search-engine")["order"] == 1
    assert_ordered(journey)


def test_move_touchpoint_same_stage_given_explicitly_default_last(journey, assert_ordered):
    journey.move_touchpoint("search-engine", stage="awareness")
    assert ids(journey, "touchpoints")[:2] == ["ads", "search-engine"]
    assert_ordered(journey)


def test_move_touchpoint_across_stages_default_position_is_end(journey, assert_ordered):
    journey.move_touchpoint("search-engine", stage="consideration")
    r = row(journey, "touchpoints", "search-engine")
    assert (r["stage_id"], r["order"]) == ("consideration", 1)
    assert row(journey, "touchpoints", "ads")["order"] == 0
    assert ids(journey, "touchpoints") == ["ads", "reviews", "search-engine", "checkout"]
    assert_ordered(journey)


def test_move_touchpoint_across_stages_at_position(journey, assert_ordered):
    journey.move_touchpoint("ads", stage="purchase", position=0)
    assert ids(journey, "touchpoints") == ["search-engine", "reviews", "ads", "checkout"]
    assert row(journey, "touchpoints", "checkout")["order"] == 1
    assert row(journey, "touchpoints", "ads")["stage_id"] == "purchase"
    assert_ordered(journey)


def test_move_touchpoint_into_empty_stage(journey, assert_ordered):
    sid = journey.add_stage("Loyalty")
    journey.move_touchpoint("checkout", stage=sid)
    r = row(journey, "touchpoints", "checkout")
    assert (r["stage_id"], r["order"]) == ("loyalty", 0)
    assert_ordered(journey)


def test_move_touchpoint_keeps_dependents(journey):
    journey.move_touchpoint("search-engine", stage="purchase")
    assert row(journey, "emotions", "emo-1")["touchpoint_id"] == "search-engine"
    assert row(journey, "pain_points", "pain-1")["touchpoint_id"] == "search-engine"


def test_reorder_touchpoints(journey, assert_ordered):
    journey.reorder_touchpoints(["ads", "search-engine"])
    assert ids(journey, "touchpoints") == ["ads", "search-engine", "reviews", "checkout"]
    assert_ordered(journey)


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


# -- generic operations ---------------------------------------------------------------


def test_generic_add_returns_id_and_generates_prefix_ids(journey):
    assert journey.add("empathy", persona_id="busy-bob", quadrant="feels", text="Tired") == "emp-2"
    assert journey.add("actions", description="a", status="done") == "act-2"
    assert (
        journey.add(
            "emotions", persona_id="busy-bob", stage_id="awareness", score=0, source="s", basis="measured"
        )
        == "emo-4"
    )


def test_generic_add_ordered_with_position(journey, assert_ordered):
    tid = journey.add("touchpoints", stage_id="consideration", name="Compare site", position=0)
    assert ids(journey, "touchpoints") == ["search-engine", "ads", tid, "reviews", "checkout"]
    assert_ordered(journey)


def test_generic_update(journey):
    journey.update("opportunities", "opp-2", impact=5, effort=1, description="1-click")
    r = row(journey, "opportunities", "opp-2")
    assert (r["impact"], r["effort"], r["description"]) == (5, 1, "1-click")


def test_generic_update_can_relink_emotion(journey):
    journey.update("emotions", "emo-3", touchpoint_id=None, stage_id="purchase")
    r = row(journey, "emotions", "emo-3")
    assert r["touchpoint_id"] is pd.NA
    assert r["stage_id"] == "purchase"


def test_generic_remove_accepts_one_id_or_many(journey):
    journey.remove("empathy", "emp-1")
    assert ids(journey, "empathy") == []
    journey.remove("actions", ["act-1"])
    assert ids(journey, "actions") == []


def test_generic_remove_opportunity_unlinks_actions(journey):
    journey.remove("opportunities", "opp-1", cascade=True)
    assert row(journey, "actions", "act-1")["opportunity_id"] is pd.NA


def test_generic_remove_pain_point_unlinks_opportunities(journey):
    journey.remove("pain_points", "pain-1", cascade=True)
    assert row(journey, "opportunities", "opp-1")["pain_point_id"] is pd.NA
    assert ids(journey, "opportunities") == ["opp-1", "opp-2"]


def test_generic_move_stage(journey, assert_ordered):
    journey.move("stages", "awareness", 2)
    assert ids(journey, "stages") == ["consideration", "purchase", "awareness"]
    assert_ordered(journey)


def test_generic_move_touchpoint_with_group(journey, assert_ordered):
    journey.move("touchpoints", "reviews", 1, group="awareness")
    assert ids(journey, "touchpoints") == ["search-engine", "reviews", "ads", "checkout"]
    assert row(journey, "touchpoints", "reviews")["stage_id"] == "awareness"
    assert_ordered(journey)


def test_generic_reorder(journey, assert_ordered):
    journey.reorder("stages", ["purchase", "consideration", "awareness"])
    assert ids(journey, "stages") == ["purchase", "consideration", "awareness"]
    journey.reorder("touchpoints", ["ads", "search-engine"])
    assert ids(journey, "touchpoints") == ["checkout", "reviews", "ads", "search-engine"]
    assert_ordered(journey)


# -- meta --------------------------------------------------------------------------


def test_meta_values(journey):
    meta = journey.meta
    # the fixture was edited after it was made: updated_at holds the instant (UTC, seconds)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta.pop("updated_at"))
    assert meta == {
        "name": "Buying a vacuum cleaner",
        "scenario": "First purchase online",
        "kind": "current_state",
        "description": "Test map",
        "version": None,
        "owner": None,
        "reviewed_at": None,
    }
    assert journey.name == "Buying a vacuum cleaner"
    assert journey.scenario == "First purchase online"
    assert journey.kind == "current_state"
    assert journey.description == "Test map"


def test_meta_is_a_copy(journey):
    m = journey.meta
    m["name"] = "changed"
    assert journey.name == "Buying a vacuum cleaner"


def test_set_meta(journey):
    journey.set_meta(name="New", scenario=None, kind="future_state", description="D", version="2", owner="CX")
    meta = journey.meta
    assert meta.pop("updated_at") is not None
    assert meta == {
        "name": "New",
        "scenario": None,
        "kind": "future_state",
        "description": "D",
        "version": "2",
        "owner": "CX",
        "reviewed_at": None,
    }


@pytest.mark.parametrize(
    ("attr", "value"),
    [
        ("name", "Renamed"),
        ("scenario", "Fix returns"),
        ("scenario", None),
        ("kind", "day_in_the_life"),
        ("kind", "empathy_map"),
        ("description", None),
        ("description", "Longer text"),
        ("version", "2026-Q3"),
        ("version", None),
        ("owner", "CX team"),
        ("reviewed_at", "2026-11-30"),
        ("reviewed_at", None),
    ],
)
def test_meta_setters(journey, attr, value):
    setattr(journey, attr, value)
    assert getattr(journey, attr) == value
    assert journey.meta[attr] == value


def test_constructor_defaults():
    j = Journey()
    assert j.meta == {
        "name": "Untitled journey",
        "scenario": None,
        "kind": "current_state",
        "description": None,
        "version": None,
        "owner": None,
        "updated_at": None,
        "reviewed_at": None,
    }
    for name, df in j.frames.items():
        assert df.empty, name


# -- copy and equals ------------------------------------------------------------------


def test_copy_is_equal_and_independent(journey):
    twin = journey.copy()
    assert twin.equals(journey) and journey.equals(twin)
    assert isinstance(twin, Journey)
    twin.add_stage("Loyalty")
    twin.name = "Twin"
    assert not twin.equals(journey)
    assert "loyalty" not in ids(journey, "stages")
    assert journey.name == "Buying a vacuum cleaner"
    journey.remove_lane("Backstage")
    assert twin.lane_names == ["Backstage"]


def test_copy_keeps_the_subclass(build_journey):
    class MyJourney(Journey):
        def stage_names(self) -> list[str]:
            return self.stages["name"].tolist()

    mine = MyJourney("Mine")
    mine.replace_frame("stages", build_journey().stages)
    twin = mine.copy()
    assert type(twin) is MyJourney
    assert twin.stage_names() == ["Awareness", "Consideration", "Purchase"]
    assert twin.equals(mine)


def test_copy_does_not_copy_observers(journey, events):
    twin = journey.copy()
    twin.add_stage("Loyalty")
    assert events == []


def test_equals_detects_differences(journey):
    other = journey.copy()
    other.update_stage("awareness", description="changed")
    assert not journey.equals(other)
    other = journey.copy()
    other.description = "other"
    assert not journey.equals(other)


def test_equals_other_types(journey):
    assert not journey.equals(None)
    assert not journey.equals("journey")
    assert not journey.equals(journey.frames)


def test_equals_compares_dtypes():
    a, b = Journey("A"), Journey("A")
    a.add_stage("S", weight=1)
    b.add_stage("S", weight=1.0)
    assert a.stages["weight"].dtype == "Int64"
    assert b.stages["weight"].dtype == "Float64"
    assert not a.equals(b)


def test_equals_same_content_built_separately(journey, build_journey):
    fresh = build_journey()
    assert fresh is not journey
    assert fresh.equals(journey)


# -- unicode -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Осведомлённость", "осведомлённость"),
        ("Выбор товара", "выбор-товара"),
        ("Zażółć gęślą jaźń", "zażółć-gęślą-jaźń"),
        ("Łódź", "łódź"),
        ("Ķēdes Ģimene", "ķēdes-ģimene"),
        ("Pirkšana un Šūšana", "pirkšana-un-šūšana"),
        ("🚀 Launch", "launch"),
        ("Happy 😀 path", "happy-path"),
        ("  Awareness — first contact!  ", "awareness-first-contact"),
    ],
)
def test_unicode_stage_names_give_readable_ids(empty_journey, name, slug):
    sid = empty_journey.add_stage(name)
    assert sid == slug
    assert empty_journey.stages["name"].tolist() == [name]


def test_emoji_only_name_falls_back_to_prefix(empty_journey):
    empty_journey.add_stage("A")
    sid = empty_journey.add_stage("🎉")
    assert sid == "stage-2"
    assert row(empty_journey, "stages", sid)["name"] == "🎉"


def test_unicode_persona_and_lane(empty_journey):
    pid = empty_journey.add_persona("Мария Иванова", avatar="👩‍💻", location="Rīga")
    assert pid == "мария-иванова"
    r = row(empty_journey, "personas", pid)
    assert (r["name"], r["avatar"], r["location"]) == ("Мария Иванова", "👩‍💻", "Rīga")
    sid = empty_journey.add_stage("Zakup")
    empty_journey.add_lane("Задний план", {sid: "Склад 📦"})
    assert empty_journey.lane_names == ["Задний план"]
    assert row(empty_journey, "lanes", "задний-план-zakup")["text"] == "Склад 📦"


def test_unicode_touchpoint_ids_with_collisions(journey):
    a = journey.add_touchpoint("awareness", "Żabka")
    b = journey.add_touchpoint("awareness", "żabka!")
    assert (a, b) == ("żabka", "żabka-2")


def test_slug_is_capped_at_40_characters(empty_journey):
    sid = empty_journey.add_stage("x" * 100)
    assert sid == "x" * 40


def test_truncated_slug_does_not_end_with_separator(empty_journey):
    sid = empty_journey.add_stage("a" * 39 + " b")
    assert not sid.endswith("-")
    assert sid == "a" * 39
