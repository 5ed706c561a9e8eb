"""Business outcomes against hand-computed examples: retention, cohorts, revenue, AOV, NPS, top-2-box."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("statsmodels")

from statsmodels.stats.proportion import proportion_confint

from cjm_jupyter import Journey, ValidationError, templates
from cjm_jupyter.analytics import funnel, make_events, make_surveys
from cjm_jupyter.analytics.outcomes import retention, retention_cohorts, revenue
from cjm_jupyter.analytics.satisfaction import SCALES, nps, satisfaction, top_two_box

from ..support.analytics import MAPPING, make_journey
from ..support.analytics_outcomes import DAY, T0, outcome_log


def quiet(fn, *args, **kw):
    """``fn`` with the unmapped-event warning (e7) silenced."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


def wilson(s, n):
    return proportion_confint(s, n, alpha=0.05, method="wilson")


# --- retention ------------------------------------------------------------------------------


def test_retention_by_hand():
    r = quiet(retention, outcome_log(), make_journey(), mapping=MAPPING, within_days=30)
    assert list(r.columns) == ["goal_id", "goal", "within_days", "customers", "converted", "retained",
                               "retention", "ci_low", "ci_high", "censored"]  # fmt: skip
    row = r.iloc[0]
    assert (row["goal_id"], row["goal"], row["within_days"]) == ("s2", "Buy", 30.0)
    # c1 and c5 come back within 30 days; c5 (day 20) and c6 (day 35) had less than 30 days of log
    assert (row["customers"], row["converted"], row["retained"], row["censored"]) == (7, 5, 2, 2)
    assert row["retention"] == pytest.approx(0.4)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(wilson(2, 5))
    assert r.attrs["goal_kind"] == "stage" and r.attrs["unmapped"] == {"e7": 1}


def test_retention_window_and_min_gap():
    log, j = outcome_log(), make_journey()
    wide = quiet(retention, log, j, mapping=MAPPING, within_days=60).iloc[0]
    assert (wide["retained"], wide["censored"], wide["retention"]) == (3, 5, pytest.approx(0.6))
    # a return one hour later is the same visit once min_gap is a day: only c1 remains
    gap = quiet(retention, log, j, mapping=MAPPING, within_days=30, min_gap="1D").iloc[0]
    assert (gap["retained"], gap["retention"]) == (1, pytest.approx(0.2))


def test_retention_per_segment_and_touchpoint_goal():
    log, j = outcome_log(), make_journey()
    seg = quiet(retention, log, j, mapping=MAPPING, within_days=30, segment_col="segment")
    got = seg[["segment", "customers", "converted", "retained"]].to_dict("records")
    assert got == [
        {"segment": "A", "customers": 3, "converted": 3, "retained": 1},
        {"segment": "B", "customers": 4, "converted": 2, "retained": 1},
    ]
    # the goal by touchpoint name: only c2 reached T4, and came back on day 40
    tp = quiet(retention, log, j, mapping=MAPPING, goal="T4", within_days=60).iloc[0]
    assert (tp["goal_id"], tp["converted"], tp["retained"]) == ("t4", 1, 1)
    assert quiet(retention, log, j, mapping=MAPPING, goal="t4", within_days=30).iloc[0]["retained"] == 0


def test_retention_nobody_converted_is_nan():
    log = outcome_log()
    log = log[log["customer_id"] == "c4"]  # a single customer, who never reached the goal
    row = retention(log, make_journey(), mapping=MAPPING).iloc[0]
    assert (row["customers"], row["converted"], row["retained"]) == (1, 0, 0)
    assert math.isnan(row["retention"]) and math.isnan(row["ci_low"])


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        # the funnel's message (one resolver, _steps.resolve_goal)
        (
            {"goal": "nowhere"},
            "column 'goal', value 'nowhere': unknown goal 'nowhere': neither a stage nor "
            "a touchpoint id or name; stages: 'Aware' (s0), 'Consider' (s1), 'Buy' (s2)",
        ),
        ({"within_days": 0}, "column 'within_days', value 0: within_days must be a number of days > 0"),
        ({"min_gap": "soon"}, "column 'min_gap', value 'soon': min_gap must be a duration"),
    ],
)
def test_retention_bad_arguments(kw, message):
    with pytest.raises(ValidationError) as err:
        quiet(retention, outcome_log(), make_journey(), mapping=MAPPING, **kw)
    assert message in str(err.value)


