"""Every field and link of the editors, driven as the front end drives them (``editor.handle``).

Uses the ``journey`` fixture of conftest.py: stages awareness, consideration, purchase;
touchpoints search-engine, ads (awareness), reviews (consideration), checkout (purchase);
personas curious-colleen, busy-bob; emotions emo-1 (colleen @ search-engine), emo-2 (colleen @
consideration, survey), emo-3 (bob @ checkout); pain-1 (@ search-engine), pain-2 (@ purchase);
opp-1 (@ search-engine, pain-1), opp-2 (@ purchase, pain-2); act-1 (awareness, opp-1).
"""

from __future__ import annotations

from itertools import count
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor, templates
from cjm_jupyter.model.specs import FRAMES

_ids = count(1)


def send(editor: JourneyEditor | PersonaEditor, op: str, **params: Any) -> dict[str, Any]:
    return editor.handle({"op": op, "request_id": next(_ids), **params})


def ok(editor: JourneyEditor | PersonaEditor, op: str, **params: Any) -> Any:
    reply = send(editor, op, **params)
    assert reply["ok"], reply["error"]
    return reply.get("result")


def cell(journey: Journey, frame: str, row_id: str, column: str) -> Any:
    return journey.frame(frame).set_index("id").loc[row_id, column]


# -- every new field and link, one update each --------------------------------------------------
UPDATES = [
    ("pain_points", "pain-1", {"severity": 2}),
    ("pain_points", "pain-1", {"frequency": 5}),
    ("pain_points", "pain-1", {"evidence": "6 of 8 interviewees"}),
    ("pain_points", "pain-1", {"source": "interview"}),
    ("pain_points", "pain-1", {"basis": "measured"}),
    ("pain_points", "pain-2", {"persona_id": "busy-bob"}),
    ("pain_points", "pain-1", {"persona_id": None}),
    ("pain_points", "pain-1", {"stage_id": "awareness", "touchpoint_id": None}),
    ("pain_points", "pain-2", {"stage_id": None, "touchpoint_id": "checkout"}),
    ("opportunities", "opp-1", {"impact": 1}),
    ("opportunities", "opp-1", {"effort": 5}),
    ("opportunities", "opp-1", {"pain_point_id": "pain-2"}),
    ("opportunities", "opp-1", {"pain_point_id": None}),
    ("opportunities", "opp-2", {"stage_id": None, "touchpoint_id": "checkout"}),
    ("opportunities", "opp-2", {"stage_id": None, "touchpoint_id": None}),
    ("actions", "act-1", {"owner": "Customer service"}),
    ("actions", "act-1", {"status": "in_progress"}),
    ("actions", "act-1", {"opportunity_id": "opp-2"}),
    ("actions", "act-1", {"opportunity_id": None}),
    ("actions", "act-1", {"stage_id": "purchase"}),
    ("actions", "act-1", {"stage_id": None}),
    ("emotions", "emo-1", {"feeling": "calm"}),
    ("emotions", "emo-1", {"thought": "It arrives tomorrow."}),
    ("emotions", "emo-1", {"source": "interview"}),
    ("emotions", "emo-1", {"basis": "measured"}),
    ("emotions", "emo-1", {"n": 8}),
    ("emotions", "emo-2", {"n": None}),
    ("emotions", "emo-1", {"persona_id": None}),
    ("emotions", "emo-3", {"persona_id": "curious-colleen"}),
    ("emotions", "emo-1", {"stage_id": "awareness", "touchpoint_id": None}),
    ("emotions", "emo-2", {"stage_id": None, "touchpoint_id": "reviews"}),
]


@pytest.mark.parametrize(("frame", "row_id", "fields"), UPDATES, ids=lambda v: str(v))
def test_each_field_and_link_updates_the_frame(
    editor: JourneyEditor, journey: Journey, frame: str, row_id: str, fields: dict[str, Any]
) -> None:
    ok(editor, "update", frame=frame, id=row_id, fields=fields)
    for column, value in fields.items():
        got = cell(journey, frame, row_id, column)
        assert pd.isna(got) if value is None else got == value, (column, got)
    # The snapshot the views draw shows it too.
    row = next(r for r in editor.snapshot[frame] if r["id"] == row_id)
    assert {k: row[k] for k in fields} == fields


