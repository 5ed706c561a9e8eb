"""compare_segments on Apache Spark gives the same frame as on DuckDB (one analyze pass on either)."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from cjm_jupyter import analytics, templates
from cjm_jupyter.analytics.compare import compare_segments

from ..support.spark import PANDAS3, assert_same

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


def test_compare_segments_same_on_spark_with_survey_segments_from_the_log(spark):
    j = templates.load("colleen")
    log = analytics.make_events(j, customers=400, segments={"mobile": 1.0, "desktop": 1.4}, seed=4)
    answers = analytics.make_surveys(log, j, seed=4, response_rate=0.3).drop(columns="segment")
    # the survey segments come from the log, read by the log's own engine (Spark or DuckDB)
    got = assert_same(spark.createDataFrame(log), log, metric=compare_segments, journey=j, mapping=None,
                      segment="segment", surveys=answers, goal="checkout")  # fmt: skip
    assert got["metric"].unique().tolist() == ["conversion", "satisfaction", "time_to_next"]
    assert got.attrs["goal"] == "checkout" and got.attrs["baseline"] == "desktop"
