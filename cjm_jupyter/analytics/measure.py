"""Attach measured values to a journey: the metrics lane and measured emotion rows."""

from __future__ import annotations

import math
import warnings
from typing import Any, Literal

import pandas as pd

from ..errors import ValidationError
from ._inputs import prepare_events
from ._warn import warn_user
from .analysis import analyze
from .satisfaction import read_surveys, satisfaction

__all__ = ["measure", "METRIC_SOURCE", "SURVEY_SOURCE"]

#: ``source`` of the metric rows written by :func:`measure`.
METRIC_SOURCE = "analytics"
#: ``source`` of the emotion rows written by :func:`measure`.
SURVEY_SOURCE = "survey"

_METRICS = ("funnel", "bounces")


def _is_measured(frame: pd.DataFrame, source: str) -> pd.Series:
    return ((frame["source"] == source) & (frame["basis"] == "measured")).fillna(False).astype(bool)


def _check_respondents(
    events: Any, surveys: pd.DataFrame, *, respondent: str, customer: str, time: str, event: str
) -> int:
    """How many survey respondents appear in the event log; warn when none does.

    ``surveys`` comes from ``read_surveys``, which has checked the ``respondent`` column.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the log's warnings came with the analysis
        src = prepare_events(events, customer=customer, time=time, event=event)
    # The projection is the engine's own spelling, so this runs on any engine.
    log_ids = src.query(f"SELECT DISTINCT customer_id FROM ({src.projection()}) e")["customer_id"]
    answered = set(surveys[respondent].dropna().astype(str))
    matched = len(answered & set(log_ids.astype(str)))
    if answered and not matched:
        warn_user(
            f"none of the {len(answered)} respondents in the survey column {respondent!r} appears in the "
            f"event log's {customer!r} column: are they the same kind of id?"
        )
    return matched


def _stage_rows(fun: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``customers`` and ``conversion`` metric rows per stage (per segment)."""
    rows = []
    groups = fun.groupby("segment", sort=False) if segment else [(None, fun)]
    for seg, part in groups:
        prev = None
        for row in part.itertuples(index=False):
            n = int(row.customers)
            common = {"stage": row.stage_id, "segment": seg}
            rows.append({"name": "customers", "value": float(n), "unit": "customers", "n": n, **common})
            if prev and not math.isnan(row.conversion):
                conv = float(row.conversion)
                rows.append({"name": "conversion", "value": conv, "unit": "ratio", "n": prev, **common})
            prev = n
    return rows


def _touchpoint_rows(bounce: pd.DataFrame, segment: str | None) -> list[dict[str, Any]]:
    """``bounce rate`` metric rows per visited touchpoint (per segment)."""
    visited = bounce[bounce["customers"] > 0]
    return [
        {
            "name": "bounce rate",
            "value": float(row.bounce_rate),
            "unit": "ratio",
            "n": int(row.customers),
            "touchpoint": row.touchpoint_id,
            "segment": row.segment if segment else None,  # the column exists only then
        }
        for row in visited.itertuples(index=False)
    ]


