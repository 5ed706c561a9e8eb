"""Customer ids keep their own type: the same metrics whatever the id type, ids back in the input's type.

The log is one :func:`~cjm_jupyter.analytics.make_events` log (ties, duplicates,
segments, orders and returns) whose text ids are swapped one for one for
integers, UUIDs, dates or floats, chosen so that each type sorts the
customers in another order than the text does. Every metric must give the
same frame; results holding ids (``customer_profiles``, ``step_times``)
give them back in the input's type (rows then compared through the swap).
"""

from __future__ import annotations

import datetime as dt
import uuid
import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402

from ..support.analytics_ids import (  # noqa: E402
    ALL_METRICS,
    ID_DTYPES,
    MAPPING,
    as_kind,
    hand_journey,
    journey,
    small_log,
)

#: results that hold customer ids
ID_RESULTS = ("customer_profiles", "step_times")


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


def results(log: pd.DataFrame, **kw) -> dict[str, pd.DataFrame]:
    """Every metric on ``log``: analyze's (three transition levels), single calls, outcomes."""
    j = journey()
    out = dict(quiet(an.analyze, log, j, metrics=ALL_METRICS, segment_col="segment", **kw))
    for level in ("touchpoint", "event"):
        out[f"transitions_{level}"] = quiet(an.transitions, log, j, level=level, segment_col="segment")
    # single calls take other plans: the funnel and step times straight from the events (no sort)
    out["funnel_alone"] = quiet(an.funnel, log, j, segment_col="segment", **kw)
    out["step_times_alone"] = quiet(an.step_times, log, j, segment_col="segment", **kw)
    out["profiles_unsegmented"] = quiet(an.customer_profiles, log, j, **kw)
    out["revenue"] = quiet(an.revenue, log, j, segment_col="segment")
    return out


def canonical(frame: pd.DataFrame, back: dict[object, str]) -> pd.DataFrame:
    """``frame`` with its ids turned into the text ids, rows in (segment, text id) order."""
    out = frame.assign(customer_id=[back[v] for v in frame["customer_id"]])
    out["customer_id"] = out["customer_id"].astype("str")
    keys = [k for k in ("segment", "customer_id") if k in out.columns]
    return out.sort_values(keys, kind="stable", ignore_index=True)


@pytest.fixture(scope="module", params=["first_reach", "sequential"])
def want(request, base) -> tuple[str, dict[str, pd.DataFrame]]:
    return request.param, results(base, mode=request.param)


@pytest.mark.parametrize("kind", ["int", "uuid", "date", "float"])
def test_every_metric_same_whatever_the_id_type(base, want, kind):
    mode, expected = want
    log, back = as_kind(base, kind)
    got = results(log, mode=mode)
    assert list(got) == list(expected)
    for name, frame in got.items():
        if "customer_id" in frame.columns:
            ids = frame["customer_id"]
            assert str(ids.dtype) == ID_DTYPES[kind], name
            if kind == "uuid":
                assert all(isinstance(v, uuid.UUID) for v in ids), name
            if kind == "date":  # dates stay dates (datetime.date, not timestamps)
                assert all(type(v) is dt.date for v in ids), name
            assert set(ids) <= set(back), name
            frame, other = canonical(frame, back), canonical(expected[name], {s: s for s in back.values()})
        else:
            other = expected[name]
        pd.testing.assert_frame_equal(frame, other, obj=name)
        # sums of floats (revenue's total) may add up in another order
        floats = {k for k, v in expected[name].attrs.items() if isinstance(v, float)}
        assert {k: v for k, v in frame.attrs.items() if k not in floats} == {
            k: v for k, v in expected[name].attrs.items() if k not in floats
        }, name
        for k in floats:
            assert frame.attrs[k] == pytest.approx(expected[name].attrs[k]), (name, k)
    assert len(got["customer_profiles"]) == base["customer_id"].nunique()


@pytest.mark.parametrize("kind", ["int", "uuid", "date", "float"])
def test_ids_sorted_in_their_own_type(base, kind):
    log, _ = as_kind(base, kind)
    prof = quiet(an.customer_profiles, log, journey())
    # no segment: one block, sorted by the id itself (integers numerically, not as text)
    assert prof["customer_id"].tolist() == sorted(log["customer_id"].unique())
    steps = quiet(an.step_times, log, journey())
    assert steps["customer_id"].tolist() == sorted(steps["customer_id"])


def test_text_ids_come_back_as_strings(base):
    prof = quiet(an.customer_profiles, base, journey())
    assert str(prof["customer_id"].dtype) == "str"
    assert prof["customer_id"].tolist() == sorted(base["customer_id"].unique())


