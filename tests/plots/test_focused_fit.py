"""The focused plots fit the output area: responsive by default, ``width=`` fixes them.

Also: notes and titles wrap at word boundaries instead of being cut at the
plot's edge, rows without a persona are "All personas", the emotion axes say
the words of the scale, and a responsive plot still exports at a sensible width.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bokeh.models import Column, LayoutDOM, Plot, Title

from cjm_jupyter import templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.model.labels import EMOTION_LABELS, NO_PERSONA_LABEL
from cjm_jupyter.plots import _common as c
from cjm_jupyter.plots import (
    compare_personas,
    emotion_curve,
    export,
    export_png,
    export_svg,
    flow,
    funnel_chart,
    persona_cards,
    segment_comparison,
)
from cjm_jupyter.plots.map.grid import text_em

from ..support.browser import skip_or_fail
from ..support.focused_plots import COLLEEN, STEPS, comparison, with_size

LONG_BASELINE = "Customers who came through the spring newsletter campaign of the garden centre"


#: Every focused Bokeh plot, built with a given ``width``.
BUILDERS = with_size("width")


def plots_of(model: LayoutDOM) -> list[Plot]:
    return [m for m in model.select({"type": Plot}) if isinstance(m, Plot)]


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_by_default_every_plot_and_its_layout_stretch_to_the_output_area(name: str) -> None:
    model = BUILDERS[name](None)
    assert model.sizing_mode == "stretch_width"
    for plot in plots_of(model):
        assert plot.sizing_mode == "stretch_width"
        # A floor, so labels do not squeeze into each other, and a width an export draws at.
        assert plot.min_width is not None and 480 <= plot.min_width <= 960
        assert plot.width is not None and plot.width >= plot.min_width


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_width_fixes_every_plot_to_that_many_pixels(name: str) -> None:
    model = BUILDERS[name](700)
    for plot in plots_of(model):
        assert plot.sizing_mode != "stretch_width"
        width = plot.frame_width if name == "empathy_map" else plot.width
        assert width == 700
    if isinstance(model, Column):
        assert model.sizing_mode is None


@pytest.mark.parametrize("bad", [0, 99, 12.5, "wide", True])
def test_a_width_that_is_no_pixel_count_is_refused_naming_width(bad: Any) -> None:
    with pytest.raises(ValidationError, match=r"must be None \(the width of the output area\) or an integer"):
        emotion_curve(COLLEEN, width=bad)


def test_persona_cards_fill_the_output_area_or_the_width_given() -> None:
    assert 'class="cjm-cards">' in persona_cards(COLLEEN).html
    assert "max-width: 940px" not in persona_cards(COLLEEN).html
    assert 'class="cjm-cards" style="width: 700px">' in persona_cards(COLLEEN, width=700).html


def test_a_flow_of_many_columns_keeps_about_130_px_a_column() -> None:
    chain = pd.DataFrame({"source": list("ABCDEFGH"), "target": list("BCDEFGHI"), "count": [9] * 8})
    fig = flow(chain)
    assert fig.min_width == 130 * 9 + 120
    assert fig.width == fig.min_width  # labels cut for that width; an export draws it so


def test_the_funnel_note_wraps_a_long_baseline_name_at_word_boundaries() -> None:
    comp = pd.DataFrame(
        {"metric": "conversion", "stage": ["Cart", "Buy"], "segment": "b", "significant": False}
    )
    comp.attrs.update(baseline=LONG_BASELINE, adjust="holm", alpha=0.05)
    for width in (None, 600):
        fig = funnel_chart(STEPS, mode="sequential", comparison=comp, width=width)
        note = next(t for t in fig.select({"type": Title}) if t.name == "funnel_note").text.text
        lines = note.split("\n")
        assert len(lines) >= 2
        # every word survives whole, in order: wrapping only replaced spaces by newlines
        expected = (
            "Sequential funnel · whiskers: 95% Wilson interval of step conversion · * differs from "
            f"the baseline {LONG_BASELINE}: p adjusted (holm) < 0.05"
        )
        assert note.replace("\n", " ") == expected
        room = c.NOTE_PX if width is None else width - 140
        assert max(text_em(line) for line in lines) * 12 <= room  # the map's width estimate, 12 px font


def test_a_long_title_wraps_for_a_narrow_output_area() -> None:
    journey = templates.load("colleen")
    journey.name = "The whole purchase journey of a vacuum cleaner bought online in spring"
    fig = emotion_curve(journey)
    assert fig.title.text.text == (
        "Emotion curve — The whole purchase journey of a\nvacuum cleaner bought online in spring"
    )
    assert fig.title.text.text.replace("\n", " ") == f"Emotion curve — {journey.name}"
    assert emotion_curve(journey, width=1400).title.text.text == f"Emotion curve — {journey.name}"


def test_segment_comparison_note_wraps_too() -> None:
    layout = segment_comparison(comparison(), width=480)
    note = next(t for t in layout.select({"type": Title}) if t.name == "comparison_note").text.text
    assert "\n" in note
    expected = "Whiskers: 95% intervals. * = differs from the baseline: p adjusted (holm) < 0.05"
    assert note.replace("\n", " ") == expected


def test_rows_without_a_persona_are_all_personas_and_the_scale_has_its_words() -> None:
    assert c.ALL_PERSONAS == NO_PERSONA_LABEL == "All personas"
    assert {c.EMOTION_TICK_LABELS[k] for k in (-2, 0, 2)} == {"frustrated", "indifferent", "delighted"}
    assert all(c.EMOTION_TICK_LABELS[k] == v for k, v in EMOTION_LABELS.items())
    journey = templates.load("colleen")
    emo = journey.emotions
    journey.emotions = pd.concat([emo, emo.head(1).assign(id="e-all", persona_id=None)], ignore_index=True)
    fig = emotion_curve(journey)
    names = {p for r in fig.select({"name": "emotion_points"}) for p in r.data_source.data["persona"]}
    assert names == {"Curious Colleen", NO_PERSONA_LABEL}
    assert fig.yaxis[0].major_label_overrides[2] == "delighted"


@pytest.mark.browser
def test_a_responsive_plot_exports_at_its_own_width_and_stays_responsive(tmp_path: Path) -> None:
    from PIL import Image

    for path in (export.CHROMIUM_PATH, export.CHROMEDRIVER_PATH):
        if not os.access(path, os.X_OK):
            skip_or_fail(f"{path} not found: apt-get install chromium chromium-driver")
    fig = emotion_curve(COLLEEN)
    layout = compare_personas(COLLEEN)
    assert Image.open(export_png(fig, tmp_path / "curve.png")).size == (960, 440)
    assert Image.open(export_png(layout, tmp_path / "personas.png")).width == 960
    assert 'width="960"' in export_svg(fig, tmp_path / "curve.svg").read_text()[:200]
    # the export fixed them for the picture only
    assert fig.sizing_mode == layout.sizing_mode == "stretch_width"
