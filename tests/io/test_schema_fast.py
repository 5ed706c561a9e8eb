"""The quick schema check (fastjsonschema) accepts exactly what jsonschema accepts.

Reading a file asks :func:`cjm_jupyter.io.schema.schema_accepts` first and
imports jsonschema only for a document it does not accept, so a document it
accepted wrongly would skip the schema. These tests break a valid skeleton in
every way the schema names and check both validators give the same verdict;
the shipped templates, which load without the check, are checked here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jsonschema
import pytest

import cjm_jupyter as cjm
from cjm_jupyter.io import doc_check, schema
from cjm_jupyter.io.migrate import upgrade_document
from cjm_jupyter.io.schema import load_schema, schema_accepts

Doc = dict[str, Any]


def _template_doc(name: str) -> Doc:
    """The shipped file of template ``name``, parsed and (like every read) upgraded to today's layout."""
    data = resources.files("cjm_jupyter.templates").joinpath("data", f"{name}.json")
    return upgrade_document(json.loads(data.read_text(encoding="utf-8")))  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def skeleton() -> Doc:
    return doc_check._skeleton(_template_doc("colleen"))  # type: ignore[no-any-return]


def _column(doc: Doc, frame: str, name: str) -> Doc:
    return next(c for c in doc["frames"][frame]["columns"] if c["name"] == name)  # type: ignore[no-any-return]


#: (what, how to break or change a valid skeleton, valid afterwards?)
CASES: list[tuple[str, Callable[[Doc], Any], bool]] = [
    ("unchanged", lambda d: None, True),
    ("no event_map frame (added in a later version)", lambda d: d["frames"].pop("event_map"), True),
    ("an extra column of a known dtype", lambda d: d["frames"]["stages"]["columns"].append(
        {"name": "kpi", "dtype": "Float64", "values": []}), True),
    ("an extra tz-aware datetime column", lambda d: d["frames"]["stages"]["columns"].append(
        {"name": "at", "dtype": "datetime64[us, UTC]", "values": []}), True),
    ("schema_version 3.0", lambda d: d.update(schema_version=3.0), True),
    ("meta null scenario", lambda d: d["meta"].update(scenario=None), True),
    ("no meta", lambda d: d.pop("meta"), False),
    ("a top-level key too many", lambda d: d.update(extra=1), False),
    ("another format", lambda d: d.update(format="x"), False),
    ("schema_version true", lambda d: d.update(schema_version=True), False),
    ("schema_version 2", lambda d: d.update(schema_version=2), False),
    ("meta not an object", lambda d: d.update(meta=[]), False),
    ("empty name", lambda d: d["meta"].update(name=""), False),
    ("name a number", lambda d: d["meta"].update(name=5), False),
    ("no kind", lambda d: d["meta"].pop("kind"), False),
    ("unknown kind", lambda d: d["meta"].update(kind="bogus"), False),
    ("unknown meta key", lambda d: d["meta"].update(colour="red"), False),
    ("updated_at a date", lambda d: d["meta"].update(updated_at="2026-01-01"), False),
    ("reviewed_at a word", lambda d: d["meta"].update(reviewed_at="today"), False),
    ("scenario a number", lambda d: d["meta"].update(scenario=3), False),
    ("frames a list", lambda d: d.update(frames=[]), False),
    ("no stages frame", lambda d: d["frames"].pop("stages"), False),
    ("unknown frame", lambda d: d["frames"].update(kpis={"columns": []}), False),
    ("columns a string", lambda d: d["frames"]["stages"].update(columns="x"), False),
    ("a frame key besides columns", lambda d: d["frames"]["stages"].update(rows=[]), False),
    ("required column missing", lambda d: d["frames"]["stages"]["columns"].pop(0), False),
    ("column not an object", lambda d: d["frames"]["stages"]["columns"].append("id"), False),
    ("column name empty", lambda d: _column(d, "stages", "description").update(name=""), False),
    ("column name true", lambda d: _column(d, "stages", "description").update(name=True), False),
    ("column without dtype", lambda d: _column(d, "stages", "description").pop("dtype"), False),
    ("unknown dtype", lambda d: _column(d, "stages", "description").update(dtype="object"), False),
    ("a known column's other dtype", lambda d: _column(d, "stages", "id").update(dtype="Int64"), False),
    ("datetime unit other than the spec's",
     lambda d: _column(d, "personas", "validated_at").update(dtype="datetime64[ms]"), False),
    ("values not an array", lambda d: _column(d, "stages", "name").update(values="abc"), False),
    ("values an object", lambda d: _column(d, "stages", "name").update(values={}), False),
    ("a column key too many", lambda d: _column(d, "stages", "name").update(width=3), False),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change", "valid"), CASES, ids=[c[0] for c in CASES])
def test_quick_check_and_jsonschema_agree(
    skeleton: Doc, what: str, change: Callable[[Doc], Any], valid: bool
) -> None:
    doc = copy.deepcopy(skeleton)
    change(doc)
    assert jsonschema.Draft202012Validator(load_schema()).is_valid(doc) is valid, what
    assert schema_accepts(doc) is valid, what


@pytest.mark.parametrize("name", cjm.templates.names())
def test_every_shipped_template_file_passes_the_check_its_loading_skips(name: str) -> None:
    doc = _template_doc(name)
    jsonschema.validate(doc, load_schema())
    assert schema_accepts(doc_check._skeleton(doc))
    doc_check.check_document(doc, source=name)  # the values too
    assert cjm.templates.load(name).equals(cjm.read_json(json.dumps(doc)))  # as a checked read gives


def test_a_broken_file_still_gets_jsonschemas_message(tmp_path: Any) -> None:
    doc = _template_doc("three_stage")
    doc["meta"]["kind"] = "bogus"
    path = tmp_path / "map.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(path)
    assert str(err.value).startswith(f"{path}: meta 'kind' must be one of 'current_state'")


def test_without_fastjsonschema_jsonschema_checks_everything(
    monkeypatch: pytest.MonkeyPatch, skeleton: Doc
) -> None:
    monkeypatch.setattr(schema, "_compiled", lambda: None)
    assert not schema_accepts(skeleton)
    doc_check.check_document(_template_doc("three_stage"), source="three_stage")  # valid: no error
    broken = _template_doc("three_stage")
    broken["meta"]["name"] = ""
    with pytest.raises(cjm.FileFormatError, match=r"^x\.json: meta 'name' must not be empty$"):
        doc_check.check_document(broken, source="x.json")


def test_const_becomes_a_one_value_enum_but_property_names_stay() -> None:
    node = {"properties": {"const": {"const": 1}, "enum": {"enum": [1, 2]}}, "allOf": [{"const": "a"}]}
    assert schema._enum_for_const(node) == {
        "properties": {"const": {"enum": [1]}, "enum": {"enum": [1, 2]}},
        "allOf": [{"enum": ["a"]}],
    }
