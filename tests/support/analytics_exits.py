"""The hand-computed exit log (tests/analytics/test_exits.py and its Spark twin) and its expected counts."""

from __future__ import annotations

import pandas as pd

# make_journey: Aware s0 (t0, t1), Consider s1 (t2), Buy s2 (t3, t4); one event per touchpoint
MAPPING = {"e0": "t0", "e1": "t1", "e2": "t2", "e3": "t3", "e4": "t4"}


def exit_log() -> pd.DataFrame:
    """Six customers written out by hand (minutes after 2024-03-01), the expected numbers below."""
    # a (web): t0(0) t1(10) t2(20) t3(30) t4(40)  last t4; reached Buy          -> completed at t4
    # b (web): t0(0) t1(5)                        last t1; never Buy            -> exit at t1
    # c (web): t0(0) t2(10) t3(20) t2(30)         last t2 (back to reviews after buying); reached Buy
    #                                                                           -> completed at t2
    # d (app): t1(0)                              last t1; never Buy            -> exit at t1
    # e (app): t0(0) t2(5)                        last t2; never Buy            -> exit at t2
    # f (app): t3(0) t0(10)                       last t0; Buy before Aware: reached Buy in first-reach
    #          mode (completed at t0), not in sequential mode (Consider never reached: exit at t0)
    rows = [
        ("a", 0, "e0"), ("a", 10, "e1"), ("a", 20, "e2"), ("a", 30, "e3"), ("a", 40, "e4"),
        ("b", 0, "e0"), ("b", 5, "e1"),
        ("c", 0, "e0"), ("c", 10, "e2"), ("c", 20, "e3"), ("c", 30, "e2"),
        ("d", 0, "e1"),
        ("e", 0, "e0"), ("e", 5, "e2"),
        ("f", 0, "e3"), ("f", 10, "e0"),
    ]  # fmt: skip
    return pd.DataFrame({
        "customer_id": [r[0] for r in rows],
        "timestamp": [pd.Timestamp("2024-03-01") + pd.Timedelta(minutes=r[1]) for r in rows],
        "event": [r[2] for r in rows],
        "channel": ["web" if r[0] in "abc" else "app" for r in rows],
    })  # fmt: skip


# visitors per touchpoint: t0 {a, b, c, e, f} = 5, t1 {a, b, d} = 3, t2 {a, c, e} = 3,
# t3 {a, c, f} = 3, t4 {a} = 1. (customers, exits, completed) per touchpoint:
FIRST_REACH = {"t0": (5, 0, 1), "t1": (3, 2, 0), "t2": (3, 1, 1), "t3": (3, 0, 0), "t4": (1, 0, 1)}


# sequential: f did not reach Buy after Consider, so f exits at t0: 1/5
SEQUENTIAL = {**FIRST_REACH, "t0": (5, 1, 0)}


# goal t2 (the Reviews touchpoint, first reach): a, c, e reached it. a completes at t4, c and e
# at t2, f exits at t0 (1/5), b and d at t1 (2/3); t2 has no exit (0/3)
GOAL_T2 = {"t0": (5, 1, 0), "t1": (3, 2, 0), "t2": (3, 0, 2), "t3": (3, 0, 0), "t4": (1, 0, 1)}


def counts(out: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    return {r.touchpoint_id: (r.customers, r.exits, r.completed) for r in out.itertuples()}
