"""Every plot of every template renders offline in a real Chromium, and user text stays text.

Each plot is saved with ``save_html`` (BokehJS inline) and opened over file:// with
every network request aborted; the page must raise no error, log no console error,
request nothing from the network and draw on its canvases.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bokeh.models.ui import UIElement

from cjm_jupyter import Journey, ValidationError, templates
from cjm_jupyter.plots.export import save_html
from cjm_jupyter.plots.funnel_chart import funnel_chart

from ..support.browser import OfflinePage

pytestmark = pytest.mark.browser

Plot = Callable[[Journey], UIElement]


def transitions(journey: Journey) -> pd.DataFrame:
    """A made-up event-log summary over the journey's touchpoints: forward steps and one step back."""
    ids = journey.touchpoints["id"].tolist()
    rows = [(a, b, max(1000 - 60 * i, 10)) for i, (a, b) in enumerate(itertools.pairwise(ids))]
    if len(ids) >= 3:
        rows.append((ids[2], ids[0], 40))
    return pd.DataFrame(rows, columns=["source", "target", "count"])


def stage_counts(journey: Journey) -> pd.DataFrame:
    """Made-up funnel counts: customers reaching each stage of the journey."""
    names = journey.stages["name"].tolist()
    return pd.DataFrame({"stage": names, "customers": [1000 // (i + 1) for i in range(len(names))]})


def journey_plots() -> dict[str, Plot]:
    """The map and every focused plot, drawn from one journey, by name."""
    from cjm_jupyter.plots.compare import compare_journeys, compare_personas
    from cjm_jupyter.plots.emotion import emotion_curve
    from cjm_jupyter.plots.flow import flow
    from cjm_jupyter.plots.graph import interaction_graph
    from cjm_jupyter.plots.heatmap import touchpoint_heatmap

    return {
        "map": lambda j: j.plot(),
        "emotion_curve": emotion_curve,
        "emotion_curve_by_stage": lambda j: emotion_curve(j, by="stage"),
        "heatmap": touchpoint_heatmap,
        "heatmap_count": lambda j: touchpoint_heatmap(j, value="count"),
        "funnel": lambda j: funnel_chart(stage_counts(j)),
        "flow": lambda j: flow(transitions(j), journey=j),
        "interaction_graph": lambda j: interaction_graph(transitions(j), journey=j),
        "compare_personas": compare_personas,
        "compare_personas_bars": lambda j: compare_personas(j, kind="bars"),
        "compare_journeys": lambda j: compare_journeys(j, j.copy()),
    }


def applicable(journey: Journey) -> Iterator[tuple[str, UIElement]]:
    """(name, model) of every plot that applies to ``journey``.

    A plot that does not apply (no emotions for a curve, no stages in an empathy
    map...) raises ValidationError, which the plot tests pin; here it is skipped.
    """
    for name, plot in journey_plots().items():
        try:
            model = plot(journey)
        except ValidationError:
            continue
        yield name, model


def doc_strings(page_html: str) -> list[str]:
    """Every string inside the Bokeh document JSON embedded in a saved page."""
    blocks = re.findall(r'<script type="application/json" id="[^"]+">\s*(.*?)\s*</script>', page_html, re.S)
    assert blocks, "no Bokeh document JSON in the page"
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for block in blocks:
        walk(json.loads(html.unescape(block)))
    return found


# -- every template ---------------------------------------------------------------------
@pytest.mark.parametrize("name", templates.names())
def test_every_plot_of_a_template_renders_offline(
    name: str, tmp_path: Path, open_offline: Callable[..., OfflinePage]
) -> None:
    journey = templates.load(name)
    pages = []
    for plot_name, model in applicable(journey):
        # The map is saved from the journey itself: save_html draws it with journey.plot().
        path = save_html(journey if plot_name == "map" else model, tmp_path / f"{plot_name}.html")
        # Chromium renders this page while the next plot is built.
        pages.append((plot_name, open_offline(path, wait=False)))
    names = [plot_name for plot_name, _ in pages]
    assert names[:1] == ["map"], "the map draws for every template"
    if name == "colleen":
        assert names == list(journey_plots()), "the worked example feeds every plot"
    for plot_name, page in pages:
        page.wait_for_bokeh()
        page.assert_clean()
        ink = page.assert_drawn()
        if plot_name == "map" and not journey.emotions.empty:
            assert ink.colour > 1_000, f"the emotion lane of the map has no colour: {ink}"
    assert pages[0][1].page.title() == "Customer journey map"


# -- user text cannot run as code ------------------------------------------------------------
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=2</script>"


def hostile_journey() -> Journey:
    j = Journey(f"Map {SCRIPT}", scenario=IMG, description=SCRIPT)
    evil = j.add_persona(SCRIPT, goals=IMG)
    other = j.add_persona(f"Other {IMG}")
    stage = j.add_stage(IMG, description=SCRIPT)
    second = j.add_stage(f"Next {SCRIPT}")
    first = j.add_touchpoint(stage, f"Touch {IMG}", channel=SCRIPT, action=IMG, owner=SCRIPT)
    later = j.add_touchpoint(second, SCRIPT, channel=IMG)
    for persona, score in ((evil, -2), (other, 1)):
        j.set_emotion(persona, touchpoint=first, score=score, feeling=IMG, thought=SCRIPT)
        j.set_emotion(persona, touchpoint=later, score=-score, feeling=SCRIPT, thought=IMG, source=SCRIPT)
    pain = j.add_pain_point(SCRIPT, touchpoint=first, persona=evil, severity=5, evidence=IMG)
    opp = j.add_opportunity(IMG, touchpoint=first, pain_point=pain, impact=4, effort=2)
    j.add_action(SCRIPT, owner=IMG, opportunity=opp, stage=stage)
    j.add_metric(IMG, 0.5, stage=stage, unit=SCRIPT, segment=IMG)
    j.add_metric("customers", 900, stage=stage, segment=SCRIPT)
    j.add_metric("customers", 300, stage=second, segment=SCRIPT)
    j.add_metric(SCRIPT, 3, touchpoint=first, persona=evil, unit=IMG)
    j.add_empathy(evil, "says", SCRIPT)
    j.add_lane(SCRIPT, {stage: IMG, second: SCRIPT})
    return j


def test_hostile_text_is_shown_as_text_in_every_plot(
    tmp_path: Path, open_offline: Callable[..., OfflinePage]
) -> None:
    journey = hostile_journey()
    plots = dict(applicable(journey))
    assert set(plots) == set(journey_plots()), "every plot applies to the hostile journey"
    plots["funnel_from_metrics"] = funnel_chart(journey)  # segments come from the metrics frame
    pages = []
    for plot_name, model in plots.items():
        path = save_html(model, tmp_path / f"{plot_name}.html", title=SCRIPT)
        strings = doc_strings(path.read_text(encoding="utf-8"))
        assert any(IMG in s or SCRIPT in s for s in strings), (
            f"{plot_name}: hostile text missing from the document"
        )
        pages.append((plot_name, open_offline(path, wait=False)))
    shown: dict[str, set[str]] = {}
    for plot_name, page in pages:
        page.wait_for_bokeh()
        shown[plot_name] = page.hover_glyphs()
        page.assert_clean()
        assert page.page.evaluate("window.__pwned") is None, plot_name
        assert page.page.locator('img[src="x"]').count() == 0, plot_name
        assert page.page.title() == SCRIPT
    # The hover shows the hostile text, literally (markup as characters, not elements).
    assert any(IMG in t or SCRIPT in t for t in shown["emotion_curve"]), shown["emotion_curve"]
    assert any(IMG in t or SCRIPT in t for t in shown["map"]), shown["map"]
