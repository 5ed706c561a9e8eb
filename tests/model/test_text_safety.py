"""Text no file can store is refused where it enters, and the journey stays as it was.

A surrogate code point (``"Caf\\ud800"``) is a valid Python string but not
valid Unicode: UTF-8, and so every JSON, CSV and Excel file, cannot hold it.
Every way text enters a journey (meta data, cells, extra columns and their
names, lane and event names, ids looked up, whole frames, the editors'
messages) refuses it with one :class:`ValidationError` naming the frame, row
and column and showing the value escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor, ValidationError
from cjm_jupyter.model.coerce import unsavable

from ..support.journeys import Recorder, assert_same_journey, build_small_journey
from ..support.widget_harness import Harness, editor_state

BAD = "Caf\ud800"


def rule(code: str = "D800", at: int = 3) -> str:
    return f"not valid Unicode: surrogate U+{code} at character {at}; no file can store it"


def refused(where: str, value: str = BAD, at: int = 3) -> str:
    """The message for ``value`` refused at ``where`` (frame, row, column)."""
    return f"{where}, value {value!r}: {rule(at=at)}"


def obj(*values: Any) -> pd.Series:
    """A column the way a user builds one holding a surrogate (pandas' Arrow strings refuse it)."""
    return pd.Series(list(values), dtype=object)


def pystr(*values: Any) -> pd.Series:
    """Python-backed strings (pandas without pyarrow) can hold a surrogate too."""
    return pd.Series(list(values), dtype="string[python]")


def assert_refused(j: Journey, op: Callable[[], Any], message: str) -> ValidationError:
    """``op()`` raises ValidationError with exactly ``message``; nothing changed, nothing announced."""
    before = j.copy()
    heard = Recorder()
    j.observe(heard)
    try:
        with pytest.raises(ValidationError) as info:
            op()
    finally:
        j.unobserve(heard)
    assert str(info.value) == message
    assert heard == []
    assert j.equals(before)
    assert_same_journey(j, before)
    str(info.value).encode("utf-8")  # the message itself can be printed, logged and saved
    return info.value


def _set(j: Journey, frame: str, df: pd.DataFrame) -> None:
    setattr(j, frame, df)


# (id, edit, message): every entry point of text into a journey.
CASES: list[tuple[str, Callable[[Journey], Any], str]] = [
    ("set_meta name", lambda j: j.set_meta(name=BAD), refused("column 'name'")),
    ("set_meta scenario", lambda j: j.set_meta(scenario=BAD), refused("column 'scenario'")),
    (
        "set_meta unknown key",
        lambda j: j.set_meta(**{BAD: "x"}),
        f"column {BAD!r}: unknown journey field; expected one of name, scenario, kind, description, "
        "version, owner, reviewed_at",
    ),
    ("description setter", lambda j: setattr(j, "description", BAD), refused("column 'description'")),
    ("name setter", lambda j: setattr(j, "name", BAD), refused("column 'name'")),
    ("add_persona", lambda j: j.add_persona("Dora", goals=BAD), refused("frame 'personas', column 'goals'")),
    (
        "update_persona extra",
        lambda j: j.update_persona("busy-bob", occupation=BAD),
        refused("frame 'personas', row 'busy-bob', column 'occupation'"),
    ),
    ("add_stage name", lambda j: j.add_stage(BAD), refused("frame 'stages', column 'name'")),
    (
        "add_stage description",
        lambda j: j.add_stage("Use", description=BAD),
        refused("frame 'stages', column 'description'"),
    ),
    (
        "update_stage",
        lambda j: j.update_stage("awareness", name=BAD),
        refused("frame 'stages', row 'awareness', column 'name'"),
    ),
    (
        "add_touchpoint description",
        lambda j: j.add_touchpoint("awareness", "Blog", description=BAD),
        refused("frame 'touchpoints', column 'description'"),
    ),
    (
        "add_touchpoint extra value",
        lambda j: j.add_touchpoint("awareness", "Blog", note=BAD),
        refused("frame 'touchpoints', column 'note'"),
    ),
    (
        "add_touchpoint extra column name",
        lambda j: j.add_touchpoint("awareness", "Blog", **{BAD: "x"}),
        f"frame 'touchpoints', column {BAD!r}: column name {rule()}",
    ),
    (
        "update_touchpoint",
        lambda j: j.update_touchpoint("ads", owner=BAD),
        refused("frame 'touchpoints', row 'ads', column 'owner'"),
    ),
    (
        "update_touchpoint extra column name",
        lambda j: j.update_touchpoint("ads", **{BAD: "x"}),
        f"frame 'touchpoints', row 'ads', column {BAD!r}: column name {rule()}",
    ),
    (
        "set_emotion new row",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=1, feeling=BAD),
        refused("frame 'emotions', column 'feeling'"),
    ),
    (
        "set_emotion existing row",
        lambda j: j.set_emotion("curious-colleen", touchpoint="search-engine", score=0, thought=BAD),
        refused("frame 'emotions', column 'thought'"),
    ),
    (
        "set_emotion source",
        lambda j: j.set_emotion("busy-bob", stage="awareness", score=1, source=BAD),
        refused("frame 'emotions', column 'source'"),
    ),
    (
        "add_pain_point",
        lambda j: j.add_pain_point(BAD, stage="purchase"),
        refused("frame 'pain_points', column 'description'"),
    ),
    (
        "add_opportunity",
        lambda j: j.add_opportunity("Idea", stage="purchase", owner_note=BAD),
        refused("frame 'opportunities', column 'owner_note'"),
    ),
    ("add_action", lambda j: j.add_action("Do", owner=BAD), refused("frame 'actions', column 'owner'")),
    (
        "add_metric",
        lambda j: j.add_metric("NPS", 1.0, stage="purchase", unit=BAD),
        refused("frame 'metrics', column 'unit'"),
    ),
    (
        "add_empathy",
        lambda j: j.add_empathy("busy-bob", "feels", BAD),
        refused("frame 'empathy', column 'text'"),
    ),
    (
        "generic add",
        lambda j: j.add("stages", name="Use", note=BAD),
        refused("frame 'stages', column 'note'"),
    ),
    (
        "generic update",
        lambda j: j.update("actions", j.actions["id"].iloc[0], status="done", owner=BAD),
        refused("frame 'actions', row 'act-1', column 'owner'"),
    ),
    ("add_lane name", lambda j: j.add_lane(BAD), refused("frame 'lanes', column 'lane'")),
    (
        "add_lane cell",
        lambda j: j.add_lane("Systems", {"purchase": BAD}),
        refused("frame 'lanes', column 'text'"),
    ),
    (
        "set_lane_cell text",
        lambda j: j.set_lane_cell("Backstage", "consideration", BAD),
        refused("frame 'lanes', column 'text'"),
    ),
    (
        "set_lane_cell lane",
        lambda j: j.set_lane_cell(BAD, "purchase", "x"),
        refused("frame 'lanes', column 'lane'"),
    ),
    (
        "rename_lane",
        lambda j: j.rename_lane("Backstage", BAD),
        refused("frame 'lanes', row 'backstage-awareness', column 'lane'"),
    ),
    ("remove_lane", lambda j: j.remove_lane(BAD), refused("frame 'lanes', column 'lane'")),
    (
        "map_events",
        lambda j: j.map_events("ads", ["ad_click", BAD]),
        refused("frame 'event_map', column 'event'"),
    ),
    ("unmap_events", lambda j: j.unmap_events(BAD), refused("frame 'event_map', column 'event'")),
    # Looking up an id that holds one: refused before pandas compares it (Arrow strings would raise).
    ("update_stage id", lambda j: j.update_stage(BAD, name="x"), refused("frame 'stages', column 'id'")),
    ("remove_stage id", lambda j: j.remove_stage(BAD), refused("frame 'stages', column 'id'")),
    ("move_stage id", lambda j: j.move_stage(BAD, 0), refused("frame 'stages', column 'id'")),
    ("reorder_stages", lambda j: j.reorder_stages([BAD]), refused("frame 'stages', column 'id'")),
    (
        "move_touchpoint stage",
        lambda j: j.move_touchpoint("ads", stage=BAD),
        refused("frame 'touchpoints', column 'stage_id'"),
    ),
    (
        "add_touchpoint stage",
        lambda j: j.add_touchpoint(BAD, "Blog"),
        refused("frame 'touchpoints', column 'stage_id'"),
    ),
    ("given id", lambda j: j.add_stage("Use", id=BAD), refused("frame 'stages', column 'id'")),
    # Whole frames, as users assign them.
    (
        "frame setter object",
        lambda j: _set(j, "stages", j.stages.assign(name=obj("A", BAD, "C"))),
        refused("frame 'stages', row 'consideration', column 'name'"),
    ),
    (
        "frame setter python strings",
        lambda j: _set(j, "stages", j.stages.assign(name=pystr("A", "B", BAD))),
        refused("frame 'stages', row 'purchase', column 'name'"),
    ),
    (
        "frame setter extra column",
        lambda j: _set(j, "touchpoints", j.touchpoints.assign(note=obj(None, None, BAD, None))),
        refused("frame 'touchpoints', row 'reviews', column 'note'"),
    ),
    (
        "frame setter extra python strings",
        lambda j: _set(j, "stages", j.stages.assign(note=pystr(BAD, "b", None))),
        refused("frame 'stages', row 'awareness', column 'note'"),
    ),
    (
        "frame setter column name",
        lambda j: _set(j, "stages", j.stages.set_axis(obj(*j.stages.columns[:-1], BAD), axis=1)),
        f"frame 'stages', column {BAD!r}: column name {rule()}",
    ),
    (
        "replace_frame id",
        lambda j: j.replace_frame("event_map", j.event_map.assign(id=obj("a", "b", BAD))),
        refused("frame 'event_map', column 'id'"),
    ),
]


