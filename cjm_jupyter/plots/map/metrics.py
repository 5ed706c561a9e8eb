"""The metrics lane's fields: one period's values, their change, targets, intervals and marks.

A journey measured over several periods holds one set of metric rows per
period (``period`` column; rows without a period are typed by hand and count
as current). The map shows one period, the latest by default
(:func:`cjm_jupyter.model.history.period_sort_key`), each value with its change
since the previous period (arrow and signed delta: the arrow and the sign
carry the direction, colour only repeats it) and, when the journey has a goal
for it, the target and whether it is met.

Measured rates carry their uncertainty: a ratio (or ``%``) metric with a sample
size ``n`` shows its 95% Wilson interval (``95% CI 58\u201364%``, an en dash; needs the
``stats`` extra, without it the values simply have none), and with a
:func:`~cjm_jupyter.analytics.compare_segments` frame a segment's conversion
value says when it differs significantly from the comparison's baseline
(``* vs desktop: +6.2 pp, p adj 0.003``).

The lane draws these fields as one table per stage
(:mod:`~cjm_jupyter.plots.map.metrics_table`): the value in the cell, the
rest in its hover. ``measure()`` writes, among others, the **exit rate**
(unit ratio) per touchpoint: of the customers who visited it, the share whose
last event was there and who did not reach the goal (the journey's last
stage unless ``goal=``); customers whose last event was there and who did
reach it are *completed*, not exits. Old files' ``bounce rate`` rows are
shown as written.
"""

from __future__ import annotations

from typing import SupportsFloat

import numpy as np
import pandas as pd

from ...errors import ValidationError
from ...model.labels import format_value
from ...model.periods import Periods, emotion_rows, pick_period, rows_of_period
from .. import theme
from .cards import _persona_names
from .grid import numbers, texts
from .lanes import MapContext

__all__ = [
    "COMPARISON_COLUMNS",
    "Periods",
    "check_comparison",
    "comparison_marks",
    "emotion_rows",
    "interval_texts",
    "metric_fields",
    "pick_period",
    "rows_of_period",
]

#: The columns that say which metric a row measures: a row of one period and
#: a row of another with the same key are the same metric at two dates.
METRIC_KEY = ("name", "stage_id", "touchpoint_id", "persona_id", "segment")
#: How a goal's comparison reads on a card (the scorecard computes it).
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}
#: A scorecard status as a card says it.
VERDICTS = {"met": "✓ met", "missed": "✗ missed", "no data": "no data"}
#: Okabe-Ito green and vermilion: the words "met"/"missed" and ✓/✗ say it first.
GOOD, BAD = "#009E73", "#D55E00"
#: Okabe-Ito blue: outline and text of a significant difference (the "*" says it first).
MARKED = "#0072B2"
#: Columns of a compare_segments frame the map reads.
COMPARISON_COLUMNS = (
    "metric",
    "stage_id",
    "touchpoint_id",
    "segment",
    "baseline",
    "value",
    "difference",
    "p_adjusted",
    "significant",
)


def _keys(df: pd.DataFrame) -> list[tuple[str, ...]]:
    columns = [texts(df[c]) if c in df.columns else [""] * len(df) for c in METRIC_KEY]
    columns[0] = [n.strip().casefold() for n in columns[0]]
    return list(zip(*columns, strict=True))


