"""The journey's state and the generic, validated operations on it.

:class:`JourneyCore` holds the meta data and one DataFrame per frame. Every
operation builds new frames, validates the candidate state and only then
swaps it in, so an invalid change leaves the journey exactly as it was.
Stored frames are never mutated in place: a snapshot is a pair of
references, which is what makes :meth:`JourneyCore.batch` cheap.

Adding or updating one row takes a fast path that costs what it changes
(:class:`~.store.FrameStore`, which also keeps the stored frames). Whatever
that path cannot vouch for cheaply goes the full way here: coercion and
validation of the whole candidate frames (:mod:`.frame_ops`), the reference
for every rule and message.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from ..errors import ValidationError
from .coerce import check_cells, check_meta_text, coerce_frame, empty_frame
from .diff import changed_ids
from .events import Change, Observer
from .frame_ops import (
    append_row,
    cascade_removal,
    lost_ids,
    make_room,
    moved,
    renumber,
    set_cells,
    sort_frames,
)
from .specs import FRAME_NAMES, FRAMES, META_FIELDS, FrameSpec
from .store import FrameStore
from .validate import validate_frame, validate_meta, validate_references

__all__ = ["JourneyCore", "new_id"]

_META_KEYS = tuple(META_FIELDS)
#: Meta fields stored as missing when given as "" (files cannot tell them apart).
_OPTIONAL_META = ("scenario", "description", "version", "owner", "updated_at", "reviewed_at")
#: Set by the journey itself: what :meth:`JourneyCore.set_meta` refuses.
_OWN_META = ("updated_at",)


def _utc_now() -> str:
    """Return the current instant as ``updated_at`` holds it (UTC, whole seconds); tests replace it."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class JourneyCore(FrameStore):
    """State, validation, change notification and generic row operations."""

    #: Whether single-row adds and updates take the fast path. False makes every
    #: edit validate the whole candidate frames: the reference the fast path is
    #: tested against (tests/model/test_incremental.py) and the baseline of
    #: bench/bench_edits.py.
    _incremental: bool = True

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
        self._frames: dict[str, pd.DataFrame] = sort_frames(built)
        self._observers: list[Observer] = []
        self._pending: list[Change] | None = None
        self._ids: dict[str, tuple[pd.DataFrame, set[str]]] = {}

    # -- meta data ---------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        """Name, scenario, kind, description, version, owner, updated_at and reviewed_at, as a new dict."""
        return dict(self._meta)

    def set_meta(self, **values: Any) -> None:
        """Set meta fields of the journey; one change, announced to observers.

        Parameters
        ----------
        **values
            New values of ``name``, ``scenario``, ``kind``, ``description``,
            ``version``, ``owner`` or ``reviewed_at``; ``""`` and None clear an
            optional field. ``updated_at`` is the journey's own and cannot be set.

        Raises
        ------
        ValidationError
            If a field is unknown or ``updated_at``, or a value breaks a rule
            (an unknown ``kind``, a ``reviewed_at`` that is not a date...).

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> j.set_meta(owner="CX team", version="2")
        >>> j.meta["owner"], j.meta["version"]
        ('CX team', '2')
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
        """Return a copy of the frame ``name``.

        Frames handed out are copies: editing one never changes the journey
        (pandas warns with ``ChainedAssignmentError`` when you try to assign
        into ``journey.stages`` directly). Change the journey with its methods
        or by assigning an edited frame back (``journey.stages = df``).

        Parameters
        ----------
        name : str
            A frame name (see :data:`cjm_jupyter.FRAME_NAMES`).

        Returns
        -------
        DataFrame
            A copy of the frame.

        Raises
        ------
        ValidationError
            If ``name`` is not a frame name.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> j.frame("stages")[["id", "name", "order"]].to_dict("records")
        [{'id': 'research', 'name': 'Research', 'order': 0}]
        """
        return self._frames[_spec(name).name].copy()

    def replace_frame(self, name: str, df: pd.DataFrame) -> None:
        """Replace a whole frame with a user's DataFrame, validated.

        Missing optional columns are added empty; an ordered frame without an
        ``order`` column is numbered in row order. Extra columns are kept.
        ``journey.stages = df`` does the same.

        Parameters
        ----------
        name : str
            A frame name (see :data:`cjm_jupyter.FRAME_NAMES`).
        df : DataFrame
            The new content of the frame.

        Raises
        ------
        ValidationError
            If ``name`` is not a frame name, or the frame (or the references
            of other frames to it) breaks a rule; the journey stays as it was.

        Examples
        --------
        >>> import pandas as pd
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> j.replace_frame("stages", pd.DataFrame({"id": ["s1", "s2"], "name": ["Research", "Buy"]}))
        >>> j.stages[["id", "order"]].to_dict("list")
        {'id': ['s1', 's2'], 'order': [0, 1]}
        """
        spec = _spec(name)
        new = self._prepare(spec.name, df, fill_order=True)
        self._commit({spec.name: new}, Change("replace", spec.name, tuple(new["id"])))

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        """Every frame by name, as copies."""
        return {n: df.copy() for n, df in self._frames.items()}

    def _stored(self) -> dict[str, pd.DataFrame]:
        """Return the stored frames themselves, not copies, for readers inside the package.

        Stored frames are never changed in place, so the editors may keep them
        to undo an edit and compare them by identity to tell which changed:
        copying every frame on every edit costs more than the edit. Callers
        must not modify them.
        """
        return dict(self._frames)

    # -- observers ---------------------------------------------------------
    def observe(self, callback: Observer) -> Observer:
        """Call ``callback(change)`` after every logical change.

        Exceptions raised by observers are re-raised after every observer has
        been called; the change itself stays made.

        Parameters
        ----------
        callback : callable
            Called with one :class:`~cjm_jupyter.Change` per change.

        Returns
        -------
        callable
            ``callback``, so this works as a decorator; pass it to
            :meth:`unobserve` to stop.

        Raises
        ------
        TypeError
            If ``callback`` is not callable.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> @j.observe
        ... def show(change):
        ...     print(change.kind, change.frame, change.ids)
        >>> _ = j.add_stage("Research")
        add stages ('research',)
        """
        if not callable(callback):
            raise TypeError("observer must be callable")
        self._observers.append(callback)
        return callback

    def unobserve(self, callback: Observer) -> None:
        """Stop calling ``callback``; unknown callbacks are ignored.

        Parameters
        ----------
        callback : callable
            A callback given to :meth:`observe`.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> seen = []
        >>> _ = j.observe(seen.append)
        >>> _ = j.add_stage("Research")
        >>> j.unobserve(seen.append)
        >>> _ = j.add_stage("Purchase")
        >>> len(seen)
        1
        """
        # == rather than `is`: each access to a bound method makes a new object.
        self._observers = [cb for cb in self._observers if cb != callback]

    @contextmanager
    def batch(self) -> Iterator[JourneyCore]:
        """Group several changes into one, all or nothing.

        Inside the block every change is still validated. If the block raises,
        the journey returns to its state before the block; otherwise observers
        get one ``Change(kind="batch")`` carrying the grouped changes. Nested
        batches join the outer one.

        Yields
        ------
        Journey
            The journey itself.

        Examples
        --------
        >>> from cjm_jupyter import Journey, ValidationError
        >>> j = Journey("Shop")
        >>> try:
        ...     with j.batch():
        ...         _ = j.add_stage("Research")
        ...         _ = j.add_stage("Purchase", position=5)  # out of range: nothing stays
        ... except ValidationError:
        ...     pass
        >>> len(j.stages)
        0
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

        Returns
        -------
        str
            The new row's id.

        Raises
        ------
        ValidationError
            If ``frame`` is unknown, ``order`` is given (pass ``position``),
            ``position`` is out of range or given for a frame without order, a
            cell holds a container, or the row breaks a rule (a taken id, an
            unknown reference, a value out of range...).

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add("stages", name="Research")
        >>> j.add("stages", name="Purchase", position=0)
        'purchase'
        >>> j.add("pain_points", description="Slow site", stage_id=s, source="survey", basis="measured")
        'pain-1'
        >>> j.stages["name"].tolist()
        ['Purchase', 'Research']
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
            df, values["order"] = make_room(spec, df, values.get(spec.ordered_within), position)
        elif position is not None:
            raise ValidationError("this frame has no order", frame=spec.name, column="order")
        new = append_row(df, values)
        self._commit({spec.name: self._prepare(spec.name, new)}, Change("add", spec.name, (values["id"],)))
        return str(values["id"])

    def update(self, frame: str, id: str, /, **values: Any) -> None:
        """Set cells of the row ``id`` in ``frame``.

        Ids are stable and cannot be changed; positions change with the
        ``move_*`` methods. Unknown column names become extra columns.

        Parameters
        ----------
        frame : str
            Frame name, e.g. ``"pain_points"``.
        id : str
            The row's id.
        **values
            The cells to set, by column; None empties a cell.

        Raises
        ------
        ValidationError
            If ``frame`` or the row is unknown, ``id`` or a position column
            is given, or the new cells break a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add("stages", name="Research")
        >>> j.update("stages", s, description="Looking around")
        >>> j.stages.loc[0, "description"]
        'Looking around'
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
        new = set_cells(self._frames[spec.name], pos, values)
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

        Parameters
        ----------
        frame : str
            Frame name.
        ids : str or iterable of str
            The id or ids of the rows to remove.
        cascade : bool, default False
            Also remove (or unlink) the rows that refer to them.

        Raises
        ------
        ValidationError
            If ``frame`` or an id is unknown, or rows still refer to them and
            ``cascade`` is False.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> ids = [j.add("stages", name=n) for n in ("Research", "Purchase", "Use")]
        >>> j.remove("stages", ids[:2])
        >>> j.stages[["name", "order"]].to_dict("records")
        [{'name': 'Use', 'order': 0}]
        """
        spec = _spec(frame)
        ids = (ids,) if isinstance(ids, str) else tuple(ids)
        for row_id in ids:
            self._position(spec, row_id)
        updates = cascade_removal(self._frames, spec.name, set(ids), cascade)
        self._commit(updates, Change("remove", spec.name, ids))

    def move(self, frame: str, id: str, /, position: int, *, group: str | None = None) -> None:
        """Move a row of an ordered frame to ``position`` (inside ``group``).

        Parameters
        ----------
        frame : str
            An ordered frame: ``"stages"`` or ``"touchpoints"``.
        id : str
            The row's id.
        position : int
            The 0-based place inside its group.
        group : str, optional
            For touchpoints, the target stage id (default: its own).

        Raises
        ------
        ValidationError
            If the frame has no order, the row or ``group`` is unknown, or
            ``position`` is out of range.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> a, b = j.add("stages", name="Research"), j.add("stages", name="Purchase")
        >>> j.move("stages", b, 0)
        >>> j.stages["name"].tolist()
        ['Purchase', 'Research']
        """
        spec = _spec(frame)
        if spec.ordered_within is None:
            raise ValidationError("this frame has no order", frame=spec.name, column="order")
        df = self._frames[spec.name]
        pos = self._position(spec, id)
        key = spec.ordered_within
        if key and group is not None:
            df = set_cells(df, pos, {key: group})
            self._position(FRAMES[spec.column(key).ref or ""], group)
        without = renumber(spec, df.drop(index=df.index[pos]))
        target = df[key].iloc[pos] if key else None
        room, position = make_room(spec, without, target, position)
        row = df.iloc[[pos]].assign(order=position)
        new = pd.concat([room, row], ignore_index=True)
        self._commit({spec.name: self._prepare(spec.name, new)}, Change("move", spec.name, (id,)))

    def reorder(self, frame: str, ids: Sequence[str], /) -> None:
        """Put the rows ``ids`` of an ordered frame in this order.

        Parameters
        ----------
        frame : str
            An ordered frame: ``"stages"`` or ``"touchpoints"``.
        ids : sequence of str
            Every row of the group (all stages; every touchpoint of one
            stage), each once, in the new order.

        Raises
        ------
        ValidationError
            If the frame has no order, an id is unknown, or ``ids`` does not
            hold every row of the group exactly once.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> ids = [j.add("stages", name=n) for n in ("Research", "Purchase")]
        >>> j.reorder("stages", ids[::-1])
        >>> j.stages["name"].tolist()
        ['Purchase', 'Research']
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
        shrunk = [name for name in updates if lost_ids(old[name], frames[name])]
        validate_references(frames, changed=updates, shrunk=shrunk)
        if any(moved(old[n], frames[n]) for n in ("stages", "touchpoints") if n in updates):
            frames = sort_frames(frames)
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
    """Return a fresh id for a row of ``spec``: the slug of ``label`` (its name...), else the frame's prefix.

    ``taken`` holds the frame's ids; a taken slug gets ``-2``, ``-3``...; without
    a label the id is ``<prefix>-<n>`` after the number of ids. The file readers
    give rows typed without an id the same ids :meth:`JourneyCore.add` would.

    Parameters
    ----------
    spec : FrameSpec
        The frame's spec (its ``id_prefix``).
    label : Any
        Text to make the id from (a name); anything else uses the prefix.
    taken : collection of str
        The ids the frame holds.

    Returns
    -------
    str
        An id not in ``taken``.

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
