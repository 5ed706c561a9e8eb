"""The journey map (cjm_jupyter.plots.map): structure, options, scale and safety."""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from bokeh.embed import json_item
from bokeh.models import (
    ColumnDataSource,
    Div,
    HoverTool,
    LayoutDOM,
    Markup,
    Paragraph,
    Plot,
    PreText,
    Title,
)
from hypothesis import HealthCheck, given, settings

from cjm_jupyter import Journey, ValidationError, templates
from cjm_jupyter.plots.map import LANES, journey_map

from ..support.strategies import journeys

EMOTION_FIELDS = ("touchpoint", "stage", "persona", "feeling", "thought", "source", "basis", "n")
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"


# -- helpers -----------------------------------------------------------------------
def source(layout: LayoutDOM, name: str) -> ColumnDataSource | None:
    """The ColumnDataSource called ``name`` (at most one may exist)."""
    found = [m for m in layout.references() if isinstance(m, ColumnDataSource) and m.name == name]
    assert len(found) <= 1, f"{len(found)} sources named {name!r}"
    return found[0] if found else None


def rows(layout: LayoutDOM, name: str) -> int:
    src = source(layout, name)
    if src is None:
        return 0
    lengths = {len(v) for v in src.data.values()}
    assert len(lengths) == 1, f"ragged source {name!r}"
    return lengths.pop()


def lane_names(layout: LayoutDOM) -> list[str]:
    return [child.name.removeprefix("lane:") for child in layout.children]


def lane(layout: LayoutDOM, name: str) -> Plot:
    hits = [c for c in layout.children if c.name == f"lane:{name}"]
    assert len(hits) == 1, lane_names(layout)
    return hits[0]


def tooltip_fields(plot: Plot) -> set[str]:
    fields: set[str] = set()
    for tool in plot.tools:
        if isinstance(tool, HoverTool):
            assert isinstance(tool.tooltips, list), "tooltips must be (label, @field) tuples"
            # "@field", "@field{format}" or "@{field}" (the form compare_journeys needs)
            for _, value in tool.tooltips:
                braced = re.fullmatch(r"@\{([^}]+)\}(\{.*\})?", value)
                fields.add(braced.group(1) if braced else value.removeprefix("@").split("{")[0])
    return fields


def curves(layout: LayoutDOM) -> int:
    return rows(layout, "emotion_curves")


def selected_emotions(j: Journey, personas: list[str] | None = None) -> pd.DataFrame:
    emo = j.emotions
    return emo if personas is None else emo.loc[emo["persona_id"].isin(personas).fillna(False)]


