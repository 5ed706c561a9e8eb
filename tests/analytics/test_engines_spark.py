"""The Spark engine's copy=True: one local checkpoint that the profile and every query read."""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter.analytics.engines import prepare_events

from ..support.analytics_engines import ROLES, rows, small_log
from ..support.spark import PANDAS3

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


@pytest.mark.slow
def test_copy_on_spark_gives_the_same_rows_and_reads_a_checkpoint(spark):
    frame = spark.createDataFrame(small_log(null=True))
    with pytest.warns(UserWarning, match="dropped 1 of 4 events"):
        plain = prepare_events(frame, **ROLES)
    with pytest.warns(UserWarning, match="dropped 1 of 4 events"):
        copied = prepare_events(frame, **ROLES, copy=True)
    pd.testing.assert_frame_equal(rows(copied), rows(plain))
    assert (copied.total_rows, copied.dropped_null, copied.event_counts) == (4, 1, {"visit": 2, "buy": 1})
    # the checkpoint cut the lineage: its plan reads existing RDD rows, not the user's frame
    plan = copied.frame._jdf.queryExecution().optimizedPlan().toString()
    assert "LogicalRDD" in plan and "LocalRelation" not in plan
    copied.materialize("step", f"SELECT customer_id FROM ({copied.projection()}) e")
    copied.close()
    copied.close()  # idempotent
    assert not [t.name for t in spark.catalog.listTables() if t.name.startswith("__cjm_")]
