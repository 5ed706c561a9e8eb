"""Journey analytics: the map's stages and touchpoints measured on an event log.

A log read many times is best prepared once: :class:`EventLog` (checked,
profiled and copied once; the analysis tables cached until it is closed) is
accepted wherever raw events are. Functions: :func:`analyze`
(several metrics in one pass over the log), :func:`funnel`,
:func:`funnel_flow` (the funnel as a flow, with who left),
:func:`transitions`, :func:`stage_times`, :func:`stage_durations`,
:func:`variants`, :func:`exits` (where customers leave without reaching the
goal; :func:`bounces` is its deprecated older form), :func:`customer_profiles` (one row per
customer, for segmenting customers by behaviour), :func:`step_times` (one row
per customer and funnel step pair), :func:`sessionize` (:mod:`.sessions`),
:func:`satisfaction` (:mod:`.satisfaction`),
:func:`measure`; segments compared with tests and intervals: :func:`compare_segments`
(:mod:`.compare`, :mod:`.stats`; the ``stats`` extra); business outcomes:
:func:`retention`, :func:`retention_cohorts`, :func:`revenue`, :func:`nps`,
:func:`top_two_box` (:mod:`.outcomes`, :mod:`.satisfaction`); seeded sample data:
:func:`make_events`, :func:`make_surveys`;
see :mod:`cjm_jupyter.analytics.metrics` for the shared conventions.
"""

from .analysis import analyze
from .compare import compare_segments
from .eventlog import EventLog
from .measure import measure
from .metrics import (
    bounces,
    customer_profiles,
    exits,
    funnel,
    funnel_flow,
    stage_durations,
    stage_times,
    step_times,
    transitions,
    variants,
)
from .outcomes import retention, retention_cohorts, revenue
from .sample import make_events, make_surveys
from .satisfaction import nps, satisfaction, top_two_box
from .sessions import sessionize

__all__ = [
    "EventLog",
    "analyze",
    "funnel",
    "funnel_flow",
    "transitions",
    "stage_times",
    "stage_durations",
    "variants",
    "exits",
    "bounces",
    "customer_profiles",
    "step_times",
    "satisfaction",
    "nps",
    "top_two_box",
    "sessionize",
    "measure",
    "compare_segments",
    "retention",
    "retention_cohorts",
    "revenue",
    "make_events",
    "make_surveys",
]
