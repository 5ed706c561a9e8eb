"""What changed between two versions of a journey, one row per change.

:func:`diff` compares every frame of :data:`~.specs.FRAMES` (and any column a
user added) row by row, matching rows by ``id``, plus the journey's meta
fields; ``updated_at`` is left out, as :meth:`Journey.equals` leaves it out:
it says *when* the content changed, not *what*.

Kinds of change
    ``added`` / ``removed``
        A row whose id is only in the new / only in the old journey (one
        change row, ``column`` None).
    ``changed``
        One change row per cell that differs (missing equals missing).
    ``moved``
        The place of a row of an ordered frame (stages, touchpoints): a
        touchpoint now in another stage (``column`` ``"stage_id"``), or a row
        whose position among the rows of both versions changed (``column``
        ``"order"``). Rows shifted only because a row was added, removed or
        moved before them are not moves; of rows that swapped places, the
        fewest are named (the others keep their order: a longest increasing
        subsequence).

Why a DataFrame subclass
    pandas suggests composition or an accessor before subclassing, but the
    issue asks for a tidy frame one can filter, group and save like any
    other, and composition would hide that frame behind an attribute. The
    subclass adds one method and the two journeys' snapshots it needs for
    names; pandas' documented hooks (``_metadata``, ``_constructor``) keep both
    through filtering and sorting. A column taken out is a plain Series, and
    an operation that drops the snapshots (``pd.concat``) leaves a summary
    that names rows by id.
"""

from __future__ import annotations

import bisect
import html
import math
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .diff import changed_ids, positions_in
from .specs import FRAMES

__all__ = ["JourneyDiff", "ChangeSummary", "diff", "DIFF_COLUMNS", "KINDS"]

#: The columns of a diff, in order.
DIFF_COLUMNS = ("frame", "row_id", "kind", "column", "old", "new", "shift")
#: The kinds of change.
KINDS = ("added", "removed", "changed", "moved")
#: Meta fields that say when, not what: never a change.
IGNORED_META = frozenset({"updated_at"})


# -- the result ------------------------------------------------------------------------
class JourneyDiff(pd.DataFrame):
    """The changes from one journey to another, one row per change (see :func:`diff`).

    Columns: ``frame`` (a frame name, or ``"meta"``), ``row_id`` (None for
    meta), ``kind`` (``added``, ``removed``, ``changed``, ``moved``), ``column``,
    ``old`` and ``new`` (Python values, None when missing) and ``shift`` (for
    an emotion's ``score``: new - old). :meth:`summary` words the changes.
    """

    _metadata: ClassVar[list[str]] = ["_before", "_after"]
    _before: Any = None
    _after: Any = None

    @property
    def _constructor(self) -> type[JourneyDiff]:
        return JourneyDiff

    def summary(self) -> ChangeSummary:
        """Return the changes as sentences, with names rather than ids.

        Returns
        -------
        ChangeSummary
            A tuple of lines; ``print`` shows one per line, a notebook a list.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> a = Journey("Shop")
        >>> research = a.add_stage("Research")
        >>> b = a.copy()
        >>> b.update_stage(research, name="Discovery")
        >>> print(a.diff(b).summary())
        Stage 'Research' renamed to 'Discovery'
        """
        missing = [c for c in DIFF_COLUMNS if c != "shift" and c not in self.columns]
        if missing:
            raise ValueError(f"a summary needs the diff's columns; missing: {', '.join(missing)}")
        names = _Names(self._before, self._after)
        rows = self.to_dict("records")
        return ChangeSummary(_sentence(r, names) for r in rows)


class ChangeSummary(tuple[str, ...]):
    """Lines describing changes; printed one per line (``"No changes."`` when empty)."""

    def __new__(cls, lines: Iterable[str] = ()) -> ChangeSummary:
        """Make a summary of ``lines``."""
        return super().__new__(cls, lines)

    def __str__(self) -> str:
        """Return the lines, one per line, or ``"No changes."``."""
        return "\n".join(self) if self else "No changes."

    def __repr__(self) -> str:
        """Return the lines as :meth:`__str__` does: a summary ending a cell prints as text."""
        return str(self)

    def _repr_html_(self) -> str:
        if not self:
            return "<p>No changes.</p>"
        # Every line holds user text: escaped, never markup.
        return "<ul>" + "".join(f"<li>{html.escape(line)}</li>" for line in self) + "</ul>"


