"""The xdist plan of tests/support/parallel.py: how many workers, which files share one, what starts first."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.parallel import SLOW_FIRST, SPARK_UNIT, rank, unit_of, uses_shared_spark, workers_for

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["tests"], 2),  # the whole suite (testpaths)
        (["."], 2),
        (["tests/model/test_frames.py"], 0),  # one file: no worker, no start-up cost
        (["tests/model/test_frames.py::test_x", "tests/model/test_frames.py::test_y"], 0),
        (["tests/model/test_frames.py", "tests/model/test_ordering.py"], 2),
        (["tests/model/test_frames.py", "tests/model/test_ordering.py", "tests/model/test_templates.py"], 2),
        (["tests/model/test_frames.py", "tests"], 2),
        (["tests/model"], 2),  # a wing's folder,
    ],
)
def test_workers_follow_the_files_named(args: list[str], expected: int) -> None:
    assert workers_for(args, ROOT, cores=2) == expected


def test_two_files_on_one_core_machine_get_one_worker() -> None:
    assert workers_for(["tests/model/test_frames.py", "tests/model/test_ordering.py"], ROOT, cores=1) == 1


def test_paths_are_relative_to_the_invocation_folder() -> None:
    assert workers_for(["model/test_frames.py"], TESTS, cores=2) == 0
    assert workers_for(["model/test_frames.py"], ROOT, cores=2) == 2  # not a file there: spread it


def test_every_module_of_the_shared_spark_session_is_one_unit() -> None:
    spark = sorted(str(p.relative_to(TESTS)) for p in TESTS.rglob("test_*.py") if uses_shared_spark(p))
    assert "analytics/test_spark.py" in spark and "analytics/test_compare_segments_spark.py" in spark
    assert "analytics/test_value_role.py" in spark  # a module with some Spark tests among DuckDB ones
    assert all(unit_of(f"tests/{name}::test_a[1]", ROOT) == SPARK_UNIT for name in spark)
    assert unit_of("tests/model/test_frames.py::TestX::test_a", ROOT) == "tests/model/test_frames.py"
    assert not uses_shared_spark(TESTS / "test_import_light.py")  # mentions pyspark, uses no session
    assert not uses_shared_spark(TESTS / "test_parallel_plan.py")  # quotes the mark, puts it nowhere
    assert not uses_shared_spark(TESTS / "support" / "parallel.py")  # names the mark in its comments


@pytest.mark.parametrize(
    "line",
    [
        "pytestmark = pytest.mark.spark",
        "pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]",
        "@pytest.mark.spark",
        "    @pytest.mark.spark",  # a method of a test class
    ],
)
def test_each_way_of_marking_spark_tests_counts(tmp_path: Path, line: str) -> None:
    (tmp_path / "test_x.py").write_text(f'"""doc"""\n{line}\ndef test_a(spark): pass\n', encoding="utf-8")
    (tmp_path / "test_y.py").write_text(f'"""{line.strip()}"""\n# {line.strip()}\n', encoding="utf-8")
    assert uses_shared_spark(tmp_path / "test_x.py")
    assert not uses_shared_spark(tmp_path / "test_y.py")  # in a docstring or comment: no mark


def test_slow_units_rank_first_in_their_listed_order() -> None:
    assert [rank(f"tests/{name}") if name != SPARK_UNIT else rank(name) for name in SLOW_FIRST] == list(
        range(len(SLOW_FIRST))
    )
    assert rank("tests/model/test_frames.py") == len(SLOW_FIRST)
    # every listed file exists (a renamed file would silently lose its place)
    assert [n for n in SLOW_FIRST if n != SPARK_UNIT and not (TESTS / n).is_file()] == []
