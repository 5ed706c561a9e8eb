"""JourneyEditor's journey details, metrics lane and custom lanes in headless chromium.

Controls are found by their aria-label (as a screen reader, and the scenario
test, find them); the messages the view sends are asserted against a fake
model, or, with ``live=``, the Python frames behind a real widget.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cjm_jupyter import Journey, JourneyEditor
from cjm_jupyter.model.specs import JOURNEY_KINDS

from ..support.journeys import build_small_journey
from ..support.widget_export import ANYWIDGET_AMD, _page
from ..support.widget_harness import Harness, editor_state, last_sent

pytestmark = pytest.mark.browser

IMG = '<img src=x onerror="window.__pwned=1">'
SAVED = ".cjm-status:has-text('All changes saved')"


last = last_sent


def label(h: Harness, text: str) -> Any:
    """The one control with aria-label ``text`` (exact match: labels must be unambiguous)."""
    loc = h.page.get_by_label(text, exact=True)
    assert loc.count() == 1, f"{loc.count()} controls labelled {text!r}"
    return loc


# -- journey details -----------------------------------------------------------------------------------
def test_journey_details(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    assert label(harness, "Journey scenario").input_value() == "First purchase online"
    label(harness, "Journey name").fill("Colleen buys a vacuum")
    label(harness, "Journey name").press("Enter")
    assert last(harness) == {"op": "update_meta", "field": "name", "value": "Colleen buys a vacuum"}
    kind = label(harness, "Journey kind")
    assert kind.input_value() == "current_state"
    options = kind.locator("option").evaluate_all("(os) => os.map((o) => o.value)")
    assert options == list(JOURNEY_KINDS)  # the front end offers exactly the model's kinds
    kind.select_option("future_state")
    assert last(harness) == {"op": "update_meta", "field": "kind", "value": "future_state"}
    label(harness, "Journey description").fill("")
    label(harness, "Journey description").press("Tab")
    assert last(harness) == {"op": "update_meta", "field": "description", "value": ""}


# -- metrics -------------------------------------------------------------------------------------------------
def test_metrics_lane_shows_stage_and_touchpoint_metrics(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    assert label(harness, "Value of metric Conversion").input_value() == "0.12"
    assert label(harness, "Unit of metric Conversion").input_value() == "%"
    assert label(harness, "Place of metric Conversion").input_value() == "stage:purchase"
    # CTR sits on the "Ads" touchpoint, so it shows in the Awareness column, for persona Busy Bob.
    awareness = harness.page.locator(".cjm-metric", has=harness.page.get_by_label("Name of metric CTR"))
    assert awareness.count() == 1
    assert label(harness, "Place of metric CTR").input_value() == "tp:ads"
    assert label(harness, "Persona of metric CTR").input_value() == "busy-bob"
    assert label(harness, "Basis of metric CTR").input_value() == "measured"


def test_edit_a_metric(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    sent = []
    for text, value, expected in (
        ("Value of metric Conversion", "1.8", {"value": 1.8}),
        ("Name of metric Conversion", "Conversion rate", {"name": "Conversion rate"}),
        ("Segment of metric Conversion", "mobile", {"segment": "mobile"}),
        ("Sample size of metric Conversion", "41250", {"n": 41250}),
        ("Source of metric Conversion", "survey", {"source": "survey"}),
    ):
        label(harness, text).fill(value)
        label(harness, text).press("Enter")
        sent.append(last(harness))
        assert sent[-1] == {"op": "update", "frame": "metrics", "id": "conversion", "fields": expected}
    label(harness, "Place of metric Conversion").select_option("tp:checkout")
    assert last(harness)["fields"] == {"touchpoint_id": "checkout", "stage_id": None}
    label(harness, "Persona of metric Conversion").select_option("curious-colleen")
    assert last(harness)["fields"] == {"persona_id": "curious-colleen"}
    label(harness, "Persona of metric CTR").select_option("")  # "Everyone"
    assert last(harness) == {"op": "update", "frame": "metrics", "id": "ctr", "fields": {"persona_id": None}}
    label(harness, "Place of metric CTR").select_option("stage:awareness")
    assert last(harness)["fields"] == {"stage_id": "awareness", "touchpoint_id": None}
    label(harness, "Basis of metric CTR").select_option("assumed")
    assert last(harness)["fields"] == {"basis": "assumed"}
    label(harness, "Delete metric CTR").click()
    assert last(harness) == {"op": "remove", "frame": "metrics", "id": "ctr"}


def test_add_a_metric_needs_name_and_value(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    label(harness, "New metric name, stage Consideration").fill("Bounce rate")
    label(harness, "Add metric to stage Consideration").click()
    assert harness.sent() == []  # no value yet: nothing sent, the value field waits
    value = label(harness, "New metric value, stage Consideration")
    assert value.evaluate("(el) => el.getRootNode().activeElement === el")
    value.fill("68")
    value.press("Enter")
    assert last(harness) == {"op": "add_metric", "name": "Bounce rate", "value": 68, "stage": "consideration"}


# -- custom lanes --------------------------------------------------------------------------------------------
def test_custom_lane_cells(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    assert label(harness, "Lane Backstage, stage Purchase").input_value() == "Payments"
    cell = label(harness, "Lane Backstage, stage Purchase")
    cell.fill("Payment provider")
    cell.press("Tab")
    assert last(harness) == {
        "op": "set_lane_cell",
        "lane": "Backstage",
        "stage": "purchase",
        "text": "Payment provider",
    }
    empty = label(harness, "Lane Backstage, stage Consideration")
    assert empty.input_value() == ""
    empty.fill("Content team")
    empty.press("Tab")
    assert last(harness)["text"] == "Content team"


def test_rename_delete_and_add_lanes(harness: Harness, state: dict[str, Any]) -> None:
    harness.mount("journey_editor.js", state)
    name = label(harness, "Name of lane Backstage")
    name.fill("Behind the scenes")
    name.press("Enter")
    assert last(harness) == {"op": "rename_lane", "lane": "Backstage", "name": "Behind the scenes"}
    label(harness, "Delete lane Backstage").click()
    assert last(harness) == {"op": "remove_lane", "lane": "Backstage"}
    label(harness, "New lane").fill("KPIs")
    label(harness, "Add lane").click()
    assert last(harness) == {"op": "add_lane", "name": "KPIs"}


def test_no_lane_row_without_stages(harness: Harness) -> None:
    harness.mount("journey_editor.js", editor_state(JourneyEditor(Journey("Empty"))))
    assert harness.page.get_by_label("New lane", exact=True).count() == 0
    assert label(harness, "Journey name").input_value() == "Empty"


# -- the whole loop against a real widget -----------------------------------------------------------------
def test_live_build_metrics_and_lanes(harness: Harness) -> None:
    journey = Journey("Untitled")
    editor = JourneyEditor(journey)
    journey.add_stage("Research", id="research")
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    saved = harness.page.locator(SAVED)
    label(harness, "Journey name").fill("Curious Colleen buys a vacuum cleaner")
    label(harness, "Journey name").press("Enter")
    saved.wait_for()
    label(harness, "New metric name, stage Research").fill("Bounce rate")
    label(harness, "New metric value, stage Research").fill("68")
    label(harness, "New metric value, stage Research").press("Enter")
    label(harness, "Unit of metric Bounce rate").wait_for()
    assert label(harness, "New metric name, stage Research").input_value() == ""  # cleared once added
    assert label(harness, "New metric value, stage Research").input_value() == ""
    label(harness, "Unit of metric Bounce rate").fill("%")
    label(harness, "Unit of metric Bounce rate").press("Enter")
    label(harness, "New lane").fill("KPIs")
    label(harness, "New lane").press("Enter")
    cell = harness.page.get_by_label("Lane KPIs, stage Research", exact=True)
    cell.wait_for()
    cell.fill("Bounce rate < 50%")
    cell.press("Tab")
    harness.page.wait_for_function("window.__sent.length === 5")
    saved.wait_for()
    assert journey.name == "Curious Colleen buys a vacuum cleaner"
    assert journey.metrics[["name", "value", "unit", "stage_id"]].values.tolist() == [
        ["Bounce rate", 68.0, "%", "research"]
    ]
    assert journey.lanes[["lane", "stage_id", "text"]].values.tolist() == [
        ["KPIs", "research", "Bounce rate < 50%"]
    ]
    harness.page.get_by_role("button", name="Undo the last edit").click()
    harness.page.wait_for_function("window.__sent.length === 6")
    saved.wait_for()
    assert journey.lanes["text"].isna().all()
    assert label(harness, "Lane KPIs, stage Research").input_value() == ""
    label(harness, "Value of metric Bounce rate").fill("")  # a required value: refused, rolled back
    label(harness, "Value of metric Bounce rate").press("Enter")
    assert "value" in harness.page.get_by_role("alert").inner_text()
    assert label(harness, "Value of metric Bounce rate").input_value() == "68"
    assert journey.metrics.loc[0, "value"] == 68.0


# -- safety ------------------------------------------------------------------------------------------
def test_hostile_text_shows_literally(harness: Harness) -> None:
    j = Journey(IMG, scenario=IMG, description=IMG)
    s = j.add_stage(IMG)
    t = j.add_touchpoint(s, IMG)
    j.add_metric(IMG, 1, touchpoint=t, unit=IMG, segment=IMG, source=IMG)
    j.add_lane(IMG, {s: IMG})
    harness.mount("journey_editor.js", editor_state(JourneyEditor(j)))
    harness.page.wait_for_timeout(200)
    assert harness.page.evaluate("window.__pwned") is None
    root = "document.querySelector('.cjm-host').shadowRoot"
    assert harness.page.evaluate(f"{root}.querySelectorAll('img').length") == 0
    for text in ("Journey name", "Journey scenario", f"Name of metric {IMG}", f"Unit of metric {IMG}"):
        assert label(harness, text).input_value() == IMG
    assert label(harness, f"Name of lane {IMG}").input_value() == IMG
    assert label(harness, f"Lane {IMG}, stage {IMG}").input_value() == IMG
    assert label(harness, f"Place of metric {IMG}").locator("option:checked").inner_text() == IMG


# -- read-only copy -----------------------------------------------------------------------------------------
def test_exported_page_is_a_read_only_copy(chromium: Any, tmp_path: Path) -> None:
    assert ANYWIDGET_AMD.exists(), ANYWIDGET_AMD
    page_file = _page(tmp_path, JourneyEditor(build_small_journey()))
    page = chromium.new_page()
    try:
        h = Harness(page, url=page_file.as_uri())
        badge = page.get_by_text("Read-only copy — no kernel")
        badge.wait_for(timeout=20_000)
        assert page.get_by_label("Journey name", exact=True).input_value() == "Buying a vacuum cleaner"
        assert page.get_by_label("Journey name", exact=True).evaluate("(el) => el.readOnly")
        assert page.get_by_label("Journey kind", exact=True).is_disabled()
        assert page.get_by_label("Delete metric CTR", exact=True).is_disabled()
        assert page.get_by_label("Lane Backstage, stage Purchase", exact=True).input_value() == "Payments"
        buttons = page.evaluate(
            "[...document.querySelector('.cjm-host').shadowRoot.querySelectorAll('button')]"
            ".filter((b) => !b.disabled).length"
        )
        assert buttons == 0
        assert h.errors == [] and h.blocked == []
    finally:
        page.close()