# -- computing the diff -------------------------------------------------------------------
@dataclass
class _Block:
    """Change rows of one kind in one frame, as parallel arrays."""

    frame: str
    kind: str
    row_id: np.ndarray
    column: np.ndarray
    old: np.ndarray
    new: np.ndarray
    shift: np.ndarray | None = None
    sort_key: np.ndarray = field(default_factory=lambda: np.zeros(0))


def diff(a: Any, b: Any) -> JourneyDiff:
    """Return what changed from journey ``a`` to journey ``b``, one row per change.

    Parameters
    ----------
    a, b : Journey
        The old and the new version (any two journeys: rows are matched by id).

    Returns
    -------
    JourneyDiff
        A DataFrame with the columns ``frame``, ``row_id``, ``kind``, ``column``,
        ``old``, ``new``, ``shift``: meta changes first, then each frame in
        :data:`FRAMES` order (added, removed, then moved and changed rows in
        the new journey's row order). Empty when the journeys have the same
        content. ``shift`` is ``new - old`` for an emotion's ``score``.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> a = Journey("Shop")
    >>> s = a.add_stage("Research")
    >>> b = a.copy()
    >>> tp = b.add_touchpoint(s, "Chatbot")
    >>> b.diff(b.copy()).empty
    True
    >>> a.diff(b)[["frame", "row_id", "kind"]].to_dict("records")
    [{'frame': 'touchpoints', 'row_id': 'chatbot', 'kind': 'added'}]
    """
    blocks = list(_meta_changes(a.meta, b.meta))
    old_frames, new_frames = a._stored(), b._stored()
    for name in dict.fromkeys([*FRAMES, *old_frames, *new_frames]):
        old, new = old_frames.get(name), new_frames.get(name)
        if old is None and new is None:
            continue
        blocks.extend(_frame_changes(name, _or_empty(old, new), _or_empty(new, old)))
    out = _to_frame(blocks)
    out._before, out._after = a.copy(), b.copy()  # snapshots: later edits don't rename the summary
    return out


def _or_empty(df: pd.DataFrame | None, like: pd.DataFrame | None) -> pd.DataFrame:
    return df if df is not None else like.iloc[0:0]  # type: ignore[union-attr]


def _meta_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[_Block]:
    keys = [k for k in dict.fromkeys([*old, *new]) if k not in IGNORED_META]
    changed = [k for k in keys if not _same(old.get(k), new.get(k))]
    if changed:
        yield _Block(
            "meta",
            "changed",
            _objects([None] * len(changed)),
            _objects(changed),
            _objects([_plain(old.get(k)) for k in changed]),
            _objects([_plain(new.get(k)) for k in changed]),
            sort_key=np.arange(len(changed)),
        )


def _frame_changes(name: str, old: pd.DataFrame, new: pd.DataFrame) -> list[_Block]:
    # Cheap first look (row hashes, Arrow id lookups): most frames of a diff are unchanged.
    if not changed_ids(old, new):
        return []
    old_at = positions_in(new["id"], old["id"])  # each new row's place in old, -1 when added
    added = np.flatnonzero(old_at < 0)
    removed = np.flatnonzero(positions_in(old["id"], new["id"]) < 0)
    blocks = []
    if len(added):
        blocks.append(_whole_rows(name, "added", new, added))
    if len(removed):
        blocks.append(_whole_rows(name, "removed", old, removed))
    in_new = np.flatnonzero(old_at >= 0)
    in_old = old_at[in_new]
    spec = FRAMES.get(name)
    placed = spec is not None and spec.ordered_within is not None and "order" in old and "order" in new
    skip: set[str] = set()
    columns = [c for c in dict.fromkeys([*new.columns, *old.columns]) if c != "id"]
    width = len(columns) + 1  # sort key of a change: its row's new position * width + its column's
    if placed:
        key = spec.ordered_within or ""  # type: ignore[union-attr]
        skip = {"order", key} if key else {"order"}
        blocks.extend(_moves(name, key, old, new, in_old, in_new, width))
    blocks.extend(_cell_changes(name, old, new, in_old, in_new, [c for c in columns if c not in skip], width))
    return blocks


