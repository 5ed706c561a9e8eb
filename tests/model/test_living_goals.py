"""journey.add_goal() and journey.scorecard(): goals against hand-computed measured values."""

from __future__ import annotations

import operator

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.model.goals import COMPARISONS, SCORECARD_COLUMNS, scorecard
from cjm_jupyter.model.specs import GOAL_COMPARISONS


def _plain(column: pd.Series) -> list:
    """A column as plain Python values, missing as None."""
    return [None if pd.isna(v) else v for v in column.astype(object)]


@pytest.fixture
def shop() -> Journey:
    j = Journey("Shop")
    j.add_stage("Research")
    j.add_stage("Purchase")
    j.add_touchpoint("research", "Brand website")
    j.add_touchpoint("purchase", "Checkout")
    return j


def _measure(j: Journey, name: str, value: float, period: str | None, **place: str) -> str:
    return j.add_metric(name, value, period=period, run_id="measure" if period else None, **place)


# -- add_goal ---------------------------------------------------------------------------


def test_add_goal_stores_a_validated_row_with_its_place_segment_and_period(shop: Journey) -> None:
    gid = shop.add_goal(
        "Conversion rate", 3, ">", stage="purchase", segment="mobile", period="2026-Q4", unit="%",
        description="Board target",
    )  # fmt: skip
    assert gid == "conversion-rate"
    row = shop.goals.iloc[0]
    assert {k: (None if pd.isna(v) else v) for k, v in row.items()} == {
        "id": "conversion-rate", "name": "Conversion rate", "target": 3.0, "comparison": ">", "unit": "%",
        "stage_id": "purchase", "touchpoint_id": None, "segment": "mobile", "period": "2026-Q4",
        "description": "Board target",
    }  # fmt: skip
    assert shop.add_goal("CSAT", 4.3) == "csat"
    assert shop.goals["comparison"].tolist() == [">", ">="]  # ">=" by default


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            dict(comparison="=>"),
            "frame 'goals', row 'conversion-rate', column 'comparison', value '=>': "
            "must be one of >=, >, <=, <, ==",
        ),
        (
            dict(stage="checkout"),  # a touchpoint id passed as a stage
            "frame 'goals', row 'conversion-rate', column 'stage_id', value 'checkout': "
            "unknown stage id (no such row in 'stages')",
        ),
        (
            dict(touchpoint="basket"),
            "frame 'goals', row 'conversion-rate', column 'touchpoint_id', value 'basket': "
            "unknown touchpoint id (no such row in 'touchpoints')",
        ),
        (
            dict(stage="purchase", touchpoint="checkout"),
            "frame 'goals', row 'conversion-rate', column 'stage_id', value 'purchase': "
            "set only one of stage_id or touchpoint_id",
        ),
        (
            dict(target="high"),
            "frame 'goals', row 'conversion-rate', column 'target', value 'high': "
            "wrong type: expected a number",
        ),
    ],
)
def test_a_bad_goal_is_refused_with_a_clear_message_and_nothing_changes(
    shop: Journey, kwargs: dict, message: str
) -> None:
    before = shop.copy()
    args = {"name": "Conversion rate", "target": 3.0, **kwargs}
    with pytest.raises(ValidationError) as err:
        shop.add_goal(**args)
    assert str(err.value) == message
    assert shop.equals(before)


def test_the_comparisons_are_the_specs_choices() -> None:
    assert tuple(COMPARISONS) == GOAL_COMPARISONS


# -- statuses and comparisons -------------------------------------------------------------


def test_met_missed_and_no_data_with_the_gap(shop: Journey) -> None:
    _measure(shop, "conversion rate", 3.5, "2026-Q3", stage="purchase")
    _measure(shop, "bounce rate", 62.0, "2026-Q3", touchpoint="brand-website")
    shop.add_goal("conversion rate", 3, ">", stage="purchase")
    shop.add_goal("bounce rate", 50, "<", touchpoint="brand-website")
    shop.add_goal("CSAT", 4.3, ">=", stage="purchase")
    got = shop.scorecard()
    assert list(got.columns) == list(SCORECARD_COLUMNS)
    assert got[["goal_id", "status"]].values.tolist() == [
        ["conversion-rate", "met"], ["bounce-rate", "missed"], ["csat", "no data"],
    ]  # fmt: skip
    assert _plain(got["value"]) == [3.5, 62.0, None]
    assert _plain(got["gap"]) == [0.5, 12.0, None]
    assert _plain(got["period"]) == ["2026-Q3", "2026-Q3", None]
    assert _plain(got["stage"]) == ["Purchase", None, "Purchase"]
    assert _plain(got["touchpoint"]) == [None, "Brand website", None]
    assert _plain(got["metric_id"]) == ["conversion-rate", "bounce-rate", None]


