"""Plain-text and HTML summaries of a journey.

:func:`journey_text` is the journey's ``repr``; :func:`journey_html` is what
Jupyter shows for a journey at the end of a cell. Both stay compact for large
journeys: long lists are cut with a count of what was left out.

The HTML is static: every user string is escaped, there is no script, no event
handler and no external resource, and its styles are scoped to
``.cjm-summary`` and use JupyterLab's theme variables (with fallbacks), so the
summary reads in light and dark themes and cannot restyle the notebook.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from .model.placement import stage_of_rows
from .model.specs import EMPATHY_QUADRANTS

if TYPE_CHECKING:
    from .model.core import JourneyCore

__all__ = ["journey_text", "journey_html"]

T = TypeVar("T")

#: Most stages listed in a summary.
MAX_STAGES = 16
#: Most touchpoints listed per stage in the HTML table.
MAX_TOUCHPOINTS_HTML = 8
#: Most touchpoints listed per stage in the text summary.
MAX_TOUCHPOINTS_TEXT = 5
#: Most personas listed.
MAX_PERSONAS = 5
#: Longest user string shown before it is cut with "…".
MAX_CHARS = 80

#: Frames counted in a summary: (frame, singular, plural).
_COUNTED = (
    ("emotions", "emotion", "emotions"),
    ("pain_points", "pain point", "pain points"),
    ("opportunities", "opportunity", "opportunities"),
    ("actions", "action", "actions"),
    ("metrics", "metric", "metrics"),
    ("goals", "goal", "goals"),
    ("empathy", "empathy entry", "empathy entries"),
)
#: Meta fields shown on one line when set: (field, label). Not updated_at: it
#: changes with every edit and would make every summary differ.
_STEWARDSHIP = (("version", "Version"), ("owner", "Owner"), ("reviewed_at", "Reviewed"))


# -- shared helpers -------------------------------------------------------------------------
def _frames(journey: JourneyCore) -> dict[str, pd.DataFrame]:
    # The journey's own frames, read-only: a summary must not copy 10 frames per repr.
    return journey._frames


def _str(value: Any, limit: int = MAX_CHARS) -> str:
    """Return a cell as display text, cut to ``limit`` characters ("" for missing)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(journey: JourneyCore) -> str:
    return str(journey.meta.get("kind", "")).replace("_", " ")


def _cut(items: Iterable[T], limit: int) -> tuple[list[T], int]:
    """Return the first ``limit`` items and how many were left out."""
    listed = list(items)
    return listed[:limit], max(len(listed) - limit, 0)


def _lane_names(frames: dict[str, pd.DataFrame]) -> list[str]:
    return [str(n) for n in dict.fromkeys(frames["lanes"]["lane"].dropna())]


def _stage_of_rows(frames: dict[str, pd.DataFrame], name: str) -> pd.Series:
    """Return the stage id of every row of ``name`` (:func:`~.model.placement.stage_of_rows`)."""
    return stage_of_rows(frames, name)


def _mean_emotion(frames: dict[str, pd.DataFrame]) -> dict[str, float]:
    emo = frames["emotions"]
    if emo.empty:
        return {}
    by_stage = emo["score"].groupby(_stage_of_rows(frames, "emotions")).mean()
    return {str(k): float(v) for k, v in by_stage.items() if pd.notna(v)}


def _count_by_stage(frames: dict[str, pd.DataFrame], name: str) -> dict[str, int]:
    if frames[name].empty:
        return {}
    return {str(k): int(v) for k, v in _stage_of_rows(frames, name).value_counts().items()}


