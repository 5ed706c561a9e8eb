"""journey.priorities(): pain points and opportunities ranked, against hand-computed scores."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cjm_jupyter import Journey
from cjm_jupyter.model.priorities import PRIORITY_COLUMNS, priorities, stage_weights


def _plain(column: pd.Series) -> list:
    """A column as plain Python values, missing as None."""
    return [None if pd.isna(v) else v for v in column.astype(object)]


def _measured_customers(j: Journey, period: str, counts: dict[str, float]) -> None:
    for stage, value in counts.items():
        j.add_metric("customers", value, stage=stage, unit="customers", period=period, run_id="measure")


@pytest.fixture
def shop() -> Journey:
    """Three stages; customers measured in two quarters, plus rows the weight must ignore."""
    j = Journey("Shop")
    for name in ("Research", "Purchase", "Use"):
        j.add_stage(name)
    j.add_touchpoint("purchase", "Product page")
    _measured_customers(j, "2026-Q2", {"research": 1000, "purchase": 100})  # older: ignored
    _measured_customers(j, "2026-Q3", {"research": 800, "purchase": 200})  # "use": not measured
    # not the stage-level all-customer counts: a segment, a touchpoint, a persona
    j.add_metric("customers", 5000, stage="research", segment="mobile", period="2026-Q3", run_id="measure")
    j.add_metric("customers", 9000, touchpoint="product-page", period="2026-Q3", run_id="measure")
    colleen = j.add_persona("Colleen")
    j.add_metric("customers", 7000, stage="purchase", persona=colleen, period="2026-Q3")
    j.add_metric("customers", 50, stage="purchase")  # typed by hand, undated: older than any period

    pain = {
        "p1": dict(stage="research", severity=3, frequency=4),  # 12 x 1.0 = 12
        "p2": dict(touchpoint="product-page", severity=5, frequency=4),  # 20 x 0.25 = 5
        "p3": dict(stage="use", severity=2),  # 2 x 1 (unrated) x 1.0 (unmeasured) = 2
        "p4": dict(stage="research"),  # 1 x 1 x 1.0 = 1
        "p5": dict(stage="purchase", severity=4, frequency=5),  # 20 x 0.25 = 5 (ties p2)
    }
    for pid, kw in pain.items():
        j.add_pain_point(f"pain {pid}", id=pid, source="survey", **kw)
    opps = {
        "o1": dict(touchpoint="product-page", pain_point="p2", impact=4, effort=2),  # 2 + 5/25 = 2.2
        "o2": dict(stage="research", pain_point="p1", impact=3, effort=3),  # 1 + 12/25 = 1.48
        "o3": dict(stage="use", impact=5, effort=2),  # 2.5
        "o4": dict(stage="use"),  # 1 / 5 = 0.2
        "o5": dict(pain_point="p3", impact=2, effort=4),  # 0.5 + 2/25 = 0.58, no place
    }
    for oid, kw in opps.items():
        j.add_opportunity(f"opp {oid}", id=oid, **kw)
    return j


def test_weights_are_the_latest_periods_stage_customers_over_the_largest(shop: Journey) -> None:
    weights, customers = stage_weights(shop)
    assert weights == {"research": 1.0, "purchase": 0.25}
    assert customers == {"research": 800.0, "purchase": 200.0}


def test_pain_points_rank_by_severity_times_frequency_times_weight(shop: Journey) -> None:
    got = shop.priorities()
    pains = got[got["kind"] == "pain point"]
    assert pains["id"].tolist() == ["p1", "p2", "p5", "p3", "p4"]
    assert pains["score"].tolist() == [12.0, 5.0, 5.0, 2.0, 1.0]
    assert pains["rank"].tolist() == [1, 2, 2, 4, 5]  # a tie shares the better rank
    assert pains["weight"].tolist() == [1.0, 0.25, 0.25, 1.0, 1.0]
    assert _plain(pains["customers"]) == [800.0, 200.0, 200.0, None, 800.0]
    # unrated scales show as missing even though they count as 1
    assert _plain(pains["frequency"]) == [4, 4, 5, None, None]


def test_opportunities_rank_by_impact_over_effort_plus_the_pain_they_address(shop: Journey) -> None:
    got = shop.priorities()
    opps = got[got["kind"] == "opportunity"]
    assert opps["id"].tolist() == ["o3", "o1", "o2", "o5", "o4"]
    assert opps["score"].tolist() == pytest.approx([2.5, 2.2, 1.48, 0.58, 0.2])
    assert opps["rank"].tolist() == [1, 2, 3, 4, 5]
    assert _plain(opps["pain_weight"]) == pytest.approx([0.0, 0.2, 0.48, 0.08, 0.0])
    assert opps["weight"].isna().all() and got.loc[got["kind"] == "pain point", "pain_weight"].isna().all()
    # an opportunity still shows the customers at its stage
    assert _plain(opps["customers"]) == [None, 200.0, 800.0, None, None]
    assert _plain(opps["pain_point_id"]) == [None, "p2", "p1", "p3", None]


def test_rows_read_on_their_own_with_stage_and_touchpoint_names(shop: Journey) -> None:
    got = shop.priorities()
    assert list(got.columns) == list(PRIORITY_COLUMNS)
    row = got[got["id"] == "p2"].iloc[0]
    # a touchpoint row carries its stage
    assert (row["kind"], row["description"], row["stage_id"], row["stage"], row["touchpoint_id"],
            row["touchpoint"]) == ("pain point", "pain p2", "purchase", "Purchase", "product-page",
                                   "Product page")  # fmt: skip
    o5 = got[got["id"] == "o5"].iloc[0]
    assert pd.isna(o5["stage"]) and pd.isna(o5["touchpoint"]) and pd.isna(o5["customers"])
    assert got["kind"].tolist() == ["pain point"] * 5 + ["opportunity"] * 5
    assert str(got["rank"].dtype) == "Int64" and str(got["score"].dtype) == "Float64"


def test_without_a_measurement_every_place_weighs_one() -> None:
    j = Journey("Shop")
    j.add_stage("Research")
    slow = j.add_pain_point("slow", stage="research", severity=2, frequency=3, source="survey")
    j.add_opportunity("faster", stage="research", pain_point=slow, impact=2, effort=1)  # 2 + 6/25
    got = j.priorities()
    assert got[["kind", "score", "rank"]].astype(object).values.tolist() == [
        ["pain point", 6.0, 1],
        ["opportunity", 2.24, 1],
    ]
    assert got["weight"].iloc[0] == 1.0
    assert got["customers"].isna().all()


def test_a_stage_nobody_reached_weighs_zero() -> None:
    j = Journey("Shop")
    j.add_stage("Research")
    j.add_stage("Purchase")
    _measured_customers(j, "2026-Q3", {"research": 400, "purchase": 0})
    j.add_pain_point("no one gets here", stage="purchase", severity=5, frequency=5, source="survey")
    j.add_pain_point("mild", stage="research", severity=1, frequency=1, source="survey")
    got = priorities(j)
    assert got["description"].tolist() == ["mild", "no one gets here"]
    assert got["score"].tolist() == [1.0, 0.0]


def test_the_latest_period_wins_by_period_order_not_text() -> None:
    j = Journey("Shop")
    j.add_stage("Research")
    j.add_stage("Purchase")
    _measured_customers(j, "2026-Q3", {"research": 100, "purchase": 100})
    _measured_customers(j, "2026-10", {"research": 100, "purchase": 10})  # starts after 2026-Q3
    assert stage_weights(j)[0] == {"research": 1.0, "purchase": 0.1}


def test_an_empty_journey_has_an_empty_ranking_with_the_columns() -> None:
    got = Journey("Empty").priorities()
    assert got.empty and list(got.columns) == list(PRIORITY_COLUMNS)


_rating = st.none() | st.integers(1, 5)


@settings(max_examples=30, deadline=None)
@given(
    pains=st.lists(st.tuples(st.integers(0, 2), _rating, _rating), max_size=6),
    opps=st.lists(st.tuples(st.integers(-1, 5), _rating, _rating), max_size=6),
    customers=st.lists(st.integers(0, 1000), min_size=3, max_size=3) | st.none(),
)
def test_ranks_follow_scores_and_opportunities_score_ratio_plus_pain_weight(pains, opps, customers) -> None:
    j = Journey("Shop")
    stages = [j.add_stage(n) for n in ("A", "B", "C")]
    if customers is not None:
        _measured_customers(j, "2026-Q3", dict(zip(stages, customers, strict=True)))
    pids = [
        j.add_pain_point("p", stage=stages[s], severity=sev, frequency=freq, source="survey")
        for s, sev, freq in pains
    ]
    ratio = {}  # opportunity id -> impact / effort, unrated as 1 and 5
    for via, impact, effort in opps:
        pid = pids[via] if 0 <= via < len(pids) else None
        oid = j.add_opportunity("o", stage=stages[0], pain_point=pid, impact=impact, effort=effort)
        ratio[oid] = (impact or 1) / (effort or 5)
    got = j.priorities()
    assert got["kind"].tolist() == ["pain point"] * len(pains) + ["opportunity"] * len(opps)
    for _, part in got.groupby("kind"):
        scores = part["score"].astype(float).tolist()
        assert scores == sorted(scores, reverse=True)
        # rank = 1 + how many rows of the kind score higher
        assert part["rank"].tolist() == [1 + sum(o > s for o in scores) for s in scores]
    opp = got[got["kind"] == "opportunity"]
    scores = zip(opp["id"], opp["score"].astype(float), opp["pain_weight"].astype(float), strict=True)
    for oid, score, bonus in scores:
        assert 0 <= bonus <= 1
        assert score == pytest.approx(ratio[oid] + bonus)
