"""Read the sheets of a journey workbook into meta data and frames, naming what is wrong.

Every way a workbook can be unreadable (no file, a folder, not a zip, a zip
that is no workbook, a damaged sheet, a listed sheet that is missing, a cell
that is not of its column's type) is one :class:`FileFormatError` naming the
user's path and, where known, the sheet, frame, row and column.
"""

from __future__ import annotations

import os
import zipfile
from collections import defaultdict
from datetime import datetime
from typing import Any, BinaryIO

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import FileFormatError, ValidationError
from ..model.specs import FRAMES
from .cells import dtype_family, encodable, from_cells
from .excel_fill import fill_typed_rows
from .excel_layout import COLUMNS_SHEET, CONTINUED_COUNT_KEY, CONTINUED_SHEET, META_SHEET
from .excel_strings import restore_shared_strings
from .excel_text import unescape
from .reading import open_user_file

__all__ = ["read_workbook"]

# (sheet, row key, column) -> the text that continues the cell
Tails = dict[tuple[str, str, str], str]


def read_workbook(
    path: str | os.PathLike[str],
) -> tuple[dict[str, Any], dict[str, pd.DataFrame], dict[str, str]]:
    """Read the meta data (``format`` and ``schema_version`` included), frames and filled cells of a workbook.

    Sheets the journey does not use (the ``map`` sheet :meth:`Journey.to_excel`
    writes first, sheets a user adds) are not read, wherever they are. The
    third part names, per sheet, the rows typed without an id or order that
    were given one (see :mod:`.excel_fill`).

    Raises
    ------
    FileNotFoundError
        The file does not exist (as for ``open``).
    FileFormatError
        The file is a folder, or not a readable journey workbook.
    """
    source = os.fsdecode(path)
    with open_user_file(source, kind="an Excel workbook") as fh:
        # A file object, not the path: openpyxl would refuse names not ending in .xlsx.
        wb = _open(fh, source)
        try:
            return _Book(wb, source).read()
        finally:
            wb.close()


def _open(fh: BinaryIO, source: str) -> Any:
    try:
        wb = load_workbook(fh, read_only=True, data_only=False)
        restore_shared_strings(wb)
        return wb
    except zipfile.BadZipFile:
        rule = "is not an Excel workbook (.xlsx): not a zip archive, or one that is damaged or cut short"
    except (KeyError, InvalidFileException):
        rule = "is a zip archive but not an Excel workbook (.xlsx)"
    except Exception as exc:  # openpyxl reports a damaged part in many ways
        rule = f"is a damaged Excel workbook ({type(exc).__name__}: {exc})"
    raise FileFormatError(rule, path=source)


