"""The small event source of the engine tests (tests/analytics/test_engines.py and its Spark twin)."""

from __future__ import annotations

import pandas as pd


def small_log(*, null: bool = False) -> pd.DataFrame:
    return pd.DataFrame({
        "who": ["a", "a", "b", None if null else "c"],
        "when": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 11:00",
            "2024-01-02 09:00", "2024-01-03 09:00"]),
        "what": ["visit", "buy", "visit", "visit"],
        "amount": [1.0, 2.5, 3.0, 4.0],
    })  # fmt: skip


ROLES = {"customer": "who", "time": "when", "event": "what", "segment": "what", "value": "amount"}


def rows(src) -> pd.DataFrame:
    return src.query(f"SELECT * FROM ({src.projection()}) e ORDER BY ALL")
