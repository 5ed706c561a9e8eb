"""The interaction graph: the network of transitions between stages or touchpoints.

Drawn with Bokeh's ``GraphRenderer`` and a ``StaticLayoutProvider`` fed by
the left-to-right layering of :mod:`._layers` (stage order when a journey is
given). ``bokeh.plotting.from_networkx`` would need networkx only to compute
positions, and its layouts (spring, Kamada-Kawai) scatter a journey's
nodes without regard to time and change with the random seed; a layered
layout reads left to right like the journey itself and is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.core.properties import field
from bokeh.models import MultiLine, NodesAndLinkedEdges, Range1d, Scatter, StaticLayoutProvider
from bokeh.plotting import figure

from .._deprecate import renamed_keywords
from . import _common as c
from . import _layers
from ._models import Arrow, GraphRenderer, VeeHead
from .theme import CATEGORY_PALETTE, MUTED, TEXT

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["interaction_graph", "graph_layout"]

EDGE_COLOR = "#8c959f"
HIGHLIGHT = "#0072B2"
NODE_HOVER = (
    ("Node", "name"),
    ("Stage", "stage"),
    ("In", "in_text"),
    ("Out", "out_text"),
    ("Volume", "volume_text"),
)
EDGE_HOVER = (
    ("From", "source_name"),
    ("To", "target_name"),
    ("Count", "count_text"),
    ("Share of 'from'", "share_text"),
    ("Direction", "direction"),
)


@renamed_keywords(**_layers.OLD_KEYWORDS)
def interaction_graph(
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
    """Draw the directed network of transitions between stages or touchpoints.

    Node size grows with volume (the larger of customers in and out), edge
    width with the count; an arrowhead on each edge shows its direction.
    Transitions back to an earlier column arc above the nodes (dashed), and
    a node's transitions to itself loop over it. Hovering a node shows its
    totals and highlights its edges; hovering an arrowhead shows the edge.

    Parameters
    ----------
    data : DataFrame
        The tidy transitions frame of :func:`~cjm_jupyter.plots.flow.flow`:
        one row per (``source``, ``target``) with ``count``.
    source_col, target_col, count_col : str
        Names of those columns of ``data``, when they differ. ``source=``,
        ``target=`` and ``count=``, the old names, work for one release with
        a :class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
    journey : Journey, optional
        Nodes are matched to its stages and touchpoints (by id, then name),
        laid out left to right in stage order over stage bands; without it,
        columns come from the flow itself.
    title : str, optional
        Figure title.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive; at least 480 px, more for a graph of many columns, about
        130 px a column; PNG/SVG exports draw it 960 px wide or that minimum).
    height : int, optional
        Height in pixels. Default ``None``: the height the nodes need (from
        the most touchpoints in one column; 420 to 1200).

    Returns
    -------
    bokeh.plotting.figure
        Holds one ``GraphRenderer`` (nodes: ``index`` = node; edges:
        ``start``, ``end``, ``count``).

    Raises
    ------
    ValidationError
        A column is missing (named in the message), counts are not
        non-negative numbers, a (source, target) pair repeats, the frame is
        empty, or (with ``journey``) a node is not in the journey.

    Examples
    --------
    >>> import pandas as pd
    >>> from bokeh.models import GraphRenderer
    >>> from cjm_jupyter.plots.graph import interaction_graph
    >>> moves = pd.DataFrame({"source": ["Search", "Website", "Reviews"],
    ...                       "target": ["Website", "Reviews", "Website"],
    ...                       "count": [800, 300, 120]})
    >>> fig = interaction_graph(moves)
    >>> len(fig.select(type=GraphRenderer)[0].edge_renderer.data_source.data["start"])
    3
    """
    width = c.check_width(width)
    height = c.check_height(height)
    edges = _layers.transitions(data, source=source_col, target=target_col, count=count_col)
    if journey is not None:
        edges, _ = _layers.on_journey(edges, journey)
    nodes, edges = graph_layout(edges, journey)
    edges = _edge_text(nodes, edges)
    n_layers = int(nodes["layer"].max()) + 1
    rows = int(nodes.groupby("layer").size().max())
    height = height or int(min(1200, max(420, 95 * rows + 170)))
    fig = _figure(nodes, edges, title or _title(journey), width, height)
    if width is None:
        # Narrower than about 130 px a column, the node labels run into each other.
        fig.min_width = int(min(1800, max(c.MIN_WIDTH, 130 * n_layers + 140)))
        fig.width = max(c.NOMINAL_WIDTH, fig.min_width)
    if journey is not None:
        _stage_bands(fig, nodes)
    graph = _graph(nodes, edges, colored=journey is not None)
    fig.renderers.append(graph)
    fig.add_tools(c.hover(NODE_HOVER, [graph]))
    _labels(fig, nodes)
    _arrows(fig, edges)
    return fig


def _title(journey: Journey | None) -> str:
    return f"Interaction graph — {journey.name}" if journey is not None else "Interaction graph"


# -- layout ---------------------------------------------------------------------------------
def graph_layout(edges: pd.DataFrame, journey: Journey | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Node positions and edge paths.

    Returns
    -------
    nodes : DataFrame
        :func:`~._layers.layered_nodes` plus ``x``, ``y`` and ``size`` (px).
    edges : DataFrame
        ``edges`` plus ``forward``, ``xs``, ``ys`` (path), ``width`` (px) and
        the arrowhead ``x_start``, ``y_start``, ``x_end``, ``y_end``.
    """
    nodes, forward = _layers.layered_nodes(edges, journey)
    per_layer = nodes.groupby("layer")["order"].transform("size")
    nodes["x"] = nodes["layer"].astype(float)
    nodes["y"] = (per_layer - 1) / 2 - nodes["order"]
    top = float(nodes["volume"].max()) or 1.0
    nodes["size"] = 16 + 34 * np.sqrt(nodes["volume"] / top)
    edges = edges.assign(forward=forward.to_numpy())
    most = float(edges["count"].max()) or 1.0
    edges["width"] = 1.5 + 9 * edges["count"] / most
    paths = [_path(nodes, row) for row in edges.itertuples()]
    edges["xs"] = [p[0] for p in paths]
    edges["ys"] = [p[1] for p in paths]
    heads = np.array([_head(x, y) for x, y in paths]).reshape(-1, 4)
    edges[["x_start", "y_start", "x_end", "y_end"]] = heads
    return nodes, edges


