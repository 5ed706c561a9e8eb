"""JourneyEditor's goals lane: the kernel ops, and the view in headless chromium.

Goals sit in their stage's cell (a touchpoint's goal in its stage's column) and
journey-wide goals below the grid; every edit is a validated op on the
journey's ``goals`` frame.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor, templates
from cjm_jupyter.model.specs import GOAL_COMPARISONS

from ..support.editor_comm import ok, run
from ..support.journeys import build_small_journey
from ..support.widget_export import ANYWIDGET_AMD, _page
from ..support.widget_harness import Harness, editor_state, last_sent

IMG = '<img src=x onerror="window.__pwned=1">'


def goal(journey: Journey, goal_id: str) -> pd.Series:
    return journey.goals.set_index("id").loc[goal_id]


def test_add_goal_on_a_stage_and_journey_wide(editor: JourneyEditor, journey: Journey) -> None:
    new = ok(editor, "add_goal", name="Conversion rate", target=3, comparison=">", stage="purchase", unit="%")
    assert new == "conversion-rate"
    assert ok(editor, "add_goal", name="NPS", target=40) == "nps"  # comparison defaults to ">="
    assert ok(editor, "add_goal", name="CTR", target=0.05, touchpoint="ads") == "ctr"
    assert editor.snapshot["goals"] == [
        {"id": "conversion-rate", "name": "Conversion rate", "target": 3.0, "comparison": ">", "unit": "%",
         "stage_id": "purchase", "touchpoint_id": None, "segment": None, "period": None, "description": None},
        {"id": "nps", "name": "NPS", "target": 40.0, "comparison": ">=", "unit": None,
         "stage_id": None, "touchpoint_id": None, "segment": None, "period": None, "description": None},
        {"id": "ctr", "name": "CTR", "target": 0.05, "comparison": ">=", "unit": None,
         "stage_id": None, "touchpoint_id": "ads", "segment": None, "period": None, "description": None},
    ]  # fmt: skip


def test_update_every_goal_field_then_remove(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "add_goal", name="NPS", target=40)
    fields = {"name": "Net promoter score", "target": 45.5, "comparison": "<", "unit": "points",
              "segment": "new customers", "period": "2026-Q4", "description": "Board target"}  # fmt: skip
    for column, value in fields.items():
        ok(editor, "update", frame="goals", id="nps", fields={column: value})
    row = goal(journey, "nps")
    assert {c: row[c] for c in fields} == fields
    ok(editor, "update", frame="goals", id="nps", fields={"touchpoint_id": "checkout", "stage_id": None})
    assert goal(journey, "nps")["touchpoint_id"] == "checkout"
    ok(editor, "update", frame="goals", id="nps", fields={"stage_id": None, "touchpoint_id": None})
    assert pd.isna(goal(journey, "nps")["touchpoint_id"])  # journey-wide again
    ok(editor, "remove", frame="goals", id="nps")
    assert journey.goals.empty and editor.snapshot["goals"] == []


BAD_COMPARISON = "column 'comparison', value '=>': must be one of >=, >, <=, <, =="


def test_a_bad_comparison_is_refused_with_the_rule(editor: JourneyEditor, journey: Journey) -> None:
    reply = run(editor, "add_goal", name="NPS", target=40, comparison="=>")
    assert not reply["ok"]
    assert reply["error"] == f"frame 'goals', row 'nps', {BAD_COMPARISON}"
    assert reply["where"] == {"frame": "goals", "row_id": "nps", "column": "comparison"}
    assert journey.goals.empty
    ok(editor, "add_goal", name="NPS", target=40)
    reply = run(editor, "update", frame="goals", id="nps", fields={"comparison": "=>"})
    assert reply["error"] == f"frame 'goals', row 'nps', {BAD_COMPARISON}"
    assert goal(journey, "nps")["comparison"] == ">="


def test_goal_rules_are_the_models(editor: JourneyEditor, journey: Journey) -> None:
    reply = run(editor, "add_goal", name="X", target=1, stage="purchase", touchpoint="ads")
    assert reply["error"] == (
        "frame 'goals', row 'x', column 'stage_id', value 'purchase': "
        "set only one of stage_id or touchpoint_id"
    )
    reply = run(editor, "add_goal", name="X", target="high")
    assert not reply["ok"] and "number" in reply["error"]
    ok(editor, "add_goal", name="X", target=1)
    reply = run(editor, "update", frame="goals", id="x", fields={"id": "y"})
    assert reply["error"] == (
        "bad message: field 'id' cannot be edited here; editable: name, target, comparison, unit, "
        "stage_id, touchpoint_id, segment, period, description"
    )
    assert journey.goals["id"].tolist() == ["x"]


def test_goal_edits_undo_and_redo(editor: JourneyEditor, journey: Journey) -> None:
    version = editor.snapshot["version"]
    ok(editor, "add_goal", name="NPS", target=40)
    assert editor.snapshot["version"] > version  # goals are the editor's: a change redraws it
    ok(editor, "update", frame="goals", id="nps", fields={"target": 50})
    ok(editor, "remove", frame="goals", id="nps")
    ok(editor, "undo")
    assert goal(journey, "nps")["target"] == 50
    ok(editor, "undo")
    assert goal(journey, "nps")["target"] == 40
    ok(editor, "undo")
    assert journey.goals.empty and editor.snapshot["goals"] == []
    ok(editor, "redo")
    assert journey.goals["id"].tolist() == ["nps"]


def test_editable_goal_columns_are_the_spec_but_the_id() -> None:
    from cjm_jupyter.model.specs import FRAMES
    from cjm_jupyter.widgets.journey_editor import EDITABLE

    assert set(EDITABLE["goals"]) == set(FRAMES["goals"].column_names) - {"id"}


# -- the view ---------------------------------------------------------------------------------------
def label(scope: Any, text: str) -> Any:
    loc = scope.get_by_label(text, exact=True)
    assert loc.count() == 1, f"{loc.count()} controls labelled {text!r}"
    return loc


def item(h: Harness, row_id: str) -> Any:
    return h.page.locator(f'.cjm-goal[data-id="{row_id}"]')


def column_of(h: Harness, goal_id: str) -> str:
    """The name of the stage whose column holds a goal's card (the header straight above it)."""
    x = item(h, goal_id).bounding_box()["x"] + 10
    for name in h.page.get_by_label("Stage name", exact=True).all():
        box = name.bounding_box()
        if box["x"] - 10 <= x <= box["x"] + box["width"] + 10:
            return str(name.input_value())
    raise AssertionError(f"goal {goal_id} is under no stage")


