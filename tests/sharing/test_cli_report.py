"""``cjm report`` on bad input: one line on stderr, the right exit code, nothing half-written.

Every case runs ``main([...])`` in-process (fast: the inputs are checked before
a kernel starts); two cases also run the installed ``cjm`` script for the real
exit code. The failing-cell case runs a small custom template in a kernel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cjm_jupyter as cjm
from cjm_jupyter.cli import EXIT_FAILED, EXIT_USAGE, main

CJM = Path(sys.executable).with_name("cjm")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and stderr of ``cjm ARGV``; stderr must be exactly one line."""
    code = main(list(argv))
    err = capsys.readouterr().err
    assert err.endswith("\n") and err.count("\n") == 1, err
    return code, err.rstrip("\n")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def log(folder: Path) -> Path:
    j = cjm.templates.load("colleen")
    path = folder / "log.parquet"
    cjm.analytics.make_events(j, customers=50, seed=1).to_parquet(path)
    return path


def entries(path: Path) -> set[str]:
    return {p.name for p in path.iterdir()}


# ---- usage errors: exit 2 ----------------------------------------------------------


def test_unknown_template(capsys, folder):
    code, err = run(capsys, "report", "colleen", "-o", "r.html", "--template", "fancy")
    assert (code, err) == (
        EXIT_USAGE,
        "cjm report: error: unknown report template 'fancy': use one of journey or an .ipynb file",
    )
    assert entries(folder) == set()


def test_output_must_be_html(capsys, folder):
    code, err = run(capsys, "report", "colleen", "-o", "r.pdf")
    assert (code, err) == (
        EXIT_USAGE,
        "cjm report: error: the output 'r.pdf' must end in .html (see 'cjm report --help')",
    )


def test_missing_output_option(capsys, folder):
    code, err = run(capsys, "report", "colleen")
    assert (code, err) == (
        EXIT_USAGE,
        "cjm report: error: the following arguments are required: -o/--output (see 'cjm report --help')",
    )


def test_no_command(capsys):
    code, err = run(capsys)
    assert (code, err) == (
        EXIT_USAGE,
        "cjm: error: the following arguments are required: COMMAND (see 'cjm --help')",
    )