def test_retention_and_cohorts_same_whatever_the_id_type(base):
    pytest.importorskip("statsmodels")  # retention's intervals
    j = journey()
    outcomes = (an.retention, an.retention_cohorts)
    want = {fn.__name__: quiet(fn, base, j, segment_col="segment") for fn in outcomes}
    for kind in ("int", "uuid", "date", "float"):
        log, _ = as_kind(base, kind)
        for fn in (an.retention, an.retention_cohorts):
            got = quiet(fn, log, j, segment_col="segment")
            pd.testing.assert_frame_equal(got, want[fn.__name__], obj=f"{fn.__name__} {kind}")


@pytest.mark.parametrize("kind", ["int", "uuid", "date", "float"])
def test_sessionize_same_whatever_the_id_type(base, kind):
    want = an.sessionize(base, gap="1h")
    log, _ = as_kind(base, kind)
    got = an.sessionize(log, gap="1h")
    pd.testing.assert_series_equal(got["session"], want["session"])
    pd.testing.assert_series_equal(got["customer_id"], log["customer_id"])  # untouched, its own dtype


def test_sessionize_gives_empty_text_ids_no_session_and_refuses_mixed_types():
    ev = pd.DataFrame({
        "customer_id": ["a", "", "a", None],
        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-03"]),
        "event": ["x"] * 4,
    })  # fmt: skip
    message = "2 events with a null or empty 'customer_id' or a null 'timestamp' get no session"
    with pytest.warns(UserWarning, match=message):
        raw = an.sessionize(ev, gap="1h")
    assert raw["session"].tolist() == [1, pd.NA, 2, pd.NA]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the log's own "dropped" warning
        log = an.EventLog(ev)
    with log, pytest.warns(UserWarning, match=message):
        assert an.sessionize(log, gap="1h")["session"].tolist() == [1, pd.NA, 2, pd.NA]
    # integer 0 is an id, not a missing one
    zero = ev.assign(customer_id=[0, 0, 0, 1])
    assert an.sessionize(zero, gap="1h")["session"].tolist() == [1, 1, 2, 1]
    mixed = ev.assign(customer_id=pd.Series([1, "1", 1, "1"], dtype=object))
    with pytest.raises(ValidationError, match=r"holds values of several types \(int, str\)"):
        an.sessionize(mixed)


def test_integer_ids_from_parquet_and_arrow(base, tmp_path):
    pa = pytest.importorskip("pyarrow")
    log, _ = as_kind(base, "int")
    path = tmp_path / "log.parquet"
    log.to_parquet(path)
    want = quiet(an.customer_profiles, log, journey(), segment_col="segment")
    for events in (str(path), pa.Table.from_pandas(log), duckdb.connect().from_df(log)):
        got = quiet(an.customer_profiles, events, journey(), segment_col="segment")
        assert str(got["customer_id"].dtype) == "int64"
        pd.testing.assert_frame_equal(got, want)
    # int32 ids (e.g. a Parquet INTEGER column) come back as int64 too, on every engine
    small = log.assign(customer_id=log["customer_id"].astype("int32"))
    pd.testing.assert_frame_equal(quiet(an.customer_profiles, small, journey(), segment_col="segment"), want)


# -- mixed, empty and float ids ---------------------------------------------------------------


def test_mixed_python_types_are_an_error():
    with pytest.raises(ValidationError) as err:
        an.funnel(small_log([1, "1", 2]), hand_journey(), mapping=MAPPING)
    assert err.value.rule == (
        "the customer column 'customer_id' holds values of several types (int, str): convert it to "
        "one type first (e.g. .astype(str)), so that 1 and '1' are not taken for one customer"
    )
    assert err.value.column == "customer_id"
    # the check names every type found, in name order, whatever the column's name
    log = small_log([uuid.UUID(int=1), "x", 2.5, None]).rename(columns={"customer_id": "who"})
    with pytest.raises(ValidationError, match=r"'who' holds values of several types \(UUID, float, str\)"):
        an.funnel(log, hand_journey(), mapping=MAPPING, customer_col="who")
    with pytest.raises(ValidationError, match=r"several types \(float, int\)"):
        an.customer_profiles(small_log([1, 1.5]), hand_journey(), mapping=MAPPING)


def test_one_python_type_in_an_object_column_is_fine():
    # ints, strings, UUIDs or dates held as Python objects (nulls allowed) are one type each
    for ids in ([1, 2, None], ["a", None, "b"], [uuid.UUID(int=2), uuid.UUID(int=1)], [dt.date(2024, 1, 2)]):
        prof = quiet(an.customer_profiles, small_log(ids), hand_journey(), mapping=MAPPING)
        assert prof["customer_id"].tolist() == sorted(v for v in ids if v is not None)


