"""The typed keywords of Journey.plot and Journey.measure stay those of the functions they call."""

from __future__ import annotations

import inspect
import typing

import pytest

from cjm_jupyter import Journey
from cjm_jupyter.analytics.measure import measure
from cjm_jupyter.model.journey import MeasureOptions
from cjm_jupyter.plots.map import journey_map


def _keyword_only(fn: typing.Callable[..., object]) -> dict[str, inspect.Parameter]:
    return {
        name: p
        for name, p in inspect.signature(fn).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }


def test_measure_options_are_the_keywords_of_analytics_measure() -> None:
    own = set(_keyword_only(Journey.measure))  # mapping, scale, period: named in the method
    assert own == {"mapping", "scale", "period"}
    assert set(MeasureOptions.__annotations__) == set(_keyword_only(measure)) - own


def test_measure_keeps_the_defaults_of_analytics_measure() -> None:
    mine, theirs = inspect.signature(Journey.measure).parameters, inspect.signature(measure).parameters
    for name in ("surveys", "mapping", "scale", "period"):
        assert mine[name].default == theirs[name].default, name


def test_plot_keywords_are_those_of_journey_map_with_their_defaults() -> None:
    mine = inspect.signature(Journey.plot).parameters
    theirs = inspect.signature(journey_map).parameters
    expected = ["lanes", "personas", "period", "width", "height", "segment", "comparison", "full_text"]
    assert list(mine)[1:] == expected
    assert set(mine) - {"self"} == set(theirs) - {"journey"}
    for name in set(mine) - {"self"}:
        assert mine[name].default == theirs[name].default, name


def test_measure_rejects_an_unknown_keyword_as_before() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Journey("Shop").measure(None, colour="red")  # type: ignore[call-arg]
