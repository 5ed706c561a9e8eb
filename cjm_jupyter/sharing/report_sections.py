"""The pieces of a report notebook: titles, ranked tables and plots, each a short call.

The report templates (``report_templates/*.ipynb``) call these so that their
cells stay one line each and read like the report's outline. Tables are pandas
frames with the journey's names in place of ids; a notebook displays a frame as
an HTML table with every cell escaped, so user text is shown as text. A section
with nothing to show returns a one-line note instead of failing.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

__all__ = [
    "title",
    "note",
    "emotions",
    "pain_points",
    "opportunities",
    "action_plan",
    "rounded_times",
    "overall_transitions",
    "segment_comparison",
]


class _HTML:
    """An object a notebook shows as the given (already escaped) HTML, and as text elsewhere."""

    def __init__(self, markup: str, text: str) -> None:
        self._markup = markup
        self._text = text

    def _repr_html_(self) -> str:
        return self._markup

    def __repr__(self) -> str:
        return self._text


def title(journey: Any) -> _HTML:
    """Show the journey's name as the report's heading, with its scenario below (escaped)."""
    name = str(journey.name)
    scenario = str(journey.scenario or "")
    markup = f"<h1>{html.escape(name)}</h1>"
    if scenario:
        markup += f"<p><em>{html.escape(scenario)}</em></p>"
    return _HTML(markup, name)


def note(text: str) -> _HTML:
    """Show a short italic remark, e.g. why a section is empty."""
    return _HTML(f"<p><em>{html.escape(text)}</em></p>", text)


def emotions(journey: Any) -> Any:
    """Show the emotion curve: one panel per persona when several have emotions, else one curve."""
    from .. import plots

    emo = journey.emotions
    if emo.empty:
        return note("No emotions recorded in this journey.")
    if emo["persona_id"].nunique() > 1:
        return plots.compare_personas(journey)
    return plots.emotion_curve(journey)


def _names(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["id"], frame["name"], strict=True))


def _where(journey: Any, frame: pd.DataFrame) -> pd.Series:
    """Per row: "Stage / Touchpoint" from ``touchpoint_id`` (or ``stage_id`` alone)."""
    stages = _names(journey.stages)
    tps = journey.touchpoints.set_index("id")
    out = []
    touchpoints = frame["touchpoint_id"] if "touchpoint_id" in frame.columns else [None] * len(frame)
    for stage_id, tp_id in zip(frame["stage_id"], touchpoints, strict=True):
        if pd.notna(tp_id) and tp_id in tps.index:
            out.append(f"{stages.get(tps.at[tp_id, 'stage_id'], '')} / {tps.at[tp_id, 'name']}")
        else:
            out.append(stages.get(stage_id, "") if pd.notna(stage_id) else "")
    return pd.Series(out, index=frame.index, dtype="string")


def pain_points(journey: Any) -> pd.DataFrame | _HTML:
    """Pain points ranked by ``score = severity x frequency`` (highest first; ties by severity).

    A missing frequency counts as 1, so a pain point's rank never vanishes
    because nobody measured how often it happens.
    """
    pp = journey.pain_points
    if pp.empty:
        return note("No pain points recorded in this journey.")
    table = pd.DataFrame(
        {
            "pain point": pp["description"],
            "where": _where(journey, pp),
            "severity": pp["severity"],
            "frequency": pp["frequency"],
            "score": pp["severity"] * pp["frequency"].fillna(1),
            "evidence": pp["evidence"],
            "basis": pp["basis"],
        }
    )
    table = table.sort_values(["score", "severity"], ascending=False, na_position="last", kind="stable")
    return table.set_index(pd.RangeIndex(1, len(table) + 1, name="rank"))


def opportunities(journey: Any) -> pd.DataFrame | _HTML:
    """Opportunities with the pain point each addresses, by impact (high first) then effort (low first)."""
    opp = journey.opportunities
    if opp.empty:
        return note("No opportunities recorded in this journey.")
    pains = dict(zip(journey.pain_points["id"], journey.pain_points["description"], strict=True))
    table = pd.DataFrame(
        {
            "opportunity": opp["description"],
            "where": _where(journey, opp),
            "addresses": opp["pain_point_id"].map(pains),
            "impact": opp["impact"],
            "effort": opp["effort"],
        }
    )
    table = table.sort_values(["impact", "effort"], ascending=[False, True], kind="stable")
    return table.reset_index(drop=True)


def action_plan(journey: Any) -> pd.DataFrame | _HTML:
    """Show the action plan, by due date, with the opportunity each action serves."""
    act = journey.actions
    if act.empty:
        return note("No action plan recorded in this journey.")
    opps = dict(zip(journey.opportunities["id"], journey.opportunities["description"], strict=True))
    table = pd.DataFrame(
        {
            "action": act["description"],
            "owner": act["owner"],
            "status": act["status"],
            "due": act["due"],
            "opportunity": act["opportunity_id"].map(opps),
            "stage": act["stage_id"].map(_names(journey.stages)),
        }
    )
    return table.sort_values("due", na_position="last", kind="stable").reset_index(drop=True)


def rounded_times(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its durations rounded to the second (``0 days 03:42:42``), for reading."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_timedelta64_dtype(out[column]):
            out[column] = out[column].dt.round("s")
    return out


def overall_transitions(transitions: pd.DataFrame) -> pd.DataFrame:
    """Sum a segmented ``transitions`` frame over its segments (one row per source, target).

    Each customer belongs to one segment, so counts and customers add up; a
    median does not, so ``median_time`` is left out.
    """
    if "segment" not in transitions.columns:
        return transitions
    keep = [c for c in ("count", "customers") if c in transitions.columns]
    return transitions.groupby(["source", "target"], sort=False, as_index=False)[keep].sum()


def segment_comparison(funnel: pd.DataFrame) -> pd.DataFrame:
    """Share of each segment's customers reaching each stage (stages as rows, segments as columns)."""
    # by stage id: two stages may share a name
    table = funnel.pivot_table(
        index=["stage_id", "stage"], columns="segment", values="conversion_from_start", sort=False
    ).droplevel("stage_id")
    table.columns.name = "share reaching the stage, by segment"
    return table.round(3)
