"""Which rows differ between two versions of a frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["changed_ids"]


def changed_ids(old: pd.DataFrame, new: pd.DataFrame) -> tuple[str, ...]:
    """Ids of rows added, removed or changed between ``old`` and ``new``.

    Rows are matched by ``id``; a row counts as changed when any of its cells
    differs (missing equals missing). Ids come in ``new``'s order, then the
    removed ones in ``old``'s order.
    """
    if list(old.columns) != list(new.columns) or not old.dtypes.equals(new.dtypes):
        kept = set(new["id"])
        return tuple(new["id"]) + tuple(i for i in old["id"] if i not in kept)
    if old["id"].equals(new["id"]):
        return _changed_in_place(old, new)
    # Row hashes compare every cell at once and treat NA like any other value.
    old_hash = dict(zip(old["id"], pd.util.hash_pandas_object(old, index=False), strict=True))
    new_hash = pd.util.hash_pandas_object(new, index=False)
    out = [i for i, h in zip(new["id"], new_hash, strict=True) if old_hash.get(i) != h]
    kept = set(new["id"])
    out.extend(i for i in old["id"] if i not in kept)
    return tuple(out)


def _changed_in_place(old: pd.DataFrame, new: pd.DataFrame) -> tuple[str, ...]:
    """Same rows in the same order: hash only the columns that differ (an edit touches few)."""
    changed = np.zeros(len(new), dtype=bool)
    for col in new.columns:
        if not old[col].equals(new[col]):
            a = pd.util.hash_pandas_object(old[col], index=False).to_numpy()
            b = pd.util.hash_pandas_object(new[col], index=False).to_numpy()
            changed |= a != b
    return tuple(new["id"][changed])
