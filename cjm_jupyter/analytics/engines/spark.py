"""The Spark engine: a PySpark DataFrame as an event source for the same metric SQL.

The metrics are SQL text (:mod:`cjm_jupyter.analytics._sql`) over an ``events`` CTE; this module
supplies Spark's spelling of that CTE and runs the text with ``spark.sql``.
Nothing here defines a metric. Needs the ``spark`` extra (``pyspark>=4``,
``pyarrow``); the DataFrame's own session runs the queries (none is created).

Time zones, documented
----------------------
* ``TIMESTAMP`` (Spark's default, an instant): ``unix_micros`` gives the
  instant's epoch microseconds whatever ``spark.sql.session.timeZone`` is,
  so tz-aware pandas times give exactly DuckDB's numbers. Note that Spark
  turns a *naive* pandas time into an instant using the session time zone
  when the DataFrame is created (``createDataFrame``); with the session
  zone at UTC that matches DuckDB, which reads naive times as UTC. In
  another zone durations stay equal except across that zone's DST changes.
* ``TIMESTAMP_NTZ`` (naive): wall-clock time read as UTC, as DuckDB does.
* ``DATE``: midnight UTC.

The session time zone is read nowhere in the result, so it is not changed.

Concurrency: the user's DataFrame and every materialised step get a
uniquely named temp view, reached from the SQL through a CTE alias
(``events_src AS (SELECT * FROM <unique>)``), so two runs on one session do
not clash; the views are dropped afterwards.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from ..._optional import require
from ...errors import ValidationError
from .._session_sql import SESSION_TEMP, session_sql, temp_prefix
from .base import (
    ROLE_COLUMN,
    SOURCE_NAME,
    SharedSQL,
    check_columns,
    check_value,
    customer_kind,
    present_id,
    profile,
)

__all__ = [
    "SparkSource",
    "prepare_spark_events",
    "sessionize_spark",
    "collect_columns",
    "checked_time_type",
    "micros",
    "quote",
]

_WITH = re.compile(r"\s*WITH\s", re.IGNORECASE)


#: the roles' columns after :func:`_by_role`: the SQL text never holds a user's column name
_COLUMN = ROLE_COLUMN
#: Spark's type names of numbers (``DataFrame.dtypes``; a value column of another type is refused)
_NUMBER_TYPES = frozenset({"tinyint", "smallint", "int", "bigint", "float", "double", "decimal"})


def _by_role(events: Any, roles: dict[str, str | None]) -> Any:
    """Select the ``role -> column`` columns of ``events`` under the fixed names of :data:`_COLUMN`.

    Renamed with the DataFrame API, not in SQL: ``spark.sql`` substitutes
    ``${...}`` anywhere in its text, backquoted names included, so a column
    named ``a${b}`` cannot be spelled safely there.
    """
    from pyspark.sql import functions as F

    return events.select(
        *[F.col(quote(name)).alias(_COLUMN[role]) for role, name in roles.items() if name is not None]
    )


def quote(name: str) -> str:
    """DIALECT (Spark): an identifier in backticks, doubled inside."""
    return "`" + name.replace("`", "``") + "`"


def _unique(prefix: str) -> str:
    return f"__cjm_{prefix}_{uuid.uuid4().hex}"


@dataclass
class SparkSource(SharedSQL):
    """The user's events as a PySpark DataFrame, with what the metric SQL needs (a :class:`~.base.Source`).

    Same interface as :class:`~.duckdb.DuckDBSource`: ``dialect``,
    :meth:`projection`, :meth:`query`, :meth:`materialize`, :meth:`drop`,
    :meth:`close` and the profile attributes.
    """

    frame: Any  # pyspark.sql.DataFrame: the user's columns renamed by role (``_COLUMN``)
    customer: str
    time: str
    event: str
    segment: str | None
    time_type: str  # "TIMESTAMP", "TIMESTAMP_NTZ" or "DATE"
    total_rows: int = 0
    dropped_null: int = 0
    #: rows per event value (non-null ids only), for the unmapped report
    event_counts: dict[str, int] = field(default_factory=dict)
    #: the numeric amount column (in ``frame`` as ``_COLUMN["value"]``); None: no such column
    value: str | None = None
    #: the input's column names
    columns: list[str] = field(default_factory=list)
    #: materialised name -> (unique temp view, checkpointed DataFrame)
    _steps: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

    dialect: ClassVar[str] = "spark"
    quote = staticmethod(quote)

    @property
    def spark(self) -> Any:
        """The DataFrame's own session (reused, never created here)."""
        return self.frame.sparkSession

    @staticmethod
    def micros(column: str, time_type: str) -> str:
        """Spark's spelling of a time column as epoch microseconds (:func:`micros`)."""
        return micros(column, time_type)

    def column(self, role: str) -> str:
        """Spell the role's column in ``events_src``: its fixed name in the by-role frame."""
        return _COLUMN[role]

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` (which reads ``events_src`` and materialised steps); return pandas."""
        with self._source() as view:
            table = self.spark.sql(self._with_aliases(sql, view)).toArrow()
        return _to_pandas(table)

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` once (checkpointed) and make it readable as ``name`` by later queries."""
        self.drop(name)
        unique = _unique("step")
        with self._source() as view:
            # An eager local checkpoint computes the rows now and cuts the lineage, so
            # later queries read them instead of re-planning the SQL. (``cache()`` was
            # not matched through the CTE aliases: every tail query rescanned the log.)
            df = self.spark.sql(self._with_aliases(sql, view)).localCheckpoint(eager=True)
        df.createOrReplaceTempView(unique)
        self._steps[name] = (unique, df)

    def drop(self, name: str) -> None:
        """Forget a materialised step (temp view dropped, rows released); no-op if absent."""
        step = self._steps.pop(name, None)
        if step is not None:
            # the checkpoint's blocks go when the JVM collects its RDD (Spark's ContextCleaner)
            self.spark.catalog.dropTempView(step[0])

    def close(self) -> None:
        """Forget every materialised step (idempotent; the user's session stays as it is)."""
        for name in list(self._steps):
            self.drop(name)

    @contextmanager
    def _source(self) -> Iterator[str]:
        view = _unique("events")
        self.frame.createOrReplaceTempView(view)
        try:
            yield view
        finally:
            self.spark.catalog.dropTempView(view)

    def _with_aliases(self, sql: str, view: str) -> str:
        # The SQL names the source and the steps by their fixed names; CTE aliases
        # point those names at this run's unique views (Spark has no nested WITH,
        # so the aliases join the statement's own WITH list).
        aliases = [(SOURCE_NAME, view)] + [(name, unique) for name, (unique, _) in self._steps.items()]
        head = "WITH " + ", ".join(f"{name} AS (SELECT * FROM {quote(u)})" for name, u in aliases)
        match = _WITH.match(sql)
        return f"{head}, {sql[match.end() :]}" if match else f"{head}\n{sql}"


def micros(column: str, time_type: str) -> str:
    """Spark's spelling of a time column as epoch microseconds (see the module notes)."""
    if time_type == "DATE":
        return f"CAST(unix_date({column}) AS BIGINT) * 86400000000"
    if time_type == "TIMESTAMP_NTZ":
        return f"timestampdiff(MICROSECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', {column})"
    return f"unix_micros({column})"


def checked_time_type(events: Any, roles: dict[str, str | None]) -> str:
    """Check that the ``role -> column`` names exist and the time is a timestamp; its Spark type.

    Twin of ``duckdb.checked_time_type`` (Spark's type names differ).

    Raises
    ------
    ValidationError
        Same messages as the DuckDB path: the missing column is named, or the
        time column holds something else.
    """
    types = {name: kind.lower() for name, kind in events.dtypes}
    check_columns(list(types), roles)
    kind = types[roles["time"]]
    if kind not in ("timestamp", "timestamp_ntz", "date"):
        raise ValidationError(
            f"the time column must hold timestamps or dates, got {kind}", frame="events", column=roles["time"]
        )
    return kind.upper()


def _to_pandas(table: Any) -> pd.DataFrame:
    """Arrow result -> pandas with the DuckDB path's dtypes (the one normalisation point).

    Spark's ``ROW_NUMBER``/``INT`` results are 32-bit where DuckDB's are 64-bit,
    and a nullable ``BIGINT`` becomes float64 here but ``Int64`` in DuckDB's
    ``.df()``; integers are widened to int64 (``Int64`` when nulls remain).
    Decimals become float64, as DuckDB's ``.df()`` gives them.
    """
    import pyarrow as pa

    out = table.to_pandas()
    for i, col in enumerate(table.schema):
        if pa.types.is_integer(col.type):
            has_null = table.column(i).null_count > 0
            out[col.name] = out[col.name].astype("Int64" if has_null else "int64")
        elif pa.types.is_decimal(col.type):
            out[col.name] = out[col.name].astype("float64")
    return out


def prepare_spark_events(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
    value: str | None = None,
    profiled: bool = True,
    copy: bool = False,
) -> SparkSource:
    """Check the columns, profile the log in one Spark job and return a :class:`SparkSource`.

    ``copy=True``: the by-role columns are computed once into a local
    checkpoint (``localCheckpoint(eager=True)``) that the profile and every
    later query read; its blocks are released by Spark when the source is
    garbage collected (Spark has no call that frees a local checkpoint).

    Same checks, messages and warnings as :func:`~cjm_jupyter.analytics.engines.prepare_events`
    (``value`` and ``profiled=False`` as there).

    Raises
    ------
    ValidationError
        A column is missing (named), the time column is not a timestamp or
        date, the value column is not numeric, or the log has no usable row.
    ImportError
        pyarrow is not installed: ``the Spark engine needs pyarrow: pip install "cjm_jupyter[spark]"``.
    """
    require("pyarrow", "spark", "the Spark engine")  # results come back through Arrow
    roles = {"customer": customer, "time": time, "event": event, "segment": segment}
    time_type = checked_time_type(events, roles)
    id_kind = customer_kind(dict(events.dtypes)[customer], customer)  # Spark has no UUID: a string
    check_value({name: kind.lower() for name, kind in events.dtypes}, value, _NUMBER_TYPES)
    frame = _by_role(events, {**roles, "value": value})
    if copy:
        # one job computes the by-role columns now and cuts the lineage: the profile and
        # every later query read the checkpoint, never the user's DataFrame again
        frame = frame.localCheckpoint(eager=True)
    columns = list(events.columns)
    src = SparkSource(frame, customer, time, event, segment, time_type, value=value, columns=columns)
    src.id_kind = id_kind
    if profiled:
        profile(src)
    return src


def collect_columns(frame: Any, columns: Iterable[str | None]) -> pd.DataFrame:
    """Collect the named ``columns`` of ``frame`` (``None`` skipped) to pandas through Arrow."""
    from pyspark.sql import functions as F

    wanted = [name for name in dict.fromkeys(columns) if name is not None]
    return _to_pandas(frame.select(*[F.col(quote(name)) for name in wanted]).toArrow())


def sessionize_spark(events: Any, *, customer: str, time: str, gap_us: int) -> Any:
    """:func:`~cjm_jupyter.analytics.sessionize` on a PySpark DataFrame; a PySpark DataFrame back.

    Runs :func:`~cjm_jupyter.analytics._session_sql.session_sql` (the DuckDB path's query) carrying
    every input column; an existing ``session`` column is replaced. The
    result is lazy, like any Spark DataFrame.
    """
    from pyspark.sql import functions as F

    time_type = checked_time_type(events, {"customer": customer, "time": time})
    prefix = temp_prefix()
    # the key columns are copied under internal names with the DataFrame API, so no
    # user column name is spelled in the SQL text (see _by_role)
    keyed = events.withColumns({f"{prefix}cu": F.col(quote(customer)), f"{prefix}ti": F.col(quote(time))})
    kind = customer_kind(dict(events.dtypes)[customer], customer)
    sql = session_sql(
        present_id(f"{prefix}cu", kind),
        micros(f"{prefix}ti", time_type),
        gap_us,
        prefix=prefix,
        carry="*",
        order=False,
    )
    src = SparkSource(keyed, customer, time, "", None, time_type)
    with src._source() as view:
        # the statement is analysed at once, so the view may go when this block ends
        out = src.spark.sql(src._with_aliases(sql, view))
    temp = [f"{prefix}{name}" for name in ("cu", "ti", *SESSION_TEMP)]
    if "session" in events.columns:
        temp.append("session")
    return out.drop(*temp).withColumnRenamed(f"{prefix}session", "session")
