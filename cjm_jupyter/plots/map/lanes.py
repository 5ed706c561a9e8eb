"""The figures of the journey map: lane frame, stage header, touchpoints, emotions.

Every lane is its own Bokeh figure sharing one x range, with the same left
margin (lane title) and plotting width, so stage columns line up when the
figures are stacked. User text reaches the browser only as data: canvas text
glyphs, :class:`~bokeh.models.PlainText` titles (never parsed as TeX) and
hover fields from ColumnDataSource columns (escaped by Bokeh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypedDict, Unpack

import numpy as np
import pandas as pd
from bokeh.core.properties import field, value
from bokeh.core.property.vectorization import Value
from bokeh.core.property_aliases import Padding
from bokeh.models import (
    ColumnDataSource,
    FixedTicker,
    HoverTool,
    Line,
    LinearAxis,
    PlainText,
    Plot,
    Quad,
    Range1d,
    Scatter,
    Text,
)
from bokeh.models.glyph import Glyph

from .. import theme
from .._models import GlyphRenderer, Legend, LegendItem, Title
from .grid import FULL, GUTTER_PX, LINE_PX, RIGHT_PX, MapGrid, text_em, text_rows, texts, wrap

__all__ = [
    "LayoutSize",
    "LegendStyle",
    "MapContext",
    "PlotSize",
    "TextStyle",
    "add_glyph",
    "legend_style",
    "make_bands",
    "header",
    "lane_figure",
    "text_glyph",
    "touchpoints_lane",
]

#: Fill of the alternating stage bands, and of the stage header cells.
BANDS = ("#ffffff", "#f6f8fa")
HEADER_FILLS = ("#24292f", "#3d4650")
#: Marker shapes, cycled per channel and per persona (shape doubles colour).
MARKERS = (
    "circle",
    "square",
    "triangle",
    "hex",
    "inverted_triangle",
    "diamond",
    "star",
    "square_pin",
    "triangle_pin",
    "circle_x",
    "square_x",
    "plus",
)
#: Slender shapes drawn larger so that every marker looks the same size.
MARKER_SCALE = {"diamond": 1.3, "star": 1.3, "triangle_pin": 1.15, "square_pin": 1.1, "plus": 1.2}
FONT_SIZE = "11px"
#: Font size of the touchpoint names under their markers.
LABEL_FONT_PX = 10.0
NO_CHANNEL = "(no channel)"

TOUCHPOINT_TOOLTIPS = [
    ("Touchpoint", "@name"),
    ("Stage", "@stage"),
    ("Channel", "@channel"),
    ("Action", "@action"),
    ("Owner", "@owner"),
    ("Optimisation", "@optimisation"),
]
STAGE_TOOLTIPS = [
    ("Stage", "@{name}"),
    ("Description", "@{description}"),
    ("Touchpoints", "@{n_touchpoints}"),
]


class LayoutSize(TypedDict, total=False):
    """The width keywords of the map's column: responsive, or none (fixed by its lanes)."""

    sizing_mode: Literal["stretch_width"]
    width: int
    min_width: int


class PlotSize(LayoutSize, total=False):
    """The width keywords of a lane: responsive, or a fixed plotting width."""

    frame_width: int


class TextStyle(TypedDict, total=False):
    """Style of a Text glyph; ``str`` values may name a column of its source instead."""

    text_color: str
    text_font: str | Value[str]
    text_font_size: str
    text_font_style: str
    text_align: Literal["left", "right", "center"]
    text_baseline: Literal["top", "middle", "bottom", "alphabetic", "hanging", "ideographic"]


class LegendStyle(TypedDict):
    """The look every legend of the map shares (:func:`legend_style`)."""

    label_text_font_size: str
    label_text_font: str
    label_text_color: str
    title_text_font_size: str
    title_text_font_style: Literal["bold"]
    title_text_color: str
    glyph_height: int
    glyph_width: int
    label_standoff: int
    spacing: int
    # Typed as Bokeh's (wrong) stub types Legend.padding, so that the one ignore it
    # needs sits in legend_style() rather than at every Legend(...).
    padding: Padding
    margin: int
    border_line_color: None
    background_fill_alpha: float
    location: Literal["top_left"]


