"""The event -> touchpoint mapping kept in the journey (``event_map``) and used by analytics."""

from __future__ import annotations

import json
import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter import analytics as an
from cjm_jupyter.io import read_json

from ..support.analytics import MAPPING, make_journey


def mapped_journey() -> Journey:
    j = make_journey().copy()
    for event, touchpoint in MAPPING.items():
        j.map_events(touchpoint, event)
    return j


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


@pytest.mark.parametrize("metric", [an.funnel, an.transitions, an.stage_times, an.variants, an.exits])
def test_metrics_use_the_journeys_mapping(hand, metric):
    from_journey = quiet(metric, hand, mapped_journey())
    passed = quiet(metric, hand, make_journey(), mapping=MAPPING)
    pd.testing.assert_frame_equal(from_journey, passed)
    assert from_journey.attrs["unmapped"] == {"e7": 1}


def test_explicit_mapping_wins_over_the_journeys(hand):
    j = mapped_journey()
    j.map_events("t3", "e2")  # e2 moved from t2 (Consider) to t3 (Buy)
    moved = quiet(an.funnel, hand, j)
    passed = quiet(an.funnel, hand, j, mapping=MAPPING)
    assert moved.set_index("stage_id").loc["s1", "customers"] == 0
    assert passed.set_index("stage_id").loc["s1", "customers"] == 3


def test_no_mapping_anywhere_is_a_clear_error(hand):
    with pytest.raises(ValidationError, match="no event mapping") as info:
        an.funnel(hand, make_journey())
    assert info.value.frame == "event_map"


def test_map_events_moves_an_event_in_one_change():
    j = mapped_journey()
    seen = []
    j.observe(seen.append)
    assert j.map_events("t4", ["e0", "new_event"]) == ["e0", "new_event"]
    assert len(seen) == 1
    mapping = dict(zip(j.event_map["event"], j.event_map["touchpoint_id"], strict=True))
    assert mapping["e0"] == "t4" and mapping["new_event"] == "t4" and mapping["e1"] == "t1"


def test_map_events_refuses_unknown_touchpoint_and_changes_nothing():
    j = mapped_journey()
    before = j.event_map
    with pytest.raises(ValidationError) as info:
        j.map_events("nowhere", ["e0", "other"])
    assert (info.value.frame, info.value.column) == ("event_map", "touchpoint_id")
    pd.testing.assert_frame_equal(j.event_map, before)


def test_unmap_events():
    j = mapped_journey()
    j.unmap_events(["e0", "e6"])
    assert set(j.event_map["event"]) == set(MAPPING) - {"e0", "e6"}
    with pytest.raises(ValidationError, match="not in the mapping"):
        j.unmap_events("e0")


def test_event_map_is_unique_per_event():
    j = mapped_journey()
    with pytest.raises(ValidationError) as info:
        j.add("event_map", event="e0", touchpoint_id="t2", id="dup")
    assert info.value.column == "event"


def test_event_map_round_trips_through_json(tmp_path):
    j = mapped_journey()
    path = tmp_path / "shop.json"
    j.to_json(path)
    assert read_json(path).equals(j)


def test_file_written_before_event_map_existed_still_reads(tmp_path):
    j = make_journey()
    doc = json.loads(j.to_json())
    del doc["frames"]["event_map"]
    back = read_json(json.dumps(doc))
    assert back.event_map.empty
    assert back.equals(j)


def test_measure_uses_the_journeys_mapping(hand):
    j = mapped_journey()
    quiet(j.measure, hand)
    customers = j.metrics[j.metrics["name"] == "customers"].set_index("stage_id")["value"]
    assert customers.to_dict() == {"s0": 3.0, "s1": 3.0, "s2": 1.0}
