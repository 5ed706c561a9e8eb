"""Every bad JSON journey file is one clear FileFormatError naming the user's path.

Covers issue #10 for JSON: duplicate columns and keys, bytes that are not
UTF-8, invalid JSON, hostile nesting, folders and missing files, the wrong
top-level type, schema errors named by frame / row / column / value (not by a
JSON pointer), and the parity of the fast value checks with the published
JSON Schema.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest
from hypothesis import given, settings

import cjm_jupyter as cjm
from cjm_jupyter.io.cells import from_cells
from cjm_jupyter.io.document import to_document
from cjm_jupyter.io.json_text import dumps
from cjm_jupyter.io.schema import load_schema

from ..support.strategies import journeys


@pytest.fixture(scope="module")
def _doc_template() -> dict[str, Any]:
    j = cjm.Journey("Vacuum", scenario="Fix research pains")
    p = j.add_persona("Colleen")
    a = j.add_stage("Awareness")
    t = j.add_touchpoint(a, "Search", channel="search")
    j.set_emotion(p, touchpoint=t, score=-1, thought="Too many ads", source="interview", n=12)
    j.add_action("Rewrite the ads", status="planned")
    return to_document(j)


@pytest.fixture
def doc(_doc_template: dict[str, Any]) -> dict[str, Any]:
    """A small journey's JSON document, a fresh deep copy per test (tests edit it).

    The journey is built once per module: its five edits cost more than the checks of most tests.
    """
    return copy.deepcopy(_doc_template)


def _col(doc: dict[str, Any], frame: str, name: str) -> dict[str, Any]:
    return next(c for c in doc["frames"][frame]["columns"] if c["name"] == name)


def _error(source: str | Path) -> cjm.FileFormatError:
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(source)
    return err.value


def _message(doc: Any) -> str:
    return str(_error(json.dumps(doc)))


def _write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "map.json"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


# -- duplicates: never "last one wins" -------------------------------------------------------
def test_duplicate_column_in_a_frame(doc):
    doc["frames"]["stages"]["columns"].append(copy.deepcopy(_col(doc, "stages", "name")))
    err = _error(json.dumps(doc))
    assert str(err) == (
        "JSON text: frame 'stages', column 'name': the column appears twice (columns 2 and 5 of the frame)"
    )
    assert (err.frame, err.column) == ("stages", "name")


def test_duplicate_column_with_other_values_is_refused_too(doc):
    twin = copy.deepcopy(_col(doc, "touchpoints", "channel"))
    twin["values"] = ["phone"]
    doc["frames"]["touchpoints"]["columns"].insert(0, twin)
    assert _message(doc) == (
        "JSON text: frame 'touchpoints', column 'channel': "
        "the column appears twice (columns 1 and 5 of the frame)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"format"',
            '"format": "x", "format"',
            "key 'format' appears more than once in the top-level object; each key may appear once",
        ),
        (
            '"name": "Vacuum"',
            '"name": "Vacuum", "name": "Other"',
            "key 'name' appears more than once in meta; each key may appear once",
        ),
        (
            '"stages": {',
            '"stages": {}, "stages": {',
            "key 'stages' appears more than once in frames; each key may appear once",
        ),
        (
            '"name": "order", "dtype": "Int64"',
            '"name": "order", "dtype": "Int64", "dtype": "string"',
            "frame 'stages', column 'order': key 'dtype' appears more than once in the column's object; "
            "each key may appear once",
        ),
        (
            '"stages": {"columns": [',
            '"stages": {"columns": [], "columns": [',
            "frame 'stages': key 'columns' appears more than once in the frame's object; "
            "each key may appear once",
        ),
    ],
)
def test_duplicate_keys_are_named_with_their_place(doc, tmp_path, old, new, expected):
    text = json.dumps(doc)
    assert old in text
    path = _write(tmp_path, text.replace(old, new, 1))
    err = _error(path)
    assert str(err) == f"{path}: {expected}"
    assert err.path == str(path)


# -- the file itself -------------------------------------------------------------------------
def test_bytes_that_are_not_utf8(doc, tmp_path):
    text = json.dumps(doc, indent=2).encode()
    cut = text.index(b"Vacuum")
    path = _write(tmp_path, text[:cut] + b"Caf\xe9" + text[cut:])
    line = text[:cut].count(b"\n") + 1
    column = cut - text[:cut].rfind(b"\n") + 3
    assert str(_error(path)) == f"{path}: is not UTF-8 text: byte 0xe9 at line {line}, column {column}"


def test_a_byte_order_mark_is_not_content(doc, tmp_path):
    path = _write(tmp_path, b"\xef\xbb\xbf" + json.dumps(doc).encode())
    assert cjm.read_json(path).meta["name"] == "Vacuum"


def test_invalid_json_names_line_and_column(tmp_path):
    path = _write(tmp_path, '{\n  "format": "cjm_jupyter.journey",\n  "meta": {,}\n}\n')
    assert str(_error(path)) == (
        f"{path}: is not valid JSON: Expecting property name enclosed in double quotes at line 3, column 12"
    )


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_standard_numbers_are_refused(doc, constant):
    text = json.dumps(doc).replace('"values": [-1.0]', f'"values": [{constant}]')
    assert constant in text
    assert str(_error(text)) == (
        f"JSON text: is not valid JSON: {constant} is not a JSON value (a missing value is null)"
    )


@pytest.mark.parametrize("where", ["meta", "value"])
def test_json_nested_100k_deep(doc, tmp_path, where):
    deep = "[" * 100_000 + "]" * 100_000
    text = json.dumps(doc)
    if where == "meta":
        text = text.replace('"scenario": "Fix research pains"', f'"scenario": {deep}')
    else:
        text = text.replace('"values": [-1.0]', f'"values": [{deep}]')
    path = _write(tmp_path, text)
    assert str(_error(path)) == f"{path}: JSON nested more than 64 levels deep; a journey file nests 6"


def test_nesting_the_parser_accepts_is_refused_before_jsonschema(doc):
    doc["meta"]["scenario"] = json.loads("[" * 500 + "]" * 500)
    assert _message(doc) == "JSON text: JSON nested more than 64 levels deep; a journey file nests 6"


def test_nested_value_inside_a_column_names_the_cell(doc):
    _col(doc, "stages", "order")["values"] = [[[1]]]
    assert _message(doc) == (
        "JSON text: frame 'stages', row 'awareness', column 'order': "
        "must be a whole number or null, not an array"
    )


def test_a_folder_instead_of_a_file(tmp_path):
    assert str(_error(tmp_path)) == f"{tmp_path}: is a folder, not a JSON file"
    cjm.templates.load("three_stage").to_csv(tmp_path / "csv")
    assert str(_error(tmp_path / "csv")) == (
        f"{tmp_path / 'csv'}: is a folder, not a JSON file (a folder written by to_csv: use read_csv)"
    )


def test_a_missing_file_is_python_file_not_found(tmp_path):
    path = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError) as err:
        cjm.read_json(path)
    assert str(err.value) == f"cannot read {str(path)!r}: the file does not exist"


def test_writing_into_a_missing_folder_names_the_path(tmp_path):
    path = tmp_path / "no" / "map.json"
    with pytest.raises(FileNotFoundError, match=r"cannot write .*map\.json'"):
        cjm.templates.load("three_stage").to_json(path)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(
    ("text", "kind"), [("[1, 2]", "an array"), ('"map"', "a string"), ("42", "a number"), ("null", "null")]
)
def test_top_level_that_is_not_an_object(tmp_path, text, kind):
    path = _write(tmp_path, text)
    err = _error(path)
    assert str(err) == f"{path}: the top level is {kind}, not an object"
    assert err.path == str(path)


def test_json_text_is_still_accepted():
    j = cjm.templates.load("colleen")
    assert cjm.read_json("  \n" + j.to_json()).equals(j)


# -- the structure, named by frame and column ----------------------------------------------
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(frames=[]), "'frames' must be an object, not an array"),
        (lambda d: d["frames"].update(stages=[]), "frame 'stages': must be an object, not an array"),
        (
            lambda d: d["frames"]["stages"].update(columns="x"),
            "frame 'stages': 'columns' must be an array, not a string ('x')",
        ),
        (
            lambda d: d["frames"]["stages"]["columns"].__setitem__(2, 5),
            "frame 'stages', column '#3': must be an object, not a number (5)",
        ),
        (
            lambda d: d["frames"]["stages"]["columns"].pop(1),
            "frame 'stages', column 'name': this required column is missing",
        ),
        (
            lambda d: _col(d, "stages", "order").update(dtype="string"),
            "frame 'stages', column 'order': 'dtype' must be 'Int64', not 'string'",
        ),
        (
            lambda d: _col(d, "stages", "order").update(values="0"),
            "frame 'stages', column 'order': 'values' must be an array, not a string ('0')",
        ),
        (
            lambda d: _col(d, "stages", "order").update(unit="days"),
            "frame 'stages', column 'order': Additional properties are not allowed ('unit' was unexpected)",
        ),
        (
            lambda d: d["frames"]["stages"]["columns"].append({"name": "kpi", "dtype": "text", "values": []}),
            "frame 'stages', column 'kpi': unknown dtype 'text'; "
            "use string, (U)Int8-64, Float32/64, boolean or datetime64[unit(, tz)]",
        ),
        (
            lambda d: _col(d, "stages", "name").update(values=[]),
            "frame 'stages', column 'name': has 0 values, column 'id' has 1",
        ),
        (
            lambda d: d["frames"].update(stagez={"columns": []}),
            "'frames': Additional properties are not allowed ('stagez' was unexpected)",
        ),
        (
            lambda d: d["meta"].update(kind="x"),
            "meta 'kind' must be one of 'current_state', 'future_state', 'day_in_the_life', 'empathy_map'; "
            "not 'x'",
        ),
        (
            lambda d: d["meta"].update(scenario={"a": 1}),
            "meta 'scenario' must be a string or null, not an object",
        ),
    ],
)
def test_structure_errors_name_frame_and_column(doc, change, expected):
    change(doc)
    assert _message(doc) == f"JSON text: {expected}"


# -- values, named by frame, row id, column and value --------------------------------------
_WHOLE = "must be a whole number or null"


@pytest.mark.parametrize(
    ("frame", "column", "value", "expected"),
    [
        ("stages", "order", "x", f"row 'awareness', column 'order', value 'x': {_WHOLE}"),
        ("stages", "order", 1.5, f"row 'awareness', column 'order', value 1.5: {_WHOLE}"),
        ("stages", "order", True, f"row 'awareness', column 'order', value True: {_WHOLE}"),
        ("stages", "order", -1, "row 'awareness', column 'order', value -1: must be >= 0"),
        (
            "stages",
            "order",
            2**63,
            "row 'awareness', column 'order', value 9223372036854775808: is out of the range of Int64",
        ),
        ("stages", "name", 7, "row 'awareness', column 'name', value 7: must be text or null"),
        ("emotions", "score", "sad", "row 'emo-1', column 'score', value 'sad': must be a number or null"),
        ("emotions", "score", 3, "row 'emo-1', column 'score', value 3: must be <= 2"),
        ("emotions", "score", -2.5, "row 'emo-1', column 'score', value -2.5: must be >= -2"),
        (
            "emotions",
            "basis",
            "maybe",
            "row 'emo-1', column 'basis', value 'maybe': must be one of 'measured', 'assumed'",
        ),
        (
            "actions",
            "status",
            "later",
            "row 'act-1', column 'status', value 'later': "
            "must be one of 'planned', 'in_progress', 'done', 'blocked', 'dropped'",
        ),
        (
            "actions",
            "due",
            20250101,
            "row 'act-1', column 'due', value 20250101: must be an ISO date-time text or null",
        ),
    ],
)
def test_value_errors_name_frame_row_column_and_value(doc, frame, column, value, expected):
    _col(doc, frame, column)["values"] = [value]
    err = _error(json.dumps(doc))
    assert str(err) == f"JSON text: frame {frame!r}, {expected}"
    assert (err.frame, err.column, err.value) == (frame, column, value)


def test_value_error_in_an_extra_column(doc):
    doc["frames"]["stages"]["columns"].append({"name": "done", "dtype": "boolean", "values": ["yes"]})
    assert _message(doc) == (
        "JSON text: frame 'stages', row 'awareness', column 'done', value 'yes': must be true, false or null"
    )


def test_value_error_in_a_row_without_id(doc):
    _col(doc, "stages", "id")["values"] = [None]
    _col(doc, "stages", "order")["values"] = ["x"]
    assert _message(doc) == (
        "JSON text: frame 'stages', column 'order', value 'x': "
        "must be a whole number or null (row 1 of the frame, which has no id)"
    )


def test_errors_name_the_users_path(doc, tmp_path):
    _col(doc, "stages", "order")["values"] = ["x"]
    path = _write(tmp_path, json.dumps(doc))
    err = _error(path)
    assert str(err).startswith(f"{path}: frame 'stages', row 'awareness'")
    assert err.path == str(path) and err.row_id == "awareness"


def test_whole_floats_in_int_columns_read_as_ints(doc):
    _col(doc, "stages", "order")["values"] = [0.0]
    back = cjm.read_json(json.dumps(doc))
    assert back.stages["order"].tolist() == [0] and str(back.stages["order"].dtype) == "Int64"


# -- the fast checks refuse what the published schema refuses --------------------------------
_BAD_VALUES = [
    ("stages", "order", ["x"]),
    ("stages", "order", [1.5]),
    ("stages", "order", [True]),
    ("stages", "order", [-1]),
    ("stages", "order", [None, [0]]),
    ("stages", "name", [7]),
    ("stages", "name", [{"a": 1}]),
    ("emotions", "score", ["sad"]),
    ("emotions", "score", [False]),
    ("emotions", "score", [2.0001]),
    ("emotions", "n", [-3]),
    ("emotions", "basis", ["maybe"]),
    ("empathy", "quadrant", ["hears"]),
    ("actions", "status", ["later"]),
    ("actions", "due", [1]),
    ("pain_points", "severity", [0]),
    ("pain_points", "severity", [6]),
]


@pytest.mark.parametrize(("frame", "column", "values"), _BAD_VALUES)
def test_fast_checks_match_the_published_schema(doc, frame, column, values):
    target = _col(doc, frame, column)
    target["values"] = values
    for other in doc["frames"][frame]["columns"]:  # keep the frame rectangular
        if other is not target:
            other["values"] = (other["values"] + [None] * len(values))[: len(values)]
    assert not jsonschema.Draft202012Validator(load_schema()).is_valid(doc)
    err = _error(json.dumps(doc))
    assert (err.frame, err.column) == (frame, column)


@pytest.mark.parametrize("name", cjm.templates.names())
def test_templates_pass_both_checks(name):
    j = cjm.templates.load(name)
    doc = json.loads(j.to_json())
    assert jsonschema.Draft202012Validator(load_schema()).is_valid(doc)
    assert cjm.read_json(j.to_json()).equals(j)


# -- from_cells: the whole-column path builds what the per-value path built -------------------
@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        ([1, None, 2.5, math.nan], "Float64", [1.0, None, 2.5, None]),
        ([1, None, -3], "Int64", [1, None, -3]),
        (["1", "", None], "Int64", [1, None, None]),  # CSV text: the per-value path
        (["a", None, ""], "string", ["a", None, ""]),
        ([True, None, False], "boolean", [True, None, False]),
        (("a", None), "string", ["a", None]),
    ],
)
def test_from_cells_builds_the_same_series(values, dtype, expected):
    got = from_cells(values, dtype, frame="f", column="c")
    pd.testing.assert_series_equal(got, pd.Series(pd.array(expected, dtype=dtype)))


@pytest.mark.parametrize(("values", "dtype"), [([2**70], "Int64"), ([300], "Int8"), ([-1], "UInt64")])
def test_from_cells_names_numbers_the_dtype_cannot_hold(values, dtype):
    with pytest.raises(cjm.ValidationError) as err:
        from_cells(values, dtype, frame="f", column="c")
    assert str(err.value) == f"frame 'f', column 'c', value {values[0]}: cannot read as {dtype}: out of range"


# -- text no file can store -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '"Awareness"',
            '"Aware\\ud800"',
            "frame 'stages', row 'awareness', column 'name', value 'Aware\\ud800': "
            "text holds a lone surrogate, which no file can store",
        ),
        (
            '"name": "Vacuum"',
            '"name": "\\udc00Vacuum"',
            "value '\\udc00Vacuum': text holds a lone surrogate, which no file can store (at meta 'name')",
        ),
    ],
)
def test_lone_surrogate_escapes_are_refused(doc, tmp_path, old, new, expected):
    text = json.dumps(doc)
    assert old in text
    path = _write(tmp_path, text.replace(old, new, 1))
    assert str(_error(path)) == f"{path}: {expected}"


def test_escaped_surrogate_pairs_are_one_character(doc):
    text = json.dumps(doc).replace('"Awareness"', '"Aware \\ud83c\\udf89"', 1)
    assert cjm.read_json(text).stages["name"].tolist() == ["Aware 🎉"]


def test_from_cells_refuses_a_lone_surrogate():
    with pytest.raises(cjm.ValidationError) as err:
        from_cells(["ok", "Caf\ud800"], "string", frame="stages", column="name")
    assert str(err.value) == (
        "frame 'stages', column 'name', value 'Caf\\ud800': "
        "text holds a lone surrogate, which no file can store"
    )


def test_raw_lone_surrogate_in_json_text_is_refused(doc):
    text = json.dumps(doc, ensure_ascii=False).replace("Awareness", "Aware\ud800", 1)
    assert str(_error(text)) == (
        "JSON text: frame 'stages', row 'awareness', column 'name', value 'Aware\\ud800': "
        "text holds a lone surrogate, which no file can store"
    )


# -- the fast writer writes exactly json.dumps' text -----------------------------------------
@pytest.mark.parametrize("indent", [2, 0, 4, None, "\t"])
@pytest.mark.parametrize("name", cjm.templates.names())
def test_dumps_is_json_dumps(name, indent):
    doc = to_document(cjm.templates.load(name))
    assert dumps(doc, indent=indent) == json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)


@settings(max_examples=25, deadline=None)
@given(journey=journeys())
def test_dumps_is_json_dumps_for_any_journey(journey):
    doc = to_document(journey)
    assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)


def test_dumps_refuses_nan_as_json_dumps_does(doc):
    _col(doc, "emotions", "score")["values"] = [math.inf]
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant: inf"):
        dumps(doc)


def test_a_date_that_is_not_a_date_names_the_row(doc):
    _col(doc, "actions", "due")["values"] = ["next Tuesday"]
    err = _error(json.dumps(doc))
    assert str(err) == (
        "JSON text: frame 'actions', row 'act-1', column 'due', value 'next Tuesday': "
        "cannot read as datetime64[us]"
    )
    assert err.row_id == "act-1"


@pytest.mark.parametrize(
    ("values", "dtype", "expected"),
    [
        (["1", "", "-3", " 12", "+5", "1_000"], "Int64", [1, None, -3, 12, 5, 1000]),
        (["1.5", "", "nan", "2"], "Float64", [1.5, None, None, 2.0]),
        (["True", "false", "", "TRUE"], "boolean", [True, False, None, True]),
    ],
)
def test_from_cells_reads_csv_text_as_the_per_value_parsers_do(values, dtype, expected):
    got = from_cells(values, dtype, frame="f", column="c")
    pd.testing.assert_series_equal(got, pd.Series(pd.array(expected, dtype=dtype)))


@pytest.mark.parametrize(
    ("values", "dtype"), [(["1", "1.5"], "Int64"), (["yes"], "boolean"), (["x"], "Float64")]
)
def test_from_cells_names_the_text_it_cannot_read(values, dtype):
    with pytest.raises(cjm.ValidationError) as err:
        from_cells(values, dtype, frame="f", column="c")
    assert str(err.value) == f"frame 'f', column 'c', value {values[-1]!r}: cannot read as {dtype}"


# -- found by the adversarial review of issue #10 ------------------------------------------
def test_a_number_too_long_to_read_is_a_clear_error(doc, tmp_path):
    path = tmp_path / "map.json"
    current = f'"schema_version": {cjm.io.SCHEMA_VERSION}'
    path.write_text(json.dumps(doc).replace(current, '"schema_version": ' + "1" * 5000))
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(path)
    assert str(err.value) == f"{path}: is not valid JSON: a number has more than 4,300 digits"


def test_an_unknown_meta_key_says_it_would_be_lost(doc):
    doc["meta"]["author"] = "me"
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(json.dumps(doc))
    assert str(err.value) == (
        "JSON text: meta 'author' is not a journey field (meta data holds name, scenario, kind, "
        "description, version, owner, updated_at, reviewed_at); it would be lost"
    )
