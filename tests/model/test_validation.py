"""Every validation rule: the message, the error's attributes, and that nothing changed.

Each failing operation goes through the ``rejects`` fixture (conftest), which
asserts the message, the ValidationError attributes, that the journey still
equals a copy taken before the call and that observers heard nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import FRAME_NAMES, Journey, ValidationError
from cjm_jupyter.errors import SchemaVersionError
from cjm_jupyter.model.specs import FRAMES

NA = pd.NA


def exact(message: str) -> str:
    """A regex matching exactly ``message``."""
    return "^" + re.escape(message) + "$"


# -- the error type itself -------------------------------------------------------------------------


def test_validation_error_is_a_value_error():
    assert issubclass(ValidationError, ValueError)
    assert issubclass(SchemaVersionError, ValidationError)


def test_validation_error_message_names_every_part():
    err = ValidationError("must be >= 1", frame="pain_points", row_id="p1", column="severity", value=0)
    assert str(err) == "frame 'pain_points', row 'p1', column 'severity', value 0: must be >= 1"
    assert (err.frame, err.row_id, err.column, err.value, err.rule) == (
        "pain_points",
        "p1",
        "severity",
        0,
        "must be >= 1",
    )


def test_validation_error_without_location_is_just_the_rule():
    err = ValidationError("broken")
    assert str(err) == "broken"
    assert (err.frame, err.row_id, err.column, err.value) == (None, None, None, None)


def test_validation_error_value_none_shown_only_with_has_value():
    assert str(ValidationError("r", column="c", value=None)) == "column 'c': r"
    assert str(ValidationError("r", column="c", value=None, has_value=True)) == "column 'c', value None: r"


def test_validation_error_shows_numpy_values_as_python():
    assert str(ValidationError("r", value=np.float64(5.0))) == "value 5.0: r"
    assert str(ValidationError("r", value=np.int64(7))) == "value 7: r"


def test_validation_error_truncates_long_values():
    text = str(ValidationError("r", value="x" * 200))
    shown = text.removeprefix("value ").removesuffix(": r")
    assert len(shown) == 80
    assert shown.endswith("...")


# -- ids -------------------------------------------------------------------------------------------


def test_missing_id_on_replace(journey, rejects):
    df = journey.stages.assign(id=["awareness", None, "purchase"])
    rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        exact("frame 'stages', column 'id', value <NA>: every row needs an id"),
        frame="stages",
        row_id=None,
        column="id",
        value=NA,
        rule="every row needs an id",
    )


def test_empty_string_id_is_a_missing_id(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_stage("Loyalty", id=""),
        exact("frame 'stages', column 'id', value <NA>: every row needs an id"),
        column="id",
        row_id=None,
    )


@pytest.mark.parametrize("blank", [" ", "   ", "\t"])
def test_blank_id(journey, rejects, blank):
    rejects(
        journey,
        lambda: journey.add_persona("Ann", id=blank),
        exact(f"frame 'personas', row {blank!r}, column 'id', value {blank!r}: ids must not be blank"),
        frame="personas",
        row_id=blank,
        column="id",
        value=blank,
        rule="ids must not be blank",
    )


def test_duplicate_id_on_add(journey, rejects):
    rejects(
        journey,
        lambda: journey.add_stage("Another", id="awareness"),
        exact("frame 'stages', row 'awareness', column 'id', value 'awareness': duplicate id"),
        frame="stages",
        row_id="awareness",
        column="id",
        value="awareness",
        rule="duplicate id",
    )


def test_duplicate_id_across_stage_and_touchpoint_is_allowed(journey):
    # ids are unique per frame, not across frames
    assert journey.add_touchpoint("purchase", "Awareness", id="awareness") == "awareness"


def test_duplicate_id_on_replace(journey, rejects):
    df = pd.concat([journey.personas, journey.personas.iloc[[1]]], ignore_index=True)
    rejects(
        journey,
        lambda: journey.replace_frame("personas", df),
        exact("frame 'personas', row 'busy-bob', column 'id', value 'busy-bob': duplicate id"),
        row_id="busy-bob",
    )


@pytest.mark.parametrize(
    ("frame", "kwargs"),
    [
        ("empathy", {"persona_id": "busy-bob", "quadrant": "says", "text": "t"}),
        ("actions", {"description": "d", "status": "done"}),
        ("lanes", {"lane": "Backstage2", "stage_id": "awareness"}),
        ("event_map", {"event": "view", "touchpoint_id": "ads"}),
    ],
)
def test_duplicate_id_every_frame(journey, rejects, frame, kwargs):
    existing = journey.frame(frame)["id"].iloc[0]
    rejects(
        journey,
        lambda: journey.add(frame, id=existing, **kwargs),
        exact(f"frame '{frame}', row '{existing}', column 'id', value '{existing}': duplicate id"),
        frame=frame,
        row_id=existing,
    )


# -- references ------------------------------------------------------------------------------------

REF_CASES = [
    # (label, op(journey), frame, row id, column, referenced frame)
    (
        "touchpoint->stage",
        lambda j: j.add_touchpoint("nowhere", "X", id="t-x"),
        "touchpoints",
        "t-x",
        "stage_id",
        "stages",
    ),
    (
        "emotion->persona",
        lambda j: j.set_emotion("nobody", stage="awareness", score=0),
        "emotions",
        "emo-4",
        "persona_id",
        "personas",
    ),
    (
        "emotion->stage",
        lambda j: j.set_emotion("busy-bob", stage="nowhere", score=0),
        "emotions",
        "emo-4",
        "stage_id",
        "stages",
    ),
    (
        "emotion->touchpoint",
        lambda j: j.set_emotion("busy-bob", touchpoint="nowhere", score=0),
        "emotions",
        "emo-4",
        "touchpoint_id",
        "touchpoints",
    ),
    (
        "pain->stage",
        lambda j: j.add_pain_point("x", stage="nowhere", id="p-x"),
        "pain_points",
        "p-x",
        "stage_id",
        "stages",
    ),
    (
        "pain->touchpoint",
        lambda j: j.add_pain_point("x", touchpoint="nowhere", id="p-x"),
        "pain_points",
        "p-x",
        "touchpoint_id",
        "touchpoints",
    ),
    (
        "pain->persona",
        lambda j: j.add_pain_point("x", stage="awareness", persona="nobody", id="p-x"),
        "pain_points",
        "p-x",
        "persona_id",
        "personas",
    ),
    (
        "opp->stage",
        lambda j: j.add_opportunity("x", stage="nowhere", id="o-x"),
        "opportunities",
        "o-x",
        "stage_id",
        "stages",
    ),
    (
        "opp->touchpoint",
        lambda j: j.add_opportunity("x", touchpoint="nowhere", id="o-x"),
        "opportunities",
        "o-x",
        "touchpoint_id",
        "touchpoints",
    ),
    (
        "opp->pain point",
        lambda j: j.add_opportunity("x", pain_point="nowhere", id="o-x"),
        "opportunities",
        "o-x",
        "pain_point_id",
        "pain_points",
    ),
    (
        "action->opportunity",
        lambda j: j.add_action("x", opportunity="nowhere", id="a-x"),
        "actions",
        "a-x",
        "opportunity_id",
        "opportunities",
    ),
    (
        "action->stage",
        lambda j: j.add_action("x", stage="nowhere", id="a-x"),
        "actions",
        "a-x",
        "stage_id",
        "stages",
    ),
    (
        "metric->stage",
        lambda j: j.add_metric("m", 1, stage="nowhere", id="m-x"),
        "metrics",
        "m-x",
        "stage_id",
        "stages",
    ),
    (
        "metric->touchpoint",
        lambda j: j.add_metric("m", 1, touchpoint="nowhere", id="m-x"),
        "metrics",
        "m-x",
        "touchpoint_id",
        "touchpoints",
    ),
    (
        "metric->persona",
        lambda j: j.add_metric("m", 1, persona="nobody", id="m-x"),
        "metrics",
        "m-x",
        "persona_id",
        "personas",
    ),
    (
        "goal->stage",
        lambda j: j.add("goals", name="CSAT", target=4, comparison=">=", stage_id="nowhere", id="g-x"),
        "goals",
        "g-x",
        "stage_id",
        "stages",
    ),
    (
        "goal->touchpoint",
        lambda j: j.add("goals", name="CSAT", target=4, comparison=">=", touchpoint_id="nowhere", id="g-x"),
        "goals",
        "g-x",
        "touchpoint_id",
        "touchpoints",
    ),
    (
        "empathy->persona",
        lambda j: j.add_empathy("nobody", "says", "x", id="e-x"),
        "empathy",
        "e-x",
        "persona_id",
        "personas",
    ),
    (
        "lane->stage",
        lambda j: j.add("lanes", lane="Ops", stage_id="nowhere", id="l-x"),
        "lanes",
        "l-x",
        "stage_id",
        "stages",
    ),
    (
        "event_map->touchpoint",
        lambda j: j.map_events("nowhere", "page_view"),
        "event_map",
        "page_view",
        "touchpoint_id",
        "touchpoints",
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "column", "ref"), [c[1:] for c in REF_CASES], ids=[c[0] for c in REF_CASES]
)
def test_unknown_reference(journey, rejects, op, frame, row_id, column, ref):
    bad = "nobody" if ref == "personas" else "nowhere"
    singular = FRAMES[ref].singular
    rule = f"unknown {singular} id (no such row in {ref!r})"
    rejects(
        journey,
        lambda: op(journey),
        exact(f"frame '{frame}', row '{row_id}', column '{column}', value '{bad}': {rule}"),
        frame=frame,
        row_id=row_id,
        column=column,
        value=bad,
        rule=rule,
    )


def test_every_reference_column_is_covered():
    covered = {(c[2], c[4]) for c in REF_CASES}
    declared = {(name, col.name) for name, spec in FRAMES.items() for col in spec.refs}
    assert covered == declared


def test_unknown_stage_on_touchpoint_replace(journey, rejects):
    df = journey.touchpoints
    df.loc[df["id"] == "checkout", "stage_id"] = "nowhere"
    rejects(
        journey,
        lambda: journey.replace_frame("touchpoints", df),
        exact(
            "frame 'touchpoints', row 'checkout', column 'stage_id', value 'nowhere': "
            "unknown stage id (no such row in 'stages')"
        ),
        row_id="checkout",
        column="stage_id",
    )


def test_replacing_stages_without_a_referenced_stage(journey, rejects):
    df = journey.stages.iloc[:2]  # drops purchase, still used by checkout & co.
    err = rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        r"unknown stage id \(no such row in 'stages'\)$",
        column="stage_id",
        value="purchase",
    )
    assert err.frame in {"touchpoints", "pain_points", "opportunities", "metrics", "lanes"}


def test_unknown_reference_in_constructor():
    tps = pd.DataFrame({"id": ["t"], "stage_id": ["s"], "name": ["n"]})
    with pytest.raises(
        ValidationError,
        match=exact(
            "frame 'touchpoints', row 't', column 'stage_id', value 's': "
            "unknown stage id (no such row in 'stages')"
        ),
    ):
        Journey("x", frames={"touchpoints": tps})


# -- required values -------------------------------------------------------------------------------

REQUIRED_CASES = [
    ("persona name blank", lambda j: j.add_persona("   "), "personas", "persona-3", "name", "   "),
    ("stage name None", lambda j: j.add_stage(None), "stages", "stage-4", "name", NA),
    ("stage name empty", lambda j: j.add_stage(""), "stages", "stage-4", "name", NA),
    ("touchpoint stage None", lambda j: j.add_touchpoint(None, "X"), "touchpoints", "x", "stage_id", NA),
    (
        "touchpoint name",
        lambda j: j.add_touchpoint("awareness", " ", id="t-x"),
        "touchpoints",
        "t-x",
        "name",
        " ",
    ),
    (
        "emotion score",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=None),
        "emotions",
        "emo-4",
        "score",
        NA,
    ),
    (
        "emotion score nan",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=float("nan")),
        "emotions",
        "emo-4",
        "score",
        NA,
    ),
    (
        "emotion source",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=0, source=None),
        "emotions",
        "emo-4",
        "source",
        NA,
    ),
    (
        "emotion basis",
        lambda j: j.add("emotions", stage_id="awareness", score=0, source="s", id="e-x"),
        "emotions",
        "e-x",
        "basis",
        NA,
    ),
    (
        "pain description",
        lambda j: j.add_pain_point("", stage="awareness"),
        "pain_points",
        "pain-3",
        "description",
        NA,
    ),
    (
        "pain source",
        lambda j: j.add_pain_point("x", stage="awareness", source=None),
        "pain_points",
        "pain-3",
        "source",
        NA,
    ),
    (
        "pain basis",
        lambda j: j.add("pain_points", description="x", stage_id="awareness", source="s"),
        "pain_points",
        "pain-3",
        "basis",
        NA,
    ),
    (
        "opportunity description",
        lambda j: j.add_opportunity(None),
        "opportunities",
        "opp-3",
        "description",
        NA,
    ),
    ("action description", lambda j: j.add_action("  "), "actions", "act-2", "description", "  "),
    ("action status", lambda j: j.add_action("x", status=None), "actions", "act-2", "status", NA),
    ("action status generic", lambda j: j.add("actions", description="x"), "actions", "act-2", "status", NA),
    ("metric name", lambda j: j.add_metric(None, 1, id="m-x"), "metrics", "m-x", "name", NA),
    ("metric value", lambda j: j.add_metric("Rate", None), "metrics", "rate", "value", NA),
    ("metric value nan", lambda j: j.add_metric("Rate", np.nan), "metrics", "rate", "value", NA),
    ("metric source", lambda j: j.add_metric("Rate", 1, source=None), "metrics", "rate", "source", NA),
    (
        "metric basis",
        lambda j: j.add("metrics", name="Rate", value=1, source="s"),
        "metrics",
        "rate",
        "basis",
        NA,
    ),
    (
        "goal name",
        lambda j: j.add("goals", name=" ", target=1, comparison=">="),
        "goals",
        "goal-1",
        "name",
        " ",
    ),
    ("goal target", lambda j: j.add("goals", name="CSAT", comparison=">="), "goals", "csat", "target", NA),
    ("goal comparison", lambda j: j.add("goals", name="CSAT", target=4), "goals", "csat", "comparison", NA),
    ("empathy persona", lambda j: j.add_empathy(None, "says", "x"), "empathy", "emp-2", "persona_id", NA),
    ("empathy quadrant", lambda j: j.add_empathy("busy-bob", None, "x"), "empathy", "emp-2", "quadrant", NA),
    ("empathy text", lambda j: j.add_empathy("busy-bob", "says", ""), "empathy", "emp-2", "text", NA),
    ("lane name", lambda j: j.add("lanes", stage_id="awareness"), "lanes", "cell-4", "lane", NA),
    ("lane stage", lambda j: j.add("lanes", lane="Ops"), "lanes", "ops", "stage_id", NA),
    ("mapped event", lambda j: j.add("event_map", touchpoint_id="ads"), "event_map", "map-4", "event", NA),
    (
        "mapping touchpoint",
        lambda j: j.add("event_map", event="view"),
        "event_map",
        "map-4",
        "touchpoint_id",
        NA,
    ),
    (
        "update clears name",
        lambda j: j.update_stage("awareness", name=None),
        "stages",
        "awareness",
        "name",
        NA,
    ),
    (
        "update blanks persona name",
        lambda j: j.update_persona("busy-bob", name=""),
        "personas",
        "busy-bob",
        "name",
        NA,
    ),
]


@pytest.mark.parametrize(
    ("op", "frame", "row_id", "column", "value"),
    [c[1:] for c in REQUIRED_CASES],
    ids=[c[0] for c in REQUIRED_CASES],
)
def test_required_value_missing(journey, rejects, op, frame, row_id, column, value):
    shown = "<NA>" if value is NA else repr(value)
    rejects(
        journey,
        lambda: op(journey),
        exact(f"frame '{frame}', row '{row_id}', column '{column}', value {shown}: a value is required"),
        frame=frame,
        row_id=row_id,
        column=column,
        value=value,
        rule="a value is required",
    )


def test_every_required_column_is_covered():
    covered = {(c[2], c[4]) for c in REQUIRED_CASES}
    declared = {
        (name, col.name)
        for name, spec in FRAMES.items()
        for col in spec.columns
        if col.required and col.name not in ("id", "order")
    }
    assert declared <= covered


def test_required_order_missing_on_replace(journey, rejects):
    df = journey.stages.assign(order=pd.array([0, None, 2], dtype="Int64"))
    rejects(
        journey,
        lambda: journey.replace_frame("stages", df),
        exact("frame 'stages', row 'consideration', column 'order', value <NA>: a value is required"),
        row_id="consideration",
        column="order",
    )


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
