"""cjm_jupyter.analytics: sessionize, satisfaction and Journey.measure."""

from __future__ import annotations

import math
import statistics
import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402

from ..support.analytics import make_journey  # noqa: E402


def ts(*minutes: float) -> list[pd.Timestamp]:
    return [pd.Timestamp("2024-03-01") + pd.Timedelta(minutes=m) for m in minutes]


# -- sessionize --------------------------------------------------------------------------------


def test_sessionize_by_hand():
    df = pd.DataFrame(
        {
            "who": ["a", "a", "b", "a", "a", "b", "a"],
            "when": ts(0, 20, 0, 51, 80, 31, 80),
            "x": range(7),
        }
    )
    out = an.sessionize(df, customer_col="who", time_col="when", gap="30min")
    # a: 0, 20 (gap 20) | 51 (gap 31 > 30) | 80, 80 (gap 29, tie) ; b: 0 | 31
    assert out["session"].tolist() == [1, 1, 1, 2, 2, 2, 2]
    assert str(out["session"].dtype) == "Int64"
    assert out[["who", "when", "x"]].equals(df)  # input order and columns kept
    assert "session" not in df.columns  # input untouched
    # a gap of exactly 30 minutes stays in the session ("exceeds")
    out = an.sessionize(pd.DataFrame({"customer_id": ["a", "a"], "timestamp": ts(0, 30)}))
    assert out["session"].tolist() == [1, 1]
    out = an.sessionize(df, customer_col="who", time_col="when", gap=pd.Timedelta(minutes=10))
    assert out["session"].tolist() == [1, 2, 1, 3, 4, 2, 4]


def test_sessionize_nulls_tz_and_other_inputs(tmp_path):
    df = pd.DataFrame(
        {
            "customer_id": ["a", None, "a", "a"],
            "timestamp": pd.DatetimeIndex(ts(0, 0, 10, 100)).tz_localize("Europe/Paris"),
        }
    )
    with pytest.warns(UserWarning, match="1 events"):
        out = an.sessionize(df)
    assert out["session"].isna().tolist() == [False, True, False, False]
    assert out["session"].dropna().tolist() == [1, 1, 2]
    path = tmp_path / "e.parquet"
    kept = df.dropna()  # noqa: F841 - read by DuckDB below
    duckdb.sql(f"COPY (SELECT * FROM kept) TO '{path}' (FORMAT parquet)")
    assert an.sessionize(str(path))["session"].tolist() == [1, 1, 2]


def pandas_sessions(df: pd.DataFrame, gap: pd.Timedelta) -> pd.Series:
    s = df.sort_values(["customer_id", "timestamp"], kind="stable")
    new = s.groupby("customer_id")["timestamp"].diff().pipe(lambda d: d.isna() | (d > gap))
    return new.astype(int).groupby(s["customer_id"]).cumsum().reindex(df.index)


@pytest.mark.parametrize("seed", range(5))
def test_sessionize_matches_pandas(seed):
    rng = np.random.default_rng(seed)
    n = 400
    df = pd.DataFrame(
        {
            "customer_id": rng.choice([f"c{i}" for i in range(15)], n),
            # whole minutes: ties and exact-gap cases happen
            "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 600, n), unit="min"),
        }
    )
    gap = pd.Timedelta(minutes=int(rng.integers(5, 40)))
    got = an.sessionize(df, gap=gap)["session"].astype("int64")
    # ties: pandas gives each tied row the same session only if their diff is 0 <= gap: always true
    assert got.tolist() == pandas_sessions(df, gap).tolist()


def test_sessionize_relation_in_any_order_and_clashing_names():
    # a relation that gives its rows in another order on every run: the sessions must
    # still sit on the rows they were computed for (one query returns both)
    rng = np.random.default_rng(3)
    n = 300
    base = pd.DataFrame(  # noqa: F841 - read by DuckDB below
        {
            "customer_id": rng.choice(["a", "b", "c"], n),
            "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="min"),
            "session": -1,  # replaced
            "__c": "user column",  # not clashing with the query's own names
        }
    )
    con = duckdb.connect()
    rel = con.sql("SELECT * FROM base ORDER BY random()")
    out = an.sessionize(rel, gap="20min")
    assert list(out.columns) == ["customer_id", "timestamp", "__c", "session"]
    assert (out["__c"] == "user column").all()
    want = pandas_sessions(out[["customer_id", "timestamp"]], pd.Timedelta(minutes=20))
    assert out["session"].astype("int64").tolist() == want.tolist()


