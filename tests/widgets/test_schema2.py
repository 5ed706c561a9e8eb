"""The editors with schema 2: version, owner and review date editable, metric periods, goals kept."""

from __future__ import annotations

from typing import Any

import pytest

from cjm_jupyter import Journey, JourneyEditor

from ..support.editor_comm import ok, run
from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state, last_sent


def test_meta_fields_are_edited_one_message_each(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_meta", field="version", value="2026-Q3")
    ok(editor, "update_meta", field="owner", value="CX team")
    ok(editor, "update_meta", field="reviewed_at", value="2026-11-30")
    assert (journey.version, journey.owner, journey.reviewed_at) == ("2026-Q3", "CX team", "2026-11-30")
    meta = editor.snapshot["journey"]
    assert (meta["version"], meta["owner"], meta["reviewed_at"]) == ("2026-Q3", "CX team", "2026-11-30")
    assert "updated_at" not in meta  # the journey's own, changing on every edit: never sent
    ok(editor, "update_meta", field="owner", value="  ")  # an emptied input clears the field
    assert journey.owner is None


def test_bad_meta_values_are_refused_and_change_nothing(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.meta
    reply = run(editor, "update_meta", field="reviewed_at", value="30/11/2026")
    assert not reply["ok"]
    assert reply["error"] == (
        "column 'reviewed_at', value '30/11/2026': must be an ISO date such as '2026-11-30', or None"
    )
    assert reply["where"] == {"frame": None, "row_id": None, "column": "reviewed_at"}
    reply = run(editor, "update_meta", field="updated_at", value="2026-12-03T13:05:00Z")
    assert not reply["ok"]
    assert reply["error"] == (
        "column 'updated_at', value '2026-12-03T13:05:00Z': is set by the journey itself whenever its "
        "content changes; it cannot be set"
    )
    assert journey.meta == before


def test_undo_puts_back_the_meta_fields(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_meta", field="version", value="2")
    ok(editor, "update_meta", field="reviewed_at", value="2026-11-30")
    ok(editor, "undo")
    ok(editor, "undo")
    assert (journey.version, journey.reviewed_at) == (None, None)
    ok(editor, "redo")
    assert journey.version == "2"


def test_goals_added_in_python_redraw_the_editor_and_removals_take_them(
    editor: JourneyEditor, journey: Journey
) -> None:
    version = editor.snapshot["version"]
    journey.add("goals", name="Conversion", target=0.2, comparison=">=", stage_id="purchase", id="g")
    assert editor.snapshot["version"] > version  # the editor draws goals (test_widgets_goals.py)
    assert [g["id"] for g in editor.snapshot["goals"]] == ["g"]
    ok(editor, "remove", frame="stages", id="purchase")  # the editor removes with cascade
    assert journey.goals.empty
    ok(editor, "undo")
    assert journey.goals["id"].tolist() == ["g"]


def test_metric_period_is_editable(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update", frame="metrics", id="conversion", fields={"period": "2026-Q3"})
    assert journey.metrics.set_index("id").loc["conversion", "period"] == "2026-Q3"
    row = next(r for r in editor.snapshot["metrics"] if r["id"] == "conversion")
    assert row["period"] == "2026-Q3" and row["run_id"] is None
    reply = run(editor, "update", frame="metrics", id="conversion", fields={"run_id": "measure"})
    assert not reply["ok"]  # run_id tells measure()'s rows apart: not the editor's to set
    assert reply["error"] == (
        "bad message: field 'run_id' cannot be edited here; editable: name, value, unit, stage_id, "
        "touchpoint_id, persona_id, segment, n, source, basis, period"
    )


# -- the view ---------------------------------------------------------------------------------------
def _label(h: Harness, text: str) -> Any:
    loc = h.page.get_by_label(text, exact=True)
    assert loc.count() == 1, f"{loc.count()} controls labelled {text!r}"
    return loc


@pytest.mark.browser
def test_view_edits_version_owner_and_review_date(harness: Harness) -> None:
    j = build_small_journey()
    j.version = "1"
    j.mark_reviewed("2026-01-02")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    assert _label(harness, "Journey version").input_value() == "1"
    assert _label(harness, "Journey owner").input_value() == ""
    assert _label(harness, "Journey last reviewed").input_value() == "2026-01-02"
    _label(harness, "Journey version").fill("2026-Q3")
    _label(harness, "Journey version").press("Enter")
    assert last_sent(harness) == {"op": "update_meta", "field": "version", "value": "2026-Q3"}
    _label(harness, "Journey owner").fill("CX <team>")
    _label(harness, "Journey owner").press("Enter")
    assert last_sent(harness) == {"op": "update_meta", "field": "owner", "value": "CX <team>"}
    _label(harness, "Journey last reviewed").fill("2026-11-30")
    _label(harness, "Journey last reviewed").press("Tab")
    assert last_sent(harness) == {"op": "update_meta", "field": "reviewed_at", "value": "2026-11-30"}


@pytest.mark.browser
def test_view_shows_a_metric_period_only_when_set(harness: Harness) -> None:
    j = build_small_journey()
    j.update("metrics", "conversion", period="2026-Q3")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    assert _label(harness, "Period of metric Conversion").input_value() == "2026-Q3"
    assert harness.page.get_by_label("Period of metric CTR", exact=True).count() == 0
    _label(harness, "Period of metric Conversion").fill("2026-Q4")
    _label(harness, "Period of metric Conversion").press("Enter")
    assert last_sent(harness) == {
        "op": "update",
        "frame": "metrics",
        "id": "conversion",
        "fields": {"period": "2026-Q4"},
    }
