"""Many metrics in one pass: the sorted sequence is materialized once, each metric is a tail query.

:func:`analyze` is the entry point; the single-metric functions of
:mod:`.metrics` are :func:`analyze` with one name, so every metric has one
definition (its SQL in :mod:`._sql`, its entry in :mod:`._catalog`)
whichever way it is called.

A run: check the arguments and the mapping; take the log as an
:class:`~.eventlog.EventLog` (raw events: a temporary one, checked and
profiled in one scan, closed at the end); materialize only the tables the
asked metrics need (``cust``, ``seq``, ``stay``, ``reach``; ``codes`` and
``seq_all`` for event-level transitions; see :mod:`._sql`), or reuse the
log's cached ones made for the same segment split, journey, mapping and
funnel; run the tail queries.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Iterable
from contextlib import ExitStack
from typing import Any

import pandas as pd

from .._deprecate import renamed_keywords
from .._warn import warn_user
from ..errors import ValidationError
from . import _sql
from ._catalog import DEFAULT_METRICS, DEPRECATED, INTERNAL, METRICS, Metric, Run, metric
from ._mapping import report_unmapped, resolve_mapping
from ._progress import Steps
from ._renames import LOG_COLUMNS
from ._steps import FunnelSteps, resolve_steps
from .eventlog import EventLog, for_call, opened

__all__ = ["analyze", "METRICS", "DEFAULT_METRICS"]


#: materialization order (a table only reads tables before it)
_TABLE_ORDER = ("cust", "codes", "seq_all", "seq", "stay", "reach")


def _check_arguments(metrics: Iterable[str], level: str, top: int) -> tuple[str, ...]:
    if isinstance(metrics, str):
        metrics = (metrics,)
    names = tuple(dict.fromkeys(metrics))  # unique, in the caller's order
    unknown = [m for m in names if m not in METRICS and m not in INTERNAL and m not in DEPRECATED]
    for old in (m for m in names if m in DEPRECATED):
        new = DEPRECATED[old][0]
        # warn_user: a fixed stacklevel would point into the keyword-renaming wrapper
        warn_user(
            f"the metric {old!r} is deprecated and will be removed; use {new!r} "
            f"(see analytics.{new}); {old!r} still returns its old columns",
            FutureWarning,
        )
    if unknown or not names:
        raise ValidationError(
            f"metrics must be a non-empty selection of {', '.join(METRICS)}",
            column="metrics",
            value=unknown[0] if unknown else names,
        )
    if level not in _sql.LEVELS:
        raise ValidationError(f"level must be one of {', '.join(_sql.LEVELS)}", value=level)
    try:
        if isinstance(top, bool) or operator.index(top) < 1:
            raise TypeError
    except TypeError:
        raise ValidationError("top must be an integer of at least 1", value=top) from None
    return names


def _plan(names: tuple[str, ...], level: str, segmented: bool, fs: FunnelSteps) -> list[str]:
    """List the tables to materialize for ``names``, in dependency order."""
    need = {t for name in names for t in metric(name).needs(level, fs)}
    if "reach" in need and fs.mode == "sequential":
        need.add("seq")  # the sequential chain runs on the sorted sequence's integer codes
    if segmented or need & {"seq", "seq_all"}:
        need.add("cust")  # segments, and the integer customer codes the sort runs on
    return [t for t in _TABLE_ORDER if t in need]


def _table_sql(kind: str, run: Run) -> str:
    if kind == "cust":
        return _sql.cust_sql(run.src, run.tables)
    if kind == "codes":
        return _sql.codes_sql(run.src, run.js)
    if kind in ("seq", "seq_all"):
        return _sql.seq_sql(run.src, run.js, run.tables, mapped_only=kind == "seq")
    if kind == "stay":
        return _sql.stay_sql(run.tables)
    # reach needs no sort of its own: from seq when that is made anyway, else one GROUP BY
    return _sql.reach_sql(run.src, run.js, run.tables, run.funnel, from_seq="seq" in run.plan)


def _key(kind: str, run: Run) -> tuple[Any, ...]:
    """Everything the rows of table ``kind`` depend on: the cache key of an :class:`EventLog`."""
    js = run.js
    if kind == "codes":
        return (js.mapping, js.touchpoints)
    key = (run.tables.segmented, js.stages, js.touchpoints, js.mapping)
    if kind != "reach":
        return key  # seq, seq_all, stay
    # reach from seq holds customer codes, from the events the ids themselves: two tables
    return (*key, *_sql.funnel_ctes(run.funnel, run.src.dialect), run.funnel.mode, "seq" in run.plan)


def _missing(log: EventLog, run: Run) -> int:
    """Count the tables of ``run.plan`` not yet in ``log``'s cache."""
    keys = ((kind, (run.tables.segmented,) if kind == "cust" else _key(kind, run)) for kind in run.plan)
    return sum(not log.has_table(kind, key) for kind, key in keys)


