"""compare_segments' lean internals equal the public paths they replace.

* ``_step_durations`` (analyze's internal step_times: no customer id, no
  order, integer codes) holds exactly the rows of the public ``step_times``
  without the id, and ``time_rows`` gives the same rows from either;
* survey segments taken from the log (only the respondents' events grouped,
  one index lookup) equal each respondent's earliest-event segment computed
  by hand in pandas, "(missing)" and its warning included;
* both on Spark as on DuckDB.
"""

from __future__ import annotations

import warnings

import duckdb
import pandas as pd
import pytest

from cjm_jupyter import ValidationError, analytics
from cjm_jupyter.analytics import compare
from cjm_jupyter.analytics.compare import compare_segments
from cjm_jupyter.analytics.satisfaction import satisfaction

pytest.importorskip("scipy")
pytest.importorskip("statsmodels")

# the Spark tests take the shared local session (``spark``, tests/analytics/conftest.py: it skips
# without pyspark or java) and are marked ``spark``
from ..support import spark as spark_tests

pytestmark = pytest.mark.filterwarnings(spark_tests.PANDAS3)

KEYS = ["segment", "source_id", "target_id", "duration"]
MISSING_WARNING = "{} of {} survey rows have a respondent ('customer_id') not in the event log: " \
    "their segment is '(missing)'"  # fmt: skip


