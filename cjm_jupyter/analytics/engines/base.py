"""What every engine shares: the :class:`Source` protocol, the one projection, the profile, the checks.

The metrics are portable SQL over an ``events`` CTE. An engine (DuckDB in
:mod:`.duckdb`, Spark in :mod:`.spark`) supplies only its *spellings*: how a
column is quoted (:meth:`Source.quote`), how a time becomes epoch
microseconds (:meth:`Source.micros`) and how a role's column is named in
``events_src`` (:meth:`Source.column`). :func:`projection` and
:func:`profile` are written once here on top of those.

The ``events`` CTE has the columns ``customer_id`` (the input's own type:
see :func:`projection_sql` and :func:`customer_kind`), ``t_us``
(microseconds since the epoch, integer), ``event`` (string) and ``segment``
(string), plus ``value`` (double) when a value column is given.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

import pandas as pd

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
    "customer_kind",
    "check_id_values",
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
    #: the kind of customer id (:func:`customer_kind`): ``"text"``, ``"integer"``, ``"uuid"``...
    id_kind: str
    #: the input's column names (as the user sees them)
    columns: list[str]
    #: rows in the log, rows dropped for a null id/time/event, rows per event value
    total_rows: int
    dropped_null: int
    event_counts: dict[str, int]

    def quote(self, name: str) -> str:
        """Quote an identifier in the engine's spelling."""
        ...

    def micros(self, column: str, time_type: str) -> str:
        """Spell a time column as epoch microseconds in the engine's SQL."""
        ...

    def column(self, role: str) -> str:
        """Spell the role's column in ``events_src`` (quoted)."""
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

    #: the kind of customer id (:func:`customer_kind`), set by ``prepare_events``; "other" until then
    id_kind: str = "other"

    def projection(self: Source) -> str:
        """SELECT producing the ``events`` CTE (the shared :func:`projection`)."""
        return projection(self)


def projection(src: Source) -> str:
    """Build the ONE projection: the ``events`` CTE's SELECT in ``src``'s spellings."""
    c, t, e = (src.column(role) for role in ("customer", "time", "event"))
    seg = (
        f"COALESCE(CAST({src.column('segment')} AS STRING), '{MISSING_SEGMENT}')"
        if src.segment
        else f"'{NO_SEGMENT}'"
    )
    value = src.column("value") if src.value is not None else None
    return projection_sql(c, src.micros(t, src.time_type), t, e, seg, value, id_kind=src.id_kind)


def projection_sql(
    c: str, t_expr: str, t: str, e: str, seg: str, value: str | None, *, id_kind: str = "other"
) -> str:
    """Build the ``events`` CTE's SELECT from an engine's spellings of the columns.

    ``c``, ``t``, ``e``: the customer, time and event columns; ``t_expr``: the
    time as epoch microseconds; ``seg``: the segment expression; ``value``:
    the value column, or None for none; ``id_kind``: :func:`customer_kind`.
    Without a value the text is the one every metric has always run (so
    their plans do not change). The customer id keeps its own type (no cast:
    an integer or UUID id sorts, groups and joins as cheaply as it is
    stored, and 1 stays apart from "1" and 1.0 from "1"); a text id ``''``
    is missing, like null (:func:`id_present`).
    """
    amount = f", CAST({value} AS DOUBLE) AS value" if value is not None else ""
    return (
        f"SELECT {c} AS customer_id, {t_expr} AS t_us, "
        f"CAST({e} AS STRING) AS event, {seg} AS segment{amount} "
        f"FROM {SOURCE_NAME} WHERE {id_present(c, id_kind)} AND {t} IS NOT NULL AND {e} IS NOT NULL"
    )


def id_present(c: str, id_kind: str) -> str:
    """Test in SQL that the customer id ``c`` is there (not null; a text id not ``''``, as in the model)."""
    return f"{c} IS NOT NULL AND {c} <> ''" if id_kind == "text" else f"{c} IS NOT NULL"


def present_id(c: str, id_kind: str) -> str:
    """Spell in SQL the customer id ``c``, NULL where missing (a text id ``''`` too: :func:`id_present`)."""
    return f"NULLIF({c}, '')" if id_kind == "text" else c


def _dropped_rows(src: Source) -> str:
    """Word the rows :func:`projection` drops (``a null 'customer_id', 'timestamp' or 'event'``)."""
    if src.id_kind == "text":
        return f"null or empty {src.customer!r} or a null {src.time!r} or {src.event!r}"
    return f"null {src.customer!r}, {src.time!r} or {src.event!r}"