def test_help_documents_rules_and_exit_codes(capsys):
    assert main(["report", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    for text in (
        "an existing *.json file read_json",
        "otherwise a template name one of: three_stage, four_stage, five_stage, colleen",
        "--events LOG",
        "--segment COL",
        "--pdf",
        "--template NAME",
        "Exit status: 0 done; 1 the run failed",
        "2 usage error",
    ):
        assert text in out, text


# ---- bad input: exit 1 ------------------------------------------------------------


def test_missing_journey_file(capsys, folder):
    code, err = run(capsys, "report", "map.json", "-o", "r.html")
    assert (code, err) == (EXIT_FAILED, "cjm report: error: cannot read 'map.json': the file does not exist")


def test_journey_neither_file_nor_template(capsys, folder):
    code, err = run(capsys, "report", "colen", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: cannot read 'colen': the file does not exist and is not a template "
        "(three_stage, four_stage, five_stage, colleen, colleen_future, empathy, day_in_the_life)",
    )


def test_journey_not_json(capsys, folder):
    (folder / "map.json").write_text('{"name":', encoding="utf-8")
    code, err = run(capsys, "report", "map.json", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: map.json: is not valid JSON: Expecting value at line 1, column 9",
    )


def test_invalid_journey_names_file_and_cell(capsys, folder):
    doc = json.loads(cjm.templates.load("colleen").to_json())
    column = next(c for c in doc["frames"]["touchpoints"]["columns"] if c["name"] == "stage_id")
    column["values"][0] = "nowhere"
    (folder / "map.json").write_text(json.dumps(doc), encoding="utf-8")
    code, err = run(capsys, "report", "map.json", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: map.json: frame 'touchpoints', row 'old-vacuum-cleaner-breaks', "
        "column 'stage_id', value 'nowhere': unknown stage id (no such row in 'stages')",
    )


def test_journey_of_unknown_kind(capsys, folder):
    (folder / "map.txt").write_text("hello", encoding="utf-8")
    code, err = run(capsys, "report", "map.txt", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: map.txt: is not a journey file: use a .json or .xlsx file, "
        "or a CSV folder written by Journey.to_csv",
    )


def test_missing_log(capsys, folder):
    code, err = run(capsys, "report", "colleen", "--events", "log.parquet", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: cannot read 'log.parquet': the file does not exist",
    )


def test_unreadable_log(capsys, folder):
    (folder / "log.parquet").write_bytes(b"not parquet at all")
    code, err = run(capsys, "report", "colleen", "--events", "log.parquet", "-o", "r.html")
    assert code == EXIT_FAILED
    assert err.startswith("cjm report: error: log.parquet: cannot be read as Parquet (event log): ")


def test_log_is_a_folder(capsys, folder):
    (folder / "logs").mkdir()
    code, err = run(capsys, "report", "colleen", "--events", "logs", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: logs: is a folder, not an event log (name its files, e.g. 'folder/*.parquet')",
    )


def test_log_without_the_named_column(capsys, log):
    code, err = run(capsys, "report", "colleen", "--events", str(log), "--customer", "who", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        f"cjm report: error: {log}: the event log has no customer column 'who' (its columns: "
        "'customer_id', 'timestamp', 'event', 'channel'); name it with --customer (cjm report) "
        "or customer= (report)",
    )


def test_surveys_csv_without_score(capsys, folder, log):
    (folder / "s.csv").write_text("touchpoint_id,rating\ncheckout,4\n", encoding="utf-8")
    code, err = run(capsys, "report", "colleen", "--events", str(log), "--surveys", "s.csv", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: s.csv: the survey table has no score column 'score' (its columns: "
        "'touchpoint_id', 'rating'); name it with --score (cjm report) or score= (report)",
    )


def test_mapping_to_unknown_touchpoint_names_the_file(capsys, folder, log):
    (folder / "map.json").write_text('{"view": "nowhere"}', encoding="utf-8")
    code, err = run(capsys, "report", "colleen", "--events", str(log), "--mapping", "map.json", "-o", "a.htm")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: map.json: frame 'mapping', column 'touchpoint_id', value 'nowhere': "
        "no touchpoint with this id in the journey",
    )


def test_mapping_not_an_object(capsys, folder, log):
    (folder / "map.json").write_text('["view"]', encoding="utf-8")
    code, err = run(capsys, "report", "colleen", "--events", str(log), "--mapping", "map.json", "-o", "a.htm")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: map.json: must hold one JSON object of event name -> touchpoint id, "
        'e.g. {"view_product": "product-page"}',
    )


# ---- unwritable output: exit 1, nothing created ------------------------------------------


def test_output_folder_missing(capsys, folder):
    code, err = run(capsys, "report", "colleen", "-o", "out/r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: cannot write 'out/r.html': the folder 'out' does not exist",
    )
    assert entries(folder) == set()


def test_output_is_a_folder(capsys, folder):
    (folder / "r.html").mkdir()
    code, err = run(capsys, "report", "colleen", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: cannot write 'r.html': it is a folder, not a file",
    )


def test_notebook_beside_is_a_folder(capsys, folder):
    (folder / "r.ipynb").mkdir()
    code, err = run(capsys, "report", "colleen", "-o", "r.html")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: cannot write 'r.ipynb': it is a folder, not a file",
    )
    assert entries(folder) == {"r.ipynb"}