class _Book:
    """One open workbook being read; knows the user's path for every error."""

    def __init__(self, wb: Any, source: str) -> None:
        self.wb = wb
        self.source = source
        self._continued_rows = 0  # rows read from the _continued sheet, checked against the count
        self.filled: dict[str, str] = {}  # sheet -> the rows given an id or order, in words

    def error(self, rule: str, **where: Any) -> FileFormatError:
        return FileFormatError(rule, path=self.source, **where)

    def rows(self, sheet: str) -> list[list[Any]]:
        """Return the sheet's rows as lists of values, text unescaped."""
        try:
            return [
                [unescape(v) if isinstance(v, str) else v for v in row]
                for row in self.wb[sheet].iter_rows(values_only=True)
            ]
        except Exception as exc:  # a damaged sheet fails inside openpyxl's parser
            raise self.error(f"the sheet is damaged ({type(exc).__name__}: {exc})", sheet=sheet) from None

    def read(self) -> tuple[dict[str, Any], dict[str, pd.DataFrame], dict[str, str]]:
        names = self.wb.sheetnames
        if META_SHEET not in names:
            raise self.error(
                f"the workbook has no {META_SHEET!r} sheet; is it a workbook written by to_excel?"
            )
        tails = self.tails() if CONTINUED_SHEET in names else {}
        meta = self.meta(tails)
        self.check_continued(meta.pop(CONTINUED_COUNT_KEY, None), CONTINUED_SHEET in names)
        dtypes = self.dtypes() if COLUMNS_SHEET in names else {}
        for frame in sorted({f for f, _ in dtypes} & set(FRAMES)):
            if frame not in names:
                raise self.error(
                    f"the workbook has no {frame!r} sheet, but its hidden {COLUMNS_SHEET!r} sheet lists "
                    "that frame; was the sheet deleted or renamed?",
                    sheet=frame,
                )
        frames = {name: self.frame(name, dtypes, tails) for name in FRAMES if name in names}
        return meta, frames, self.filled

    def meta(self, tails: Tails) -> dict[str, Any]:
        meta: dict[str, Any] = {}
        for row in self.rows(META_SHEET)[1:]:
            row = [*row, None, None]
            if row[0] is None:
                continue
            key, value = _as_text(row[0]), row[1]
            if key in meta:  # as in JSON: which of the two the user meant is unknown
                raise self.error(
                    f"key {key!r} appears in more than one row; each key may appear once", sheet=META_SHEET
                )
            if key == "schema_version":
                value = self.version(value)
            elif key not in ("format", CONTINUED_COUNT_KEY) and value is not None:
                # Typed by hand, a name like 2024 is a number and a date such as
                # reviewed_at a date cell; each means its text.
                value = _meta_text(value) + tails.get((META_SHEET, key, "value"), "")
            meta[key] = value
        return meta

    def check_continued(self, expected: Any, present: bool) -> None:
        """Refuse a workbook whose long texts lost their continuation (the sheet or some rows)."""
        if expected is None:
            return
        if isinstance(expected, float) and expected.is_integer():
            expected = int(expected)
        if isinstance(expected, bool) or not isinstance(expected, int) or expected < 1:
            raise self.error(
                "must be a positive whole number",
                sheet=META_SHEET,
                column=CONTINUED_COUNT_KEY,
                value=expected,
                has_value=True,
            )
        if not present:
            raise self.error(
                f"the workbook has no {CONTINUED_SHEET!r} sheet, but {expected} parts of long texts "
                f"continue there ({CONTINUED_COUNT_KEY!r} in the {META_SHEET!r} sheet); was the hidden "
                "sheet deleted? Text would be cut",
                sheet=CONTINUED_SHEET,
            )
        found = self._continued_rows
        if found != expected:
            raise self.error(
                f"holds {found} of the {expected} parts of long texts that the {META_SHEET!r} sheet "
                f"counts ({CONTINUED_COUNT_KEY!r}); text would be lost",
                sheet=CONTINUED_SHEET,
            )

    def version(self, value: Any) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(
                "schema_version must be a whole number",
                sheet=META_SHEET,
                column="schema_version",
                value=value,
                has_value=True,
            )
        return value

    def dtypes(self) -> dict[tuple[str, str], str]:
        dtypes = {}
        for row in self.rows(COLUMNS_SHEET)[1:]:
            frame, column, dtype = [*row, None, None, None][:3]
            if frame is None and column is None and dtype is None:
                continue
            if frame is None or column is None or dtype is None:
                raise self.error(
                    "each row needs a frame, a column and a dtype",
                    sheet=COLUMNS_SHEET,
                    frame=_as_text(frame),
                    column=_as_text(column),
                )
            frame, column = _as_text(frame), _as_text(column)
            try:
                dtype_family(_as_text(dtype))
            except ValueError as exc:
                raise self.error(str(exc), sheet=COLUMNS_SHEET, frame=frame, column=column) from None
            if (frame, column) in dtypes:
                raise self.error(f"column {column!r} is listed twice", sheet=COLUMNS_SHEET, frame=frame)
            dtypes[(frame, column)] = dtype
        return dtypes

    def tails(self) -> Tails:
        parts: dict[tuple[str, str, str], dict[int, str]] = defaultdict(dict)
        for row in self.rows(CONTINUED_SHEET)[1:]:
            sheet, key, column, number, text = [*row, None, None, None, None, None][:5]
            if all(v is None for v in (sheet, key, column, number, text)):
                continue
            self._continued_rows += 1
            if not (isinstance(number, int) and number >= 2 and isinstance(text, str)):
                raise self.error(
                    "each row needs a sheet, a row, a column, a part number from 2 and its text",
                    sheet=CONTINUED_SHEET,
                    frame=_as_text(sheet),
                    row_id=_as_text(key),
                    column=_as_text(column),
                    value=number,
                )
            parts[(_as_text(sheet), _as_text(key), _as_text(column))][number] = text
        tails = {}
        for (sheet, key, column), texts in parts.items():
            if sorted(texts) != list(range(2, len(texts) + 2)):
                raise self.error(
                    f"parts {sorted(texts)} of a long text are listed, but it needs every part from 2 "
                    "to the last; text would be lost",
                    sheet=CONTINUED_SHEET,
                    frame=sheet,
                    row_id=key,
                    column=column,
                )
            tails[(sheet, key, column)] = "".join(texts[n] for n in sorted(texts))
        return tails

    def frame(self, name: str, dtypes: dict[tuple[str, str], str], tails: Tails) -> pd.DataFrame:
        rows = self.rows(name)
        if not rows:
            return pd.DataFrame()
        width = len(rows[0])
        while width and rows[0][width - 1] is None:
            width -= 1
        header = [_as_text(h) for h in rows[0][:width]]
        for column in header:
            if header.count(column) > 1:
                raise self.error("the header names this column twice", sheet=name, frame=name, column=column)
            if column is not None and not encodable(column):  # no cell check reaches a header
                raise self.error(
                    "a column name holds a lone surrogate, which no file can store",
                    sheet=name,
                    frame=name,
                    value=column,
                )
        self.nothing_beyond(name, rows, width)
        kept = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(v is not None for v in r)]
        data = [(r + [None] * width)[:width] for _, r in kept]
        ids = [_as_text(r[header.index("id")]) if "id" in header else None for r in data]
        series = {}
        for i, column in enumerate(header):
            dtype = dtypes.get((name, column), "string")
            values = [r[i] for r in data]
            if dtype_family(dtype) == "text":
                values = [
                    _joined(v, None if row_id is None else tails.get((name, row_id, column)))
                    for v, row_id in zip(values, ids, strict=True)
                ]
            series[column] = self.column(values, dtype, name, column, ids)
        df, filled = fill_typed_rows(name, pd.DataFrame(series), [n for n, _ in kept])
        if filled:
            self.filled[name] = filled
        return df

    def nothing_beyond(self, sheet: str, rows: list[list[Any]], width: int) -> None:
        """Refuse a filled cell right of the header: it belongs to no column and would be lost."""
        for number, row in enumerate(rows[1:], start=2):
            extra = next((i for i in range(width, len(row)) if row[i] is not None), None)
            if extra is not None:
                raise self.error(
                    f"cell {get_column_letter(extra + 1)}{number} is filled but its column has no "
                    "name in the header row; name the column or clear the cell",
                    sheet=sheet,
                    frame=sheet,
                    value=row[extra],
                )

    def column(self, values: list[Any], dtype: str, frame: str, column: str, ids: list[Any]) -> pd.Series:
        try:
            return from_cells(values, dtype, frame=frame, column=column)
        except ValidationError as exc:
            row = next((i for i, v in enumerate(values) if v is exc.value or v == exc.value), None)
            raise self.error(
                exc.rule,
                sheet=frame,
                frame=frame,
                row_id=None if row is None else ids[row],
                column=column,
                value=exc.value,
                has_value=True,
            ) from None


def _joined(value: Any, tail: str | None) -> Any:
    """Return a text cell's value as text, with the rest of a long text appended."""
    value = _as_text(value)
    # An emptied cell stays empty: the user cleared it, the leftover tail is stale.
    return value if tail is None or value is None else value + tail


def _meta_text(value: Any) -> str:
    """Return a meta value as text: a date cell (midnight) as its ISO date, e.g. ``reviewed_at``."""
    if isinstance(value, datetime) and value == datetime(value.year, value.month, value.day):
        return value.date().isoformat()
    return str(_as_text(value))


def _as_text(value: Any) -> Any:
    """Text as typed: a number typed into a text cell means its digits."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
