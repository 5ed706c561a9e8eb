"""Measured values over periods: the order of period labels and a journey's measurement history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = ["period_sort_key", "latest_period", "history", "HISTORY_COLUMNS"]

#: Columns of :func:`history`, in order.
HISTORY_COLUMNS = (
    "metric", "stage_id", "touchpoint_id", "segment", "persona_id", "period", "value", "change",
    "unit", "n", "source", "basis", "run_id", "hand_entered", "id",
)  # fmt: skip
#: ``run_id`` of the rows ``measure()`` writes (``analytics.measure.RUN_ID``; not imported:
#: the model does not depend on the analytics extra).
_MEASURED = "measure"


# Each pattern gives the first day of the period it names.
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")

PeriodKey = tuple[int, int, int, int, str]


def _start(label: str) -> dt.date | None:
    """Return the first day of the period ``label`` names, or None when it names none."""
    try:
        if m := _QUARTER.fullmatch(label):
            return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        if m := _DAY.fullmatch(label):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.fullmatch(label):
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := _YEAR.fullmatch(label):
            return dt.date(int(m[1]), 1, 1)
    except ValueError:  # "2026-13", "2026-02-30", year 0: not a date, so plain text
        return None
    return None


def _missing(label: Any) -> bool:
    return label is None or (not isinstance(label, str) and bool(pd.isna(label)))


def period_sort_key(label: Any) -> PeriodKey:
    """Return the sort key of a period label: periods in time order, then other labels as text.

    ``"YYYY-Qn"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` and ``"YYYY"`` sort by the
    first day of the period they name (labels starting the same day, such as
    ``"2026-Q3"`` and ``"2026-07"``, by their text); any other label sorts
    after all of them, by its text. A missing label (None, NA: a value with no
    period, such as a hand-entered metric) sorts before every label.

    Every key is a tuple of the same shape, so keys of any labels compare.

    Parameters
    ----------
    label : str or None
        A period label (surrounding spaces are ignored).

    Returns
    -------
    tuple
        ``(group, year, month, day, text)``: group -1 for a missing label,
        0 for a period, 1 for other text.

    Examples
    --------
    >>> sorted(["2027", "launch", "2026-Q3", "2026-07-15", None, "2026-05"], key=period_sort_key)
    [None, '2026-05', '2026-Q3', '2026-07-15', '2027', 'launch']
    """
    if _missing(label):
        return (-1, 0, 0, 0, "")
    text = str(label).strip()
    start = _start(text)
    if start is None:
        return (1, 0, 0, 0, text)
    return (0, start.year, start.month, start.day, text)


def latest_period(labels: Iterable[Any]) -> str | None:
    """Return the latest of ``labels`` by :func:`period_sort_key`; missing labels are ignored.

    Parameters
    ----------
    labels : iterable of str or None
        Period labels, e.g. a frame's ``period`` column.

    Returns
    -------
    str or None
        The latest label as given, or None when there is none.

    Examples
    --------
    >>> latest_period(["2026-Q2", None, "2026-Q3", "2025-12"])
    '2026-Q3'
    >>> latest_period([None]) is None
    True
    """
    present = [label for label in labels if not _missing(label)]
    return max(present, key=period_sort_key) if present else None


def _resolve(frame: pd.DataFrame, kind: str, value: str) -> str:
    """Return the id of the ``kind`` (stage or touchpoint) whose id, else name, is ``value``.

    Raises
    ------
    ValidationError
        No such id or name, or a name several rows share (then the ids are listed).
    """
    if not isinstance(value, str):
        raise ValidationError(f"{kind} must be a {kind} id or name", column=kind, value=value, has_value=True)
    ids = frame["id"].astype(object)
    if (ids == value).any():
        return value
    named = ids[(frame["name"] == value).fillna(False).to_numpy(dtype=bool)].tolist()
    if len(named) == 1:
        return str(named[0])
    frames = f"{kind}s"
    if named:
        raise ValidationError(
            f"several {frames} are named {value!r} ({', '.join(map(repr, named))}): pass the {kind} id",
            frame=frames,
            column=kind,
            value=value,
        )
    raise ValidationError(f"no {kind} has this id or name", frame=frames, column=kind, value=value)


def _place_rank(journey: Any, metrics: pd.DataFrame) -> pd.Series:
    """Each row's place on the map as one number: stage order, then the stage before its touchpoints.

    Journey-wide rows (no stage, no touchpoint) come first; a row whose place is
    unknown cannot exist (references are validated).
    """
    stages = journey.stages.sort_values("order", kind="stable")
    stage_rank = {sid: i for i, sid in enumerate(stages["id"])}
    tps = journey.touchpoints
    width = int(tps["order"].max()) + 2 if len(tps) else 1
    rank: dict[Any, int] = {}
    for sid, i in stage_rank.items():
        rank[("s", sid)] = (i + 1) * width  # the stage's own rows before its touchpoints'
    for tid, sid, order in zip(tps["id"], tps["stage_id"], tps["order"], strict=True):
        rank[("t", tid)] = (stage_rank[sid] + 1) * width + int(order) + 1
    places = zip(metrics["stage_id"].astype(object), metrics["touchpoint_id"].astype(object), strict=True)
    keys = [("t", t) if isinstance(t, str) else ("s", s) for s, t in places]
    return pd.Series([rank.get(k, 0) for k in keys], index=metrics.index, dtype="int64")


def _codes(values: pd.Series, *, sort: bool) -> np.ndarray:
    """Integer codes of ``values`` (in text order with ``sort``, else first appearance); missing = -1."""
    return pd.factorize(values.astype(object), sort=sort, use_na_sentinel=True)[0]


def _period_ranks(periods: pd.Series) -> np.ndarray:
    """Each row's period as its rank by :func:`period_sort_key`; missing periods -1."""
    labels = sorted(set(periods.dropna()), key=period_sort_key)
    rank = {label: i for i, label in enumerate(labels)}
    return np.array([-1 if pd.isna(p) else rank[p] for p in periods.astype(object)], dtype=np.int64)


def _changes(out: pd.DataFrame, series: np.ndarray, period: np.ndarray) -> np.ndarray:
    """Value minus the previous period's value of the same series (NaN for the first or undated).

    ``out`` is sorted by series then period; ``series`` and ``period`` are its
    integer codes. Each period's value is its last measured row, else its last
    hand-entered row.
    """
    value = out["value"].to_numpy(dtype="float64")
    change = np.full(len(out), np.nan)
    dated = np.flatnonzero(period >= 0)
    if not len(dated):
        return change
    own = ~out["hand_entered"].to_numpy(dtype=bool)
    frame = pd.DataFrame({"s": series[dated], "p": period[dated], "own": own[dated], "v": value[dated]})
    # one value per (series, period): measured rows after hand-entered ones, so .last() prefers them
    per = frame.sort_values(["s", "p", "own"], kind="stable").groupby(["s", "p"], sort=True)["v"].last()
    per = per.reset_index()
    per["prev"] = per.groupby("s")["v"].shift(1)
    prev = frame[["s", "p"]].merge(per[["s", "p", "prev"]], on=["s", "p"], how="left")["prev"]
    change[dated] = value[dated] - prev.to_numpy(dtype="float64")
    return change


def history(
    journey: Any,
    metric: str | None = None,
    *,
    stage: str | None = None,
    touchpoint: str | None = None,
    segment: str | None = None,
) -> pd.DataFrame:
    """Return the journey's metric values over periods, one row per value, with the change since the last.

    Every row of the metrics lane is included: rows written by
    ``journey.measure()`` (``run_id == "measure"``, one set per period) and
    rows entered by hand (no ``run_id``; ``hand_entered`` is True), whose
    ``period`` may be empty. A series is one metric at one place for one
    segment and persona; ``change`` is the value minus the value of the
    series' previous period (by :func:`period_sort_key`), NaN for the
    series' first period and for rows without a period (which are nobody's
    previous period). When a period holds both a measured and a hand-entered
    value, the measured one is the period's value for the next change.

    Parameters
    ----------
    journey : Journey
        The journey to read (not changed).
    metric : str, optional
        Keep only this metric name (exact text, e.g. ``"conversion"``); a
        name no row has gives an empty frame.
    stage : str, optional
        A stage id or name: the rows at that stage and at its touchpoints.
    touchpoint : str, optional
        A touchpoint id or name: the rows at that touchpoint.
    segment : str, optional
        Keep only rows measured on this segment; ``None`` keeps every
        segment (filter ``segment.isna()`` for the all-customer rows).

    Returns
    -------
    DataFrame
        Columns :data:`HISTORY_COLUMNS`: ``metric``, ``stage_id``,
        ``touchpoint_id``, ``segment``, ``persona_id``, ``period``, ``value``,
        ``change``, ``unit``, ``n``, ``source``, ``basis``, ``run_id``,
        ``hand_entered`` and the metric row's ``id``. Ordered by place on the
        map (journey-wide rows, then each stage followed by its touchpoints),
        metric, segment (all customers first) and persona, then period (rows
        without one first); a fresh 0..n-1 index.

    Raises
    ------
    ValidationError
        ``stage`` or ``touchpoint`` names no stage/touchpoint (by id or
        name), names several (pass the id), or the touchpoint is not in the
        stage.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Buy", id="buy")
    >>> for period, value in [("2026-Q3", 0.31), ("2026-Q2", 0.25)]:
    ...     _ = j.add_metric("conversion", value, stage="buy", period=period, run_id="measure")
    >>> _ = j.add_metric("Average order value", 85.0, stage="buy", unit="EUR")  # typed by hand
    >>> h = j.history("conversion", stage="Buy")
    >>> h[["period", "value", "change"]].round(2).to_dict("list")
    {'period': ['2026-Q2', '2026-Q3'], 'value': [0.25, 0.31], 'change': [nan, 0.06]}
    >>> j.history("Average order value")[["hand_entered", "period"]].to_dict("records")
    [{'hand_entered': True, 'period': None}]
    """
    m = journey.metrics
    keep = pd.Series(True, index=m.index)
    if metric is not None:
        keep &= (m["name"] == metric).fillna(False)
    stage_id = _resolve(journey.stages, "stage", stage) if stage is not None else None
    touchpoint_id = None
    if touchpoint is not None:
        touchpoint_id = _resolve(journey.touchpoints, "touchpoint", touchpoint)
    if touchpoint_id is not None:
        tps = journey.touchpoints.set_index("id")["stage_id"]
        if stage_id is not None and tps[touchpoint_id] != stage_id:
            raise ValidationError(
                f"touchpoint {touchpoint_id!r} is not in stage {stage_id!r}",
                frame="touchpoints",
                column="touchpoint",
                value=touchpoint,
            )
        keep &= (m["touchpoint_id"] == touchpoint_id).fillna(False)
    elif stage_id is not None:
        tps = journey.touchpoints
        inside = set(tps.loc[(tps["stage_id"] == stage_id).fillna(False), "id"])
        keep &= (m["stage_id"] == stage_id).fillna(False) | m["touchpoint_id"].isin(inside)
    if segment is not None:
        keep &= (m["segment"] == segment).fillna(False)
    m = m[keep.to_numpy(dtype=bool)]
    out = m.rename(columns={"name": "metric"})
    out["hand_entered"] = out["run_id"].isna().to_numpy(dtype=bool)
    out["value"] = out["value"].astype("float64")
    # the sort: place, metric (first appearance), segment and persona (missing first, then
    # text), period (missing first); the frame's order breaks ties
    metric_code = _codes(out["metric"], sort=False)
    segment_code = _codes(out["segment"], sort=True)
    persona_code = _codes(out["persona_id"], sort=True)
    place = _place_rank(journey, out).to_numpy()
    period = _period_ranks(out["period"])
    order = np.lexsort((np.arange(len(out)), period, persona_code, segment_code, metric_code, place))
    out = out.iloc[order]
    series = pd.DataFrame(
        {"place": place, "metric": metric_code, "segment": segment_code, "persona": persona_code}
    ).iloc[order]
    # a series is one metric at one place for one segment and persona
    series_code = series.groupby(list(series.columns), sort=False).ngroup().to_numpy()
    out["change"] = _changes(out, series_code, period[order])
    return out.loc[:, list(HISTORY_COLUMNS)].reset_index(drop=True)
