"""The editors' frame cache: an edit that keeps every row in place is patched in place, same delta."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter import Journey
from cjm_jupyter.widgets._snapshot import FrameCache, frame_records

FRAMES = ("stages", "touchpoints")


def _journey(per_stage: int = 300) -> Journey:
    stages = pd.DataFrame({"id": ["s0", "s1"], "name": ["Stage 0", "Stage 1"]})
    touchpoints = pd.DataFrame(
        [
            {"id": f"s{i}-t{k}", "stage_id": f"s{i}", "name": f"Touchpoint {k}", "order": k}
            for i in range(2)
            for k in range(per_stage)
        ]
    )
    return Journey("Cache", frames={"stages": stages, "touchpoints": touchpoints})


def _general_delta(j: Journey, edit, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, list]:
    """The delta and records of ``edit`` with the in-place path switched off (the reference)."""
    cache = FrameCache(FRAMES)
    cache.rebuild(j)
    monkeypatch.setattr(FrameCache, "_patch_in_place", lambda *_args: None)
    seen = []
    j.observe(lambda change: seen.append(cache.update(j, change.affected)))
    edit(j)
    monkeypatch.undo()
    return (seen[-1] if seen else {}), cache.records["touchpoints"]


EDITS = {
    "rename": lambda j: j.update_touchpoint("s1-t7", name="Renamed <b>"),
    "same value": lambda j: j.update_touchpoint("s1-t7", name="Touchpoint 7"),
    "move": lambda j: j.move_touchpoint("s1-t7", position=0),
    "add": lambda j: j.add_touchpoint("s0", "New"),
    "remove": lambda j: j.remove("touchpoints", ["s0-t3"]),
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_delta_and_records_equal_the_general_path(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    expected_delta, expected_records = _general_delta(_journey(), EDITS[kind], monkeypatch)
    j = _journey()
    cache = FrameCache(FRAMES)
    cache.rebuild(j)
    seen = []
    j.observe(lambda change: seen.append(cache.update(j, change.affected)))
    EDITS[kind](j)
    assert (seen[-1] if seen else {}) == expected_delta
    assert cache.records["touchpoints"] == expected_records == frame_records(j.touchpoints, "touchpoints")


def test_a_rename_is_patched_in_place_without_touching_the_old_list(monkeypatch: pytest.MonkeyPatch) -> None:
    j = _journey()
    cache = FrameCache(FRAMES)
    cache.rebuild(j)
    before = cache.records["touchpoints"]
    calls = []
    original = FrameCache._patch_in_place

    def spy(self, *args):
        calls.append(result := original(self, *args))
        return result

    monkeypatch.setattr(FrameCache, "_patch_in_place", spy)
    seen = []
    j.observe(lambda change: seen.append(cache.update(j, change.affected)))
    j.update_touchpoint("s1-t7", name="Renamed")
    assert calls and calls[-1] is not None  # the in-place path answered
    (row,) = seen[-1]["touchpoints"]["upsert"]
    assert row["name"] == "Renamed" and seen[-1]["touchpoints"]["remove"] == []
    assert before[307]["name"] == "Touchpoint 7"  # the list a sent snapshot holds is not modified
    assert cache.records["touchpoints"][307]["name"] == "Renamed"
