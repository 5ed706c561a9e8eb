"""The sessionisation query, one text both engines run (:func:`session_sql`).

Kept apart from :mod:`.sessions` (the public :func:`~.sessions.sessionize`) so
that the Spark engine can run it without importing the metric layer.
"""

from __future__ import annotations

import uuid

from .engines.base import SOURCE_NAME

__all__ = ["session_sql", "temp_prefix", "SESSION_TEMP"]


#: columns :func:`session_sql` adds next to the carried ones (after its ``prefix``)
SESSION_TEMP = ("c", "t", "new")


def session_sql(customer: str, t_us: str, gap_us: int, *, prefix: str, carry: str, order: bool) -> str:
    """Build the sessionisation query over ``events_src`` (DuckDB and Spark SQL alike).

    Parameters
    ----------
    customer
        SQL expression of the customer id.
    t_us
        SQL expression of the time in epoch microseconds (the engine's spelling).
    gap_us
        Inactivity threshold in microseconds (a new session when strictly greater).
    prefix
        Prefix of the query's own column names, unique per call so that no
        input column can clash: it adds ``<prefix>c``, ``<prefix>t``,
        ``<prefix>new`` (:data:`SESSION_TEMP`) and the result ``<prefix>session``.
    carry
        What is selected from the source next to them (``*``, and/or a row
        number ``<prefix>ord``).
    order
        Sort the result by ``<prefix>ord`` (which ``carry`` must then make).
    """
    c, t, new = (f"{prefix}{name}" for name in SESSION_TEMP)
    window = f"PARTITION BY {c} ORDER BY {t} NULLS LAST"
    return f"""
WITH base AS (
  SELECT {carry}, {customer} AS {c}, {t_us} AS {t} FROM {SOURCE_NAME}
),
lagged AS (
  SELECT *,
    CASE WHEN LAG({t}) OVER ({window}) IS NULL OR {t} - LAG({t}) OVER ({window}) > {gap_us}
         THEN 1 ELSE 0 END AS {new}
  FROM base
)
SELECT *,
  CASE WHEN {c} IS NULL OR {t} IS NULL THEN NULL
       ELSE SUM({new}) OVER ({window} RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  END AS {prefix}session
FROM lagged{f" ORDER BY {prefix}ord" if order else ""}"""


def temp_prefix() -> str:
    """Return a prefix for :func:`session_sql`'s own columns that no input column starts with."""
    return f"__cjm_{uuid.uuid4().hex[:12]}_"
