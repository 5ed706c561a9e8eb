"""The action-plan lane of the journey map, with the plan's progress per stage.

Above each stage's action cards sits a bar split by status (done, in
progress, planned, blocked, dropped) and the counts written under it: the
words carry the progress, the colours (the status colours of the cards'
outlines) repeat it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, Plot, Quad

from ...model.specs import ACTION_STATUSES
from .. import theme
from .cards import STATUS_COLORS, action_items, card_lane
from .grid import FULL, text_rows, wrap
from .lanes import MapContext, add_glyph, text_glyph

__all__ = ["STATUS_ORDER", "actions_lane", "progress_table"]

#: Statuses the bar starts with, from its left end: the progress made.
_LEADING = ("done", "in_progress")
#: Every status of the specs (``ACTION_STATUSES``) in the order the bar shows them, with its
#: label ("in progress" for ``in_progress``): the leading ones, then the others in the specs' order.
STATUS_ORDER: dict[str, str] = {
    s: s.replace("_", " ")
    for s in sorted(ACTION_STATUSES, key=lambda s: _LEADING.index(s) if s in _LEADING else len(_LEADING))
}
#: Where the bar and its counts sit above the cards, in lines.
_BAR_TOP, _BAR_BOTTOM, _TEXT_Y = 0.35, 1.05, 1.3


def progress_table(stage_pos: pd.Series, status: pd.Series, n_stages: int) -> pd.DataFrame:
    """Count actions per stage and status: one row per stage that has actions.

    Parameters
    ----------
    stage_pos : Series of int
        Each action's stage position (-1: no stage, left out).
    status : Series of str
        Each action's status (``"in_progress"`` etc.; missing counts as planned).
    n_stages : int

    Returns
    -------
    DataFrame
        ``stage_pos``, ``total`` and one count column per status of
        :data:`STATUS_ORDER`.
    """
    status = pd.Series(status, dtype=object).fillna("planned").to_numpy()
    df = pd.DataFrame({"stage_pos": np.asarray(stage_pos, dtype=int), "status": status})
    df = df.loc[(df["stage_pos"] >= 0) & (df["stage_pos"] < n_stages)]
    table = pd.crosstab(df["stage_pos"], df["status"]).reindex(columns=list(STATUS_ORDER), fill_value=0)
    table.columns.name = None
    table = table.astype(int).reset_index()
    table.insert(1, "total", table[list(STATUS_ORDER)].sum(axis=1))
    return table


def progress_text(row: pd.Series) -> str:
    """Write a stage's progress, e.g. "1/4 done · 2 in progress · 1 planned" (empty statuses left out)."""
    parts = [f"{row['done']}/{row['total']} done"]
    parts += [f"{row[s]} {label}" for s, label in STATUS_ORDER.items() if s != "done" and row[s]]
    return " · ".join(parts)


def actions_lane(
    ctx: MapContext, title: str, actions: pd.DataFrame, opps: pd.DataFrame, pains: pd.DataFrame
) -> Plot:
    """Draw the action plan's cards, under a progress bar per stage."""
    items, style = action_items(ctx, actions, opps, pains)
    status = pd.Series(actions["status"].astype(object).to_numpy())
    table = progress_table(items["stage_pos"], status, len(ctx.grid.stages))
    if table.empty:
        return card_lane(ctx, "actions_plan", title, items, style)
    stages = ctx.grid.stages
    margin = min(6.0 / ctx.grid.slot_px, 0.15)
    start = stages["start"].to_numpy(dtype=float)[table["stage_pos"]] + margin
    end = stages["end"].to_numpy(dtype=float)[table["stage_pos"]] - margin
    summary = [progress_text(r) for _, r in table.iterrows()]
    text_px = (end - start) * ctx.grid.slot_px
    # The counts carry the progress: never cut, as many lines as they need.
    labels = [wrap(t, w, FULL, font_px=10) for t, w in zip(summary, text_px, strict=True)]
    lines = max(label.count("\n") + 1 if label else 0 for label in labels)
    p = card_lane(ctx, "actions_plan", title, items, style, offset=_TEXT_Y + lines)
    names = stages["name"].astype(object).to_numpy()[table["stage_pos"]]
    _draw_progress(p, table, start, end, names, summary)
    rows_text = text_rows(start, _TEXT_Y, labels)
    text_glyph(p, rows_text, "action_progress_text", text_font_size="10px", text_color=theme.TEXT)
    return p


def _draw_progress(
    p: Plot, table: pd.DataFrame, start: np.ndarray, end: np.ndarray, names: np.ndarray, summary: list[str]
) -> None:
    """Draw one bar per stage, a segment per status as wide as its share of the actions."""
    rows: dict[str, list] = {k: [] for k in ("left", "right", "color", "stage", "status", "actions", "share")}
    for i, r in table.iterrows():
        left = start[i]
        for s, label in STATUS_ORDER.items():
            if not r[s]:
                continue
            right = left + (end[i] - start[i]) * r[s] / r["total"]
            rows["left"].append(left)
            rows["right"].append(right)
            rows["color"].append(STATUS_COLORS[s])
            rows["stage"].append(str(names[i]))
            rows["status"].append(label)
            rows["actions"].append(f"{r[s]} of {r['total']}")
            rows["share"].append(summary[i])
            left = right
    source = ColumnDataSource(rows, name="action_progress")
    bars = add_glyph(
        p,
        source,
        Quad(
            left="left",
            right="right",
            top=_BAR_TOP,
            bottom=_BAR_BOTTOM,
            fill_color="color",
            line_color="#ffffff",
            line_width=1,
        ),
    )
    tooltips = [("Stage", "@stage"), ("Status", "@status"), ("Actions", "@actions"), ("Progress", "@share")]
    p.add_tools(HoverTool(renderers=[bars], tooltips=tooltips))
