"""The flow (Sankey) diagram: how many customers move between stages or touchpoints.

Hand-written on Bokeh glyphs (``quad`` for nodes, ``patches`` for ribbons)
rather than HoloViews' ``Sankey``: HoloViews is the only well-kept library
that draws a Sankey on Bokeh, and it would pull holoviews, panel and param
(tens of MB, their own version pins on Bokeh) into a package that otherwise
needs Bokeh alone. It also refuses cyclic flows, which event logs produce
(back to the website after reading reviews): here such transitions are drawn
as loops under the diagram. The matplotlib/plotly Sankey packages do not
produce Bokeh models.

End nodes: a row whose target is ``"Left the journey"`` or ``"Completed"``
(the names :func:`cjm_jupyter.analytics.funnel_flow` writes) ends at a node of
its own for that source, drawn in the gap after the source's column: the
customers who left are stacked under the diagram there, those who completed
sit beside the goal. So a step's node is as tall as everyone who reached it,
whether they went on or not, and the totals read as the funnel's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.core.properties import value as literal
from bokeh.models import Range1d
from bokeh.plotting import figure

from .._deprecate import renamed_keywords
from ..model.labels import COMPLETED_LABEL, LEFT_LABEL
from . import _common as c
from . import _layers
from . import _slots as sl
from .theme import FONT, MUTED, TEXT

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["flow", "sankey_layout", "END_LABELS"]

#: targets that end at a node of their own per source (see the module notes)
END_LABELS = (LEFT_LABEL, COMPLETED_LABEL)
_END_KEY = "\u241f"  # joins an end label and its source into the end node's key: no id holds it

NODE_WIDTH = 0.07  # in column units (columns are 1 apart)
#: Height of a flow when none is given: the fullest column fills any height.
FLOW_HEIGHT = 520
PAD = 0.035  # gap between nodes of a column, as a fraction of the diagram height
SAMPLES = 24
RIBBON_HOVER = (
    ("From", "source_name"),
    ("To", "target_name"),
    ("Count", "count_text"),
    ("Share of 'from'", "share_text"),
    ("Customers", "customers_text"),
    ("Median time", "median_time_text"),
    ("Direction", "direction"),
)
NODE_HOVER = (
    ("Node", "name"),
    ("Stage", "stage"),
    ("In", "in_text"),
    ("Out", "out_text"),
)


@renamed_keywords(**_layers.OLD_KEYWORDS)
def flow(
    data: pd.DataFrame,
    *,
    source_col: str = "source",
    target_col: str = "target",
    count_col: str = "count",
    journey: Journey | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> figure:
    """Draw a Sankey-style flow: ribbons between stages or touchpoints, as wide as their counts.

    Parameters
    ----------
    data : DataFrame
        A tidy transitions frame, **one row per (source, target)**:

        ============================ ========================================
        column                       holds
        ============================ ========================================
        ``source``                   node the customers come from (stage or
                                     touchpoint id or name)
        ``target``                   node they go to; ``"Left the journey"``
                                     or ``"Completed"``: an end node of
                                     its own after the source (module
                                     notes)
        ``count``                    number of transitions (>= 0)
        ``customers`` (optional)     distinct customers behind them (hover)
        ``median_time`` (optional)   median time between the two events: a
                                     Timedelta or seconds (hover)
        ============================ ========================================

    source_col, target_col, count_col : str
        Names of those columns of ``data``, when they differ. ``source=``,
        ``target=`` and ``count=``, the old names, work for one release with
        a :class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
    journey : Journey, optional
        When given, nodes are matched to its stages and touchpoints (by id,
        then name) and the columns follow stage order (touchpoints of one
        stage linked by flow get successive columns). Without it, columns
        come from the flow: a longest-path layering after setting aside the
        transitions that close a cycle.
    title : str, optional
        Figure title.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive; at least 480 px, more for a flow of many columns, about
        130 px a column; PNG/SVG exports draw it 960 px wide or that minimum).
    height : int, optional
        Height in pixels. Default ``None``: 520 px (the nodes of the fullest
        column fill the height whatever their number; at least 200).

    Returns
    -------
    bokeh.plotting.figure
        Transitions pointing back (to an earlier column, or a node to itself)
        are drawn as loops under the diagram, dimmer than forward ribbons.
        Each node is as tall as the larger of what flows in and out; with
        the rows of :func:`cjm_jupyter.analytics.funnel_flow` that is the
        funnel's customers of the step.

    Raises
    ------
    ValidationError
        A column is missing (named in the message), counts are not
        non-negative numbers, a (source, target) pair repeats, the frame is
        empty, or (with ``journey``) a node is not in the journey.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.plots.flow import flow
    >>> moves = pd.DataFrame({"source": ["Search", "Search", "Website"],
    ...                       "target": ["Website", "Reviews", "Checkout"],
    ...                       "count": [800, 200, 350]})
    >>> fig = flow(moves)
    >>> len(fig.select(name="ribbons")[0].data_source.data["count"])
    3
    """
    edges = _layers.transitions(data, source=source_col, target=target_col, count=count_col)
    if journey is not None:
        edges = _on_journey(edges, journey)
    width = c.check_width(width)
    height = FLOW_HEIGHT if height is None else c.check_height(height, least=200)
    least = c.MIN_WIDTH
    if width is None:
        layers = int(_layered(edges, journey)[0]["layer"].max()) + 1
        # Narrower than about 130 px a column, the node labels have no room left.
        least = int(min(1800, max(c.MIN_WIDTH, 130 * layers + 120)))
    laid_out = max(c.layout_width(width), least) if width is None else width
    nodes, ribbons = sankey_layout(edges, journey, width=laid_out, height=height)
    fig = _figure(nodes, ribbons, title or _title(journey), width, height, laid_out=laid_out, least=least)
    _draw(fig, nodes, ribbons, stages=journey is not None, laid_out=laid_out)
    return fig


def _on_journey(edges: pd.DataFrame, journey: Journey) -> pd.DataFrame:
    """:func:`~._layers.on_journey` for the rows between nodes; end rows get their source's id."""
    ends = edges["target"].isin(END_LABELS)
    main, _ = _layers.on_journey(edges[~ends], journey)
    tail = edges[ends]
    key = sl.match_journey_nodes(journey, list(dict.fromkeys(tail["source"])))["key"].to_dict()
    tail = tail.assign(source=tail["source"].map(key))
    dup = tail.duplicated(["source", "target"])
    if dup.any():
        row = tail[dup].iloc[0]
        raise _layers.ValidationError(
            f"transition {row['source']!r} → {row['target']!r} appears twice once ids and names are "
            "matched to the journey; the frame has one row per (source, target)",
            frame="flow data",
            value=row["source"],
        )
    return pd.concat([main, tail], ignore_index=True)


