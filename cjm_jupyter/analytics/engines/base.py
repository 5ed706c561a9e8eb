"""What every engine shares: the :class:`Source` protocol, the one projection, the profile, the checks.

The metrics are portable SQL over an ``events`` CTE. An engine (DuckDB in
:mod:`.duckdb`, Spark in :mod:`.spark`) supplies only its *spellings*: how a
column is quoted (:meth:`Source.quote`), how a time becomes epoch
microseconds (:meth:`Source.micros`) and how a role's column is named in
``events_src`` (:meth:`Source.column`). :func:`projection` and
:func:`profile` are written once here on top of those.

The ``events`` CTE has the columns ``customer_id`` (string), ``t_us``
(microseconds since the epoch, integer), ``event`` (string) and ``segment``
(string), plus ``value`` (double) when a value column is given.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

from ..._warn import warn_user
from ...errors import ValidationError

__all__ = [
    "Source",
    "SharedSQL",
    "projection",
    "projection_sql",
    "profile",
    "check_columns",
    "check_value",
    "SOURCE_NAME",
    "NO_SEGMENT",
    "MISSING_SEGMENT",
    "ROLES",
    "ROLE_COLUMN",
]

#: Name under which the user's relation is visible to the metric SQL.
SOURCE_NAME = "events_src"
#: Segment value when no segment column is given (dropped from the results).
NO_SEGMENT = "All"
#: Segment value for customers whose segment is null.
MISSING_SEGMENT = "(missing)"
#: The roles a column can play, in projection order.
ROLES = ("customer", "time", "event", "segment", "value")
#: Fixed internal names of the roles' columns where an engine renames them (Spark's by-role
#: frame, a copy): the SQL text then never holds a user's column name.
ROLE_COLUMN = {role: f"__cjm_{role}" for role in ROLES}


@runtime_checkable
class Source(Protocol):
    """An event log as one engine sees it: what the metric SQL needs, and nothing else.

    Implemented by :class:`~.duckdb.DuckDBSource` and :class:`~.spark.SparkSource`;
    metric code calls only these members.
    """

    #: SQL dialect of :meth:`query` and :meth:`materialize` (``"duckdb"`` or ``"spark"``)
    dialect: ClassVar[str]
    #: the user's column names of the roles (``segment``/``value``: None when not used)
    customer: str
    time: str
    event: str
    segment: str | None
    value: str | None
    #: the engine's name of the time column's kind, for :meth:`micros`
    time_type: str
    #: the input's column names (as the user sees them)
    columns: list[str]
    #: rows in the log, rows dropped for a null id/time/event, rows per event value
    total_rows: int
    dropped_null: int
    event_counts: dict[str, int]

    def quote(self, name: str) -> str:
        """The engine's quoting of an identifier."""
        ...

    def micros(self, column: str, time_type: str) -> str:
        """The engine's spelling of a time column as epoch microseconds."""
        ...

    def column(self, role: str) -> str:
        """The SQL spelling of the role's column in ``events_src`` (quoted)."""
        ...

    def projection(self) -> str:
        """SELECT producing the ``events`` CTE (:func:`projection`)."""
        ...

    def query(self, sql: str) -> Any:
        """Run ``sql`` (which reads ``events_src``) and return a pandas DataFrame."""
        ...

    def materialize(self, name: str, sql: str) -> None:
        """Compute ``sql`` once into ``name``, readable by later queries."""
        ...

    def drop(self, name: str) -> None:
        """Forget what :meth:`materialize` made as ``name`` (no error if absent)."""
        ...

    def close(self) -> None:
        """Release what the package made for this source (idempotent)."""
        ...


class SharedSQL:
    """Mixin: the members every engine's source gets from this module rather than its own copy."""

    def projection(self: Source) -> str:
        """SELECT producing the ``events`` CTE (the shared :func:`projection`)."""
        return projection(self)


def projection(src: Source) -> str:
    """The ONE projection: the ``events`` CTE's SELECT in ``src``'s spellings."""
    c, t, e = (src.column(role) for role in ("customer", "time", "event"))
    seg = (
        f"COALESCE(CAST({src.column('segment')} AS STRING), '{MISSING_SEGMENT}')"
        if src.segment
        else f"'{NO_SEGMENT}'"
    )
    value = src.column("value") if src.value is not None else None
    return projection_sql(c, src.micros(t, src.time_type), t, e, seg, value)


def projection_sql(c: str, t_expr: str, t: str, e: str, seg: str, value: str | None) -> str:
    """The ``events`` CTE's SELECT from an engine's spellings of the columns.

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


def profile(src: Source) -> None:
    """Profile the log in one scan and record it on ``src`` (either engine's source).

    Sets ``total_rows``, ``dropped_null`` and ``event_counts``; warns about
    rows dropped for a null id, time or event.

    Raises
    ------
    ValidationError
        The log is empty, or every row has a null id, time or event.
    """
    c, t, e = (src.column(role) for role in ("customer", "time", "event"))
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
