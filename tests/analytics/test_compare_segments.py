"""analytics.compare_segments: conversion, satisfaction and time per segment, tested against a baseline."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)

from cjm_jupyter import analytics, templates
from cjm_jupyter.analytics import compare
from cjm_jupyter.analytics.compare import COLUMNS, _finish, _Places, compare_segments
from cjm_jupyter.errors import ValidationError

STAGES = ["trigger", "research", "purchase", "delivery", "use"]


@pytest.fixture(scope="module")
def journey():
    return templates.load("colleen")


@pytest.fixture(scope="module")
def places(journey):
    return _Places(journey)


def _funnel(counts: dict[str, list[int]]) -> pd.DataFrame:
    """A segmented sequential funnel frame with the columns compare_segments reads."""
    rows = [
        {"segment": seg, "step_id": STAGES[k], "stage_id": STAGES[k], "customers": c}
        for seg, cs in counts.items()
        for k, c in enumerate(cs)
    ]
    return pd.DataFrame(rows)


def _sequential_counts(rng: np.random.Generator, n: int, rates: list[float]) -> list[int]:
    """Customers per step of a sequential funnel: each step keeps a binomial share of the one before."""
    out = [n]
    for r in rates:
        out.append(int(rng.binomial(out[-1], r)))
    return out


# -- conversion ---------------------------------------------------------------------------------


def test_conversion_rows_equal_statsmodels_on_the_same_counts(places):
    counts = {"a": [500, 300, 150, 120, 60], "b": [400, 260, 110, 100, 30], "c": [100, 50, 25, 25, 0]}
    out = _finish(compare.conversion_rows(_funnel(counts), places, "a", level=0.9), "holm", 0.05)
    assert list(out.columns) == list(COLUMNS)
    assert out["stage_id"].tolist() == [s for s in STAGES[1:] for _ in range(3)]
    assert out["segment"].tolist() == ["a", "b", "c"] * 4
    assert (out["baseline"] == "a").all() and out["touchpoint_id"].isna().all()
    assert out.loc[0, "stage"] == "Research"
    tested = []
    for i, row in out.iterrows():
        k = STAGES.index(row["stage_id"])
        s, n = counts[row["segment"]][k], counts[row["segment"]][k - 1]
        bs, bn = counts["a"][k], counts["a"][k - 1]
        assert row["n"] == n and row["value"] == pytest.approx(s / n)
        assert (row["ci_low"], row["ci_high"]) == pytest.approx(
            proportion_confint(s, n, alpha=0.1, method="wilson"), rel=1e-12
        )
        assert row["baseline_value"] == pytest.approx(bs / bn)
        if row["segment"] == "a":
            assert math.isnan(row["p_value"]) and pd.isna(row["test"]) and not row["significant"]
            continue
        pooled = (s + bs) / (n + bn)
        if min(n, bn) * min(pooled, 1 - pooled) < 5:  # c at delivery: 25/25 vs 120/150, 4.3 expected
            fisher = sps.fisher_exact([[s, n - s], [bs, bn - bs]])
            assert row["test"] == "Fisher exact" and (row["stage_id"], row["segment"]) == ("delivery", "c")
            assert (row["statistic"], row["p_value"]) == pytest.approx(fisher, rel=1e-12)
        else:
            z, p = proportions_ztest([s, bs], [n, bn])
            assert (row["statistic"], row["p_value"]) == pytest.approx((z, p), rel=1e-12)
            assert row["test"] == "two-proportion z"
        assert row["effect_size"] == pytest.approx(proportion_effectsize(s / n, bs / bn), rel=1e-12)
        lo, hi = confint_proportions_2indep(s, n, bs, bn, method="newcomb", compare="diff", alpha=0.1)
        assert (row["diff_low"], row["diff_high"]) == pytest.approx((lo, hi), rel=1e-12)
        assert row["effect"] == "Cohen's h"
        tested.append(i)
    # Holm over the whole conversion family: every step and segment at once
    want = multipletests(out.loc[tested, "p_value"], method="holm")[1]
    np.testing.assert_allclose(out.loc[tested, "p_adjusted"], want, rtol=1e-12)
    assert (out["significant"] == (out["p_adjusted"] < 0.05)).all()


def test_conversion_first_reach_overfull_step_keeps_value_without_test(places):
    counts = {"a": [10, 12, 5, 4, 2], "b": [10, 8, 4, 4, 1]}  # a: 12 reach research, 10 the trigger
    with pytest.warns(UserWarning, match=r"^1 funnel steps have more customers than the step before"):
        rows = compare.conversion_rows(_funnel(counts), places, "b")
    out = _finish(rows, "holm", 0.05)
    research = out[out["stage_id"] == "research"].set_index("segment")
    assert research.loc["a", "value"] == 1.2 and math.isnan(research.loc["a", "ci_low"])
    assert math.isnan(research.loc["a", "p_value"]) and not research.loc["a", "significant"]


def test_conversion_segment_with_no_customers_is_nan(places):
    counts = {"a": [50, 30, 20, 10, 5], "b": [1, 0, 0, 0, 0]}
    out = _finish(compare.conversion_rows(_funnel(counts), places, "a"), "holm", 0.05)
    b = out[out["segment"] == "b"].set_index("stage_id")
    assert b.loc["research", "value"] == 0 and b.loc["research", "n"] == 1
    # one customer: too small for the z test; Fisher's exact test, equal to scipy's
    fisher = sps.fisher_exact([[0, 1], [30, 20]])
    assert b.loc["research", "test"] == "Fisher exact"
    assert b.loc["research", "p_value"] == pytest.approx(fisher.pvalue, rel=1e-12)
    assert b.loc["research", "statistic"] == fisher.statistic == 0
    assert math.isnan(b.loc["purchase", "value"]) and math.isnan(b.loc["purchase", "p_value"])
    assert not out["significant"].any()


def test_no_planted_difference_significance_stays_near_nominal(places):
    # 200 seeds of three segments converting alike (sequential counts drawn directly, so the test
    # stays fast). Holm keeps the chance of any false positive in a family at or below alpha = 0.05,
    # so the seeds with one are at most Binomial(200, 0.05): mean 10, P(>= 23) = 0.0002, so a
    # correct implementation fails this about once in 5000 seeds-of-seeds (and never with the
    # fixed seed), while a missing adjustment (8 correlated tests: a family rate of 25-34%) fails it.
    rng = np.random.default_rng(2024)
    rates = [0.7, 0.5, 0.8, 0.6]
    any_significant = 0
    raw = []
    for _ in range(200):
        counts = {s: _sequential_counts(rng, int(rng.integers(300, 600)), rates) for s in "abc"}
        out = _finish(compare.conversion_rows(_funnel(counts), places, "a"), "holm", 0.05)
        any_significant += bool(out["significant"].any())
        raw += out["p_value"].dropna().tolist()
    assert sps.binom.sf(22, 200, 0.05) < 0.0003
    assert any_significant <= 22
    # unadjusted: 1600 tests (correlated in pairs through the shared baseline) reject at about 5%
    assert len(raw) == 1600
    assert 0.025 < np.mean(np.array(raw) < 0.05) < 0.08


def test_planted_conversion_difference_is_found(places):
    rng = np.random.default_rng(7)
    counts = {
        "a": _sequential_counts(rng, 2000, [0.7, 0.5, 0.8, 0.6]),
        "b": _sequential_counts(rng, 2000, [0.7, 0.4, 0.8, 0.6]),  # planted: 0.5 -> 0.4 into purchase
    }
    out = _finish(compare.conversion_rows(_funnel(counts), places, "a"), "holm", 0.05)
    hit = out[out["significant"]]
    assert hit[["stage_id", "segment"]].values.tolist() == [["purchase", "b"]]
    assert hit["difference"].iloc[0] == pytest.approx(-0.1, abs=0.04)
    assert hit["diff_low"].iloc[0] < hit["difference"].iloc[0] < hit["diff_high"].iloc[0] < 0


# -- satisfaction and time ----------------------------------------------------------------------


def _scores(rng, tp_means: dict[str, dict[str, float]], n: int = 80) -> pd.DataFrame:
    rows = []
    for tp, by_seg in tp_means.items():
        for seg, mean in by_seg.items():
            vals = np.clip(np.rint(rng.normal(mean, 1.0, n)), 1, 5)
            rows += [{"segment": seg, "touchpoint_id": tp, "score": v} for v in vals]
    return pd.DataFrame(rows)


def test_satisfaction_rows_equal_scipy(places):
    rng = np.random.default_rng(1)
    scores = _scores(rng, {"checkout": {"a": 3.5, "b": 3.0}, "search-engine": {"a": 4.0, "b": 4.0}})
    out = _finish(compare.satisfaction_rows(scores, places, "a", ["a", "b"], level=0.9), "fdr_bh", 0.05)
    # journey order: the research touchpoint before the purchase one
    assert out["touchpoint_id"].tolist() == ["search-engine"] * 2 + ["checkout"] * 2
    assert out["stage_id"].tolist() == ["research"] * 2 + ["purchase"] * 2
    assert out["touchpoint"].tolist()[2] == "Checkout"
    for _, row in out[out["segment"] == "b"].iterrows():
        x = scores.query("segment == 'b' and touchpoint_id == @row.touchpoint_id")["score"].to_numpy()
        y = scores.query("segment == 'a' and touchpoint_id == @row.touchpoint_id")["score"].to_numpy()
        mw = sps.mannwhitneyu(x, y, alternative="two-sided")
        assert (row["statistic"], row["p_value"]) == pytest.approx((mw.statistic, mw.pvalue), rel=1e-12)
        assert row["effect_size"] == pytest.approx(2 * mw.statistic / (len(x) * len(y)) - 1)
        ci = sps.ttest_ind(x, y, equal_var=False).confidence_interval(confidence_level=0.9)
        assert row["difference"] == pytest.approx(x.mean() - y.mean())
        assert (row["diff_low"], row["diff_high"]) == pytest.approx((ci.low, ci.high), rel=1e-12)
        t = sps.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=sps.sem(x))
        assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((x.mean(), *t), rel=1e-12)
        assert row["n"] == len(x) and row["test"] == "Mann-Whitney U" and row["effect"] == "rank-biserial"
    want = multipletests(out["p_value"].dropna(), method="fdr_bh")[1]
    np.testing.assert_allclose(out["p_adjusted"].dropna(), want, rtol=1e-12)
    checkout_b = out[(out["touchpoint_id"] == "checkout") & (out["segment"] == "b")].iloc[0]
    assert checkout_b["significant"] and checkout_b["difference"] < 0


def test_satisfaction_segment_without_answers_or_with_one_respondent(places):
    scores = pd.DataFrame(
        {"segment": ["a"] * 5 + ["b"], "touchpoint_id": ["checkout"] * 6, "score": [3.0, 4, 5, 4, 3, 2]}
    )
    out = _finish(compare.satisfaction_rows(scores, places, "a", ["a", "b", "c"]), "holm", 0.05)
    rows = out.set_index("segment")
    assert rows.loc["b", "n"] == 1 and rows.loc["b", "value"] == 2.0
    assert math.isnan(rows.loc["b", "ci_low"]) and math.isnan(rows.loc["b", "diff_low"])
    assert rows.loc["b", "p_value"] == pytest.approx(sps.mannwhitneyu([2.0], [3, 4, 5, 4, 3]).pvalue)
    assert rows.loc["c", "n"] == 0 and math.isnan(rows.loc["c", "value"])
    assert math.isnan(rows.loc["c", "p_value"])


def _step_times(rng, scale: dict[str, float], n: int = 150) -> pd.DataFrame:
    rows = []
    for seg, hours in scale.items():
        for src, tgt in itertools.pairwise(STAGES):
            d = rng.exponential(hours * (3.0 if tgt == "delivery" and seg == "slow" else 1.0), n)
            rows.append(pd.DataFrame({"segment": seg, "customer_id": [f"{seg}{i}" for i in range(n)],
                                      "source_id": src, "target_id": tgt,
                                      "duration": pd.to_timedelta(d, unit="h")}))  # fmt: skip
    return pd.concat(rows, ignore_index=True)


def test_time_rows_equal_scipy_and_find_the_planted_slow_step(places):
    rng = np.random.default_rng(5)
    st = _step_times(rng, {"fast": 6.0, "slow": 6.0})
    out = _finish(compare.time_rows(st, STAGES, places, "fast", ["fast", "slow"]), "holm", 0.05)
    assert out["stage_id"].tolist() == [s for s in STAGES[:-1] for _ in range(2)]  # the source step
    assert out.loc[out["significant"], ["stage_id", "segment"]].values.tolist() == [["purchase", "slow"]]
    for _, row in out[out["segment"] == "slow"].iterrows():
        sel = st["source_id"] == row["stage_id"]
        x = st.loc[sel & (st["segment"] == "slow"), "duration"].dt.total_seconds().to_numpy()
        y = st.loc[sel & (st["segment"] == "fast"), "duration"].dt.total_seconds().to_numpy()
        mw = sps.mannwhitneyu(x, y, alternative="two-sided")
        assert (row["statistic"], row["p_value"]) == pytest.approx((mw.statistic, mw.pvalue), rel=1e-12)
        ci = sps.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.95)
        assert (row["value"], row["ci_low"], row["ci_high"]) == pytest.approx((np.median(x), ci.low, ci.high))
        assert row["difference"] == pytest.approx(np.median(x) - np.median(y))
        assert math.isnan(row["diff_low"]) and math.isnan(row["diff_high"])


@pytest.mark.parametrize("center", ["median", "mean"])
def test_mann_whitney_rows_stay_near_nominal_without_a_difference(places, center):
    # 800 places (200 seeds x 4) where both segments draw from one distribution: durations
    # (continuous) for time rows, 1-5 scores (many ties) for satisfaction rows. Unadjusted, the 800
    # independent tests reject at 5% on average; sd sqrt(.05 * .95 / 800) = 0.0077, so 0.08 is
    # about 4 sd above nominal (a false alarm about once in 30,000 runs).
    rng = np.random.default_rng(11)
    place = places.of("research")
    raw = []
    for _ in range(800):
        if center == "median":
            x, y = rng.exponential(6.0, 40), rng.exponential(6.0, 55)
        else:
            x, y = np.clip(np.rint(rng.normal(3.5, 1.0, (2, 60))), 1, 5)
        rows = compare._sample_rows("m", place, {"a": x, "b": y}, "a", level=0.95, center=center)
        raw.append(rows[1]["p_value"])
    assert not np.isnan(raw).any()
    assert np.mean(np.array(raw) < 0.05) < 0.08


# -- compare_segments end to end ----------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(journey):
    """Desktop continues 1.3x as often as mobile at every step (make_events' weighted segments)."""
    return analytics.make_events(journey, customers=2000, segments={"mobile": 1.0, "desktop": 1.3}, seed=1)


def test_compare_segments_finds_the_planted_conversion_difference(journey, planted):
    before = journey.copy()
    out = compare_segments(planted, journey, segment_col="segment")
    assert journey.equals(before)
    assert list(out.columns) == list(COLUMNS)
    assert out.attrs == {
        "mode": "sequential", "start": "trigger", "goal": "use", "adjust": "holm", "alpha": 0.05,
        "level": 0.95, "baseline": "desktop", "family": "per metric",
    }  # fmt: skip
    assert out["metric"].unique().tolist() == ["conversion", "time_to_next"]  # no surveys given
    conv = out[out["metric"] == "conversion"]
    # the counts are the sequential funnel's, one row per step after the first and segment
    fun = analytics.funnel(planted, journey, segment_col="segment", mode="sequential")
    mobile = fun[fun["segment"] == "mobile"]["customers"].tolist()
    rows = conv[conv["segment"] == "mobile"]
    assert rows["n"].tolist() == mobile[:-1]
    np.testing.assert_allclose(rows["value"], np.array(mobile[1:]) / np.array(mobile[:-1]))
    assert rows["significant"].all() and (rows["difference"] < 0).all()
    assert not conv.loc[conv["segment"] == "desktop", "significant"].any()
    # time to the next step was not planted: nothing found there
    assert not out.loc[out["metric"] == "time_to_next", "significant"].any()


def test_compare_segments_time_rows_equal_scipy_on_step_times(journey, planted):
    out = compare_segments(planted, journey, segment_col="segment", adjust="fdr_bh", level=0.9)
    st = analytics.analyze(planted, journey, metrics=["step_times"], segment_col="segment", mode="sequential")
    st = st["step_times"]
    times = out[out["metric"] == "time_to_next"]
    assert times["stage_id"].tolist() == [s for s in STAGES[:-1] for _ in range(2)]
    for _, row in times[times["segment"] == "mobile"].iterrows():
        sel = st["source_id"] == row["stage_id"]
        x = st.loc[sel & (st["segment"] == "mobile"), "duration"].dt.total_seconds().to_numpy()
        y = st.loc[sel & (st["segment"] == "desktop"), "duration"].dt.total_seconds().to_numpy()
        mw = sps.mannwhitneyu(x, y, alternative="two-sided")
        assert (row["statistic"], row["p_value"]) == pytest.approx((mw.statistic, mw.pvalue), rel=1e-12)
        ci = sps.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.9)
        assert (row["n"], row["value"], row["ci_low"], row["ci_high"]) == pytest.approx(
            (len(x), np.median(x), ci.low, ci.high)
        )
    want = multipletests(times["p_value"].dropna(), method="fdr_bh")[1]
    np.testing.assert_allclose(times["p_adjusted"].dropna(), want, rtol=1e-12)