def _layered(edges: pd.DataFrame, journey: Journey | None) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`~._layers.layered_nodes` plus an end node per end row, in the gap after its source.

    ``nodes`` gain ``end`` (the end label, or ``""``); an end node's key is
    its label and its source joined by :data:`_END_KEY`, its layer the
    source's plus one half. The end rows count in their source's ``out_count``.
    """
    ends = edges["target"].isin(END_LABELS)
    main, tail = edges[~ends], edges[ends]
    seen = set(main["source"]) | set(main["target"])
    # a source that only ends (a step everyone left) needs a place of its own: a zero
    # self-row gives it one in the layering and is dropped again
    alone = [s for s in dict.fromkeys(tail["source"]) if s not in seen]
    helper = pd.DataFrame({"source": alone, "target": alone, "count": 0.0})
    nodes, forward = _layers.layered_nodes(pd.concat([main, helper], ignore_index=True), journey)
    forward = forward.iloc[: len(main)].set_axis(main.index)
    nodes["end"] = ""
    if tail.empty:
        return nodes, forward
    out = tail.groupby("source")["count"].sum()
    nodes["out_count"] = nodes["out_count"] + out.reindex(nodes.index, fill_value=0.0)
    nodes["volume"] = nodes[["in_count", "out_count"]].max(axis=1)
    keys = tail["target"] + _END_KEY + tail["source"]
    extra = pd.DataFrame(
        {
            "name": tail["target"].to_numpy(),
            "layer": (tail["source"].map(nodes["layer"]).astype(float) + 0.5).to_numpy(),
            "order": tail["source"].map(nodes["order"]).to_numpy(),
            "stage": c.MISSING,
            "stage_key": "",
            "in_count": tail["count"].to_numpy(),
            "out_count": 0.0,
            "volume": tail["count"].to_numpy(),
            "end": tail["target"].to_numpy(),
        },
        index=pd.Index(keys.to_numpy(), name="node"),
    )
    nodes = pd.concat([nodes, extra])
    forward = pd.concat([forward, pd.Series(True, index=tail.index)]).reindex(edges.index)
    return nodes, forward


def _title(journey: Journey | None) -> str:
    return f"Flow — {journey.name}" if journey is not None else "Flow"


# -- geometry ---------------------------------------------------------------------------
def sankey_layout(
    edges: pd.DataFrame, journey: Journey | None, *, width: int, height: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node boxes and ribbon polygons in data units (columns 1 apart, diagram height 1).

    Returns
    -------
    nodes : DataFrame
        :func:`~._layers.layered_nodes` plus ``x0``, ``x1``, ``y0``, ``y1``.
    ribbons : DataFrame
        ``edges`` plus ``xs``, ``ys`` (polygon), ``thickness`` (the ribbon's
        width in y units, ``count * scale``), ``forward``.
    """
    nodes, forward = _layered(edges, journey)
    ends = edges["target"].isin(END_LABELS)
    edges = edges.assign(
        forward=forward.to_numpy(),
        target=edges["target"].where(~ends, edges["target"] + _END_KEY + edges["source"]),
    )
    scale = _scale(nodes)
    nodes = _place_ends(_stack(nodes, scale))
    edges = edges.assign(thickness=edges["count"] * scale)
    edges = _lanes(nodes, edges)
    edges = _slots(nodes, edges)
    x_span, y_span = _spans(nodes, edges)
    px = ((width - 40) / x_span, (height - 70) / y_span)  # pixels per data unit, roughly
    xs, ys = [], []
    for row in edges.itertuples():
        x, y = _ribbon(nodes, row) if row.forward else _loop(nodes, row, px)
        xs.append(x)
        ys.append(y)
    return nodes, edges.assign(xs=xs, ys=ys)