def _whole_rows(name: str, kind: str, df: pd.DataFrame, rows: np.ndarray) -> _Block:
    n = len(rows)
    empty = _objects([None] * n)
    ids = df["id"].to_numpy(dtype=object, na_value=None)[rows]
    return _Block(name, kind, ids, empty, empty, empty.copy(), sort_key=rows)


def _cell_changes(
    name: str,
    old: pd.DataFrame,
    new: pd.DataFrame,
    in_old: np.ndarray,
    in_new: np.ndarray,
    columns: list[str],
    width: int,
) -> list[_Block]:
    """One block per column: the rows of both versions whose cell differs."""
    aligned = len(old) == len(new) and old["id"].equals(new["id"])  # same rows, same places
    blocks = []
    for number, col in enumerate(columns):
        if aligned and col in old and col in new and old[col].equals(new[col]):
            continue
        differs = _differing(old, new, col, in_old, in_new)
        if not len(differs):
            continue
        before = _values(old, col, in_old[differs])
        after = _values(new, col, in_new[differs])
        shift = None
        if name == "emotions" and col == "score":
            shift = np.array([_minus(n, o) for o, n in zip(before, after, strict=True)])
        blocks.append(
            _Block(
                name,
                "changed",
                new["id"].to_numpy(dtype=object, na_value=None)[in_new[differs]],
                _objects([col] * len(differs)),
                before,
                after,
                shift,
                # row by row in the new journey's order, columns in order within a row
                sort_key=in_new[differs] * width + number + 1,
            )
        )
    return blocks


def _moves(
    name: str,
    key: str,
    old: pd.DataFrame,
    new: pd.DataFrame,
    in_old: np.ndarray,
    in_new: np.ndarray,
    width: int,
) -> list[_Block]:
    """Rows of an ordered frame that changed group, or place among the rows both versions hold."""
    ids = new["id"].to_numpy(dtype=object, na_value=None)
    blocks = []
    if key:
        hit = _differing(old, new, key, in_old, in_new)
        if len(hit):
            col = _objects([key] * len(hit))
            og, ng = _values(old, key, in_old[hit]), _values(new, key, in_new[hit])
            blocks.append(_Block(name, "moved", ids[in_new[hit]], col, og, ng, None, in_new[hit] * width))
        stay = np.setdiff1d(np.arange(len(in_new)), hit, assume_unique=True)
        groups = pd.factorize(_values(old, key, in_old[stay]), use_na_sentinel=False)[0]
    else:
        stay = np.arange(len(in_new))
        groups = np.zeros(len(stay), dtype=np.intp)
    old_order = old["order"].to_numpy(dtype="int64", na_value=-1)[in_old[stay]]
    new_order = new["order"].to_numpy(dtype="int64", na_value=-1)[in_new[stay]]
    ranked = np.lexsort((old_order, groups))  # group by group, in the old order
    sequence, grouping = new_order[ranked], groups[ranked]
    broken = (np.diff(sequence) <= 0) & (grouping[1:] == grouping[:-1])
    if not broken.any():
        return blocks
    moved: list[int] = []
    for group in np.unique(grouping[1:][broken]):
        members = np.flatnonzero(grouping == group)
        moved.extend(members[i] for i in _out_of_order(sequence[members].tolist()))
    where = stay[ranked[np.sort(np.asarray(moved, dtype=np.intp))]]
    blocks.append(
        _Block(
            name,
            "moved",
            ids[in_new[where]],
            _objects(["order"] * len(where)),
            _objects(old["order"].to_numpy(dtype=object, na_value=None)[in_old[where]]),
            _objects(new["order"].to_numpy(dtype=object, na_value=None)[in_new[where]]),
            None,
            in_new[where] * width,
        )
    )
    return blocks