def test_due_date_set_and_cleared(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update", frame="actions", id="act-1", fields={"due": "2026-03-31"})
    assert cell(journey, "actions", "act-1", "due") == pd.Timestamp("2026-03-31")
    assert editor.snapshot["actions"][0]["due"] == "2026-03-31"
    ok(editor, "update", frame="actions", id="act-1", fields={"due": None})
    assert pd.isna(cell(journey, "actions", "act-1", "due"))
    ok(editor, "update", frame="actions", id="act-1", fields={"due": "2026-01-15"})
    ok(editor, "update", frame="actions", id="act-1", fields={"due": ""})  # an emptied date input
    assert pd.isna(cell(journey, "actions", "act-1", "due"))


# -- add ops with their optional parameters ------------------------------------------------------
def test_add_pain_point_with_every_field(editor: JourneyEditor, journey: Journey) -> None:
    new = ok(
        editor,
        "add_pain_point",
        description="Checkout asks for an account",
        touchpoint="checkout",
        persona="busy-bob",
        severity=3,
        frequency=4,
        evidence="Analytics: 74% abandonment",
        source="analytics",
        basis="measured",
    )
    row = journey.pain_points.set_index("id").loc[new]
    assert (row["touchpoint_id"], row["persona_id"], row["severity"], row["frequency"]) == (
        "checkout",
        "busy-bob",
        3,
        4,
    )
    assert (row["evidence"], row["source"], row["basis"]) == (
        "Analytics: 74% abandonment",
        "analytics",
        "measured",
    )
    assert pd.isna(row["stage_id"])


def test_add_opportunity_and_action_with_links(editor: JourneyEditor, journey: Journey) -> None:
    opp = ok(
        editor,
        "add_opportunity",
        description="Guest checkout",
        touchpoint="checkout",
        pain_point="pain-2",
        impact=5,
        effort=2,
    )
    act = ok(
        editor,
        "add_action",
        description="Ship guest checkout",
        stage="purchase",
        owner="Web",
        status="planned",
        due="2026-06-30",
        opportunity=opp,
    )
    o = journey.opportunities.set_index("id").loc[opp]
    assert (o["touchpoint_id"], o["pain_point_id"], o["impact"], o["effort"]) == ("checkout", "pain-2", 5, 2)
    a = journey.actions.set_index("id").loc[act]
    assert (a["stage_id"], a["owner"], a["opportunity_id"], a["due"]) == (
        "purchase",
        "Web",
        opp,
        pd.Timestamp("2026-06-30"),
    )


def test_add_emotion_at_a_stage_and_at_a_touchpoint(editor: JourneyEditor, journey: Journey) -> None:
    at_stage = ok(editor, "add_emotion", persona="busy-bob", stage="awareness", score=0)
    at_tp = ok(
        editor, "add_emotion", persona="busy-bob", touchpoint="reviews", score=1.5, source="interview", n=8
    )
    emo = journey.emotions.set_index("id")
    assert (emo.loc[at_stage, "stage_id"], emo.loc[at_stage, "source"], emo.loc[at_stage, "basis"]) == (
        "awareness",
        "assumption",
        "assumed",
    )
    assert pd.isna(emo.loc[at_stage, "touchpoint_id"])
    assert (
        emo.loc[at_tp, "touchpoint_id"],
        emo.loc[at_tp, "score"],
        emo.loc[at_tp, "basis"],
        emo.loc[at_tp, "n"],
    ) == (
        "reviews",
        1.5,
        "measured",
        8,
    )


def test_add_emotion_never_overwrites_an_existing_row(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.copy()
    # emo-1: colleen at search-engine, source "assumption", score -1
    reply = send(editor, "add_emotion", persona="curious-colleen", touchpoint="search-engine", score=0)
    assert not reply["ok"] and reply["where"] == {"frame": "emotions", "row_id": "emo-1", "column": "source"}
    assert journey.equals(before) and editor.undo_depth == 0
    # Another source is another row (Colleen's map has two at the brand website).
    ok(
        editor,
        "add_emotion",
        persona="curious-colleen",
        touchpoint="search-engine",
        score=0,
        source="workshop",
    )
    assert len(journey.emotions) == len(before.emotions) + 1


# -- invalid values: an error naming frame, row and column; nothing changed -----------------------
INVALID = [
    ("pain_points", "pain-1", {"touchpoint_id": "nope"}, "touchpoint_id"),
    ("pain_points", "pain-1", {"stage_id": "awareness"}, "stage_id"),  # both places set
    ("pain_points", "pain-1", {"stage_id": None, "touchpoint_id": None}, None),  # neither
    ("pain_points", "pain-1", {"basis": "maybe"}, "basis"),
    ("pain_points", "pain-1", {"severity": 6}, "severity"),
    ("pain_points", "pain-1", {"frequency": 2.5}, "frequency"),
    ("pain_points", "pain-1", {"persona_id": "ghost"}, "persona_id"),
    ("pain_points", "pain-1", {"source": ""}, "source"),
    ("opportunities", "opp-1", {"pain_point_id": "zz"}, "pain_point_id"),
    ("opportunities", "opp-1", {"impact": 0}, "impact"),
    ("actions", "act-1", {"due": "2026-13-45"}, "due"),
    ("actions", "act-1", {"opportunity_id": "zz"}, "opportunity_id"),
    ("actions", "act-1", {"stage_id": "nope"}, "stage_id"),
    ("emotions", "emo-1", {"n": -1}, "n"),
    ("emotions", "emo-1", {"basis": "guess"}, "basis"),
    ("emotions", "emo-1", {"touchpoint_id": "ghost"}, "touchpoint_id"),
    (
        "emotions",
        "emo-2",
        {"source": "assumption", "persona_id": "curious-colleen", "stage_id": "consideration"},
        None,
    ),
]


@pytest.mark.parametrize(("frame", "row_id", "fields", "column"), INVALID, ids=lambda v: str(v))
def test_invalid_value_is_an_error_naming_the_cell(
    editor: JourneyEditor,
    journey: Journey,
    frame: str,
    row_id: str,
    fields: dict[str, Any],
    column: str | None,
) -> None:
    if frame == "emotions" and fields.get("source") == "assumption":
        # Make the edit collide with another row on (persona, place, source).
        journey.set_emotion("curious-colleen", stage="consideration", score=0, source="assumption")
    before, version = journey.copy(), editor.snapshot["version"]
    reply = send(editor, "update", frame=frame, id=row_id, fields=fields)
    assert not reply["ok"], fields
    assert reply["where"]["frame"] == frame
    assert reply["where"]["row_id"] in (row_id, None) or frame == "emotions"
    if column is not None:
        assert reply["where"]["column"] == column
        assert f"column {column!r}" in reply["error"]
    assert journey.equals(before)
    assert editor.snapshot["version"] == version
    assert editor.undo_depth == 0


@pytest.mark.parametrize(
    ("op", "params", "fragment"),
    [
        ("add_pain_point", {"description": "x", "stage": "awareness", "severity": "high"}, "integer"),
        ("add_action", {"description": "x", "due": 20260101}, "string"),
        ("add_emotion", {"stage": "awareness"}, "needs 'score'"),
        (
            "update",
            {"frame": "touchpoints", "id": "ads", "fields": {"stage_id": "purchase"}},
            "cannot be edited",
        ),
        ("update", {"frame": "pain_points", "id": "pain-1", "fields": {"order": 1}}, "cannot be edited"),
    ],
)
def test_malformed_field_messages_are_refused(
    editor: JourneyEditor, journey: Journey, op: str, params: dict[str, Any], fragment: str
) -> None:
    before = journey.copy()
    reply = send(editor, op, **params)
    assert not reply["ok"] and fragment in reply["error"]
    assert journey.equals(before)


# -- undo ---------------------------------------------------------------------------------------
def test_link_and_placement_edits_undo_and_redo(editor: JourneyEditor, journey: Journey) -> None:
    ok(
        editor,
        "update",
        frame="pain_points",
        id="pain-1",
        fields={"stage_id": "awareness", "touchpoint_id": None},
    )
    ok(editor, "update", frame="opportunities", id="opp-1", fields={"pain_point_id": "pain-2"})
    ok(editor, "update", frame="actions", id="act-1", fields={"due": "2027-01-01"})
    ok(editor, "undo")
    assert cell(journey, "actions", "act-1", "due") == pd.Timestamp("2025-03-01")
    ok(editor, "undo")
    assert cell(journey, "opportunities", "opp-1", "pain_point_id") == "pain-1"
    ok(editor, "undo")
    assert cell(journey, "pain_points", "pain-1", "touchpoint_id") == "search-engine"
    assert pd.isna(cell(journey, "pain_points", "pain-1", "stage_id"))
    ok(editor, "redo")
    assert cell(journey, "pain_points", "pain-1", "stage_id") == "awareness"


def test_adds_with_fields_undo_as_one_step(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.copy()
    ok(editor, "add_pain_point", description="x", touchpoint="ads", severity=2, evidence="e", source="survey")
    ok(editor, "add_emotion", persona=None, touchpoint="ads", score=-1)
    assert editor.undo_depth == 2
    ok(editor, "undo")
    ok(editor, "undo")
    assert journey.equals(before)


# -- PersonaEditor ----------------------------------------------------------------------------------
PERSONA_COLUMNS = [c for c in FRAMES["personas"].column_names if c != "id"]


def test_persona_editor_edits_all_twenty_two_columns(journey: Journey) -> None:
    assert len(FRAMES["personas"].column_names) == 22
    editor = PersonaEditor(journey)
    typed = {"validated_at", "basis", "n"}
    texts = [c for c in PERSONA_COLUMNS if c not in typed]
    for column in texts:
        ok(editor, "update_persona", id="busy-bob", fields={column: f"{column} of Bob"})
    ok(editor, "update_persona", id="busy-bob", fields={"validated_at": "2026-10-01"})
    ok(editor, "update_persona", id="busy-bob", fields={"basis": "measured", "n": 420})
    row = journey.personas.set_index("id").loc["busy-bob"]
    assert {c: row[c] for c in texts} == {c: f"{c} of Bob" for c in texts}
    assert row["validated_at"] == pd.Timestamp("2026-10-01")
    assert (row["basis"], row["n"]) == ("measured", 420)
    ok(editor, "update_persona", id="busy-bob", fields={"gender": None})
    assert pd.isna(cell(journey, "personas", "busy-bob", "gender"))


def test_empathy_entries_with_source_and_quadrant(journey: Journey) -> None:
    editor = PersonaEditor(journey)
    new = ok(editor, "add_empathy", persona="busy-bob", quadrant="feels", text="Rushed", source="interview")
    assert cell(journey, "empathy", new, "source") == "interview"
    ok(editor, "update", frame="empathy", id=new, fields={"quadrant": "does", "source": "diary study"})
    assert (cell(journey, "empathy", new, "quadrant"), cell(journey, "empathy", new, "source")) == (
        "does",
        "diary study",
    )
    reply = send(editor, "update", frame="empathy", id=new, fields={"quadrant": "hears"})
    assert not reply["ok"] and reply["where"] == {"frame": "empathy", "row_id": new, "column": "quadrant"}
    assert cell(journey, "empathy", new, "quadrant") == "does"
    no_source = ok(editor, "add_empathy", persona="busy-bob", quadrant="says", text="Quick!")
    assert pd.isna(cell(journey, "empathy", no_source, "source"))


# -- the Colleen map, typed in through the editors' messages --------------------------------------
def _text(value: Any) -> Any:
    return None if pd.isna(value) else value


def _type_colleen(journey_ed: JourneyEditor, persona_ed: PersonaEditor, t: Journey) -> None:
    """Send what a person filling every control of the editors would send, in template order."""
    for p in t.personas.to_dict("records"):
        ok(persona_ed, "add_persona", name=p["name"])
        for column in PERSONA_COLUMNS[1:]:
            if _text(p[column]) is not None:
                ok(persona_ed, "update_persona", id=p["id"], fields={column: p[column]})
    for s in t.stages.to_dict("records"):
        ok(journey_ed, "add_stage", name=s["name"])
        ok(journey_ed, "update_stage", id=s["id"], fields={"description": s["description"]})
    for tp in t.touchpoints.to_dict("records"):
        ok(journey_ed, "add_touchpoint", stage=tp["stage_id"], name=tp["name"])
        for column in ("channel", "action", "description", "optimisation", "owner"):
            if _text(tp[column]) is not None:
                ok(journey_ed, "update_touchpoint", id=tp["id"], fields={column: tp[column]})
    stage_of = dict(zip(t.touchpoints["id"], t.touchpoints["stage_id"], strict=True))

    def place(row: dict[str, Any]) -> dict[str, Any]:
        tp = _text(row["touchpoint_id"])
        return {"touchpoint": tp} if tp else {"stage": row["stage_id"]}

    def fill(frame: str, row: dict[str, Any], columns: tuple[str, ...]) -> None:
        for column in columns:
            if _text(row[column]) is not None:
                value = row[column]
                value = value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else value
                value = float(value) if column == "score" else value
                value = int(value) if column in ("n", "severity", "frequency", "impact", "effort") else value
                ok(journey_ed, "update", frame=frame, id=row["id"], fields={column: value})

    for e in t.emotions.to_dict("records"):
        ok(journey_ed, "add_emotion", persona=e["persona_id"], score=0, source=e["source"], **place(e))
        fill("emotions", e, ("score", "feeling", "thought", "basis", "n"))
    for pain in t.pain_points.to_dict("records"):
        # The UI adds in a stage cell, then the placement select moves it to a touchpoint.
        stage = _text(pain["stage_id"]) or stage_of[pain["touchpoint_id"]]
        ok(journey_ed, "add_pain_point", description=pain["description"], stage=stage)
        if _text(pain["touchpoint_id"]):
            fields = {"stage_id": None, "touchpoint_id": pain["touchpoint_id"]}
            ok(journey_ed, "update", frame="pain_points", id=pain["id"], fields=fields)
        fill("pain_points", pain, ("persona_id", "severity", "frequency", "evidence", "source", "basis"))
    for opp in t.opportunities.to_dict("records"):
        stage = _text(opp["stage_id"]) or stage_of[opp["touchpoint_id"]]
        ok(journey_ed, "add_opportunity", description=opp["description"], stage=stage)
        if _text(opp["touchpoint_id"]):
            fields = {"stage_id": None, "touchpoint_id": opp["touchpoint_id"]}
            ok(journey_ed, "update", frame="opportunities", id=opp["id"], fields=fields)
        fill("opportunities", opp, ("pain_point_id", "impact", "effort"))
    for act in t.actions.to_dict("records"):
        ok(journey_ed, "add_action", description=act["description"], stage=act["stage_id"])
        fill("actions", act, ("owner", "status", "due", "opportunity_id"))


def test_the_colleen_map_can_be_typed_in_through_the_editors() -> None:
    template = templates.load("colleen")
    journey = Journey(template.name)
    _type_colleen(JourneyEditor(journey), PersonaEditor(journey), template)
    for frame in ("personas", "stages", "touchpoints", "emotions", "pain_points", "opportunities", "actions"):
        pd.testing.assert_frame_equal(journey.frame(frame), template.frame(frame), obj=frame)