@pytest.mark.parametrize(
    ("comparison", "value", "status"),
    [
        (">=", 3.0, "met"), (">=", 2.9, "missed"),
        (">", 3.1, "met"), (">", 3.0, "missed"),
        ("<=", 3.0, "met"), ("<=", 3.1, "missed"),
        ("<", 2.9, "met"), ("<", 3.0, "missed"),
        ("==", 3.0, "met"), ("==", 3.0000001, "missed"),
    ],
)  # fmt: skip
def test_every_comparison(shop: Journey, comparison: str, value: float, status: str) -> None:
    _measure(shop, "score", value, "2026-Q3", stage="research")
    shop.add_goal("score", 3.0, comparison, stage="research")
    assert shop.scorecard()["status"].tolist() == [status]


def test_equality_allows_for_float_rounding(shop: Journey) -> None:
    _measure(shop, "share", 0.1 + 0.2, "2026-Q3", stage="research")
    shop.add_goal("share", 0.3, "==", stage="research")
    assert shop.scorecard()["status"].tolist() == ["met"]


# -- matching ---------------------------------------------------------------------------------


def test_names_match_ignoring_case_and_extra_whitespace(shop: Journey) -> None:
    _measure(shop, "Conversion  Rate", 2.0, "2026-Q3", stage="purchase")
    _measure(shop, "conversion", 9.0, "2026-Q3", stage="purchase")  # another metric
    shop.add_goal("  conversion rate ", 3, stage="purchase")
    assert shop.scorecard()[["value", "status"]].values.tolist() == [[2.0, "missed"]]


def test_the_place_must_be_the_same(shop: Journey) -> None:
    _measure(shop, "bounce rate", 40.0, "2026-Q3", touchpoint="brand-website")  # inside research
    _measure(shop, "revenue", 100.0, "2026-Q3")  # journey-wide
    shop.add_goal("bounce rate", 50, "<", stage="research", id="stage-goal")
    shop.add_goal("bounce rate", 50, "<", touchpoint="checkout", id="other-touchpoint")
    shop.add_goal("revenue", 90, id="journey-wide")
    shop.add_goal("revenue", 90, stage="research", id="revenue-at-stage")
    got = shop.scorecard().set_index("goal_id")["status"].to_dict()
    assert got == {
        "stage-goal": "no data", "other-touchpoint": "no data", "journey-wide": "met",
        "revenue-at-stage": "no data",
    }  # fmt: skip


def test_segments_match_exactly_and_no_segment_means_all_customers(shop: Journey) -> None:
    _measure(shop, "conversion rate", 2.0, "2026-Q3", stage="purchase")
    shop.add_metric("conversion rate", 4.0, stage="purchase", segment="mobile", period="2026-Q3",
                    run_id="measure")  # fmt: skip
    shop.add_goal("conversion rate", 3, stage="purchase", id="all")
    shop.add_goal("conversion rate", 3, stage="purchase", segment="mobile", id="mobile")
    shop.add_goal("conversion rate", 3, stage="purchase", segment="desktop", id="desktop")
    got = shop.scorecard()
    assert got["goal_id"].tolist() == ["all", "mobile", "desktop"]
    assert _plain(got["segment"]) == [None, "mobile", "desktop"]
    assert _plain(got["value"]) == [2.0, 4.0, None]
    assert got["status"].tolist() == ["missed", "met", "no data"]


@pytest.fixture
def quarters(shop: Journey) -> Journey:
    shop.add_metric("conversion rate", 1.0, stage="purchase")  # typed by hand, undated
    _measure(shop, "conversion rate", 2.0, "2026-Q2", stage="purchase")
    _measure(shop, "conversion rate", 4.0, "2026-Q3", stage="purchase")
    _measure(shop, "conversion rate", 5.0, "2025-12", stage="purchase")  # added last, but older
    return shop


def test_the_latest_period_is_compared_by_default(quarters: Journey) -> None:
    quarters.add_goal("conversion rate", 3, stage="purchase")
    got = quarters.scorecard()
    assert got[["value", "period", "status", "gap"]].values.tolist() == [[4.0, "2026-Q3", "met", 1.0]]


def test_a_goals_own_period_picks_that_periods_value(quarters: Journey) -> None:
    quarters.add_goal("conversion rate", 3, stage="purchase", period="2026-Q2", id="q2")
    quarters.add_goal("conversion rate", 3, stage="purchase", period="2024-Q1", id="never")
    got = quarters.scorecard()
    assert got[["goal_id", "status"]].values.tolist() == [["q2", "missed"], ["never", "no data"]]
    assert _plain(got["value"]) == [2.0, None]


