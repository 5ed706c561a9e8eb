"""Journey metrics on an event log, computed by DuckDB in-process (or Spark).

Every function takes the events (see :mod:`cjm_jupyter.analytics.engines`
for the accepted kinds), the :class:`~cjm_jupyter.Journey` and a ``mapping``
from events to touchpoints (see :mod:`cjm_jupyter.analytics._mapping`), with
the log's column names as ``*_col`` keywords. Each returns a tidy pandas DataFrame;
``segment_col="<column>"`` adds a leading ``segment`` column and computes every
row within each segment (a customer's segment is the value on its earliest
event, mapped or not; null reads ``"(missing)"``; a tie at that time takes the
smallest value). The result's ``.attrs`` carry ``unmapped`` (``{event: rows}`` of log
events mapped to no touchpoint) and ``dropped_null`` (rows with a null id,
time or event).

Each function is :func:`~.analysis.analyze` with one metric name, so the
definitions (SQL in :mod:`._sql`, result tidying in :mod:`._catalog`) are the
ones :func:`~.analysis.analyze` runs when it computes several metrics in one
pass. Their keywords are declared once, as the typed dictionaries below
(:class:`LogOptions`, :class:`FunnelOptions`...), and forwarded as they are.

``events`` may be an :class:`~.eventlog.EventLog`: the log is then checked
and profiled once for many calls and the sorted sequence is made once (the
``journey`` may be left out when the log has one; the column keywords are
left out or equal the log's).
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict, Unpack

import pandas as pd

from .._deprecate import renamed_keywords
from .._warn import warn_user
from ._renames import LOG_COLUMNS
from .analysis import analyze

__all__ = [
    "funnel",
    "funnel_flow",
    "transitions",
    "stage_times",
    "variants",
    "exits",
    "bounces",
    "stage_durations",
    "customer_profiles",
    "step_times",
    "LogOptions",
    "FunnelOptions",
    "TransitionOptions",
    "VariantOptions",
]


class LogOptions(TypedDict, total=False):
    """The keywords every metric takes (see :func:`~.analysis.analyze`)."""

    #: event -> touchpoint id; None: the journey's (or the EventLog's) ``event_map``
    mapping: Any
    #: column names of the customer id, the timestamp (or date) and the event name
    customer_col: str
    time_col: str
    event_col: str
    #: column to split every row by (a customer's segment is the value on its earliest event)
    segment_col: str | None


class FunnelOptions(LogOptions, total=False):
    """:class:`LogOptions` and the funnel: where it starts, its goal, how a step is reached."""

    start: str | None
    goal: str | None
    mode: Literal["first_reach", "sequential"]


class TransitionOptions(LogOptions, total=False):
    """:class:`LogOptions` and the node level of the transitions, with or without self loops."""

    level: Literal["stage", "touchpoint", "event"]
    self_loops: bool


class VariantOptions(FunnelOptions, total=False):
    """:class:`FunnelOptions` and how many paths are kept per segment."""

    top: int


def _one(name: str, events: Any, journey: Any, options: Any, allowed: type) -> pd.DataFrame:
    """``analyze(events, journey, metrics=[name], **options)[name]``; ``options`` only ``allowed``'s keys."""
    unknown = sorted(set(options) - allowed.__required_keys__ - allowed.__optional_keys__)  # type: ignore[attr-defined]
    if unknown:  # what Python says for an unknown keyword of a plain signature
        raise TypeError(f"{name.lstrip('_')}() got an unexpected keyword argument {unknown[0]!r}")
    return analyze(events, journey, metrics=(name,), **options)[name]


