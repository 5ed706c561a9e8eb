"""CSV folders users can trust: only our files touched, crash-safe, no formula or path injection.

Also the shared atomic-write rules (links written through, missing parent
folder, errors naming the user's path) for JSON and Excel.
"""

from __future__ import annotations

import builtins
import csv
import errno
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjm_jupyter as cjm
from cjm_jupyter.io import csv_folder
from cjm_jupyter.io.csv_io import _frame_csv

FRAME_FILES = [
    "actions.csv",
    "emotions.csv",
    "empathy.csv",
    "event_map.csv",
    "goals.csv",
    "lanes.csv",
    "metrics.csv",
    "opportunities.csv",
    "pain_points.csv",
    "personas.csv",
    "stages.csv",
    "touchpoints.csv",
]
FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "'quoted",
    "\uff1d1+1",  # full-width equals sign
]


@pytest.fixture
def journey() -> cjm.Journey:
    j = cjm.Journey("Vacuum", scenario="Fix research pains")
    p = j.add_persona("Colleen")
    a = j.add_stage("Awareness")
    t = j.add_touchpoint(a, "Search", channel="search")
    j.set_emotion(p, touchpoint=t, score=-1, thought="Too many ads", source="interview", n=12)
    return j


def _newer(journey: cjm.Journey, name: str = "Decision") -> cjm.Journey:
    other = journey.copy()
    other.add_stage(name)
    return other


def _snapshot(folder: Path) -> dict[str, Any]:
    """Every entry under ``folder`` (recursively): bytes for files, the target for links."""
    out: dict[str, Any] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = ("link", os.readlink(path))
        elif path.is_file():
            out[key] = (path.read_bytes(), path.stat().st_mode & 0o777)
        else:
            out[key] = "dir"
    return out


