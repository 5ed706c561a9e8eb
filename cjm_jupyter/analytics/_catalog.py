"""The metric catalogue: for each metric, the tables it reads, its tail query and its result types.

One entry per metric, used by :func:`.analysis.analyze` and by the
single-metric functions alike; the SQL itself lives in :mod:`._sql`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..model.labels import COMPLETED_LABEL, LEFT_LABEL
from . import _sql
from ._steps import FunnelSteps
from .engines import Source

__all__ = [
    "Run",
    "Metric",
    "METRICS",
    "INTERNAL",
    "DEPRECATED",
    "DEFAULT_METRICS",
    "PER_CUSTOMER",
    "metric",
    "ids_as_input",
]


@dataclass(frozen=True)
class Run:
    """What a metric's SQL needs from the run."""

    src: Source
    js: _sql.JourneySQL
    tables: _sql.Tables
    level: str
    self_loops: bool
    top: int
    funnel: FunnelSteps
    plan: tuple[str, ...]  # the materialized tables, in order


def _timedelta(us: pd.Series) -> pd.Series:
    return pd.to_timedelta(pd.to_numeric(us, errors="coerce").round(), unit="us")


def _ints(out: pd.DataFrame, *names: str) -> pd.DataFrame:
    for name in names:
        out[name] = out[name].astype("int64")
    return out


def _quartiles(out: pd.DataFrame) -> pd.DataFrame:
    for name in ("q1", "median", "q3"):
        out[name] = _timedelta(out.pop(name + "_us"))
    return out


def _tidy_funnel(out: pd.DataFrame) -> pd.DataFrame:
    out = _ints(out, "customers")
    out["drop_off"] = out["drop_off"].astype("float64")
    return out


def ids_as_input(ids: pd.Series, id_kind: str) -> pd.Series:
    """Return customer ids from either engine in the input's type (``id_kind``: ``Source.id_kind``).

    One normalisation point, so both engines and empty results agree:
    integers -> int64 (DuckDB gives an INTEGER column as int32, an empty
    result as objects), floats -> float64, text -> the pandas string dtype
    (an ENUM comes back from DuckDB as a categorical), UUIDs -> ``uuid.UUID``
    objects (as DuckDB gives them; Spark has no UUID type), dates ->
    ``datetime.date`` objects (DuckDB gives midnight timestamps, Spark dates);
    any other type as the engine gives it.
    """
    if id_kind == "integer":
        return ids.astype("int64")
    if id_kind == "float":
        return ids.astype("float64")
    if id_kind == "text":
        return ids.astype("str")
    if id_kind == "uuid":
        return ids.astype(object)
    if id_kind == "date":
        return pd.to_datetime(ids).dt.date.astype(object)
    return ids


def _tidy_step_times(out: pd.DataFrame, r: Run) -> pd.DataFrame:
    out["customer_id"] = ids_as_input(out["customer_id"], r.src.id_kind)
    for name in ("source_id", "target_id"):
        # text whatever the engine (an empty result comes back as object columns from DuckDB)
        out[name] = out[name].astype("str")
    out["duration"] = _timedelta(out.pop("duration_us"))
    return out


def _tidy_step_durations(out: pd.DataFrame, r: Run) -> pd.DataFrame:
    """Integer codes -> categoricals: ``segment``, ``source_id``, ``target_id`` (no strings per row)."""
    names = r.src.query(_sql.segment_names_sql(r.tables))
    steps = [step.step_id for step in r.funnel.steps]
    k = out["k"].to_numpy(dtype="int64")
    return pd.DataFrame({
        "segment": pd.Categorical.from_codes(out["g"].to_numpy(dtype="int64"), names["segment"].astype(str)),
        "source_id": pd.Categorical.from_codes(k, steps),
        "target_id": pd.Categorical.from_codes(k + 1, steps),
        "duration": pd.to_timedelta(out["duration_us"].to_numpy(dtype="int64"), unit="us"),
    })  # fmt: skip


def _tidy_funnel_flow(out: pd.DataFrame) -> pd.DataFrame:
    """Left and completed rows get their node names; ``count`` is customers."""
    ends = {-1: LEFT_LABEL, -2: COMPLETED_LABEL}
    out["target"] = [ends.get(int(k), t) for k, t in zip(out.pop("to_k"), out["target"], strict=True)]
    out = out.rename(columns={"n": "count"})[["segment", "source", "target", "count"]]
    for name in ("source", "target"):
        out[name] = out[name].astype("str")  # text whatever the engine (an empty result: object)
    return _ints(out, "count")