def big_journey(n_stages: int = 12, n_touchpoints: int = 200, n_personas: int = 3) -> Journey:
    """A generated journey: every touchpoint felt by every persona, long names."""
    rng = np.random.default_rng(7)
    channels = ["search", "ads", "website", "reviews", "social", "email", "chat", "store", "phone", "app"]
    personas = pd.DataFrame(
        {
            "id": [f"p{i}" for i in range(n_personas)],
            "name": [f"Persona number {i}" for i in range(n_personas)],
        }
    )
    stages = pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n_stages)],
            "name": [f"Stage {i}: a fairly long stage name" for i in range(n_stages)],
        }
    )
    stage_of = np.sort(rng.integers(0, n_stages, n_touchpoints))
    stage_of[:n_stages] = np.arange(n_stages)  # every stage gets a touchpoint
    stage_of.sort()
    tps = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(n_touchpoints)],
            "stage_id": [f"s{s}" for s in stage_of],
            "name": [
                f"Touchpoint {i} where the customer compares delivery options" for i in range(n_touchpoints)
            ],
            "channel": [channels[i % len(channels)] for i in range(n_touchpoints)],
            "action": [f"Does thing {i} and then another thing" for i in range(n_touchpoints)],
        }
    )
    emo = pd.DataFrame(
        {
            "id": [f"e{p}-{t}" for p in range(n_personas) for t in range(n_touchpoints)],
            "persona_id": [f"p{p}" for p in range(n_personas) for _ in range(n_touchpoints)],
            "touchpoint_id": [f"t{t}" for _ in range(n_personas) for t in range(n_touchpoints)],
            "score": np.round(rng.uniform(-2, 2, n_personas * n_touchpoints), 1),
            "feeling": "curious",
            "thought": [
                f"Quote {i}: I wonder whether this is worth it at all"
                for i in range(n_personas * n_touchpoints)
            ],
            "source": "interview",
            "basis": ["measured", "assumed"] * (n_personas * n_touchpoints // 2),
            "n": 12,
        }
    )
    pains = pd.DataFrame(
        {
            "id": [f"pain{i}" for i in range(60)],
            "touchpoint_id": [f"t{i * 3}" for i in range(60)],
            "description": [f"Pain {i}: the page is slow and confusing" for i in range(60)],
            "severity": [1 + i % 5 for i in range(60)],
            "source": "analytics",
            "basis": "measured",
        }
    )
    opps = pd.DataFrame(
        {
            "id": [f"o{i}" for i in range(40)],
            "description": "Make it faster",
            "pain_point_id": [f"pain{i}" for i in range(40)],
        }
    )
    actions = pd.DataFrame(
        {
            "id": [f"a{i}" for i in range(20)],
            "description": "Ship the fix",
            "owner": "Web",
            "status": "planned",
            "opportunity_id": [f"o{i}" for i in range(20)],
        }
    )
    metrics = pd.DataFrame(
        {
            "id": [f"m{i}" for i in range(24)],
            "name": "Conversion",
            "value": 1.5,
            "unit": "%",
            "stage_id": [f"s{i % n_stages}" for i in range(24)],
            "source": "analytics",
            "basis": "measured",
        }
    )
    frames = {
        "personas": personas,
        "stages": stages,
        "touchpoints": tps,
        "emotions": emo,
        "pain_points": pains,
        "opportunities": opps,
        "actions": actions,
        "metrics": metrics,
    }
    return Journey("Big generated journey", frames=frames)


def hostile_journey() -> Journey:
    j = Journey(f"Map {IMG}", scenario=SCRIPT)
    p = j.add_persona(f"{IMG} persona")
    s = j.add_stage(IMG, description=SCRIPT)
    t = j.add_touchpoint(s, f"{SCRIPT} tp", channel=IMG, action=SCRIPT, owner=IMG)
    j.set_emotion(p, touchpoint=t, score=-1, feeling=IMG, thought=SCRIPT, source=IMG)
    pain = j.add_pain_point(SCRIPT, touchpoint=t, evidence=IMG, severity=3)
    opp = j.add_opportunity(IMG, pain_point=pain)
    j.add_action(SCRIPT, owner=IMG, opportunity=opp)
    j.add_metric(IMG, 3.0, stage=s, unit=SCRIPT)
    j.add_lane(IMG, {s: SCRIPT})
    j.add_lane("$$x^2$$", {s: "TeX-looking lane name"})
    return j


# -- every template ------------------------------------------------------------------
# empathy has no stages: its map is tested in test_plots_empathy.py
@pytest.mark.parametrize("name", [n for n in templates.names() if n != "empathy"])
def test_every_template_maps_each_touchpoint_and_emotion(name: str) -> None:
    j = templates.load(name)
    layout = journey_map(j)
    assert rows(layout, "touchpoints") == len(j.touchpoints)
    assert rows(layout, "emotion_points") == len(j.emotions)
    if len(j.touchpoints):
        assert source(layout, "touchpoints").data["id"] == list(j.touchpoints["id"])
    # Stage headers in journey order.
    stages = source(layout, "stages")
    assert list(stages.data["name"]) == list(j.stages.sort_values("order")["name"])
    assert lane_names(layout)[0] == "stages"


@pytest.mark.parametrize("name", [n for n in templates.names() if n != "empathy"])
def test_every_template_hovers_document_their_fields(name: str) -> None:
    layout = journey_map(templates.load(name))
    assert {"name", "stage", "channel", "action", "owner"} <= tooltip_fields(lane(layout, "touchpoints"))
    assert {"name", "description"} <= tooltip_fields(lane(layout, "stages"))
    if "emotions" in lane_names(layout):
        assert set(EMOTION_FIELDS) | {"score"} <= tooltip_fields(lane(layout, "emotions"))


def test_colleen_default_lanes_in_order(colleen: Journey) -> None:
    layout = colleen.plot()
    assert lane_names(layout) == ["stages", *LANES, "custom:Backstage", "custom:KPIs"]
    # Every lane shares the x range and the plotting width, so stage columns line up.
    plots = layout.children
    assert len({id(p.x_range) for p in plots}) == 1
    assert len({p.frame_width for p in plots}) == 1
    assert len({p.min_border_left for p in plots}) == 1


def test_colleen_lane_contents(colleen: Journey) -> None:
    layout = journey_map(colleen)
    assert rows(layout, "thoughts") == int(colleen.emotions["thought"].notna().sum())
    assert rows(layout, "pain_points") == len(colleen.pain_points)
    assert rows(layout, "opportunities") == len(colleen.opportunities)
    assert rows(layout, "actions_plan") == len(colleen.actions)
    assert rows(layout, "metrics") == len(colleen.metrics)
    assert rows(layout, "actions") == int(colleen.touchpoints["action"].notna().sum())
    assert rows(layout, "custom:Backstage") == 4  # the Trigger cell is empty
    assert set(source(layout, "metrics").data["value"]) >= {"68%", "249 €", "3.9 (1-5)"}


def test_emotion_points_sit_at_their_touchpoint_or_stage_centre(colleen: Journey) -> None:
    layout = journey_map(colleen)
    pts = source(layout, "emotion_points").data
    tps = source(layout, "touchpoints").data
    x_of = dict(zip(tps["name"], tps["x"], strict=True))
    for touchpoint, x in zip(pts["touchpoint"], pts["x"], strict=True):
        if touchpoint != "(whole stage)":
            assert x == x_of[touchpoint]
    # The stage-level "Trigger" emotion sits at the centre of its one-slot stage.
    trigger = pts["stage"].index("Trigger")
    assert pts["x"][trigger] == 0.5
    assert pts["touchpoint"][trigger] == "(whole stage)"


def test_measured_points_are_filled_and_assumed_hollow(colleen: Journey) -> None:
    pts = source(journey_map(colleen), "emotion_points").data
    for basis, fill in zip(pts["basis"], pts["fill"], strict=True):
        assert (fill == "#ffffff") == (basis == "assumed")


def test_pain_point_colour_darkens_with_severity(colleen: Journey) -> None:
    data = source(journey_map(colleen, lanes=["pain_points"]), "pain_points").data
    by_severity = dict(zip(data["severity"], data["fill"], strict=False))
    from cjm_jupyter.plots.map.cards import SEVERITY_FILLS

    assert by_severity["5"] == SEVERITY_FILLS[4]
    assert by_severity["3"] == SEVERITY_FILLS[2]
    notes = source(journey_map(colleen, lanes=["pain_points"]), "pain_points_note").data["text"]
    assert len(notes) == len(data["severity"])
    assert all(note.startswith("severity") for note in notes)


def test_actions_sit_at_their_stage_or_their_opportunitys_stage() -> None:
    j = templates.load("three_stage")
    s = list(j.stages["id"])
    tp = j.touchpoints.loc[j.touchpoints["stage_id"] == s[2], "id"].iloc[0]
    opp = j.add_opportunity("Faster checkout", touchpoint=tp)
    j.add_action("Own stage", stage=s[0])
    j.add_action("Via opportunity", opportunity=opp)
    j.add_action("Nowhere")
    data = source(journey_map(j, lanes=["actions_plan"]), "actions_plan").data
    stage_of = dict(zip(data["description"], data["stage"], strict=True))
    names = list(j.stages["name"])
    assert stage_of == {"Own stage": names[0], "Via opportunity": names[2], "Nowhere": ""}


# -- lanes=[...] ------------------------------------------------------------------------
def test_lanes_selects_and_orders(colleen: Journey) -> None:
    layout = journey_map(colleen, lanes=["emotions", "touchpoints", "KPIs"])
    assert lane_names(layout) == ["stages", "emotions", "touchpoints", "custom:KPIs"]
    assert source(layout, "thoughts") is None


def test_lanes_accepts_a_single_name(colleen: Journey) -> None:
    assert lane_names(colleen.plot(lanes="metrics")) == ["stages", "metrics"]


def test_unknown_lane_lists_the_valid_names(colleen: Journey) -> None:
    with pytest.raises(ValidationError, match="unknown lane 'feelings'") as err:
        journey_map(colleen, lanes=["touchpoints", "feelings"])
    for name in (*LANES, "Backstage", "KPIs"):
        assert repr(name) in str(err.value)
    assert isinstance(err.value, ValueError)


def test_metrics_lane_only_when_the_journey_has_metrics(colleen: Journey) -> None:
    assert "metrics" in lane_names(journey_map(colleen))
    j = colleen.copy()
    j.remove("metrics", list(j.metrics["id"]))
    assert "metrics" not in lane_names(journey_map(j))
    assert "metrics" not in lane_names(journey_map(templates.load("three_stage")))


def test_empty_lanes_are_left_out_by_default() -> None:
    j = templates.load("three_stage")  # stages, touchpoints and actions only
    assert lane_names(journey_map(j)) == ["stages", "actions", "touchpoints"]


def test_a_requested_empty_lane_is_drawn_empty() -> None:
    layout = journey_map(templates.load("three_stage"), lanes=["pain_points", "emotions"])
    assert lane_names(layout) == ["stages", "pain_points", "emotions"]
    assert rows(layout, "pain_points") == 0
    assert rows(layout, "emotion_points") == 0


# -- personas=[...] -------------------------------------------------------------------------
def group_journey() -> Journey:
    j = templates.load("colleen")
    bob = j.add_persona("Busy Bob", id="busy-bob")
    for tp, score in zip(j.touchpoints["id"][:6], [1, 0, -1, -2, 0.5, 1], strict=True):
        j.set_emotion(bob, touchpoint=tp, score=score, source="survey", n=50, thought="Fine")
    j.set_emotion(bob, stage="purchase", score=-1.5)
    j.add_pain_point("Bob's pain", stage="purchase", persona=bob)
    return j


def test_group_map_has_one_curve_per_persona_with_a_legend() -> None:
    j = group_journey()
    layout = journey_map(j)
    assert curves(layout) == 2
    data = source(layout, "emotion_curves").data
    assert data["persona"] == ["Curious Colleen", "Busy Bob"]
    assert len(set(data["color"])) == 2
    assert rows(layout, "emotion_points") == len(j.emotions)
    legend = lane(layout, "emotions").legend[0]
    assert any(getattr(item.label, "field", None) == "persona" for item in legend.items)
    # Each persona's curve passes through its own points only.
    pts = pd.DataFrame({k: source(layout, "emotion_points").data[k] for k in ("persona_id", "x")})
    for pid, xs in zip(data["persona_id"], data["xs"], strict=True):
        assert sorted(set(pts.loc[pts["persona_id"] == pid, "x"])) == list(xs)


def test_personas_filters_emotions_thoughts_and_pain_points() -> None:
    j = group_journey()
    layout = journey_map(j, personas=["busy-bob"])
    bob = selected_emotions(j, ["busy-bob"])
    assert rows(layout, "emotion_points") == len(bob)
    assert curves(layout) == 1
    assert set(source(layout, "emotion_points").data["persona"]) == {"Busy Bob"}
    assert rows(layout, "thoughts") == int(bob["thought"].notna().sum())
    pains = j.pain_points
    shown = pains["persona_id"].isna() | (pains["persona_id"] == "busy-bob")
    assert rows(layout, "pain_points") == int(shown.sum())
    # The subtitle names the persona shown.
    (subtitle,) = [
        t.text.text
        for t in layout.references()
        if isinstance(t, Title) and t.text.text.startswith("Current state")
    ]
    assert "Busy Bob" in subtitle and "Curious Colleen" not in subtitle


def test_selected_personas_keep_their_order_and_get_curves_even_without_emotions() -> None:
    j = group_journey()
    j.add_persona("Quiet Quinn", id="quinn")
    layout = j.plot(personas=["quinn", "busy-bob"])
    assert source(layout, "emotion_curves").data["persona"] == ["Quiet Quinn", "Busy Bob"]


def test_emotions_without_a_persona_get_their_own_curve_by_default() -> None:
    j = templates.load("colleen")
    j.set_emotion(None, touchpoint="checkout", score=1, source="survey")
    assert source(journey_map(j), "emotion_curves").data["persona"] == ["Curious Colleen", "All personas"]
    filtered = journey_map(j, personas=["curious-colleen"])
    assert source(filtered, "emotion_curves").data["persona"] == ["Curious Colleen"]
    assert rows(filtered, "emotion_points") == len(j.emotions) - 1


def test_unknown_persona_lists_the_valid_ids() -> None:
    message = r"unknown persona 'nobody' \(neither an id nor a name\)"
    with pytest.raises(ValidationError, match=message) as err:
        journey_map(group_journey(), personas=["nobody"])
    assert "'curious-colleen'" in str(err.value) and "'busy-bob'" in str(err.value)


# -- scale ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big() -> Journey:
    return big_journey()


def test_big_journey_draws_one_glyph_per_group(big: Journey) -> None:
    # Its speed is measured in bench/bench_map.py, not here: a time limit in a unit test
    # fails on a loaded machine (1.1 s of CPU at load 8 for ~0.25 s of work when quiet).
    layout = journey_map(big)
    assert rows(layout, "touchpoints") == 200
    assert rows(layout, "emotion_points") == 600
    assert curves(layout) == 3
    renderers = sum(len(p.renderers) for p in layout.children)
    assert renderers < 60, renderers  # never one renderer per touchpoint


def test_big_journey_scrolls_at_the_minimum_slot_and_keeps_names_whole(big: Journey) -> None:
    layout = journey_map(big)
    plot = lane(layout, "touchpoints")
    # Responsive, never narrower than 72 px per touchpoint plus the margins: the page scrolls.
    assert (plot.sizing_mode, plot.min_width) == ("stretch_width", 200 * 72 + 128 + 8)
    assert layout.min_width == plot.min_width
    data = source(layout, "touchpoints").data
    assert [label.replace("\n", " ") for label in data["label"]] == data["name"]  # wrapped, never cut
    assert data["name"][5] == "Touchpoint 5 where the customer compares delivery options"
    assert "name" in tooltip_fields(plot)
    # The thought cards hover through the emotion points, which hold the full quotes.
    thoughts = source(layout, "thoughts").data
    (hover,) = [t for t in lane(layout, "thoughts").tools if isinstance(t, HoverTool)]
    assert {r.data_source.name for r in hover.renderers} == {"emotion_points"}
    full = source(layout, "emotion_points").data["thought"]
    assert full[thoughts["row"][0]].startswith("Quote 0: I wonder")


def test_text_lanes_grow_instead_of_overlapping(big: Journey) -> None:
    layout = journey_map(big)
    for name in ("thoughts", "pain_points", "opportunities", "actions_plan", "metrics"):
        df = pd.DataFrame({k: source(layout, name).data[k] for k in ("left", "right", "top", "bottom")})
        for i, a in df.iterrows():
            others = df.drop(index=i)
            overlap = (
                (others["left"] < a["right"])
                & (a["left"] < others["right"])
                & (others["top"] < a["bottom"])
                & (a["top"] < others["bottom"])
            )
            assert not overlap.any(), f"cards overlap in lane {name}"
        plot = lane(layout, name)
        assert plot.y_range.start >= df["bottom"].max()  # the lane is tall enough


def test_width_sets_the_lane_width(colleen: Journey) -> None:
    layout = journey_map(colleen, width=2000)
    for plot in layout.children:
        assert plot.frame_width + plot.min_border_left + plot.min_border_right == pytest.approx(2000, abs=1)
    with pytest.raises(ValidationError, match="too small"):
        journey_map(colleen, width=100)


# -- empty and odd journeys -----------------------------------------------------------------
def test_journey_without_stages_gives_a_header_with_a_note() -> None:
    layout = journey_map(Journey("Nothing yet"))
    assert lane_names(layout) == ["stages"]
    assert rows(layout, "stages") == 0
    titles = [t.text.text for t in layout.references() if isinstance(t, Title)]
    assert "Nothing yet" in titles
    assert any("No stages yet" in t for t in titles)


def test_stage_without_touchpoints_keeps_a_column() -> None:
    j = Journey("Sparse")
    a = j.add_stage("Empty stage")
    b = j.add_stage("Busy stage")
    j.add_touchpoint(b, "Only touchpoint")
    j.add_lane("Notes", {a: "note A"})
    layout = journey_map(j)
    stages = source(layout, "stages").data
    assert list(stages["left"]) == pytest.approx([0.02, 1.02])
    assert source(layout, "touchpoints").data["x"].tolist() == [1.5]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_any_valid_journey_maps(j: Journey) -> None:
    layout = journey_map(j)
    assert rows(layout, "touchpoints") == len(j.touchpoints)
    assert rows(layout, "emotion_points") == len(j.emotions)
    json.dumps(json_item(layout))  # serialisable: no pd.NA, no numpy scalars left in the data


# -- safety -------------------------------------------------------------------------------------
def _user_strings() -> list[str]:
    return [IMG, SCRIPT]


def test_user_text_never_reaches_html_models() -> None:
    layout = journey_map(hostile_journey())
    for model in layout.references():
        assert not isinstance(model, (Div, Paragraph, PreText, Markup)), type(model).__name__
        if isinstance(model, HoverTool):
            assert isinstance(model.tooltips, list)
            for label, value in model.tooltips:
                assert "<" not in label and "<" not in value
                assert "{safe}" not in value
    # The hostile strings are present, as plain data.
    text = json.dumps(json_item(layout))
    assert "onerror" in text and "__pwned=2" in text


def test_user_text_in_titles_and_axis_labels_is_plain_text() -> None:
    from bokeh.models import Axis, PlainText

    layout = journey_map(hostile_journey())
    for model in layout.references():
        if isinstance(model, Title):
            assert isinstance(model.text, PlainText)
        if isinstance(model, Axis) and model.axis_label is not None:
            assert isinstance(model.axis_label, PlainText)  # "$$x^2$$" must not become TeX
    stage = source(layout, "stages").data
    assert stage["name"] == [IMG]
    assert "custom:$$x^2$$" in lane_names(layout)


def test_hostile_journey_strings_survive_verbatim_in_sources() -> None:
    layout = journey_map(hostile_journey())
    pts = source(layout, "emotion_points").data
    assert pts["thought"] == [SCRIPT] and pts["feeling"] == [IMG] and pts["stage"] == [IMG]
    assert source(layout, "touchpoints").data["channel"] == [IMG]


def _walk_values(obj: Any) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _walk_values(v)]
    if isinstance(obj, list | tuple):
        return [s for v in obj for s in _walk_values(v)]
    return []


