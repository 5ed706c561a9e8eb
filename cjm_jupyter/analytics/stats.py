"""Small statistics for comparing segments: intervals, tests and effect sizes.

Thin wrappers over scipy and statsmodels (the ``stats`` extra), so that every
figure the package reports is the library's own on the same numbers; the
wrappers only fix the conventions (which test, which interval, NaN for
"nothing to test") in one place. scipy and statsmodels are imported inside the
functions: ``import cjm_jupyter`` stays light, and a missing package raises
an :class:`ImportError` naming the extra.

Conventions
-----------
- Two proportions are compared with the **two-proportion z test with pooled
  variance** (statsmodels ``proportions_ztest``); its p-value equals Pearson's
  chi-square test on the 2x2 table without continuity correction (z² = χ²).
  It is a large-sample test: where the smallest expected cell count of the
  table is below 5 (:func:`min_expected`, the usual chi-square rule),
  :func:`~.compare.compare_segments` uses **Fisher's exact** test instead
  (:func:`fisher_exact`) and names it in the ``test`` column.
- The interval of one proportion is **Wilson's** score interval; the interval
  of a difference of proportions is **Newcombe's** hybrid score interval built
  from the two Wilson intervals (statsmodels ``confint_proportions_2indep``,
  ``method="newcomb"``), so both agree with each other.
- The effect size of two proportions is **Cohen's h**
  (``2 asin √p1 - 2 asin √p2``, statsmodels ``proportion_effectsize``).
- Two samples of scores or durations are compared with the two-sided
  **Mann-Whitney U** test (scipy ``mannwhitneyu``, ``method="auto"``); its
  effect size is the **rank-biserial correlation** ``2 U₁ / (n₁ n₂) - 1``
  (positive: the first sample tends to be larger).
- A difference of means gets **Welch's t** interval (unequal variances; scipy
  ``ttest_ind(equal_var=False).confidence_interval``).
- Where there is nothing to test (an empty group, no variation at all) the
  statistic and p-value are NaN, never an error; NaN p-values stay NaN through
  :func:`adjust_pvalues` and are left out of the family being adjusted.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from .._optional import require
from ..errors import ValidationError

__all__ = [
    "wilson_interval",
    "two_proportions",
    "fisher_exact",
    "min_expected",
    "cohens_h",
    "adjust_pvalues",
    "mann_whitney",
    "welch_difference",
    "mean_interval",
    "median_interval",
    "ADJUSTMENTS",
]

#: Multiple-comparison adjustments: name -> what it controls.
ADJUSTMENTS: dict[str, str] = {
    "holm": "family-wise error rate (Holm's step-down Bonferroni)",
    "fdr_bh": "false discovery rate (Benjamini-Hochberg)",
    "none": "no adjustment (p_adjusted = p_value)",
}

#: What a missing library's ImportError says needs it (see :func:`.._optional.require`).
_PURPOSE = "cjm_jupyter.analytics.stats"


def _scipy_stats() -> Any:
    return require("scipy.stats", "stats", _PURPOSE)


def _sm_proportion() -> Any:
    return require("statsmodels.stats.proportion", "stats", _PURPOSE)


def _check_level(level: Any) -> float:
    if isinstance(level, bool) or not isinstance(level, int | float) or not 0 < level < 1:
        raise ValidationError("level must be a number in (0, 1)", column="level", value=level, has_value=True)
    return float(level)


def _counts(successes: Any, n: Any) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(successes, dtype="float64")
    m = np.asarray(n, dtype="float64")
    bad = ~np.isfinite(s) | ~np.isfinite(m) | (s < 0) | (s > m) | (s != np.round(s)) | (m != np.round(m))
    if np.any(bad):
        raise ValidationError(
            "successes and n must be whole numbers with 0 <= successes <= n",
            column="successes",
            value=np.broadcast_to(s, bad.shape)[bad].tolist()[:5],
        )
    return s, m


def wilson_interval(successes: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval of a proportion ``successes / n``.

    Parameters
    ----------
    successes, n : int or array-like of int
        Counts (broadcast against each other); ``0 <= successes <= n``.
    level : float
        Confidence level, in (0, 1).

    Returns
    -------
    (low, high)
        Floats for scalar input, else float arrays of the broadcast shape;
        NaN where ``n == 0``. Computed by statsmodels
        ``proportion_confint(method="wilson")``.

    Raises
    ------
    ValidationError
        A count is negative, fractional or above ``n``; ``level`` outside (0, 1).

    Examples
    --------
    >>> low, high = wilson_interval(45, 100)
    >>> round(low, 4), round(high, 4)
    (0.3561, 0.5476)
    """
    level = _check_level(level)
    s, m = _counts(successes, n)
    s, m = np.broadcast_arrays(s, m)
    low = np.full(s.shape, np.nan)
    high = np.full(s.shape, np.nan)
    ok = m > 0
    if np.any(ok):
        lo, hi = _sm_proportion().proportion_confint(s[ok], m[ok], alpha=1 - level, method="wilson")
        low[ok], high[ok] = lo, hi
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def cohens_h(p1: Any, p2: Any) -> Any:
    """Cohen's h between two proportions: ``2 asin √p1 - 2 asin √p2``.

    About 0.2 is "small", 0.5 "medium", 0.8 "large" (Cohen 1988). NaN in,
    NaN out. Computed by statsmodels ``proportion_effectsize``.

    Examples
    --------
    >>> round(cohens_h(0.67, 0.61), 4)
    0.1251
    """
    p1 = np.asarray(p1, dtype="float64")
    p2 = np.asarray(p2, dtype="float64")
    with np.errstate(invalid="ignore"):
        h = np.asarray(_sm_proportion().proportion_effectsize(p1, p2), dtype="float64")
    return float(h) if h.ndim == 0 else h


