"""The template data files are the source of the templates: index, schema, round trip, packaging.

Maintainers edit ``cjm_jupyter/templates/data/<name>.json`` directly (there is no
builder). These tests are what keeps the files honest: every file is listed in
``data/index.json`` and in the table of the package docstring, passes the JSON Schema
and the value checks a read runs, and saves back to exactly the same bytes, so a
file is always what :meth:`Journey.to_json` writes (stable key order, pretty-printed).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import templates
from cjm_jupyter.io import doc_check
from cjm_jupyter.io.schema import SCHEMA_VERSION, load_schema

from ..support.paths import ROOT

DATA = Path(str(templates._data()))
INDEX = json.loads((DATA / "index.json").read_text(encoding="utf-8"))["templates"]
NAMES = [entry["name"] for entry in INDEX]

#: What to run when a frame spec changed and the files must be saved again.
RESAVE = (
    '.venv/bin/python -c "import cjm_jupyter as c; d = c.templates._data(); '
    "[c.templates.load(n).to_json(str(d / f'{n}.json')) for n in c.templates.names()]\""
)


def _docstring_table() -> dict[str, tuple[str, str]]:
    """``{name: (kind, what it is)}`` from the RST table of the package docstring."""
    lines = (templates.__doc__ or "").splitlines()
    rules = [i for i, line in enumerate(lines) if line.startswith("====")]
    widths = [len(run) for run in lines[rules[0]].split()]
    rows: dict[str, tuple[str, str]] = {}
    last = ""
    for line in lines[rules[1] + 1 : rules[2]]:
        name = line[: widths[0]].strip()
        what = line[widths[0] + widths[1] + 2 :].strip()
        if name:  # a new row; a blank name column continues the row above
            last = name.strip("`")
            rows[last] = (line[widths[0] + 1 : widths[0] + widths[1] + 1].strip(), what)
        else:
            kind, before = rows[last]
            rows[last] = (kind, f"{before} {what}")
    return rows


def test_names_are_the_index_in_order() -> None:
    assert (
        templates.names()
        == NAMES
        == [
            "three_stage",
            "four_stage",
            "five_stage",
            "colleen",
            "colleen_future",
            "empathy",
            "day_in_the_life",
        ]
    )


def test_index_entries_are_a_name_and_one_line() -> None:
    for entry in INDEX:
        assert list(entry) == ["name", "description"], entry
        assert re.fullmatch(r"[a-z][a-z0-9_]*", entry["name"]), entry
        assert entry["description"].strip() == entry["description"] != "", entry
        assert "\n" not in entry["description"], entry


def test_every_data_file_is_in_the_index_and_every_name_has_a_file() -> None:
    files = sorted(p.stem for p in DATA.glob("*.json") if p.name != "index.json")
    assert files == sorted(NAMES)
    assert len(set(NAMES)) == len(NAMES)
    assert [p.name for p in DATA.iterdir() if p.suffix != ".json"] == []


def test_the_docstring_table_lists_every_template_with_its_kind_and_description() -> None:
    table = _docstring_table()
    assert list(table) == NAMES
    for entry in INDEX:
        kind, what = table[entry["name"]]
        assert what == entry["description"], entry["name"]
        assert kind == templates.load(entry["name"]).kind, entry["name"]


@pytest.mark.parametrize("name", NAMES)
def test_data_file_passes_the_schema_and_the_value_checks(name: str) -> None:
    path = DATA / f"{name}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    # The file itself, not an upgraded copy: a template is always at today's version.
    assert doc["schema_version"] == SCHEMA_VERSION
    jsonschema.validate(doc, load_schema())
    doc_check.check_document(doc, source=name)
    # A checked read (what a user's file gets) gives the journey load() gives.
    assert templates.load(name).equals(cjm.read_json(path))


@pytest.mark.parametrize("name", NAMES)
def test_data_file_saves_back_to_the_same_bytes(name: str, tmp_path: Path) -> None:
    path = DATA / f"{name}.json"
    out = tmp_path / f"{name}.json"
    templates.load(name).to_json(out)
    assert out.read_bytes() == path.read_bytes(), (
        f"{path} is not what to_json writes (a frame spec changed, or a hand edit broke the "
        f"layout): load and save it again, e.g. {RESAVE}"
    )


def test_an_edited_data_file_is_what_load_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The maintainers' loop: edit the JSON, load the template; no build step between.
    shutil.copytree(DATA, tmp_path / "data")
    doc = json.loads((tmp_path / "data" / "empathy.json").read_text(encoding="utf-8"))
    doc["meta"]["name"] = "Edited empathy map"
    (tmp_path / "data" / "empathy.json").write_text(json.dumps(doc), encoding="utf-8")
    index = {"templates": [*INDEX, {"name": "mine", "description": "a copy"}]}
    (tmp_path / "data" / "index.json").write_text(json.dumps(index), encoding="utf-8")
    shutil.copy(tmp_path / "data" / "three_stage.json", tmp_path / "data" / "mine.json")
    monkeypatch.setattr(templates, "_data", lambda: tmp_path / "data")
    templates._index.cache_clear()
    try:
        assert templates.names() == [*NAMES, "mine"]
        assert templates.load("empathy").name == "Edited empathy map"
        assert templates.load("mine").equals(cjm.read_json(DATA / "three_stage.json"))
    finally:
        templates._index.cache_clear()


def test_there_is_no_builder() -> None:
    assert importlib.util.find_spec("cjm_jupyter.templates._build") is None
    assert sorted(p.name for p in Path(templates.__file__).parent.glob("*.py")) == ["__init__.py"]


def test_the_wheel_ships_every_data_file() -> None:
    # The wheel is the package folder minus what git ignores (hatch's default): check the
    # config keeps the whole package and no data file is ignored. Building a wheel takes
    # hatchling, which is not installed here; the README gives the manual check.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    hatch = config["tool"]["hatch"]["build"]
    assert hatch["targets"]["wheel"]["packages"] == ["cjm_jupyter"]
    for section in (hatch, hatch["targets"]["wheel"]):
        assert not {"exclude", "only-include", "include"} & set(section), section
    files = [str(p.relative_to(ROOT)) for p in sorted(DATA.glob("*.json"))]
    if shutil.which("git") and (ROOT / ".git").exists():
        ignored = subprocess.run(
            ["git", "check-ignore", *files], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert ignored.stdout == "", ignored.stdout
    # And the installed package sees each of them as a resource.
    for name in ["index", *NAMES]:
        assert templates._data().joinpath(f"{name}.json").is_file(), name
