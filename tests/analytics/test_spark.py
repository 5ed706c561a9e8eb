"""The metric SQL on Apache Spark (local mode) gives the same frames as on DuckDB."""

from __future__ import annotations

import shutil
import warnings
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")
pyspark_sql = pytest.importorskip("pyspark.sql", reason="pyspark is not installed (the 'spark' extra)")
if shutil.which("java") is None:
    pytest.skip("Spark needs a Java runtime (java not on PATH)", allow_module_level=True)

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402
from cjm_jupyter.analytics.engines import prepare_events  # noqa: E402
from cjm_jupyter.analytics.engines import spark as _spark  # noqa: E402
from cjm_jupyter.analytics.engines.spark import SparkSource  # noqa: E402

from ..support.analytics import MAPPING, hand_events, make_journey, random_log  # noqa: E402
from ..support.spark import PANDAS3, assert_same, messy_log, recorded  # noqa: E402

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings(PANDAS3)]

# analyze() computes every metric (transitions at one level) in one Spark run; the other
# transition levels are separate calls. Spark jobs on tiny data still cost about a second
# each, so the module keeps the number of runs small.
OTHER_LEVELS = [("touchpoint", False), ("event", True)]


# -- hand-computed example ---------------------------------------------------------------------


@pytest.mark.parametrize("segment", [None, "channel"])
def test_hand_example_same_as_duckdb(spark, segment):
    hand = hand_events()
    sdf = spark.createDataFrame(hand)
    got = assert_same(sdf, hand, segment=segment)
    assert set(got) == set(an.analysis.DEFAULT_METRICS)  # every metric, stage_durations too
    # the hand-computed numbers themselves (test_analytics checks DuckDB's)
    if segment is None:
        assert got["funnel"]["customers"].tolist() == [3, 3, 1]
        assert got["variants"]["variant"].tolist()[2] == "Aware > Consider > Buy"
        assert got["funnel"].attrs["unmapped"] == {"e7": 1}
        for level, loops in OTHER_LEVELS:
            assert_same(sdf, hand, an.transitions, level=level, self_loops=loops)


# -- seeded random logs ------------------------------------------------------------------------


# two seeds: the segmented one at event level (unmapped events kept), the other at stage level
@pytest.mark.parametrize(("seed", "segment", "level"), [(0, "channel", "event"), (1, None, "stage")])
def test_random_logs_same_as_duckdb(spark, seed, segment, level):
    log = messy_log(seed)
    sdf = spark.createDataFrame(log)
    got = assert_same(sdf, log, segment=segment, level=level)
    for name, frame in got.items():
        assert len(frame), name
        assert frame.attrs["dropped_null"] == 3
        assert "e7" in frame.attrs["unmapped"]


def test_backslash_quote_and_dollar_in_names(spark):
    # names are SQL literals: Spark reads a backslash as an escape, DuckDB does not, and
    # spark.sql substitutes ${...} (an unknown key becomes '') even inside literals
    odd = "e'\\0${x}"
    hand = hand_events().assign(event=lambda f: f["event"].replace("e0", odd))
    j = make_journey().copy()
    j.update_stage("s0", name="C:\\new 'quoted' ${spark.app.name}")
    mapping = {k.replace("e0", odd): v for k, v in MAPPING.items()}
    got, _ = recorded(an.funnel, spark.createDataFrame(hand), journey=j, mapping=mapping)
    want, _ = recorded(an.funnel, hand, journey=j, mapping=mapping)
    pd.testing.assert_frame_equal(got, want)
    assert got["stage"].iloc[0] == "C:\\new 'quoted' ${spark.app.name}"
    assert got["customers"].iloc[0] == 3


def test_odd_column_names(spark):
    # user column names never enter the SQL text (renamed with the DataFrame API)
    names = {"customer_id": "cust`${a}", "timestamp": "ts${y}", "event": "ev.name", "channel": "seg ${z}"}
    hand = hand_events()
    odd = hand.rename(columns=names)
    kw = {"customer_col": names["customer_id"], "time_col": names["timestamp"], "event_col": names["event"]}
    got, _ = recorded(an.analyze, spark.createDataFrame(odd), segment_col=names["channel"], **kw)
    want, _ = recorded(an.analyze, hand, segment_col="channel")
    for name, frame in want.items():
        pd.testing.assert_frame_equal(got[name], frame, obj=name)