def _out_of_order(sequence: list[int]) -> list[int]:
    """Positions outside one longest increasing subsequence of ``sequence`` (the fewest moves)."""
    tails: list[int] = []  # tails[k]: the smallest last value of an increasing run of length k+1
    tail_at: list[int] = []  # and its position
    before = [-1] * len(sequence)
    for i, value in enumerate(sequence):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = value, i
        before[i] = tail_at[k - 1] if k else -1
    kept = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(i)
        i = before[i]
    return [i for i in range(len(sequence)) if i not in kept]


def _values(df: pd.DataFrame, col: str, rows: np.ndarray) -> np.ndarray:
    """Return the cells of ``col`` at ``rows`` as Python objects (None when missing or no such column)."""
    if col not in df:
        return _objects([None] * len(rows))
    values = df[col].to_numpy(dtype=object, na_value=None)[rows]
    # A float column of plain NumPy dtype still holds NaN for missing.
    if df[col].dtype.kind == "f":
        values = _objects([None if isinstance(v, float) and v != v else v for v in values])
    return values


def _differing(
    old: pd.DataFrame, new: pd.DataFrame, col: str, in_old: np.ndarray, in_new: np.ndarray
) -> np.ndarray:
    """Positions ``i`` where ``old[col][in_old[i]]`` and ``new[col][in_new[i]]`` differ.

    Missing equals missing; a column only one version has is missing in the other.
    """
    if col in old and col in new and old[col].dtype == new[col].dtype:
        a, b = old[col].array.take(in_old), new[col].array.take(in_new)
        try:  # one vectorised comparison: 20,000 cells in well under a millisecond
            equal = np.asarray(pd.array(a == b, dtype="boolean").fillna(False), dtype=bool)
        except (TypeError, ValueError):  # values that do not compare as arrays: one by one below
            pass
        else:
            return np.flatnonzero(~(equal | (pd.isna(a) & pd.isna(b))))
    before, after = _values(old, col, in_old), _values(new, col, in_new)
    same = [_same(x, y) for x, y in zip(before, after, strict=True)]
    return np.flatnonzero(~np.asarray(same, dtype=bool))


def _same(x: Any, y: Any) -> bool:
    if x is None or y is None:
        return x is None and y is None
    try:
        return bool(x == y)
    except (TypeError, ValueError):
        return False


def _minus(new: Any, old: Any) -> float:
    try:
        return float(new) - float(old)
    except (TypeError, ValueError):
        return math.nan


def _plain(value: Any) -> Any:
    return None if value is pd.NA or (isinstance(value, float) and value != value) else value


def _objects(values: Any) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def _to_frame(blocks: list[_Block]) -> JourneyDiff:
    """One frame from the blocks: frames in their order, then kinds, then the blocks' own keys."""
    frame_rank = {n: i for i, n in enumerate(["meta", *FRAMES])}
    kind_rank = {"added": 0, "removed": 1, "moved": 2, "changed": 2}
    blocks = [b for b in blocks if len(b.row_id)]
    if not blocks:
        data: dict[str, Any] = {c: _objects([]) for c in DIFF_COLUMNS}
        data["shift"] = pd.array([], dtype="Float64")
        return _typed(data)
    n = [len(b.row_id) for b in blocks]
    frame_key = np.repeat([frame_rank.get(b.frame, len(frame_rank)) for b in blocks], n)
    kind_key = np.repeat([kind_rank[b.kind] for b in blocks], n)
    own_key = np.concatenate([np.asarray(b.sort_key, dtype=np.int64) for b in blocks])
    order = np.lexsort((own_key, kind_key, frame_key))
    shift = np.concatenate(
        [b.shift if b.shift is not None else np.full(len(b.row_id), np.nan) for b in blocks]
    ).astype(float)
    data = {
        "frame": np.repeat(_objects([b.frame for b in blocks]), n),
        "row_id": np.concatenate([b.row_id for b in blocks]),
        "kind": np.repeat(_objects([b.kind for b in blocks]), n),
        "column": np.concatenate([b.column for b in blocks]),
        "old": np.concatenate([b.old for b in blocks]),
        "new": np.concatenate([b.new for b in blocks]),
    }
    data = {k: _objects(v[order]) for k, v in data.items()}
    data["shift"] = pd.array(shift[order], dtype="Float64")  # NaN becomes missing
    return _typed(data)


