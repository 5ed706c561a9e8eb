"""cjm_jupyter.analytics: metrics on event logs, checked by hand and against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from cjm_jupyter import Journey, ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402

from ..support.analytics import MAPPING, SEEDS, make_journey, random_log, ref_steps, run, same  # noqa: E402

METRICS = (an.funnel, an.transitions, an.stage_times, an.variants, an.exits, an.funnel_flow)


# -- hand-computed -----------------------------------------------------------------------------


def test_funnel_by_hand(hand):
    out = run(an.funnel, hand)
    assert list(out.columns) == [
        "stage_id", "stage", "customers", "conversion", "conversion_from_start", "drop_off",
        "step_id", "mode",
    ]  # fmt: skip
    assert out["mode"].tolist() == ["first_reach"] * 3 and out["step_id"].tolist() == ["s0", "s1", "s2"]
    assert out["stage"].tolist() == ["Aware", "Consider", "Buy"]
    assert out["customers"].tolist() == [3, 3, 1]  # first reach: c3 counts for Consider without Aware
    assert np.isnan(out["conversion"][0])
    assert out["conversion"].tolist()[1:] == [1.0, pytest.approx(1 / 3)]
    assert out["conversion_from_start"].tolist() == [1.0, 1.0, pytest.approx(1 / 3)]
    assert out["drop_off"].tolist()[1:] == [0.0, 2.0]


def test_funnel_by_segment_by_hand(hand):
    out = run(an.funnel, hand, segment_col="channel")
    got = {(r.segment, r.stage_id): r.customers for r in out.itertuples()}
    assert got == {
        ("app", "s0"): 2, ("app", "s1"): 1, ("app", "s2"): 0,
        ("web", "s0"): 1, ("web", "s1"): 2, ("web", "s2"): 1,
    }  # fmt: skip
    app = out[out["segment"] == "app"]
    assert app["conversion"].tolist()[1:] == [0.5, 0.0]


def test_segment_is_the_earliest_events(hand):
    # c1 switches to "app" after its first event: it stays in "web"
    moved = hand.assign(channel=np.where(hand["timestamp"] > hand["timestamp"].min(), "app", hand["channel"]))
    moved.loc[moved["customer_id"] == "c4", "channel"] = None  # null segment -> "(missing)"
    out = run(an.funnel, moved, segment_col="channel")
    got = out.groupby("segment")["customers"].max().to_dict()
    assert got == {"web": 2, "app": 1, "(missing)": 1}


def test_transitions_by_hand(hand):
    out = run(an.transitions, hand)
    got = {(r.source, r.target): (r.count, r.customers, r.median_time) for r in out.itertuples()}
    m = pd.Timedelta(minutes=1)
    # c1: s0(last at 5) -> s1(20) 15 min, s1(20) -> s2(50) 30 min; c2: s0(0) -> s1(10), s1(10) -> s0(30)
    assert got == {
        ("s0", "s1"): (2, 2, 12.5 * m),
        ("s1", "s2"): (1, 1, 30 * m),
        ("s1", "s0"): (1, 1, 20 * m),
    }
    tp = run(an.transitions, hand, level="touchpoint")
    assert {(r.source, r.target) for r in tp.itertuples()} == {
        ("t0", "t1"), ("t1", "t2"), ("t2", "t3"), ("t0", "t2"), ("t2", "t0"),
    }  # fmt: skip
    ev = run(an.transitions, hand, level="event")
    assert ("e2", "e7") in {(r.source, r.target) for r in ev.itertuples()}  # unmapped kept at event level
    loops = run(an.transitions, hand, self_loops=True)
    assert loops.set_index(["source", "target"]).loc[("s0", "s0"), "count"] == 1  # c1 e0 -> e1


def test_stage_times_by_hand(hand):
    out = run(an.stage_times, hand)
    assert out[["source_id", "target_id"]].values.tolist() == [["s0", "s1"], ["s1", "s2"]]
    assert out["customers"].tolist() == [2, 1]
    m = pd.Timedelta(minutes=1)
    first = out.iloc[0]  # c1: 20 - 0, c2: 10 - 0
    assert (first.q1, first["median"], first.q3) == (12.5 * m, 15 * m, 17.5 * m)
    assert out.iloc[1]["median"] == 30 * m


def test_variants_by_hand(hand):
    out = run(an.variants, hand)
    assert out["variant"].tolist() == [
        "Aware",
        "Aware > Consider > Aware",
        "Aware > Consider > Buy",
        "Consider",
    ]
    assert out["count"].tolist() == [1, 1, 1, 1]
    assert out["share"].tolist() == [0.25] * 4
    assert out["conversion"].tolist() == [0.0, 0.0, 1.0, 0.0]
    assert out["rank"].tolist() == [1, 2, 3, 4]
    assert run(an.variants, hand, top=2)["rank"].tolist() == [1, 2]


def test_exits_by_hand(hand):
    out = run(an.exits, hand)
    assert list(out.columns) == [
        "stage_id", "stage", "touchpoint_id", "touchpoint", "customers", "exits", "completed", "exit_rate",
    ]  # fmt: skip
    got = {r.touchpoint_id: (r.customers, r.exits, r.completed) for r in out.itertuples()}
    # c1 ends at t3 having bought: completed, not an exit
    assert got == {"t0": (3, 2, 0), "t1": (1, 0, 0), "t2": (3, 1, 0), "t3": (1, 0, 1), "t4": (0, 0, 0)}
    assert np.isnan(out.set_index("touchpoint_id").loc["t4", "exit_rate"])


def test_bounces_is_a_deprecated_alias_with_the_old_columns(hand):
    with pytest.warns(FutureWarning, match=r"^analytics\.bounces is deprecated and will be removed; use "):
        out = run(an.bounces, hand)
    got = {r.touchpoint_id: (r.customers, r.bounces) for r in out.itertuples()}
    assert got == {"t0": (3, 2), "t1": (1, 0), "t2": (3, 1), "t3": (1, 1), "t4": (0, 0)}
    assert np.isnan(out.set_index("touchpoint_id").loc["t4", "bounce_rate"])
    assert "bounces" in an.__all__ and "exits" in an.__all__


# -- against plain pandas on seeded random logs -----------------------------------------------


def ref_funnel(ev):
    d = ref_steps(ev)
    stages = make_journey().stages.sort_values("order")["id"].tolist()
    out = []
    for seg in sorted(set(ref_steps(ev, mapped_only=False)["segment"])):
        n = d[d["segment"] == seg].groupby("stage_id")["customer_id"].nunique().reindex(stages, fill_value=0)
        prev = n.shift(1)
        out.append(pd.DataFrame({"segment": seg, "stage_id": stages, "customers": n.values,
                                 "conversion": (n / prev.where(prev != 0)).values,
                                 "conversion_from_start": (n / (n.iloc[0] or np.nan)).values,
                                 "drop_off": (prev - n).values}))  # fmt: skip
    return pd.concat(out, ignore_index=True)


def ref_transitions(ev, level):
    node = {"stage": "stage_id", "touchpoint": "touchpoint_id", "event": "event"}[level]
    d = ref_steps(ev, mapped_only=level != "event")
    g = d.groupby("customer_id")
    d["nxt"], d["nt"] = g[node].shift(-1), g["timestamp"].shift(-1)
    d = d[d["nxt"].notna() & (d["nxt"] != d[node])]
    d = d.assign(dt=(d["nt"] - d["timestamp"]) // pd.Timedelta(microseconds=1))
    out = d.groupby(["segment", node, "nxt"]).agg(
        count=("customer_id", "size"), customers=("customer_id", "nunique"), median_us=("dt", "median")
    )
    out = out.reset_index().rename(columns={node: "source", "nxt": "target"})
    out["median_time"] = pd.to_timedelta(out.pop("median_us").round(), unit="us")
    return out


def ref_stage_times(ev):
    d = ref_steps(ev)
    first = d.groupby(["segment", "customer_id", "stage_id"])["timestamp"].min().unstack()
    rows = []
    pairs = [("s0", "s1"), ("s1", "s2")]
    for seg in sorted(set(ref_steps(ev, mapped_only=False)["segment"])):
        f = first.loc[seg] if seg in first.index.get_level_values(0) else pd.DataFrame()
        for a, b in pairs:
            if a in f and b in f:
                us = ((f[b] - f[a]).dropna() // pd.Timedelta(microseconds=1)).astype("float64")
            else:
                us = pd.Series([], dtype="float64")
            q = [us.quantile(p) if len(us) else np.nan for p in (0.25, 0.5, 0.75)]
            rows.append((seg, a, b, len(us), *pd.to_timedelta(np.round(q), unit="us")))
    return pd.DataFrame(
        rows, columns=["segment", "source_id", "target_id", "customers", "q1", "median", "q3"]
    )


def ref_variants(ev, top):
    d = ref_steps(ev)
    prev = d.groupby("customer_id")["stage_id"].shift(1)
    runs = d[prev.isna() | (prev != d["stage_id"])]
    paths = runs.groupby(["segment", "customer_id"])["stage_id"].agg(lambda s: " > ".join(s)).rename("path")
    paths = paths.reset_index()
    paths["converted"] = paths["path"].str.split(" > ").map(lambda p: "s2" in p).astype(float)
    agg = paths.groupby(["segment", "path"]).agg(
        count=("customer_id", "size"), conversion=("converted", "mean")
    )
    agg = agg.reset_index()
    agg["share"] = agg["count"] / agg.groupby("segment")["count"].transform("sum")
    agg = agg.sort_values(["segment", "count", "path"], ascending=[True, False, True])
    agg["rank"] = agg.groupby("segment").cumcount() + 1
    return agg[agg["rank"] <= top].reset_index(drop=True)


def ref_exits(ev):
    d = ref_steps(ev)
    bought = set(d.loc[d["stage_id"] == "s2", "customer_id"])  # reached the last stage: the goal
    last = d.groupby("customer_id").tail(1)
    last = last.assign(done=last["customer_id"].isin(bought))
    tps = ["t0", "t1", "t2", "t3", "t4"]
    rows = []
    for seg in sorted(set(ref_steps(ev, mapped_only=False)["segment"])):
        v = d[d["segment"] == seg].groupby("touchpoint_id")["customer_id"].nunique()
        ends = last[last["segment"] == seg]
        x = ends[~ends["done"]].groupby("touchpoint_id").size()
        c = ends[ends["done"]].groupby("touchpoint_id").size()
        rows += [(seg, t, int(v.get(t, 0)), int(x.get(t, 0)), int(c.get(t, 0))) for t in tps]
    return pd.DataFrame(rows, columns=["segment", "touchpoint_id", "customers", "exits", "completed"])


@pytest.mark.parametrize("seed", SEEDS)
def test_funnel_matches_pandas(seed):
    ev = random_log(seed)
    same(run(an.funnel, ev, segment_col="channel"), ref_funnel(ev), ["segment", "stage_id"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", ["stage", "touchpoint", "event"])
def test_transitions_match_pandas(seed, level):
    ev = random_log(seed)
    same(
        run(an.transitions, ev, segment_col="channel", level=level),
        ref_transitions(ev, level),
        ["segment", "source", "target"],
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_stage_times_match_pandas(seed):
    ev = random_log(seed)
    same(run(an.stage_times, ev, segment_col="channel"), ref_stage_times(ev), ["segment", "source_id"])


@pytest.mark.parametrize("seed", SEEDS)
def test_variants_match_pandas(seed):
    ev = random_log(seed)
    same(run(an.variants, ev, segment_col="channel", top=3), ref_variants(ev, 3), ["segment", "rank"])


@pytest.mark.parametrize("seed", SEEDS)
def test_exits_match_pandas(seed):
    ev = random_log(seed)
    same(run(an.exits, ev, segment_col="channel"), ref_exits(ev), ["segment", "touchpoint_id"])


# -- input kinds -------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", METRICS)
def test_parquet_glob_and_relation_match_pandas(tmp_path, hand, metric):
    con = duckdb.connect()
    con.register("hand", hand)
    con.execute(f"COPY (SELECT * FROM hand WHERE customer_id <= 'c2') TO '{tmp_path / 'a.parquet'}'")
    con.execute(f"COPY (SELECT * FROM hand WHERE customer_id > 'c2') TO '{tmp_path / 'b.parquet'}'")
    want = run(metric, hand)
    pd.testing.assert_frame_equal(run(metric, str(tmp_path / "*.parquet")), want)
    pd.testing.assert_frame_equal(run(metric, con.table("hand")), want)


def test_tz_aware_timestamps_are_instants(hand):
    aware = hand.copy()
    # same instants, written in two zones: durations must not change
    aware["timestamp"] = hand["timestamp"].dt.tz_localize("UTC").dt.tz_convert("America/New_York")
    for metric in METRICS:
        pd.testing.assert_frame_equal(run(metric, aware), run(metric, hand))


@pytest.mark.parametrize("unit", ["s", "ms", "ns"])
def test_timestamp_resolutions(hand, unit):
    other = hand.assign(timestamp=hand["timestamp"].astype(f"datetime64[{unit}]"))
    for metric in METRICS:
        pd.testing.assert_frame_equal(run(metric, other), run(metric, hand))


def test_integer_ids_and_categorical_events(hand):
    other = hand.assign(
        customer_id=hand["customer_id"].str[1:].astype(int), event=hand["event"].astype("category")
    )
    got = run(an.funnel, other)
    pd.testing.assert_frame_equal(got, run(an.funnel, hand))


def test_pyarrow_table(hand):
    pa = pytest.importorskip("pyarrow")
    pd.testing.assert_frame_equal(run(an.funnel, pa.Table.from_pandas(hand)), run(an.funnel, hand))


def test_custom_column_names(hand):
    renamed = hand.rename(columns={"customer_id": "uid", "timestamp": "at", "event": "name"})
    got = run(an.funnel, renamed, customer_col="uid", time_col="at", event_col="name")
    pd.testing.assert_frame_equal(got, run(an.funnel, hand))


def test_duplicates_count_once(hand):
    doubled = pd.concat([hand, hand], ignore_index=True)
    for metric in METRICS:
        pd.testing.assert_frame_equal(run(metric, doubled), run(metric, hand))


def test_null_ids_dropped_and_counted(hand):
    dirty = pd.concat(
        [hand, pd.DataFrame({"customer_id": [None, "c9"], "timestamp": [hand["timestamp"][0], pd.NaT],
                             "event": ["e0", "e0"], "channel": ["web", "web"]})],
        ignore_index=True,
    )  # fmt: skip
    with pytest.warns(UserWarning, match="dropped 2 of 12 events"):
        out = an.funnel(dirty, make_journey(), mapping=MAPPING | {"e7": "t2"})
    assert out.attrs["dropped_null"] == 2
    assert out["customers"].tolist() == [3, 3, 1]


def test_mapping_as_frame(hand):
    frame = pd.DataFrame({"event": list(MAPPING), "touchpoint_id": list(MAPPING.values())})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        got = an.funnel(hand, make_journey(), mapping=frame)
    pd.testing.assert_frame_equal(got, run(an.funnel, hand))


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("metric", METRICS)
def test_unmapped_events_reported(hand, metric):
    with pytest.warns(UserWarning, match=r"1 of 10 events \(1 distinct\) map to no touchpoint: 'e7': 1"):
        out = metric(hand, make_journey(), mapping=MAPPING)
    assert out.attrs["unmapped"] == {"e7": 1}


@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize(
    "kw", [{"customer_col": "user"}, {"time_col": "ts"}, {"event_col": "action"}, {"segment_col": "x"}]
)
def test_missing_column_named(hand, metric, kw):
    with pytest.raises(ValidationError) as err:
        metric(hand, make_journey(), mapping=MAPPING, **kw)
    assert err.value.column == next(iter(kw.values()))
    assert repr(next(iter(kw.values()))) in str(err.value)


def test_missing_parquet(tmp_path):
    with pytest.raises(ValidationError, match="cannot read Parquet"):
        an.funnel(str(tmp_path / "none-*.parquet"), make_journey(), mapping=MAPPING)


def test_wrong_time_dtype(hand):
    bad = hand.assign(timestamp=hand["timestamp"].astype(str))
    with pytest.raises(ValidationError, match="timestamps") as err:
        an.funnel(bad, make_journey(), mapping=MAPPING)
    assert err.value.column == "timestamp"


@pytest.mark.parametrize("metric", METRICS)
def test_empty_log(hand, metric):
    with pytest.raises(ValidationError, match="empty"):
        metric(hand.iloc[:0], make_journey(), mapping=MAPPING)


def test_all_null_log(hand):
    with pytest.raises(ValidationError, match="every row"):
        an.funnel(hand.assign(customer_id=None), make_journey(), mapping=MAPPING)


@pytest.mark.parametrize(
    ("mapping", "column"),
    [
        ({"e0": "nope"}, "touchpoint_id"),
        (pd.DataFrame({"event": ["e0"]}), "touchpoint_id"),
        (pd.DataFrame({"event": ["e0", "e0"], "touchpoint_id": ["t0", "t1"]}), "event"),
        (pd.DataFrame({"event": ["e0", None], "touchpoint_id": ["t0", "t1"]}), "event"),
    ],
)
def test_bad_mapping(hand, mapping, column):
    with pytest.raises(ValidationError) as err:
        an.funnel(hand, make_journey(), mapping=mapping)
    assert err.value.column == column


def test_bad_arguments(hand):
    with pytest.raises(ValidationError, match="level"):
        an.transitions(hand, make_journey(), mapping=MAPPING, level="channel")
    with pytest.raises(ValidationError, match="DataFrame"):
        an.funnel([1, 2], make_journey(), mapping=MAPPING)
    with pytest.raises(ValidationError, match="no stages"):
        an.funnel(hand, Journey("empty"), mapping=MAPPING)
    with pytest.raises(ValidationError, match="empty"):
        an.funnel(hand, make_journey(), mapping={})


def test_journey_left_unchanged(hand):
    j = make_journey()
    before = j.copy()
    for metric in METRICS:
        run(metric, hand, journey=j)
    assert j.equals(before)


def test_results_feed_the_plots(hand):
    from cjm_jupyter.plots.flow import flow
    from cjm_jupyter.plots.funnel_chart import funnel_steps

    steps = funnel_steps(run(an.funnel, hand, segment_col="channel"))
    assert len(steps) == 6
    flow(run(an.transitions, hand), journey=make_journey())
