"""Whole-frame operations behind the journey's full edit path.

Each function returns new frames and leaves the ones it is given unchanged:
stored frames are never mutated in place (see :mod:`.core`).
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from .diff import positions_in
from .specs import FRAMES, FrameSpec

__all__ = [
    "append_row",
    "cascade_removal",
    "lost_ids",
    "make_room",
    "moved",
    "renumber",
    "set_cells",
    "sort_frames",
]


def append_row(df: pd.DataFrame, values: Mapping[str, Any]) -> pd.DataFrame:
    """Return a copy of ``df`` with a row of ``values`` appended (see :func:`set_cells`)."""
    grown = df.reindex(range(len(df) + 1))
    return set_cells(grown, len(df), values)


def set_cells(df: pd.DataFrame, pos: int, values: Mapping[str, Any]) -> pd.DataFrame:
    """Return a copy of ``df`` with cells of row ``pos`` set; edited columns become object.

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


def make_room(
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


def renumber(spec: FrameSpec, df: pd.DataFrame) -> pd.DataFrame:
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


def cascade_removal(
    frames: Mapping[str, pd.DataFrame], name: str, ids: set[str], cascade: bool
) -> dict[str, pd.DataFrame]:
    """Return new versions of every frame touched by removing ``ids`` from ``name``."""
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
        for (c, column), row_ids in cleared.items():
            if c == child:
                df = df.assign(**{column: df[column].mask(df["id"].isin(row_ids), pd.NA)})
        df = df.loc[~df["id"].isin(removed.get(child, set()))]
        out[child] = renumber(FRAMES[child], df)
    return out


def lost_ids(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    """Whether some id of ``old`` is not in ``new`` (a reference to it may have broken)."""
    if old["id"].equals(new["id"]):
        return False
    return bool((positions_in(old["id"].dropna(), new["id"].dropna()) < 0).any())


def moved(old: pd.DataFrame, new: pd.DataFrame) -> bool:
    """Whether rows of a stored (sorted) frame may need sorting again in ``new``.

    Same ids in the same rows with the same positions (and, for touchpoints,
    stages) keep the order they were sorted in: an edit of a name re-sorts
    nothing, which on a 2,400-touchpoint map is most of an edit's time.
    """
    keys = [c for c in ("id", "order", "stage_id") if c in old.columns]
    return len(old) != len(new) or not all(c in new.columns and old[c].equals(new[c]) for c in keys)


def sort_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
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
