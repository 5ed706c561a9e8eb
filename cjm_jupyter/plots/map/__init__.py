"""The journey map: a swimlane picture of a whole journey.

Modules, one job each:

- :mod:`.grid`: the x slots of stages and touchpoints, text measuring and wrapping, card stacking;
- :mod:`.lanes`: the lane figures (titles, stage bands), the stage header and the touchpoints lane;
- :mod:`.cards`: text-card lanes (customer actions, thoughts, pain points, opportunities, custom lanes);
- :mod:`.emotions`: the emotion curves, one per persona or segment;
- :mod:`.metrics`: the metric cards of one period, with deltas, targets and intervals;
- :mod:`.progress`: the action plan with its per-stage progress bar;
- :mod:`.frames`: the journey's frames filtered once for the personas, segment and period shown;
- :mod:`.registry`: the built-in lanes, in order, with what each needs and how it is built;
- :mod:`.build`: :func:`journey_map`, which puts the lanes together.
"""

from .build import LANE_TITLES, LANES, journey_map

__all__ = ["LANES", "LANE_TITLES", "journey_map"]
