"""The JSON Schema of journey files, built from the frame specs.

The schema ships as ``journey.schema.json`` next to this module (so other
tools can validate map files without Python); ``python -m
cjm_jupyter.io.schema`` rewrites it after a spec change, and a test checks
the shipped file equals :func:`build_schema`.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from ..model.specs import FRAMES, JOURNEY_KINDS, META_FIELDS, ColumnSpec, FrameSpec
from ..model.validate import DATE_PATTERN, INSTANT_PATTERN

__all__ = ["FORMAT", "SCHEMA_VERSION", "build_schema", "load_schema", "schema_accepts", "SCHEMA_FILE"]

#: Frames added after files of this schema version were first written: a file
#: without them is still valid and reads them as empty.
ADDED_FRAMES: tuple[str, ...] = ("event_map",)

FORMAT = "cjm_jupyter.journey"
#: Bump when the file layout changes; readers refuse newer versions and
#: migrate older ones (:mod:`.migrate`). 2: meta version, owner, updated_at,
#: reviewed_at; metrics and emotions period and run_id; personas validated_at;
#: the goals frame. 3: personas source, basis, n, segment, segment_definition;
#: emotions segment (and in the emotions' unique key).
SCHEMA_VERSION = 3
SCHEMA_FILE = "journey.schema.json"

_VALUE_TYPES = {
    "^string$": ["string", "null"],
    "^U?Int(8|16|32|64)$": ["integer", "null"],
    "^Float(32|64)$": ["number", "null"],
    "^boolean$": ["boolean", "null"],
    r"^datetime64\[(s|ms|us|ns)(, .+)?\]$": ["string", "null"],
}


def _column_def() -> dict[str, Any]:
    typed = [
        {
            "if": {"properties": {"dtype": {"pattern": pattern}}},
            "then": {"properties": {"values": {"items": {"type": types}}}},
        }
        for pattern, types in _VALUE_TYPES.items()
    ]
    return {
        "type": "object",
        "required": ["name", "dtype", "values"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "dtype": {"type": "string", "anyOf": [{"pattern": p} for p in _VALUE_TYPES]},
            "values": {"type": "array"},
        },
        "allOf": typed,
    }


def _builtin_rule(col: ColumnSpec) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if col.choices:
        item["enum"] = [*col.choices, None]
    if col.low is not None:
        item["minimum"] = col.low
    if col.high is not None:
        item["maximum"] = col.high
    then: dict[str, Any] = {"properties": {"dtype": {"const": col.dtype}}}
    if item:
        then["properties"]["values"] = {"items": item}
    if col.doc:
        then["description"] = col.doc
    return {"if": {"properties": {"name": {"const": col.name}}}, "then": then}


def _frame_def(spec: FrameSpec) -> dict[str, Any]:
    required = [{"contains": {"properties": {"name": {"const": c.name}}}} for c in spec.columns if c.required]
    return {
        "type": "object",
        "description": spec.doc,
        "required": ["columns"],
        "additionalProperties": False,
        "properties": {
            "columns": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/$defs/column"}, *(_builtin_rule(c) for c in spec.columns)]},
                "allOf": required,
            }
        },
    }


def _meta_def() -> dict[str, Any]:
    def text(pattern: str | None = None) -> dict[str, Any]:
        return {"type": ["string", "null"], **({"pattern": pattern} if pattern else {})}

    fields: dict[str, dict[str, Any]] = {
        "name": {"type": "string", "minLength": 1},
        "kind": {"enum": list(JOURNEY_KINDS)},
        "updated_at": text(INSTANT_PATTERN),
        "reviewed_at": text(DATE_PATTERN),
    }
    return {
        "type": "object",
        "required": ["name", "kind"],
        "additionalProperties": False,
        "properties": {k: {**fields.get(k, text()), "description": doc} for k, doc in META_FIELDS.items()},
    }


def build_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a journey file of this schema version."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:cjm_jupyter:journey:{SCHEMA_VERSION}",
        "title": "cjm_jupyter customer journey map",
        "description": "A journey: meta data and one column-oriented table per frame.",
        "type": "object",
        "required": ["format", "schema_version", "meta", "frames"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "schema_version": {"const": SCHEMA_VERSION},
            "meta": _meta_def(),
            "frames": {
                "type": "object",
                "required": [n for n in FRAMES if n not in ADDED_FRAMES],
                "additionalProperties": False,
                "properties": {name: {"$ref": f"#/$defs/frame_{name}"} for name in FRAMES},
            },
        },
        "$defs": {"column": _column_def(), **{f"frame_{n}": _frame_def(s) for n, s in FRAMES.items()}},
    }


@cache
def load_schema() -> dict[str, Any]:
    """Read the JSON Schema (draft 2020-12) every journey file satisfies.

    The schema shipped with the package, ``journey.schema.json``; it is the
    one :func:`build_schema` makes for this :data:`SCHEMA_VERSION` (a test
    checks they agree). Use it to check a journey file with any JSON Schema
    validator, in Python or elsewhere: with jsonschema,
    ``jsonschema.validate(json.loads(text), load_schema())``.

    Returns
    -------
    dict
        The parsed schema. Read once per process and shared by every call:
        copy it (``copy.deepcopy``) before changing it.

    Examples
    --------
    >>> from cjm_jupyter.io import SCHEMA_VERSION, load_schema
    >>> schema = load_schema()
    >>> schema["$id"] == f"urn:cjm_jupyter:journey:{SCHEMA_VERSION}", schema["required"]
    (True, ['format', 'schema_version', 'meta', 'frames'])
    >>> schema["properties"]["meta"]["required"]
    ['name', 'kind']
    """
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def schema_accepts(document: Any) -> bool:
    """Return True when ``document`` certainly satisfies the shipped schema; False when it may not.

    The quick answer for the common case, a valid file. ``import jsonschema``
    costs about 1.3 s (its format module imports ``rfc3987_syntax``, which
    builds some thirty URI-grammar parsers at import, and Jupyter installs
    it), which every first read of a file paid. fastjsonschema (already
    installed with nbformat) compiles the same schema to Python in about
    0.2 s once per process. A document it does not accept goes to jsonschema
    (:func:`cjm_jupyter.io.doc_check.check_document`), which decides and
    finds the error the message names, so every verdict against a file and
    every message stay jsonschema's; a test checks both agree on broken
    documents.

    Parameters
    ----------
    document : Any
        A parsed journey document (the reader passes its skeleton: values emptied).

    Returns
    -------
    bool
        ``False`` also when fastjsonschema is missing or fails on the input.
    """
    validate = _compiled()
    if validate is None:
        return False
    try:
        validate(document)
    except Exception:  # JsonSchemaValueException, or anything odd: jsonschema decides
        return False
    return True


@cache
def _compiled() -> Any:
    """Return the shipped schema compiled by fastjsonschema, once per process; None without fastjsonschema.

    ``detailed_exceptions=False`` keeps a copy of the schema out of every
    ``raise`` in the generated code (300 KB instead of 760 KB, compiled in a
    third of the time); fastjsonschema 2.22 cannot compile ``const`` that way
    (its message template names a missing field), so each ``const`` becomes
    the one-value ``enum`` JSON Schema defines as equal.
    """
    try:
        import fastjsonschema
    except ImportError:
        return None
    # use_default=False: never write a schema default into the user's document;
    # use_formats=False: the schema has no "format" keyword to check.
    return fastjsonschema.compile(
        _enum_for_const(load_schema()), use_default=False, use_formats=False, detailed_exceptions=False
    )


def _enum_for_const(node: Any) -> Any:
    """Return a copy of the schema ``node`` with every ``{"const": v}`` written ``{"enum": [v]}``."""
    if isinstance(node, list):
        return [_enum_for_const(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs"):  # name -> schema: a property called "const" is no keyword
            out[key] = {name: _enum_for_const(sub) for name, sub in value.items()}
        elif key in ("const", "enum"):  # values, never schemas
            assert not ("const" in node and "enum" in node), "a schema with both const and enum"
            out["enum"] = [value] if key == "const" else value
        else:
            out[key] = _enum_for_const(value)
    return out


def _write() -> None:
    from pathlib import Path

    from .atomic import atomic_file

    target = Path(__file__).with_name(SCHEMA_FILE)
    with atomic_file(target) as tmp:
        tmp.write_text(json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    _write()
