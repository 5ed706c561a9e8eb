"""Customer ids of every type (tests/analytics/test_id_types.py and its Spark twin)."""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd

from cjm_jupyter import analytics as an
from cjm_jupyter import templates

from .analytics import make_journey

#: every metric of analyze, the per-customer ones included (transitions at stage level)
ALL_METRICS = [
    "funnel", "transitions", "funnel_flow", "stage_times", "variants", "exits", "stage_durations",
    "customer_profiles", "step_times",
]  # fmt: skip


#: id type -> the pandas dtype (text) results give the ids back in
ID_DTYPES = {"int": "int64", "text": "str", "uuid": "object", "date": "object", "float": "float64"}


def journey():
    return templates.load("colleen")


def text_log() -> pd.DataFrame:
    """A log with text ids: segments, orders, returns, plus duplicated rows and same-time ties."""
    log = an.make_events(journey(), customers=40, segments=["a", "b"], repeat_rate=0.4, values=True, seed=3)
    dup = log.sample(n=15, random_state=1)  # identical rows count once
    tie = log.sample(n=10, random_state=2).assign(event="repair_page_view")  # another event at the same time
    log = pd.concat([log, dup, tie], ignore_index=True).sample(frac=1, random_state=3, ignore_index=True)
    return log.assign(customer_id=log["customer_id"].astype("str"))


def swap(text: pd.Series, kind: str) -> dict[str, object]:
    """Text id -> an id of ``kind``, sorting the customers in another order than their text."""
    names = sorted(text.unique())
    n = len(names)
    if kind == "text":
        return {s: s for s in names}
    if kind == "int":
        return {s: (n - i) * 7 for i, s in enumerate(names)}  # 7 ... 280: "105" < "14" as text
    if kind == "uuid":
        return {s: uuid.uuid5(uuid.NAMESPACE_URL, s) for s in names}  # a scrambled order
    if kind == "date":
        return {s: dt.date(2020, 1, 1) + dt.timedelta(days=(i * 17) % n) for i, s in enumerate(names)}
    if kind == "float":
        return {s: (n - i) / 4 for i, s in enumerate(names)}  # 0.25, 0.5, ... 10.0
    raise AssertionError(kind)


def as_kind(log: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, dict[object, str]]:
    """``log`` with ids of ``kind`` (the column's natural pandas dtype), and id -> text id."""
    ids = swap(log["customer_id"], kind)
    values = [ids[s] for s in log["customer_id"]]
    dtype = {"int": "int64", "text": "str", "float": "float64"}.get(kind, object)
    out = log.assign(customer_id=pd.Series(values, index=log.index, dtype=dtype))
    return out, {v: k for k, v in ids.items()}


def small_log(ids: list[object], events: list[str] | None = None) -> pd.DataFrame:
    """One event per id, a minute apart (default: all ``e0``, at the journey's first touchpoint)."""
    n = len(ids)
    return pd.DataFrame({
        "customer_id": pd.Series(ids, dtype=object),
        "timestamp": pd.Timestamp("2024-03-01") + pd.to_timedelta(range(n), unit="min"),
        "event": events or ["e0"] * n,
    })  # fmt: skip


def hand_journey():
    return make_journey()


MAPPING = {"e0": "t0", "e2": "t2"}