@dataclass(frozen=True)
class MapContext:
    """What every lane needs: the grid, the stage bands and the personas shown.

    Attributes
    ----------
    grid : MapGrid
    bands : ColumnDataSource
        Stage spans and band colours, shared by every lane.
    personas : DataFrame
        ``id``, ``name``, ``color`` and ``marker`` of each curve shown, with
        ``id`` ``None`` for emotions recorded without a persona.
    full_text : bool
        Whether texts are printed in full (cards as tall as they need),
        for PNG and print; else long texts are cut with "…" after a few
        lines and the hover has the rest.
    """

    grid: MapGrid
    bands: ColumnDataSource
    personas: pd.DataFrame
    full_text: bool = False

    def lines(self, shown: int) -> int:
        """Return the most lines of a text shown: ``shown``, or every line with ``full_text``."""
        return FULL if self.full_text else shown

    @property
    def group(self) -> bool:
        """Whether several personas share the map (a group map)."""
        return len(self.personas) > 1


def make_bands(grid: MapGrid) -> ColumnDataSource:
    """Return the stage-band source shared by every lane."""
    n = len(grid.stages)
    return ColumnDataSource(
        {
            "start": grid.stages["start"].to_numpy(dtype=float),
            "end": grid.stages["end"].to_numpy(dtype=float),
            "band": [BANDS[i % 2] for i in range(n)],
        },
        name="stage_bands",
    )


def add_glyph(p: Plot, source: ColumnDataSource, glyph: Glyph) -> GlyphRenderer:
    """Add one renderer of ``glyph`` over ``source`` to ``p``.

    Cheaper than ``figure.quad`` & co., which also build selection, hover and
    muted copies of the glyph the map never uses.
    """
    renderer = GlyphRenderer(data_source=source, glyph=glyph)
    p.renderers.append(renderer)
    return renderer


def lane_figure(ctx: MapContext, key: str, title: str, frame_height: int, y_range: Range1d) -> Plot:
    """Draw an empty lane: stage bands, no x axis, the lane title on the left.

    Parameters
    ----------
    ctx : MapContext
        The map's grid and stage bands.
    key : str
        Lane name, kept as the figure's ``name`` (``"lane:<key>"``).
    title : str
        Lane title shown in the left margin (plain text).
    frame_height : int
        Height of the plotting area in pixels (at least 20).
    y_range : Range1d
        The lane's own y range (its bands span it).

    Returns
    -------
    Plot
        The lane, named ``"lane:<key>"``.
    """
    grid = ctx.grid
    # A responsive lane stretches to the output area, never below the width its
    # text was wrapped for (the page scrolls then); a fixed one has its frame width.
    size: PlotSize = (
        {"sizing_mode": "stretch_width", "width": grid.plot_px, "min_width": grid.plot_px}
        if grid.responsive
        else {"frame_width": grid.frame_px}
    )
    p = Plot(
        name=f"lane:{key}",
        title=None,
        **size,
        frame_height=max(int(frame_height), 20),
        x_range=ctx.grid.x_range,
        y_range=y_range,
        toolbar_location=None,
        min_border_left=GUTTER_PX,
        min_border_right=RIGHT_PX,
        min_border_top=0,
        min_border_bottom=0,
        background_fill_color=theme.BACKGROUND,
        border_fill_color=theme.BACKGROUND,
        outline_line_color=theme.GRID,
        # A canvas wider than 32,767 device pixels stays blank: very wide maps
        # draw at one device pixel per CSS pixel.
        hidpi=grid.plot_px * 2 <= 32_000,
    )
    # Bokeh's stub narrows LinearAxis.ticker to its default's type (BasicTicker); the
    # property takes any Ticker (bokeh/models/axes.py: Instance(Ticker)).
    axis = LinearAxis(ticker=FixedTicker(ticks=[]))  # type: ignore[arg-type]
    p.add_layout(axis, "left")
    axis.axis_label = PlainText(text=title_lines(title, GUTTER_PX - TITLE_ROOM_PX) or title)
    axis.axis_label_orientation = "horizontal"
    axis.axis_label_text_font_style = "bold"
    axis.axis_label_text_font_size = "12px"
    axis.axis_label_text_color = theme.TEXT
    axis.axis_label_text_font = theme.FONT
    axis.axis_line_color = None
    axis.major_tick_line_color = None
    axis.minor_tick_line_color = None
    low, high = sorted((y_range.start, y_range.end))
    # One glyph draws the alternating bands and the stage borders.
    add_glyph(
        p,
        ctx.bands,
        Quad(
            left="start",
            right="end",
            top=high,
            bottom=low,
            fill_color="band",
            line_color=theme.GRID,
            line_width=1,
        ),
    )
    return p


