"""The metrics lane of the journey map: one period's values, their change and their targets.

A journey measured over several periods holds one set of metric rows per
period (``period`` column; rows without a period are typed by hand and count
as current). The map shows one period, the latest by default
(:func:`cjm_jupyter.model.history.period_sort_key`), each card with its change
since the previous period (arrow and signed delta: the arrow and the sign
carry the direction, colour only repeats it) and, when the journey has a goal
for it, the target and whether it is met.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..model.history import period_sort_key
from . import theme
from ._map_cards import CardStyle, _base, _format_value, _persona_names
from ._map_grid import numbers, texts
from ._map_lanes import MapContext

__all__ = ["Periods", "metric_items", "pick_period", "rows_of_period", "emotion_rows"]

#: The columns that say which metric a row measures: a row of one period and
#: a row of another with the same key are the same metric at two dates.
METRIC_KEY = ("name", "stage_id", "touchpoint_id", "persona_id", "segment")
#: How a goal's comparison reads on a card (the scorecard computes it).
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
#: A scorecard status as a card says it.
VERDICTS = {"met": "✓ met", "missed": "✗ missed", "no data": "no data"}
#: Okabe-Ito green and vermilion: the words "met"/"missed" and ✓/✗ say it first.
GOOD, BAD = "#009E73", "#D55E00"


@dataclass(frozen=True)
class Periods:
    """Which period the map shows.

    Attributes
    ----------
    shown : str or None
        The period whose measured rows are shown (None: the journey has no
        measured period, only hand-entered rows).
    previous : str or None
        The metrics' latest period before ``shown`` (the deltas' base).
    known : list of str
        Every period of the metrics and emotions, in time order.
    """

    shown: str | None
    previous: str | None
    known: list[str]


def _periods(df: pd.DataFrame) -> set[str]:
    if "period" not in df.columns:  # a journey from before schema 2
        return set()
    return {str(p) for p in df["period"].dropna()}


def pick_period(metrics: pd.DataFrame, emotions: pd.DataFrame, period: str | None) -> Periods:
    """The period to show: ``period`` when known, else the latest.

    Raises
    ------
    ValidationError
        ``period`` is not a period of the journey's metrics or emotions (the
        message lists the known ones).
    """
    metric_periods = sorted(_periods(metrics), key=period_sort_key)
    known = sorted(set(metric_periods) | _periods(emotions), key=period_sort_key)
    if period is None:
        shown = known[-1] if known else None
    elif period in known:
        shown = period
    else:
        valid = ", ".join(repr(p) for p in known) or "(the journey has no measured periods)"
        raise ValidationError(
            f"unknown period {period!r}; known periods are: {valid}", column="period", value=period
        )
    before = [p for p in metric_periods if shown is not None and period_sort_key(p) < period_sort_key(shown)]
    return Periods(shown, before[-1] if before else None, known)


def rows_of_period(df: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Rows of ``period`` plus the rows without a period (hand-entered: always current)."""
    if "period" not in df.columns:
        return df
    mask = df["period"].isna()
    if period is not None:
        mask |= (df["period"].astype(object) == period).fillna(False)
    return df.loc[mask.to_numpy(dtype=bool)]


def emotion_rows(emotions: pd.DataFrame, shown: str | None) -> pd.DataFrame:
    """Emotions drawn with ``shown``: the rows of the emotions' latest period up to
    ``shown`` (surveys need not run every time the metrics do) and every row
    without a period."""
    own = [p for p in _periods(emotions) if shown is None or period_sort_key(p) <= period_sort_key(shown)]
    return rows_of_period(emotions, max(own, key=period_sort_key) if own else None)


def _keys(df: pd.DataFrame) -> list[tuple[str, ...]]:
    columns = [texts(df[c]) if c in df.columns else [""] * len(df) for c in METRIC_KEY]
    columns[0] = [n.strip().casefold() for n in columns[0]]
    return list(zip(*columns, strict=True))


