"""Customer ids of every type on Apache Spark (local mode): the same frames as DuckDB's, ids in their type.

Spark has no UUID type: UUIDs there are their text, and DuckDB given the same
text agrees; given real UUIDs DuckDB agrees once its ids are written as text.
"""

from __future__ import annotations

import math
import shutil
import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402

from ..support.analytics_ids import (  # noqa: E402
    ALL_METRICS,
    ID_DTYPES,
    MAPPING,
    as_kind,
    hand_journey,
    journey,
    small_log,
)
from ..support.spark import PANDAS3  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


def recorded(fn, events, *args, **kw):
    """``fn``'s result (a frame or a dict of frames) and its UserWarnings' messages."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        out = fn(events, *args, **kw)
    return out, sorted(str(w.message) for w in caught if w.category is UserWarning)


def _close(got: object, want: object) -> bool:
    """Equal, except floats (such as revenue totals) may differ in their last bits."""
    if isinstance(got, float) and isinstance(want, float):
        return math.isclose(got, want, rel_tol=1e-12) or (math.isnan(got) and math.isnan(want))
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(_close(got[k], want[k]) for k in got)
    return got == want


def assert_same(spark, log, fn, *args, **kw):
    """Spark and DuckDB give equal frames, ``.attrs`` and warnings on ``log``; returns Spark's result."""
    got, got_warnings = recorded(fn, spark.createDataFrame(log), *args, **kw)
    want, want_warnings = recorded(fn, log, *args, **kw)
    frames = got.items() if isinstance(got, dict) else [("", got)]
    wanted = want if isinstance(want, dict) else {"": want}
    assert [k for k, _ in frames] == list(wanted)
    for name, frame in frames:
        pd.testing.assert_frame_equal(frame, wanted[name], obj=name or fn.__name__)
        # Spark's SUM adds floats in the order rows arrive (DuckDB's fsum does not): last bits may differ
        assert _close(frame.attrs, wanted[name].attrs), name
    assert got_warnings == want_warnings
    return got


def spark_kind(base: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``base`` with ids of ``kind`` (Spark has no UUID type: use their text)."""
    return as_kind(base, kind)[0]


@pytest.mark.parametrize("kind", ["int", "date", "float"])  # text: every other Spark test
def test_every_metric_same_as_duckdb(spark, base, kind):
    # Spark jobs cost about a second each even on tiny data: one analyze per id type here,
    # the other transition levels, the sequential mode and the outcomes on integer ids below
    log = spark_kind(base, kind)
    got = assert_same(spark, log, an.analyze, journey(), metrics=ALL_METRICS, segment="segment")
    for name in ("customer_profiles", "step_times"):
        assert str(got[name]["customer_id"].dtype) == ID_DTYPES[kind]


def test_other_levels_modes_and_outcomes_same_as_duckdb(spark, base):
    log = spark_kind(base, "int")
    j = journey()
    for level in ("touchpoint", "event"):
        assert_same(spark, log, an.transitions, j, level=level, segment="segment")
    metrics = ["funnel", "stage_times", "customer_profiles", "step_times"]
    assert_same(spark, log, an.analyze, j, metrics=metrics, segment="segment", mode="sequential")
    got = assert_same(spark, log, an.step_times, j, segment="segment")  # reach straight from the events
    assert str(got["customer_id"].dtype) == "int64"
    assert_same(spark, log, an.revenue, j, segment="segment")


def test_retention_same_as_duckdb(spark, base):
    pytest.importorskip("statsmodels")
    assert_same(spark, spark_kind(base, "date"), an.retention, journey(), segment="segment")


def test_duckdb_uuids_equal_spark_text(spark, base):
    uuids, _ = as_kind(base, "uuid")
    duck, _ = recorded(an.customer_profiles, uuids, journey(), segment_col="segment")
    text = uuids.assign(customer_id=uuids["customer_id"].astype("str"))
    got, _ = recorded(an.customer_profiles, spark.createDataFrame(text), journey(), segment_col="segment")
    # UUIDs sort as their text does: same rows in the same order
    pd.testing.assert_frame_equal(got, duck.assign(customer_id=duck["customer_id"].astype("str")))


def test_empty_text_ids_dropped_and_counted_on_spark(spark):
    log = small_log(["a", "", "b", None, "", "c"]).astype({"customer_id": "str"})
    got = assert_same(spark, log, an.funnel, hand_journey(), mapping=MAPPING)
    assert got.attrs["dropped_null"] == 3
    _, messages = recorded(an.funnel, spark.createDataFrame(log), hand_journey(), mapping=MAPPING)
    assert messages == [
        "dropped 3 of 6 events with a null or empty 'customer_id' or a null 'timestamp' or 'event'"
    ]
    empty = spark.createDataFrame(small_log(["", ""]).astype({"customer_id": "str"}))
    with pytest.raises(ValidationError, match="every row of the event log has a null or empty 'customer_id'"):
        an.funnel(empty, hand_journey(), mapping=MAPPING)


def test_float_and_sessionize_same_as_duckdb(spark):
    log = small_log([1.0, 1.5, 2.0, 1.0], ["e0", "e0", "e0", "e2"]).astype({"customer_id": "float64"})
    got = assert_same(spark, log, an.customer_profiles, hand_journey(), mapping=MAPPING)
    assert got["customer_id"].tolist() == [1.0, 1.5, 2.0]
    out = an.sessionize(spark.createDataFrame(log), gap="1min")
    rows = sorted(out.select("customer_id", "session").collect())
    assert [tuple(r) for r in rows] == [(1.0, 1), (1.0, 2), (1.5, 1), (2.0, 1)]