def _path(nodes: pd.DataFrame, row: Any) -> tuple[list[float], list[float]]:
    """Return the path of an edge.

    Forward to the next column: an S-curve; further: an arc below (it would
    cross the nodes in between); back: a dashed arc above; to itself: a loop
    over the node.
    """
    x0, y0 = nodes.at[row.source, "x"], nodes.at[row.source, "y"]
    x1, y1 = nodes.at[row.target, "x"], nodes.at[row.target, "y"]
    t = np.linspace(0, 1, 40)
    if row.source == row.target:
        angle = np.pi * (1.5 - 2 * t)  # a circle touching the node's centre from above
        return list(x0 + 0.13 * np.cos(angle)), list(y0 + 0.28 + 0.28 * np.sin(angle))
    if row.forward and x1 - x0 <= 1:
        x, y = c.s_curve(x0, y0, x1, y1, len(t))
        return list(x), list(y)
    lift = 0.45 + 0.2 * abs(x1 - x0)
    cx, cy = (x0 + x1) / 2, (min(y0, y1) - lift) if row.forward else (max(y0, y1) + lift)
    x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1
    y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1
    return list(x), list(y)


def _head(xs: list[float], ys: list[float]) -> tuple[float, float, float, float]:
    """Return a short segment just past the middle of the path: where the arrowhead sits."""
    k = int(len(xs) * 0.6)
    return xs[k - 2], ys[k - 2], xs[k], ys[k]


# -- drawing ----------------------------------------------------------------------------------
def _figure(nodes: pd.DataFrame, edges: pd.DataFrame, title: str, width: int | None, height: int) -> figure:
    all_y = [*nodes["y"], *(v for ys in edges["ys"] for v in ys)]
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height,
        x_range=Range1d(start=-0.6, end=float(nodes["x"].max()) + 0.6),
        y_range=Range1d(start=min(all_y) - 0.75, end=max(all_y) + 0.75),
        tools="pan,wheel_zoom,reset,save",
    )
    fig.axis.visible = False
    fig.grid.grid_line_color = None
    return fig


def _graph(nodes: pd.DataFrame, edges: pd.DataFrame, *, colored: bool) -> GraphRenderer:
    nodes = nodes.copy()
    keys = nodes["stage_key"] if colored else pd.Series("", index=nodes.index)
    nodes["color"] = c.category_color_list(list(keys)) if colored else CATEGORY_PALETTE[0]
    nodes["in_text"] = c.number_text(nodes["in_count"])
    nodes["out_text"] = c.number_text(nodes["out_count"])
    nodes["volume_text"] = c.number_text(nodes["volume"])
    graph = GraphRenderer()
    node_data = nodes.reset_index().rename(columns={"node": "index"})
    graph.node_renderer.data_source = c.cds(node_data)
    graph.node_renderer.glyph = Scatter(size="size", fill_color="color", line_color="#ffffff", line_width=2)
    graph.node_renderer.hover_glyph = Scatter(size="size", fill_color="color", line_color=TEXT, line_width=3)
    edge_data = edges.rename(columns={"source": "start", "target": "end"})
    graph.edge_renderer.data_source = c.cds(edge_data)
    graph.edge_renderer.glyph = MultiLine(
        line_color=EDGE_COLOR, line_alpha=0.6, line_width="width", line_dash=field("dash"), line_cap="round"
    )
    graph.edge_renderer.hover_glyph = MultiLine(
        line_color=HIGHLIGHT, line_alpha=0.9, line_width="width", line_dash=field("dash"), line_cap="round"
    )
    layout: dict[int | str, Sequence[float]] = {
        str(n): (float(x), float(y)) for n, x, y in zip(nodes.index, nodes["x"], nodes["y"], strict=True)
    }
    graph.layout_provider = StaticLayoutProvider(graph_layout=layout)
    graph.inspection_policy = NodesAndLinkedEdges()
    return graph


