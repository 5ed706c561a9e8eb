"""make_events following a customer table (customers=, id=, segment=), per-segment behaviour, goal= and
value_median=; and every call that existed before them gives the same log, byte for byte."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError, templates
from cjm_jupyter import analytics as an
from cjm_jupyter.personas import make_customers

from ..support.paths import ROOT

#: the last commit before customer tables, goal= and value_median= (the reference for old calls)
BEFORE = "ac6913a"

#: calls that existed before, and the sha256 of their log (columns, dtypes, CSV text) made by the code
#: at BEFORE with pandas 3 / numpy 2 (see ``_digest``)
OLD_CALLS = {
    "plain": ({"customers": 300, "seed": 1},
              "d7d6e02f34c01dcfe9fd2b01a7658a90e4ffaf9292c08379f40a3cdb89547056"),
    "rates": ({"customers": 300, "continue_rate": [0.9, 0.5, 0.8, 0.4], "events_per_stage": 2.5, "seed": 2},
              "b0d2cb7fb49d339aaf9634b261aca055958330ea7d63f69c59c147579ba1de9a"),
    "list": ({"customers": 300, "segments": ["mobile", "desktop", "tablet"], "seed": 3},
             "b989313b0e6376e08e53ddfb1dc35db0e5cfcbc16cd976dbaea1ed3e6ae8c74d"),
    "weights": ({"customers": 300, "segments": {"mobile": 1.0, "desktop": 1.5, "none": 0}, "seed": 4},
                "b8c1556ea028cf43281bcd5149f7dd80ba6c4448861a007f2ad1eed448e2b72f"),
    "repeat_values": ({"customers": 300, "repeat_rate": 0.4, "values": True, "seed": 5},
                      "d24d535008093997f6bfa4fd806cc330d490b7c321a4365c6ecdd42ef0cec0ef"),
    "all": ({"customers": 300, "segments": {"a": 1.0, "b": 2.0}, "repeat_rate": 0.3, "values": True,
             "start": "2026-03-01", "days": 10, "seed": 6},
            "32dbb8df7ab7469288ba7035f82a05a4388e47f58f6b9ba0a9793b79a32adbe4"),
    "values_only": ({"customers": 50, "values": True, "seed": 7},
                    "abcea617ce9abe4e75fa64b4cfe46d6bd70ae95bc9480c669f3e5e5ba57f1343"),
}  # fmt: skip

#: per planted segment: continue rates (4 transitions of colleen), repeat rate, median order
BEHAVIOUR = {
    "young_mobile": {"continue_rate": [0.9, 0.4, 0.7, 0.7], "repeat_rate": 0.1, "value_median": 30.0},
    "loyal_regular": {"continue_rate": [0.9, 0.8, 0.7, 0.7], "repeat_rate": 0.6, "value_median": 60.0},
    "big_basket": {"continue_rate": [0.9, 0.6, 0.7, 0.7], "repeat_rate": 0.2, "value_median": 170.0},
}


@pytest.fixture(scope="module")
def table():
    return make_customers(6_000, segments=3, seed=7)


@pytest.fixture(scope="module")
def walked(colleen, table):
    """The documented path: a make_customers table, its planted segments behaving differently."""
    return an.make_events(
        colleen, customers=table, segment_col="planted_segment", segments=BEHAVIOUR, goal="Purchase",
        values=True, seed=11,
    )  # fmt: skip


def _digest(frame: pd.DataFrame) -> str:
    head = json.dumps([list(map(str, frame.columns)), list(map(str, frame.dtypes))])
    text = head + frame.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


# -- old calls: the same log as before ----------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(OLD_CALLS))
def test_old_calls_give_the_log_they_gave_before(colleen, case):
    kwargs, digest = OLD_CALLS[case]
    assert _digest(an.make_events(colleen, **kwargs)) == digest


def _before_module():
    """make_events as it was at BEFORE, loaded inside the package (its relative imports resolve)."""
    try:
        source = subprocess.run(
            ["git", "show", f"{BEFORE}:cjm_jupyter/analytics/sample.py"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip(f"no git history with commit {BEFORE}")
    spec = importlib.util.spec_from_loader("cjm_jupyter.analytics._sample_before", loader=None)
    module = importlib.util.module_from_spec(spec)
    module.__package__ = "cjm_jupyter.analytics"
    exec(compile(source, "sample_before.py", "exec"), module.__dict__)
    sys.modules.pop(spec.name, None)
    return module


def test_old_calls_equal_the_code_before_the_change(colleen):
    before = _before_module()
    for kwargs, _ in OLD_CALLS.values():
        now, then = an.make_events(colleen, **kwargs), before.make_events(colleen, **kwargs)
        pd.testing.assert_frame_equal(now, then)


# -- a customer table ---------------------------------------------------------------------------------


def test_a_table_walks_like_that_many_customers_with_its_ids(colleen, table):
    plain = an.make_events(colleen, customers=len(table), repeat_rate=0.3, values=True, seed=2)
    walked = an.make_events(colleen, customers=table, repeat_rate=0.3, values=True, seed=2)
    assert str(walked["customer_id"].dtype) == "int64"  # make_customers' integer ids stay integers
    # the same walk: customer cN of the numbered log is the table's row N
    row = plain["customer_id"].str[1:].astype(int)
    renamed = plain.assign(customer_id=table["customer_id"].to_numpy()[row])
    renamed = renamed.sort_values(["customer_id", "timestamp"], kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(walked, renamed)


def test_text_ids_stay_text_and_every_customer_is_in_the_log(colleen):
    table = make_customers(300, segments=2, ids="str", seed=1).sample(frac=1, random_state=0)
    log = an.make_events(colleen, customers=table, seed=1)
    assert str(log["customer_id"].dtype) == "string"
    assert set(log["customer_id"]) == set(table["customer_id"])  # everyone has a first-stage event


def test_another_id_column_and_integer_segments(colleen):
    table = pd.DataFrame({"crm_id": [1001, 1002, 1003, 1004], "cluster": [0, 1, 0, 1]})
    log = an.make_events(
        colleen, customers=table, customer_col="crm_id", segment_col="cluster",
        segments={"0": {"continue_rate": 1.0}, 1: {"continue_rate": 0.0}}, seed=3,
    )  # fmt: skip
    assert str(log["customer_id"].dtype) == "int64" and str(log["segment"].dtype) == "int64"
    assert sorted(log["customer_id"].unique()) == [1001, 1002, 1003, 1004]
    # cluster 0 (key "0", matched as text) walks every stage, cluster 1 stops after the first
    stages = an.funnel(log, colleen, segment_col="segment").set_index(["segment", "stage_id"])["customers"]
    assert stages.loc["0"].tolist() == [2, 2, 2, 2, 2]  # the funnel's segment labels are text
    assert stages.loc["1"].tolist() == [2, 0, 0, 0, 0]


def test_the_log_keeps_each_customers_table_segment(walked, table):
    assert list(walked.columns) == ["customer_id", "timestamp", "event", "channel", "segment", "value"]
    truth = table.set_index("customer_id")["planted_segment"]
    assert (walked["segment"] == walked["customer_id"].map(truth)).all()
    assert str(walked["segment"].dtype) == "string"
    assert set(walked["customer_id"]) == set(table["customer_id"])


def test_each_segment_behaves_as_its_dict_says(colleen, walked, table):
    fun = an.funnel(walked, colleen, segment_col="segment").set_index(["segment", "stage_id"])
    sizes = table["planted_segment"].value_counts()
    for name, spec in BEHAVIOUR.items():
        assert fun.loc[(name, "trigger"), "customers"] == sizes[name]
        expected = spec["continue_rate"]
        got = fun.loc[name, "conversion"].iloc[1:].to_numpy()
        assert got == pytest.approx(expected, abs=0.06), name  # ~2000 customers: sd <= 0.015
    orders = walked.dropna(subset=["value"]).groupby("segment")["value"].median()
    for name, spec in BEHAVIOUR.items():
        assert orders[name] == pytest.approx(spec["value_median"], rel=0.1)
    back = an.retention(
        walked, colleen, goal="Purchase", segment_col="segment", within_days=3650, min_gap="1D"
    )
    share = back.set_index("segment")["retention"]
    for name, spec in BEHAVIOUR.items():
        # a customer returns at least once with probability repeat_rate
        assert share[name] == pytest.approx(spec["repeat_rate"], abs=0.05), name


def test_weights_with_a_table_scale_the_continue_rates(colleen, table):
    log = an.make_events(
        colleen, customers=table, segment_col="planted_segment", continue_rate=0.5,
        segments={"young_mobile": 1.0, "loyal_regular": 2.0, "big_basket": 1.0}, seed=4,
    )  # fmt: skip
    fun = an.funnel(log, colleen, segment_col="segment").set_index(["segment", "stage_id"])
    # mean weight 4/3: loyal_regular goes on with 0.5 * 1.5 = 0.75, the others 0.5 * 0.75 = 0.375
    assert fun.loc[("loyal_regular", "research"), "conversion"] == pytest.approx(0.75, abs=0.04)
    assert fun.loc[("young_mobile", "research"), "conversion"] == pytest.approx(0.375, abs=0.04)
    # the table decides the sizes, not the weights
    assert fun.xs("trigger", level="stage_id")["customers"].to_dict() == (
        table["planted_segment"].value_counts().to_dict()
    )


def test_surveys_follow_a_table_log(colleen, walked):
    answers = an.make_surveys(walked, colleen, response_rate=0.2, seed=1)
    assert list(answers.columns) == ["customer_id", "touchpoint_id", "score", "segment"]
    sat = an.satisfaction(answers, colleen, segment_col="segment")
    assert set(sat["segment"]) == set(BEHAVIOUR)


# -- behaviour dicts without a table ------------------------------------------------------------------


def test_dicts_draw_segments_by_share(colleen):
    log = an.make_events(
        colleen, customers=8_000, seed=5,
        segments={"a": {"share": 3, "continue_rate": 1.0}, "b": {"continue_rate": 0.0}},
    )  # fmt: skip
    first = log.drop_duplicates("customer_id")["segment"].value_counts(normalize=True)
    assert first["a"] == pytest.approx(0.75, abs=0.02)
    fun = an.funnel(log, colleen, segment_col="segment").set_index(["segment", "stage_id"])["customers"]
    assert fun.loc[("b", "research")] == 0 and fun.loc[("a", "use")] == fun.loc[("a", "trigger")]


# -- goal= and value_median= --------------------------------------------------------------------------


def _stage_of(journey, log):
    emap = journey.event_map
    tp = log["event"].map(dict(zip(emap["event"], emap["touchpoint_id"], strict=True)))
    return tp.map(dict(zip(journey.touchpoints["id"], journey.touchpoints["stage_id"], strict=True))), tp


def test_default_goal_is_the_last_stage_with_events(colleen):
    log = an.make_events(colleen, customers=400, values=True, seed=1)
    stage, _ = _stage_of(colleen, log)
    assert set(stage[log["value"].notna()]) == {"use"}


def test_a_goal_stage_gets_the_orders_and_returns(colleen, walked):
    stage, _ = _stage_of(colleen, walked)
    assert set(stage[walked["value"].notna()]) == {"purchase"}
    # orders = goal visits: one per customer reaching Purchase, plus one per return
    buyers = walked.loc[stage == "purchase", "customer_id"].nunique()
    assert walked["value"].notna().sum() > buyers
    # returns are visits to Purchase after the walk: no return visit to other stages
    assert an.revenue(walked, colleen).set_index("stage_id").loc["purchase", "orders"] == (
        walked["value"].notna().sum()
    )


def test_a_goal_touchpoint_ends_each_visit_there(colleen):
    log = an.make_events(colleen, customers=500, goal="Checkout", repeat_rate=0.3, values=True, seed=2)
    stage, tp = _stage_of(colleen, log)
    assert set(tp[log["value"].notna()]) == {"checkout"}
    buyers = log.loc[stage == "purchase", "customer_id"].nunique()
    assert log.loc[tp == "checkout", "customer_id"].nunique() == buyers  # every Purchase visit ends there


def test_goal_leaves_the_walk_unchanged(colleen):
    """The goal moves the orders, never the walk: the same events in the same order."""
    a = an.make_events(colleen, customers=300, seed=8)
    b = an.make_events(colleen, customers=300, goal="purchase", values=True, seed=8)
    pd.testing.assert_frame_equal(a, b.drop(columns="value"))


def test_value_median_sets_the_median_order(colleen):
    log = an.make_events(colleen, customers=20_000, continue_rate=1.0, values=True, value_median=80, seed=3)
    assert log["value"].median() == pytest.approx(80, rel=0.03)
    default = an.make_events(colleen, customers=300, values=True, seed=3)
    same = an.make_events(colleen, customers=300, values=True, value_median=50.0, seed=3)
    pd.testing.assert_frame_equal(default, same)


# -- bad input ----------------------------------------------------------------------------------------

SMALL = make_customers(20, segments=2, seed=7)
SEG = {"customers": SMALL, "segment_col": "planted_segment"}
COLUMNS = ", ".join(map(repr, SMALL.columns))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"customers": SMALL, "customer_col": "cid"},
         f"frame 'customers', column 'cid': the customer table has no id column 'cid'; its columns: "
         f"{COLUMNS}"),
        ({"customers": SMALL, "segment_col": "seg"},
         f"frame 'customers', column 'seg': the customer table has no segment column 'seg'; its columns: "
         f"{COLUMNS}"),
        ({"customers": pd.concat([SMALL, SMALL.head(2)])},
         "frame 'customers', column 'customer_id', value 0: the customer table repeats 2 id(s), e.g. 0: "
         "one row per customer"),
        ({"customers": SMALL.assign(customer_id=SMALL["customer_id"].where(SMALL.index > 0))},
         "frame 'customers', column 'customer_id': the customer table's id column has 1 missing value(s): "
         "fill or drop those rows"),
        ({"customers": SMALL.assign(planted_segment=SMALL["planted_segment"].where(SMALL.index > 2)),
          "segment_col": "planted_segment"},
         "frame 'customers', column 'planted_segment': the customer table's segment column has 3 missing "
         "value(s): fill or drop those rows"),
        ({"customers": SMALL.head(0)}, "frame 'customers': the customer table has no rows"),
        ({**SEG, "segments": ["young_mobile"]},
         "column 'segments', value ['loyal_regular']: segments= does not name the customer table's "
         "segment(s) ['loyal_regular'] (column 'planted_segment'); it names ['young_mobile']"),
        ({**SEG, "segments": {"young_mobile": {"share": 2}, "loyal_regular": {}}},
         "column 'segments', value ['young_mobile']: segments= gives a share to ['young_mobile'], but the "
         "customer table's column 'planted_segment' says who is in which segment: drop 'share'"),
        ({"customers": 20, "segment_col": "planted_segment"},
         "column 'segment', value 'planted_segment': segment_col= names a column of the customer table: pass "
         "customers=<DataFrame>"),
        ({"segments": {"a": 1.0, "b": {"repeat_rate": 0.2}}},
         "column 'segments', value {'a': 1.0, 'b': {'repeat_rate': 0.2}}: segments= mixes weights and "
         "behaviour dicts: give every segment a weight, or every segment a dict (keys share, continue_rate, "
         "repeat_rate, value_median)"),
        ({"segments": {"a": {"repeat": 0.2}}},
         "column 'segments', value {'repeat': 0.2}: segments= behaviour of 'a' has unknown keys ['repeat']; "
         "use share, continue_rate, repeat_rate, value_median"),
        ({"segments": {"a": {"continue_rate": [0.2]}}},
         "column 'segments', value [0.2]: segments['a'] continue_rate needs one probability in [0, 1] per "
         "stage transition (4)"),
        ({"segments": {"a": {"repeat_rate": 1}}},
         "column 'segments', value 1: segments['a'] repeat_rate must be a probability in [0, 1)"),
        ({"segments": {"a": {"value_median": 0}}},
         "column 'segments', value 0: segments['a'] value_median must be a finite amount > 0"),
        ({"segments": {"a": {"share": -1}}},
         "column 'segments', value {'a': -1}: segments= needs segment weights (shares) that are finite, not "
         "negative and not all zero"),
        ({"value_median": float("nan")}, "column 'value_median', value nan: value_median must be a finite "
         "amount > 0"),
        ({"goal": "Nowhere"},
         "column 'goal', value 'Nowhere': unknown goal 'Nowhere': neither a stage nor a touchpoint id or "
         "name; stages: 'Trigger' (trigger), 'Research' (research), 'Purchase' (purchase), "
         "'Delivery' (delivery), 'Use' (use)"),
    ],
)  # fmt: skip
def test_bad_input(colleen, kwargs, message):
    kwargs = {"customers": 20, **kwargs}
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$"):
        an.make_events(colleen, **kwargs)


def test_a_goal_without_events_is_refused():
    j = templates.load("colleen")
    j.add_stage("Afterlife")
    message = "column 'goal', value 'Afterlife': no event maps to the goal stage 'Afterlife': map one with "
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}journey.map_events$"):
        an.make_events(j, customers=5, goal="Afterlife")


def test_the_table_is_not_changed(colleen):
    table = SMALL.copy()
    an.make_events(colleen, customers=table, segment_col="planted_segment", seed=1)
    pd.testing.assert_frame_equal(table, SMALL)
    assert np.array_equal(table.index, SMALL.index)