#: Room of the left margin the lane title leaves free (axis padding).
TITLE_ROOM_PX = 24


def title_lines(title: str, width_px: float) -> str:
    """Wrap a lane title to ``width_px``.

    Each line of ``title`` (a lane's name, a period) goes on its own lines, whole
    (a title carries meaning).
    """
    lines = [w for part in title.split("\n") if (w := wrap(part, width_px, FULL, font_px=12, bold=True))]
    return "\n".join(lines)


def text_glyph(p: Plot, rows: dict[str, object], name: str, **style: Unpack[TextStyle]) -> GlyphRenderer:
    """Draw :func:`text_rows` data (one row per line) with one Text glyph.

    Style values may name columns of ``rows`` (e.g. ``text_color="color"``).
    """
    kw: TextStyle = {
        "text_font_size": FONT_SIZE,
        "text_font": value(theme.FONT),
        "text_color": theme.TEXT,
        "text_baseline": "top",
        "text_align": "left",
    }
    kw.update(style)
    return add_glyph(p, ColumnDataSource(rows, name=name), Text(x="x", y="y", text="text", **kw))


def header(ctx: MapContext, title: str, subtitle: str) -> Plot:
    """Draw the stage header: one dark cell per stage with its name, map title above."""
    grid = ctx.grid
    st = grid.stages
    text_px = (st["end"] - st["start"]).to_numpy(dtype=float) * grid.slot_px - 14
    names = texts(st["name"])
    labels = [wrap(n, w, FULL, font_px=13, bold=True) for n, w in zip(names, text_px, strict=True)]
    lines = max([label.count("\n") + 1 for label in labels if label] or [1])
    height = lines + 0.8
    source = ColumnDataSource(
        {
            "id": texts(st["id"]),
            "name": names,
            "label": labels,
            "description": texts(st["description"]),
            "n_touchpoints": st["n_touchpoints"].to_numpy(dtype=int),
            "left": st["start"].to_numpy(dtype=float) + 0.02,
            "right": st["end"].to_numpy(dtype=float) - 0.02,
            "center": st["center"].to_numpy(dtype=float),
            "fill": [HEADER_FILLS[i % 2] for i in range(len(st))],
        },
        name="stages",
    )
    p = lane_figure(ctx, "stages", "Stages", round(height * LINE_PX * 1.25), Range1d(start=height, end=0))
    cells = add_glyph(
        p,
        source,
        Quad(
            left="left",
            right="right",
            top=0.1,
            bottom=height - 0.1,
            fill_color="fill",
            line_color=None,
            # Bokeh's stub types border_radius as Property[...] (core/property_aliases.pyi),
            # not the pixels it takes.
            border_radius=3,  # type: ignore[arg-type]
        ),
    )
    rows = text_rows(source.data["center"], 0.45, labels)
    text_glyph(
        p,
        rows,
        "stages_text",
        text_align="center",
        text_color="#ffffff",
        text_font_style="bold",
        text_font_size="13px",
    )
    p.add_tools(HoverTool(renderers=[cells], tooltips=STAGE_TOOLTIPS))
    _titles(p, title, subtitle, grid.frame_px)
    return p


