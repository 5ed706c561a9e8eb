"""One row at a time: canonical cells, row lookups and splices for single-row edits.

An edit of one row should cost what it changes, not what the map holds.
The helpers here read a few cells as plain Python values and splice one row
into a frame with a handful of pandas calls whatever its length. They only
ever *accept*: :func:`canonical_cells` answers None when it cannot tell
cheaply that a value is canonical, and the caller then takes the full path
(:func:`~.coerce.coerce_frame` on the candidate frame), which gives the exact
error or the exact value.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .specs import FrameSpec

__all__ = [
    "block",
    "canonical_cells",
    "cell",
    "find_rows",
    "insert_row",
    "renumbered",
    "same_value",
    "set_row",
    "solid_text",
]

_UNSURE = object()
_INT_RANGE = (-(2**63), 2**63)
# A character that no whitespace definition (Python's, Arrow's) counts as blank.
_SOLID = re.compile(r"[!-~]|[^\W_]")


def solid_text(text: str) -> bool:
    """Whether ``text`` surely holds a non-blank character.

    Arrow's ``str.strip`` decides blankness in full validation; an ASCII
    printable or a letter/digit is non-blank under any definition, so only
    text made of rarer characters goes to the full check.
    """
    return _SOLID.search(text) is not None


def _is_missing(v: Any) -> bool:
    # Same as coerce._is_missing: what full coercion stores as missing.
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _encodable(text: str) -> bool:
    # Files are UTF-8: text that cannot be encoded (a lone surrogate) is refused
    # by full coercion, with its message, so it never takes the fast path.
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _canonical(kind: str, v: Any) -> Any:
    """``v`` as its column stores it (None for missing), or ``_UNSURE``."""
    if _is_missing(v):
        return None
    if kind in ("id", "text"):
        if not isinstance(v, str) or not _encodable(v):
            return _UNSURE
        return None if v == "" else v
    if isinstance(v, (bool, np.bool_)):
        return _UNSURE
    if kind == "int":
        integral = isinstance(v, (float, np.floating)) and float(v).is_integer()
        if not (integral or isinstance(v, (int, np.integer))):
            return _UNSURE
        out = int(v)
        return out if _INT_RANGE[0] <= out < _INT_RANGE[1] else _UNSURE
    if kind == "float":
        if not isinstance(v, (int, float, np.integer, np.floating)):
            return _UNSURE
        # the exact size of an integer: float() of a huge one would round or overflow
        size = abs(int(v)) if isinstance(v, (int, np.integer)) else abs(float(v))
        if size > 2**53:
            return _UNSURE
        number = float(v)
        return number if math.isfinite(number) else _UNSURE
    return _UNSURE  # dates and extra columns: only missing values are cheap to read


def canonical_cells(spec: FrameSpec, frame: pd.DataFrame, values: Mapping[str, Any]) -> dict[str, Any] | None:
    """``values`` as ``frame`` would store them (None for missing), or None when unsure.

    Every key must be a column of ``frame``: a new extra column changes the
    frame's shape, which the full path handles.
    """
    kinds = {c.name: c.kind for c in spec.columns}
    out = {}
    for col, v in values.items():
        if col not in frame.columns:
            return None
        value = _canonical(kinds.get(col, "extra"), v)
        if value is _UNSURE:
            return None
        out[col] = value
    return out


def cell(frame: pd.DataFrame, pos: int, col: str) -> Any:
    """Return the cell at row ``pos`` of column ``col`` as a Python value (None for missing)."""
    v = frame[col].iloc[pos]
    return None if _is_missing(v) else v


def same_value(a: Any, b: Any) -> bool:
    """Whether two cells hold the same value (missing equals missing)."""
    if a is None or b is None:
        return a is None and b is None
    return bool(a == b)


def _equal(s: pd.Series, value: Any) -> np.ndarray:
    if value is None:
        return s.isna().to_numpy(dtype=bool)
    return (s == value).to_numpy(dtype=bool, na_value=False)


def find_rows(frame: pd.DataFrame, criteria: Mapping[str, Any]) -> np.ndarray:
    """Positions of the rows whose cells equal ``criteria`` (None matches missing).

    Compares whole columns until a few rows are left, then reads those
    rows' cells: a lookup by persona, touchpoint and source costs two column
    comparisons, whatever the frame's length.
    """
    # A value narrows more than "missing" does, so compare values first;
    # otherwise in the caller's order (put the most selective column first).
    items = tuple(sorted(criteria.items(), key=lambda kv: kv[1] is None))
    key = tuple(sorted(items, key=lambda kv: kv[0]))
    last = _LAST_FIND[0]
    # set_emotion looks a row up, then add() checks the same combination is
    # unique: the second lookup is free. Frames are never changed in place, so
    # the same frame object gives the same answer.
    plain = all(v is None or type(v) is str for _, v in items)  # safe to compare with ==
    if plain and last is not None and last[0] is frame and last[1] == key:
        return last[2]
    hits = np.arange(len(frame))
    for done, (col, value) in enumerate(items):
        if len(hits) <= _FEW:  # a few rows left: read their cells rather than whole columns
            rest = items[done:]
            kept = [p for p in hits if all(same_value(cell(frame, int(p), c), v) for c, v in rest)]
            hits = np.array(kept, dtype=np.intp)
            break
        mask = _equal(frame[col], value)
        hits = hits[mask[hits]]
    if plain:
        hits.flags.writeable = False
        _LAST_FIND[0] = (frame, key, hits)
    return hits


#: Rows left below which :func:`find_rows` reads cells one by one.
_FEW = 8

#: The last lookup of :func:`find_rows`: (frame, criteria, hits).
_LAST_FIND: list[tuple[pd.DataFrame, tuple[tuple[str, Any], ...], np.ndarray] | None] = [None]


def insert_row(
    frame: pd.DataFrame, at: int, cells: Mapping[str, Any], replace: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Return a new frame with a row of ``cells`` (None for missing) inserted at position ``at``.

    Column by column, array to array: a row frame and ``pd.concat`` cost
    twice as much. ``replace``: whole new columns (e.g. renumbered positions).
    """
    columns = {}
    for col, series in frame.items():
        if replace and col in replace:
            columns[col] = replace[col]
            continue
        values = series.array
        one = _one(values.dtype, cells.get(col))
        columns[col] = _compact(type(values)._concat_same_type([values[:at], one, values[at:]]))
    return pd.DataFrame(columns, copy=False)