def measure(
    journey: Any,
    events: Any,
    surveys: Any = None,
    *,
    mapping: Any = None,
    scale: Any = "csat",
    segment: str | None = None,
    survey_level: Literal["touchpoint", "stage"] = "touchpoint",
    customer: str = "customer_id",
    time: str = "timestamp",
    event: str = "event",
    score: str = "score",
    touchpoint: str = "touchpoint_id",
    respondent: str | None = None,
    progress: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Measure ``journey`` on an event log (and surveys) and attach the results to it.

    Writes metric rows (``source="analytics"``, ``basis="measured"``):

    * per stage, ``customers`` (unit ``"customers"``, ``n`` = that count;
      first-reach semantics of :func:`~cjm_jupyter.analytics.funnel`) and
      ``conversion`` from the previous stage (unit ``"ratio"``, ``n`` = the
      previous stage's customers; none for the first stage or after a stage
      with no customers);
    * per visited touchpoint, ``bounce rate`` (unit ``"ratio"``: customers
      whose last event is there / customers with an event there = ``n``; see
      :func:`~cjm_jupyter.analytics.bounces`).

    With ``segment="<log column>"`` the same rows are written once for all
    customers (``segment`` empty) and once per segment (``segment`` = its
    value), so the map can show any of them.

    With ``surveys``, one emotion row per touchpoint (``survey_level=
    "touchpoint"``) or stage (``"stage"``) that has answers (``persona=None``,
    ``source="survey"``, ``basis="measured"``, ``score`` = mean on the
    emotion scale, ``n``; see :func:`~cjm_jupyter.analytics.satisfaction`).
    ``respondent`` names the survey's customer column: the respondents are
    matched against the log's customers and a warning says so when none of
    them appears there (``results["satisfaction"].attrs["matched_respondents"]``).

    Re-running **replaces** the rows from an earlier run: every metric row
    with source ``"analytics"`` and basis ``"measured"`` and, when
    ``surveys`` is given, every emotion row with source ``"survey"``, basis
    ``"measured"`` and no persona is removed first (without ``surveys`` the
    measured emotions are left as they are). Everything is computed before
    the journey is touched, and the change is one ``journey.batch()``: on any
    error the journey is unchanged and observers see one change.

    ``mapping=None`` uses the journey's own ``event_map``. ``customer``,
    ``time``, ``event``, ``segment`` name the log's columns; ``score``,
    ``touchpoint`` and ``respondent`` the survey's. ``progress`` as in
    :func:`~cjm_jupyter.analytics.analyze`. The events and surveys may be any
    input the metrics take, a PySpark DataFrame included.

    Returns
    -------
    dict
        The tables the rows were written from: ``"funnel"`` and
        ``"bounces"``, with ``segment=`` also ``"funnel_by_segment"`` and
        ``"bounces_by_segment"``, and ``"satisfaction"`` with surveys.
    """
    if survey_level not in ("touchpoint", "stage"):
        raise ValidationError("survey_level must be 'touchpoint' or 'stage'", value=survey_level)
    cols = {"mapping": mapping, "customer": customer, "time": time, "event": event, "progress": progress}
    # funnel and bounces share one analysis pass (one scan and sort of the log). The
    # segment split is a second pass rather than summing segments into overall rows
    # in pandas, which would be a second definition of the funnel's ratios.
    results = analyze(events, journey, metrics=_METRICS, **cols)
    rows = _stage_rows(results["funnel"], None) + _touchpoint_rows(results["bounces"], None)
    if segment is not None:
        with warnings.catch_warnings():
            # the same log and mapping: its warnings (unmapped, null ids) came with the first pass
            warnings.simplefilter("ignore", UserWarning)
            by_seg = analyze(events, journey, metrics=_METRICS, segment=segment, **cols)
        rows += _stage_rows(by_seg["funnel"], segment) + _touchpoint_rows(by_seg["bounces"], segment)
        results.update({f"{k}_by_segment": v for k, v in by_seg.items()})
    sat = None
    if surveys is not None:
        answers = read_surveys(surveys, {"score": score, "touchpoint": touchpoint, "respondent": respondent})
        sat = satisfaction(
            answers, journey, scale=scale, score=score, touchpoint=touchpoint, level=survey_level
        )
        if respondent is not None:
            sat.attrs["matched_respondents"] = _check_respondents(
                events, answers, respondent=respondent, customer=customer, time=time, event=event
            )
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
        for row in rows:
            name, value = row.pop("name"), row.pop("value")
            journey.add_metric(name, value, source=METRIC_SOURCE, basis="measured", **row)
        if sat is not None:
            place = "touchpoint" if survey_level == "touchpoint" else "stage"
            for row in sat[sat["n"] > 0].itertuples(index=False):
                journey.set_emotion(
                    None, score=float(row.mean), source=SURVEY_SOURCE, basis="measured", n=int(row.n),
                    **{place: getattr(row, f"{place}_id")},
                )  # fmt: skip
    return results
