"""Save an openpyxl workbook with the same bytes every time: no clock in the file.

An xlsx file is a zip archive. ``Workbook.save`` stamps three things with the
time of the save: ``docProps/core.xml``'s ``created`` and ``modified``
properties (``modified`` is set to *now* by ``save_workbook`` whatever the
workbook holds) and every zip entry's date. Two saves of an unchanged journey
would then differ, and git would store a new version of the file each time.

:func:`save_workbook` writes the workbook with openpyxl's own writer into an
archive whose entries all carry one given instant, and sets both document
properties to it. The caller chooses the instant; the journey writer passes
the journey's ``updated_at`` (when its content last changed), so the date
Excel shows under "modified" still means something.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

__all__ = ["EARLIEST", "save_workbook", "stamp_of"]

#: The earliest instant a zip entry can hold (its DOS date starts in 1980);
#: used for journeys never changed since they were made, and for any earlier date.
EARLIEST = datetime(1980, 1, 1)

#: Unix mode of every entry (a regular file, rw-r--r--): the temporary files
#: openpyxl streams sheets through would otherwise lend theirs (rw-------).
_MODE = (0o100644 & 0xFFFF) << 16


class _StampedZip(ZipFile):
    """A zip archive that dates every entry ``stamp``, whatever the clock or the source file says."""

    def __init__(self, file: Any, stamp: datetime) -> None:
        super().__init__(file, "w", ZIP_DEFLATED, allowZip64=True)
        self._date_time = stamp.timetuple()[:6]

    def _info(self, name: str) -> ZipInfo:
        info = ZipInfo(name, date_time=self._date_time)
        info.compress_type = ZIP_DEFLATED
        info.create_system = 3  # Unix, on every platform: same bytes from Windows too
        info.external_attr = _MODE
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if not isinstance(zinfo_or_arcname, ZipInfo):
            zinfo_or_arcname = self._info(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl streams each write-only sheet through a temporary file and adds it
        # with write(), which would take that file's modification time.
        info = self._info(arcname if arcname is not None else os.fsdecode(filename))
        with open(filename, "rb") as src, self.open(info, "w") as dst:
            shutil.copyfileobj(src, dst, 1024 * 1024)


def stamp_of(updated_at: Any) -> datetime:
    """Return the instant to date a workbook with: ``updated_at`` (ISO 8601, UTC) or :data:`EARLIEST`.

    Naive UTC (as openpyxl writes document properties), whole seconds; a
    missing or unreadable value, or one before 1980, gives :data:`EARLIEST`.

    Examples
    --------
    >>> stamp_of("2026-12-03T13:05:00Z")
    datetime.datetime(2026, 12, 3, 13, 5)
    >>> stamp_of(None)
    datetime.datetime(1980, 1, 1, 0, 0)
    """
    if not isinstance(updated_at, str):
        return EARLIEST
    try:
        when = datetime.fromisoformat(updated_at.replace("Z", "+00:00"))
    except ValueError:
        return EARLIEST
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    when = when.replace(microsecond=0)
    return max(when, EARLIEST)


def save_workbook(wb: Workbook, file: str | os.PathLike[str] | IO[bytes], stamp: datetime) -> None:
    """Write ``wb`` to ``file`` (a path or a binary file) as xlsx, dated ``stamp`` throughout."""
    wb.properties.created = wb.properties.modified = stamp
    # ExcelWriter is what Workbook.save runs, minus save_workbook's "modified = now";
    # it closes the archive itself, the with-block closes it after a failure too.
    with _StampedZip(file, stamp) as archive:
        ExcelWriter(wb, archive).save()
