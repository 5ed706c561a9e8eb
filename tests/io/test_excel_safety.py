"""Excel workbooks users can trust: nothing cut, no formulas, any text kept, clear errors."""

from __future__ import annotations

import csv
import gc
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet import _writer as openpyxl_writer

import cjm_jupyter as cjm
from cjm_jupyter.io.excel_text import CELL_LIMIT, cell_parts, escape, unescape

LONG = 100_000
FORMULAS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(1)", "=1+1", "#N/A"]


def _journey() -> cjm.Journey:
    j = cjm.Journey("Vacuum", scenario="Fix research pains")
    p = j.add_persona("Colleen")
    a = j.add_stage("Awareness", id="aware")
    t = j.add_touchpoint(a, "Search", channel="search")
    j.set_emotion(p, touchpoint=t, score=-1, thought="Too many ads", source="interview", n=12)
    j.add_action("Fewer ads", stage=a)
    return j


def _with_extra_column(j: cjm.Journey, frame: str, column: str, values: list[str]) -> cjm.Journey:
    df = j.frame(frame).copy()
    df[column] = pd.array(values, dtype="string")
    return cjm.Journey(j.name, scenario=j.scenario, description=j.description, frames={**j.frames, frame: df})


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- text longer than a cell -------------------------------------------------------------
def test_text_longer_than_a_cell_continues_in_a_hidden_sheet_and_reads_back_whole(tmp_path):
    j = _journey()
    j.description = "d" * LONG
    j.update_stage("aware", description="x" * LONG)
    path = tmp_path / "long.xlsx"
    j.to_excel(path)
    back = cjm.read_excel(path)
    assert back.description == "d" * LONG
    assert back.stages["description"].tolist() == ["x" * LONG]
    assert back.equals(j)

    wb = openpyxl.load_workbook(path)
    assert wb["_continued"].sheet_state == "hidden"
    assert wb["stages"]["C2"].value == "x" * CELL_LIMIT  # the cell holds the first part
    rows = list(wb["_continued"].iter_rows(values_only=True))
    assert rows[0] == ("sheet", "row", "column", "part", "text")
    assert [r[:4] for r in rows[1:]] == [
        ("journey", "description", "value", 2),
        ("journey", "description", "value", 3),
        ("journey", "description", "value", 4),
        ("stages", "aware", "description", 2),
        ("stages", "aware", "description", 3),
        ("stages", "aware", "description", 4),
    ]
    assert [len(r[4]) for r in rows[1:4]] == [CELL_LIMIT, CELL_LIMIT, LONG - 3 * CELL_LIMIT]