def metric_fields(
    ctx: MapContext,
    metrics: pd.DataFrame,
    previous: pd.DataFrame,
    scores: pd.DataFrame | None,
    periods: Periods,
    comparison: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return, per metric row shown, its place in the map and what its table cell and hover say.

    The value with its unit (``value``) and as a table cell writes it
    (``cell``: a count unit such as ``customers`` goes to the row's name
    ``label`` instead), its 95% interval (:func:`interval_texts`), its change
    since ``periods.previous``, its goals' targets (``scores``: the journey's
    scorecard for the period shown) and, with ``comparison``, whether the
    segment differs significantly from the baseline (:func:`comparison_marks`).

    ``metrics`` are the rows shown (see :func:`rows_of_period`), ``previous``
    the rows of the previous period.
    """
    metrics = metrics.reset_index(drop=True)
    value = numbers(metrics["value"])
    unit = texts(metrics["unit"])
    name = texts(metrics["name"])
    placed = ctx.grid.place(metrics)
    tp_names = dict(zip(ctx.grid.touchpoints["slot"], texts(ctx.grid.touchpoints["name"]), strict=True))
    stage_names = np.append(ctx.grid.stages["name"].astype(object).to_numpy(), "")
    slot = placed["slot"].to_numpy(dtype=float)
    pos = placed["stage_pos"].to_numpy(dtype=int)
    touchpoint = [tp_names.get(s, "") if not np.isnan(s) else "" for s in slot]
    counted = [_is_count(u) for u in unit]
    label = [
        " · ".join(p for p in (f"{n} ({u})" if c and u.casefold() != n.strip().casefold() else n, t) if p)
        for n, u, c, t in zip(name, unit, counted, touchpoint, strict=True)
    ]
    # rows keep the order of their first appearance, stage-level rows above a touchpoint's
    keys = [n.strip().casefold() for n in name]
    first = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    rank = np.array([first[k] for k in keys], dtype=float)
    row_order = np.where(np.isnan(slot), 0, np.nan_to_num(slot) + 1) * 10_000 + rank
    period = texts(metrics["period"]) if "period" in metrics.columns else [""] * len(metrics)
    targets = _targets(metrics, scores)
    deltas = _deltas(metrics, value, unit, previous, periods.previous, period)
    intervals = interval_texts(metrics, value, unit)
    marks = comparison_marks(metrics, comparison)
    return pd.DataFrame(
        {
            "stage_pos": pos,
            "slot": slot,
            "row_order": row_order.astype(int) if len(metrics) else np.zeros(0, dtype=int),
            "label": label,
            "name": name,
            "place": [
                " · ".join(p for p in (t, str(stage_names[i])) if p) or "(whole journey)"
                for t, i in zip(touchpoint, pos, strict=True)
            ],
            "value": [format_value(v, u) for v, u in zip(value, unit, strict=True)],
            "cell": [format_value(v, "" if c else u) for v, u, c in zip(value, unit, counted, strict=True)],
            "period": [p or "(hand-entered)" for p in period],
            "change": deltas["change"],
            "target": [t or "—" for t in targets["text"]],
            "interval": intervals["text"],
            "versus": marks["text"],
            "persona": _persona_names(ctx, metrics["persona_id"]),
            "segment": texts(metrics["segment"]) if "segment" in metrics.columns else [""] * len(metrics),
            "n": [t or "—" for t in texts(metrics["n"])],
            "source": texts(metrics["source"]),
            "basis": texts(metrics["basis"]),
            "measured": [b == "measured" for b in texts(metrics["basis"])],
            "marked": [bool(m) for m in marks["lines"]],
        }
    )


def _is_count(unit: str) -> bool:
    """Tell whether a unit names what was counted (``customers``, ``orders``): a word, not a sign or scale."""
    return bool(unit) and unit.replace(" ", "").isalpha() and unit.casefold() not in ("ratio", "currency")


def interval_texts(metrics: pd.DataFrame, value: np.ndarray, unit: list[str]) -> dict[str, list[str]]:
    """Return each card's 95% Wilson interval: its card lines and hover text.

    The card lines come longest first: the card shows the first that fits.

    Only rates that say how many they were measured on get one: unit
    ``"ratio"`` (or ``"%"``), ``n`` > 0 and a value in [0, 1] (a first-reach
    "conversion" above 1 is no proportion). The successes are ``round(value *
    n)``. A row without ``n`` (typed by hand) has none, and so has every card
    when scipy/statsmodels (the ``stats`` extra) are missing: the map draws
    without them rather than fail.
    """
    count = len(value)
    out: dict[str, list] = {"lines": [()] * count, "text": ["—"] * count}
    n = numbers(metrics["n"]) if "n" in metrics.columns else np.full(count, np.nan)
    scale = np.array([1.0 if u == "ratio" else 0.01 if u == "%" else np.nan for u in unit], dtype=float)
    share = np.asarray(value, dtype=float) * scale
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(share) & np.isfinite(n) & (n > 0) & (share >= 0) & (share <= 1)
    if not ok.any():
        return out
    bounds = _wilson(np.round(share[ok] * n[ok]), n[ok])
    if bounds is None:
        return out
    for i, low, high in zip(np.flatnonzero(ok), *bounds, strict=True):
        span = _percent_range(float(low), float(high))
        out["lines"][i] = (f"95% CI {span}", span)
        out["text"][i] = f"{span} (Wilson, n = {int(n[i]):,})"
    return out


def _wilson(successes: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Return the Wilson 95% bounds, or None without the ``stats`` extra."""
    try:  # lazily: the map must not pull statsmodels in unless a card needs it
        from ...analytics.stats import wilson_interval

        low, high = wilson_interval(successes, n)
    except ImportError:  # the stats extra is optional: cards without intervals
        return None
    return np.atleast_1d(low), np.atleast_1d(high)


def _percent_range(low: float, high: float) -> str:
    """Write an interval as ``58\u201364%`` (en dash): whole percents unless that would hide its width."""
    digits = 0 if (high - low) * 100 >= 2 else 1
    return f"{low * 100:.{digits}f}\u2013{high * 100:.{digits}f}%"


