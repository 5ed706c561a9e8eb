"""Engines: the one place where the DuckDB/Spark choice is made.

:func:`prepare_events` turns whatever the user holds into a
:class:`~.base.Source`: a :class:`~.duckdb.DuckDBSource` for pandas, pyarrow,
Parquet and DuckDB inputs, a :class:`~.spark.SparkSource` for a PySpark
DataFrame. The Spark module is imported only for a Spark input (pyspark is
optional); nothing here imports the metric layer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ...errors import ValidationError
from .base import (
    MISSING_SEGMENT,
    NO_SEGMENT,
    ROLE_COLUMN,
    SOURCE_NAME,
    Source,
    check_columns,
    check_id_values,
    check_value,
    customer_kind,
    profile,
    projection,
    projection_sql,
)
from .duckdb import NUMBER_TYPES, DuckDBSource, checked_time_type, open_relation
from .options import DEFAULT_MEMORY_FRACTION, EngineOptions, default_memory_limit

__all__ = [
    "Source",
    "DuckDBSource",
    "EngineOptions",
    "default_memory_limit",
    "DEFAULT_MEMORY_FRACTION",
    "prepare_events",
    "is_spark",
    "columns_of",
    "projection",
    "projection_sql",
    "profile",
    "check_columns",
    "check_value",
    "SOURCE_NAME",
    "NO_SEGMENT",
    "MISSING_SEGMENT",
    "ROLE_COLUMN",
]


def is_spark(data: Any) -> bool:
    """Whether ``data`` is a PySpark DataFrame (classic or Connect), told without importing pyspark."""
    return type(data).__module__.startswith("pyspark")


def columns_of(events: Any) -> list[str]:
    """Return the column names of ``events`` (any accepted input), read from its schema without a scan."""
    if is_spark(events):
        return list(events.columns)
    from .duckdb import relation_of

    return list(relation_of(events).columns)


def prepare_events(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
    value: str | None = None,
    profiled: bool = True,
    copy: bool = False,
    options: EngineOptions | None = None,
) -> Source:
    """Check the columns, profile the log in one scan and return the engine's :class:`~.base.Source`.

    ``value`` names a numeric column the projection carries as ``value``
    (DOUBLE; see :func:`~.base.projection_sql`); the columns are checked before the
    log is scanned. ``profiled=False`` skips the profile scan (no counts, no
    warnings, no empty-log check) for a caller that runs one query of its own.

    ``copy=True`` reads the input once: the role columns (every row, nulls
    too) are copied into a temp table (Spark: a local checkpoint), the
    profile and every later query read the copy, and ``close()`` drops it.
    ``options`` (:class:`~.options.EngineOptions`) apply to the DuckDB
    connection made for a pandas, pyarrow or Parquet input; the defaults
    apply when it is None.

    Raises
    ------
    ValidationError
        A column is missing (named), the time column is not a timestamp or
        date, the value column is not numeric, the log has no usable row, or
        options were set for a DuckDB relation or a Spark DataFrame (each is
        configured on its own connection or session).
    ImportError
        A Spark DataFrame without pyarrow installed (naming the ``spark`` extra).
    """
    if is_spark(events):
        if options is not None and options.explicit:
            listed = ", ".join(f"{name}={value!r}" for name, value in options.explicit.items())
            raise ValidationError(
                f"{listed} cannot apply to a Spark DataFrame: these are DuckDB settings. Spark is "
                "configured on its session (e.g. spark.driver.memory, spark.local.dir when it is built)"
            )
        from .spark import prepare_spark_events

        return prepare_spark_events(
            events,
            customer=customer,
            time=time,
            event=event,
            segment=segment,
            value=value,
            profiled=profiled,
            copy=copy,
        )
    rel, owned = open_relation(events, options)
    src: DuckDBSource | None = None
    try:
        roles = {"customer": customer, "time": time, "event": event, "segment": segment}
        time_type = checked_time_type(rel, roles)
        types = {name: str(kind).upper() for name, kind in zip(rel.columns, rel.types, strict=True)}
        check_value(types, value, NUMBER_TYPES)
        if isinstance(events, pd.DataFrame):  # 1 and '1' in one object column: DuckDB would merge them
            check_id_values(events[customer], customer)
        id_kind = customer_kind(str(rel.types[rel.columns.index(customer)]), customer)
        src = DuckDBSource(rel, customer, time, event, segment, time_type, value=value, owned=owned)
        src.id_kind = id_kind
        src.columns = list(rel.columns)
        if copy:
            src.copy_roles()
        if profiled:
            profile(src)
    except BaseException:
        # a failed source leaves nothing behind: its copy, the package's connection
        if src is not None:
            src.close()
        elif owned is not None:
            owned.close()
        raise
    return src
