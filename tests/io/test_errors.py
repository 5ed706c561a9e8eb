"""Atomic writes, version checks and clear errors when reading journey files."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from openpyxl.writer.excel import ExcelWriter

import cjm_jupyter as cjm
from cjm_jupyter.io import schema as schema_mod
from cjm_jupyter.io.document import to_document


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey("Vacuum", scenario="Fix research pains")
    p = j.add_persona("Colleen")
    a = j.add_stage("Awareness")
    t = j.add_touchpoint(a, "Search", channel="search")
    j.set_emotion(p, touchpoint=t, score=-1, thought="Too many ads", source="interview", n=12)
    return j


def _other(journey: cjm.Journey) -> cjm.Journey:
    other = journey.copy()
    other.add_stage("Decision")
    return other


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- interrupted writes ---------------------------------------------------------
def test_interrupted_json_write_keeps_old_file(journey, tmp_path, monkeypatch):
    path = tmp_path / "map.json"
    journey.to_json(path)
    before = path.read_bytes()

    def half_then_fail(self, text, encoding=None):
        with open(self, "w", encoding=encoding) as fh:
            fh.write(text[: len(text) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        _other(journey).to_json(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert cjm.read_json(path).equals(journey)
    assert _leftovers(tmp_path) == []


def test_interrupted_excel_write_keeps_old_file(journey, tmp_path, monkeypatch):
    path = tmp_path / "map.xlsx"
    journey.to_excel(path)
    before = path.read_bytes()

    real_save = ExcelWriter.save  # what the writer runs (see io/excel_zip.py)

    def half_then_fail(self):
        real_save(self)  # the process dies after a third of the bytes hit the disk
        filename = self._archive.filename
        data = Path(filename).read_bytes()
        Path(filename).write_bytes(data[: len(data) // 3])
        raise OSError("killed")

    monkeypatch.setattr(ExcelWriter, "save", half_then_fail)
    with pytest.raises(OSError, match="killed"):
        _other(journey).to_excel(path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert cjm.read_excel(path).equals(journey)
    assert _leftovers(tmp_path) == []


def test_interrupted_csv_write_keeps_old_folder(journey, tmp_path, monkeypatch):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    calls = {"n": 0}
    real_open = open

    def failing_open(file, mode="r", *args, **kwargs):
        if "w" in mode and ".csv." in str(file):  # the hidden temporary file of a frame
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError("interrupted")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(OSError, match="interrupted"):
        _other(journey).to_csv(folder)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert cjm.read_csv(folder).equals(journey)
    assert _leftovers(tmp_path) == [] and _leftovers(folder) == []


def test_failed_validation_on_save_writes_nothing(tmp_path):
    j = cjm.Journey("Long id")
    j.add_stage("S", id="s" * 40_000)  # an id must fit one Excel cell
    with pytest.raises(cjm.ValidationError, match="cannot continue in another cell"):
        j.to_excel(tmp_path / "new.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_existing_file_permissions_are_kept(journey, tmp_path):
    path = tmp_path / "map.json"
    path.write_text("{}")
    os.chmod(path, 0o640)
    journey.to_json(path)
    assert (path.stat().st_mode & 0o777) == 0o640


def test_csv_writes_into_unrelated_folder_without_touching_its_files(journey, tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "holiday.jpg").write_bytes(b"\xff\xd8")
    journey.to_csv(folder)
    assert (folder / "holiday.jpg").read_bytes() == b"\xff\xd8"
    assert cjm.read_csv(folder).equals(journey)


def test_csv_refuses_to_overwrite_a_file_it_did_not_write(journey, tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "stages.csv").write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError) as err:
        journey.to_csv(folder)
    assert str(err.value) == (
        f"cannot write '{folder}': it holds 'stages.csv', which no earlier save of a journey listed "
        "(no journey.json of ours names it); move it away or choose another folder"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["stages.csv"]
    assert (folder / "stages.csv").read_text(encoding="utf-8") == "mine\n"


# -- versions ----------------------------------------------------------------------
def test_newer_schema_version_is_refused_clearly(journey, tmp_path):
    doc = to_document(journey)
    doc["schema_version"] = 99
    path = tmp_path / "future.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(
        cjm.SchemaVersionError, match=r"schema version 99, newer than the version 3.*upgrade"
    ) as err:
        cjm.read_json(path)
    assert err.value.column == "schema_version" and err.value.value == 99


@pytest.mark.parametrize("version", [None, "1", 0, True])
def test_invalid_schema_version_is_refused(journey, version):
    doc = to_document(journey)
    doc["schema_version"] = version
    with pytest.raises(cjm.SchemaVersionError, match=r"schema version|schema_version"):
        cjm.read_json(json.dumps(doc))


def test_newer_version_in_csv_and_excel_is_refused(journey, tmp_path):
    journey.to_csv(tmp_path / "m")
    manifest = tmp_path / "m" / "journey.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["schema_version"] = 4
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(cjm.SchemaVersionError, match="version 4"):
        cjm.read_csv(tmp_path / "m")
    journey.to_excel(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    for row in wb["journey"].iter_rows():
        if row[0].value == "schema_version":
            row[1].value = 7
    wb.save(tmp_path / "m.xlsx")
    with pytest.raises(cjm.SchemaVersionError, match="version 7"):
        cjm.read_excel(tmp_path / "m.xlsx")


def test_not_a_journey_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(cjm.SchemaVersionError, match="not a cjm_jupyter journey file"):
        cjm.read_json(path)
    path.write_text("{not json")
    with pytest.raises(cjm.ValidationError, match="not valid JSON"):
        cjm.read_json(path)


# -- schema and content errors ---------------------------------------------------------
def test_schema_error_names_frame_and_place(journey):
    doc = to_document(journey)
    for col in doc["frames"]["emotions"]["columns"]:
        if col["name"] == "score":
            col["values"] = ["very sad"]
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(json.dumps(doc))
    assert str(err.value) == (
        "JSON text: frame 'emotions', row 'emo-1', column 'score', value 'very sad': must be a number or null"
    )
    assert (err.value.frame, err.value.row_id, err.value.column) == ("emotions", "emo-1", "score")


def test_content_error_names_row_and_file(journey, tmp_path):
    doc = to_document(journey)
    for col in doc["frames"]["touchpoints"]["columns"]:
        if col["name"] == "stage_id":
            col["values"] = ["nowhere"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(cjm.ValidationError, match="unknown stage id") as err:
        cjm.read_json(path)
    assert (err.value.frame, err.value.row_id, err.value.column) == ("touchpoints", "search", "stage_id")
    assert any(str(path) in note for note in err.value.__notes__)


def test_ragged_csv_line_is_reported(journey, tmp_path):
    journey.to_csv(tmp_path / "m")
    stages = tmp_path / "m" / "stages.csv"
    stages.write_text(stages.read_text(encoding="utf-8-sig") + "x,y\n", encoding="utf-8-sig")
    with pytest.raises(cjm.ValidationError, match="line 3 has 2 fields"):
        cjm.read_csv(tmp_path / "m")


def test_csv_column_added_by_hand_is_read_as_text(journey, tmp_path):
    journey.to_csv(tmp_path / "m")
    stages = tmp_path / "m" / "stages.csv"
    lines = stages.read_text(encoding="utf-8-sig").splitlines()
    lines = [lines[0] + ",kpi", lines[1] + ",42"]
    stages.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    back = cjm.read_csv(tmp_path / "m")
    assert back.stages["kpi"].tolist() == ["42"]
    assert str(back.stages["kpi"].dtype) == "string"


def test_missing_folder_or_sheet_is_reported(tmp_path):
    with pytest.raises(cjm.ValidationError, match=r"no journey.json"):
        cjm.read_csv(tmp_path)
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(cjm.ValidationError, match="no 'journey' sheet"):
        cjm.read_excel(tmp_path / "plain.xlsx")


# -- the published schema -------------------------------------------------------------
def test_shipped_schema_is_current():
    assert schema_mod.load_schema() == schema_mod.build_schema()
    jsonschema.Draft202012Validator.check_schema(schema_mod.load_schema())


@pytest.mark.parametrize("name", cjm.templates.names())
def test_every_template_file_matches_schema(name):
    doc = json.loads(cjm.templates.load(name).to_json())
    jsonschema.validate(doc, schema_mod.load_schema())


@pytest.mark.parametrize(
    ("read", "name", "what"),
    [
        (cjm.read_json, "map.json", "file"),
        (cjm.read_excel, "map.xlsx", "file"),
        (cjm.read_csv, "map", "folder"),
    ],
)
def test_missing_path_is_file_not_found_in_every_format(tmp_path, read, name, what):
    path = tmp_path / name
    with pytest.raises(FileNotFoundError) as err:
        read(path)
    assert str(err.value) == f"cannot read {str(path)!r}: the {what} does not exist"


# -- the same situation, the same error, in every format (adversarial review of #10) ----------
_FORMATS = [("json", "map.json", "file"), ("excel", "map.xlsx", "file"), ("csv", "map", "folder")]


@pytest.mark.parametrize(("fmt", "name", "what"), _FORMATS)
def test_a_link_that_loops_is_one_clear_error_in_every_format(tmp_path, fmt, name, what):
    path = tmp_path / name
    path.symlink_to(path)
    with pytest.raises(cjm.FileFormatError) as err:
        getattr(cjm, f"read_{fmt}")(path)
    assert str(err.value) == f"{path}: cannot be opened: Too many levels of symbolic links"


@pytest.mark.parametrize(("fmt", "name", "what"), _FORMATS)
def test_a_path_through_a_file_is_file_not_found_in_every_format(tmp_path, fmt, name, what):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    path = tmp_path / "notes.txt" / name
    with pytest.raises(FileNotFoundError) as err:
        getattr(cjm, f"read_{fmt}")(path)
    assert str(err.value) == f"cannot read {str(path)!r}: the {what} does not exist"


@pytest.mark.parametrize(("fmt", "name", "what"), _FORMATS)
def test_a_full_disk_names_the_users_path_in_every_format(journey, tmp_path, monkeypatch, fmt, name, what):
    path = tmp_path / name
    getattr(journey, f"to_{fmt}")(path)
    before = getattr(cjm, f"read_{fmt}")(path)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")  # as write() fails: no file name

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError) as err:
        getattr(_other(journey), f"to_{fmt}")(path)
    monkeypatch.undo()
    assert str(err.value) == f"cannot write '{path}': No space left on device"
    assert err.value.errno == errno.ENOSPC
    assert getattr(cjm, f"read_{fmt}")(path).equals(before)