@pytest.mark.parametrize("gap", ["0min", "-5min", "soon", 30, None, True])
def test_sessionize_bad_gap(gap):
    df = pd.DataFrame({"customer_id": ["a"], "timestamp": ts(0)})
    with pytest.raises(ValidationError, match="gap"):
        an.sessionize(df, gap=gap)


def test_sessionize_bad_columns():
    df = pd.DataFrame({"customer_id": ["a"], "timestamp": ["2024-01-01"]})
    with pytest.raises(ValidationError, match="'who'"):
        an.sessionize(df, customer_col="who")
    with pytest.raises(ValidationError, match="timestamps or dates"):
        an.sessionize(df)


# -- satisfaction ------------------------------------------------------------------------------


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


@pytest.fixture
def surveys() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "touchpoint_id": ["t0", "t0", "t0", "t2", "t2", "t3"],
            "score": [5, 4, 3, 1, 2, 4],
            "who": ["c1", "c2", "c1", "c1", "c3", "c2"],
            "channel": ["web", "app", "web", "web", "app", None],
        }
    )


def test_satisfaction_by_hand(surveys):
    out = an.satisfaction(surveys, make_journey(), customer_col="who")
    assert list(out.columns) == [
        "stage_id", "stage", "touchpoint_id", "touchpoint",
        "n", "customers", "mean", "std", "ci_low", "ci_high",
    ]  # fmt: skip
    assert out["touchpoint_id"].tolist() == ["t0", "t1", "t2", "t3", "t4"]
    assert out["n"].tolist() == [3, 0, 2, 1, 0]
    assert out["customers"].tolist() == [2, 0, 2, 1, 0]
    # CSAT 1..5 -> -2..+2: 5 -> 2, 4 -> 1, 3 -> 0, 1 -> -2, 2 -> -1
    t0 = out.iloc[0]
    assert t0["mean"] == pytest.approx(1.0) and t0["std"] == pytest.approx(1.0)
    half = 1.959963984540054 * 1.0 / math.sqrt(3)
    assert (t0.ci_low, t0.ci_high) == (pytest.approx(1 - half), 2.0)  # clipped to the scale
    assert out.iloc[2]["mean"] == pytest.approx(-1.5)
    assert out.iloc[3]["mean"] == 1.0 and np.isnan(out.iloc[3]["std"]) and np.isnan(out.iloc[3]["ci_low"])
    assert np.isnan(out.iloc[1]["mean"])
    st = an.satisfaction(surveys, make_journey(), level="stage")
    assert st[["stage_id", "n"]].values.tolist() == [["s0", 3], ["s1", 2], ["s2", 1]]
    seg = an.satisfaction(surveys, make_journey(), level="stage", segment_col="channel")
    got = {(r.segment, r.stage_id): r.n for r in seg.itertuples() if r.n}
    assert got == {
        ("app", "s0"): 1,
        ("app", "s1"): 1,
        ("web", "s0"): 2,
        ("web", "s1"): 1,
        ("(missing)", "s2"): 1,
    }


@pytest.mark.parametrize(
    ("scale", "score", "emotion"),
    [("csat", 3, 0.0), ("nps", 10, 2.0), ("nps", 0, -2.0), ("nps", 5, 0.0), ("likert7", 4, 0.0),
     ("likert7", 7, 2.0), ("likert5", 2, -1.0), ((0, 100), 75, 1.0)],
)  # fmt: skip
def test_scales(scale, score, emotion):
    s = pd.DataFrame({"touchpoint_id": ["t1"], "score": [score]})
    out = an.satisfaction(s, make_journey(), scale=scale)
    assert out.set_index("touchpoint_id").loc["t1", "mean"] == pytest.approx(emotion)


@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_ci_matches_straightforward(confidence):
    rng = np.random.default_rng(1)
    s = pd.DataFrame(
        {"touchpoint_id": rng.choice(["t0", "t2", "t3"], 200), "score": rng.integers(0, 11, 200)}
    )
    out = an.satisfaction(s, make_journey(), scale="nps", confidence=confidence).set_index("touchpoint_id")
    z = statistics.NormalDist().inv_cdf((1 + confidence) / 2)
    for tp, grp in s.groupby("touchpoint_id"):
        e = [-2 + 4 * v / 10 for v in grp["score"]]
        m, sd = statistics.mean(e), statistics.stdev(e)
        row = out.loc[tp]
        assert row["n"] == len(e)
        assert row["mean"] == pytest.approx(m) and row["std"] == pytest.approx(sd)
        assert row["ci_low"] == pytest.approx(max(-2, m - z * sd / math.sqrt(len(e))))
        assert row["ci_high"] == pytest.approx(min(2, m + z * sd / math.sqrt(len(e))))