def _user_files(folder: Path) -> None:
    (folder / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (folder / ".git" / "objects").mkdir(parents=True)
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (folder / "drafts").mkdir()
    (folder / "drafts" / "stages.csv").write_text("not the journey\n", encoding="utf-8")


def _mine(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k in FRAME_FILES or k == "journey.json"}


# -- only our files ------------------------------------------------------------------------
def test_user_files_and_git_folder_survive_to_csv(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    _user_files(folder)
    theirs = {k: v for k, v in _snapshot(folder).items() if k not in _mine(_snapshot(folder))}
    _newer(journey).to_csv(folder)
    _newer(journey, "Loyalty").to_csv(folder)
    after = _snapshot(folder)
    assert {k: v for k, v in after.items() if k not in _mine(after)} == theirs
    assert sorted(_mine(after)) == sorted([*FRAME_FILES, "journey.json"])
    assert cjm.read_csv(folder).equals(_newer(journey, "Loyalty"))


def test_save_into_existing_folder_of_other_files(journey, tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    _user_files(folder)
    before = _snapshot(folder)
    journey.to_csv(folder)
    after = _snapshot(folder)
    assert {k: after[k] for k in before} == before
    assert sorted(set(after) - set(before)) == sorted([*FRAME_FILES, "journey.json"])


def test_only_files_the_old_manifest_listed_are_removed(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    (folder / "notes.md").write_text("keep\n", encoding="utf-8")
    manifest = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    manifest["frames"]["empathy"]["file"] = "notes.md"  # a hand edit pointing at the user's file
    (folder / "journey.json").write_text(json.dumps(manifest), encoding="utf-8")
    # a later release that writes fewer frames: stages.csv stays, the other frame files go
    kept = {"stages.csv": _frame_csv([{"name": "id", "dtype": "string", "values": []}])}
    csv_folder.commit(folder, kept, {"format": "cjm_jupyter.journey", "frames": {}})
    left = sorted(p.name for p in folder.iterdir())
    assert left == ["empathy.csv", "journey.json", "notes.md", "stages.csv"]
    assert (folder / "notes.md").read_text(encoding="utf-8") == "keep\n"


def test_refuses_a_journey_json_that_is_not_ours(journey, tmp_path):
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "journey.json").write_text('{"steps": []}', encoding="utf-8")
    with pytest.raises(FileExistsError) as err:
        journey.to_csv(folder)
    assert str(err.value) == (
        f"cannot write '{folder}': its journey.json was not written by cjm_jupyter; refusing to overwrite it"
    )
    assert sorted(p.name for p in folder.iterdir()) == ["journey.json"]


def test_folder_that_is_a_link_is_written_through(journey, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    journey.to_csv(link)
    assert link.is_symlink()
    assert cjm.read_csv(real).equals(journey)


def test_csv_file_permissions_are_kept(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    os.chmod(folder / "stages.csv", 0o600)
    _newer(journey).to_csv(folder)
    assert (folder / "stages.csv").stat().st_mode & 0o777 == 0o600


def test_hand_edits_keep_working(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    stages = folder / "stages.csv"
    text = stages.read_text(encoding="utf-8-sig").replace("Awareness", "Discovery")
    lines = text.splitlines()
    lines = [lines[0] + ",owner,'=note", lines[1] + ",Ann,'ok", ""]  # two columns added by hand
    stages.write_text("\n".join(lines), encoding="utf-8-sig")  # LF endings, trailing blank line
    back = cjm.read_csv(folder)
    assert back.stages["name"].tolist() == ["Discovery"]
    assert back.stages["owner"].tolist() == ["Ann"]
    assert back.stages["=note"].tolist() == ["ok"]  # hand-added text columns follow the escape rule


# -- crashes between file writes -------------------------------------------------------------
class Crash(OSError):
    pass


def _count_and_fail(monkeypatch, fail_at: int | None, hard: bool) -> dict[str, int]:
    """Make the ``fail_at``-th file system change raise; ``hard`` = every later one too (a dead process)."""
    state = {"n": 0}
    real = {"open": builtins.open, **{f: getattr(os, f) for f in ("replace", "rename", "unlink", "chmod")}}

    def step() -> None:
        state["n"] += 1
        if fail_at is not None and (state["n"] == fail_at or (hard and state["n"] > fail_at)):
            raise Crash(f"crash at step {state['n']}")

    def fake_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+"):
            step()
        return real["open"](file, mode, *args, **kwargs)

    def wrap(name: str) -> Callable[..., Any]:
        def fake(*args, **kwargs):
            step()
            return real[name](*args, **kwargs)

        return fake

    monkeypatch.setattr(builtins, "open", fake_open)
    for name in ("replace", "rename", "unlink", "chmod"):
        monkeypatch.setattr(os, name, wrap(name))
    return state


def _steps(journey: cjm.Journey, tmp_path: Path) -> int:
    folder = tmp_path / "count"
    journey.to_csv(folder)
    with pytest.MonkeyPatch.context() as mp:
        state = _count_and_fail(mp, None, False)
        _newer(journey).to_csv(folder)
    return state["n"]


@pytest.mark.slow
@pytest.mark.parametrize("hard", [False, True], ids=["error", "dead-process"])
def test_crash_at_every_step_reads_old_or_new(journey, tmp_path, hard):
    old, new, later = journey, _newer(journey), _newer(journey, "Loyalty")
    steps = _steps(journey, tmp_path)
    assert steps >= 3 * len(FRAME_FILES)  # write + flush + rename per file, at least
    old.to_csv(tmp_path / "old")
    (tmp_path / "old" / "notes.md").write_text("mine\n", encoding="utf-8")
    later.to_csv(tmp_path / "later")
    expected_later = _snapshot(tmp_path / "later")
    outcomes = []
    for k in range(1, steps + 1):
        folder = tmp_path / f"k{k}"
        shutil.copytree(tmp_path / "old", folder)
        with pytest.MonkeyPatch.context() as mp:
            _count_and_fail(mp, k, hard)
            with pytest.raises(Crash):
                new.to_csv(folder)
        before_read = _snapshot(folder)
        back = cjm.read_csv(folder)
        assert _snapshot(folder) == before_read  # reading never writes
        assert back.equals(old) or back.equals(new), f"step {k}: a mix of old and new"
        outcomes.append("old" if back.equals(old) else "new")
        later.to_csv(folder)  # the next save finishes the interrupted one and drops leftovers
        assert _snapshot(folder) == {**expected_later, "notes.md": (b"mine\n", 0o644)}
    # old until the journal is in place, new from then on; both happen
    flip = outcomes.index("new")
    assert outcomes == ["old"] * flip + ["new"] * (steps - flip)
    assert 0 < flip < steps


def test_crash_after_journal_is_readable_before_the_next_save(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    real_replace = os.replace
    done = []

    def replace(src, dst):
        if str(dst).endswith("stages.csv"):
            raise Crash("power cut")
        done.append(Path(dst).name)
        return real_replace(src, dst)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "replace", replace)
        with pytest.raises(Crash, match="power cut"):
            _newer(journey).to_csv(folder)
    assert ".journey.json.pending" in done and "personas.csv" in done  # some frames new, some old
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    assert ".journey.json.pending" in hidden
    assert cjm.read_csv(folder).equals(_newer(journey))


def test_unreadable_journal_is_a_clear_error(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    (folder / ".journey.json.pending").write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == (
        f"{folder}, sheet '.journey.json.pending': an interrupted save left a journal that is not a "
        "cjm_jupyter save journal; the folder's state is unknown"
    )


def test_journal_may_only_name_files_a_save_writes(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    (folder / "notes.md").write_text("mine\n", encoding="utf-8")
    (folder / ".notes.md.1a2b3c4d.tmp").write_text("evil\n", encoding="utf-8")
    journal = {
        "format": "cjm_jupyter-csv-journal",
        "manifest": json.loads((folder / "journey.json").read_text(encoding="utf-8")),
        "renames": [[".notes.md.1a2b3c4d.tmp", "notes.md"]],
        "remove": [],
    }
    (folder / ".journey.json.pending").write_text(json.dumps(journal), encoding="utf-8")
    message = (
        f"{folder}, sheet '.journey.json.pending': an interrupted save left a journal that names a "
        "file it may not write: ['.notes.md.1a2b3c4d.tmp', 'notes.md']; the folder's state is unknown"
    )
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == message
    with pytest.raises(cjm.FileFormatError) as err:
        journey.to_csv(folder)
    assert str(err.value) == message
    assert (folder / "notes.md").read_text(encoding="utf-8") == "mine\n"


# -- formula injection ------------------------------------------------------------------------
def _formula_journey() -> cjm.Journey:
    j = cjm.Journey("Formulas")
    p = j.add_persona("=cmd|' /C calc'!A0")
    for name in FORMULAS:
        s = j.add_stage(name, description=name)
        t = j.add_touchpoint(s, "t " + name.strip(), channel="web")
        j.set_emotion(p, touchpoint=t, score=-2, thought=name)
    return j


def test_formula_like_text_is_escaped_and_reads_back_exactly(tmp_path):
    j = _formula_journey()
    j.to_csv(tmp_path / "m")
    with open(tmp_path / "m" / "stages.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["'" + f for f in FORMULAS]
    with open(tmp_path / "m" / "emotions.csv", encoding="utf-8-sig", newline="") as fh:
        scores = [r["score"] for r in csv.DictReader(fh)]
    assert scores == ["-2.0"] * len(FORMULAS)  # numbers stay numbers
    manifest = json.loads((tmp_path / "m" / "journey.json").read_text(encoding="utf-8"))
    assert manifest["text_escape"] == "leading-apostrophe"
    back = cjm.read_csv(tmp_path / "m")
    assert back.stages["name"].tolist() == FORMULAS
    assert back.equals(j)


def test_formula_like_column_name_is_escaped(tmp_path):
    j = cjm.Journey("Header")
    j.add_stage("A")
    df = j.stages
    df["=HYPERLINK(1)"] = ["x"]
    df = df.astype({"=HYPERLINK(1)": "string"})
    j.stages = df
    j.to_csv(tmp_path / "m")
    header = (tmp_path / "m" / "stages.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith(",'=HYPERLINK(1)")
    assert cjm.read_csv(tmp_path / "m").equals(j)


def test_files_without_text_escape_are_read_as_they_are(journey, tmp_path):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    manifest = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    del manifest["text_escape"]  # as an older release wrote it
    (folder / "journey.json").write_text(json.dumps(manifest), encoding="utf-8")
    stages = folder / "stages.csv"
    text = stages.read_text(encoding="utf-8-sig").replace("Awareness", "'=1")
    stages.write_text(text, encoding="utf-8-sig")
    assert cjm.read_csv(folder).stages["name"].tolist() == ["'=1"]


def test_unknown_text_escape_is_refused(journey, tmp_path):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    manifest = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    manifest["text_escape"] = "backslash"
    (folder / "journey.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == (
        f"{folder}, sheet 'journey.json': unknown text_escape 'backslash' "
        "(this release knows 'leading-apostrophe')"
    )


def test_long_text_cell_round_trips(tmp_path):
    j = cjm.Journey("Long")
    j.add_stage("Interview", description="word " * 60_000)  # 300,000 characters, over csv's 128 KiB
    j.to_csv(tmp_path / "m")
    assert cjm.read_csv(tmp_path / "m").equals(j)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_any_text_round_trips_through_csv(tmp_path_factory, text):
    j = cjm.Journey("Any text")
    j.add_stage("=" + text, description=text)
    folder = tmp_path_factory.mktemp("m")
    j.to_csv(folder)
    back = cjm.read_csv(folder)
    assert back.stages["description"].tolist() == [text]
    assert back.equals(j)


def test_ragged_line_number_counts_lines_inside_quoted_cells(journey, tmp_path):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    (folder / "stages.csv").write_text('id,name\ns1,"two\nlines"\n\ns2\n', encoding="utf-8-sig")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == (
        f"{folder}, sheet 'stages.csv': frame 'stages': line 5 has 1 fields, the header has 2"
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_formula_like_text_literally(tmp_path):
    j = _formula_journey()
    j.to_csv(tmp_path / "m")
    src = tmp_path / "m" / "stages.csv"
    plain = tmp_path / "plain.csv"  # the same cells unescaped: proves LibreOffice does evaluate
    plain.write_text("id,name\nx,=1+1\n", encoding="utf-8")
    out = tmp_path / "out"
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"  # fresh profile: parallel runs don't clash
    for file in (src, plain):
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--convert-to",
                "csv",
                "--outdir",
                str(out),
                str(file),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    with open(out / "plain.csv", encoding="utf-8-sig", newline="") as fh:
        assert list(csv.reader(fh))[1] == ["x", "2"]
    with open(out / "stages.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    shown = [r["name"] for r in rows]
    # literal text with the escape apostrophe in front, as the user sees it in the cell;
    # LibreOffice writes a carriage return inside a cell as a line feed.
    assert shown == ["'" + f.replace("\r", "\n") for f in FORMULAS]


# -- manifest file names ------------------------------------------------------------------
@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.csv", "sub/stages.csv", "..", ".hidden.csv", ""])
def test_manifest_file_name_must_be_plain(journey, tmp_path, name):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    (tmp_path / "outside.csv").write_text("SECRET\n1\n2\n", encoding="utf-8")
    manifest = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
    manifest["frames"]["stages"]["file"] = name
    (folder / "journey.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == (
        f"{folder}, sheet 'journey.json': frame 'stages': the file name {name!r} "
        "is not a plain file name inside the folder"
    )


def test_link_leading_outside_is_refused_without_leaking(journey, tmp_path):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    secret = tmp_path / "secret.txt"
    secret.write_text("id,name\nSECRET,x\nmore\n", encoding="utf-8")
    (folder / "stages.csv").unlink()
    (folder / "stages.csv").symlink_to(secret)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == (
        f"{folder}, sheet 'stages.csv': frame 'stages': is a link that leads outside the folder; "
        "refusing to read it"
    )
    assert "SECRET" not in str(err.value) and "line" not in str(err.value)


def test_link_inside_the_folder_is_read(journey, tmp_path):
    folder = tmp_path / "m"
    journey.to_csv(folder)
    (folder / "stages.csv").rename(folder / "stages-real.csv")
    (folder / "stages.csv").symlink_to("stages-real.csv")
    assert cjm.read_csv(folder).equals(journey)
    journey.to_csv(folder)  # a save replaces the link by a file, never writes through it
    assert not (folder / "stages.csv").is_symlink()
    assert (folder / "stages-real.csv").is_file()


# -- every bad folder is one clear error ------------------------------------------------------
def _edit_manifest(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        manifest = json.loads((folder / "journey.json").read_text(encoding="utf-8"))
        change(manifest)
        (folder / "journey.json").write_text(json.dumps(manifest), encoding="utf-8")

    return edit


def _set(path: list[Any], value: Any) -> Callable[[Path], None]:
    def change(manifest: dict[str, Any]) -> None:
        node = manifest
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return _edit_manifest(change)


def _replace_file(name: str, data: bytes | None) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        (folder / name).unlink()
        if data is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(data)

    return edit


BAD_FOLDERS = {
    "stages.csv missing": (
        lambda f: (f / "stages.csv").unlink(),
        "{f}, sheet 'stages.csv': frame 'stages': is missing; journey.json lists it for this frame "
        "(restore it or remove the frame there)",
    ),
    "csv not utf-8": (
        _replace_file("stages.csv", "id,name\ns1,Świadomość\n".encode("cp1250")),
        "{f}, sheet 'stages.csv': frame 'stages': is not UTF-8 text: byte 0x8c at line 2, column 4; "
        "save it as UTF-8 (CSV UTF-8 in Excel)",
    ),
    "manifest not utf-8": (
        _replace_file("journey.json", b'{"format": "\xff"}'),
        "{f}, sheet 'journey.json': is not UTF-8 text: byte 0xff at line 1, column 13",
    ),
    "manifest not json": (
        _replace_file("journey.json", b"{not json"),
        "{f}, sheet 'journey.json': is not valid JSON: Expecting property name enclosed in double "
        "quotes at line 1, column 2",
    ),
    "manifest nested deeply": (
        _replace_file("journey.json", b"[" * 100_000 + b"]" * 100_000),
        "{f}, sheet 'journey.json': JSON nested more than 64 levels deep; a journey file nests 6",
    ),
    "manifest is a folder": (
        _replace_file("journey.json", None),
        "{f}, sheet 'journey.json': is a folder, not a file",
    ),
    "csv is a folder": (
        _replace_file("stages.csv", None),
        "{f}, sheet 'stages.csv': frame 'stages': is a folder, not a CSV file",
    ),
    "csv empty": (
        _replace_file("stages.csv", b""),
        "{f}, sheet 'stages.csv': frame 'stages': is empty; journey.json lists 4 columns for it",
    ),
    "duplicate header": (
        _replace_file("stages.csv", "\ufeffid,name,name\ns1,a,b\n".encode()),
        "{f}, sheet 'stages.csv': frame 'stages', column 'name': the header names this column twice",
    ),
    "ragged line": (
        _replace_file("stages.csv", "\ufeffid,name\ns1,a\ns2\n".encode()),
        "{f}, sheet 'stages.csv': frame 'stages': line 3 has 1 fields, the header has 2",
    ),
    "frames a list": (
        _set(["frames"], []),
        "{f}, sheet 'journey.json': 'frames' must be an object, not an array",
    ),
    "meta a string": (
        _set(["meta"], "x"),
        "{f}, sheet 'journey.json': 'meta' must be an object, not a string",
    ),
    "frame a number": (
        _set(["frames", "stages"], 3),
        "{f}, sheet 'journey.json': frame 'stages': the frame must be an object, not a number",
    ),
    "columns not a list": (
        _set(["frames", "stages", "columns"], {"id": "string"}),
        "{f}, sheet 'journey.json': frame 'stages': 'columns' must be an array, not an object",
    ),
    "column a string": (
        _set(["frames", "stages", "columns"], ["id"]),
        "{f}, sheet 'journey.json': frame 'stages': columns[0] must be an object, not a string",
    ),
    "file not a string": (
        _set(["frames", "stages", "file"], ["stages.csv"]),
        "{f}, sheet 'journey.json': frame 'stages': 'file' must be a string, not an array",
    ),
    "column name not a string": (
        _set(["frames", "stages", "columns", 0, "name"], None),
        "{f}, sheet 'journey.json': frame 'stages': columns[0].name must be a string, not null",
    ),
    "dtype not a string": (
        _set(["frames", "stages", "columns", 0, "dtype"], 5),
        "{f}, sheet 'journey.json': frame 'stages': columns[0].dtype must be a string, not a number",
    ),
    "dtype unknown": (
        _set(["frames", "stages", "columns", 0, "dtype"], "object"),
        "{f}, sheet 'journey.json': frame 'stages', column 'id': unknown dtype 'object'; "
        "use string, (U)Int8-64, Float32/64, boolean or datetime64[unit(, tz)]",
    ),
    "column listed twice": (
        _edit_manifest(lambda m: m["frames"]["stages"]["columns"].append({"name": "id", "dtype": "string"})),
        "{f}, sheet 'journey.json': frame 'stages': column 'id' is listed twice",
    ),
    "unknown frame": (
        _set(["frames", "nonsense"], {}),
        "{f}, sheet 'journey.json': frame 'nonsense': names an unknown frame",
    ),
    # found by the adversarial review of issue #10
    "frame file the manifest does not list": (
        _edit_manifest(lambda m: m["frames"].pop("actions")),
        "{f}, sheet 'actions.csv': frame 'actions': journey.json does not list this frame, so its rows "
        "would be lost; list the frame in journey.json or move the file out of the folder",
    ),
    "manifest lists no frames": (
        _set(["frames"], {}),
        "{f}, sheet 'personas.csv': frame 'personas': journey.json does not list this frame, so its rows "
        "would be lost; list the frame in journey.json or move the file out of the folder",
    ),
    "unknown meta key": (
        _set(["meta", "author"], "me"),
        "{f}, sheet 'journey.json': meta 'author' is not a journey field (meta data holds name, scenario, "
        "kind, description, version, owner, updated_at, reviewed_at); it would be lost",
    ),
    "manifest key twice": (
        _replace_file("journey.json", b'{"format": "cjm_jupyter.journey", "format": "x"}'),
        "{f}, sheet 'journey.json': key 'format' appears more than once in the top-level object; "
        "each key may appear once",
    ),
    "manifest number too long": (
        _replace_file("journey.json", b'{"schema_version": ' + b"1" * 5000 + b"}"),
        "{f}, sheet 'journey.json': is not valid JSON: a number has more than 4,300 digits",
    ),
    "manifest NaN": (
        _replace_file("journey.json", b'{"schema_version": NaN}'),
        "{f}, sheet 'journey.json': is not valid JSON: NaN is not a JSON value (a missing value is null)",
    ),
    "file name too long": (
        _set(["frames", "stages", "file"], "x" * 300 + ".csv"),
        "{f}, sheet '" + "x" * 300 + ".csv': frame 'stages': cannot be read: File name too long",
    ),
    "frame file is a link that loops": (
        lambda f: ((f / "stages.csv").unlink(), (f / "stages.csv").symlink_to(f / "stages.csv")),
        "{f}, sheet 'stages.csv': frame 'stages': cannot be read: Too many levels of symbolic links",
    ),
    "manifest is a link that loops": (
        lambda f: ((f / "journey.json").unlink(), (f / "journey.json").symlink_to(f / "journey.json")),
        "{f}, sheet 'journey.json': cannot be read: Too many levels of symbolic links",
    ),
    "manifest is a link to nothing": (
        lambda f: ((f / "journey.json").unlink(), (f / "journey.json").symlink_to(f / "gone.json")),
        "{f}, sheet 'journey.json': is a link to a file that does not exist",
    ),
    "manifest is a link leading outside": (
        lambda f: (
            (f.parent / "elsewhere.json").write_bytes((f / "journey.json").read_bytes()),
            (f / "journey.json").unlink(),
            (f / "journey.json").symlink_to(f.parent / "elsewhere.json"),
        ),
        "{f}, sheet 'journey.json': is a link that leads outside the folder; refusing to read it",
    ),
    "journal is a link": (
        lambda f: (f / ".journey.json.pending").symlink_to(f / "journey.json"),
        "{f}, sheet '.journey.json.pending': an interrupted save left a journal that is a link, not a "
        "file a save writes; the folder's state is unknown",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FOLDERS))
def test_bad_folder_is_one_clear_error(journey, tmp_path, case):
    break_it, message = BAD_FOLDERS[case]
    folder = tmp_path / "m"
    journey.to_csv(folder)
    break_it(folder)
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(folder)
    assert str(err.value) == message.format(f=folder)
    assert err.value.path == str(folder)


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        cjm.read_csv(tmp_path / "nowhere")
    assert str(err.value) == f"cannot read {str(tmp_path / 'nowhere')!r}: the folder does not exist"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(tmp_path / "file")
    assert str(err.value) == f"{tmp_path / 'file'}: is a file, not a folder written by Journey.to_csv"
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_csv(tmp_path)
    assert str(err.value) == f"{tmp_path}: has no journey.json; is it a folder written by Journey.to_csv?"


def test_folder_named_as_bytes_reads_and_writes(journey, tmp_path):
    folder = os.fsencode(tmp_path / "caf\xe9")
    journey.to_csv(folder)
    assert cjm.read_csv(folder).equals(journey)
    with pytest.raises(FileNotFoundError) as err:
        cjm.read_csv(os.fsencode(tmp_path / "nowhere"))
    assert str(err.value) == f"cannot read {str(tmp_path / 'nowhere')!r}: the folder does not exist"


# -- atomic writes for every format --------------------------------------------------------
@pytest.mark.parametrize("fmt", ["json", "excel"])
def test_file_that_is_a_link_is_written_through(journey, tmp_path, fmt):
    suffix = ".xlsx" if fmt == "excel" else ".json"
    (tmp_path / "store").mkdir()
    real = tmp_path / "store" / f"map{suffix}"
    getattr(journey, f"to_{fmt}")(real)
    os.chmod(real, 0o640)
    link = tmp_path / f"link{suffix}"
    link.symlink_to(real)
    getattr(_newer(journey), f"to_{fmt}")(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert getattr(cjm, f"read_{fmt}")(real).equals(_newer(journey))
    assert real.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == [real.name]


@pytest.mark.parametrize("fmt", ["json", "excel", "csv"])
def test_missing_parent_folder_names_the_users_path(journey, tmp_path, fmt):
    name = {"json": "map.json", "excel": "map.xlsx", "csv": "m"}[fmt]
    target = tmp_path / "no" / "such" / name
    with pytest.raises(FileNotFoundError) as err:
        getattr(journey, f"to_{fmt}")(target)
    assert str(err.value) == f"cannot write '{target}': the folder '{target.parent}' does not exist"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["json", "excel", "csv"])
def test_errors_name_the_users_path_never_the_temporary_file(journey, tmp_path, monkeypatch, fmt):
    target = tmp_path / {"json": "map.json", "excel": "map.xlsx", "csv": "m"}[fmt]
    real_replace = os.replace

    def cross_device(src, dst):
        if Path(dst).name != ".journey.json.pending":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src), str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", cross_device)
    with pytest.raises(OSError) as err:
        getattr(journey, f"to_{fmt}")(target)
    user = target / "personas.csv" if fmt == "csv" else target
    assert str(err.value) == f"cannot write '{user}': Invalid cross-device link"
    assert ".tmp" not in str(err.value)


def test_writing_a_folder_path_as_a_file_names_it(journey, tmp_path):
    (tmp_path / "map.json").mkdir()
    with pytest.raises(IsADirectoryError) as err:
        journey.to_json(tmp_path / "map.json")
    assert str(err.value) == f"cannot write '{tmp_path / 'map.json'}': it is a folder, not a file"
    (tmp_path / "m").write_text("x", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as err:
        journey.to_csv(tmp_path / "m")
    assert str(err.value) == f"cannot write '{tmp_path / 'm'}': it is a file, not a folder"


def test_folder_where_a_frame_file_should_be_is_refused(journey, tmp_path):
    folder = tmp_path / "map"
    journey.to_csv(folder)
    (folder / "stages.csv").unlink()
    (folder / "stages.csv").mkdir()
    (folder / "stages.csv" / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = _snapshot(folder)
    with pytest.raises(IsADirectoryError) as err:
        _newer(journey).to_csv(folder)
    assert str(err.value) == f"cannot write '{folder / 'stages.csv'}': it is a folder, not a file"
    assert _snapshot(folder) == before