def test_compare_segments_satisfaction_takes_segments_from_the_log(journey, planted):
    answers = analytics.make_surveys(planted, journey, seed=2, response_rate=0.3)
    # a respondent answering twice at a touchpoint counts once, with their mean
    answers = pd.concat([answers, answers.iloc[:5].assign(score=1)], ignore_index=True)
    out = compare_segments(planted, journey, segment_col="segment", baseline="mobile",
                           surveys=answers.drop(columns="segment"))  # fmt: skip
    sat = out[out["metric"] == "satisfaction"]
    assert sat["baseline"].eq("mobile").all() and sat["segment"].tolist()[:2] == ["mobile", "desktop"]
    per = answers.groupby(["segment", "touchpoint_id", "customer_id"], as_index=False)["score"].mean()
    for _, row in sat[sat["segment"] == "desktop"].iterrows():
        at = per[per["touchpoint_id"] == row["touchpoint_id"]]
        x, y = at.loc[at["segment"] == "desktop", "score"], at.loc[at["segment"] == "mobile", "score"]
        mw = sps.mannwhitneyu(x, y, alternative="two-sided")
        assert (row["n"], row["value"]) == (len(x), pytest.approx(x.mean()))
        assert row["p_value"] == pytest.approx(mw.pvalue, rel=1e-12)
        ci = sps.ttest_ind(x, y, equal_var=False).confidence_interval(0.95)
        assert (row["diff_low"], row["diff_high"]) == pytest.approx((ci.low, ci.high), rel=1e-12)
        assert 1 <= row["ci_low"] <= row["ci_high"] <= 5  # clipped to the CSAT scale


