"""The journey's stored frames and the fast path of single-row edits.

:class:`FrameStore` is the part of :class:`~.core.JourneyCore` that keeps the
frames (inside a batch, a much-edited frame as Python rows, see
:class:`~.buffer.FrameBuffer`) and adds or updates one row at what the row
costs: its cells are read as Python values, checked against the rules they can
break (their own, their id, their unique combination, their references, their
order group) and spliced into the stored frame, which stays sorted. Each
``_add_*``/``_update_*`` method returns False, having done nothing, when only
the full path (coercion and validation of the whole candidate frames) can
vouch for the edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from .buffer import FrameBuffer, bufferable
from .events import Change
from .rows import block, canonical_cells, cell, find_rows, insert_row, renumbered, same_value, set_row
from .specs import FrameSpec
from .validate import row_may_break

__all__ = ["FrameStore"]


class FrameStore:
    """Stored frames, batch buffers, id sets and the fast path of one-row edits."""

    #: Fast-path edits of one frame inside a batch after which the frame is
    #: held as Python rows (:class:`~.buffer.FrameBuffer`) until it is read or
    #: the batch ends: building the buffer and the frame again costs about as
    #: much as a few edits of the DataFrame, each later edit a few microseconds.
    _BUFFER_AFTER: int = 4

    #: The changes of the open batch, None outside one (set by the journey).
    _pending: list[Change] | None

    def _emit(self, change: Change) -> None:
        """Announce ``change`` (the journey's own; see :meth:`.core.JourneyCore._emit`)."""
        raise NotImplementedError

    @property
    def _frames(self) -> dict[str, pd.DataFrame]:
        """The stored frames, with the rows a batch holds as Python rows built in."""
        for name in list(self.__dict__.get("_buffers", ())):
            self._current(name)
        return self.__dict__["_store"]

    @_frames.setter
    def _frames(self, frames: dict[str, pd.DataFrame]) -> None:
        # A new state (an edit, a rollback, a copy): buffered rows belong to the old one.
        self.__dict__["_store"] = frames
        self.__dict__["_buffers"] = {}
        self.__dict__.setdefault("_edits", {})

    def _current(self, name: str) -> pd.DataFrame:
        """Return the stored frame ``name``, built from its buffer if a batch holds one; others stay."""
        buffers: dict[str, FrameBuffer] = self.__dict__["_buffers"]
        buf = buffers.pop(name, None)
        if buf is not None:
            frame = buf.frame()
            self.__dict__["_store"] = {**self.__dict__["_store"], name: frame}
            self.__dict__.setdefault("_ids", {})[name] = (frame, buf.ids)
            self.__dict__["_edits"].pop(name, None)
        return self.__dict__["_store"][name]

    def _replace(self, name: str, frame: pd.DataFrame) -> None:
        """Store a new version of one frame (its buffer, if any, already built); other buffers stay."""
        self.__dict__["_store"] = {**self.__dict__["_store"], name: frame}

    def _buffer(self, spec: FrameSpec) -> FrameBuffer | None:
        """Return the buffer of frame ``spec`` inside a batch once it is edited often enough, else None."""
        buffers: dict[str, FrameBuffer] = self.__dict__["_buffers"]
        buf = buffers.get(spec.name)
        if buf is not None or self._pending is None:
            return buf
        edits = self.__dict__["_edits"]
        edits[spec.name] = count = edits.get(spec.name, 0) + 1
        frame = self.__dict__["_store"][spec.name]
        if count < self._BUFFER_AFTER or not bufferable(frame):
            return None
        buf = buffers[spec.name] = FrameBuffer(spec, frame)
        return buf

    def _lookup(self, name: str, criteria: Mapping[str, Any]) -> str | None:
        """Return the id of the first row of ``name`` whose cells equal ``criteria`` (None: missing)."""
        buf = self.__dict__["_buffers"].get(name)
        if buf is not None and all(v is None or type(v) is str for v in criteria.values()):
            return buf.find(criteria)
        df = self._current(name)
        same = find_rows(df, criteria)
        return str(df["id"].iloc[same[0]]) if len(same) else None

    def _idset(self, name: str) -> set[str]:
        """Return the ids of frame ``name``, kept with the frame they were read from.

        A set of 20,000 ids takes 2 ms to build: a single-row edit passes the
        set on to the frame it makes instead (see :meth:`_add_row`).
        """
        buf = self.__dict__["_buffers"].get(name)
        if buf is not None:
            return buf.ids
        frame = self.__dict__["_store"][name]
        cache = self.__dict__.setdefault("_ids", {})
        hit = cache.get(name)
        if hit is None or hit[0] is not frame:
            hit = cache[name] = (frame, set(frame["id"].dropna().tolist()))
        return hit[1]

    def _add_row(self, spec: FrameSpec, values: dict[str, Any], position: int | None) -> bool:
        """Add one row the cheap way; False (nothing done) when only the full path can tell."""
        old = self._current(spec.name)
        key = spec.ordered_within
        if key is None and position is not None:
            return False
        cells = canonical_cells(spec, old, values)
        if cells is None:
            return False
        row = dict.fromkeys(old.columns) | cells
        ids = self._idset(spec.name)
        if row["id"] in ids:
            return False
        for col in spec.refs:
            if row[col.name] is not None and row[col.name] not in self._idset(col.ref or ""):
                return False
        at, stop, orders = len(old), len(old), None
        if key is not None:
            placed = self._place(spec, old, row[key] if key else None, position)
            if placed is None:
                return False
            start, stop, at, orders = placed
            row["order"] = at - start
        if row_may_break(spec, row):
            return False
        for cols in spec.unique:
            if len(find_rows(old, {c: row[c] for c in cols})):
                return False
        replace = None
        if orders is not None and at < stop:  # rows after it in its group move down one place
            replace = {"order": pd.array(renumbered(orders, at, stop, row["order"]), dtype="Int64")}
        new = insert_row(old, at, row, replace)
        self._replace(spec.name, new)
        ids.add(row["id"])
        self.__dict__["_ids"][spec.name] = (new, ids)
        affected = (row["id"], *old["id"].iloc[at:stop])
        self._emit(Change("add", spec.name, (row["id"],), (), {spec.name: affected}))
        return True

    def _place(
        self, spec: FrameSpec, frame: pd.DataFrame, group: Any, position: Any
    ) -> tuple[int, int, int, np.ndarray] | None:
        """Where a new row of ``group`` goes in the sorted ``frame``: ``(start, stop, at, orders)``.

        ``start:stop`` are the group's rows (a group's rows are consecutive
        in a stored frame), ``at`` the new row's place, ``orders`` the order
        column. None when the position is invalid or the group is not as
        expected: the full path raises or copes.
        """
        key = spec.ordered_within
        if key:
            hits = find_rows(frame, {key: group})
            span = block(hits) if len(hits) else self._empty_group_at(spec, frame, group)
            if span is None:
                return None
            start, stop = span
        else:
            start, stop = 0, len(frame)
        size = stop - start
        if position is None:
            position = size
        elif isinstance(position, (bool, np.bool_)) or not isinstance(position, Integral):
            return None
        if not 0 <= position <= size:
            return None
        orders = frame["order"].to_numpy(dtype=np.int64, na_value=-1)
        if not np.array_equal(orders[start:stop], np.arange(size)):
            return None
        return start, stop, start + int(position), orders

    def _empty_group_at(self, spec: FrameSpec, frame: pd.DataFrame, group: Any) -> tuple[int, int] | None:
        """Where the rows of an empty group would start: after the groups of earlier parents."""
        key = spec.ordered_within
        parents = self._current(spec.column(key or "").ref or "")
        hit = find_rows(parents, {"id": group})
        if len(hit) != 1:
            return None
        at = int(frame[key].isin(parents["id"].iloc[: int(hit[0])]).sum())
        return at, at

    def _add_buffered(self, spec: FrameSpec, values: dict[str, Any], position: int | None) -> bool:
        """:meth:`_add_row` on the frame's batch buffer; False (nothing done) without one or when unsure."""
        buf = self._buffer(spec)
        if buf is None:
            return False
        key = spec.ordered_within
        if key is None and position is not None:
            return False
        cells = canonical_cells(spec, buf.base, values)
        if cells is None:
            return False
        row = dict.fromkeys(buf.columns) | cells
        if row["id"] in buf.ids:
            return False
        for col in spec.refs:
            if row[col.name] is not None and row[col.name] not in self._idset(col.ref or ""):
                return False
        at = stop = len(buf.rows)
        if key is not None:
            placed = buf.place(row[key] if key else None, position)
            if placed is None:
                return False
            start, stop, at = placed
            row["order"] = at - start
        if row_may_break(spec, row) or any(buf.matches(cols, row) for cols in spec.unique):
            return False
        affected = (row["id"], *buf.ids_between(at, stop))
        buf.insert(at, row, stop if key is not None else None)
        self._emit(Change("add", spec.name, (row["id"],), (), {spec.name: affected}))
        return True

    def _update_buffered(self, spec: FrameSpec, row_id: Any, values: dict[str, Any]) -> bool:
        """:meth:`_update_row` on the frame's batch buffer; False (nothing done) without one or unsure."""
        if not values:
            return False
        buf = self._buffer(spec)
        if buf is None:
            return False
        try:
            row = buf.by_id.get(row_id)
        except TypeError:  # an unhashable id: the ordinary path says what is wrong
            return False
        if row is None:
            return False
        cells = canonical_cells(spec, buf.base, values)
        if cells is None:
            return False
        columns = set(values)
        read, combos = _rules_reading(spec, columns)
        view = {c: row[c] for c in read - columns} | cells
        if row_may_break(spec, view, columns):
            return False
        for col in spec.refs:
            v = view.get(col.name)
            if col.name in columns and v is not None and v not in self._idset(col.ref or ""):
                return False
        if any(buf.matches(cols, view, but=row) for cols in combos):
            return False
        changed = not all(same_value(row[c], v) for c, v in cells.items())
        buf.set(row, cells)
        if changed:  # a change that changes nothing is not announced
            self._emit(Change("update", spec.name, (row_id,), tuple(values), {spec.name: (row_id,)}))
        return True

    def _update_row(self, spec: FrameSpec, pos: int, row_id: str, values: dict[str, Any]) -> bool:
        """Set cells of one row the cheap way; False (nothing done) when only the full path can tell."""
        old = self._current(spec.name)
        cells = canonical_cells(spec, old, values)
        if cells is None:
            return False
        columns = set(values)
        read, combos = _rules_reading(spec, columns)
        row = {c: cell(old, pos, c) for c in read - columns} | cells
        if row_may_break(spec, row, columns):
            return False
        for col in spec.refs:
            v = row.get(col.name)
            if col.name in columns and v is not None and v not in self._idset(col.ref or ""):
                return False
        for cols in combos:
            hits = find_rows(old, {c: row[c] for c in cols})
            if len(hits[hits != pos]):
                return False
        changed = not all(same_value(cell(old, pos, c), v) for c, v in cells.items())
        new = set_row(old, pos, cells)
        cache = self.__dict__.setdefault("_ids", {})
        hit = cache.get(spec.name)
        self._replace(spec.name, new)
        if hit is not None and hit[0] is old:  # same ids: the set stays valid
            cache[spec.name] = (new, hit[1])
        if changed:  # a change that changes nothing is not announced
            self._emit(Change("update", spec.name, (row_id,), tuple(values), {spec.name: (row_id,)}))
        return True


def _rules_reading(spec: FrameSpec, columns: set[str]) -> tuple[set[str], list[tuple[str, ...]]]:
    """Return the columns the rules touched by an update of ``columns`` read, and its unique combinations.

    One-of and unique-combination rules read other cells of the row, which an
    update of a single row must therefore look up before it can vouch for it.
    """
    read = set(spec.one_of) if not columns.isdisjoint(spec.one_of) else set()
    combos = [cols for cols in spec.unique if not columns.isdisjoint(cols)]
    read.update(c for cols in combos for c in cols)
    return read, combos