def two_proportions(s1: int, n1: int, s2: int, n2: int, *, level: float = 0.95) -> dict[str, float]:
    """Compare two proportions ``s1/n1`` and ``s2/n2``.

    Parameters
    ----------
    s1, n1, s2, n2 : int
        Successes and trials of each group.
    level : float
        Level of the interval of the difference.

    Returns
    -------
    dict
        ``statistic`` (z of the pooled two-proportion z test; z² is Pearson's
        chi-square on the 2x2 table without continuity correction, and the
        p-values are equal), ``p_value`` (two-sided), ``effect_size``
        (Cohen's h of p1 vs p2), ``difference`` (p1 - p2), ``diff_low``,
        ``diff_high`` (Newcombe's hybrid score interval). Everything NaN when
        a group is empty; statistic and p-value NaN when both groups are all
        successes or all failures (no variation to test).

    Examples
    --------
    >>> r = two_proportions(67, 100, 61, 100)
    >>> round(r["p_value"], 3), round(r["difference"], 2)
    (0.377, 0.06)
    """
    level = _check_level(level)
    (s1, s2), (n1, n2) = _counts([s1, s2], [n1, n2])
    nan = math.nan
    out = dict(statistic=nan, p_value=nan, effect_size=nan, difference=nan, diff_low=nan, diff_high=nan)
    if n1 == 0 or n2 == 0:
        return out
    prop = _sm_proportion()
    p1, p2 = float(s1 / n1), float(s2 / n2)
    out["difference"] = p1 - p2
    out["effect_size"] = cohens_h(p1, p2)
    low, high = prop.confint_proportions_2indep(
        s1, n1, s2, n2, method="newcomb", compare="diff", alpha=1 - level
    )
    out["diff_low"], out["diff_high"] = float(low), float(high)
    pooled = (s1 + s2) / (n1 + n2)
    if 0 < pooled < 1:
        z, p = prop.proportions_ztest([s1, s2], [n1, n2], alternative="two-sided")
        out["statistic"], out["p_value"] = float(z), float(p)
    return out


