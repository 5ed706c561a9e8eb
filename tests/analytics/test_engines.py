"""The engines package: the Source protocol, the one projection, prepare_events' dispatch."""

from __future__ import annotations

import os
import sys

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError
from cjm_jupyter.analytics import engines
from cjm_jupyter.analytics.engines import (
    DEFAULT_MEMORY_FRACTION,
    DuckDBSource,
    EngineOptions,
    Source,
    default_memory_limit,
    prepare_events,
)
from cjm_jupyter.analytics.engines.spark import SparkSource

from ..support.analytics_engines import ROLES, rows, small_log


def test_both_engines_implement_the_source_protocol():
    duck = prepare_events(small_log(), customer="who", time="when", event="what")
    assert isinstance(duck, Source) and isinstance(duck, DuckDBSource)
    # built without a session: the protocol is about the members, not the frame
    spark = SparkSource(None, "who", "when", "what", None, "TIMESTAMP")
    assert isinstance(spark, Source)
    typed: list[Source] = [duck, spark]  # a static check of the same (mypy)
    assert [s.dialect for s in typed] == ["duckdb", "spark"]


def test_one_projection_in_each_engines_spellings():
    # the customer expression is left out here: its type handling is pinned by the id-type tests
    roles = {"customer": "who", "time": "when", "event": "what", "segment": "what", "value": "amount"}
    duck = prepare_events(small_log(), **roles)
    text = duck.projection()
    assert text == engines.projection(duck)
    for part in (
        'epoch_us("when") AS t_us, CAST("what" AS STRING) AS event, ',
        "COALESCE(CAST(\"what\" AS STRING), '(missing)') AS segment, ",
        'CAST("amount" AS DOUBLE) AS value FROM events_src WHERE "who" IS NOT NULL',
    ):
        assert part in text
    spark = SparkSource(None, "who", "when", "what", None, "DATE")
    assert (
        " AS customer_id, CAST(unix_date(__cjm_time) AS BIGINT) * 86400000000 AS t_us, "
        "CAST(__cjm_event AS STRING) AS event, 'All' AS segment "
        "FROM events_src WHERE __cjm_customer IS NOT NULL"
    ) in spark.projection()
    assert [spark.micros("t", kind) for kind in ("TIMESTAMP", "TIMESTAMP_NTZ")] == [
        "unix_micros(t)",
        "timestampdiff(MICROSECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', t)",
    ]
    assert [duck.micros("t", kind) for kind in ("TIMESTAMP", "DATE")] == [
        "epoch_us(t)",
        "epoch_us(CAST(t AS TIMESTAMP))",
    ]


def test_prepare_events_profiles_and_records_the_columns():
    with pytest.warns(UserWarning, match=r"^dropped 1 of 4 events with a null "):
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


# --- EngineOptions: what reaches DuckDB, the defaults, the errors ------------------------------

SETTINGS = (
    "SELECT name, value FROM duckdb_settings() WHERE name IN ('memory_limit', 'temp_directory', 'threads')"
)


def settings_of(src) -> dict[str, str]:
    got = src.query(SETTINGS)
    return dict(zip(got["name"], got["value"], strict=True))


def duckdb_spelling(memory: str) -> str:
    """How DuckDB prints a memory limit (read back from a bare connection)."""
    import duckdb

    with duckdb.connect(config={"memory_limit": memory}) as con:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_options_reach_duckdb(tmp_path):
    options = EngineOptions(memory_limit="1GiB", temp_directory=tmp_path / "spill", threads=1)
    src = prepare_events(small_log(), customer="who", time="when", event="what", options=options)
    spill = str(tmp_path / "spill")
    assert settings_of(src) == {"memory_limit": "1.0 GiB", "temp_directory": spill, "threads": "1"}
    src.close()
    # a number of bytes, and a Parquet input
    small_log().to_parquet(tmp_path / "log.parquet")
    src = prepare_events(tmp_path / "log.parquet", customer="who", time="when", event="what",
                         options=EngineOptions(memory_limit=3 * 2**30))  # fmt: skip
    assert settings_of(src)["memory_limit"] == "3.0 GiB"


def test_defaults_reach_duckdb():
    import tempfile

    import duckdb

    src = prepare_events(small_log(), customer="who", time="when", event="what")
    got = settings_of(src)
    assert got["memory_limit"] == duckdb_spelling(f"{default_memory_limit()}B")
    assert got["temp_directory"].startswith(os.path.join(tempfile.gettempdir(), "cjm-duckdb-"))
    with duckdb.connect() as bare:  # threads: DuckDB's own default
        assert got["threads"] == str(bare.execute("SELECT current_setting('threads')").fetchall()[0][0])


