"""Sessionisation by inactivity gap: one ``LAG`` window per customer, in SQL both engines run.

:func:`._session_sql.session_sql` is the one definition; DuckDB runs it for pandas, Arrow,
Parquet and DuckDB inputs, Spark for a PySpark DataFrame (whose result stays
a Spark DataFrame: a log that needs Spark is not brought back to pandas).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import pandas as pd

from .._deprecate import renamed_keywords
from .._warn import warn_user
from ..errors import ValidationError
from ._session_sql import SESSION_TEMP, session_sql, temp_prefix
from .engines import SOURCE_NAME, is_spark
from .engines.base import check_id_values, customer_kind, present_id
from .engines.duckdb import checked_time_type, micros
from .engines.duckdb import quote as _quote
from .engines.duckdb import relation_of as _relation
from .eventlog import EventLog, check_columns_of

__all__ = ["sessionize", "session_sql", "temp_prefix", "SESSION_TEMP"]


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


@renamed_keywords(customer="customer_col", time="time_col")
def sessionize(
    events: Any,
    *,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    gap: Any = "30min",
) -> pd.DataFrame:
    """Split each customer's events into sessions: a new one starts after more than ``gap`` of inactivity.

    Parameters
    ----------
    events
        A pandas DataFrame, a pyarrow Table, a Parquet path or glob, a
        DuckDB relation, a PySpark DataFrame (as for the metrics), or an
        :class:`~.eventlog.EventLog`: its columns (customer, time, event,
        and segment/value when set) come back with ``session``, in the
        log's row order, from the log's copy (a PySpark DataFrame on Spark).
    customer_col, time_col : str
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
        column is not a timestamp or date; with an EventLog, a closed log or
        a column keyword naming another column than the log's.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter import analytics
    >>> log = pd.DataFrame({"customer_id": ["a", "a", "a", "b"], "timestamp": pd.to_datetime(
    ...     ["2024-01-01 10:00", "2024-01-01 10:20", "2024-01-01 12:00", "2024-01-01 09:00"])})
    >>> print(analytics.sessionize(log, gap="30min").to_string(index=False))
    customer_id           timestamp  session
              a 2024-01-01 10:00:00        1
              a 2024-01-01 10:20:00        1
              a 2024-01-01 12:00:00        2
              b 2024-01-01 09:00:00        1
    """
    customer, time = customer_col, time_col  # the roles' names below
    gap_us = _gap_us(gap)
    if isinstance(events, EventLog):
        check_columns_of(events, {"customer": customer, "time": time})
        return _sessionize_log(events, gap_us)
    if is_spark(events):
        from .engines.spark import sessionize_spark

        return sessionize_spark(events, customer=customer, time=time, gap_us=gap_us)
    rel = _relation(events)
    time_type = checked_time_type(rel, {"customer": customer, "time": time})
    if isinstance(events, pd.DataFrame):
        check_id_values(events[customer], customer)
    kind = customer_kind(str(dict(zip(rel.columns, rel.types, strict=True))[customer]), customer)
    c, t_us = present_id(_quote(customer), kind), micros(_quote(time), time_type)
    prefix = temp_prefix()
    ordinal = f"ROW_NUMBER() OVER () AS {prefix}ord"
    # A pandas frame is scanned in its row order (DuckDB keeps insertion order), so only
    # the numbers come back and are put next to a copy that keeps the frame's dtypes.
    # Any other input comes back whole from this one query: a relation need not give
    # its rows in the same order twice.
    is_pandas = isinstance(events, pd.DataFrame)
    carry = ordinal if is_pandas else f"*, {ordinal}"
    sql = session_sql(c, t_us, gap_us, prefix=prefix, carry=carry, order=True)
    found = rel.query(SOURCE_NAME, sql)
    assert found is not None  # duckdb hints query() as optional (no rows for DDL); a SELECT has rows
    result = found.df()
    session = pd.array(pd.to_numeric(result[f"{prefix}session"]), dtype="Float64").astype("Int64")
    _warn_no_session(session, customer, time, kind)
    if is_pandas:
        out = events.copy()
    else:
        out = result[[name for name in rel.columns if name != "session"]].reset_index(drop=True)
    out["session"] = pd.Series(session, index=out.index)
    return out


def _sessionize_log(log: EventLog, gap_us: int) -> Any:
    """:func:`sessionize` on an EventLog: its role columns, under the log's names, with ``session``."""
    src = log.source
    names = log.columns  # role -> the user's column name
    if src.dialect == "spark":
        from pyspark.sql import functions as F

        from .engines.spark import sessionize_spark

        # the log's frame names its columns by role; the user's names come back first
        frame = src.frame.select(*[F.col(src.column(role)).alias(name) for role, name in names.items()])
        return sessionize_spark(frame, customer=log.customer, time=log.time, gap_us=gap_us)
    prefix = temp_prefix()
    carry = ", ".join(f"{src.column(role)} AS {_quote(name)}" for role, name in names.items())
    carry += f", ROW_NUMBER() OVER () AS {prefix}ord"
    t_us = src.micros(src.column("time"), src.time_type)
    c = present_id(src.column("customer"), src.id_kind)
    sql = session_sql(c, t_us, gap_us, prefix=prefix, carry=carry, order=True)
    result = src.query(sql)
    session = pd.array(pd.to_numeric(result[f"{prefix}session"]), dtype="Float64").astype("Int64")
    _warn_no_session(session, log.customer, log.time, src.id_kind)
    out = result[list(names.values())].reset_index(drop=True)
    out["session"] = pd.Series(session, index=out.index)
    return out


def _warn_no_session(session: Any, customer: str, time: str, id_kind: str) -> None:
    """Warn about events that got no session: a null (or, for text ids, empty) customer or a null time."""
    n_null = int(pd.isna(session).sum())
    if n_null:
        what = "null or empty" if id_kind == "text" else "null"
        warn_user(f"{n_null} events with a {what} {customer!r} or a null {time!r} get no session")
