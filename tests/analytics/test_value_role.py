"""The optional ``value`` role of an event source: projected as DOUBLE on both engines, checked up front."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError
from cjm_jupyter.analytics.engines import prepare_events

# the Spark half takes the shared local session (``spark``, tests/analytics/conftest.py: it skips
# without pyspark or java) and is marked ``spark``; the DuckDB half runs anywhere
from ..support.spark import PANDAS3

pytestmark = pytest.mark.filterwarnings(PANDAS3)

T0 = pd.Timestamp("2024-03-01", tz="UTC")

#: the projection every metric runs (DuckDB; any change alters plans). The text ids keep their
#: type (no cast) and an empty one is missing like null (tests/test_analytics_id_types.py)
DUCKDB_PROJECTION = (
    'SELECT "customer_id" AS customer_id, epoch_us("timestamp") AS t_us, '
    'CAST("event" AS STRING) AS event, {seg} AS segment{value} '
    'FROM events_src WHERE "customer_id" IS NOT NULL AND "customer_id" <> \'\' '
    'AND "timestamp" IS NOT NULL AND "event" IS NOT NULL'
)
SPARK_PROJECTION = (
    "SELECT __cjm_customer AS customer_id, unix_micros(__cjm_time) AS t_us, "
    "CAST(__cjm_event AS STRING) AS event, {seg} AS segment{value} "
    "FROM events_src WHERE __cjm_customer IS NOT NULL AND __cjm_customer <> '' "
    "AND __cjm_time IS NOT NULL AND __cjm_event IS NOT NULL"
)


def amounts_log() -> pd.DataFrame:
    """Four events with integer, float and decimal amounts (one null), a segment and a text column."""
    return pd.DataFrame(
        {
            "customer_id": ["c1", "c1", "c2", "c3"],
            "timestamp": [T0, T0 + pd.Timedelta(hours=1), T0, T0 + pd.Timedelta(days=2)],
            "event": ["view", "buy", "buy", "refund"],
            "segment": ["web", "web", "app", None],
            "cents": np.array([0, 1999, 250, -500], dtype="int64"),
            "amount": [0.0, 19.99, np.nan, -5.0],
            "price": [decimal.Decimal("0.00"), decimal.Decimal("19.99"), decimal.Decimal("2.50"), None],
            "channel": ["a", "b", "c", "d"],
        }
    )


def rows(src) -> pd.DataFrame:
    """The source's projection, sorted, as plain Python values (``value`` as float64, NaN for null)."""
    out = src.query(f"SELECT * FROM ({src.projection()}) AS e ORDER BY customer_id, t_us")
    if "value" in out:
        out["value"] = out["value"].astype("float64")
    return out.astype({"customer_id": str, "event": str, "segment": str, "t_us": "int64"})


# --- DuckDB --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("segment", "seg"), [(None, "'All'"), ("segment", None)])
def test_projection_without_value_is_unchanged(segment, seg):
    seg = seg or "COALESCE(CAST(\"segment\" AS STRING), '(missing)')"
    src = prepare_events(amounts_log(), segment=segment, profiled=False)
    assert src.value is None
    assert src.projection() == DUCKDB_PROJECTION.format(seg=seg, value="")


def test_value_is_projected_as_double():
    src = prepare_events(amounts_log(), value="amount", profiled=False)
    expected = DUCKDB_PROJECTION.format(seg="'All'", value=', CAST("amount" AS DOUBLE) AS value')
    assert src.projection() == expected
    out = rows(src)
    assert list(out.columns) == ["customer_id", "t_us", "event", "segment", "value"]
    np.testing.assert_array_equal(out["value"], [0.0, 19.99, np.nan, -5.0])
    assert str(src.query(f"SELECT typeof(value) AS t FROM ({src.projection()}) LIMIT 1")["t"][0]) == "DOUBLE"


@pytest.mark.parametrize(("column", "expected"), [("cents", [0.0, 1999.0, 250.0, -500.0]),
                                                  ("price", [0.0, 19.99, 2.5, np.nan])])  # fmt: skip
def test_integer_and_decimal_values(column, expected):
    log = amounts_log()
    if column == "price":  # a DECIMAL(10, 2) column, as a Parquet file of money would hold
        import duckdb

        log = (
            duckdb.connect()
            .from_df(log)
            .project('customer_id, "timestamp", event, segment, CAST(price AS DECIMAL(10, 2)) AS price')
        )
    np.testing.assert_allclose(rows(prepare_events(log, value=column, profiled=False))["value"], expected)


