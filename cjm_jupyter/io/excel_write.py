"""A journey document as xlsx rows, and the workbook written from them.

Every text cell is an explicit text cell (``data_type "s"``): openpyxl would
otherwise store text starting with ``=`` as a formula and ``#N/A`` as an
error. Text is escaped (:mod:`.excel_text`) and text longer than a cell
continues in the hidden ``_continued`` sheet (:mod:`.excel_layout`).

All rows are built before the workbook streams anything, so text that cannot
be saved is refused before a byte is written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..errors import ValidationError
from .atomic import atomic_file, user_errors
from .cells import dtype_family
from .excel_layout import COLUMNS_SHEET, CONTINUED_COUNT_KEY, CONTINUED_HEADER, CONTINUED_SHEET, META_SHEET
from .excel_text import CELL_LIMIT, cell_parts
from .excel_zip import save_workbook, stamp_of
from .map_sheet import write_map_sheet
from .map_sheet_content import MapTable

__all__ = ["write_workbook"]

_BIG_INT = 2**53  # Excel numbers are doubles; larger integers are kept as text
Row = list[Any]


class _Cells:
    """Makes the cells of one workbook and collects the parts that continue elsewhere."""

    def __init__(self, wb: Workbook) -> None:
        # A write-only cell only needs some sheet of its workbook as parent;
        # one scratch sheet serves all (it is removed, so never written).
        self._ws = wb.create_sheet("_cells")
        wb.remove(self._ws)
        self.continued: list[Row] = []

    def text(self, value: Any, *, sheet: str, row: Any, column: str) -> Any:
        """Write a text cell; text too long for one cell continues in ``_continued``."""
        if not isinstance(value, str):
            return value
        parts = cell_parts(value)
        for number, part in enumerate(parts[1:], start=2):
            # sheet, row and column were written as names before, so each fits a cell
            where = [self.name(sheet), self.name(row), self.name(column)]
            self.continued.append([*where, number, self._cell(part)])
        return self._cell(parts[0])

    def name(self, value: Any, **where: Any) -> Any:
        """Write a text cell that names something (an id, a column, a key), so must fit one cell.

        ``where`` (frame, row_id, column) locates it in the error.
        """
        if not isinstance(value, str):
            return value
        parts = cell_parts(value)
        if len(parts) > 1:
            raise ValidationError(
                f"is longer than the {CELL_LIMIT:,} characters an Excel cell holds; ids, keys and "
                "column names cannot continue in another cell (shorten it, or save as JSON or CSV)",
                **where,
            )
        return self._cell(parts[0])

    def _cell(self, text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self._ws, value=text)
        cell.data_type = "s"  # never a formula or an error value, whatever the text starts with
        return cell


def _meta_rows(doc: dict[str, Any], cells: _Cells) -> list[Row]:
    rows = [[cells.name("key"), cells.name("value")]]
    rows += [[cells.name(key), cells.name(doc[key])] for key in ("format", "schema_version")]
    for key, value in doc["meta"].items():
        name = cells.name(key, column=key)
        rows.append([name, cells.text(value, sheet=META_SHEET, row=key, column="value")])
    return rows


def _frame_rows(name: str, body: dict[str, Any], cells: _Cells) -> list[Row]:
    columns = body["columns"]
    header = [cells.name(c["name"], frame=name, column=c["name"]) for c in columns]
    ids = columns[0]["values"] if columns else []
    writers = [_cell_writer(c, name, cells, is_id=i == 0) for i, c in enumerate(columns)]
    return [header] + [[write(i, ids[i]) for write in writers] for i in range(len(ids))]


def _cell_writer(
    column: dict[str, Any], frame: str, cells: _Cells, *, is_id: bool
) -> Callable[[int, Any], Any]:
    family = dtype_family(column["dtype"])
    values = column["values"]
    name = column["name"]
    if family == "text":
        if is_id:  # the id is the key of the row's continued cells, so it must fit one cell
            return lambda i, row_id: cells.name(values[i], frame=frame, row_id=row_id, column=name)
        return lambda i, row_id: cells.text(values[i], sheet=frame, row=row_id, column=name)
    if family == "int":
        return lambda i, row_id: (
            cells.name(str(values[i])) if values[i] is not None and abs(values[i]) > _BIG_INT else values[i]
        )
    if family == "float":
        # openpyxl writes 16 significant digits; the rare float that needs 17
        # is kept as its exact text so it reads back to the same number.
        return lambda i, row_id: (
            cells.name(repr(values[i]))
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

            def native_cell(i: int, _row_id: Any) -> Any:
                stamp = stamps[i]
                return None if stamp is None else stamp.to_pydatetime()

            return native_cell
        return lambda i, row_id: cells.name(values[i])
    return lambda i, row_id: values[i]


def _sheet_rows(doc: dict[str, Any], cells: _Cells) -> dict[str, list[Row]]:
    """Every sheet's rows, hidden sheets included, in workbook order."""
    sheets = {META_SHEET: _meta_rows(doc, cells)}
    dtypes = [[cells.name(h) for h in ("frame", "column", "dtype")]]
    sheets[COLUMNS_SHEET] = dtypes
    for name, body in doc["frames"].items():
        sheets[name] = _frame_rows(name, body, cells)
        dtypes += [[cells.name(name), cells.name(c["name"]), cells.name(c["dtype"])] for c in body["columns"]]
    if cells.continued:
        sheets[CONTINUED_SHEET] = [[cells.name(h) for h in CONTINUED_HEADER], *cells.continued]
        # Counted in the visible meta sheet, so a deleted hidden sheet is noticed on
        # read instead of leaving every long text cut to its first cell.
        sheets[META_SHEET].append([cells.name(CONTINUED_COUNT_KEY), len(cells.continued)])
    return sheets


def write_workbook(
    doc: dict[str, Any], path: str | os.PathLike[str], map_table: MapTable | None = None
) -> None:
    """Write the journey document ``doc`` to ``path`` as an xlsx workbook, atomically.

    With ``map_table``, the first sheet is the map laid out for reading
    (:mod:`.map_sheet`); the data sheets follow it.

    Raises
    ------
    ValidationError
        An id, meta key or column name is too long for one cell; nothing is written.
    """
    wb = Workbook(write_only=True)
    cells = _Cells(wb)
    sheets = _sheet_rows(doc, cells)  # may refuse text; nothing is streamed yet
    try:
        # openpyxl streams each sheet into a file of its own in the system's
        # temporary folder: a failure there names the user's path too
        with user_errors({}, default=Path(os.fsdecode(path))):
            if map_table is not None:
                write_map_sheet(wb, map_table)
            for title, rows in sheets.items():
                ws = wb.create_sheet(title)
                if title.startswith("_"):
                    ws.sheet_state = "hidden"
                for row in rows:
                    ws.append(row)
            with atomic_file(path) as tmp:
                # Dated by the content, not the clock: an unchanged journey saves to the same bytes.
                save_workbook(wb, tmp, stamp_of(doc["meta"].get("updated_at")))
    except BaseException:
        _discard(wb)
        raise


def _discard(wb: Workbook) -> None:
    """Close the streams of a write-only workbook whose save failed.

    Each write-only sheet streams into a temporary file through two
    generators; left to the garbage collector they fail on a closed file and
    print "Exception ignored" tracebacks. Closing them here, in order, ends
    them quietly, and the temporary files are removed. (This reaches into
    openpyxl's write-only sheets, which offer no public way to abandon them.)
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
            if stream is not None:
                with suppress(Exception):
                    stream.close()
        with suppress(Exception):
            writer.cleanup()
