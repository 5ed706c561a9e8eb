"""A prepared event log: checked and profiled once, its analysis tables made once and reused.

:class:`EventLog` holds the engine-side source of a log (its role columns
copied once, see :func:`.engines.prepare_events`) and a cache of the tables
an analysis materializes (``cust``, ``seq``, ``codes``, ``seq_all``,
``stay``, ``reach``; see :mod:`._sql`), each keyed by everything its rows
depend on. So ``funnel(log, j)`` then ``transitions(log, j)`` sorts the log
once. Every metric takes an :class:`EventLog` in place of raw events; raw
events make a temporary one, closed when the call returns (:func:`opened`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypedDict

import pandas as pd

from .._deprecate import renamed_keywords
from ..errors import ValidationError
from . import _sql
from ._renames import LOG_COLUMNS
from .engines import NO_SEGMENT, EngineOptions, prepare_events

__all__ = [
    "EventLog", "EventColumns", "LogColumns", "opened", "for_call", "journey_of", "check_columns_of",
    "events_sql",
]  # fmt: skip

#: the column keywords' defaults in every metric's signature: at its default a keyword means "the log's"
_DEFAULT_COLUMNS = {"customer": "customer_id", "time": "timestamp", "event": "event"}


class EventColumns(TypedDict, total=False):
    """The log's column keywords ``customer``, ``time`` and ``event``, passed on as one typed bundle."""

    customer: str
    time: str
    event: str


class LogColumns(EventColumns, total=False):
    """:class:`EventColumns` and the ``segment`` column a call splits by."""

    segment: str | None


class _NamedTables(_sql.Tables):
    """:class:`._sql.Tables` whose names come from an :class:`EventLog`'s cache, not from one prefix."""

    names: Mapping[str, str]  # kind -> the cached table's name

    def __init__(self, names: Mapping[str, str], segmented: bool) -> None:
        super().__init__(prefix="", segmented=segmented)
        object.__setattr__(self, "names", names)  # frozen dataclass: set once, here

    def name(self, kind: str) -> str:
        """Return the cached table holding ``kind`` for this run (a name no table has when none was made)."""
        # the SQL builders spell some names they only use in some runs (reach's cust when split)
        return self.names.get(kind, f"cjm_not_made_{kind}")


