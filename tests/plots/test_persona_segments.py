"""A persona made from a segment owns that segment's rows and shares its colour.

``add_persona_from_segment`` writes the data segment's label into the persona's
``segment``; ``measure(segment=...)`` writes survey emotions per segment with no
persona. The emotion curve, the persona comparison and the journey map draw
those rows on the persona's curve (its own rows plus its segment's), never as a
separate segment curve, and the persona and its segment have one colour. A
segment no persona stands for keeps its own curve, in a colour no persona has.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bokeh.models import ColumnDataSource, LayoutDOM, Title

from cjm_jupyter import Journey, templates
from cjm_jupyter.plots import compare_personas, emotion_curve, journey_map
from cjm_jupyter.plots._common import resolve_personas
from cjm_jupyter.plots.theme import (
    PERSONA_PALETTE,
    SEGMENT_PALETTE,
    persona_colors,
    persona_segments,
    segment_colors,
)

#: (touchpoint, everyone, segment "2", segment "3") survey means.
SURVEY = (("checkout", 0.5, -1.0, 1.5), ("first-use", 1.5, 0.0, 2.0))


def linked() -> Journey:
    """Colleen's map, a persona made from segment "2" (Mobile Mia, no emotions of her own)
    and survey rows for everyone and for segments "2" and "3" ("3" has no persona)."""
    j = templates.load("colleen")
    j.add_persona("Mobile Mia", id="mia", segment="2", basis="measured", n=120)
    for tp, everyone, two, three in SURVEY:
        for segment, score in ((None, everyone), ("2", two), ("3", three)):
            j.set_emotion(None, touchpoint=tp, score=score, source="survey", n=40, segment=segment)
    return j


def points(fig) -> pd.DataFrame:
    frames = [pd.DataFrame(dict(r.data_source.data)) for r in fig.select(name="emotion_points")]
    return pd.concat(frames, ignore_index=True)[["persona", "persona_key", "touchpoint", "score"]]


def legend_labels(fig) -> list[str]:
    return [item.label.value for item in fig.legend[0].items]


def notes(fig) -> list[str]:
    return [t.text.text for t in fig.select({"type": Title, "name": "segment_note"})]


def line_colors(fig) -> dict[str, str]:
    out = {}
    for item in fig.legend[0].items:
        lines = [r for r in item.renderers if r.name == "emotion_line"]
        if lines:
            out[item.label.value] = lines[0].glyph.line_color
    return out


def map_source(layout: LayoutDOM, name: str) -> dict[str, list]:
    (src,) = [m for m in layout.references() if isinstance(m, ColumnDataSource) and m.name == name]
    return dict(src.data)


# -- the link ---------------------------------------------------------------------------------
def test_the_persona_owns_its_segment_and_the_segment_value_resolves_to_it() -> None:
    j = linked()
    assert persona_segments(j) == {"2": "mia"}
    assert resolve_personas(j, ["2", "3", "Mobile Mia"], segments=True) == ["mia", "segment:3"]


def test_default_curve_draws_the_segment_rows_on_the_persona_and_leaves_other_segments_out() -> None:
    fig = emotion_curve(linked())
    pts = points(fig)
    mia = pts[pts["persona"] == "Mobile Mia"].set_index("touchpoint")["score"]
    assert mia.to_dict() == {"Checkout": -1.0, "First use": 0.0}
    curves = ["Curious Colleen", "Mobile Mia", "All personas"]
    assert legend_labels(fig) == [*curves, "measured (data)", "assumed"]
    assert notes(fig) == ["+1 segment curve: pass personas=['3']"]  # "2" is Mia's: not left out


def test_a_persona_curve_is_its_own_rows_plus_its_segments() -> None:
    j = linked()
    j.set_emotion("mia", touchpoint="brand-website", score=2, source="interview")
    fig = emotion_curve(j, personas=["Mobile Mia", "2"])  # the segment is the persona: one curve
    pts = points(fig)
    assert legend_labels(fig)[:1] == ["Mobile Mia"] and set(pts["persona_key"]) == {"mia"}
    assert sorted(pts["score"]) == [-1.0, 0.0, 2.0]


def test_compare_personas_compares_the_persona_with_its_segment_rows() -> None:
    layout = compare_personas(linked())
    figs = layout.children
    assert [f.title.text.text for f in figs] == ["Curious Colleen", "Mobile Mia"]
    assert points(figs[1])["score"].tolist() == [-1.0, 0.0]
    assert notes(figs[-1]) == ["+1 segment curve: pass personas=['3']"]
    bars = compare_personas(linked(), personas=["Mobile Mia", "3"], kind="bars")
    data = bars.select_one({"name": "persona_bars"}).data_source.data
    assert sorted(set(data["persona_key"])) == ["mia", "segment:3"]


def test_the_map_draws_the_segment_rows_on_the_persona_curve() -> None:
    j = linked()
    layout = journey_map(j, lanes=["emotions"])
    curves = map_source(layout, "emotion_curves")
    assert curves["persona"] == ["Curious Colleen", "Mobile Mia", "All personas"]
    mia = curves["persona"].index("Mobile Mia")
    assert list(curves["ys"][mia]) == [-1.0, 0.0]
    pts = map_source(layout, "emotion_points")
    of_mia = [s for s, k in zip(pts["score"], pts["persona_id"], strict=True) if k == "mia"]
    assert sorted(of_mia) == [-1.0, 0.0]
    assert "segment:3" not in pts["persona_id"]
    # segment= on the persona's segment draws the persona's curve, with its name
    one = map_source(journey_map(j, lanes=["emotions"], segment="2"), "emotion_curves")
    assert one["persona"] == ["Mobile Mia"] and list(one["ys"][0]) == [-1.0, 0.0]


@pytest.mark.parametrize("personas", [["Mobile Mia", "3"], ["2", "3"]])
def test_the_map_by_persona_name_or_segment_value(personas) -> None:
    curves = map_source(journey_map(linked(), lanes=["emotions"], personas=personas), "emotion_curves")
    assert curves["persona"] == ["Mobile Mia", "3 (segment)"]
    assert [list(y) for y in curves["ys"]] == [[-1.0, 0.0], [1.5, 2.0]]


# -- colours ----------------------------------------------------------------------------------
def test_a_persona_and_its_segment_share_a_colour_other_segments_never_take_a_persona_colour() -> None:
    j = linked()
    people = persona_colors(j)
    assert people == {"curious-colleen": PERSONA_PALETTE[0], "mia": PERSONA_PALETTE[1]}
    segments = segment_colors(j)
    assert segments == {"2": people["mia"], "3": SEGMENT_PALETTE[0]}
    assert not set(SEGMENT_PALETTE) & set(PERSONA_PALETTE)
    fig = emotion_curve(j, personas=["Curious Colleen", "Mobile Mia", "3"])
    assert line_colors(fig) == {
        "Curious Colleen": people["curious-colleen"],
        "Mobile Mia": people["mia"],
        "3 (segment)": segments["3"],
    }
    curves = map_source(journey_map(j, lanes=["emotions"], personas=["2", "3"]), "emotion_curves")
    assert curves["color"] == [people["mia"], segments["3"]]


def test_segments_without_a_persona_keep_their_colours_when_a_persona_is_added() -> None:
    j = linked()
    before = segment_colors(j)["3"]
    j.add_persona("Another", id="another")
    assert segment_colors(j)["3"] == before
    # the same rule on plain values (a funnel frame's segment column)
    assert segment_colors(["3"]) == {"3": before}


# -- persona cards: measured content is never "stated" -------------------------------------------
@pytest.fixture(scope="module")
def segmented_customers():
    pytest.importorskip("sklearn")
    from cjm_jupyter.personas import make_customers, segment_customers

    table = make_customers(500, seed=2).drop(columns="planted_segment")
    return segment_customers(table, customer_col="customer_id", k=3)


def test_a_measured_card_lists_its_traits_once_under_measured(segmented_customers) -> None:
    from cjm_jupyter.plots.persona_cards import persona_cards

    j = Journey("Shop")
    pid = j.add_persona_from_segment(segmented_customers, 1, name="From data")
    row = j.personas.set_index("id").loc[pid]
    cards = persona_cards(j, pid, profile=segmented_customers, facts=3)
    assert "Stated" not in cards.html
    assert row["behaviour"] not in cards.html  # the facts above say it already
    assert cards.html.count("<li><b>") == 3
    assert f"<dl><dt>Channels</dt><dd>{row['channels']}</dd></dl>" in cards.html
    # without the profile the written traits are the card's measured facts
    alone = persona_cards(j, pid)
    assert "Stated" not in alone.html
    assert f"<h4>Measured</h4><dl><dt>Behaviour</dt><dd>{row['behaviour']}</dd>" in alone.html
    # what the team writes later is stated; an edited behaviour is shown (under Measured)
    j.update_persona(pid, goals="Buy fast", behaviour="Shops at night")
    edited = persona_cards(j, pid, profile=segmented_customers, facts=3)
    assert "<dl><dt>Behaviour</dt><dd>Shops at night</dd><dt>Channels</dt>" in edited.html
    assert "<h4>Stated</h4><dl><dt>Goals</dt><dd>Buy fast</dd></dl>" in edited.html


def test_an_assumed_persona_states_its_behaviour() -> None:
    from cjm_jupyter.plots.persona_cards import persona_cards

    j = Journey("Shop")
    j.add_persona("Hand-made", id="h", basis="assumed", behaviour="Compares prices", channels="web")
    cards = persona_cards(j)
    stated = "<dt>Behaviour</dt><dd>Compares prices</dd><dt>Channels</dt><dd>web</dd>"
    assert f"<h4>Stated</h4><dl>{stated}</dl>" in cards.html
    assert "Measured" not in cards.html


# -- segment profile: the largest bar's label fits ------------------------------------------------
@pytest.mark.parametrize("width", [600, 820, 900])
def test_the_largest_bars_label_fits_inside_the_frame(width) -> None:
    from cjm_jupyter.plots.segments import BORDER_LEFT, segment_profile

    from ..support.plot_data import profile

    frame = profile()
    frame.loc[frame["column"] == "orders", "effect_size"] = [4.14, -4.14]
    layout = segment_profile(frame, width=width)
    x = layout.children[0].x_range
    px_per_unit = (width - BORDER_LEFT - 5) / (x.end - x.start)
    # "+4.14" at 11 px is about 33 px wide (measured in Chromium), 4 px past the bar's end.
    assert (x.end - 4.14) * px_per_unit >= 4 + 33
    assert (-4.14 - x.start) * px_per_unit > 0  # the negative bar stays inside too
