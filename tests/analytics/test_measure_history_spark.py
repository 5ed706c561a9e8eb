"""measure()'s default period on Spark: the same quarter as DuckDB, computed by Spark."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cjm_jupyter.analytics.measure import _default_period  # isort: skip
from ..support.spark import PANDAS3

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]

COLUMNS = {"customer": "cust", "time": "at", "event": "event"}


def _log(times) -> pd.DataFrame:
    return pd.DataFrame({"cust": ["c1", "c2", None], "at": times, "event": ["e0", "e1", "e0"]})


PARIS = pd.DatetimeIndex(["2026-01-05 00:00", "2026-04-01 01:00", "2026-09-01 00:00"], tz="Europe/Paris")


@pytest.mark.parametrize(
    ("times", "want"),
    [
        # tz-aware: an instant; 01:00 in Paris on 1 April is 31 March in UTC. The third row
        # (null customer) is later and ignored.
        (PARIS, "2026-Q1"),
        (pd.DatetimeIndex(["2025-12-31 23:30", "2025-02-01 00:00", "2026-09-01 00:00"]), "2025-Q4"),
        ([dt.date(2024, 6, 30), dt.date(2024, 4, 1), dt.date(2026, 9, 1)], "2024-Q2"),
    ],
    ids=["timestamp", "naive", "date"],
)
def test_default_period_on_spark_same_as_duckdb(spark, times, want):
    log = _log(times)
    assert _default_period(log, **COLUMNS) == want
    assert _default_period(spark.createDataFrame(log), **COLUMNS) == want


def test_default_period_on_spark_timestamp_ntz(spark):
    frame = spark.sql(
        "SELECT 'c1' AS cust, TIMESTAMP_NTZ'2026-06-30 23:59:59' AS at, 'e0' AS event "
        "UNION ALL SELECT 'c1', TIMESTAMP_NTZ'2026-01-01 00:00:00', 'e1'"
    )
    assert dict(frame.dtypes)["at"] == "timestamp_ntz"
    assert _default_period(frame, **COLUMNS) == "2026-Q2"
