"""A frame held as Python rows while a batch edits it many times.

A single-row edit of a stored frame costs a few pandas calls (find the
row's group, splice a row into every column, build a DataFrame): about a
millisecond however small the change. Inside :meth:`JourneyCore.batch` a
frame edited again and again is held instead as a list of row dicts with the
indexes the fast path asks about (ids, unique combinations, where each order
group starts and stops), edited in place, and built into a DataFrame once,
when something reads it or the batch ends. The buffer only ever *accepts*:
every method answers None/False when it cannot tell cheaply, and the caller
then builds the frame and takes the ordinary path, which has the last word
and the message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from .rows import _is_missing
from .specs import FrameSpec

__all__ = ["FrameBuffer", "bufferable"]

#: Column dtypes that a list of Python values (None for missing) rebuilds
#: exactly; a frame with any other column (dates, extra columns of other
#: types) is never buffered.
_EXACT = (pd.StringDtype, pd.Int64Dtype, pd.Float64Dtype, pd.BooleanDtype)


def bufferable(frame: pd.DataFrame) -> bool:
    """Whether every column of ``frame`` can be rebuilt exactly from Python values."""
    return all(isinstance(t, _EXACT) for t in frame.dtypes) and frame.columns.is_unique


class FrameBuffer:
    """The rows of one stored frame, editable in place, with the fast path's indexes.

    Parameters
    ----------
    spec : FrameSpec
        The frame's rules (its order group and unique combinations).
    frame : pandas.DataFrame
        The stored frame (sorted, valid); see :func:`bufferable`.
    """

    def __init__(self, spec: FrameSpec, frame: pd.DataFrame) -> None:
        self.spec = spec
        self.base = frame
        self.columns = tuple(frame.columns)
        cols = [[None if _is_missing(v) else v for v in frame[c].tolist()] for c in self.columns]
        rows = zip(*cols, strict=True)
        self.rows: list[dict[str, Any]] = [dict(zip(self.columns, vals, strict=True)) for vals in rows]
        self.by_id = {r["id"]: r for r in self.rows if r["id"] is not None}
        self.ids = set(self.by_id)
        self.touched: set[str] = set()  # columns whose cells changed
        self.grown = False  # rows were inserted
        self.unique: dict[tuple[str, ...], dict[tuple[Any, ...], list[dict[str, Any]]]] = {}
        for combo in spec.unique:
            index: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
            for r in self.rows:
                index.setdefault(tuple(r[c] for c in combo), []).append(r)
            self.unique[combo] = index
        # Order groups: [start, stop) of each group's consecutive rows, and
        # whether its positions run 0..n-1 (else the ordinary path copes).
        self.groups: dict[Any, list[int]] | None = None
        key = spec.ordered_within
        if key is not None:
            self.groups = {}
            for i, r in enumerate(self.rows):
                g = r[key] if key else None
                span = self.groups.setdefault(g, [i, i])
                if span[1] != i:  # a group's rows are not consecutive
                    self.groups = None
                    break
                span[1] = i + 1
            if self.groups is not None:
                for g, (start, stop) in list(self.groups.items()):
                    if [r["order"] for r in self.rows[start:stop]] != list(range(stop - start)):
                        del self.groups[g]

    # -- lookups -------------------------------------------------------------
    def matches(
        self, combo: tuple[str, ...], row: Mapping[str, Any], but: dict[str, Any] | None = None
    ) -> bool:
        """Whether a row other than ``but`` holds ``row``'s cells of the unique ``combo``."""
        hits = self.unique[combo].get(tuple(row[c] for c in combo), ())
        return any(r is not but for r in hits)

    def find(self, criteria: Mapping[str, Any]) -> str | None:
        """Return the id of the first row whose cells equal ``criteria`` (None matches missing), or None."""
        combo = next((c for c in self.unique if set(c) == set(criteria)), None)
        if combo is not None:
            hits = self.unique[combo].get(tuple(criteria[c] for c in combo), ())
            rows = sorted(hits, key=self.rows.index) if len(hits) > 1 else hits
        else:
            rows = [r for r in self.rows if all(r[c] == v if v is not None else r[c] is None
                                                for c, v in criteria.items())]  # fmt: skip
        return rows[0]["id"] if rows else None

    def place(self, group: Any, position: Any) -> tuple[int, int, int] | None:
        """``(start, stop, at)`` for a new row of ``group`` at ``position``, as ``JourneyCore._place``.

        None when the group is empty or unknown, or the position invalid.
        """
        from numbers import Integral

        if self.groups is None:
            return None
        span = self.groups.get(group)
        if span is None:
            return None
        start, stop = span
        size = stop - start
        if position is None:
            position = size
        elif isinstance(position, bool) or not isinstance(position, Integral):
            return None
        if not 0 <= position <= size:
            return None
        return start, stop, start + int(position)

    # -- edits ---------------------------------------------------------------
    def insert(self, at: int, row: dict[str, Any], stop: int | None = None) -> None:
        """Insert ``row`` at ``at``; with ``stop`` (its group's end) the group's later rows move down."""
        self.rows.insert(at, row)
        self.grown = True
        if row["id"] is not None:
            self.by_id[row["id"]] = row
            self.ids.add(row["id"])
        for combo, index in self.unique.items():
            index.setdefault(tuple(row[c] for c in combo), []).append(row)
        if stop is None or self.groups is None:
            return
        for r in self.rows[at + 1 : stop + 1]:
            r["order"] += 1
        key = self.spec.ordered_within
        group = row[key] if key else None
        for g, span in self.groups.items():
            if g == group:
                span[1] += 1
            elif span[0] >= stop:
                span[0] += 1
                span[1] += 1

    def set(self, row: dict[str, Any], cells: Mapping[str, Any]) -> None:
        """Set cells of ``row`` (a row of this buffer), keeping the indexes."""
        combos = [c for c in self.unique if not set(c).isdisjoint(cells)]
        for combo in combos:
            self.unique[combo][tuple(row[c] for c in combo)].remove(row)
        row.update(cells)
        for combo in combos:
            self.unique[combo].setdefault(tuple(row[c] for c in combo), []).append(row)
        self.touched.update(cells)

    def ids_between(self, start: int, stop: int) -> Iterable[Any]:
        """Return the ids of rows ``start:stop``."""
        return [r["id"] for r in self.rows[start:stop]]

    # -- the frame -------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        """Return the rows as a DataFrame of the stored frame's columns and dtypes."""
        if not self.grown and not self.touched:
            return self.base
        columns = {}
        for c in self.columns:
            if not self.grown and c not in self.touched:
                columns[c] = self.base[c].array
            else:
                columns[c] = pd.array([r[c] for r in self.rows], dtype=self.base[c].dtype)
        return pd.DataFrame(columns, copy=False)