def test_satisfaction_unknown_and_null(surveys):
    s = pd.concat(
        [
            surveys,
            pd.DataFrame({"touchpoint_id": ["tX", "tX", "tY", None, "t1"], "score": [3, 4, 5, 2, None]}),
        ],
        ignore_index=True,
    )
    with pytest.warns(UserWarning) as rec:
        out = an.satisfaction(s, make_journey())
    messages = " ".join(str(w.message) for w in rec)
    assert "'tX': 2" in messages and "null" in messages
    assert out.attrs["unknown"] == {"tX": 2, "tY": 1}
    assert out.attrs["dropped_null"] == 2
    assert out["n"].sum() == len(surveys)


def test_satisfaction_by_segment_with_every_answer_left_out(surveys):
    unknown = surveys.assign(touchpoint_id="tX")
    with pytest.warns(UserWarning, match="not in the journey"):
        out = an.satisfaction(unknown, make_journey(), segment_col="channel", customer_col="who")
    assert out.empty and out.attrs["unknown"] == {"tX": len(surveys)}
    assert list(out.columns[:2]) == ["segment", "stage_id"] and "customers" in out.columns


def test_satisfaction_bad_inputs(surveys):
    j = make_journey()
    with pytest.raises(ValidationError, match=r"column 'score'.*value 6") as exc:
        an.satisfaction(surveys.assign(score=[5, 6, 3, 1, 2, 4]), j)
    assert exc.value.column == "score" and exc.value.value == 6
    with pytest.raises(ValidationError, match="value 0"):
        an.satisfaction(surveys.assign(score=[0, 5, 3, 1, 2, 4]), j, scale="likert7")
    with pytest.raises(ValidationError, match="'rating'"):
        an.satisfaction(surveys, j, score_col="rating")
    with pytest.raises(ValidationError, match="'tp'"):
        an.satisfaction(surveys, j, touchpoint_col="tp")
    with pytest.raises(ValidationError, match="numeric"):
        an.satisfaction(surveys.assign(score=surveys["score"].astype(str)), j)
    with pytest.raises(ValidationError, match="scale"):
        an.satisfaction(surveys, j, scale="stars")
    with pytest.raises(ValidationError, match="scale"):
        an.satisfaction(surveys, j, scale=(5, 1))
    with pytest.raises(ValidationError, match="level"):
        an.satisfaction(surveys, j, level="persona")
    for bad in (0, 1, 1.5, "0.9"):
        with pytest.raises(ValidationError, match="confidence"):
            an.satisfaction(surveys, j, confidence=bad)
    with pytest.raises(ValidationError, match="empty"):
        an.satisfaction(surveys.iloc[:0], j)


# -- Journey.measure ---------------------------------------------------------------------------

MAPPING = {"e0": "t0", "e1": "t1", "e2": "t2", "e3": "t2", "e4": "t3", "e5": "t4", "e6": "t0"}


@pytest.fixture
def log() -> pd.DataFrame:
    # c1: s0 s1 s2; c2: s0 s1; c3: s0; c4: s1
    rows = [("c1", 0, "e0"), ("c1", 5, "e2"), ("c1", 9, "e4"), ("c2", 0, "e1"), ("c2", 3, "e3"),
            ("c3", 1, "e0"), ("c4", 2, "e2")]  # fmt: skip
    return pd.DataFrame(
        {"cust": [r[0] for r in rows], "timestamp": ts(*[r[1] for r in rows]), "event": [r[2] for r in rows]}
    )


def fresh_journey():
    j = make_journey().copy()
    j.add_persona("Ann", id="p1")
    j.set_emotion("p1", score=1, touchpoint="t0")  # assumed: kept
    j.add_metric("NPS", 30, stage="s0", source="workshop")  # assumed: kept
    return j