def test_an_unknown_goal_gets_the_funnels_message():
    log, j = outcome_log(), make_journey()
    messages = []
    for fn in (funnel, retention, retention_cohorts):
        with pytest.raises(ValidationError) as err:
            quiet(fn, log, j, mapping=MAPPING, goal="nowhere")
        messages.append(str(err.value))
    assert len(set(messages)) == 1 and "unknown goal 'nowhere'" in messages[0]


def test_goal_ids_before_names_and_a_shared_name_refused():
    j = Journey("Two apps")
    for sid in ("s0", "s1"):
        j.add_stage(sid.upper(), id=sid)
        j.add_touchpoint(sid, "App", id="t" + sid)
    j.add_touchpoint("s1", "ts0", id="t9")  # a name equal to another touchpoint's id: the id wins
    log = pd.DataFrame({"customer_id": ["a", "a"], "timestamp": [T0, T0 + DAY], "event": ["x", "y"]})
    mapping = {"x": "ts0", "y": "t9"}
    assert retention(log, j, mapping=mapping, goal="ts0").iloc[0]["goal_id"] == "ts0"
    with pytest.raises(ValidationError, match=r"goal 'App' names 2 touchpoints \(ts0, ts1\); pass the id"):
        retention(log, j, mapping=mapping, goal="App")


def test_goal_without_mapped_events():
    with pytest.raises(ValidationError, match="no event maps to the goal stage 'Consider'"):
        retention(outcome_log(), make_journey(), mapping={"e4": "t3"}, goal="Consider")


def test_empty_log():
    empty = outcome_log().iloc[:0]
    for fn in (retention, retention_cohorts, revenue):
        with pytest.raises(ValidationError, match="the event log is empty"):
            fn(empty, make_journey(), mapping=MAPPING)


# --- cohorts --------------------------------------------------------------------------------


def test_cohorts_by_hand():
    c = quiet(retention_cohorts, outcome_log(), make_journey(), mapping=MAPPING)
    assert c.to_dict("records") == [
        {"cohort": "2024-03", "months_since": 0, "n": 4, "retained": 4, "share": 1.0},
        {"cohort": "2024-03", "months_since": 1, "n": 4, "retained": 1, "share": 0.25},  # c2 in April
        {"cohort": "2024-04", "months_since": 0, "n": 1, "retained": 1, "share": 1.0},
    ]
    assert c.attrs["goal_id"] == "s2"


def test_cohorts_per_segment_and_nobody_converted():
    c = quiet(retention_cohorts, outcome_log(), make_journey(), mapping=MAPPING, segment_col="segment")
    assert c[["segment", "cohort", "months_since", "n"]].values.tolist() == [
        ["A", "2024-03", 0, 2], ["A", "2024-03", 1, 2], ["A", "2024-04", 0, 1],
        ["B", "2024-03", 0, 2], ["B", "2024-03", 1, 2],
    ]  # fmt: skip
    assert c["retained"].tolist() == [2, 1, 1, 2, 0]
    log = outcome_log()
    none = retention_cohorts(log[log["customer_id"] == "c4"], make_journey(), mapping=MAPPING)
    assert none.empty and list(none.columns) == ["cohort", "months_since", "n", "retained", "share"]


# --- revenue --------------------------------------------------------------------------------


def test_revenue_by_stage_by_hand():
    r = quiet(revenue, outcome_log(), make_journey(), mapping=MAPPING)
    assert list(r.columns) == ["stage_id", "stage", "revenue", "orders", "aov", "customers"]
    assert r["stage_id"].tolist() == ["s0", "s1", "s2"]
    # Buy: 100 (duplicate row once) + 50 + 30 + 20 + 20 over 5 orders by c1, c2, c5
    assert r["revenue"].tolist() == [5.0, 0.0, 220.0]
    assert r["orders"].tolist() == [1, 0, 5]
    assert r["customers"].tolist() == [1, 0, 3]
    assert r["aov"].iloc[0] == 5.0 and math.isnan(r["aov"].iloc[1]) and r["aov"].iloc[2] == 44.0
    assert r.attrs["total_revenue"] == 232.0 and r.attrs["total_orders"] == 7
    assert (r.attrs["unmapped_revenue"], r.attrs["unmapped_orders"]) == (7.0, 1)


