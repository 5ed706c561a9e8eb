"""The Colleen template's goals, scorecard, priorities and review, before and after measuring it."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter import templates

pytest.importorskip("duckdb")
from cjm_jupyter import analytics  # after the skip: needs the analytics extra


@pytest.fixture(scope="module")
def measured():
    j = templates.load("colleen")
    j.measure(analytics.make_events(j, customers=1000, seed=1), period="2026-Q3")
    return j


def test_the_kpis_lane_goals_are_all_missed_by_the_templates_values() -> None:
    got = templates.load("colleen").scorecard()
    assert got[["name", "comparison", "target", "value", "status"]].values.tolist() == [
        ["Bounce rate", "<", 50.0, 68.0, "missed"],
        ["Conversion rate", ">", 3.0, 1.8, "missed"],
        ["CSAT", ">=", 4.3, 3.9, "missed"],
    ]
    assert got["gap"].round(6).tolist() == [18.0, -1.2, -0.4]


def test_a_measured_exit_rate_ratio_scores_a_percent_goal(measured) -> None:
    j = measured.copy()
    j.add_goal("Exit rate", 50, "<", touchpoint="brand-website", unit="%")
    got = j.scorecard().set_index("name")
    metrics = j.metrics.set_index("id")
    row = got.loc["Exit rate"]
    source = metrics.loc[row["metric_id"]]
    assert (source["name"], source["touchpoint_id"], source["period"], source["unit"]) == (
        "exit rate", "brand-website", "2026-Q3", "ratio",
    )  # fmt: skip
    assert row["value"] == pytest.approx(source["value"] * 100)
    assert row["period"] == "2026-Q3" and row["unit"] == "%"
    # measure() writes "exit rate", never "bounce rate": a bounce-rate goal keeps its own rows
    bounce = got.loc["Bounce rate"]
    assert pd.isna(bounce["metric_id"]) or metrics.loc[bounce["metric_id"], "name"] != "exit rate"
    assert not ((j.metrics["name"] == "bounce rate") & (j.metrics["run_id"] == "measure")).any()
    # measure() writes "conversion" (stage to stage), another KPI: the typed value stays
    assert got.loc["Conversion rate", "value"] == 1.8 and pd.isna(got.loc["Conversion rate", "period"])


def test_priorities_weigh_pain_points_by_the_measured_funnel(measured) -> None:
    customers = measured.metrics
    stage_rows = customers[(customers["name"] == "customers") & customers["segment"].isna()]
    counts = dict(zip(stage_rows["stage_id"], stage_rows["value"], strict=True))
    top = max(counts.values())
    got = measured.priorities().set_index("id")
    pains = measured.pain_points.set_index("id")
    for pid in pains.index:
        stage = got.loc[pid, "stage_id"]
        expected = pains.loc[pid, "severity"] * pains.loc[pid, "frequency"] * counts[stage] / top
        assert got.loc[pid, "score"] == pytest.approx(expected)
    ranked = got[got["kind"] == "pain point"]
    assert ranked["score"].is_monotonic_decreasing and ranked["rank"].iloc[0] == 1
