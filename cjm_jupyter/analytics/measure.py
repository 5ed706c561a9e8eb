"""Attach measured values to a journey: the metrics lane and measured emotion rows."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from typing import Any, Literal, TypedDict

import pandas as pd

from .._deprecate import renamed_keywords, swap_if_journey_first
from .._warn import warn_user
from ..errors import ValidationError
from ._renames import ALL_COLUMNS
from .analysis import analyze
from .eventlog import EventColumns, EventLog, LogColumns, opened
from .outcomes import retention, revenue
from .satisfaction import nps, read_surveys, satisfaction, top_two_box

__all__ = [
    "measure",
    "quarter_of",
    "METRIC_SOURCE",
    "SURVEY_SOURCE",
    "RUN_ID",
    "EXIT_RATE",
    "LEGACY_BOUNCE_RATE",
]

#: ``source`` of the metric rows written by :func:`measure`.
METRIC_SOURCE = "analytics"
#: ``source`` of the emotion rows written by :func:`measure`.
SURVEY_SOURCE = "survey"
#: ``run_id`` of every row written by :func:`measure`: the rows a later run may replace.
RUN_ID = "measure"

_METRICS = ("funnel", "exits")
#: the metric name of the rows written from :func:`~cjm_jupyter.analytics.exits`
EXIT_RATE = "exit rate"
#: what runs before the rename to exit rate wrote (counting customers who finished as bounces).
#: Such rows, measured or typed, are never renamed, replaced or removed by a run: they keep the
#: definition they were measured with, and the user decides what to do with them.
LEGACY_BOUNCE_RATE = "bounce rate"


class _SurveyColumns(TypedDict):
    """The survey keywords every survey summary of a run takes."""

    score_col: str
    touchpoint_col: str
    level: Literal["touchpoint", "stage"]


def _own_rows(frame: pd.DataFrame, period: str) -> pd.Series:
    """Mark the rows an earlier run wrote for ``period``: the only rows a run may replace.

    Decided by ``run_id`` alone, never by ``source``: a hand-typed row says
    ``source="analytics"`` too (``add_metric``'s default) and has no run id.
    """
    return ((frame["run_id"] == RUN_ID) & (frame["period"] == period)).fillna(False).astype(bool)


def quarter_of(micros: int) -> str:
    """Return the calendar quarter ``"YYYY-Qn"`` of an instant in microseconds since the epoch (UTC).

    Examples
    --------
    >>> quarter_of(0), quarter_of(1_790_000_000 * 10**6)
    ('1970-Q1', '2026-Q3')
    """
    when = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(micros))
    return f"{when.year}-Q{(when.month - 1) // 3 + 1}"


def _default_period(events: Any, **columns: Any) -> str:
    """Return the calendar quarter of the log's last event (rows with a null id, time or event ignored).

    One aggregate on the prepared rows (an EventLog's copy; raw events make a
    temporary log, with its warnings), run by the log's own engine: the log
    is never loaded into pandas.
    """
    with opened(events, **columns) as log:
        return quarter_of(log.last_us())


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


def _check_respondents(log: EventLog, surveys: pd.DataFrame, *, respondent: str, segmented: bool) -> int:
    """How many survey respondents appear in the event log; warn when none does.

    ``surveys`` comes from ``read_surveys``, which has checked the ``respondent`` column.
    The log's customers are read from its cached customer table (made by the
    analysis), not from the input. Ids are compared as text on both sides, at
    this join only: a survey column read from a file holds ``"42"`` where the
    log holds the integer 42. ``segmented``: a split run made the split
    customer table already (it has every customer too), read it.
    """
    table = log.customer_table(segmented=segmented)
    sql = f"SELECT CAST(customer_id AS STRING) AS customer_id FROM {table}"
    log_ids = log.source.query(sql)["customer_id"]
    answered = set(surveys[respondent].dropna().astype(str))
    matched = len(answered & set(log_ids))
    if answered and not matched:
        warn_user(
            f"none of the {len(answered)} respondents in the survey column {respondent!r} appears in the "
            f"event log's {log.customer!r} column: are they the same kind of id?"
        )
    return matched


def _stage_rows(fun: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """Build the ``customers`` and ``conversion`` metric rows per stage (per segment)."""
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


def _touchpoint_rows(exits: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``exit rate`` metric rows per visited touchpoint (per segment)."""
    visited = exits[exits["customers"] > 0]
    return [
        {
            "name": EXIT_RATE,
            "value": float(row.exit_rate),
            "unit": "ratio",
            "n": int(row.customers),
            "touchpoint": row.touchpoint_id,
            "segment": row.segment if segment else None,  # the column exists only then
        }
        for row in visited.itertuples(index=False)
    ]


