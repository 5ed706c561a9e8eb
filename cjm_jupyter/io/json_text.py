"""JSON text and journey documents: a strict parser and a fast indented writer.

``json.loads`` quietly takes the last of two equal keys, reads ``NaN`` and
lone surrogates and recurses on nesting; :func:`parse_json` refuses each with
a :class:`~cjm_jupyter.errors.FileFormatError` naming the file and the place.

``json.dumps`` with ``indent`` runs its pure-Python encoder over every value
(2 s for 100,000 touchpoints); :func:`dumps` writes the same text with the C
encoder for the layout and one C call per value.
"""

from __future__ import annotations

import json
import re
import sys
import uuid
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from ..errors import FileFormatError
from .cells import encodable
from .doc_check import MAX_DEPTH

__all__ = ["parse_json", "dumps"]


def dumps(doc: dict[str, Any], *, indent: int | None = 2) -> str:
    """``json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)``, faster.

    The same text, character for character: the document with each column's
    values swapped for a placeholder is dumped by ``json.dumps`` (whose C
    encoder only runs without ``indent``, so this part is small), then each
    values array is encoded item by item and put in its placeholder's place.
    """
    if not isinstance(indent, int) or isinstance(indent, bool):
        return json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)
    token = f"cjm-values-{uuid.uuid4().hex}"  # random: no user text can equal it
    arrays: list[list[Any]] = []
    frames = {}
    for name, body in doc["frames"].items():
        columns = []
        for col in body["columns"]:
            arrays.append(col["values"])
            columns.append({**col, "values": token})
        frames[name] = {**body, "columns": columns}
    text = json.dumps({**doc, "frames": frames}, ensure_ascii=False, indent=indent, allow_nan=False)
    parts = text.split(f'"{token}"')
    if len(parts) != len(arrays) + 1:  # pragma: no cover - the token is random
        return json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)
    try:
        # values sit 6 levels deep: top, frames, frame, columns, column, values
        encoded = [_array(values, " " * (6 * indent), " " * (5 * indent)) for values in arrays]
    except KeyError:  # a value of a type the fast table lacks: let json.dumps handle it
        return json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)
    out = [parts[0]]
    for array, part in zip(encoded, parts[1:], strict=True):
        out += (array, part)
    return "".join(out)


def _float(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


#: How json.dumps writes each plain type (``ensure_ascii=False``, ``allow_nan=False``).
_ENCODE: dict[type, Callable[[Any], str]] = {
    str: encode_basestring,
    int: int.__repr__,
    float: _float,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}


def _array(values: list[Any], item_pad: str, close_pad: str) -> str:
    if not values:
        return "[]"
    encode = _ENCODE
    items = [encode[type(v)](v) for v in values]
    return f"[\n{item_pad}" + f",\n{item_pad}".join(items) + f"\n{close_pad}]"


def parse_json(text: str, *, source: str, sheet: str | None = None, utf8_checked: bool = False) -> Any:
    r"""Parse JSON text like ``json.loads``, refusing what a journey file never holds.

    Refused, each as a :class:`FileFormatError` naming ``source``: invalid JSON
    (with line and column), ``NaN``/``Infinity``, a key twice in one object
    (which ``json.loads`` would silently resolve as "last one wins"), nesting
    too deep for the parser and text with a lone surrogate (``"\ud800"``).
    ``utf8_checked`` says ``text`` was decoded from UTF-8 bytes, so it holds no
    raw surrogate and the check for one can be skipped. ``sheet`` names the
    file inside a CSV folder (``journey.json``) when ``source`` is the folder.
    """
    where = {"path": source, "sheet": sheet}
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
            f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", **where
        ) from None
    except ValueError as exc:  # an integer longer than int() reads (sys.get_int_max_str_digits)
        if "integer string conversion" not in str(exc):
            raise
        raise FileFormatError(
            f"is not valid JSON: a number has more than {sys.get_int_max_str_digits():,} digits", **where
        ) from None
    except RecursionError:  # the C parser's guard: far deeper than any journey file
        raise FileFormatError(
            f"JSON nested more than {MAX_DEPTH} levels deep; a journey file nests 6", **where
        ) from None
    except _NonStandard as exc:
        raise FileFormatError(
            f"is not valid JSON: {exc.args[0]} is not a JSON value (a missing value is null)", **where
        ) from None
    if duplicated:
        raise _duplicate_error(doc, where)
    # json.loads joins an escaped pair (\ud83c\udf89) into one character; a lone escape
    # stays a surrogate, which no file can store. Rare: only then walk the document.
    if _SURROGATE_ESCAPE.search(text) or not (utf8_checked or encodable(text)):
        _refuse_lone_surrogates(doc, where)
    return doc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_lone_surrogates(doc: Any, where: dict[str, Any]) -> None:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if not encodable(node):
                raise _surrogate_error(doc, path, node, where)
            continue
        if isinstance(node, dict):
            bad_key = next((k for k in node if not encodable(k)), None)
            if bad_key is not None:
                raise _surrogate_error(doc, path, bad_key, where)
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        stack.extend(reversed([(v, (*path, k)) for k, v in items]))


def _surrogate_error(doc: Any, path: tuple[Any, ...], text: str, where: dict[str, Any]) -> FileFormatError:
    rule = "text holds a lone surrogate, which no file can store"
    names = _names(doc, path)
    if len(path) == 6 and path[4] == "values" and "column" in names:
        columns = doc["frames"][path[1]]["columns"]
        ids = next((c.get("values") for c in columns if isinstance(c, dict) and c.get("name") == "id"), None)
        row_id = ids[path[5]] if isinstance(ids, list) and path[5] < len(ids) else None
        if isinstance(row_id, str) and encodable(row_id):
            names["row_id"] = row_id
    elif not names:
        rule = f"{rule} (at {_where(doc, path)})"
    return FileFormatError(rule, value=text, **where, **names)


class _Duplicated(dict):
    """An object in which ``key`` appeared more than once (kept to say where)."""

    def __init__(self, obj: dict[str, Any], key: str) -> None:
        super().__init__(obj)
        self.key = key


class _NonStandard(Exception):
    pass


def _constant(name: str) -> float:
    raise _NonStandard(name)


def _duplicate_error(doc: Any, where: dict[str, Any]) -> FileFormatError:
    """Name the first duplicated key in document order and where it is (walked with a stack)."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _Duplicated):
            return FileFormatError(
                f"key {node.key!r} appears more than once in {_where(doc, path)}; each key may appear once",
                **where,
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
