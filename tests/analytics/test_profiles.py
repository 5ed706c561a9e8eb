"""analytics.customer_profiles: one row per customer, by hand, against pandas, inside analyze()."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import analytics as an

from ..support.analytics import MAPPING, SEEDS, make_journey, random_log, ref_steps, run, ts


def test_profiles_by_hand(hand):
    out = run(an.customer_profiles, hand)
    assert out["customer_id"].tolist() == ["c1", "c2", "c3", "c4"]  # c3's unmapped e7 is not counted
    by = out.set_index("customer_id")
    assert by["events"].tolist() == [4, 3, 1, 1]
    assert by["stages"].tolist() == [3, 2, 1, 1]
    assert by["furthest_stage_id"].tolist() == ["s2", "s1", "s1", "s0"]
    assert by["furthest_stage"].tolist() == ["Buy", "Consider", "Consider", "Aware"]
    assert by["last_touchpoint_id"].tolist() == ["t3", "t0", "t2", "t0"]  # c2 went back to s0
    assert by["touchpoints"].tolist() == [4, 2, 1, 1]  # c2 visited t0 twice
    assert by["path"].tolist() == ["s0 > s1 > s2", "s0 > s1 > s0", "s1", "s0"]  # s0 s0 collapsed
    assert by["converted"].tolist() == [True, False, False, False]
    assert by.loc["c1", "converted_at"] == pd.Timestamp(ts(50)[0], tz="UTC")
    assert by["converted_at"].iloc[1:].isna().all()
    assert by.loc["c1", "first_seen"] == pd.Timestamp("2024-03-01", tz="UTC")
    assert by.loc["c4", "last_seen"] == pd.Timestamp(ts(60)[0], tz="UTC")
    assert by["duration"].tolist() == [pd.Timedelta(minutes=m) for m in (50, 30, 0, 0)]
    assert "segment" not in out.columns
    assert out.attrs["unmapped"] == {"e7": 1}


def test_tz_aware_times_come_back_as_the_same_instants(hand):
    aware = hand.assign(timestamp=hand["timestamp"].dt.tz_localize("Asia/Tokyo"))
    out = run(an.customer_profiles, aware).set_index("customer_id")
    assert out.loc["c1", "first_seen"] == pd.Timestamp("2024-03-01", tz="Asia/Tokyo")
    assert str(out["first_seen"].dt.tz) == "UTC"


def ref_profiles(ev: pd.DataFrame) -> pd.DataFrame:
    d = ref_steps(ev)  # mapped, de-duplicated, in the metrics' tie order
    names = make_journey().stages.set_index("id")["name"]
    g = d.groupby("customer_id", sort=True)
    last = make_journey().stages["order"].max()
    furthest = d.loc[g["stage_order"].idxmax(), ["customer_id", "stage_id"]].set_index("customer_id")
    out = pd.DataFrame(
        {
            "segment": g["segment"].first(),
            "first_seen": g["timestamp"].min().dt.tz_localize("UTC"),
            "last_seen": g["timestamp"].max().dt.tz_localize("UTC"),
            "events": g.size(),
            "stages": g["stage_id"].nunique(),
            "furthest_stage_id": furthest["stage_id"],
            "last_touchpoint_id": g["touchpoint_id"].last(),
            "touchpoints": g["touchpoint_id"].nunique(),
            "path": g["stage_id"].agg(lambda s: " > ".join(k for k, _ in itertools.groupby(s))),
            "converted": g["stage_order"].max() == make_journey().stages["order"].max(),
            "converted_at": d[d["stage_order"] == last].groupby("customer_id")["timestamp"].min(),
        }
    )
    out["converted_at"] = out["converted_at"].dt.tz_localize("UTC")
    out["furthest_stage"] = out["furthest_stage_id"].map(names)
    out["duration"] = out["last_seen"] - out["first_seen"]
    return out.reset_index()


@pytest.mark.parametrize("seed", SEEDS)
def test_profiles_match_pandas(seed):
    ev = random_log(seed)
    got = run(an.customer_profiles, ev, segment_col="channel")
    want = ref_profiles(ev)
    cols = list(want.columns)
    got = got[cols].sort_values("customer_id").reset_index(drop=True)
    want = want.sort_values("customer_id").reset_index(drop=True)
    texts = ("customer_id", "segment", "furthest_stage_id", "furthest_stage", "last_touchpoint_id", "path")
    for col in texts:
        got[col], want[col] = got[col].astype(str), want[col].astype(str)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_converted_at_is_when_the_goal_was_reached_in_the_funnels_mode():
    # c2: e2 (s1) at 0, e0 (s0) at 10, e4 (s2) at 20, e4 again at 30; c3 never reaches s2
    log = pd.DataFrame(
        {
            "customer_id": ["c2", "c2", "c2", "c2", "c3"],
            "timestamp": ts(0, 10, 20, 30, 0),
            "event": ["e2", "e0", "e4", "e4", "e0"],
        }
    )
    first = run(an.customer_profiles, log).set_index("customer_id")
    assert first.loc["c2", "converted_at"] == pd.Timestamp(ts(20)[0], tz="UTC")
    assert pd.isna(first.loc["c3", "converted_at"])
    # sequential: Consider at or after Aware (10) comes never: not converted, no time
    seq = run(an.customer_profiles, log, mode="sequential").set_index("customer_id")
    assert seq["converted"].tolist() == [False, False] and seq["converted_at"].isna().all()
    # a touchpoint goal reads the reach table: T3 (e4) first at 20
    tp = run(an.customer_profiles, log, goal="t3").set_index("customer_id")
    assert tp.loc["c2", "converted_at"] == pd.Timestamp(ts(20)[0], tz="UTC")
    assert tp.loc["c2", "path"] == "s1 > s0 > s2"


def test_analyze_computes_profiles_only_when_named(hand):
    j = make_journey()
    default = run(an.analyze, hand)
    assert "customer_profiles" not in default  # one row per customer: never by default
    both = run(an.analyze, hand, metrics=["funnel", "customer_profiles"], segment_col="channel")
    pd.testing.assert_frame_equal(
        both["customer_profiles"], run(an.customer_profiles, hand, journey=j, segment_col="channel")
    )
    assert both["customer_profiles"]["segment"].tolist() == ["app", "app", "web", "web"]


def test_profiles_feed_a_segment_split(hand):
    # the documented use: label customers by behaviour, then compare the segments' journeys
    labels = run(an.customer_profiles, hand).assign(group=lambda p: p["stages"].map({1: "one", 2: "many"}))
    labels["group"] = labels["group"].fillna("many")
    labelled = hand.merge(labels[["customer_id", "group"]], on="customer_id", how="left")
    funnel = run(an.funnel, labelled, segment_col="group")
    first = funnel[funnel["stage_id"] == "s0"].set_index("segment")["customers"].to_dict()
    assert first == {"many": 2, "one": 1}  # c1, c2 reach s0 in "many"; c4 in "one" (c3 starts at s1)
    assert MAPPING["e0"] == "t0"


def test_a_tie_at_the_earliest_time_takes_the_smallest_segment():
    log = pd.DataFrame(
        {
            "customer_id": ["b", "b", "b"],
            "timestamp": ts(0, 0, 5),
            "event": ["e0", "e2", "e4"],
            "channel": ["z", None, "a"],  # tied at minute 0: "(missing)" sorts before "z"
        }
    )
    for _ in range(3):  # the same answer every time, not whichever row came first
        assert run(an.customer_profiles, log, segment_col="channel")["segment"].tolist() == ["(missing)"]
        assert run(an.funnel, log, segment_col="channel")["segment"].unique().tolist() == ["(missing)"]