def test_compare_segments_touchpoint_goal_and_named_start(journey, planted):
    out = compare_segments(planted, journey, segment_col="segment", start="Research", goal="checkout")
    conv = out[out["metric"] == "conversion"]
    # steps: Research (stage), then the goal touchpoint Checkout in place of its stage Purchase
    assert conv[["stage_id", "stage", "touchpoint_id", "touchpoint"]].drop_duplicates().values.tolist() == [
        ["purchase", "Purchase", "checkout", "Checkout"]
    ]
    times = out[out["metric"] == "time_to_next"]
    assert times["stage_id"].tolist() == ["research"] * 2 and times["touchpoint_id"].isna().all()
    assert out.attrs["start"] == "research" and out.attrs["goal"] == "checkout"


def test_compare_segments_no_planted_difference_over_200_seeds(journey, places):
    # 200 seeded logs with two segments that behave alike (make_events with a list of names), measured
    # by the real sequential funnel in ONE pass (seed and segment folded into the segment column:
    # 200 DuckDB passes would take minutes), then compared per seed as compare_segments does.
    # Holm keeps each seed's chance of any false positive at or below 0.05: the count is at most
    # Binomial(200, 0.05), P(>= 23) = 0.0002. Small segments at the last steps use Fisher's exact
    # test, which is conservative, so the bound holds there too.
    logs = []
    for seed in range(200):
        log = analytics.make_events(journey, customers=200, segments=["a", "b"], seed=seed)
        folded = {"customer_id": f"{seed}-" + log["customer_id"], "segment": f"{seed}:" + log["segment"]}
        logs.append(log.assign(**folded))
    everything = pd.concat(logs, ignore_index=True)
    fun = analytics.funnel(everything, journey, segment_col="segment", mode="sequential")
    seed_of = fun["segment"].str.split(":").str[0]
    any_significant = 0
    for _, one in fun.groupby(seed_of, sort=False):
        one = one.assign(segment=one["segment"].str.split(":").str[1])
        out = _finish(compare.conversion_rows(one, places, "a"), "holm", 0.05)
        assert len(out) == 8
        any_significant += bool(out["significant"].any())
    assert any_significant <= 22


