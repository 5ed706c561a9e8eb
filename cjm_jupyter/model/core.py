"""The journey's state and the generic, validated operations on it.

:class:`JourneyCore` holds the meta data and one DataFrame per frame. Every
operation builds new frames, validates the candidate state and only then
swaps it in, so an invalid change leaves the journey exactly as it was.
Stored frames are never mutated in place: a snapshot is a pair of
references, which is what makes :meth:`JourneyCore.batch` cheap.

Adding or updating one row takes a fast path that costs what it changes:
the row's cells are read as Python values, checked against the rules they
can break (their own, their id, their unique combination, their references,
their order group) and spliced into the stored frame, which stays sorted.
Whatever that path cannot vouch for cheaply goes the full way: coercion and
validation of the whole candidate frames, the reference for every rule and
message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from .buffer import FrameBuffer, bufferable
from .coerce import check_cells, check_meta_text, coerce_frame, empty_frame
from .diff import changed_ids, positions_in
from .events import Change, Observer
from .rows import block, canonical_cells, cell, find_rows, insert_row, renumbered, same_value, set_row
from .specs import FRAME_NAMES, FRAMES, META_FIELDS, FrameSpec
from .validate import row_may_break, validate_frame, validate_meta, validate_references

__all__ = ["JourneyCore", "new_id"]

_META_KEYS = tuple(META_FIELDS)
#: Meta fields stored as missing when given as "" (files cannot tell them apart).
_OPTIONAL_META = ("scenario", "description", "version", "owner", "updated_at", "reviewed_at")
#: Set by the journey itself: what :meth:`JourneyCore.set_meta` refuses.
_OWN_META = ("updated_at",)


def _utc_now() -> str:
    """The current instant as ``updated_at`` holds it (UTC, whole seconds); tests replace it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class JourneyCore:
    """State, validation, change notification and generic row operations."""

    #: Whether single-row adds and updates take the fast path. False makes every
    #: edit validate the whole candidate frames: the reference the fast path is
    #: tested against (tests/test_model_incremental.py) and the baseline of
    #: bench/bench_edits.py.
    _incremental: bool = True

    #: Fast-path edits of one frame inside a batch after which the frame is
    #: held as Python rows (:class:`~.buffer.FrameBuffer`) until it is read or
    #: the batch ends: building the buffer and the frame again costs about as
    #: much as a few edits of the DataFrame, each later edit a few microseconds.
    _BUFFER_AFTER: int = 4

    def __init__(
        self,
        name: str = "Untitled journey",
        *,
        scenario: str | None = None,
        kind: str = "current_state",
        description: str | None = None,
        frames: Mapping[str, pd.DataFrame] | None = None,
        version: str | None = None,
        owner: str | None = None,
        updated_at: str | None = None,
        reviewed_at: str | date | None = None,
    ) -> None:
        # updated_at is taken as given (a file read back keeps its instant): making a
        # journey is not a change of its content.
        meta = _normalise_meta(
            {
                "name": name,
                "scenario": scenario,
                "kind": kind,
                "description": description,
                "version": version,
                "owner": owner,
                "updated_at": updated_at,
                "reviewed_at": reviewed_at,
            }
        )
        validate_meta(meta)
        built = {n: empty_frame(spec) for n, spec in FRAMES.items()}
        for n, df in (frames or {}).items():
            built[_spec(n).name] = self._prepare(n, df, fill_order=True)
        for n in built:
            validate_frame(FRAMES[n], built[n])
        validate_references(built)
        self._meta: dict[str, Any] = meta
        self._frames: dict[str, pd.DataFrame] = _sorted(built)
        self._observers: list[Observer] = []
        self._pending: list[Change] | None = None
        self._ids: dict[str, tuple[pd.DataFrame, set[str]]] = {}

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
        """The stored frame ``name``, built from its buffer if a batch holds one; other buffers stay."""
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
        """The buffer of frame ``spec`` inside a batch once it is edited often enough, else None."""
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
        """The id of the first row of ``name`` whose cells equal ``criteria`` (None matches missing)."""
        buf = self.__dict__["_buffers"].get(name)
        if buf is not None and all(v is None or type(v) is str for v in criteria.values()):
            return buf.find(criteria)
        df = self._current(name)
        same = find_rows(df, criteria)
        return str(df["id"].iloc[same[0]]) if len(same) else None

    # -- meta data ---------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        """Name, scenario, kind, description, version, owner, updated_at and reviewed_at, as a new dict."""
        return dict(self._meta)

    def set_meta(self, **values: Any) -> None:
        """Set meta fields (``name``, ``scenario``, ``kind``, ``description``, ``version``,
        ``owner``, ``reviewed_at``); ``updated_at`` is the journey's own and cannot be set.
        """
        unknown = set(values) - set(_META_KEYS)
        if unknown:
            settable = (k for k in _META_KEYS if k not in _OWN_META)
            raise ValidationError(
                f"unknown journey field; expected one of {', '.join(settable)}",
                column=sorted(unknown)[0],
            )
        own = next((k for k in _OWN_META if k in values), None)
        if own is not None:
            raise ValidationError(
                "is set by the journey itself whenever its content changes; it cannot be set",
                column=own,
                value=values[own],
                has_value=True,
            )
        meta = _normalise_meta({**self._meta, **values})
        validate_meta(meta)
        if meta == self._meta:
            return  # nothing changed, nothing to announce
        self._meta = meta
        self._emit(Change("meta", columns=tuple(values)))

    # -- frames ------------------------------------------------------------
    def frame(self, name: str) -> pd.DataFrame:
        """A copy of the frame ``name``.

        Frames handed out are copies: editing one never changes the journey
        (pandas warns with ``ChainedAssignmentError`` when you try to assign
        into ``journey.stages`` directly). Change the journey with its methods
        or by assigning an edited frame back (``journey.stages = df``).
        """
        return self._frames[_spec(name).name].copy()

    def replace_frame(self, name: str, df: pd.DataFrame) -> None:
        """Replace a whole frame with a user's DataFrame, validated.

        Missing optional columns are added empty; an ordered frame without an
        ``order`` column is numbered in row order. Extra columns are kept.
        """
        spec = _spec(name)
        new = self._prepare(spec.name, df, fill_order=True)
        self._commit({spec.name: new}, Change("replace", spec.name, tuple(new["id"])))

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame by name, as copies."""
        return {n: df.copy() for n, df in self._frames.items()}

    def _stored(self) -> dict[str, pd.DataFrame]:
        """The stored frames themselves, not copies, for readers inside the package.

        Stored frames are never changed in place, so the editors may keep them
        to undo an edit and compare them by identity to tell which changed:
        copying every frame on every edit costs more than the edit. Callers
        must not modify them.
        """
        return dict(self._frames)

    # -- observers ---------------------------------------------------------
    def observe(self, callback: Observer) -> Observer:
        """Call ``callback(change)`` after every logical change.

        Returns the callback, so it can be used as a decorator; pass it to
        :meth:`unobserve` to stop. Exceptions raised by observers are re-raised
        after every observer has been called; the change itself stays made.
        """
        if not callable(callback):
            raise TypeError("observer must be callable")
        self._observers.append(callback)
        return callback

    def unobserve(self, callback: Observer) -> None:
        """Stop calling ``callback``; unknown callbacks are ignored."""
        # == rather than `is`: each access to a bound method makes a new object.
        self._observers = [cb for cb in self._observers if cb != callback]

    @contextmanager
    def batch(self) -> Iterator[JourneyCore]:
        """Group several changes into one, all or nothing.

        Inside the block every change is still validated. If the block raises,
        the journey returns to its state before the block; otherwise observers
        get one ``Change(kind="batch")`` carrying the grouped changes. Nested
        batches join the outer one.
        """
        snapshot = (self._frames, self._meta)
        outer = self._pending is None
        if outer:
            self._pending = []
            self.__dict__["_edits"] = {}
        assert self._pending is not None
        mark = len(self._pending)
        try:
            yield self
        except BaseException:
            # A failing inner batch undoes its own part only.
            self._frames, self._meta = snapshot
            del self._pending[mark:]
            if outer:
                self._pending = None
            raise
        if not outer:
            return
        changes, self._pending = tuple(self._pending), None
        for name in list(self.__dict__["_buffers"]):  # observers read the frames: build them once now
            self._current(name)
        self.__dict__["_edits"] = {}
        if changes:
            affected: dict[str, tuple[str, ...]] = {}
            for ch in changes:
                for n, ids in ch.affected.items():
                    affected[n] = tuple(dict.fromkeys(affected.get(n, ()) + ids))
            self._emit(Change("batch", affected=affected, changes=changes))

    # -- generic row operations ---------------------------------------------
    def add(self, frame: str, /, *, position: int | None = None, **values: Any) -> str:
        """Add a row to ``frame`` and return its id.

        Parameters
        ----------
        frame : str
            Frame name, e.g. ``"pain_points"``.
        position : int, optional
            For ordered frames (stages, touchpoints), the 0-based position
            inside the stage; default: at the end.
        **values
            Cell values by column; unknown names become extra columns. An
            ``id`` is generated from the name when not given.
        """
        spec = _spec(frame)
        values = _check_scalars(spec, values)
        if values.get("id") is None:
            values["id"] = self._new_id(spec, values.get("name") or values.get("lane"))
        if "order" in values and spec.ordered_within is not None:
            raise ValidationError("pass position=..., not order", frame=spec.name, column="order")
        fast = self._incremental and (
            self._add_buffered(spec, values, position) or self._add_row(spec, values, position)
        )
        if fast:
            return str(values["id"])
        df = self._frames[spec.name]
        if spec.ordered_within is not None:
            df, values["order"] = _make_room(spec, df, values.get(spec.ordered_within), position)
        elif position is not None:
            raise ValidationError("this frame has no order", frame=spec.name, column="order")
        new = _append(df, values)
        self._commit({spec.name: self._prepare(spec.name, new)}, Change("add", spec.name, (values["id"],)))
        return str(values["id"])

    def update(self, frame: str, id: str, /, **values: Any) -> None:
        """Set cells of the row ``id`` in ``frame``.

        Ids are stable and cannot be changed; positions change with the
        ``move_*`` methods. Unknown column names become extra columns.
        """
        spec = _spec(frame)
        values = _check_scalars(spec, values, row_id=id)
        fixed = ("id",) if spec.ordered_within is None else ("id", "order", spec.ordered_within)
        for col in fixed:
            if col and col in values:
                hint = "ids are stable" if col == "id" else "use the move_* methods to change position"
                raise ValidationError(
                    f"cannot be set with update; {hint}", frame=spec.name, row_id=id, column=col
                )
        if self._incremental and self._update_buffered(spec, id, values):
            return
        pos = self._position(spec, id)
        if not values:
            return
        if self._incremental and self._update_row(spec, pos, id, values):
            return
        new = _set_cells(self._frames[spec.name], pos, values)
        self._commit(
            {spec.name: self._prepare(spec.name, new)},
            Change("update", spec.name, (id,), columns=tuple(values)),
            columns=tuple(values),
        )

    def remove(self, frame: str, ids: str | Iterable[str], /, *, cascade: bool = False) -> None:
        """Remove rows by id.

        Rows of other frames that refer to them block the removal unless
        ``cascade=True``; then they are removed too (or their reference is
        cleared, for optional links such as an opportunity's pain point).
        """
        spec = _spec(frame)
        ids = (ids,) if isinstance(ids, str) else tuple(ids)
        for row_id in ids:
            self._position(spec, row_id)
        updates = _cascade(self._frames, spec.name, set(ids), cascade)
        self._commit(updates, Change("remove", spec.name, ids))

    def move(self, frame: str, id: str, /, position: int, *, group: str | None = None) -> None:
        """Move a row of an ordered frame to ``position`` (inside ``group``).

        For touchpoints, ``group`` is the target stage id (default: its own).
        """
        spec = _spec(frame)
        if spec.ordered_within is None:
            raise ValidationError("this frame has no order", frame=spec.name, column="order")
        df = self._frames[spec.name]
        pos = self._position(spec, id)
        key = spec.ordered_within
        if key and group is not None:
            df = _set_cells(df, pos, {key: group})
            self._position(FRAMES[spec.column(key).ref or ""], group)
        without = _renumber(spec, df.drop(index=df.index[pos]))
        target = df[key].iloc[pos] if key else None
        room, position = _make_room(spec, without, target, position)
        row = df.iloc[[pos]].assign(order=position)
        new = pd.concat([room, row], ignore_index=True)
        self._commit({spec.name: self._prepare(spec.name, new)}, Change("move", spec.name, (id,)))

    def reorder(self, frame: str, ids: Sequence[str], /) -> None:
        """Put the rows ``ids`` of an ordered frame in this order.

        For touchpoints, ``ids`` must be every touchpoint of one stage.
        """
        spec = _spec(frame)
        if spec.ordered_within is None:
            raise ValidationError("this frame has no order", frame=spec.name, column="order")
        df = self._frames[spec.name]
        positions = [self._position(spec, i) for i in ids]
        key = spec.ordered_within
        group = df[key].iloc[positions[0]] if key and positions else None
        members = df.index[df[key] == group] if key else df.index
        if sorted(positions) != sorted(members.tolist()) or len(set(ids)) != len(ids):
            raise ValidationError(
                "reorder needs every row of the group exactly once",
                frame=spec.name,
                column="order",
                value=list(ids),
            )
        new = df.copy()
        new.loc[df.index[positions], "order"] = range(len(positions))
        self._commit({spec.name: self._prepare(spec.name, new)}, Change("move", spec.name, tuple(ids)))

    # -- internals -----------------------------------------------------------
    def _prepare(self, name: str, df: pd.DataFrame, *, fill_order: bool = False) -> pd.DataFrame:
        spec = _spec(name)
        old = self.__dict__.get("_store", {}).get(spec.name)
        hints = {}
        if old is not None:
            builtin = set(spec.column_names)
            hints = {c: str(t) for c, t in old.dtypes.items() if c not in builtin}
        return coerce_frame(spec, df, fill_order=fill_order, extra_dtypes=hints)

    def _position(self, spec: FrameSpec, row_id: Any) -> int:
        check_cells(spec.name, {"id": row_id})  # before pandas compares it (see check_cells)
        hits = (self._current(spec.name)["id"] == row_id).to_numpy(dtype=bool, na_value=False).nonzero()[0]
        if not len(hits):
            raise ValidationError(f"no {spec.singular} with this id", frame=spec.name, row_id=row_id)
        return int(hits[0])

    def _new_id(self, spec: FrameSpec, label: Any) -> str:
        return new_id(spec, label, self._idset(spec.name))

    def _idset(self, name: str) -> set[str]:
        """The ids of frame ``name``, kept with the frame they were read from.

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

    def _commit(
        self, updates: Mapping[str, pd.DataFrame], change: Change, *, columns: Sequence[str] | None = None
    ) -> None:
        """Validate ``updates`` against the other frames, swap them in, announce the change.

        ``columns``: the only columns the updates changed (an ``update``), so
        only the rules involving them are checked; the stored frames were valid.
        """
        old = self._frames
        frames = {**old, **updates}
        for name in updates:
            validate_frame(FRAMES[name], frames[name], columns)
        shrunk = [name for name in updates if _lost_ids(old[name], frames[name])]
        validate_references(frames, changed=updates, shrunk=shrunk)
        if any(_moved(old[n], frames[n]) for n in ("stages", "touchpoints") if n in updates):
            frames = _sorted(frames)
        affected = {}
        for name in updates:
            ids = changed_ids(self._frames[name], frames[name])
            if ids:
                affected[name] = ids
        self._frames = frames
        if affected:  # a change that changes nothing is not announced
            self._emit(Change(change.kind, change.frame, change.ids, change.columns, affected))

    def _emit(self, change: Change) -> None:
        if self._pending is not None:
            self._pending.append(change)
            return
        # Stamped before observers hear the change, so they see it; a batch
        # reaches here once, at its end, so it gets one instant.
        self._meta = {**self._meta, "updated_at": _utc_now()}
        errors = []
        for callback in list(self._observers):
            try:
                callback(change)
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]


