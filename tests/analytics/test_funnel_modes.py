"""Funnels from ``start`` to ``goal`` in first-reach and sequential mode, and per-customer step times."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("duckdb")

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter import analytics as an

from ..support.analytics import MAPPING, make_journey, run
from ..support.analytics_funnel import log_of, skip_log

M = pd.Timedelta(minutes=1)
FUNNEL_COLUMNS = [
    "stage_id", "stage", "customers", "conversion", "conversion_from_start", "drop_off", "step_id", "mode",
]  # fmt: skip


# -- hand-computed -----------------------------------------------------------------------------


def test_a_skipped_first_stage_gives_conversion_two_first_reach_and_one_sequential():
    # c1 reaches Aware then Consider; c2 only Consider (the issue's "conversion 2.0, drop-off -1")
    log = log_of([("c1", 0, "e0"), ("c1", 10, "e2"), ("c2", 5, "e2")])
    first = run(an.funnel, log, goal="Consider")
    assert list(first.columns) == FUNNEL_COLUMNS
    assert first["customers"].tolist() == [1, 2]
    assert first["conversion"].tolist()[1] == 2.0 and first["drop_off"].tolist()[1] == -1.0
    seq = run(an.funnel, log, goal="Consider", mode="sequential")
    assert seq["customers"].tolist() == [1, 1]
    assert seq["conversion"].tolist()[1] == 1.0 and seq["drop_off"].tolist()[1] == 0.0
    assert seq["mode"].tolist() == ["sequential"] * 2
    assert seq.attrs["mode"] == "sequential" and (seq.attrs["start"], seq.attrs["goal"]) == ("s0", "s1")


def test_sequential_funnel_by_hand():
    first = run(an.funnel, skip_log())
    assert first["customers"].tolist() == [4, 5, 4]  # c2 counts for Consider and Buy without Aware
    assert first["conversion"].tolist()[1:] == [1.25, 0.8]
    assert first["drop_off"].tolist()[1:] == [-1.0, 1.0]
    seq = run(an.funnel, skip_log(), mode="sequential")
    # Aware: c1 c3 c4 c5; Consider after Aware: c1 c3 c4 c5 (c5's second visit, at 7);
    # Buy at or after Consider: c1 (20) and c4 (10, the same minute): c3 bought before
    assert seq["customers"].tolist() == [4, 4, 2]
    assert seq["conversion"].tolist()[1:] == [1.0, 0.5]
    assert seq["conversion_from_start"].tolist() == [1.0, 1.0, 0.5]
    assert seq["drop_off"].tolist()[1:] == [0.0, 2.0]
    assert seq["step_id"].tolist() == ["s0", "s1", "s2"]
    assert seq["stage"].tolist() == ["Aware", "Consider", "Buy"]


def test_ten_percent_skipping_a_stage_the_issues_numbers():
    # 1111 customers see the ad; 111 (10%) skip Consider; 1000 consider and 645 of them buy
    # afterwards; 71 of the skippers buy straight away
    rows = []
    for i in range(1111):
        c = f"c{i:04d}"
        rows.append((c, 0, "e0"))
        if i < 111:
            if i < 71:
                rows.append((c, 20, "e4"))
        else:
            rows.append((c, 10, "e2"))
            if i < 111 + 645:
                rows.append((c, 20, "e4"))
    log = log_of(rows)
    first = run(an.funnel, log)
    seq = run(an.funnel, log, mode="sequential")
    assert first["customers"].tolist() == [1111, 1000, 716]
    assert seq["customers"].tolist() == [1111, 1000, 645]
    assert first["conversion"].iloc[2] == pytest.approx(0.716)
    assert seq["conversion"].iloc[2] == pytest.approx(0.645)


def test_step_times_per_customer_in_both_modes():
    first = run(an.step_times, skip_log())
    assert list(first.columns) == ["customer_id", "source_id", "target_id", "duration"]
    got = {(r.customer_id, r.source_id): r.duration / M for r in first.itertuples()}
    # first reach: each step's first event, whatever the order (negative when out of order)
    assert got == {
        ("c1", "s0"): 10, ("c1", "s1"): 10, ("c2", "s1"): 15, ("c3", "s0"): 5, ("c3", "s1"): -10,
        ("c4", "s0"): 10, ("c4", "s1"): 0, ("c5", "s0"): -5,
    }  # fmt: skip
    seq = run(an.step_times, skip_log(), mode="sequential")
    got = {(r.customer_id, r.source_id, r.target_id): r.duration / M for r in seq.itertuples()}
    assert got == {
        ("c1", "s0", "s1"): 10, ("c1", "s1", "s2"): 10, ("c3", "s0", "s1"): 5,
        ("c4", "s0", "s1"): 10, ("c4", "s1", "s2"): 0, ("c5", "s0", "s1"): 2,
    }  # fmt: skip
    assert seq["customer_id"].dtype == "string" and seq.attrs["mode"] == "sequential"
    assert seq["customer_id"].tolist() == sorted(seq["customer_id"])  # sorted by customer, then step


def test_stage_times_follow_the_mode():
    seq = run(an.stage_times, skip_log(), mode="sequential")
    assert seq["customers"].tolist() == [4, 2]
    assert (seq["median"] / M).tolist() == [7.5, 5.0]  # medians of (10, 5, 10, 2) and (10, 0)
    first = run(an.stage_times, skip_log())
    assert first["customers"].tolist() == [4, 4]
    assert (first["q1"] / M).tolist()[1] == -2.5  # c3 bought before considering: -10, 0, 10, 15


def test_converted_means_reaching_the_goal():
    prof = run(an.customer_profiles, skip_log())
    assert prof["converted"].tolist() == [True, True, True, True, False]  # any Buy event
    prof = run(an.customer_profiles, skip_log(), mode="sequential")
    assert prof["converted"].tolist() == [True, False, False, True, False]
    assert prof.attrs["goal"] == "s2"
    prof = run(an.customer_profiles, skip_log(), goal="Consider", mode="sequential")
    assert prof["converted"].tolist() == [True, False, True, True, True]
    var = run(an.variants, skip_log(), mode="sequential").set_index("variant")["conversion"]
    assert var.to_dict() == {"Aware > Consider > Buy": 1.0, "Consider > Buy": 0.0,
                             "Buy > Aware > Consider": 0.0, "Consider > Aware > Consider": 0.0}  # fmt: skip
    var = run(an.variants, skip_log()).set_index("variant")["conversion"]
    assert var["Consider > Buy"] == 1.0 and var["Buy > Aware > Consider"] == 1.0


# -- start and goal ----------------------------------------------------------------------------


def test_touchpoint_goal_and_stage_start_by_name():
    # from Consider to touchpoint T3 (e4): sequential T3 at or after the first Consider event
    out = run(an.funnel, skip_log(), start="Consider", goal="T3", mode="sequential")
    assert out["step_id"].tolist() == ["s1", "t3"]
    assert out["stage_id"].tolist() == ["s1", "s2"] and out["stage"].tolist() == ["Consider", "T3"]
    assert out["customers"].tolist() == [5, 3]  # c1, c2, c4 (c3's purchase came first)
    assert (out.attrs["start"], out.attrs["goal"]) == ("s1", "t3")
    prof = run(an.customer_profiles, skip_log(), start="Consider", goal="T3", mode="sequential")
    assert prof["converted"].tolist() == [True, True, False, True, False]
    prof = run(an.customer_profiles, skip_log(), goal="t4")  # nobody used T4
    assert not prof["converted"].any()


def test_two_touchpoints_of_one_stage_make_a_two_step_funnel():
    log = log_of([("a", 0, "e0"), ("a", 5, "e1"), ("b", 0, "e1"), ("b", 5, "e0")])
    first = run(an.funnel, log, start="t0", goal="t1")
    assert first["step_id"].tolist() == ["t0", "t1"] and first["customers"].tolist() == [2, 2]
    seq = run(an.funnel, log, start="t0", goal="t1", mode="sequential")
    assert seq["customers"].tolist() == [2, 1]


def test_a_start_later_than_the_first_stage_cuts_the_funnel():
    out = run(an.analyze, skip_log(), start="s1", metrics=["funnel", "stage_times", "step_times"])
    assert out["funnel"]["step_id"].tolist() == ["s1", "s2"]
    assert out["funnel"]["customers"].tolist() == [5, 4]
    assert out["stage_times"][["source_id", "target_id"]].values.tolist() == [["s1", "s2"]]
    assert set(out["step_times"]["source_id"]) == {"s1"}


def test_a_one_step_funnel():
    out = run(an.analyze, skip_log(), start="Buy", goal="s2", metrics=["funnel", "stage_times"])
    assert out["funnel"]["customers"].tolist() == [4]
    assert out["stage_times"].empty


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"mode": "seq"}, "mode must be one of 'first_reach', 'sequential'; got 'seq'"),
        ({"start": "Nope"}, "unknown start 'Nope': neither a stage nor a touchpoint id or name; "
                            "stages: 'Aware' (s0), 'Consider' (s1), 'Buy' (s2)"),
        ({"goal": 3}, "goal must be a stage or touchpoint id or name (text); got 3"),
        ({"start": "Buy", "goal": "Aware"}, "goal 'Aware' comes before start 'Buy' in the journey"),
        ({"start": "t1", "goal": "t0"}, "goal 'T0' comes before start 'T1' in the journey"),
        ({"start": "s1", "goal": "t2"}, "start 'Consider' and goal 'T2' are in one stage ('Consider')"),
    ],
)  # fmt: skip
def test_bad_start_goal_or_mode(kw, message):
    with pytest.raises(ValidationError) as err:
        run(an.funnel, skip_log(), **kw)
    assert message in str(err.value)


def test_a_name_shared_by_two_touchpoints_must_be_given_by_id():
    j = Journey("Two apps")
    for sid in ("s0", "s1"):
        j.add_stage(sid.upper(), id=sid)
        j.add_touchpoint(sid, "App", id="t" + sid)
    log = log_of([("a", 0, "x")])
    with pytest.raises(ValidationError, match=r"goal 'App' names 2 touchpoints \(ts0, ts1\); pass the id"):
        an.funnel(log, j, mapping={"x": "ts0"}, goal="App")
    assert an.funnel(log, j, mapping={"x": "ts0"}, goal="ts1")["customers"].tolist() == [1, 0]


def test_defaults_are_todays_funnel():
    log = skip_log()
    out = run(an.funnel, log)
    same = run(an.funnel, log, start="s0", goal="Buy", mode="first_reach")
    pd.testing.assert_frame_equal(out, same)
    assert out.attrs == {
        "unmapped": {}, "dropped_null": 0, "mode": "first_reach", "start": "s0", "goal": "s2",
    }  # fmt: skip


def test_segments_split_the_sequential_funnel():
    log = skip_log().assign(channel=lambda d: np.where(d["customer_id"].isin(["c1", "c2"]), "web", "app"))
    out = run(an.funnel, log, mode="sequential", segment_col="channel")
    assert out[["segment", "customers"]].values.tolist() == [
        ["app", 3], ["app", 3], ["app", 1], ["web", 1], ["web", 1], ["web", 1],
    ]  # fmt: skip
    times = run(an.step_times, log, mode="sequential", segment_col="channel")
    assert times.columns[0] == "segment" and times["segment"].tolist()[-2:] == ["web", "web"]


# -- property: the sequential funnel against a reference walk ----------------------------------


def reference_sequential(log: pd.DataFrame) -> list[int]:
    """Customers per stage by walking each customer's events in order (the definition, in Python)."""
    stage = {"e0": 0, "e1": 0, "e2": 1, "e3": 1, "e4": 2, "e5": 2, "e6": 0}
    tp = {"e0": 0, "e6": 0, "e1": 1, "e2": 2, "e3": 2, "e4": 3, "e5": 4}
    counts = [0, 0, 0]
    mapped = log[log["event"].isin(stage)].assign(
        st=lambda d: d["event"].map(stage), tp=lambda d: d["event"].map(tp)
    )
    for _, g in mapped.sort_values(["timestamp", "st", "tp", "event"]).groupby("customer_id"):
        reached = 0
        for s in g["st"]:
            if reached < 3 and s == reached:
                counts[reached] += 1
                reached += 1
    return counts


events = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]), st.integers(0, 6), st.sampled_from([*sorted(MAPPING), "e7"])
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=events)
def test_sequential_counts_never_increase_and_match_a_walk(rows):
    log = log_of(rows)
    if not log["event"].isin(MAPPING).any():
        return
    both = run(an.analyze, log, metrics=["funnel", "step_times"], mode="sequential")
    seq, times = both["funnel"], both["step_times"]
    first = run(an.funnel, log)
    counts = seq["customers"].tolist()
    assert counts == reference_sequential(log)
    assert all(a >= b for a, b in itertools.pairwise(counts))
    assert (seq["drop_off"].dropna() >= 0).all() and (seq["conversion"].dropna() <= 1).all()
    assert counts[0] == first["customers"].iloc[0]  # the start step is reached the same way
    assert (seq["customers"] <= first["customers"]).all()
    # step times agree with the funnel: one row per customer reaching both steps, never negative
    assert times.groupby("target_id").size().reindex(["s1", "s2"], fill_value=0).tolist() == counts[1:]
    assert (times["duration"] >= pd.Timedelta(0)).all()


def test_analyze_in_one_pass_equals_the_single_functions():
    kw = {"mode": "sequential", "start": "t0", "goal": "s2", "segment_col": None}
    log = skip_log()
    names = ["funnel", "variants", "stage_times", "customer_profiles", "step_times", "exits", "funnel_flow"]
    got = run(an.analyze, log, metrics=names, **kw)
    for name, fn in [("funnel", an.funnel), ("variants", an.variants), ("stage_times", an.stage_times),
                     ("customer_profiles", an.customer_profiles), ("step_times", an.step_times),
                     ("exits", an.exits), ("funnel_flow", an.funnel_flow)]:  # fmt: skip
        pd.testing.assert_frame_equal(got[name], run(fn, log, **kw), obj=name)
        assert got[name].attrs == run(fn, log, **kw).attrs
    # unaffected metrics carry no funnel attrs
    assert "mode" not in run(an.analyze, log, metrics=["transitions"], **kw)["transitions"].attrs


def test_per_customer_metrics_only_when_named():
    assert "step_times" not in an.analysis.DEFAULT_METRICS
    assert "customer_profiles" not in an.analysis.DEFAULT_METRICS
    assert make_journey().stages["id"].tolist() == ["s0", "s1", "s2"]  # the journey is left unchanged
