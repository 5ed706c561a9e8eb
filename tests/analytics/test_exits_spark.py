"""exits, the deprecated bounces and funnel_flow on Apache Spark (local mode) equal DuckDB's, by hand too."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from cjm_jupyter import analytics as an

from ..support import spark as spark_tests
from ..support.analytics_exits import FIRST_REACH, GOAL_T2, MAPPING, SEQUENTIAL, counts, exit_log
from ..support.spark import PANDAS3, assert_same

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


# moves in funnel_flow: one per customer and step reached (see tests/test_plots_flow_funnel.py):
# first reach a 3, b 1, c 3, d 1, e 2, f 2 = 12; sequential f 1 (Buy came before Aware) = 11;
# goal t2 (steps Aware, then the touchpoint t2): a, c, e 2 each, b, d, f 1 each = 9
@pytest.mark.parametrize(
    ("kw", "want", "moves"),
    [({}, FIRST_REACH, 12), ({"mode": "sequential"}, SEQUENTIAL, 11), ({"goal": "t2"}, GOAL_T2, 9)],
)
def test_exits_by_hand_same_as_duckdb(spark, kw, want, moves):
    log = exit_log()
    # exits, funnel_flow and the deprecated bounces in one Spark run per funnel
    # (assert_same records the warnings itself: the FutureWarning is checked in test_analytics_exits)
    got = assert_same(
        spark.createDataFrame(log), log, mapping=MAPPING, metrics=["exits", "funnel_flow", "bounces"], **kw
    )
    assert counts(got["exits"]) == want  # the hand-computed numbers (test_analytics_exits)
    assert got["funnel_flow"]["count"].sum() == moves
    assert (got["bounces"]["bounces"] == got["exits"]["exits"] + got["exits"]["completed"]).all()


def test_exits_per_segment_same_as_duckdb(spark):
    log = exit_log()
    got = assert_same(
        spark.createDataFrame(log), log, mapping=MAPPING, metrics=["exits", "funnel_flow"], segment="channel"
    )
    assert got["exits"].groupby("segment")["exits"].sum().to_dict() == {"app": 2, "web": 1}
    assert got["funnel_flow"].groupby("segment")["count"].sum().to_dict() == {"app": 5, "web": 7}


def test_exits_on_random_logs_same_as_duckdb(spark):
    # ties, duplicates, nulls, unmapped events and tz-aware times (spark_tests.messy_log)
    log = spark_tests.messy_log(5)
    got = assert_same(
        spark.createDataFrame(log), log, mapping=spark_tests.MAPPING, metrics=["exits", "funnel_flow"],
        segment="channel", mode="sequential",
    )  # fmt: skip
    assert len(got["exits"]) and len(got["funnel_flow"])
    assert an.analysis.DEFAULT_METRICS.index("exits") > an.analysis.DEFAULT_METRICS.index("funnel")