def _normalise_meta(meta: dict[str, Any]) -> dict[str, Any]:
    check_meta_text(meta)  # text no file can store is refused here, as in frames
    out = {}
    for key in _META_KEYS:  # always every field, in one order: files list them so
        value = meta.get(key)
        if key in _OPTIONAL_META and isinstance(value, str) and value == "":
            value = None  # as in frames, "" is stored as missing: files cannot tell them apart
        elif key == "reviewed_at" and isinstance(value, date):
            value = (value.date() if isinstance(value, datetime) else value).isoformat()
        out[key] = value
    return out


def _spec(name: str) -> FrameSpec:
    try:
        return FRAMES[name]
    except (KeyError, TypeError):
        raise ValidationError(
            f"unknown frame; expected one of {', '.join(FRAME_NAMES)}", frame=str(name)
        ) from None


def new_id(spec: FrameSpec, label: Any, taken: Collection[str]) -> str:
    """A fresh id for a row of ``spec``: the slug of ``label`` (e.g. its name), else the frame's prefix.

    ``taken`` holds the frame's ids; a taken slug gets ``-2``, ``-3``...; without
    a label the id is ``<prefix>-<n>`` after the number of ids. The file readers
    give rows typed without an id the same ids :meth:`JourneyCore.add` would.

    Examples
    --------
    >>> from cjm_jupyter.model.specs import FRAMES
    >>> new_id(FRAMES["stages"], "Check out!", {"check-out"})
    'check-out-2'
    >>> new_id(FRAMES["touchpoints"], None, {"a", "b"})
    'tp-3'
    """
    base = _slug(label) if isinstance(label, str) else ""
    if base and base not in taken:
        return base
    stem = base or spec.id_prefix
    k = 2 if base else len(taken) + 1
    while f"{stem}-{k}" in taken:
        k += 1
    return f"{stem}-{k}"


