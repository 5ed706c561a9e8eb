"""Personas and segments are the same everywhere: one resolver, one colour each."""

from __future__ import annotations

import pandas as pd
import pytest
from bokeh.models import ColumnDataSource, GlyphRenderer, LayoutDOM, Line

from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.model import Journey
from cjm_jupyter.plots._common import resolve_personas
from cjm_jupyter.plots.compare import compare_personas
from cjm_jupyter.plots.emotion import emotion_curve
from cjm_jupyter.plots.funnel_chart import funnel_chart
from cjm_jupyter.plots.map import journey_map
from cjm_jupyter.plots.theme import PERSONA_PALETTE, persona_colors, segment_colors

UNKNOWN = (
    "unknown persona 'Nobody' (neither an id nor a name); known personas: "
    "'curious-colleen' (Curious Colleen), 'busy-bob' (Busy Bob), 'quiet-quinn' (Quiet Quinn)"
)


def three_personas() -> Journey:
    """Colleen's map plus Bob (with emotions) and Quinn (with emotions), in that frame order."""
    j = templates.load("colleen")
    for name, pid, score in (("Busy Bob", "busy-bob", -1.0), ("Quiet Quinn", "quiet-quinn", 1.0)):
        j.add_persona(name, id=pid)
        for tp in j.touchpoints["id"][:4]:
            j.set_emotion(pid, touchpoint=tp, score=score, source="survey", n=40)
    return j


def map_curve_colors(layout: LayoutDOM) -> dict[str, str]:
    refs = layout.references()
    (src,) = [m for m in refs if isinstance(m, ColumnDataSource) and m.name == "emotion_curves"]
    return dict(zip(src.data["persona"], src.data["color"], strict=True))


def line_colors(fig: LayoutDOM) -> list[str]:
    """Line colours of an emotion curve figure's persona lines, in drawing order."""
    return [
        r.glyph.line_color
        for r in fig.renderers
        if isinstance(r, GlyphRenderer) and isinstance(r.glyph, Line) and r.name == "emotion_line"
    ]


# -- one resolver: ids or names -----------------------------------------------------------------
def test_resolver_takes_ids_and_names_in_the_order_given() -> None:
    j = three_personas()
    assert resolve_personas(j, ["Quiet Quinn", "busy-bob", "Busy Bob"]) == ["quiet-quinn", "busy-bob"]
    assert resolve_personas(j, None) == ["curious-colleen", "busy-bob", "quiet-quinn"]


def test_map_and_journey_plot_accept_persona_names() -> None:
    j = three_personas()
    by_name = map_curve_colors(j.plot(personas=["Busy Bob", "Curious Colleen"]))
    by_id = map_curve_colors(journey_map(j, personas=["busy-bob", "curious-colleen"]))
    assert list(by_name) == ["Busy Bob", "Curious Colleen"]
    assert by_name == by_id


@pytest.mark.parametrize(
    "plot",
    [
        lambda j: journey_map(j, personas=["Nobody"]),
        lambda j: j.plot(personas=["Nobody"]),
        lambda j: emotion_curve(j, personas=["Nobody"]),
        lambda j: compare_personas(j, personas=["Nobody"]),
        lambda j: compare_personas(j, personas=["Nobody"], kind="bars"),
    ],
    ids=["journey_map", "Journey.plot", "emotion_curve", "compare_curves", "compare_bars"],
)
def test_every_plot_rejects_an_unknown_persona_with_the_same_message(plot) -> None:
    with pytest.raises(ValidationError) as info:
        plot(three_personas())
    assert str(info.value).endswith(UNKNOWN)
    assert info.value.value == "Nobody"


