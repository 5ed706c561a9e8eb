"""Files fit git: an unchanged journey saves to the same bytes, and an edit changes few lines."""

from __future__ import annotations

import difflib
import json
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import cjm_jupyter as cjm
from cjm_jupyter import Journey
from cjm_jupyter.io.excel_zip import EARLIEST, stamp_of
from cjm_jupyter.model.specs import FRAMES

from ..support.strategies import journeys


def _save_all(j: Journey, folder: Path) -> dict[str, bytes]:
    """Every file each format writes, by a name relative to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    j.to_json(folder / "map.json")
    j.to_excel(folder / "map.xlsx")
    j.to_csv(folder / "csv")
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _later_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the clock a day and a second later: anything that reads it would change the file."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_401)


@pytest.mark.parametrize("template", cjm.templates.names())
def test_two_saves_and_a_save_after_loading_are_byte_identical(template, tmp_path, monkeypatch):
    j = cjm.templates.load(template)
    first = _save_all(j, tmp_path / "1")
    _later_clock(monkeypatch)
    assert _save_all(j, tmp_path / "2") == first
    for reader, name in ((cjm.read_json, "map.json"), (cjm.read_excel, "map.xlsx"), (cjm.read_csv, "csv")):
        again = _save_all(reader(tmp_path / "1" / name), tmp_path / f"from-{name}")
        assert again == first, name


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_any_journey_saves_twice_to_the_same_bytes(tmp_path_factory, j):
    tmp = tmp_path_factory.mktemp("det")
    first = _save_all(j, tmp / "1")
    assert _save_all(j, tmp / "2") == first
    assert _save_all(cjm.read_json(tmp / "1" / "map.json"), tmp / "3") == first


def test_workbook_is_dated_by_the_content_not_the_clock(tmp_path):
    j = cjm.templates.load("colleen")
    j.update_stage(j.stages["id"].iloc[0], name="Discovery")  # content changed: updated_at (schema 2) is set
    j.to_excel(tmp_path / "m.xlsx")
    stamp = stamp_of(j.meta.get("updated_at"))
    with zipfile.ZipFile(tmp_path / "m.xlsx") as z:
        dos = stamp.replace(second=stamp.second // 2 * 2)  # a zip entry's time counts seconds in twos
        assert {i.date_time for i in z.infolist()} == {dos.timetuple()[:6]}
        assert {(i.create_system, i.external_attr) for i in z.infolist()} == {(3, 0o100644 << 16)}
        core = z.read("docProps/core.xml").decode()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{iso}</dcterms:created>' in core
    assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{iso}</dcterms:modified>' in core
    assert cjm.read_excel(tmp_path / "m.xlsx").equals(j)


def test_workbook_stamp_of_updated_at():
    assert stamp_of("2026-12-03T13:05:00Z").isoformat() == "2026-12-03T13:05:00"
    assert stamp_of("2026-12-03T14:05:00.123+01:00").isoformat() == "2026-12-03T13:05:00"
    assert stamp_of("2026-12-03T13:05:00").isoformat() == "2026-12-03T13:05:00"  # naive: read as UTC
    for unusable in (None, "", "soon", "1970-01-01T00:00:00Z", 20261203):
        assert stamp_of(unusable) == EARLIEST


def test_json_keys_come_in_a_fixed_order_whatever_the_edit_order():
    a = Journey("Shop")
    a.description = "d"
    a.scenario = "s"
    b = Journey("Shop", scenario="s", description="d")

    def same_but_updated_at(text: str) -> list[str]:  # a was edited, b made so: updated_at differs
        return [line for line in text.splitlines() if '"updated_at"' not in line]

    assert same_but_updated_at(a.to_json()) == same_but_updated_at(b.to_json())
    doc = json.loads(a.to_json())
    assert list(doc) == ["format", "schema_version", "meta", "frames"]
    assert list(doc["frames"]) == list(FRAMES)
    assert [c["name"] for c in doc["frames"]["stages"]["columns"]] == list(FRAMES["stages"].column_names)


def _changed_lines(old: str, new: str) -> list[str]:
    """Lines removed or added from ``old`` to ``new``, the meta ``updated_at`` line left out."""
    return [
        line
        for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
        if line and line[0] in "+-" and line[:3] not in ("+++", "---") and '"updated_at"' not in line
    ]


def test_an_edited_cell_changes_one_line_of_json_and_of_csv(tmp_path):
    j = cjm.templates.load("colleen")
    j.to_json(tmp_path / "a.json")
    j.to_csv(tmp_path / "a")
    stage = j.stages["id"].iloc[1]
    old_name = j.stages["name"].iloc[1]
    j.update_stage(stage, name="Discovery")
    j.to_json(tmp_path / "b.json")
    j.to_csv(tmp_path / "b")
    # JSON is column-oriented (schema 2): one value per line, so a cell is a line
    assert _changed_lines((tmp_path / "a.json").read_text(), (tmp_path / "b.json").read_text()) == [
        f'-            "{old_name}",',
        '+            "Discovery",',
    ]
    # the CSV folder holds a row per line
    old_csv = (tmp_path / "a" / "stages.csv").read_text(encoding="utf-8-sig")
    new_csv = (tmp_path / "b" / "stages.csv").read_text(encoding="utf-8-sig")
    assert [line[0] for line in _changed_lines(old_csv, new_csv)] == ["-", "+"]
    for name in sorted(p.name for p in (tmp_path / "a").iterdir()):
        if name not in ("stages.csv", "journey.json"):
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    manifest = [(tmp_path / d / "journey.json").read_text() for d in ("a", "b")]
    assert _changed_lines(*manifest) == []  # at most updated_at


def test_an_added_row_adds_a_line_to_each_column_of_json():
    j = cjm.templates.load("colleen")
    before = j.to_json()
    j.add_stage("Repair", id="repair")
    lines = _changed_lines(before, j.to_json())
    # JSON has no trailing comma: the column's last value gains one, then the new value follows
    removed = [line[1:] for line in lines if line.startswith("-")]
    added = [line[1:] for line in lines if line.startswith("+")]
    assert len(removed) == len(j.stages.columns)
    assert added == [line for old in removed for line in (old + ",", added[added.index(old + ",") + 1])]
