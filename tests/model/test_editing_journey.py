"""Journey's editing methods on the whole map: generic operations, meta, copy and equals, unicode."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cjm_jupyter import Journey

from ..support.journeys import ids, row

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
