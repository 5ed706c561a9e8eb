"""The editors' ESM in headless chromium, against a fake anywidget model (no Jupyter).

Edits are made through the DOM and the messages the view sends are asserted;
replies and snapshots are fed back as the kernel would send them.
"""

from __future__ import annotations

from typing import Any

import pytest

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor

from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state, last_sent

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'


last = last_sent


def test_renders_the_grid(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    assert harness.key("stage:awareness:name").input_value() == "Awareness"
    assert harness.page.locator(".cjm-card").count() == 4
    assert harness.page.locator("circle.cjm-point").count() == 3
    assert harness.key("emo:emo-1:score").input_value() == "-1"


def test_rename_a_stage(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    field = harness.key("stage:awareness:name")
    field.fill("Discover")
    field.press("Enter")
    assert last(harness) == {"op": "update_stage", "id": "awareness", "fields": {"name": "Discover"}}


def test_change_a_score_with_the_number_input(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    field = harness.key("emo:emo-1:score")
    field.fill("1.5")
    field.press("Enter")
    assert last(harness) == {"op": "update", "frame": "emotions", "id": "emo-1", "fields": {"score": 1.5}}


def test_drag_an_emotion_point(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    dot = harness.page.locator('circle.cjm-point[data-id="emo-1"]')
    box = dot.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    harness.page.mouse.move(x, y)
    harness.page.mouse.down()
    harness.page.mouse.move(x, y - 30, steps=5)
    harness.page.mouse.up()
    msg = last(harness)
    assert (msg["op"], msg["id"]) == ("update", "emo-1")
    assert -1 < msg["fields"]["score"] <= 0.5


def test_keyboard_on_an_emotion_point(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.locator('circle.cjm-point[data-id="emo-1"]').focus()
    harness.page.keyboard.press("ArrowUp")
    assert last(harness)["fields"] == {"score": -0.5}


def test_add_a_touchpoint(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    field = harness.key("new-tp:consideration")
    field.fill("Friends")
    field.press("Enter")
    assert last(harness) == {"op": "add_touchpoint", "stage": "consideration", "name": "Friends"}


def test_add_delete_and_move_stages(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.get_by_label("Move stage Awareness right").click()
    assert last(harness) == {"op": "move_stage", "id": "awareness", "position": 1}
    harness.page.get_by_label("Delete stage Purchase and what it holds").click()
    # Purchase holds rows: the widget asks first (tests/test_widgets_stage_delete.py)
    harness.page.get_by_role("button", name="Yes, delete stage Purchase and what it holds").click()
    assert last(harness) == {"op": "remove_stage", "id": "purchase"}
    harness.key("new-stage").fill("Loyalty")
    harness.page.get_by_role("button", name="New stage").click()
    assert last(harness) == {"op": "add_stage", "name": "Loyalty"}


def test_touchpoint_details_and_move(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.get_by_label("Details of Ads").click()
    harness.key("tp:ads:owner").fill("Marketing")
    harness.key("tp:ads:owner").press("Enter")
    assert last(harness) == {"op": "update_touchpoint", "id": "ads", "fields": {"owner": "Marketing"}}
    harness.key("tp:ads:stage").select_option("purchase")
    assert last(harness) == {"op": "move_touchpoint", "id": "ads", "stage": "purchase"}


def test_drag_a_touchpoint_to_another_stage(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    card = harness.page.locator('.cjm-card[data-id="ads"]')
    card.drag_to(harness.page.locator('.cjm-tps[data-stage="purchase"]'))
    msg = last(harness)
    assert (msg["op"], msg["id"], msg["stage"]) == ("move_touchpoint", "ads", "purchase")


def test_long_stages_show_their_first_cards_then_all(harness: Harness) -> None:
    j = Journey("Long")
    stage = j.add_stage("Only")
    with j.batch():
        for k in range(45):
            j.add_touchpoint(stage, f"T{k}")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    assert harness.page.locator(".cjm-card").count() == 40
    harness.page.get_by_role("button", name="Show all 45 touchpoints of Only").click()
    assert harness.page.locator(".cjm-card").count() == 45


def test_actions_lane(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.key("actions:act-1:status").select_option("done")
    assert last(harness) == {"op": "update", "frame": "actions", "id": "act-1", "fields": {"status": "done"}}
    harness.key("new-pain_points:consideration").fill("Confusing specs")
    harness.key("new-pain_points:consideration").press("Enter")
    assert last(harness) == {
        "op": "add_pain_point",
        "description": "Confusing specs",
        "stage": "consideration",
    }


def test_error_reply_is_shown_and_rolled_back(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    field = harness.key("stage:awareness:name")
    field.fill("")
    field.press("Enter")
    rid = harness.sent()[-1]["request_id"]
    assert "Saving 1 edit" in harness.page.locator(".cjm-status").inner_text()
    harness.reply(rid, ok=False, error="frame 'stages', row 'awareness', column 'name': required")
    alert = harness.page.get_by_role("alert")
    assert "column 'name': required" in alert.inner_text()
    assert harness.key("stage:awareness:name").input_value() == "Awareness"


def test_edits_queue_and_typing_survives_a_redraw(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    for key, text in (("stage:awareness:name", "A"), ("stage:purchase:name", "P")):
        harness.key(key).fill(text)
        harness.key(key).press("Tab")
    assert [m["fields"]["name"] for m in harness.sent()] == ["A", "P"]
    harness.key("stage:consideration:description").fill("half-typ")
    snap = dict(state["snapshot"], version=99)
    snap["stages"] = [dict(s, name="A") if s["id"] == "awareness" else s for s in snap["stages"]]
    harness.set_state("snapshot", snap)  # the first edit's snapshot arrives mid-typing
    assert harness.key("stage:consideration:description").input_value() == "half-typ"
    assert harness.key("stage:purchase:name").input_value() == "P"  # still pending: kept
    assert "Saving 2 edit" in harness.page.locator(".cjm-status").inner_text()


def test_offline_edits_wait_instead_of_vanishing(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.evaluate("window.__offline = true")
    harness.key("stage:awareness:name").fill("Later")
    harness.key("stage:awareness:name").press("Enter")
    assert "No kernel" in harness.page.locator(".cjm-status").inner_text()
    harness.page.evaluate("window.__offline = false")
    harness.page.wait_for_function("window.__sent.length === 1", timeout=5000)
    assert harness.sent()[0]["fields"] == {"name": "Later"}


def _hostile() -> Journey:
    j = Journey(IMG, scenario=IMG)
    p = j.add_persona(IMG, avatar=IMG, goals=IMG)
    s = j.add_stage(IMG, description=IMG)
    t = j.add_touchpoint(s, IMG, channel=IMG)
    j.set_emotion(p, touchpoint=t, score=1, feeling=IMG, thought=IMG)
    j.add_pain_point(IMG, touchpoint=t)
    j.add_action(IMG, owner=IMG, stage=s)
    j.add_empathy(p, "says", IMG)
    return j


@pytest.mark.parametrize("bundle", ["journey_editor.js", "persona_editor.js"])
def test_user_text_is_never_html(harness: Harness, bundle: str) -> None:
    editor = (JourneyEditor if bundle == "journey_editor.js" else PersonaEditor)(_hostile())
    harness.mount(bundle, editor_state(editor))
    harness.page.wait_for_timeout(200)
    assert harness.page.evaluate("window.__pwned") is None
    root = "document.querySelector('.cjm-host').shadowRoot"
    assert harness.page.evaluate(f"{root}.querySelectorAll('img').length") == 0
    values = harness.page.evaluate(f"[...{root}.querySelectorAll('input, textarea')].map((e) => e.value)")
    assert values.count(IMG) >= 4  # persona: name, avatar, goals, empathy entry
    assert IMG in harness.page.evaluate(f"{root}.textContent")


def test_persona_editor(harness: Harness) -> None:
    harness.mount("persona_editor.js", editor_state(PersonaEditor(build_small_journey())))
    field = harness.key("persona:busy-bob:frustrations")
    field.fill("No time")
    field.press("Tab")
    assert last(harness) == {"op": "update_persona", "id": "busy-bob", "fields": {"frustrations": "No time"}}
    harness.key("new-empathy:thinks").fill("Is it worth it?")
    harness.key("new-empathy:thinks").press("Enter")
    expected = {
        "op": "add_empathy",
        "persona": "curious-colleen",
        "quadrant": "thinks",
        "text": "Is it worth it?",
    }
    assert last(harness) == expected
    # schema 3 columns: a persona made from data says its basis and size
    harness.key("persona:busy-bob:basis").select_option("measured")
    assert last(harness) == {"op": "update_persona", "id": "busy-bob", "fields": {"basis": "measured"}}
    harness.key("persona:busy-bob:n").fill("420")
    harness.key("persona:busy-bob:n").press("Enter")
    assert last(harness) == {"op": "update_persona", "id": "busy-bob", "fields": {"n": 420}}
    harness.key("persona:busy-bob:segment_definition").fill("age < 30 and channel == 'mobile'")
    harness.key("persona:busy-bob:segment_definition").press("Tab")
    assert last(harness)["fields"] == {"segment_definition": "age < 30 and channel == 'mobile'"}
    harness.key("new-persona").fill("Thrifty Theo")
    harness.key("new-persona").press("Enter")
    assert last(harness) == {"op": "add_persona", "name": "Thrifty Theo"}


def test_live_edit_changes_the_python_frame(harness: Harness) -> None:
    journey = build_small_journey()
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    field = harness.key("stage:awareness:name")
    field.fill("Discover")
    field.press("Enter")
    harness.page.wait_for_function("window.__sent.length === 1")
    harness.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert journey.stages.loc[0, "name"] == "Discover"
    harness.page.get_by_role("button", name="Undo the last edit").click()
    harness.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert journey.stages.loc[0, "name"] == "Awareness"
    assert harness.key("stage:awareness:name").input_value() == "Awareness"
    harness.key("emo:emo-1:score").fill("9")
    harness.key("emo:emo-1:score").press("Enter")
    assert "-2.0 to 2.0" in harness.page.get_by_role("alert").inner_text() or "score" in (
        harness.page.get_by_role("alert").inner_text()
    )
    assert journey.emotions.set_index("id").loc["emo-1", "score"] == -1
