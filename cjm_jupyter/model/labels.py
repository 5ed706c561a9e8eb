"""Names shown to readers for things that have no name of their own.

One place, so the map, the focused plots and the editors say the same word
(the JS editors use the same literal; a test keeps them in step).
"""

from __future__ import annotations

__all__ = ["EMOTION_LABELS", "NO_PERSONA_LABEL"]

#: What rows without a persona (``persona_id`` empty) are called: they hold
#: for every persona of the journey.
NO_PERSONA_LABEL = "All personas"

#: The words of the emotion scale (``emotions.score``, -2 .. +2), by score.
EMOTION_LABELS: dict[int, str] = {-2: "frustrated", 0: "indifferent", 2: "delighted"}