class EventLog:
    """An event log checked, profiled and copied once, for many metric calls.

    Parameters
    ----------
    events
        A pandas DataFrame, a pyarrow Table, a Parquet path or glob, a DuckDB
        relation, or a PySpark DataFrame.
    journey : Journey, optional
        The map the metrics measure by default (a ``journey`` passed to a
        metric wins over it).
    customer_col, time_col, event_col : str
        Column names of the customer id, timestamp (or date) and event name.
    segment_col : str, optional
        The column a metric may split by: ``funnel(log, j)`` is overall,
        ``funnel(log, j, segment_col=<this column>)`` per segment.
    mapping : dict, DataFrame or None
        Event -> touchpoint id; ``None`` uses the journey's ``event_map``.
    value_col : str, optional
        Numeric column of amounts (for :func:`~.outcomes.revenue`).
    memory_limit, temp_directory, threads
        DuckDB settings of the connection the log is read on (see
        :class:`~.engines.EngineOptions`); not for a DuckDB relation or a
        PySpark DataFrame, which run on their own connection or session.
    _copy : bool
        Private: ``False`` reads the input itself instead of a copy (a
        single-use log, see :func:`opened`).

    Raises
    ------
    ValidationError
        ``events`` is already an EventLog, a column is missing or mistyped
        (the time column not a timestamp or date), a customer id column of an
        unsupported type, or a bad DuckDB setting.

    Notes
    -----
    The log's role columns are copied once (a temp table in DuckDB, a local
    checkpoint in Spark) and every later query reads the copy, never the
    input. The tables an analysis materializes stay until :meth:`close`
    (they hold about as many rows as the log): close the log, or use it as a
    context manager, when done. With a log, a metric's column keywords
    (``customer_col``, ``time_col``, ``event_col``, ``segment_col``,
    ``value_col``, ``mapping``) must be left out or equal the log's. The
    properties :attr:`customer`, :attr:`time`, :attr:`event`, :attr:`segment`
    and :attr:`value` hold the log's column names.

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> events = analytics.make_events(j, customers=200, segments=["mobile", "desktop"], seed=1)
    >>> with analytics.EventLog(events, j, segment_col="segment") as log:
    ...     f = analytics.funnel(log)
    ...     t = analytics.transitions(log, segment_col="segment")
    >>> int(f["customers"].iloc[0]) > 0, sorted(t["segment"].unique())
    (True, ['desktop', 'mobile'])
    >>> log
    EventLog(closed; ...)
    """

    @renamed_keywords(**LOG_COLUMNS, value="value_col")
    def __init__(
        self,
        events: Any,
        journey: Any = None,
        *,
        customer_col: str = "customer_id",
        time_col: str = "timestamp",
        event_col: str = "event",
        segment_col: str | None = None,
        mapping: Any = None,
        value_col: str | None = None,
        memory_limit: str | int | None = None,
        temp_directory: Any = None,
        threads: int | None = None,
        _copy: bool = True,
    ) -> None:
        customer, time, event, segment, value = customer_col, time_col, event_col, segment_col, value_col
        if isinstance(events, EventLog):
            raise ValidationError("events is already an EventLog: pass it to the metrics as it is")
        #: the journey and mapping the metrics use when a call passes none
        self.journey = journey
        self.mapping = mapping
        self._roles = {"customer": customer, "time": time, "event": event, "segment": segment, "value": value}
        self._closed = False
        self._tables: dict[tuple[Any, ...], str] = {}
        self._id = uuid.uuid4().hex[:12]
        self._customers: int | None = None
        self._last_us: int | None = None
        options = EngineOptions(memory_limit=memory_limit, temp_directory=temp_directory, threads=threads)
        # copy: the input is read once; the profile and every later query read the copy
        # (_copy=False: a single-use log, see opened)
        self._source = prepare_events(
            events, customer=customer, time=time, event=event, segment=segment, value=value, copy=_copy,
            options=options if options.explicit else None,
        )  # fmt: skip

    # --- state -----------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    @property
    def source(self) -> Any:
        """The engine-side source (``query``, ``materialize``...); a closed log raises.

        Raises
        ------
        ValidationError
            The log is closed.
        """
        if self._closed:
            raise ValidationError(
                "this EventLog is closed (its tables were dropped): make a new EventLog, "
                "or use it inside its `with` block"
            )
        return self._source

    @property
    def columns(self) -> dict[str, str]:
        """The log's columns by role: ``customer``, ``time``, ``event`` (``segment``, ``value`` when set)."""
        return {role: name for role, name in self._roles.items() if name is not None}

    # the columns are fixed: the copy and every cached table were made from them
    customer = property(lambda self: self._roles["customer"], doc="The customer id column.")
    time = property(lambda self: self._roles["time"], doc="The timestamp (or date) column.")
    event = property(lambda self: self._roles["event"], doc="The event name column.")
    segment = property(lambda self: self._roles["segment"], doc="The segment column a call may split by.")
    value = property(lambda self: self._roles["value"], doc="The numeric amount column, or None.")

    @property
    def rows(self) -> int:
        """Rows of the input, those with a null id, time or event included."""
        return int(self._source.total_rows)

    @property
    def dropped_null(self) -> int:
        """Rows left out for a null customer, time or event."""
        return int(self._source.dropped_null)

    @property
    def event_counts(self) -> dict[str, int]:
        """Rows per event name (rows with a null id, time or event left out)."""
        return dict(self._source.event_counts)

    @property
    def customers(self) -> int:
        """Distinct customers (counted once, from the cached customer table)."""
        if self._customers is None:
            # a split run's customer table has every customer too: no second table for a count
            split = self.segment is not None and self.has_table("cust", (True,))
            table = self.customer_table(segmented=split and not self.has_table("cust", (False,)))
            self._customers = int(self.source.query(f"SELECT COUNT(*) AS n FROM {table}")["n"].iloc[0])
        return self._customers

    def last_us(self) -> int:
        """Return the latest event time (epoch microseconds) of the rows with an id, time and event.

        Computed once, on first use; :func:`~.measure.measure` reads it for
        the default period.

        Returns
        -------
        int
            Microseconds since 1970-01-01 UTC (naive times read as UTC).

        Raises
        ------
        ValidationError
            The log is closed (before its first use).

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> import pandas as pd
        >>> pd.Timestamp(log.last_us(), unit="us")
        Timestamp('2026-01-30 10:48:00.451465')
        >>> log.close()
        """
        if self._last_us is None:
            src = self.source
            sql = f"SELECT MAX(t_us) AS last_us FROM ({src.projection()}) e"
            self._last_us = int(src.query(sql)["last_us"].iloc[0])
        return self._last_us

    # --- the cache ---------------------------------------------------------------------------

    def cached(self, kind: str, key: tuple[Any, ...], sql: Callable[[], str]) -> str:
        """Return the name of the table ``kind`` for ``key``, materialized from ``sql()`` on first use.

        ``key`` holds everything the table's rows depend on (the segment
        split, the mapping and journey, the funnel...): equal keys share one
        table. The table lives until :meth:`close`. For the analysis
        functions (:func:`~.analysis.analyze`); rarely called directly.

        Parameters
        ----------
        kind : str
            What the table holds (``"cust"``, ``"seq"``...), part of its name.
        key : tuple
            Hashable values the table's rows depend on.
        sql : callable
            Returns the SELECT that makes the table; called only when no
            table of this ``kind`` and ``key`` exists yet.

        Returns
        -------
        str
            The table's name on the log's engine.

        Raises
        ------
        ValidationError
            The log is closed.

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> ids = lambda: f"SELECT DISTINCT customer_id FROM ({log.source.projection()}) e"
        >>> name = log.cached("ids", ("all",), ids)
        >>> log.cached("ids", ("all",), ids) == name  # made once
        True
        >>> int(log.source.query(f"SELECT COUNT(*) AS n FROM {name}")["n"].iloc[0])
        50
        >>> log.close()
        """
        src = self.source
        name = self._tables.get((kind, *key))
        if name is None:
            name = f"cjm_{self._id}_{len(self._tables)}_{kind}"
            src.materialize(name, sql())
            self._tables[(kind, *key)] = name
        return name

    def has_table(self, kind: str, key: tuple[Any, ...]) -> bool:
        """Return whether the table ``kind`` for ``key`` is cached (made by :meth:`cached`, not dropped).

        Parameters
        ----------
        kind : str
            What the table holds (``"cust"``, ``"seq"``...).
        key : tuple
            Hashable values the table's rows depend on.

        Returns
        -------
        bool
            True when :meth:`cached` would return it without making it.

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> log.has_table("cust", (False,))
        False
        >>> _ = log.customer_table(segmented=False)
        >>> log.has_table("cust", (False,))
        True
        >>> log.close()
        """
        return (kind, *key) in self._tables

    def tables(self, names: Mapping[str, str], segmented: bool) -> _sql.Tables:
        """Return a :class:`._sql.Tables` reading the cached tables ``names`` (kind -> table).

        Parameters
        ----------
        names : mapping of str to str
            Kind (``"cust"``, ``"seq"``...) -> the cached table's name (see
            :meth:`cached`); may be filled after this call.
        segmented : bool
            Whether the run splits by segment.

        Returns
        -------
        Tables
            The SQL builders' view of the tables; a kind not in ``names``
            reads as a name no table has.

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> cust = log.customer_table(segmented=False)
        >>> tables = log.tables({"cust": cust}, segmented=False)
        >>> tables.name("cust") == cust, tables.name("seq")
        (True, 'cjm_not_made_seq')
        >>> log.close()
        """
        return _NamedTables(names, segmented)

    def customer_table(self, segmented: bool) -> str:
        """Return the cached ``cust`` table: ``customer_id``, ``cid`` (and the customer's ``segment``).

        ``cid`` is an integer code per customer (what the sorts run on); the
        segment is the value on the customer's earliest event.

        Parameters
        ----------
        segmented : bool
            Add each customer's ``segment`` (the log's segment column).

        Returns
        -------
        str
            The table's name on the log's engine, made on first use.

        Raises
        ------
        ValidationError
            ``segmented`` on a log made without a segment column; a closed log.

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> table = log.customer_table(segmented=False)
        >>> sorted(log.source.query(f"SELECT * FROM {table}").columns)
        ['cid', 'customer_id']
        >>> log.close()
        """
        if segmented and self.segment is None:
            raise ValidationError("this EventLog has no segment column: make it with segment_col=<column>")
        tables = _NamedTables({}, segmented)
        return self.cached("cust", (segmented,), lambda: _sql.cust_sql(self.source, tables))

    # --- life cycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Drop every cached table and release the copy; calling it again does nothing.

        A ``with`` block calls it at its end. Afterwards the log's metrics
        and :attr:`source` raise ValidationError.

        Examples
        --------
        >>> from cjm_jupyter import analytics, templates
        >>> j = templates.load("colleen")
        >>> log = analytics.EventLog(analytics.make_events(j, customers=50, seed=1), j)
        >>> log.close(); log.close()
        >>> log.closed
        True
        >>> analytics.funnel(log)
        Traceback (most recent call last):
        ...
        cjm_jupyter.errors.ValidationError: this EventLog is closed ...
        """
        if self._closed:
            return
        self._closed = True
        try:
            for name in reversed(list(self._tables.values())):
                self._source.drop(name)
        finally:
            self._tables.clear()
            self._source.close()

    def __enter__(self) -> EventLog:
        """Return the open log for a ``with`` block (a closed log raises ValidationError)."""
        self.source  # noqa: B018  # a closed log is refused here already
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the log when the ``with`` block ends, whatever happened in it."""
        self.close()

    def __repr__(self) -> str:
        """Return a one-line summary: rows, customers, event names and the columns (or that it is closed)."""
        cols = ", ".join(f"{role}={name!r}" for role, name in self.columns.items())
        if self._closed:
            return f"EventLog(closed; {cols})"
        return (
            f"EventLog(rows={self.rows:,}, customers={self.customers:,}, events={len(self.event_counts):,} "
            f"names; {cols}; open)"
        )


