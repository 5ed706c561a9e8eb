"""Sessionisation by inactivity gap, in DuckDB SQL (one ``LAG`` window per customer)."""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import Any

import pandas as pd

from ..errors import ValidationError
from ._inputs import SOURCE_NAME, _quote, _relation

__all__ = ["sessionize"]


def _gap_us(gap: Any) -> int:
    if isinstance(gap, bool) or not isinstance(gap, str | _dt.timedelta | pd.Timedelta):
        raise ValidationError(
            "gap must be a duration such as '30min' or a timedelta", column="gap", value=gap, has_value=True
        )
    try:
        td = pd.Timedelta(gap)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"gap is not a duration ({exc})", column="gap", value=gap) from exc
    if pd.isna(td) or td <= pd.Timedelta(0):
        raise ValidationError("gap must be a positive duration", column="gap", value=gap, has_value=True)
    return int(td / pd.Timedelta(microseconds=1))


def sessionize(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    gap: Any = "30min",
) -> pd.DataFrame:
    """Number each customer's sessions: a new session starts after more than ``gap`` of inactivity.

    Parameters
    ----------
    events
        A pandas DataFrame, a pyarrow Table, a Parquet path or glob, or a
        DuckDB relation (as for the metrics).
    customer, time : str
        Column names of the customer id and the timestamp (or date).
    gap : str or timedelta
        The inactivity threshold (``"30min"``, ``pd.Timedelta(hours=1)``...),
        strictly positive. Two consecutive events of a customer are in the same
        session when the time between them is at most ``gap``.

    Returns
    -------
    DataFrame
        The events with a ``session`` column (nullable ``Int64``): the session
        number **within the customer**, 1, 2, ... in time order (so a session
        is identified by ``(customer, session)``). Events at the same instant
        share a session. Rows whose customer or time is null are kept with
        session ``<NA>`` (and a warning). Row order is the input's. A pandas
        input is copied and keeps its dtypes (an existing ``session`` column is
        replaced); other inputs are returned as DuckDB converts them.

    Raises
    ------
    ValidationError
        ``gap`` is not a positive duration, a column is missing, or the time
        column is not a timestamp or date.
    """
    gap_us = _gap_us(gap)
    rel = _relation(events)
    types = {n: str(k).upper() for n, k in zip(rel.columns, rel.types, strict=True)}
    for role, name in (("customer", customer), ("time", time)):
        if name not in types:
            raise ValidationError(
                f"the event log has no {role} column {name!r}; pass {role}=<column name>",
                frame="events",
                column=name,
            )
    if not types[time].startswith(("TIMESTAMP", "DATE")):
        raise ValidationError(
            f"the time column must hold timestamps or dates, got {types[time]}", frame="events", column=time
        )
    c, t = _quote(customer), _quote(time)
    t_us = f"epoch_us(CAST({t} AS TIMESTAMP))" if types[time] == "DATE" else f"epoch_us({t})"
    # __ord keeps the input order (DuckDB preserves insertion order for a scan).
    sql = f"""
WITH base AS (
  SELECT ROW_NUMBER() OVER () AS __ord, {c} AS __c, {t_us} AS __t FROM {SOURCE_NAME}
),
lagged AS (
  SELECT __ord, __c, __t,
    CASE WHEN LAG(__t) OVER (PARTITION BY __c ORDER BY __t NULLS LAST) IS NULL
           OR __t - LAG(__t) OVER (PARTITION BY __c ORDER BY __t NULLS LAST) > {gap_us}
         THEN 1 ELSE 0 END AS __new
  FROM base
)
SELECT __ord,
  CASE WHEN __c IS NULL OR __t IS NULL THEN NULL
       ELSE SUM(__new) OVER (PARTITION BY __c ORDER BY __t NULLS LAST
                             RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS session
FROM lagged ORDER BY __ord"""
    sess = rel.query(SOURCE_NAME, sql).df()
    session = pd.array(pd.to_numeric(sess["session"]), dtype="Float64").astype("Int64")
    n_null = int(pd.isna(session).sum())
    if n_null:
        warnings.warn(
            f"{n_null} events with a null {customer!r} or {time!r} get no session", UserWarning, stacklevel=2
        )
    # a non-pandas input is read back in the same scan order as the query above
    out = events.copy() if isinstance(events, pd.DataFrame) else rel.df()
    out["session"] = pd.Series(session, index=out.index)
    return out