def _counts(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Labels such as "5 emotions" and "1 pain point", one per counted frame."""
    out = []
    for name, one, many in _COUNTED:
        n = len(frames[name])
        out.append(f"{n} {one if n == 1 else many}")
    return out


def _quadrants(frames: dict[str, pd.DataFrame]) -> str:
    """Entries per quadrant ("says 3 · thinks 2 ..."), or "" without empathy entries."""
    emp = frames["empathy"]
    if emp.empty:
        return ""
    counts = emp["quadrant"].value_counts()
    return " · ".join(f"{q} {int(counts.get(q, 0))}" for q in EMPATHY_QUADRANTS)


# -- plain text -------------------------------------------------------------------------------
def journey_text(journey: JourneyCore) -> str:
    """Return a compact, readable plain-text summary of ``journey``.

    Parameters
    ----------
    journey : Journey
        The journey to describe.

    Returns
    -------
    str
        Several lines: name and kind, scenario, personas, the stages in order
        with their touchpoints, and how many rows the other frames hold. Long
        lists end with "… and N more".

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Demo")
    >>> print(journey_text(j))
    Journey 'Demo' (current state)
      Personas: none
      Stages: none
      0 emotions · 0 pain points · 0 opportunities · 0 actions · 0 metrics · 0 goals · 0 empathy entries
      Lanes: none
    """
    frames = _frames(journey)
    meta = journey.meta
    lines = [f"Journey {_str(meta.get('name'))!r} ({_kind(journey)})"]
    for key in ("scenario", "description"):
        if _str(meta.get(key)):
            lines.append(f"  {key.capitalize()}: {_str(meta.get(key), 2 * MAX_CHARS)}")
    kept = [f"{label}: {_str(meta.get(key), 40)}" for key, label in _STEWARDSHIP if _str(meta.get(key))]
    if kept:
        lines.append("  " + " · ".join(kept))

    personas, more = _cut([_str(n, 40) for n in frames["personas"]["name"]], MAX_PERSONAS)
    text = ", ".join(personas) or "none"
    lines.append(f"  Personas: {text}{f' … and {more} more' if more else ''}")

    stages = frames["stages"]
    tps = frames["touchpoints"]
    if stages.empty:
        lines.append("  Stages: none")
    else:
        lines.append(f"  Stages ({len(stages)}, {len(tps)} touchpoints):")
        names_by_stage = tps.groupby("stage_id", sort=False)["name"].apply(list).to_dict()
        shown, more_stages = _cut(list(range(len(stages))), MAX_STAGES)
        for pos in shown:
            stage_id, stage_name = stages["id"].iloc[pos], stages["name"].iloc[pos]
            tp_names, more_tps = _cut(
                [_str(n, 40) for n in names_by_stage.get(stage_id, [])], MAX_TOUCHPOINTS_TEXT
            )
            tail = f" … and {more_tps} more" if more_tps else ""
            listed = f": {', '.join(tp_names)}{tail}" if tp_names else ""
            lines.append(f"    {pos + 1}. {_str(stage_name, 40)}{listed}")
        if more_stages:
            lines.append(f"    … and {more_stages} more stages")

    lines.append("  " + " · ".join(_counts(frames)))
    if _quadrants(frames):
        lines.append(f"  Empathy map: {_quadrants(frames)}")
    lanes, more_lanes = _cut(_lane_names(frames), MAX_PERSONAS)
    lane_text = ", ".join(_str(n, 40) for n in lanes) or "none"
    lines.append(f"  Lanes: {lane_text}{f' … and {more_lanes} more' if more_lanes else ''}")
    return "\n".join(lines)


# -- HTML -------------------------------------------------------------------------------------
def _e(value: Any, limit: int = MAX_CHARS) -> str:
    """Escaped, shortened display text of a user value."""
    return html.escape(_str(value, limit), quote=True)


_STYLE = """
.cjm-summary { font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px); color: var(--jp-ui-font-color1, inherit);
  max-width: 100%; }
.cjm-summary .cjm-head { margin: 0 0 .4em 0; }
.cjm-summary .cjm-name { font-size: 1.15em; font-weight: 600; }
.cjm-summary .cjm-kind { display: inline-block; margin-left: .5em; padding: 0 .45em;
  border: 1px solid var(--jp-border-color1, rgba(128,128,128,.6)); border-radius: 3px;
  font-size: .85em; color: var(--jp-ui-font-color2, inherit); }
.cjm-summary .cjm-meta { color: var(--jp-ui-font-color2, inherit); margin: .15em 0; }
.cjm-summary .cjm-scroll { overflow-x: auto; max-width: 100%; }
.cjm-summary table.cjm-table { border-collapse: collapse; margin: .3em 0; table-layout: auto;
  font-size: inherit; }
.cjm-summary .cjm-table th, .cjm-summary .cjm-table td {
  border: 1px solid var(--jp-border-color2, rgba(128,128,128,.35)); padding: .25em .5em;
  vertical-align: top; text-align: left; color: var(--jp-ui-font-color1, inherit);
  background: transparent; min-width: 8em; max-width: 18em; }
.cjm-summary .cjm-table thead th { background: var(--jp-layout-color2, rgba(128,128,128,.12)); }
.cjm-summary .cjm-table th.cjm-row { font-weight: 600; min-width: 6em;
  color: var(--jp-ui-font-color2, inherit); }
.cjm-summary .cjm-table ul { margin: 0; padding-left: 1.1em; }
.cjm-summary .cjm-more, .cjm-summary .cjm-none { color: var(--jp-ui-font-color3, inherit);
  font-style: italic; }
