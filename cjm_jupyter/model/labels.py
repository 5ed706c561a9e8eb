"""Names shown to readers for things that have no name of their own.

One place, so the map, the focused plots and the editors say the same word
(the JS editors use the same literal; a test keeps them in step).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["format_value", "EMOTION_LABELS", "NO_PERSONA_LABEL", "LEFT_LABEL", "COMPLETED_LABEL"]

#: What rows without a persona (``persona_id`` empty) are called: they hold
#: for every persona of the journey.
NO_PERSONA_LABEL = "All personas"

#: The words of the emotion scale (``emotions.score``, -2 .. +2), by score.
EMOTION_LABELS: dict[int, str] = {-2: "frustrated", 0: "indifferent", 2: "delighted"}

#: The flow's node for customers who left after the last funnel step they reached, short of
#: the goal (``analytics.funnel_flow``; ``plots.flow`` draws one under each stage gap).
LEFT_LABEL = "Left the journey"
#: The flow's node for customers who reached the goal.
COMPLETED_LABEL = "Completed"


def format_value(value: Any, unit: str) -> str:
    """Return a metric value as the map and its Excel sheet write it.

    Ratios as percentages; ``currency`` (``measure()``'s revenue) as a plain
    number with cents, since the model names no currency; a scale such as
    ``"1-5"`` in brackets; any other unit after the number; "—" for a missing
    value.

    Examples
    --------
    >>> format_value(0.6173, "ratio"), format_value(4.25, "1-5"), format_value(12000, "€")
    ('61.7%', '4.25 (1-5)', '12,000 €')
    >>> format_value(249.5, "currency"), format_value(None, "ratio")
    ('249.50', '—')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "—"
    value = float(value)
    if unit == "ratio":  # measure() writes conversion and exit rates as ratios
        return f"{value:.1%}"
    if unit == "currency":
        return f"{value:,.2f}"
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.3f}".rstrip("0").rstrip(".")
    if not unit:
        return text
    if unit in ("%", "‰"):
        return f"{text}{unit}"
    # A scale such as "1-5" reads as a range, not a unit.
    return f"{text} ({unit})" if unit[0].isdigit() else f"{text} {unit}"
