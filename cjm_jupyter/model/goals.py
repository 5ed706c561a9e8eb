"""Goals (a KPI with a target) and the scorecard comparing them with measured values.

A goal names a metric (``"conversion rate"``), a target and a comparison, at a
place (a stage, a touchpoint, or the whole journey), for a segment (or all
customers) and optionally one period. :func:`scorecard` finds, for each goal,
the metric row that measures it and says whether the goal is met.

Matching rules (a metric row measures a goal when all hold):

* **name**: equal after folding case and collapsing runs of whitespace
  (``"Conversion  Rate"`` measures ``"conversion rate"``); no other aliases:
  ``measure()`` writes ``"exit rate"`` (customers whose last event is at a
  touchpoint and who did not reach the goal), and a goal on ``"bounce rate"``
  is measured only by rows of that name (typed by hand, or written by
  versions before the rename, which counted customers who finished too);
* **place**: the same ``stage_id`` and the same ``touchpoint_id`` (a goal on a
  stage is measured by that stage's rows, not by its touchpoints'; a goal with
  neither by rows with neither);
* **segment**: the same segment, where a goal without one is measured by rows
  without one (all customers);
* **unit**: the same unit (case and whitespace folded), or either side without
  a unit; ``"%"`` and ``"ratio"`` convert into each other (times or divided by 100), so a
  goal "exit rate < 50 %" is measured by ``measure()``'s ratio 0.43 as 43 %;
* **period**: the goal's own period when it has one, else the scorecard's
  ``period=`` when given, else the latest period of the matching rows, periods
  ordered by :func:`cjm_jupyter.model.history.period_sort_key`; rows without a
  period (typed by hand) count as older than any period, so they are used only
  when no matching row has one.

Several rows left in that period: rows for all personas (``persona_id``
empty) before rows for one persona, then the rows ``measure()`` wrote
(``run_id == "measure"``) before rows typed by hand (as in
:func:`~cjm_jupyter.model.history.history`), then the row added last.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from .history import period_sort_key

if TYPE_CHECKING:
    from .core import JourneyCore

__all__ = ["add_goal", "scorecard", "COMPARISONS", "SCORECARD_COLUMNS"]

#: The comparisons a goal can use, as ``value <op> target``. ``==`` allows for
#: float rounding (relative tolerance 1e-9), so 0.1 + 0.2 meets a target of 0.3.
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": lambda value, target: math.isclose(value, target, rel_tol=1e-9, abs_tol=1e-12),
}

#: Columns of :func:`scorecard`, in order.
SCORECARD_COLUMNS = (
    "goal_id",
    "name",
    "stage_id",
    "stage",
    "touchpoint_id",
    "touchpoint",
    "segment",
    "comparison",
    "target",
    "unit",
    "value",
    "period",
    "metric_id",
    "status",
    "gap",
)

#: ``run_id`` of the rows ``measure()`` writes (not imported: the model does not
#: depend on the analytics extra).
_MEASURED = "measure"

# Units that read as a share, and the factor that turns a value in that unit
# into percent: measure() writes ratios, people type percent.
_PERCENT_FACTOR = {"%": 100.0, "percent": 100.0, "ratio": 1.0}


def add_goal(
    journey: JourneyCore,
    name: str,
    target: float,
    comparison: str = ">=",
    *,
    stage: str | None = None,
    touchpoint: str | None = None,
    segment: str | None = None,
    period: str | None = None,
    unit: str | None = None,
    description: str | None = None,
    id: str | None = None,
    **extra: Any,
) -> str:
    """Add a goal to ``journey`` and return its id.

    Parameters
    ----------
    journey : Journey
        The journey to add the goal to.
    name : str
        The KPI: a metric name as it appears in ``journey.metrics``, e.g.
        ``"conversion rate"`` (matched ignoring case and extra whitespace).
    target : float
        The value to reach.
    comparison : {">=", ">", "<=", "<", "=="}
        How the measured value must compare with ``target`` to meet the goal.
    stage, touchpoint : str, optional
        The id of the stage or touchpoint the goal is for (at most one);
        neither means journey-wide.
    segment : str, optional
        The segment the goal is for; default: all customers.
    period : str, optional
        The period the goal applies to (e.g. ``"2026-Q4"``); default: any,
        compared with the latest measurement.
    unit : str, optional
        The unit of ``target`` and of the metric, e.g. ``"%"`` (see the matching
        rules above: ``"%"`` and ``"ratio"`` convert into each other).
    description : str, optional
        Free text about the goal.
    id : str, optional
        The goal's id; default: made from the name.
    **extra
        Custom columns of the row, by name.

    Returns
    -------
    str
        The new goal's id.

    Raises
    ------
    ValidationError
        For an unknown comparison, an unknown stage or touchpoint id, both a
        stage and a touchpoint, or a missing name or target.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> buy = j.add_stage("Purchase")
    >>> j.add_goal("Conversion rate", 3, ">", stage=buy, unit="%")
    'conversion-rate'
    """
    # Through the generic, validated add: the goals spec holds the rules
    # (comparison choices, references, at most one place), so messages match
    # every other edit's.
    return journey.add(
        "goals",
        id=id,
        name=name,
        target=target,
        comparison=comparison,
        stage_id=stage,
        touchpoint_id=touchpoint,
        segment=segment,
        period=period,
        unit=unit,
        description=description,
        **extra,
    )


def scorecard(journey: JourneyCore, *, period: str | None = None) -> pd.DataFrame:
    """Each goal against the value that measures it: met, missed or no data.

    Parameters
    ----------
    journey : Journey
        The journey whose ``goals`` and ``metrics`` are compared.
    period : str, optional
        Compare the goals without a period of their own with this period's
        values (goals with another period of their own are left out);
        default: each goal with its latest measured value.

    Returns
    -------
    DataFrame
        One row per goal, in the goals' order, with columns ``goal_id``,
        ``name``, ``stage_id``, ``stage`` (name), ``touchpoint_id``,
        ``touchpoint`` (name), ``segment``, ``comparison``, ``target``,
        ``unit`` (the goal's, else the metric's), ``value`` (in the goal's
        unit), ``period`` and ``metric_id`` of the row it came from,
        ``status`` (``"met"``, ``"missed"`` or ``"no data"``) and ``gap``
        (``value - target``; negative is below target). See the module notes
        for how a metric row is matched to a goal.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> buy = j.add_stage("Purchase")
    >>> _ = j.add_metric("conversion rate", 2.5, stage=buy, unit="%")
    >>> _ = j.add_goal("Conversion rate", 3, ">", stage=buy, unit="%")
    >>> j.scorecard()[["name", "value", "status", "gap"]].to_dict("records")
    [{'name': 'Conversion rate', 'value': 2.5, 'status': 'missed', 'gap': -0.5}]
    """
    goals = journey.frame("goals")
    if period is not None:
        own = goals["period"]
        goals = goals[(own.isna() | (own == period).fillna(False)).to_numpy(dtype=bool)]
    metrics = _prepared_metrics(journey.frame("metrics"))
    stage_names = _names(journey.frame("stages"))
    tp_names = _names(journey.frame("touchpoints"))
    rows = []
    for goal in goals.to_dict("records"):
        goal = {k: _none(v) for k, v in goal.items()}
        wanted = goal["period"] if goal["period"] is not None else period
        hit = _measurement(metrics, goal, wanted)
        value, unit, status, gap = None, goal["unit"], "no data", None
        if hit is not None:
            value = hit["converted"]
            unit = unit if unit is not None else _none(hit["unit"])
            status = "met" if COMPARISONS[goal["comparison"]](value, goal["target"]) else "missed"
            gap = value - goal["target"]
        rows.append(
            {
                "goal_id": goal["id"],
                "name": goal["name"],
                "stage_id": goal["stage_id"],
                "stage": stage_names.get(goal["stage_id"]),
                "touchpoint_id": goal["touchpoint_id"],
                "touchpoint": tp_names.get(goal["touchpoint_id"]),
                "segment": goal["segment"],
                "comparison": goal["comparison"],
                "target": goal["target"],
                "unit": unit,
                "value": value,
                "period": None if hit is None else _none(hit["period"]),
                "metric_id": None if hit is None else hit["id"],
                "status": status,
                "gap": gap,
            }
        )
    return _typed(pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS)))


# -- helpers shared with priorities and review -----------------------------------


def metric_key(name: Any) -> str | None:
    """Return a metric name as goals and reviews match it: case folded, whitespace collapsed."""
    if name is None or name is pd.NA or (isinstance(name, float) and math.isnan(name)):
        return None
    return " ".join(str(name).split()).casefold()


def _none(value: Any) -> Any:
    """``pd.NA`` / NaN / NaT as None, so cells compare and print as plain Python."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # list-like cells
        return value


