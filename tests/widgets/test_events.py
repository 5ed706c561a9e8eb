"""A touchpoint's log events (frame ``event_map``) edited in the JourneyEditor.

Python: the ``map_events`` op as the front end sends it. Browser: the "Touchpoint log events"
field against a fake model, then against the live widget. Uses the ``journey`` fixture of
conftest.py: search-engine maps search and search_click, checkout maps order_placed.
"""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest

from cjm_jupyter import Journey, JourneyEditor

from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state

_ids = count(1)


def send(editor: JourneyEditor, op: str, **params: Any) -> dict[str, Any]:
    return editor.handle({"op": op, "request_id": next(_ids), **params})


def events_of(journey: Journey, touchpoint: str) -> list[str]:
    df = journey.event_map
    return sorted(df.loc[(df["touchpoint_id"] == touchpoint).fillna(False), "event"].tolist())


# -- Python: the op --------------------------------------------------------------------------------
def test_snapshot_carries_the_event_map(editor: JourneyEditor, journey: Journey) -> None:
    rows = editor.snapshot["event_map"]
    assert {(r["event"], r["touchpoint_id"]) for r in rows} == set(
        zip(journey.event_map["event"], journey.event_map["touchpoint_id"], strict=True)
    )


def test_map_events_sets_exactly_the_typed_names(editor: JourneyEditor, journey: Journey) -> None:
    reply = send(
        editor, "map_events", touchpoint="search-engine", events=" search , , search_ad_click,search "
    )
    assert reply["ok"], reply["error"]
    assert events_of(journey, "search-engine") == ["search", "search_ad_click"]  # search_click unmapped
    assert events_of(journey, "checkout") == ["order_placed"]  # other touchpoints untouched
    snap = {r["event"]: r["touchpoint_id"] for r in editor.snapshot["event_map"]}
    assert snap == dict(zip(journey.event_map["event"], journey.event_map["touchpoint_id"], strict=True))


def test_map_events_moves_an_event_from_another_touchpoint(editor: JourneyEditor, journey: Journey) -> None:
    assert send(editor, "map_events", touchpoint="ads", events="order_placed")["ok"]
    assert events_of(journey, "ads") == ["order_placed"]
    assert events_of(journey, "checkout") == []


def test_an_empty_text_unmaps_every_event_of_the_touchpoint(editor: JourneyEditor, journey: Journey) -> None:
    assert send(editor, "map_events", touchpoint="search-engine", events="  ")["ok"]
    assert events_of(journey, "search-engine") == []
    assert events_of(journey, "checkout") == ["order_placed"]


def test_map_events_is_one_undoable_edit(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.event_map
    assert send(editor, "map_events", touchpoint="search-engine", events="a, b, c")["ok"]
    assert editor.undo_depth == 1
    assert send(editor, "undo")["ok"]
    assert sorted(journey.event_map["event"]) == sorted(before["event"])
    assert events_of(journey, "search-engine") == ["search", "search_click"]
    assert send(editor, "redo")["ok"]
    assert events_of(journey, "search-engine") == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"touchpoint": "nowhere", "events": ""}, "unknown touchpoint"),
        ({"touchpoint": "nowhere", "events": "x"}, "touchpoint"),
        ({"touchpoint": "ads"}, "needs 'events'"),
        ({"touchpoint": "ads", "events": ["x"]}, "must be a string"),
    ],
)
def test_invalid_map_events_changes_nothing(
    editor: JourneyEditor, journey: Journey, params: dict[str, Any], fragment: str
) -> None:
    before = journey.event_map
    reply = send(editor, "map_events", **params)
    assert not reply["ok"] and fragment in reply["error"], reply
    assert journey.event_map.equals(before)
    assert editor.undo_depth == 0


# -- browser ---------------------------------------------------------------------------------------
def _events_field(h: Harness, touchpoint: str, name: str) -> Any:
    h.page.get_by_label(f"Details of {name}", exact=True).click()
    card = h.page.locator(f'.cjm-card[data-id="{touchpoint}"]')
    return card.get_by_label("Touchpoint log events", exact=True)


@pytest.mark.browser
def test_the_field_shows_and_sends_a_touchpoints_events(harness: Harness) -> None:
    harness.mount("journey_editor.js", editor_state(JourneyEditor(build_small_journey())))
    field = _events_field(harness, "search-engine", "Search engine")
    assert field.input_value() == "search, search_click"
    field.fill("search, search_ad_click")
    field.press("Enter")
    sent = harness.sent()[-1]
    assert isinstance(sent.pop("request_id"), int)
    assert sent == {"op": "map_events", "touchpoint": "search-engine", "events": "search, search_ad_click"}
    assert _events_field(harness, "ads", "Ads").input_value() == ""


@pytest.mark.browser
def test_typed_events_reach_the_python_frame_and_redraw(harness: Harness) -> None:
    journey = build_small_journey()
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    field = _events_field(harness, "ads", "Ads")
    field.fill("ad_click, ad_view, order_placed")
    field.press("Tab")
    harness.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert events_of(journey, "ads") == ["ad_click", "ad_view", "order_placed"]
    assert events_of(journey, "checkout") == []  # moved: an event maps to one touchpoint
    checkout = _events_field(harness, "checkout", "Checkout")
    assert checkout.input_value() == ""  # the redraw shows the kernel's mapping
    assert field.input_value() == "ad_click, ad_view, order_placed"
