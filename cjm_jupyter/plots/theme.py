"""Colours and styling shared by every plot.

Palettes are colour-blind safe: Okabe-Ito (Bokeh's ``Colorblind``) for
categories such as channels and personas, and the diverging ``PuOr`` for the
emotion scale (orange = frustrated, purple = delighted; it avoids the
red/green pair). Figures keep an explicit light background, so they read the
same in JupyterLab's light and dark themes and in exported HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
from bokeh.palettes import Colorblind, PuOr

from ..model.specs import EMOTION_SCALE

if TYPE_CHECKING:
    from ..model import Journey

__all__ = [
    "BACKGROUND",
    "CATEGORY_PALETTE",
    "EMOTION_PALETTE",
    "FONT",
    "GRID",
    "MUTED",
    "PERSONA_PALETTE",
    "TEXT",
    "category_colors",
    "emotion_color",
    "journey_segments",
    "persona_colors",
    "segment_colors",
]

#: 8 Okabe-Ito colours; yellow (#F0E442) moved last because it is faint on white.
CATEGORY_PALETTE: tuple[str, ...] = (*(c for c in Colorblind[8] if c != "#F0E442"), "#F0E442")
#: 11 steps from frustrated (index 0, dark orange) to delighted (index 10, dark purple).
EMOTION_PALETTE: tuple[str, ...] = tuple(reversed(PuOr[11]))
#: Persona and segment colours: Okabe-Ito without its orange and vermillion, which the
#: emotion markers already use for "frustrated" (a persona line must not read as a score).
PERSONA_PALETTE: tuple[str, ...] = tuple(c for c in CATEGORY_PALETTE if c not in ("#E69F00", "#D55E00"))
BACKGROUND = "#ffffff"
TEXT = "#1f2328"
MUTED = "#6e7781"
GRID = "#d0d7de"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def emotion_color(score: float | None) -> str:
    """The palette colour of an emotion score (grey when missing)."""
    if score is None or score != score:  # NaN
        return MUTED
    low, high = EMOTION_SCALE
    t = min(max((float(score) - low) / (high - low), 0.0), 1.0)
    return EMOTION_PALETTE[round(t * (len(EMOTION_PALETTE) - 1))]


def category_colors(values: Sequence[str]) -> dict[str, str]:
    """A stable colour per distinct value, in first-seen order (cycling past 8)."""
    distinct = list(dict.fromkeys(values))
    return {v: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, v in enumerate(distinct)}


def persona_colors(journey: Journey) -> dict[str, str]:
    """The colour of each persona id: its position in the journey's personas frame.

    Every plot of a journey takes its persona colours from here, so a persona
    keeps its colour from one plot to the next and when ``personas=`` shows
    only some of them.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> persona_colors(templates.load("colleen"))
    {'curious-colleen': '#0072B2'}
    """
    ids = [str(i) for i in journey.personas["id"]]
    return {pid: PERSONA_PALETTE[i % len(PERSONA_PALETTE)] for i, pid in enumerate(ids)}


def journey_segments(journey: Journey) -> list[str]:
    """Sorted distinct segment values of the journey's metrics and emotions (empty when none)."""
    values: set[str] = set()
    for frame in (journey.metrics, journey.emotions):
        if "segment" in frame.columns:
            kept = frame["segment"].dropna().astype(str).str.strip()
            values.update(v for v in kept if v)
    return sorted(values)


def segment_colors(journey_or_values: Journey | Iterable[object]) -> dict[str, str]:
    """The colour of each segment value: its rank among the sorted distinct values.

    Given a journey, the values are those of its metrics and emotions
    ``segment`` columns; given values (e.g. a funnel frame's segment column),
    those values. Sorting, not first-seen order, is what makes the colour
    the same in every plot that shows the same segments.
    """
    if hasattr(journey_or_values, "personas"):
        values = journey_segments(journey_or_values)  # type: ignore[arg-type]
    else:
        series = pd.Series(list(journey_or_values), dtype=object).dropna().astype(str)
        values = sorted({v for v in series if v.strip()})
    return {v: PERSONA_PALETTE[i % len(PERSONA_PALETTE)] for i, v in enumerate(values)}