def test_workbook_without_long_text_has_no_continued_sheet(tmp_path):
    _journey().to_excel(tmp_path / "m.xlsx")
    assert "_continued" not in openpyxl.load_workbook(tmp_path / "m.xlsx").sheetnames


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("a" * CELL_LIMIT, 1),
        ("a" * (CELL_LIMIT + 1), 2),
        ("a" * (CELL_LIMIT - 1) + "\x07" + "b" * 10, 2),  # an escape never straddles two cells
        ("🎉" * CELL_LIMIT, 3),  # two UTF-16 units each, as Excel counts
        ("\x00\x1f_x0041_" * 20_000, 17),  # 540,000 units escaped
    ],
    ids=["limit", "limit+1", "escape-at-cut", "emoji", "escapes"],
)
def test_cell_parts_fit_a_cell_and_join_back_exactly(text, count):
    parts = cell_parts(text)
    assert len(parts) == count
    assert all(len(p.encode("utf-16-le")) // 2 <= CELL_LIMIT for p in parts)
    assert "".join(unescape(p) for p in parts) == text


def test_too_long_id_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "map.xlsx"
    _journey().to_excel(path)
    before = path.read_bytes()
    j = cjm.Journey("Long id")
    j.add_stage("S", id="s" * 40_000)
    with pytest.raises(cjm.ValidationError) as err:
        j.to_excel(path)
    assert str(err.value) == (
        f"frame 'stages', row {'s' * 40_000!r}, column 'id': is longer than the 32,767 characters an "
        "Excel cell holds; ids, keys and column names cannot continue in another cell "
        "(shorten it, or save as JSON or CSV)"
    )
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


# -- no formulas ---------------------------------------------------------------------
def _formula_journey() -> cjm.Journey:
    j = cjm.Journey(FORMULAS[0], scenario=FORMULAS[1], description=FORMULAS[2])
    p = j.add_persona(FORMULAS[3])
    for i, text in enumerate(FORMULAS):
        s = j.add_stage(text, description=text, id=f"s{i}")
        j.set_emotion(p, stage=s, score=1, thought=text, source="interview")
    return _with_extra_column(j, "stages", FORMULAS[0], FORMULAS)


def test_no_cell_of_any_sheet_is_a_formula(tmp_path):
    j = _formula_journey()
    path = tmp_path / "f.xlsx"
    j.to_excel(path)
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s", "n"}
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    texts = {c.value for c in cells}
    assert set(FORMULAS) <= texts
    assert ("stages", FORMULAS[0], "string") in set(wb["_columns"].iter_rows(values_only=True))
    assert cjm.read_excel(path).equals(j)


# -- any text: control characters, escapes, whitespace -----------------------------------
def test_escape_spells_what_xml_cannot_carry():
    assert escape("bell\x07 nul\x00 cr\r lf\n tab\t \ufffe\uffff _x0041_ _x12_") == (
        "bell_x0007_ nul_x0000_ cr_x000D_ lf\n tab\t _xFFFE__xFFFF_ _x005F_x0041_ _x12_"
    )
    assert escape("_x005F_x0041_") == "_x005F_x005F_x005F_x0041_"
    assert unescape("_x005F_x005F_x005F_x0041_") == "_x005F_x0041_"
    assert unescape("_xD83C__xDF89_") == "🎉"  # a character beyond U+FFFF as two escaped halves


EDGE_TEXTS = [
    "bell\x07",
    "".join(chr(c) for c in range(32)),
    "a\r\nb\rc\n",
    "  lead and trail  ",
    " ",
    "\t",
    "\n",
    "_x0041_",
    "_x005F_x0041_",
    "x005F_",
    "\ufffe\uffff\x7f\x85\u2028",
    "Delight 🎉",
]


@pytest.mark.parametrize("text", EDGE_TEXTS, ids=range(len(EDGE_TEXTS)))
def test_edge_text_round_trips_exactly(text, tmp_path):
    j = cjm.Journey("Edge", scenario=text)
    j.add_stage("S" + text, description=text)
    path = tmp_path / "e.xlsx"
    j.to_excel(path)
    back = cjm.read_excel(path)
    assert back.scenario == text
    assert back.stages["description"].tolist() == [text]
    assert back.equals(j)


_escapes = st.from_regex(r"_x[0-9A-Fa-f]{4}_", fullmatch=True)
_any_text = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
    | _escapes
    | st.sampled_from(["\r", "\r\n", " ", "_x005F_", "_", "\x00", "\ufffe"]),
    max_size=5,
).map("".join)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_any_text, name=_any_text.filter(lambda s: s.strip() != ""))
def test_any_text_round_trips_exactly(text, name, tmp_path):
    j = cjm.Journey(name, description=text)
    j.add_stage(name, description=text)
    j = _with_extra_column(j, "stages", "x" + name, [text or None])
    path = tmp_path / f"{uuid.uuid4().hex}.xlsx"
    j.to_excel(path)
    back = cjm.read_excel(path)
    assert back.meta == j.meta
    pd.testing.assert_frame_equal(back.stages, j.stages, check_exact=True)
    assert back.equals(j)


# -- bad workbooks: one clear error ---------------------------------------------------
def _rewrite(path: Path, edit) -> None:
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)


def _set_cell(sheet: str, key: tuple, column: int, value):
    """Set ``column`` of the rows of ``sheet`` that start with the values ``key``."""

    def edit(wb):
        for row in wb[sheet].iter_rows():
            if tuple(c.value for c in row[: len(key)]) == key:
                row[column].value = value

    return edit


