"""The shared local SparkSession of the Spark tests, and their Spark-vs-DuckDB comparisons.

Every Spark test takes the ``spark`` fixture (tests/analytics/conftest.py, one session for
the test run) and is marked ``spark``; tests/support/parallel.py sends every module that
marks tests ``spark`` to the same xdist worker, so the JVM (~25 s of CPU) starts once.
"""

from __future__ import annotations

import shutil
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import analytics as an

from .analytics import MAPPING, make_journey, random_log

# pyspark 4.3 warns on every pandas conversion that pandas 3 is not fully supported;
# our conversions go through Arrow and the results are compared with DuckDB's here.
PANDAS3 = "ignore:PySpark does not yet fully support pandas:FutureWarning"


def start_session() -> Any:
    """The local SparkSession (``getOrCreate``: an active one is reused); skips without Spark."""
    pytest.importorskip("pyarrow")
    pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime (java not on PATH)")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        session = (
            pyspark_sql.SparkSession.builder.master("local[2]")
            .appName("cjm-analytics-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "1")  # tiny data: one task
            .config("spark.default.parallelism", "2")
            .config("spark.driver.memory", "512m")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            # The JIT's quick tier only, and one GC thread: the tests run many small queries once
            # each, so the optimising compiler's threads cost more CPU than they win back (about
            # half the JVM's CPU time on 2 cores; the results do not depend on it).
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    return session


def recorded(metric, events, *, journey=None, mapping=MAPPING, **kw):
    """The metric's result (a frame, or analyze's dict of frames) and its warnings' messages."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        out = metric(events, journey or make_journey(), mapping=mapping, **kw)
    return out, sorted(str(w.message) for w in caught if w.category is UserWarning)


def assert_same(spark_events, duck_events, metric=an.analyze, **kw):
    """Spark and DuckDB give equal frames, ``.attrs`` and warnings; returns Spark's result."""
    got, got_warnings = recorded(metric, spark_events, **kw)
    want, want_warnings = recorded(metric, duck_events, **kw)
    frames = got.items() if isinstance(got, dict) else [("", got)]
    wanted = want if isinstance(want, dict) else {"": want}
    assert [k for k, _ in frames] == list(wanted)
    for name, frame in frames:
        pd.testing.assert_frame_equal(frame, wanted[name], obj=name or "DataFrame")
        assert frame.attrs == wanted[name].attrs, name
    assert got_warnings == want_warnings
    return got


def messy_log(seed: int) -> pd.DataFrame:
    """A random log with ties, duplicates, null ids, unmapped ``e7`` and (odd seeds) tz-aware times."""
    log = random_log(seed)  # minutes in 0..199: many same-time ties per customer; e7 is unmapped
    rng = np.random.default_rng(seed + 100)
    dup = log.sample(n=max(1, len(log) // 5), random_state=seed)
    log = pd.concat([log, dup], ignore_index=True)
    nulls = rng.choice(len(log), size=3, replace=False)
    log.loc[nulls[0], "customer_id"] = None
    log.loc[nulls[1], "timestamp"] = pd.NaT
    log.loc[nulls[2], "event"] = None
    if seed % 2:
        log["timestamp"] = log["timestamp"].dt.tz_localize("Europe/Riga")  # crosses no DST: Jan
    return log
