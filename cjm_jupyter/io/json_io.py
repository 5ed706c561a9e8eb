"""Journeys as JSON files."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from ..errors import FileFormatError
from ..model.journey import Journey
from .atomic import atomic_file
from .doc_check import MAX_DEPTH
from .document import from_document, to_document

__all__ = ["to_json", "read_json", "parse_json"]


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
        text, checked = _read_text(Path(source), source), True
    return from_document(parse_json(text, source=source, utf8_checked=checked), source=source)


def _read_text(path: Path, source: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        # Python's own type (as open() and pandas raise it), in the writers' words
        raise FileNotFoundError(f"cannot read {source!r}: the file does not exist") from None
    except IsADirectoryError:
        hint = " (a folder written by to_csv: use read_csv)" if (path / "journey.json").is_file() else ""
        raise FileFormatError(f"is a folder, not a JSON file{hint}", path=source) from None
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as Windows editors add, is not content
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FileFormatError(
            f"is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, column {column}", path=source
        ) from None


def parse_json(text: str, *, source: str, utf8_checked: bool = False) -> Any:
    """``json.loads`` that refuses what a journey file never holds.

    Refused, each as a :class:`FileFormatError` naming ``source``: invalid JSON
    (with line and column), ``NaN``/``Infinity``, a key twice in one object
    (which ``json.loads`` would silently resolve as "last one wins"), nesting
    too deep for the parser and text with a lone surrogate (``"\\ud800"``).
    ``utf8_checked`` says ``text`` was decoded from UTF-8 bytes, so it holds no
    raw surrogate and the check for one can be skipped.
    """
    duplicated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) != len(items):
            duplicated.append(True)
            keys = [k for k, _ in items]
            obj = _Duplicated(obj, next(k for i, k in enumerate(keys) if k in keys[:i]))
        return obj

    try:
        doc = json.loads(text, object_pairs_hook=pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", path=source
        ) from None
    except RecursionError:  # the C parser's guard: far deeper than any journey file
        raise FileFormatError(
            f"JSON nested more than {MAX_DEPTH} levels deep; a journey file nests 6", path=source
        ) from None
    except _NonStandard as exc:
        raise FileFormatError(
            f"is not valid JSON: {exc.args[0]} is not a JSON value (a missing value is null)", path=source
        ) from None
    if duplicated:
        raise _duplicate_error(doc, source)
    # json.loads joins an escaped pair (\ud83c\udf89) into one character; a lone escape
    # stays a surrogate, which no file can store. Rare: only then walk the document.
    if _SURROGATE_ESCAPE.search(text) or not (utf8_checked or _encodable(text)):
        _refuse_lone_surrogates(doc, source)
    return doc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_lone_surrogates(doc: Any, source: str) -> None:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if not _encodable(node):
                raise _surrogate_error(doc, path, node, source)
            continue
        if isinstance(node, dict):
            bad_key = next((k for k in node if not _encodable(k)), None)
            if bad_key is not None:
                raise _surrogate_error(doc, path, bad_key, source)
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        stack.extend(reversed([(v, (*path, k)) for k, v in items]))


def _surrogate_error(doc: Any, path: tuple[Any, ...], text: str, source: str) -> FileFormatError:
    rule = "text holds a lone surrogate, which no file can store"
    names = _names(doc, path)
    if len(path) == 6 and path[4] == "values" and "column" in names:
        columns = doc["frames"][path[1]]["columns"]
        ids = next((c.get("values") for c in columns if isinstance(c, dict) and c.get("name") == "id"), None)
        row_id = ids[path[5]] if isinstance(ids, list) and path[5] < len(ids) else None
        if isinstance(row_id, str) and _encodable(row_id):
            names["row_id"] = row_id
    elif not names:
        rule = f"{rule} (at {_where(doc, path)})"
    return FileFormatError(rule, path=source, value=text, **names)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Duplicated(dict):  # type: ignore[type-arg]
    """An object in which ``key`` appeared more than once (kept to say where)."""

    def __init__(self, obj: dict[str, Any], key: str) -> None:
        super().__init__(obj)
        self.key = key


class _NonStandard(Exception):
    pass


def _constant(name: str) -> float:
    raise _NonStandard(name)


def _duplicate_error(doc: Any, source: str) -> FileFormatError:
    """Name the first duplicated key in document order and where it is (walked with a stack)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Duplicated):
            return FileFormatError(
                f"key {node.key!r} appears more than once in {_where(doc, path)}; each key may appear once",
                path=source,
                **_names(doc, path),
            )
        items = node.items() if isinstance(node, dict) else enumerate(node)
        stack.extend(reversed([(v, (*path, k)) for k, v in items if isinstance(v, dict | list)]))
    raise AssertionError("a duplicated key was reported but not found")  # pragma: no cover


def _names(doc: Any, path: tuple[Any, ...]) -> dict[str, Any]:
    """frame= and column= for a place inside ``frames`` (the column's name when it has one)."""
    if len(path) < 2 or path[0] != "frames":
        return {}
    names: dict[str, Any] = {"frame": str(path[1])}
    if len(path) >= 4 and path[2] == "columns":
        col = doc["frames"][path[1]]["columns"][path[3]]
        name = col.get("name") if isinstance(col, dict) else None
        names["column"] = name if isinstance(name, str) else f"#{path[3] + 1}"
    return names


def _where(doc: Any, path: tuple[Any, ...]) -> str:
    if not path:
        return "the top-level object"
    if path in (("meta",), ("frames",)):
        return path[0]
    if len(path) == 2 and path[0] == "meta":
        return f"meta {path[1]!r}"
    if len(path) == 4 and path[0] == "frames" and path[2] == "columns":
        return "the column's object"
    if len(path) == 2 and path[0] == "frames":
        return "the frame's object"
    return "/" + "/".join(str(p) for p in path)
