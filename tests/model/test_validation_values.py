"""Validation of values: missing columns and column names, ranges, types, non-finite numbers.

Each failing operation goes through the ``rejects`` fixture (tests/conftest.py), which
asserts the message, the ValidationError attributes, that the journey still
equals a copy taken before the call and that observers heard nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import ValidationError
from cjm_jupyter.model.specs import FRAMES

from ..support.journeys import exact

NA = pd.NA


# -- missing columns, column names, not a frame ----------------------------------------------------

MISSING_COLUMN_CASES = [
    (name, col.name)
    for name, spec in FRAMES.items()
    for col in spec.columns
    if col.required and col.name != "order"
]


@pytest.mark.parametrize(
    ("frame", "column"), MISSING_COLUMN_CASES, ids=[f"{f}.{c}" for f, c in MISSING_COLUMN_CASES]
)
def test_missing_required_column_on_replace(journey, rejects, frame, column):
    df = journey.frame(frame).drop(columns=column)
    rejects(
        journey,
        lambda: journey.replace_frame(frame, df),
        exact(f"frame '{frame}', column '{column}': missing required column '{column}'"),
        frame=frame,
        row_id=None,
        column=column,
        value=None,
    )


def test_missing_required_column_via_property_setter(journey, rejects):
    def op():
        journey.empathy = journey.empathy.drop(columns="quadrant")

    rejects(journey, op, exact("frame 'empathy', column 'quadrant': missing required column 'quadrant'"))


def test_missing_optional_columns_are_added_empty(journey):
    journey.stages = journey.stages[["id", "name", "order"]]
    assert list(journey.stages.columns) == ["id", "name", "description", "order"]
    assert journey.stages["description"].isna().all()
    assert journey.stages["description"].dtype == "string"


def test_missing_order_column_is_filled_in_row_order(journey, assert_ordered):
    df = journey.touchpoints.drop(columns="order").iloc[::-1]
    journey.touchpoints = df
    assert journey.touchpoints["id"].tolist() == ["ads", "search-engine", "reviews", "checkout"]
    assert journey.touchpoints["order"].tolist() == [0, 1, 0, 0]
    assert_ordered(journey)


def test_duplicate_column_name(journey, rejects):
    df = pd.concat([journey.stages, journey.stages[["name"]]], axis=1)
    rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        exact("frame 'stages', column 'name': duplicate column name"),
        column="name",
    )


@pytest.mark.parametrize(("bad", "shown"), [(5, "5"), ("", "")])
def test_bad_column_name(journey, rejects, bad, shown):
    df = journey.stages.rename(columns={"description": bad})
    rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        exact(f"frame 'stages', column '{shown}': column names must be non-empty strings"),
        column=shown,
    )


@pytest.mark.parametrize("value", [[1, 2], {"id": ["a"]}, None, "stages"])
def test_replace_with_something_else_than_a_frame(journey, rejects, value):
    rejects(
        journey,
        lambda: journey.replace_frame("stages", value),
        exact(f"frame 'stages': expected a pandas DataFrame, got {type(value).__name__}"),
        frame="stages",
    )


# -- ranges ----------------------------------------------------------------------------------------

RANGE_CASES = [
    (
        "score above",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=2.5),
        "emotions",
        "emo-4",
        "score",
        2.5,
        "must be <= 2",
    ),
    (
        "score below",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=-2.01),
        "emotions",
        "emo-4",
        "score",
        -2.01,
        "must be >= -2",
    ),
    (
        "score upsert above",
        lambda j: j.set_emotion("curious-colleen", touchpoint="search-engine", score=3),
        "emotions",
        "emo-1",
        "score",
        3.0,
        "must be <= 2",
    ),
    (
        "emotion n",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=0, n=-1),
        "emotions",
        "emo-4",
        "n",
        -1,
        "must be >= 0",
    ),
    (
        "severity above",
        lambda j: j.add_pain_point("x", stage="awareness", severity=6),
        "pain_points",
        "pain-3",
        "severity",
        6,
        "must be <= 5",
    ),
    (
        "severity below",
        lambda j: j.add_pain_point("x", stage="awareness", severity=0),
        "pain_points",
        "pain-3",
        "severity",
        0,
        "must be >= 1",
    ),
    (
        "frequency above",
        lambda j: j.add_pain_point("x", stage="awareness", frequency=6),
        "pain_points",
        "pain-3",
        "frequency",
        6,
        "must be <= 5",
    ),
    (
        "frequency below",
        lambda j: j.add_pain_point("x", stage="awareness", frequency=-3),
        "pain_points",
        "pain-3",
        "frequency",
        -3,
        "must be >= 1",
    ),
    (
        "impact above",
        lambda j: j.add_opportunity("x", impact=6),
        "opportunities",
        "opp-3",
        "impact",
        6,
        "must be <= 5",
    ),
    (
        "impact below",
        lambda j: j.add_opportunity("x", impact=0),
        "opportunities",
        "opp-3",
        "impact",
        0,
        "must be >= 1",
    ),
    (
        "effort above",
        lambda j: j.add_opportunity("x", effort=10),
        "opportunities",
        "opp-3",
        "effort",
        10,
        "must be <= 5",
    ),
    (
        "effort below",
        lambda j: j.add_opportunity("x", effort=0),
        "opportunities",
        "opp-3",
        "effort",
        0,
        "must be >= 1",
    ),
    ("metric n", lambda j: j.add_metric("Rate", 1, n=-5), "metrics", "rate", "n", -5, "must be >= 0"),
    (
        "update severity",
        lambda j: j.update("pain_points", "pain-2", severity=9),
        "pain_points",
        "pain-2",
        "severity",
        9,
        "must be <= 5",
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "column", "value", "rule"),
    [c[1:] for c in RANGE_CASES],
    ids=[c[0] for c in RANGE_CASES],
)
def test_value_out_of_range(journey, rejects, op, frame, row_id, column, value, rule):
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


@pytest.mark.parametrize(
    ("column", "value"), [("severity", 1), ("severity", 5), ("frequency", 1), ("frequency", 5)]
)
def test_range_bounds_are_inclusive(journey, column, value):
    pid = journey.add_pain_point("x", stage="awareness", **{column: value})
    assert journey.pain_points.set_index("id").loc[pid, column] == value


def test_negative_order_on_replace(journey, rejects):
    rejects(
        journey,
        lambda: journey.replace_frame("stages", journey.stages.assign(order=[-1, 0, 1])),
        exact("frame 'stages', row 'awareness', column 'order', value -1: must be >= 0"),
        column="order",
        value=-1,
    )


# -- types -----------------------------------------------------------------------------------------

TYPE_CASES = [
    (
        "text in float",
        lambda j: j.add_metric("Rate", "12"),
        "metrics",
        "rate",
        "value",
        "12",
        "wrong type: expected a number",
    ),
    (
        "text in score",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score="1"),
        "emotions",
        "emo-4",
        "score",
        "1",
        "wrong type: expected a number",
    ),
    (
        "text in int",
        lambda j: j.add_pain_point("x", stage="awareness", severity="3"),
        "pain_points",
        "pain-3",
        "severity",
        "3",
        "wrong type: expected an integer",
    ),
    (
        "number in text",
        lambda j: j.add_persona("Pat", age=32),
        "personas",
        "pat",
        "age",
        32,
        "wrong type: expected text",
    ),
    (
        "float in text",
        lambda j: j.add_stage("S", description=1.5),
        "stages",
        "s",
        "description",
        1.5,
        "wrong type: expected text",
    ),
    ("number as name", lambda j: j.add_stage(5), "stages", "stage-4", "name", 5, "wrong type: expected text"),
    (
        "number as id ref",
        lambda j: j.add_touchpoint(3, "T"),
        "touchpoints",
        "t",
        "stage_id",
        3,
        "wrong type: expected text",
    ),
    (
        "bool in float",
        lambda j: j.add_metric("Rate", True),
        "metrics",
        "rate",
        "value",
        True,
        "wrong type: expected a number",
    ),
    (
        "bool in score",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=False),
        "emotions",
        "emo-4",
        "score",
        False,
        "wrong type: expected a number",
    ),
    (
        "bool in int",
        lambda j: j.add_pain_point("x", stage="awareness", severity=True),
        "pain_points",
        "pain-3",
        "severity",
        True,
        "wrong type: expected an integer",
    ),
    (
        "bool in n",
        lambda j: j.add_metric("Rate", 1, n=True),
        "metrics",
        "rate",
        "n",
        True,
        "wrong type: expected an integer",
    ),
    (
        "non-integral int",
        lambda j: j.add_pain_point("x", stage="awareness", severity=2.5),
        "pain_points",
        "pain-3",
        "severity",
        2.5,
        "wrong type: expected an integer",
    ),
    (
        "non-integral n",
        lambda j: j.add_metric("Rate", 1, n=1.5),
        "metrics",
        "rate",
        "n",
        1.5,
        "wrong type: expected an integer",
    ),
    (
        "huge int",
        lambda j: j.add_pain_point("x", stage="awareness", severity=2**64),
        "pain_points",
        "pain-3",
        "severity",
        2**64,
        "integer out of the 64-bit range",
    ),
    (
        "int beyond 64 bits in n",
        lambda j: j.add_metric("Rate", 1, n=2**63),
        "metrics",
        "rate",
        "n",
        2**63,
        "integer out of the 64-bit range",
    ),
    (
        "negative int beyond 64 bits",
        lambda j: j.add_pain_point("x", stage="awareness", severity=-(2**63) - 1),
        "pain_points",
        "pain-3",
        "severity",
        -(2**63) - 1,
        "integer out of the 64-bit range",
    ),
    (
        "integral float beyond 64 bits",
        lambda j: j.add_metric("Rate", 1, n=1e20),
        "metrics",
        "rate",
        "n",
        1e20,
        "integer out of the 64-bit range",
    ),
    (
        "numpy uint64 beyond int64",
        lambda j: j.add_metric("Rate", 1, n=np.uint64(2**63)),
        "metrics",
        "rate",
        "n",
        2**63,
        "integer out of the 64-bit range",
    ),
    (
        "huge int within 64 bits, out of range",
        lambda j: j.add_pain_point("x", stage="awareness", severity=2**60),
        "pain_points",
        "pain-3",
        "severity",
        2**60,
        "must be <= 5",
    ),
    (
        "bad date text",
        lambda j: j.add_action("x", due="not a date"),
        "actions",
        "act-2",
        "due",
        "not a date",
        "wrong type: expected a date (ISO 8601 text or datetime)",
    ),
    (
        "impossible date",
        lambda j: j.add_action("x", due="2025-13-45"),
        "actions",
        "act-2",
        "due",
        "2025-13-45",
        "wrong type: expected a date (ISO 8601 text or datetime)",
    ),
    (
        "number as date",
        lambda j: j.add_action("x", due=20250301),
        "actions",
        "act-2",
        "due",
        20250301,
        "wrong type: expected a date (ISO 8601 text or datetime)",
    ),
    (
        "tz date",
        lambda j: j.add_action("x", due=datetime(2025, 3, 1, tzinfo=UTC)),
        "actions",
        "act-2",
        "due",
        datetime(2025, 3, 1, tzinfo=UTC),
        "dates must not carry a time zone",
    ),
    (
        "tz date text",
        lambda j: j.add_action("x", due="2025-03-01T10:00+02:00"),
        "actions",
        "act-2",
        "due",
        "2025-03-01T10:00+02:00",
        "dates must not carry a time zone",
    ),
    (
        "update text in int",
        lambda j: j.update("opportunities", "opp-1", impact="high"),
        "opportunities",
        "opp-1",
        "impact",
        "high",
        "wrong type: expected an integer",
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "column", "value", "rule"),
    [c[1:] for c in TYPE_CASES],
    ids=[c[0] for c in TYPE_CASES],
)
def test_wrong_type(journey, rejects, op, frame, row_id, column, value, rule):
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


@pytest.mark.parametrize("n", [2**53 + 1, 2**60, 2**63 - 1, np.int64(2**62 + 1)], ids=str)
def test_huge_int_with_missing_cells_in_column(journey, n):
    # ctr and conversion have no n: the column holds missing cells. Integers
    # beyond 2**53 are kept exactly (no detour through a float).
    mid = journey.add_metric("Rate", 1, n=n)
    col = journey.metrics["n"]
    assert col.dtype == "Int64"
    assert int(col[journey.metrics["id"] == mid].iloc[0]) == int(n)
    assert col.isna().tolist() == [True, True, False]


def test_int_beyond_64_bits_with_missing_cells_in_column(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_metric("Rate", 1, n=2**63),
        exact(f"frame 'metrics', row 'rate', column 'n', value {2**63}: integer out of the 64-bit range"),
        frame="metrics",
        row_id="rate",
        column="n",
        value=2**63,
        rule="integer out of the 64-bit range",
    )


def test_huge_ints_kept_exactly_through_replace_frame(journey):
    big = [2**53 + 1, None]
    journey.metrics = journey.metrics.assign(n=pd.Series(big, dtype=object))
    assert journey.metrics["n"].tolist() == [2**53 + 1, pd.NA]
    journey.update("metrics", "ctr", n=2**63 - 1)
    assert journey.metrics["n"].tolist() == [2**53 + 1, 2**63 - 1]


def test_int_beyond_64_bits_in_replace_frame_names_its_row(journey, rejects):
    rejects(
        journey,
        lambda: journey.replace_frame(
            "metrics", journey.metrics.assign(n=pd.Series([None, 2**64], dtype=object))
        ),
        exact(f"frame 'metrics', row 'ctr', column 'n', value {2**64}: integer out of the 64-bit range"),
        frame="metrics",
        row_id="ctr",
        column="n",
        value=2**64,
    )


def test_uint64_column_beyond_int64_is_a_validation_error(journey):
    df = journey.metrics.assign(n=np.array([2**63, 1], dtype=np.uint64))
    with pytest.raises(ValidationError, match=r"integer out of the 64-bit range$") as info:
        journey.replace_frame("metrics", df)
    assert (info.value.row_id, info.value.column) == ("conversion", "n")


def test_integral_float_accepted_in_int_column(journey):
    pid = journey.add_pain_point("x", stage="awareness", severity=3.0, frequency=np.int64(2))
    row = journey.pain_points.set_index("id").loc[pid]
    assert (row["severity"], row["frequency"]) == (3, 2)
    assert journey.pain_points["severity"].dtype == "Int64"


def test_int_accepted_in_float_column(journey):
    mid = journey.add_metric("Visits", 1000)
    assert journey.metrics.set_index("id").loc[mid, "value"] == 1000.0
    assert journey.metrics["value"].dtype == "Float64"


REPLACE_TYPE_CASES = [
    (
        "int dtype in text",
        "stages",
        lambda j: j.stages.assign(description=[1, 2, 3]),
        "awareness",
        "description",
        1,
        "wrong type: expected text, got dtype int64",
    ),
    (
        "bool dtype in int",
        "pain_points",
        lambda j: j.pain_points.assign(severity=[True, False]),
        "pain-1",
        "severity",
        True,
        "wrong type: expected an integer, got booleans",
    ),
    (
        "bool dtype in float",
        "metrics",
        lambda j: j.metrics.assign(value=[True, False]),
        "conversion",
        "value",
        True,
        "wrong type: expected a number, got booleans",
    ),
    (
        "string dtype in float",
        "metrics",
        lambda j: j.metrics.assign(value=pd.array(["1", "2"], dtype="string")),
        "conversion",
        "value",
        "1",
        "wrong type: expected a number, got dtype string",
    ),
    (
        "float dtype non-integral",
        "pain_points",
        lambda j: j.pain_points.assign(severity=[1.0, 2.5]),
        "pain-2",
        "severity",
        2.5,
        "wrong type: expected an integer",
    ),
    (
        "object text in int",
        "pain_points",
        lambda j: j.pain_points.assign(severity=pd.Series([1, "2"], dtype=object)),
        "pain-2",
        "severity",
        "2",
        "wrong type: expected an integer",
    ),
    (
        "object number in text",
        "personas",
        lambda j: j.personas.assign(age=pd.Series(["32", 40], dtype=object)),
        "busy-bob",
        "age",
        40,
        "wrong type: expected text",
    ),
    (
        "list in text",
        "stages",
        lambda j: j.stages.assign(description=pd.Series([None, ["a"], None], dtype=object)),
        "consideration",
        "description",
        ["a"],
        "wrong type: expected text",
    ),
    (
        "bad date in object",
        "actions",
        lambda j: j.actions.assign(due=pd.Series(["soon"], dtype=object)),
        "act-1",
        "due",
        "soon",
        "wrong type: expected a date (ISO 8601 text or datetime)",
    ),
    (
        "tz dates",
        "actions",
        lambda j: j.actions.assign(due=pd.to_datetime(["2025-01-01"]).tz_localize("UTC")),
        "act-1",
        "due",
        pd.Timestamp("2025-01-01", tz="UTC"),
        "dates must not carry a time zone",
    ),
]


@pytest.mark.parametrize(
    ("frame", "make", "row_id", "column", "value", "rule"),
    [c[1:] for c in REPLACE_TYPE_CASES],
    ids=[c[0] for c in REPLACE_TYPE_CASES],
)
def test_wrong_type_on_replace(journey, rejects, frame, make, row_id, column, value, rule):
    df = make(journey)
    rejects(
        journey,
        lambda: journey.replace_frame(frame, df),
        exact(f"frame '{frame}', row '{row_id}', column '{column}', value {value!r}: {rule}"),
        frame=frame,
        row_id=row_id,
        column=column,
        value=value,
        rule=rule,
    )


def test_date_text_column_is_parsed_on_replace(journey):
    journey.actions = journey.actions.assign(due=["2025-04-30"])
    assert journey.actions["due"].dtype == "datetime64[us]"
    assert journey.actions["due"].iloc[0] == pd.Timestamp("2025-04-30")


# -- non-finite ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), np.inf])
def test_non_finite_metric_value(journey, rejects, value):
    rejects(
        journey,
        lambda: journey.add_metric("Rate", value),
        exact(
            f"frame 'metrics', row 'rate', column 'value', value {float(value)!r}: must be a finite number"
        ),
        frame="metrics",
        row_id="rate",
        column="value",
        value=value,
        rule="must be a finite number",
    )


def test_non_finite_score_reported_before_range(journey, rejects):
    rejects(
        journey,
        lambda: journey.set_emotion("busy-bob", stage="awareness", score=float("inf")),
        exact("frame 'emotions', row 'emo-4', column 'score', value inf: must be a finite number"),
        rule="must be a finite number",
    )


def test_non_finite_on_replace(journey, rejects):
    df = journey.metrics.assign(value=[1.0, -np.inf])
    rejects(
        journey,
        lambda: journey.replace_frame("metrics", df),
        exact("frame 'metrics', row 'ctr', column 'value', value -inf: must be a finite number"),
        row_id="ctr",
    )
