"""The flow drawn from analytics.funnel_flow reads as the funnel: node totals and "Left the journey".

Each step's node is as tall as the funnel's customers at that step, the
"Left the journey" node after a step holds the funnel's drop-off at the next
step (sequential mode; first-reach when nobody skips), and "Completed" holds
the customers at the goal. The same rows on Spark: test_analytics_exits_spark.py.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError, templates
from cjm_jupyter import analytics as an
from cjm_jupyter.model.labels import COMPLETED_LABEL, LEFT_LABEL
from cjm_jupyter.plots.flow import END_LABELS, flow

from ..support.analytics import make_journey
from ..support.analytics_exits import MAPPING, exit_log

MODES = ["first_reach", "sequential"]


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


def drawn_nodes(fig) -> pd.DataFrame:
    data = fig.select(name="nodes")[0].data_source.data
    return pd.DataFrame({k: list(data[k]) for k in ("node", "name", "volume", "in_count", "out_count")})


def totals(fig, steps: list[str]) -> dict[str, float]:
    """Each step node's drawn total, and the "Left the journey" node after it (0 when none)."""
    nodes = drawn_nodes(fig).set_index("node")
    left = {k.split("\u241f")[1]: v for k, v in nodes["volume"].items() if k.startswith(LEFT_LABEL)}
    return {s: (nodes.at[s, "volume"], left.get(s, 0.0)) for s in steps}


def check_against_funnel(fig, fun: pd.DataFrame) -> None:
    """Node totals == funnel customers; the left node after step k == drop_off at step k + 1."""
    steps = fun["step_id"].tolist()
    got = totals(fig, steps)
    assert [got[s][0] for s in steps] == fun["customers"].astype(float).tolist()
    drop = fun["drop_off"].iloc[1:].tolist()
    assert [got[s][1] for s in steps[:-1]] == drop
    completed = drawn_nodes(fig).set_index("name").loc[COMPLETED_LABEL, "volume"]
    assert completed == fun["customers"].iloc[-1]


@pytest.mark.parametrize("mode", MODES)
def test_flow_totals_equal_the_funnel_on_a_sample_log(mode):
    j = templates.load("colleen")
    log = an.make_events(j, customers=2000, seed=3)
    fun = quiet(an.funnel, log, j, mode=mode)
    rows = quiet(an.funnel_flow, log, j, mode=mode)
    assert rows.attrs["mode"] == mode
    fig = flow(rows, journey=j)
    check_against_funnel(fig, fun)
    # the first stage: every customer, not only those who moved on (the flow used to show
    # the transitions alone: about half of them)
    assert totals(fig, [fun["step_id"].iloc[0]])[fun["step_id"].iloc[0]][0] == 2000


def test_flow_rows_by_hand():
    # exit_log (tests/test_analytics_exits.py), stages s0 Aware, s1 Consider, s2 Buy:
    # reached (first reach): a {s0, s1, s2}, b {s0}, c {s0, s1, s2}, d {s0}, e {s0, s1}, f {s0, s2}
    # moves: s0->s1 a c e (3), s0->s2 f (1: skips Consider), s0->left b d (2),
    #        s1->s2 a c (2), s1->left e (1), s2->completed a c f (3)
    rows = quiet(an.funnel_flow, exit_log(), make_journey(), mapping=MAPPING)
    assert rows.values.tolist() == [
        ["s0", "s1", 3], ["s0", "s2", 1], ["s0", LEFT_LABEL, 2],
        ["s1", "s2", 2], ["s1", LEFT_LABEL, 1],
        ["s2", COMPLETED_LABEL, 3],
    ]  # fmt: skip
    # sequential: f reached Buy before Aware, so for the funnel f stops at Aware
    seq = quiet(an.funnel_flow, exit_log(), make_journey(), mapping=MAPPING, mode="sequential")
    assert seq.values.tolist() == [
        ["s0", "s1", 3], ["s0", LEFT_LABEL, 3],
        ["s1", "s2", 2], ["s1", LEFT_LABEL, 1],
        ["s2", COMPLETED_LABEL, 2],
    ]  # fmt: skip
    seg = quiet(an.funnel_flow, exit_log(), make_journey(), mapping=MAPPING, segment_col="channel")
    # moves per customer: one per step reached (to the next, out, or completed)
    # app: d 1 (s0), e 2 (s0, s1), f 2 (s0, s2); web: a 3, b 1, c 3
    assert seg.groupby("segment")["count"].sum().to_dict() == {"app": 5, "web": 7}


