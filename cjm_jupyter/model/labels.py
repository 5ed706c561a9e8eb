"""Names shown to readers for things that have no name of their own.

One place, so the map, the focused plots and the editors say the same word
(the JS editors use the same literal; a test keeps them in step).
"""

from __future__ import annotations

__all__ = ["EMOTION_LABELS", "NO_PERSONA_LABEL", "LEFT_LABEL", "COMPLETED_LABEL"]

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
