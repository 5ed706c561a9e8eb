"""``Journey.measure`` returns a MeasureResult: the same tables, shown as one short line."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import pytest

pytest.importorskip("duckdb")

import cjm_jupyter as cjm
from cjm_jupyter import analytics
from cjm_jupyter.analytics.measure_result import MeasureResult


@pytest.fixture(scope="module")
def log() -> pd.DataFrame:
    j = cjm.templates.load("colleen")
    return analytics.make_events(j, customers=300, segments={"mobile": 1.0, "desktop": 1.3}, seed=3)


def _table(period: str) -> pd.DataFrame:
    table = pd.DataFrame({"stage_id": ["a"], "customers": [1]})
    table.attrs["period"] = period
    return table


def test_measure_returns_a_mapping_of_the_tables_and_counts_what_it_wrote(log: pd.DataFrame) -> None:
    j = cjm.templates.load("colleen")
    surveys = analytics.make_surveys(log, j, seed=3)
    metrics_before, emotions_before = len(j.metrics), len(j.emotions)
    result = j.measure(log, surveys, segment_col="segment", respondent_col="customer_id", period="2026-Q4")
    assert isinstance(result, MeasureResult) and isinstance(result, Mapping)
    assert next(iter(result)) == "funnel" and "satisfaction" in result
    assert set(result) == set(dict(result)) and len(result) == len(list(result))
    assert all(result[name].attrs["period"] == "2026-Q4" for name in result)
    assert result.period == "2026-Q4"
    # the template has no rows of an earlier run: everything new is this run's
    assert result.metric_rows == len(j.metrics) - metrics_before > 0
    assert result.emotion_rows == len(j.emotions) - emotions_before > 0
    assert result.segments == ("desktop", "mobile")
    # a re-run of the same period replaces its rows: the same counts
    again = j.measure(log, surveys, segment_col="segment", respondent_col="customer_id", period="2026-Q4")
    assert (again.metric_rows, again.emotion_rows) == (result.metric_rows, result.emotion_rows)
    # another period without surveys: only its own metric rows, emotions untouched
    other = j.measure(log, period="2027-Q1")
    assert other.emotion_rows is None and other.segments == ()
    assert other.metric_rows == int((j.metrics["period"] == "2027-Q1").sum())
    assert other.metric_rows < result.metric_rows  # no segment rows this time
    assert "emotion" not in repr(other)


def test_the_summary_is_one_short_line() -> None:
    result = MeasureResult(
        {"funnel": _table("2026-Q4"), "bounces": _table("2026-Q4")},
        period="2026-Q4",
        metric_rows=42,
        emotion_rows=10,
        segments=("desktop", "mobile"),
    )
    assert repr(result) == (
        "measured period '2026-Q4': 42 metric rows, 10 survey emotion rows written, for all customers "
        "and per segment (desktop, mobile); tables: funnel, bounces (e.g. result['funnel'])"
    )
    assert result._repr_html_() == (
        '<div class="cjm-measure-result"><strong>Measured</strong> period <code>2026-Q4</code>: '
        "42 metric rows, 10 survey emotion rows written, for all customers and per segment "
        "(desktop, mobile).<br>Tables: funnel, bounces (e.g. <code>result[&#x27;funnel&#x27;]</code>).</div>"
    )
    one = MeasureResult({"funnel": _table("Q")}, period="Q", metric_rows=1, emotion_rows=None)
    assert repr(one) == (
        "measured period 'Q': 1 metric row written, for all customers; tables: funnel (e.g. result['funnel'])"
    )


def test_many_segments_are_cut_short() -> None:
    segments = tuple(f"s{i}" for i in range(8))
    result = MeasureResult(
        {"funnel": _table("Q")}, period="Q", metric_rows=2, emotion_rows=0, segments=segments
    )
    assert "per segment (s0, s1, s2, s3, s4 and 3 more)" in repr(result)
    assert "0 survey emotion rows" in repr(result)


def test_user_text_is_escaped_in_the_html_summary() -> None:
    evil = "</code><img src=x onerror=alert(1)>"
    result = MeasureResult(
        {"funnel": _table(evil)}, period=evil, metric_rows=3, emotion_rows=None, segments=(evil, "b&b")
    )
    page = result._repr_html_()
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "b&amp;b" in page
    # plain text: the period's repr keeps a label with a newline on one line
    odd = MeasureResult({"funnel": _table("a\nb")}, period="a\nb", metric_rows=0, emotion_rows=None)
    assert "\n" not in repr(odd) and "period 'a\\nb'" in repr(odd)
