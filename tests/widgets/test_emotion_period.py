"""Emotion detail cards show and edit their period when set (as metric cards do); run_id stays measure()'s."""

from __future__ import annotations

import pytest

from cjm_jupyter import Journey, JourneyEditor

from ..support.editor_comm import ok, run
from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state, last_sent


def with_q3_score(journey: Journey) -> Journey:
    """Colleen's search-engine score again, measured in 2026-Q3 (emo-1 is the undated one)."""
    journey.add(
        "emotions",
        id="emo-q3",
        persona_id="curious-colleen",
        touchpoint_id="search-engine",
        source="assumption",
        basis="assumed",
        score=0.5,
        period="2026-Q3",
    )
    return journey


# -- the kernel side -------------------------------------------------------------------------------
def test_emotion_period_is_editable_and_undoable(journey: Journey) -> None:
    editor = JourneyEditor(journey)
    ok(editor, "update", frame="emotions", id="emo-2", fields={"period": "2026-Q4"})
    assert journey.emotions.set_index("id").loc["emo-2", "period"] == "2026-Q4"
    row = next(r for r in editor.snapshot["emotions"] if r["id"] == "emo-2")
    assert row["period"] == "2026-Q4" and row["run_id"] is None
    ok(editor, "undo")
    assert next(r for r in editor.snapshot["emotions"] if r["id"] == "emo-2")["period"] is None
    reply = run(editor, "update", frame="emotions", id="emo-2", fields={"run_id": "measure"})
    assert reply["error"] == (
        "bad message: field 'run_id' cannot be edited here; editable: score, feeling, thought, source, "
        "basis, n, persona_id, stage_id, touchpoint_id, period"
    )


def test_emptying_a_period_that_would_repeat_a_score_is_refused(journey: Journey) -> None:
    editor = JourneyEditor(with_q3_score(journey))
    reply = run(editor, "update", frame="emotions", id="emo-q3", fields={"period": "  "})  # emptied: None
    assert reply["error"] == (
        "frame 'emotions', row 'emo-q3', column 'source', value 'assumption': duplicate combination of "
        "persona_id, stage_id, touchpoint_id, segment, period, source"
    )
    assert journey.emotions.set_index("id").loc["emo-q3", "period"] == "2026-Q3"


# -- the view ---------------------------------------------------------------------------------------
@pytest.mark.browser
def test_view_shows_an_emotion_period_only_when_set(harness: Harness) -> None:
    harness.mount("journey_editor.js", editor_state(JourneyEditor(with_q3_score(build_small_journey()))))
    periods = harness.page.get_by_label("Emotion period", exact=True)
    assert periods.count() == 1  # only the dated score has one
    card = harness.page.locator('.cjm-emotion[data-id="emo-q3"]')
    period = card.get_by_label("Emotion period", exact=True)
    assert period.input_value() == "2026-Q3"
    assert card.get_by_text("Period", exact=True).count() == 1  # its visible caption
    period.fill("2026-Q4")
    period.press("Enter")
    assert last_sent(harness) == {
        "op": "update",
        "frame": "emotions",
        "id": "emo-q3",
        "fields": {"period": "2026-Q4"},
    }