def _tidy_transitions(out: pd.DataFrame) -> pd.DataFrame:
    out = _ints(out.rename(columns={"n": "count"}), "count", "customers")
    out["median_time"] = _timedelta(out.pop("median_us"))
    return out


def _tidy_variants(out: pd.DataFrame, js: _sql.JourneySQL, top: int) -> pd.DataFrame:
    """Stage positions -> ids and names; rank by count, ties by the id path (as SQL would)."""
    codes = [[int(c) for c in p.split(",")] for p in out.pop("codes")]
    out["path"] = [" > ".join(js.stage_ids[c] for c in p) for p in codes]
    out["variant"] = [" > ".join(js.stage_names[c] for c in p) for p in codes]
    out = out.sort_values(["segment", "n", "path"], ascending=[True, False, True], kind="stable")
    out["rank"] = out.groupby("segment", sort=False).cumcount() + 1
    out = out[out["rank"] <= top].rename(columns={"n": "count"})
    out = out[["segment", "rank", "variant", "path", "length", "count", "share", "conversion"]]
    return _ints(out.reset_index(drop=True), "rank", "length", "count")


#: the columns of ``customer_profiles``, in order
PROFILE_COLUMNS = (
    "segment",
    "customer_id",
    "first_seen",
    "last_seen",
    "duration",
    "events",
    "stages",
    "touchpoints",
    "furthest_stage_id",
    "furthest_stage",
    "last_touchpoint_id",
    "last_touchpoint",
    "path",
    "converted",
    "converted_at",
)


def _tidy_profiles(out: pd.DataFrame, r: Run) -> pd.DataFrame:
    js = r.js
    out["customer_id"] = ids_as_input(out["customer_id"], r.src.id_kind)
    out = _ints(out, "events", "stages", "touchpoints")
    for name, col in (("first", "first_seen"), ("last", "last_seen"), ("goal", "converted_at")):
        # epoch microseconds are instants: shown in UTC, whatever the input's zone
        out[col] = pd.to_datetime(out.pop(f"{name}_us").astype("Int64"), unit="us", utc=True)
    out["duration"] = out["last_seen"] - out["first_seen"]
    out["converted"] = out["converted"].astype(bool)
    # few distinct paths: turn each once into stage ids, then map the customers onto them
    codes = out.pop("codes")
    ids = {c: " > ".join(js.stage_ids[int(x)] for x in c.split(",")) for c in codes.unique()}
    out["path"] = codes.map(ids).astype(out["furthest_stage_id"].dtype)
    return out[list(PROFILE_COLUMNS)]


def decode_segments(out: pd.DataFrame, r: Run) -> pd.DataFrame:
    """Decode a split run's ``segment`` codes (:func:`._sql.cust_sql`) into the segments' text, in place.

    The analysis tables carry each customer's segment as a small integer
    code; a tail query's result is decoded here, once, on its few rows.
    The text keeps the engine's own string dtype.
    """
    if not r.tables.segmented or "segment" not in out.columns:
        return out
    names = r.src.query(_sql.segment_names_sql(r.tables))["segment"]
    codes = out["segment"].to_numpy(dtype="int64")  # codes are 0, 1, ...: the rows of names
    out["segment"] = pd.Series(names.iloc[codes].to_numpy(), index=out.index, dtype=names.dtype)
    return out


@dataclass(frozen=True)
class Metric:
    """One metric: the tables it reads, its tail query, and its result types."""

    needs: Callable[[str, FunnelSteps], tuple[str, ...]]  # (level, funnel) -> materialized tables read
    sql: Callable[[Run], str]
    #: the tail query's result -> the metric's frame (segments already decoded)
    shape: Callable[[pd.DataFrame, Run], pd.DataFrame]
    #: whether the result depends on the funnel (start, goal, mode): recorded in its ``.attrs``
    funnel: bool = False

    def tidy(self, out: pd.DataFrame, r: Run) -> pd.DataFrame:
        """Build the metric's frame from its tail query's result ``out`` (segments decoded, then shaped)."""
        return self.shape(decode_segments(out, r), r)


def _seq_and_goal(level: str, fs: FunnelSteps) -> tuple[str, ...]:
    # reaching the goal is read off seq for a first-reach stage goal, else off reach
    return ("seq",) if _sql.goal_inline(fs) else ("seq", "reach")


