"""The DuckDB engine (the default): a user's events as one DuckDB relation.

Accepted inputs
---------------
* a pandas DataFrame (scanned in place by DuckDB, not copied);
* a pyarrow Table (when pyarrow is installed);
* a Parquet file path or glob (``str`` or ``os.PathLike``), read by DuckDB's
  ``read_parquet`` directly, so the file is streamed and never loaded into
  pandas;
* a DuckDB relation (``DuckDBPyRelation``), queried on its own connection.

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

Connections the package makes get :class:`~.options.EngineOptions` (memory
limit, spill folder, threads). A user's own DuckDB relation runs on the
user's connection unchanged: set those there (``SET memory_limit='8GB'``...).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar

import duckdb
import pandas as pd

from ...errors import ValidationError
from .base import ROLE_COLUMN, ROLES, SOURCE_NAME, SharedSQL, check_columns
from .options import EngineOptions

__all__ = [
    "DuckDBSource",
    "connect",
    "relation_of",
    "open_relation",
    "checked_time_type",
    "micros",
    "quote",
    "NUMBER_TYPES",
]

_TIME_TYPES = ("TIMESTAMP", "DATE")
#: DuckDB type names of numbers (a value column of another type is refused)
NUMBER_TYPES = frozenset({
    "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
    "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
})  # fmt: skip


def quote(name: str) -> str:
    """DIALECT (DuckDB): an identifier in double quotes (Spark uses backticks)."""
    return '"' + name.replace('"', '""') + '"'


def micros(column: str, time_type: str) -> str:
    """DIALECT (DuckDB): a time column as epoch microseconds; Spark's spelling is ``spark.micros``."""
    return f"epoch_us(CAST({column} AS TIMESTAMP))" if time_type == "DATE" else f"epoch_us({column})"