def metric_items(
    ctx: MapContext,
    metrics: pd.DataFrame,
    previous: pd.DataFrame,
    scores: pd.DataFrame | None,
    periods: Periods,
) -> tuple[pd.DataFrame, CardStyle]:
    """One card per metric shown: value and unit in bold, the metric's name,
    its change since ``periods.previous`` and its goals' targets (``scores``:
    the journey's scorecard for the period shown).

    ``metrics`` are the rows shown (see :func:`rows_of_period`), ``previous``
    the rows of the previous period.
    """
    value = numbers(metrics["value"])
    unit = texts(metrics["unit"])
    shown = [_format_value(v, u) for v, u in zip(value, unit, strict=True)]
    name = texts(metrics["name"])
    segment = texts(metrics["segment"])
    # measure(segment=...) writes one card per segment: the note tells them apart
    note = [f"{n} · {s}" if s else n for n, s in zip(name, segment, strict=True)]
    items = _base(ctx.grid.place(metrics), ctx, shown, note)
    period = texts(metrics["period"]) if "period" in metrics.columns else [""] * len(metrics)
    targets = _targets(metrics, scores)
    deltas = _deltas(metrics, value, unit, previous, periods.previous, period)
    # a goal says which way is better; without one a change is neither
    sign = np.nan_to_num(np.sign(np.asarray(deltas["delta"], dtype=float)) * np.asarray(targets["direction"]))
    color = np.where(sign > 0, GOOD, np.where(sign < 0, BAD, theme.MUTED)).tolist()
    items = items.assign(
        name=name,
        value=shown,
        period=[p or "(hand-entered)" for p in period],
        change=deltas["change"],
        delta_line=deltas["line"],
        delta_line_color=color,
        target=[t or "—" for t in targets["text"]],
        target_line=targets["line"],
        target_line_color=targets["color"],
        persona=_persona_names(ctx, metrics["persona_id"]),
        segment=segment,
        n=[t or "—" for t in texts(metrics["n"])],
        source=texts(metrics["source"]),
        basis=texts(metrics["basis"]),
        fill="#f6f8fa",
    )
    tooltips = [
        ("Metric", "@name"),
        ("Value", "@value"),
        ("Period", "@period"),
        ("Change", "@change"),
        ("Target", "@target"),
        ("Touchpoint", "@touchpoint"),
        ("Stage", "@stage"),
        ("Persona", "@persona"),
        ("Segment", "@segment"),
        ("n", "@n"),
        ("Source", "@source"),
        ("Basis", "@basis"),
    ]
    # two lines: "20,000 customers" wraps on a narrow stage instead of losing digits
    style = CardStyle(
        tooltips, main_lines=2, note_lines=2, main_font_style="bold", extras=("delta_line", "target_line")
    )
    return items, style


def _deltas(
    metrics: pd.DataFrame,
    value: np.ndarray,
    unit: list[str],
    previous: pd.DataFrame,
    before: str | None,
    period: list[str],
) -> dict[str, list]:
    """Per card: the change since ``before`` (NaN without one), its card line and hover text."""
    out: dict[str, list] = {"delta": [], "line": [], "change": []}
    old_values = zip(numbers(previous["value"]), texts(previous["unit"]), strict=True)
    earlier = dict(zip(_keys(previous), old_values, strict=True))
    for key, v, u, p in zip(_keys(metrics), value, unit, period, strict=True):
        old = earlier.get(key) if p and before is not None else None
        if old is None or np.isnan(old[0]) or np.isnan(v) or old[1] != u:
            new = bool(p) and before is not None and old is None
            out["delta"].append(np.nan)
            out["line"].append("new" if new else "")
            out["change"].append(f"no value in {before}" if new else "—")
            continue
        d = float(v - old[0])
        text = _delta_text(d, u)
        arrow = "▲" if d > 0 else "▼" if d < 0 else "="
        out["delta"].append(d)
        out["line"].append(f"{arrow} {text}" if d else "= no change")
        out["change"].append(f"{arrow} {text} since {before} (was {_format_value(old[0], u)})")
    return out


def _delta_text(d: float, unit: str) -> str:
    """A signed change: percentage points for rates, else the value's unit."""
    if unit in ("%", "ratio"):
        return f"{d * (100 if unit == 'ratio' else 1):+.1f} pp".replace("-", "\u2212")
    magnitude = _format_value(abs(d), "" if unit[:1].isdigit() else unit)
    return ("+" if d > 0 else "\u2212" if d < 0 else "±") + magnitude  # a true minus sign


def _targets(metrics: pd.DataFrame, scores: pd.DataFrame | None) -> dict[str, list]:
    """Per card: the target line, its colour, the hover text and the good direction
    (+1 up is better, -1 down is better, 0 no goal or "==").

    ``scores`` is :func:`cjm_jupyter.model.goals.scorecard` for the period shown:
    a goal sits on the card of the metric row the scorecard measured it with, so
    the map and the scorecard never disagree.
    """
    out: dict[str, list] = {"line": [], "text": [], "color": [], "direction": []}
    by_metric: dict[str, list[dict]] = {}
    if scores is not None:
        for row in scores.to_dict("records"):
            if isinstance(row["metric_id"], str):
                by_metric.setdefault(row["metric_id"], []).append(row)
    for metric_id in metrics["id"].astype(object):
        found = by_metric.get(metric_id, [])
        parts = [
            f"target {SYMBOLS[r['comparison']]} "
            f"{_format_value(float(r['target']), r['unit'] if isinstance(r['unit'], str) else '')} "
            f"{VERDICTS[r['status']]}"
            for r in found
        ]
        first = found[0]["comparison"] if found else "=="
        direction = 1 if first in (">=", ">") else -1 if first in ("<=", "<") else 0
        text = "; ".join(parts)
        out["line"].append(text)
        out["text"].append(text)
        out["direction"].append(direction)
        statuses = [r["status"] for r in found]
        bad = "missed" in statuses
        good = bool(statuses) and all(st == "met" for st in statuses)
        out["color"].append(BAD if bad else GOOD if good else theme.MUTED)
    return out
