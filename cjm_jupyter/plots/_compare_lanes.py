"""What changed between two maps, lane by lane, drawn like the journey map.

Used by :func:`cjm_jupyter.plots.compare.compare_journeys` under its emotion
curves: one card lane per kind of content (touchpoints, pain points,
emotions, opportunities, action plan, metrics, custom lanes) over the stages
and touchpoints of both maps, one card per change at the changed row's place.
The card's words say what happened ("+ added", "- removed", "✓ resolved",
"✓ done", "▲ +2"); the outline colour (green better or new, vermilion worse
or gone, blue otherwise) only repeats it.

Rows are matched by id, else (for maps drawn separately, whose ids differ)
by their name or description.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from bokeh.models import Plot

from ..model.labels import NO_PERSONA_LABEL, format_value
from .map.cards import CardStyle, _base, card_lane
from .map.emotions import persona_table
from .map.grid import build_grid, numbers, texts
from .map.lanes import MapContext, header, make_bands
from .map.metrics import METRIC_KEY, emotion_rows, pick_period, rows_of_period

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["CHANGE_LANES", "change_lanes", "change_table"]

#: Lanes of the change map, in order, with their titles.
CHANGE_LANES = {
    "touchpoints": "Touchpoints",
    "pain_points": "Pain points",
    "emotions": "Emotions",
    "opportunities": "Opportunities",
    "actions_plan": "Action plan",
    "metrics": "Metrics",
}
BETTER, WORSE, OTHER = "#009E73", "#D55E00", "#0072B2"
CHANGE_TOOLTIPS = [
    ("Lane", "@{lane}"),
    ("Change", "@{change}"),
    ("Touchpoint", "@{touchpoint}"),
    ("Stage", "@{stage}"),
]
#: Marks of a row gone (a true minus sign, as wide as the plus).
REMOVED, GONE = "\u2212 removed", "\u2212 gone"
_COLUMNS = ("lane", "stage_id", "touchpoint_id", "main", "note", "change", "tone")


def _match(cur: pd.DataFrame, fut: pd.DataFrame, text: str) -> dict[str, str]:
    """Future row id -> current row id: the same id, else the same ``text`` (once)."""
    cur_ids = set(cur["id"].astype(str))
    by_text: dict[str, str] = {}
    for i, t in zip(cur["id"].astype(str), texts(cur[text]), strict=True):
        by_text.setdefault(t.strip().casefold(), i)
    out: dict[str, str] = {}
    taken = set(cur_ids & set(fut["id"].astype(str)))
    for i, t in zip(fut["id"].astype(str), texts(fut[text]), strict=True):
        if i in cur_ids:
            out[i] = i
        elif (j := by_text.get(t.strip().casefold())) is not None and j not in taken:
            out[i] = j
            taken.add(j)
    return out


class _Places:
    """Rows' places as keys of the merged stages and touchpoints."""

    def __init__(self, key_of: dict[str, dict[str, str]]) -> None:
        self.key_of = key_of

    def __call__(self, df: pd.DataFrame, future: bool) -> tuple[list[str | None], list[str | None]]:
        stages: list[str | None] = (
            [s or None for s in texts(df["stage_id"])] if "stage_id" in df else [None] * len(df)
        )
        tps: list[str | None] = (
            [t or None for t in texts(df["touchpoint_id"])] if "touchpoint_id" in df else [None] * len(df)
        )
        if future:
            stages = [self.key_of["stages"].get(s, s) if s else None for s in stages]
            tps = [self.key_of["touchpoints"].get(t, t) if t else None for t in tps]
        return stages, tps


def _rows_changes(
    lane: str,
    cur: pd.DataFrame,
    fut: pd.DataFrame,
    text: str,
    places: _Places,
    words: dict[str, tuple[str, str]],
    changed: Callable[[pd.Series, pd.Series], tuple[str, str] | None],
) -> list[dict[str, object]]:
    """Return the added, removed and changed rows of one frame.

    ``words`` gives the mark and tone of "added" and "removed"; ``changed``
    words a matched pair (None: no change worth a card).
    """
    pairs = _match(cur, fut, text)
    matched_cur = set(pairs.values())
    out: list[dict[str, object]] = []
    cur_stage, cur_tp = places(cur, future=False)
    fut_stage, fut_tp = places(fut, future=True)
    cur_by_id = {i: k for k, i in enumerate(cur["id"].astype(str))}
    for k, (i, t) in enumerate(zip(cur["id"].astype(str), texts(cur[text]), strict=True)):
        if i not in matched_cur:
            mark, tone = words["removed"]
            out.append(_card(lane, cur_stage[k], cur_tp[k], t, mark, tone))
    for k, (i, t) in enumerate(zip(fut["id"].astype(str), texts(fut[text]), strict=True)):
        if i not in pairs:
            mark, tone = words["added"]
            out.append(_card(lane, fut_stage[k], fut_tp[k], t, mark, tone))
            continue
        worded = changed(cur.iloc[cur_by_id[pairs[i]]], fut.iloc[k])
        if worded is not None:
            note, tone = worded
            out.append(_card(lane, fut_stage[k], fut_tp[k], t, note, tone))
    return out