def _bad_file(kind: str, path: Path) -> None:
    _journey().to_excel(path)
    data = path.read_bytes()
    if kind == "not a zip":
        path.write_text("name,stage\nColleen,Awareness\n")
    elif kind == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif kind == "cut at the end":
        path.write_bytes(data[:-1])
    elif kind == "zip without workbook":
        path.unlink()
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", "hello")
    elif kind == "folder":
        path.unlink()
        path.mkdir()
    elif kind == "missing":
        path.unlink()
    elif kind == "schema_version text":
        _rewrite(path, _set_cell("journey", ("schema_version",), 1, "one"))
    elif kind == "bad dtype":
        _rewrite(path, _set_cell("_columns", ("stages", "order"), 2, "int128"))
    elif kind == "bad cell":
        _rewrite(path, lambda wb: wb["emotions"].cell(2, _header_index(wb["emotions"], "score"), "very sad"))
    elif kind == "deleted sheet":
        _rewrite(path, lambda wb: wb.remove(wb["actions"]))
    elif kind == "duplicate header":
        _rewrite(path, lambda wb: wb["stages"].cell(1, wb["stages"].max_column + 1, "name"))
    elif kind == "empty _columns row":
        _rewrite(path, lambda wb: wb["_columns"].append(["stages", "kpi", None]))
    # found by the adversarial review of issue #10
    elif kind == "lone surrogate in a header":
        _rewrite(path, lambda wb: wb["stages"].cell(1, wb["stages"].max_column + 1, "kpi_xD800_"))
    elif kind == "meta key twice":
        _rewrite(path, lambda wb: wb["journey"].append(["name", "Another name"]))
    elif kind == "unknown meta key":
        _rewrite(path, lambda wb: wb["journey"].append(["author", "me"]))
    elif kind == "column listed twice":
        _rewrite(path, lambda wb: wb["_columns"].append(["stages", "order", "Float64"]))
    elif kind == "cell right of the header":
        _rewrite(path, lambda wb: wb["stages"].cell(2, wb["stages"].max_column + 2, "typed here"))
    elif kind == "link that loops":
        path.unlink()
        path.symlink_to(path)


