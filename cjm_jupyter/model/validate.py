"""Rules a journey's frames must satisfy together.

Each check raises :class:`~cjm_jupyter.ValidationError` at the first broken
rule, naming the frame, row id, column, value and rule. Frames reaching this
module are already coerced (see :mod:`.coerce`), so dtypes are canonical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from .rows import solid_text
from .specs import FRAMES, JOURNEY_KINDS, FrameSpec

__all__ = [
    "INSTANT_RULE",
    "INSTANT_PATTERN",
    "DATE_RULE",
    "DATE_PATTERN",
    "row_may_break",
    "validate_frame",
    "validate_references",
    "validate_meta",
    "validate_journey",
]

#: The rule for ``updated_at``: what the journey itself writes (UTC, whole seconds).
INSTANT_RULE = "must be an ISO 8601 UTC instant such as '2026-12-03T13:05:00Z', or None"
#: The rule for ``reviewed_at``.
DATE_RULE = "must be an ISO date such as '2026-11-30', or None"
#: Patterns of the two rules (the JSON Schema uses them too).
INSTANT_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def validate_journey(frames: Mapping[str, pd.DataFrame], meta: Mapping[str, Any]) -> None:
    """Check the meta data, every frame, and the references between frames."""
    validate_meta(meta)
    for name, df in frames.items():
        validate_frame(FRAMES[name], df)
    validate_references(frames)


def validate_meta(meta: Mapping[str, Any]) -> None:
    """Check the journey's name, kind, free-text fields and time stamps."""
    name = meta.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("a journey needs a non-empty name", column="name", value=name, has_value=True)
    kind = meta.get("kind")
    if kind not in JOURNEY_KINDS:
        raise ValidationError(
            f"kind must be one of {', '.join(JOURNEY_KINDS)}", column="kind", value=kind, has_value=True
        )
    for key in ("scenario", "description", "version", "owner"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            raise ValidationError("must be text or None", column=key, value=value, has_value=True)
    _check_stamp(meta, "updated_at", INSTANT_PATTERN, "%Y-%m-%dT%H:%M:%SZ", INSTANT_RULE)
    _check_stamp(meta, "reviewed_at", DATE_PATTERN, "%Y-%m-%d", DATE_RULE)


def _check_stamp(meta: Mapping[str, Any], key: str, pattern: str, form: str, rule: str) -> None:
    """Check that a meta time stamp is None or text of exactly one form that names a real moment."""
    value = meta.get(key)
    if value is None:
        return
    ok = isinstance(value, str) and re.fullmatch(pattern, value, flags=re.ASCII) is not None
    if ok:
        try:  # the pattern lets "2026-02-30" through; the calendar does not
            datetime.strptime(value, form)
        except ValueError:
            ok = False
    if not ok:
        raise ValidationError(rule, column=key, value=value, has_value=True)


def _bad(spec: FrameSpec, df: pd.DataFrame, mask: Any, column: str, rule: str) -> None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    if len(hits):
        pos = int(hits[0])
        row_id = df["id"].iloc[pos]
        raise ValidationError(
            rule,
            frame=spec.name,
            row_id=None if row_id is pd.NA else row_id,
            column=column,
            value=df[column].iloc[pos],
            has_value=True,
        )


def validate_frame(spec: FrameSpec, df: pd.DataFrame, columns: Iterable[str] | None = None) -> None:
    """Check one frame's own rules: ids, required cells, ranges, choices, order.

    With ``columns``, only the rules involving those columns are checked: for
    a frame that was valid before and changed in these columns only, the
    other rules still hold (an edit of one cell skips some forty pandas calls).
    """
    only = None if columns is None else set(columns)

    def involves(*names: str | None) -> bool:
        return only is None or not only.isdisjoint(names)

    if involves("id"):
        ids = df["id"]
        _bad(spec, df, ids.isna(), "id", "every row needs an id")
        _bad(spec, df, ids.str.strip() == "", "id", "ids must not be blank")
        _bad(spec, df, ids.duplicated().to_numpy(), "id", "duplicate id")
    for col in spec.columns:
        if not involves(col.name):
            continue
        s = df[col.name]
        if col.required and col.name != "id":
            missing = s.isna()
            if col.kind in ("id", "text"):
                missing = missing | (s.fillna("").str.strip() == "")
            _bad(spec, df, missing, col.name, "a value is required")
        if col.choices:
            _bad(
                spec,
                df,
                s.notna() & ~s.isin(col.choices).fillna(False),
                col.name,
                f"must be one of {', '.join(col.choices)}",
            )
        if col.low is not None:
            _bad(spec, df, (s < col.low).fillna(False), col.name, f"must be >= {col.low:g}")
        if col.high is not None:
            _bad(spec, df, (s > col.high).fillna(False), col.name, f"must be <= {col.high:g}")
    if spec.one_of and involves(*spec.one_of):
        present = sum(df[c].notna().astype(int) for c in spec.one_of)
        first = spec.one_of[0]
        names = " or ".join(spec.one_of)
        _bad(spec, df, present > 1, first, f"set only one of {names}")
        if spec.one_of_required:
            _bad(spec, df, present == 0, first, f"set one of {names}")
    for cols in spec.unique:
        if not involves(*cols):
            continue
        dup = df.duplicated(subset=list(cols), keep="first")
        _bad(spec, df, dup.to_numpy(), cols[-1], f"duplicate combination of {', '.join(cols)}")
    if spec.ordered_within is not None and involves("order", spec.ordered_within):
        _check_order(spec, df)


def row_may_break(spec: FrameSpec, cells: Mapping[str, Any], columns: Iterable[str] | None = None) -> bool:
    """Whether one row may break a rule of its own (ids, required, choices, ranges, one-of).

    The scalar twin of :func:`validate_frame`'s row-by-row rules, for an edit
    of one row: ``cells`` holds canonical values (None for missing) of every
    column the rules read; with ``columns``, only rules involving them count,
    as in :func:`validate_frame`. It may say True for a valid row (text of
    rare characters); the caller then runs :func:`validate_frame`, which has
    the last word and the message. Rules between rows (unique ids and
    combinations, positions, references) are the caller's.
    """
    only = None if columns is None else set(columns)
    for col in spec.columns:
        if only is not None and col.name not in only:
            continue
        v = cells[col.name]
        if v is None:
            if col.required:
                return True
            continue
        if (col.required or col.name == "id") and col.kind in ("id", "text") and not solid_text(v):
            return True
        if col.choices and v not in col.choices:
            return True
        if (col.low is not None and v < col.low) or (col.high is not None and v > col.high):
            return True
    if spec.one_of and (only is None or not only.isdisjoint(spec.one_of)):
        present = sum(cells[c] is not None for c in spec.one_of)
        if present > 1 or (spec.one_of_required and present == 0):
            return True
    return False


def _check_order(spec: FrameSpec, df: pd.DataFrame) -> None:
    group = spec.ordered_within
    if group:
        # Rank inside each group: a frame is well ordered when its order
        # column equals 0..n-1 in every group.
        expected = df.sort_values([group, "order"], kind="stable").groupby(group, dropna=False).cumcount()
        expected = expected.reindex(df.index)
    else:
        expected = pd.Series(df["order"].rank(method="first").sub(1).to_numpy(), index=df.index)
    where = " inside its " + group.removesuffix("_id") if group else ""
    dup = df.duplicated(subset=[group, "order"] if group else ["order"], keep="first")
    _bad(spec, df, dup.to_numpy(), "order", f"duplicate position{where}")
    _bad(
        spec,
        df,
        (df["order"].astype("Int64") != expected.astype("Int64")).fillna(True).to_numpy(),
        "order",
        f"positions must run 0..n-1 without gaps{where}",
    )


def _arrow(s: pd.Series) -> Any:
    """Return the Arrow storage of an Arrow-backed text column, else None."""
    dtype = s.dtype
    arrow = isinstance(dtype, pd.ArrowDtype) or (
        isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
    )
    return s.array.__arrow_array__() if arrow else None


def _isin(values: pd.Series, known: pd.Series) -> np.ndarray:
    """``values.isin(known)`` as a bool array, looked up in a hash index.

    pandas' ``isin`` on Arrow-backed strings turns every known id into a
    Python scalar first: 12 ms against 2,400 touchpoint ids, on every edit.
    Arrow-backed columns are looked up by Arrow itself (100,000 ids against
    100,000 in a few ms); others in a pandas hash index.
    """
    a, b = _arrow(values), _arrow(known)
    if a is not None and b is not None:
        import pyarrow as pa  # installed: the columns are Arrow-backed
        import pyarrow.compute as pc

        try:
            found = pc.is_in(a, value_set=b.combine_chunks().cast(a.type), skip_nulls=True)
        except (pa.ArrowException, TypeError):  # types Arrow cannot compare: the pandas way
            pass
        else:
            return np.asarray(found.to_numpy(), dtype=bool)
    index = pd.Index(known.dropna().unique())
    return np.asarray(index.get_indexer(values) >= 0, dtype=bool)


def validate_references(
    frames: Mapping[str, pd.DataFrame],
    changed: Iterable[str] | None = None,
    *,
    shrunk: Iterable[str] | None = None,
) -> None:
    """Check that every reference column names an existing row of its frame.

    With ``changed``, only references from or to those frames are checked: the
    others were valid before and nothing they involve has changed. With
    ``shrunk`` too (the changed frames that lost ids), references *to* a
    changed frame are checked only when it lost ids: a reference to an id
    that still exists cannot have broken.
    """
    touched = None if changed is None else set(changed)
    targets = touched if shrunk is None or touched is None else touched & set(shrunk)
    for name, df in frames.items():
        spec = FRAMES[name]
        for col in spec.refs:
            assert col.ref is not None
            if touched is not None and name not in touched and (targets is None or col.ref not in targets):
                continue
            s = df[col.name]
            present = s.notna().to_numpy(dtype=bool)
            if not present.any():  # nothing refers: no lookup (most optional links are empty)
                continue
            _bad(
                spec,
                df,
                present & ~_isin(s, frames[col.ref]["id"]),
                col.name,
                f"unknown {FRAMES[col.ref].singular} id (no such row in {col.ref!r})",
            )