@pytest.mark.parametrize(("edit", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_entry_point_refuses_a_surrogate(
    journey: Journey, edit: Callable[[Journey], Any], message: str
) -> None:
    assert_refused(journey, lambda: edit(journey), message)


def test_the_error_names_frame_row_column_and_shows_the_value_escaped(journey: Journey) -> None:
    err = assert_refused(
        journey,
        lambda: journey.update_touchpoint("ads", description="x" * 5 + "\udfff"),
        refused("frame 'touchpoints', row 'ads', column 'description'", value="xxxxx\udfff", at=5).replace(
            "D800", "DFFF"
        ),
    )
    where = (err.frame, err.row_id, err.column, err.value)
    assert where == ("touchpoints", "ads", "description", "xxxxx\udfff")
    assert "\\udfff" in str(err)  # shown as an escape, never as the raw code point


def test_a_surrogate_pair_in_a_python_string_is_refused_too(journey: Journey) -> None:
    # "\ud83d\ude00" is two code points in Python (not the emoji): UTF-8 cannot encode it either.
    pair = "Smile \ud83d\ude00"
    assert_refused(
        journey,
        lambda: journey.update_stage("awareness", name=pair),
        f"frame 'stages', row 'awareness', column 'name', value {pair!r}: {rule('D83D', 6)}",
    )
    journey.update_stage("awareness", name="Smile \U0001f600")  # the real emoji is text like any other
    assert journey.stages["name"].iloc[0] == "Smile \U0001f600"


def test_the_constructor_refuses_meta_and_frames() -> None:
    with pytest.raises(ValidationError) as info:
        Journey(BAD)
    assert str(info.value) == refused("column 'name'")
    with pytest.raises(ValidationError) as info:
        Journey("x", description=BAD)
    assert str(info.value) == refused("column 'description'")
    stages = pd.DataFrame({"id": ["a", "b"], "name": obj("A", BAD)})
    with pytest.raises(ValidationError) as info:
        Journey("x", frames={"stages": stages})
    assert str(info.value) == refused("frame 'stages', row 'b', column 'name'")
    ids = pd.DataFrame({"id": obj(BAD), "name": ["A"]})
    with pytest.raises(ValidationError) as info:
        Journey("x", frames={"stages": ids})
    assert str(info.value) == refused("frame 'stages', column 'id'")


def test_a_refused_edit_inside_a_batch_undoes_the_batch(journey: Journey) -> None:
    def both() -> None:
        with journey.batch():
            journey.update_stage("awareness", name="Discover")
            journey.add_lane(BAD)

    assert_refused(journey, both, refused("frame 'lanes', column 'lane'"))


def test_text_that_files_can_hold_is_accepted(journey: Journey) -> None:
    # Only surrogates are refused: other control and rare characters round-trip
    # through every format (tests/test_io_text_property.py).
    texts = ("Caf\u00e9", "tab\there", "nul\x00byte", "\ufeffbom", "\U0001f600", "\ufffe\uffff", "\u2028")
    for text in texts:
        assert unsavable(text) is None
        journey.update_stage("awareness", description=text)
        assert journey.stages["description"].iloc[0] == text


# -- the editors' messages ---------------------------------------------------------


def _reply(editor: JourneyEditor, **msg: Any) -> dict[str, Any]:
    reply = editor.handle({"request_id": 7, **msg})
    # The kernel sends replies as UTF-8 JSON (jupyter_client's json_packer): it must encode.
    json.dumps(reply, ensure_ascii=False).encode("utf-8")
    return reply


EDITOR_CASES = [
    ({"op": "update_stage", "id": "awareness", "fields": {"name": BAD}}, f"field 'name' is {rule()}"),
    (
        {"op": "update", "frame": "actions", "id": "act-1", "fields": {"owner": BAD}},
        f"field 'owner' is {rule()}",
    ),
    ({"op": "set_lane_cell", "lane": "Backstage", "stage": "purchase", "text": BAD}, f"'text' is {rule()}"),
    ({"op": "add_lane", "name": BAD}, f"'name' is {rule()}"),
    ({"op": "update_meta", "field": "description", "value": BAD}, f"'value' is {rule()}"),
    ({"op": "map_events", "touchpoint": "ads", "events": f"a, {BAD}"}, f"'events' is {rule(at=6)}"),
    ({"op": "remove_stage", "id": BAD}, f"'id' is {rule()}"),
    ({"op": "update_meta", "field": BAD, "value": "x"}, f"'field' is {rule()}"),
]


EDITOR_IDS = [f"{m['op']}-{i}" for i, (m, _) in enumerate(EDITOR_CASES)]


@pytest.mark.parametrize(("msg", "error"), EDITOR_CASES, ids=EDITOR_IDS)
def test_the_editor_refuses_a_surrogate_in_any_message(msg: dict[str, Any], error: str) -> None:
    journey = build_small_journey()
    before = journey.copy()
    editor = JourneyEditor(journey)
    try:
        reply = _reply(editor, **msg)
    finally:
        editor.close()
    assert reply == {"kind": "cjm-reply", "request_id": 7, "ok": False, "error": f"bad message: {error}"}
    assert journey.equals(before)
    assert editor.undo_depth == 0


@pytest.mark.browser
def test_the_editor_shows_the_refusal_and_keeps_the_map(harness: Harness) -> None:
    journey = build_small_journey()
    before = journey.copy()
    editor = JourneyEditor(journey)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    field = harness.key("stage:awareness:name")
    # Typed in the page: a JS string may hold a lone surrogate, and JSON carries it as "\ud800".
    field.evaluate(
        """(el) => { el.value = "Caf" + String.fromCharCode(0xD800);
        el.dispatchEvent(new Event("input", { bubbles: true })); }"""
    )
    field.press("Enter")
    alert = harness.page.get_by_role("alert")
    alert.wait_for()
    assert f"bad message: field 'name' is {rule()}" in alert.inner_text()
    assert harness.sent()[-1]["fields"] == {"name": BAD}  # it did travel to the kernel
    assert journey.equals(before)
    assert field.input_value() == "Awareness"  # rolled back to the journey's value
    editor.close()


PYTHON_STORAGE_CASES = [
    "update_stage",
    "add_touchpoint extra value",
    "frame setter object",
    "frame setter python strings",
    "frame setter extra python strings",
]


@pytest.mark.parametrize("case", PYTHON_STORAGE_CASES)
def test_python_backed_text_is_checked_too(case: str) -> None:
    # Without pyarrow, pandas keeps text in Python objects, which can hold a surrogate:
    # the check cannot rely on Arrow's UTF-8 storage refusing it.
    edit, message = next((c[1], c[2]) for c in CASES if c[0] == case)
    with pd.option_context("mode.string_storage", "python"):
        journey = build_small_journey()
        assert journey.stages["name"].dtype.storage == "python"
        assert_refused(journey, lambda: edit(journey), message)
