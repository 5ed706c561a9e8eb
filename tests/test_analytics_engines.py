"""The engines package: the Source protocol, the one projection, prepare_events' dispatch."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter.analytics import engines
from cjm_jupyter.analytics.engines import DuckDBSource, Source, prepare_events
from cjm_jupyter.analytics.engines.spark import SparkSource


def small_log(*, null: bool = False) -> pd.DataFrame:
    return pd.DataFrame({
        "who": ["a", "a", "b", None if null else "c"],
        "when": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:00",
            "2024-01-02 09:00", "2024-01-03 09:00"]),
        "what": ["visit", "buy", "visit", "visit"],
        "amount": [1.0, 2.5, 3.0, 4.0],
    })  # fmt: skip


def test_both_engines_implement_the_source_protocol():
    duck = prepare_events(small_log(), customer="who", time="when", event="what")
    assert isinstance(duck, Source) and isinstance(duck, DuckDBSource)
    # built without a session: the protocol is about the members, not the frame
    spark = SparkSource(None, "who", "when", "what", None, "TIMESTAMP")
    assert isinstance(spark, Source)
    typed: list[Source] = [duck, spark]  # a static check of the same (mypy)
    assert [s.dialect for s in typed] == ["duckdb", "spark"]


def test_one_projection_in_each_engines_spellings():
    roles = {"customer": "who", "time": "when", "event": "what", "segment": "what", "value": "amount"}
    duck = prepare_events(small_log(), **roles)
    assert duck.projection() == engines.projection(duck) == (
        'SELECT CAST("who" AS STRING) AS customer_id, epoch_us("when") AS t_us, '
        "CAST(\"what\" AS STRING) AS event, COALESCE(CAST(\"what\" AS STRING), '(missing)') AS segment, "
        'CAST("amount" AS DOUBLE) AS value FROM events_src '
        'WHERE "who" IS NOT NULL AND "when" IS NOT NULL AND "what" IS NOT NULL'
    )
    spark = SparkSource(None, "who", "when", "what", None, "DATE")
    assert spark.projection() == (
        "SELECT CAST(__cjm_customer AS STRING) AS customer_id, "
        "CAST(unix_date(__cjm_time) AS BIGINT) * 86400000000 AS t_us, "
        "CAST(__cjm_event AS STRING) AS event, 'All' AS segment FROM events_src "
        "WHERE __cjm_customer IS NOT NULL AND __cjm_time IS NOT NULL AND __cjm_event IS NOT NULL"
    )
    assert [spark.micros("t", kind) for kind in ("TIMESTAMP", "TIMESTAMP_NTZ")] == [
        "unix_micros(t)",
        "timestampdiff(MICROSECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', t)",
    ]
    assert [duck.micros("t", kind) for kind in ("TIMESTAMP", "DATE")] == [
        "epoch_us(t)",
        "epoch_us(CAST(t AS TIMESTAMP))",
    ]


def test_prepare_events_profiles_and_records_the_columns():
    with pytest.warns(UserWarning, match=r"dropped 1 of 4 events with a null 'who', 'when' or 'what'"):
        src = prepare_events(small_log(null=True), customer="who", time="when", event="what")
    assert (src.total_rows, src.dropped_null, src.event_counts) == (4, 1, {"visit": 2, "buy": 1})
    assert src.columns == ["who", "when", "what", "amount"]
    assert engines.columns_of(small_log()) == ["who", "when", "what", "amount"]


def test_close_closes_the_packages_connection_once_and_leaves_a_users_open():
    import duckdb

    src = prepare_events(small_log(), customer="who", time="when", event="what", profiled=False)
    src.close()
    src.close()  # idempotent
    with pytest.raises(duckdb.ConnectionException):
        src.query("SELECT 1")
    conn = duckdb.connect()
    rel = conn.from_df(small_log())
    mine = prepare_events(rel, customer="who", time="when", event="what", profiled=False)
    mine.close()
    assert conn.execute("SELECT 41 + 1").fetchone() == (42,)


def test_spark_is_imported_only_for_a_spark_input():
    code = (
        "import sys, pandas as pd\n"
        "from cjm_jupyter.analytics.engines import prepare_events\n"
        "prepare_events(pd.DataFrame({'customer_id': ['a'], 'timestamp': pd.to_datetime(['2024-01-01']),"
        " 'event': ['x']}))\n"
        "print('cjm_jupyter.analytics.engines.spark' in sys.modules, 'pyspark' in sys.modules)\n"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
