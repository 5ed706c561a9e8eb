"""Journeys as Excel workbooks: one sheet per frame, as teams keep maps today.

Sheets: ``journey`` (format, schema version and meta data as key/value
rows), one sheet per frame (header row, then one row per record), a hidden
``_columns`` sheet with every column's dtype and, only when some text is
longer than a cell holds, a hidden ``_continued`` sheet with the rest of it
(see :mod:`.excel_layout`). Cells keep their type (text, number, boolean,
date); text is always a text cell, never a formula. openpyxl is used
directly rather than through ``DataFrame.to_excel`` because pandas would
turn a quote such as ``=too expensive`` into a formula.
"""

from __future__ import annotations

import os

from ..model.journey import Journey
from .document import check_version, journey_from_frames, to_document
from .excel_layout import META_SHEET

# excel_read and excel_write are imported inside the functions: they import
# openpyxl (and through it PIL), which ``import cjm_jupyter`` must not pay.

__all__ = ["to_excel", "read_excel"]


def to_excel(journey: Journey, path: str | os.PathLike[str]) -> None:
    """Write ``journey`` to an ``.xlsx`` workbook at ``path``, atomically.

    The first sheet, ``Map``, lays the journey out like the map for reading
    and printing: stages as columns, lanes as rows, the emotion curve as an
    Excel line chart. It is a view: :func:`read_excel` reads the data sheets
    that follow it (one per frame), never the map sheet.

    Any text is kept exactly: control characters are stored with the OOXML
    ``_xHHHH_`` escape (Excel and LibreOffice show the character) and text
    longer than a cell's 32,767 characters continues in the hidden
    ``_continued`` sheet. No cell is ever a formula.

    Parameters
    ----------
    journey : Journey
        The journey to write.
    path : str or path-like
        The ``.xlsx`` file to write (replaced atomically; a symbolic link is
        written through).

    Raises
    ------
    ValidationError
        An id or column name is longer than one cell holds; nothing is written.
    FileNotFoundError
        The folder that should hold ``path`` does not exist; nothing is created.
    IsADirectoryError
        ``path`` is a folder.

    Examples
    --------
    >>> import os, tempfile
    >>> import openpyxl
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.io import to_excel
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.xlsx")
    ...     to_excel(templates.load("three_stage"), path)
    ...     openpyxl.load_workbook(path).sheetnames[:5]
    ['Map', 'journey', '_columns', 'personas', 'stages']
    """
    from .excel_write import write_workbook
    from .map_sheet_content import map_table

    write_workbook(to_document(journey), path, map_table(journey))


def read_excel(path: str | os.PathLike[str]) -> Journey:
    """Read a journey written by :meth:`Journey.to_excel`.

    Rows and columns added by hand in Excel are read too: added columns as
    text, and numbers typed into a text column as their text. A row typed
    without an ``id`` gets the id :meth:`Journey.add` would give it, and one
    without an ``order`` goes after the last row of its group; a
    ``UserWarning`` names the sheet and the Excel rows. Sheets the journey
    does not use, such as the ``map`` sheet, are ignored.

    Parameters
    ----------
    path : str or path-like
        The ``.xlsx`` workbook to read.

    Returns
    -------
    Journey
        The validated journey.

    Raises
    ------
    FileNotFoundError
        The file does not exist (as for ``open``).
    FileFormatError
        The file is a folder, not a workbook, damaged, lacks a sheet
        its ``_columns`` sheet lists, or has a cell that is not of its
        column's type; the message names the path, sheet, frame, row and column.
    SchemaVersionError
        The workbook is not a journey or was written by a newer release.
    ValidationError
        The content breaks a journey rule.

    Warns
    -----
    UserWarning
        Rows were typed without an id or order (named by sheet and Excel row).

    Examples
    --------
    >>> import os, tempfile
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.io import read_excel
    >>> j = templates.load("three_stage")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.xlsx")
    ...     j.to_excel(path)
    ...     back = read_excel(path)
    >>> back.equals(j), back.stages["name"].tolist()
    (True, ['Awareness', 'Interest', 'Decision'])
    """
    from .excel_fill import warn_filled
    from .excel_read import read_workbook

    source = os.fspath(path)
    meta, frames, filled = read_workbook(path)
    version = check_version(meta, source=str(source))
    journey = journey_from_frames(meta, frames, source=str(source), sheet=META_SHEET, version=version)
    warn_filled(str(source), filled)  # only once the journey is valid: a refused file has nothing to keep
    return journey