def test_revenue_by_touchpoint_and_segment_by_hand():
    log, j = outcome_log(), make_journey()
    tp = quiet(revenue, log, j, mapping=MAPPING, by="touchpoint")
    assert tp["touchpoint_id"].tolist() == ["t0", "t1", "t2", "t3", "t4"]
    assert tp["revenue"].tolist() == [5.0, 0.0, 0.0, 190.0, 30.0]
    assert tp["aov"].iloc[3] == 47.5 and tp["customers"].tolist() == [1, 0, 0, 2, 1]
    seg = quiet(revenue, log, j, mapping=MAPPING, segment_col="segment")
    buy = seg[seg["stage_id"] == "s2"].set_index("segment")
    assert buy.loc["A", ["revenue", "orders", "aov", "customers"]].tolist() == [180.0, 3, 60.0, 2]
    assert buy.loc["B", ["revenue", "orders", "aov", "customers"]].tolist() == [40.0, 2, 20.0, 1]


def test_revenue_is_the_same_whatever_order_the_rows_come_in():
    # 0.1 + 0.2 + ... in another order gives another last bit; a total that moved between
    # runs made a CI run fail, so the sums must not depend on row order or on the scan's threads
    rng = np.random.default_rng(5)
    n = 4000
    log = pd.DataFrame({
        "customer_id": [f"c{i % 300}" for i in range(n)],
        "event": "e5",
        "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta(np.arange(n), unit="s"),
        "value": rng.uniform(0, 1000, n).round(2) + 1e-3,
        "segment": np.where(np.arange(n) % 2 == 0, "A", "B"),
    })  # fmt: skip
    j = make_journey()
    first = quiet(revenue, log, j, mapping=MAPPING, segment_col="segment")
    for seed in range(6):
        shuffled = log.sample(frac=1, random_state=seed).reset_index(drop=True)
        again = quiet(revenue, shuffled, j, mapping=MAPPING, segment_col="segment")
        pd.testing.assert_frame_equal(again, first, check_exact=True)
        assert again.attrs == first.attrs
    assert math.isclose(first.attrs["total_revenue"], math.fsum(log["value"]), rel_tol=1e-15)


def test_revenue_bad_value_columns():
    log, j = outcome_log(), make_journey()
    with pytest.raises(ValidationError, match="the event log has no value column 'amount'"):
        revenue(log, j, mapping=MAPPING, value_col="amount")
    with pytest.raises(ValidationError, match="the value column must hold numbers, got VARCHAR"):
        revenue(log, j, mapping=MAPPING, value_col="segment")
    with pytest.raises(ValidationError, match="the value column 'value' is null on every row"):
        quiet(revenue, log.assign(value=np.nan), j, mapping=MAPPING)
    with pytest.raises(ValidationError, match="by must be 'stage' or 'touchpoint'"):
        revenue(log, j, mapping=MAPPING, by="channel")
    said = "column 'value', value None: value_col must name the event log's"
    with pytest.raises(ValidationError, match=said):
        revenue(log, j, mapping=MAPPING, value_col=None)


# --- surveys: NPS, top-2-box, CES ---------------------------------------------------------------


def answers(by_touchpoint: dict[str, list[float]], segment: str | None = None) -> pd.DataFrame:
    rows = [(tp, s) for tp, scores in by_touchpoint.items() for s in scores]
    out = pd.DataFrame({"touchpoint_id": [r[0] for r in rows], "score": [r[1] for r in rows]})
    return out.assign(segment=segment) if segment else out


def test_nps_by_hand():
    got = nps(answers({"t0": [10, 9, 9, 8, 7, 6, 0, 3], "t1": [10], "t3": [10, 10, 9, 5]}), make_journey())
    assert list(got.columns) == ["stage_id", "stage", "touchpoint_id", "touchpoint", "n", "promoters",
                                 "passives", "detractors", "nps", "ci_low", "ci_high"]  # fmt: skip
    t0, t1, t2, t3 = (got.iloc[i] for i in range(4))
    assert (t0["n"], t0["promoters"], t0["passives"], t0["detractors"], t0["nps"]) == (8, 3, 2, 3, 0.0)
    # Var(p - d) = (p + d - (p - d)^2) / n = 0.75 / 8
    half = 1.959963984540054 * 100 * math.sqrt(0.75 / 8)
    assert (t0["ci_low"], t0["ci_high"]) == pytest.approx((-half, half))
    assert t1["nps"] == 100.0 and math.isnan(t1["ci_low"])  # n = 1: no interval
    assert t2["n"] == 0 and math.isnan(t2["nps"])  # no answers
    half3 = 1.959963984540054 * 100 * math.sqrt((1.0 - 0.5**2) / 4)
    assert t3["nps"] == 50.0 and (t3["ci_low"], t3["ci_high"]) == pytest.approx((50 - half3, 100.0))
    assert got.attrs["method"] == "Wald interval of the trinomial difference"