def _shares_split(log: EventLog, unsplit: Run, split: Run) -> bool:
    """Whether an unsplit run had better read the split tables a split run on ``log`` made.

    A split table holds the unsplit one's rows plus each customer's segment
    (``_sql.Tables.rel`` leaves that out on read), so an unsplit run on a log
    made with a segment column can run on the split tables (all of them:
    their customer codes must agree) when fewer of those are missing: after
    ``analyze(log, segment_col=...)`` the overall run sorts nothing
    (:func:`~.measure.measure` runs its split pass first for this).
    """
    return _missing(log, split) < _missing(log, unsplit)


def _materialize(log: EventLog, run: Run, kind: str, names: dict[str, str]) -> None:
    """Make (or find in ``log``'s cache) the table ``kind``, recording its name in ``names``."""
    if kind == "cust":
        names[kind] = log.customer_table(run.tables.segmented)
    else:
        names[kind] = log.cached(kind, _key(kind, run), functools.partial(_table_sql, kind, run))


def _schedule(names: tuple[str, ...], run: Run) -> list[tuple[str, list[str]]]:
    """Order the work: each table of ``run.plan``, then the metrics whose tables are all made.

    A metric runs as soon as it can, so a query that reads none of the later
    tables (event-level transitions need only ``cust`` and ``codes``) runs
    before the sorted sequence is stored: the peak memory is the larger of
    the two, not their sum (about 1.4 -> 1.1 GB on 10M events split by
    segment, ``bench/bench_analytics.py --matrix --cells int64:event:seg``).
    """
    made: set[str] = set()
    waiting = list(names)
    order: list[tuple[str, list[str]]] = []
    for kind in ("", *run.plan):
        made.add(kind)
        ready = [n for n in waiting if made.issuperset(metric(n).needs(run.level, run.funnel))]
        waiting = [n for n in waiting if n not in ready]
        order.append((kind, ready))
    assert not waiting, f"metrics {waiting} need tables outside the plan {run.plan}"
    return order


def _finish(metric: Metric, run: Run, unmapped: dict[str, int], segmented: bool) -> pd.DataFrame:
    out = metric.tidy(run.src.query(metric.sql(run)).reset_index(drop=True), run)
    if not segmented:
        out = out.drop(columns="segment")
    out.attrs["unmapped"] = dict(unmapped)
    out.attrs["dropped_null"] = run.src.dropped_null
    if metric.funnel:
        out.attrs.update(run.funnel.attrs())
    return out


