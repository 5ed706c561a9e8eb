"""Which rows differ between two versions of a frame."""

from __future__ import annotations

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
    # Row hashes compare every cell at once and treat NA like any other value.
    old_hash = dict(zip(old["id"], pd.util.hash_pandas_object(old, index=False), strict=True))
    new_hash = pd.util.hash_pandas_object(new, index=False)
    out = [i for i, h in zip(new["id"], new_hash, strict=True) if old_hash.get(i) != h]
    kept = set(new["id"])
    out.extend(i for i in old["id"] if i not in kept)
    return tuple(out)