def _card(lane: str, stage: str | None, tp: str | None, main: str, note: str, tone: str) -> dict[str, object]:
    return {
        "lane": lane,
        "stage_id": stage,
        "touchpoint_id": tp,
        "main": main,
        "note": note,
        "change": f"{main} ({note})" if note and not main.startswith(note) else main,
        "tone": tone,
    }


def _value(row: pd.Series, column: str) -> str:
    return texts([row.get(column)])[0]


def _columns_changed(columns: Iterable[str]) -> Callable[[pd.Series, pd.Series], tuple[str, str] | None]:
    def changed(old: pd.Series, new: pd.Series) -> tuple[str, str] | None:
        parts = [
            f"{c.replace('_', ' ')} {_value(old, c) or '—'} → {_value(new, c) or '—'}"
            for c in columns
            if _value(old, c) != _value(new, c)
        ]
        return ("; ".join(parts), OTHER) if parts else None

    return changed


_Worded = Callable[[pd.Series, pd.Series], "tuple[str, str] | None"]


def _scale_changed(column: str, higher_is_worse: bool) -> _Worded:
    def changed(old: pd.Series, new: pd.Series) -> tuple[str, str] | None:
        a, b = numbers(pd.Series([old[column], new[column]]))
        if (np.isnan(a) and np.isnan(b)) or a == b:
            return None
        if np.isnan(a) or np.isnan(b):
            return f"{column} {_value(old, column) or '—'} → {_value(new, column) or '—'}", OTHER
        arrow = "▲" if b > a else "▼"
        worse = (b > a) == higher_is_worse
        return f"{arrow} {column} {a:g} → {b:g}", WORSE if worse else BETTER

    return changed


def _status_changed(old: pd.Series, new: pd.Series) -> tuple[str, str] | None:
    a, b = _value(old, "status"), _value(new, "status")
    if a == b:
        return None
    label = b.replace("_", " ") or "—"
    mark = "✓ done" if b == "done" else f"{a.replace('_', ' ') or '—'} → {label}"
    return mark, BETTER if b == "done" else WORSE if b in ("blocked", "dropped") else OTHER


def _emotion_changes(cur: Journey, fut: Journey, places: _Places) -> list[dict[str, object]]:
    """Mean score per persona (by name) and place in each map; a card per shift."""
    frames = []
    for journey, future in ((cur, False), (fut, True)):
        emo = emotion_rows(journey.emotions, None)
        names = dict(zip(journey.personas["id"].astype(str), texts(journey.personas["name"]), strict=True))
        stages, tps = places(emo, future)
        frames.append(
            pd.DataFrame(
                {
                    "persona": [names.get(p, NO_PERSONA_LABEL) for p in texts(emo["persona_id"])],
                    "stage_id": [s or "" for s in stages],
                    "touchpoint_id": [t or "" for t in tps],
                    "score": numbers(emo["score"]),
                }
            )
            .groupby(["persona", "stage_id", "touchpoint_id"], sort=False)["score"]
            .mean()
        )
    both = pd.concat(frames, axis=1, keys=["old", "new"])
    out = []
    for (persona, stage, tp), row in both.iterrows():
        old, new = row["old"], row["new"]
        if (pd.isna(old) and pd.isna(new)) or old == new:
            continue
        if pd.isna(old) or pd.isna(new):
            note = f"{'+ added' if pd.isna(old) else REMOVED} ({(new if pd.isna(old) else old):+.2g})"
            tone = OTHER
        else:
            shift = new - old
            note = f"{'▲' if shift > 0 else '▼'} {shift:+.2g} ({old:+.2g} → {new:+.2g})"
            note = note.replace("-", "\u2212")
            tone = BETTER if shift > 0 else WORSE
        out.append(_card("Emotions", stage or None, tp or None, persona, note, tone))
    return out


def _metric_changes(cur: Journey, fut: Journey, places: _Places) -> list[dict[str, object]]:
    """Return each map's latest values, matched by name, place, persona and segment.

    The latest values are a map's latest period and its hand-entered rows.
    """
    tables = []
    for journey, future in ((cur, False), (fut, True)):
        m = journey.metrics
        m = rows_of_period(m, pick_period(m, m.iloc[:0], None).shown)
        stages, tps = places(m, future)
        keyed = m.assign(stage_id=stages, touchpoint_id=tps)
        columns = [[t.strip().casefold() if c == "name" else t for t in texts(keyed[c])] for c in METRIC_KEY]
        rows = zip(numbers(m["value"]), texts(m["unit"]), texts(m["name"]), stages, tps, strict=True)
        tables.append(dict(zip(zip(*columns, strict=True), rows, strict=True)))
    old, new = tables
    out = []
    for key in list(old) + [k for k in new if k not in old]:
        a, b = old.get(key), new.get(key)
        where = b or a
        assert where is not None
        name, stage, tp = where[2], where[3], where[4]
        if a is None or b is None:
            was = f"{GONE} (was {format_value(a[0], a[1])})" if a is not None else ""
            note = f"+ new: {format_value(b[0], b[1])}" if b is not None and a is None else was
            out.append(_card("Metrics", stage, tp, name, note, OTHER))
            continue
        if a[0] == b[0] or (np.isnan(a[0]) and np.isnan(b[0])):
            continue
        arrow = "▲" if b[0] > a[0] else "▼" if b[0] < a[0] else "→"
        note = f"{arrow} {format_value(a[0], a[1])} → {format_value(b[0], b[1])}"
        out.append(_card("Metrics", stage, tp, name, note, OTHER))
    return out