def _typed(data: dict[str, Any]) -> JourneyDiff:
    out = JourneyDiff(
        {
            "frame": pd.array(data["frame"], dtype="string"),
            "row_id": pd.Series(data["row_id"], dtype=object),
            "kind": pd.array(data["kind"], dtype="string"),
            "column": pd.Series(data["column"], dtype=object),
            "old": pd.Series(data["old"], dtype=object),
            "new": pd.Series(data["new"], dtype=object),
            "shift": data["shift"],
        }
    )
    return out


# -- wording ----------------------------------------------------------------------------
class _Names:
    """Rows and names of the two journeys, looked up by id (new version first)."""

    def __init__(self, before: Any, after: Any) -> None:
        self.sides = [j._stored() if j is not None else {} for j in (after, before)]
        self._tables: dict[tuple[int, str], tuple[dict[Any, int], dict[str, np.ndarray]]] = {}

    def row(self, frame: str, row_id: Any, *, old: bool = False) -> dict[str, Any] | None:
        """Return the row ``row_id`` of ``frame``: from the old journey when ``old``, else the new one."""
        side = 1 if old else 0
        table = self._tables.get((side, frame))
        if table is None:
            # Each column as Python values once (20,000 touchpoints in a few ms);
            # DataFrame.iloc per row costs as much for a few dozen rows.
            df = self.sides[side].get(frame)
            if df is None:
                df = pd.DataFrame({"id": []})
            cols = {str(c): _values(df, c, np.arange(len(df))) for c in df.columns}
            table = self._tables[(side, frame)] = ({v: i for i, v in enumerate(cols["id"])}, cols)
        at = table[0].get(row_id)
        return None if at is None else {c: v[at] for c, v in table[1].items()}

    def name(self, frame: str, row_id: Any, *, old: bool = False) -> str:
        """Return what the user calls a row (in the old version first when ``old``), or its id."""
        for side in (old, not old):
            row = self.row(frame, row_id, old=side)
            title = _title(row) if row is not None else None
            if title is not None:
                return _clean(str(title))
        return _clean(str(row_id))


#: The columns that name a row, in the order looked for.
_TITLES = ("name", "description", "text", "event", "lane")


def _title(row: dict[str, Any]) -> Any:
    return next((row[c] for c in _TITLES if row.get(c) is not None), None)


def _sentence(change: dict[str, Any], names: _Names) -> str:
    frame, kind, col = change["frame"], change["kind"], change["column"]
    if frame == "meta":
        return _meta_sentence(col, change["old"], change["new"])
    old_side = kind == "removed"
    row = names.row(frame, change["row_id"], old=old_side) or {"id": change["row_id"]}
    if kind == "changed" and col == "name" and change["old"] is not None and change["new"] is not None:
        return f"{_singular(frame)} {_quote(change['old'])} renamed to {_quote(change['new'])}"
    label = _label(frame, row, names)
    if kind == "added":
        return f"{label} added{_added_detail(frame, row, names)}"
    if kind == "removed":
        if frame == "pain_points":
            return f"{label} resolved (removed)"
        return f"{label} removed{_removed_detail(frame, row, names)}"
    if kind == "moved":
        if col == "order":
            stage = row.get("stage_id")
            where = f" in stage {_quote(names.name('stages', stage))}" if stage is not None else ""
            return f"{label} moved{where} from position {change['old'] + 1} to {change['new'] + 1}"
        ref = FRAMES[frame].column(col).ref if frame in FRAMES else None
        what = FRAMES[ref].singular if ref else col
        old_name = names.name(ref, change["old"], old=True) if ref else _value(change["old"])
        new_name = names.name(ref, change["new"]) if ref else _value(change["new"])
        return f"{label} moved from {what} {_quote(old_name)} to {what} {_quote(new_name)}"
    return _changed_sentence(frame, label, col, change, names)


