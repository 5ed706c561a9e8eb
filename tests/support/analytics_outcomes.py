"""The hand-computed business-outcome log (orders, values, returns) of the outcome and measure tests."""

from __future__ import annotations

import pandas as pd

DAY = pd.Timedelta(days=1)


T0 = pd.Timestamp("2024-03-01")


def outcome_log() -> pd.DataFrame:
    """The hand-computed log (goal = stage s2 "Buy": events e4 -> t3, e5 -> t4).

    c1 (A): e4 day 0 (100, and an identical duplicate row), e4 day 10 (50)  -> returns within 30 days
    c2 (A): e5 day 0 (30), e5 day 40 (no value)                            -> returns within 60, not 30
    c3 (B): e4 day 0 (no value)                                            -> converted, never returns
    c4 (B): e0 day 0 (5)                                                   -> not converted; an order at Aware
    c5 (B): e4 day 20 (20), e4 day 20 + 1 h (20)                           -> "returns" within one visit
    c6 (A): e4 day 35 (no value)                                           -> April cohort
    c7 (B): e7 day 1 (7)                                                   -> unmapped event with a value
    The log's last event is day 40 (c2).
    """
    rows = [
        ("c1", 0, "e4", 100.0, "A"), ("c1", 0, "e4", 100.0, "A"), ("c1", 10, "e4", 50.0, "A"),
        ("c2", 0, "e5", 30.0, "A"), ("c2", 40, "e5", None, "A"),
        ("c3", 0, "e4", None, "B"),
        ("c4", 0, "e0", 5.0, "B"),
        ("c5", 20, "e4", 20.0, "B"), ("c5", 20 + 1 / 24, "e4", 20.0, "B"),
        ("c6", 35, "e4", None, "A"),
        ("c7", 1, "e7", 7.0, "B"),
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": [T0 + r[1] * DAY for r in rows],
            "event": [r[2] for r in rows],
            "value": pd.array([r[3] for r in rows], dtype="float64"),
            "segment": [r[4] for r in rows],
        }
    )
