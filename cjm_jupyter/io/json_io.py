"""Journeys as JSON files: the user's file in, a validated journey out, and back."""

from __future__ import annotations

import os

from ..model.journey import Journey
from .atomic import atomic_file
from .document import from_document, to_document
from .json_text import dumps, parse_json
from .reading import decode_text, open_user_file

__all__ = ["to_json", "read_json"]


def to_json(
    journey: Journey, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2
) -> str | None:
    """Write ``journey`` as JSON to ``path`` atomically, or return the text.

    The file holds ``format``, ``schema_version``, ``meta`` and one
    column-oriented table per frame with each column's dtype; it validates
    against :func:`cjm_jupyter.io.schema.load_schema`.

    Parameters
    ----------
    journey : Journey
        The journey to write.
    path : str or path-like, optional
        The file to write (replaced atomically; a symbolic link is written
        through). None (the default) returns the text instead.
    indent : int or None, default 2
        Spaces per nesting level; None writes one line (each file ends with a
        newline either way).

    Returns
    -------
    str or None
        The JSON text when ``path`` is None, else None.

    Raises
    ------
    FileNotFoundError
        The folder that should hold ``path`` does not exist; nothing is created.
    IsADirectoryError
        ``path`` is a folder.

    Examples
    --------
    >>> import os, tempfile
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.io import read_json, to_json
    >>> j = templates.load("three_stage")
    >>> to_json(j, indent=None)[:54]
    '{"format": "cjm_jupyter.journey", "schema_version": 3,'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "map.json")
    ...     to_json(j, path)
    ...     read_json(path).equals(j)
    True
    """
    text = dumps(to_document(journey), indent=indent) + "\n"
    if path is None:
        return text
    with atomic_file(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return None


def read_json(path_or_text: str | os.PathLike[str]) -> Journey:
    """Read a journey written by :meth:`Journey.to_json`.

    Parameters
    ----------
    path_or_text : str or path-like
        A file path, or JSON text (a string starting with ``{``).

    Returns
    -------
    Journey
        The validated journey.

    Raises
    ------
    FileNotFoundError
        The file does not exist: ``cannot read 'map.json': the file does not exist``
        (Python's own type, as ``open`` raises it, so ``except OSError`` still works).
    FileFormatError
        The file cannot be read as a journey: a folder, not UTF-8, not valid
        JSON (with line and column), a key twice in one object, nested too
        deeply, or against the journey schema (naming frame, column, row id and value).
    SchemaVersionError
        The file is not a journey file or was written by a newer release.
    ValidationError
        The content breaks a journey rule.

    Examples
    --------
    >>> import cjm_jupyter as cjm
    >>> j = cjm.templates.load("three_stage")
    >>> cjm.read_json(j.to_json()).equals(j)
    True
    """
    if isinstance(path_or_text, str) and path_or_text.lstrip().startswith("{"):
        text, source, checked = path_or_text, "JSON text", False
    else:
        source = os.fsdecode(path_or_text)
        text, checked = _read_text(source), True
    return from_document(parse_json(text, source=source, utf8_checked=checked), source=source)


def _read_text(source: str) -> str:
    with open_user_file(source, kind="a JSON file") as fh:
        return decode_text(fh.read(), path=source)