def test_tz_aware_times_are_instants_whatever_the_session_zone(spark):
    hand = hand_events()
    aware = hand.assign(timestamp=hand["timestamp"].dt.tz_localize("UTC").dt.tz_convert("America/New_York"))
    sdf = spark.createDataFrame(aware)
    before = spark.conf.get("spark.sql.session.timeZone")
    spark.conf.set("spark.sql.session.timeZone", "Asia/Tokyo")
    try:
        assert_same(sdf, hand, metrics=["transitions", "stage_times"])
    finally:
        spark.conf.set("spark.sql.session.timeZone", before)


def test_naive_and_date_columns(spark):
    # shifted so some stage changes cross midnight (c1's first one) and others do not
    hand = hand_events().assign(timestamp=lambda f: f["timestamp"] + pd.Timedelta(hours=23, minutes=45))
    sdf = spark.createDataFrame(hand)
    ntz = sdf.withColumn("timestamp", sdf["timestamp"].cast("timestamp_ntz"))
    assert dict(ntz.dtypes)["timestamp"] == "timestamp_ntz"
    assert_same(ntz, hand, metrics=["transitions"])
    dates = sdf.withColumn("timestamp", sdf["timestamp"].cast("date"))
    floored = hand.assign(timestamp=hand["timestamp"].dt.floor("D"))  # DuckDB: a date is its midnight
    got = assert_same(dates, floored, metrics=["stage_times"])["stage_times"]
    assert got["median"].tolist() == [pd.Timedelta(hours=12), pd.Timedelta(0)]


# -- engine plumbing ---------------------------------------------------------------------------


def test_dispatch_profile_and_no_leftover_views(spark):
    log = messy_log(3)
    sdf = spark.createDataFrame(log)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        src = prepare_events(sdf, segment="channel")
        duck = prepare_events(log, segment="channel")
    assert isinstance(src, SparkSource) and src.dialect == "spark"
    assert src.spark is spark  # the DataFrame's own session, not a new one
    assert (src.total_rows, src.dropped_null, src.event_counts) == (
        duck.total_rows,
        duck.dropped_null,
        duck.event_counts,
    )
    ctes = f"WITH events AS ({src.projection()})"
    src.materialize("firsts", ctes + " SELECT customer_id, MIN(t_us) AS t0 FROM events GROUP BY customer_id")
    n = src.query("SELECT COUNT(*) AS n FROM firsts")["n"].iloc[0]
    assert n == log.dropna(subset=["customer_id", "timestamp", "event"])["customer_id"].nunique()
    src.drop("firsts")
    src.drop("firsts")  # dropping twice is fine
    with pytest.raises(Exception, match="firsts"):
        src.query("SELECT COUNT(*) FROM firsts")
    assert [t.name for t in spark.catalog.listTables() if t.name.startswith("__cjm_")] == []


def test_concurrent_runs_on_one_session(spark):
    logs = [random_log(5), random_log(6)]
    frames = [spark.createDataFrame(log) for log in logs]

    def go(i):
        return recorded(an.funnel, frames[i], segment_col="channel")[0]

    with ThreadPoolExecutor(2) as pool:
        got = list(pool.map(go, [0, 1]))
    for i in (0, 1):
        pd.testing.assert_frame_equal(got[i], recorded(an.funnel, logs[i], segment_col="channel")[0])


# -- bad input: same errors as the DuckDB path -------------------------------------------------


@pytest.mark.parametrize(
    "kw", [{"customer_col": "user"}, {"time_col": "ts"}, {"event_col": "action"}, {"segment_col": "x"}]
)
def test_missing_column_named(spark, kw):
    sdf = spark.createDataFrame(hand_events())
    with pytest.raises(ValidationError) as err:
        an.funnel(sdf, make_journey(), mapping=MAPPING, **kw)
    assert err.value.column == next(iter(kw.values()))


def test_wrong_time_dtype_empty_and_all_null(spark):
    hand = hand_events()
    sdf = spark.createDataFrame(hand)
    with pytest.raises(ValidationError, match="timestamps") as err:
        an.funnel(
            sdf.withColumn("timestamp", sdf["timestamp"].cast("string")), make_journey(), mapping=MAPPING
        )
    assert err.value.column == "timestamp"
    with pytest.raises(ValidationError, match="empty"):
        an.funnel(sdf.limit(0), make_journey(), mapping=MAPPING)
    with pytest.raises(ValidationError, match="every row"):
        an.funnel(
            sdf.withColumn("event", pyspark_sql.functions.lit(None).cast("string")),
            make_journey(),
            mapping=MAPPING,
        )


