"""Event-log inputs: whatever the user holds, as one DuckDB relation plus a projection.

Accepted inputs
---------------
* a pandas DataFrame (scanned in place by DuckDB, not copied);
* a pyarrow Table (when pyarrow is installed);
* a Parquet file path or glob (``str`` or ``os.PathLike``), read by DuckDB's
  ``read_parquet`` directly, so the file is streamed and never loaded into
  pandas;
* a DuckDB relation (``DuckDBPyRelation``), queried on its own connection.
* a PySpark DataFrame: run by its own Spark session (:mod:`._spark`).

Column names are parameters (``customer``, ``time``, ``event``, ``segment``,
and the optional ``value``: a numeric amount, for :func:`.outcomes.revenue`).

Handling, documented
--------------------
* **Null ids**: rows whose customer, time or event is null are dropped,
  counted, and reported with a warning (and in ``.attrs["dropped_null"]``).
* **Time zones**: a tz-aware time column (``TIMESTAMP WITH TIME ZONE``) is
  taken as absolute instants; naive timestamps are taken as they are (as if
  UTC). Durations are therefore correct for tz-aware input across DST
  changes. ``DATE`` columns are read as midnight.
* **Unsorted input** is fine: every order is imposed in SQL.
* **Duplicates**: identical (customer, time, event) rows count once.

The engine-specific part of the SQL lives here (:func:`projection`): it
produces the ``events`` CTE with columns ``customer_id`` (string), ``t_us``
(microseconds since the epoch, integer), ``event`` (string) and ``segment``
(string), plus ``value`` (double) when a value column is given. Every metric
is written on top of that in portable SQL.

Engine interface (shared with ``_spark.SparkEventSource``): ``dialect``,
``projection()``, ``query(sql)`` -> pandas, ``materialize(name, sql)`` (a temp
table later queries can read) and ``drop(name)``. Metric code calls only
these. To bound DuckDB's memory or threads, pass a relation from your own
connection (``SET memory_limit='8GB'``...): it runs there unchanged.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

import duckdb
import pandas as pd

from .._warn import warn_user
from ..errors import ValidationError

__all__ = [
    "EventSource",
    "prepare_events",
    "profile",
    "check_columns",
    "checked_time_type",
    "check_value",
    "micros",
    "is_spark",
    "SOURCE_NAME",
    "NO_SEGMENT",
    "MISSING_SEGMENT",
]

#: Name under which the user's relation is visible to the metric SQL.
SOURCE_NAME = "events_src"
#: Segment value when no segment column is given (dropped from the results).
NO_SEGMENT = "All"
#: Segment value for customers whose segment is null.
MISSING_SEGMENT = "(missing)"

_TIME_TYPES = ("TIMESTAMP", "DATE")
#: DuckDB type names of numbers (a value column of another type is refused)
_NUMBER_TYPES = frozenset({
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
})  # fmt: skip


@dataclass
class EventSource:
    """The user's events as a DuckDB relation, with what the metric SQL needs."""

    relation: duckdb.DuckDBPyRelation
    customer: str
    time: str
    event: str
    segment: str | None
    time_type: str
    total_rows: int = 0
    dropped_null: int = 0
    #: rows per event value (non-null ids only), for the unmapped report
    event_counts: dict[str, int] = field(default_factory=dict)
    #: the numeric amount column, projected as ``value`` (DOUBLE); None: no such column
    value: str | None = None

    #: SQL dialect of :meth:`query` and :meth:`materialize` (see ``_sql.ordered_join``)
    dialect: ClassVar[str] = "duckdb"

    def projection(self) -> str:
        """SELECT producing the ``events`` CTE (DuckDB dialect; see module notes)."""
        c, t, e = (_quote(self.customer), _quote(self.time), _quote(self.event))
        t_expr = micros(t, self.time_type)
        seg = (
            f"COALESCE(CAST({_quote(self.segment)} AS STRING), '{MISSING_SEGMENT}')"
            if self.segment
            else f"'{NO_SEGMENT}'"
        )
        return projection_sql(c, t_expr, t, e, seg, _quote(self.value) if self.value is not None else None)

    def query(self, sql: str) -> Any:
        """Run ``sql`` (which reads ``events_src``) and return a pandas DataFrame."""
        return self.relation.query(SOURCE_NAME, sql).df()

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` once into the temp table ``name``, readable by later queries.

        The table lives on the relation's connection (a user's own connection
        for a DuckDB relation), so callers pick unique names and :meth:`drop`
        them when done.
        """
        # DDL through relation.query() runs at once; events_src is visible to it
        self.relation.query(SOURCE_NAME, f"CREATE OR REPLACE TEMP TABLE {_quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        """Drop the temp table ``name`` made by :meth:`materialize` (no error if absent)."""
        self.relation.query(SOURCE_NAME, f"DROP TABLE IF EXISTS {_quote(name)}")


def projection_sql(c: str, t_expr: str, t: str, e: str, seg: str, value: str | None) -> str:
    """The ``events`` CTE's SELECT from either engine's spellings of the columns.

    ``c``, ``t``, ``e``: the customer, time and event columns; ``t_expr``: the
    time as epoch microseconds; ``seg``: the segment expression; ``value``:
    the value column, or None for none. Without a value the text is the one
    every metric has always run (so their plans do not change).
    """
    amount = f", CAST({value} AS DOUBLE) AS value" if value is not None else ""
    return (
        f"SELECT CAST({c} AS STRING) AS customer_id, {t_expr} AS t_us, "
        f"CAST({e} AS STRING) AS event, {seg} AS segment{amount} "
        f"FROM {SOURCE_NAME} WHERE {c} IS NOT NULL AND {t} IS NOT NULL AND {e} IS NOT NULL"
    )


def _quote(name: str) -> str:
    # DuckDB quotes identifiers with double quotes; Spark uses backticks.
    return '"' + name.replace('"', '""') + '"'


def _connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory connection for one input.

    Its ``temp_directory`` is a private folder under the system temp dir
    (made by DuckDB only when a query spills, removed when the connection
    closes) instead of DuckDB's default ``.tmp`` in the user's working
    directory: a log larger than memory spills there rather than failing.
    Memory and threads keep DuckDB's defaults (80% of RAM, all cores).
    Insertion order stays preserved: :func:`.sessions.sessionize` relies on
    scan order. A user's own DuckDB relation runs on the user's connection.
    """
    spill = os.path.join(tempfile.gettempdir(), f"cjm-duckdb-{uuid.uuid4().hex}")
    return duckdb.connect(config={"temp_directory": spill})


def is_spark(data: Any) -> bool:
    """Whether ``data`` is a PySpark DataFrame (classic or Connect), told without importing pyspark."""
    return type(data).__module__.startswith("pyspark")


def check_columns(columns: list[str], roles: dict[str, str | None], frame: str = "events") -> None:
    """Raise when a named column (``role -> name``; ``None`` = not used) is not in ``columns``.

    Raises
    ------
    ValidationError
        Naming the role, the missing column and the columns there are.
    """
    table = "event log" if frame == "events" else "survey table"
    for role, name in roles.items():
        if name is not None and name not in columns:
            raise ValidationError(
                f"the {table} has no {role} column {name!r} (columns: {', '.join(map(repr, columns))}); "
                f"pass {role}=<column name>",
                frame=frame,
                column=name,
            )


def checked_time_type(rel: duckdb.DuckDBPyRelation, roles: dict[str, str | None]) -> str:
    """Check the ``role -> column`` names (:func:`check_columns`) and the time column's type.

    Returns ``"DATE"`` or ``"TIMESTAMP"`` (any precision, with or without a
    time zone), for :func:`micros`. Spark's twin is ``_spark._checked_time_type``.

    Raises
    ------
    ValidationError
        A column is missing, or the time column holds neither timestamps nor dates.
    """
    check_columns(rel.columns, roles)
    time = roles["time"]
    kind = str(dict(zip(rel.columns, rel.types, strict=True))[time]).upper()
    if not kind.startswith(_TIME_TYPES):
        raise ValidationError(
            f"the time column must hold timestamps or dates, got {kind}", frame="events", column=time
        )
    return "DATE" if kind == "DATE" else "TIMESTAMP"


def check_value(types: dict[str, str], value: str | None, numbers: frozenset[str]) -> None:
    """Raise unless the value column (``None``: not used) is in ``types`` and numeric.

    ``types``: column -> the engine's type name; ``numbers``: that engine's
    names of number types (a ``DECIMAL(p, s)`` counts by its base name). The
    messages are one for both engines.

    Raises
    ------
    ValidationError
        The column is missing (as :func:`check_columns`), or ``the value
        column must hold numbers, got <type>``.
    """
    if value is None:
        return
    check_columns(list(types), {"value": value})
    kind = types[value]
    if kind.split("(")[0] not in numbers:
        raise ValidationError(f"the value column must hold numbers, got {kind}", frame="events", column=value)


def micros(column: str, time_type: str) -> str:
    """DIALECT (DuckDB): a time column as epoch microseconds; Spark's spelling is ``_spark._micros``."""
    return f"epoch_us(CAST({column} AS TIMESTAMP))" if time_type == "DATE" else f"epoch_us({column})"


def _relation(events: Any) -> duckdb.DuckDBPyRelation:
    if isinstance(events, duckdb.DuckDBPyRelation):
        return events
    if isinstance(events, pd.DataFrame):
        return _connect().from_df(events)
    if isinstance(events, str | os.PathLike):
        path = os.fspath(events)
        try:
            return _connect().read_parquet(path)
        except duckdb.Error as exc:
            raise ValidationError(f"cannot read Parquet {path!r}: {exc}", value=path) from exc
    try:
        import pyarrow as pa
    except ImportError:
        pa = None
    if pa is not None and isinstance(events, pa.Table):
        return _connect().from_arrow(events)
    raise ValidationError(
        "events must be a pandas DataFrame, a pyarrow Table, a Parquet path or glob, "
        f"or a DuckDB relation; got {type(events).__name__}"
    )


def prepare_events(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
    value: str | None = None,
    profiled: bool = True,
) -> EventSource:
    """Check the columns, profile the log in one scan and return an :class:`EventSource`.

    ``value`` names a numeric column the projection carries as ``value``
    (DOUBLE; see :func:`projection_sql`); the columns are checked before the
    log is scanned. ``profiled=False`` skips the profile scan (no counts, no
    warnings, no empty-log check) for a caller that runs one query of its own.

    Raises
    ------
    ValidationError
        A column is missing (named), the time column is not a timestamp or
        date, the value column is not numeric, or the log has no usable row.
    """
    if is_spark(events):
        from ._spark import prepare_spark_events

        return prepare_spark_events(
            events, customer=customer, time=time, event=event, segment=segment, value=value, profiled=profiled
        )
    rel = _relation(events)
    roles = {"customer": customer, "time": time, "event": event, "segment": segment}
    time_type = checked_time_type(rel, roles)
    types = {name: str(kind).upper() for name, kind in zip(rel.columns, rel.types, strict=True)}
    check_value(types, value, _NUMBER_TYPES)
    src = EventSource(rel, customer, time, event, segment, time_type, value=value)
    if profiled:
        profile(src, _quote(customer), _quote(time), _quote(event))
    return src


def profile(src: Any, customer: str, time: str, event: str) -> None:
    """Profile the log in one scan and record it on ``src`` (either engine's source).

    ``customer``, ``time`` and ``event`` are the engine's spellings of the
    columns in ``events_src``. Sets ``total_rows``, ``dropped_null`` and
    ``event_counts``; warns about rows dropped for a null id, time or event.

    Raises
    ------
    ValidationError
        The log is empty, or every row has a null id, time or event.
    """
    c, t, e = customer, time, event
    counts = src.query(
        f"SELECT CAST({e} AS STRING) AS event, COUNT(*) AS n, "
        f"SUM(CASE WHEN {c} IS NULL OR {t} IS NULL OR {e} IS NULL THEN 1 ELSE 0 END) AS n_null "
        f"FROM {SOURCE_NAME} GROUP BY CAST({e} AS STRING)"
    )
    src.total_rows = int(counts["n"].sum()) if len(counts) else 0
    src.dropped_null = int(counts["n_null"].sum()) if len(counts) else 0
    names = f"{src.customer!r}, {src.time!r} or {src.event!r}"
    if src.total_rows == 0:
        raise ValidationError("the event log is empty", frame="events")
    if src.dropped_null == src.total_rows:
        raise ValidationError(f"every row of the event log has a null {names}", frame="events")
    if src.dropped_null:
        warn_user(f"dropped {src.dropped_null} of {src.total_rows} events with a null {names}")
    good = counts[counts["event"].notna()]
    src.event_counts = {
        str(k): int(v) for k, v in zip(good["event"], good["n"] - good["n_null"], strict=True) if v > 0
    }
