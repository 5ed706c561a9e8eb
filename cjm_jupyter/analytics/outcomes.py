"""Business outcomes on an event log: retention after the goal, cohorts, revenue and order value.

Each function runs a few grouped queries on the log's own engine (DuckDB or
Spark, through :func:`.engines.prepare_events`): the log is never loaded into
pandas, only per-customer or per-place aggregates come back. Conventions as
in :mod:`.metrics`: a customer's segment is the value on their earliest event
(``"(missing)"`` when null), identical rows count once, events mapped to no
touchpoint belong to no stage.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._deprecate import renamed_keywords
from ..errors import ValidationError
from ._mapping import JourneyMapping, report_unmapped, resolve_mapping
from ._renames import LOG_COLUMNS
from ._sql import JourneySQL, earliest, values_list
from ._steps import resolve_goal
from .engines import Source
from .eventlog import EventLog, LogColumns, events_sql, for_call, opened

__all__ = ["retention", "retention_cohorts", "revenue", "goal_place"]

_US_PER_DAY = 86_400_000_000


@dataclass(frozen=True)
class GoalPlace:
    """Where a customer converts: a stage or one touchpoint, and the events mapped there."""

    kind: str  # "stage" or "touchpoint"
    id: str
    name: str
    stage_id: str
    events: tuple[str, ...]


def goal_place(jm: JourneyMapping, goal: str | None) -> GoalPlace:
    """Resolve ``goal`` (a stage or touchpoint, by id or name; default the last stage).

    The funnel's rule (:func:`._steps.resolve_goal`): ids before names,
    stages before touchpoints, an ambiguous name refused.

    Raises
    ------
    ValidationError
        ``goal`` names no stage or touchpoint, or several; or no event maps to it.
    """
    js = JourneySQL(jm)
    step = resolve_goal(js, goal)
    place_tps = {js.tp_ids[tp] for tp in step.tps}
    events = tuple(sorted(jm.events.loc[jm.events["touchpoint_id"].isin(place_tps), "event"].astype(str)))
    kind = "touchpoint" if step.touchpoint else "stage"
    if not events:
        raise ValidationError(
            f"no event maps to the goal {kind} {step.label!r}: map one with journey.map_events",
            column="goal",
            value=goal if goal is not None else step.step_id,
        )
    return GoalPlace(kind, step.step_id, step.label, step.stage_id, events)


def _month(dialect: str, t_us: str) -> str:
    """DIALECT: the calendar month of epoch microseconds as ``year * 12 + month - 1`` (UTC)."""
    ts = f"timestamp_micros({t_us})" if dialect == "spark" else f"make_timestamp({t_us})"
    return f"(year({ts}) * 12 + month({ts}) - 1)"


def _goal_sql(src: Any, place: GoalPlace, segmented: bool, month: bool = False) -> str:
    """CTEs ``e`` (the projection), ``cust`` (customer -> segment) and ``g`` (distinct goal events)."""
    names = pd.DataFrame({"event": list(place.events)})
    extra = f", {_month(src.dialect, 't_us')} AS m" if month else ""
    return (
        f"WITH e AS ({events_sql(src, segmented)}), "
        f"goalev AS (SELECT * FROM {values_list(names, ('event',), 's', src.dialect)} AS v(event)), "
        f"cust AS (SELECT customer_id, {earliest(src.dialect, 'segment', 't_us')} AS segment "
        "FROM e GROUP BY customer_id), "
        f"g AS (SELECT DISTINCT e.customer_id, e.t_us{extra} FROM e JOIN goalev ON e.event = goalev.event)"
    )


@contextmanager
def _common(
    events: Any, journey: Any, mapping: Any, goal: str | None, cols: LogColumns
) -> Iterator[tuple[Source, GoalPlace, JourneyMapping]]:
    """Open the log's source (an EventLog's or a temporary one's), the goal and the mapping, for a block."""
    # the goal is checked before the log is scanned: a typo fails at once
    journey, own_mapping = for_call(events, journey, mapping, **cols)
    jm = resolve_mapping(own_mapping, journey)
    place = goal_place(jm, goal)
    with opened(events, mapping=mapping, **cols) as log:
        src = log.source
        report_unmapped(jm.unmapped(src.event_counts), src.total_rows - src.dropped_null)
        yield src, place, jm


def _days(within_days: Any) -> float:
    if isinstance(within_days, bool) or not isinstance(within_days, int | float) or not within_days > 0:
        raise ValidationError(
            "within_days must be a number of days > 0",
            column="within_days",
            value=within_days,
            has_value=True,
        )
    return float(within_days)


