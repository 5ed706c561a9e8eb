"""``measure()`` on the hand-computed outcome log, for the measure tests of tests/analytics/."""

from __future__ import annotations

import warnings

from cjm_jupyter import Journey
from cjm_jupyter.analytics import measure

from .analytics import MAPPING, make_journey
from .analytics_outcomes import outcome_log

PERIOD = "2024-Q1"


def journey() -> Journey:
    j = make_journey().copy()  # make_journey() is cached and shared: measure writes to this one
    for tp in sorted(set(MAPPING.values())):
        j.map_events(tp, [e for e, t in MAPPING.items() if t == tp])
    return j


def run(j, events=None, answers=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return measure(outcome_log() if events is None else events, j, answers, period=PERIOD, **kw)
