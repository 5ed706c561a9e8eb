"""Bring a user's DataFrame into a frame's canonical columns and dtypes.

Coercion is the first half of validation: it fails with a
:class:`~cjm_jupyter.ValidationError` naming the column, the row id and the
bad value when a cell cannot be read as its column's kind, or holds text
that no file can store (see :func:`unsavable`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from pandas.api import types as ptypes

from ..errors import ValidationError
from .specs import ColumnSpec, FrameSpec

__all__ = [
    "coerce_frame",
    "empty_frame",
    "canonical_extra_dtype",
    "row_id_at",
    "unsavable",
    "check_meta_text",
    "check_cells",
]

#: Surrogate code points (U+D800..U+DFFF), paired or not: a Python string can
#: hold them but UTF-8 cannot encode them, so no JSON, CSV or Excel file can
#: store them. Every other string round-trips through every format.
_SURROGATE = re.compile("[\ud800-\udfff]")


def unsavable(text: str) -> str | None:
    r"""Why no file can store ``text``, or None when it can be saved.

    Examples
    --------
    >>> unsavable("Café") is None
    True
    >>> unsavable("Caf\ud800")
    'not valid Unicode: surrogate U+D800 at character 3; no file can store it'
    """
    hit = _SURROGATE.search(text)
    if hit is None:
        return None
    code = ord(hit.group())
    return f"not valid Unicode: surrogate U+{code:04X} at character {hit.start()}; no file can store it"


def check_meta_text(meta: Mapping[str, Any]) -> None:
    """Refuse a meta field (name, scenario, ...) holding text no file can store.

    Raises
    ------
    ValidationError
        Naming the field and the value (escaped).
    """
    for key, value in meta.items():
        rule = unsavable(value) if isinstance(value, str) else None
        if rule is not None:
            raise ValidationError(rule, column=key, value=value, has_value=True)


def check_cells(frame: str, values: Mapping[str, Any], row_id: str | None = None) -> None:
    """Refuse column names and cell values no file can store, before any lookup.

    Parameters
    ----------
    frame : str
        The frame the edit is for.
    values : mapping of str to Any
        Column name -> value, or a list or tuple of values (e.g. ids to look up).
    row_id : str, optional
        The row being edited, to name in the error.

    Raises
    ------
    ValidationError
        Naming the frame, the row, the column and the value (escaped). Raised
        before pandas sees the text: Arrow-backed columns would fail a mere
        comparison with it with ``UnicodeEncodeError``.
    """
    for column, value in values.items():
        rule = unsavable(column) if isinstance(column, str) else None
        if rule is not None:
            raise ValidationError(f"column name {rule}", frame=frame, row_id=row_id, column=column)
        for item in value if isinstance(value, (list, tuple)) else (value,):
            rule = unsavable(item) if isinstance(item, str) else None
            if rule is not None:
                raise ValidationError(rule, frame=frame, row_id=row_id, column=column, value=item)


def empty_frame(spec: FrameSpec) -> pd.DataFrame:
    """Return an empty frame with the spec's columns and dtypes."""
    return pd.DataFrame({c.name: pd.Series([], dtype=c.dtype) for c in spec.columns})


def row_id_at(df: pd.DataFrame, pos: int) -> str | None:
    """Return the ``id`` of the row at position ``pos``, if the frame has a usable one."""
    if "id" not in df.columns:
        return None
    value = df["id"].iloc[pos]
    return value if isinstance(value, str) else None


