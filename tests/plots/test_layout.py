"""The one layout of stages and touchpoint slots (plots._layout), shared by the map and the focused plots."""

from __future__ import annotations

import pandas as pd

from cjm_jupyter import templates
from cjm_jupyter.plots._layout import SlotLayout
from cjm_jupyter.plots._slots import touchpoint_slots
from cjm_jupyter.plots.map.grid import build_grid


def test_each_touchpoint_owns_a_slot_and_an_empty_stage_one_empty_slot() -> None:
    stages = pd.DataFrame({"key": ["a", "b", "c"], "name": ["A", "B", "C"]})
    tps = pd.DataFrame(
        {"key": ["t2", "t1", "t3", "lost"], "stage_key": ["c", "a", "c", "zz"], "name": list("wxyz")}
    )
    layout = SlotLayout.build(stages, tps)
    assert layout.slots[["slot", "stage_key", "touchpoint_key"]].values.tolist() == [
        [0, "a", "t1"],
        [1, "b", None],
        [2, "c", "t2"],
        [3, "c", "t3"],
    ]
    assert layout.stages[["key", "start", "end", "center", "n_touchpoints"]].values.tolist() == [
        ["a", 0, 1, 0.5, 1],
        ["b", 1, 2, 1.5, 0],
        ["c", 2, 4, 3.0, 2],
    ]
    assert layout.n_slots == 4
    assert layout.touchpoint_slot() == {"t1": 0, "t2": 2, "t3": 3}
    assert layout.stage_pos == {"a": 0, "b": 1, "c": 2}


def test_one_slot_per_stage_without_touchpoints_and_one_for_an_empty_journey() -> None:
    stages = pd.DataFrame({"key": ["a", "b"], "name": ["A", "B"]})
    assert SlotLayout.build(stages).slots["slot"].tolist() == [0, 1]
    empty = SlotLayout.build(stages.iloc[:0])
    assert (empty.n_slots, len(empty.slots), len(empty.stages)) == (1, 0, 0)


def test_the_map_and_the_focused_plots_put_every_touchpoint_in_the_same_column() -> None:
    j = templates.load("colleen")
    grid = build_grid(j.stages, j.touchpoints, None)
    focused = touchpoint_slots(j)
    map_x = dict(zip(grid.touchpoints["id"], grid.touchpoints["x"], strict=True))
    # the map draws slot i at i + 0.5, the focused plots at i
    assert {k: x - 0.5 for k, x in map_x.items()} == focused.touchpoint_x()
    assert grid.layout.slots.equals(focused.layout.slots)
    bands = focused.bands.set_index("stage_key")
    assert (grid.stages["start"] - 0.5).tolist() == bands.loc[grid.stages["id"], "left"].tolist()
