"""Attach measured values to a journey: the metrics lane and measured emotion rows."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .metrics import funnel
from .satisfaction import satisfaction

__all__ = ["measure", "METRIC_SOURCE", "SURVEY_SOURCE"]

#: ``source`` of the metric rows written by :func:`measure`.
METRIC_SOURCE = "analytics"
#: ``source`` of the emotion rows written by :func:`measure`.
SURVEY_SOURCE = "survey"


def _is_measured(frame: pd.DataFrame, source: str) -> pd.Series:
    return ((frame["source"] == source) & (frame["basis"] == "measured")).fillna(False).astype(bool)


def measure(
    journey: Any,
    events: Any,
    surveys: Any = None,
    *,
    mapping: Any = None,
    scale: Any = "csat",
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    score: str = "score",
    touchpoint: str = "touchpoint_id",
) -> dict[str, pd.DataFrame]:
    """Measure ``journey`` on an event log (and surveys) and attach the results to it.

    Writes, per stage, two metric rows (``source="analytics"``,
    ``basis="measured"``): ``customers`` (unit ``"customers"``, ``n`` = that
    count; first-reach semantics of :func:`~cjm_jupyter.analytics.funnel`) and
    ``conversion`` from the previous stage (unit ``"ratio"``, ``n`` = the
    previous stage's customers; none for the first stage or after a stage
    with no customers). With ``surveys``, one emotion row per touchpoint that
    has answers (``persona=None``, ``source="survey"``, ``basis="measured"``,
    ``score`` = mean on the emotion scale, ``n``; see
    :func:`~cjm_jupyter.analytics.satisfaction`).

    Re-running **replaces** the rows from an earlier run: every metric row
    with source ``"analytics"`` and basis ``"measured"`` and, when
    ``surveys`` is given, every emotion row with source ``"survey"``, basis
    ``"measured"`` and no persona is removed first (without ``surveys`` the
    measured emotions are left as they are). Everything is computed before
    the journey is touched, and the change is one ``journey.batch()``: on any
    error the journey is unchanged and observers see one change.

    ``customer``, ``time``, ``event`` name the log's columns; ``score`` and
    ``touchpoint`` the survey's.

    Returns
    -------
    dict
        ``{"funnel": DataFrame}`` plus ``"satisfaction"`` with surveys: the
        tables the rows were written from.
    """
    fun = funnel(events, journey, mapping=mapping, customer=customer, time=time, event=event)
    results = {"funnel": fun}
    sat = None
    if surveys is not None:
        sat = satisfaction(surveys, journey, scale=scale, score=score, touchpoint=touchpoint)
        results["satisfaction"] = sat
    with journey.batch():
        metrics = journey.metrics
        old = metrics.loc[_is_measured(metrics, METRIC_SOURCE), "id"].tolist()
        if old:
            journey.remove("metrics", old)
        if sat is not None:
            emo = journey.emotions
            old = emo.loc[_is_measured(emo, SURVEY_SOURCE) & emo["persona_id"].isna(), "id"].tolist()
            if old:
                journey.remove("emotions", old)
        prev = None
        for row in fun.itertuples(index=False):
            n = int(row.customers)
            journey.add_metric(
                "customers", float(n), stage=row.stage_id, unit="customers", n=n,
                source=METRIC_SOURCE, basis="measured",
            )  # fmt: skip
            if prev and not math.isnan(row.conversion):
                journey.add_metric(
                    "conversion", float(row.conversion), stage=row.stage_id, unit="ratio", n=prev,
                    source=METRIC_SOURCE, basis="measured",
                )  # fmt: skip
            prev = n
        if sat is not None:
            for row in sat[sat["n"] > 0].itertuples(index=False):
                journey.set_emotion(
                    None, score=float(row.mean), touchpoint=row.touchpoint_id, source=SURVEY_SOURCE,
                    basis="measured", n=int(row.n),
                )  # fmt: skip
    return results
