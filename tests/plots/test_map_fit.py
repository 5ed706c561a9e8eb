"""The journey map fits the output area: responsive width, whole words, nothing meaningful cut.

Canvas text does not reflow, so these tests read the text the layout produced
(the Text glyphs' ColumnDataSources, titles and axis labels) and check that a
line only ends in "-" where the word has its own hyphen or is wider than a
whole card line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from bokeh.models import Axis, ColumnDataSource, LayoutDOM, Title

from cjm_jupyter import Journey, templates
from cjm_jupyter.model.labels import EMOTION_LABELS, NO_PERSONA_LABEL
from cjm_jupyter.plots.map import journey_map
from cjm_jupyter.plots.map.grid import CARD_FONT_PX, GUTTER_PX, MIN_SLOT_PX, RIGHT_PX, text_em

from ..support.plot_data import wide_journey

#: The narrowest card line at the minimum slot width, in em of the card font:
#: a word wider than this may be hyphenated, no other.
CARD_LINE_EM = (MIN_SLOT_PX - 2 * 1.0 - 2 * 3.0) / CARD_FONT_PX


def text_lines(layout: LayoutDOM) -> list[str]:
    """Every line of canvas text the layout draws from data."""
    lines: list[str] = []
    for src in layout.select({"type": ColumnDataSource}):
        if "text" in src.data and "y" in src.data:
            lines += [str(t) for t in src.data["text"]]
    return lines


def title_lines(layout: LayoutDOM) -> list[str]:
    """Every line of the map's titles and lane titles."""
    out: list[str] = []
    for title in layout.select({"type": Title}):
        out += str(title.text.text if hasattr(title.text, "text") else title.text).split("\n")
    for axis in layout.select({"type": Axis}):
        label = axis.axis_label
        if label is not None:
            out += str(getattr(label, "text", label)).split("\n")
    return out


def words_of(texts: Iterable[str]) -> set[str]:
    return {w.strip("“”\"'.,;:!?()") for t in texts for w in str(t).split()}


def bad_breaks(lines: list[str], originals: Iterable[str]) -> list[str]:
    """Lines ending in an inserted hyphen inside a word no wider than a card line."""
    words = words_of(originals)
    bad = []
    for line, nxt in zip(lines, [*lines[1:], ""], strict=True):
        if not line.endswith("-") or not line.strip("-"):
            continue
        head = re.split(r"\s", line)[-1].rstrip("-").lstrip("“\"'(")
        tail = (nxt.split() or [""])[0]
        if any(f"{head}-" in w for w in words):
            continue  # the word's own hyphen ("Post-purchase", "In-store")
        whole = [w for w in words if w.startswith(head + tail.rstrip("-").rstrip("”\"'.,;:!?)"))]
        if not whole or all(text_em(w) <= CARD_LINE_EM for w in whole):
            bad.append(f"{line!r} / {nxt!r}")
    return bad


def originals(j: Journey) -> list[str]:
    frames = [
        (j.stages, "name"),
        (j.touchpoints, "name"),
        (j.touchpoints, "action"),
        (j.emotions, "thought"),
        (j.emotions, "feeling"),
        (j.pain_points, "description"),
        (j.opportunities, "description"),
        (j.actions, "description"),
        (j.actions, "owner"),
        (j.lanes, "text"),
    ]
    return [str(v) for df, col in frames for v in df[col].dropna()]


@pytest.fixture(scope="module")
def wide() -> Journey:
    return wide_journey()


def test_colleen_fits_a_968_px_output_area_and_stretches(colleen: Journey) -> None:
    layout = journey_map(colleen)
    n_slots = 11  # the Colleen template's touchpoints, one slot each
    assert len(colleen.touchpoints) == n_slots
    assert (layout.sizing_mode, layout.min_width) == ("stretch_width", 940)
    for plot in layout.children:
        assert (plot.sizing_mode, plot.min_width) == ("stretch_width", 940)
        assert (plot.min_border_left, plot.min_border_right) == (GUTTER_PX, RIGHT_PX)
    # The slots share the 940 px, each at least the minimum slot.
    assert (940 - GUTTER_PX - RIGHT_PX) / n_slots >= MIN_SLOT_PX


def test_colleen_text_breaks_only_at_word_boundaries(colleen: Journey) -> None:
    layout = journey_map(colleen)
    lines = text_lines(layout)
    assert len(lines) > 150
    # Every word of Colleen fits a card line whole: no line ends in an inserted hyphen.
    assert bad_breaks(lines, originals(colleen)) == []
    assert [line for line in lines if line.endswith("-")] == []


