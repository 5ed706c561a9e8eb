"""Where a journey lives in an xlsx workbook: the sheet names, shared by reader and writer.

- ``journey``: ``key``/``value`` rows: ``format``, ``schema_version``, then the meta data.
- one sheet per frame: a header row, then one row per record.
- ``_columns`` (hidden): ``frame``/``column``/``dtype``, one row per column of every frame.
- ``_continued`` (hidden, only when needed): text longer than one cell holds.
  The cell keeps the first part; each further part is a row
  ``sheet``/``row``/``column``/``part``/``text``, where ``row`` is the row's
  ``id`` (the meta key on the ``journey`` sheet, whose column is ``value``) and
  ``part`` counts from 2.
"""

from __future__ import annotations

__all__ = ["META_SHEET", "COLUMNS_SHEET", "CONTINUED_SHEET", "CONTINUED_HEADER", "CONTINUED_COUNT_KEY"]

META_SHEET = "journey"
COLUMNS_SHEET = "_columns"
CONTINUED_SHEET = "_continued"
CONTINUED_HEADER = ("sheet", "row", "column", "part", "text")
#: Key of the ``journey`` sheet row counting the ``_continued`` rows (only when there are any).
CONTINUED_COUNT_KEY = "_continued_parts"