def _names(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["id"], frame["name"], strict=True))


# -- matching ------------------------------------------------------------------------


def _prepared_metrics(metrics: pd.DataFrame) -> pd.DataFrame:
    """Metric rows with the columns matching reads: normalised name and unit, frame position."""
    out = metrics.assign(
        _key=[metric_key(v) for v in metrics["name"]],
        _unit=[_unit_key(v) for v in metrics["unit"]],
        _pos=range(len(metrics)),
    )
    return out


def _unit_key(unit: Any) -> str | None:
    unit = _none(unit)
    return None if unit is None else " ".join(str(unit).split()).casefold()


def _same(series: pd.Series, value: Any) -> pd.Series:
    """Cells equal to ``value``, where None matches missing cells only."""
    if value is None:
        return series.isna()
    return (series == value).fillna(False).astype(bool)


def _measurement(metrics: pd.DataFrame, goal: dict[str, Any], period: str | None) -> dict[str, Any] | None:
    """Return the metric row that measures ``goal`` (see the module notes), its value in the goal's unit."""
    mask = (
        (metrics["_key"] == metric_key(goal["name"]))
        & _same(metrics["stage_id"], goal["stage_id"])
        & _same(metrics["touchpoint_id"], goal["touchpoint_id"])
        & _same(metrics["segment"], goal["segment"])
    )
    if period is not None:
        mask &= _same(metrics["period"], period)
    candidates = []
    for row in metrics[mask.to_numpy(dtype=bool)].to_dict("records"):
        factor = _unit_factor(row["_unit"], _unit_key(goal["unit"]))
        if factor is None:
            continue
        rank = (
            period_sort_key(row["period"]),
            _none(row["persona_id"]) is None,
            row["run_id"] == _MEASURED,
            row["_pos"],
        )
        candidates.append((rank, {**row, "converted": float(row["value"]) * factor}))
    if not candidates:
        return None
    return max(candidates, key=lambda c: c[0])[1]


def _unit_factor(metric_unit: str | None, goal_unit: str | None) -> float | None:
    """Return what a metric value is multiplied by to be in the goal's unit; None when it can't be."""
    if metric_unit is None or goal_unit is None or metric_unit == goal_unit:
        return 1.0
    if metric_unit in _PERCENT_FACTOR and goal_unit in _PERCENT_FACTOR:
        return _PERCENT_FACTOR[goal_unit] / _PERCENT_FACTOR[metric_unit]
    return None


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable dtypes like the journey's frames, so an empty scorecard has the same columns."""
    floats = ("target", "value", "gap")
    return frame.astype({c: ("Float64" if c in floats else "string") for c in frame.columns})