@pytest.mark.parametrize("mode", MODES)
def test_flow_totals_equal_the_funnel_on_a_hand_log(mode):
    fun = quiet(an.funnel, exit_log(), make_journey(), mapping=MAPPING, mode=mode)
    # funnel first reach: 6, 3, 3 customers; sequential: 6, 3, 2
    assert fun["customers"].tolist() == ([6, 3, 3] if mode == "first_reach" else [6, 3, 2])
    rows = quiet(an.funnel_flow, exit_log(), make_journey(), mapping=MAPPING, mode=mode)
    fig = flow(rows, journey=make_journey())
    got = totals(fig, ["s0", "s1", "s2"])
    assert [got[s][0] for s in ("s0", "s1", "s2")] == fun["customers"].astype(float).tolist()
    if mode == "sequential":
        check_against_funnel(fig, fun)
    else:
        # f skips Consider, so first-reach drop-off (6-3=3, 3-3=0) is not who left (2, 1):
        # the left nodes are who stopped there; together with the skip they make up the totals
        assert (got["s0"][1], got["s1"][1]) == (2.0, 1.0)
        assert fun["drop_off"].iloc[1:].tolist() == [3.0, 0.0]


def test_flow_on_a_log_without_skips_left_equals_drop_off_in_both_modes():
    # without f (the only customer out of order) the two modes agree and left == drop-off
    log = exit_log().query("customer_id != 'f'")
    for mode in MODES:
        fun = quiet(an.funnel, log, make_journey(), mapping=MAPPING, mode=mode)
        rows = quiet(an.funnel_flow, log, make_journey(), mapping=MAPPING, mode=mode)
        fig = flow(rows, journey=make_journey())
        check_against_funnel(fig, fun)


def test_left_nodes_sit_under_their_gap_and_are_grey():
    rows = quiet(an.funnel_flow, exit_log(), make_journey(), mapping=MAPPING, mode="sequential")
    fig = flow(rows, journey=make_journey())
    data = fig.select(name="nodes")[0].data_source.data
    nodes = pd.DataFrame({k: list(data[k]) for k in ("node", "layer", "y0", "y1", "color")}).set_index("node")
    left = nodes.loc[f"{LEFT_LABEL}\u241fs0"]
    assert left["layer"] == 0.5  # between Aware (0) and Consider (1)
    assert left["y1"] < min(nodes.at["s0", "y0"], nodes.at["s1", "y0"])  # under both columns
    assert left["color"] == "#6e7781"
    done = nodes.loc[f"{COMPLETED_LABEL}\u241fs2"]
    assert done["layer"] == 2.5 and done["y1"] == nodes.at["s2", "y1"]
    assert done["color"] == nodes.at["s2", "color"]
    # end nodes have no stage header, the stages do
    headers = [r for r in fig.renderers if "center" in getattr(r.data_source, "data", {})]
    assert list(headers[0].data_source.data["stage"]) == ["Aware", "Consider", "Buy"]
    ribbons = fig.select(name="ribbons")[0].data_source.data
    pairs = zip(ribbons["source"], ribbons["target_name"], strict=True)
    shares = dict(zip(pairs, ribbons["share_text"], strict=True))
    assert shares[("s0", LEFT_LABEL)] == "50.0%"  # 3 of Aware's 6 left there


def test_hand_written_end_rows_and_names():
    # end rows by stage name, a step everyone left (no other row), and no journey at all
    frame = pd.DataFrame({
        "source": ["Aware", "Aware", "Consider"],
        "target": ["Consider", LEFT_LABEL, LEFT_LABEL],
        "count": [40, 60, 40],
    })  # fmt: skip
    nodes = drawn_nodes(flow(frame, journey=make_journey())).set_index("node")
    assert nodes.at["s0", "volume"] == 100 and nodes.at["s1", "volume"] == 40
    assert nodes.at[f"{LEFT_LABEL}\u241fs1", "volume"] == 40
    alone = pd.DataFrame({"source": ["Aware"], "target": [LEFT_LABEL], "count": [5]})
    nodes = drawn_nodes(flow(alone, journey=make_journey())).set_index("node")
    assert nodes["volume"].to_dict() == {"s0": 5.0, f"{LEFT_LABEL}\u241fs0": 5.0}
    free = drawn_nodes(flow(frame)).set_index("node")
    assert free.at["Aware", "volume"] == 100 and END_LABELS == (LEFT_LABEL, COMPLETED_LABEL)
    twice = pd.DataFrame({"source": ["Aware", "s0"], "target": [LEFT_LABEL, LEFT_LABEL], "count": [1, 2]})
    with pytest.raises(ValidationError, match="appears twice once ids and names are matched"):
        flow(twice, journey=make_journey())