def change_table(current: Journey, future: Journey, key_of: dict[str, dict[str, str]]) -> pd.DataFrame:
    """Return every change worth a card.

    Columns: ``lane``, merged ``stage_id`` / ``touchpoint_id``, ``main``,
    ``note``, ``change`` (the full text, for the hover) and ``tone`` (outline
    colour).
    """
    places = _Places(key_of)
    rows: list[dict[str, object]] = []
    gone, new = (REMOVED, WORSE), ("+ added", BETTER)
    # a touchpoint's card sits in its own slot
    cur_tps = current.touchpoints.assign(touchpoint_id=current.touchpoints["id"])
    fut_tps = future.touchpoints.assign(touchpoint_id=future.touchpoints["id"])
    rows += _rows_changes(
        "Touchpoints",
        cur_tps,
        fut_tps,
        "name",
        places,
        {"removed": gone, "added": new},
        _columns_changed(("channel", "action", "owner")),
    )
    rows += _rows_changes(
        "Pain points",
        current.pain_points,
        future.pain_points,
        "description",
        places,
        {"removed": ("✓ resolved", BETTER), "added": ("+ new", WORSE)},
        _scale_changed("severity", True),
    )
    rows += _emotion_changes(current, future, places)
    rows += _rows_changes(
        "Opportunities",
        current.opportunities,
        future.opportunities,
        "description",
        places,
        {"removed": (REMOVED, OTHER), "added": ("+ new", OTHER)},
        _columns_changed(("impact", "effort")),
    )
    rows += _rows_changes(
        "Action plan",
        current.actions,
        future.actions,
        "description",
        places,
        {"removed": (REMOVED, OTHER), "added": ("+ new", OTHER)},
        _status_changed,
    )
    rows += _metric_changes(current, future, places)
    return pd.DataFrame(rows, columns=list(_COLUMNS))


def change_lanes(
    current: Journey,
    future: Journey,
    stages: pd.DataFrame,
    touchpoints: pd.DataFrame,
    key_of: dict[str, dict[str, str]],
    width: int | None,
) -> list[Plot]:
    """Build the stage header and one card lane per lane with changes.

    ``stages`` (``key``, ``name``) and ``touchpoints`` (``key``,
    ``stage_key``, ``name``) are both maps' merged, in order. Every stage
    gets the same width and cards span their stage (a change list reads
    better wide than in narrow touchpoint slots); a card's note names its
    touchpoint.
    """
    no_touchpoints = pd.DataFrame({"id": [], "stage_id": [], "name": [], "order": []})
    stage_rows = stages.assign(id=stages["key"], order=range(len(stages)), description="")
    grid = build_grid(stage_rows, no_touchpoints, width)
    ctx = MapContext(grid, make_bands(grid), persona_table(current.personas, []))
    table = change_table(current, future, key_of)
    tp_stage = dict(zip(touchpoints["key"], touchpoints["stage_key"], strict=True))
    tp_name = dict(zip(touchpoints["key"], touchpoints["name"], strict=True))
    tp_ids = texts(table["touchpoint_id"])
    table["touchpoint"] = [tp_name.get(t, "") for t in tp_ids]
    table["stage_id"] = [s or tp_stage.get(t) for s, t in zip(texts(table["stage_id"]), tp_ids, strict=True)]
    n = len(table)
    subtitle = f"{n} change{'' if n == 1 else 's'}: {current.name!s} → {future.name!s}" if n else "No change"
    plots = [header(ctx, "What changed, lane by lane", subtitle)]
    for key, title in CHANGE_LANES.items():
        rows = table.loc[table["lane"] == title].reset_index(drop=True)
        if rows.empty:
            continue
        notes = [
            f"{t} · {n}" if t and key != "touchpoints" else n
            for t, n in zip(rows["touchpoint"], rows["note"], strict=True)
        ]
        items = _base(grid.place(rows[["stage_id"]]), ctx, list(rows["main"]), notes)
        items = items.assign(lane=title, change=list(rows["change"]), line=list(rows["tone"]))
        items["touchpoint"] = list(rows["touchpoint"])
        style = CardStyle(CHANGE_TOOLTIPS, main_lines=2, note_lines=2)
        plots.append(card_lane(ctx, f"changes:{key}", title, items, style))
    return plots
