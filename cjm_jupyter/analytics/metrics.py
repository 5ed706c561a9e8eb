"""Journey metrics on an event log, computed by DuckDB in-process (or Spark).

Every function takes the events (see :mod:`cjm_jupyter.analytics._inputs`
for the accepted kinds), the :class:`~cjm_jupyter.Journey` and a ``mapping``
from events to touchpoints (see :mod:`cjm_jupyter.analytics._mapping`), with
the log's column names as keywords. Each returns a tidy pandas DataFrame;
``segment="<column>"`` adds a leading ``segment`` column and computes every
row within each segment (a customer's segment is the value on its earliest
event, mapped or not; null reads ``"(missing)"``; a tie at that time takes the
smallest value). The result's ``.attrs`` carry ``unmapped`` (``{event: rows}`` of log
events mapped to no touchpoint) and ``dropped_null`` (rows with a null id,
time or event).

Each function is :func:`~.analysis.analyze` with one metric name, so the
definitions (SQL in :mod:`._sql`, result tidying in :mod:`._catalog`) are the
ones :func:`~.analysis.analyze` runs when it computes several metrics in one
pass.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from .analysis import analyze

__all__ = [
    "funnel",
    "transitions",
    "stage_times",
    "variants",
    "bounces",
    "stage_durations",
    "customer_profiles",
]


def funnel(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """Customers reaching each stage, in journey stage order.

    **First-reach semantics**: a customer counts for a stage when they have at
    least one event mapped to one of its touchpoints, whatever the order and
    whether or not they reached the earlier stages. The counts therefore need
    not decrease along the funnel (conversion may exceed 1).

    Returns
    -------
    DataFrame
        One row per stage (and segment), in stage order: ``segment`` (with
        ``segment=``), ``stage_id``, ``stage`` (name), ``customers``,
        ``conversion`` (customers / previous stage's; first: NaN),
        ``conversion_from_start`` (customers / first stage's), ``drop_off``
        (previous stage's customers minus customers; first: NaN). Ready for
        :func:`cjm_jupyter.plots.funnel.funnel`.
    """
    return analyze(
        events,
        journey,
        metrics=("funnel",),
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["funnel"]


def transitions(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    level: Literal["stage", "touchpoint", "event"] = "stage",
    self_loops: bool = False,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """Directly-follows transitions between stages, touchpoints or events.

    Each customer's events are ordered by time (ties: stage order, touchpoint
    order, event name). Consecutive events at the same node (stage,
    touchpoint or event) form one run; a transition goes from the last event
    of a run to the first event of the next, and its time is the gap between
    those two events. ``self_loops=True`` also counts node -> same node steps.
    At ``stage``/``touchpoint`` level only mapped events take part; at
    ``event`` level every event of the log does, mapped or not.

    Returns
    -------
    DataFrame
        One row per (source, target): ``segment`` (with ``segment=``),
        ``source``, ``target`` (stage ids, touchpoint ids or event names),
        ``count``, ``customers`` (distinct customers), ``median_time``
        (Timedelta). Ready for :func:`cjm_jupyter.plots.flow.flow` (pass
        ``journey=`` there to show names).
    """
    return analyze(
        events,
        journey,
        metrics=("transitions",),
        level=level,
        self_loops=self_loops,
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["transitions"]


def stage_times(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """Time between first reaching consecutive stages (journey order).

    For each pair of consecutive journey stages (k, k+1), over the customers
    who reached both: first time at stage k+1 minus first time at stage k.
    A customer who reached k+1 first gives a negative time (kept, so the
    spread shows out-of-order journeys).

    Returns
    -------
    DataFrame
        One row per stage pair (and segment): ``segment`` (with
        ``segment=``), ``source_id``, ``source``, ``target_id``, ``target``,
        ``customers``, ``q1``, ``median``, ``q3`` (Timedelta; NaT without
        customers).
    """
    return analyze(
        events,
        journey,
        metrics=("stage_times",),
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["stage_times"]


def variants(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    top: int = 10,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """The most frequent stage paths, consecutive repeats collapsed.

    A customer's path is the sequence of stages of its mapped events in time
    order, with consecutive repeats collapsed (A A B A -> A > B > A).
    Customers without a mapped event have no path.

    Returns
    -------
    DataFrame
        The ``top`` paths (per segment) by count, ties by path: ``segment``
        (with ``segment=``), ``rank`` (1-based), ``variant`` (stage names
        joined by " > "), ``path`` (stage ids joined by " > "), ``length``,
        ``count`` (customers), ``share`` (of customers with a path),
        ``conversion`` (share of them whose path reaches the journey's last
        stage).
    """
    return analyze(
        events,
        journey,
        metrics=("variants",),
        top=top,
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["variants"]


def bounces(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """Where customers stop: customers whose last mapped event is at each touchpoint.

    The last event is the latest mapped event (ties: the later in journey
    order). Customers who finish the journey also "bounce" at its last
    touchpoint; read the rate of the final touchpoint as completion.

    Returns
    -------
    DataFrame
        One row per touchpoint (and segment), in journey order: ``segment``
        (with ``segment=``), ``stage_id``, ``stage``, ``touchpoint_id``,
        ``touchpoint``, ``customers`` (who visited it), ``bounces`` (whose
        last event is there), ``bounce_rate`` (bounces / customers).
    """
    return analyze(
        events,
        journey,
        metrics=("bounces",),
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["bounces"]


def stage_durations(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """Time in stage: how long customers stay in each stage before leaving it.

    For a customer and a stage they reached, the time in stage runs **from
    their first event in the stage until they leave it for good**: the time of
    their first event after their last event in that stage (mapped events
    only, ordered as in :func:`transitions`). Visits to other stages in
    between count as time in the stage (so A B A C gives A the span from the
    first A to C). A customer whose log ends in the stage has not been seen
    leaving: they are counted in ``still_in`` and left out of the quartiles
    (their time is censored, not zero).

    Returns
    -------
    DataFrame
        One row per stage (and segment), in stage order: ``segment`` (with
        ``segment=``), ``stage_id``, ``stage``, ``customers`` (who reached and
        left the stage), ``still_in`` (who reached it and did not leave),
        ``q1``, ``median``, ``q3`` (Timedelta over ``customers``; NaT without
        any).
    """
    return analyze(
        events,
        journey,
        metrics=("stage_durations",),
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["stage_durations"]


def customer_profiles(
    events: Any,
    journey: Any,
    *,
    mapping: Any = None,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> pd.DataFrame:
    """One row per customer: how far they got, where they stopped, how long and how much.

    The building block for segmenting customers by behaviour: derive a label
    from these columns (rules, or a clustering library), join it to the log
    and pass it as ``segment=`` to any metric to compare the segments'
    journeys.

    Customers with no mapped event are left out (their events belong to no
    stage; see ``.attrs["unmapped"]``). Events are the de-duplicated mapped
    ones, as for every metric.

    Returns
    -------
    DataFrame
        Sorted by (segment and) customer id: ``segment`` (with ``segment=``;
        from the customer's earliest event of any kind, as for every metric),
        ``customer_id`` (as text, whatever the input's type: join a label back
        on ``log[customer].astype(str)``), ``first_seen`` and ``last_seen`` (first
        and last mapped event, tz-aware UTC instants; naive input times are
        read as UTC), ``duration`` (their difference), ``events``, ``stages``
        (distinct stages reached), ``furthest_stage_id`` / ``furthest_stage``
        (the latest stage in journey order reached, not necessarily the last
        visited), ``last_touchpoint_id`` / ``last_touchpoint`` (of the last
        event; ties at the last time: the later in journey order, as in
        :func:`bounces`) and ``converted`` (reached the journey's last stage).

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
    return analyze(
        events,
        journey,
        metrics=("customer_profiles",),
        mapping=mapping,
        customer=customer,
        time=time,
        event=event,
        segment=segment,
    )["customer_profiles"]