def test_no_model_but_data_holds_user_html() -> None:
    """Walk the document JSON: user strings appear only in data sources, titles,
    axis labels and legend data, never in a model that renders HTML."""
    item = json_item(journey_map(hostile_journey()))
    html_types = {
        "Div",
        "Paragraph",
        "PreText",
        "HTMLLabel",
        "HTMLLabelSet",
        "HTMLTitle",
        "Tooltip",
        "HTML",
        "Markup",
    }
    stack: list[Any] = [item["doc"]]
    seen_user_text = False
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object" and node.get("name") in html_types:
                assert not any(u in s for s in _walk_values(node) for u in _user_strings()), node["name"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str) and IMG in node:
            seen_user_text = True
    assert seen_user_text


def test_metric_cards_name_their_segment(colleen: Journey) -> None:
    j = colleen.copy()
    j.add_metric("customers", 120, stage="research", segment="mobile", unit="customers")
    layout = journey_map(j)
    data = source(layout, "metrics").data
    columns = dict(zip(data["segment"], data["column"], strict=True))
    assert columns == {"mobile": "mobile", "": "All customers"}  # one column per group, named
    assert "mobile" in source(layout, "metrics_header").data["text"]
    assert "n 120" in source(layout, "metrics_n").data["text"]  # a stage's customers: the column's n


def test_ratio_metrics_read_as_percentages(colleen: Journey) -> None:
    j = colleen.copy()
    j.add_metric("conversion", 0.6012, stage="research", unit="ratio")
    assert "60.1%" in list(source(journey_map(j), "metrics_text").data["text"])


def test_metric_values_wrap_instead_of_losing_digits(colleen: Journey) -> None:
    j = colleen.copy()
    first = j.stages.sort_values("order")["id"].iloc[0]  # "Trigger": a narrow, one-touchpoint stage
    j.add_metric("customers", 20_000, stage=first, unit="customers")
    layout = journey_map(j)
    assert "n 20,000" in source(layout, "metrics_n").data["text"]  # whole, the unit said by "n"
    lines = [str(t) for t in source(layout, "metrics_text").data["text"]]
    assert not any(t.endswith(("…", "-")) for t in lines)