@pytest.fixture(scope="module")
def log(colleen):
    return analytics.make_events(colleen, customers=1500, segments={"a": 1.0, "b": 1.3, "c": 0.7}, seed=11)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in one order, keys as text (the internal frame's are categoricals)."""
    text = {c: "str" for c in KEYS[:3] if c in frame.columns}
    return frame.astype(text).sort_values(list(frame.columns), kind="stable").reset_index(drop=True)


# -- _step_durations ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["first_reach", "sequential"])
@pytest.mark.parametrize(("segment", "goal"), [("segment", None), (None, None), ("segment", "checkout")])
def test_step_durations_are_step_times_without_the_customer(colleen, log, mode, segment, goal):
    res = analytics.analyze(log, colleen, segment_col=segment, goal=goal, mode=mode,
                            metrics=["step_times", "_step_durations"])  # fmt: skip
    public, internal = res["step_times"], res["_step_durations"]
    assert list(internal.columns) == [c for c in KEYS if c in public.columns]
    assert all(isinstance(internal[c].dtype, pd.CategoricalDtype) for c in internal.columns[:-1])
    assert internal["duration"].dtype == public["duration"].dtype
    assert len(internal) == len(public) > 1000
    pd.testing.assert_frame_equal(_as_text(internal), _as_text(public.drop(columns="customer_id")))
    assert internal.attrs == public.attrs  # mode, start, goal, unmapped, dropped_null


def test_step_durations_of_a_log_without_pairs_is_empty(colleen):
    # one customer at one step: no pair of steps
    one = pd.DataFrame({"customer_id": ["x"], "event": ["repair_page_view"], "segment": ["a"],
                        "timestamp": pd.to_datetime(["2024-01-01"])})  # fmt: skip
    out = analytics.analyze(one, colleen, segment_col="segment", metrics=["_step_durations"])
    out = out["_step_durations"]
    assert out.empty and list(out.columns) == KEYS


def test_internal_metrics_are_not_offered(colleen, log):
    with pytest.raises(ValidationError) as err:
        analytics.analyze(log, colleen, metrics=["nope"])
    assert str(err.value) == (
        "column 'metrics', value 'nope': metrics must be a non-empty selection of funnel, transitions, "
        "funnel_flow, stage_times, variants, exits, stage_durations, customer_profiles, step_times"
    )


@pytest.mark.parametrize("mode", ["first_reach", "sequential"])
def test_time_rows_same_from_public_and_internal_frames(colleen, log, mode):
    res = analytics.analyze(log, colleen, segment_col="segment", mode=mode, metrics=["funnel", "step_times",
                            "_step_durations"])  # fmt: skip
    steps = res["funnel"].loc[res["funnel"]["segment"] == "b", "step_id"].tolist()
    places = compare._Places(colleen)
    rows = [pd.DataFrame(compare.time_rows(res[name], steps, places, "b", ["a", "b", "c"]))
            for name in ("step_times", "_step_durations")]  # fmt: skip
    pd.testing.assert_frame_equal(rows[0], rows[1])
    assert len(rows[0]) == 3 * (len(steps) - 1) and rows[0]["n"].sum() == len(res["step_times"])


def test_time_rows_samples_are_the_groups_of_the_frame():
    frame = pd.DataFrame({
        "segment": ["x", "y", "x", "x", "y"], "source_id": ["s0", "s0", "s1", "s0", "s1"],
        "target_id": ["s1", "s1", "s2", "s1", "s2"],
        "duration": pd.to_timedelta([1, 2, 3, 4, 5], unit="s"),
    })  # fmt: skip
    got = compare._samples(frame, ["source_id", "target_id", "segment"], "duration")
    want = {("s0", "s1", "x"): [1.0, 4.0], ("s0", "s1", "y"): [2.0], ("s1", "s2", "x"): [3.0],
            ("s1", "s2", "y"): [5.0]}  # fmt: skip
    assert {k: v.tolist() for k, v in got.items()} == want
    assert compare._samples(frame.iloc[:0], ["source_id", "target_id", "segment"], "duration") == {}


# -- survey segments from the log ----------------------------------------------------------------


def _by_hand(log: pd.DataFrame) -> pd.Series:
    """Each customer's segment: that of the earliest event, a tie -> the smallest value (as analyze)."""
    first = log.sort_values(["customer_id", "timestamp", "segment"]).groupby("customer_id").head(1)
    return pd.Series(first["segment"].to_numpy(), index=first["customer_id"].astype(str).to_numpy())


@pytest.fixture(scope="module")
def answers(colleen, log):
    """Survey answers without a segment; some respondents not in the log, one with a null id."""
    out = analytics.make_surveys(log, colleen, seed=11, response_rate=0.3).drop(columns="segment")
    out["customer_id"] = out["customer_id"].astype(object)
    out.loc[out.index[:7], "customer_id"] = "ghost-" + out.loc[out.index[:7], "customer_id"]
    out.loc[out.index[7], "customer_id"] = None
    return out


def _hand_segments(answers: pd.DataFrame, log: pd.DataFrame) -> pd.DataFrame:
    seg = answers["customer_id"].map(_by_hand(log)).fillna("(missing)")
    return answers.assign(segment=seg.astype(str))


def test_survey_segments_from_the_log_equal_the_earliest_event(colleen, log, answers):
    log = log.copy()
    # a customer with two segments: the earliest event's counts
    who = str(answers["customer_id"].iloc[20])
    rows = log.index[log["customer_id"] == who]
    log.loc[rows, "segment"] = ["c", *["a"] * (len(rows) - 1)] if len(rows) > 1 else "c"
    log.loc[rows[0], "timestamp"] = log.loc[rows, "timestamp"].min() - pd.Timedelta(days=1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = satisfaction(answers, colleen, segment_col="segment", events=log, customer_col="customer_id")
    assert [str(w.message) for w in caught] == [MISSING_WARNING.format(7, len(answers))]
    hand = _hand_segments(answers, log)
    want = satisfaction(hand, colleen, segment_col="segment", customer_col="customer_id")
    assert got.attrs.pop("segment_source") == "events" and want.attrs.pop("segment_source") == "surveys"
    pd.testing.assert_frame_equal(got, want)
    assert "(missing)" in set(got["segment"]) and got.loc[got["segment"] == "(missing)", "n"].sum() == 8


def test_survey_segments_by_integer_ids_and_on_a_users_connection(colleen, log, answers):
    ints = log.assign(customer_id=log["customer_id"].str[1:].astype("int64"))
    survey = answers.iloc[8:].copy()  # respondents all in the log
    survey["customer_id"] = survey["customer_id"].str[1:].astype("int64")
    hand = _by_hand(ints)
    hand.index = hand.index.astype("int64")
    want = compare_segments(ints, colleen, segment_col="segment",
                            surveys=survey.assign(segment=survey["customer_id"].map(hand)))  # fmt: skip
    assert want["metric"].eq("satisfaction").sum() > 10
    got = compare_segments(ints, colleen, segment_col="segment", surveys=survey)
    pd.testing.assert_frame_equal(got, want)
    # a user's DuckDB relation whose connection reads no Python variables: the same result
    con = duckdb.connect()
    con.execute("SET python_enable_replacements = false")
    rel = con.from_df(ints)
    pd.testing.assert_frame_equal(compare_segments(rel, colleen, segment_col="segment", surveys=survey), want)


def test_survey_of_only_unknown_respondents_is_all_missing(colleen, log, answers):
    ghosts = answers.iloc[:8]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = satisfaction(ghosts, colleen, segment_col="segment", events=log)
    assert [str(w.message) for w in caught] == [MISSING_WARNING.format(7, 8)]
    assert got["segment"].unique().tolist() == ["(missing)"] and got["n"].sum() == 8


# -- Spark --------------------------------------------------------------------------------------


@pytest.mark.spark
def test_step_durations_same_on_spark(spark, colleen, log):
    # the rows come in no order: the same rows, the same categories, the same attrs
    kw = dict(
        journey=colleen, mapping=None, segment="segment", mode="sequential", metrics=["_step_durations"]
    )
    got, got_warnings = spark_tests.recorded(analytics.analyze, spark.createDataFrame(log), **kw)
    want, want_warnings = spark_tests.recorded(analytics.analyze, log, **kw)
    got, want = got["_step_durations"], want["_step_durations"]
    assert got.dtypes.to_dict() == want.dtypes.to_dict() and got.attrs == want.attrs
    assert got_warnings == want_warnings
    pd.testing.assert_frame_equal(_as_text(got), _as_text(want))
    assert len(got) > 1000


@pytest.mark.spark
def test_survey_segments_same_on_spark(spark, colleen, log, answers):
    sdf = spark.createDataFrame(log)
    frames = []
    for events in (sdf, log):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
            frames.append(satisfaction(answers, colleen, segment_col="segment", events=events))
        assert [str(w.message) for w in caught] == [MISSING_WARNING.format(7, len(answers))]
    pd.testing.assert_frame_equal(frames[0], frames[1])
    hand = satisfaction(_hand_segments(answers, log), colleen, segment_col="segment")
    assert frames[0].attrs.pop("segment_source") == "events" and hand.attrs.pop("segment_source") == "surveys"
    pd.testing.assert_frame_equal(frames[0], hand)
    # the respondents' temp view is gone
    assert not [t for t in spark.catalog.listTables() if t.name.startswith("cjm_respondent_ids")]
