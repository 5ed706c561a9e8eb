"""Attach measured values to a journey: the metrics lane and measured emotion rows."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Any, Literal

import pandas as pd

from ..errors import ValidationError
from ._inputs import prepare_events
from ._warn import warn_user
from .analysis import analyze
from .satisfaction import read_surveys, satisfaction

__all__ = ["measure", "quarter_of", "METRIC_SOURCE", "SURVEY_SOURCE", "RUN_ID"]

#: ``source`` of the metric rows written by :func:`measure`.
METRIC_SOURCE = "analytics"
#: ``source`` of the emotion rows written by :func:`measure`.
SURVEY_SOURCE = "survey"
#: ``run_id`` of every row written by :func:`measure`: the rows a later run may replace.
RUN_ID = "measure"

_METRICS = ("funnel", "bounces")


def _own_rows(frame: pd.DataFrame, period: str) -> pd.Series:
    """The rows an earlier run wrote for ``period``: the only rows a run may replace.

    Decided by ``run_id`` alone, never by ``source``: a hand-typed row says
    ``source="analytics"`` too (``add_metric``'s default) and has no run id.
    """
    return ((frame["run_id"] == RUN_ID) & (frame["period"] == period)).fillna(False).astype(bool)


def quarter_of(micros: int) -> str:
    """The calendar quarter ``"YYYY-Qn"`` of an instant given in microseconds since the epoch (UTC).

    Examples
    --------
    >>> quarter_of(0), quarter_of(1_790_000_000 * 10**6)
    ('1970-Q1', '2026-Q3')
    """
    when = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(micros))
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def _default_period(events: Any, *, customer: str, time: str, event: str) -> str:
    """The calendar quarter of the log's last event (rows with a null id, time or event ignored).

    One aggregate run by the log's own engine (DuckDB or Spark): the log is
    never loaded into pandas. Called after the analysis, which has checked the
    columns and that the log has a usable row.
    """
    src = prepare_events(events, customer=customer, time=time, event=event, profiled=False)
    last = src.query(f"SELECT MAX(t_us) AS last_us FROM ({src.projection()}) e")["last_us"].iloc[0]
    return quarter_of(int(last))


def _checked_period(period: Any) -> str | None:
    if period is None:
        return None
    if not isinstance(period, str) or not period.strip():
        raise ValidationError(
            'period must be a text label such as "2026-Q3" (or None: the quarter of the last event)',
            column="period",
            value=period,
            has_value=True,
        )
    return period.strip()


def _check_respondents(
    events: Any, surveys: pd.DataFrame, *, respondent: str, customer: str, time: str, event: str
) -> int:
    """How many survey respondents appear in the event log; warn when none does.

    ``surveys`` comes from ``read_surveys``, which has checked the ``respondent`` column.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the log's warnings came with the analysis
        src = prepare_events(events, customer=customer, time=time, event=event)
    # The projection is the engine's own spelling, so this runs on any engine.
    log_ids = src.query(f"SELECT DISTINCT customer_id FROM ({src.projection()}) e")["customer_id"]
    answered = set(surveys[respondent].dropna().astype(str))
    matched = len(answered & set(log_ids.astype(str)))
    if answered and not matched:
        warn_user(
            f"none of the {len(answered)} respondents in the survey column {respondent!r} appears in the "
            f"event log's {customer!r} column: are they the same kind of id?"
        )
    return matched


def _stage_rows(fun: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``customers`` and ``conversion`` metric rows per stage (per segment)."""
    rows = []
    groups = fun.groupby("segment", sort=False) if segment else [(None, fun)]
    for seg, part in groups:
        prev = None
        for row in part.itertuples(index=False):
            n = int(row.customers)
            common = {"stage": row.stage_id, "segment": seg}
            rows.append({"name": "customers", "value": float(n), "unit": "customers", "n": n, **common})
            if prev and not math.isnan(row.conversion):
                conv = float(row.conversion)
                rows.append({"name": "conversion", "value": conv, "unit": "ratio", "n": prev, **common})
            prev = n
    return rows


def _touchpoint_rows(bounce: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``bounce rate`` metric rows per visited touchpoint (per segment)."""
    visited = bounce[bounce["customers"] > 0]
    return [
        {
            "name": "bounce rate",
            "value": float(row.bounce_rate),
            "unit": "ratio",
            "n": int(row.customers),
            "touchpoint": row.touchpoint_id,
            "segment": row.segment if segment else None,  # the column exists only then
        }
        for row in visited.itertuples(index=False)
    ]



def _emotion_rows(
    sat: pd.DataFrame, emotions: pd.DataFrame, place: str, period: str
) -> list[dict[str, Any]]:
    """The measured emotion rows to write, minus places where a row not written by a run holds the key.

    The emotions' unique key is (persona, stage, touchpoint, source, period):
    a hand-entered ``survey`` row without persona for the same place and
    period keeps its place (it is never changed) and the run's value for that
    place is left out, with a warning.
    """
    column = f"{place}_id"
    taken = emotions[
        (emotions["run_id"] != RUN_ID).fillna(True)
        & emotions["persona_id"].isna()
        & (emotions["source"] == SURVEY_SOURCE).fillna(False)
        & (emotions["period"] == period).fillna(False)
        & emotions["stage_id" if place == "touchpoint" else "touchpoint_id"].isna()
    ]
    held = set(taken[column].dropna())
    rows, skipped = [], []
    for row in sat[sat["n"] > 0].itertuples(index=False):
        at = getattr(row, column)
        if at in held:
            skipped.append(str(at))
            continue
        rows.append({column: at, "score": float(row.mean), "n": int(row.n)})
    if skipped:
        warn_user(
            f"kept the hand-entered survey emotion rows for period {period!r} at {place} "
            f"{', '.join(map(repr, skipped))}; the survey's values there were not written "
            "(see the returned 'satisfaction' table)"
        )
    return rows


def measure(
    journey: Any,
    events: Any,
    surveys: Any = None,
    *,
    mapping: Any = None,
    scale: Any = "csat",
    period: str | None = None,
    segment: str | None = None,
    survey_level: Literal["touchpoint", "stage"] = "touchpoint",
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    score: str = "score",
    touchpoint: str = "touchpoint_id",
    respondent: str | None = None,
    progress: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Measure ``journey`` on an event log (and surveys) for one period and attach the results.

    Writes metric rows (``source="analytics"``, ``basis="measured"``,
    ``run_id="measure"``, ``period``):

    * per stage, ``customers`` (unit ``"customers"``, ``n`` = that count;
      first-reach semantics of :func:`~cjm_jupyter.analytics.funnel`) and
      ``conversion`` from the previous stage (unit ``"ratio"``, ``n`` = the
      previous stage's customers; none for the first stage or after a stage
      with no customers);
    * per visited touchpoint, ``bounce rate`` (unit ``"ratio"``: customers
      whose last event is there / customers with an event there = ``n``; see
      :func:`~cjm_jupyter.analytics.bounces`).

    With ``segment="<log column>"`` the same rows are written once for all
    customers (``segment`` empty) and once per segment (``segment`` = its
    value), so the map can show any of them.

    With ``surveys``, one emotion row per touchpoint (``survey_level=
    "touchpoint"``) or stage (``"stage"``) that has answers (``persona=None``,
    ``source="survey"``, ``basis="measured"``, ``run_id="measure"``,
    ``period``, ``score`` = mean on the emotion scale, ``n``; see
    :func:`~cjm_jupyter.analytics.satisfaction`). ``respondent`` names the
    survey's customer column: the respondents are matched against the log's
    customers and a warning says so when none of them appears there
    (``results["satisfaction"].attrs["matched_respondents"]``).

    **History, and what a run replaces.** Each run measures one period and
    keeps the others: it replaces exactly the rows an earlier run wrote for
    the same period (``run_id == "measure"`` and the same ``period``; the
    emotion rows only when ``surveys`` is given) and nothing else. Rows with
    no ``run_id`` were entered by hand and are never removed or changed,
    whatever their ``source`` or ``basis``; rows of other periods stay, so
    ``journey.history()`` shows the values over time. Where a hand-entered
    ``survey`` emotion without persona already holds a place for the same
    period (the emotions' unique key), it is kept and the survey's value for
    that place is not written (a warning names the places). Everything is
    computed before the journey is touched, and the change is one
    ``journey.batch()``: on any error the journey is unchanged and observers
    see one change.

    Parameters
    ----------
    journey : Journey
        The map to measure and write to.
    events
        The event log: a pandas DataFrame, a pyarrow Table, a Parquet path or
        glob, a DuckDB relation, or a PySpark DataFrame.
    surveys : DataFrame, optional
        Survey answers (any input :func:`~cjm_jupyter.analytics.satisfaction` takes).
    mapping : dict, DataFrame or None
        Event -> touchpoint id; ``None`` uses the journey's own ``event_map``.
    scale
        The survey's score scale (see :func:`~cjm_jupyter.analytics.satisfaction`).
    period : str, optional
        The label of the measured period, e.g. ``"2026-Q3"`` (any text; see
        :func:`cjm_jupyter.model.history.period_sort_key` for how labels are
        ordered). Default: the calendar quarter ``"YYYY-Qn"`` of the log's
        last event (rows with a null id, time or event ignored), in UTC for
        time-zone-aware times and as written for naive ones; computed by the
        log's engine in one aggregate.
    segment, customer, time, event : str
        Column names of the log.
    survey_level : {"touchpoint", "stage"}
        Where survey scores are attached.
    score, touchpoint, respondent : str
        Column names of the survey.
    progress : bool or None
        As in :func:`~cjm_jupyter.analytics.analyze`.

    Returns
    -------
    dict
        The tables the rows were written from: ``"funnel"`` and
        ``"bounces"``, with ``segment=`` also ``"funnel_by_segment"`` and
        ``"bounces_by_segment"``, and ``"satisfaction"`` with surveys. Each
        table's ``.attrs["period"]`` is the period written.

    Raises
    ------
    ValidationError
        A bad argument, log, survey or mapping (before anything changes).

    Examples
    --------
    >>> import cjm_jupyter as cjm
    >>> from cjm_jupyter import analytics
    >>> j = cjm.templates.load("colleen")
    >>> _ = j.measure(analytics.make_events(j, customers=200, start="2026-04-01", seed=1))
    >>> _ = j.measure(analytics.make_events(j, customers=200, start="2026-07-01", seed=2))
    >>> sorted(j.metrics["period"].dropna().unique())
    ['2026-Q2', '2026-Q3']
    >>> "Average order value" in set(j.metrics["name"])  # typed by hand: kept
    True
    """
    if survey_level not in ("touchpoint", "stage"):
        raise ValidationError("survey_level must be 'touchpoint' or 'stage'", value=survey_level)
    period = _checked_period(period)
    cols = {"mapping": mapping, "customer": customer, "time": time, "event": event, "progress": progress}
    # funnel and bounces share one analysis pass (one scan and sort of the log). The
    # segment split is a second pass rather than summing segments into overall rows
    # in pandas, which would be a second definition of the funnel's ratios.
    results = analyze(events, journey, metrics=_METRICS, **cols)
    rows = _stage_rows(results["funnel"], None) + _touchpoint_rows(results["bounces"], None)
    if segment is not None:
        with warnings.catch_warnings():
            # the same log and mapping: its warnings (unmapped, null ids) came with the first pass
            warnings.simplefilter("ignore", UserWarning)
            by_seg = analyze(events, journey, metrics=_METRICS, segment=segment, **cols)
        rows += _stage_rows(by_seg["funnel"], segment) + _touchpoint_rows(by_seg["bounces"], segment)
        results.update({f"{k}_by_segment": v for k, v in by_seg.items()})
    if period is None:
        period = _default_period(events, customer=customer, time=time, event=event)
    sat = None
    if surveys is not None:
        answers = read_surveys(surveys, {"score": score, "touchpoint": touchpoint, "respondent": respondent})
        sat = satisfaction(
            answers, journey, scale=scale, score=score, touchpoint=touchpoint, level=survey_level
        )
        if respondent is not None:
            sat.attrs["matched_respondents"] = _check_respondents(
                events, answers, respondent=respondent, customer=customer, time=time, event=event
            )
        results["satisfaction"] = sat
    for table in results.values():
        table.attrs["period"] = period
    emotions = journey.emotions
    own_emotions = _own_rows(emotions, period)
    emotion_rows = (
        _emotion_rows(sat, emotions[~own_emotions], survey_level, period) if sat is not None else []
    )
    stamp = {"basis": "measured", "period": period, "run_id": RUN_ID}
    with journey.batch():
        old = journey.metrics.loc[lambda m: _own_rows(m, period), "id"].tolist()
        if old:
            journey.remove("metrics", old)
        if sat is not None and own_emotions.any():
            journey.remove("emotions", emotions.loc[own_emotions, "id"].tolist())
        for row in rows:
            name, value = row.pop("name"), row.pop("value")
            journey.add_metric(name, value, source=METRIC_SOURCE, **stamp, **row)
        for row in emotion_rows:
            # add, not set_emotion: set_emotion updates a row holding the same key, which
            # here could only be a hand-entered one (this run's own rows are gone).
            journey.add("emotions", persona_id=None, source=SURVEY_SOURCE, **stamp, **row)
    return results
