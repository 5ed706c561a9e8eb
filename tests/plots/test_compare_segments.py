"""Segments compared on one map: a lane per metric, whiskers for intervals, '*' where significant."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bokeh.embed import file_html
from bokeh.models import Whisker
from bokeh.resources import INLINE

from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.plots.compare import segment_comparison
from cjm_jupyter.plots.theme import segment_colors

EVIL = "<script>alert(1)</script>"


def comparison() -> pd.DataFrame:
    """compare_segments' shape on Colleen's first two stages: conversion and time to next."""
    j = templates.load("colleen")
    st = j.stages.sort_values("order")
    s1, s2 = list(st["id"][:2])
    n1, n2 = list(st["name"][:2])
    rows = []
    for metric, places in (("conversion", [(s1, n1), (s2, n2)]), ("time_to_next", [(s1, n1)])):
        for sid, sname in places:
            for seg, value, p in (("desktop", 0.6, None), (EVIL, 0.7, 0.003), ("mobile", 0.62, 0.4)):
                if metric == "conversion" and sid == s1:  # the first step: everyone, no test
                    value, p = 1.0, None
                value = value * 86400 if metric == "time_to_next" else value
                base = seg == "desktop"
                rows.append(
                    {"metric": metric, "stage_id": sid, "stage": sname, "touchpoint_id": None,
                     "touchpoint": None, "segment": seg, "baseline": "desktop", "n": 500, "value": value,
                     "ci_low": value * 0.9, "ci_high": value * 1.05, "baseline_value": 0.6,
                     "difference": np.nan if base else value - 0.6, "diff_low": np.nan if base else -0.01,
                     "diff_high": np.nan if base else 0.2, "test": None if base else "two-proportion z",
                     "statistic": np.nan, "p_value": p, "p_adjusted": None if p is None else min(1, 2 * p),
                     "effect_size": np.nan if base else 0.21, "effect": None if base else "Cohen's h",
                     "significant": bool(p is not None and 2 * p < 0.05)}
                )  # fmt: skip
    df = pd.DataFrame(rows)
    df.attrs.update(mode="sequential", adjust="holm", alpha=0.05, level=0.95, baseline="desktop")
    return df


def sources(fig, name: str) -> list[dict]:
    return [r.data_source.data for r in fig.select(name=name)]


def test_a_lane_per_metric_sharing_the_journeys_stages() -> None:
    j = templates.load("colleen")
    layout = segment_comparison(comparison(), j)
    assert [f.name for f in layout.children] == ["lane:conversion", "lane:time_to_next"]
    conv, time = layout.children
    assert conv.x_range is time.x_range
    assert conv.title.text.text == "Conversion to the step"
    assert conv.above[1].text.text.replace("\n", " ") == (  # wrapped at word boundaries
        "Whiskers: 95% intervals. * = differs from the baseline: p adjusted (holm) < 0.05. Sequential funnel"
    )
    labels = [item.label.value for item in conv.legend[0].items]
    assert labels == ["desktop (baseline)", EVIL, "mobile"]
    # time in the unit the axis names (hours for under 3 days), hover with the same words
    assert time.yaxis[0].axis_label == "h"
    (desktop,) = [d for d in sources(time, "segment_points") if d["segment_label"][0] == "desktop"]
    assert desktop["value"].tolist() == pytest.approx([14.4]) and desktop["value_text"] == ["14.4 h"]


def test_intervals_are_whiskers_and_significant_differences_carry_a_star() -> None:
    conv = segment_comparison(comparison()).children[0]
    whiskers = [m for m in conv.center if isinstance(m, Whisker)]
    assert len(whiskers) == 3
    assert whiskers[1].source.data["ci_low"].tolist() == pytest.approx([0.9, 0.63])
    marks = sources(conv, "significance_marks")
    assert len(marks) == 1  # only the evil segment's step 2: p adjusted 0.006 < 0.05
    assert marks[0]["y"] == pytest.approx([0.735])  # above the whisker's top
    (evil,) = [d for d in sources(conv, "segment_points") if d["segment_label"][0] == EVIL]
    assert evil["p_adjusted_text"] == ["—", "0.0060"]
    assert evil["significant_text"] == ["no", "yes"]
    assert evil["diff_text"][1] == "+10.0 points (-1.0 points to +20.0 points)"
    assert evil["effect_text"][1] == "+0.21 Cohen's h"
    (baseline,) = [d for d in sources(conv, "segment_points") if d["segment_label"][0] == "desktop"]
    assert baseline["significant_text"] == ["baseline", "baseline"]


def test_segments_keep_their_colour_and_text_stays_data() -> None:
    conv = segment_comparison(comparison()).children[0]
    colors = segment_colors(["desktop", "mobile", EVIL])
    points = conv.select(name="segment_points")
    assert {r.data_source.data["segment_label"][0]: r.glyph.fill_color for r in points} == colors
    page = file_html(segment_comparison(comparison()), INLINE, "cmp")
    assert EVIL not in page  # only JSON-escaped, drawn on the canvas


def test_without_a_journey_the_frames_order_and_bad_frames_are_named() -> None:
    layout = segment_comparison(comparison())
    assert layout.children[-1].xaxis[0].major_label_overrides[0.0].text == "Trigger"
    with pytest.raises(ValidationError, match="comparison has no column 'significant'"):
        segment_comparison(comparison().drop(columns="significant"))
    with pytest.raises(ValidationError, match="the comparison has no rows of a known metric"):
        segment_comparison(comparison().assign(metric="revenue"))


def test_draws_the_real_compare_segments_frame() -> None:
    pytest.importorskip("statsmodels")
    from cjm_jupyter import analytics
    from cjm_jupyter.analytics.compare import compare_segments

    j = templates.load("colleen")
    log = analytics.make_events(j, customers=2000, segments={"mobile": 1.0, "desktop": 1.3}, seed=1)
    frame = compare_segments(log, j, segment_col="segment")
    layout = segment_comparison(frame, j)
    assert [f.name for f in layout.children] == [
        f"lane:{m}" for m in ("conversion", "satisfaction", "time_to_next") if (frame["metric"] == m).any()
    ]
    conv = layout.children[0]
    marks = sum(len(d["x"]) for d in sources(conv, "significance_marks"))
    assert marks == int((frame["significant"] & (frame["metric"] == "conversion")).sum()) > 0
