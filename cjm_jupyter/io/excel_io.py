"""Journeys as Excel workbooks: one sheet per frame, as teams keep maps today.

Sheets: ``journey`` (format, schema version and meta data as key/value
rows), one sheet per frame (header row, then one row per record) and a
hidden ``_columns`` sheet with every column's dtype. Cells keep their type
(text, number, boolean, date). openpyxl is used directly rather than through
``DataFrame.to_excel`` because text must be stored as text: pandas would
turn a quote such as ``=too expensive`` into a formula.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ValidationError
from ..model.journey import Journey
from ..model.specs import FRAMES
from .atomic import atomic_file
from .cells import build_frame, dtype_family
from .document import check_version, journey_from_frames, to_document

__all__ = ["to_excel", "read_excel"]

META_SHEET = "journey"
COLUMNS_SHEET = "_columns"
_BIG_INT = 2**53  # Excel numbers are doubles; larger integers are kept as text


def to_excel(journey: Journey, path: str | os.PathLike[str]) -> None:
    """Write ``journey`` to an ``.xlsx`` workbook at ``path``, atomically.

    Raises
    ------
    ValidationError
        A text cell holds control characters, which the xlsx format cannot
        store (use JSON or CSV for such text).
    """
    doc = to_document(journey)
    _check_text(doc)  # before the workbook exists: a half-built one can't be closed cleanly
    wb = Workbook(write_only=True)
    meta = wb.create_sheet(META_SHEET)
    meta.append(["key", "value"])
    for key in ("format", "schema_version"):
        meta.append([key, doc[key]])
    for key, value in doc["meta"].items():
        meta.append([key, _text_cell(meta, value, "journey", key, None)])
    dtypes = wb.create_sheet(COLUMNS_SHEET)
    dtypes.sheet_state = "hidden"
    dtypes.append(["frame", "column", "dtype"])
    for name, body in doc["frames"].items():
        ws = wb.create_sheet(name)
        columns = body["columns"]
        ws.append([_text_cell(ws, c["name"], name, c["name"], None) for c in columns])
        ids = columns[0]["values"] if columns else []
        writers = [_cell_writer(ws, c, name) for c in columns]
        for i in range(len(ids)):
            ws.append([write(i, ids[i]) for write in writers])
        for c in columns:
            dtypes.append([name, c["name"], c["dtype"]])
    with atomic_file(path) as tmp:
        wb.save(tmp)


def _check_text(doc: dict[str, Any]) -> None:
    def check(value: Any, frame: str | None, column: str, row_id: Any) -> None:
        if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
            raise ValidationError(
                "Excel files cannot hold control characters; remove them or save as JSON/CSV",
                frame=frame,
                row_id=row_id,
                column=column,
                value=value,
            )

    for key, value in doc["meta"].items():
        check(value, None, key, None)
    for name, body in doc["frames"].items():
        ids = body["columns"][0]["values"] if body["columns"] else []
        for col in body["columns"]:
            check(col["name"], name, col["name"], None)
            if col["dtype"] == "string":
                for row_id, value in zip(ids, col["values"], strict=True):
                    check(value, name, col["name"], row_id)


def _text_cell(ws: Worksheet, value: Any, frame: str, column: str, row_id: Any) -> Any:
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _cell_writer(ws: Worksheet, column: dict[str, Any], frame: str) -> Any:
    family = dtype_family(column["dtype"])
    values = column["values"]
    name = column["name"]
    if family == "text":
        return lambda i, row_id: _text_cell(ws, values[i], frame, name, row_id)
    if family == "int":
        return lambda i, row_id: (
            str(values[i]) if values[i] is not None and abs(values[i]) > _BIG_INT else values[i]
        )
    if family == "float":
        # openpyxl writes 16 significant digits; the rare float that needs 17
        # is kept as its exact text so it reads back to the same number.
        return lambda i, row_id: (
            repr(values[i])
            if values[i] is not None and float(f"{values[i]:.16g}") != values[i]
            else values[i]
        )
    if family == "datetime":
        stamps = [None if v is None else pd.Timestamp(v) for v in values]
        # Real Excel dates when nothing is lost (naive, whole seconds); ISO text otherwise.
        native = all(
            s is None or (s.tzinfo is None and s.microsecond == 0 and s.nanosecond == 0) for s in stamps
        )
        if native:
            return lambda i, row_id: None if stamps[i] is None else stamps[i].to_pydatetime()
    return lambda i, row_id: values[i]


def read_excel(path: str | os.PathLike[str]) -> Journey:
    """Read a journey written by :meth:`Journey.to_excel`.

    Columns added by hand in Excel are read as text; numbers typed into a
    text column are read as their text.
    """
    source = str(path)
    wb = load_workbook(path, read_only=True, data_only=False)
    try:
        if META_SHEET not in wb.sheetnames:
            raise ValidationError(
                f"{source} has no {META_SHEET!r} sheet; is it a workbook written by to_excel?"
            )
        meta = {str(r[0]): [*r, None][1] for r in _rows(wb[META_SHEET])[1:] if r and r[0] is not None}
        check_version(meta, source=source)
        dtypes: dict[tuple[str, str], str] = {}
        if COLUMNS_SHEET in wb.sheetnames:
            for r in _rows(wb[COLUMNS_SHEET])[1:]:
                if len(r) >= 3 and r[0] is not None:
                    dtypes[(str(r[0]), str(r[1]))] = str(r[2])
        frames = {}
        for name in FRAMES:
            if name in wb.sheetnames:
                frames[name] = _read_frame(wb[name], name, dtypes)
    finally:
        wb.close()
    return journey_from_frames(meta, frames, source=source)


def _rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _read_frame(ws: Any, name: str, dtypes: dict[tuple[str, str], str]) -> pd.DataFrame:
    rows = _rows(ws)
    if not rows:
        return pd.DataFrame()
    width = len(rows[0])
    while width and rows[0][width - 1] is None:
        width -= 1
    header = [str(h) for h in rows[0][:width]]
    data = [(r + [None] * width)[:width] for r in rows[1:] if any(v is not None for v in r)]
    columns = []
    for i, col in enumerate(header):
        dtype = dtypes.get((name, col), "string")
        values = [r[i] for r in data]
        if dtype_family(dtype) == "text":
            values = [_as_text(v) for v in values]
        columns.append((col, dtype, values))
    return build_frame(columns, frame=name)


def _as_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