def min_expected(s1: int, n1: int, s2: int, n2: int) -> float:
    """Return the smallest expected count of the 2x2 table under equal proportions (NaN: an empty group)."""
    if n1 == 0 or n2 == 0:
        return math.nan
    pooled = (s1 + s2) / (n1 + n2)
    return float(min(n1, n2) * min(pooled, 1 - pooled))


def fisher_exact(s1: int, n1: int, s2: int, n2: int) -> dict[str, float]:
    """Fisher's exact test of two proportions (two-sided), for tables too small for the z test.

    Returns ``statistic`` (the sample odds ratio, scipy's convention) and
    ``p_value``, by scipy ``fisher_exact`` on ``[[s1, n1 - s1], [s2, n2 - s2]]``;
    NaN when a group is empty.

    Examples
    --------
    >>> round(fisher_exact(1, 1, 30, 100)["p_value"], 3)
    0.307
    """
    (s1, s2), (n1, n2) = _counts([s1, s2], [n1, n2])
    if n1 == 0 or n2 == 0:
        return dict(statistic=math.nan, p_value=math.nan)
    table = [[int(s1), int(n1 - s1)], [int(s2), int(n2 - s2)]]
    res = _scipy_stats().fisher_exact(table, alternative="two-sided")
    return dict(statistic=float(res.statistic), p_value=float(res.pvalue))


def adjust_pvalues(p: Sequence[float] | np.ndarray, method: str = "holm") -> np.ndarray:
    """Adjust a family of p-values for multiple comparisons.

    Parameters
    ----------
    p : array-like of float
        The family: every p-value here is adjusted together. NaN entries
        (nothing tested) stay NaN and do not count in the family's size.
    method : {"holm", "fdr_bh", "none"}
        Holm's step-down (controls the family-wise error rate) or
        Benjamini-Hochberg (controls the false discovery rate), equal to
        statsmodels ``multipletests``; ``"none"`` returns the p-values unchanged.

    Returns
    -------
    ndarray of float
        The adjusted p-values, in the input's order.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, float("nan"), 0.03]).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    if method not in ADJUSTMENTS:
        raise ValidationError(
            f"unknown adjustment; use one of {', '.join(map(repr, ADJUSTMENTS))}",
            column="adjust",
            value=method,
        )
    values = np.array(p, dtype="float64").reshape(-1)
    if np.any((values < 0) | (values > 1)):
        bad = values[(values < 0) | (values > 1)][0]
        raise ValidationError("p-values must lie in [0, 1]", column="p", value=bad)
    out = values.copy()
    ok = ~np.isnan(values)
    if method == "none" or not np.any(ok):
        return out
    if method == "holm":
        out[ok] = _holm(values[ok])
        return out
    multipletests = require("statsmodels.stats.multitest", "stats", _PURPOSE).multipletests
    out[ok] = multipletests(values[ok], method=method)[1]
    return out


def _holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment, as statsmodels ``multipletests(method="holm")`` computes it.

    Not delegated: statsmodels 0.14-0.15 runs ``gc.collect()`` inside its Holm
    branch, which costs 0.4 s per call in a session with scipy and pandas
    loaded (measured here), three times per :func:`compare_segments` and
    thousands of times in a simulation. The tests check equality with
    ``multipletests``.
    """
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate(p[order] * np.arange(len(p), 0, -1))
    out = np.empty_like(p)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _sample(x: Any) -> np.ndarray:
    a = np.asarray(x, dtype="float64").reshape(-1)
    return a[~np.isnan(a)]