def _edge_text(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """Hover text and dash pattern per edge (dashed when it goes back)."""
    edges = edges.copy()
    edges["source_name"] = edges["source"].map(nodes["name"])
    edges["target_name"] = edges["target"].map(nodes["name"])
    edges["count_text"] = c.number_text(edges["count"])
    out_total = edges["source"].map(nodes["out_count"])
    edges["share_text"] = c.number_text(edges["count"] / out_total.where(out_total > 0) * 100, "{:.1f}%")
    loop = edges["source"] == edges["target"]
    edges["direction"] = np.where(edges["forward"], "forward", np.where(loop, "repeat", "back"))
    edges["dash"] = [[] if f else [6, 4] for f in edges["forward"]]
    edges = edges.drop(columns=["x_start", "y_start"]).assign(
        x_start=edges["x_start"], y_start=edges["y_start"]
    )
    return edges.drop(columns=[col for col in ("customers", "median_time") if col in edges])


def _arrows(fig: figure, edges: pd.DataFrame) -> None:
    """Arrowheads part-way along each edge, with (invisible) hover targets on them."""
    heads = edges.drop(columns=["xs", "ys", "dash"]).assign(head=8 + edges["width"] * 1.2)
    source = c.cds(heads)
    arrow_head = VeeHead(size="head", fill_color=EDGE_COLOR, line_color=EDGE_COLOR, line_alpha=0.9)
    fig.add_layout(
        Arrow(
            end=arrow_head,
            source=source,
            x_start="x_start",
            y_start="y_start",
            x_end="x_end",
            y_end="y_end",
            line_alpha=0,  # type: ignore[call-arg]  # Arrow's property; Bokeh's .pyi names it body_line_alpha
        )
    )
    targets = fig.scatter(
        "x_end",
        "y_end",
        source=source,
        size=18,
        fill_color=HIGHLIGHT,
        fill_alpha=0,
        line_alpha=0,
        hover_fill_alpha=0.25,
        hover_line_alpha=0,
    )
    fig.add_tools(c.hover(EDGE_HOVER, [targets]))


def _labels(fig: figure, nodes: pd.DataFrame) -> None:
    """Node names under the nodes (truncated; the full name is in the hover).

    ``y_offset`` is in screen pixels, positive downwards.
    """
    data = pd.DataFrame(
        {
            "x": nodes["x"],
            "y": nodes["y"],
            "label": c.truncate(nodes["name"], 20),
            "offset": nodes["size"] / 2 + 3,
        }
    )
    fig.text(  # type: ignore[call-arg]  # Text has background_fill_*; Bokeh's TextArgs omits them
        "x",
        "y",
        text="label",
        y_offset="offset",
        source=c.cds(data),
        text_align="center",
        text_baseline="top",
        text_font_size="12px",
        text_color=TEXT,
        background_fill_color="#ffffff",
        background_fill_alpha=0.75,
    )


def _stage_bands(fig: figure, nodes: pd.DataFrame) -> None:
    """Alternating bands behind the columns of each stage, named at the top."""
    spans = nodes.groupby("stage_key", sort=False).agg(
        stage=("stage", "first"), left=("x", "min"), right=("x", "max")
    )
    spans = spans.sort_values("left")
    spans["left"] -= 0.5
    spans["right"] += 0.5
    spans["center"] = (spans["left"] + spans["right"]) / 2
    spans["fill"] = [c.BAND_FILLS[i % 2] for i in range(len(spans))]
    spans["label"] = c.truncate(spans["stage"], 22)
    source = c.cds(spans.reset_index())
    fig.vstrip(x0="left", x1="right", source=source, fill_color="fill", line_color=None, level="underlay")
    fig.text(
        x="center",
        y=c.bounds(fig.y_range)[1] - 0.25,
        text="label",
        source=source,
        text_align="center",
        text_baseline="middle",
        text_font_style="bold",
        text_font_size="12px",
        text_color=MUTED,
    )