@pytest.mark.browser
def test_colleens_goals_are_drawn_with_their_values(harness: Harness) -> None:
    harness.mount("journey_editor.js", editor_state(JourneyEditor(templates.load("colleen"))))
    shown = {}
    names = {"bounce-rate": "Bounce rate", "conversion-rate": "Conversion rate", "csat": "CSAT"}
    for goal_id, name in names.items():
        card = item(harness, goal_id)
        fields = ("Name", "Comparison", "Target", "Unit", "Place")
        shown[goal_id] = tuple(label(card, f"{what} of goal {name}").input_value() for what in fields)
    assert shown == {
        "bounce-rate": ("Bounce rate", "<", "50", "%", "t:brand-website"),
        "conversion-rate": ("Conversion rate", ">", "3", "%", "s:purchase"),
        "csat": ("CSAT", ">=", "4.3", "1-5", "s:use"),
    }
    # Each in its stage's column of the Goals row: Brand website is a Research touchpoint.
    assert harness.page.locator(".cjm-lane-label", has_text="Goals").count() == 1
    assert [column_of(harness, g) for g in names] == ["Research", "Purchase", "Use"]
    places = item(harness, "bounce-rate").get_by_label("Place of goal Bounce rate", exact=True)
    assert places.locator("option:checked").inner_text() == "Touchpoint: Brand website"
    assert places.locator("option").first.inner_text() == "Journey-wide"
    comparison = label(item(harness, "csat"), "Comparison of goal CSAT")
    options = comparison.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    assert options == list(GOAL_COMPARISONS)  # the front end offers exactly the model's choices
    assert label(harness.page, "Add journey-wide goal").count() == 1  # none yet, but one can be added


@pytest.mark.browser
def test_view_sends_one_update_per_goal_field(harness: Harness) -> None:
    j = build_small_journey()
    j.add_goal("Conversion", 0.2, stage="purchase", id="g")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    card = item(harness, "g")
    sent = []
    for what, text in (("Target", "0.25"), ("Unit", "%"), ("Segment", "new"), ("Period", "2026-Q4"),
                       ("Description", IMG)):  # fmt: skip
        control = label(card, f"{what} of goal Conversion")
        control.fill(text)
        control.press("Tab")
        sent.append(last_sent(harness)["fields"])
    assert sent == [
        {"target": 0.25}, {"unit": "%"}, {"segment": "new"}, {"period": "2026-Q4"}, {"description": IMG}
    ]  # fmt: skip
    label(card, "Comparison of goal Conversion").select_option("<=")
    assert last_sent(harness) == {"op": "update", "frame": "goals", "id": "g", "fields": {"comparison": "<="}}
    label(card, "Place of goal Conversion").select_option("t:checkout")
    assert last_sent(harness)["fields"] == {"stage_id": None, "touchpoint_id": "checkout"}
    label(card, "Place of goal Conversion").select_option("")
    assert last_sent(harness)["fields"] == {"stage_id": None, "touchpoint_id": None}