def _min_gap_us(min_gap: Any) -> int:
    try:
        gap = pd.Timedelta(min_gap)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            'min_gap must be a duration such as "1h" or "0s"', column="min_gap", value=min_gap, has_value=True
        ) from exc
    if pd.isna(gap) or gap < pd.Timedelta(0):
        raise ValidationError(
            "min_gap must be a duration >= 0", column="min_gap", value=min_gap, has_value=True
        )
    return int(gap / pd.Timedelta(microseconds=1))


@renamed_keywords(**LOG_COLUMNS)
def retention(
    events: Any,
    journey: Any = None,
    *,
    goal: str | None = None,
    within_days: float = 90,
    min_gap: Any = "0s",
    mapping: Any = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    segment_col: str | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of converted customers who come back to the goal within ``within_days`` days.

    A customer **converted** when they have an event mapped to the goal
    (``goal``: a stage or a touchpoint, by id or name; default the last
    stage). They are **retained** when they have another goal event later
    than ``min_gap`` after their first one and at most ``within_days`` days
    after it. ``min_gap`` (default ``"0s"``: any later event) keeps one
    visit's several events from counting as a return: with a goal stage of
    several pages, pass e.g. ``min_gap="1D"``, or make the goal the purchase
    touchpoint.

    Customers whose first goal event lies less than ``within_days`` before the
    log's last event had less time to come back: they are counted in
    ``censored`` and included (so the share is a lower bound for them).

    Parameters
    ----------
    events
        The event log (any input the metrics take, PySpark included).
    journey : Journey
        The map; with ``mapping`` (default: ``journey.event_map``) it says
        which events are goal events.
    goal : str, optional
        Stage or touchpoint (id or name); default: the last stage. Resolved
        as the funnel's ``goal``: ids before names, stages before
        touchpoints; a name several stages or touchpoints share needs the id.
    within_days : float
        The return window in days, > 0.
    min_gap : str or Timedelta
        Minimum time after the first goal event for a return to count.
    mapping, customer_col, time_col, event_col, segment_col
        As in :func:`~cjm_jupyter.analytics.funnel`.
    level : float
        Level of the Wilson interval (``analytics.stats``, the ``stats`` extra).

    Returns
    -------
    DataFrame
        One row (per segment, every segment of the log): ``segment`` (with
        ``segment_col=``), ``goal_id``, ``goal``, ``within_days``, ``customers``
        (all customers), ``converted``, ``retained``, ``retention``
        (retained / converted; NaN when nobody converted), ``ci_low``,
        ``ci_high`` (Wilson), ``censored``. ``.attrs``: ``goal_kind``,
        ``min_gap``, ``level``, ``dropped_null``, ``unmapped``.

    Raises
    ------
    ValidationError
        A bad argument, log or mapping; an unknown or ambiguous goal (the
        funnel's message), or one without mapped events.
    ImportError
        statsmodels missing (the Wilson interval): ``pip install "cjm_jupyter[stats]"``.

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, repeat_rate=0.3, seed=1)
    >>> r = retention(log, j, within_days=365, min_gap="1D")
    >>> int(r["converted"].iloc[0]) > int(r["retained"].iloc[0]) > 0
    True
    """
    from .stats import wilson_interval

    days, gap = _days(within_days), _min_gap_us(min_gap)
    customer, time, event, segment = customer_col, time_col, event_col, segment_col  # the roles' names below
    cols: LogColumns = {"customer": customer, "time": time, "event": event, "segment": segment}
    with _common(events, journey, mapping, goal, cols) as (src, place, jm):
        window = round(days * _US_PER_DAY)
        sql = (
            f"{_goal_sql(src, place, segment is not None)}, "
            "f AS (SELECT customer_id, MIN(t_us) AS first_us FROM g GROUP BY customer_id), "
            f"r AS (SELECT f.customer_id, f.first_us, MAX(CASE WHEN g.t_us > f.first_us + {gap} "
            f"AND g.t_us <= f.first_us + {window} THEN 1 ELSE 0 END) AS back "
            "FROM f JOIN g ON g.customer_id = f.customer_id GROUP BY f.customer_id, f.first_us), "
            "last AS (SELECT MAX(t_us) AS last_us FROM e) "
            "SELECT cust.segment, COUNT(*) AS customers, COUNT(r.customer_id) AS converted, "
            "COALESCE(SUM(r.back), 0) AS retained, "
            f"SUM(CASE WHEN r.first_us + {window} > last.last_us THEN 1 ELSE 0 END) AS censored "
            "FROM cust LEFT JOIN r ON r.customer_id = cust.customer_id CROSS JOIN last GROUP BY cust.segment"
        )
        table = src.query(sql).sort_values("segment", kind="stable", ignore_index=True)
        out = pd.DataFrame({"segment": table["segment"].astype(str)})
        out["goal_id"], out["goal"], out["within_days"] = place.id, place.name, days
        for col in ("customers", "converted", "retained", "censored"):
            out[col] = table[col].fillna(0).astype("int64").to_numpy()
        out["retention"] = out["retained"] / out["converted"].where(out["converted"] > 0).astype("float64")
        low, high = wilson_interval(out["retained"].to_numpy(), out["converted"].to_numpy(), level=level)
        out["ci_low"], out["ci_high"] = np.asarray(low, dtype="float64"), np.asarray(high, dtype="float64")
        out = out[["segment", "goal_id", "goal", "within_days", "customers", "converted", "retained",
                   "retention", "ci_low", "ci_high", "censored"]]  # fmt: skip
        if segment is None:
            out = out.drop(columns="segment")
        out.attrs.update(goal_kind=place.kind, min_gap=pd.Timedelta(microseconds=gap), level=level)
        return _stamped(out, src, jm)


def _stamped(out: pd.DataFrame, src: Any, jm: JourneyMapping) -> pd.DataFrame:
    out.attrs["dropped_null"] = src.dropped_null
    out.attrs["unmapped"] = jm.unmapped(src.event_counts)
    return out


def _month_label(m: pd.Series) -> pd.Series:
    m = m.astype("int64")
    return (m // 12).astype(str) + "-" + (m % 12 + 1).map("{:02d}".format)


@renamed_keywords(**LOG_COLUMNS)
def retention_cohorts(
    events: Any,
    journey: Any = None,
    *,
    goal: str | None = None,
    mapping: Any = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    segment_col: str | None = None,
) -> pd.DataFrame:
    """Cohort table: of the customers who first reached the goal in a month, the share active k months later.

    A customer's **cohort** is the calendar month (UTC) of their first goal
    event (``goal`` as in :func:`retention`). Their cohort's share at
    ``months_since`` = k is the share of its customers with a goal event in
    the k-th calendar month after the cohort month (k = 0 is the cohort
    month itself: 1.0 by definition). Every cohort gets a row for each k up
    to the month of the log's last event (0 where nobody came back), so a
    heat map can be drawn straight from the frame.

    Parameters
    ----------
    events
        The event log (any input the metrics take, an EventLog or a PySpark
        DataFrame included).
    journey : Journey
        The map; with ``mapping`` (default: ``journey.event_map``) it says
        which events are goal events. May be left out with an EventLog made
        with one.
    goal : str, optional
        Stage or touchpoint (id or name); default: the last stage; resolved
        as in :func:`retention`.
    mapping, customer_col, time_col, event_col, segment_col
        As in :func:`~cjm_jupyter.analytics.funnel`.

    Returns
    -------
    DataFrame
        Tidy, one row per (segment,) cohort and month since: ``segment``
        (with ``segment_col=``), ``cohort`` (``"YYYY-MM"``), ``months_since``,
        ``n`` (customers in the cohort), ``retained`` (of them, with a goal
        event that month), ``share`` (retained / n). Empty (these columns)
        when nobody reached the goal. ``.attrs``: ``goal_id``, ``goal``,
        ``goal_kind``, ``dropped_null``, ``unmapped``.

    Raises
    ------
    ValidationError
        As :func:`retention`.

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, repeat_rate=0.3, days=90, seed=1)
    >>> c = retention_cohorts(log, j)
    >>> list(c.columns), set(c.loc[c["months_since"] == 0, "share"])
    (['cohort', 'months_since', 'n', 'retained', 'share'], {1.0})
    """
    customer, time, event, segment = customer_col, time_col, event_col, segment_col  # the roles' names below
    cols: LogColumns = {"customer": customer, "time": time, "event": event, "segment": segment}
    with _common(events, journey, mapping, goal, cols) as (src, place, jm):
        month = _month(src.dialect, "t_us")
        sql = (
            f"{_goal_sql(src, place, segment is not None, month=True)}, "
            "f AS (SELECT customer_id, MIN(m) AS m0 FROM g GROUP BY customer_id), "
            "gm AS (SELECT DISTINCT customer_id, m FROM g) "
            "SELECT cust.segment, f.m0 AS cohort, gm.m - f.m0 AS months_since, COUNT(*) AS retained, "
            f"(SELECT MAX({month}) FROM e) AS last_m "
            "FROM f JOIN gm ON gm.customer_id = f.customer_id JOIN cust ON cust.customer_id = f.customer_id "
            "GROUP BY cust.segment, f.m0, gm.m - f.m0"
        )
        table = src.query(sql)
        columns = ["segment", "cohort", "months_since", "n", "retained", "share"]
        if table.empty:
            out = pd.DataFrame({c: pd.Series(dtype="object" if c in ("segment", "cohort") else "int64")
                                for c in columns}).astype({"share": "float64"})  # fmt: skip
        else:
            table["segment"] = table["segment"].astype(str)
            last = int(table["last_m"].max())
            sizes = table[table["months_since"] == 0].set_index(["segment", "cohort"])["retained"]
            grid = pd.DataFrame(
                [(s, c, k) for (s, c) in sizes.index for k in range(last - int(c) + 1)],
                columns=["segment", "cohort", "months_since"],
            )
            grid["n"] = sizes.reindex(pd.MultiIndex.from_frame(grid[["segment", "cohort"]])).to_numpy()
            out = grid.merge(table[["segment", "cohort", "months_since", "retained"]], how="left",
                             on=["segment", "cohort", "months_since"])  # fmt: skip
            out["retained"] = out["retained"].fillna(0).astype("int64")
            out["n"] = out["n"].astype("int64")
            out["share"] = out["retained"] / out["n"]
            out = out.sort_values(["segment", "cohort", "months_since"], kind="stable", ignore_index=True)
            out["cohort"] = _month_label(out["cohort"])
            out = out[columns]
        if segment is None:
            out = out.drop(columns="segment")
        out.attrs.update(goal_id=place.id, goal=place.name, goal_kind=place.kind)
        return _stamped(out, src, jm)


@renamed_keywords(**LOG_COLUMNS, value="value_col")
def revenue(
    events: Any,
    journey: Any = None,
    *,
    value_col: str = "value",
    by: Literal["stage", "touchpoint"] = "stage",
    mapping: Any = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    segment_col: str | None = None,
) -> pd.DataFrame:
    """Revenue, orders and average order value per stage (or touchpoint) from a ``value`` column.

    An **order** is an event with a non-null ``value`` (identical rows,
    value included, count once); its stage and touchpoint are those of its
    event. Values are summed as they are: refunds may be negative, and the
    currency is whatever the column holds.

    Parameters
    ----------
    events
        The event log (any input the metrics take, PySpark included).
    journey : Journey
        The map: rows are its stages (or touchpoints) in journey order.
    value_col : str
        The numeric column holding each event's amount (null = no order).
    by : {"stage", "touchpoint"}
        One row per stage or per touchpoint.
    mapping, customer_col, time_col, event_col, segment_col
        As in :func:`~cjm_jupyter.analytics.funnel`.

    Returns
    -------
    DataFrame
        One row per stage (or touchpoint) and segment, in journey order,
        places without orders included: ``segment`` (with ``segment_col=``),
        ``stage_id``, ``stage``, [``touchpoint_id``, ``touchpoint``],
        ``revenue`` (sum; 0.0 without orders), ``orders``, ``aov`` (revenue /
        orders; NaN without orders), ``customers`` (distinct customers with
        an order there). ``.attrs``: ``total_revenue``, ``total_orders``
        (all orders, mapped or not), ``unmapped_revenue``, ``unmapped_orders``
        (orders on events mapped to no touchpoint, in no row), ``value``,
        ``dropped_null``, ``unmapped``.

    Raises
    ------
    ValidationError
        No such ``value`` column, not numeric, or null on every row; a bad
        ``by``, log or mapping.

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, values=True, seed=1)
    >>> r = revenue(log, j)
    >>> bool((r["aov"].dropna() > 0).all()), r.attrs["total_orders"] == int(r["orders"].sum())
    (True, True)
    """
    if by not in ("stage", "touchpoint"):
        raise ValidationError("by must be 'stage' or 'touchpoint'", column="by", value=by)
    customer, time, event, segment, value = customer_col, time_col, event_col, segment_col, value_col  # roles
    cols: LogColumns = {"customer": customer, "time": time, "event": event, "segment": segment}
    journey, own_mapping = for_call(events, journey, mapping, **cols)
    if isinstance(events, EventLog) and value == "value":  # the default: the log's own value column
        value = events.value
        if value is None:
            raise ValidationError(
                "this EventLog has no value column: make it with EventLog(..., value_col=<amounts column>)",
                column="value",
            )
    if value is None:  # prepare_events' None means "no value column"; revenue needs one
        raise ValidationError(
            "value_col must name the event log's column of amounts", column="value", has_value=True
        )
    jm = resolve_mapping(own_mapping, journey)
    with opened(events, mapping=mapping, value=value, **cols) as log:
        src = log.source
        report_unmapped(jm.unmapped(src.event_counts), src.total_rows - src.dropped_null)
        return _revenue(src, jm, by, value, segment is not None)


def _revenue(src: Source, jm: JourneyMapping, by: str, value: str, segmented: bool) -> pd.DataFrame:
    """:func:`revenue` on a prepared source (its projection carries ``value``)."""
    place = "stage_id" if by == "stage" else "touchpoint_id"
    tps = jm.touchpoints.astype({"touchpoint_id": str, "stage_id": str})
    emap = jm.events.astype(str).merge(tps[["touchpoint_id", "stage_id"]], on="touchpoint_id")
    d = src.dialect
    # a float SUM depends on the order rows arrive in, which parallel scans change from run to run;
    # DuckDB's fsum (compensated) gives the same total every run, Spark has no equivalent
    total = "SUM" if d == "spark" else "fsum"
    sql = (
        f"WITH e AS ({events_sql(src, segmented)}), "
        f"mapping AS (SELECT * FROM {values_list(emap, ('event', place), 'ss', d)} AS v(event, place)), "
        f"cust AS (SELECT customer_id, {earliest(d, 'segment', 't_us')} AS segment "
        "FROM e GROUP BY customer_id), "
        "o AS (SELECT DISTINCT customer_id, t_us, event, value FROM e WHERE value IS NOT NULL) "
        f"SELECT cust.segment, mapping.place, {total}(o.value) AS revenue, COUNT(*) AS orders, "
        "COUNT(DISTINCT o.customer_id) AS customers, 1 AS has_orders "
        "FROM o JOIN cust ON cust.customer_id = o.customer_id LEFT JOIN mapping ON mapping.event = o.event "
        "GROUP BY cust.segment, mapping.place "
        "UNION ALL SELECT DISTINCT segment, CAST(NULL AS STRING), CAST(NULL AS DOUBLE), 0, 0, 0 FROM cust"
    )
    table = src.query(sql)
    table["segment"] = table["segment"].astype(str)
    orders = table[table["has_orders"] == 1]
    if orders.empty:
        raise ValidationError(
            f"the value column {value!r} is null on every row: no order to measure",
            frame="events",
            column=value,
        )
    mapped = orders[orders["place"].notna()].astype({"place": str})
    unmapped = orders[orders["place"].isna()]
    grid = _places(jm, by)
    segments = sorted(table["segment"].unique()) if segmented else ["All"]
    grid = pd.concat([grid.assign(segment=s) for s in segments], ignore_index=True)
    out = grid.merge(
        mapped.rename(columns={"place": place})[["segment", place, "revenue", "orders", "customers"]],
        on=["segment", place], how="left",
    )  # fmt: skip
    out["revenue"] = out["revenue"].fillna(0.0).astype("float64")
    for col in ("orders", "customers"):
        out[col] = out[col].fillna(0).astype("int64")
    out["aov"] = out["revenue"] / out["orders"].where(out["orders"] > 0).astype("float64")
    keys = ["stage_id", "stage"] + (["touchpoint_id", "touchpoint"] if by == "touchpoint" else [])
    out = out[["segment", *keys, "revenue", "orders", "aov", "customers"]]
    if not segmented:
        out = out.drop(columns="segment")
    out.attrs.update(
        # math.fsum is exact, so the totals do not depend on the order of the groups
        total_revenue=math.fsum(orders["revenue"]),
        total_orders=int(orders["orders"].sum()),
        unmapped_revenue=math.fsum(unmapped["revenue"]),
        unmapped_orders=int(unmapped["orders"].sum()),
        value=value,
    )
    return _stamped(out, src, jm)


def _places(jm: JourneyMapping, by: str) -> pd.DataFrame:
    """List the journey's stages (or touchpoints), in journey order, with ids as text."""
    stages = jm.stages.astype({"stage_id": str}).reset_index(drop=True)
    if by == "stage":
        return stages[["stage_id", "stage"]]
    tps = jm.touchpoints.astype({"touchpoint_id": str, "stage_id": str})
    grid = stages.merge(tps, on="stage_id").sort_values(["stage_order", "tp_order"], kind="stable")
    return grid[["stage_id", "stage", "touchpoint_id", "touchpoint"]].reset_index(drop=True)
