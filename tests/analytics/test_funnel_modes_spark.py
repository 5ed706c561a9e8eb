"""Funnel modes, start/goal and step times on Apache Spark give the same frames as on DuckDB."""

from __future__ import annotations

import itertools
import shutil

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from ..support.analytics_funnel import skip_log
from ..support.spark import PANDAS3, assert_same, messy_log

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]

FUNNEL_METRICS = ["funnel", "stage_times", "variants", "customer_profiles", "step_times"]


# Spark jobs on tiny data cost about a second each: one analyze() per case computes every
# metric that depends on the funnel, from the same materialized tables as on DuckDB.
@pytest.mark.parametrize(
    ("kw", "customers"),
    [
        ({"mode": "sequential"}, [4, 4, 2]),
        ({"mode": "sequential", "start": "Consider", "goal": "T3"}, [5, 3]),
        ({"mode": "first_reach", "start": "t0", "goal": "t1"}, [4, 0]),
    ],
)
def test_hand_log_same_as_duckdb(spark, kw, customers):
    log = skip_log()
    got = assert_same(spark.createDataFrame(log), log, metrics=FUNNEL_METRICS, **kw)
    assert got["funnel"]["customers"].tolist() == customers  # the hand-computed counts (DuckDB's too)
    assert got["funnel"].attrs["mode"] == kw["mode"]


def test_first_reach_step_times_without_the_sorted_sequence(spark):
    # funnel and step times alone: reach is one GROUP BY over the events (customer ids, not codes)
    log = skip_log()
    got = assert_same(spark.createDataFrame(log), log, metrics=["funnel", "step_times"])
    assert got["step_times"]["customer_id"].tolist()[:2] == ["c1", "c1"]


@pytest.mark.parametrize(("seed", "segment"), [(2, "channel"), (3, None)])
def test_random_logs_sequential_same_as_duckdb(spark, seed, segment):
    log = messy_log(seed)  # ties, duplicates, null ids, unmapped events; odd seeds tz-aware
    got = assert_same(
        spark.createDataFrame(log), log, metrics=FUNNEL_METRICS, mode="sequential", segment=segment
    )
    funnel = got["funnel"].assign(segment=got["funnel"].get("segment", "All"))
    counts = funnel.groupby("segment")["customers"].apply(list)
    assert all(a >= b for c in counts for a, b in itertools.pairwise(c))