def test_measure_attaches_rows(log, surveys):
    j = fresh_journey()
    changes = []
    j.observe(changes.append)
    res = j.measure(log, surveys, mapping=MAPPING, customer_col="cust")
    assert [c.kind for c in changes] == ["batch"]  # one change for observers
    assert set(res) == {"funnel", "exits", "satisfaction"}
    m = j.metrics
    got = m[m["source"] == "analytics"]
    assert (got["basis"] == "measured").all()
    cust = got[got["name"] == "customers"].set_index("stage_id")
    assert cust["value"].to_dict() == {"s0": 3.0, "s1": 3.0, "s2": 1.0}
    assert cust["n"].tolist() == [3, 3, 1]
    conv = got[got["name"] == "conversion"].set_index("stage_id")
    assert conv["value"].to_dict() == {"s1": 1.0, "s2": pytest.approx(1 / 3)}
    assert conv["n"].tolist() == [3, 3]
    assert (m["name"] == "NPS").sum() == 1
    e = j.emotions
    measured = e[e["source"] == "survey"].set_index("touchpoint_id")
    assert measured["persona_id"].isna().all() and (measured["basis"] == "measured").all()
    assert measured["score"].to_dict() == {"t0": 1.0, "t2": -1.5, "t3": 1.0}
    assert measured["n"].to_dict() == {"t0": 3, "t2": 2, "t3": 1}
    assert ((e["persona_id"] == "p1") & (e["basis"] == "assumed")).sum() == 1


def test_measure_rerun_replaces(log, surveys):
    j = fresh_journey()
    j.measure(log, surveys, mapping=MAPPING, customer_col="cust")
    n_metrics, n_emotions = len(j.metrics), len(j.emotions)
    j.measure(log[log["cust"] != "c1"], surveys.iloc[:3], mapping=MAPPING, customer_col="cust")
    assert len(j.metrics) == n_metrics - 1  # replaced, not appended (c1's exit rate at t3 is gone)
    got = j.metrics[j.metrics["source"] == "analytics"]
    got = got[got["stage_id"].notna()].set_index(["name", "stage_id"])["value"]
    assert got.to_dict() == {
        ("customers", "s0"): 2.0, ("customers", "s1"): 2.0, ("customers", "s2"): 0.0,
        ("conversion", "s1"): 1.0, ("conversion", "s2"): 0.0,
    }  # fmt: skip
    e = j.emotions
    assert e.loc[e["source"] == "survey", "touchpoint_id"].tolist() == ["t0"]
    assert len(e) == n_emotions - 2
    # without surveys the measured emotions stay
    j.measure(log, mapping=MAPPING, customer_col="cust")
    assert (j.emotions["source"] == "survey").sum() == 1


def test_measure_failure_changes_nothing(log, surveys):
    j = fresh_journey()
    j.measure(log, surveys, mapping=MAPPING, customer_col="cust")
    before = j.copy()
    with pytest.raises(ValidationError, match="score"):
        j.measure(log, surveys.assign(score=9), mapping=MAPPING, customer_col="cust")
    with pytest.raises(ValidationError, match="'who'"):
        j.measure(log, surveys, mapping=MAPPING, customer_col="who")
    with pytest.raises(ValidationError):
        j.measure(log, surveys, mapping={"e0": "nope"}, customer_col="cust")
    assert j.equals(before)


def test_measure_failure_inside_the_batch_rolls_back(log, surveys, monkeypatch):
    j = fresh_journey()
    j.measure(log, surveys, mapping=MAPPING, customer_col="cust")
    before = j.copy()

    real_add = j.add

    def boom(frame, *args, **kwargs):
        if frame == "emotions":
            raise RuntimeError("boom")
        return real_add(frame, *args, **kwargs)

    monkeypatch.setattr(j, "add", boom)  # fails after the old rows were removed and metrics added
    with pytest.raises(RuntimeError, match="boom"):
        j.measure(log[log["cust"] != "c1"], surveys, mapping=MAPPING, customer_col="cust")
    assert j.equals(before)


def test_measure_no_conversion_after_an_empty_stage(log):
    j = fresh_journey()
    j.measure(log[~log["event"].isin(["e0", "e1"])], mapping=MAPPING, customer_col="cust")
    conv = j.metrics[j.metrics["name"] == "conversion"]
    assert conv["stage_id"].tolist() == ["s2"]  # s0 has no customers: no s0 -> s1 conversion
    assert "measure" in an.__all__ and an.measure is not None


