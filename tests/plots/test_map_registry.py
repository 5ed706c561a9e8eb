"""The map's lane registry (cjm_jupyter.plots.map.registry): one ordered table of lanes."""

from __future__ import annotations

import dataclasses

import pytest

from cjm_jupyter import templates
from cjm_jupyter.plots import LANES as PUBLIC_LANES
from cjm_jupyter.plots.map import LANE_TITLES, LANES, journey_map
from cjm_jupyter.plots.map.registry import BUILTIN_LANES, Lane, custom_lane, lane_of, lanes_of


def test_lanes_and_titles_are_derived_from_the_registry_with_todays_values() -> None:
    assert LANES == (
        "actions",
        "touchpoints",
        "thoughts",
        "emotions",
        "pain_points",
        "opportunities",
        "actions_plan",
        "metrics",
    )
    assert PUBLIC_LANES is LANES
    assert LANE_TITLES == {
        "actions": "Customer actions",
        "touchpoints": "Touchpoints",
        "thoughts": "Thoughts",
        "emotions": "Emotions",
        "pain_points": "Pain points",
        "opportunities": "Opportunities",
        "actions_plan": "Action plan",
        "metrics": "Metrics",
    }
    assert [lane.name for lane in BUILTIN_LANES] == list(LANES)


def test_a_lane_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        BUILTIN_LANES[0].title = "x"  # type: ignore[misc]


def test_custom_lanes_follow_the_builtin_ones_and_a_builtin_name_wins() -> None:
    lanes = lanes_of(["Channels", "metrics"])
    assert [lane.name for lane in lanes] == [*LANES, "Channels", "metrics"]
    assert lane_of("metrics", ["metrics"]) is BUILTIN_LANES[-1]
    channels = lane_of("Channels", ["Channels"])
    assert isinstance(channels, Lane)
    assert (channels.name, channels.title) == ("Channels", "Channels")
    assert lane_of("nope", ["Channels"]) is None
    assert custom_lane("x").title == "x"


def test_the_default_map_draws_the_lanes_with_content_in_registry_order() -> None:
    j = templates.load("colleen")
    names = [fig.name for fig in journey_map(j).children]
    expected = [f"lane:{n}" for n in LANES] + [f"lane:custom:{n}" for n in j.lane_names]
    assert names[0] == "lane:stages"
    assert names[1:] == [n for n in expected if n in names[1:]]
    assert names[1:4] == ["lane:actions", "lane:touchpoints", "lane:thoughts"]