#: every metric by name, in the order :func:`analyze` runs them
METRICS: dict[str, Metric] = {
    "funnel": Metric(
        lambda level, fs: ("reach",),
        lambda r: _sql.funnel_sql(r.funnel, r.tables, r.src.dialect),
        lambda out, r: _tidy_funnel(out),
        funnel=True,
    ),
    "transitions": Metric(
        # event level: the window over every event runs inside the tail query (never stored)
        lambda level, fs: ("cust", "codes") if level == "event" else ("seq",),
        lambda r: _sql.transitions_sql(r.js, r.tables, r.level, r.self_loops, r.src),
        lambda out, r: _tidy_transitions(out),
    ),
    "funnel_flow": Metric(
        lambda level, fs: ("reach",),
        lambda r: _sql.funnel_flow_sql(r.funnel, r.tables, r.src.dialect),
        lambda out, r: _tidy_funnel_flow(out),
        funnel=True,
    ),
    "stage_times": Metric(
        lambda level, fs: ("reach",),
        lambda r: _sql.stage_times_sql(r.funnel, r.tables, r.src.dialect),
        lambda out, r: _quartiles(_ints(out, "customers")),
        funnel=True,
    ),
    "variants": Metric(
        _seq_and_goal,
        lambda r: _sql.variants_sql(r.tables, r.funnel, r.top, r.src.dialect),
        lambda out, r: _tidy_variants(out, r.js, r.top),
        funnel=True,
    ),
    "exits": Metric(
        _seq_and_goal,
        lambda r: _sql.exits_sql(r.js, r.tables, r.funnel),
        lambda out, r: _ints(out, "customers", "exits", "completed"),
        funnel=True,
    ),
    "stage_durations": Metric(
        lambda level, fs: ("seq", "stay"),  # leaving times come from the sorted sequence
        lambda r: _sql.stage_durations_sql(r.js, r.tables),
        lambda out, r: _quartiles(_ints(out, "customers", "still_in")),
    ),
    # one row per customer, not an aggregate: asked for by name, never by default
    "customer_profiles": Metric(
        _seq_and_goal,
        lambda r: _sql.profiles_sql(r.js, r.tables, r.funnel, r.src.dialect),
        _tidy_profiles,
        funnel=True,
    ),
    # one row per customer and step pair: by name only, like customer_profiles
    "step_times": Metric(
        lambda level, fs: ("reach",),
        lambda r: _sql.step_times_sql(r.funnel, r.tables, r.src.dialect, coded="seq" in r.plan),
        _tidy_step_times,
        funnel=True,
    ),
}

#: the package's own variants of metrics, asked by name by its callers (``analyze(metrics=...)``
#: takes them, its messages and docs do not list them)
INTERNAL: dict[str, Metric] = {
    # step_times without the customer id or an order, on integer codes: ``segment``,
    # ``source_id``, ``target_id`` as categoricals and ``duration``, for compare_segments
    "_step_durations": Metric(
        lambda level, fs: ("reach",),
        lambda r: _sql.step_durations_sql(r.tables),
        _tidy_step_durations,
        funnel=True,
    ),
}


_BOUNCES = Metric(
    lambda level, fs: ("seq",),
    lambda r: _sql.bounces_sql(r.js, r.tables),
    lambda out, r: _ints(out, "customers", "bounces"),
)
# the deprecated bounces under an internal name: ``metrics.bounces`` warns once itself
INTERNAL["_bounces"] = _BOUNCES

#: old metric names still accepted by :func:`analyze` (with a FutureWarning): name -> (new name, metric)
DEPRECATED: dict[str, tuple[str, Metric]] = {"bounces": ("exits", _BOUNCES)}


def metric(name: str) -> Metric:
    """Return the metric ``name``: public (:data:`METRICS`), internal (:data:`INTERNAL`) or deprecated."""
    if name in DEPRECATED:
        return DEPRECATED[name][1]
    return METRICS[name] if name in METRICS else INTERNAL[name]


#: the per-customer metrics, computed only when named
PER_CUSTOMER = ("customer_profiles", "step_times")
#: what :func:`analyze` computes when ``metrics`` is not given: the aggregates
DEFAULT_METRICS = tuple(name for name in METRICS if name not in PER_CUSTOMER)