# --- what a metric call runs on ------------------------------------------------------------------


def check_columns_of(log: EventLog, given: Mapping[str, Any]) -> None:
    """Raise when a column keyword of a metric call names another column than ``log``'s.

    A keyword at its signature default (``customer="customer_id"``...) or
    ``None`` means "the log's".

    Raises
    ------
    ValidationError
        Naming the keyword, the value given and the log's.
    """
    for key, value in given.items():
        if value is None or value == _DEFAULT_COLUMNS.get(key, _NOTHING):
            continue
        own = getattr(log, key)
        if key == "mapping" and _same_mapping(value, own):
            continue
        if key != "mapping" and value == own:
            continue
        word = key if key == "mapping" else f"{key}_col"  # the keyword the user wrote
        has = f"the EventLog's {word} is {own!r}" if own is not None else f"the EventLog has no {word}"
        shown = "a mapping" if key == "mapping" else repr(value)
        raise ValidationError(
            f"{word}={shown} differs from the log: {has}; set it on the EventLog "
            f"(EventLog(..., {word}=...)) or leave it out here",
            column=key,
        )


_NOTHING = object()


def _same_mapping(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return a.equals(b)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return dict(a) == dict(b)
    return False


def journey_of(events: Any, journey: Any) -> Any:
    """Return the journey a call measures: the one passed, else the EventLog's.

    Raises
    ------
    ValidationError
        Neither is given.
    """
    if journey is not None:
        return journey
    if isinstance(events, EventLog) and events.journey is not None:
        return events.journey
    raise ValidationError(
        "no journey: pass the journey to measure (or make an EventLog with one: EventLog(events, journey))",
        column="journey",
    )


def for_call(events: Any, journey: Any, mapping: Any, **columns: Any) -> tuple[Any, Any]:
    """Return the journey and mapping a metric call runs with, an EventLog's keywords checked first.

    With an EventLog: refused when closed; ``columns`` (and ``mapping``)
    checked against the log's (:func:`check_columns_of`); a ``mapping`` left
    out is the log's. The journey is :func:`journey_of`'s.

    Raises
    ------
    ValidationError
        A closed log, a keyword that differs from the log's, no journey.
    """
    if isinstance(events, EventLog):
        events.source  # noqa: B018  # refuses a closed log
        check_columns_of(events, {**columns, "mapping": mapping})
        if mapping is None:
            mapping = events.mapping
    return journey_of(events, journey), mapping


@contextmanager
def opened(
    events: Any,
    *,
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    segment: str | None = None,
    value: str | None = None,
    mapping: Any = None,
    copy: bool = True,
) -> Iterator[EventLog]:
    """``events`` as an open :class:`EventLog`: the log itself (its columns checked), or a temporary one.

    A temporary log (raw events) is closed when the block ends, whatever
    happens in it; a log passed in stays open for the caller's next call.
    ``copy=False``: a temporary log reads the input itself instead of a copy
    (for a caller that reads it once: the copy would cost a full scan and a
    table as large as the log).

    Raises
    ------
    ValidationError
        A closed log; a column keyword that differs from the log's (see
        :func:`check_columns_of`); and :class:`EventLog`'s checks of raw events.
    """
    if isinstance(events, EventLog):
        events.source  # noqa: B018  # refuses a closed log
        given = {"customer": customer, "time": time, "event": event, "segment": segment, "value": value,
                 "mapping": mapping}  # fmt: skip
        check_columns_of(events, given)
        yield events
        return
    log = EventLog(events, customer_col=customer, time_col=time, event_col=event, segment_col=segment,
                   value_col=value, mapping=mapping, _copy=copy)  # fmt: skip
    try:
        yield log
    finally:
        log.close()


def events_sql(src: Any, segmented: bool) -> str:
    """Return the ``events`` SELECT of ``src`` for a call split by segment or not.

    An EventLog made with a segment column serves unsplit calls too: their
    rows then all read segment :data:`~.engines.NO_SEGMENT`, as for a log
    without one. (The analysis tables read the segment only when split.)
    """
    if segmented or src.segment is None:
        return str(src.projection())
    value = ", value" if src.value is not None else ""
    return f"SELECT customer_id, t_us, event, '{NO_SEGMENT}' AS segment{value} FROM ({src.projection()}) p"