def mann_whitney(x: Any, y: Any) -> dict[str, float]:
    """Two-sided Mann-Whitney U test of ``x`` against ``y``, with the rank-biserial effect size.

    NaN values are dropped. Returns ``statistic`` (U of ``x``, scipy's
    convention), ``p_value`` and ``effect_size`` (rank-biserial correlation
    ``2 U / (n_x n_y) - 1`` in [-1, 1]; positive: ``x`` tends to be larger).
    All NaN when either sample is empty; p-value NaN when every value of both
    samples is equal (nothing to rank).

    Examples
    --------
    >>> r = mann_whitney([3, 4, 5, 5], [1, 2, 3])
    >>> r["statistic"], round(r["effect_size"], 3)
    (11.5, 0.917)
    """
    a, b = _sample(x), _sample(y)
    nan = math.nan
    if len(a) == 0 or len(b) == 0:
        return dict(statistic=nan, p_value=nan, effect_size=nan)
    stats = _scipy_stats()
    with warnings.catch_warnings():
        # all values equal: scipy warns and returns NaN; NaN is what we document
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.mannwhitneyu(a, b, alternative="two-sided", method="auto")
    u = float(res.statistic)
    p = float(res.pvalue)
    if np.all(a == a[0]) and np.all(b == a[0]):
        p = nan
    return dict(statistic=u, p_value=p, effect_size=2 * u / (len(a) * len(b)) - 1)


def welch_difference(x: Any, y: Any, *, level: float = 0.95) -> dict[str, float]:
    """Difference of means ``mean(x) - mean(y)`` with Welch's t interval (unequal variances).

    NaN values are dropped. ``diff_low``/``diff_high`` are NaN when a sample
    has fewer than two values or both have no spread. By scipy
    ``ttest_ind(equal_var=False).confidence_interval``.

    Examples
    --------
    >>> r = welch_difference([4, 5, 5, 3], [3, 3, 4, 2])
    >>> r["difference"], round(r["diff_low"], 3)
    (1.25, -0.299)
    """
    level = _check_level(level)
    a, b = _sample(x), _sample(y)
    nan = math.nan
    diff = float(a.mean() - b.mean()) if len(a) and len(b) else nan
    out = dict(difference=diff, diff_low=nan, diff_high=nan)
    if len(a) < 2 or len(b) < 2 or (np.ptp(a) == 0 and np.ptp(b) == 0):
        return out
    stats = _scipy_stats()
    with warnings.catch_warnings():
        # one sample all equal (every respondent gave 5): scipy warns of precision loss in its
        # moments, yet the variance is exactly 0 and Welch's interval rests on the other sample
        warnings.filterwarnings("ignore", "Precision loss occurred", RuntimeWarning)
        res = stats.ttest_ind(a, b, equal_var=False)
    ci = res.confidence_interval(confidence_level=level)
    out["diff_low"], out["diff_high"] = float(ci.low), float(ci.high)
    return out


def mean_interval(x: Any, *, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``x`` with its Student t interval: ``(mean, low, high)``.

    NaN values are dropped; the interval is NaN with fewer than two values
    (the mean too when there are none). By scipy ``stats.t.interval``.
    """
    level = _check_level(level)
    a = _sample(x)
    if len(a) == 0:
        return math.nan, math.nan, math.nan
    mean = float(a.mean())
    if len(a) < 2:
        return mean, math.nan, math.nan
    stats = _scipy_stats()
    sem = float(stats.sem(a))
    if sem == 0:
        return mean, mean, mean
    low, high = stats.t.interval(level, len(a) - 1, loc=mean, scale=sem)
    return mean, float(low), float(high)


def median_interval(x: Any, *, level: float = 0.95) -> tuple[float, float, float]:
    """Median of ``x`` with a distribution-free interval: ``(median, low, high)``.

    The interval is the order-statistic (binomial) interval of the median, by
    scipy ``quantile_test(x, p=0.5).confidence_interval``; its ends are values
    of ``x`` and may be NaN for very small samples (too few values to reach
    the level). NaN values are dropped; all NaN when there are none.
    """
    level = _check_level(level)
    a = _sample(x)
    if len(a) == 0:
        return math.nan, math.nan, math.nan
    median = float(np.median(a))
    ci = _scipy_stats().quantile_test(a, q=median, p=0.5).confidence_interval(confidence_level=level)
    return median, float(ci.low), float(ci.high)