@dataclass
class DuckDBSource(SharedSQL):
    """The user's events as a DuckDB relation, with what the metric SQL needs (a :class:`~.base.Source`)."""

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
    #: the input's column names
    columns: list[str] = field(default_factory=list)
    #: the connection the package made for this input (closed by :meth:`close`); None: the user's
    owned: duckdb.DuckDBPyConnection | None = field(default=None, repr=False)
    #: the temp table holding the copy of the role columns (:meth:`copy_roles`); None: no copy
    copy: str | None = None

    dialect: ClassVar[str] = "duckdb"
    quote = staticmethod(quote)
    micros = staticmethod(micros)

    def column(self, role: str) -> str:
        """Spell the role's column in ``events_src``, quoted (its fixed internal name in a copy)."""
        return quote(ROLE_COLUMN[role] if self.copy is not None else getattr(self, role))

    def copy_roles(self) -> None:
        """Copy the role columns into a temp table in ONE scan; every later query reads the copy.

        All rows are copied, nulls included (the profile counts them), under
        the fixed names of :data:`~.base.ROLE_COLUMN`. The table lives on the
        input's connection; :meth:`close` drops it.
        """
        name = f"__cjm_copy_{uuid.uuid4().hex}"
        roles = [role for role in ROLES if getattr(self, role) is not None]
        columns = ", ".join(f"{quote(getattr(self, role))} AS {quote(ROLE_COLUMN[role])}" for role in roles)
        sql = f"CREATE TEMP TABLE {quote(name)} AS SELECT {columns} FROM {SOURCE_NAME}"
        self.relation.query(SOURCE_NAME, sql)
        # On the package's connection the copy is read as a table; a user's connection is
        # not reachable from the relation, so there the copy is read through a query that
        # names only the table (its plan scans the copy, never the input).
        if self.owned is not None:
            self.relation = self.owned.table(name)
        else:
            self.relation = self._select(f"SELECT * FROM {quote(name)}")
        self.copy = name

    def _select(self, sql: str) -> duckdb.DuckDBPyRelation:
        """Return the relation of the SELECT ``sql`` (which reads ``events_src``)."""
        rel = self.relation.query(SOURCE_NAME, sql)
        # DuckDB's stubs allow None (a statement without a result); a SELECT always has one
        assert rel is not None, "a SELECT gives a relation"
        return rel

    def query(self, sql: str) -> Any:
        """Run ``sql`` (which reads ``events_src``) and return a pandas DataFrame."""
        return self._select(sql).df()

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` once into the temp table ``name``, readable by later queries.

        The table lives on the relation's connection (a user's own connection
        for a DuckDB relation), so callers pick unique names and :meth:`drop`
        them when done.
        """
        # DDL through relation.query() runs at once; events_src is visible to it
        self.relation.query(SOURCE_NAME, f"CREATE OR REPLACE TEMP TABLE {quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        """Drop the temp table ``name`` made by :meth:`materialize` (no error if absent)."""
        self.relation.query(SOURCE_NAME, f"DROP TABLE IF EXISTS {quote(name)}")

    def close(self) -> None:
        """Drop the copy and close the connection the package made (idempotent; a user's stays open)."""
        copy, self.copy = self.copy, None
        if copy is not None:
            self.relation.query(SOURCE_NAME, f"DROP TABLE IF EXISTS {quote(copy)}")
        conn, self.owned = self.owned, None
        if conn is not None:
            conn.close()


def connect(options: EngineOptions | None = None) -> duckdb.DuckDBPyConnection:
    """Open a private in-memory connection for one input, with ``options`` (defaults filled in).

    See :class:`~.options.EngineOptions`: a memory limit (default 20% of the
    machine's memory), a private spill folder under the system temp folder
    instead of DuckDB's ``.tmp`` in the user's working directory (a log
    larger than memory spills there rather than failing) and DuckDB's
    threads. Insertion order stays preserved: :func:`.sessions.sessionize`
    relies on scan order.
    """
    return duckdb.connect(config=(options or EngineOptions()).settings())


def relation_of(events: Any, options: EngineOptions | None = None) -> duckdb.DuckDBPyRelation:
    """``events`` (pandas, pyarrow, Parquet path/glob or a DuckDB relation) as a DuckDB relation.

    Raises
    ------
    ValidationError
        As :func:`open_relation`.
    """
    return open_relation(events, options)[0]


def open_relation(
    events: Any, options: EngineOptions | None = None
) -> tuple[duckdb.DuckDBPyRelation, duckdb.DuckDBPyConnection | None]:
    """``events`` as a DuckDB relation, and the connection made for it (None: the user's relation).

    Raises
    ------
    ValidationError
        The Parquet file cannot be read, ``events`` is none of the accepted
        inputs, or options were given with a DuckDB relation (they would not
        reach the user's connection).
    """
    if isinstance(events, duckdb.DuckDBPyRelation):
        if options is not None and options.explicit:
            raise ValidationError(
                f"{_listed(options)} cannot apply to a DuckDB relation: it runs on your own connection, "
                f'unchanged. Set them there instead, e.g. con.execute("{_set_statements(options)}")'
            )
        return events, None
    if isinstance(events, pd.DataFrame):
        conn = connect(options)
        return conn.from_df(events), conn
    if isinstance(events, str | os.PathLike):
        path = os.fspath(events)
        conn = connect(options)
        try:
            return conn.read_parquet(path), conn
        except duckdb.Error as exc:
            conn.close()
            raise ValidationError(f"cannot read Parquet {path!r}: {exc}", value=path) from exc
    try:
        import pyarrow as pa
    except ImportError:
        pa = None
    if pa is not None and isinstance(events, pa.Table):
        conn = connect(options)
        return conn.from_arrow(events), conn
    raise ValidationError(
        "events must be a pandas DataFrame, a pyarrow Table, a Parquet path or glob, "
        f"or a DuckDB relation; got {type(events).__name__}"
    )


def _listed(options: EngineOptions) -> str:
    return ", ".join(f"{name}={value!r}" for name, value in options.explicit.items())


def _set_statements(options: EngineOptions) -> str:
    settings = options.settings()
    return "; ".join(
        f"SET {name} = {settings[name]!r}" if name != "threads" else f"SET threads = {settings[name]}"
        for name in options.explicit
    )


def checked_time_type(rel: duckdb.DuckDBPyRelation, roles: dict[str, str | None]) -> str:
    """Check the ``role -> column`` names (:func:`~.base.check_columns`) and the time column's type.

    Returns ``"DATE"`` or ``"TIMESTAMP"`` (any precision, with or without a
    time zone), for :func:`micros`. Spark's twin is ``spark.checked_time_type``.

    Raises
    ------
    ValidationError
        A column is missing, or the time column holds neither timestamps nor dates.
    """
    check_columns(rel.columns, roles)
    time = roles["time"]
    assert time is not None, "the time role is always named"
    kind = str(dict(zip(rel.columns, rel.types, strict=True))[time]).upper()
    if not kind.startswith(_TIME_TYPES):
        raise ValidationError(
            f"the time column must hold timestamps or dates, got {kind}", frame="events", column=time
        )
    return "DATE" if kind == "DATE" else "TIMESTAMP"