def _titles(p: Plot, title: str, subtitle: str, width_px: float) -> None:
    """Add the map's title and subtitle above the header.

    They are wrapped to the narrowest width the frame gets (titles sit over the
    frame; canvas text does not reflow).
    """
    # Titles above stack outwards: the last one added is the topmost.
    title = wrap(title, width_px - 8, FULL, font_px=16, bold=True)
    subtitle = wrap(subtitle, width_px - 8, FULL, font_px=12)
    if subtitle:
        p.add_layout(
            Title(
                text=PlainText(text=subtitle),
                text_font_size="12px",
                text_color=theme.MUTED,
                text_font_style="normal",
                text_font=theme.FONT,
            ),
            "above",
        )
    p.add_layout(
        Title(text=PlainText(text=title), text_font_size="16px", text_color=theme.TEXT, text_font=theme.FONT),
        "above",
    )


def touchpoints_lane(ctx: MapContext, title: str = "Touchpoints") -> Plot:
    """Draw a marker per touchpoint, shape and colour by channel, with its name below."""
    grid = ctx.grid
    tps = grid.touchpoints
    channel = pd.Series(texts(tps["channel"]), dtype=object).replace("", NO_CHANNEL)
    colors = theme.category_colors(list(channel))
    shapes = {c: MARKERS[i % len(MARKERS)] for i, c in enumerate(colors)}
    names = texts(tps["name"])
    labels = [wrap(n, grid.slot_px - 4, FULL, font_px=LABEL_FONT_PX) for n in names]
    lines = max([label.count("\n") + 1 for label in labels if label] or [0])
    source = ColumnDataSource(
        {
            "id": texts(tps["id"]),
            "name": names,
            "label": labels,
            "stage": texts(tps["stage_name"]),
            "channel": list(channel),
            "action": texts(tps["action"]),
            "owner": texts(tps["owner"]),
            "optimisation": texts(tps["optimisation"]),
            "x": tps["x"].to_numpy(dtype=float),
            "y": np.full(len(tps), 1.0),
            "marker": [shapes[c] for c in channel],
            "size": [17 * MARKER_SCALE.get(shapes[c], 1.0) for c in channel],
            "color": [colors[c] for c in channel],
        },
        name="touchpoints",
    )
    height = 2.0 + lines + 0.5
    p = lane_figure(ctx, "touchpoints", title, round(height * LINE_PX), Range1d(start=height, end=0))
    add_glyph(p, source, Line(x="x", y="y", line_color=theme.GRID, line_width=2))
    legend = Legend(orientation="horizontal", title="Channel", **legend_style())
    legend.ncols = _legend_columns(list(colors), grid.frame_px)
    p.add_layout(legend, "above")
    dots = add_glyph(
        p,
        source,
        Scatter(
            x="x",
            y="y",
            marker="marker",
            size="size",
            fill_color="color",
            line_color="#ffffff",
            line_width=1.5,
        ),
    )
    legend.items = [LegendItem(label=field("channel"), renderers=[dots])]
    text_glyph(
        p,
        text_rows(source.data["x"], 2.0, labels),
        "touchpoints_text",
        text_align="center",
        text_font_size=f"{LABEL_FONT_PX:g}px",
    )
    p.add_tools(HoverTool(renderers=[dots], tooltips=TOUCHPOINT_TOOLTIPS))
    return p


def legend_style() -> LegendStyle:
    """Return the look every legend of the map shares."""
    return {
        "label_text_font_size": "11px",
        "label_text_font": theme.FONT,
        "label_text_color": theme.TEXT,
        "title_text_font_size": "11px",
        "title_text_font_style": "bold",
        "title_text_color": theme.MUTED,
        # Legend markers are drawn at 0.4 x the glyph box.
        "glyph_height": 26,
        "glyph_width": 26,
        "label_standoff": 4,
        "spacing": 10,
        # Bokeh's stub types padding as Property[...] (core/property_aliases.pyi), not pixels.
        "padding": 4,  # type: ignore[typeddict-item]
        "margin": 4,
        "border_line_color": None,
        "background_fill_alpha": 0.0,
        "location": "top_left",
    }


def _legend_columns(labels: Sequence[str], frame_px: int) -> int | Literal["auto"]:
    if not labels:
        return "auto"
    item_px = max(text_em(label) for label in labels) * 11 + 40
    return max(1, min(len(labels), int(frame_px // item_px)))