def _slug(text: str) -> str:
    # \w keeps Cyrillic, Polish and Latvian letters: ids stay readable.
    return re.sub(r"[^\w]+", "-", text.strip().lower()).strip("-_")[:40].rstrip("-_")


def _check_scalars(spec: FrameSpec, values: Mapping[str, Any], row_id: str | None = None) -> dict[str, Any]:
    for col, value in values.items():
        if not (pd.api.types.is_scalar(value) or isinstance(value, (date, datetime))):
            raise ValidationError(
                "a cell holds one value (text, number, date), not a container",
                frame=spec.name,
                column=col,
                value=value,
                has_value=True,
            )
    check_cells(spec.name, values, row_id)  # text no file can store, before pandas sees it
    return dict(values)


def _append(df: pd.DataFrame, values: Mapping[str, Any]) -> pd.DataFrame:
    grown = df.reindex(range(len(df) + 1))
    return _set_cells(grown, len(df), values)


def _set_cells(df: pd.DataFrame, pos: int, values: Mapping[str, Any]) -> pd.DataFrame:
    """A copy of ``df`` with cells of row ``pos`` set; edited columns become object.

    Object columns are re-coerced by :func:`coerce_frame`, which is where a
    wrong type is reported with the column's name instead of a pandas error.
    """
    df = df.copy()
    for col, value in values.items():
        column = (
            df[col].astype(object) if col in df.columns else pd.Series(pd.NA, index=df.index, dtype=object)
        )
        column.iloc[pos] = pd.NA if value is None else value
        df[col] = column
    return df


