"""Which rows differ between two versions of a frame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["changed_ids", "positions_in"]


def changed_ids(old: pd.DataFrame, new: pd.DataFrame) -> tuple[str, ...]:
    """Ids of rows added, removed or changed between ``old`` and ``new``.

    Rows are matched by ``id`` (unique in both, as in every validated frame);
    a row counts as changed when any of its cells differs (missing equals
    missing). Ids come in ``new``'s order, then the removed ones in ``old``'s
    order.
    """
    if list(old.columns) != list(new.columns) or not old.dtypes.equals(new.dtypes):
        kept = set(new["id"])
        return tuple(new["id"]) + tuple(i for i in old["id"] if i not in kept)
    if old["id"].equals(new["id"]):
        return _changed_in_place(old, new)
    # Row hashes compare every cell at once and treat NA like any other value.
    old_hash = pd.util.hash_pandas_object(old, index=False).to_numpy()
    new_hash = pd.util.hash_pandas_object(new, index=False).to_numpy()
    where = positions_in(new["id"], old["id"])  # each new row's place in old, -1 when added
    found = where >= 0
    differs = ~found
    differs[found] = old_hash[where[found]] != new_hash[found]
    removed = positions_in(old["id"], new["id"]) < 0
    return tuple(new["id"][differs]) + tuple(old["id"][removed])


def positions_in(values: pd.Series, known: pd.Series) -> np.ndarray:
    """For each of ``values``, its position in ``known`` (-1 when absent); ``known`` is unique.

    Looked up by Arrow when both columns are Arrow-backed (20,000 ids in a
    fraction of a millisecond), else in a pandas hash index.
    """
    a, b = _arrow(values), _arrow(known)
    if a is not None and b is not None:
        import pyarrow as pa  # installed: the columns are Arrow-backed
        import pyarrow.compute as pc

        try:
            hits = pc.index_in(a, value_set=b.combine_chunks().cast(a.type), skip_nulls=True)
        except (pa.ArrowException, TypeError):  # types Arrow cannot compare: the pandas way
            pass
        else:
            return np.asarray(hits.fill_null(-1).to_numpy(), dtype=np.intp)
    return np.asarray(pd.Index(known).get_indexer(values), dtype=np.intp)


def _arrow(s: pd.Series) -> Any:
    """Return the Arrow storage of an Arrow-backed text column, else None."""
    dtype = s.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    return s.array.__arrow_array__() if arrow else None


def _changed_in_place(old: pd.DataFrame, new: pd.DataFrame) -> tuple[str, ...]:
    """Return the ids of changed rows when the rows are the same, in the same order.

    Only the columns that differ are hashed: an edit touches few.
    """
    changed = np.zeros(len(new), dtype=bool)
    for col in new.columns:
        if not old[col].equals(new[col]):
            a = pd.util.hash_pandas_object(old[col], index=False).to_numpy()
            b = pd.util.hash_pandas_object(new[col], index=False).to_numpy()
            changed |= a != b
    return tuple(new["id"][changed])
