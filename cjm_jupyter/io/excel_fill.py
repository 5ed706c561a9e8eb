"""Rows typed into a data sheet without an ``id`` or an ``order``: given one, and named in a warning.

A marketer who adds a touchpoint by typing a row into the ``touchpoints``
sheet does not know the ids the journey uses, nor that ``order`` numbers the
touchpoints of a stage. Refusing the workbook for that (``every row needs
an id``) helps no one: the reader gives such a row the id
:meth:`~cjm_jupyter.Journey.add` would (:func:`~cjm_jupyter.model.core.new_id`:
the slug of its name, else ``<prefix>-<n>``) and, in an ordered frame, the
place after the last row of its group (its stage, for a touchpoint). What was
filled is said in one warning per sheet, by Excel row number, so the user can
find the rows and save the journey to keep the ids.

Only a missing cell is filled; every other rule (a blank id made of spaces,
a stage that does not exist, a duplicate order) is still an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._warn import warn_user
from ..model.core import new_id
from ..model.specs import FRAMES, FrameSpec

__all__ = ["fill_typed_rows", "warn_filled"]


def fill_typed_rows(
    name: str, df: pd.DataFrame, excel_rows: Sequence[int]
) -> tuple[pd.DataFrame, str | None]:
    """``df`` (frame ``name`` as read) with missing ids and orders filled, and what was filled in words.

    ``excel_rows`` holds the Excel row number of each row of ``df``. The words
    are ``None`` when nothing was missing; else they name the rows, e.g.
    ``"rows 12, 14 had no id (given 'search', 'tp-9'); row 12 had no order (put last in its stage)"``.
    """
    spec = FRAMES.get(name)
    if spec is None or not len(df):
        return df, None
    said = []
    if "id" in df.columns and df["id"].isna().any():
        df, given = _fill_ids(spec, df)
        rows = [excel_rows[i] for i in given]
        said.append(f"{_rows(rows)} had no id (given {', '.join(repr(v) for v in given.values())})")
    if spec.ordered_within is not None and "order" in df.columns and df["order"].isna().any():
        df, placed = _fill_order(spec, df)
        group = {"": "", "stage_id": " stage"}.get(spec.ordered_within, f" {spec.ordered_within}")
        whose = "its" if len(placed) == 1 else "their"
        where = f" in {whose}{group}" if group else ""
        said.append(f"{_rows([excel_rows[i] for i in placed])} had no order (put last{where})")
    return df, "; ".join(said) or None


def _fill_ids(spec: FrameSpec, df: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, str]]:
    ids = df["id"].astype(object).where(df["id"].notna(), None).tolist()
    taken = {i for i in ids if i is not None}
    given: dict[int, str] = {}
    for pos, value in enumerate(ids):
        if value is None:
            given[pos] = ids[pos] = new_id(spec, _label(spec, df, pos), taken)
            taken.add(ids[pos])
    return df.assign(id=pd.array(ids, dtype=df["id"].dtype)), given


def _label(spec: FrameSpec, df: pd.DataFrame, pos: int) -> str | None:
    """Return what the id is made from, as :meth:`Journey.add` and the lane and event-map editors make it."""

    def text(column: str) -> str | None:
        value = df[column].iloc[pos] if column in df.columns else None
        return value if isinstance(value, str) and value.strip() else None

    if spec.name == "lanes":
        lane, stage = text("lane"), text("stage_id")
        return f"{lane} {stage}" if lane and stage else lane
    if spec.name == "event_map":
        return text("event")
    return text("name")


def _fill_order(spec: FrameSpec, df: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    order = df["order"]
    numbers = pd.to_numeric(order.astype(object), errors="coerce")
    groups = (
        df[spec.ordered_within].astype(object).where(df[spec.ordered_within].notna(), None).tolist()
        if spec.ordered_within and spec.ordered_within in df.columns
        else [None] * len(df)
    )
    last: dict[Any, float] = {}
    for g, n in zip(groups, numbers, strict=True):
        if not pd.isna(n):
            last[g] = max(last.get(g, -1), n)
    values = order.astype(object).where(order.notna(), None).tolist()
    placed = []
    text = pd.api.types.is_string_dtype(order.dtype)  # a workbook without dtypes reads every cell as text
    for pos, g in enumerate(groups):
        if values[pos] is None:
            last[g] = last.get(g, -1) + 1
            values[pos] = str(int(last[g])) if text else int(last[g])
            placed.append(pos)
    return df.assign(order=pd.array(values, dtype=order.dtype)), placed


def _rows(rows: Sequence[int]) -> str:
    return f"row {rows[0]}" if len(rows) == 1 else f"rows {', '.join(map(str, rows))}"


def warn_filled(source: str, filled: dict[str, str]) -> None:
    """One ``UserWarning`` per sheet in ``filled`` (sheet -> :func:`fill_typed_rows`' words).

    Attributed to the user's line (the first caller outside cjm_jupyter), as
    every warning of the package is, so it shows where ``read_excel`` was called.
    """
    for sheet, words in filled.items():
        warn_user(f"{source}, sheet {sheet!r}: {words}; save the journey to keep them")