def test_union_column_is_an_error():
    con = duckdb.connect()
    kind = "UNION(i BIGINT, s VARCHAR)"
    rel = con.sql(
        f"SELECT * FROM (VALUES (union_value(i := 1)::{kind}, TIMESTAMP '2024-03-01', 'e0'),"
        f" (union_value(s := '1')::{kind}, TIMESTAMP '2024-03-01', 'e0')) AS v(customer_id, timestamp, event)"
    )
    with pytest.raises(ValidationError) as err:
        an.funnel(rel, hand_journey(), mapping=MAPPING)
    assert err.value.rule == (
        "the customer column 'customer_id' holds several types (UNION(i BIGINT, s VARCHAR)): cast it to "
        "one type first, so that 1 and '1' are not taken for one customer"
    )


def test_empty_text_ids_are_missing_like_null():
    ids = ["a", "", "b", None, "", "c"]
    log = small_log(ids).assign(customer_id=lambda f: f["customer_id"].astype("str"))
    with pytest.warns(UserWarning) as caught:
        out = an.funnel(log, hand_journey(), mapping=MAPPING)
    assert [str(w.message) for w in caught] == [
        "dropped 3 of 6 events with a null or empty 'customer_id' or a null 'timestamp' or 'event'"
    ]
    assert out.attrs["dropped_null"] == 3
    assert out["customers"].tolist()[0] == 3  # a, b, c: '' is nobody
    prof = quiet(an.customer_profiles, log, hand_journey(), mapping=MAPPING)
    assert prof["customer_id"].tolist() == ["a", "b", "c"]
    # the same in an object column, and every id empty is the empty-log error
    obj = quiet(an.customer_profiles, log.astype({"customer_id": object}), hand_journey(), mapping=MAPPING)
    pd.testing.assert_frame_equal(obj, prof)
    with pytest.raises(ValidationError, match="every row of the event log has a null or empty 'customer_id'"):
        an.funnel(small_log(["", None]).astype({"customer_id": "str"}), hand_journey(), mapping=MAPPING)


def test_null_ids_of_other_types_keep_the_old_warning():
    log = small_log([1, None, 2]).astype({"customer_id": "Int64"})
    with pytest.warns(UserWarning) as caught:
        out = an.funnel(log, hand_journey(), mapping=MAPPING)
    assert [str(w.message) for w in caught] == [
        "dropped 1 of 3 events with a null 'customer_id', 'timestamp' or 'event'"
    ]
    assert out["customers"].tolist()[0] == 2


def test_float_ids_stay_floats():
    log = small_log([1.0, 1.5, 2.0, 1.0], ["e0", "e0", "e0", "e2"]).astype({"customer_id": "float64"})
    prof = quiet(an.customer_profiles, log, hand_journey(), mapping=MAPPING)
    assert str(prof["customer_id"].dtype) == "float64"
    assert prof["customer_id"].tolist() == [1.0, 1.5, 2.0]
    assert prof["events"].tolist() == [2, 1, 1]
    steps = quiet(an.step_times, log, hand_journey(), mapping=MAPPING)
    assert steps["customer_id"].tolist() == [1.0] and str(steps["customer_id"].dtype) == "float64"


def test_empty_id_results_keep_the_type():
    # nobody reaches a second step: step_times is empty, its id column still of the input's type
    for kind, dtype in (("int", "int64"), ("text", "str"), ("float", "float64")):
        ids = {"int": [1, 2], "text": ["a", "b"], "float": [1.0, 2.0]}[kind]
        log = small_log(ids).astype({"customer_id": dtype})
        steps = quiet(an.step_times, log, hand_journey(), mapping=MAPPING)
        assert len(steps) == 0 and str(steps["customer_id"].dtype) == dtype, kind


def test_ids_of_two_types_never_merge_in_a_typed_column(base):
    # the same digits as text and as integers are different logs, each with its own customers
    log, _ = as_kind(base, "int")
    as_text = log.assign(customer_id=log["customer_id"].astype("str"))
    a = quiet(an.customer_profiles, log, journey())
    b = quiet(an.customer_profiles, as_text, journey())
    assert a["customer_id"].tolist() == sorted(log["customer_id"].unique())
    assert b["customer_id"].tolist() == sorted(as_text["customer_id"].unique())  # text order: "105" < "14"
    assert a["customer_id"].astype("str").tolist() != b["customer_id"].tolist()
    assert np.array_equal(np.sort(a["events"]), np.sort(b["events"]))
