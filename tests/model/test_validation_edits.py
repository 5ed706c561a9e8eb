"""Validation of edits: unknown frames, refused updates and adds, positions, reorder, removals, meta.

Each failing operation goes through the ``rejects`` fixture (tests/conftest.py), which
asserts the message, the ValidationError attributes, that the journey still
equals a copy taken before the call and that observers heard nothing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import FRAME_NAMES, Journey, ValidationError
from cjm_jupyter.model.specs import FRAMES

from ..support.journeys import exact

NA = pd.NA


# -- unknown frame ---------------------------------------------------------------------------------

UNKNOWN_FRAME_RULE = f"unknown frame; expected one of {', '.join(FRAME_NAMES)}"


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.frame("nope"),
        lambda j: j.add("nope", name="x"),
        lambda j: j.update("nope", "x", name="x"),
        lambda j: j.remove("nope", "x"),
        lambda j: j.move("nope", "x", 0),
        lambda j: j.reorder("nope", ["x"]),
        lambda j: j.replace_frame("nope", pd.DataFrame({"id": ["a"]})),
    ],
    ids=["frame", "add", "update", "remove", "move", "reorder", "replace_frame"],
)
def test_unknown_frame(journey, rejects, op):
    rejects(
        journey,
        lambda: op(journey),
        exact(f"frame 'nope': {UNKNOWN_FRAME_RULE}"),
        frame="nope",
        row_id=None,
        column=None,
        rule=UNKNOWN_FRAME_RULE,
    )


@pytest.mark.parametrize("name", [5, None, ("stages",), ["stages"]])
def test_unknown_frame_not_a_string(journey, rejects, name):
    rejects(
        journey,
        lambda: journey.frame(name),
        exact(f"frame {str(name)!r}: {UNKNOWN_FRAME_RULE}"),
        frame=str(name),
    )


def test_unknown_frame_in_constructor():
    with pytest.raises(ValidationError, match=exact(f"frame 'bogus': {UNKNOWN_FRAME_RULE}")):
        Journey("x", frames={"bogus": pd.DataFrame()})


# -- refused updates / adds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "row_id", "column", "hint"),
    [
        ("stages", "awareness", "id", "ids are stable"),
        ("personas", "busy-bob", "id", "ids are stable"),
        ("stages", "awareness", "order", "use the move_* methods to change position"),
        ("touchpoints", "ads", "order", "use the move_* methods to change position"),
        ("touchpoints", "ads", "stage_id", "use the move_* methods to change position"),
    ],
)
def test_update_refuses_id_order_stage(journey, rejects, frame, row_id, column, hint):
    value = "purchase" if column == "stage_id" else ("new-id" if column == "id" else 0)
    rule = f"cannot be set with update; {hint}"
    rejects(
        journey,
        lambda: journey.update(frame, row_id, **{column: value}),
        exact(f"frame '{frame}', row '{row_id}', column '{column}': {rule}"),
        frame=frame,
        row_id=row_id,
        column=column,
        rule=rule,
    )


def test_update_touchpoint_refuses_stage_change(journey, rejects):
    rejects(
        journey,
        lambda: journey.update_touchpoint("ads", stage_id="purchase"),
        exact(
            "frame 'touchpoints', row 'ads', column 'stage_id': "
            "cannot be set with update; use the move_* methods to change position"
        ),
    )


def test_add_refuses_order(journey, rejects):
    rejects(
        journey,
        lambda: journey.add("stages", name="Loyalty", order=3),
        exact("frame 'stages', column 'order': pass position=..., not order"),
        frame="stages",
        column="order",
    )


def test_order_extra_column_on_unordered_frame_is_editable(journey):
    journey.personas = journey.personas.assign(order=[5, 7])
    journey.update_persona("busy-bob", order=1)
    assert journey.personas["order"].tolist() == [5, 1]


def test_order_extra_column_on_unordered_frame_can_be_added(journey):
    pid = journey.add_persona("Ann", order=3)
    assert journey.personas["order"].dtype == "Int64"
    assert journey.personas["order"].tolist() == [pd.NA, pd.NA, 3]
    journey.add_pain_point("x", stage="awareness", order=2)
    assert journey.pain_points["order"].tolist() == [pd.NA, pd.NA, 2]
    journey.update_persona(pid, order=None)
    assert journey.personas["order"].isna().all()


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.update_stage("nowhere", name="x"),
        lambda j: j.remove_stage("nowhere"),
        lambda j: j.remove("stages", ["awareness", "nowhere"]),
        lambda j: j.move_stage("nowhere", 0),
        lambda j: j.reorder_stages(["awareness", "consideration", "nowhere"]),
    ],
    ids=["update", "remove", "remove-many", "move", "reorder"],
)
def test_unknown_row_id(journey, rejects, op):
    rejects(
        journey,
        lambda: op(journey),
        exact("frame 'stages', row 'nowhere': no stage with this id"),
        frame="stages",
        row_id="nowhere",
        column=None,
        rule="no stage with this id",
    )


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.update_touchpoint("nowhere", name="x"),
        lambda j: j.remove_touchpoint("nowhere"),
        lambda j: j.move_touchpoint("nowhere"),
        lambda j: j.move_touchpoint("nowhere", stage="awareness", position=0),
        lambda j: j.reorder_touchpoints(["nowhere"]),
    ],
    ids=["update", "remove", "move", "move-to", "reorder"],
)
def test_unknown_touchpoint_id(journey, rejects, op):
    rejects(
        journey,
        lambda: op(journey),
        exact("frame 'touchpoints', row 'nowhere': no touchpoint with this id"),
        frame="touchpoints",
        row_id="nowhere",
    )


@pytest.mark.parametrize(
    ("frame", "singular"),
    [(n, FRAMES[n].singular) for n in FRAME_NAMES],
)
def test_unknown_row_id_message_every_frame(journey, rejects, frame, singular):
    rejects(
        journey,
        lambda: journey.remove(frame, "nowhere"),
        exact(f"frame '{frame}', row 'nowhere': no {singular} with this id"),
    )


def test_move_touchpoint_to_unknown_stage(journey, rejects):
    rejects(
        journey,
        lambda: journey.move_touchpoint("ads", stage="nowhere"),
        exact("frame 'stages', row 'nowhere': no stage with this id"),
        frame="stages",
        row_id="nowhere",
    )


# -- positions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", [-1, 4, 10, True, 1.0, "1"])
def test_add_stage_position_out_of_range(journey, rejects, position):
    rejects(
        journey,
        lambda: journey.add_stage("Loyalty", position=position),
        exact(f"frame 'stages', column 'order', value {position!r}: position must be an integer from 0 to 3"),
        frame="stages",
        column="order",
        value=position,
        rule="position must be an integer from 0 to 3",
    )


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.move_stage("purchase", j.stages["order"].iloc[1]),
        lambda j: j.add_stage("Intro", position=np.int64(0)),
        lambda j: j.add_touchpoint("awareness", "Friend", position=np.int32(1)),
    ],
    ids=["move_stage", "add_stage", "add_touchpoint"],
)
def test_numpy_integer_positions_are_accepted(journey, op):
    op(journey)
    assert journey.stages["order"].tolist() == list(range(len(journey.stages)))


@pytest.mark.parametrize("position", [-1, 3, False])
def test_add_touchpoint_position_out_of_range(journey, rejects, position):
    rejects(
        journey,
        lambda: journey.add_touchpoint("awareness", "X", position=position),
        exact(
            f"frame 'touchpoints', column 'order', value {position!r}: "
            "position must be an integer from 0 to 2"
        ),
        value=position,
    )


@pytest.mark.parametrize("position", [-1, 3, True, 0.5])
def test_move_stage_position_out_of_range(journey, rejects, position):
    # the moved stage is taken out first, so 0..2 remain valid
    rejects(
        journey,
        lambda: journey.move_stage("awareness", position),
        exact(f"frame 'stages', column 'order', value {position!r}: position must be an integer from 0 to 2"),
        value=position,
    )


def test_move_touchpoint_position_out_of_range_within_stage(journey, rejects):
    rejects(
        journey,
        lambda: journey.move_touchpoint("ads", position=2),
        exact("frame 'touchpoints', column 'order', value 2: position must be an integer from 0 to 1"),
    )


def test_move_touchpoint_position_out_of_range_across_stages(journey, rejects):
    rejects(
        journey,
        lambda: journey.move_touchpoint("ads", stage="purchase", position=2),
        exact("frame 'touchpoints', column 'order', value 2: position must be an integer from 0 to 1"),
    )


@pytest.mark.parametrize(
    "op",
    [
        lambda j: j.add("personas", name="x", position=0),
        lambda j: j.move("personas", "busy-bob", 0),
        lambda j: j.reorder("personas", ["busy-bob", "curious-colleen"]),
        lambda j: j.add_pain_point("x", stage="awareness", position=0),
    ],
    ids=["add", "move", "reorder", "add_pain_point"],
)
def test_position_on_unordered_frame(journey, rejects, op):
    err = rejects(
        journey,
        lambda: op(journey),
        r": this frame has no order$",
        column="order",
        rule="this frame has no order",
    )
    assert err.frame in ("personas", "pain_points")


# -- reorder ---------------------------------------------------------------------------------------

REORDER_RULE = "reorder needs every row of the group exactly once"


@pytest.mark.parametrize(
    ("frame", "ids"),
    [
        ("stages", ["awareness", "consideration"]),
        ("stages", ["awareness", "consideration", "purchase", "awareness"]),
        ("stages", []),
        ("touchpoints", ["ads"]),
        ("touchpoints", ["ads", "search-engine", "ads"]),
        ("touchpoints", ["ads", "search-engine", "reviews"]),
        ("touchpoints", ["reviews", "ads", "search-engine"]),
    ],
    ids=[
        "stages missing",
        "stages duplicate",
        "stages empty",
        "tps missing",
        "tps duplicate",
        "tps two stages",
        "tps other stage first",
    ],
)
def test_reorder_needs_every_row_once(journey, rejects, frame, ids):
    rejects(
        journey,
        lambda: journey.reorder(frame, ids),
        exact(f"frame '{frame}', column 'order', value {ids!r}: {REORDER_RULE}"),
        frame=frame,
        column="order",
        value=ids,
        rule=REORDER_RULE,
    )


def test_reorder_public_wrappers(journey, rejects):
    rejects(
        journey, lambda: journey.reorder_stages(["purchase"]), f": {re.escape(REORDER_RULE)}$", frame="stages"
    )
    rejects(
        journey,
        lambda: journey.reorder_touchpoints(["search-engine"]),
        f": {re.escape(REORDER_RULE)}$",
        frame="touchpoints",
    )


# -- removal blocked by dependents -----------------------------------------------------------------

BLOCKED_CASES = [
    ("stage", "stages", "awareness", "touchpoints 'search-engine', 'ads'"),
    ("touchpoint", "touchpoints", "search-engine", "emotions 'emo-1'"),
    ("persona", "personas", "curious-colleen", "emotions 'emo-1', 'emo-2'"),
    ("persona via set_null link", "personas", "busy-bob", "emotions 'emo-3'"),
    ("pain point", "pain_points", "pain-1", "opportunities 'opp-1'"),
    ("opportunity", "opportunities", "opp-1", "actions 'act-1'"),
    ("checkout", "touchpoints", "checkout", "emotions 'emo-3'"),
]


@pytest.mark.parametrize(
    ("frame", "row_id", "dependents"), [c[1:] for c in BLOCKED_CASES], ids=[c[0] for c in BLOCKED_CASES]
)
def test_removal_blocked_by_dependents(journey, rejects, frame, row_id, dependents):
    rule = f"still used by {dependents}; pass cascade=True to remove or unlink them too"
    rejects(
        journey,
        lambda: journey.remove(frame, row_id),
        exact(f"frame '{frame}', row '{row_id}': {rule}"),
        frame=frame,
        row_id=row_id,
        column=None,
        rule=rule,
    )


def test_removal_blocked_by_optional_link_only(journey, rejects):
    # a persona used only by a pain point (set_null link) still needs cascade=True
    pid = journey.add_persona("Quiet Quinn")
    journey.add_pain_point("x", stage="awareness", persona=pid, id="p-q")
    rejects(
        journey,
        lambda: journey.remove_persona(pid),
        exact(
            f"frame 'personas', row '{pid}': still used by pain_points 'p-q'; "
            "pass cascade=True to remove or unlink them too"
        ),
    )
    journey.remove_persona(pid, cascade=True)
    assert journey.pain_points.set_index("id").loc["p-q", "persona_id"] is pd.NA


def test_removal_message_lists_at_most_five_dependents(journey, rejects):
    sid = journey.add_stage("Busy")
    for k in range(7):
        journey.add_touchpoint(sid, f"T{k}")
    err = rejects(
        journey,
        lambda: journey.remove_stage(sid),
        r"still used by touchpoints 't0', 't1', 't2', 't3', 't4'; ",
    )
    assert "'t5'" not in str(err)


# -- meta data -------------------------------------------------------------------------------------

META_RULE = (
    "unknown journey field; expected one of name, scenario, kind, description, version, owner, reviewed_at"
)


def test_unknown_meta_field(journey, rejects):
    rejects(
        journey,
        lambda: journey.set_meta(author="me"),
        exact(f"column 'author': {META_RULE}"),
        frame=None,
        row_id=None,
        column="author",
        value=None,
        rule=META_RULE,
    )


def test_unknown_meta_field_with_valid_ones_changes_nothing(journey, rejects):
    rejects(
        journey,
        lambda: journey.set_meta(name="New", zeta=1, alpha=2),
        exact(f"column 'alpha': {META_RULE}"),
        column="alpha",
    )


@pytest.mark.parametrize("name", ["", "   ", None, 5, "\n"])
def test_empty_name(journey, rejects, name):
    rule = "a journey needs a non-empty name"
    rejects(
        journey,
        lambda: journey.set_meta(name=name),
        exact(f"column 'name', value {name!r}: {rule}"),
        column="name",
        value=name,
        rule=rule,
    )


def test_empty_name_via_setter_and_constructor(journey, rejects):
    def op():
        journey.name = ""

    rejects(journey, op, exact("column 'name', value '': a journey needs a non-empty name"))
    with pytest.raises(ValidationError, match="a journey needs a non-empty name"):
        Journey("  ")


@pytest.mark.parametrize("field", ["scenario", "description"])
@pytest.mark.parametrize("value", [5, ["a"], b"bytes"])
def test_scenario_and_description_must_be_text(journey, rejects, field, value):
    rejects(
        journey,
        lambda: setattr(journey, field, value),
        exact(f"column '{field}', value {value!r}: must be text or None"),
        column=field,
        value=value,
        rule="must be text or None",
    )


def test_constructor_meta_validation():
    with pytest.raises(ValidationError, match=exact("column 'scenario', value 1: must be text or None")):
        Journey("x", scenario=1)
    with pytest.raises(ValidationError, match=exact("column 'description', value 2.0: must be text or None")):
        Journey("x", description=2.0)
