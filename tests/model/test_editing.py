"""Journey's editing methods for personas, stages and touchpoints, on the small journey of conftest."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter import ValidationError

from ..support.journeys import ids, row

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
