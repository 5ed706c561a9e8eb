"""Are the segments' journeys really different? Conversion, satisfaction and time compared with tests.

:func:`compare_segments` makes one :func:`~.analysis.analyze` pass over the
log (the funnel and the per-customer ``step_times``), reads the survey table
when one is given, and puts every segment against a baseline segment with the
tests of :mod:`.stats`. The three parts are plain functions on frames
(:func:`conversion_rows`, :func:`satisfaction_rows`, :func:`time_rows`), so
they can be checked on counts and samples without a log.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .._deprecate import renamed_keywords
from .._warn import warn_user
from ..errors import ValidationError
from . import stats
from ._renames import LOG_COLUMNS
from .analysis import analyze
from .engines import MISSING_SEGMENT
from .eventlog import for_call, opened
from .satisfaction import _scale, _segments, read_surveys

__all__ = ["compare_segments", "COLUMNS", "conversion_rows", "satisfaction_rows", "time_rows"]

#: the columns of :func:`compare_segments`, in order
COLUMNS = (
    "metric", "stage_id", "stage", "touchpoint_id", "touchpoint", "segment", "baseline", "n", "value",
    "ci_low", "ci_high", "baseline_value", "difference", "diff_low", "diff_high", "test", "statistic",
    "p_value", "p_adjusted", "effect_size", "effect", "significant",
)  # fmt: skip

_METRICS = ("conversion", "satisfaction", "time_to_next")
_Z_TEST = "two-proportion z"
_FISHER = "Fisher exact"
#: below this smallest expected cell count of the 2x2 table, Fisher's exact test replaces the z test
_MIN_EXPECTED = 5
_MW = "Mann-Whitney U"


class _Places:
    """Where a funnel step or a touchpoint sits on the map: stage id/name, touchpoint id/name."""

    def __init__(self, journey: Any) -> None:
        stages = journey.stages.sort_values("order", kind="stable")
        tps = journey.touchpoints
        self.stage_name = dict(zip(stages["id"].astype(str), stages["name"], strict=True))
        self.stage_order = {s: i for i, s in enumerate(self.stage_name)}
        self.tp_name = dict(zip(tps["id"].astype(str), tps["name"], strict=True))
        self.tp_stage = dict(zip(tps["id"].astype(str), tps["stage_id"].astype(str), strict=True))
        order = tps.assign(_s=tps["stage_id"].astype(str).map(self.stage_order))
        order = order.sort_values(["_s", "order"], kind="stable")
        self.tp_order = [str(t) for t in order["id"]]

    def of(self, step_id: str) -> dict[str, Any]:
        """Place a step: a stage id gives the stage, a touchpoint id gives it and its stage."""
        if step_id in self.stage_name:
            return dict(stage_id=step_id, stage=self.stage_name[step_id], touchpoint_id=None, touchpoint=None)
        stage_id = self.tp_stage[step_id]
        return dict(
            stage_id=stage_id,
            stage=self.stage_name.get(stage_id),
            touchpoint_id=step_id,
            touchpoint=self.tp_name[step_id],
        )


def _row(metric: str, place: dict[str, Any], segment: str, baseline: str, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS, math.nan)
    row.update(metric=metric, **place, segment=segment, baseline=baseline, test=None, effect=None)
    row.update(values)
    return row


def _ordered(segments: list[str], baseline: str) -> list[str]:
    """Order the segments: the baseline first, then the others by name."""
    return [baseline, *sorted(s for s in segments if s != baseline)]


def conversion_rows(
    funnel: pd.DataFrame, places: _Places, baseline: str, *, level: float = 0.95
) -> list[dict[str, Any]]:
    """Step conversion per segment against the baseline: Wilson interval, z test, Cohen's h.

    ``funnel`` is a segmented funnel frame (``segment``, ``step_id`` or
    ``stage_id``, ``customers``, in step order per segment). Step k's
    conversion is customers at k / customers at k-1 (the binomial trials are
    the customers of the step before); the first step has no row. A step with
    more customers than the step before (first-reach mode) is not a
    proportion: its value is kept, its interval and test are NaN. The test is
    the two-proportion z test, or Fisher's exact test (``statistic`` = odds
    ratio) where the 2x2 table's smallest expected count is below 5.
    """
    step_col = "step_id" if "step_id" in funnel.columns else "stage_id"
    counts = {
        str(seg): (g[step_col].astype(str).tolist(), g["customers"].astype("int64").tolist())
        for seg, g in funnel.groupby("segment", sort=False)
    }
    base_steps, base_n = counts[baseline]
    rows = []
    overfull = 0
    for k in range(1, len(base_steps)):
        place = places.of(base_steps[k])
        b_s, b_n = base_n[k], base_n[k - 1]
        b_ok = b_s <= b_n
        b_val = b_s / b_n if b_n else math.nan
        for seg in _ordered(list(counts), baseline):
            s, n = counts[seg][1][k], counts[seg][1][k - 1]
            value = s / n if n else math.nan
            row = _row("conversion", place, seg, baseline, n=n, value=value, baseline_value=b_val)
            if s > n:
                overfull += 1
                rows.append(row)
                continue
            row["ci_low"], row["ci_high"] = stats.wilson_interval(s, n, level)
            if seg != baseline and b_ok:
                row.update(stats.two_proportions(s, n, b_s, b_n, level=level), effect="Cohen's h")
                row["test"] = _Z_TEST
                if stats.min_expected(s, n, b_s, b_n) < _MIN_EXPECTED:
                    # too few customers for the normal approximation (e.g. a one-customer segment)
                    row.update(stats.fisher_exact(s, n, b_s, b_n), test=_FISHER)
            rows.append(row)
    if overfull:
        warn_user(
            f"{overfull} funnel steps have more customers than the step before (first-reach mode), "
            "so their conversion is not a proportion: no interval or test there; use mode='sequential'"
        )
    return rows


def _sample_rows(
    metric: str,
    place: dict[str, Any],
    samples: Mapping[str, np.ndarray],
    baseline: str,
    *,
    level: float,
    center: str,
) -> list[dict[str, Any]]:
    """One row per segment of one place: ``center`` ("mean" or "median") with its interval, Mann-Whitney."""
    interval = stats.mean_interval if center == "mean" else stats.median_interval
    base = samples.get(baseline, np.empty(0))
    b_val = interval(base, level=level)[0]
    rows = []
    for seg in _ordered(list(samples), baseline):
        x = samples[seg]
        value, low, high = interval(x, level=level)
        row = _row(metric, place, seg, baseline, n=len(x), value=value, ci_low=low, ci_high=high,
                   baseline_value=b_val)  # fmt: skip
        if seg != baseline:
            if center == "mean":
                row.update(stats.welch_difference(x, base, level=level))
            else:  # no interval for a difference of medians without resampling: NaN, documented
                row["difference"] = value - b_val
            row.update(stats.mann_whitney(x, base), test=_MW, effect="rank-biserial")
        rows.append(row)
    return rows


def satisfaction_rows(
    scores: pd.DataFrame, places: _Places, baseline: str, segments: list[str], *, level: float = 0.95,
    scale: tuple[float, float] = (-math.inf, math.inf),
) -> list[dict[str, Any]]:  # fmt: skip
    """Mean score per touchpoint and segment: t interval, Welch difference, Mann-Whitney.

    ``scores`` has ``segment``, ``touchpoint_id``, ``score``: one row per
    respondent and touchpoint (a respondent's answers there already averaged,
    so that observations are independent). Every segment in ``segments`` gets
    a row at each touchpoint that has answers (n = 0 and NaN where it has none).
    The interval of a mean is clipped to ``scale`` (low, high).
    """
    rows = []
    answered = set(scores["touchpoint_id"])
    by = {k: g["score"].to_numpy(dtype="float64") for k, g in scores.groupby(["touchpoint_id", "segment"])}
    for tp in places.tp_order:
        if tp not in answered:
            continue
        samples = {seg: by.get((tp, seg), np.empty(0)) for seg in segments}
        rows += _sample_rows("satisfaction", places.of(tp), samples, baseline, level=level, center="mean")
    for row in rows:  # a mean cannot leave the scale: neither can its interval
        row["ci_low"], row["ci_high"] = np.clip([row["ci_low"], row["ci_high"]], *scale).tolist()
    return rows


def _codes(column: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes of ``column`` and the text of each code (a categorical's own codes, else factorized)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype="int64"), [str(c) for c in column.cat.categories]
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    return codes.astype("int64"), [str(u) for u in uniques]


def _samples(frame: pd.DataFrame, keys: list[str], duration: str) -> dict[tuple[str, ...], np.ndarray]:
    """``duration`` in seconds grouped by ``keys``: {(key texts): array}, in no particular order.

    On a large log ``frame`` has millions of rows: the keys are combined into
    one integer and the rows split after one integer sort, never grouped on
    text (seconds on three text keys).
    """
    codes, texts = zip(*(_codes(frame[k]) for k in keys), strict=True)
    seconds = frame[duration].dt.total_seconds().to_numpy(dtype="float64")
    if len(seconds) == 0:
        return {}
    key = np.asarray(np.ravel_multi_index(codes, [max(len(t), 1) for t in texts]))
    order = np.argsort(key, kind="stable")
    key, seconds = key[order], seconds[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    places = np.unravel_index(key[starts], [len(t) for t in texts])
    return {
        tuple(t[int(c[i])] for t, c in zip(texts, places, strict=True)): seconds[a:b]
        for i, (a, b) in enumerate(zip(starts, ends, strict=True))
    }


def time_rows(
    step_times: pd.DataFrame, steps: list[str], places: _Places, baseline: str, segments: list[str],
    *, level: float = 0.95,
) -> list[dict[str, Any]]:  # fmt: skip
    """Median time from each funnel step to the next, per segment: order-statistic interval, Mann-Whitney.

    ``step_times`` is analyze's ``step_times`` frame (``segment``,
    ``source_id``, ``target_id``, ``duration``; text or categorical keys);
    ``steps`` the funnel's step ids in order. The row sits at the **source**
    step (time from it to the next step), in seconds.
    """
    by = _samples(step_times, ["source_id", "target_id", "segment"], "duration")
    rows = []
    for source, target in itertools.pairwise(steps):
        samples = {seg: by.get((source, target, seg), np.empty(0)) for seg in segments}
        place = places.of(source)
        rows += _sample_rows("time_to_next", place, samples, baseline, level=level, center="median")
    return rows


def _finish(rows: list[dict[str, Any]], adjust: str, alpha: float) -> pd.DataFrame:
    """Build the tidy frame: p-values adjusted within each metric (one family per metric), ``significant``."""
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    for metric in _METRICS:
        mask = (out["metric"] == metric).to_numpy()
        if mask.any():
            out.loc[mask, "p_adjusted"] = stats.adjust_pvalues(out.loc[mask, "p_value"].to_numpy(), adjust)
    # a row where nothing could be tested (no customers at the step before, no durations)
    # names no test: its statistic and p-value are NaN
    out.loc[out["p_value"].isna().to_numpy(), ["test", "effect"]] = None
    text = [*COLUMNS[:7], "test", "effect"]
    out[text] = out[text].astype("str")  # one text dtype: None (no touchpoint, no test) reads NaN
    out["n"] = out["n"].astype("int64")
    out["significant"] = (out["p_adjusted"] < alpha).fillna(False).astype(bool)
    floats = [c for c in COLUMNS[8:] if c not in ("test", "effect", "significant")]
    out[floats] = out[floats].astype("float64")
    return out


def _check_options(segment: Any, adjust: Any, alpha: Any, level: Any) -> None:
    if not isinstance(segment, str) or not segment:
        raise ValidationError("segment_col= must name the event log's segment column", column="segment",
                              value=segment, has_value=True)  # fmt: skip
    if adjust not in stats.ADJUSTMENTS:
        raise ValidationError(f"unknown adjustment; use one of {', '.join(map(repr, stats.ADJUSTMENTS))}",
                              column="adjust", value=adjust, has_value=True)  # fmt: skip
    for name, v in (("alpha", alpha), ("level", level)):
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v < 1:
            raise ValidationError(f"{name} must be a number in (0, 1)", column=name, value=v, has_value=True)


def _baseline(funnel: pd.DataFrame, baseline: Any) -> tuple[list[str], str]:
    """Return the segments (by name) and the baseline: the given one, else the largest at the first step."""
    first = funnel.groupby("segment", sort=False)["customers"].first()
    first.index = first.index.astype(str)
    segments = sorted(first.index)
    if len(segments) < 2:
        raise ValidationError(
            f"compare_segments needs at least two segments; the log has {len(segments)}: "
            f"{', '.join(map(repr, segments))}",
            column="segment",
        )
    if baseline is None:
        # the largest segment; ties go to the first by name (sorted index, stable sort)
        return segments, str(first.loc[segments].sort_values(ascending=False, kind="stable").index[0])
    if str(baseline) not in segments:
        raise ValidationError(
            f"unknown baseline segment; the segments are {', '.join(map(repr, segments))}",
            column="baseline",
            value=baseline,
            has_value=True,
        )
    return segments, str(baseline)


def _survey_scores(
    surveys: Any, segment: str, events: Any, *, scale: Any, score: str, touchpoint: str,
    respondent: str | None, customer: str, time: str, event: str, places: _Places,
) -> pd.DataFrame:  # fmt: skip
    """One score per respondent, touchpoint and segment (answers averaged), scale checked."""
    low, high = _scale(scale)
    roles = {"score": score, "touchpoint": touchpoint, "respondent": respondent, "segment": segment}
    df = read_surveys(surveys, roles, optional=("segment",))
    if len(df) == 0:
        raise ValidationError("the survey table is empty", frame="surveys")
    link = respondent if respondent is not None else "customer_id"
    seg = _segments(df, segment, events, {"customer": customer, "time": time, "event": event}, link)
    if not (pd.api.types.is_numeric_dtype(df[score]) and not pd.api.types.is_bool_dtype(df[score])):
        raise ValidationError(f"scores must be numeric, got dtype {df[score].dtype}", frame="surveys",
                              column=score)  # fmt: skip
    values = pd.to_numeric(df[score]).astype("float64")
    outside = values.notna() & ((values < low) | (values > high))
    if outside.any():
        raise ValidationError(f"score outside the {low:g}..{high:g} scale ({int(outside.sum())} rows)",
                              frame="surveys", column=score, value=df.loc[outside, score].iloc[0],
                              has_value=True)  # fmt: skip
    data = pd.DataFrame({
        "segment": seg.astype("string").fillna(MISSING_SEGMENT).astype(str).to_numpy(),
        "touchpoint_id": df[touchpoint].astype("string").to_numpy(),
        "who": (df[respondent] if respondent is not None else pd.Series(range(len(df)), index=df.index))
        .astype("string").to_numpy(),
        "score": values.to_numpy(),
    })  # fmt: skip
    known = data["touchpoint_id"].isin(list(places.tp_name)).fillna(False).astype(bool)
    left_out = int((~known | data["score"].isna()).sum())
    if left_out:
        warn_user(f"left out {left_out} of {len(data)} survey rows with a null score or a touchpoint "
                  "not in the journey")  # fmt: skip
    data = data[known & data["score"].notna()]
    # a respondent's several answers at one touchpoint are one observation, not several
    return data.groupby(["segment", "touchpoint_id", "who"], as_index=False, sort=False)["score"].mean()


@renamed_keywords(**LOG_COLUMNS, score="score_col", touchpoint="touchpoint_col", respondent="respondent_col")
def compare_segments(
    events: Any,
    journey: Any = None,
    *,
    segment_col: str,
    surveys: Any = None,
    baseline: str | None = None,
    start: str | None = None,
    goal: str | None = None,
    mode: str = "sequential",
    adjust: str = "holm",
    alpha: float = 0.05,
    level: float = 0.95,
    mapping: Any = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    scale: Any = "csat",
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    respondent_col: str | None = "customer_id",
) -> pd.DataFrame:
    """Each segment against a baseline segment: conversion, satisfaction and time to the next step, tested.

    Parameters
    ----------
    events
        The event log (any input :func:`~.analysis.analyze` takes, an
        :class:`~.eventlog.EventLog` included: read once for the funnel, the
        step times and the respondents' segments alike).
    journey : Journey
        The map (read only); may be left out with an EventLog made with one.
    segment_col : str
        The log's segment column (a customer's segment is the value on their
        earliest event, as in ``analyze(segment_col=...)``; null -> ``"(missing)"``).
    surveys : optional
        Survey answers (``respondent_col``, ``touchpoint_col``, ``score_col`` columns; a
        ``segment`` column, else each respondent's segment is taken from the
        log, by one more grouped query on the log); adds the ``satisfaction`` rows.
    baseline : str, optional
        The segment every other is compared against; default the largest (most
        customers at the funnel's first step; ties: first by name).
    start, goal, mode
        The funnel's steps and mode, as in :func:`~.metrics.funnel`; default
        ``"sequential"`` (a customer counts for a step only after the one before),
        where each step's conversion is a true proportion.
    adjust : {"holm", "fdr_bh", "none"}
        Multiple-comparison adjustment, run **within each metric**: all the
        conversion tests (every step and segment) are one family, all the
        satisfaction tests another, all the time tests a third. Holm controls
        the family-wise error rate, Benjamini-Hochberg the false discovery rate.
    alpha : float
        ``significant`` is ``p_adjusted < alpha``.
    level : float
        Level of every interval.
    mapping, customer_col, time_col, event_col
        As in :func:`~.analysis.analyze`.
    scale, score_col, touchpoint_col, respondent_col
        The survey's scale (as in :func:`~.satisfaction.satisfaction`) and
        column names; ``respondent_col=None`` counts each answer as one respondent.

    Returns
    -------
    DataFrame
        One row per (metric, place, segment), the baseline's row first at each
        place; columns :data:`COLUMNS`:

        - ``metric`` ``"conversion"``: at funnel step k (k > 1), the share of
          the step k-1 customers who reached k; ``n`` = customers at k-1;
          Wilson interval; difference (segment - baseline) with Newcombe's
          interval; two-proportion z test (pooled; same p-value as the 2x2
          chi-square without continuity correction), or Fisher's exact test
          (``statistic`` = odds ratio) where the table's smallest expected
          count is below 5 (small segments); ``test`` names which; Cohen's h.
        - ``"satisfaction"``: at each touchpoint with answers, the mean score
          on the survey scale over respondents (a respondent's answers there
          averaged first); ``n`` = respondents; Student t interval (clipped to
          the scale); difference
          of means with Welch's interval; two-sided Mann-Whitney U on the
          respondents' scores; rank-biserial correlation.
        - ``"time_to_next"``: at each funnel step but the last (the **source**
          step), the median seconds to reach the next step over the customers
          who reached both (``step_times``); order-statistic interval of the
          median; difference of medians (``diff_low``/``diff_high`` NaN: no
          closed-form interval); Mann-Whitney U on the durations; rank-biserial.

        Place columns ``stage_id``, ``stage``, ``touchpoint_id``,
        ``touchpoint`` (None for a stage step). The baseline's own rows have
        the value and interval, NaN test columns and ``significant`` False.
        NaN, never an error, where nothing can be computed: a segment with no
        customers at the step before (conversion), fewer than two values
        (intervals), no variation at all (p-value). ``.attrs``: ``mode``,
        ``start``, ``goal``, ``adjust``, ``alpha``, ``level``, ``baseline``,
        ``family`` ("per metric").

    Raises
    ------
    ValidationError
        A bad ``segment_col``, ``adjust``, ``alpha`` or ``level``; an unknown
        segment column (the log's columns named), baseline (the segments
        named), start/goal/mode; fewer than two segments; an empty log or
        survey table; scores off the scale.
    ImportError
        scipy or statsmodels missing: ``pip install "cjm_jupyter[stats]"``.

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, segments={"mobile": 1.0, "desktop": 1.3}, seed=1)
    >>> out = compare_segments(log, j, segment_col="segment")
    >>> out.attrs["baseline"], out.loc[out["metric"] == "conversion", "significant"].any()
    ('desktop', np.True_)
    """
    customer, time, event, segment = customer_col, time_col, event_col, segment_col  # the roles' names below
    score, touchpoint, respondent = score_col, touchpoint_col, respondent_col
    _check_options(segment, adjust, alpha, level)
    cols = {"mapping": mapping, "customer": customer, "time": time, "event": event, "segment": segment}
    journey = for_call(events, journey, **cols)[0]
    # step_times without the customer id or an order, on integer codes (see _catalog.INTERNAL)
    want = ("funnel", "_step_durations")
    with opened(events, **cols) as log:  # one log: the analysis and the respondents' segments
        res = analyze(log, journey, metrics=want, start=start, goal=goal, mode=mode, mapping=mapping,
                      customer_col=customer, time_col=time, event_col=event, segment_col=segment)  # fmt: skip
        funnel = res["funnel"]
        segments, base = _baseline(funnel, baseline)
        places = _Places(journey)
        scores = None
        if surveys is not None:
            scores = _survey_scores(surveys, segment, log, scale=scale, score=score, touchpoint=touchpoint,
                                    respondent=respondent, customer=customer, time=time, event=event,
                                    places=places)  # fmt: skip
    step_col = "step_id" if "step_id" in funnel.columns else "stage_id"
    steps = funnel.loc[funnel["segment"].astype(str) == base, step_col].astype(str).tolist()
    rows = conversion_rows(funnel, places, base, level=level)
    if scores is not None:
        in_survey = sorted(set(segments) | set(scores["segment"]))  # e.g. "(missing)": not in the log
        rows += satisfaction_rows(scores, places, base, in_survey, level=level, scale=_scale(scale))
    rows += time_rows(res["_step_durations"], steps, places, base, segments, level=level)
    out = _finish(rows, adjust, alpha)
    out.attrs.update(mode=funnel.attrs.get("mode", mode), start=funnel.attrs.get("start", start),
                     goal=funnel.attrs.get("goal", goal), adjust=adjust, alpha=alpha, level=level,
                     baseline=base, family="per metric")  # fmt: skip
    return out
