"""journey.review(): what is stale, assumed, unvalidated or outdated, on hand-built journeys."""

from __future__ import annotations

from datetime import date

import pytest

import cjm_jupyter.model.core as core
from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.model.review import REVIEW_COLUMNS, review


def _findings(j: Journey, **kwargs: object) -> list[list[object]]:
    got = j.review(**kwargs)
    assert list(got.columns) == list(REVIEW_COLUMNS)
    return got.astype(object).where(got.notna(), None).values.tolist()


@pytest.fixture
def reviewed() -> Journey:
    """A journey with nothing to report as of 2026-03-01 (besides what each test adds)."""
    j = Journey("Shop")
    j.add_stage("Research")
    j.add_stage("Purchase")
    j.add_touchpoint("research", "Brand website")
    j.add_touchpoint("research", "Review sites")
    j.mark_reviewed("2026-01-15")
    return j


# -- stale ---------------------------------------------------------------------------


def test_stale_after_more_than_n_months_since_the_review(reviewed: Journey) -> None:
    assert _findings(reviewed, today="2027-01-15") == []  # exactly 12 months: not yet
    assert _findings(reviewed, today=date(2027, 1, 16)) == [
        ["stale", "meta", None, "Shop",
         "last reviewed on 2026-01-15, 12 months ago (review every 12 months)"],
    ]  # fmt: skip
    assert _findings(reviewed, stale_after=6, today="2026-09-01")[0][4] == (
        "last reviewed on 2026-01-15, 7 months ago (review every 6 months)"
    )


def test_month_ends_clamp_like_the_calendar() -> None:
    j = Journey("Shop")
    j.mark_reviewed("2025-08-31")
    assert _findings(j, stale_after=6, today="2026-02-28") == []  # 31 Aug + 6 months = 28 Feb
    assert _findings(j, stale_after=6, today="2026-03-01")[0][4] == (
        "last reviewed on 2025-08-31, 6 months ago (review every 6 months)"
    )


def test_never_reviewed_falls_back_to_the_last_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core, "_utc_now", lambda: "2025-05-10T08:30:00Z")
    j = Journey("Shop")
    j.add_stage("Research")
    assert j.meta["updated_at"] == "2025-05-10T08:30:00Z"
    assert _findings(j, today="2026-05-10") == []
    assert _findings(j, today="2026-06-01") == [
        ["stale", "meta", None, "Shop",
         "never reviewed; last changed on 2025-05-10, 12 months ago (review every 12 months)"],
    ]  # fmt: skip


def test_a_journey_with_neither_date_is_stale() -> None:
    assert _findings(Journey("Blank"), today="2026-01-01") == [
        ["stale", "meta", None, "Blank", "never reviewed, and no date of its last change"],
    ]


@pytest.mark.parametrize("bad", [-1, 1.5, True, "12"])
def test_stale_after_must_be_whole_months(reviewed: Journey, bad: object) -> None:
    with pytest.raises(ValidationError) as err:
        review(reviewed, stale_after=bad, today="2026-03-01")  # type: ignore[arg-type]
    assert str(err.value) == f"column 'stale_after', value {bad!r}: must be a whole number of months >= 0"


def test_today_must_be_a_date(reviewed: Journey) -> None:
    with pytest.raises(ValidationError) as err:
        reviewed.review(today="yesterday")
    assert str(err.value) == "column 'today', value 'yesterday': must be a date or an ISO date text"


# -- assumed -----------------------------------------------------------------------------


