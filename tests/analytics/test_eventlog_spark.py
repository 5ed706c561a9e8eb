"""analytics.EventLog on Spark (local mode): DuckDB's frames, its views gone at close, clear errors."""

from __future__ import annotations

import shutil
import warnings

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

import pandas as pd

from cjm_jupyter import analytics as an
from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError

from ..support.spark import PANDAS3

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


@pytest.fixture(scope="module")
def journey():
    return templates.load("colleen")


@pytest.fixture(scope="module")
def events(journey):
    log = an.make_events(journey, customers=120, segments=["mobile", "desktop"], values=True, seed=4)
    # Spark reads naive pandas times in the session zone; UTC instants compare with DuckDB exactly
    return log.assign(timestamp=log["timestamp"].dt.tz_localize("UTC"))


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


def _views(spark) -> list[str]:
    return sorted(t.name for t in spark.catalog.listTables() if t.name.startswith("__cjm_"))


@pytest.mark.slow
def test_a_spark_log_gives_duckdbs_frames_and_drops_its_views(spark, journey, events):
    before = _views(spark)
    sdf = spark.createDataFrame(events)
    made = []
    with an.EventLog(sdf, journey, segment_col="segment", value_col="value") as log:
        real = log.source.materialize
        log.source.materialize = lambda name, sql: (made.append(name.rsplit("_", 1)[-1]), real(name, sql))[1]
        got = {seg: _quiet(an.analyze, log, segment_col=seg, mode="sequential") for seg in (None, "segment")}
        revenue = _quiet(an.revenue, log, segment_col="segment")
        assert made.count("seq") == 2 and made.count("cust") == 2  # once per split, whatever the metrics
    assert _views(spark) == before
    for seg, frames in got.items():
        want = _quiet(an.analyze, events, journey, segment_col=seg, mode="sequential")
        for key in want:
            pd.testing.assert_frame_equal(frames[key], want[key], check_dtype=False)
    want = _quiet(an.revenue, events, journey, value_col="value", segment_col="segment")
    pd.testing.assert_frame_equal(revenue, want)


def test_a_closed_spark_log_raises(spark, journey, events):
    log = an.EventLog(spark.createDataFrame(events), journey)
    log.close()
    log.close()
    with pytest.raises(ValidationError, match=r"^this EventLog is closed \(its tables were dropped\)"):
        an.funnel(log)


def test_measure_with_segments_on_spark_equals_duckdb(spark, events):
    surveys = an.make_surveys(events, templates.load("colleen"), seed=2).drop(columns="segment")
    a, b = templates.load("colleen"), templates.load("colleen")
    kw = {"segment_col": "segment", "respondent_col": "customer_id", "period": "P1"}
    want = _quiet(an.measure, events, a, surveys, **kw)
    got = _quiet(an.measure, spark.createDataFrame(events), b, surveys, **kw)
    for key in want:
        pd.testing.assert_frame_equal(got[key], want[key], check_dtype=False)
    matched = [r["satisfaction"].attrs["matched_respondents"] for r in (got, want)]
    assert matched[0] == matched[1] > 0


def test_sessionize_on_a_spark_log(spark, events):
    want = an.sessionize(events, gap="1h")
    with an.EventLog(spark.createDataFrame(events)) as log:
        got = an.sessionize(log, gap="1h").toPandas()
    got["timestamp"] = got["timestamp"].dt.tz_localize("UTC")  # the session zone is UTC (spark fixture)
    keys = ["customer_id", "timestamp", "event"]
    assert list(got.columns) == [*keys, "session"]
    merged = got.merge(want[[*keys, "session"]], on=keys, suffixes=("", "_duck"))
    assert len(merged) == len(events) and (merged["session"] == merged["session_duck"]).all()
