"""The focused plots: emotion curve, heat map, funnel, flow, interaction graph, comparisons.

Structure tests read the Bokeh models back (data sources, ranges, hover
tools) and compare them with numbers computed independently with pandas;
error tests pin the messages; the injection test walks every model of every
plot for user text in HTML-capable places.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from bokeh.models import (
    Arrow,
    Div,
    GraphRenderer,
    HoverTool,
    LayoutDOM,
    Paragraph,
    PreText,
)
from bokeh.plotting import figure

from cjm_jupyter import Journey, ValidationError, templates
from cjm_jupyter.plots.compare import compare_journeys, compare_personas
from cjm_jupyter.plots.emotion import emotion_curve
from cjm_jupyter.plots.flow import duration_text, flow
from cjm_jupyter.plots.funnel_chart import funnel_chart, funnel_steps
from cjm_jupyter.plots.graph import interaction_graph
from cjm_jupyter.plots.heatmap import heatmap_cells, touchpoint_heatmap

ALL = templates.names()
WITH_STAGES = [n for n in ALL if not templates.load(n).stages.empty]
WITH_EMOTIONS = [n for n in ALL if not templates.load(n).emotions.empty]


# -- helpers ------------------------------------------------------------------
def data(fig: figure, name: str) -> dict:
    """The data of the (single) renderer called ``name``."""
    found = fig.select(name=name)
    assert len(found) >= 1, f"no renderer named {name!r}"
    return found[0].data_source.data


def all_data(fig: figure, name: str) -> pd.DataFrame:
    """The data of every renderer called ``name``, stacked."""
    frames = [pd.DataFrame(dict(r.data_source.data)) for r in fig.select(name=name)]
    return pd.concat(frames, ignore_index=True)


def hover_labels(model: LayoutDOM) -> set[str]:
    return {label for tool in model.select(type=HoverTool) for label, _ in tool.tooltips}


def two_personas() -> Journey:
    """Colleen plus Busy Bob with emotions at touchpoints and one at a stage."""
    j = templates.load("colleen")
    bob = j.add_persona("Busy Bob", id="busy-bob")
    for tp, score, source in [
        ("search-engine", 1.0, "survey"),
        ("review-sites", -1.5, "interview"),
        ("checkout", -2.0, "survey"),
        ("delivery-tracking", -0.5, "workshop"),
    ]:
        j.set_emotion(bob, touchpoint=tp, score=score, source=source, feeling="ok", n=12)
    j.set_emotion(bob, stage="trigger", score=-1, source="interview", n=5)
    return j


def stage_flow() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["trigger", "research", "research", "purchase", "delivery", "use"],
            "target": ["research", "purchase", "research", "delivery", "use", "research"],
            "count": [1000, 420, 180, 300, 280, 40],
        }
    )


def consecutive_stage_flow(j: Journey) -> pd.DataFrame:
    ids = j.stages.sort_values("order")["id"].tolist()
    return pd.DataFrame(
        {"source": ids[:-1], "target": ids[1:], "count": [100 * (len(ids) - i) for i in range(len(ids) - 1)]}
    )


# -- emotion curve ------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_emotion_curve_has_one_marker_per_emotion_row(name):
    j = templates.load(name)
    if j.stages.empty:
        with pytest.raises(ValidationError, match="needs a journey with stages"):
            emotion_curve(j)
        return
    if j.emotions.empty:
        with pytest.raises(ValidationError, match="no emotions"):
            emotion_curve(j)
        return
    fig = emotion_curve(j)
    points = all_data(fig, "emotion_points")
    assert sorted(points["id"]) == sorted(j.emotions["id"])
    assert sorted(points["score"]) == sorted(j.emotions["score"].astype(float))


def test_emotion_curve_selected_personas_by_id_or_name():
    j = two_personas()
    bob_rows = j.emotions[j.emotions["persona_id"] == "busy-bob"]
    for selection in (["busy-bob"], "Busy Bob"):
        points = all_data(emotion_curve(j, personas=selection), "emotion_points")
        assert sorted(points["id"]) == sorted(bob_rows["id"])
        assert set(points["persona"]) == {"Busy Bob"}
    both = emotion_curve(j, personas=["curious-colleen", "Busy Bob"])
    assert len(both.select(name="emotion_line")) == 2
    assert len(all_data(both, "emotion_points")) == len(j.emotions)


def test_emotion_curve_places_points_at_touchpoint_slots_and_stage_middles():
    j = templates.load("colleen")
    points = all_data(emotion_curve(j), "emotion_points").set_index("id")
    # Slots follow journey order: trigger has 1 touchpoint (x=0), research 4 (x=1..4).
    assert points.loc["emo-2", "x"] == pytest.approx(1.0)  # search engine
    assert points.loc["emo-5", "x"] == pytest.approx(3.0)  # review sites
    assert points.loc["emo-1", "x"] == pytest.approx(0.0)  # stage-level row: middle of "trigger"
    assert points.loc["emo-1", "touchpoint"] == "(whole stage)"
    # ...with a faint bar across the whole "trigger" band (x -0.5..0.5, inset by 0.2).
    assert (points.loc["emo-1", "band_left"], points.loc["emo-1", "band_right"]) == pytest.approx((-0.3, 0.3))


def test_emotion_curve_by_stage_is_the_mean_per_persona_and_stage():
    j = two_personas()
    fig = emotion_curve(j, by="stage")
    points = all_data(fig, "emotion_points")
    emo = j.emotions.copy()
    emo["stage"] = emo["stage_id"].fillna(emo["touchpoint_id"].map(j.touchpoints.set_index("id")["stage_id"]))
    expected = emo.groupby(["persona_id", "stage"])["score"].mean()
    assert len(points) == len(expected)
    names = dict(zip(j.stages["name"], j.stages["id"], strict=True))
    pids = dict(zip(j.personas["name"], j.personas["id"], strict=True))
    got = {
        (pids[p], names[s]): v
        for p, s, v in zip(points["persona"], points["stage"], points["score"], strict=True)
    }
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)


def test_emotion_curve_tells_measured_from_assumed():
    j = templates.load("colleen")  # all assumed (illustrative): measure one point
    j.update("emotions", "emo-2", source="interview", basis="measured", n=8)
    points = all_data(emotion_curve(j), "emotion_points").set_index("id")
    assert points.loc["emo-2", "basis"] == "measured" and points.loc["emo-4", "basis"] == "assumed"
    assert points.loc["emo-2", "fill_alpha"] > points.loc["emo-4", "fill_alpha"]
    assert list(points.loc["emo-2", "dash"]) == [] and list(points.loc["emo-4", "dash"]) != []


def test_emotion_curve_colours_follow_the_diverging_palette():
    from cjm_jupyter.plots.theme import emotion_color

    points = all_data(emotion_curve(templates.load("colleen")), "emotion_points")
    assert list(points["color"]) == [emotion_color(s) for s in points["score"]]


def test_emotion_curve_axes_hover_and_baseline():
    fig = emotion_curve(templates.load("colleen"))
    assert (fig.y_range.start, fig.y_range.end) == (pytest.approx(-2.55), pytest.approx(2.85))
    labels = fig.yaxis[0].major_label_overrides
    assert labels[-2] == "frustrated" and labels[0] == "indifferent" and labels[2] == "delighted"
    assert {"Touchpoint", "Stage", "Persona", "Feeling", "Quote", "Source", "Basis", "n"} <= hover_labels(fig)
    assert any(getattr(r, "location", None) == 0 for r in fig.center)  # the neutral baseline


def test_emotion_curve_errors():
    j = two_personas()
    with pytest.raises(ValidationError, match="unknown persona") as info:
        emotion_curve(j, personas=["Nobody"])
    assert info.value.value == "Nobody"
    with pytest.raises(ValidationError, match="by must be"):
        emotion_curve(j, by="channel")
    empty = Journey("Empty")
    empty.add_stage("Only stage")
    with pytest.raises(ValidationError, match="no emotions"):
        emotion_curve(empty)


# -- heat map ------------------------------------------------------------------
def touchpoint_frame(j: Journey) -> pd.DataFrame:
    tps = j.touchpoints.copy()
    tps["channel"] = tps["channel"].fillna("(no channel)")
    return tps


@pytest.mark.parametrize("name", ALL)
def test_heatmap_count_has_one_cell_per_stage_and_channel(name):
    j = templates.load(name)
    if j.touchpoints.empty:
        with pytest.raises(ValidationError, match="needs touchpoints"):
            touchpoint_heatmap(j, value="count")
        return
    fig = touchpoint_heatmap(j, value="count")
    cells = pd.DataFrame(dict(data(fig, "cells")))
    expected = touchpoint_frame(j).groupby(["stage_id", "channel"]).size()
    assert len(cells) == len(expected)
    got = dict(zip(zip(cells["stage_key"], cells["channel"], strict=True), cells["value"], strict=True))
    assert got == {k: float(v) for k, v in expected.items()}


@pytest.mark.parametrize("name", ALL)
def test_heatmap_emotion_cells_are_the_mean_scores(name):
    j = templates.load(name)
    at_tp = j.emotions.dropna(subset=["touchpoint_id"])
    if j.touchpoints.empty or at_tp.empty:
        with pytest.raises(ValidationError):
            touchpoint_heatmap(j)
        return
    cells = heatmap_cells(j, value="emotion")
    merged = at_tp.merge(touchpoint_frame(j), left_on="touchpoint_id", right_on="id")
    expected = merged.groupby(["stage_id_y", "channel"])["score"].mean()
    got = cells.dropna(subset=["value"]).set_index(["stage_key", "channel"])["value"]
    assert len(got) == len(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)
    # Cells without emotions stay in the grid, grey and marked "no data".
    fig = touchpoint_heatmap(j)
    drawn = pd.DataFrame(dict(data(fig, "cells")))
    assert len(drawn) == len(touchpoint_frame(j).groupby(["stage_id", "channel"]))
    assert (drawn.loc[drawn["value"].isna(), "label"] == "no data").all()


def test_heatmap_metric_value_and_hover():
    j = templates.load("colleen")
    fig = touchpoint_heatmap(j, value="metric", metric="Bounce rate")
    cells = pd.DataFrame(dict(data(fig, "cells"))).set_index(["stage_key", "channel"])
    assert cells.loc[("research", "website"), "value"] == pytest.approx(68.0)
    assert cells.loc[("research", "website"), "n"] == 1
    assert "Brand website" in cells.loc[("research", "website"), "touchpoints"]
    assert {"Stage", "Channel", "Value", "n", "Touchpoints"} <= hover_labels(fig)


def test_heatmap_errors():
    j = templates.load("colleen")
    with pytest.raises(ValidationError, match="needs metric="):
        touchpoint_heatmap(j, value="metric")
    with pytest.raises(ValidationError, match="no touchpoint-level metric rows named 'NPS'") as info:
        touchpoint_heatmap(j, value="metric", metric="NPS")
    assert "Bounce rate" in str(info.value)
    with pytest.raises(ValidationError, match="value must be"):
        touchpoint_heatmap(j, value="volume")
    with pytest.raises(ValidationError, match="no touchpoint-level emotions"):
        touchpoint_heatmap(templates.load("three_stage"))


# -- funnel ------------------------------------------------------------------
def small_funnel() -> pd.DataFrame:
    return pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})


def test_funnel_bars_in_order_with_hand_computed_rates():
    fig = funnel_chart(small_funnel())
    bars = data(fig, "bars")
    assert list(bars["stage"]) == ["Visit", "Cart", "Buy"]
    assert list(fig.y_range.factors) == ["Buy", "Cart", "Visit"]  # first stage on top
    assert list(bars["customers"]) == [1000, 300, 120]
    assert math.isnan(bars["conversion"][0])
    assert list(bars["conversion"][1:]) == pytest.approx([0.3, 0.4])
    assert list(bars["conversion_from_start"]) == pytest.approx([1.0, 0.3, 0.12])
    assert list(bars["drop_off"][1:]) == pytest.approx([700, 180])
    assert list(bars["label"][1:]) == [
        "300  ·  30.0% of previous  ·  30.0% of start",
        "120  ·  40.0% of previous  ·  12.0% of start",
    ]
    assert {
        "Stage",
        "Customers",
        "Conversion from previous",
        "Conversion from start",
        "Drop-off",
    } <= hover_labels(fig)


def test_funnel_keeps_given_rates_and_custom_column_names():
    frame = pd.DataFrame(
        {"step": ["A", "B"], "users": [200, 50], "conversion": [np.nan, 0.3], "drop_off": [np.nan, 140]}
    )
    steps = funnel_steps(frame, stage_col="step", count_col="users")
    assert steps["conversion"].tolist()[1] == pytest.approx(0.3)  # the engine's exact rate wins
    assert steps["drop_off"].tolist()[1] == pytest.approx(140)
    assert steps["conversion_from_start"].tolist() == pytest.approx([1.0, 0.25])  # computed


def test_funnel_segments_are_computed_separately():
    frame = pd.DataFrame(
        {
            "stage": ["Visit", "Buy", "Visit", "Buy"],
            "customers": [100, 10, 50, 25],
            "segment": ["Mobile", "Mobile", "Desktop", "Desktop"],
        }
    )
    fig = funnel_chart(frame)  # a column named "segment" is used without asking
    bars = pd.DataFrame(dict(data(fig, "bars")))
    assert bars.set_index(["segment", "stage"])["conversion"].loc[("Mobile", "Buy")] == pytest.approx(0.1)
    assert bars.set_index(["segment", "stage"])["conversion"].loc[("Desktop", "Buy")] == pytest.approx(0.5)
    assert len(fig.legend[0].items) == 2


def test_funnel_from_journey_metrics_in_stage_order():
    j = templates.load("colleen")
    for stage, value in [("purchase", 742), ("trigger", 41250), ("research", 12400)]:  # added out of order
        j.add_metric("customers", value, stage=stage)
    bars = data(funnel_chart(j), "bars")
    assert list(bars["stage"]) == ["Trigger", "Research", "Purchase"]
    assert list(bars["conversion"][1:]) == pytest.approx([12400 / 41250, 742 / 12400])


@pytest.mark.parametrize("name", ALL)
def test_funnel_from_a_template_without_customers_metrics_says_what_is_needed(name):
    with pytest.raises(ValidationError, match="stage-level metric rows named 'customers'"):
        funnel_chart(templates.load(name))


def test_funnel_frame_errors():
    with pytest.raises(ValidationError, match="no column 'customers'") as info:
        funnel_chart(pd.DataFrame({"stage": ["A"], "count": [3]}))
    assert info.value.column == "customers"
    with pytest.raises(ValidationError, match=r"no column 'seg' \(passed as segment_col=\)"):
        funnel_chart(small_funnel(), segment_col="seg")
    with pytest.raises(ValidationError, match="non-negative numbers"):
        funnel_chart(pd.DataFrame({"stage": ["A", "B"], "customers": [3, -1]}))
    with pytest.raises(ValidationError, match="appears twice"):
        funnel_chart(pd.DataFrame({"stage": ["A", "A"], "customers": [3, 1]}))
    with pytest.raises(ValidationError, match="no rows"):
        funnel_chart(small_funnel().iloc[0:0])
    with pytest.raises(ValidationError, match="DataFrame or a Journey"):
        funnel_chart([("A", 1)])


# -- flow ------------------------------------------------------------------
def test_flow_has_one_ribbon_per_row_with_proportional_widths():
    frame = stage_flow()
    fig = flow(frame, journey=templates.load("colleen"))
    ribbons = pd.DataFrame(dict(data(fig, "ribbons")))
    assert len(ribbons) == len(frame)
    ratio = ribbons["thickness"] / ribbons["count"]
    assert ratio.max() == pytest.approx(ratio.min())
    for row in ribbons[ribbons["forward"]].itertuples():
        # The polygon's source end (first and last point) is exactly as tall as the ribbon.
        assert row.ys[0] - row.ys[-1] == pytest.approx(row.thickness)
    assert set(ribbons["direction"]) == {"forward", "repeat", "back"}
    assert {"From", "To", "Count", "Share of 'from'"} <= hover_labels(fig)


@pytest.mark.parametrize("name", WITH_STAGES)
def test_flow_columns_follow_stage_order(name):
    j = templates.load(name)
    frame = consecutive_stage_flow(j)
    if frame.empty:
        pytest.skip("one stage")
    nodes = pd.DataFrame(dict(data(flow(frame, journey=j), "nodes"))).set_index("node")
    order = dict(zip(j.stages["id"], j.stages["order"], strict=True))
    assert [nodes.loc[s, "layer"] for s in order] == sorted(order.values())
    assert list(nodes.loc[list(order), "x0"]) == sorted(nodes["x0"])


def test_flow_matches_nodes_by_name_and_layers_touchpoints_inside_a_stage():
    j = templates.load("colleen")
    frame = pd.DataFrame(
        {
            "source": ["Search engine", "brand-website", "Social media", "Product page"],
            "target": ["Brand website", "Product page", "Product page", "checkout"],
            "count": [500, 300, 100, 250],
        }
    )
    nodes = pd.DataFrame(dict(data(flow(frame, journey=j), "nodes"))).set_index("node")
    layer = nodes["layer"]
    assert layer["search-engine"] == layer["social-media"] == 0
    assert layer["brand-website"] == 1
    assert layer["product-page"] == 2 and layer["checkout"] == 3
    assert nodes.loc["brand-website", "name"] == "Brand website"


def test_flow_without_journey_layers_by_the_flow_and_draws_cycles():
    frame = pd.DataFrame(
        {"source": ["a", "b", "c", "c"], "target": ["b", "c", "a", "c"], "count": [10, 8, 3, 2]}
    )
    fig = flow(frame)
    nodes = pd.DataFrame(dict(data(fig, "nodes"))).set_index("node")
    assert nodes["layer"].to_dict() == {"a": 0, "b": 1, "c": 2}
    ribbons = pd.DataFrame(dict(data(fig, "ribbons")))
    assert ribbons["forward"].tolist() == [True, True, False, False]
    assert {"Node", "Stage", "In", "Out"} <= hover_labels(fig)


def test_flow_optional_columns_reach_the_hover():
    frame = stage_flow().assign(
        customers=[900, 400, 150, 280, 260, 30], median_time=pd.to_timedelta(range(6), "h")
    )
    ribbons = pd.DataFrame(dict(data(flow(frame), "ribbons")))
    assert ribbons["customers_text"].tolist()[0] == "900"
    assert ribbons["median_time_text"].tolist()[1] == "1.0 h"
    assert duration_text(90) == "1.5 min" and duration_text(None) == "—"


def test_flow_errors():
    with pytest.raises(ValidationError, match="no column 'count'") as info:
        flow(pd.DataFrame({"source": ["a"], "target": ["b"]}))
    assert info.value.column == "count"
    with pytest.raises(ValidationError, match=r"no column 'to' \(passed as target_col=\)"):
        flow(stage_flow(), target_col="to")
    with pytest.raises(ValidationError, match="no rows"):
        flow(stage_flow().iloc[0:0])
    with pytest.raises(ValidationError, match="appears twice"):
        flow(pd.concat([stage_flow(), stage_flow().iloc[:1]]))
    with pytest.raises(ValidationError, match="neither a stage nor a touchpoint") as info:
        flow(
            pd.DataFrame({"source": ["trigger"], "target": ["Moon"], "count": [1]}),
            journey=templates.load("colleen"),
        )
    assert info.value.value == "Moon"


# -- interaction graph ------------------------------------------------------------------
def test_graph_nodes_edges_sizes_and_arrows():
    frame = stage_flow()
    fig = interaction_graph(frame, journey=templates.load("colleen"))
    (graph,) = fig.select(type=GraphRenderer)
    nodes = pd.DataFrame(dict(graph.node_renderer.data_source.data)).set_index("index")
    edges = pd.DataFrame(dict(graph.edge_renderer.data_source.data))
    assert len(nodes) == len(set(frame["source"]) | set(frame["target"]))
    assert len(edges) == len(frame)
    assert list(edges["start"]) == list(frame["source"]) and list(edges["end"]) == list(frame["target"])
    by_count = edges.sort_values("count")
    assert by_count["width"].is_monotonic_increasing
    by_volume = nodes.sort_values("volume")
    assert by_volume["size"].is_monotonic_increasing
    (arrow,) = fig.select(type=Arrow)
    assert len(arrow.source.data["x_end"]) == len(frame)
    layout = graph.layout_provider.graph_layout
    order = dict(zip(templates.load("colleen").stages["id"], range(5), strict=True))
    assert [layout[s][0] for s in order] == sorted(layout[s][0] for s in order)
    assert {"Node", "Stage", "In", "Out", "Volume", "From", "To", "Count"} <= hover_labels(fig)


def test_graph_without_journey_and_errors():
    frame = pd.DataFrame({"source": ["x", "y"], "target": ["y", "x"], "count": [5, 1]})
    fig = interaction_graph(frame)
    (graph,) = fig.select(type=GraphRenderer)
    edges = pd.DataFrame(dict(graph.edge_renderer.data_source.data))
    assert edges["direction"].tolist() == ["forward", "back"]
    assert [list(d) for d in edges["dash"]] == [[], [6, 4]]
    with pytest.raises(ValidationError, match=r"no column 'n' \(passed as count_col=\)"):
        interaction_graph(frame, count_col="n")
    with pytest.raises(ValidationError, match="non-negative"):
        interaction_graph(frame.assign(count=["many", 1]))


# -- comparisons ------------------------------------------------------------------
def test_compare_journeys_colleen_current_vs_future():
    current, future = templates.load("colleen"), templates.load("colleen_future")
    layout = compare_journeys(current, future)
    top, bottom, _changes = layout.children
    points = all_data(top, "emotion_points")
    assert len(points) == len(current.emotions) + len(future.emotions)
    # The x axis holds the union of touchpoints, future-only ones in place.
    ticks = top.xaxis[0].ticker.ticks
    assert len(ticks) == len(set(current.touchpoints["id"]) | set(future.touchpoints["id"]))
    labels = list(top.xaxis[0].major_label_overrides.values())
    assert [str(getattr(v, "text", v)) for v in labels].index("Comparison tool") == 3
    deltas = pd.DataFrame(dict(data(bottom, "deltas"))).set_index("stage_key")
    assert len(deltas) == 5
    expected = {}
    for tag, j in (("current", current), ("future", future)):
        emo = j.emotions.copy()
        emo["stage"] = emo["stage_id"].fillna(
            emo["touchpoint_id"].map(j.touchpoints.set_index("id")["stage_id"])
        )
        expected[tag] = emo.groupby("stage")["score"].mean()
    delta = expected["future"] - expected["current"]
    for stage, value in delta.items():
        assert deltas.loc[stage, "delta"] == pytest.approx(value)
    assert bottom.x_range is top.x_range
    assert {"Stage", "Current", "Future", "Change"} <= hover_labels(bottom)


def test_compare_journeys_matches_by_name_when_ids_differ():
    def build(prefix: str, scores: list[float]) -> Journey:
        j = Journey(prefix)
        p = j.add_persona("Pat", id=f"{prefix}-pat")
        s1 = j.add_stage("Look", id=f"{prefix}-look")
        s2 = j.add_stage("Buy", id=f"{prefix}-buy")
        t1 = j.add_touchpoint(s1, "Search", id=f"{prefix}-search")
        t2 = j.add_touchpoint(s2, "Checkout", id=f"{prefix}-checkout")
        j.set_emotion(p, touchpoint=t1, score=scores[0])
        j.set_emotion(p, touchpoint=t2, score=scores[1])
        return j

    layout = compare_journeys(build("now", [-1, -2]), build("next", [1, 0]), persona="Pat")
    top, bottom, _changes = layout.children
    assert len(top.xaxis[0].ticker.ticks) == 2
    deltas = pd.DataFrame(dict(data(bottom, "deltas")))
    assert deltas["delta"].tolist() == pytest.approx([2.0, 2.0])


def test_compare_journeys_errors():
    current, future = templates.load("colleen"), templates.load("colleen_future")
    with pytest.raises(ValidationError, match="unknown persona"):
        compare_journeys(current, future, persona="Nobody")
    other = Journey("Other")
    other.add_stage("Only")
    other.add_persona("Someone else")
    with pytest.raises(ValidationError, match="share no persona"):
        compare_journeys(current, other)
    with pytest.raises(ValidationError, match="needs a journey with stages"):
        compare_journeys(current, templates.load("empathy"))


def test_compare_personas_bars_and_curves():
    j = two_personas()
    bars_fig = compare_personas(j, kind="bars")
    bars = pd.DataFrame(dict(data(bars_fig, "persona_bars")))
    emo = j.emotions.copy()
    emo["stage"] = emo["stage_id"].fillna(emo["touchpoint_id"].map(j.touchpoints.set_index("id")["stage_id"]))
    expected = emo.groupby(["persona_id", "stage"])["score"].mean()
    assert len(bars) == len(expected)
    got = bars.set_index(["persona_key", "stage_key"])["score"]
    for key, value in expected.items():
        assert got[key] == pytest.approx(value)
    assert {"Stage", "Persona", "Mean emotion"} <= hover_labels(bars_fig)

    curves = compare_personas(j, kind="curves")
    figs = curves.children
    assert len(figs) == 2
    assert figs[1].x_range is figs[0].x_range and figs[1].y_range is figs[0].y_range
    assert len(all_data(figs[1], "emotion_points")) == (j.emotions["persona_id"] == "busy-bob").sum()


@pytest.mark.parametrize("name", ALL)
def test_compare_personas_on_every_template(name):
    j = templates.load(name)
    if j.stages.empty:
        with pytest.raises(ValidationError, match="needs a journey with stages"):
            compare_personas(j)
    elif j.emotions.empty:
        with pytest.raises(ValidationError, match="no persona has emotions"):
            compare_personas(j)
    else:
        assert len(compare_personas(j).children) == j.emotions["persona_id"].nunique()


def test_compare_personas_errors():
    j = two_personas()
    j.add_persona("Silent Sam", id="sam")
    with pytest.raises(ValidationError, match="has no emotions"):
        compare_personas(j, personas=["sam"])
    with pytest.raises(ValidationError, match="kind must be"):
        compare_personas(j, kind="pie")
    # Without an explicit selection, personas without emotions are left out.
    assert len(compare_personas(j).children) == 2


# -- safety ------------------------------------------------------------------
STAGE_XSS = '<img src=x onerror="window.__pwned=1">'
PERSONA_XSS = "<script>alert(1)</script>"
TP_XSS = "<b onmouseover=alert(2)>Search</b>"


def hostile_journey() -> Journey:
    j = Journey("<i>map</i> $$x^2$$")
    p = j.add_persona(PERSONA_XSS, id="p")
    s1 = j.add_stage(STAGE_XSS, id="s1")
    s2 = j.add_stage("Buy", id="s2")
    t1 = j.add_touchpoint(s1, TP_XSS, channel="<u>web</u>", id="t1")
    t2 = j.add_touchpoint(s2, "Checkout", channel="store", id="t2")
    j.set_emotion(
        p, touchpoint=t1, score=-1, feeling="<em>sad</em>", thought="</script><script>alert(3)</script>"
    )
    j.set_emotion(p, touchpoint=t2, score=1, source="survey")
    j.add_metric("customers", 100, stage=s1, segment="<svg onload=alert(4)>")
    j.add_metric("customers", 40, stage=s2, segment="<svg onload=alert(4)>")
    j.add_metric("Speed", 3.0, touchpoint=t1)
    return j


def hostile_models() -> list[LayoutDOM]:
    j = hostile_journey()
    moves = pd.DataFrame({"source": [STAGE_XSS, "s2"], "target": ["s2", STAGE_XSS], "count": [10, 2]})
    free = pd.DataFrame({"source": [PERSONA_XSS], "target": [TP_XSS], "count": [4]})
    return [
        emotion_curve(j),
        emotion_curve(j, by="stage"),
        touchpoint_heatmap(j),
        touchpoint_heatmap(j, value="count"),
        touchpoint_heatmap(j, value="metric", metric="Speed"),
        funnel_chart(j),
        funnel_chart(
            pd.DataFrame({"stage": [STAGE_XSS, TP_XSS], "customers": [5, 2], "seg": [PERSONA_XSS] * 2}),
            segment_col="seg",
        ),
        flow(moves, journey=j),
        flow(free),
        interaction_graph(moves, journey=j),
        interaction_graph(free),
        compare_personas(j),
        compare_personas(j, kind="bars"),
        compare_journeys(j, j.copy()),
    ]


USER_TEXT = (STAGE_XSS, PERSONA_XSS, TP_XSS, "<u>web</u>", "<em>sad</em>", "alert(3)", "<svg", "<i>map</i>")


def test_no_user_text_reaches_html():
    for model in hostile_models():
        for ref in model.references():
            assert not isinstance(ref, (Div, Paragraph, PreText)), f"{type(ref).__name__} in {model}"
            if isinstance(ref, HoverTool):
                assert isinstance(ref.tooltips, list), (
                    "tooltips must be (label, @field) pairs, not an HTML string"
                )
                for label, field in ref.tooltips:
                    assert field.startswith("@{") and field.endswith("}"), field
                    assert not any(text in label or text in field for text in USER_TEXT)
            for attr in ("code", "template", "html"):
                value = getattr(ref, attr, None)
                if isinstance(value, str):
                    assert not any(text in value for text in USER_TEXT), f"{type(ref).__name__}.{attr}"


def test_user_text_is_kept_verbatim_in_data_for_escaped_hover():
    fig = emotion_curve(hostile_journey())
    points = all_data(fig, "emotion_points")
    assert STAGE_XSS in set(points["stage"]) and PERSONA_XSS in set(points["persona"])
    # Titles are PlainText: "$$...$$" in a journey name is not parsed as TeX.
    assert type(fig.title.text).__name__ == "PlainText"


def test_flow_without_loops_on_text_ids() -> None:
    # pandas 3 with pyarrow: mapping an empty text column keeps a text dtype (was a TypeError)
    edges = pd.DataFrame({"source": ["a"], "target": ["b"], "count": [5]}).astype({"source": "str"})
    ribbons = pd.DataFrame(dict(data(flow(edges), "ribbons")))
    assert ribbons["count"].tolist() == [5] and ribbons["forward"].all()
