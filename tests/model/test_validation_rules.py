"""Validation of allowed values: choices, one_of, unique combinations, order, extra columns, non-scalars.

Each failing operation goes through the ``rejects`` fixture (tests/conftest.py), which
asserts the message, the ValidationError attributes, that the journey still
equals a copy taken before the call and that observers heard nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import Journey, ValidationError

from ..support.journeys import exact

NA = pd.NA


# -- choices ---------------------------------------------------------------------------------------

CHOICE_CASES = [
    (
        "status",
        lambda j: j.add_action("x", status="finished"),
        "actions",
        "act-2",
        "status",
        "finished",
        "planned, in_progress, done, blocked, dropped",
    ),
    (
        "status case",
        lambda j: j.add_action("x", status="Done"),
        "actions",
        "act-2",
        "status",
        "Done",
        "planned, in_progress, done, blocked, dropped",
    ),
    (
        "status update",
        lambda j: j.update("actions", "act-1", status="later"),
        "actions",
        "act-1",
        "status",
        "later",
        "planned, in_progress, done, blocked, dropped",
    ),
    (
        "quadrant",
        lambda j: j.add_empathy("busy-bob", "hears", "x"),
        "empathy",
        "emp-2",
        "quadrant",
        "hears",
        "says, thinks, does, feels",
    ),
    (
        "emotion basis",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=0, basis="guessed"),
        "emotions",
        "emo-4",
        "basis",
        "guessed",
        "measured, assumed",
    ),
    (
        "pain basis",
        lambda j: j.add_pain_point("x", stage="awareness", basis="felt"),
        "pain_points",
        "pain-3",
        "basis",
        "felt",
        "measured, assumed",
    ),
    (
        "metric basis",
        lambda j: j.add_metric("Rate", 1, basis="estimated"),
        "metrics",
        "rate",
        "basis",
        "estimated",
        "measured, assumed",
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "column", "value", "choices"),
    [c[1:] for c in CHOICE_CASES],
    ids=[c[0] for c in CHOICE_CASES],
)
def test_value_not_among_choices(journey, rejects, op, frame, row_id, column, value, choices):
    rule = f"must be one of {choices}"
    rejects(
        journey,
        lambda: op(journey),
        exact(f"frame '{frame}', row '{row_id}', column '{column}', value {value!r}: {rule}"),
        frame=frame,
        row_id=row_id,
        column=column,
        value=value,
        rule=rule,
    )


@pytest.mark.parametrize("kind", ["bogus", "", None, "Current_State"])
def test_journey_kind_choices(journey, rejects, kind):
    rule = "kind must be one of current_state, future_state, day_in_the_life, empathy_map"
    rejects(
        journey,
        lambda: journey.set_meta(kind=kind),
        exact(f"column 'kind', value {kind!r}: {rule}"),
        frame=None,
        column="kind",
        value=kind,
        rule=rule,
    )


def test_journey_kind_choices_in_constructor_and_setter(journey, rejects):
    with pytest.raises(ValidationError, match="kind must be one of"):
        Journey("x", kind="map")

    def op():
        journey.kind = "map"

    rejects(
        journey,
        op,
        exact(
            "column 'kind', value 'map': "
            "kind must be one of current_state, future_state, day_in_the_life, empathy_map"
        ),
    )


# -- one_of ----------------------------------------------------------------------------------------

ONE_OF_CASES = [
    (
        "emotion both",
        lambda j: j.set_emotion("busy-bob", stage="awareness", touchpoint="ads", score=0),
        "emotions",
        "emo-4",
        "awareness",
        "set only one of stage_id or touchpoint_id",
    ),
    (
        "emotion neither",
        lambda j: j.set_emotion("busy-bob", score=0),
        "emotions",
        "emo-4",
        NA,
        "set one of stage_id or touchpoint_id",
    ),
    (
        "pain both",
        lambda j: j.add_pain_point("x", stage="awareness", touchpoint="ads"),
        "pain_points",
        "pain-3",
        "awareness",
        "set only one of stage_id or touchpoint_id",
    ),
    (
        "pain neither",
        lambda j: j.add_pain_point("x"),
        "pain_points",
        "pain-3",
        NA,
        "set one of stage_id or touchpoint_id",
    ),
    (
        "opportunity both",
        lambda j: j.add_opportunity("x", stage="awareness", touchpoint="ads"),
        "opportunities",
        "opp-3",
        "awareness",
        "set only one of stage_id or touchpoint_id",
    ),
    (
        "metric both",
        lambda j: j.add_metric("Rate", 1, stage="awareness", touchpoint="ads"),
        "metrics",
        "rate",
        "awareness",
        "set only one of stage_id or touchpoint_id",
    ),
    (
        "update adds second place",
        lambda j: j.update("emotions", "emo-1", stage_id="awareness"),
        "emotions",
        "emo-1",
        "awareness",
        "set only one of stage_id or touchpoint_id",
    ),
    (
        "update clears only place",
        lambda j: j.update("pain_points", "pain-2", stage_id=None),
        "pain_points",
        "pain-2",
        NA,
        "set one of stage_id or touchpoint_id",
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "value", "rule"),
    [c[1:] for c in ONE_OF_CASES],
    ids=[c[0] for c in ONE_OF_CASES],
)
def test_one_of_rules(journey, rejects, op, frame, row_id, value, rule):
    shown = "<NA>" if value is NA else repr(value)
    rejects(
        journey,
        lambda: op(journey),
        exact(f"frame '{frame}', row '{row_id}', column 'stage_id', value {shown}: {rule}"),
        frame=frame,
        row_id=row_id,
        column="stage_id",
        value=value,
        rule=rule,
    )


# -- unique combinations ---------------------------------------------------------------------------


def test_duplicate_emotion_key_on_add(journey, rejects):
    rule = "duplicate combination of persona_id, stage_id, touchpoint_id, segment, period, source"
    rejects(
        journey,
        lambda: journey.add(
            "emotions",
            persona_id="curious-colleen",
            touchpoint_id="search-engine",
            score=1,
            source="assumption",
            basis="assumed",
        ),
        exact(f"frame 'emotions', row 'emo-4', column 'source', value 'assumption': {rule}"),
        frame="emotions",
        row_id="emo-4",
        column="source",
        value="assumption",
        rule=rule,
    )


def test_duplicate_emotion_key_without_persona(journey, rejects):
    journey.set_emotion(None, stage="awareness", score=0)
    rejects(
        journey,
        lambda: journey.add(
            "emotions", stage_id="awareness", score=1, source="assumption", basis="assumed", id="e-x"
        ),
        r"duplicate combination of persona_id, stage_id, touchpoint_id, segment, period, source$",
        row_id="e-x",
    )


def test_duplicate_emotion_key_by_update(journey, rejects):
    # emo-2 is colleen @ consideration (survey): moving emo-1 there with the same source collides
    rejects(
        journey,
        lambda: journey.update(
            "emotions", "emo-1", touchpoint_id=None, stage_id="consideration", source="survey"
        ),
        exact(
            "frame 'emotions', row 'emo-2', column 'source', value 'survey': "
            "duplicate combination of persona_id, stage_id, touchpoint_id, segment, period, source"
        ),
    )


def test_duplicate_emotion_key_on_replace(journey, rejects):
    df = pd.concat(
        [journey.emotions, journey.emotions.iloc[[2]].assign(id="emo-9", score=0.0)], ignore_index=True
    )
    rejects(
        journey,
        lambda: journey.replace_frame("emotions", df),
        exact(
            "frame 'emotions', row 'emo-9', column 'source', value 'assumption': "
            "duplicate combination of persona_id, stage_id, touchpoint_id, segment, period, source"
        ),
        row_id="emo-9",
    )


def test_duplicate_lane_cell_on_add(journey, rejects):
    rejects(
        journey,
        lambda: journey.add("lanes", lane="Backstage", stage_id="awareness", text="again"),
        exact(
            "frame 'lanes', row 'backstage', column 'stage_id', value 'awareness': "
            "duplicate combination of lane, stage_id"
        ),
        frame="lanes",
        row_id="backstage",
        column="stage_id",
        value="awareness",
        rule="duplicate combination of lane, stage_id",
    )


def test_duplicate_lane_cell_on_replace(journey, rejects):
    df = journey.lanes
    df.loc[2, "stage_id"] = "awareness"
    rejects(
        journey,
        lambda: journey.replace_frame("lanes", df),
        exact(
            "frame 'lanes', row 'backstage-purchase', column 'stage_id', value 'awareness': "
            "duplicate combination of lane, stage_id"
        ),
    )


# -- order -----------------------------------------------------------------------------------------

ORDER_CASES = [
    ("stages duplicate", "stages", [0, 0, 1], "consideration", 0, "duplicate position"),
    ("stages gap", "stages", [0, 2, 3], "consideration", 2, "positions must run 0..n-1 without gaps"),
    ("stages not from zero", "stages", [1, 2, 3], "awareness", 1, "positions must run 0..n-1 without gaps"),
    ("touchpoints duplicate", "touchpoints", [0, 0, 0, 0], "ads", 0, "duplicate position inside its stage"),
    (
        "touchpoints gap",
        "touchpoints",
        [0, 2, 0, 0],
        "ads",
        2,
        "positions must run 0..n-1 without gaps inside its stage",
    ),
    (
        "touchpoints not from zero",
        "touchpoints",
        [0, 1, 1, 0],
        "reviews",
        1,
        "positions must run 0..n-1 without gaps inside its stage",
    ),
]


@pytest.mark.parametrize(
    ("frame", "order", "row_id", "value", "rule"),
    [c[1:] for c in ORDER_CASES],
    ids=[c[0] for c in ORDER_CASES],
)
def test_order_rules_on_replace(journey, rejects, frame, order, row_id, value, rule):
    df = journey.frame(frame).assign(order=order)
    rejects(
        journey,
        lambda: journey.replace_frame(frame, df),
        exact(f"frame '{frame}', row '{row_id}', column 'order', value {value}: {rule}"),
        frame=frame,
        row_id=row_id,
        column="order",
        value=value,
        rule=rule,
    )


def test_order_rules_in_constructor():
    stages = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "order": [0, 5]})
    with pytest.raises(
        ValidationError,
        match=exact(
            "frame 'stages', row 'b', column 'order', value 5: positions must run 0..n-1 without gaps"
        ),
    ):
        Journey("x", frames={"stages": stages})


def test_unordered_positions_are_accepted_and_sorted(journey, assert_ordered):
    journey.stages = journey.stages.assign(order=[2, 0, 1])
    assert journey.stages["id"].tolist() == ["consideration", "purchase", "awareness"]
    assert_ordered(journey)


# -- extra columns ---------------------------------------------------------------------------------

EXTRA_DTYPE_CASES = [
    ("category", pd.Categorical(["a", "b", "a"]), "category", "a"),
    ("complex", np.array([1 + 2j, 0j, 1j]), "complex128", 1 + 2j),
    ("timedelta", pd.to_timedelta([1, 2, 3], unit="D"), None, pd.Timedelta(days=1)),
]


@pytest.mark.parametrize(
    ("values", "dtype", "first"), [c[1:] for c in EXTRA_DTYPE_CASES], ids=[c[0] for c in EXTRA_DTYPE_CASES]
)
def test_unsupported_extra_column_dtype(journey, rejects, values, dtype, first):
    df = journey.stages.assign(extra=values)
    dtype = dtype or str(df["extra"].dtype)  # timedelta resolution depends on the pandas version
    rule = f"unsupported dtype {dtype} for an extra column; use text, numbers, booleans or datetimes"
    err = rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        "^"
        + re.escape("frame 'stages', row 'awareness', column 'extra', value ")
        + ".*"
        + re.escape(f": {rule}")
        + "$",
        frame="stages",
        row_id="awareness",
        column="extra",
        rule=rule,
    )
    assert err.value == first


CONTAINER_RULE = "a cell holds one value (text, number, date), not a container"
MIXED_RULE = (
    "unsupported value for an extra column; a column holds one kind of value: "
    "text, numbers, booleans or datetimes"
)

EXTRA_VALUE_CASES = [
    ("dicts", [{"a": 1}, {}, None], "awareness", {"a": 1}, CONTAINER_RULE),
    ("ragged lists", [[1], [2, 3], None], "awareness", [1], CONTAINER_RULE),
    ("tuples", [(1, 2), None, None], "awareness", (1, 2), CONTAINER_RULE),
    ("sets", [None, {1}, None], "consideration", {1}, CONTAINER_RULE),
    ("dict in the last row", [None, None, {"a": 1}], "purchase", {"a": 1}, CONTAINER_RULE),
    ("text, then a number", ["a", "b", 3], "purchase", 3, MIXED_RULE),
    ("booleans, then a number", [True, 1, None], "consideration", 1, MIXED_RULE),
    ("date objects", [None, date(2024, 1, 1), None], "consideration", date(2024, 1, 1), MIXED_RULE),
    ("decimals", [Decimal("1.5"), None, None], "awareness", Decimal("1.5"), MIXED_RULE),
]


@pytest.mark.parametrize(
    ("values", "row_id", "value", "rule"),
    [c[1:] for c in EXTRA_VALUE_CASES],
    ids=[c[0] for c in EXTRA_VALUE_CASES],
)
def test_unsupported_extra_column_value(journey, rejects, values, row_id, value, rule):
    df = journey.stages.assign(extra=pd.Series(values, dtype=object))
    rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        "^"
        + re.escape(f"frame 'stages', row '{row_id}', column 'extra', value ")
        + ".*"
        + re.escape(f": {rule}")
        + "$",
        frame="stages",
        row_id=row_id,
        column="extra",
        value=value,
        rule=rule,
    )


def test_extra_column_of_arrays_is_a_validation_error(journey, rejects):
    cell = np.array([1, 2])
    df = journey.stages.assign(extra=pd.Series([None, cell, None], dtype=object))
    err = rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        exact(f"frame 'stages', row 'consideration', column 'extra', value array([1, 2]): {CONTAINER_RULE}"),
        row_id="consideration",
        column="extra",
        rule=CONTAINER_RULE,
    )
    assert err.value is cell


def test_mixed_ints_and_strings_extra_column_is_rejected(journey, rejects):
    values = [1, "a", 2]
    err = rejects(
        journey,
        lambda: journey.replace_frame("stages", journey.stages.assign(extra=pd.Series(values, dtype=object))),
        r"^frame 'stages', row '\w+', column 'extra', value .*: " + re.escape(MIXED_RULE) + "$",
        frame="stages",
        column="extra",
        rule=MIXED_RULE,
    )
    # the error names a row and the value that row holds
    stage_ids = ["awareness", "consideration", "purchase"]
    assert err.value == values[stage_ids.index(err.row_id)]


@pytest.mark.parametrize(
    ("values", "row_id", "value"),
    [
        ([1, "a", 2], "consideration", "a"),
        ([1, 2, "n/a"], "purchase", "n/a"),
        ([pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01"), "n/a"], "purchase", "n/a"),
    ],
    ids=["ints with text between", "ints then text", "datetimes then text"],
)
def test_mixed_kinds_extra_column_error_names_the_odd_value(journey, rejects, values, row_id, value):
    rejects(
        journey,
        lambda: journey.replace_frame("stages", journey.stages.assign(extra=pd.Series(values, dtype=object))),
        "^"
        + re.escape(f"frame 'stages', row '{row_id}', column 'extra', value {value!r}: {MIXED_RULE}")
        + "$",
        row_id=row_id,
        value=value,
        rule=MIXED_RULE,
    )


def test_extra_column_of_lists_is_a_validation_error(journey):
    df = journey.stages.assign(tags=pd.Series([["a"], ["b"], ["c"]], dtype=object))
    try:
        journey.replace_frame("stages", df)
    except ValidationError as err:
        assert err.column == "tags"
        assert (err.row_id, err.value, err.rule) == ("awareness", ["a"], CONTAINER_RULE)
    except Exception as err:
        raise AssertionError(f"{type(err).__name__}: {err}") from err
    else:
        raise AssertionError("accepted a column of lists")


def test_unsupported_extra_value_error_names_the_new_row(journey):
    with pytest.raises(ValidationError) as info:
        journey.add_stage("Loyalty", since=date(2024, 1, 1))
    assert info.value.column == "since"
    assert info.value.row_id == "loyalty"
    assert info.value.value == date(2024, 1, 1)
    assert info.value.rule == MIXED_RULE


@pytest.mark.parametrize(
    ("column", "hint", "value", "dtype"),
    [
        ("when", pd.Timestamp("2024-01-01"), 5, "datetime64[us]"),
        ("weight", 1, True, "Int64"),
        ("ratio", 1.5, False, "Float64"),
        ("flag", True, 1, "boolean"),
        ("weight", 1, np.True_, "Int64"),
        ("flag", True, np.int64(0), "boolean"),
    ],
    ids=[
        "int into datetime extra",
        "bool into Int64 extra",
        "bool into Float64 extra",
        "int into boolean extra",
        "numpy bool into Int64 extra",
        "numpy int into boolean extra",
    ],
)
def test_wrong_kind_into_typed_extra_column_is_rejected(journey, rejects, column, hint, value, dtype):
    journey.add_stage("Loyalty", **{column: hint})
    rejects(
        journey,
        lambda: journey.update_stage("loyalty", **{column: value}),
        "^"
        + re.escape(f"frame 'stages', row 'loyalty', column '{column}', value ")
        + ".*"
        + re.escape(f": wrong type: expected a value of dtype {dtype}")
        + "$",
        row_id="loyalty",
        column=column,
        value=value,
    )


@pytest.mark.parametrize(
    ("column", "hint", "value", "dtype"),
    [
        ("weight", 1, 2.5, "Int64"),
        ("weight", 1, "3", "Int64"),
        ("ratio", 1.5, "1.5", "Float64"),
        ("flag", True, "yes", "boolean"),
        ("when", pd.Timestamp("2024-01-01"), "garbage", "datetime64[us]"),
    ],
)
def test_wrong_value_for_typed_extra_column(journey, rejects, column, hint, value, dtype):
    journey.add_stage("Loyalty", **{column: hint})
    rejects(
        journey,
        lambda: journey.update_stage("loyalty", **{column: value}),
        exact(
            f"frame 'stages', row 'loyalty', column '{column}', value {value!r}: "
            f"wrong type: expected a value of dtype {dtype}"
        ),
        row_id="loyalty",
        column=column,
        value=value,
    )


def test_number_into_text_extra_column(journey, rejects):
    journey.add_stage("Loyalty", note="hi")
    rejects(
        journey,
        lambda: journey.add_stage("Advocacy", note=5),
        exact("frame 'stages', row 'advocacy', column 'note', value 5: wrong type: expected text"),
    )


# -- non-scalar cells ------------------------------------------------------------------------------

NON_SCALARS = [
    ["a", "b"],
    ("a",),
    {"a": 1},
    {"a"},
    pd.Series([1, 2]),
    np.array([1, 2]),
]


@pytest.mark.parametrize("value", NON_SCALARS, ids=["list", "tuple", "dict", "set", "Series", "ndarray"])
def test_non_scalar_cell_on_add(journey, rejects, value):
    err = rejects(
        journey,
        lambda: journey.add_stage("Loyalty", tags=value),
        r"(?s)^frame 'stages', column 'tags', value .*: "
        r"a cell holds one value \(text, number, date\), not a container$",
        frame="stages",
        row_id=None,
        column="tags",
        rule="a cell holds one value (text, number, date), not a container",
    )
    assert err.value is value


@pytest.mark.parametrize("value", NON_SCALARS, ids=["list", "tuple", "dict", "set", "Series", "ndarray"])
def test_non_scalar_cell_on_update(journey, rejects, value):
    rejects(
        journey,
        lambda: journey.update_persona("busy-bob", goals=value),
        r"(?s)^frame 'personas', column 'goals', value .*: "
        r"a cell holds one value \(text, number, date\), not a container$",
        column="goals",
    )


def test_non_scalar_in_set_emotion(journey, rejects):
    rejects(
        journey,
        lambda: journey.set_emotion("busy-bob", stage="awareness", score=[1, 2]),
        r"^frame 'emotions', column 'score', value \[1, 2\]: a cell holds one value",
        column="score",
        value=[1, 2],
    )