def _scale(nodes: pd.DataFrame) -> float:
    """Return the data units per count, so that the fullest column fills the height.

    The customers who left after a column are stacked under it, so they
    count in that column's height.
    """
    left = nodes["end"] == LEFT_LABEL
    column = nodes["layer"].where(~left, nodes["layer"] - 0.5)
    per_layer = nodes.groupby(column).agg(total=("volume", "sum"), n=("volume", "size"))
    room = (1 - PAD * (per_layer["n"] - 1)).clip(lower=0.2)
    ratio = (room / per_layer["total"].where(per_layer["total"] > 0)).dropna()
    return float(ratio.min()) if len(ratio) else 1.0


def _stack(nodes: pd.DataFrame, scale: float) -> pd.DataFrame:
    """Stack each column's nodes top-down, centred vertically."""
    nodes = nodes.sort_values(["layer", "order"]).copy()
    nodes["h"] = np.maximum(nodes["volume"] * scale, 0.004)
    y1 = {}
    for _, column in nodes.groupby("layer"):
        used = column["h"].sum() + PAD * (len(column) - 1)
        top = 1 - max(0.0, (1 - used) / 2)
        for node, h in column["h"].items():
            y1[node] = top
            top -= h + PAD
    nodes["y1"] = pd.Series(y1)
    nodes["y0"] = nodes["y1"] - nodes["h"]
    nodes["x0"] = nodes["layer"].astype(float)
    nodes["x1"] = nodes["x0"] + NODE_WIDTH
    return nodes


def _place_ends(nodes: pd.DataFrame) -> pd.DataFrame:
    """Move the end nodes beside their gaps.

    "left" goes under the lowest node of the columns beside its gap,
    "completed" level with the top of its source; several in one gap stack
    down in their sources' order.
    """
    ends = nodes[nodes["end"] != ""]
    if ends.empty:
        return nodes
    nodes = nodes.copy()
    main = nodes[nodes["end"] == ""]
    for (gap, label), group in ends.groupby(["layer", "end"], sort=False):
        if label == LEFT_LABEL:
            beside = main[(main["layer"] - gap).abs() <= 0.5]
            top = float(beside["y0"].min() if len(beside) else main["y0"].min()) - PAD
        else:
            source = group.index[0].split(_END_KEY, 1)[1]
            top = float(nodes.at[source, "y1"])
        for node in group.sort_values("order").index:
            nodes.at[node, "y1"] = top
            nodes.at[node, "y0"] = top - nodes.at[node, "h"]
            top -= nodes.at[node, "h"] + PAD
    return nodes