def test_nps_refuses_scores_off_its_scale():
    with pytest.raises(ValidationError, match=r"score outside the 0\.\.10 scale \(1 rows\)"):
        nps(answers({"t0": [10, 11]}), make_journey())


def test_top_two_box_by_hand():
    got = top_two_box(answers({"t0": [5, 4, 4, 3, 1], "t3": [2]}), make_journey(), level="stage")
    assert list(got.columns) == ["stage_id", "stage", "n", "top2", "share", "ci_low", "ci_high"]
    s0, s1, s2 = (got.iloc[i] for i in range(3))
    assert (s0["n"], s0["top2"], s0["share"]) == (5, 3, 0.6)
    assert (s0["ci_low"], s0["ci_high"]) == pytest.approx(wilson(3, 5))
    assert s1["n"] == 0 and math.isnan(s1["share"]) and math.isnan(s1["ci_low"])
    assert (s2["top2"], s2["share"]) == (0, 0.0)
    assert got.attrs["threshold"] == 4.0


def test_ces_is_a_named_seven_point_scale():
    assert SCALES["ces"] == (1.0, 7.0)
    got = top_two_box(answers({"t0": [7, 6, 5]}), make_journey(), scale="ces")
    assert (got.iloc[0]["top2"], got.attrs["threshold"]) == (2, 6.0)
    sat = satisfaction(answers({"t0": [1, 4, 7]}), make_journey(), scale="ces")
    assert sat.iloc[0]["mean"] == 0.0  # 1 -> -2, 4 -> 0, 7 -> +2


def test_survey_outcomes_per_segment_with_one_customer():
    data = pd.concat([answers({"t0": [10, 9, 0]}, "A"), answers({"t0": [10]}, "B")], ignore_index=True)
    got = nps(data, make_journey(), segment_col="segment")
    b = got[(got["segment"] == "B") & (got["touchpoint_id"] == "t0")].iloc[0]
    assert (b["n"], b["nps"]) == (1, 100.0) and math.isnan(b["ci_low"])  # documented NaN for n < 2
    a = got[(got["segment"] == "A") & (got["touchpoint_id"] == "t0")].iloc[0]
    assert a["nps"] == pytest.approx(100 / 3)


def test_empty_survey_table():
    for fn in (nps, top_two_box):
        with pytest.raises(ValidationError, match="the survey table is empty"):
            fn(answers({}), make_journey())


# --- synthetic data -------------------------------------------------------------------------


def test_make_events_values_and_returns_keep_the_first_walk():
    j = templates.load("colleen")
    plain = make_events(j, customers=300, seed=4)
    rich = make_events(j, customers=300, seed=4, repeat_rate=0.5, values=True)
    # the first walk's rows are unchanged; returns add rows at the goal stage only
    assert len(rich.drop(columns="value").merge(plain, how="inner")) == len(plain)
    assert len(rich) > len(plain)
    goal_events = set(j.event_map.loc[j.event_map["touchpoint_id"].isin(
        j.touchpoints.loc[j.touchpoints["stage_id"] == "use", "id"]), "event"])  # fmt: skip
    orders = rich[rich["value"].notna()]
    assert set(orders["event"]) <= goal_events and (orders["value"] > 0).all()
    again = make_events(j, customers=300, seed=4, repeat_rate=0.5, values=True)
    pd.testing.assert_frame_equal(rich, again)
    with pytest.raises(ValidationError, match=r"repeat_rate must be a probability in \[0, 1\)"):
        make_events(j, repeat_rate=1.0)


def test_synthetic_returns_show_as_retention():
    j = templates.load("colleen")
    none = retention(make_events(j, customers=400, seed=2, values=True), j, within_days=365, min_gap="1D")
    some = retention(make_events(j, customers=400, seed=2, repeat_rate=0.4), j, within_days=365, min_gap="1D")
    assert none.iloc[0]["retained"] == 0
    assert 0.25 < some.iloc[0]["retention"] < 0.55  # about repeat_rate, less the returns after a year
    surveys = make_surveys(make_events(j, customers=200, seed=2), j, scale="nps", seed=2)
    assert nps(surveys, j)["n"].sum() == len(surveys)
