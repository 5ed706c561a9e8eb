"""What a living map still needs: review, validation, fresh measurements.

:func:`review` lists findings, one row each:

* ``stale``: the journey was last reviewed (meta ``reviewed_at``; when never
  reviewed, its last change ``updated_at``) more than ``stale_after`` calendar
  months before ``today``, or has neither date;
* ``assumed``: an emotion, pain point or metric with ``basis="assumed"``, no
  ``evidence`` and no measured counterpart at the same place (same
  ``stage_id`` and ``touchpoint_id``). The counterpart of an emotion is a
  measured emotion of the same persona or of all personas (survey rows); of a
  metric, a measured metric of the same name (case and whitespace folded) and
  segment; of a pain point, any measured metric or emotion there;
* ``persona not validated``: a persona without ``validated_at``;
* ``metric outdated``: the latest row of a metric series (same name, place,
  persona and segment) whose period is older than the latest period of any
  metric, i.e. a value the last measurement did not renew. Earlier rows of a
  series that was measured again are its history, not findings; rows without
  a period are not dated, so never outdated.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ValidationError
from .goals import _names, _none, metric_key
from .history import latest_period, period_sort_key

if TYPE_CHECKING:
    from .core import JourneyCore

__all__ = ["review", "REVIEW_COLUMNS", "FINDINGS"]

#: Columns of :func:`review`, in order.
REVIEW_COLUMNS = ("finding", "frame", "row_id", "name", "message")
#: The kinds of finding, in the order :func:`review` lists them.
FINDINGS = ("stale", "assumed", "persona not validated", "metric outdated")


def review(journey: JourneyCore, *, stale_after: int = 12, today: date | str | None = None) -> pd.DataFrame:
    """Return what still needs validating or renewing, one row per finding.

    Parameters
    ----------
    journey : Journey
        The journey to review.
    stale_after : int
        Months after the last review (or, never reviewed, the last change)
        after which the journey is stale. The guides suggest a yearly review.
    today : date or str, optional
        The day to review on (ISO ``"2026-12-03"``); default: today (the local date).
        Pass it to get the same findings every day, as tests do.

    Returns
    -------
    DataFrame
        Columns ``finding`` (one of :data:`FINDINGS`), ``frame``
        (``"meta"`` for the journey itself), ``row_id``, ``name`` (a
        readable label of the row) and ``message``. Empty when nothing needs
        attention. See the module notes for the rules.

    Raises
    ------
    ValidationError
        For a ``stale_after`` that is not a whole number of months >= 0, or a
        ``today`` that is not a date.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> _ = j.add_persona("Curious Colleen")
    >>> _ = j.mark_reviewed("2026-01-15")
    >>> j.review(today="2026-03-01")[["finding", "name"]].to_dict("records")
    [{'finding': 'persona not validated', 'name': 'Curious Colleen'}]
    """
    if isinstance(stale_after, bool) or not isinstance(stale_after, int) or stale_after < 0:
        raise ValidationError(
            "must be a whole number of months >= 0", column="stale_after", value=stale_after, has_value=True
        )
    day = _today(today)
    labels = _Labels(journey)
    rows = [
        *_stale(journey, stale_after, day),
        *_assumed(journey, labels),
        *_personas(journey),
        *_outdated(journey, labels),
    ]
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS)).astype("string")


# -- findings --------------------------------------------------------------------


def _finding(finding: str, frame: str, row_id: Any, name: Any, message: str) -> dict[str, Any]:
    return {"finding": finding, "frame": frame, "row_id": row_id, "name": name, "message": message}


def _stale(journey: JourneyCore, months: int, today: date) -> list[dict[str, Any]]:
    meta = journey.meta
    reviewed = _as_date(meta.get("reviewed_at"))
    changed = _as_date(meta.get("updated_at"))
    since = reviewed or changed
    name = meta.get("name")
    if since is None:
        return [_finding("stale", "meta", None, name, "never reviewed, and no date of its last change")]
    due = (pd.Timestamp(since) + pd.DateOffset(months=months)).date()  # clamps 31 Jan + 1 month
    if today <= due:
        return []
    ago = (today.year - since.year) * 12 + today.month - since.month - (today.day < since.day)
    what = f"last reviewed on {since}" if reviewed else f"never reviewed; last changed on {since}"
    return [_finding("stale", "meta", None, name, f"{what}, {ago} months ago (review every {months} months)")]


def _assumed(journey: JourneyCore, labels: _Labels) -> list[dict[str, Any]]:
    emotions = journey.frame("emotions")
    metrics = journey.frame("metrics")
    measured_emotions = emotions[(emotions["basis"] == "measured").fillna(False).to_numpy(dtype=bool)]
    measured_metrics = metrics[(metrics["basis"] == "measured").fillna(False).to_numpy(dtype=bool)]
    measured_places = {_place(r) for r in _records(measured_emotions)} | {
        _place(r) for r in _records(measured_metrics)
    }
    emotion_keys = {(_place(r), r["persona_id"]) for r in _records(measured_emotions)}
    metric_keys = {(_place(r), metric_key(r["name"]), r["segment"]) for r in _records(measured_metrics)}

    def backed(frame: str, row: dict[str, Any]) -> bool:
        if frame == "emotions":
            return (_place(row), row["persona_id"]) in emotion_keys or (_place(row), None) in emotion_keys
        if frame == "metrics":
            return (_place(row), metric_key(row["name"]), row["segment"]) in metric_keys
        return _place(row) in measured_places

    out = []
    frames = {"emotions": emotions, "pain_points": journey.frame("pain_points"), "metrics": metrics}
    for frame, df in frames.items():
        for row in _records(df):
            if row["basis"] != "assumed" or row.get("evidence") is not None or backed(frame, row):
                continue
            message = f"assumed (source {row['source']!r}), without evidence: {labels.missing(frame, row)}"
            out.append(_finding("assumed", frame, row["id"], labels.row(frame, row), message))
    return out


def _personas(journey: JourneyCore) -> list[dict[str, Any]]:
    out = []
    for row in _records(journey.frame("personas")):
        if row.get("validated_at") is None:
            out.append(
                _finding(
                    "persona not validated",
                    "personas",
                    row["id"],
                    row["name"],
                    "never validated with real customers (set validated_at when it is)",
                )
            )
    return out


def _outdated(journey: JourneyCore, labels: _Labels) -> list[dict[str, Any]]:
    rows = [r for r in _records(journey.frame("metrics")) if r["period"] is not None]
    if not rows:
        return []
    latest_label = latest_period(r["period"] for r in rows)
    latest_key = period_sort_key(latest_label)
    series: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:  # the last row of the latest period of each series stands for it
        key = (metric_key(row["name"]), _place(row), row["persona_id"], row["segment"])
        held = series.get(key)
        if held is None or period_sort_key(row["period"]) >= period_sort_key(held["period"]):
            series[key] = row
    out = []
    for row in series.values():
        if period_sort_key(row["period"]) < latest_key:
            out.append(
                _finding(
                    "metric outdated",
                    "metrics",
                    row["id"],
                    labels.row("metrics", row),
                    f"last measured in {row['period']}; the latest period is {latest_label}",
                )
            )
    return sorted(out, key=lambda f: labels.position[f["row_id"]])


# -- labels and helpers ------------------------------------------------------------------


class _Labels:
    """Readable names of places and rows, from the journey's own names."""

    def __init__(self, journey: JourneyCore) -> None:
        self.stages = _names(journey.frame("stages"))
        self.touchpoints = _names(journey.frame("touchpoints"))
        self.personas = _names(journey.frame("personas"))
        metrics = journey.frame("metrics")
        self.position = dict(zip(metrics["id"], range(len(metrics)), strict=True))

    def place(self, row: dict[str, Any]) -> str:
        tp, stage = row.get("touchpoint_id"), row.get("stage_id")
        if tp is not None:
            return f"touchpoint {self.touchpoints.get(tp, tp)!r}"
        if stage is not None:
            return f"stage {self.stages.get(stage, stage)!r}"
        return "journey level"

    def missing(self, frame: str, row: dict[str, Any]) -> str:
        """Return what an assumed row lacks: the measured counterpart :func:`_assumed` looked for."""
        where = self.place(row)
        if frame == "emotions":
            persona = row["persona_id"]
            who = "" if persona is None else f" of {self.personas.get(persona, persona)!r} or of all personas"
            return f"no measured emotion{who} at {where}"
        if frame == "metrics":
            segment = "" if row["segment"] is None else f" for segment {row['segment']!r}"
            return f"no measured {row['name']!r}{segment} at {where}"
        return f"nothing measured at {where}"

    def row(self, frame: str, row: dict[str, Any]) -> str:
        if frame == "pain_points":
            return str(row["description"])
        where = self.touchpoints.get(row["touchpoint_id"]) or self.stages.get(row["stage_id"])
        if frame == "emotions":
            who = self.personas.get(row["persona_id"], "all personas")
            return f"{who} at {where}"
        label = str(row["name"]) if where is None else f"{row['name']} at {where}"
        return label if row["segment"] is None else f"{label} ({row['segment']})"


def _place(row: dict[str, Any]) -> tuple[Any, Any]:
    return row.get("stage_id"), row.get("touchpoint_id")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _today(today: date | str | None) -> date:
    if today is None:
        return date.today()
    day = _as_date(today)
    if day is None:
        raise ValidationError(
            "must be a date or an ISO date text", column="today", value=today, has_value=True
        )
    return day


def _as_date(value: Any) -> date | None:
    """Return a date from a date, a datetime or ISO text (``"2026-11-30"``, ``"2026-12-03T13:05:00Z"``)."""
    value = _none(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            return None
    return None
