"""Checking a parsed journey document before its frames are built.

The published JSON Schema (``journey.schema.json``) describes every cell, but
running it over every value of a large map costs seconds (jsonschema walks
each value through the per-dtype ``if``/``then`` rules). So the reader checks
the document in two parts that reject exactly what the schema rejects:

- the *skeleton* (format, meta, frames, column names and dtypes, without the
  values) with jsonschema, the published schema itself;
- the *values* of each column with set and min/max operations over whole
  columns, which apply the schema's value rules (JSON type per dtype,
  choices, bounds) and name the frame, row id and column of the first bad cell.

Every error is a :class:`~cjm_jupyter.errors.FileFormatError` naming the
user's file; none is jsonschema's ``frames/stages/columns/4/values/0``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import FileFormatError
from ..model.specs import FRAMES, ColumnSpec
from ..model.validate import DATE_RULE, INSTANT_RULE
from .cells import DTYPES, dtype_family
from .schema import load_schema, schema_accepts

if TYPE_CHECKING:
    import jsonschema

__all__ = ["check_document", "json_type", "MAX_DEPTH", "META_KEYS", "unknown_meta_rule"]

#: Deeper nesting than this is refused before jsonschema (which recurses) sees
#: it. A journey file nests 6 levels (top, frames, frame, columns, column,
#: values); the margin lets jsonschema name a wrongly nested meta field.
MAX_DEPTH = 64

#: What a file's meta data may hold besides ``format`` and ``schema_version`` (the schema's list).
META_KEYS: tuple[str, ...] = tuple(load_schema()["properties"]["meta"]["properties"])

_NONE = type(None)
#: Python types (as ``json.loads`` makes them) each dtype family's JSON Schema
#: value type admits; ``integer`` also admits whole floats such as ``2.0``.
_VALUE_TYPES: dict[str, frozenset[type]] = {
    "text": frozenset({str, _NONE}),
    "datetime": frozenset({str, _NONE}),
    "int": frozenset({int, _NONE}),
    "float": frozenset({int, float, _NONE}),
    "bool": frozenset({bool, _NONE}),
}
_VALUE_RULES = {
    "text": "must be text or null",
    "datetime": "must be an ISO date-time text or null",
    "int": "must be a whole number or null",
    "float": "must be a number or null",
    "bool": "must be true, false or null",
}


def unknown_meta_rule(key: Any) -> str:
    """Return the rule every format states for a meta key a journey has no field for."""
    return f"meta {key!r} is not a journey field (meta data holds {', '.join(META_KEYS)}); it would be lost"


def json_type(value: Any) -> str:
    """Return the JSON name of a parsed value's type: ``"an object"``, ``"a string"``, ..."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", _NONE: "null"}
    if type(value) in names:
        return names[type(value)]
    return "a number" if isinstance(value, int | float) else type(value).__name__


def check_document(doc: Mapping[str, Any], *, source: str) -> None:
    """Raise for the first thing in ``doc`` the journey schema does not allow.

    Parameters
    ----------
    doc : mapping
        A parsed journey document whose format and schema version were checked.
    source : str
        The user's path (or ``"JSON text"``), named in every error.

    Raises
    ------
    FileFormatError
        Naming the frame, column and (for a value) row id and value at fault.
    """
    skeleton = _skeleton(doc)
    _check_depth(skeleton, source)
    if not schema_accepts(skeleton):  # a valid file never imports jsonschema (see schema_accepts)
        from jsonschema.exceptions import best_match

        error = best_match(_validator().iter_errors(skeleton))
        if error is not None:
            raise _schema_error(error, skeleton, source)
    for name, body in doc["frames"].items():
        _check_frame(name, body["columns"], source)


@cache
def _validator() -> jsonschema.Draft202012Validator:
    """Return the skeleton's validator, built once on first use.

    jsonschema is imported here, not at module level: importing it costs
    about 2 s (its ``_format`` module builds an RFC 3987 parser when
    ``rfc3987_syntax`` is installed, as Jupyter installs it), which
    ``import cjm_jupyter`` must not pay. No format checker is passed: the
    schema has no ``format`` keyword, so it would check nothing.
    """
    import jsonschema

    return jsonschema.Draft202012Validator(load_schema())