# -- sessionize, satisfaction and measure on Spark input ---------------------------------------


def test_sessionize_on_spark_same_as_duckdb(spark):
    extra = {"row": lambda f: range(len(f)), "odd.name": "x", "session": -1, "__c": "c", "__t": "t"}
    log = messy_log(2).assign(**extra)
    sdf = spark.createDataFrame(log)
    out = an.sessionize(sdf, gap="7min")
    assert isinstance(out, pyspark_sql.DataFrame)  # stays in Spark: no collect of the log
    assert out.columns == [c for c in log.columns if c != "session"] + ["session"]
    # the temp view is gone, the lazy result still runs
    assert [t.name for t in spark.catalog.listTables() if t.name.startswith("__cjm_")] == []
    got = _spark.collect_columns(out, ["row", "odd.name", "__t", "session"]).sort_values(
        "row", ignore_index=True
    )
    with pytest.warns(UserWarning, match="get no session"):
        want = an.sessionize(log, gap="7min")
    assert got["odd.name"].eq("x").all() and got["__t"].eq("t").all()
    pd.testing.assert_series_equal(got["session"], want["session"].reset_index(drop=True))
    with pytest.raises(ValidationError) as err:
        an.sessionize(sdf, customer_col="user")
    assert err.value.column == "user"


def test_satisfaction_on_spark_surveys(spark):
    answers = pd.DataFrame(
        {
            "touchpoint_id": ["t0", "t0", "t2", "t2", "t3", "zz"],
            "score": [5, 4, 1, 2, 4, 3],
            "who": ["c1", "c2", "c1", "c3", "c2", "c9"],
            "unused": ["a"] * 6,
        }
    )

    def sat(surveys, journey, mapping, **kw):  # recorded() passes a mapping; surveys need none
        return an.satisfaction(surveys, journey, **kw)

    got, got_warnings = recorded(sat, spark.createDataFrame(answers), customer_col="who")
    want, want_warnings = recorded(sat, answers, customer_col="who")
    assert want.attrs["unknown"] == {"zz": 1}
    # a DECIMAL score column is numeric on both engines
    decimal = spark.createDataFrame(answers).withColumn(
        "score", pyspark_sql.functions.col("score").cast("decimal(3,1)")
    )
    got_dec, _ = recorded(sat, decimal, customer_col="who")
    pd.testing.assert_frame_equal(got_dec, want)
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs and got_warnings == want_warnings
    with pytest.raises(ValidationError) as err:
        an.satisfaction(spark.createDataFrame(answers), make_journey(), score_col="rating")
    assert err.value.column == "rating"


def test_measure_on_spark_same_as_pandas(spark):
    log = hand_events()
    answers = pd.DataFrame({"touchpoint_id": ["t0", "t2"], "score": [5, 2], "who": ["c1", "c2"]})
    journeys = []
    for events, surveys in (
        (spark.createDataFrame(log), spark.createDataFrame(answers)),
        (log, answers),
    ):
        j = make_journey().copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = j.measure(
                events, surveys, mapping=MAPPING, segment_col="channel", respondent_col="who", progress=False
            )
        assert res["satisfaction"].attrs["matched_respondents"] == 2
        journeys.append(j)
    spark_j, duck_j = journeys
    assert len(spark_j.metrics) > 0
    for name in ("metrics", "emotions"):
        pd.testing.assert_frame_equal(
            getattr(spark_j, name).drop(columns="id"), getattr(duck_j, name).drop(columns="id")
        )


def test_customer_profiles_same_as_duckdb(spark):
    hand = hand_events()
    assert_same(spark.createDataFrame(hand), hand, an.customer_profiles, segment="channel")
    log = messy_log(1)  # ties, duplicates, null ids, tz-aware times
    got = assert_same(spark.createDataFrame(log), log, an.customer_profiles)
    assert len(got) and str(got["first_seen"].dt.tz) == "UTC"


def test_segment_tie_at_the_earliest_time_same_as_duckdb(spark):
    log = hand_events()
    log.loc[log["customer_id"] == "c2", "channel"] = ["z", "a", "m"]  # c2's rows at 30, 0, 10 minutes
    tie = log[log["customer_id"] == "c2"].iloc[[1]].assign(event="e1", channel="b")  # also at minute 0
    log = pd.concat([log, tie], ignore_index=True)
    got = assert_same(spark.createDataFrame(log), log, an.customer_profiles, segment="channel")
    assert got.set_index("customer_id").loc["c2", "segment"] == "a"
