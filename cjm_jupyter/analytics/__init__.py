"""Journey analytics: the map's stages and touchpoints measured on an event log.

Needs the ``analytics`` extra (DuckDB). Functions: :func:`funnel`,
:func:`transitions`, :func:`stage_times`, :func:`variants`, :func:`bounces`;
see :mod:`cjm_jupyter.analytics.metrics` for the shared conventions.
"""

from .metrics import bounces, funnel, stage_times, transitions, variants

__all__ = ["funnel", "transitions", "stage_times", "variants", "bounces"]