def _funnel_and_exits(
    events: Any, journey: Any, goal: str | None, segment: str | None, cols: dict[str, Any]
) -> dict[str, pd.DataFrame]:
    """Compute the funnel (over the whole journey) and the exits (to ``goal``, default the last stage).

    One analysis pass (one scan and sort of the log) when the goal is the
    journey's last stage; with ``goal=`` the exits are a second pass, since
    the funnel rows keep spanning every stage.
    """
    if goal is None:
        return analyze(events, journey, metrics=_METRICS, segment_col=segment, **cols)
    out = analyze(events, journey, metrics=("funnel",), segment_col=segment, **cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the log's warnings came with the first pass
        out.update(analyze(events, journey, metrics=("exits",), segment_col=segment, goal=goal, **cols))
    return out


def _emotion_rows(sat: pd.DataFrame, emotions: pd.DataFrame, place: str, period: str) -> list[dict[str, Any]]:
    """Keep the measured emotion rows to write, minus places where a row not written by a run holds the key.

    The emotions' unique key is (persona, stage, touchpoint, segment, period,
    source): a hand-entered ``survey`` row without persona for the same place,
    segment (empty = all customers) and period keeps its place (it is never
    changed) and the run's value there is left out, with a warning. ``sat``
    has a ``segment`` column for the per-segment rows.
    """
    column = f"{place}_id"
    taken = emotions[
        (emotions["run_id"] != RUN_ID).fillna(True)
        & emotions["persona_id"].isna()
        & (emotions["source"] == SURVEY_SOURCE).fillna(False)
        & (emotions["period"] == period).fillna(False)
        & emotions["stage_id" if place == "touchpoint" else "touchpoint_id"].isna()
    ]
    seg_of = taken["segment"] if "segment" in taken.columns else pd.Series(None, index=taken.index)
    held = {(at, None if pd.isna(seg) else str(seg)) for at, seg in zip(taken[column], seg_of, strict=True)}
    rows, skipped = [], []
    for row in sat[sat["n"] > 0].itertuples(index=False):
        at, seg = getattr(row, column), getattr(row, "segment", None)
        if (at, seg) in held:
            skipped.append(str(at) if seg is None else f"{at} ({seg})")
            continue
        rows.append({column: at, "score": float(row.mean), "n": int(row.n), **_segment_field(seg)})
    if skipped:
        warn_user(
            f"kept the hand-entered survey emotion rows for period {period!r} at {place} "
            f"{', '.join(map(repr, skipped))}; the survey's values there were not written "
            "(see the returned 'satisfaction' table)"
        )
    return rows


def _segment_field(seg: str | None) -> dict[str, Any]:
    # the overall rows leave ``segment`` out: a journey of schema 2 has no such emotions column
    return {} if seg is None else {"segment": seg}


def _place_of(row: Any, place: str) -> dict[str, Any]:
    return {"stage": row.stage_id} if place == "stage" else {"touchpoint": row.touchpoint_id}


def _revenue_rows(table: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``revenue``, ``orders`` and ``average order value`` rows per stage with orders (per segment)."""
    rows = []
    for row in table[table["orders"] > 0].itertuples(index=False):
        common = {"stage": row.stage_id, "segment": row.segment if segment else None, "n": int(row.orders)}
        rows += [
            {"name": "revenue", "value": float(row.revenue), "unit": "currency", **common},
            {"name": "orders", "value": float(row.orders), "unit": "orders", **common},
            {"name": "average order value", "value": float(row.aov), "unit": "currency", **common},
        ]
    return rows


def _retention_rows(table: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """One ``retention within N days`` row at the goal (per segment), where someone converted.

    A minimum gap other than 0 is a different measure, so it is in the name
    (``retention within 90 days, after 1 day``): periods measured with
    different gaps never read as one series in ``journey.history()``.
    """
    place = "touchpoint" if table.attrs["goal_kind"] == "touchpoint" else "stage"
    gap = table.attrs["min_gap"]
    after = f", after {_duration_text(gap)}" if gap > pd.Timedelta(0) else ""
    return [
        {
            "name": f"retention within {row.within_days:g} days{after}",
            "value": float(row.retention),
            "unit": "ratio",
            "n": int(row.converted),
            place: row.goal_id,
            "segment": row.segment if segment else None,
        }
        for row in table[table["converted"] > 0].itertuples(index=False)
    ]


def _duration_text(gap: pd.Timedelta) -> str:
    """Format a duration in the largest whole unit that fits: ``"1 day"``, ``"36 h"``, ``"1.5 s"``.

    Examples
    --------
    >>> [_duration_text(pd.Timedelta(x)) for x in ("1D", "2D", "36h", "90min", "1500ms")]
    ['1 day', '2 days', '36 h', '90 min', '1.5 s']
    """
    seconds = gap / pd.Timedelta(seconds=1)
    if seconds % 86_400 == 0:
        days = seconds / 86_400
        return f"{days:g} day" + ("" if days == 1 else "s")
    for size, unit in ((3600, "h"), (60, "min")):
        if seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"


def _checked_gap(gap: Any, retention_days: Any) -> Any:
    """``retention_min_gap`` when it is a duration >= 0, and only asked with ``retention_days``."""
    try:
        ok = pd.Timedelta(gap) >= pd.Timedelta(0)  # NaT compares False
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValidationError(
            'retention_min_gap must be a duration >= 0 such as "1D" or "0s"',
            column="retention_min_gap",
            value=gap,
            has_value=True,
        )
    if retention_days is None and pd.Timedelta(gap) > pd.Timedelta(0):
        raise ValidationError(
            "retention_min_gap needs retention_days= (the retention it belongs to)",
            column="retention_min_gap",
            value=gap,
            has_value=True,
        )
    return gap


def _survey_metric_rows(
    table: pd.DataFrame, kind: str, place: str, segment: str | None
) -> list[dict[str, Any]]:
    """``NPS`` (points) or ``top-2-box`` (ratio) rows per place with answers (per segment)."""
    name, col, unit = ("NPS", "nps", "points") if kind == "nps" else ("top-2-box", "share", "ratio")
    return [
        {"name": name, "value": float(getattr(row, col)), "unit": unit, "n": int(row.n),
         "segment": row.segment if segment else None, **_place_of(row, place)}
        for row in table[table["n"] > 0].itertuples(index=False)
    ]  # fmt: skip


def _scale_kind(scale: Any) -> str | None:
    """``"nps"`` or ``"csat"`` for those named scales (their outcome metrics), else None."""
    key = scale.strip().lower() if isinstance(scale, str) else None
    return key if key in ("nps", "csat") else None


def _outcome_rows(
    results: dict[str, pd.DataFrame],
    events: Any,
    journey: Any,
    *,
    mapping: Any,
    segment: str | None,
    value: str | None,
    retention_days: float | None,
    retention_min_gap: Any,
    goal: str | None,
    log_cols: EventColumns,
) -> list[dict[str, Any]]:
    """Revenue and retention metric rows (overall, and per segment), their tables put in ``results``."""
    rows: list[dict[str, Any]] = []
    cols: dict[str, Any] = {f"{role}_col": name for role, name in log_cols.items()}  # their keywords
    asked = [(name, fn, kw, to_rows) for name, fn, kw, to_rows in (
        ("revenue", revenue, {"value_col": value}, _revenue_rows),
        ("retention", retention, {"within_days": retention_days, "min_gap": retention_min_gap, "goal": goal},
         _retention_rows),
    ) if next(iter(kw.values())) is not None]  # fmt: skip
    for name, fn, kw, to_rows in asked:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the log's warnings came with the analysis
            results[name] = fn(events, journey, mapping=mapping, **kw, **cols)
            rows += to_rows(results[name], None)
            if segment is not None:
                by_seg = fn(events, journey, mapping=mapping, segment_col=segment, **kw, **cols)
                results[f"{name}_by_segment"] = by_seg
                rows += to_rows(by_seg, segment)
    return rows


def _survey_split(
    answers: pd.DataFrame,
    journey: Any,
    segment: str | None,
    respondent: str | None,
    events: Any,
    log_cols: EventColumns,
) -> dict[str, Any] | None:
    """How to split the survey by segment (keywords for the survey functions), or None.

    None without ``segment_col=``, when the journey's emotions have no ``segment``
    column (a schema-2 journey), or when the survey has neither the segment
    column nor a respondent column to look the log up by (with a warning).
    """
    if segment is None or "segment" not in journey.emotions.columns:
        return None
    link = respondent if respondent is not None else "customer_id"
    if segment in answers.columns:
        return {"segment_col": segment}
    if link not in answers.columns:
        warn_user(
            f"the survey has no segment column {segment!r} and no respondent column {link!r} to find "
            "each respondent's segment in the log: its emotion rows are written for all customers only"
        )
        return None
    return {"segment_col": segment, "customer_col": link, "events": events, "event_columns": log_cols}


def _survey_outcomes(
    results: dict[str, pd.DataFrame],
    answers: pd.DataFrame,
    journey: Any,
    kind: str,
    survey_cols: _SurveyColumns,
    split: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    """NPS or top-2-box metric rows per place (and per segment), their tables put in ``results``."""
    name, fn = ("nps", nps) if kind == "nps" else ("top_two_box", top_two_box)
    place = survey_cols["level"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the survey's warnings came with satisfaction()
        results[name] = fn(answers, journey, **survey_cols)
        rows = _survey_metric_rows(results[name], kind, place, None)
        if split is not None:
            results[f"{name}_by_segment"] = by_seg = fn(answers, journey, **survey_cols, **split)
            rows += _survey_metric_rows(by_seg, kind, place, "segment")
    return rows


@renamed_keywords(**ALL_COLUMNS)
def measure(
    events: Any,
    journey: Any,
    surveys: Any = None,
    *,
    mapping: Any = None,
    scale: Any = "csat",
    period: str | None = None,
    segment_col: str | None = None,
    survey_level: Literal["touchpoint", "stage"] = "touchpoint",
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    respondent_col: str | None = None,
    progress: bool | None = None,
    value_col: str | None = None,
    retention_days: float | None = None,
    retention_min_gap: Any = "0s",
    goal: str | None = None,
    survey_metrics: bool = False,
    mode: str = "first_reach",
) -> dict[str, pd.DataFrame]:
    """Measure ``journey`` on an event log (and surveys) for one period and attach the results.

    Writes metric rows (``source="analytics"``, ``basis="measured"``,
    ``run_id="measure"``, ``period``):

    * per stage, ``customers`` (unit ``"customers"``, ``n`` = that count;
      counted in the funnel ``mode`` of :func:`~cjm_jupyter.analytics.funnel`,
      first-reach by default) and
      ``conversion`` from the previous stage (unit ``"ratio"``, ``n`` = the
      previous stage's customers; none for the first stage or after a stage
      with no customers);
    * per visited touchpoint, ``exit rate`` (unit ``"ratio"``; ``n`` =
      customers with an event there): the share of those customers whose
      last event is there and who did not reach the goal (``goal=``, default
      the journey's last stage, reached in ``mode``), so customers who
      finish the journey are not counted as leaving; see
      :func:`~cjm_jupyter.analytics.exits`. Rows named ``bounce rate``
      (hand-written, or measured by older versions, which counted finishers
      too) are kept as they are, never renamed or replaced.

    Business outcomes, when asked (see :mod:`cjm_jupyter.analytics.outcomes`):

    * ``value_col="<log column>"``: per stage with orders, ``revenue`` (unit
      ``"currency"``), ``orders`` (unit ``"orders"``) and ``average order
      value`` (unit ``"currency"``), each with ``n`` = orders;
    * ``retention_days=N``: ``retention within N days`` (unit ``"ratio"``,
      ``n`` = converted customers) at the goal (``goal=``: stage or
      touchpoint, id or name; default the last stage); with
      ``retention_min_gap`` (e.g. ``"1D"``) only goal events more than that
      after the first count as a return, and the gap is in the name:
      ``retention within N days, after 1 day``;
    * ``survey_metrics=True`` with ``surveys`` on the named scale ``"nps"``:
      ``NPS`` per place (unit ``"points"``, -100..100); on ``"csat"``:
      ``top-2-box`` (unit ``"ratio"``: answers 4-5); other scales: none.

    With ``segment_col="<log column>"`` the same rows are written once for all
    customers (``segment`` empty) and once per segment (``segment`` = its
    value), so the map can show any of them. The survey emotion rows too,
    when the journey's emotions have a ``segment`` column (schema 3) and each
    answer's segment is known: the survey's own ``segment`` column, else the
    respondent's segment in the log (matched on ``respondent_col``, default
    ``"customer_id"``); a survey with neither is written overall only, with
    a warning.

    With ``surveys``, one emotion row per touchpoint (``survey_level=
    "touchpoint"``) or stage (``"stage"``) that has answers (``persona=None``,
    ``source="survey"``, ``basis="measured"``, ``run_id="measure"``,
    ``period``, ``score`` = mean on the emotion scale, ``n``; see
    :func:`~cjm_jupyter.analytics.satisfaction`). ``respondent_col`` names the
    survey's customer column: the respondents are matched against the log's
    customers and a warning says so when none of them appears there
    (``results["satisfaction"].attrs["matched_respondents"]``).

    **History, and what a run replaces.** Each run measures one period and
    keeps the others: it replaces exactly the rows an earlier run wrote for
    the same period (``run_id == "measure"`` and the same ``period``; the
    emotion rows only when ``surveys`` is given; never a ``bounce rate`` row,
    which older versions wrote) and nothing else. Rows with
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
    events
        The event log: a pandas DataFrame, a pyarrow Table, a Parquet path or
        glob, a DuckDB relation, a PySpark DataFrame, or an
        :class:`~cjm_jupyter.analytics.EventLog` (then ``segment_col``,
        ``customer_col``, ``time_col``, ``event_col``, ``value_col`` and
        ``mapping`` are left out or equal the log's). The input is read once: raw events become a
        temporary EventLog for the run, whose every pass (overall, per
        segment, outcomes, the respondent check, the default period) reads
        the log's copy and its cached tables.
    journey : Journey
        The map to measure and write to. The old order ``measure(journey,
        events, ...)`` still works for one release, with a
        :class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
    surveys : DataFrame, optional
        Survey answers (any input :func:`~cjm_jupyter.analytics.satisfaction` takes).
    mapping : dict, DataFrame or None
        Event -> touchpoint id; ``None`` uses the journey's own ``event_map``.
    scale
        The survey's score scale (see :func:`~cjm_jupyter.analytics.satisfaction`).
    mode : {"first_reach", "sequential"}
        How the stage ``customers`` and ``conversion`` rows count (see
        :func:`~cjm_jupyter.analytics.funnel`). Keep one mode across the
        periods of a journey so their values compare, and pass the mode of
        the ``compare_segments`` frame a map marks with ``comparison=``.
    period : str, optional
        The label of the measured period, e.g. ``"2026-Q3"`` (any text; see
        :func:`cjm_jupyter.model.history.period_sort_key` for how labels are
        ordered). Default: the calendar quarter ``"YYYY-Qn"`` of the log's
        last event (rows with a null id, time or event ignored), in UTC for
        time-zone-aware times and as written for naive ones; computed by the
        log's engine in one aggregate.
    segment_col, customer_col, time_col, event_col : str
        Column names of the log.
    survey_level : {"touchpoint", "stage"}
        Where survey scores are attached.
    score_col, touchpoint_col, respondent_col : str
        Column names of the survey.
    progress : bool or None
        As in :func:`~cjm_jupyter.analytics.analyze`.
    value_col : str, optional
        Numeric log column of order amounts: writes revenue, orders and
        average order value per stage (:func:`~cjm_jupyter.analytics.revenue`).
    retention_days : float, optional
        Writes the share of converted customers back at the goal within
        that many days (:func:`~cjm_jupyter.analytics.retention`).
    retention_min_gap : str or Timedelta
        The ``min_gap`` of :func:`~cjm_jupyter.analytics.retention`: a goal
        event counts as a return only when it comes more than this after the
        customer's first goal event. Default ``"0s"``: any later goal event,
        so the several events of one visit (a goal stage of several pages)
        count as a return; pass e.g. ``"1D"`` to count returns on later days
        only. Needs ``retention_days``.
    goal : str, optional
        The goal stage or touchpoint (id or name) of ``retention_days`` and
        of the ``exit rate`` (customers who reached it are not exits);
        default the last stage. The stage ``customers`` and ``conversion``
        rows always span every stage.
    survey_metrics : bool
        Also write ``NPS`` (scale ``"nps"``) or ``top-2-box`` (scale
        ``"csat"``) metric rows from the surveys.

    Returns
    -------
    dict
        The tables the rows were written from: ``"funnel"`` and
        ``"exits"``, with ``segment_col=`` also ``"funnel_by_segment"`` and
        ``"exits_by_segment"``; ``"satisfaction"`` with surveys (and
        ``"satisfaction_by_segment"``); ``"revenue"`` with ``value_col=``,
        ``"retention"`` with ``retention_days=``, ``"nps"`` or
        ``"top_two_box"`` with surveys on those scales (each with a
        ``*_by_segment`` twin with ``segment_col=``). Each table's
        ``.attrs["period"]`` is the period written.

    Raises
    ------
    ValidationError
        A bad argument, log, survey or mapping (before anything changes).
    ImportError
        statsmodels missing where an interval needs it (``retention_days``,
        top-2-box ``survey_metrics``): ``pip install "cjm_jupyter[stats]"``.

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
    events, journey = swap_if_journey_first(
        events, journey, old="measure(journey, events, ...)", new="measure(events, journey, ...)"
    )
    customer, time, event, segment, value = customer_col, time_col, event_col, segment_col, value_col
    score, touchpoint, respondent = score_col, touchpoint_col, respondent_col  # the roles' names below
    if survey_level not in ("touchpoint", "stage"):
        raise ValidationError("survey_level must be 'touchpoint' or 'stage'", value=survey_level)
    period = _checked_period(period)
    retention_min_gap = _checked_gap(retention_min_gap, retention_days)
    cols = {
        "mapping": mapping, "customer_col": customer, "time_col": time, "event_col": event,
        "progress": progress, "mode": mode,
    }  # fmt: skip
    # One EventLog for every pass below: the input is read once (copied), later passes
    # reuse its cached tables; a temporary log is closed (its tables dropped) at the end.
    log_kw: LogColumns = {"customer": customer, "time": time, "event": event, "segment": segment}
    with opened(events, mapping=mapping, value=value, **log_kw) as log:
        # The segment split is a pass of its own rather than summing segments into overall rows
        # in pandas, which would be a second definition of the funnel's ratios. It runs first:
        # the overall pass then reads its tables (one sort; see analysis._shares_split).
        by_seg = None if segment is None else _funnel_and_exits(log, journey, goal, segment, cols)
        with warnings.catch_warnings():
            if by_seg is not None:
                # the same log and mapping: its warnings (unmapped, null ids) came with the first pass
                warnings.simplefilter("ignore", UserWarning)
            results = _funnel_and_exits(log, journey, goal, None, cols)
        rows = _stage_rows(results["funnel"], None) + _touchpoint_rows(results["exits"], None)
        if by_seg is not None:
            rows += _stage_rows(by_seg["funnel"], segment) + _touchpoint_rows(by_seg["exits"], segment)
            results.update({f"{k}_by_segment": v for k, v in by_seg.items()})
        if period is None:
            period = _default_period(log)  # the prepared rows: no other scan
        log_cols: EventColumns = {"customer": customer, "time": time, "event": event}
        rows += _outcome_rows(
            results, log, journey, mapping=mapping, segment=segment, value=value,
            retention_days=retention_days, retention_min_gap=retention_min_gap, goal=goal, log_cols=log_cols,
        )  # fmt: skip
        sat, sat_parts = None, []
        if surveys is not None:
            roles = {"score": score, "touchpoint": touchpoint, "respondent": respondent}
            answers = read_surveys(surveys, roles)
            survey_cols: _SurveyColumns = {
                "score_col": score, "touchpoint_col": touchpoint, "level": survey_level
            }  # fmt: skip
            sat = satisfaction(answers, journey, scale=scale, **survey_cols)
            if respondent is not None:
                sat.attrs["matched_respondents"] = _check_respondents(
                    log, answers, respondent=respondent, segmented=segment is not None
                )
            results["satisfaction"] = sat
            sat_parts.append(sat)
            split = _survey_split(answers, journey, segment, respondent, log, log_cols)
            if split is not None:
                by_seg = satisfaction(answers, journey, scale=scale, **survey_cols, **split)
                results["satisfaction_by_segment"] = by_seg
                sat_parts.append(by_seg)
            kind = _scale_kind(scale) if survey_metrics else None
            if kind is not None:
                rows += _survey_outcomes(results, answers, journey, kind, survey_cols, split)
    for table in results.values():
        table.attrs["period"] = period
    emotions = journey.emotions
    own_emotions = _own_rows(emotions, period)
    kept = emotions[~own_emotions]
    emotion_rows = [row for part in sat_parts for row in _emotion_rows(part, kept, survey_level, period)]
    stamp = {"basis": "measured", "period": period, "run_id": RUN_ID}
    with journey.batch():
        m = journey.metrics
        legacy = (m["name"] == LEGACY_BOUNCE_RATE).fillna(False).astype(bool)
        old = m.loc[_own_rows(m, period) & ~legacy, "id"].tolist()
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
