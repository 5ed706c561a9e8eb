"""Rank a journey's pain points and opportunities: what to fix first.

Scores (every number on the map's own scales, so they can be checked by hand):

* **weight** of a place: the customers measured at its stage in the latest
  period of stage-level ``customers`` metric rows (as :meth:`Journey.measure`
  writes them; all customers, no segment, no persona), divided by the largest
  stage count of that period. A touchpoint weighs as its stage. The first
  stage of a funnel weighs 1.0, a stage half the customers reach 0.5, a stage
  nobody reaches 0. Without any ``customers`` row, or for a stage without one
  in that period, the weight is 1 (no measurement, no discount).
* **pain point** score: ``severity * frequency * weight`` (0..25).
* **opportunity** score: ``impact / effort`` (0.2..5) plus ``pain_weight``,
  the addressed pain point's score divided by 25 (0..1): the opportunity's
  ratio, nudged up by how much the pain it removes weighs; ``pain_weight`` is
  0 without a ``pain_point_id``. An opportunity's own place does not weigh
  (its pain point's does), so its ``weight`` column is empty.
* An unrated scale counts as its least urgent value (severity, frequency and
  impact 1, effort 5), so an unrated row never outranks a rated one; the
  rating columns still show it missing.

Ranks are 1 for the highest score, per kind; equal scores share the best rank
(1, 2, 2, 4) and keep the frames' order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from .goals import _names, _none, metric_key
from .history import period_sort_key

if TYPE_CHECKING:
    from .core import JourneyCore

__all__ = ["priorities", "stage_weights", "PRIORITY_COLUMNS"]

#: Columns of :func:`priorities`, in order.
PRIORITY_COLUMNS = (
    "kind",
    "rank",
    "score",
    "id",
    "description",
    "stage_id",
    "stage",
    "touchpoint_id",
    "touchpoint",
    "severity",
    "frequency",
    "impact",
    "effort",
    "pain_point_id",
    "customers",
    "weight",
    "pain_weight",
)

# The least urgent value of each 1-5 scale: what an unrated scale counts as.
_UNRATED = {"severity": 1, "frequency": 1, "impact": 1, "effort": 5}
_MAX_PAIN = 25.0  # severity 5 x frequency 5 x weight 1


def priorities(journey: JourneyCore) -> pd.DataFrame:
    """Pain points and opportunities ranked by how much fixing them matters.

    Parameters
    ----------
    journey : Journey
        The journey to rank.

    Returns
    -------
    DataFrame
        One row per pain point (``kind="pain point"``) then one per
        opportunity (``kind="opportunity"``), each kind sorted by ``rank``.
        Columns: ``kind``, ``rank``, ``score``, ``id``, ``description``,
        ``stage_id``, ``stage`` (a touchpoint's stage for touchpoint rows),
        ``touchpoint_id``, ``touchpoint``, the ratings (``severity``,
        ``frequency``, ``impact``, ``effort``), ``pain_point_id``,
        ``customers`` (measured at the stage, when known), ``weight`` (pain
        points) and ``pain_weight`` (opportunities): every input of the
        score, so a row can be checked by hand. See the module notes.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> s = j.add_stage("Research")
    >>> p = j.add_pain_point("Hard to compare", stage=s, severity=4, frequency=3, source="survey")
    >>> _ = j.add_opportunity("Comparison chart", stage=s, pain_point=p, impact=4, effort=2)
    >>> j.priorities()[["kind", "rank", "score"]].to_dict("records")
    [{'kind': 'pain point', 'rank': 1, 'score': 12.0}, {'kind': 'opportunity', 'rank': 1, 'score': 2.48}]
    """
    weights, customers = stage_weights(journey)
    stage_names = _names(journey.frame("stages"))
    touchpoints = journey.frame("touchpoints")
    tp_names = _names(touchpoints)
    tp_stage = dict(zip(touchpoints["id"], touchpoints["stage_id"], strict=True))

    def place(row: dict[str, Any]) -> dict[str, Any]:
        # every row here is a pain point's or an opportunity's: both frames have the two columns
        tp = row["touchpoint_id"]
        stage = _at(tp_stage, tp) if tp is not None else row["stage_id"]
        return {
            "stage_id": stage,
            "stage": _at(stage_names, stage),
            "touchpoint_id": tp,
            "touchpoint": _at(tp_names, tp),
            "customers": _at(customers, stage),
            "weight": _at(weights, stage, 1.0),
        }

    pains = []
    for row in _records(journey.frame("pain_points")):
        where = place(row)
        score = _rated(row, "severity") * _rated(row, "frequency") * where["weight"]
        pains.append(
            {
                "kind": "pain point",
                "score": score,
                "id": row["id"],
                "description": row["description"],
                "severity": row["severity"],
                "frequency": row["frequency"],
                **where,
            }
        )
    pain_score = {p["id"]: p["score"] for p in pains}
    opps = []
    for row in _records(journey.frame("opportunities")):
        bonus = pain_score.get(row["pain_point_id"], 0.0) / _MAX_PAIN
        score = _rated(row, "impact") / _rated(row, "effort") + bonus
        opps.append(
            {
                "kind": "opportunity",
                "score": score,
                "id": row["id"],
                "description": row["description"],
                "impact": row["impact"],
                "effort": row["effort"],
                "pain_point_id": row["pain_point_id"],
                **place(row),
                "weight": None,
                "pain_weight": bonus,
            }
        )
    parts = [f for f in (_ranked(pains), _ranked(opps)) if not f.empty]
    frame = pd.concat(parts, ignore_index=True) if parts else _ranked([])
    return _typed(frame)


_V = TypeVar("_V")


def _at(mapping: Mapping[str, _V], key: str | None, default: _V | None = None) -> _V | None:
    """Return ``mapping[key]``, else ``default`` (also for no key: a row without a place)."""
    return default if key is None else mapping.get(key, default)


def stage_weights(journey: JourneyCore) -> tuple[dict[str, float], dict[str, float]]:
    """Weight and measured customers per stage id (see the module notes).

    Returns
    -------
    (dict, dict)
        ``{stage_id: weight}`` and ``{stage_id: customers}`` for the stages
        measured in the latest period of ``customers`` rows; both empty when
        the journey has none.
    """
    metrics = journey.frame("metrics")
    mask = (
        pd.Series([metric_key(v) == "customers" for v in metrics["name"]], index=metrics.index)
        & metrics["stage_id"].notna()
        & metrics["touchpoint_id"].isna()
        & metrics["segment"].isna()
        & metrics["persona_id"].isna()
    )
    rows = metrics[mask.to_numpy(dtype=bool)]
    if rows.empty:
        return {}, {}
    keys = [period_sort_key(p) for p in rows["period"]]
    latest = max(keys)
    customers: dict[str, float] = {}
    for key, stage, value in zip(keys, rows["stage_id"], rows["value"], strict=True):
        if key == latest:
            customers[stage] = float(value)  # several rows for a stage: the last added wins
    top = max(customers.values())
    # A journey nobody entered weighs every stage 0: nothing there to fix first.
    weights = {s: (c / top if top > 0 else 0.0) for s, c in customers.items()}
    return weights, customers


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _rated(row: dict[str, Any], column: str) -> float:
    value = row.get(column)
    return float(_UNRATED[column] if value is None else value)


def _ranked(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(PRIORITY_COLUMNS))
    if frame.empty:
        return frame
    frame["score"] = frame["score"].astype(float).round(12)  # 0.1 + 0.2 ties 0.3
    frame["rank"] = frame["score"].rank(method="min", ascending=False).astype(int)
    return frame.sort_values("rank", kind="stable")


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    ints = ("rank", "severity", "frequency", "impact", "effort")
    floats = ("score", "customers", "weight", "pain_weight")
    dtypes = {c: "Int64" if c in ints else "Float64" if c in floats else "string" for c in frame.columns}
    return frame.astype(dtypes)
