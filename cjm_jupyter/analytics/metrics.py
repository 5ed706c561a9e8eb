"""Journey metrics on an event log, computed by DuckDB in-process.

Every function takes the events (see :mod:`cjm_jupyter.analytics._inputs`
for the accepted kinds), the :class:`~cjm_jupyter.Journey` and a ``mapping``
from events to touchpoints (see :mod:`cjm_jupyter.analytics._mapping`), with
the log's column names as keywords. Each returns a tidy pandas DataFrame;
``segment="<column>"`` adds a leading ``segment`` column and computes every
row within each segment (a customer's segment is the value on its earliest
event). The result's ``.attrs`` carry ``unmapped`` (``{event: rows}`` of log
events mapped to no touchpoint) and ``dropped_null`` (rows with a null id,
time or event).
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from ..errors import ValidationError
from . import _sql
from ._inputs import prepare_events
from ._mapping import report_unmapped, resolve_mapping

__all__ = ["funnel", "transitions", "stage_times", "variants", "bounces"]


def _run(
    events: Any,
    journey: Any,
    mapping: Any,
    cols: dict[str, Any],
    build: Any,
    *,
    mapped_only: bool = True,
) -> pd.DataFrame:
    jm = resolve_mapping(mapping, journey)
    src = prepare_events(events, **cols)
    unmapped = jm.unmapped(src.event_counts)
    report_unmapped(unmapped, src.total_rows)
    out = src.query(build(_sql.base_ctes(src, jm, mapped_only=mapped_only)))
    if cols["segment"] is None:
        out = out.drop(columns="segment")
    out = out.reset_index(drop=True)
    out.attrs["unmapped"] = unmapped
    out.attrs["dropped_null"] = src.dropped_null
    return out


def _timedelta(us: pd.Series) -> pd.Series:
    return pd.to_timedelta(pd.to_numeric(us, errors="coerce").round(), unit="us")


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
    cols = {"customer": customer, "time": time, "event": event, "segment": segment}
    out = _run(events, journey, mapping, cols, _sql.funnel_sql)
    out["customers"] = out["customers"].astype("int64")
    out["drop_off"] = out["drop_off"].astype("float64")
    return out


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
    if level not in _sql.LEVELS:
        raise ValidationError(f"level must be one of {', '.join(_sql.LEVELS)}", value=level)
    cols = {"customer": customer, "time": time, "event": event, "segment": segment}
    out = _run(
        events,
        journey,
        mapping,
        cols,
        lambda base: _sql.transitions_sql(base, level, self_loops),
        mapped_only=level != "event",
    )
    out = out.rename(columns={"n": "count"})
    out["count"] = out["count"].astype("int64")
    out["customers"] = out["customers"].astype("int64")
    out["median_time"] = _timedelta(out.pop("median_us"))
    return out


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
    cols = {"customer": customer, "time": time, "event": event, "segment": segment}
    out = _run(events, journey, mapping, cols, _sql.stage_times_sql)
    out["customers"] = out["customers"].astype("int64")
    for name in ("q1", "median", "q3"):
        out[name] = _timedelta(out.pop(name + "_us"))
    return out


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
    if int(top) < 1:
        raise ValidationError("top must be at least 1", value=top)
    cols = {"customer": customer, "time": time, "event": event, "segment": segment}
    out = _run(events, journey, mapping, cols, lambda base: _sql.variants_sql(base, top))
    out = out.rename(columns={"n": "count"})
    for name in ("rank", "length", "count"):
        out[name] = out[name].astype("int64")
    return out


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
    cols = {"customer": customer, "time": time, "event": event, "segment": segment}
    out = _run(events, journey, mapping, cols, _sql.bounces_sql)
    out["customers"] = out["customers"].astype("int64")
    out["bounces"] = out["bounces"].astype("int64")
    return out