def test_output_folder_read_only(capsys, tmp_path):
    if os.geteuid() == 0:
        # root writes into a chmod-ed folder anyway; /sys refuses new files even to root
        target = Path("/sys/cjm-report.html")
        if os.access("/sys", os.W_OK) and not _refuses_files(Path("/sys")):
            pytest.skip("no read-only folder available to root here")
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "cjm-report.html"
    code, err = run(capsys, "report", "colleen", "-o", str(target))
    assert (code, err) == (EXIT_FAILED, f"cjm report: error: cannot write '{target}': Permission denied")
    assert not target.exists()


def _refuses_files(folder: Path) -> bool:
    try:
        (folder / "cjm-probe").touch()
    except OSError:
        return True
    (folder / "cjm-probe").unlink()
    return False


def test_pdf_without_chromium_says_what_to_install(capsys, folder, monkeypatch):
    monkeypatch.setenv("CJM_CHROMIUM", str(folder / "no-chromium"))
    code, err = run(capsys, "report", "colleen", "-o", "r.html", "--pdf")
    assert (code, err) == (
        EXIT_FAILED,
        'cjm report: error: --pdf needs Chromium, which was not found: install it with "apt-get install '
        'chromium" (Debian/Ubuntu), or set CJM_CHROMIUM to a Chromium or Chrome binary',
    )
    assert entries(folder) == set()


# ---- existing outputs stay intact ---------------------------------------------------------


def test_existing_outputs_intact_after_bad_input(capsys, folder):
    (folder / "r.html").write_text("old page", encoding="utf-8")
    (folder / "r.ipynb").write_text("old notebook", encoding="utf-8")
    code, _ = run(capsys, "report", "missing.json", "-o", "r.html")
    assert code == EXIT_FAILED
    assert (folder / "r.html").read_text(encoding="utf-8") == "old page"
    assert (folder / "r.ipynb").read_text(encoding="utf-8") == "old notebook"
    assert entries(folder) == {"r.html", "r.ipynb"}


@pytest.mark.kernel
def test_failing_cell_names_its_section_and_keeps_old_files(capsys, folder):
    """A cell that raises during execution: exit 1, section + exception named, old files kept."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    params = new_code_cell('journey = "colleen"')
    params.metadata["tags"] = ["parameters"]
    nb = new_notebook(
        cells=[
            params,
            new_markdown_cell("## Loading"),
            new_code_cell("from cjm_jupyter import templates\nj = templates.load(journey)"),
            new_markdown_cell("## Broken section"),
            new_code_cell("raise ValueError('the cell broke\\non two lines')"),
        ]
    )
    nbformat.write(nb, folder / "mine.ipynb")
    (folder / "r.html").write_text("old page", encoding="utf-8")
    (folder / "r.ipynb").write_text("old notebook", encoding="utf-8")
    code, err = run(capsys, "report", "colleen", "-o", "r.html", "--template", "mine.ipynb", "--quiet")
    assert (code, err) == (
        EXIT_FAILED,
        "cjm report: error: section 'Broken section' (cell 5) failed: "
        "ValueError: the cell broke on two lines",
    )
    assert (folder / "r.html").read_text(encoding="utf-8") == "old page"
    assert (folder / "r.ipynb").read_text(encoding="utf-8") == "old notebook"
    assert entries(folder) == {"r.html", "r.ipynb", "mine.ipynb"}


# ---- the installed script --------------------------------------------------------------


@pytest.mark.skipif(not CJM.exists(), reason="the cjm script is not installed (pip install -e .)")
@pytest.mark.parametrize(
    ("argv", "code", "line"),
    [
        (
            ["report", "missing.json", "-o", "r.html"],
            1,
            "cjm report: error: cannot read 'missing.json': the file does not exist",
        ),
        (
            ["report", "colleen", "-o", "r.html", "--template", "x"],
            2,
            "cjm report: error: unknown report template 'x': use one of journey or an .ipynb file",
        ),
    ],
)
def test_installed_script_exit_code(tmp_path, argv, code, line):
    done = subprocess.run([str(CJM), *argv], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr, done.stdout) == (code, line + "\n", "")
    assert list(tmp_path.iterdir()) == []
