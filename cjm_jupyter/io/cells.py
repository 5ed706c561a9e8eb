"""Columns to plain cells and back, with their dtype kept as text.

Every file format stores a column as a dtype name (``"string"``,
``"Int64"``, ``"Float64"``, ``"boolean"``, ``"datetime64[us]"``,
``"datetime64[us, Europe/Riga]"``...) plus plain values, so a frame loads
back with the exact dtypes it was saved with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

try:  # pandas' default "string" dtype is pyarrow-backed when pyarrow is installed
    import pyarrow as pa

    _ARROW_TEXT = pd.StringDtype().storage == "pyarrow" and pd.StringDtype().na_value is pd.NA
except ImportError:  # pragma: no cover - pyarrow is a pandas 3 dependency here
    _ARROW_TEXT = False

from ..errors import ValidationError

__all__ = ["to_cells", "from_cells", "dtype_family", "frame_columns", "build_frame", "encodable", "DTYPES"]

#: The dtypes a file may name, for messages (every format says the same).
DTYPES = "use string, (U)Int8-64, Float32/64, boolean or datetime64[unit(, tz)]"
_INT = re.compile(r"^U?Int(8|16|32|64)$")
_FLOAT = re.compile(r"^Float(32|64)$")
_DATETIME = re.compile(r"^datetime64\[(s|ms|us|ns)(, .+)?\]$")


def dtype_family(dtype: str) -> str:
    """``"text"``, ``"int"``, ``"float"``, ``"bool"`` or ``"datetime"``; ValueError if unsupported."""
    if dtype == "string":
        return "text"
    if _INT.match(dtype):
        return "int"
    if _FLOAT.match(dtype):
        return "float"
    if dtype == "boolean":
        return "bool"
    if _DATETIME.match(dtype):
        return "datetime"
    raise ValueError(f"unknown dtype {dtype!r}; {DTYPES}")


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def to_cells(series: pd.Series) -> list[Any]:
    """Plain Python values (str, int, float, bool, ISO text) with None for missing."""
    family = dtype_family(str(series.dtype))
    if family != "datetime":
        # pandas' own conversion: Python scalars and None, in C; used when it already
        # gives what the per-value loop below would (always, for the nullable dtypes)
        fast = _canonical(series.to_numpy(dtype=object, na_value=None).tolist(), family)
        if fast is not None:
            return fast
    values = series.astype(object).tolist()
    if family == "text":
        return [None if _missing(v) else str(v) for v in values]
    if family == "int":
        return [None if _missing(v) else int(v) for v in values]
    if family == "float":
        return [None if _missing(v) else float(v) for v in values]
    if family == "bool":
        return [None if _missing(v) else bool(v) for v in values]
    return [None if _missing(v) else pd.Timestamp(v).isoformat() for v in values]


def from_cells(values: Sequence[Any], dtype: str, *, frame: str, column: str) -> pd.Series:
    """Build a Series of ``dtype`` from plain cells (Python values, or text from CSV).

    Raises
    ------
    ValidationError
        When the dtype is unknown or a cell cannot be read as it.
    """
    try:
        family = dtype_family(dtype)
    except ValueError as exc:
        raise ValidationError(str(exc), frame=frame, column=column, value=dtype) from None
    fast = _canonical(values, family)
    if fast is not None:
        return _array(fast, dtype, frame=frame, column=column)
    parse = _PARSERS[family]
    out: list[Any] = []
    for v in values:
        if _missing(v) or (v == "" and family != "text"):
            out.append(None)
            continue
        try:
            out.append(parse(v))
        except (TypeError, ValueError, OverflowError):
            raise ValidationError(
                f"cannot read as {dtype}", frame=frame, column=column, value=v, has_value=True
            ) from None
    if family == "datetime":
        return _datetimes(out, dtype)
    return _array(out, dtype, frame=frame, column=column)


#: Cell types each family's parser returns unchanged: a column holding only
#: these (the JSON reader's usual case) skips the per-value loop, which is
#: what made large files slow. Exact types, so ``bool`` is not an ``int``.
_CANONICAL: dict[str, frozenset[type]] = {
    "text": frozenset({str, type(None)}),
    "int": frozenset({int, type(None)}),
    "float": frozenset({float, int, type(None)}),
    "bool": frozenset({bool, type(None)}),
}


def _canonical(values: Sequence[Any], family: str) -> list[Any] | None:
    """``values`` as a list when every cell is already its family's Python type, else None.

    A float column turns NaN into None (as :func:`_missing` does) and ints into floats
    (as ``float(v)`` does): the result is exactly what the per-value loop would build.
    """
    allowed = _CANONICAL.get(family)
    if allowed is None:
        return None
    values = values if isinstance(values, list) else list(values)
    kinds = set(map(type, values))
    if kinds == {str} and family in _FROM_TEXT:
        return _from_text(values, family)
    if not kinds <= allowed:
        return None
    if family == "float":
        if int in kinds:
            try:
                values = [v if v is None else float(v) for v in values]
            except OverflowError:  # an int beyond float range: the loop names it
                return None
        if float in kinds and any(v != v for v in values if v is not None):  # NaN
            values = [None if v is not None and v != v else v for v in values]
    return values


_BOOLS = {"True": True, "true": True, "TRUE": True, "False": False, "false": False, "FALSE": False}
#: Text cells (CSV) of a number or boolean column, parsed in one comprehension:
#: the same calls as the per-value loop (``int(v)``, ``float(v)``, the spellings
#: :func:`_bool` accepts; ``""`` is missing) without its per-value checks.
_FROM_TEXT: dict[str, Callable[[str], Any]] = {"int": int, "float": float, "bool": _BOOLS.__getitem__}


def _from_text(values: list[str], family: str) -> list[Any] | None:
    """Parse text cells; return None when one cannot be parsed (the loop then names it)."""
    parse = _FROM_TEXT[family]
    try:
        return [None if v == "" else parse(v) for v in values]
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _array(values: list[Any], dtype: str, *, frame: str, column: str) -> pd.Series:
    """Return the Series of parsed cells.

    Text no file can hold, or a number the dtype cannot, is a ValidationError.
    """
    try:
        if dtype == "string" and _ARROW_TEXT:
            # pandas' own "string" array, built by pyarrow in one C call (pd.array checks
            # each value in Python first: 5-10x slower, and the cells are str or None here)
            return pd.Series(pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string())))
        return pd.Series(pd.array(values, dtype=dtype))
    except UnicodeEncodeError:  # a lone surrogate ("\ud800"): no UTF-8 file can store it
        bad = next(v for v in values if isinstance(v, str) and not encodable(v))
        raise ValidationError(
            "text holds a lone surrogate, which no file can store",
            frame=frame,
            column=column,
            value=bad,
        ) from None
    except (TypeError, ValueError, OverflowError):
        if dtype_family(dtype) not in ("int", "float"):
            raise
        raise ValidationError(
            f"cannot read as {dtype}: out of range",
            frame=frame,
            column=column,
            value=_out_of_range(values, dtype),
            has_value=True,
        ) from None


def encodable(text: str) -> bool:
    r"""Tell whether ``text`` can be stored as UTF-8 (holds no lone surrogate such as ``"\ud800"``)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _out_of_range(values: list[Any], dtype: str) -> Any:
    """Return the first value outside the range of integer ``dtype`` (or of float ``dtype``)."""
    info: Any = np.iinfo(dtype.lower()) if _INT.match(dtype) else np.finfo(dtype.lower())
    low, high = (int(info.min), int(info.max)) if _INT.match(dtype) else (float(info.min), float(info.max))
    return next((v for v in values if v is not None and not low <= v <= high), None)


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise TypeError
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError
        return int(v)
    return int(v)


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise TypeError
    return float(v)


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if v in ("True", "true", "TRUE", 1):
        return True
    if v in ("False", "false", "FALSE", 0):
        return False
    raise ValueError


