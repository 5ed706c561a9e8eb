"""The funnel plot names its mode, draws Wilson whiskers and marks significant steps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from bokeh.models import ColumnDataSource, GlyphRenderer, Title

pytest.importorskip("statsmodels")

from cjm_jupyter.analytics.stats import wilson_interval
from cjm_jupyter.plots.funnel_chart import funnel_chart


def frame(mode: str | None = "sequential", customers=(1000, 300, 120)) -> pd.DataFrame:
    out = pd.DataFrame(
        {"stage_id": ["s0", "s1", "s2"], "stage": ["Visit", "Cart", "Buy"], "customers": list(customers),
         "step_id": ["s0", "s1", "t9"]}
    )  # fmt: skip
    if mode:
        out["mode"] = mode
    return out


def renderer(fig, name: str) -> dict:
    r = next(r for r in fig.renderers if isinstance(r, GlyphRenderer) and r.name == name)
    assert isinstance(r.data_source, ColumnDataSource)
    return r.data_source.data


def notes(fig) -> list[str]:
    titles = [t for t in fig.above if isinstance(t, Title)]
    # the notes wrap at word boundaries (tests/test_plots_focused_fit.py): read them as one line
    return [str(t.text.text if hasattr(t.text, "text") else t.text).replace("\n", " ") for t in titles]


@pytest.mark.parametrize(
    ("mode", "name"), [("sequential", "Sequential funnel"), ("first_reach", "First-reach funnel")]
)
def test_the_mode_is_named_under_the_title(mode, name):
    fig = funnel_chart(frame(mode))
    assert notes(fig) == [f"{name} · whiskers: 95% Wilson interval of step conversion"]
    attrs_only = frame(None)
    attrs_only.attrs["mode"] = mode
    assert notes(funnel_chart(attrs_only, intervals=False)) == [name]
    assert notes(funnel_chart(frame(None), intervals=False)) == []  # a frame that says nothing: no note


def test_whiskers_are_wilson_intervals_of_step_conversion_on_the_count_axis():
    fig = funnel_chart(frame())
    whiskers = renderer(fig, "intervals")
    low, high = wilson_interval(np.array([300, 120]), np.array([1000, 300]))
    assert list(whiskers["ci_low_n"]) == pytest.approx(list(low * [1000, 300]))
    assert list(whiskers["ci_high_n"]) == pytest.approx(list(high * [1000, 300]))
    bars = renderer(fig, "bars")
    assert list(bars["interval_text"]) == ["", "27.2% to 32.9%", "34.6% to 45.6%"]
    assert "intervals" not in {r.name for r in funnel_chart(frame(), intervals=False).renderers}


def test_no_whisker_where_conversion_is_not_a_proportion():
    # first reach: more customers at Cart than at Visit (conversion 2.0)
    fig = funnel_chart(frame("first_reach", customers=(10, 20, 5)))
    whiskers = renderer(fig, "intervals")
    assert list(whiskers["stage"]) == ["Buy"]


def test_a_comparison_marks_significant_steps_and_shows_p_adjusted():
    steps = pd.concat([frame().assign(segment="web"), frame(customers=(1000, 200, 30)).assign(segment="app")])
    comparison = pd.DataFrame(
        {
            "metric": ["conversion"] * 4 + ["satisfaction"],
            "stage_id": ["s1", "s1", "s2", "s2", "s1"],
            "touchpoint_id": [None, None, "t9", "t9", None],
            "segment": ["web", "app", "web", "app", "app"],
            "p_adjusted": [np.nan, 0.0004, np.nan, 0.2, 0.001],
            "significant": [False, True, False, False, True],
        }
    )
    comparison.attrs.update(baseline="web", adjust="holm", alpha=0.05)
    fig = funnel_chart(steps, comparison=comparison)
    bars = pd.DataFrame(dict(renderer(fig, "bars")))
    marked = bars.set_index(["segment", "stage"])["mark"]
    assert marked[("app", "Cart")] == "*"
    assert marked.drop(("app", "Cart")).eq("").all()  # the satisfaction row marks nothing
    assert bars.set_index(["segment", "stage"])["p_text"][("app", "Buy")] == "0.2"
    assert notes(fig)[0].endswith("* differs from the baseline web: p adjusted (holm) < 0.05")
    hover = next(t for t in fig.tools if hasattr(t, "tooltips"))
    assert ("p adjusted", "@{p_text}") in hover.tooltips
    assert math.isnan(bars.set_index(["segment", "stage"])["p_adjusted"][("web", "Visit")])