def test_assumed_rows_without_evidence_or_a_measured_counterpart(reviewed: Journey) -> None:
    j = reviewed
    colleen = j.add_persona("Colleen", validated_at="2026-01-10")
    bob = j.add_persona("Bob", validated_at="2026-01-10")
    # emotions: backed by a survey row for all personas; not backed by another persona's row
    j.set_emotion(colleen, touchpoint="brand-website", score=-1, source="workshop")  # backed
    j.set_emotion(None, touchpoint="brand-website", score=0.5, source="survey")
    j.set_emotion(colleen, touchpoint="review-sites", score=1, source="workshop")  # finding
    j.set_emotion(bob, touchpoint="review-sites", score=1, source="interview")
    j.set_emotion(bob, stage="purchase", score=-2, source="assumption")  # finding
    # pain points: evidence or anything measured at the place backs them
    j.add_pain_point("Too much content", touchpoint="brand-website", source="workshop")  # backed
    j.add_pain_point("Cannot compare", stage="research", source="workshop", evidence="3 tickets")  # backed
    j.add_pain_point("Prices unclear", stage="purchase", source="workshop")  # backed by a metric below
    j.add_pain_point("Fake reviews", touchpoint="review-sites", source="assumption")  # backed by bob
    j.add_pain_point("Nothing to go on", stage="research", source="hypothesis")  # finding
    # metrics: a measured one of the same name, place and segment backs them
    j.add_metric("Conversion rate", 0.02, stage="purchase", source="workshop")  # backed
    j.add_metric("conversion  rate", 0.03, stage="purchase", source="analytics")
    j.add_metric("conversion rate", 0.05, stage="purchase", segment="mobile", source="workshop")  # finding
    j.add_metric("Average order value", 80, stage="purchase", source="assumption")  # finding
    # measured rows are never findings
    j.add_pain_point("Slow checkout", stage="purchase", source="analytics")
    pre = "assumed (source {!r}), without evidence: "
    assert _findings(j, today="2026-03-01") == [
        ["assumed", "emotions", "emo-3", "Colleen at Review sites",
         pre.format("workshop")
         + "no measured emotion of 'Colleen' or of all personas at touchpoint 'Review sites'"],
        ["assumed", "emotions", "emo-5", "Bob at Purchase",
         pre.format("assumption") + "no measured emotion of 'Bob' or of all personas at stage 'Purchase'"],
        ["assumed", "pain_points", "pain-5", "Nothing to go on",
         pre.format("hypothesis") + "nothing measured at stage 'Research'"],
        ["assumed", "metrics", "conversion-rate-3", "conversion rate at Purchase (mobile)",
         pre.format("workshop") + "no measured 'conversion rate' for segment 'mobile' at stage 'Purchase'"],
        ["assumed", "metrics", "average-order-value", "Average order value at Purchase",
         pre.format("assumption") + "no measured 'Average order value' at stage 'Purchase'"],
    ]  # fmt: skip


def test_journey_level_rows_are_named_as_such(reviewed: Journey) -> None:
    reviewed.add_metric("NPS", 20, source="workshop")
    assert _findings(reviewed, today="2026-03-01") == [
        ["assumed", "metrics", "nps", "NPS",
         "assumed (source 'workshop'), without evidence: no measured 'NPS' at journey level"],
    ]  # fmt: skip


# -- personas -----------------------------------------------------------------------------------


def test_personas_without_validated_at(reviewed: Journey) -> None:
    reviewed.add_persona("Curious Colleen")
    reviewed.add_persona("Busy Bob", validated_at="2025-06-01")
    assert _findings(reviewed, today="2026-03-01") == [
        ["persona not validated", "personas", "curious-colleen", "Curious Colleen",
         "never validated with real customers (set validated_at when it is)"],
    ]  # fmt: skip


# -- outdated metrics -----------------------------------------------------------------------------


def test_a_metric_the_latest_period_did_not_renew_is_outdated(reviewed: Journey) -> None:
    j = reviewed
    for period, value in (("2026-Q2", 0.2), ("2026-Q3", 0.3)):  # renewed: its Q2 row is history
        j.add_metric("conversion", value, stage="purchase", period=period, run_id="measure")
    j.add_metric("bounce rate", 0.4, touchpoint="brand-website", period="2026-Q1", run_id="measure")
    j.add_metric("bounce rate", 0.5, touchpoint="brand-website", period="2026-Q2", run_id="measure")
    j.add_metric("bounce rate", 0.6, touchpoint="brand-website", segment="mobile", period="2026-Q3")
    j.add_metric("Average order value", 80.0, stage="purchase")  # undated: never outdated
    assert _findings(j, today="2026-03-01") == [
        ["metric outdated", "metrics", "bounce-rate-2", "bounce rate at Brand website",
         "last measured in 2026-Q2; the latest period is 2026-Q3"],
    ]  # fmt: skip


def test_findings_come_in_order_of_kind(reviewed: Journey) -> None:
    j = reviewed
    j.add_persona("Colleen")
    j.add_metric("visits", 10, stage="research", period="2026-Q2")
    j.add_metric("visits", 12, stage="purchase", period="2026-Q3", source="assumption")
    got = j.review(stale_after=1, today="2026-03-01")
    assert got["finding"].tolist() == ["stale", "assumed", "persona not validated", "metric outdated"]


def test_nothing_to_report_is_an_empty_frame_with_the_columns(reviewed: Journey) -> None:
    got = review(reviewed, today="2026-03-01")
    assert got.empty and list(got.columns) == list(REVIEW_COLUMNS)