def test_severity_notes_and_titles_are_never_cut(colleen: Journey) -> None:
    for width in (None, 960, 700):
        layout = journey_map(colleen, **({} if width is None else {"width": width}))
        notes = layout.select_one({"name": "pain_points_note"}).data
        expected = sorted(f"severity {int(s)}/5" for s in colleen.pain_points["severity"].dropna())
        if width == 700:  # 51 px slots: each note takes two lines, both words whole
            joined = " ".join(notes["text"])
            assert joined.count("severity") == len(expected)
            assert sorted(re.findall(r"\d/5", joined)) == sorted(e.split()[1] for e in expected)
        else:
            assert sorted(notes["text"]) == expected, width
        titles = title_lines(layout)
        assert not any("…" in t for t in titles), (width, titles)
        # The title and subtitle wrap to the narrowest frame (they sit over it) instead of
        # running off it; the 16 px bold title is the wider font.
        frame_px = (layout.children[0].min_width or width) - GUTTER_PX - RIGHT_PX
        subtitle, title = (t.text.text.split("\n") for t in layout.children[0].above)
        assert " ".join(subtitle).endswith("because they cannot find the benefits fast."), subtitle
        assert len(subtitle) == 2, subtitle
        assert all(text_em(t) * 12 <= frame_px - 8 for t in subtitle), (width, subtitle)
        assert title == ["Curious Colleen buys a vacuum cleaner"]
        assert " ".join(titles).count("Curious Colleen") >= 1


def test_wide_journey_scrolls_at_the_minimum_slot_with_whole_words(wide: Journey) -> None:
    layout = journey_map(wide)
    assert layout.min_width == 240 * MIN_SLOT_PX + GUTTER_PX + RIGHT_PX
    lines = text_lines(layout)
    assert bad_breaks(lines, originals(wide)) == []
    # "Personalised" and "recommendations" are each wider than a card line? Only
    # words that really are may break; "information" and "Restructure" never do.
    joined = "\n".join(lines)
    assert "informati-" not in joined and "Restructu-" not in joined
    tp_labels = layout.select_one({"name": "touchpoints"}).data["label"]
    names = layout.select_one({"name": "touchpoints"}).data["name"]
    assert all(label.replace("\n", " ").replace("-\n", "") for label in tp_labels)
    assert sum(label.replace("\n", " ") == name for label, name in zip(tp_labels, names, strict=True)) >= 200


def test_wide_journey_at_a_fixed_width_still_breaks_only_long_words(wide: Journey) -> None:
    layout = journey_map(wide, width=240 * 80 + GUTTER_PX + RIGHT_PX)
    assert layout.sizing_mode != "stretch_width"
    assert {p.frame_width for p in layout.children} == {240 * 80}
    assert bad_breaks(text_lines(layout), originals(wide)) == []


@pytest.mark.parametrize("name", ["colleen", "wide"])
def test_full_text_prints_every_word(name: str, colleen: Journey, wide: Journey) -> None:
    j = colleen if name == "colleen" else wide
    cut = journey_map(j)
    full = journey_map(j, full_text=True)
    assert not any("…" in t for t in text_lines(full))
    assert bad_breaks(text_lines(full), originals(j)) == []
    # Every quote is on the map in full, cards as tall as they need.
    drawn = " ".join(
        line[:-1] if line.endswith("-") else line + " "
        for line in full.select_one({"name": "thoughts_text"}).data["text"]
    )
    drawn = re.sub(r"\s+", " ", drawn)
    for quote in j.emotions["thought"].dropna().unique():
        assert f"“{quote}”" in drawn
    taller = full.select_one({"name": "lane:thoughts"}).frame_height
    assert taller >= cut.select_one({"name": "lane:thoughts"}).frame_height


def test_full_text_goes_through_journey_plot(colleen: Journey) -> None:
    layout = colleen.plot(full_text=True)
    assert not any("…" in t for t in text_lines(layout))
    assert any("…" in t for t in text_lines(colleen.plot()))  # the default cuts the long quote


def test_emotion_axis_uses_the_scale_words_and_all_personas(colleen: Journey) -> None:
    j = templates.load("colleen")
    j.set_emotion(None, touchpoint="checkout", score=1, source="survey")
    layout = journey_map(j)
    axis = layout.select_one({"name": "lane:emotions"}).left[0]
    assert axis.major_label_overrides == {
        -2: EMOTION_LABELS[-2],
        -1: "\u22121",
        0: EMOTION_LABELS[0],
        1: "+1",
        2: EMOTION_LABELS[2],
    }
    assert list(EMOTION_LABELS.values()) == ["frustrated", "indifferent", "delighted"]
    curves = layout.select_one({"name": "emotion_curves"}).data["persona"]
    assert curves == ["Curious Colleen", NO_PERSONA_LABEL]
    persona = layout.select_one({"name": "emotion_points"}).data["persona"]
    assert NO_PERSONA_LABEL in persona and "(any persona)" not in persona


def test_lane_titles_wrap_whole_in_the_margin() -> None:
    j = Journey("Lanes")
    s = j.add_stage("Only stage")
    j.add_touchpoint(s, "Shop")
    j.add_lane("Backstage processes and supporting systems", {s: "Warehouse picks the order"})
    layout = journey_map(j)
    (axis,) = layout.select_one({"name": "lane:custom:Backstage processes and supporting systems"}).left
    label = axis.axis_label.text
    assert label.replace("\n", " ") == "Backstage processes and supporting systems"
    assert all(text_em(line) * 12 * 1.1 <= GUTTER_PX - 24 for line in label.split("\n"))


def test_wide_canvases_stay_drawable(wide: Journey) -> None:
    # 17,000 px lanes at 2 device pixels per px would pass the browser's canvas limit.
    layout = journey_map(wide)
    assert {p.hidpi for p in layout.children} == {False}
    assert {p.hidpi for p in journey_map(templates.load("colleen")).children} == {True}
