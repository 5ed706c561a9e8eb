"""Exact shared strings for workbooks saved by Excel or LibreOffice.

Excel and LibreOffice keep text in a shared string table and escape a
literal ``_xHHHH_`` as ``_x005F_xHHHH_``. openpyxl's reader deletes every
``x005F_`` from that table, which turns such text into an escape and eats
``x005F_`` wherever a user typed it. This reads the table again without that
step, so :func:`.excel_text.unescape` sees exactly what the file holds.
(Workbooks written by to_excel use inline strings and are not affected.)
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.text import Text
from openpyxl.packaging.manifest import Manifest
from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import fromstring, iterparse

__all__ = ["restore_shared_strings"]

_STRING_TAG = f"{{{SHEET_MAIN_NS}}}si"


def restore_shared_strings(wb: Any) -> None:
    """Put the file's own shared strings into a read-only workbook ``wb``, in place.

    openpyxl hands one list of shared strings to every read-only sheet
    (``_shared_strings``, not public API); refilling that list reaches all of them.
    """
    strings = next((ws._shared_strings for ws in wb.worksheets if hasattr(ws, "_shared_strings")), None)
    archive = getattr(wb, "_archive", None)
    if not strings or archive is None:
        return
    part = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES))).find(SHARED_STRINGS)
    if part is None:
        return
    exact = []
    with archive.open(part.PartName[1:]) as src:
        for _, node in iterparse(src):
            if node.tag == _STRING_TAG:
                exact.append(Text.from_tree(node).content)
                node.clear()
    if len(exact) == len(strings):  # the same table read twice; anything else: keep openpyxl's
        strings[:] = exact