@renamed_keywords(**LOG_COLUMNS)
def analyze(
    events: Any,
    journey: Any = None,
    *,
    mapping: Any = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    segment_col: str | None = None,
    metrics: Iterable[str] = DEFAULT_METRICS,
    level: str = "stage",
    top: int = 10,
    self_loops: bool = False,
    start: str | None = None,
    goal: str | None = None,
    mode: str = "first_reach",
    progress: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Several journey metrics in one pass over the event log.

    The log is checked and profiled once, the de-duplicated, mapped,
    per-customer sorted sequence is materialized once (one sort), and each
    metric is a short query on it. With raw events the temporary tables are
    dropped before returning; an :class:`~.eventlog.EventLog` keeps them for
    its next calls (so ``funnel(log, j)`` then ``transitions(log, j)`` sort
    once) until it is closed. Each result equals what the single-metric function of the same
    name returns (:func:`~.metrics.funnel`, :func:`~.metrics.transitions`,
    :func:`~.metrics.funnel_flow`, :func:`~.metrics.stage_times`,
    :func:`~.metrics.variants`, :func:`~.metrics.exits`,
    :func:`~.metrics.stage_durations`, :func:`~.metrics.customer_profiles`).

    Parameters
    ----------
    events
        A pandas DataFrame, a pyarrow Table, a Parquet path or glob, a DuckDB
        relation, a PySpark DataFrame, or an :class:`~.eventlog.EventLog`.
    journey : Journey
        The map whose stages and touchpoints are measured (read only); may be
        left out with an EventLog made with one (a journey passed wins).
    mapping : dict, DataFrame or None
        Event -> touchpoint id; ``None`` uses the journey's own ``event_map``
        (with an EventLog: the log's mapping).
    customer_col, time_col, event_col : str
        Column names of the customer id, timestamp (or date) and event name
        (with an EventLog: left out, or the log's).
    segment_col : str, optional
        Column to split every metric by (a customer's segment is the value on
        its earliest event, mapped or not; a tie takes the smallest value).
        With an EventLog: the log's ``segment_col``, or None (no split).
    metrics : iterable of str
        Which metrics, by name; default the seven aggregates (``"funnel"``,
        ``"transitions"``, ``"funnel_flow"``, ``"stage_times"``, ``"variants"``,
        ``"exits"``, ``"stage_durations"``). ``"bounces"`` is the deprecated
        name of ``"exits"``: still accepted, with a FutureWarning, returning
        the old ``bounces`` columns under its own key. The per-customer
        ``"customer_profiles"`` (:func:`~.metrics.customer_profiles`) and
        ``"step_times"`` (:func:`~.metrics.step_times`) are computed only when
        named.
    level : {"stage", "touchpoint", "event"}
        Node level of ``transitions``.
    self_loops : bool
        Whether ``transitions`` counts node -> same node steps too.
    top : int
        Number of ``variants`` kept per segment.
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (default: the first and the last
        stage). The funnel's steps are the stages from the start's stage to
        the goal's; a touchpoint makes that end step "reached the
        touchpoint". Used by ``funnel``, ``funnel_flow``, ``stage_times``,
        ``step_times``, by ``converted`` in ``variants`` and
        ``customer_profiles`` and by exits versus completed in ``exits``.
    mode : {"first_reach", "sequential"}
        How a customer reaches a step: ``"first_reach"`` (any event there,
        whatever came before) or ``"sequential"`` (their first event there at
        or after the time they reached the previous step; the start step as
        in first reach). See :func:`~.metrics.funnel`.
    progress : bool or None
        ``None`` (default): a bar over the steps only in an interactive
        session and only for runs longer than a couple of seconds;
        ``True``/``False`` force it on or off.

    Returns
    -------
    dict of str to DataFrame
        One frame per requested metric, keyed by its name, in the order
        asked; each with ``.attrs["unmapped"]`` and ``.attrs["dropped_null"]``;
        those that depend on the funnel (``funnel``, ``funnel_flow``,
        ``stage_times``, ``variants``, ``exits``, ``customer_profiles``,
        ``step_times``) also with
        ``.attrs["mode"]``, ``.attrs["start"]`` and ``.attrs["goal"]`` (the
        first and last step's ids).

    Raises
    ------
    ValidationError
        An unknown metric, level or mode, ``top`` below 1, an unknown start or
        goal or a goal before the start, a bad mapping, a missing or mistyped
        column, an empty log: before anything is computed; no journey; with
        an EventLog, a closed log or a column keyword naming another column
        than the log's.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> out = analytics.analyze(log, j, mapping={"ad": "t0", "buy": "t1"}, metrics=["funnel", "variants"])
    >>> out["funnel"]["customers"].tolist()
    [2, 1]
    >>> out["variants"]["variant"].tolist()
    ['Aware', 'Aware > Buy']
    """
    names = _check_arguments(metrics, level, top)
    customer, time, event, segment = customer_col, time_col, event_col, segment_col  # the roles' names below
    cols = {"customer": customer, "time": time, "event": event, "segment": segment, "mapping": mapping}
    journey, own_mapping = for_call(events, journey, **cols)
    jm = resolve_mapping(own_mapping, journey)
    # the steps hold positions and names only: the dialect of the SQL text does not matter here
    fs = resolve_steps(_sql.JourneySQL(jm), start, goal, mode)
    segmented = segment is not None
    plan = _plan(names, level, segmented, fs)
    share = False
    if not segmented and isinstance(events, EventLog) and events.segment is not None:
        # an unsplit call on a log with a segment column may run on its split tables
        split_plan = _plan(names, level, True, fs)
        src = events.source
        probe = functools.partial(Run, src, _sql.JourneySQL(jm, src.dialect), level=level,
                                  self_loops=self_loops, top=operator.index(top), funnel=fs)  # fmt: skip
        share = _shares_split(events, probe(events.tables({}, False), plan=tuple(plan)),
                              probe(events.tables({}, True), plan=tuple(split_plan)))  # fmt: skip
        plan = split_plan if share else plan
    with Steps(1 + len(plan) + len(names), progress) as steps, ExitStack() as stack:
        with steps.step("profile"):
            # one pass over raw events: no copy (see opened)
            log = stack.enter_context(opened(events, copy=False, **cols))
        src = log.source
        unmapped = jm.unmapped(src.event_counts)
        report_unmapped(unmapped, src.total_rows)
        tables: dict[str, str] = {}
        js = _sql.JourneySQL(jm, src.dialect)
        # shared: made (or found) as the split run's tables, read unsplit by the metrics
        run = Run(src, js, log.tables(tables, segmented or share), level, self_loops, operator.index(top), fs,
                  tuple(plan))  # fmt: skip
        # shared: the metrics read the split tables without their segment column
        reader = dataclasses.replace(run, tables=log.tables(tables, False)) if share else run
        results = {}
        for kind, ready in _schedule(names, run):
            if kind:
                with steps.step(kind):
                    _materialize(log, run, kind, tables)
            for name in ready:
                with steps.step(name):
                    results[name] = _finish(metric(name), reader, unmapped, segmented)
    return {name: results[name] for name in names}  # in the order asked
