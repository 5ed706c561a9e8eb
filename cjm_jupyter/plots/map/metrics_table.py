"""The metrics lane drawn as one small table per stage column: metric by segment.

Rows are metrics (a touchpoint's metric is named with its place, ``exit rate
· Website``), columns are the groups measured: **All customers** (rows
without a segment or persona) first, then each segment in its colour
(:func:`~cjm_jupyter.plots.theme.segment_colors`), a segment a persona was
made from under the persona's name. A stage's ``customers`` count is no row:
it is the column's ``n``, written once under the column's name. A count
unit (``orders``) is written once after the row's name, never in the cells.

Everything else a card used to carry (95% interval, change since the
previous period, goal targets, the comparison with a baseline, n, source)
is in each cell's hover; a significant difference also marks the cell
(``*`` and a blue outline). Measured cells are filled, assumed ones hollow
with a dashed outline. When the columns do not fit the stage, the first
ones are shown and a last ``+N more`` column hovers the rest (a significant
value keeps its ``*`` there). Two rows of one metric at one place and group
(a hand-entered row beside a measured one) stack, one value line each.

The hover defines the metrics it knows (:data:`DEFINITIONS`): the **exit
rate** at a touchpoint is the share of its customers whose last event was
there and who did not reach the goal (the journey's last stage unless
``goal=``); those who did are *completed*, not exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, Plot, Quad, Range1d

from .. import theme
from .grid import LINE_PX, PAD_PX, text_em, text_rows, texts, wrap
from .lanes import MapContext, add_glyph, lane_figure, text_glyph
from .metrics import MARKED, metric_fields

if TYPE_CHECKING:
    from ...model.journey import Journey
    from .frames import MapFrames

__all__ = ["ALL_CUSTOMERS", "DEFINITIONS", "metrics_table_lane"]

#: The column of rows measured on every customer (no segment, no persona).
ALL_CUSTOMERS = "All customers"
#: What a metric measures, in its hover (by lower-case name).
DEFINITIONS = {
    "exit rate": "customers whose last event was here and who did not reach the goal, of those who visited",
    "conversion": "customers who reached this stage, of those who reached the previous one",
}
#: Count units: written once after the row's name, not in every cell.
_FONT_PX, _SMALL_PX = 11.0, 10.0
#: Narrowest value column, in pixels (a "+N more" column needs about this much).
_MIN_COLUMN_PX = 38.0
_GAP_PX = 4.0
#: Widest a group name's word may make the columns, in pixels ("customers" is about 60).
_MAX_WORD_PX = 96.0
_HEADER_LINES = 2
#: Height of one value line of a table row, in text lines (the cell box is 1.2).
_VALUE_LINES = 1.35
#: Cell fills: measured cells are filled, assumed (or hand-entered) ones hollow.
MEASURED_FILL = "#eef2f6"
CELL_TOOLTIPS = [
    ("Metric", "@name"),
    ("Where", "@place"),
    ("Group", "@column"),
    ("Value", "@value"),
    ("95% interval", "@interval"),
    ("Period", "@period"),
    ("Change", "@change"),
    ("Target", "@target"),
    ("vs baseline", "@versus"),
    ("n", "@n"),
    ("Definition", "@definition"),
    ("Source", "@source"),
    ("Basis", "@basis"),
]
MORE_TOOLTIPS = [("Metric", "@name"), ("Where", "@place"), ("More groups", "@more")]


@dataclass(frozen=True)
class _Column:
    key: str
    label: str
    color: str


def metrics_table_lane(ctx: MapContext, frames: MapFrames, title: str) -> Plot:
    """Draw the metrics lane: per stage column, a table of the metrics shown by group.

    Parameters
    ----------
    ctx : MapContext
    frames : MapFrames
        The frames shown (``metrics``, ``previous_metrics``, ``scores``,
        ``periods``, ``comparison``, ``journey``).
    title : str
        The lane title (the caller adds the period shown).

    Returns
    -------
    Plot
        Named ``"lane:metrics"``; its sources: ``metrics`` (one row per
        metric row shown, with its hover fields and cell box, NaN when the
        cell is behind "+N more"), ``metrics_more``, and the text sources
        ``metrics_text`` (cell values), ``metrics_label`` (row names),
        ``metrics_header`` (column names) and ``metrics_n``.
    """
    f = frames
    metrics = f.metrics.reset_index(drop=True)
    fields = metric_fields(ctx, metrics, f.previous_metrics, f.scores, f.periods, f.comparison)
    columns = _columns(f.journey, metrics)
    fields["column_key"] = _column_keys(metrics)
    fields["column"] = [columns[k].label for k in fields["column_key"]]
    fields["definition"] = [DEFINITIONS.get(n.strip().casefold(), "—") for n in fields["name"]]
    order = list(columns)
    box = {k: np.full(len(fields), np.nan) for k in ("left", "right", "top", "bottom")}
    labels: dict[str, list] = {"x": [], "y": [], "text": []}
    cells: dict[str, list] = {"x": [], "y": [], "text": [], "color": [], "style": []}
    heads: dict[str, list] = {"x": [], "y": [], "text": [], "color": []}
    ns: dict[str, list] = {"x": [], "y": [], "text": []}
    more_rows: list[dict] = []
    height = 1.0
    grid = ctx.grid
    starts = np.append(grid.stages["start"].to_numpy(dtype=float), 0.0)
    ends = np.append(grid.stages["end"].to_numpy(dtype=float), float(grid.n_slots))
    for pos, table in fields.groupby("stage_pos", sort=True):
        left, right = float(starts[pos]), float(ends[pos])
        margin = min(2.0 / grid.slot_px, 0.08)
        x0 = left + margin + PAD_PX / grid.slot_px
        width_px = (right - left - 2 * margin) * grid.slot_px - 2 * PAD_PX
        is_n = (table["name"].str.strip().str.casefold() == "customers") & table["slot"].isna()
        body, n_rows = table.loc[~is_n], table.loc[is_n]
        keys = [k for k in order if k in set(table["column_key"])]
        # a column is as wide as its widest value and the longest word of its group's name, up to
        # _MAX_WORD_PX: one long name must not push every other group behind "+N more" (its
        # header hyphenates; the hover names it whole)
        words = [w for k in keys for w in columns[k].label.split()]
        value_px = max(
            [
                _MIN_COLUMN_PX,
                *(text_em(v + "*") * _FONT_PX + _GAP_PX for v in table["cell"]),
                *(min(text_em(w) * _SMALL_PX * 1.1 + _GAP_PX, _MAX_WORD_PX) for w in words),
            ]
        )
        value_px = min(value_px, max(width_px, 1.0))
        fit = max(1, int((width_px + _GAP_PX) // value_px))
        shown, hidden = keys[:fit], keys[fit:]
        col_px = value_px
        col_x = {k: x0 + i * col_px / grid.slot_px for i, k in enumerate(shown)}
        y = 0.35
        # the header: each group's name (up to two lines) in its colour, then "+N more", then n
        head_lines = 1
        for k in shown:
            text = wrap(columns[k].label, col_px - _GAP_PX, _HEADER_LINES, font_px=_SMALL_PX, bold=True)
            head_lines = max(head_lines, text.count("\n") + 1)
            heads["x"].append(col_x[k])
            heads["y"].append(y)
            heads["text"].append(text)
            heads["color"].append(columns[k].color)
        y += head_lines

        span = (x0 - 1 / grid.slot_px, x0 + width_px / grid.slot_px)

        def more(
            top: float,
            lines: int,
            rows: pd.DataFrame,
            shown: list[str] = shown,
            span: tuple[float, float] = span,
        ) -> None:
            found = _more_row(rows, shown, *span, top, lines)
            if found:
                more_rows.append(found)

        if hidden:
            text = wrap(f"+{len(hidden)} more", width_px, 1, font_px=_SMALL_PX)
            heads["x"].append(x0)
            heads["y"].append(y)
            heads["text"].append(text)
            heads["color"].append(theme.MUTED)
            groups = table.loc[table["column_key"].isin(hidden)].drop_duplicates("column_key")
            more(y, 1, groups.assign(value="", n="—", name="(groups)", place=""))
            y += 1
        if not n_rows.empty:
            layers = _layers(n_rows)
            for row, layer in zip(n_rows.itertuples(), layers, strict=True):
                if row.column_key in col_x:
                    ns["x"].append(col_x[row.column_key])
                    ns["y"].append(y + layer)
                    ns["text"].append(f"n {row.cell}")
                    _set_box(box, row.Index, col_x[row.column_key], col_px, y + layer, grid.slot_px, 1.0)
            more(y, 1, n_rows)
            y += max(layers) + 1.25
        # body: one row per metric and place, a name line then the values
        for (_, label), row_cells in body.groupby(["row_order", "label"], sort=True):
            text = wrap(label, width_px, 2, font_px=_SMALL_PX)
            labels["x"].append(x0)
            labels["y"].append(y)
            labels["text"].append(text)
            lines = text.count("\n") + 1 if text else 0
            more(y, lines, row_cells)
            y += lines
            layers = _layers(row_cells)
            for cell, layer in zip(row_cells.itertuples(), layers, strict=True):
                if cell.column_key in col_x:
                    top = y + layer * _VALUE_LINES
                    cells["x"].append(col_x[cell.column_key] + 2 / grid.slot_px)
                    cells["y"].append(top + 0.1)
                    cells["text"].append(cell.cell + ("*" if cell.marked else ""))
                    cells["color"].append(theme.TEXT if cell.measured else theme.MUTED)
                    cells["style"].append("normal" if cell.measured else "italic")
                    _set_box(box, cell.Index, col_x[cell.column_key], col_px, top, grid.slot_px)
            y += (max(layers) + 1) * _VALUE_LINES
        height = max(height, y + 0.3)
    p = lane_figure(ctx, "metrics", title, round(height * LINE_PX), Range1d(start=height, end=0))
    fields = fields.assign(**box)
    fields["fill"] = [MEASURED_FILL if m else "#ffffff" for m in fields["measured"]]
    fields["line"] = [MARKED if m else theme.GRID for m in fields["marked"]]
    fields["dash"] = ["solid" if m else "dashed" for m in fields["measured"]]
    data = {
        c: (fields[c].to_numpy(dtype=float) if fields[c].dtype.kind in "fiu" else texts(fields[c]))
        for c in fields.columns
        if c not in ("stage_pos", "slot", "row_order", "measured", "marked", "cell")
    }
    source = ColumnDataSource(data, name="metrics")
    quads = add_glyph(
        p,
        source,
        Quad(
            left="left",
            right="right",
            top="top",
            bottom="bottom",
            fill_color="fill",
            line_color="line",
            line_width=1.0,
            line_dash="dash",
            # Bokeh's stub types border_radius as Property[...] (core/property_aliases.pyi),
            # not the pixels it takes.
            border_radius=3,  # type: ignore[arg-type]
        ),
    )
    tools = [HoverTool(renderers=[quads], tooltips=CELL_TOOLTIPS)]
    if more_rows:
        more_source = ColumnDataSource(pd.DataFrame(more_rows).to_dict("list"), name="metrics_more")
        hollow = add_glyph(
            p,
            more_source,
            # invisible: the hover target of a row's name (its groups behind "+N more")
            Quad(left="left", right="right", top="top", bottom="bottom", fill_alpha=0.0, line_alpha=0.0),
        )
        tools.append(HoverTool(renderers=[hollow], tooltips=MORE_TOOLTIPS))
    size = f"{_SMALL_PX:g}px"
    if heads["text"]:
        rows = text_rows(heads["x"], heads["y"], heads["text"], color=heads["color"])
        text_glyph(p, rows, "metrics_header", text_color="color", text_font_size=size, text_font_style="bold")
    if ns["text"]:
        rows = text_rows(ns["x"], ns["y"], ns["text"])
        text_glyph(p, rows, "metrics_n", text_color=theme.MUTED, text_font_size=size)
    if labels["text"]:
        rows = text_rows(labels["x"], labels["y"], labels["text"])
        text_glyph(p, rows, "metrics_label", text_color=theme.MUTED, text_font_size=size)
    if cells["text"]:
        rows = text_rows(cells["x"], cells["y"], cells["text"], color=cells["color"], style=cells["style"])
        text_glyph(p, rows, "metrics_text", text_color="color", text_font_style="style")
    p.add_tools(*tools)
    return p


def _layers(rows: pd.DataFrame) -> list[int]:
    """Return each row's value line within its table row: 0, or 1, 2, ... for a second, third value.

    A second row of the same group (two rows of one metric at one place, e.g. a
    hand-entered row beside a measured one) is stacked, so no value hides under another.
    """
    return rows.groupby("column_key", sort=False).cumcount().astype(int).tolist()


def _set_box(
    box: dict[str, np.ndarray], i: int, x: float, col_px: float, y: float, slot_px: float, tall: float = 1.2
) -> None:
    """Set the cell of metric row ``i``: its column, one value line high."""
    box["left"][i] = x - 1 / slot_px
    box["right"][i] = x + (col_px - 2) / slot_px
    box["top"][i] = y
    box["bottom"][i] = y + tall


def _more_row(
    rows: pd.DataFrame, shown: list[str], left: float, right: float, top: float, lines: int
) -> dict | None:
    """Return the hover target over a row's name saying its groups behind "+N more" (None: all shown)."""
    rest = rows.loc[~rows["column_key"].isin(shown)]
    if rest.empty:
        return None
    said = [
        f"{c} {v}".strip() + ("*" if m else "") + (f" (n = {n})" if n != "—" else "")
        for c, v, n, m in rest[["column", "value", "n", "marked"]].to_numpy()
    ]
    name, place = rows["name"].iloc[0], rows["place"].iloc[0]
    return {
        "left": left,
        "right": right,
        "top": top,
        "bottom": top + lines,
        "name": name,
        "place": place,
        "more": "; ".join(said),
    }