def test_scorecard_period_compares_undated_goals_with_that_period_and_leaves_out_others(
    quarters: Journey,
) -> None:
    quarters.add_goal("conversion rate", 3, stage="purchase", id="any")
    quarters.add_goal("conversion rate", 3, stage="purchase", period="2026-Q3", id="q3")
    quarters.add_goal("conversion rate", 1.5, stage="purchase", period="2026-Q2", id="q2")
    got = scorecard(quarters, period="2026-Q2")
    assert got[["goal_id", "value", "status"]].values.tolist() == [["any", 2.0, "missed"], ["q2", 2.0, "met"]]
    assert quarters.scorecard(period="2027-Q1")[["goal_id", "status"]].values.tolist() == [["any", "no data"]]


def test_a_hand_entered_undated_value_counts_when_nothing_is_dated(shop: Journey) -> None:
    shop.add_metric("conversion rate", 1.8, stage="purchase", unit="%")  # as in the Colleen template
    shop.add_goal("Conversion rate", 3, ">", stage="purchase", unit="%")
    got = shop.scorecard()
    assert got[["value", "unit", "status"]].values.tolist() == [[1.8, "%", "missed"]]
    assert _plain(got["period"]) == [None]


def test_in_one_period_a_measured_all_persona_row_wins(shop: Journey) -> None:
    colleen = shop.add_persona("Colleen")
    _measure(shop, "conversion rate", 2.0, "2026-Q3", stage="purchase")
    shop.add_metric("conversion rate", 9.0, stage="purchase", period="2026-Q3")  # by hand, same period
    shop.add_metric("conversion rate", 8.0, stage="purchase", period="2026-Q3", persona=colleen)
    shop.add_goal("conversion rate", 3, stage="purchase")
    assert shop.scorecard()["value"].tolist() == [2.0]


def test_percent_goals_read_ratio_measurements_as_percent(shop: Journey) -> None:
    shop.add_metric("bounce rate", 0.43, touchpoint="brand-website", unit="ratio", period="2026-Q3",
                    run_id="measure")  # fmt: skip
    shop.add_metric("exit rate", 20.0, touchpoint="checkout", unit=" Percent ", period="2026-Q3")
    shop.add_metric("spend", 10.0, stage="purchase", unit="$", period="2026-Q3")
    shop.add_goal("Bounce rate", 50, "<", touchpoint="brand-website", unit="%")
    shop.add_goal("exit rate", 0.25, "<", touchpoint="checkout", unit="ratio")
    shop.add_goal("spend", 20, stage="purchase", unit="€")  # no conversion: no data
    got = shop.scorecard()
    assert got[["goal_id", "unit", "status"]].values.tolist() == [
        ["bounce-rate", "%", "met"], ["exit-rate", "ratio", "met"], ["spend", "€", "no data"],
    ]  # fmt: skip
    assert _plain(got["value"]) == pytest.approx([43.0, 0.2, None])
    assert _plain(got["gap"]) == pytest.approx([-7.0, -0.05, None])


def test_a_goal_without_a_unit_takes_the_metrics(shop: Journey) -> None:
    shop.add_metric("bounce rate", 0.43, touchpoint="brand-website", unit="ratio", period="2026-Q3")
    shop.add_goal("bounce rate", 0.5, "<", touchpoint="brand-website")
    assert shop.scorecard()[["unit", "value", "status"]].values.tolist() == [["ratio", 0.43, "met"]]


def test_no_goals_give_an_empty_scorecard_with_the_columns(shop: Journey) -> None:
    got = shop.scorecard()
    assert got.empty and list(got.columns) == list(SCORECARD_COLUMNS)
    assert str(got["target"].dtype) == "Float64" and str(got["status"].dtype) == "string"


_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}


@settings(max_examples=40, deadline=None)
@given(
    value=st.integers(-1000, 1000).map(lambda i: i / 8),  # exact in binary: no rounding at play
    target=st.integers(-1000, 1000).map(lambda i: i / 8),
    comparison=st.sampled_from(sorted(_OPS)),
)
def test_status_and_gap_follow_the_comparison(value: float, target: float, comparison: str) -> None:
    j = Journey("Shop")
    j.add_stage("Research")
    j.add_metric("score", value, stage="research", period="2026-Q3")
    j.add_goal("score", target, comparison, stage="research")
    got = j.scorecard().iloc[0]
    assert got["status"] == ("met" if _OPS[comparison](value, target) else "missed")
    assert got["gap"] == value - target