def _one_customer(log: pd.DataFrame) -> pd.DataFrame:
    solo = log.copy()
    solo.loc[solo["customer_id"] == solo["customer_id"].iloc[0], "segment"] = "solo"
    return solo


def test_compare_segments_segment_with_one_customer_gets_rows_and_documented_nan(journey):
    log = _one_customer(analytics.make_events(journey, customers=300, segments=["a", "b"], seed=1))
    out = compare_segments(log, journey, segment_col="segment", baseline="a")
    solo = out[out["segment"] == "solo"]
    conv = solo[solo["metric"] == "conversion"]
    assert (conv["n"] <= 1).all() and conv["test"].dropna().eq("Fisher exact").all()
    times = solo[solo["metric"] == "time_to_next"]
    assert times["ci_low"].isna().all()  # one duration at most: no interval of the median
    assert times.loc[times["n"] == 0, "p_value"].isna().all()
    assert not solo["significant"].any()


_SCORE_9 = pd.DataFrame({"customer_id": ["c0000001"], "touchpoint_id": ["checkout"], "score": [9]})
_ADJUSTMENTS = "'holm', 'fdr_bh', 'none'"


@pytest.mark.parametrize(
    ("case", "kwargs", "message"),
    [
        ("empty", {}, r"^frame 'events': the event log is empty$"),
        ("single", {}, r"^column 'segment': compare_segments needs at least two segments; the log has 1: "),
        ("plain", {"segment_col": "plan"},
         r"^frame 'events', column 'plan': the event log has no segment column 'plan'"),
        ("plain", {"baseline": "c"},
         r"^column 'baseline', value 'c': unknown baseline segment; the segments are 'a', 'b'$"),
        ("plain", {"adjust": "bonferroni"},
         rf"^column 'adjust', value 'bonferroni': unknown adjustment; use one of {_ADJUSTMENTS}$"),
        ("plain", {"alpha": 1.5}, r"^column 'alpha', value 1.5: alpha must be a number in \(0, 1\)$"),
        ("plain", {"level": 0}, r"^column 'level', value 0: level must be a number in \(0, 1\)$"),
        ("plain", {"segment_col": None},
         r"^column 'segment', value None: segment_col= must name the event log's segment column$"),
        ("plain", {"goal": "nowhere"}, r"^column 'goal', value 'nowhere': unknown goal 'nowhere'"),
        ("plain", {"surveys": _SCORE_9},
         r"^frame 'surveys', column 'score', value 9: score outside the 1..5 scale \(1 rows\)$"),
    ],
)  # fmt: skip
def test_compare_segments_bad_input_raises_and_leaves_the_journey_alone(journey, case, kwargs, message):
    log = analytics.make_events(journey, customers=60, segments=["a", "b"], seed=3)
    log = {"empty": log.iloc[:0], "single": log[log["customer_id"] == "c0000000"], "plain": log}[case]
    before = journey.copy()
    with pytest.raises(ValidationError, match=message):
        compare_segments(log, journey, **{"segment_col": "segment", **kwargs})
    assert journey.equals(before)