def _column_keys(metrics: pd.DataFrame) -> list[str]:
    """Return each row's group: ``segment:<value>``, ``persona:<id>`` or ``""`` (every customer)."""
    segment = texts(metrics["segment"]) if "segment" in metrics.columns else [""] * len(metrics)
    persona = texts(metrics["persona_id"])
    pairs = zip(segment, persona, strict=True)
    return [f"segment:{s}" if s else f"persona:{p}" if p else "" for s, p in pairs]


def _columns(journey: Journey, metrics: pd.DataFrame) -> dict[str, _Column]:
    """Return the groups in table order: All customers, personas, then segments (sorted, coloured)."""
    keys = set(_column_keys(metrics))
    names = dict(zip(journey.personas["id"], texts(journey.personas["name"]), strict=True))
    persona_color = theme.persona_colors(journey)
    owners = theme.persona_segments(journey)
    colors = theme.segment_colors(journey)
    out: dict[str, _Column] = {}
    if "" in keys:
        out[""] = _Column("", ALL_CUSTOMERS, theme.TEXT)
    for key in sorted(k for k in keys if k.startswith("persona:")):
        pid = key.removeprefix("persona:")
        out[key] = _Column(key, names.get(pid, pid), persona_color.get(pid, theme.TEXT))
    for key in sorted(k for k in keys if k.startswith("segment:")):
        value = key.removeprefix("segment:")
        owner = owners.get(value)
        label = names.get(owner, value) if owner else value
        out[key] = _Column(key, label, colors.get(value, theme.TEXT))
    return out
