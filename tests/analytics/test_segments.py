"""Segments through synthetic data and satisfaction: make_events(segments=), make_surveys, events=."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError
from cjm_jupyter import analytics as an


@pytest.fixture(scope="module")
def log(colleen) -> pd.DataFrame:
    return an.make_events(colleen, customers=400, segments=["mobile", "desktop"], seed=3)


@pytest.fixture(scope="module")
def answers(colleen, log) -> pd.DataFrame:
    return an.make_surveys(log, colleen, response_rate=0.3, seed=3)


# -- make_events(segments=) ------------------------------------------------------------------------


def test_a_list_of_names_gives_equal_shares(colleen, log):
    same = an.make_events(colleen, customers=400, segments={"mobile": 1, "desktop": 1}, seed=3)
    pd.testing.assert_frame_equal(log, same)
    per_customer = log.drop_duplicates("customer_id")["segment"].value_counts()
    assert set(per_customer.index) == {"mobile", "desktop"}
    assert per_customer.sum() == 400 and per_customer.min() >= 170  # binomial(400, 0.5): sd 10
    assert log.groupby("customer_id")["segment"].nunique().max() == 1
    assert str(log["segment"].dtype) == "string"


def test_a_tuple_and_a_zero_share(colleen):
    log = an.make_events(colleen, customers=50, segments=("a", "b"), seed=1)
    assert set(log["segment"]) == {"a", "b"}
    only_a = an.make_events(colleen, customers=50, segments={"a": 1.0, "b": 0.0}, seed=1)
    assert set(only_a["segment"]) == {"a"}


SHARES = "segments= needs segment weights (shares) that are finite, not negative and not all zero"


@pytest.mark.parametrize(
    ("segments", "message"),
    [
        ({"a": -1, "b": 2}, "column 'segments', value {'a': -1, 'b': 2}: " + SHARES),
        ({"a": 0, "b": 0}, "column 'segments', value {'a': 0, 'b': 0}: " + SHARES),
        ({"a": float("inf")}, "column 'segments', value {'a': inf}: " + SHARES),
        ([], "column 'segments', value []: segments= names no segment: give at least one"),
        ({}, "column 'segments', value {}: segments= names no segment: give at least one"),
        (["a", "a"], "column 'segments', value ['a', 'a']: segments= repeats a segment name"),
        ({"a": "x"}, "column 'segments', value {'a': 'x'}: segments= shares must be numbers"),
        (
            "mobile",
            "column 'segments', value 'mobile': segments= must be a list of segment names "
            "(equal shares) or a mapping name -> share, got str",
        ),
    ],
)
def test_bad_segments(colleen, segments, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$") as info:
        an.make_events(colleen, customers=10, segments=segments)
    assert isinstance(info.value, ValidationError) and info.value.column == "segments"


# -- make_surveys keeps the segment ------------------------------------------------------------------


def test_surveys_keep_each_respondents_segment(colleen, log, answers):
    assert list(answers.columns) == ["customer_id", "touchpoint_id", "score", "segment"]
    truth = log.drop_duplicates("customer_id").set_index("customer_id")["segment"]
    assert answers["segment"].tolist() == truth.loc[answers["customer_id"]].tolist()
    # the segment column changes nothing else: same answers as from the log without it
    plain = an.make_surveys(log.drop(columns="segment"), colleen, response_rate=0.3, seed=3)
    pd.testing.assert_frame_equal(answers.drop(columns="segment"), plain)


def test_surveys_without_a_log_segment_have_no_segment_column(colleen):
    log = an.make_events(colleen, customers=30, seed=1)
    assert list(an.make_surveys(log, colleen, seed=1).columns) == ["customer_id", "touchpoint_id", "score"]


# -- satisfaction(segment=, events=) -----------------------------------------------------------------


@pytest.mark.parametrize("level", ["touchpoint", "stage"])
def test_segment_from_the_log_equals_the_surveys_own(colleen, log, answers, level):
    own = an.satisfaction(answers, colleen, segment_col="segment", level=level)
    survey = answers.drop(columns="segment")
    linked = an.satisfaction(survey, colleen, segment_col="segment", events=log, level=level)
    pd.testing.assert_frame_equal(own, linked)
    assert own.attrs["segment_source"] == "surveys" and linked.attrs["segment_source"] == "events"
    assert set(linked["segment"]) == {"mobile", "desktop"}
    assert linked["n"].sum() == len(answers)


def test_the_surveys_own_segment_wins_over_the_log(colleen, log, answers):
    relabelled = answers.assign(segment="web")
    out = an.satisfaction(relabelled, colleen, segment_col="segment", events=log)
    assert set(out["segment"]) == {"web"} and out.attrs["segment_source"] == "surveys"


def test_linked_by_the_customer_column_and_named_log_columns(colleen, log, answers):
    survey = answers.drop(columns="segment").rename(columns={"customer_id": "who"})
    events = log.rename(columns={"customer_id": "cust", "timestamp": "at", "event": "what"})
    out = an.satisfaction(
        survey, colleen, segment_col="segment", customer_col="who", events=events,
        event_columns={"customer": "cust", "time": "at", "event": "what"},
    )  # fmt: skip
    renamed = answers.rename(columns={"customer_id": "who"})
    expected = an.satisfaction(renamed, colleen, segment_col="segment", customer_col="who")
    pd.testing.assert_frame_equal(out, expected)


def test_log_from_parquet(colleen, log, answers, tmp_path):
    path = tmp_path / "log.parquet"
    log.to_parquet(path)
    out = an.satisfaction(answers.drop(columns="segment"), colleen, segment_col="segment", events=str(path))
    pd.testing.assert_frame_equal(out, an.satisfaction(answers, colleen, segment_col="segment"))


def test_respondents_not_in_the_log_are_missing(colleen, log, answers):
    survey = answers.drop(columns="segment").copy()
    survey.loc[:4, "customer_id"] = "stranger"
    with pytest.warns(UserWarning) as caught:
        out = an.satisfaction(survey, colleen, segment_col="segment", events=log, level="stage")
    assert [str(w.message) for w in caught] == [
        f"5 of {len(survey)} survey rows have a respondent ('customer_id') not in the event log: "
        "their segment is '(missing)'"
    ]
    assert out.groupby("segment")["n"].sum()["(missing)"] == 5


def test_no_segment_column_anywhere(colleen, log, answers):
    survey = answers.drop(columns="segment")
    with pytest.raises(ValidationError) as info:
        an.satisfaction(survey, colleen, segment_col="segment", events=log.drop(columns="segment"))
    assert str(info.value) == (
        "frame 'surveys', column 'segment': neither the survey table nor the event log has a segment "
        "column 'segment' (survey columns: 'customer_id', 'touchpoint_id', 'score'; event log columns: "
        "'customer_id', 'timestamp', 'event', 'channel'); pass segment_col=<column name>"
    )
    with pytest.raises(ValidationError) as info:
        an.satisfaction(survey, colleen, segment_col="segment")
    assert str(info.value) == (
        "frame 'surveys', column 'segment': the survey table has no segment column 'segment' (columns: "
        "'customer_id', 'touchpoint_id', 'score'); pass segment_col=<column name>, or events=<the event log> "
        "to take each respondent's segment from the log"
    )


def test_no_respondent_column_to_link(colleen, log, answers):
    survey = answers.drop(columns=["segment", "customer_id"])
    with pytest.raises(ValidationError) as info:
        an.satisfaction(survey, colleen, segment_col="segment", events=log)
    assert str(info.value) == (
        "frame 'surveys', column 'customer_id': the survey table has no customer column 'customer_id' "
        "(columns: 'touchpoint_id', 'score'); pass customer=<column name>"
    )


def test_bad_event_columns_role(colleen, log, answers):
    with pytest.raises(ValidationError, match="event_columns takes the roles 'customer', 'time' and 'event'"):
        survey = answers.drop(columns="segment")
        an.satisfaction(survey, colleen, segment_col="segment", events=log, event_columns={"user": "x"})


def test_events_unused_without_segment(colleen, answers):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = an.satisfaction(answers, colleen, events="no such file.parquet")
    assert "segment" not in out.columns and "segment_source" not in out.attrs
