"""Columns to plain cells and back, with their dtype kept as text.

Every file format stores a column as a dtype name (``"string"``,
``"Int64"``, ``"Float64"``, ``"boolean"``, ``"datetime64[us]"``,
``"datetime64[us, Europe/Riga]"``...) plus plain values, so a frame loads
back with the exact dtypes it was saved with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import ValidationError

__all__ = ["to_cells", "from_cells", "dtype_family", "frame_columns", "build_frame"]

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
    raise ValueError(f"unsupported dtype {dtype!r}")


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def to_cells(series: pd.Series) -> list[Any]:
    """Plain Python values (str, int, float, bool, ISO text) with None for missing."""
    family = dtype_family(str(series.dtype))
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
    """A Series of ``dtype`` from plain cells (Python values, or text from CSV).

    Raises
    ------
    ValidationError
        When the dtype is unknown or a cell cannot be read as it.
    """
    try:
        family = dtype_family(dtype)
    except ValueError as exc:
        raise ValidationError(str(exc), frame=frame, column=column, value=dtype) from None
    parse = _PARSERS[family]
    out = []
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
    return pd.Series(pd.array(out, dtype=dtype))


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
    """A frame from ``(name, dtype, values)`` triples; all columns must be equally long."""
    lengths = {len(values) for _, _, values in columns}
    if len(lengths) > 1:
        raise ValidationError("columns have different lengths", frame=frame)
    data = {name: from_cells(values, dtype, frame=frame, column=name) for name, dtype, values in columns}
    return pd.DataFrame(data)