def _text(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError
    return v


def _timestamp(v: Any) -> pd.Timestamp:
    return pd.Timestamp(v)


_PARSERS = {"text": _text, "int": _int, "float": _float, "bool": _bool, "datetime": _timestamp}


def _datetimes(values: list[Any], dtype: str) -> pd.Series:
    match = _DATETIME.match(dtype)
    assert match is not None
    tz = (match.group(2) or "")[2:]
    stamps = [pd.NaT if v is None else v for v in values]
    if tz:
        stamps = [s if s is pd.NaT else (s.tz_convert(tz) if s.tzinfo else s.tz_localize(tz)) for s in stamps]
        return pd.Series(pd.DatetimeIndex(stamps, dtype=dtype))
    naive = [s if s is pd.NaT else s.tz_localize(None) for s in stamps]
    return pd.Series(pd.DatetimeIndex(naive, dtype=dtype))


def frame_columns(df: pd.DataFrame) -> list[tuple[str, str]]:
    """(column, dtype) pairs of a stored frame, in order."""
    return [(str(c), str(t)) for c, t in df.dtypes.items()]


def build_frame(columns: Sequence[tuple[str, str, Sequence[Any]]], *, frame: str) -> pd.DataFrame:
    """Build a frame from ``(name, dtype, values)`` triples; all columns must be equally long."""
    lengths = {len(values) for _, _, values in columns}
    if len(lengths) > 1:
        raise ValidationError("columns have different lengths", frame=frame)
    data = {name: from_cells(values, dtype, frame=frame, column=name) for name, dtype, values in columns}
    return pd.DataFrame(data)
