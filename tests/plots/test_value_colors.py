"""A segment labelled with a persona's name (or its segment) is drawn in the persona's colour everywhere."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import plots
from cjm_jupyter.plots.theme import SEGMENT_PALETTE, persona_colors, segment_colors, value_colors


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.templates.load("colleen")
    j.add_persona("Mobile Mia", id="mia", segment="2")
    j.add_persona("Big-basket Ben", id="ben")
    return j


def test_persona_names_ids_and_owned_segments_take_the_persona_colour(journey):
    personas = persona_colors(journey)
    got = value_colors(["Mobile Mia", "ben", "2", "tablet"], journey)
    assert got["Mobile Mia"] == personas["mia"] == got["2"]
    assert got["ben"] == personas["ben"]
    assert got["tablet"] in SEGMENT_PALETTE and got["tablet"] not in personas.values()


def test_without_a_journey_it_is_the_segment_rule():
    assert value_colors(["b", "a", None, " "]) == segment_colors(["a", "b"])


def test_unknown_values_never_reuse_a_colour_already_taken(journey):
    journey.add_metric("customers", 10, stage=journey.stages["id"].iloc[0], segment="desktop", n=10)
    got = value_colors(["desktop", "web", "app"], journey)
    assert got["desktop"] == segment_colors(journey)["desktop"]
    assert len({got["desktop"], got["web"], got["app"]}) == 3


def _bar_colors(fig) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in fig.renderers:
        data = r.data_source.data
        if "segment" in data and "color" in data:
            out.update(zip(data["segment"], data["color"], strict=True))
    return out


def test_funnel_of_persona_named_segments_uses_the_persona_colours(journey):
    frame = pd.DataFrame(
        {
            "segment": ["Mobile Mia"] * 2 + ["Big-basket Ben"] * 2,
            "stage": ["Visit", "Buy"] * 2,
            "customers": [100, 40, 80, 50],
        }
    )
    colors = _bar_colors(plots.funnel_chart(frame, journey=journey, intervals=False))
    personas = persona_colors(journey)
    assert colors == {"Mobile Mia": personas["mia"], "Big-basket Ben": personas["ben"]}
    # without the journey: the segment palette by rank, as before
    plain = _bar_colors(plots.funnel_chart(frame, intervals=False))
    assert plain == segment_colors(["Mobile Mia", "Big-basket Ben"])


def test_marks_of_a_comparison_of_another_funnel_warn():
    from cjm_jupyter import analytics

    j = cjm.templates.load("colleen")
    log = analytics.make_events(j, customers=400, segments=["mobile", "desktop"], seed=3)
    cmp = analytics.compare_segments(log, j, segment_col="segment")  # sequential by default
    other = r"another funnel than the one drawn \(mode 'first_reach' vs 'sequential'"
    with pytest.warns(UserWarning, match=other):
        plots.funnel_chart(analytics.funnel(log, j, segment_col="segment"), comparison=cmp, intervals=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plots.funnel_chart(analytics.funnel(log, j, segment_col="segment", mode="sequential"), comparison=cmp)