@renamed_keywords(**LOG_COLUMNS)
def funnel(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """Count the customers reaching each funnel step, from ``start`` to ``goal`` in journey order.

    Two modes count a customer for a step:

    - ``"first_reach"`` (default): they have at least one event mapped to the
      step (one of its stage's touchpoints, or its touchpoint), whatever the
      order and whether or not they reached the earlier steps. A customer
      who skips a step still counts for the next, so the counts need not
      decrease along the funnel (conversion may exceed 1, drop-off may be
      negative).
    - ``"sequential"``: the first step as in first reach; step k at their
      first event there at or after the time they reached step k - 1 (at an
      equal time, a later step counts as after). A customer counts for step k
      only after reaching every step before it, so the counts never increase.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (ids win over names); default the
        first and the last stage. The steps are the stages from the start's
        stage to the goal's; a touchpoint makes that end step "reached the
        touchpoint" (two touchpoints of one stage: a two-step funnel).
    mode : {"first_reach", "sequential"}
        How a customer reaches a step (above).

    Returns
    -------
    DataFrame
        One row per step (and segment), in funnel order: ``segment`` (with
        ``segment_col=``), ``stage_id`` (the step's stage), ``stage`` (the step's
        name: the stage's, or the touchpoint's for a touchpoint step),
        ``customers``, ``conversion`` (customers / previous step's; first:
        NaN), ``conversion_from_start`` (customers / first step's),
        ``drop_off`` (previous step's customers minus customers; first: NaN),
        ``step_id`` (the stage's or touchpoint's id) and ``mode``. The
        ``.attrs`` add ``mode``, ``start`` and ``goal`` (first and last step
        ids). Ready for :func:`cjm_jupyter.plots.funnel_chart`.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start, a start and goal in one stage where one of them is
        the stage itself; and the checks of :func:`~.analysis.analyze`.
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> for sid, name in (("s0", "Aware"), ("s1", "Cart"), ("s2", "Buy")):
    ...     _ = j.add_stage(name, id=sid); _ = j.add_touchpoint(sid, name, id="t" + sid)
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "event": ["ad", "buy", "ad", "cart"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02",
    ...                                                  "2024-01-04"])})
    >>> m = {"ad": "ts0", "cart": "ts1", "buy": "ts2"}
    >>> analytics.funnel(log, j, mapping=m)["customers"].tolist()  # a skipped Cart, still counted at Buy
    [2, 1, 1]
    >>> analytics.funnel(log, j, mapping=m, mode="sequential")["customers"].tolist()
    [2, 1, 0]
    """
    return _one("funnel", events, journey, options, FunnelOptions)


@renamed_keywords(**LOG_COLUMNS)
def transitions(events: Any, journey: Any = None, **options: Unpack[TransitionOptions]) -> pd.DataFrame:
    """Directly-follows transitions between stages, touchpoints or events.

    Each customer's events are ordered by time (ties: stage order, touchpoint
    order, event name). Consecutive events at the same node (stage,
    touchpoint or event) form one run; a transition goes from the last event
    of a run to the first event of the next, and its time is the gap between
    those two events. ``self_loops=True`` also counts node -> same node steps.
    At ``stage``/``touchpoint`` level only mapped events take part; at
    ``event`` level every event of the log does, mapped or not.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    level : {"stage", "touchpoint", "event"}
        The nodes: stages (default), touchpoints or event names.
    self_loops : bool
        Also count node -> same node steps (default False).

    Returns
    -------
    DataFrame
        One row per (source, target): ``segment`` (with ``segment_col=``),
        ``source``, ``target`` (stage ids, touchpoint ids or event names),
        ``count``, ``customers`` (distinct customers), ``median_time``
        (Timedelta). Ready for :func:`cjm_jupyter.plots.flow.flow` (pass
        ``journey=`` there to show names).

    Raises
    ------
    ValidationError
        A level other than the three above, a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> t = analytics.transitions(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> t[["source", "target", "count", "customers"]].values.tolist(), str(t["median_time"].iloc[0])
    ([['s0', 's1', 1, 1]], '2 days 00:00:00')
    """
    return _one("transitions", events, journey, options, TransitionOptions)


@renamed_keywords(**LOG_COLUMNS)
def funnel_flow(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """Count the funnel as a flow: customers from each step they reached to the next, or out of the journey.

    Each customer's reached steps (in the funnel's ``mode``, see
    :func:`funnel`) are taken in step order: one move from each to the next
    one they reached, from the last one to ``"Left the journey"`` when it is
    not the goal, and from the goal to ``"Completed"``. So every step's
    outgoing counts sum to its funnel ``customers``, and
    :func:`cjm_jupyter.plots.flow.flow` draws each step as tall as the
    funnel's count. In the sequential mode the steps a customer reached are
    always the first ones, so the moves are step k -> k + 1 and the "Left
    the journey" count after step k is the funnel's ``drop_off`` at step
    k + 1. In first-reach mode a customer who skipped a step moves past it
    (a ribbon over a column) and the left counts equal the drop-off only
    when nobody skips.

    Unlike :func:`transitions` (every move between runs of events, back and
    forth) each customer counts once per step.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal, mode
        The funnel; see :func:`funnel`.

    Returns
    -------
    DataFrame
        One row per move (and segment), by source step then target step
        (left, completed last): ``segment`` (with ``segment_col=``), ``source``
        (step id: stage or touchpoint id), ``target`` (step id,
        ``"Left the journey"`` or ``"Completed"``), ``count`` (customers).
        ``.attrs``: ``mode``, ``start``, ``goal``. Ready for
        :func:`cjm_jupyter.plots.flow.flow` (pass ``journey=`` there).

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> analytics.funnel_flow(log, j, mapping={"ad": "t0", "buy": "t1"}).values.tolist()
    [['s0', 's1', 1], ['s0', 'Left the journey', 1], ['s1', 'Completed', 1]]
    """
    return _one("funnel_flow", events, journey, options, FunnelOptions)


@renamed_keywords(**LOG_COLUMNS)
def stage_times(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """Time between reaching consecutive funnel steps (by default: consecutive stages).

    For each pair of consecutive steps (k, k+1) of the funnel (see
    :func:`funnel`), over the customers who reached both: the time they
    reached k+1 minus the time they reached k. In ``"first_reach"`` mode a
    customer who reached k+1 first gives a negative time (kept, so the
    spread shows out-of-order journeys); in ``"sequential"`` mode times are
    never negative.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (ids win over names); default the
        first and the last stage. The steps are the stages from the start's
        stage to the goal's; a touchpoint makes that end step "reached the
        touchpoint" (two touchpoints of one stage: a two-step funnel).
    mode : {"first_reach", "sequential"}
        How a customer reaches a step; see :func:`funnel`.

    Returns
    -------
    DataFrame
        One row per step pair (and segment): ``segment`` (with
        ``segment_col=``), ``source_id``, ``source``, ``target_id``, ``target``
        (step ids and names), ``customers``, ``q1``, ``median``, ``q3``
        (Timedelta; NaT without customers). ``.attrs``: ``mode``, ``start``,
        ``goal``.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> s = analytics.stage_times(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> s[["source", "target", "customers"]].values.tolist(), str(s["median"].iloc[0])
    ([['Aware', 'Buy', 1]], '2 days 00:00:00')
    """
    return _one("stage_times", events, journey, options, FunnelOptions)


@renamed_keywords(**LOG_COLUMNS)
def variants(events: Any, journey: Any = None, **options: Unpack[VariantOptions]) -> pd.DataFrame:
    """Rank the most frequent stage paths, consecutive repeats collapsed.

    A customer's path is the sequence of stages of its mapped events in time
    order, with consecutive repeats collapsed (A A B A -> A > B > A).
    Customers without a mapped event have no path. The path runs over the
    whole journey; ``start``, ``goal`` and ``mode`` only decide which
    customers count as converted (reached the goal, in the funnel's mode).

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (ids win over names); default the
        first and the last stage. The steps are the stages from the start's
        stage to the goal's; a touchpoint makes that end step "reached the
        touchpoint" (two touchpoints of one stage: a two-step funnel).
    mode : {"first_reach", "sequential"}
        How a customer reaches a step; see :func:`funnel`.
    top : int
        Number of paths kept per segment (default 10, at least 1).

    Returns
    -------
    DataFrame
        The ``top`` paths (per segment) by count, ties by path: ``segment``
        (with ``segment_col=``), ``rank`` (1-based), ``variant`` (stage names
        joined by " > "), ``path`` (stage ids joined by " > "), ``length``,
        ``count`` (customers), ``share`` (of customers with a path),
        ``conversion`` (share of them who reached the goal: by default the
        journey's last stage). ``.attrs``: ``mode``, ``start``, ``goal``.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; ``top`` below 1, a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> v = analytics.variants(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> v[["rank", "variant", "count", "share", "conversion"]].values.tolist()
    [[1, 'Aware', 1, 0.5, 0.0], [2, 'Aware > Buy', 1, 0.5, 1.0]]
    """
    return _one("variants", events, journey, options, VariantOptions)


@renamed_keywords(**LOG_COLUMNS)
def exits(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """Where customers leave the journey: per touchpoint, customers whose last event is there, by outcome.

    A customer's last event is their latest mapped event (ties: the later in
    journey order). At a touchpoint, ``exits`` counts the customers whose
    last event is there **and who did not reach the goal**; ``completed``
    those whose last event is there and who reached it (so a customer who
    finishes the journey is not an exit). The goal is the journey's last
    stage unless ``goal=``, reached as the funnel counts it (``mode``; see
    :func:`funnel`). ``exit_rate = exits / customers``, over the customers
    with an event at the touchpoint.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        The funnel whose goal decides exits versus completed: a stage or a
        touchpoint, by id or name (ids win over names); default the first
        and the last stage (``start`` matters only in the sequential mode).
    mode : {"first_reach", "sequential"}
        How a customer reaches the goal; see :func:`funnel`.

    Returns
    -------
    DataFrame
        One row per touchpoint (and segment), in journey order: ``segment``
        (with ``segment_col=``), ``stage_id``, ``stage``, ``touchpoint_id``,
        ``touchpoint``, ``customers`` (who visited it), ``exits``,
        ``completed``, ``exit_rate`` (exits / customers; NaN without
        customers). ``.attrs``: ``mode``, ``start``, ``goal``.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> e = analytics.exits(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> e[["touchpoint", "customers", "exits", "completed", "exit_rate"]].values.tolist()
    [['Ad', 2, 1, 0, 0.5], ['Store', 1, 0, 1, 0.0]]
    """
    return _one("exits", events, journey, options, FunnelOptions)


@renamed_keywords(**LOG_COLUMNS)
def bounces(events: Any, journey: Any = None, **options: Unpack[LogOptions]) -> pd.DataFrame:
    """Count the customers whose last event is at each touchpoint (deprecated: use :func:`exits`).

    Customers whose last mapped event is at each touchpoint, whether or not
    they finished the journey: ``bounces`` is :func:`exits`' ``exits +
    completed``. Emits a FutureWarning.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).

    Returns
    -------
    DataFrame
        The old columns, one row per touchpoint (and segment) in journey
        order: ``segment`` (with ``segment_col=``), ``stage_id``, ``stage``,
        ``touchpoint_id``, ``touchpoint``, ``customers``, ``bounces``,
        ``bounce_rate`` (bounces / customers).

    Raises
    ------
    ValidationError
        a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     b = analytics.bounces(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> caught[0].category.__name__
    'FutureWarning'
    >>> b[["touchpoint", "customers", "bounces", "bounce_rate"]].values.tolist()
    [['Ad', 2, 1, 0.5], ['Store', 1, 1, 1.0]]
    """
    warn_user(
        "analytics.bounces is deprecated and will be removed; use analytics.exits, whose exit_rate "
        "does not count customers who reached the goal",
        FutureWarning,
    )
    return _one("_bounces", events, journey, options, LogOptions)


@renamed_keywords(**LOG_COLUMNS)
def stage_durations(events: Any, journey: Any = None, **options: Unpack[LogOptions]) -> pd.DataFrame:
    """Time in stage: how long customers stay in each stage before leaving it.

    For a customer and a stage they reached, the time in stage runs **from
    their first event in the stage until they leave it for good**: the time of
    their first event after their last event in that stage (mapped events
    only, ordered as in :func:`transitions`). Visits to other stages in
    between count as time in the stage (so A B A C gives A the span from the
    first A to C). A customer whose log ends in the stage has not been seen
    leaving: they are counted in ``still_in`` and left out of the quartiles
    (their time is censored, not zero).

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).

    Returns
    -------
    DataFrame
        One row per stage (and segment), in stage order: ``segment`` (with
        ``segment_col=``), ``stage_id``, ``stage``, ``customers`` (who reached and
        left the stage), ``still_in`` (who reached it and did not leave),
        ``q1``, ``median``, ``q3`` (Timedelta over ``customers``; NaT without
        any).

    Raises
    ------
    ValidationError
        a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> d = analytics.stage_durations(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> d[["stage", "customers", "still_in"]].values.tolist(), str(d["median"].iloc[0])
    ([['Aware', 1, 1], ['Buy', 0, 1]], '2 days 00:00:00')
    """
    return _one("stage_durations", events, journey, options, LogOptions)


@renamed_keywords(**LOG_COLUMNS)
def customer_profiles(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """One row per customer: how far they got, where they stopped, how long and how much.

    The building block for segmenting customers by behaviour: derive a label
    from these columns (rules, or a clustering library), join it to the log
    and pass it as ``segment_col=`` to any metric to compare the segments'
    journeys.

    Customers with no mapped event are left out (their events belong to no
    stage; see ``.attrs["unmapped"]``). Events are the de-duplicated mapped
    ones, as for every metric. ``start``, ``goal`` and ``mode`` only decide
    ``converted``.

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (ids win over names); default the
        first and the last stage. The steps are the stages from the start's
        stage to the goal's; a touchpoint makes that end step "reached the
        touchpoint" (two touchpoints of one stage: a two-step funnel).
    mode : {"first_reach", "sequential"}
        How a customer reaches a step; see :func:`funnel`.

    Returns
    -------
    DataFrame
        Sorted by (segment and) customer id: ``segment`` (with ``segment_col=``;
        from the customer's earliest event of any kind, as for every metric),
        ``customer_id`` (in the input's own type: integers as int64, text as
        strings, UUIDs as ``uuid.UUID``, so a label joins back on
        ``log[customer_col]`` as it is), ``first_seen`` and ``last_seen`` (first
        and last mapped event, tz-aware UTC instants; naive input times are
        read as UTC), ``duration`` (their difference), ``events``, ``stages``
        (distinct stages reached), ``touchpoints`` (distinct touchpoints
        visited), ``furthest_stage_id`` / ``furthest_stage`` (the latest stage
        in journey order reached, not necessarily the last visited),
        ``last_touchpoint_id`` / ``last_touchpoint`` (of the last event; ties
        at the last time: the later in journey order, as in :func:`exits`),
        ``path`` (the stage ids in the order visited, repeats collapsed, joined
        by ``" > "``: the customer's ``path`` in :func:`variants`),
        ``converted`` (reached the goal in the funnel's mode; by default: has
        an event at the journey's last stage) and ``converted_at`` (when the
        goal was reached in that mode, UTC; NaT when not converted:
        ``converted_at - first_seen`` is the time to convert).
        ``.attrs``: ``mode``, ``start``, ``goal``.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> p = analytics.customer_profiles(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> p[["customer_id", "furthest_stage", "converted"]].values.tolist()
    [['a', 'Buy', True], ['b', 'Aware', False]]
    >>> str(p["duration"].iloc[0])
    '2 days 00:00:00'
    """
    return _one("customer_profiles", events, journey, options, FunnelOptions)


@renamed_keywords(**LOG_COLUMNS)
def step_times(events: Any, journey: Any = None, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """One row per customer and pair of consecutive funnel steps they reached: the time between.

    The per-customer durations behind :func:`stage_times` (whose quartiles
    they give), e.g. for a test between segments. A customer appears for
    the pair (k, k+1) when they reached both steps in the funnel's mode (see
    :func:`funnel`); first-reach times may be negative, sequential ones not.
    Computed by :func:`~.analysis.analyze` only when named
    (``metrics=["step_times"]``).

    Parameters
    ----------
    events, journey, mapping, customer_col, time_col, event_col, segment_col
        As for every metric (module notes; :func:`~.analysis.analyze`).
    start, goal : str, optional
        Where the funnel starts and which step counts as converted: a stage
        or a touchpoint, by id or name (ids win over names); default the
        first and the last stage. The steps are the stages from the start's
        stage to the goal's; a touchpoint makes that end step "reached the
        touchpoint" (two touchpoints of one stage: a two-step funnel).
    mode : {"first_reach", "sequential"}
        How a customer reaches a step; see :func:`funnel`.

    Returns
    -------
    DataFrame
        Sorted by (segment,) customer id and step: ``segment`` (with
        ``segment_col=``), ``customer_id`` (in the input's own type), ``source_id``, ``target_id``
        (step ids: stage or touchpoint ids), ``duration`` (Timedelta).
        ``.attrs``: ``mode``, ``start``, ``goal``.

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start; a bad mapping, a missing or mistyped column, an empty log,
        no journey; with an EventLog, a closed log or a column keyword naming
        another column than the log's (see :func:`~.analysis.analyze`).
    TypeError
        A keyword the function does not take.

    Examples
    --------
    >>> from cjm_jupyter import Journey, analytics
    >>> import pandas as pd
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Aware", id="s0"); _ = j.add_stage("Buy", id="s1")
    >>> _ = j.add_touchpoint("s0", "Ad", id="t0"); _ = j.add_touchpoint("s1", "Store", id="t1")
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "b"], "event": ["ad", "buy", "ad"],
    ...                     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-02"])})
    >>> t = analytics.step_times(log, j, mapping={"ad": "t0", "buy": "t1"})
    >>> t[["customer_id", "source_id", "target_id"]].values.tolist(), str(t["duration"].iloc[0])
    ([['a', 's0', 's1']], '2 days 00:00:00')
    """
    return _one("step_times", events, journey, options, FunnelOptions)