# -- segments by value ------------------------------------------------------------------------------
def segmented() -> Journey:
    j = three_personas()
    for seg, n in (("mobile", 600), ("desktop", 400), ("tablet", 100)):
        for k, stage in enumerate(j.stages["id"]):
            j.add_metric("customers", n // (k + 1), stage=stage, segment=seg, source="analytics")
    return j


def test_comparisons_resolve_segment_values_and_list_them_when_unknown() -> None:
    j = segmented()
    keys = resolve_personas(j, ["mobile", "Busy Bob"], segments=True)
    assert keys == ["segment:mobile", "busy-bob"]
    with pytest.raises(ValidationError) as info:
        resolve_personas(j, ["mobile"])  # the map filters personas only
    assert str(info.value).endswith(UNKNOWN.replace("'Nobody'", "'mobile'"))
    with pytest.raises(ValidationError) as info:
        emotion_curve(j, personas=["watch"])
    assert str(info.value).endswith(
        UNKNOWN.replace("'Nobody'", "'watch'") + "; known segments: 'desktop', 'mobile', 'tablet'"
    )


def test_a_segment_without_emotions_is_named_in_the_comparison_error() -> None:
    with pytest.raises(ValidationError, match="persona has no emotions to compare") as info:
        compare_personas(segmented(), personas=["mobile"])
    assert info.value.value == "segment:mobile"


# -- one colour per persona and segment ---------------------------------------------------------
def test_persona_colour_is_its_place_in_the_personas_frame() -> None:
    assert persona_colors(three_personas()) == {
        "curious-colleen": "#0072B2",
        "busy-bob": "#009E73",
        "quiet-quinn": "#56B4E9",
    }
    # Okabe-Ito without the oranges the emotion markers use for "frustrated".
    assert PERSONA_PALETTE == ("#0072B2", "#009E73", "#56B4E9", "#CC79A7", "#000000", "#F0E442")


def test_a_persona_keeps_its_colour_across_plots_and_filters() -> None:
    j = three_personas()
    own = persona_colors(j)
    names = dict(zip(j.personas["id"], j.personas["name"], strict=True))
    expected = {names[p]: own[p] for p in own}
    assert map_curve_colors(journey_map(j)) == expected
    assert map_curve_colors(journey_map(j, personas=["Quiet Quinn"])) == {"Quiet Quinn": own["quiet-quinn"]}
    assert line_colors(emotion_curve(j, personas=["curious-colleen", "quiet-quinn"])) == [
        own["curious-colleen"],
        own["quiet-quinn"],
    ]
    assert line_colors(emotion_curve(j, personas=["Quiet Quinn"])) == [own["quiet-quinn"]]
    stacked = compare_personas(j, personas=["Quiet Quinn", "Busy Bob"])
    assert [line_colors(fig) for fig in stacked.children] == [[own["quiet-quinn"]], [own["busy-bob"]]]
    bars = compare_personas(j, personas=["busy-bob", "quiet-quinn"], kind="bars")
    data = bars.select_one({"name": "persona_bars"}).data_source.data
    got = dict(zip(data["persona_key"], data["persona_color"], strict=True))
    assert got == {"busy-bob": own["busy-bob"], "quiet-quinn": own["quiet-quinn"]}


def test_a_segment_keeps_its_colour_in_funnels_of_the_journey_and_of_a_frame() -> None:
    j = segmented()
    own = segment_colors(j)
    # Segment colours come from their own palette: never a persona's (Colleen is #0072B2).
    assert own == {"desktop": "#882255", "mobile": "#999933", "tablet": "#332288"}
    assert not set(own.values()) & set(persona_colors(j).values())

    def bar_colors(fig: LayoutDOM) -> dict[str, str]:
        data = fig.renderers[0].data_source.data
        return dict(zip(data["segment"], data["color"], strict=True))

    assert bar_colors(funnel_chart(j)) == own
    # The same segments in another order, and a subset: colours stay the journey's.
    frame = pd.DataFrame(
        {
            "stage": ["Visit", "Buy"] * 3,
            "segment": ["tablet", "tablet", "mobile", "mobile", "desktop", "desktop"],
            "customers": [100, 10, 600, 60, 400, 40],
        }
    )
    assert bar_colors(funnel_chart(frame)) == own
    picked = segment_colors(["mobile", "desktop", None, "mobile"])
    assert picked == {"desktop": "#882255", "mobile": "#999933"}
