"""Colours and styling shared by every plot.

Palettes are colour-blind safe: Okabe-Ito (Bokeh's ``Colorblind``) for
categories such as channels and personas, and the diverging ``PuOr`` for the
emotion scale (orange = frustrated, purple = delighted; it avoids the
red/green pair). Figures keep an explicit light background, so they read the
same in JupyterLab's light and dark themes and in exported HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from bokeh.palettes import Colorblind, PuOr

from ..model.specs import EMOTION_SCALE

__all__ = [
    "BACKGROUND",
    "CATEGORY_PALETTE",
    "EMOTION_PALETTE",
    "FONT",
    "GRID",
    "MUTED",
    "TEXT",
    "category_colors",
    "emotion_color",
]

#: 8 Okabe-Ito colours; yellow (#F0E442) moved last because it is faint on white.
CATEGORY_PALETTE: tuple[str, ...] = (*(c for c in Colorblind[8] if c != "#F0E442"), "#F0E442")
#: 11 steps from frustrated (index 0, dark orange) to delighted (index 10, dark purple).
EMOTION_PALETTE: tuple[str, ...] = tuple(reversed(PuOr[11]))
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
