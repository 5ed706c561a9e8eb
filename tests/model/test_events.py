"""Change notifications: one Change per logical change, batches, observer errors."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter import Change, Journey, ValidationError


def only(events) -> Change:
    assert len(events) == 1, f"expected exactly one notification, got {events}"
    return events[0]


# -- the Change object ------------------------------------------------------------------


def test_change_defaults_and_immutability():
    ch = Change("add")
    assert (ch.kind, ch.frame, ch.ids, ch.columns, dict(ch.affected), ch.changes) == (
        "add",
        None,
        (),
        (),
        {},
        (),
    )
    with pytest.raises(AttributeError):
        ch.kind = "remove"


# -- one notification per change -----------------------------------------------------------


def test_add_persona_event(journey, events):
    journey.add_persona("Thrifty Tom")
    assert only(events) == Change("add", "personas", ("thrifty-tom",), (), {"personas": ("thrifty-tom",)})


def test_add_stage_event(journey, events):
    journey.add_stage("Loyalty")
    assert only(events) == Change("add", "stages", ("loyalty",), (), {"stages": ("loyalty",)})


def test_add_stage_at_position_reports_renumbered_rows(journey, events):
    journey.add_stage("Intro", position=1)
    assert only(events) == Change(
        "add", "stages", ("intro",), (), {"stages": ("intro", "consideration", "purchase")}
    )


def test_add_touchpoint_at_position_reports_renumbered_rows(journey, events):
    journey.add_touchpoint("awareness", "Friend", position=0)
    assert only(events) == Change(
        "add", "touchpoints", ("friend",), (), {"touchpoints": ("friend", "search-engine", "ads")}
    )


def test_update_event(journey, events):
    journey.update_persona("busy-bob", age="41", goals="Speed")
    assert only(events) == Change(
        "update", "personas", ("busy-bob",), ("age", "goals"), {"personas": ("busy-bob",)}
    )


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.update_stage("awareness", name="Awareness"),
        lambda j: j.update_stage("consideration", description=None),
        lambda j: j.update_persona("busy-bob", occupation="Nurse", age=None),
        lambda j: j.set_emotion("curious-colleen", touchpoint="search-engine", score=-1),
        lambda j: j.set_lane_cell("Backstage", "awareness", "SEO team"),
    ],
    ids=[
        "same name",
        "missing stays missing",
        "several same values",
        "set_emotion same score",
        "same lane cell",
    ],
)
def test_update_without_effect_is_not_announced(journey, events, op):
    # A change that changes nothing is not announced.
    before = journey.copy()
    op(journey)
    assert events == []
    assert journey.equals(before)


def test_update_with_no_fields_is_silent(journey, events):
    journey.update_stage("awareness")
    assert events == []


def test_remove_event_simple(journey, events):
    journey.remove("empathy", "emp-1")
    assert only(events) == Change("remove", "empathy", ("emp-1",), (), {"empathy": ("emp-1",)})


def test_remove_stage_cascade_event(journey, events):
    journey.remove_stage("awareness", cascade=True)
    ch = only(events)
    assert (ch.kind, ch.frame, ch.ids, ch.columns) == ("remove", "stages", ("awareness",), ())
    assert dict(ch.affected) == {
        # renumbered rows first (new order), then the removed one
        "stages": ("consideration", "purchase", "awareness"),
        "touchpoints": ("search-engine", "ads"),
        "emotions": ("emo-1",),
        "pain_points": ("pain-1",),
        "opportunities": ("opp-1",),  # touchpoint and pain point links cleared
        "actions": ("act-1",),  # stage link cleared
        "metrics": ("ctr",),
        "lanes": ("backstage-awareness",),
        "event_map": ("search", "search_click"),  # mappings of removed touchpoints
    }


def test_remove_persona_cascade_event(journey, events):
    journey.remove_persona("curious-colleen", cascade=True)
    ch = only(events)
    assert dict(ch.affected) == {
        "personas": ("curious-colleen",),
        "emotions": ("emo-1", "emo-2"),
        "pain_points": ("pain-1",),  # persona link cleared
        "empathy": ("emp-1",),
    }


def test_remove_touchpoint_cascade_event_includes_renumbered(journey, events):
    journey.remove_touchpoint("search-engine", cascade=True)
    ch = only(events)
    assert ch.ids == ("search-engine",)
    assert dict(ch.affected) == {
        "touchpoints": ("ads", "search-engine"),  # ads renumbered 1 -> 0
        "emotions": ("emo-1",),
        "pain_points": ("pain-1",),
        "opportunities": ("opp-1",),
        "event_map": ("search", "search_click"),
    }


def test_remove_pain_point_cascade_event(journey, events):
    journey.remove("pain_points", "pain-1", cascade=True)
    assert dict(only(events).affected) == {"pain_points": ("pain-1",), "opportunities": ("opp-1",)}


def test_move_stage_event(journey, events):
    journey.move_stage("purchase", 0)
    # touchpoints are re-sorted but their content did not change
    assert only(events) == Change(
        "move", "stages", ("purchase",), (), {"stages": ("purchase", "awareness", "consideration")}
    )


def test_move_touchpoint_within_stage_event(journey, events):
    journey.move_touchpoint("ads", position=0)
    assert only(events) == Change(
        "move", "touchpoints", ("ads",), (), {"touchpoints": ("ads", "search-engine")}
    )


def test_move_touchpoint_across_stages_event(journey, events):
    journey.move_touchpoint("search-engine", stage="consideration", position=0)
    assert only(events) == Change(
        "move", "touchpoints", ("search-engine",), (), {"touchpoints": ("ads", "search-engine", "reviews")}
    )


def test_move_touchpoint_to_end_of_other_stage_event(journey, events):
    journey.move_touchpoint("ads", stage="purchase")
    assert only(events) == Change("move", "touchpoints", ("ads",), (), {"touchpoints": ("ads",)})


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.move_stage("consideration", 1),
        lambda j: j.move_stage("purchase", 2),
        lambda j: j.move_touchpoint("ads", position=1),
        lambda j: j.move_touchpoint("ads"),
        lambda j: j.move_touchpoint("search-engine", stage="awareness", position=0),
        lambda j: j.reorder_stages(["awareness", "consideration", "purchase"]),
        lambda j: j.reorder_touchpoints(["search-engine", "ads"]),
    ],
    ids=[
        "stage same place",
        "last stage same place",
        "touchpoint same place",
        "touchpoint default position",
        "touchpoint own stage named",
        "reorder stages same order",
        "reorder touchpoints same order",
    ],
)
def test_move_to_same_place_is_not_announced(journey, events, op):
    before = journey.copy()
    op(journey)
    assert events == []
    assert journey.equals(before)


def test_reorder_stages_event(journey, events):
    journey.reorder_stages(["consideration", "awareness", "purchase"])
    assert only(events) == Change(
        "move",
        "stages",
        ("consideration", "awareness", "purchase"),
        (),
        {"stages": ("consideration", "awareness")},
    )


def test_reorder_touchpoints_event(journey, events):
    journey.reorder_touchpoints(["ads", "search-engine"])
    assert only(events) == Change(
        "move", "touchpoints", ("ads", "search-engine"), (), {"touchpoints": ("ads", "search-engine")}
    )


def test_replace_frame_event(journey, events):
    df = journey.personas
    df.loc[df["id"] == "busy-bob", "age"] = "50"
    journey.personas = df
    assert only(events) == Change(
        "replace", "personas", ("curious-colleen", "busy-bob"), (), {"personas": ("busy-bob",)}
    )


def test_replace_frame_event_with_added_and_dropped_rows(journey, events):
    df = pd.concat(
        [
            journey.empathy.iloc[0:0],
            pd.DataFrame(
                {"id": ["emp-9"], "persona_id": ["busy-bob"], "quadrant": ["does"], "text": ["Runs"]}
            ),
        ],
        ignore_index=True,
    )
    journey.replace_frame("empathy", df)
    assert only(events) == Change("replace", "empathy", ("emp-9",), (), {"empathy": ("emp-9", "emp-1")})


@pytest.mark.parametrize("frame", ["stages", "touchpoints", "personas", "lanes"])
def test_replace_with_identical_frame_is_not_announced(journey, events, frame):
    before = journey.copy()
    journey.replace_frame(frame, journey.frame(frame))
    assert events == []
    assert journey.equals(before)


def test_replace_with_identical_frame_via_attribute_is_not_announced(journey, events):
    journey.stages = journey.stages
    assert events == []


@pytest.mark.parametrize("frame", ["stages", "empathy", "lanes"])
def test_remove_nothing_is_not_announced(journey, events, frame):
    before = journey.copy()
    journey.remove(frame, [])
    assert events == []
    assert journey.equals(before)


def test_set_meta_event(journey, events):
    journey.set_meta(name="New", kind="future_state")
    assert only(events) == Change("meta", None, (), ("name", "kind"), {})


@pytest.mark.parametrize(
    ("attr", "value"), [("name", "N"), ("scenario", "S"), ("kind", "empathy_map"), ("description", None)]
)
def test_meta_setter_events(journey, events, attr, value):
    setattr(journey, attr, value)
    assert only(events) == Change("meta", None, (), (attr,), {})


def test_set_emotion_insert_event(journey, events):
    journey.set_emotion("busy-bob", stage="awareness", score=0)
    assert only(events) == Change("add", "emotions", ("emo-4",), (), {"emotions": ("emo-4",)})


def test_set_emotion_upsert_event(journey, events):
    journey.set_emotion("curious-colleen", touchpoint="search-engine", score=1, feeling="calmer")
    ch = only(events)
    assert (ch.kind, ch.frame, ch.ids, dict(ch.affected)) == (
        "update",
        "emotions",
        ("emo-1",),
        {"emotions": ("emo-1",)},
    )
    assert {"score", "feeling"} <= set(ch.columns)
    assert "thought" not in ch.columns  # not given, not changed


@pytest.mark.parametrize(
    ("op", "frame", "new_id"),
    [
        (lambda j: j.add_pain_point("x", stage="awareness"), "pain_points", "pain-3"),
        (lambda j: j.add_opportunity("x"), "opportunities", "opp-3"),
        (lambda j: j.add_action("x"), "actions", "act-2"),
        (lambda j: j.add_metric("Rate", 1), "metrics", "rate"),
        (lambda j: j.add_empathy("busy-bob", "feels", "x"), "empathy", "emp-2"),
    ],
)
def test_add_helpers_events(journey, events, op, frame, new_id):
    assert op(journey) == new_id
    assert only(events) == Change("add", frame, (new_id,), (), {frame: (new_id,)})


def test_add_lane_is_one_batch_event(journey, events):
    journey.add_lane("Ops", {"purchase": "Warehouse"})
    ch = only(events)
    cells = ("ops-awareness", "ops-consideration", "ops-purchase")
    assert (ch.kind, ch.frame, ch.ids) == ("batch", None, ())
    assert dict(ch.affected) == {"lanes": cells}
    assert ch.changes == tuple(Change("add", "lanes", (c,), (), {"lanes": (c,)}) for c in cells)


def test_set_lane_cell_events(journey, events):
    journey.set_lane_cell("Backstage", "consideration", "x")
    journey.set_lane_cell("Ops", "purchase", "y")
    assert events == [
        Change(
            "update",
            "lanes",
            ("backstage-consideration",),
            ("text",),
            {"lanes": ("backstage-consideration",)},
        ),
        Change("add", "lanes", ("ops-purchase",), (), {"lanes": ("ops-purchase",)}),
    ]


def test_remove_lane_event(journey, events):
    journey.remove_lane("Backstage")
    cells = ("backstage-awareness", "backstage-consideration", "backstage-purchase")
    assert only(events) == Change("remove", "lanes", cells, (), {"lanes": cells})


def test_adding_an_extra_column_reports_the_rows_that_got_it(journey, events):
    journey.update_stage("awareness", colour="red")
    ch = only(events)
    assert ch.columns == ("colour",)
    assert "awareness" in ch.affected["stages"]


def test_failed_operations_notify_nothing(journey, events):
    before = journey.copy()
    failing = [
        lambda: journey.add_stage("X", id="awareness"),
        lambda: journey.update_stage("awareness", name=""),
        lambda: journey.remove_stage("awareness"),
        lambda: journey.move_stage("awareness", 7),
        lambda: journey.reorder_stages(["awareness"]),
        lambda: journey.replace_frame("stages", journey.stages.drop(columns="name")),
        lambda: journey.set_meta(name=""),
        lambda: journey.set_emotion("busy-bob", score=0),
        lambda: journey.add_lane("Backstage"),
        lambda: journey.remove_lane("Nope"),
        lambda: journey.move_touchpoint("ads", stage="nowhere"),
    ]
    for op in failing:
        with pytest.raises(ValidationError):
            op()
    assert events == []
    assert journey.equals(before)


# -- observers ----------------------------------------------------------------------------------


def test_observer_sees_the_new_state(journey):
    seen = []
    journey.observe(lambda ch: seen.append(journey.stages["id"].tolist()))
    journey.add_stage("Loyalty")
    assert seen == [["awareness", "consideration", "purchase", "loyalty"]]


def test_observe_returns_callback_for_decorator_use(journey):
    heard = []

    @journey.observe
    def on_change(change):
        heard.append(change.kind)

    assert callable(on_change)
    journey.add_stage("Loyalty")
    assert heard == ["add"]
    journey.unobserve(on_change)
    journey.add_stage("Advocacy")
    assert heard == ["add"]


def test_several_observers_called_in_order(journey):
    calls = []
    journey.observe(lambda ch: calls.append("first"))
    journey.observe(lambda ch: calls.append("second"))
    journey.add_stage("Loyalty")
    assert calls == ["first", "second"]


def test_unobserve_unknown_callback_is_ignored(journey, events):
    journey.unobserve(lambda ch: None)
    journey.add_stage("Loyalty")
    assert len(events) == 1


def test_unobserve_removes_every_registration(journey):
    heard = []
    cb = heard.append
    journey.observe(cb)
    journey.observe(cb)
    journey.add_stage("Loyalty")
    assert len(heard) == 2  # registered twice, called twice
    journey.unobserve(cb)
    journey.add_stage("Advocacy")
    assert len(heard) == 2


@pytest.mark.parametrize("bad", [None, 5, "callback"])
def test_observe_needs_a_callable(journey, bad):
    with pytest.raises(TypeError, match="observer must be callable"):
        journey.observe(bad)


def test_observer_exception_reraised_after_all_observers(journey):
    heard = []

    def boom(change):
        raise RuntimeError("boom")

    journey.observe(boom)
    journey.observe(heard.append)
    with pytest.raises(RuntimeError, match="boom"):
        journey.add_stage("Loyalty")
    assert [c.kind for c in heard] == ["add"]  # the later observer still heard it
    assert "loyalty" in journey.stages["id"].tolist()  # the change stays made


def test_first_observer_exception_wins(journey):
    heard = []

    def first(change):
        raise KeyError("first")

    def second(change):
        raise RuntimeError("second")

    journey.observe(first)
    journey.observe(second)
    journey.observe(heard.append)
    with pytest.raises(KeyError, match="first"):
        journey.set_meta(name="X")
    assert len(heard) == 1
    assert journey.name == "X"


def test_observer_unsubscribing_itself_during_notification(journey):
    heard = []

    def once(change):
        heard.append(change)
        journey.unobserve(once)

    journey.observe(once)
    journey.add_stage("A1")
    journey.add_stage("A2")
    assert len(heard) == 1


# -- batches --------------------------------------------------------------------------------------


def test_batch_groups_changes_into_one(journey, events):
    with journey.batch() as j:
        assert j is journey
        journey.add_stage("Loyalty")
        journey.update_stage("loyalty", description="Comes back")
        journey.add_touchpoint("loyalty", "Newsletter")
        assert events == []  # nothing heard until the block ends
    ch = only(events)
    assert (ch.kind, ch.frame, ch.ids, ch.columns) == ("batch", None, (), ())
    assert ch.changes == (
        Change("add", "stages", ("loyalty",), (), {"stages": ("loyalty",)}),
        Change("update", "stages", ("loyalty",), ("description",), {"stages": ("loyalty",)}),
        Change("add", "touchpoints", ("newsletter",), (), {"touchpoints": ("newsletter",)}),
    )
    assert dict(ch.affected) == {"stages": ("loyalty",), "touchpoints": ("newsletter",)}


def test_batch_affected_merges_without_duplicates(journey, events):
    with journey.batch():
        journey.move_stage("purchase", 0)
        journey.move_stage("awareness", 0)
    ch = only(events)
    assert len(ch.changes) == 2
    assert sorted(ch.affected["stages"]) == ["awareness", "consideration", "purchase"]
    assert len(ch.affected["stages"]) == 3


def test_batch_includes_meta_changes(journey, events):
    with journey.batch():
        journey.name = "Renamed"
        journey.add_persona("Ann")
    ch = only(events)
    assert [c.kind for c in ch.changes] == ["meta", "add"]
    assert dict(ch.affected) == {"personas": ("ann",)}


def test_empty_batch_notifies_nothing(journey, events):
    with journey.batch():
        pass
    assert events == []


def test_batch_of_changes_that_change_nothing_notifies_nothing(journey, events):
    before = journey.copy()
    with journey.batch():
        journey.update_stage("awareness", name="Awareness")
        journey.move_stage("purchase", 2)
        journey.stages = journey.stages
        journey.remove("lanes", [])
    assert events == []
    assert journey.equals(before)


def test_batch_leaves_out_changes_that_change_nothing(journey, events):
    with journey.batch():
        journey.update_stage("awareness", name="Awareness")
        journey.add_stage("Loyalty")
        journey.move_stage("loyalty", 3)
    assert only(events).changes == (Change("add", "stages", ("loyalty",), (), {"stages": ("loyalty",)}),)


def test_batch_rolls_back_on_exception(journey, events):
    before = journey.copy()
    with pytest.raises(RuntimeError, match="stop"), journey.batch():
        journey.add_stage("Loyalty")
        journey.remove_stage("awareness", cascade=True)
        journey.set_meta(name="Changed", kind="future_state")
        raise RuntimeError("stop")
    assert journey.equals(before)
    assert journey.meta == before.meta
    assert events == []


def test_batch_rolls_back_on_validation_error(journey, events):
    before = journey.copy()
    with pytest.raises(ValidationError, match="duplicate id"), journey.batch():
        journey.add_stage("Loyalty")
        journey.add_stage("Again", id="loyalty")
    assert journey.equals(before)
    assert events == []


def test_batch_rolls_back_on_keyboard_interrupt(journey, events):
    before = journey.copy()
    with pytest.raises(KeyboardInterrupt), journey.batch():
        journey.add_stage("Loyalty")
        raise KeyboardInterrupt
    assert journey.equals(before)
    assert events == []


def test_batch_continues_after_a_caught_validation_error(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        with pytest.raises(ValidationError):
            journey.add_stage("Bad", position=99)
        journey.add_stage("Advocacy")
    ch = only(events)
    assert [c.ids for c in ch.changes] == [("loyalty",), ("advocacy",)]
    assert journey.stages["id"].tolist()[-2:] == ["loyalty", "advocacy"]


def test_validation_inside_batch_sees_earlier_changes(journey):
    with journey.batch():
        sid = journey.add_stage("Loyalty")
        tid = journey.add_touchpoint(sid, "Newsletter")  # refers to the stage added just before
    assert journey.touchpoints.set_index("id").loc[tid, "stage_id"] == "loyalty"


def test_nested_batches_join_the_outer_one(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        with journey.batch() as inner:
            assert inner is journey
            journey.add_stage("Advocacy")
        assert events == []  # the inner block ending does not notify
        journey.add_lane("Ops")  # add_lane batches internally, too
    ch = only(events)
    assert ch.kind == "batch"
    assert [c.kind for c in ch.changes] == ["add", "add"] + ["add"] * 5
    assert ch.affected["stages"] == ("loyalty", "advocacy")
    assert len(ch.affected["lanes"]) == 5
    assert all(c.kind != "batch" for c in ch.changes)


def test_exception_through_nested_batches_rolls_back_everything(journey, events):
    before = journey.copy()
    with pytest.raises(RuntimeError), journey.batch():
        journey.add_stage("Loyalty")
        with journey.batch():
            journey.add_stage("Advocacy")
            raise RuntimeError
    assert journey.equals(before)
    assert events == []


def test_failed_inner_batch_is_rolled_back_inside_outer_batch(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        try:
            with journey.batch():
                journey.add_stage("Advocacy")
                raise RuntimeError
        except RuntimeError:
            pass
    assert journey.stages["id"].tolist()[-1] == "loyalty"
    assert "advocacy" not in journey.stages["id"].tolist()
    # the inner block's changes are dropped from the batch, too
    assert only(events).changes == (Change("add", "stages", ("loyalty",), (), {"stages": ("loyalty",)}),)
    assert dict(only(events).affected) == {"stages": ("loyalty",)}


def test_outer_batch_continues_after_a_failed_inner_batch(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        with pytest.raises(ValidationError), journey.batch():
            journey.add_stage("Advocacy")
            journey.set_meta(name="Inner")
            journey.add_stage("Clash", id="loyalty")
        journey.add_stage("Referral")
    assert journey.stages["id"].tolist()[-2:] == ["loyalty", "referral"]
    assert journey.name == "Buying a vacuum cleaner"
    assert [c.ids for c in only(events).changes] == [("loyalty",), ("referral",)]


def test_failed_add_lane_inside_batch_leaves_no_cells(journey, events):
    before = journey.copy()
    with journey.batch(), pytest.raises(ValidationError):
        journey.add_lane("Ops", {"awareness": "ok", "purchase": ["not", "a", "cell"]})
    assert journey.equals(before)
    assert events == []


def test_failed_add_lane_inside_batch_keeps_the_rest_of_the_batch(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        with pytest.raises(ValidationError):
            journey.add_lane("Ops", {"awareness": "ok", "purchase": ["not", "a", "cell"]})
        journey.add_lane("Systems", {"loyalty": "CRM"})
    assert journey.lane_names == ["Backstage", "Systems"]
    assert not journey.lanes["lane"].eq("Ops").any()
    ch = only(events)
    assert [c.frame for c in ch.changes] == ["stages"] + ["lanes"] * 4
    assert ch.affected["lanes"] == (
        "systems-awareness",
        "systems-consideration",
        "systems-purchase",
        "systems-loyalty",
    )


def test_notifications_resume_after_a_rolled_back_batch(journey, events):
    with pytest.raises(RuntimeError), journey.batch():
        journey.add_stage("Loyalty")
        raise RuntimeError
    journey.add_stage("Advocacy")
    assert only(events) == Change("add", "stages", ("advocacy",), (), {"stages": ("advocacy",)})


def test_observer_error_on_batch_is_reraised_and_batch_kept(journey):
    heard = []

    def boom(change):
        raise RuntimeError("boom")

    journey.observe(boom)
    journey.observe(heard.append)
    with pytest.raises(RuntimeError, match="boom"), journey.batch():
        journey.add_stage("Loyalty")
        journey.add_stage("Advocacy")
    assert [c.kind for c in heard] == ["batch"]
    assert journey.stages["id"].tolist()[-2:] == ["loyalty", "advocacy"]


def test_batch_on_fresh_journey(empty_journey):
    heard = []
    empty_journey.observe(heard.append)
    with empty_journey.batch():
        s = empty_journey.add_stage("A")
        empty_journey.add_touchpoint(s, "T")
        empty_journey.add_persona("P")
        empty_journey.set_emotion("p", touchpoint="t", score=1)
    assert len(heard) == 1
    assert set(heard[0].affected) == {"stages", "touchpoints", "personas", "emotions"}


def test_copy_inside_batch_is_independent(journey, events):
    with journey.batch():
        journey.add_stage("Loyalty")
        snapshot = journey.copy()
        snapshot_heard = []
        snapshot.observe(snapshot_heard.append)
        snapshot.add_stage("Other")  # not part of the batch: notifies at once
        assert len(snapshot_heard) == 1
    assert "other" not in journey.stages["id"].tolist()
    assert [c.ids for c in only(events).changes] == [("loyalty",)]


def test_journey_constructor_notifies_nobody():
    j = Journey("x", frames={"stages": pd.DataFrame({"id": ["a"], "name": ["A"]})})
    heard = []
    j.observe(heard.append)
    assert heard == []
    assert j.stages["id"].tolist() == ["a"]
