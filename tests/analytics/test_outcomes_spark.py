"""Business outcomes on Apache Spark (local mode) equal the DuckDB results."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pytest.importorskip("statsmodels")
pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter.analytics.outcomes import retention, retention_cohorts, revenue  # noqa: E402
from cjm_jupyter.analytics.satisfaction import nps, satisfaction, top_two_box  # noqa: E402

from ..support.analytics import MAPPING, make_journey  # noqa: E402
from ..support.analytics_outcomes import outcome_log  # noqa: E402
from ..support.spark import PANDAS3  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]


def both(fn, log, spark_session, *args, **kw):
    """``fn`` on the pandas log (DuckDB) and on the same log as a Spark DataFrame."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(log, *args, **kw), fn(spark_session.createDataFrame(log), *args, **kw)


def equal(duck: pd.DataFrame, spark_result: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(duck, spark_result, check_dtype=False, check_exact=False, rtol=1e-12)
    assert duck.attrs.keys() == spark_result.attrs.keys()


@pytest.mark.parametrize("segment", [None, "segment"])
def test_retention_and_cohorts_equal_duckdb(spark, segment):
    j = make_journey()
    for fn, kw in ((retention, {"within_days": 30, "min_gap": "1h"}), (retention_cohorts, {})):
        duck, spk = both(fn, outcome_log(), spark, j, mapping=MAPPING, segment_col=segment, **kw)
        equal(duck, spk)
    assert duck["n"].tolist()[:1] == ([4] if segment is None else [2])


@pytest.mark.parametrize(("by", "segment"), [("stage", None), ("touchpoint", "segment")])
def test_revenue_equals_duckdb(spark, by, segment):
    duck, spk = both(
        revenue, outcome_log(), spark, make_journey(), mapping=MAPPING, by=by, segment_col=segment
    )
    equal(duck, spk)
    assert spk.attrs["total_revenue"] == 232.0 and spk.attrs["unmapped_orders"] == 1


def test_revenue_value_column_errors_on_spark(spark):
    log = spark.createDataFrame(outcome_log())
    with pytest.raises(ValidationError, match="the event log has no value column 'amount'"):
        revenue(log, make_journey(), mapping=MAPPING, value_col="amount")
    with pytest.raises(ValidationError, match="the value column must hold numbers, got string"):
        revenue(log, make_journey(), mapping=MAPPING, value_col="segment")


def test_survey_segments_from_a_spark_log_equal_duckdb(spark):
    answers = pd.DataFrame(
        {"customer_id": ["c1", "c2", "c3", "c5", "c9"], "touchpoint_id": ["t0", "t0", "t3", "t3", "t3"],
         "score": [10, 6, 9, 7, 0]}
    )  # fmt: skip
    j = make_journey()
    kw = {"segment_col": "segment", "customer_col": "customer_id"}
    duck_log, spark_log = outcome_log(), spark.createDataFrame(outcome_log())
    for fn, scale in ((satisfaction, {"scale": "nps"}), (nps, {}), (top_two_box, {"scale": "nps"})):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # c9 is not in the log
            duck = fn(answers, j, events=duck_log, **scale, **kw)
            spk = fn(answers, j, events=spark_log, **scale, **kw)
        equal(duck, spk)
    assert sorted(spk["segment"].unique()) == ["(missing)", "A", "B"]
