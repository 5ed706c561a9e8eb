"""Journeys as JSON files."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import ValidationError
from ..model.journey import Journey
from .atomic import atomic_file
from .document import from_document, to_document

__all__ = ["to_json", "read_json"]


def to_json(
    journey: Journey, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2
) -> str | None:
    """Write ``journey`` as JSON to ``path`` atomically, or return the text.

    The file holds ``format``, ``schema_version``, ``meta`` and one
    column-oriented table per frame with each column's dtype; it validates
    against :func:`cjm_jupyter.io.schema.load_schema`.
    """
    text = json.dumps(to_document(journey), ensure_ascii=False, indent=indent, allow_nan=False) + "\n"
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

    Raises
    ------
    SchemaVersionError
        The file is not a journey file or was written by a newer release.
    ValidationError
        The content breaks the schema or a journey rule.
    """
    if isinstance(path_or_text, str) and path_or_text.lstrip().startswith("{"):
        text, source = path_or_text, "JSON text"
    else:
        path = Path(path_or_text)
        text, source = path.read_text(encoding="utf-8"), str(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{source} is not valid JSON: {exc}") from None
    return from_document(doc, source=source)
