"""JourneyEditor ops for journey details, the metrics lane and custom lanes, driven as the front end does.

Uses the ``journey`` fixture of conftest.py: stages awareness, consideration,
purchase; metrics ``conversion`` (stage purchase) and ``ctr`` (touchpoint ads,
persona busy-bob); lane "Backstage" with cells on every stage.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey, JourneyEditor
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.model.specs import FRAMES

from ..support.editor_comm import ok, run


def metric(journey: Journey, row_id: str) -> pd.Series:
    return journey.metrics.set_index("id").loc[row_id]


def cells(journey: Journey, lane: str) -> dict[str, Any]:
    df = journey.lanes
    rows = df[df["lane"] == lane]
    return {s: (None if pd.isna(t) else t) for s, t in zip(rows["stage_id"], rows["text"], strict=True)}


# -- snapshot -------------------------------------------------------------------------------------
def test_snapshot_carries_metrics_and_lanes(editor: JourneyEditor, journey: Journey) -> None:
    snap = editor.snapshot
    assert [m["id"] for m in snap["metrics"]] == journey.metrics["id"].tolist()
    assert {c["id"]: c["text"] for c in snap["lanes"]}["backstage-purchase"] == "Payments"
    # every meta field but updated_at, which changes with every edit (see journey_meta)
    assert snap["journey"] == {k: v for k, v in journey.meta.items() if k != "updated_at"}


# -- journey details ----------------------------------------------------------------------------------
def test_update_meta_sets_each_field(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_meta", field="name", value="Colleen buys a vacuum")
    ok(editor, "update_meta", field="kind", value="future_state")
    ok(editor, "update_meta", field="scenario", value="Fix a known CX problem")
    ok(editor, "update_meta", field="description", value="  ")  # emptied: missing
    ok(editor, "update_meta", field="version", value="2")
    ok(editor, "update_meta", field="owner", value="CX")
    ok(editor, "update_meta", field="reviewed_at", value="2026-11-30")
    meta = journey.meta
    assert meta.pop("updated_at") is not None
    assert meta == {
        "name": "Colleen buys a vacuum",
        "scenario": "Fix a known CX problem",
        "kind": "future_state",
        "description": None,
        "version": "2",
        "owner": "CX",
        "reviewed_at": "2026-11-30",
    }
    assert editor.snapshot["journey"]["kind"] == "future_state"
    assert editor.undo_depth == 7


def test_meta_edit_is_undoable(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "update_meta", field="name", value="New name")
    ok(editor, "undo")
    assert journey.name == "Buying a vacuum cleaner"
    assert editor.snapshot["journey"]["name"] == "Buying a vacuum cleaner"
    ok(editor, "redo")
    assert journey.name == "New name" and editor.snapshot["journey"]["name"] == "New name"


# -- metrics ---------------------------------------------------------------------------------------------
def test_add_metric_with_stage_touchpoint_and_persona(editor: JourneyEditor, journey: Journey) -> None:
    new = ok(editor, "add_metric", name="Bounce rate", value=68, stage="awareness", unit="%")
    row = metric(journey, new)
    assert (row["name"], row["value"], row["unit"], row["stage_id"]) == (
        "Bounce rate",
        68.0,
        "%",
        "awareness",
    )
    assert (row["source"], row["basis"]) == ("analytics", "measured")  # Journey.add_metric's defaults
    other = ok(editor, "add_metric", name="CSAT", value=3.9, touchpoint="reviews", persona="curious-colleen")
    assert metric(journey, other)[["touchpoint_id", "persona_id"]].tolist() == ["reviews", "curious-colleen"]
    assert pd.isna(metric(journey, other)["stage_id"])
    assert [m["id"] for m in editor.snapshot["metrics"]][-2:] == [new, other]


def test_every_metric_column_is_editable(editor: JourneyEditor, journey: Journey) -> None:
    fields = {
        "name": "Conversion rate",
        "value": 1.8,
        "unit": "%",
        "persona_id": "curious-colleen",
        "segment": "mobile",
        "n": 41250,
        "source": "survey",
        "basis": "assumed",
    }
    ok(editor, "update", frame="metrics", id="conversion", fields=fields)
    row = metric(journey, "conversion")
    assert {k: row[k] for k in fields} == fields
    assert str(journey.metrics["n"].dtype) == "Int64"  # stays a nullable int column


def test_move_a_metric_between_stage_and_touchpoint(editor: JourneyEditor, journey: Journey) -> None:
    ok(
        editor,
        "update",
        frame="metrics",
        id="conversion",
        fields={"touchpoint_id": "checkout", "stage_id": None},
    )
    row = metric(journey, "conversion")
    assert row["touchpoint_id"] == "checkout" and pd.isna(row["stage_id"])
    ok(editor, "update", frame="metrics", id="ctr", fields={"stage_id": "awareness", "touchpoint_id": None})
    row = metric(journey, "ctr")
    assert row["stage_id"] == "awareness" and pd.isna(row["touchpoint_id"])
    ok(editor, "update", frame="metrics", id="ctr", fields={"persona_id": None})  # "Everyone"
    assert pd.isna(metric(journey, "ctr")["persona_id"])


def test_remove_a_metric_and_undo(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.copy()
    ok(editor, "remove", frame="metrics", id="ctr")
    assert journey.metrics["id"].tolist() == ["conversion"]
    ok(editor, "undo")
    assert journey.equals(before)
    assert [m["id"] for m in editor.snapshot["metrics"]] == ["conversion", "ctr"]


# -- custom lanes --------------------------------------------------------------------------------------
def test_add_a_lane_makes_a_cell_per_stage(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "add_lane", name="KPIs")
    assert cells(journey, "KPIs") == {"awareness": None, "consideration": None, "purchase": None}
    assert journey.lane_names == ["Backstage", "KPIs"]
    assert {c["lane"] for c in editor.snapshot["lanes"]} == {"Backstage", "KPIs"}


def test_set_lane_cells_updates_creates_and_clears(editor: JourneyEditor, journey: Journey) -> None:
    ok(editor, "set_lane_cell", lane="Backstage", stage="consideration", text="Content team")
    ok(editor, "set_lane_cell", lane="Backstage", stage="awareness", text=" ")  # emptied: missing
    assert cells(journey, "Backstage") == {
        "awareness": None,
        "consideration": "Content team",
        "purchase": "Payments",
    }
    stage = ok(editor, "add_stage", name="Delivery")  # a stage added after the lane has no cell ...
    assert stage not in cells(journey, "Backstage")
    ok(editor, "set_lane_cell", lane="Backstage", stage=stage, text="Courier")  # ... until typed into
    assert cells(journey, "Backstage")[stage] == "Courier"


def test_rename_a_lane_keeps_ids_and_texts(editor: JourneyEditor, journey: Journey) -> None:
    ids = journey.lanes["id"].tolist()
    ok(editor, "rename_lane", lane="Backstage", name="Behind the scenes")
    assert journey.lane_names == ["Behind the scenes"]
    assert journey.lanes["id"].tolist() == ids
    assert cells(journey, "Behind the scenes")["purchase"] == "Payments"
    assert editor.undo_depth == 1  # one edit, though it changed three rows
    ok(editor, "undo")
    assert journey.lane_names == ["Backstage"]


def test_remove_a_lane_and_undo(editor: JourneyEditor, journey: Journey) -> None:
    before = journey.copy()
    ok(editor, "remove_lane", lane="Backstage")
    assert journey.lanes.empty and editor.snapshot["lanes"] == []
    ok(editor, "undo")
    assert journey.equals(before)
    ok(editor, "redo")
    assert journey.lanes.empty


def test_rename_lane_model_rules(journey: Journey) -> None:
    journey.add_lane("KPIs")
    with pytest.raises(ValidationError, match="exists") as err:
        journey.rename_lane("KPIs", "Backstage")
    assert (err.value.frame, err.value.column) == ("lanes", "lane")
    with pytest.raises(ValidationError, match="no lane"):
        journey.rename_lane("Nope", "X")
    before = journey.copy()
    journey.rename_lane("KPIs", "KPIs")  # a no-op, not an error
    assert journey.equals(before)


# -- invalid edits: an error reply naming the cell, nothing changed -------------------------------------
INVALID: list[tuple[dict[str, Any], str, dict[str, Any] | None]] = [
    (
        {"op": "update_meta", "field": "name", "value": ""},
        "name",
        {"frame": None, "row_id": None, "column": "name"},
    ),
    (
        {"op": "update_meta", "field": "kind", "value": "wish_list"},
        "kind",
        {"frame": None, "row_id": None, "column": "kind"},
    ),
    ({"op": "update_meta", "field": "author", "value": "x"}, "unknown journey field", None),
    ({"op": "update_meta", "field": "name", "value": 3}, "string", None),
    ({"op": "add_metric", "name": "X", "value": "high", "stage": "purchase"}, "number", None),
    (
        {"op": "add_metric", "name": "X", "value": 1, "stage": "nope"},
        "nope",
        {"frame": "metrics", "column": "stage_id"},
    ),
    (
        {"op": "add_metric", "name": " ", "value": 1, "stage": "purchase"},
        "name",
        {"frame": "metrics", "column": "name"},
    ),
    (
        {"op": "update", "frame": "metrics", "id": "conversion", "fields": {"touchpoint_id": "ads"}},
        "stage_id",
        {"frame": "metrics", "row_id": "conversion"},
    ),
    (
        {"op": "update", "frame": "metrics", "id": "conversion", "fields": {"basis": "guessed"}},
        "basis",
        {"frame": "metrics", "row_id": "conversion", "column": "basis"},
    ),
    (
        {"op": "update", "frame": "metrics", "id": "conversion", "fields": {"n": -1}},
        "n",
        {"frame": "metrics", "row_id": "conversion", "column": "n"},
    ),
    (
        {"op": "update", "frame": "metrics", "id": "conversion", "fields": {"value": None}},
        "value",
        {"frame": "metrics", "row_id": "conversion", "column": "value"},
    ),
    (
        {"op": "update", "frame": "metrics", "id": "conversion", "fields": {"id": "x"}},
        "cannot be edited",
        None,
    ),
    ({"op": "add_lane", "name": "Backstage"}, "exists", {"frame": "lanes", "column": "lane"}),
    (
        {"op": "set_lane_cell", "lane": "Backstage", "stage": "nope", "text": "x"},
        "nope",
        {"frame": "lanes", "column": "stage_id"},
    ),
    ({"op": "rename_lane", "lane": "Backstage", "name": ""}, "lane", {"frame": "lanes", "column": "lane"}),
    ({"op": "rename_lane", "lane": "Nope", "name": "X"}, "no lane", {"frame": "lanes", "column": "lane"}),
    ({"op": "remove_lane", "lane": "Nope"}, "no lane", {"frame": "lanes", "column": "lane"}),
    (
        {"op": "update", "frame": "lanes", "id": "backstage-awareness", "fields": {"text": "x"}},
        "cannot be edited",
        None,
    ),
]


@pytest.mark.parametrize(("content", "fragment", "where"), INVALID, ids=[str(i) for i in range(len(INVALID))])
def test_invalid_edit_is_reported_and_changes_nothing(
    editor: JourneyEditor,
    journey: Journey,
    content: dict[str, Any],
    fragment: str,
    where: dict[str, Any] | None,
) -> None:
    before, version = journey.copy(), editor.snapshot["version"]
    reply = run(editor, **content)
    assert not reply["ok"] and fragment in reply["error"], reply
    if where is not None:  # a validation error names the frame, row and column at fault
        assert {k: reply["where"][k] for k in where} == where
    assert journey.equals(before)
    assert editor.snapshot["version"] == version
    assert editor.undo_depth == 0


def test_metrics_editable_columns_exist_in_the_spec() -> None:
    from cjm_jupyter.widgets.journey_editor import EDITABLE

    spec = FRAMES["metrics"].column_names
    # every column but the id and run_id (measure()'s mark on the rows it wrote)
    assert set(EDITABLE["metrics"]) == set(spec) - {"id", "run_id"}


# -- the Colleen template's details, metrics and lanes, typed through the ops only ---------------------
def _cell(value: Any) -> Any:
    return None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)


def test_colleen_meta_metrics_and_lanes_through_the_ops() -> None:
    from cjm_jupyter import templates

    target = templates.load("colleen")
    journey = target.copy()
    journey.replace_frame("metrics", journey.metrics.iloc[0:0])
    journey.replace_frame("lanes", journey.lanes.iloc[0:0])
    journey.set_meta(name="Untitled", scenario=None, description=None)
    editor = JourneyEditor(journey)
    for field in ("name", "scenario", "kind", "description"):
        ok(editor, "update_meta", field=field, value=target.meta[field])
    for row in target.metrics.to_dict("records"):
        place = (
            {"stage": row["stage_id"]}
            if not pd.isna(row["stage_id"])
            else {"touchpoint": row["touchpoint_id"]}
        )
        new = ok(editor, "add_metric", name=row["name"], value=_cell(row["value"]), **place)
        rest = {c: _cell(row[c]) for c in ("unit", "persona_id", "segment", "n", "source", "basis")}
        ok(editor, "update", frame="metrics", id=new, fields={k: v for k, v in rest.items() if v is not None})
    for lane in target.lane_names:
        ok(editor, "add_lane", name=lane)
        rows = target.lanes[target.lanes["lane"] == lane]
        for stage, text in zip(rows["stage_id"], rows["text"], strict=True):
            if not pd.isna(text):
                ok(editor, "set_lane_cell", lane=lane, stage=stage, text=text)
    meta = journey.meta
    assert meta.pop("updated_at") is not None and target.updated_at is None  # edited vs shipped
    assert meta == {k: v for k, v in target.meta.items() if k != "updated_at"}
    pd.testing.assert_frame_equal(journey.metrics, target.metrics)
    pd.testing.assert_frame_equal(journey.lanes, target.lanes)
