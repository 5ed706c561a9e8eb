"""The hand-computed journey and event logs most analytics tests share (and their reference metrics)."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pandas as pd

from cjm_jupyter import Journey


@functools.cache
def make_journey() -> Journey:
    # cached: the metrics only read the journey (a test checks it is left unchanged)
    j = Journey("Shop")
    for sid, name in (("s0", "Aware"), ("s1", "Consider"), ("s2", "Buy")):
        j.add_stage(name, id=sid)
    for tid, sid in (("t0", "s0"), ("t1", "s0"), ("t2", "s1"), ("t3", "s2"), ("t4", "s2")):
        j.add_touchpoint(sid, tid.upper(), id=tid)
    return j


MAPPING = {"e0": "t0", "e1": "t1", "e2": "t2", "e3": "t2", "e4": "t3", "e5": "t4", "e6": "t0"}


def ts(*minutes: int) -> list[pd.Timestamp]:
    return [pd.Timestamp("2024-03-01") + pd.Timedelta(minutes=m) for m in minutes]


def hand_events() -> pd.DataFrame:
    """The hand-computed example log (a fixture elsewhere: ``hand``)."""
    # c1: e0(0) e1(5) e2(20) e4(50)   -> s0 s0 s1 s2, buys
    # c2: e0(0) e2(10) e0(30)          -> s0 s1 s0, exits at t0
    # c3: e2(0) e7(3, unmapped)        -> s1 only, exits at t2
    # c4: e0(60)                       -> s0, exits at t0
    rows = [
        ("c1", 0, "e0", "web"), ("c1", 5, "e1", "web"), ("c1", 20, "e2", "web"), ("c1", 50, "e4", "web"),
        ("c2", 30, "e0", "app"), ("c2", 0, "e0", "app"), ("c2", 10, "e2", "app"),
        ("c3", 0, "e2", "web"), ("c3", 3, "e7", "web"),
        ("c4", 60, "e0", "app"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": ts(*[r[1] for r in rows]),
            "event": [r[2] for r in rows],
            "channel": [r[3] for r in rows],
        }
    )


def run(metric, events, journey=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return metric(events, journey or make_journey(), mapping=MAPPING, **kw)


def random_log(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(int(rng.integers(5, 40))):
        seg = str(rng.choice(["web", "app", "store"]))
        for _ in range(int(rng.integers(1, 12))):
            rows.append((f"c{c}", int(rng.integers(0, 200)), f"e{int(rng.integers(0, 8))}", seg))
    frame = pd.DataFrame(rows, columns=["customer_id", "minute", "event", "channel"])
    frame["timestamp"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(frame.pop("minute"), unit="min")
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)  # unsorted on purpose


def ref_steps(ev: pd.DataFrame, mapped_only: bool = True) -> pd.DataFrame:
    j = make_journey()
    tps = j.touchpoints.rename(columns={"id": "touchpoint_id", "order": "tp_order"})[
        ["touchpoint_id", "stage_id", "tp_order"]
    ]
    st = j.stages.rename(columns={"id": "stage_id", "order": "stage_order"})[["stage_id", "stage_order"]]
    seg = ev.sort_values("timestamp").groupby("customer_id")["channel"].first().rename("segment")
    d = ev.drop_duplicates(["customer_id", "timestamp", "event"])[["customer_id", "timestamp", "event"]]
    d = d.assign(touchpoint_id=d["event"].map(MAPPING))
    how = "inner" if mapped_only else "left"
    d = d.merge(tps, on="touchpoint_id", how=how).merge(st, on="stage_id", how=how)
    d = d.join(seg, on="customer_id")
    d = d.sort_values(
        ["customer_id", "timestamp", "stage_order", "tp_order", "event"], na_position="last"
    ).reset_index(drop=True)
    return d


def same(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    cols = list(want.columns)
    got = got[cols].sort_values(keys).reset_index(drop=True)
    want = want.sort_values(keys).reset_index(drop=True)
    for col in cols:
        if pd.api.types.is_string_dtype(got[col]) or got[col].dtype == object:
            got[col] = got[col].astype(str)
            want[col] = want[col].astype(str)
    pd.testing.assert_frame_equal(got, want, check_dtype=False, check_exact=False, atol=1e-12)


SEEDS = range(8)
