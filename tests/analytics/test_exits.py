"""analytics.exits and the "exit rate" measure() writes: the definition on a hand-computed example.

The renamed bounces: at a touchpoint, ``exits`` are the customers whose last
event is there and who did not reach the goal, ``completed`` those whose last
event is there and who did; ``exit_rate = exits / customers`` (customers with an
event there). The same frames on Spark: tests/test_analytics_exits_spark.py.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import analytics as an
from cjm_jupyter.analytics.measure import EXIT_RATE, LEGACY_BOUNCE_RATE

from ..support.analytics import make_journey
from ..support.analytics_exits import FIRST_REACH, GOAL_T2, MAPPING, SEQUENTIAL, counts, exit_log

COLUMNS = ["stage_id", "stage", "touchpoint_id", "touchpoint", "customers", "exits", "completed", "exit_rate"]


# exit rates: t0 0/5, t1 2/3 (b, d), t2 1/3 (e; c completed), t3 0/3, t4 0/1 (a completed)
FIRST_REACH_RATES = {"t0": 0.0, "t1": 2 / 3, "t2": 1 / 3, "t3": 0.0, "t4": 0.0}
# the old bounces: every last event, finished or not: t2 2/3 (c, e) and t4 1/1 (a)
BOUNCES = {"t0": (5, 1), "t1": (3, 2), "t2": (3, 2), "t3": (3, 0), "t4": (1, 1)}


def run(fn, log=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(exit_log() if log is None else log, make_journey(), mapping=MAPPING, **kw)


def test_exits_by_hand_first_reach():
    out = run(an.exits)
    assert list(out.columns) == COLUMNS
    assert counts(out) == FIRST_REACH
    assert dict(zip(out["touchpoint_id"], out["exit_rate"], strict=True)) == pytest.approx(FIRST_REACH_RATES)
    assert out.attrs["mode"] == "first_reach" and out.attrs["goal"] == "s2" and out.attrs["start"] == "s0"
    assert (out["exits"] + out["completed"]).sum() == 6  # every customer ends somewhere, once


def test_exits_by_hand_sequential_and_touchpoint_goal():
    seq = run(an.exits, mode="sequential")
    assert counts(seq) == SEQUENTIAL
    assert seq.set_index("touchpoint_id").loc["t0", "exit_rate"] == pytest.approx(0.2)
    goal = run(an.exits, goal="t2")
    assert counts(goal) == GOAL_T2
    assert goal.attrs["goal"] == "t2"
    assert goal.set_index("touchpoint_id")["exit_rate"].to_dict() == pytest.approx(
        {"t0": 0.2, "t1": 2 / 3, "t2": 0.0, "t3": 0.0, "t4": 0.0}
    )


def test_exits_by_hand_per_segment():
    out = run(an.exits, segment_col="channel")
    assert list(out.columns) == ["segment", *COLUMNS]
    got = {(r.segment, r.touchpoint_id): (r.customers, r.exits, r.completed) for r in out.itertuples()}
    assert got == {
        # app: d, e, f. f completed at t0 (first reach), d exits at t1, e at t2; nobody at t4
        ("app", "t0"): (2, 0, 1), ("app", "t1"): (1, 1, 0), ("app", "t2"): (1, 1, 0),
        ("app", "t3"): (1, 0, 0), ("app", "t4"): (0, 0, 0),
        # web: a, b, c. b exits at t1; a and c completed
        ("web", "t0"): (3, 0, 0), ("web", "t1"): (2, 1, 0), ("web", "t2"): (2, 0, 1),
        ("web", "t3"): (2, 0, 0), ("web", "t4"): (1, 0, 1),
    }  # fmt: skip
    rate = out.set_index(["segment", "touchpoint_id"])["exit_rate"]
    assert rate[("web", "t1")] == 0.5 and rate[("app", "t1")] == 1.0
    assert math.isnan(rate[("app", "t4")])  # no visitors: no rate


def test_bounces_is_deprecated_and_keeps_its_old_output():
    deprecated = r"^analytics\.bounces is deprecated and will be removed; use analytics\.exits"
    with pytest.warns(FutureWarning, match=deprecated):
        old = run(an.bounces)
    assert list(old.columns) == [
        "stage_id", "stage", "touchpoint_id", "touchpoint", "customers", "bounces", "bounce_rate",
    ]  # fmt: skip
    assert {r.touchpoint_id: (r.customers, r.bounces) for r in old.itertuples()} == BOUNCES
    new = run(an.exits)
    assert (old["bounces"] == new["exits"] + new["completed"]).all()


def test_analyze_accepts_bounces_with_a_future_warning():
    with pytest.warns(FutureWarning) as caught:
        out = run(an.analyze, metrics=["exits", "bounces"])
    assert [str(w.message) for w in caught if w.category is FutureWarning] == [
        "the metric 'bounces' is deprecated and will be removed; use 'exits' (see analytics.exits); "
        "'bounces' still returns its old columns"
    ]
    assert list(out) == ["exits", "bounces"]
    assert counts(out["exits"]) == FIRST_REACH
    assert {r.touchpoint_id: (r.customers, r.bounces) for r in out["bounces"].itertuples()} == BOUNCES
    assert "bounces" not in an.analysis.DEFAULT_METRICS and "exits" in an.analysis.DEFAULT_METRICS


def test_exits_on_a_log_without_any_event_at_the_goal():
    # nobody reached Buy: every last event is an exit, and exits equal the old bounces
    log = exit_log().query("event not in ('e3', 'e4')")
    out = run(an.exits, log)
    assert out["completed"].sum() == 0
    assert out["exits"].sum() == log["customer_id"].nunique()


# -- measure(): "exit rate" rows ----------------------------------------------------------------


def measured(journey, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return an.measure(exit_log(), journey, mapping=MAPPING, period="2026-Q3", **kw)


def test_measure_writes_exit_rate_rows_per_visited_touchpoint():
    j = make_journey().copy()
    res = measured(j)
    rows = j.metrics[j.metrics["name"] == EXIT_RATE].set_index("touchpoint_id")
    assert rows["value"].to_dict() == pytest.approx(FIRST_REACH_RATES)
    assert rows["n"].to_dict() == {t: v[0] for t, v in FIRST_REACH.items()}
    assert set(rows["unit"]) == {"ratio"} and set(rows["basis"]) == {"measured"}
    assert set(rows["run_id"]) == {"measure"} and set(rows["period"]) == {"2026-Q3"}
    assert rows["stage_id"].isna().all()
    assert not (j.metrics["name"] == LEGACY_BOUNCE_RATE).any()
    assert counts(res["exits"]) == FIRST_REACH


def test_measure_exit_rate_follows_mode_goal_and_segment():
    j = make_journey().copy()
    measured(j, mode="sequential")
    rate = j.metrics[j.metrics["name"] == EXIT_RATE].set_index("touchpoint_id")["value"]
    assert rate["t0"] == pytest.approx(0.2)
    measured(j, goal="t2")  # same period: replaces the sequential run's rows
    rows = j.metrics[j.metrics["name"] == EXIT_RATE]
    assert len(rows) == 5
    assert rows.set_index("touchpoint_id")["value"].to_dict() == pytest.approx(
        {"t0": 0.2, "t1": 2 / 3, "t2": 0.0, "t3": 0.0, "t4": 0.0}
    )
    # the stage rows still span every stage with goal=
    cust = j.metrics[j.metrics["name"] == "customers"].set_index("stage_id")["value"].to_dict()
    assert cust == {"s0": 6.0, "s1": 3.0, "s2": 3.0}  # Aware: all six; Consider a, c, e; Buy a, c, f
    res = measured(j, segment_col="channel")
    seg = j.metrics[(j.metrics["name"] == EXIT_RATE) & j.metrics["segment"].notna()]
    assert seg.set_index(["segment", "touchpoint_id"])["value"].to_dict() == pytest.approx({
        ("app", "t0"): 0.0, ("app", "t1"): 1.0, ("app", "t2"): 1.0, ("app", "t3"): 0.0,
        ("web", "t0"): 0.0, ("web", "t1"): 0.5, ("web", "t2"): 0.0, ("web", "t3"): 0.0, ("web", "t4"): 0.0,
    })  # fmt: skip
    assert set(res) == {"funnel", "exits", "funnel_by_segment", "exits_by_segment"}


def test_old_bounce_rate_rows_stay_as_written():
    j = make_journey().copy()
    # typed by hand (no run id), and measured by an older version for the same period
    j.add_metric("Bounce rate", 68.0, touchpoint="t0", unit="%", n=41_250, id="typed")
    j.add_metric(
        "bounce rate", 0.25, touchpoint="t3", unit="ratio", n=4, period="2026-Q3", run_id="measure",
        basis="measured", id="older-run",
    )  # fmt: skip
    before = j.metrics.set_index("id").loc[["typed", "older-run"]]
    measured(j)
    measured(j)  # a re-run of the period replaces its own exit rates only
    after = j.metrics.set_index("id")
    pd.testing.assert_frame_equal(after.loc[["typed", "older-run"]], before)
    assert (after["name"] == EXIT_RATE).sum() == 5
    assert sorted(after.loc[after["name"].str.lower() == "bounce rate"].index) == ["older-run", "typed"]


def test_exit_rate_rows_differ_from_the_old_bounce_rate_only_where_customers_finished():
    # the point of the rename: the last stage no longer reads as people leaving
    j = make_journey().copy()
    measured(j)
    with pytest.warns(FutureWarning):
        old = run(an.bounces).set_index("touchpoint_id")["bounce_rate"]
    new = j.metrics[j.metrics["name"] == EXIT_RATE].set_index("touchpoint_id")["value"]
    differ = sorted(t for t in new.index if not np.isclose(new[t], old[t]))
    assert differ == ["t0", "t2", "t4"]  # f, c and a finished there