def test_an_awkward_value_column_name_is_quoted():
    log = amounts_log().rename(columns={"amount": 'a "b" c'})
    assert rows(prepare_events(log, value='a "b" c'))["value"].iloc[1] == 19.99


@pytest.mark.parametrize(
    ("log", "value", "message"),
    [
        (
            amounts_log(),
            "amount_eur",
            "the event log has no value column 'amount_eur' (columns: "
            "'customer_id', 'timestamp', 'event', 'segment', 'cents', 'amount', 'price', 'channel'); "
            "pass value=<column name>",
        ),
        (amounts_log(), "channel", "the value column must hold numbers, got VARCHAR"),
        (amounts_log().assign(flag=True), "flag", "the value column must hold numbers, got BOOLEAN"),
        (
            amounts_log().assign(ts=T0),
            "ts",
            "the value column must hold numbers, got TIMESTAMP WITH TIME ZONE",
        ),
        # a list of numbers is no number (the old prefix check let INTEGER[] through to a failing CAST)
        (
            amounts_log().assign(many=[[1, 2]] * 4),
            "many",
            "the value column must hold numbers, got INTEGER[]",
        ),
        # checked before the log is scanned: an empty log fails on the column first
        (amounts_log().iloc[:0], "channel", "the value column must hold numbers, got VARCHAR"),
    ],
)
def test_bad_value_columns(log, value, message):
    with pytest.raises(ValidationError) as err:
        prepare_events(log, value=value)
    assert str(err.value).endswith(message)
    assert (err.value.frame, err.value.column) == ("events", value)


def test_a_missing_role_column_is_named_before_the_value():
    with pytest.raises(ValidationError, match="the event log has no customer column 'who'"):
        prepare_events(amounts_log(), customer="who", value="nowhere")


# --- Spark equals DuckDB ----------------------------------------------------------------------------


def spark_log(session, log: pd.DataFrame):
    return session.createDataFrame(log.drop(columns="price"))


@pytest.mark.spark
@pytest.mark.parametrize("segment", [None, "segment"])
def test_spark_projection_without_value_is_unchanged(spark, segment):
    src = prepare_events(spark_log(spark, amounts_log()), segment=segment, profiled=False)
    seg = "COALESCE(CAST(__cjm_segment AS STRING), '(missing)')" if segment else "'All'"
    assert src.value is None and "__cjm_value" not in src.frame.columns
    assert src.projection() == SPARK_PROJECTION.format(seg=seg, value="")


@pytest.mark.spark
@pytest.mark.parametrize("value", ["amount", "cents"])
def test_spark_value_rows_equal_duckdb(spark, value):
    duck = prepare_events(amounts_log(), segment="segment", value=value)
    spk = prepare_events(spark_log(spark, amounts_log()), segment="segment", value=value)
    seg = "COALESCE(CAST(__cjm_segment AS STRING), '(missing)')"
    expected = SPARK_PROJECTION.format(seg=seg, value=", CAST(__cjm_value AS DOUBLE) AS value")
    assert spk.projection() == expected
    pd.testing.assert_frame_equal(rows(duck), rows(spk), check_dtype=False)
    assert (duck.total_rows, duck.event_counts) == (spk.total_rows, spk.event_counts)


@pytest.mark.spark
def test_spark_decimal_values_equal_duckdb(spark):
    from pyspark.sql import functions as F

    log = amounts_log()
    frame = spark_log(spark, log).withColumn("price", F.col("amount").cast("decimal(10,2)"))
    spk = rows(prepare_events(frame, value="price", profiled=False))
    np.testing.assert_allclose(spk["value"], rows(prepare_events(log, value="amount"))["value"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "amount_eur",
            "the event log has no value column 'amount_eur' (columns: 'customer_id', 'timestamp', "
            "'event', 'segment', 'cents', 'amount', 'channel'); pass value=<column name>",
        ),
        ("channel", "the value column must hold numbers, got string"),
        ("many", "the value column must hold numbers, got array<bigint>"),
    ],
)
@pytest.mark.spark
def test_spark_bad_value_columns(spark, value, message):
    from pyspark.sql import functions as F

    frame = spark_log(spark, amounts_log())
    if value == "many":
        frame = frame.withColumn("many", F.array(F.col("cents"), F.col("cents")))
    with pytest.raises(ValidationError) as err:
        prepare_events(frame, value=value)
    assert str(err.value).endswith(message) and err.value.column == value