def test_default_memory_limit_is_a_fifth_of_ram_at_least_1_gib(monkeypatch):
    from cjm_jupyter.analytics.engines import options as mod

    pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": 10 * 2**30 // 4096}  # a 10 GiB machine
    monkeypatch.setattr(mod.os, "sysconf", lambda name: pages[name])
    assert DEFAULT_MEMORY_FRACTION == 0.2
    assert default_memory_limit() == 2 * 2**30
    pages["SC_PHYS_PAGES"] = 2 * 2**30 // 4096  # 2 GiB: a fifth would be 410 MiB
    assert default_memory_limit() == 2**30

    def no_sysconf(name):
        raise ValueError(name)

    monkeypatch.setattr(mod.os, "sysconf", no_sysconf)
    assert default_memory_limit() is None
    assert "memory_limit" not in EngineOptions().settings()  # DuckDB's own default then


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"memory_limit": "lots"}, "column 'memory_limit': memory_limit must be a size such as '4GB', "
                                   "'512MiB' or '25%', or a number of bytes > 0; got 'lots'"),
        ({"memory_limit": 0}, "got 0"),
        ({"memory_limit": "0GB"}, "got '0GB'"),
        ({"memory_limit": "150%"}, "got '150%'"),
        ({"memory_limit": True}, "got True"),
        ({"threads": 0}, "column 'threads': threads must be a whole number >= 1; got 0"),
        ({"threads": 1.5}, "got 1.5"),
        ({"temp_directory": 3}, "column 'temp_directory': temp_directory must be a folder path "
                                "(str or os.PathLike); got 3"),
        ({"temp_directory": " "}, "got ' '"),
    ],
)  # fmt: skip
def test_bad_options(kwargs, message):
    with pytest.raises(ValidationError) as info:
        EngineOptions(**kwargs)
    assert str(info.value).endswith(message)


def test_options_with_a_users_relation_are_refused():
    import duckdb

    rel = duckdb.connect().from_df(small_log())
    with pytest.raises(ValidationError) as info:
        prepare_events(rel, customer="who", time="when", event="what",
                       options=EngineOptions(memory_limit="4GB", threads=2))  # fmt: skip
    assert str(info.value) == (
        "memory_limit='4GB', threads=2 cannot apply to a DuckDB relation: it runs on your own connection, "
        "unchanged. Set them there instead, e.g. con.execute(\"SET memory_limit = '4GB'; SET threads = 2\")"
    )
    # no options set: nothing to refuse
    src = prepare_events(rel, customer="who", time="when", event="what", options=EngineOptions())
    assert src.total_rows == 4


def test_options_with_a_spark_dataframe_are_refused():
    fake = type("DataFrame", (), {"__module__": "pyspark.sql.dataframe"})()
    with pytest.raises(ValidationError) as info:
        prepare_events(fake, options=EngineOptions(temp_directory="/big/disk"))
    assert str(info.value) == (
        "temp_directory='/big/disk' cannot apply to a Spark DataFrame: these are DuckDB settings. Spark is "
        "configured on its session (e.g. spark.driver.memory, spark.local.dir when it is built)"
    )


def test_spark_without_pyarrow_names_the_extra(monkeypatch):
    from cjm_jupyter.analytics.engines.spark import prepare_spark_events

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    with pytest.raises(ImportError) as info:
        prepare_spark_events(object())
    assert str(info.value) == 'the Spark engine needs pyarrow: pip install "cjm_jupyter[spark]"'


# --- copy=True: one read of the input ----------------------------------------------------------


def test_copy_gives_the_same_rows_and_profile(recwarn):
    plain = prepare_events(small_log(null=True), **ROLES)
    copied = prepare_events(small_log(null=True), **ROLES, copy=True)
    pd.testing.assert_frame_equal(rows(copied), rows(plain))
    assert (copied.total_rows, copied.dropped_null, copied.event_counts) == (
        plain.total_rows, plain.dropped_null, plain.event_counts)  # fmt: skip
    assert copied.columns == plain.columns == ["who", "when", "what", "amount"]
    # the copy's columns carry fixed names: no user column name is left in the SQL
    text = copied.projection()
    assert '"__cjm_customer"' in text and not any(f'"{name}"' in text for name in ROLES.values())


def test_copy_reads_a_parquet_file_once(tmp_path):
    import duckdb

    path = tmp_path / "log.parquet"
    small_log().to_parquet(path)
    plain = prepare_events(path, **ROLES)
    expected = rows(plain)
    src = prepare_events(path, **ROLES, copy=True)
    path.unlink()  # the input is gone: every query reads the copy
    pd.testing.assert_frame_equal(rows(src), expected)
    with pytest.raises(duckdb.IOException):  # without the copy the input is read again, and is gone
        rows(plain)


def test_close_drops_the_copy_and_closes_the_connection():
    import duckdb

    src = prepare_events(small_log(), **ROLES, copy=True)
    src.close()
    src.close()  # idempotent
    with pytest.raises(duckdb.ConnectionException):
        src.query("SELECT 1")
    # on a user's connection: the copy is a temp table there, dropped; the connection stays open
    con = duckdb.connect()
    src = prepare_events(con.from_df(small_log()), **ROLES, copy=True)
    tables = "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '__cjm_copy_%'"
    assert con.execute(tables).fetchall() == [(1,)]
    assert rows(src)["customer_id"].tolist() == ["a", "a", "b", "c"]
    src.close()
    src.close()
    assert con.execute(tables).fetchall() == [(0,)]


def test_a_failed_profile_leaves_no_copy_behind():
    import duckdb

    con = duckdb.connect()
    empty = con.from_df(small_log().iloc[:0])
    with pytest.raises(ValidationError, match="the event log is empty"):
        prepare_events(empty, **ROLES, copy=True)
    assert con.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]
