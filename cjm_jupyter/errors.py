"""Exception types raised by cjm_jupyter."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

__all__ = ["CJMDeprecationWarning", "FileFormatError", "SchemaVersionError", "ValidationError"]


class ValidationError(ValueError):
    """A journey, a frame or a file breaks one of the journey's rules.

    The message names the frame, the row id, the column, the bad value and the
    rule, so a user can find and fix the offending cell. The same parts are kept
    as attributes for code that wants to react to them (the editors do).

    Parameters
    ----------
    rule : str
        The rule that was broken, in words; the message ends with it.
    frame : str, optional
        Name of the frame at fault.
    row_id : str, optional
        The ``id`` of the row at fault.
    column : str, optional
        The column (or meta field, or keyword) at fault.
    value : Any, optional
        The offending value; shown (shortened) when not None or when
        ``has_value`` is True.
    has_value : bool, default False
        Show ``value`` even when it is None (a missing value is the fault).

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

    Examples
    --------
    >>> from cjm_jupyter import Journey, ValidationError
    >>> j = Journey("Shop")
    >>> try:
    ...     j.add_stage("Research", position=3)
    ... except ValidationError as exc:
    ...     print(exc)
    ...     print(exc.frame, exc.column, exc.value)
    frame 'stages', column 'order', value 3: position must be an integer from 0 to 0
    stages order 3
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
    """A journey file has a schema version this release cannot read.

    Raised by the readers (:func:`cjm_jupyter.read_json` & co.) for a file
    written by a newer release; takes the parameters of :class:`ValidationError`.

    Parameters
    ----------
    rule : str
        What is wrong with the version, in words.
    **where : Any
        ``frame``, ``row_id``, ``column``, ``value``, ``has_value``, as in
        :class:`ValidationError`.

    Examples
    --------
    >>> from cjm_jupyter import SchemaVersionError, ValidationError
    >>> err = SchemaVersionError("this release reads versions 1 to 3", column="schema_version", value=9)
    >>> print(err)
    column 'schema_version', value 9: this release reads versions 1 to 3
    >>> isinstance(err, ValidationError)
    True
    """


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

    Parameters
    ----------
    rule : str
        What is wrong, in words.
    path : str or os.PathLike, optional
        The file or folder the user named (never a temporary file).
    sheet : str, optional
        The Excel sheet, or the file inside a CSV folder, at fault.
    **where : Any
        ``frame``, ``row_id``, ``column``, ``value``, ``has_value``, as in
        :class:`ValidationError`.

    Examples
    --------
    >>> from cjm_jupyter import FileFormatError
    >>> err = FileFormatError("not a number", path="shop.xlsx", sheet="metrics",
    ...                       row_id="m-1", column="value", value="lots")
    >>> print(err)
    shop.xlsx, sheet 'metrics': row 'm-1', column 'value', value 'lots': not a number
    >>> err.path, err.sheet
    ('shop.xlsx', 'metrics')
    """

    def __init__(
        self,
        rule: str,
        *,
        path: str | os.PathLike[str] | None = None,
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
    """Return ``value`` as the message shows it: its repr, cut to ``limit`` characters."""
    if isinstance(value, np.generic):
        value = value.item()  # show 5.0, not np.float64(5.0)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class CJMDeprecationWarning(DeprecationWarning):
    """An old spelling of a cjm_jupyter call: it still works for one release.

    The message names the new spelling. A subclass of :class:`DeprecationWarning`
    (as pandas has its own) so that a test suite or a notebook can turn exactly
    this package's deprecations into errors::

        warnings.simplefilter("error", CJMDeprecationWarning)

    Examples
    --------
    >>> import warnings
    >>> issubclass(CJMDeprecationWarning, DeprecationWarning)
    True
    """
