"""Sessionisation by inactivity gap: one ``LAG`` window per customer, in SQL both engines run.

:func:`session_sql` is the one definition; DuckDB runs it for pandas, Arrow,
Parquet and DuckDB inputs, Spark for a PySpark DataFrame (whose result stays
a Spark DataFrame: a log that needs Spark is not brought back to pandas).
"""

from __future__ import annotations

import datetime as _dt
import warnings
from typing import Any

import pandas as pd

from ..errors import ValidationError
from ._inputs import SOURCE_NAME, _quote, _relation

__all__ = ["sessionize", "session_sql"]


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


def session_sql(
    customer: str, t_us: str, gap_us: int, *, carry: tuple[str, str], order: str | None = None
) -> str:
    """The sessionisation query over ``events_src`` (DuckDB and Spark SQL alike).

    Parameters
    ----------
    customer
        Quoted customer column.
    t_us
        The engine's expression for the time in epoch microseconds.
    gap_us
        Inactivity threshold in microseconds (a new session when strictly greater).
    carry
        (expressions selected from the source, names selected at the end):
        what the result keeps next to ``session``.
    order
        Optional ORDER BY of the result.
    """
    window = "PARTITION BY __c ORDER BY __t NULLS LAST"
    return f"""
WITH base AS (
  SELECT {carry[0]}, {customer} AS __c, {t_us} AS __t FROM {SOURCE_NAME}
),
lagged AS (
  SELECT *,
    CASE WHEN LAG(__t) OVER ({window}) IS NULL OR __t - LAG(__t) OVER ({window}) > {gap_us}
         THEN 1 ELSE 0 END AS __new
  FROM base
)
SELECT {carry[1]},
  CASE WHEN __c IS NULL OR __t IS NULL THEN NULL
       ELSE SUM(__new) OVER ({window} RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS session
FROM lagged{f" ORDER BY {order}" if order else ""}"""


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
        A pandas DataFrame, a pyarrow Table, a Parquet path or glob, a
        DuckDB relation, or a PySpark DataFrame (as for the metrics).
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
        replaced); other inputs are returned as DuckDB converts them, except
        a PySpark DataFrame: its result is a PySpark DataFrame with the
        ``session`` column (``BIGINT``, null where the customer or time is
        null; no warning, which would need a Spark job) and any order.

    Raises
    ------
    ValidationError
        ``gap`` is not a positive duration, a column is missing, or the time
        column is not a timestamp or date.
    """
    gap_us = _gap_us(gap)
    if type(events).__module__.startswith("pyspark"):  # detected without importing pyspark
        from ._spark import sessionize_spark

        return sessionize_spark(events, customer=customer, time=time, gap_us=gap_us)
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
    sql = session_sql(c, t_us, gap_us, carry=("ROW_NUMBER() OVER () AS __ord", "__ord"), order="__ord")
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