def profile(src: Source) -> None:
    """Profile the log in one scan and record it on ``src`` (either engine's source).

    Sets ``total_rows``, ``dropped_null`` and ``event_counts``; warns about
    rows dropped for a null id, time or event (or an empty text id: :func:`id_present`).

    Raises
    ------
    ValidationError
        The log is empty, or every row has a null id, time or event.
    """
    c, t, e = (src.column(role) for role in ("customer", "time", "event"))
    counts = src.query(
        f"SELECT CAST({e} AS STRING) AS event, COUNT(*) AS n, "
        f"SUM(CASE WHEN {id_present(c, src.id_kind)} AND {t} IS NOT NULL AND {e} IS NOT NULL "
        f"THEN 0 ELSE 1 END) AS n_null "
        f"FROM {SOURCE_NAME} GROUP BY CAST({e} AS STRING)"
    )
    src.total_rows = int(counts["n"].sum()) if len(counts) else 0
    src.dropped_null = int(counts["n_null"].sum()) if len(counts) else 0
    dropped = _dropped_rows(src)
    if src.total_rows == 0:
        raise ValidationError("the event log is empty", frame="events")
    if src.dropped_null == src.total_rows:
        raise ValidationError(f"every row of the event log has a {dropped}", frame="events")
    if src.dropped_null:
        warn_user(f"dropped {src.dropped_null} of {src.total_rows} events with a {dropped}")
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


#: DuckDB/Spark type names (upper case, without parameters) of each kind of customer id
_ID_KINDS = {
    "text": frozenset({"VARCHAR", "STRING", "CHAR", "ENUM"}),
    # (UBIGINT and the 128-bit integers do not fit int64: "other", as the engine gives them)
    "integer": frozenset(
        {"TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
    ),
    "float": frozenset({"FLOAT", "DOUBLE"}),
    "uuid": frozenset({"UUID"}),
    "date": frozenset({"DATE"}),
}
#: what pandas infers for an object column holding one Python type (``infer_dtype``); any other
#: answer ("mixed", "mixed-integer"...) is checked value by value (:func:`check_id_values`)
_ONE_TYPE = frozenset({
    "empty", "string", "bytes", "integer", "floating", "decimal", "boolean", "date", "datetime",
    "datetime64", "time", "timedelta", "timedelta64", "period", "complex", "categorical",
})  # fmt: skip


def customer_kind(type_name: str, column: str) -> str:
    """Return the kind of customer id an engine's column type holds, for the projection and the results.

    ``type_name``: DuckDB's (``BIGINT``, ``ENUM('a', 'b')``...) or Spark's
    (``bigint``, ``varchar(8)``...) name of the customer column's type.
    Returns ``"text"`` (the only kind where ``''`` is missing, like null),
    ``"integer"`` (given back as int64), ``"float"``, ``"uuid"``, ``"date"``,
    or ``"other"`` (given back as the engine returns it).

    Raises
    ------
    ValidationError
        A union of types (DuckDB ``UNION``, e.g. from an Arrow union column):
        its members would be compared across types.
    """
    name = type_name.upper().split("(")[0].strip()
    if name == "UNION":
        raise ValidationError(
            f"the customer column {column!r} holds several types ({type_name}): cast it to one type "
            "first, so that 1 and '1' are not taken for one customer",
            frame="events",
            column=column,
        )
    return next((kind for kind, names in _ID_KINDS.items() if name in names), "other")


def check_id_values(values: Any, column: str) -> None:
    """Raise when a pandas object column of ids mixes Python types (``1`` and ``"1"``).

    DuckDB would turn such a column into text and merge ``1`` with ``"1"``.
    Cheap: only object columns are looked at, and value by value only when
    pandas cannot tell them of one type (UUIDs: pandas says "mixed").

    Raises
    ------
    ValidationError
        Naming the column and the types found (nulls aside), in name order.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories)  # a categorical's values are its categories
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) in _ONE_TYPE:
        return
    types = sorted({type(v).__name__ for v in values.dropna()})
    if len(types) > 1:
        raise ValidationError(
            f"the customer column {column!r} holds values of several types ({', '.join(types)}): convert "
            "it to one type first (e.g. .astype(str)), so that 1 and '1' are not taken for one customer",
            frame="events",
            column=column,
        )