def check_comparison(comparison: object) -> pd.DataFrame | None:
    """Return ``comparison`` as a frame with the :data:`COMPARISON_COLUMNS`, or None.

    Raises
    ------
    ValidationError
        Not a DataFrame, or a column is missing (named in the message).
    """
    if comparison is None:
        return None
    if not isinstance(comparison, pd.DataFrame):
        raise ValidationError(
            f"comparison must be a compare_segments frame (a DataFrame), not {type(comparison).__name__}",
            column="comparison",
        )
    missing = [c for c in COMPARISON_COLUMNS if c not in comparison.columns]
    if missing:
        raise ValidationError(
            f"comparison lacks the compare_segments column(s) {', '.join(missing)}", column="comparison"
        )
    return comparison


def comparison_marks(metrics: pd.DataFrame, comparison: pd.DataFrame | None) -> dict[str, list[str]]:
    """Return each card's significance lines and its "vs baseline" hover text.

    The lines come longest first: the card shows the first that fits.

    A ``conversion`` card of a segment meets the ``comparison`` row of the same
    stage, touchpoint and segment (metric ``"conversion"``). Where that row is
    ``significant`` the card says so (``* vs desktop: +6.2 pp, p adj 0.003``);
    every matched card's hover gives both rates, the difference, the test and
    the adjusted p-value, so a difference that is not significant reads as such.
    The baseline's own cards and cards without a segment get nothing.
    """
    count = len(metrics)
    out: dict[str, list] = {"lines": [()] * count, "text": ["—"] * count}
    if comparison is None or comparison.empty or not count:
        return out
    rows = comparison.loc[(comparison["metric"].astype(object) == "conversion").fillna(False)]
    found: dict[tuple[str, str, str], dict] = {}
    for row, key in zip(rows.to_dict("records"), _places(rows), strict=True):
        if key[2] and key[2] != _text(row["baseline"]):
            found[key] = row
    mode = comparison.attrs.get("mode")
    funnel = f", {mode} funnel" if isinstance(mode, str) else ""
    names = [n.strip().casefold() for n in texts(metrics["name"])]
    for i, (name, key) in enumerate(zip(names, _places(metrics), strict=True)):
        row = found.get(key) if name == "conversion" else None
        if row is None:
            continue
        diff = _delta_text(float(row["difference"]), "ratio") if pd.notna(row["difference"]) else "—"
        p = _p_text(row["p_adjusted"])
        baseline = _text(row["baseline"])
        significant = bool(pd.notna(row["significant"]) and row["significant"])
        if significant:
            full = f"* vs {baseline}: {diff}, p adj {p}"
            out["lines"][i] = (full, f"* {diff}, p adj {p}", f"* {diff}", "*")
        base_value = format_value(_number(row.get("baseline_value")), "ratio")
        test = f"{_text(row.get('test'))}, " if _text(row.get("test")) else ""
        verdict = "significant" if significant else "not significant"
        out["text"][i] = (
            f"{key[2]} {format_value(_number(row['value']), 'ratio')} vs {baseline} {base_value}: "
            f"{diff} ({test}p adj {p}, {verdict}{funnel})"
        )
    return out


def _places(df: pd.DataFrame) -> list[tuple[str, str, str]]:
    """Return (stage_id, touchpoint_id, segment) of each row, missing as ``""``."""
    return list(zip(texts(df["stage_id"]), texts(df["touchpoint_id"]), texts(df["segment"]), strict=True))


def _text(value: object) -> str:
    return texts([value])[0]


def _number(value: object) -> float:
    return float(numbers(pd.Series([value], dtype=object))[0])


def _p_text(p: SupportsFloat | None) -> str:
    """Write an adjusted p-value as a card does: three decimals, ``< 0.001`` below."""
    if p is None or pd.isna(p):
        return "—"
    return "< 0.001" if float(p) < 0.001 else f"{float(p):.3f}"


def _deltas(
    metrics: pd.DataFrame,
    value: np.ndarray,
    unit: list[str],
    previous: pd.DataFrame,
    before: str | None,
    period: list[str],
) -> dict[str, list]:
    """Return each card's change since ``before`` (NaN without one), its card line and hover text."""
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
        out["change"].append(f"{arrow} {text} since {before} (was {format_value(old[0], u)})")
    return out


def _delta_text(d: float, unit: str) -> str:
    """Write a signed change: percentage points for rates, else the value's unit."""
    if unit in ("%", "ratio"):
        return f"{d * (100 if unit == 'ratio' else 1):+.1f} pp".replace("-", "\u2212")
    magnitude = format_value(abs(d), "" if unit[:1].isdigit() else unit)
    return ("+" if d > 0 else "\u2212" if d < 0 else "±") + magnitude  # a true minus sign


def _targets(metrics: pd.DataFrame, scores: pd.DataFrame | None) -> dict[str, list]:
    """Return each card's target line, its colour, the hover text and the good direction.

    The direction is +1 when up is better, -1 when down is better, 0 without a goal or
    for "==".

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
            f"{format_value(float(r['target']), r['unit'] if isinstance(r['unit'], str) else '')} "
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