def _header_index(ws, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


_NOT_ZIP = "is not an Excel workbook (.xlsx): not a zip archive, or one that is damaged or cut short"
BAD = {
    "not a zip": _NOT_ZIP,
    "truncated": _NOT_ZIP,
    "cut at the end": _NOT_ZIP,
    "zip without workbook": "is a zip archive but not an Excel workbook (.xlsx)",
    "folder": "is a folder, not an Excel workbook",
    "schema_version text": "sheet 'journey': column 'schema_version', value 'one': "
    "schema_version must be a whole number",
    "bad dtype": "sheet '_columns': frame 'stages', column 'order': unknown dtype 'int128'; "
    "use string, (U)Int8-64, Float32/64, boolean or datetime64[unit(, tz)]",
    "bad cell": "sheet 'emotions': frame 'emotions', row 'emo-1', column 'score', "
    "value 'very sad': cannot read as Float64",
    "deleted sheet": "sheet 'actions': the workbook has no 'actions' sheet, but its hidden '_columns' "
    "sheet lists that frame; was the sheet deleted or renamed?",
    "duplicate header": "sheet 'stages': frame 'stages', column 'name': the header names this column twice",
    "empty _columns row": "sheet '_columns': frame 'stages', column 'kpi': "
    "each row needs a frame, a column and a dtype",
    "lone surrogate in a header": "sheet 'stages': frame 'stages', value 'kpi\\ud800': "
    "a column name holds a lone surrogate, which no file can store",
    "meta key twice": "sheet 'journey': key 'name' appears in more than one row; each key may appear once",
    "unknown meta key": "sheet 'journey': meta 'author' is not a journey field "
    "(meta data holds name, scenario, kind, description, version, owner, updated_at, reviewed_at); "
    "it would be lost",
    "column listed twice": "sheet '_columns': frame 'stages': column 'order' is listed twice",
    "cell right of the header": "sheet 'stages': frame 'stages', value 'typed here': cell F2 is filled "
    "but its column has no name in the header row; name the column or clear the cell",
    "link that loops": "cannot be opened: Too many levels of symbolic links",
}


@pytest.mark.parametrize("kind", list(BAD))
def test_bad_workbook_is_one_clear_error_naming_the_path(kind, tmp_path):
    path = tmp_path / "map.xlsx"
    _bad_file(kind, path)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    sep = ", " if BAD[kind].startswith("sheet ") else ": "
    assert str(err.value) == f"{path}{sep}{BAD[kind]}"
    assert err.value.path == str(path)


def test_error_names_the_sheet_attribute(tmp_path):
    path = tmp_path / "map.xlsx"
    _bad_file("deleted sheet", path)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    assert err.value.sheet == "actions"


def test_damaged_sheet_names_the_file(tmp_path):
    path = tmp_path / "map.xlsx"
    _journey().to_excel(path)
    good = zipfile.ZipFile(path)
    parts = {name: good.read(name) for name in good.namelist()}
    good.close()
    parts["xl/worksheets/sheet4.xml"] = b"<worksheet><sheetData><row><c>"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    assert str(err.value) == (
        f"{path}: is a damaged Excel workbook (ParseError: no element found: line 1, column 30)"
    )


def test_missing_part_of_a_long_text_is_an_error(tmp_path):
    j = _journey()
    j.update_stage("aware", description="x" * LONG)
    path = tmp_path / "long.xlsx"
    j.to_excel(path)
    _rewrite(path, lambda wb: wb["_continued"].delete_rows(3))  # part 3 of 4
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    assert str(err.value) == (
        f"{path}, sheet '_continued': frame 'stages', row 'aware', column 'description': parts [2, 4] "
        "of a long text are listed, but it needs every part from 2 to the last; text would be lost"
    )


def test_workbook_without_xlsx_suffix_reads(tmp_path):
    path = tmp_path / "map"
    _journey().to_excel(path)
    assert cjm.read_excel(path).equals(_journey())


# -- rows typed by hand ---------------------------------------------------------------
def test_rows_and_columns_typed_by_hand_still_load(tmp_path):
    path = tmp_path / "map.xlsx"
    _journey().to_excel(path)

    def type_by_hand(wb):
        ws = wb["stages"]
        ws.cell(1, ws.max_column + 1, "kpi")
        ws.append(["consider", "Consideration", 2024, 1, 42])
        name = next(row for row in wb["journey"].iter_rows(min_row=2) if row[0].value == "name")
        name[1].value = 2024  # a name typed as a number means its text

    _rewrite(path, type_by_hand)
    back = cjm.read_excel(path)
    assert back.meta["name"] == "2024"
    assert back.stages["id"].tolist() == ["aware", "consider"]
    assert back.stages["description"].tolist() == [pd.NA, "2024"]
    assert back.stages["kpi"].tolist() == [pd.NA, "42"]
    assert str(back.stages["kpi"].dtype) == "string"


def test_text_saved_again_by_libreoffice_reads_back(tmp_path):
    soffice = _soffice()
    j = cjm.Journey("LO", scenario="_x0041_ typed, x005F_ and bell\x07")
    j.add_stage(FORMULAS[0], description="  spaced  ")
    j.to_excel(tmp_path / "in.xlsx")
    _convert(soffice, tmp_path / "in.xlsx", "xlsx", tmp_path / "out")
    back = cjm.read_excel(tmp_path / "out" / "in.xlsx")  # shared strings, as Excel writes them
    assert back.scenario == j.scenario
    assert back.stages["name"].tolist() == [FORMULAS[0]]
    assert back.stages["description"].tolist() == ["  spaced  "]


# -- failed writes ---------------------------------------------------------------------
@pytest.mark.parametrize("where", ["save", "third sheet"])
def test_failed_write_keeps_old_file_and_prints_nothing(where, tmp_path, monkeypatch, capfd):
    path = tmp_path / "map.xlsx"
    _journey().to_excel(path)
    before = path.read_bytes()
    temp_files = list(openpyxl_writer.ALL_TEMP_FILES)
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    if where == "save":
        from openpyxl.writer.excel import ExcelWriter

        def fail(self):
            raise OSError("disk error")

        monkeypatch.setattr(ExcelWriter, "save", fail)  # what the writer runs (see io/excel_zip.py)
    else:
        from openpyxl.writer.excel import ExcelWriter

        real = ExcelWriter.write_worksheet
        calls = []

        def fail_third(self, ws):
            calls.append(ws.title)
            if len(calls) == 3:
                raise OSError("disk error")
            return real(self, ws)

        monkeypatch.setattr(ExcelWriter, "write_worksheet", fail_third)
    other = _journey()
    other.add_stage("Decision")
    with pytest.raises(OSError) as err:
        other.to_excel(path)
    assert str(err.value) == f"cannot write '{path}': disk error"
    del other
    gc.collect()
    monkeypatch.undo()
    assert unraisable == []
    assert "Exception ignored" not in capfd.readouterr().err
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    assert temp_files == openpyxl_writer.ALL_TEMP_FILES
    assert all(os.path.exists(f) for f in temp_files)


# -- spreadsheet safety, checked with LibreOffice ---------------------------------------------
def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-calc")
    return soffice


def _convert(soffice: str, source: Path, to: str, outdir: Path) -> None:
    profile = outdir.parent / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


# all sheets (last token -1), UTF-8 (76), cell values rather than formulas
_ALL_SHEETS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _sheets_as_csv(soffice: str, path: Path, outdir: Path) -> dict[str, list[list[str]]]:
    _convert(soffice, path, _ALL_SHEETS_CSV, outdir)
    return {
        f.stem.removeprefix(path.stem + "-"): list(csv.reader(f.open(encoding="utf-8", newline="")))
        for f in outdir.glob("*.csv")
    }


def test_libreoffice_shows_formula_like_text_as_text(tmp_path):
    soffice = _soffice()
    # The check itself: a real formula converts to its value, so a formula would be caught.
    control = openpyxl.Workbook()
    control.active["A1"] = "=1+1"
    control.save(tmp_path / "control.xlsx")
    assert _sheets_as_csv(soffice, tmp_path / "control.xlsx", tmp_path / "control") == {"Sheet": [["2"]]}

    path = tmp_path / "f.xlsx"
    _formula_journey().to_excel(path)
    sheets = _sheets_as_csv(soffice, path, tmp_path / "out")
    assert [r[1] for r in sheets["stages"][1:]] == FORMULAS  # name
    assert [r[2] for r in sheets["stages"][1:]] == FORMULAS  # description
    assert sheets["stages"][0][-1] == FORMULAS[0]  # the extra column's name
    assert [r[-1] for r in sheets["stages"][1:]] == FORMULAS
    assert ["stages", FORMULAS[0], "string"] in sheets["_columns"]
    assert sheets["journey"][3:5] == [["name", FORMULAS[0]], ["scenario", FORMULAS[1]]]


def _long_text_workbook(path):
    j = _journey()
    j.description = "d" * 70_000  # three cells: one in the journey sheet, two parts continued
    j.to_excel(path)
    return j


def test_deleted_continued_sheet_is_an_error_not_cut_text(tmp_path):
    path = tmp_path / "map.xlsx"
    _long_text_workbook(path)
    wb = openpyxl.load_workbook(path)
    del wb["_continued"]
    wb.save(path)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    assert str(err.value) == (
        f"{path}, sheet '_continued': the workbook has no '_continued' sheet, but 2 parts of long texts "
        "continue there ('_continued_parts' in the 'journey' sheet); was the hidden sheet deleted? "
        "Text would be cut"
    )


def test_deleted_continued_row_is_an_error(tmp_path):
    path = tmp_path / "map.xlsx"
    _long_text_workbook(path)
    wb = openpyxl.load_workbook(path)
    wb["_continued"].delete_rows(3)  # the last part: the rest would still join up
    wb.save(path)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_excel(path)
    assert str(err.value) == (
        f"{path}, sheet '_continued': holds 1 of the 2 parts of long texts that the 'journey' sheet "
        "counts ('_continued_parts'); text would be lost"
    )


def test_long_text_count_is_not_meta_data(tmp_path):
    path = tmp_path / "map.xlsx"
    j = _long_text_workbook(path)
    back = cjm.read_excel(path)
    assert back.equals(j)
    assert "_continued_parts" not in back.meta