def _make_room(
    spec: FrameSpec, df: pd.DataFrame, group: Any, position: int | None
) -> tuple[pd.DataFrame, int]:
    """Shift rows of ``group`` at or after ``position`` one place down."""
    key = spec.ordered_within
    members = (
        (df[key] == group).to_numpy(dtype=bool, na_value=False)
        if key
        else pd.Series(True, index=df.index).to_numpy()
    )
    size = int(members.sum())
    if position is None:
        return df, size
    if (
        isinstance(position, (bool, np.bool_))
        or not isinstance(position, Integral)
        or not 0 <= position <= size
    ):
        raise ValidationError(
            f"position must be an integer from 0 to {size}",
            frame=spec.name,
            column="order",
            value=position,
            has_value=True,
        )
    position = int(position)
    df = df.copy()
    shift = members & (df["order"] >= position).to_numpy(dtype=bool, na_value=False)
    df.loc[shift, "order"] = df.loc[shift, "order"] + 1
    return df, position


def _renumber(spec: FrameSpec, df: pd.DataFrame) -> pd.DataFrame:
    """Close gaps left by removed rows: positions run 0..n-1 again."""
    df = df.reset_index(drop=True)
    key = spec.ordered_within
    if key is None:
        return df
    ranked = df.sort_values([key, "order"] if key else ["order"], kind="stable")
    order = (
        ranked.groupby(key, dropna=False).cumcount() if key else pd.Series(range(len(df)), index=ranked.index)
    )
    return df.assign(order=order.reindex(df.index).astype("Int64"))