def _changed_sentence(frame: str, label: str, col: str, change: dict[str, Any], names: _Names) -> str:
    old, new = change["old"], change["new"]
    if frame == "emotions" and col == "score" and old is not None and new is not None:
        return f"{label}: {old:+.1f} -> {new:+.1f} ({change['shift']:+.1f})"
    spec = FRAMES.get(frame)
    ref = next((c.ref for c in spec.refs if c.name == col), None) if spec is not None else None
    if ref is not None:  # a link to another row: named as the user named that row
        old = None if old is None else names.name(ref, old, old=True)
        new = None if new is None else names.name(ref, new)
    if old is None:
        return f"{label}: {col} set to {_value(new)}"
    if new is None:
        return f"{label}: {col} cleared (was {_value(old)})"
    return f"{label}: {col} {_value(old)} -> {_value(new)}"


def _meta_sentence(key: str, old: Any, new: Any) -> str:
    if key == "name" and old is not None and new is not None:
        return f"Journey renamed from {_quote(old)} to {_quote(new)}"
    if old is None:
        return f"Journey {key} set to {_value(new)}"
    if new is None:
        return f"Journey {key} cleared (was {_value(old)})"
    return f"Journey {key}: {_value(old)} -> {_value(new)}"


def _label(frame: str, row: dict[str, Any], names: _Names) -> str:
    """How a sentence names a row: its kind and what the user called it."""
    if frame == "emotions":
        persona = row.get("persona_id")
        who = f" of {names.name('personas', persona)}" if persona is not None else ""
        return f"Emotion{who}{_at(row, names)}{_qualifiers(row)}"
    title = _title(row)
    text = _quote(title) if title is not None else _clean(str(row.get("id")))
    label = f"{_singular(frame)} {text}"
    if frame in ("metrics", "goals", "pain_points", "lanes"):
        label += _at(row, names) + _qualifiers(row)
    return label


def _qualifiers(row: dict[str, Any]) -> str:
    """``" (2026-Q3, mobile)"``: the period and segment that tell measured rows apart."""
    parts = [_clean(str(row[c])) for c in ("period", "segment") if row.get(c) is not None]
    return f" ({', '.join(parts)})" if parts else ""


def _at(row: dict[str, Any], names: _Names) -> str:
    if row.get("touchpoint_id") is not None:
        return f" at {names.name('touchpoints', row['touchpoint_id'])}"
    if row.get("stage_id") is not None:
        return f" at {names.name('stages', row['stage_id'])}"
    return ""


def _added_detail(frame: str, row: dict[str, Any], names: _Names) -> str:
    if frame == "touchpoints" and row.get("stage_id") is not None:
        return f" to stage {_quote(names.name('stages', row['stage_id']))}"
    if frame == "emotions" and row.get("score") is not None:
        return f": {row['score']:+.1f}"
    if frame == "metrics" and row.get("value") is not None:
        return f": {_value(row['value'])}"
    if frame == "actions" and row.get("status") is not None:
        return f" ({_clean(str(row['status']))})"
    return ""


def _removed_detail(frame: str, row: dict[str, Any], names: _Names) -> str:
    if frame == "touchpoints" and row.get("stage_id") is not None:
        return f" from stage {_quote(names.name('stages', row['stage_id']))}"
    if frame == "emotions" and row.get("score") is not None:
        return f" (was {row['score']:+.1f})"
    if frame == "metrics" and row.get("value") is not None:
        return f" (was {_value(row['value'])})"
    return ""


def _singular(frame: str) -> str:
    spec = FRAMES.get(frame)
    word = spec.singular if spec is not None and spec.singular else frame
    return word[:1].upper() + word[1:]


def _value(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return _clean(str(value))


def _quote(text: Any, limit: int = 60) -> str:
    text = _clean(str(text))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def _clean(text: str) -> str:
    """User text made safe for one line of a terminal: control characters shown escaped."""
    if text.isprintable():
        return text
    return "".join(_shown(ch) for ch in text)


def _shown(ch: str) -> str:
    if ch.isprintable():
        return ch
    if ch in "\n\r\t" or unicodedata.category(ch) == "Zs":  # line breaks and odd spaces: a space
        return " "
    return repr(ch)[1:-1]  # \x1b, \u202e...: visible, never acted on by a terminal
