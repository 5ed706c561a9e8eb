"""Every field and link control of the editors in headless chromium, against a fake model.

Controls are found by their aria-labels (the names a scenario test uses) inside the item
that holds them; each change must send exactly the message the kernel expects.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor

from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state, last_sent

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'


last = last_sent


def update(frame: str, row_id: str, **fields: Any) -> dict[str, Any]:
    return {"op": "update", "frame": frame, "id": row_id, "fields": fields}


def item(h: Harness, row_id: str) -> Any:
    return h.page.locator(f'.cjm-item[data-id="{row_id}"]')


def type_in(control: Any, text: str) -> None:
    control.fill(text)
    control.press("Tab")  # commits inputs and textareas alike


def test_pain_point_fields_and_placement(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    pain = item(harness, "pain-1")
    type_in(pain.get_by_label("Pain point severity", exact=True), "2")
    assert last(harness) == update("pain_points", "pain-1", severity=2)
    type_in(pain.get_by_label("Pain point frequency", exact=True), "5")
    assert last(harness) == update("pain_points", "pain-1", frequency=5)
    type_in(pain.get_by_label("Pain point evidence", exact=True), "6 of 8 interviewees")
    assert last(harness) == update("pain_points", "pain-1", evidence="6 of 8 interviewees")
    type_in(pain.get_by_label("Pain point source", exact=True), "interview")
    assert last(harness) == update("pain_points", "pain-1", source="interview")
    pain.get_by_label("Pain point basis", exact=True).select_option("measured")
    assert last(harness) == update("pain_points", "pain-1", basis="measured")
    persona = pain.get_by_label("Pain point persona", exact=True)
    persona.select_option("busy-bob")
    assert last(harness) == update("pain_points", "pain-1", persona_id="busy-bob")
    persona.select_option("")
    assert last(harness) == update("pain_points", "pain-1", persona_id=None)
    place = pain.get_by_label("Pain point placement", exact=True)
    # The stage cell offers its whole stage and each of its touchpoints.
    assert place.locator("option").all_text_contents() == [
        "Whole stage",
        "Touchpoint: Search engine",
        "Touchpoint: Ads",
    ]
    place.select_option("s:awareness")
    assert last(harness) == update("pain_points", "pain-1", stage_id="awareness", touchpoint_id=None)
    place.select_option("t:ads")
    assert last(harness) == update("pain_points", "pain-1", stage_id=None, touchpoint_id="ads")


def test_opportunity_links(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    opp = item(harness, "opp-1")
    link = opp.get_by_label("Link to pain point", exact=True)
    assert link.input_value() == "pain-1"
    assert link.locator("option").all_text_contents() == [
        "No pain point",
        "Too many results",
        "Slow checkout",
    ]
    link.select_option("pain-2")
    assert last(harness) == update("opportunities", "opp-1", pain_point_id="pain-2")
    link.select_option("")
    assert last(harness) == update("opportunities", "opp-1", pain_point_id=None)
    type_in(opp.get_by_label("Opportunity impact", exact=True), "5")
    assert last(harness) == update("opportunities", "opp-1", impact=5)
    type_in(opp.get_by_label("Opportunity effort", exact=True), "")
    assert last(harness) == update("opportunities", "opp-1", effort=None)
    place = opp.get_by_label("Opportunity placement", exact=True)
    place.select_option("")  # opportunities may sit nowhere
    assert last(harness) == update("opportunities", "opp-1", stage_id=None, touchpoint_id=None)


def test_action_due_date_links_and_stage(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    act = item(harness, "act-1")
    due = act.get_by_label("Action due date", exact=True)
    assert due.get_attribute("type") == "date"
    assert due.input_value() == "2025-03-01"
    due.fill("2026-03-31")
    due.press("Tab")
    assert last(harness) == update("actions", "act-1", due="2026-03-31")
    due.fill("")
    due.press("Tab")
    assert last(harness) == update("actions", "act-1", due=None)
    act.get_by_label("Link to opportunity", exact=True).select_option("opp-2")
    assert last(harness) == update("actions", "act-1", opportunity_id="opp-2")
    type_in(act.get_by_label("Action owner", exact=True), "Customer service")
    assert last(harness) == update("actions", "act-1", owner="Customer service")
    act.get_by_label("Action stage", exact=True).select_option("")
    assert last(harness) == update("actions", "act-1", stage_id=None)


def test_emotion_fields_and_placement(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    emo = item(harness, "emo-1")
    type_in(emo.get_by_label("Emotion sample size n", exact=True), "8")
    assert last(harness) == update("emotions", "emo-1", n=8)
    type_in(emo.get_by_label("Emotion source", exact=True), "interview")
    assert last(harness) == update("emotions", "emo-1", source="interview")
    emo.get_by_label("Emotion basis", exact=True).select_option("measured")
    assert last(harness) == update("emotions", "emo-1", basis="measured")
    type_in(emo.get_by_label("Emotion feeling", exact=True), "calm")
    assert last(harness) == update("emotions", "emo-1", feeling="calm")
    type_in(emo.get_by_label("Emotion thought (quote)", exact=True), "Fine.")
    assert last(harness) == update("emotions", "emo-1", thought="Fine.")
    emo.get_by_label("Emotion persona", exact=True).select_option("")
    assert last(harness) == update("emotions", "emo-1", persona_id=None)
    emo.get_by_label("Emotion placement", exact=True).select_option("s:awareness")
    assert last(harness) == update("emotions", "emo-1", stage_id="awareness", touchpoint_id=None)


def test_add_an_emotion_at_a_touchpoint_with_a_source(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    row = harness.page.locator(".cjm-add-emotion").filter(has=harness.key("new-emo:awareness:place"))
    row.get_by_label("New emotion persona", exact=True).select_option("busy-bob")
    row.get_by_label("New emotion placement", exact=True).select_option("t:ads")
    row.get_by_label("New emotion source", exact=True).fill("interview")
    row.get_by_role("button", name="Add an emotion (score 0) here").click()
    expected = {
        "op": "add_emotion",
        "persona": "busy-bob",
        "score": 0,
        "touchpoint": "ads",
        "source": "interview",
    }
    assert last(harness) == expected
    row.get_by_label("New emotion placement", exact=True).select_option("s:awareness")
    row.get_by_label("New emotion source", exact=True).fill("")
    row.get_by_role("button", name="Add an emotion (score 0) here").click()
    assert last(harness) == {"op": "add_emotion", "persona": "busy-bob", "score": 0, "stage": "awareness"}


TOUCHPOINT_LABELS = [
    ("Touchpoint name", "name"),
    ("Touchpoint channel", "channel"),
    ("Touchpoint customer action", "action"),
    ("Touchpoint description", "description"),
    ("Touchpoint optimisation", "optimisation"),
    ("Touchpoint owner", "owner"),
]


def test_every_touchpoint_column_has_a_labelled_control(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.get_by_label("Details of Ads").click()
    card = harness.page.locator('.cjm-card[data-id="ads"]')
    for label, column in TOUCHPOINT_LABELS:
        type_in(card.get_by_label(label, exact=True), f"new {column}")
        assert last(harness) == {"op": "update_touchpoint", "id": "ads", "fields": {column: f"new {column}"}}


PERSONA_LABELS = [
    ("Persona name", "name"),
    ("Persona avatar (emoji, image URL or data URI)", "avatar"),
    ("Persona description", "description"),
    ("Persona age", "age"),
    ("Persona gender", "gender"),
    ("Persona location", "location"),
    ("Persona income", "income"),
    ("Persona occupation", "occupation"),
    ("Persona psychographics", "psychographics"),
    ("Persona behaviour", "behaviour"),
    ("Persona goals", "goals"),
    ("Persona needs", "needs"),
    ("Persona motivations", "motivations"),
    ("Persona frustrations", "frustrations"),
    ("Persona channels", "channels"),
]


def test_every_persona_column_and_empathy_field(harness: Harness) -> None:
    harness.mount("persona_editor.js", editor_state(PersonaEditor(build_small_journey())))
    card = harness.page.get_by_role("region", name="Persona Busy Bob")
    for label, column in PERSONA_LABELS:
        type_in(card.get_by_label(label, exact=True), f"Bob's {column}")
        assert last(harness) == {
            "op": "update_persona",
            "id": "busy-bob",
            "fields": {column: f"Bob's {column}"},
        }
    entry = harness.page.locator('.cjm-entry[data-id="emp-1"]')
    type_in(entry.get_by_label("Empathy entry source", exact=True), "interview")
    assert last(harness) == update("empathy", "emp-1", source="interview")
    entry.get_by_label("Empathy entry quadrant", exact=True).select_option("thinks")
    assert last(harness) == update("empathy", "emp-1", quadrant="thinks")
    type_in(entry.get_by_label("Empathy entry text", exact=True), "Cheap, please")
    assert last(harness) == update("empathy", "emp-1", text="Cheap, please")


def _hostile() -> Journey:
    j = Journey("Hostile")
    p = j.add_persona(IMG)
    s = j.add_stage("Stage")
    t = j.add_touchpoint(s, IMG, channel=IMG, action=IMG, optimisation=IMG, owner=IMG)
    j.set_emotion(p, touchpoint=t, score=1, feeling=IMG, thought=IMG, source=IMG)
    pain = j.add_pain_point(IMG, touchpoint=t, persona=p, evidence=IMG, source=IMG)
    opp = j.add_opportunity(IMG, stage=s, pain_point=pain)
    j.add_action(IMG, owner=IMG, stage=s, opportunity=opp)
    j.add_empathy(p, "says", IMG, source=IMG)
    return j


@pytest.mark.parametrize("bundle", ["journey_editor.js", "persona_editor.js"])
def test_text_in_new_fields_and_option_labels_is_never_html(harness: Harness, bundle: str) -> None:
    editor = (JourneyEditor if bundle == "journey_editor.js" else PersonaEditor)(_hostile())
    harness.mount(bundle, editor_state(editor))
    harness.page.wait_for_timeout(200)
    assert harness.page.evaluate("window.__pwned") is None
    root = "document.querySelector('.cjm-host').shadowRoot"
    assert harness.page.evaluate(f"{root}.querySelectorAll('img').length") == 0
    values = harness.page.evaluate(f"[...{root}.querySelectorAll('input, textarea')].map((e) => e.value)")
    options = harness.page.evaluate(f"[...{root}.querySelectorAll('option')].map((o) => o.textContent)")
    if bundle == "journey_editor.js":
        # emotion: feeling, thought, source; pain: description, evidence, source; opportunity and
        # action descriptions; action owner; touchpoint name and channel
        assert values.count(IMG) >= 11
        # persona selects (pain point, emotion, new emotion) and linked pain point and opportunity
        assert options.count(IMG) >= 5
        assert f"Touchpoint: {IMG}" in options  # placement selects
    else:
        assert values.count(IMG) >= 3  # persona name, empathy text and source
        assert IMG in options  # the empathy map's persona picker


def test_live_link_and_date_edits_change_the_python_frames(harness: Harness) -> None:
    journey = build_small_journey()
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    saved = harness.page.locator(".cjm-status", has_text="All changes saved")
    item(harness, "pain-1").get_by_label("Pain point placement", exact=True).select_option("s:awareness")
    saved.wait_for()
    row = journey.pain_points.set_index("id").loc["pain-1"]
    assert row["stage_id"] == "awareness" and pd.isna(row["touchpoint_id"])
    due = item(harness, "act-1").get_by_label("Action due date", exact=True)
    due.fill("2026-03-31")
    due.press("Tab")
    harness.page.wait_for_function("window.__sent.length === 2")
    saved.wait_for()
    assert journey.actions.loc[0, "due"] == pd.Timestamp("2026-03-31")
    severity = item(harness, "pain-1").get_by_label("Pain point severity", exact=True)
    type_in(severity, "9")
    alert = harness.page.get_by_role("alert")
    alert.wait_for()
    assert "column 'severity'" in alert.inner_text()
    assert journey.pain_points.set_index("id").loc["pain-1", "severity"] == 4
    harness.page.wait_for_function(
        "() => document.querySelector('.cjm-host').shadowRoot"
        ".querySelector('[data-key=\"pain_points:pain-1:severity\"]').value === '4'"
    )


def test_long_option_lists_fill_on_first_use_and_keep_pending_values(harness: Harness) -> None:
    j = Journey("Long")
    stage = j.add_stage("Only")
    with j.batch():
        for k in range(45):
            j.add_touchpoint(stage, f"T{k}")
    j.add_pain_point("Slow", stage=stage)
    state = editor_state(JourneyEditor(j))
    harness.mount("journey_editor.js", state)
    place = item(harness, "pain-1").get_by_label("Pain point placement", exact=True)
    assert place.locator("option").count() == 1  # only the current choice until used
    assert place.input_value() == "s:only"
    place.focus()
    assert place.locator("option").count() == 46
    place.select_option("t:t44")
    assert last(harness) == update("pain_points", "pain-1", stage_id=None, touchpoint_id="t44")
    # A redraw while that edit is pending rebuilds the select with one option; the pending value
    # must still show, and nothing may be sent again.
    harness.set_state("snapshot", dict(state["snapshot"], version=99))
    assert item(harness, "pain-1").get_by_label("Pain point placement", exact=True).input_value() == "t:t44"
    harness.page.locator(".cjm-status").click()  # blur whatever has focus
    assert len(harness.sent()) == 1
