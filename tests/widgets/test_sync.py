"""Editors driven as the front end drives them: custom messages in, replies and snapshots out.

Uses the ``journey`` fixture of conftest.py (stages awareness, consideration,
purchase; touchpoints search-engine, ads, reviews, checkout; ...).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor

from ..support.editor_comm import Sent, ok, run


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in rows]


# -- snapshot -------------------------------------------------------------------------------
def test_snapshot_mirrors_the_frames(editor: JourneyEditor, journey: Journey) -> None:
    snap = editor.snapshot
    assert names(snap["stages"]) == journey.stages["name"].tolist()
    assert [t["id"] for t in snap["touchpoints"]] == journey.touchpoints["id"].tolist()
    assert snap["journey"]["name"] == "Buying a vacuum cleaner"
    assert snap["actions"][0]["due"] == "2025-03-01"
    assert snap["emotions"][0]["score"] == -1.0 and snap["emotions"][0]["n"] is None
    json.dumps(snap)  # what the comm sends must be JSON


def test_snapshot_holds_only_the_editors_frames(journey: Journey) -> None:
    assert set(PersonaEditor(journey).snapshot) == {"version", "journey", "personas", "empathy"}
    assert "empathy" not in JourneyEditor(journey).snapshot


# -- edits from the front end change the frames ------------------------------------------------
def test_rename_and_describe_a_stage(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_stage", id="awareness", fields={"name": "Discover", "description": "Hears of it"})
    assert journey.stages.loc[0, ["name", "description"]].tolist() == ["Discover", "Hears of it"]
    assert editor.snapshot["stages"][0]["name"] == "Discover"


def test_add_move_and_remove_stages(editor: JourneyEditor, journey: Journey) -> None:
    new = ok(editor, "add_stage", name="Loyalty", position=1)
    assert journey.stages["id"].tolist() == ["awareness", new, "consideration", "purchase"]
    ok(editor, "move_stage", id=new, position=3)
    assert journey.stages["id"].tolist()[-1] == new
    ok(editor, "remove_stage", id="awareness")  # cascades: its touchpoints go too
    assert "awareness" not in journey.stages["id"].tolist()
    assert set(journey.touchpoints["stage_id"]) == {"consideration", "purchase"}


def test_touchpoint_edits(editor: JourneyEditor, journey: Journey) -> None:
    tp = ok(editor, "add_touchpoint", stage="consideration", name="Friends", channel="word of mouth")
    ok(editor, "update_touchpoint", id=tp, fields={"owner": "Community", "optimisation": "Referral"})
    ok(editor, "move_touchpoint", id=tp, stage="purchase", position=0)
    row = journey.touchpoints.set_index("id").loc[tp]
    assert (row["stage_id"], row["order"], row["owner"], row["optimisation"]) == (
        "purchase",
        0,
        "Community",
        "Referral",
    )
    ok(editor, "remove_touchpoint", id="search-engine")  # cascades to its emotion and pain point
    assert "search-engine" not in journey.touchpoints["id"].tolist()
    assert "search-engine" not in journey.emotions["touchpoint_id"].dropna().tolist()


def test_emotions(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update", frame="emotions", id="emo-1", fields={"score": 1.5, "feeling": "hopeful"})
    assert journey.emotions.set_index("id").loc["emo-1", ["score", "feeling"]].tolist() == [1.5, "hopeful"]
    new = ok(editor, "set_emotion", persona="busy-bob", stage="awareness", score=0)
    assert journey.emotions.set_index("id").loc[new, "stage_id"] == "awareness"


def test_pain_points_opportunities_actions(editor: JourneyEditor, journey: Journey) -> None:
    pain = ok(editor, "add_pain_point", description="Confusing specs", stage="consideration", severity=3)
    opp = ok(editor, "add_opportunity", description="Comparison table", stage="consideration")
    act = ok(editor, "add_action", description="Design table", stage="consideration", owner="UX")
    ok(editor, "update", frame="actions", id=act, fields={"status": "in_progress", "due": "2026-01-31"})
    ok(editor, "update", frame="opportunities", id=opp, fields={"impact": 4, "effort": 2})
    assert journey.pain_points.set_index("id").loc[pain, "severity"] == 3
    assert journey.actions.set_index("id").loc[act, "status"] == "in_progress"
    assert journey.actions.set_index("id").loc[act, "due"] == pd.Timestamp("2026-01-31")
    ok(editor, "remove", frame="pain_points", id=pain)
    assert pain not in journey.pain_points["id"].tolist()


def test_an_emptied_field_is_missing(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_stage", id="awareness", fields={"description": "  "})
    assert pd.isna(journey.stages.loc[0, "description"])


# -- invalid edits: an error reply, nothing changed -----------------------------------------------
INVALID = [
    ({"op": "update", "frame": "emotions", "id": "emo-1", "fields": {"score": 5}}, "score"),
    ({"op": "update_stage", "id": "awareness", "fields": {"name": None}}, "name"),
    ({"op": "update_stage", "id": "nope", "fields": {"name": "X"}}, "nope"),
    ({"op": "update", "frame": "actions", "id": "act-1", "fields": {"status": "someday"}}, "status"),
    ({"op": "move_stage", "id": "awareness", "position": 9}, "position"),
    ({"op": "add_touchpoint", "stage": "nope", "name": "X"}, "stage"),
    ({"op": "drop_table"}, "unknown op"),
    ({"op": "update_stage", "id": "awareness"}, "needs 'fields'"),
    ({"op": "update_stage", "id": "awareness", "fields": {"name": "X"}, "extra": 1}, "unexpected key"),
    ({"op": "move_stage", "id": "awareness", "position": "1"}, "integer"),
    ({"op": "move_stage", "id": "awareness", "position": True}, "integer"),
    ({"op": "set_emotion", "persona": None, "stage": "awareness", "score": "high"}, "number"),
    ({"op": "update_stage", "id": "awareness", "fields": {"id": "x"}}, "cannot be edited"),
    ({"op": "update_stage", "id": "awareness", "fields": {"order": 3}}, "cannot be edited"),
    ({"op": "update_stage", "id": "awareness", "fields": {"name": ["a"]}}, "text, a number or null"),
    ({"op": "update_stage", "id": "awareness", "fields": {}}, "non-empty"),
    ({"op": "update_stage", "id": "awareness", "fields": {"name": "x" * 10_001}}, "longer than"),
    ({"op": "update", "frame": "empathy", "id": "x", "fields": {"text": "hi"}}, "cannot be edited"),
    ({"op": "remove", "frame": "lanes", "id": "backstage-awareness"}, "cannot be edited"),
    ({"op": "update", "frame": "emotions", "id": "emo-1", "fields": {"score": float("nan")}}, "NaN"),
]


@pytest.mark.parametrize(("content", "fragment"), INVALID, ids=[str(i) for i in range(len(INVALID))])
def test_invalid_edit_is_reported_and_changes_nothing(
    editor: JourneyEditor, journey: Journey, content: dict[str, Any], fragment: str
) -> None:
    before, version = journey.copy(), editor.snapshot["version"]
    reply = run(editor, **content)
    assert not reply["ok"] and fragment in reply["error"]
    assert journey.equals(before)
    assert editor.snapshot["version"] == version
    assert editor.undo_depth == 0


def test_validation_error_names_the_cell(editor: JourneyEditor) -> None:
    reply = run(editor, "update", frame="emotions", id="emo-1", fields={"score": 5})
    assert reply["where"] == {"frame": "emotions", "row_id": "emo-1", "column": "score"}


@pytest.mark.parametrize("content", [None, [], "undo", {"op": "undo"}, {"op": "undo", "request_id": "1"}])
def test_malformed_messages_get_an_error_reply(editor: JourneyEditor, content: Any) -> None:
    sent = Sent()
    editor.send = sent  # type: ignore[method-assign]
    editor._handle_custom_msg(content, [])
    assert sent[0]["ok"] is False and sent[0]["error"].startswith("bad message")


def test_anywidget_commands_are_left_alone(editor: JourneyEditor) -> None:
    sent = Sent()
    editor.send = sent  # type: ignore[method-assign]
    editor._handle_custom_msg({"kind": "anywidget-command", "name": "x", "id": 1, "msg": {}}, [])
    assert sent == []


# -- Python-side changes reach every editor ----------------------------------------------------------
def test_python_changes_update_every_editor(journey: Journey) -> None:
    first, second = JourneyEditor(journey), JourneyEditor(journey)
    journey.update_stage("awareness", name="Discover")
    assert first.snapshot["stages"][0]["name"] == second.snapshot["stages"][0]["name"] == "Discover"
    stages = journey.stages
    stages.loc[1, "name"] = "Compare"
    journey.stages = stages  # whole-frame replacement
    assert names(first.snapshot["stages"])[1] == "Compare"


def test_an_edit_in_one_editor_shows_in_the_other(journey: Journey) -> None:
    first, second = JourneyEditor(journey), JourneyEditor(journey)
    people = PersonaEditor(journey)
    ok(first, "add_touchpoint", stage="purchase", name="Delivery")
    assert "Delivery" in names(second.snapshot["touchpoints"])
    ok(people, "update_persona", id="busy-bob", fields={"name": "Bob"})
    assert [p["name"] for p in first.snapshot["personas"]] == ["Curious Colleen", "Bob"]


def test_frames_an_editor_does_not_show_do_not_redraw_it(editor: JourneyEditor, journey: Journey) -> None:
    version = editor.snapshot["version"]
    journey.add_empathy("curious-colleen", "thinks", "Is it worth it?")
    assert editor.snapshot["version"] == version
    journey.name = "Renamed"
    assert editor.snapshot["journey"]["name"] == "Renamed"


def test_a_batch_redraws_once(editor: JourneyEditor, journey: Journey) -> None:
    version = editor.snapshot["version"]
    with journey.batch():
        journey.update_stage("awareness", name="A")
        journey.update_stage("purchase", name="P")
    assert editor.snapshot["version"] == version + 1


def test_closed_editor_stops_following(editor: JourneyEditor, journey: Journey) -> None:
    editor.close()
    journey.update_stage("awareness", name="After close")
    assert editor.snapshot["stages"][0]["name"] == "Awareness"


# -- undo / redo ------------------------------------------------------------------------------------
def test_undo_and_redo_steps(editor: JourneyEditor, journey: Journey) -> None:
    states = [journey.copy()]
    ok(editor, "update_stage", id="awareness", fields={"name": "Discover"})
    states.append(journey.copy())
    ok(editor, "remove_stage", id="purchase")  # a cascade over several frames
    states.append(journey.copy())
    assert (editor.undo_depth, editor.redo_depth) == (2, 0)
    ok(editor, "undo")
    assert journey.equals(states[1])
    ok(editor, "undo")
    assert journey.equals(states[0]) and (editor.undo_depth, editor.redo_depth) == (0, 2)
    assert names(editor.snapshot["stages"])[0] == "Awareness"
    ok(editor, "redo")
    ok(editor, "redo")
    assert journey.equals(states[2])
    assert not run(editor, "redo")["ok"]


def test_a_new_edit_clears_redo(editor: JourneyEditor) -> None:
    ok(editor, "update_stage", id="awareness", fields={"name": "One"})
    ok(editor, "undo")
    ok(editor, "update_stage", id="awareness", fields={"name": "Two"})
    assert (editor.undo_depth, editor.redo_depth) == (1, 0)


def test_edits_that_change_nothing_are_not_recorded(editor: JourneyEditor) -> None:
    ok(editor, "update_stage", id="awareness", fields={"name": "Awareness"})
    assert editor.undo_depth == 0


def test_undo_refuses_to_discard_changes_made_elsewhere(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_stage", id="awareness", fields={"name": "Discover"})
    journey.update_stage("purchase", name="Buy")  # from Python, after the edit
    reply = run(editor, "undo")
    assert not reply["ok"] and "changed outside this editor" in reply["error"]
    assert journey.stages["name"].tolist() == ["Discover", "Consideration", "Buy"]
    assert editor.undo_depth == 0


def test_undo_is_one_change_for_observers(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "remove_stage", id="awareness")
    heard: list[Any] = []
    journey.observe(heard.append)
    ok(editor, "undo")
    assert [c.kind for c in heard] == ["batch"]


# -- PersonaEditor ----------------------------------------------------------------------------------
def test_persona_editor_edits_personas_and_empathy(journey: Journey) -> None:
    people = PersonaEditor(journey)
    new = ok(people, "add_persona", name="Thrifty Theo")
    ok(people, "update_persona", id=new, fields={"age": "45", "frustrations": "Hidden fees", "avatar": "🧔"})
    entry = ok(people, "add_empathy", persona=new, quadrant="thinks", text="Is it worth it?")
    ok(people, "update", frame="empathy", id=entry, fields={"quadrant": "feels"})
    row = journey.personas.set_index("id").loc[new]
    assert (row["age"], row["frustrations"], row["avatar"]) == ("45", "Hidden fees", "🧔")
    assert journey.empathy.set_index("id").loc[entry, "quadrant"] == "feels"
    assert [p["name"] for p in people.snapshot["personas"]][-1] == "Thrifty Theo"
    reply = run(people, "update", frame="empathy", id=entry, fields={"quadrant": "smells"})
    assert not reply["ok"] and "quadrant" in reply["error"]
    ok(people, "remove_persona", id="curious-colleen")  # cascades to emotions and empathy
    assert "curious-colleen" not in journey.empathy["persona_id"].tolist()
    ok(people, "undo")
    assert "curious-colleen" in journey.personas["id"].tolist()
    assert not run(people, "update_stage", id="awareness", fields={"name": "X"})["ok"]


# -- display --------------------------------------------------------------------------------------------
def test_mimebundle_has_a_static_fallback(editor: JourneyEditor) -> None:
    data, _meta = editor._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "cjm-summary" in data["text/html"] and "Awareness" in data["text/html"]


def test_editor_needs_a_journey() -> None:
    with pytest.raises(TypeError, match="Journey"):
        JourneyEditor({"stages": []})  # type: ignore[arg-type]


def test_esm_is_self_contained() -> None:
    esm = JourneyEditor._esm
    assert "as default" in esm and "http://" not in esm.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in esm and "innerHTML" not in esm and "import(" not in esm
