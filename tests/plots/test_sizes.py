"""One size convention (C3): ``height=None`` is what the content needs, an integer is honoured.

The default heights are those the plots had before the convention, so default
pictures do not change; a column of figures shares an explicit height in
proportion; pictures whose text is laid out in pixels refuse less than it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from bokeh.models import LayoutDOM

from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.plots import _common as c
from cjm_jupyter.plots import (
    compare_journeys,
    funnel_chart,
    journey_map,
    persona_cards,
    segment_profile,
)

from ..support.focused_plots import COLLEEN, profile, with_size

FUTURE = templates.load("colleen_future")

#: name -> build(height): every focused plot, the journey map and the comparison of two journeys.
BUILDERS: dict[str, Callable[[Any], LayoutDOM]] = {
    **with_size("height"),
    "journey_map": lambda h: journey_map(COLLEEN, height=h),
    "compare_journeys": lambda h: compare_journeys(COLLEEN, FUTURE, height=h),
}
#: Heights the plots had before the convention, kept as their computed default.
FIXED_DEFAULTS = {"emotion_curve": 440, "flow": 520, "priority_matrix": 640, "compare_personas_bars": 440}
#: Pictures whose text is laid out in pixels: they refuse less than their content needs.
TEXT_LAID_OUT = ("empathy_map", "journey_map", "compare_journeys")


def total_height(model: LayoutDOM) -> int:
    """The heights (frame heights where fixed) of the plots stacked in ``model``, summed."""
    return sum(plot.frame_height or plot.height for plot in c._stacked_plots(model))


@pytest.mark.parametrize("name", sorted(FIXED_DEFAULTS))
def test_plots_that_scale_to_any_height_keep_their_old_default(name: str) -> None:
    assert total_height(BUILDERS[name](None)) == FIXED_DEFAULTS[name]


def test_content_heights_follow_the_content() -> None:
    two = pd.DataFrame({"stage": ["Visit", "Buy"], "customers": [10, 4]})
    six = pd.DataFrame({"stage": list("ABCDEF"), "customers": [60, 50, 40, 30, 20, 10]})
    assert funnel_chart(six).height > funnel_chart(two).height
    one = journey_map(COLLEEN, lanes=["touchpoints"])
    three = journey_map(COLLEEN, lanes=["touchpoints", "emotions", "pain_points"])
    assert total_height(three) > total_height(one)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_an_explicit_height_is_the_height_of_the_picture(name: str) -> None:
    natural = total_height(BUILDERS[name](None))
    for asked in (natural + 300, natural + 17):
        model = BUILDERS[name](asked)
        # a column shares the height among its figures, each rounded to a pixel
        assert abs(total_height(model) - asked) <= len(c._stacked_plots(model)), (name, asked)


@pytest.mark.parametrize("name", sorted(set(BUILDERS) - set(TEXT_LAID_OUT)))
def test_plots_that_scale_take_a_smaller_height_too(name: str) -> None:
    model = BUILDERS[name](300)
    assert abs(total_height(model) - 300) <= len(c._stacked_plots(model))


@pytest.mark.parametrize("name", TEXT_LAID_OUT)
def test_text_pictures_refuse_less_than_their_text_needs_and_say_how_much(name: str) -> None:
    natural = total_height(BUILDERS[name](None))
    with pytest.raises(ValidationError, match=rf"column 'height', value 200: .*at least {natural} pixels"):
        BUILDERS[name](200)


@pytest.mark.parametrize("bad", [True, 50, 250.5, "300"])
@pytest.mark.parametrize("name", ["emotion_curve", "segment_profile", "journey_map", "funnel_chart"])
def test_a_height_that_is_no_pixel_count_is_refused_naming_height(name: str, bad: object) -> None:
    with pytest.raises(ValidationError, match="column 'height'"):
        BUILDERS[name](bad)


def test_a_stacked_height_keeps_the_proportions_of_the_figures() -> None:
    natural = [p.height for p in c._stacked_plots(segment_profile(profile()))]
    doubled = [p.height for p in c._stacked_plots(segment_profile(profile(), height=2 * sum(natural)))]
    assert doubled == [2 * h for h in natural]


def test_persona_cards_scroll_inside_a_given_height() -> None:
    assert "height" not in persona_cards(COLLEEN).html.split("<style>")[0]
    cards = persona_cards(COLLEEN, width=600, height=300)
    assert '<div class="cjm-cards" style="width: 600px; height: 300px; overflow-y: auto">' in cards.html


def test_journey_plot_passes_the_height_to_the_map() -> None:
    natural = total_height(COLLEEN.plot())
    assert total_height(COLLEEN.plot(height=natural + 100)) == pytest.approx(natural + 100, abs=12)
