"""Exception types raised by cjm_jupyter."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ValidationError", "SchemaVersionError", "FileFormatError"]


class ValidationError(ValueError):
    """A journey, a frame or a file breaks one of the journey's rules.

    The message names the frame, the row id, the column, the bad value and the
    rule, so a user can find and fix the offending cell. The same parts are kept
    as attributes for code that wants to react to them (the editors do).

    Attributes
    ----------
    frame : str or None
        Name of the frame (``"stages"``, ``"touchpoints"``, ...).
    row_id : str or None
        The ``id`` of the offending row, when one row is at fault.
    column : str or None
        The offending column.
    value : Any
        The offending value.
    rule : str
        The rule that was broken, in words.
    """

    def __init__(
        self,
        rule: str,
        *,
        frame: str | None = None,
        row_id: str | None = None,
        column: str | None = None,
        value: Any = None,
        has_value: bool = False,
    ) -> None:
        self.frame = frame
        self.row_id = row_id
        self.column = column
        self.value = value
        self.rule = rule
        parts = []
        if frame is not None:
            parts.append(f"frame {frame!r}")
        if row_id is not None:
            parts.append(f"row {row_id!r}")
        if column is not None:
            parts.append(f"column {column!r}")
        if has_value or value is not None:
            parts.append(f"value {_short(value)}")
        where = ", ".join(parts)
        super().__init__(f"{where}: {rule}" if where else rule)


class SchemaVersionError(ValidationError):
    """A journey file has a schema version this release cannot read."""


class FileFormatError(ValidationError):
    """A file cannot be read as a journey: damaged, of another format, or not a file.

    The message starts with the user's path (never a temporary file) and, where
    known, the sheet; frame, row, column and value follow as in
    :class:`ValidationError`.

    Attributes
    ----------
    path : str or None
        The file or folder the user named.
    sheet : str or None
        The Excel sheet, or the file inside a CSV folder, at fault.
    """

    def __init__(
        self,
        rule: str,
        *,
        path: str | None = None,
        sheet: str | None = None,
        **where: Any,
    ) -> None:
        super().__init__(rule, **where)
        self.path = None if path is None else str(path)
        self.sheet = sheet
        prefix = [p for p in (self.path, None if sheet is None else f"sheet {sheet!r}") if p]
        if prefix:
            self.args = (f"{', '.join(prefix)}: {self.args[0]}",)


def _short(value: Any, limit: int = 80) -> str:
    if isinstance(value, np.generic):
        value = value.item()  # show 5.0, not np.float64(5.0)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
