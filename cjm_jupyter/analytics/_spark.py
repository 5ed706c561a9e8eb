"""Spark input: a PySpark DataFrame as an event source for the same metric SQL.

The metrics are SQL text (:mod:`._sql`) over an ``events`` CTE; this module
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
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from ..errors import ValidationError
from ._inputs import MISSING_SEGMENT, NO_SEGMENT, SOURCE_NAME

__all__ = ["SparkEventSource", "prepare_spark_events"]

_WITH = re.compile(r"\s*WITH\s", re.IGNORECASE)


def _quote(name: str) -> str:
    # Spark quotes identifiers with backticks, doubled inside.
    return "`" + name.replace("`", "``") + "`"


def _unique(prefix: str) -> str:
    return f"__cjm_{prefix}_{uuid.uuid4().hex}"


@dataclass
class SparkEventSource:
    """The user's events as a PySpark DataFrame, with what the metric SQL needs.

    Same interface as :class:`~cjm_jupyter.analytics._inputs.EventSource`:
    ``dialect``, :meth:`projection`, :meth:`query`, :meth:`materialize`,
    :meth:`drop` and the profile attributes.
    """

    frame: Any  # pyspark.sql.DataFrame
    customer: str
    time: str
    event: str
    segment: str | None
    time_type: str  # "TIMESTAMP", "TIMESTAMP_NTZ" or "DATE"
    total_rows: int = 0
    dropped_null: int = 0
    #: rows per event value (non-null ids only), for the unmapped report
    event_counts: dict[str, int] = field(default_factory=dict)
    #: materialised name -> (unique temp view, checkpointed DataFrame)
    _steps: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)

    dialect: ClassVar[str] = "spark"

    @property
    def spark(self) -> Any:
        """The DataFrame's own session (reused, never created here)."""
        return self.frame.sparkSession

    def projection(self) -> str:
        """SELECT producing the ``events`` CTE (Spark dialect; see module notes)."""
        c, t, e = (_quote(self.customer), _quote(self.time), _quote(self.event))
        if self.time_type == "DATE":
            t_expr = f"CAST(unix_date({t}) AS BIGINT) * 86400000000"
        elif self.time_type == "TIMESTAMP_NTZ":
            t_expr = f"timestampdiff(MICROSECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', {t})"
        else:
            t_expr = f"unix_micros({t})"
        seg = (
            f"COALESCE(CAST({_quote(self.segment)} AS STRING), '{MISSING_SEGMENT}')"
            if self.segment
            else f"'{NO_SEGMENT}'"
        )
        return (
            f"SELECT CAST({c} AS STRING) AS customer_id, {t_expr} AS t_us, "
            f"CAST({e} AS STRING) AS event, {seg} AS segment "
            f"FROM {SOURCE_NAME} WHERE {c} IS NOT NULL AND {t} IS NOT NULL AND {e} IS NOT NULL"
        )

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
        head = "WITH " + ", ".join(f"{name} AS (SELECT * FROM {_quote(u)})" for name, u in aliases)
        match = _WITH.match(sql)
        return f"{head}, {sql[match.end() :]}" if match else f"{head}\n{sql}"


def _to_pandas(table: Any) -> pd.DataFrame:
    """Arrow result -> pandas with the DuckDB path's dtypes (the one normalisation point).

    Spark's ``ROW_NUMBER``/``INT`` results are 32-bit where DuckDB's are 64-bit,
    and a nullable ``BIGINT`` becomes float64 here but ``Int64`` in DuckDB's
    ``.df()``; integers are widened to int64 (``Int64`` when nulls remain).
    """
    import pyarrow as pa

    out = table.to_pandas()
    for i, col in enumerate(table.schema):
        if pa.types.is_integer(col.type):
            has_null = table.column(i).null_count > 0
            out[col.name] = out[col.name].astype("Int64" if has_null else "int64")
    return out


def prepare_spark_events(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
) -> SparkEventSource:
    """Check the columns, profile the log in one Spark job and return a :class:`SparkEventSource`.

    Same checks, messages and warnings as :func:`._inputs.prepare_events`.

    Raises
    ------
    ValidationError
        A column is missing (named), the time column is not a timestamp or
        date, the log has no usable row, or pyspark/pyarrow is not installed.
    """
    try:
        import pyarrow  # noqa: F401  # results come back through Arrow
    except ImportError as exc:  # pragma: no cover - the spark extra installs it
        raise ValidationError("the Spark engine needs pyarrow: pip install 'cjm_jupyter[spark]'") from exc
    types = {name: kind.lower() for name, kind in events.dtypes}
    for role, name in (("customer", customer), ("time", time), ("event", event), ("segment", segment)):
        if name is not None and name not in types:
            raise ValidationError(
                f"the event log has no {role} column {name!r} (columns: {', '.join(map(repr, types))}); "
                f"pass {role}=<column name>",
                frame="events",
                column=name,
            )
    kind = types[time]
    if kind not in ("timestamp", "timestamp_ntz", "date"):
        raise ValidationError(
            f"the time column must hold timestamps or dates, got {kind}", frame="events", column=time
        )
    src = SparkEventSource(events, customer, time, event, segment, kind.upper())
    c, t, e = _quote(customer), _quote(time), _quote(event)
    profile = src.query(
        f"SELECT CAST({e} AS STRING) AS event, COUNT(*) AS n, "
        f"SUM(CASE WHEN {c} IS NULL OR {t} IS NULL OR {e} IS NULL THEN 1 ELSE 0 END) AS n_null "
        f"FROM {SOURCE_NAME} GROUP BY CAST({e} AS STRING)"
    )
    _apply_profile(src, profile)
    return src


def _apply_profile(src: SparkEventSource, profile: pd.DataFrame) -> None:
    src.total_rows = int(profile["n"].sum()) if len(profile) else 0
    src.dropped_null = int(profile["n_null"].sum()) if len(profile) else 0
    names = f"{src.customer!r}, {src.time!r} or {src.event!r}"
    if src.total_rows == 0:
        raise ValidationError("the event log is empty", frame="events")
    if src.dropped_null == src.total_rows:
        raise ValidationError(f"every row of the event log has a null {names}", frame="events")
    if src.dropped_null:
        # user -> metric -> _run -> prepare_events -> prepare_spark_events -> here
        warnings.warn(
            f"dropped {src.dropped_null} of {src.total_rows} events with a null {names}",
            UserWarning,
            stacklevel=6,
        )
    good = profile[profile["event"].notna()]
    src.event_counts = {
        str(k): int(v) for k, v in zip(good["event"], good["n"] - good["n_null"], strict=True) if v > 0
    }