def test_measure_writes_exit_rates_per_touchpoint(log):
    j = fresh_journey()
    res = j.measure(log, mapping=MAPPING, customer_col="cust")
    assert not (j.metrics["name"] == "bounce rate").any()
    got = j.metrics[j.metrics["name"] == "exit rate"].set_index("touchpoint_id")
    # last events: c1 at t3 (reached s2, the goal: completed), c2 at t2 (e3), c3 at t0, c4 at t2
    # visitors: t0 {c1, c3}, t1 {c2}, t2 {c1, c2, c4}, t3 {c1}
    assert got["value"].to_dict() == {"t0": 0.5, "t1": 0.0, "t2": pytest.approx(2 / 3), "t3": 0.0}
    assert got["n"].to_dict() == {"t0": 2, "t1": 1, "t2": 3, "t3": 1}
    assert got["stage_id"].isna().all() and (got["basis"] == "measured").all()
    assert (got["unit"] == "ratio").all()
    visited = res["exits"][res["exits"]["customers"] > 0]
    assert visited["touchpoint_id"].tolist() == ["t0", "t1", "t2", "t3"]


def test_measure_by_segment_writes_overall_and_segment_rows(log):
    j = fresh_journey()
    seg = log.assign(channel=log["cust"].map({"c1": "web", "c2": "web", "c3": "app", "c4": "app"}))
    res = j.measure(seg, mapping=MAPPING, customer_col="cust", segment_col="channel")
    m = j.metrics[(j.metrics["name"] == "customers")]
    overall = m[m["segment"].isna()].set_index("stage_id")["value"].to_dict()
    assert overall == {"s0": 3.0, "s1": 3.0, "s2": 1.0}
    web = m[m["segment"] == "web"].set_index("stage_id")["value"].to_dict()
    app = m[m["segment"] == "app"].set_index("stage_id")["value"].to_dict()
    assert web == {"s0": 2.0, "s1": 2.0, "s2": 1.0}
    assert app == {"s0": 1.0, "s1": 1.0, "s2": 0.0}
    assert set(res) == {"funnel", "exits", "funnel_by_segment", "exits_by_segment"}
    # a re-run without segment removes the segment rows too
    j.measure(seg, mapping=MAPPING, customer_col="cust")
    assert j.metrics.loc[j.metrics["source"] == "analytics", "segment"].isna().all()


def test_measure_stage_level_satisfaction(log, surveys):
    j = fresh_journey()
    res = j.measure(log, surveys, mapping=MAPPING, customer_col="cust", survey_level="stage")
    e = j.emotions
    measured = e[e["source"] == "survey"]
    assert measured["touchpoint_id"].isna().all()
    sat = res["satisfaction"].set_index("stage_id")
    answered = sat[sat["n"] > 0]
    assert measured.set_index("stage_id")["score"].to_dict() == answered["mean"].to_dict()
    assert measured.set_index("stage_id")["n"].to_dict() == answered["n"].to_dict()
    with pytest.raises(ValidationError, match="survey_level"):
        j.measure(log, surveys, mapping=MAPPING, customer_col="cust", survey_level="persona")


def test_measure_warns_once_at_the_callers_line(log, surveys):
    j = fresh_journey()
    noisy = pd.concat([log, log.head(1).assign(event="zz")], ignore_index=True)
    noisy = noisy.assign(channel="web")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        j.measure(
            noisy, surveys, mapping=MAPPING, customer_col="cust", segment_col="channel", respondent_col="who"
        )
    unmapped = [w for w in caught if "map to no touchpoint" in str(w.message)]
    assert len(unmapped) == 1  # not once per analysis pass
    assert {w.filename for w in caught if w.category is UserWarning} == {__file__}


def test_measure_warns_when_no_respondent_is_in_the_log(log, surveys):
    j = fresh_journey()
    strangers = surveys.assign(who=[f"x{i}" for i in range(len(surveys))])
    with pytest.warns(UserWarning, match=r"survey column 'who'.*event log's 'cust' column"):
        res = j.measure(log, strangers, mapping=MAPPING, customer_col="cust", respondent_col="who")
    assert res["satisfaction"].attrs["matched_respondents"] == 0
    known = surveys.assign(who=["c1", "c2", "zz"] + ["c1"] * (len(surveys) - 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        res = j.measure(log, known, mapping=MAPPING, customer_col="cust", respondent_col="who")
    assert res["satisfaction"].attrs["matched_respondents"] == 2
    before = j.copy()
    with pytest.raises(ValidationError, match="respondent column 'nobody'"):
        j.measure(log, surveys, mapping=MAPPING, customer_col="cust", respondent_col="nobody")
    assert j.equals(before)
