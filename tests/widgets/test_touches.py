"""Editor touches of issue 14: one name for rows without a persona, the emotion scale's words,
deleting a stage that holds rows asks first, persona avatars fall back to initials.

The bundle checks read the shipped files; the rest runs the editors in headless chromium
against a fake model (tests/widget_harness.py), or a live widget where the kernel matters.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

import pytest

from cjm_jupyter import EMOTION_SCALE, Journey, JourneyEditor, PersonaEditor
from cjm_jupyter.model.labels import EMOTION_LABELS, NO_PERSONA_LABEL

from ..support.journeys import build_small_journey
from ..support.paths import STATIC
from ..support.widget_harness import Harness, editor_state, last_sent

BUNDLES = ("journey_editor.js", "persona_editor.js")


# -- the shipped bundles -----------------------------------------------------------------------
@pytest.mark.parametrize("name", BUNDLES)
def test_bundle_names_rows_without_a_persona_as_the_model_does(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    if name == "journey_editor.js":  # the persona editor shows no persona-less rows
        assert f'"{NO_PERSONA_LABEL}"' in text
    assert "Everyone" not in text
    assert "No persona" not in text


def test_bundle_has_the_model_emotion_words() -> None:
    text = (STATIC / "journey_editor.js").read_text(encoding="utf-8")
    pairs = ", ".join(f'[{score}, "{word}"]' for score, word in sorted(EMOTION_LABELS.items()))
    assert f"EMOTION_LABELS = [{pairs}];" in text


def _journey_without_persona_rows() -> Journey:
    j = build_small_journey()
    j.set_emotion(None, stage="purchase", score=0.5, source="survey")
    return j


@pytest.mark.browser
def test_rows_without_a_persona_are_all_personas(harness: Harness) -> None:
    j = _journey_without_persona_rows()
    row = j.emotions.loc[j.emotions["persona_id"].isna(), "id"].item()
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    legend = harness.page.locator("text.cjm-legend tspan").all_text_contents()
    assert legend == ["Curious Colleen", "Busy Bob", NO_PERSONA_LABEL]
    assert harness.page.locator(f'circle.cjm-point[data-id="{row}"]').get_attribute("aria-label") == (
        f"{NO_PERSONA_LABEL} at whole stage"
    )
    persona = harness.key(f"emo:{row}:persona_id")
    assert persona.locator("option:checked").inner_text() == NO_PERSONA_LABEL
    # the metric CTR belongs to Busy Bob; its select offers "All personas" first
    options = harness.key("metric:ctr:persona_id").locator("option").all_inner_texts()
    assert options[0] == NO_PERSONA_LABEL


def _scale_words() -> list[str]:
    low, high = (int(v) for v in EMOTION_SCALE)

    def text(score: int) -> str:
        number = f"+{score}" if score > 0 else f"\u2212{-score}" if score < 0 else "0"
        word = EMOTION_LABELS.get(score)
        return f"{word} {number}" if word else number

    return [text(s) for s in range(high, low - 1, -1)]


@pytest.mark.browser
def test_emotion_scale_words_sit_on_the_curve_grid_lines(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    labels = harness.page.locator(".cjm-emotion-label text.cjm-scale")
    words = ["delighted +2", "+1", "indifferent 0", "\u22121", "frustrated \u22122"]
    assert labels.all_text_contents() == words
    assert labels.all_text_contents() == _scale_words()
    # each word is level with its grid line (2 .. -2, top to bottom) and left of the curve
    lines = harness.page.locator("svg.cjm-emotion-svg > line")
    curve_left = harness.page.locator("svg.cjm-emotion-svg").bounding_box()["x"]
    for k in range(5):
        label, line = labels.nth(k).bounding_box(), lines.nth(k).bounding_box()
        assert abs((label["y"] + label["height"] / 2) - (line["y"] + line["height"] / 2)) <= 2, k
        assert label["x"] + label["width"] <= curve_left
    # the lane header is still called "Emotions" (the scale is hidden from screen readers:
    # each point says its score)
    assert harness.page.get_by_role("rowheader", name="Emotions", exact=True).count() == 1


@pytest.mark.browser
def test_deleting_a_stage_with_rows_asks_in_the_widget(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    harness.page.on("dialog", lambda d: pytest.fail(f"a browser dialog opened: {d.message}"))
    page = harness.page
    page.get_by_label("Delete stage Purchase and what it holds").click()
    assert harness.sent() == []
    ask = page.get_by_role("group", name="Delete stage Purchase?")
    assert ask.locator(".cjm-confirm-text").inner_text() == (
        "Delete stage “Purchase” and the 1 touchpoint, 1 emotion, 1 pain point, 1 opportunity, "
        "1 metric and 1 custom lane cell in it? (Undo brings it back.)"
    )
    # the safe answer has the focus; Escape keeps the stage too
    assert page.evaluate("() => document.activeElement.shadowRoot.activeElement.textContent") == "Keep it"
    page.keyboard.press("Escape")
    assert ask.count() == 0
    assert page.get_by_label("Delete stage Purchase and what it holds").is_visible()
    page.get_by_label("Delete stage Purchase and what it holds").click()
    page.get_by_role("button", name="Keep stage Purchase").click()
    assert ask.count() == 0
    assert harness.sent() == []
    page.get_by_label("Delete stage Purchase and what it holds").click()
    page.get_by_role("button", name="Yes, delete stage Purchase and what it holds").click()
    assert last_sent(harness) == {"op": "remove_stage", "id": "purchase"}
    assert ask.count() == 0


@pytest.mark.browser
def test_an_empty_stage_goes_at_once(harness: Harness) -> None:
    j = build_small_journey()
    j.add_stage("Loyalty")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    harness.page.get_by_label("Delete stage Loyalty and what it holds").click()
    assert last_sent(harness) == {"op": "remove_stage", "id": "loyalty"}


@pytest.mark.browser
def test_the_question_survives_a_redraw_and_undo_brings_the_stage_back(harness: Harness) -> None:
    journey = build_small_journey()
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    page = harness.page
    page.get_by_label("Delete stage Awareness and what it holds").click()
    journey.update_stage("awareness", name="Aware")  # a change from Python rebuilds the header
    harness.pump()
    ask = page.get_by_role("group", name="Delete stage Aware?")
    assert ask.count() == 1
    assert "2 touchpoints, 1 emotion, 1 pain point, 1 opportunity, 1 action" in ask.inner_text()
    ask.get_by_role("button", name="Delete stage").click()
    page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert journey.stages["id"].tolist() == ["consideration", "purchase"]
    assert set(journey.touchpoints["id"]) == {"reviews", "checkout"}
    page.get_by_role("button", name="Undo the last edit").click()
    page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert journey.stages["id"].tolist() == ["awareness", "consideration", "purchase"]
    assert set(journey.touchpoints["id"]) == {"search-engine", "ads", "reviews", "checkout"}
    assert harness.key("stage:awareness:name").input_value() == "Aware"
    assert page.get_by_role("group", name="Delete stage Aware?").count() == 0


def _has_colour_emoji_font() -> bool:
    try:
        out = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return False
    return "Noto Color Emoji" in out


@pytest.mark.browser
def test_avatars_fall_back_to_initials(harness: Harness) -> None:
    j = Journey("Avatars")
    j.add_persona("Curious Colleen", avatar="🐧")
    j.add_persona("Busy Bob")  # no avatar
    j.add_persona("Una de la Cruz", avatar="\U0001fc00")  # a pictograph no font has (unassigned)
    j.add_persona("Ivo", avatar="\U000e0041")  # a tag character: draws nothing
    j.add_persona("Ola Nordmann", avatar="https://example.com/ola.png")  # offline: never loads
    j.add_persona("Tess", avatar="TS")  # text as typed
    harness.mount("persona_editor.js", editor_state(PersonaEditor(j)))
    avatars = harness.page.locator(".cjm-persona .cjm-avatar")
    harness.page.locator('.cjm-persona[aria-label="Persona Ola Nordmann"] .cjm-initials').wait_for()
    shown = avatars.evaluate_all(
        "els => els.map((e) => [e.textContent, e.classList.contains('cjm-initials')])"
    )
    colour = _has_colour_emoji_font()
    if not colour and os.environ.get("CI"):
        pytest.fail("fonts-noto-color-emoji is missing on CI (.ci/setup installs it)")
    assert shown == [
        ["🐧", False] if colour else ["CC", True],
        ["BB", True],
        ["UC", True],
        ["I", True],
        ["ON", True],
        ["TS", False],
    ]
    harness.blocked.clear()  # the image request was meant to fail: nothing leaves the machine