def _cascade(
    frames: Mapping[str, pd.DataFrame], name: str, ids: set[str], cascade: bool
) -> dict[str, pd.DataFrame]:
    """New versions of every frame touched by removing ``ids`` from ``name``."""
    removed: dict[str, set[str]] = {name: set(ids)}
    cleared: dict[tuple[str, str], set[str]] = {}
    queue = [name]
    while queue:
        parent = queue.pop()
        for child, spec in FRAMES.items():
            for col in spec.refs:
                if col.ref != parent:
                    continue
                df = frames[child]
                hits = df.loc[
                    df[col.name].isin(removed[parent]).fillna(False)
                    & ~df["id"].isin(removed.get(child, set()))
                ]
                if hits.empty:
                    continue
                if not cascade:
                    raise ValidationError(
                        f"still used by {child} {', '.join(map(repr, hits['id'].head(5)))}; "
                        "pass cascade=True to remove or unlink them too",
                        frame=parent,
                        row_id=next(iter(sorted(set(hits[col.name]) & removed[parent]))),
                    )
                if col.on_delete == "cascade":
                    removed.setdefault(child, set()).update(hits["id"])
                    queue.append(child)
                else:
                    cleared.setdefault((child, col.name), set()).update(hits["id"])
    out = {}
    for child in set(removed) | {c for c, _ in cleared}:
        df = frames[child]
        for (c, col), row_ids in cleared.items():
            if c == child:
                df = df.assign(**{col: df[col].mask(df["id"].isin(row_ids), pd.NA)})
        df = df.loc[~df["id"].isin(removed.get(child, set()))]
        out[child] = _renumber(FRAMES[child], df)
    return out