def _slots(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Where each ribbon leaves its source and enters its target (top of the slot).

    Forward ribbons are ordered by the height of their other end, so they do
    not cross at the node; loops take the bottom slots.
    """
    mid = (nodes["y0"] + nodes["y1"]) / 2
    edges = edges.copy()
    edges["out_top"], edges["in_top"] = 0.0, 0.0
    for end, other, col in (("source", "target", "out_top"), ("target", "source", "in_top")):
        # Forward ribbons first, by the height of their other end; then loops, outer lanes lowest.
        within = np.where(edges["forward"], -edges[other].map(mid), edges["lane"])
        ordered = edges.assign(_k0=~edges["forward"], _k1=within).sort_values(["_k0", "_k1"])
        for node, group in ordered.groupby(end, sort=False):
            stack = group["thickness"].cumsum() - group["thickness"]
            slack = nodes.at[node, "h"] - group["thickness"].sum()
            start = nodes.at[node, "y1"] - max(slack, 0) / 2
            edges.loc[group.index, col] = start - stack
    return edges


def _spans(nodes: pd.DataFrame, edges: pd.DataFrame) -> tuple[float, float]:
    depth = _loop_depth(edges)
    return float(nodes["x1"].max()) + 1.0, 1.12 + depth


def _loop_depth(edges: pd.DataFrame) -> float:
    loops = edges[~edges["forward"]]
    return float((loops["thickness"] + 0.03).sum()) + (0.05 if len(loops) else 0.0)


def _lanes(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Give each loop a lane under the diagram: ``lane`` (0 = closest) and ``lane_y`` (its centre).

    Short loops run closest, so longer ones wrap around them without crossing.
    """
    loops = edges[~edges["forward"]]
    # astype: mapping an empty text column keeps its text dtype (pandas 3 + pyarrow)
    layer = nodes["layer"].astype("float64")
    span = (loops["source"].map(layer).astype("float64") - loops["target"].map(layer).astype("float64")).abs()
    bottom = float(nodes["y0"].min()) - 0.05
    lane, lane_y = {}, {}
    for i, idx in enumerate(span.sort_values(kind="stable").index):
        th = float(loops.at[idx, "thickness"])
        lane[idx], lane_y[idx] = i, bottom - th / 2
        bottom -= th + 0.03
    return edges.assign(lane=pd.Series(lane, dtype="float64"), lane_y=pd.Series(lane_y, dtype="float64"))


def _ribbon(nodes: pd.DataFrame, row: Any) -> tuple[list[float], list[float]]:
    xa, xb = nodes.at[row.source, "x1"], nodes.at[row.target, "x0"]
    top_x, top_y = c.s_curve(xa, row.out_top, xb, row.in_top, SAMPLES)
    bot_x, bot_y = c.s_curve(xb, row.in_top - row.thickness, xa, row.out_top - row.thickness, SAMPLES)
    return [*top_x, *bot_x], [*top_y, *bot_y]


def _loop(nodes: pd.DataFrame, row: Any, px: tuple[float, float]) -> tuple[list[float], list[float]]:
    """Return a ribbon that leaves the source to the right, runs under the diagram and enters the target.

    Built in pixels (so its width is the same on the vertical parts) and
    converted back to data units.
    """
    sx, sy = px
    th = row.thickness * sy  # the ribbon's width in pixels
    lane_y = row.lane_y
    reach = min(th / 2 + 10 + 9 * row.lane, (1 - NODE_WIDTH) * sx * 0.45)
    radius = max(min(th / 2 + 6, reach), 1.0)
    xa, xb = nodes.at[row.source, "x1"] * sx, nodes.at[row.target, "x0"] * sx
    ya, yb = (row.out_top - row.thickness / 2) * sy, (row.in_top - row.thickness / 2) * sy
    yl = lane_y * sy
    corners = [(xa, ya), (xa + reach, ya), (xa + reach, yl), (xb - reach, yl), (xb - reach, yb), (xb, yb)]
    path = _rounded(corners, radius)
    x, y = _tube(path, th / 2)
    return [v / sx for v in x], [v / sy for v in y]


def _rounded(points: Sequence[tuple[float, float]], radius: float) -> np.ndarray:
    """Return a polyline with each inner corner replaced by a quadratic curve of about ``radius``."""
    pts = np.asarray(points, dtype=float)
    out = [pts[0]]
    t = np.linspace(0, 1, 10)[:, None]
    for prev, corner, nxt in zip(pts[:-2], pts[1:-1], pts[2:], strict=True):
        a, b = prev - corner, nxt - corner
        ra = min(radius, np.linalg.norm(a) / 2)
        rb = min(radius, np.linalg.norm(b) / 2)
        if ra == 0 or rb == 0:
            out.append(corner)
            continue
        p0 = corner + a / np.linalg.norm(a) * ra
        p2 = corner + b / np.linalg.norm(b) * rb
        out.extend((1 - t) ** 2 * p0 + 2 * (1 - t) * t * corner + t**2 * p2)
    out.append(pts[-1])
    return np.vstack(out)


def _tube(path: np.ndarray, half: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the polygon around ``path`` at distance ``half`` on both sides."""
    d = np.gradient(path, axis=0)
    norm = np.linalg.norm(d, axis=1, keepdims=True)
    d = d / np.where(norm == 0, 1, norm)
    normal = np.column_stack([-d[:, 1], d[:, 0]])
    left, right = path + normal * half, path - normal * half
    poly = np.vstack([left, right[::-1]])
    return poly[:, 0], poly[:, 1]


# -- drawing ------------------------------------------------------------------------------
def _figure(
    nodes: pd.DataFrame, ribbons: pd.DataFrame, title: str, width: int | None, height: int, *,
    laid_out: int, least: int,
) -> figure:  # fmt: skip
    bottom = min(float(nodes["y0"].min()), *(np.min(y) for y in ribbons["ys"])) - 0.04
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height,
        min_width=least,
        # Room for loops left of the first column and for labels right of the last.
        x_range=Range1d(
            start=min(-0.2, *(np.min(x) - 0.04 for x in ribbons["xs"])), end=float(nodes["x1"].max()) + 0.8
        ),
        y_range=Range1d(start=bottom, end=1.1),
        tools="pan,wheel_zoom,reset,save",
    )
    fig.width = laid_out  # what the labels are cut for, and an export's width
    fig.axis.visible = False
    fig.grid.grid_line_color = None
    return fig


def _node_colors(nodes: pd.DataFrame, stages: bool) -> list[str]:
    """Stage (or node) colours; "left" nodes muted grey, "completed" ones their source's colour."""
    main = nodes["end"] == ""
    keys = nodes["stage_key"] if stages else pd.Series(nodes.index, index=nodes.index)
    colors = pd.Series(c.category_color_list(list(keys[main])), index=nodes.index[main])
    source = pd.Series([k.split(_END_KEY, 1)[-1] for k in nodes.index], index=nodes.index)
    done = nodes["end"] == COMPLETED_LABEL
    out = colors.reindex(nodes.index)
    out[done] = source[done].map(colors)
    out[nodes["end"] == LEFT_LABEL] = MUTED
    return out.tolist()


def _draw(fig: figure, nodes: pd.DataFrame, ribbons: pd.DataFrame, *, stages: bool, laid_out: int) -> None:
    nodes = nodes.copy()
    nodes["color"] = _node_colors(nodes, stages)
    _draw_ribbons(fig, nodes, ribbons)
    nodes["in_text"] = c.number_text(nodes["in_count"])
    nodes["out_text"] = c.number_text(nodes["out_count"])
    # Labels sit between columns: cut them to the room there (about 7 px a character).
    x_start, x_end = c.bounds(fig.x_range)
    room = (laid_out - 40) / (x_end - x_start) * (1 - NODE_WIDTH) - 16  # laid_out: the figure's width
    limit = int(min(28, max(8, room / 7 - 5)))
    names = c.truncate(nodes["name"], limit)
    label = [f"{n}  {v}" for n, v in zip(names, c.number_text(nodes["volume"]), strict=True)]
    nodes["label"] = label
    nodes["label_x"] = nodes["x1"] + 0.015
    nodes["label_y"] = (nodes["y0"] + nodes["y1"]) / 2
    source = c.cds(nodes.reset_index())
    boxes = fig.quad(
        left="x0",
        right="x1",
        bottom="y0",
        top="y1",
        source=source,
        fill_color="color",
        line_color=None,
        name="nodes",
    )
    fig.text(  # type: ignore[call-arg]  # Text has background_fill_*; Bokeh's TextArgs omits them
        x="label_x",
        y="label_y",
        text="label",
        text_align="left",
        source=source,
        text_baseline="middle",
        text_font_size="12px",
        text_color=TEXT,
        background_fill_color="#ffffff",
        background_fill_alpha=0.7,
    )
    fig.add_tools(c.hover(NODE_HOVER, [boxes]))
    if stages:
        _stage_headers(fig, nodes)


def _draw_ribbons(fig: figure, nodes: pd.DataFrame, ribbons: pd.DataFrame) -> None:
    ribbons = ribbons.copy()
    color = nodes["color"]
    ribbons["color"] = ribbons["source"].map(color)
    left = ribbons["target"].map(nodes["end"]) == LEFT_LABEL
    ribbons.loc[left, "color"] = MUTED  # leaving is grey all the way
    ribbons["alpha"] = np.where(ribbons["forward"], 0.38, 0.22)
    ribbons["source_name"] = ribbons["source"].map(nodes["name"])
    ribbons["target_name"] = ribbons["target"].map(nodes["name"])
    out_total = ribbons["source"].map(nodes["out_count"])
    ribbons["share_text"] = c.number_text(ribbons["count"] / out_total.where(out_total > 0) * 100, "{:.1f}%")
    ribbons["count_text"] = c.number_text(ribbons["count"])
    ribbons["customers_text"] = (
        c.number_text(pd.to_numeric(ribbons["customers"], errors="coerce"))
        if "customers" in ribbons
        else c.MISSING
    )
    ribbons["median_time_text"] = (
        [duration_text(v) for v in ribbons["median_time"]] if "median_time" in ribbons else c.MISSING
    )
    loop = ribbons["source"] == ribbons["target"]
    ribbons["direction"] = np.where(ribbons["forward"], "forward", np.where(loop, "repeat", "back"))
    keep = [col for col in ribbons.columns if col not in ("median_time", "customers", "lane_y")]
    renderer = fig.patches(
        xs="xs",
        ys="ys",
        source=c.cds(ribbons[keep]),
        fill_color="color",
        fill_alpha="alpha",
        line_color=None,
        hover_fill_color="color",
        hover_fill_alpha=0.7,
        name="ribbons",
    )
    fig.add_tools(c.hover(RIBBON_HOVER, [renderer]))


def _stage_headers(fig: figure, nodes: pd.DataFrame) -> None:
    """Stage names over the columns they span."""
    nodes = nodes[nodes["end"] == ""]  # end nodes belong to no stage
    spans = nodes.groupby("stage_key", sort=False).agg(
        stage=("stage", "first"), left=("x0", "min"), right=("x1", "max"), rank=("layer", "min")
    )
    spans = spans.sort_values("rank")
    spans["center"] = (spans["left"] + spans["right"]) / 2
    spans["label"] = c.truncate(spans["stage"], 20)
    fig.text(
        x="center",
        y=1.06,
        text="label",
        source=c.cds(spans.reset_index()),
        text_align="center",
        text_baseline="middle",
        text_font=literal(FONT),
        text_font_style="bold",
        text_font_size="12px",
        text_color=MUTED,
    )


def duration_text(value: Any) -> str:
    """Return a readable duration from a Timedelta or seconds (``—`` when missing)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return c.MISSING
    try:
        seconds = pd.Timedelta(value).total_seconds() if not isinstance(value, (int, float)) else float(value)
    except (TypeError, ValueError):
        return str(value)
    if seconds != seconds:
        return c.MISSING
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"
