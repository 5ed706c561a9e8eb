"""analytics.stats: every figure equals scipy / statsmodels called directly on the same numbers."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportion_effectsize,
    proportions_ztest,
)

from cjm_jupyter.analytics import stats
from cjm_jupyter.errors import ValidationError


def test_wilson_interval_equals_statsmodels_scalar_and_array():
    low, high = stats.wilson_interval(45, 100, level=0.9)
    want = proportion_confint(45, 100, alpha=0.1, method="wilson")
    assert (low, high) == pytest.approx(want, abs=1e-15)
    assert isinstance(low, float)
    lows, highs = stats.wilson_interval([0, 3, 10], [10, 7, 10])
    want_lo, want_hi = proportion_confint(np.array([0, 3, 10]), np.array([10, 7, 10]), method="wilson")
    np.testing.assert_allclose(lows, want_lo, rtol=0, atol=1e-15)
    np.testing.assert_allclose(highs, want_hi, rtol=0, atol=1e-15)


def test_wilson_interval_n_zero_is_nan():
    low, high = stats.wilson_interval([0, 2], [0, 4])
    assert math.isnan(low[0]) and math.isnan(high[0])
    assert (low[1], high[1]) == pytest.approx(proportion_confint(2, 4, method="wilson"))
    assert all(map(math.isnan, stats.wilson_interval(0, 0)))


@pytest.mark.parametrize(
    ("successes", "n"), [(5, 4), (-1, 4), (1.5, 4), (float("nan"), 4)], ids=["above", "neg", "frac", "nan"]
)
def test_wilson_interval_rejects_bad_counts(successes, n):
    rule = r"successes and n must be whole numbers with 0 <= successes <= n"
    with pytest.raises(ValidationError, match=rule):
        stats.wilson_interval(successes, n)


@pytest.mark.parametrize("level", [0, 1, 1.5, True, "0.9"])
def test_level_must_be_in_open_unit_interval(level):
    rule = r"^column 'level', value .*: level must be a number in \(0, 1\)$"
    with pytest.raises(ValidationError, match=rule):
        stats.wilson_interval(1, 2, level=level)


def test_two_proportions_equals_statsmodels_and_chi_square():
    r = stats.two_proportions(67, 100, 61, 120, level=0.9)
    z, p = proportions_ztest([67, 61], [100, 120])
    assert r["statistic"] == pytest.approx(z, rel=1e-12)
    assert r["p_value"] == pytest.approx(p, rel=1e-12)
    # the same test as Pearson's chi-square on the 2x2 table without continuity correction
    chi2, p_chi, _, _ = sps.chi2_contingency([[67, 33], [61, 59]], correction=False)
    assert r["statistic"] ** 2 == pytest.approx(chi2, rel=1e-10)
    assert r["p_value"] == pytest.approx(p_chi, rel=1e-10)
    assert r["effect_size"] == pytest.approx(proportion_effectsize(0.67, 61 / 120), rel=1e-12)
    assert r["difference"] == pytest.approx(0.67 - 61 / 120, rel=1e-12)
    lo, hi = confint_proportions_2indep(67, 100, 61, 120, method="newcomb", compare="diff", alpha=0.1)
    assert (r["diff_low"], r["diff_high"]) == pytest.approx((lo, hi), rel=1e-12)


def test_two_proportions_empty_group_is_all_nan_and_no_variation_has_no_p_value():
    empty = stats.two_proportions(0, 0, 3, 10)
    assert all(math.isnan(v) for v in empty.values())
    same = stats.two_proportions(10, 10, 7, 7)
    assert math.isnan(same["statistic"]) and math.isnan(same["p_value"])
    assert same["difference"] == 0 and same["effect_size"] == 0
    assert not math.isnan(same["diff_low"])


def test_cohens_h_formula_and_statsmodels():
    assert stats.cohens_h(0.67, 0.61) == pytest.approx(
        2 * math.asin(math.sqrt(0.67)) - 2 * math.asin(math.sqrt(0.61)), rel=1e-12
    )
    want = proportion_effectsize([0.2, 0.5], [0.1, 0.5])
    np.testing.assert_allclose(stats.cohens_h([0.2, 0.5], [0.1, 0.5]), want)


@pytest.mark.parametrize("method", ["holm", "fdr_bh"])
def test_adjust_pvalues_equals_multipletests_and_keeps_nan(method):
    p = [0.01, 0.04, float("nan"), 0.03, 0.5]
    got = stats.adjust_pvalues(p, method=method)
    want = multipletests([0.01, 0.04, 0.03, 0.5], method=method)[1]
    assert math.isnan(got[2])
    np.testing.assert_allclose(got[[0, 1, 3, 4]], want, rtol=1e-12)


def test_adjust_pvalues_none_all_nan_and_bad_input():
    np.testing.assert_array_equal(stats.adjust_pvalues([0.2, 0.01], method="none"), [0.2, 0.01])
    assert np.isnan(stats.adjust_pvalues([float("nan")] * 2)).all()
    assert stats.adjust_pvalues([]).shape == (0,)
    rule = r"^column 'adjust', value 'bonf': unknown adjustment; use one of 'holm'"
    with pytest.raises(ValidationError, match=rule):
        stats.adjust_pvalues([0.1], method="bonf")
    with pytest.raises(ValidationError, match=r"p-values must lie in \[0, 1\]"):
        stats.adjust_pvalues([1.2])


def test_mann_whitney_equals_scipy_and_rank_biserial():
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, 40).astype(float)
    y = rng.integers(1, 6, 55).astype(float)
    x[3] = np.nan  # dropped
    r = stats.mann_whitney(x, y)
    xs = x[~np.isnan(x)]
    want = sps.mannwhitneyu(xs, y, alternative="two-sided")
    assert r["statistic"] == want.statistic
    assert r["p_value"] == pytest.approx(want.pvalue, rel=1e-12)
    # rank-biserial = P(x > y) - P(x < y) over all pairs
    diff = np.sign(xs[:, None] - y[None, :])
    assert r["effect_size"] == pytest.approx(diff.mean(), rel=1e-12)


def test_mann_whitney_degenerate_samples():
    assert all(math.isnan(v) for v in stats.mann_whitney([], [1, 2]).values())
    same = stats.mann_whitney([3, 3], [3, 3, 3])
    assert math.isnan(same["p_value"]) and same["effect_size"] == 0


def test_welch_difference_equals_scipy():
    x, y = [4, 5, 5, 3, 2, 5], [3, 3, 4, 2]
    r = stats.welch_difference(x, y, level=0.9)
    ci = sps.ttest_ind(x, y, equal_var=False).confidence_interval(confidence_level=0.9)
    assert r["difference"] == pytest.approx(np.mean(x) - np.mean(y))
    assert (r["diff_low"], r["diff_high"]) == pytest.approx((ci.low, ci.high), rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one constant sample: no precision-loss warning reaches the user
        const = stats.welch_difference([5, 5, 5], [3, 4, 5, 4])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the reference call warns, as scipy does
        ci = sps.ttest_ind([5, 5, 5], [3, 4, 5, 4], equal_var=False).confidence_interval(0.95)
    assert (const["diff_low"], const["diff_high"]) == pytest.approx((ci.low, ci.high))
    single = stats.welch_difference([4], [3, 5])
    assert single["difference"] == 0 and math.isnan(single["diff_low"])


def test_mean_and_median_intervals_equal_scipy():
    x = np.array([1.0, 2, 2, 3, 5, 4, 4, 3, 2, 5, 1, 3])
    mean, lo, hi = stats.mean_interval(x, level=0.9)
    want = sps.t.interval(0.9, len(x) - 1, loc=x.mean(), scale=sps.sem(x))
    assert mean == x.mean() and (lo, hi) == pytest.approx(want, rel=1e-12)
    med, lo, hi = stats.median_interval(x)
    ci = sps.quantile_test(x, q=np.median(x), p=0.5).confidence_interval(0.95)
    assert (med, lo, hi) == (np.median(x), ci.low, ci.high)
    assert stats.mean_interval([2.0])[0] == 2 and math.isnan(stats.mean_interval([2.0])[1])
    assert all(math.isnan(v) for v in stats.median_interval([]))


def test_import_cjm_jupyter_does_not_import_scipy_or_statsmodels():
    code = (
        "import sys, cjm_jupyter, cjm_jupyter.analytics, cjm_jupyter.analytics.stats;"
        "print(sorted(m for m in ('scipy', 'statsmodels') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_holm_equals_multipletests_on_random_families_with_ties():
    # Holm is computed here (statsmodels' Holm runs gc.collect(), 0.4 s a call): pin it to statsmodels
    rng = np.random.default_rng(0)
    for size in (1, 3, 7, 30):
        for _ in range(2):  # few: each reference call costs a gc.collect()
            p = np.round(rng.uniform(0, 0.3, size), 2)  # rounded: ties, and p * m above 1
            np.testing.assert_allclose(
                stats.adjust_pvalues(p, method="holm"), multipletests(p, method="holm")[1], rtol=1e-12
            )


def test_fisher_exact_and_min_expected():
    r = stats.fisher_exact(1, 1, 30, 100)
    want = sps.fisher_exact([[1, 0], [30, 70]])
    assert (r["statistic"], r["p_value"]) == (want.statistic, pytest.approx(want.pvalue, rel=1e-12))
    assert all(math.isnan(v) for v in stats.fisher_exact(0, 0, 1, 2).values())
    # pooled 31/101; the smaller group (1) times the rarer outcome share
    assert stats.min_expected(1, 1, 30, 100) == pytest.approx(31 / 101)
    assert stats.min_expected(60, 100, 50, 100) == pytest.approx(45)  # 100 * 90/200
    assert math.isnan(stats.min_expected(0, 0, 1, 2))


@pytest.mark.parametrize(
    ("blocked", "call"),
    [
        ("scipy", lambda: stats.mann_whitney([1, 2], [3])),
        ("statsmodels", lambda: stats.wilson_interval(1, 2)),
        ("statsmodels", lambda: stats.adjust_pvalues([0.1, 0.2], method="fdr_bh")),
    ],
)
def test_missing_stats_extra_names_it(monkeypatch, blocked, call):
    # a None entry in sys.modules makes `import` raise ImportError, as a missing package would
    for name in [m for m in sys.modules if m == blocked or m.startswith(blocked + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, blocked, None)
    message = rf'^cjm_jupyter\.analytics\.stats needs {blocked}: pip install "cjm_jupyter\[stats\]"$'
    with pytest.raises(ImportError, match=message):
        call()