@pytest.mark.browser
def test_hostile_goal_text_stays_text(harness: Harness) -> None:
    j = build_small_journey()
    j.add_goal(IMG, 1, stage="purchase", unit=IMG, segment=IMG, description=IMG, id="g")
    j.add_goal(IMG, 2, id="w")
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    root = "document.querySelector('.cjm-host').shadowRoot"
    assert harness.page.evaluate(f"{root}.querySelectorAll('img').length") == 0
    for what in ("Name", "Unit", "Segment", "Description"):
        assert label(item(harness, "g"), f"{what} of goal {IMG}").input_value() == IMG
    assert label(item(harness, "w"), f"Name of goal {IMG}").input_value() == IMG
    assert harness.page.evaluate("window.__pwned") is None


@pytest.mark.browser
def test_live_goal_edits_change_the_kernel_journey(harness: Harness) -> None:
    journey = templates.load("colleen")
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    saved = harness.page.locator(".cjm-status", has_text="All changes saved")
    target = label(item(harness, "conversion-rate"), "Target of goal Conversion rate")
    target.fill("3.5")
    target.press("Tab")
    saved.wait_for()
    assert goal(journey, "conversion-rate")["target"] == 3.5
    # add a goal from the Delivery stage's cell: its "+ goal" button opens the fields, name focused
    label(harness.page, "New goal, stage Delivery").click()
    name = label(harness.page, "New goal name, stage Delivery")
    assert name.evaluate("(el) => el === el.getRootNode().activeElement")
    label(harness.page, "New goal name, stage Delivery").fill("On-time delivery")
    label(harness.page, "New goal target, stage Delivery").fill("95")
    label(harness.page, "Add goal to stage Delivery").click()
    item(harness, "on-time-delivery").wait_for()
    row = goal(journey, "on-time-delivery")
    columns = ("name", "target", "comparison", "stage_id")
    assert [row[c] for c in columns] == ["On-time delivery", 95, ">=", "delivery"]
    assert label(harness.page, "New goal target, stage Delivery").input_value() == ""  # cleared after the add
    # a journey-wide one, below the grid
    label(harness.page, "New goal name, the journey").fill("NPS")
    label(harness.page, "New goal target, the journey").fill("40")
    label(harness.page, "New goal target, the journey").press("Enter")
    item(harness, "nps").wait_for()
    assert pd.isna(goal(journey, "nps")["stage_id"]) and pd.isna(goal(journey, "nps")["touchpoint_id"])
    # delete one
    label(harness.page, "Delete goal CSAT").click()
    item(harness, "csat").wait_for(state="detached")
    assert journey.goals["id"].tolist() == ["bounce-rate", "conversion-rate", "on-time-delivery", "nps"]
    # a bad edit is shown and changes nothing
    target = label(item(harness, "nps"), "Target of goal NPS")
    target.fill("")
    target.press("Tab")
    alert = harness.page.get_by_role("alert")
    alert.wait_for()
    assert "column 'target'" in alert.inner_text()
    assert goal(journey, "nps")["target"] == 40


@pytest.mark.browser
def test_read_only_copy_locks_goal_controls(chromium: Any, tmp_path: Path) -> None:
    assert ANYWIDGET_AMD.exists(), ANYWIDGET_AMD
    j = templates.load("colleen")
    j.add_goal("NPS", 40, id="nps")
    page = chromium.new_page()
    try:
        h = Harness(page, url=_page(tmp_path, JourneyEditor(j)).as_uri())
        page.get_by_text("Read-only copy — no kernel").wait_for(timeout=20_000)
        csat = page.locator('.cjm-goal[data-id="csat"]')
        assert label(csat, "Target of goal CSAT").input_value() == "4.3"
        assert label(csat, "Target of goal CSAT").evaluate("(el) => el.readOnly")
        assert label(csat, "Name of goal CSAT").evaluate("(el) => el.readOnly")
        assert label(csat, "Comparison of goal CSAT").is_disabled()
        assert label(csat, "Place of goal CSAT").is_disabled()
        assert label(csat, "Delete goal CSAT").is_disabled()
        assert label(page, "Delete goal NPS").is_disabled()
        assert label(page, "New goal, stage Use").is_disabled()
        assert label(page, "Add journey-wide goal").is_disabled()
        assert label(page, "New goal name, the journey").evaluate("(el) => el.readOnly")
        assert h.errors == [] and h.blocked == []
    finally:
        page.close()
