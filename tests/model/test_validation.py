"""Validation: the error type, ids, references and required values.

Each failing operation goes through the ``rejects`` fixture (tests/conftest.py), which
asserts the message, the ValidationError attributes, that the journey still
equals a copy taken before the call and that observers heard nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.errors import SchemaVersionError
from cjm_jupyter.model.specs import FRAMES

from ..support.journeys import exact

NA = pd.NA


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
