"""Event logs of the funnel-mode tests (tests/analytics/test_funnel_modes.py and its Spark twin)."""

from __future__ import annotations

import pandas as pd

from .analytics import ts


def log_of(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    """(customer, minute, event) rows as an event log."""
    return pd.DataFrame(
        {
            "customer_id": [r[0] for r in rows],
            "timestamp": ts(*[r[1] for r in rows]),
            "event": [r[2] for r in rows],
        }
    )


def skip_log() -> pd.DataFrame:
    """Five customers on Aware (e0) > Consider (e2) > Buy (e4), out of order on purpose.

    c1: A0 C10 B20 (in order)            c2: C5 B20 (never Aware)
    c3: B0 A5 C10 (bought first)         c4: A0 C10 B10 (Consider and Buy at one time)
    c5: C0 A5 C7 (Consider again after Aware)
    """
    rows = [
        ("c1", 0, "e0"), ("c1", 10, "e2"), ("c1", 20, "e4"),
        ("c2", 5, "e2"), ("c2", 20, "e4"),
        ("c3", 0, "e4"), ("c3", 5, "e0"), ("c3", 10, "e2"),
        ("c4", 10, "e4"), ("c4", 0, "e0"), ("c4", 10, "e2"),
        ("c5", 0, "e2"), ("c5", 5, "e0"), ("c5", 7, "e2"),
    ]  # fmt: skip
    return log_of(rows)