def coerce_frame(
    spec: FrameSpec,
    df: pd.DataFrame,
    *,
    fill_order: bool = False,
    extra_dtypes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return ``df`` with the spec's columns first, canonical dtypes, extras after.

    Parameters
    ----------
    spec : FrameSpec
        The frame's spec.
    df : DataFrame
        The user's frame. It is not modified.
    fill_order : bool
        When the frame is ordered and has no ``order`` column, number the rows
        in their current order (inside each group) instead of failing.
    extra_dtypes : mapping, optional
        Dtypes extra columns had before an edit; an object column of edited
        values is cast back to them.

    Raises
    ------
    ValidationError
        A required column is missing, a column name is not a string or is
        duplicated, or a cell cannot be read as its column's kind.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"expected a pandas DataFrame, got {type(df).__name__}", frame=spec.name)
    _check_column_names(spec, df)
    df = df.reset_index(drop=True)
    if fill_order and spec.ordered_within is not None and "order" not in df.columns:
        df = df.copy()
        if spec.ordered_within and spec.ordered_within in df.columns:
            df["order"] = df.groupby(spec.ordered_within, sort=False, dropna=False).cumcount()
        else:
            df["order"] = np.arange(len(df))
    out: dict[Hashable, pd.Series] = {}
    for col in spec.columns:
        if col.name in df.columns:
            out[col.name] = _coerce_column(spec, col, df)
        elif col.required:
            raise ValidationError(f"missing required column {col.name!r}", frame=spec.name, column=col.name)
        else:
            out[col.name] = pd.Series(pd.NA, index=df.index, dtype=col.dtype)
    builtin = set(spec.column_names)
    for name in df.columns:
        if name not in builtin:
            hint = (extra_dtypes or {}).get(name)
            out[name] = _coerce_extra(spec, name, df, hint)
    return pd.DataFrame(out, index=df.index)


def _check_column_names(spec: FrameSpec, df: pd.DataFrame) -> None:
    seen: set[str] = set()
    for name in df.columns:
        if not isinstance(name, str) or not name:
            raise ValidationError("column names must be non-empty strings", frame=spec.name, column=str(name))
        if name in seen:
            raise ValidationError("duplicate column name", frame=spec.name, column=name)
        rule = unsavable(name)
        if rule is not None:  # a column name is written to every file too
            raise ValidationError(f"column name {rule}", frame=spec.name, column=name)
        seen.add(name)


def _fail(spec: FrameSpec, df: pd.DataFrame, column: str, pos: int, value: Any, rule: str) -> None:
    raise ValidationError(
        rule,
        frame=spec.name,
        row_id=row_id_at(df, pos) if column != "id" else None,
        column=column,
        value=value,
        has_value=True,
    )


def _first_bad(mask: np.ndarray | pd.Series) -> int | None:
    hits = np.flatnonzero(np.asarray(mask, dtype=bool))
    return int(hits[0]) if len(hits) else None


def _to_text(spec: FrameSpec, name: str, df: pd.DataFrame) -> pd.Series:
    s = df[name]
    if not (ptypes.is_string_dtype(s.dtype) or s.dtype == object or _all_missing(s)):
        _fail(spec, df, name, 0, s.iloc[0], f"wrong type: expected text, got dtype {s.dtype}")
    if s.dtype == object:
        bad = _first_bad([not (isinstance(v, str) or _is_missing(v)) for v in s])
        if bad is not None:
            _fail(spec, df, name, bad, s.iloc[bad], "wrong type: expected text")
    try:
        out = s.astype("string")
    except UnicodeEncodeError:  # Arrow storage is UTF-8: it refuses surrogates
        _refuse_unsavable(spec, df, name)
        raise
    _check_savable(spec, df, name, out)
    # An empty cell and an empty string cannot be told apart in CSV or Excel,
    # so "" is stored as missing everywhere; that keeps every format lossless.
    return out.mask(out == "", pd.NA)


def _is_utf8(dtype: Any) -> bool:
    """Whether a text column's storage is UTF-8 (Arrow), so it cannot hold a surrogate."""
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage != "python"
    return isinstance(dtype, pd.ArrowDtype)


def _check_savable(spec: FrameSpec, df: pd.DataFrame, name: str, s: pd.Series) -> None:
    """Refuse a surrogate in ``s`` (the column ``name`` of ``df``, as text).

    Free for Arrow-backed text (pandas' default when pyarrow is installed),
    which is UTF-8 already. Python-backed text (pandas without pyarrow) is
    encoded in one piece: about 0.05 us per cell, a fifth of a per-cell regex
    search (``dropna`` would cost twice the encoding).
    """
    if _is_utf8(s.dtype):
        return
    try:
        "".join(s.to_numpy(dtype=object, na_value="")).encode("utf-8")
    except UnicodeEncodeError:
        _refuse_unsavable(spec, df, name)
        raise


def _refuse_unsavable(spec: FrameSpec, df: pd.DataFrame, name: str) -> None:
    """Fail naming the first cell of column ``name`` holding text no file can store."""
    for pos, v in enumerate(df[name]):
        rule = unsavable(v) if isinstance(v, str) else None
        if rule is not None:
            _fail(spec, df, name, pos, v, rule)


def _to_int(spec: FrameSpec, name: str, df: pd.DataFrame) -> pd.Series:
    s = df[name]
    if ptypes.is_bool_dtype(s.dtype):
        _fail(spec, df, name, 0, s.iloc[0], "wrong type: expected an integer, got booleans")
    if ptypes.is_integer_dtype(s.dtype):
        too_big = (s.astype("Float64") >= 2.0**63).fillna(False).to_numpy(dtype=bool)
        if too_big.any():
            pos = int(too_big.nonzero()[0][0])
            _fail(spec, df, name, pos, s.iloc[pos], "integer out of the 64-bit range")
        return s.astype("Int64")
    if ptypes.is_float_dtype(s.dtype):
        s = s.astype(object)
    elif not (s.dtype == object or _all_missing(s)):
        _fail(spec, df, name, 0, s.iloc[0], f"wrong type: expected an integer, got dtype {s.dtype}")
    # Element by element, so integers beyond 2**53 never pass through a float.
    out: list[Any] = []
    for pos, v in enumerate(s):
        if _is_missing(v):
            out.append(pd.NA)
        elif _is_int(v) or (isinstance(v, (float, np.floating)) and float(v).is_integer()):
            out.append(int(v))
        else:
            _fail(spec, df, name, pos, v, "wrong type: expected an integer")
        if out[-1] is not pd.NA and not -(2**63) <= out[-1] < 2**63:
            _fail(spec, df, name, pos, v, "integer out of the 64-bit range")
    return pd.Series(pd.array(out, dtype="Int64"), index=s.index)


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _to_float(spec: FrameSpec, name: str, df: pd.DataFrame) -> pd.Series:
    s = df[name]
    if ptypes.is_bool_dtype(s.dtype):
        _fail(spec, df, name, 0, s.iloc[0], "wrong type: expected a number, got booleans")
    values = _numeric(spec, name, df, "a number")
    bad = _first_bad(values.notna() & ~np.isfinite(values.fillna(0).to_numpy(dtype=float)))
    if bad is not None:
        _fail(spec, df, name, bad, s.iloc[bad], "must be a finite number")
    return values.astype("Float64")


def _numeric(spec: FrameSpec, name: str, df: pd.DataFrame, what: str) -> pd.Series:
    s = df[name]
    if ptypes.is_numeric_dtype(s.dtype):
        return s.astype("Float64")
    if _all_missing(s):
        return pd.Series(pd.NA, index=s.index, dtype="Float64")
    if s.dtype != object:
        _fail(spec, df, name, 0, s.iloc[0], f"wrong type: expected {what}, got dtype {s.dtype}")
    for pos, v in enumerate(s):
        if not (_is_missing(v) or (isinstance(v, (int, float, np.number)) and not isinstance(v, bool))):
            _fail(spec, df, name, pos, v, f"wrong type: expected {what}")
    return pd.Series([pd.NA if _is_missing(v) else float(v) for v in s], index=s.index, dtype="Float64")


def _to_date(spec: FrameSpec, name: str, df: pd.DataFrame) -> pd.Series:
    s = df[name]
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        _fail(spec, df, name, 0, s.iloc[0], "dates must not carry a time zone")
    if ptypes.is_datetime64_dtype(s.dtype):
        return s.astype("datetime64[us]")
    out = []
    for pos, v in enumerate(s):
        if _is_missing(v):
            out.append(pd.NaT)
            continue
        try:
            if isinstance(v, (datetime, date, pd.Timestamp, np.datetime64, str)):
                ts = pd.Timestamp(v)
            else:
                raise TypeError
        except (TypeError, ValueError):
            _fail(spec, df, name, pos, v, "wrong type: expected a date (ISO 8601 text or datetime)")
        if ts.tzinfo is not None:
            _fail(spec, df, name, pos, v, "dates must not carry a time zone")
        out.append(ts)
    return pd.Series(out, index=s.index, dtype="datetime64[us]")


_COERCERS = {"id": _to_text, "text": _to_text, "int": _to_int, "float": _to_float, "date": _to_date}


def _coerce_column(spec: FrameSpec, col: ColumnSpec, df: pd.DataFrame) -> pd.Series:
    s = df[col.name]
    # Already canonical (e.g. an untouched column of the journey's own frame).
    # Floats always go through: a user's Float64 column may hold inf.
    canonical = str(s.dtype) == col.dtype and col.kind != "float"
    if canonical and not (col.kind in ("id", "text") and (s == "").any()):
        if col.kind in ("id", "text"):
            _check_savable(spec, df, col.name, s)  # Python-backed text may hold anything
        return s
    return _COERCERS[col.kind](spec, col.name, df)


def canonical_extra_dtype(dtype: Any) -> str | None:
    """Return the nullable dtype a user's extra column is kept in, or None when unsupported.

    Extra columns are kept in pandas' nullable dtypes so that adding a row
    without a value for them (``pd.NA``) never changes their dtype. Arrow-backed
    columns (``double[pyarrow]``, which pandas 3 makes from a pyarrow-backed
    string column, e.g. by ``.map``) are kept in the matching nullable dtype.
    """
    if isinstance(dtype, pd.ArrowDtype):
        dtype = _from_arrow(dtype)
        if dtype is None:
            return None
    if isinstance(dtype, pd.DatetimeTZDtype) or ptypes.is_datetime64_dtype(dtype):
        return str(dtype)
    if ptypes.is_bool_dtype(dtype):
        return "boolean"
    if ptypes.is_integer_dtype(dtype):
        name = str(pd.api.types.pandas_dtype(dtype))
        return name if name[0].isupper() else name.capitalize().replace("Uint", "UInt")
    if ptypes.is_float_dtype(dtype):
        name = str(dtype)
        return name if name[0].isupper() else name.capitalize()
    if ptypes.is_string_dtype(dtype) and dtype is not np.dtype(object):
        return "string"
    return None


def _from_arrow(dtype: pd.ArrowDtype) -> Any:
    """Return the numpy/pandas dtype an Arrow dtype maps to (None when unsupported)."""
    import pyarrow as pa  # an ArrowDtype exists only when pyarrow is installed

    kind = dtype.pyarrow_dtype
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return pd.StringDtype()
    if pa.types.is_timestamp(kind) and kind.tz is not None:
        return pd.DatetimeTZDtype(unit=kind.unit, tz=kind.tz)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
        return dtype.numpy_dtype
    if pa.types.is_timestamp(kind):
        return dtype.numpy_dtype
    return None


def _coerce_extra(spec: FrameSpec, name: str, df: pd.DataFrame, hint: str | None) -> pd.Series:
    s = df[name]
    if s.dtype == object:
        s = _infer_object(spec, name, df, hint)
    target = canonical_extra_dtype(s.dtype)
    if target is None:
        _fail(
            spec,
            df,
            name,
            0,
            s.iloc[0] if len(s) else None,
            f"unsupported dtype {s.dtype} for an extra column; use text, numbers, booleans or datetimes",
        )
    if target == "string":
        return _to_text(spec, name, df.assign(**{name: s}))
    return s.astype(target)


def _infer_object(spec: FrameSpec, name: str, df: pd.DataFrame, hint: str | None) -> pd.Series:
    """Read an object column as the dtype it had before (``hint``) or infer one."""
    s = df[name]
    for pos, v in enumerate(s):
        if not (pd.api.types.is_scalar(v) or isinstance(v, (date, datetime))):
            _fail(spec, df, name, pos, v, "a cell holds one value (text, number, date), not a container")
    if hint is None and _all_missing(s):
        hint = "string"
    if hint == "string":
        return _to_text(spec, name, df)
    if hint is not None:
        family = _family(hint)
        for pos, v in enumerate(s):
            if not (_is_missing(v) or _FITS[family](v) or (family == "datetime" and _is_date_text(v))):
                _fail(spec, df, name, pos, v, f"wrong type: expected a value of dtype {hint}")
        if family == "datetime":
            return _stamps(s, hint)
        return s.astype(hint)
    values = [pd.NA if _is_missing(v) else v for v in s]
    try:
        inferred = pd.Series(pd.array(values), index=s.index)
    except UnicodeEncodeError:  # text inferred as Arrow-backed strings, which are UTF-8
        _refuse_unsavable(spec, df, name)
        raise
    if canonical_extra_dtype(inferred.dtype) is None:
        # Blame the first value that is not of the column's most common kind.
        counts = {k: sum(1 for v in values if v is not pd.NA and fits(v)) for k, fits in _FITS.items()}
        usual = max(counts, key=lambda k: counts[k])
        for pos, v in enumerate(values):
            if v is not pd.NA and not (counts[usual] and _FITS[usual](v)):
                _fail(
                    spec,
                    df,
                    name,
                    pos,
                    v,
                    "unsupported value for an extra column; a column holds one kind of value: "
                    "text, numbers, booleans or datetimes",
                )
    return inferred


def _is_date_text(v: Any) -> bool:
    """ISO text or a date, as built-in date columns accept."""
    if not isinstance(v, (str, date)):
        return False
    try:
        pd.Timestamp(v)
    except (TypeError, ValueError):
        return False
    return True


def _stamps(s: pd.Series, dtype: str) -> pd.Series:
    """Timestamps of ``dtype``; naive values are taken as local to its time zone."""
    tz = dtype.partition(", ")[2].rstrip("]") or None
    out = []
    for v in s:
        if _is_missing(v):
            out.append(pd.NaT)
            continue
        ts = pd.Timestamp(v)
        if tz is None:
            ts = ts.tz_localize(None) if ts.tzinfo is None else ts.tz_convert(None)
        else:
            ts = ts.tz_localize(tz) if ts.tzinfo is None else ts.tz_convert(tz)
        out.append(ts)
    return pd.Series(pd.DatetimeIndex(out, dtype=dtype), index=s.index)


def _family(dtype: str) -> str:
    if dtype.startswith("datetime64"):
        return "datetime"
    if dtype == "boolean":
        return "bool"
    if dtype.startswith(("Int", "UInt")):
        return "int"
    return "float"


_FITS = {
    "text": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, (bool, np.bool_)),
    "int": lambda v: _is_int(v) or (isinstance(v, (float, np.floating)) and float(v).is_integer()),
    "float": lambda v: (
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))
    ),
    "datetime": lambda v: isinstance(v, (datetime, pd.Timestamp, np.datetime64)),
}


def _is_missing(v: Any) -> bool:
    if v is None or v is pd.NA or v is pd.NaT:
        return True
    return isinstance(v, float) and math.isnan(v)


def _all_missing(s: pd.Series) -> bool:
    return bool(s.isna().all())