def _lost_ids(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    """Whether some id of ``old`` is not in ``new`` (a reference to it may have broken)."""
    if old["id"].equals(new["id"]):
        return False
    return bool((positions_in(old["id"].dropna(), new["id"].dropna()) < 0).any())


def _moved(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    """Whether rows of a stored (sorted) frame may need sorting again in ``new``.

    Same ids in the same rows with the same positions (and, for touchpoints,
    stages) keep the order they were sorted in: an edit of a name re-sorts
    nothing, which on a 2,400-touchpoint map is most of an edit's time.
    """
    keys = [c for c in ("id", "order", "stage_id") if c in old.columns]
    return len(old) != len(new) or not all(c in new.columns and old[c].equals(new[c]) for c in keys)


def _sorted(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Stages by position; touchpoints by stage position, then position."""
    out = dict(frames)
    stages = frames["stages"].sort_values("order", kind="stable").reset_index(drop=True)
    out["stages"] = stages
    tps = frames["touchpoints"]
    rank = tps["stage_id"].map(dict(zip(stages["id"], stages["order"], strict=True)))
    out["touchpoints"] = (
        tps.assign(_rank=rank.astype("Int64"))
        .sort_values(["_rank", "order"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    return out


def _rules_reading(spec: FrameSpec, columns: set[str]) -> tuple[set[str], list[tuple[str, ...]]]:
    """The columns that the rules touched by an update of ``columns`` read, and its unique combinations.

    One-of and unique-combination rules read other cells of the row, which an
    update of a single row must therefore look up before it can vouch for it.
    """
    read = set(spec.one_of) if not columns.isdisjoint(spec.one_of) else set()
    combos = [cols for cols in spec.unique if not columns.isdisjoint(cols)]
    read.update(c for cols in combos for c in cols)
    return read, combos