#: One-cell arrays of missing values and text by (dtype, value), made once:
#: arrays are never changed in place, and most cells repeat (missing, a stage
#: id, a source, a persona).
_ONE: dict[tuple[Any, Any], Any] = {}


def _one(dtype: Any, value: Any) -> Any:
    """Return a one-cell array of ``dtype`` holding ``value`` (None: missing)."""
    if not (value is None or type(value) is str):  # numbers: 0.0 == -0.0, but both are kept
        return pd.array([value], dtype=dtype)
    key = (dtype, value)
    try:
        return _ONE[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable dtype
        return pd.array([value], dtype=dtype)
    if len(_ONE) > 4096:  # bounded: names and ids rarely repeat
        _ONE.clear()
    one = _ONE[key] = pd.array([value], dtype=dtype)
    return one


#: Arrow-backed columns grow a chunk or two per inserted row; past this many,
#: every later operation on the column slows down, so they are joined again
#: (a copy of the column, once every few inserts).
MAX_CHUNKS = 16


def _compact(values: Any) -> Any:
    """``values`` in one chunk when an Arrow-backed array has grown too many."""
    dtype = values.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    if not arrow:
        return values
    chunked = values.__arrow_array__()  # the array's own storage, not a copy
    if chunked.num_chunks <= MAX_CHUNKS:
        return values
    import pyarrow as pa  # installed: the column is Arrow-backed

    return dtype.__from_arrow__(pa.chunked_array([chunked.combine_chunks()]))


def set_row(frame: pd.DataFrame, pos: int, cells: Mapping[str, Any]) -> pd.DataFrame:
    """Return a new frame with cells of row ``pos`` set; untouched columns are shared, not copied."""
    columns = {}
    for col, value in cells.items():
        s = frame[col].copy()
        s.iloc[pos] = value
        columns[col] = s
    return frame.assign(**columns)


def renumbered(orders: np.ndarray, at: int, stop: int, position: int) -> np.ndarray:
    """Return the order column after inserting a row at ``at`` (``position`` in its group ending at ``stop``).

    The group's rows after it move down one place.
    """
    out = np.empty(len(orders) + 1, dtype=np.int64)
    out[:at] = orders[:at]
    out[at] = position
    out[at + 1 : stop + 1] = orders[at:stop] + 1
    out[stop + 1 :] = orders[stop:]
    return out


def block(hits: Iterable[int]) -> tuple[int, int] | None:
    """``(start, stop)`` when ``hits`` are consecutive positions, else None."""
    hits = np.asarray(hits)
    if not len(hits):
        return None
    start, stop = int(hits[0]), int(hits[-1]) + 1
    return (start, stop) if stop - start == len(hits) else None
