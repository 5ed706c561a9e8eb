"""Render every template's journey map, and the focused plots of the worked example, to PNG.

Run with ``python examples/make_screenshots.py [OUTPUT_FOLDER]`` (default:
``examples/screenshots``). It needs Chromium, ChromeDriver and selenium (see
:mod:`cjm_jupyter.plots.export`); nothing is downloaded.

Files: ``map-<template>.png`` for each template, and ``colleen-<plot>.png``
for the emotion curve, heat map, funnel, flow, interaction graph and the two
comparisons. The funnel and the flows need event data a template does not
hold; small made-up tables stand in for it here.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import cjm_jupyter as cjm
from cjm_jupyter.plots.compare import compare_journeys, compare_personas
from cjm_jupyter.plots.emotion import emotion_curve
from cjm_jupyter.plots.export import export_png
from cjm_jupyter.plots.flow import flow
from cjm_jupyter.plots.funnel_chart import funnel_chart
from cjm_jupyter.plots.graph import interaction_graph
from cjm_jupyter.plots.heatmap import touchpoint_heatmap

DEFAULT_OUT = Path(__file__).resolve().parent / "screenshots"


def made_up_transitions(journey: cjm.Journey) -> pd.DataFrame:
    """Customers moving from touchpoint to touchpoint, thinning out, and some going back."""
    ids = journey.touchpoints["id"].tolist()
    rows = [(a, b, max(1000 - 70 * i, 20)) for i, (a, b) in enumerate(itertools.pairwise(ids))]
    rows.append((ids[3], ids[1], 120))  # back from the reviews to searching again
    return pd.DataFrame(rows, columns=["source", "target", "count"])


def made_up_funnel(journey: cjm.Journey) -> pd.DataFrame:
    """Customers reaching each stage of the journey."""
    names = journey.stages["name"].tolist()
    return pd.DataFrame({"stage": names, "customers": [10_000, 6_200, 1_900, 1_750, 1_400][: len(names)]})


def focused_plots(colleen: cjm.Journey, future: cjm.Journey) -> dict[str, Callable[[], Any]]:
    moves = made_up_transitions(colleen)
    return {
        "emotion-curve": lambda: emotion_curve(colleen),
        "heatmap": lambda: touchpoint_heatmap(colleen),
        "funnel": lambda: funnel_chart(made_up_funnel(colleen)),
        "flow": lambda: flow(moves, journey=colleen),
        "interaction-graph": lambda: interaction_graph(moves, journey=colleen),
        "compare-personas": lambda: compare_personas(colleen, kind="bars"),
        "compare-journeys": lambda: compare_journeys(colleen, future),
    }


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in cjm.templates.names():
        written.append(export_png(cjm.templates.load(name), out / f"map-{name}.png"))
        print(f"wrote {written[-1]}")
    colleen, future = cjm.templates.load("colleen"), cjm.templates.load("colleen_future")
    for name, plot in focused_plots(colleen, future).items():
        written.append(export_png(plot(), out / f"colleen-{name}.png"))
        print(f"wrote {written[-1]}")
    largest = max(written, key=lambda p: p.stat().st_size)
    print(f"{len(written)} images; largest {largest.name}: {largest.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