.cjm-summary .cjm-neg { color: var(--jp-error-color1, #c62828); font-weight: 600; }
.cjm-summary .cjm-pos { color: var(--jp-success-color1, #2e7d32); font-weight: 600; }
.cjm-summary .cjm-counts { color: var(--jp-ui-font-color2, inherit); margin: .3em 0 0 0; }
"""


def _emotion_cell(score: float | None) -> str:
    if score is None:
        return '<span class="cjm-none">&ndash;</span>'
    score = round(score, 1) + 0.0  # "+0.0" and "-0.0" read as plain 0.0
    klass = "cjm-neg" if score < 0 else "cjm-pos" if score > 0 else ""
    text = f"{score:+.1f}" if score else "0.0"
    return f'<span class="{klass}">{html.escape(text)}</span>' if klass else text


def _touchpoint_cell(names: Sequence[Any]) -> str:
    if not names:
        return '<span class="cjm-none">&ndash;</span>'
    shown, more = _cut(list(names), MAX_TOUCHPOINTS_HTML)
    items = "".join(f"<li>{_e(n, 60)}</li>" for n in shown)
    if more:
        items += f'<li class="cjm-more">+{more} more</li>'
    return f"<ul>{items}</ul>"


def _table(frames: dict[str, pd.DataFrame]) -> str:
    stages = frames["stages"]
    if stages.empty:
        return '<div class="cjm-meta cjm-none">No stages yet.</div>'
    shown, more_stages = _cut(list(range(len(stages))), MAX_STAGES)
    ids = [str(stages["id"].iloc[p]) for p in shown]
    tps = frames["touchpoints"]
    names_by_stage = tps.groupby("stage_id", sort=False)["name"].apply(list).to_dict()
    emotion = _mean_emotion(frames)
    pains = _count_by_stage(frames, "pain_points")
    opps = frames["opportunities"]
    opp_counts = _count_by_stage(frames, "opportunities") if len(opps) else {}

    head = "".join(f'<th scope="col">{_e(stages["name"].iloc[p], 60)}</th>' for p in shown)
    if more_stages:
        head += f'<th scope="col" class="cjm-more">+{more_stages} more stages</th>'
    filler = '<td class="cjm-more"></td>' if more_stages else ""

    def row(label: str, cells: list[str]) -> str:
        tds = "".join(f"<td>{c}</td>" for c in cells)
        return f'<tr><th scope="row" class="cjm-row">{label}</th>{tds}{filler}</tr>'

    rows = [row("Touchpoints", [_touchpoint_cell(names_by_stage.get(i, [])) for i in ids])]
    if emotion:
        rows.append(row("Mean emotion", [_emotion_cell(emotion.get(i)) for i in ids]))
    if pains:
        rows.append(row("Pain points", [str(pains.get(i, 0)) for i in ids]))
    if opp_counts:
        rows.append(row("Opportunities", [str(opp_counts.get(i, 0)) for i in ids]))
    return (
        '<div class="cjm-scroll"><table class="cjm-table">'
        f'<thead><tr><th class="cjm-row">Stage</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def journey_html(journey: JourneyCore) -> str:
    """Return a compact HTML summary of ``journey`` for Jupyter.

    Parameters
    ----------
    journey : Journey
        The journey to describe.

    Returns
    -------
    str
        A ``<div class="cjm-summary">`` with a scoped ``<style>``: a header
        (name, kind, scenario, personas), a table with the stages as columns
        (touchpoints, mean emotion and pain-point count per stage) and the
        row counts of the other frames. Every user string is escaped; the
        markup holds no script, event handler or external resource.
    """
    frames = _frames(journey)
    meta = journey.meta
    personas, more = _cut([_e(n, 40) for n in frames["personas"]["name"]], MAX_PERSONAS)
    persona_html = ", ".join(personas) or '<span class="cjm-none">none</span>'
    if more:
        persona_html += f' <span class="cjm-more">+{more} more</span>'
    parts = [
        '<div class="cjm-summary">',
        f"<style>{_STYLE}</style>",
        '<div class="cjm-head">',
        f'<span class="cjm-name">{_e(meta.get("name"), 120)}</span>',
        f'<span class="cjm-kind">{html.escape(_kind(journey), quote=True)}</span>',
        "</div>",
    ]
    for key in ("scenario", "description"):
        if _str(meta.get(key)):
            parts.append(
                f'<div class="cjm-meta"><b>{key.capitalize()}:</b> {_e(meta.get(key), 2 * MAX_CHARS)}</div>'
            )
    kept = [f"<b>{label}:</b> {_e(meta.get(key), 40)}" for key, label in _STEWARDSHIP if _str(meta.get(key))]
    if kept:
        parts.append(f'<div class="cjm-meta">{" · ".join(kept)}</div>')
    parts.append(f'<div class="cjm-meta"><b>Personas:</b> {persona_html}</div>')
    parts.append(_table(frames))
    counts = _counts(frames)
    lanes, more_lanes = _cut([_e(n, 40) for n in _lane_names(frames)], MAX_PERSONAS)
    if lanes:
        counts.append("lanes: " + ", ".join(lanes) + (f" +{more_lanes} more" if more_lanes else ""))
    parts.append(f'<div class="cjm-counts">{" · ".join(counts)}</div>')
    if _quadrants(frames):
        parts.append(f'<div class="cjm-counts">Empathy map: {html.escape(_quadrants(frames))}</div>')
    parts.append("</div>")
    return "".join(parts)