def _skeleton(doc: Mapping[str, Any]) -> Any:
    """``doc`` with every column's values replaced by ``[]`` (shallow copies only)."""
    frames = doc.get("frames")
    if not isinstance(frames, dict):
        return doc
    out = {}
    for name, body in frames.items():
        if isinstance(body, dict) and isinstance(body.get("columns"), list):
            columns = [
                {**c, "values": []} if isinstance(c, dict) and isinstance(c.get("values"), list) else c
                for c in body["columns"]
            ]
            body = {**body, "columns": columns}
        out[name] = body
    return {**doc, "frames": out}


def _check_depth(skeleton: Any, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, walking with a stack (no recursion)."""
    stack = [(skeleton, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise FileFormatError(
                f"JSON nested more than {MAX_DEPTH} levels deep; a journey file nests 6", path=source
            )
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))


# -- the skeleton's errors, in the user's words ----------------------------------------
def _schema_error(error: jsonschema.ValidationError, skeleton: Any, source: str) -> FileFormatError:
    path = list(error.absolute_path)
    frame = column = None
    if len(path) >= 2 and path[0] == "frames":
        frame = str(path[1])
        if len(path) >= 4 and path[2] == "columns":
            column = _column_name(skeleton, frame, path[3])
            path = path[4:]
        else:
            path = path[2:]
    rule = _rule(error, _place(path))
    if error.validator == "contains" and frame is not None:
        column = error.validator_value["properties"]["name"]["const"]
        rule = "this required column is missing"
    return FileFormatError(rule, path=source, frame=frame, column=column)


def _column_name(skeleton: Any, frame: str, index: Any) -> str:
    col = skeleton["frames"][frame]["columns"][index]
    name = col.get("name") if isinstance(col, dict) else None
    return name if isinstance(name, str) and name else f"#{index + 1}"


def _rule(error: jsonschema.ValidationError, where: str) -> str:
    what = f"{where} " if where else ""
    found = _found(error.instance)
    if error.validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        typed = found if type(error.instance) is not str else f"a string ({found})"
        return f"{what}must be {' or '.join(map(_a, types))}, not {typed}"
    if error.validator == "const":
        return f"{what}must be {error.validator_value!r}, not {found}"
    if error.validator == "enum":
        return f"{what}must be one of {', '.join(map(repr, error.validator_value))}; not {found}"
    if error.validator == "anyOf" and where == "'dtype'":
        return f"unknown dtype {found}; {DTYPES}"
    if error.validator == "additionalProperties" and where == "'meta'":
        return unknown_meta_rule(next(k for k in error.instance if k not in error.schema["properties"]))
    if error.validator == "pattern" and where in _PATTERN_RULES:
        return f"{where} {_PATTERN_RULES[where].replace(', or None', ' or null')}, not {found}"
    if error.validator == "minLength":
        return f"{what}must not be empty"
    return f"{what.rstrip()}: {error.message}" if where else error.message


#: The rule a meta time stamp breaks, in the model's words (the schema has a pattern).
_PATTERN_RULES = {"meta 'updated_at'": INSTANT_RULE, "meta 'reviewed_at'": DATE_RULE}


def _place(path: list[Any]) -> str:
    """Describe a place outside a frame's columns in words: ``meta 'kind'``, ``'frames'``."""
    if len(path) == 2 and path[0] == "meta":
        return f"meta {path[1]!r}"
    return repr("/".join(str(p) for p in path)) if path else ""


def _a(json_type_name: str) -> str:
    if json_type_name == "null":
        return "null"
    return f"{'an' if json_type_name[0] in 'aeiou' else 'a'} {json_type_name}"


def _found(value: Any) -> str:
    """Describe a parsed value for a message: its text when scalar (cut at 80), else its JSON type."""
    if isinstance(value, dict | list | None):
        return json_type(value)
    text = repr(value)
    text = text if len(text) <= 80 else text[:77] + "..."
    return text if isinstance(value, str) else f"{json_type(value)} ({text})"


# -- values, a whole column at a time --------------------------------------------------
def _check_frame(frame: str, columns: Sequence[Mapping[str, Any]], source: str) -> None:
    seen: dict[str, int] = {}
    for i, col in enumerate(columns):
        if col["name"] in seen:
            raise FileFormatError(
                f"the column appears twice (columns {seen[col['name']] + 1} and {i + 1} of the frame)",
                path=source,
                frame=frame,
                column=col["name"],
            )
        seen[col["name"]] = i
    if not columns:
        return
    first = columns[0]
    for col in columns[1:]:
        if len(col["values"]) != len(first["values"]):
            raise FileFormatError(
                f"has {len(col['values'])} values, column {first['name']!r} has {len(first['values'])}",
                path=source,
                frame=frame,
                column=col["name"],
            )
    ids = columns[seen["id"]]["values"] if "id" in seen else []
    spec = FRAMES[frame]
    builtin = {c.name: c for c in spec.columns}
    for col in columns:
        bad = _first_bad(col["values"], col["dtype"], builtin.get(col["name"]))
        if bad is not None:
            index, rule = bad
            value = col["values"][index]
            row_id = ids[index] if index < len(ids) and isinstance(ids[index], str) else None
            if row_id is None:
                rule += f" (row {index + 1} of the frame, which has no id)"
            nested = isinstance(value, dict | list)
            raise FileFormatError(
                f"{rule}, not {json_type(value)}" if nested else rule,
                path=source,
                frame=frame,
                row_id=row_id,
                column=col["name"],
                value=None if nested else value,
                has_value=not nested,
            )


def _first_bad(values: list[Any], dtype: str, spec: ColumnSpec | None) -> tuple[int, str] | None:
    """(index, rule) of the first value the schema would refuse, or None.

    Whole-column operations (a set of types, a set of values, min and max) find
    out *whether* a column is bad; only a bad column is walked to say *where*.
    """
    family = dtype_family(dtype)
    allowed = _VALUE_TYPES[family]
    kinds = set(map(type, values))
    # JSON Schema's integer admits 2.0, not 2.5
    if family == "int" and float in kinds and all(v.is_integer() for v in values if type(v) is float):
        kinds.discard(float)
    if not kinds <= allowed:
        return _first(values, lambda v: not _fits(v, allowed, family)), _VALUE_RULES[family]
    if family in ("int", "float"):
        # Beyond the schema (which has no dtype ranges): a number the dtype cannot hold.
        # Python numbers: ints and floats compare exactly, where numpy's would overflow
        low: float
        high: float
        if family == "int":
            info: Any = np.iinfo(dtype.lower())
            low, high = int(info.min), int(info.max)
        else:
            info = np.finfo(dtype.lower())
            low, high = float(info.min), float(info.max)
        bad = _out_of(values, low, high, f"is out of the range of {dtype}")
        if bad is not None:
            return bad
    if spec is None:
        return None
    if spec.choices:
        extra = set(values) - {None, *spec.choices}
        if extra:
            return _first(values, extra.__contains__), f"must be one of {', '.join(map(repr, spec.choices))}"
    return _out_of(values, spec.low, spec.high)


def _out_of(
    values: list[Any], low: float | None, high: float | None, rule: str | None = None
) -> tuple[int, str] | None:
    """(index, rule) of the first number below ``low`` or above ``high``, or None."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    if low is not None and min(present) < low:
        return _first(values, lambda v: v is not None and v < low), rule or f"must be >= {low:g}"
    if high is not None and max(present) > high:
        return _first(values, lambda v: v is not None and v > high), rule or f"must be <= {high:g}"
    return None


def _fits(value: Any, allowed: frozenset[type], family: str) -> bool:
    if family == "int" and type(value) is float:
        return value.is_integer()
    return type(value) in allowed


def _first(values: list[Any], bad: Callable[[Any], bool]) -> int:
    return next(i for i, v in enumerate(values) if bad(v))
