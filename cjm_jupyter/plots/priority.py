"""The impact / effort matrix of a journey's opportunities: what to do first.

Effort runs along x (low effort left), impact up y, both on the map's 1-5
scales, split at the middle (3) into four named quadrants:

================ ====================== =====================================
quadrant         where                  reading
================ ====================== =====================================
Quick wins       high impact, low effort do these first
Major projects   high impact, high effort plan them
Fill-ins         low impact, low effort  when there is time
Thankless tasks  low impact, high effort avoid
================ ====================== =====================================

A point's area grows with the weight of the pain point the opportunity
addresses (:meth:`Journey.priorities`: severity times frequency times the share of
customers measured at its stage), and its label starts with the
opportunity's rank.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, PlainText, Range1d, Scatter, Text
from bokeh.plotting import figure

from . import _common as c
from ._models import Span, Title
from .map.grid import texts, wrap
from .theme import FONT, MUTED, TEXT

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["QUADRANTS", "priority_matrix", "priority_table"]

#: Quadrant names by (high impact, high effort).
QUADRANTS: dict[tuple[bool, bool], str] = {
    (True, False): "Quick wins",
    (True, True): "Major projects",
    (False, False): "Fill-ins",
    (False, True): "Thankless tasks",
}
#: Where the scales split (the middle of 1..5): a 3 counts as high.
MIDDLE = 3.0
POINT_FILL, POINT_LINE = "#8073ac", "#542788"
#: Point diameters in pixels: without a pain point, and at the heaviest one (25).
MIN_SIZE, MAX_SIZE = 10.0, 40.0
MATRIX_HOVER = (
    ("Opportunity", "description"),
    ("Rank", "rank_text"),
    ("Quadrant", "quadrant"),
    ("Impact", "impact_text"),
    ("Effort", "effort_text"),
    ("Pain point", "pain_point"),
    ("Pain weight", "pain_weight_text"),
    ("Stage", "stage"),
    ("Touchpoint", "touchpoint"),
)


def priority_table(journey: Journey) -> pd.DataFrame:
    """Return the opportunities as the matrix draws them, one row per opportunity.

    Returns
    -------
    DataFrame
        ``id``, ``description``, ``impact``, ``effort`` (float, NaN when not
        rated), ``rank`` (Int64; from :meth:`Journey.priorities`),
        ``pain_point`` (its description), ``pain_weight`` (as in
        :meth:`Journey.priorities`: the addressed pain point's score / 25, 0..1;
        0 without one), ``stage``, ``touchpoint`` and
        ``quadrant`` (empty when not rated), in the opportunities' order.
    """
    opps = journey.opportunities
    pains = journey.pain_points
    ranked = journey.priorities()
    opp_rows = ranked.loc[(ranked["kind"] == "opportunity").fillna(False)].set_index("id")
    pain_text = dict(zip(pains["id"].astype(object), texts(pains["description"]), strict=True))
    ids = opps["id"].astype(object)
    pain_weight = pd.to_numeric(ids.map(opp_rows["pain_weight"]), errors="coerce").fillna(0.0)
    pain_weight = pain_weight.to_numpy(dtype=float)
    impact = pd.to_numeric(opps["impact"], errors="coerce").astype(float).to_numpy()
    effort = pd.to_numeric(opps["effort"], errors="coerce").astype(float).to_numpy()
    via = opps["pain_point_id"].astype(object).where(opps["pain_point_id"].notna(), None)
    return pd.DataFrame(
        {
            "id": ids.to_numpy(),
            "description": texts(opps["description"]),
            "impact": impact,
            "effort": effort,
            "rank": ids.map(opp_rows["rank"]).astype("Int64").to_numpy(),
            "pain_point": [pain_text.get(p, "") for p in via],
            # Journey.priorities' own measure (the addressed pain point's score / 25, 0..1): one definition.
            "pain_weight": pain_weight,
            "stage": texts(ids.map(opp_rows["stage"])),
            "touchpoint": texts(ids.map(opp_rows["touchpoint"])),
            "quadrant": [
                QUADRANTS[(i >= MIDDLE, e >= MIDDLE)] if not (math.isnan(i) or math.isnan(e)) else ""
                for i, e in zip(impact, effort, strict=True)
            ],
        }
    )


#: Width the labels of a responsive priority matrix are wrapped for.
LABELS_PX = 900


#: Height of the matrix when none is given: a 5 x 5 grid, whatever the number of points.
MATRIX_HEIGHT = 640


def priority_matrix(journey: Journey, *, width: int | None = None, height: int | None = None) -> figure:
    """Draw the impact / effort matrix of the journey's opportunities.

    Parameters
    ----------
    journey : Journey
        The journey; only read.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels. Default ``None``: 640 px (the 5 x 5 grid is the
        same for any number of points; at least 200).

    Returns
    -------
    bokeh.plotting.figure
        One figure (``name="priority_matrix"``): a point per opportunity rated
        for both impact and effort (ColumnDataSource ``"priority_points"``),
        its label (``"priority_labels"``: rank and description) and the
        quadrant names (``"priority_quadrants"``). Opportunities sharing a
        cell are stacked in it. Unrated ones are counted in the subtitle.

    Raises
    ------
    ValidationError
        ``width`` is neither ``None`` nor an integer of at least 200 (the
        message names ``width`` and the value).

    Notes
    -----
    Labels and quadrant names are canvas text and the hover shows plain
    ColumnDataSource fields: user text is never read as HTML.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots import priority_matrix
    >>> fig = priority_matrix(templates.load("colleen"))
    >>> sorted(fig.select_one({"name": "priority_quadrants"}).data["text"])
    ['Fill-ins', 'Major projects', 'Quick wins', 'Thankless tasks']
    >>> priority_matrix(templates.load("colleen"), width=100)
    Traceback (most recent call last):
    ...
    cjm_jupyter.errors.ValidationError: column 'width', value 100: must be None ... at least 200 pixels
    """
    width = c.check_width(width)
    height = MATRIX_HEIGHT if height is None else c.check_height(height, least=200)
    table = priority_table(journey)
    rated = table.loc[table["quadrant"] != ""].reset_index(drop=True)
    unrated = len(table) - len(rated)
    fig = c.styled_figure(
        title=f"Priorities: impact and effort of the opportunities — {journey.name}",
        width=width,
        height=height,
        x_range=Range1d(start=0.5, end=5.5, bounds=(0, 6)),
        y_range=Range1d(start=0.5, end=5.5, bounds=(0, 6)),
        tools="pan,wheel_zoom,reset,save",
        name="priority_matrix",
    )
    _quadrants(fig)
    source = ColumnDataSource(_points(rated), name="priority_points")
    dots = fig.add_glyph(
        source,
        Scatter(
            x="x",
            y="y",
            size="size",
            fill_color=POINT_FILL,
            fill_alpha=0.55,
            line_color=POINT_LINE,
            line_width=1.5,
        ),
    )
    # Responsive: labels wrapped for 900 px, a little under the plot's width in a 968 px cell.
    labels = ColumnDataSource(_labels(rated, source.data, width or LABELS_PX), name="priority_labels")
    fig.add_glyph(
        labels,
        Text(
            x="x",
            y="y",
            text="text",
            x_offset="dx",
            text_align="align",
            text_baseline="middle",
            text_font_size="11px",
            text_font={"value": FONT},
            text_color=TEXT,
        ),
    )
    fig.add_tools(c.hover(MATRIX_HOVER, [dots]))
    fig.xaxis.axis_label = "Effort (1 low … 5 high)"
    fig.yaxis.axis_label = "Impact (1 low … 5 high)"
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.ticker = [1, 2, 3, 4, 5]
    fig.xgrid.grid_line_color = None
    fig.ygrid.grid_line_color = None
    notes = ["point size: weight of the pain point addressed"]
    if unrated:
        noun = "opportunity" if unrated == 1 else "opportunities"
        notes.append(f"{unrated} {noun} without impact or effort not shown")
    subtitle = Title(
        text=PlainText(text=" · ".join(notes)),
        text_font_size="12px",
        text_color=MUTED,
        text_font_style="normal",
        text_font=FONT,
    )
    fig.add_layout(subtitle, "above")
    return fig


def _quadrants(fig: figure) -> None:
    """Split lines between 2 and 3 on both scales and the four names in the corners."""
    for dim in ("width", "height"):
        split = Span(location=MIDDLE - 0.5, dimension=dim, line_color=MUTED, line_dash="dashed")
        fig.add_layout(split)
    corners = [(True, False), (True, True), (False, False), (False, True)]
    names = ColumnDataSource(
        {
            "x": [0.6, 5.4, 0.6, 5.4],
            "y": [5.4, 5.4, 0.6, 0.6],
            "text": [QUADRANTS[k] for k in corners],
            "align": ["left", "right", "left", "right"],
            "baseline": ["top", "top", "bottom", "bottom"],
        },
        name="priority_quadrants",
    )
    fig.add_glyph(
        names,
        Text(
            x="x",
            y="y",
            text="text",
            text_align="align",
            text_baseline="baseline",
            text_font_size="15px",
            text_font_style="bold",
            text_font={"value": FONT},
            text_color=MUTED,
            text_alpha=0.8,
        ),
    )


def _points(rated: pd.DataFrame) -> dict[str, object]:
    """Point positions (opportunities sharing a cell stacked in it), sizes and hover texts."""
    cell = rated.groupby(["impact", "effort"], sort=False).cumcount().to_numpy()
    count = rated.groupby(["impact", "effort"], sort=False)["id"].transform("size").to_numpy()
    # Up to 0.8 of a cell, so the stack stays inside it.
    step = np.minimum(0.3, 0.8 / np.maximum(count, 1))
    y = rated["impact"].to_numpy(dtype=float) + (cell - (count - 1) / 2) * -step
    weight = rated["pain_weight"].to_numpy(dtype=float)
    size = MIN_SIZE + (MAX_SIZE - MIN_SIZE) * np.sqrt(np.clip(weight, 0, 1))
    rank = rated["rank"]
    return {
        "x": rated["effort"].to_numpy(dtype=float),
        "y": y,
        "size": size,
        "id": texts(rated["id"]),
        "description": list(rated["description"]),
        "rank_text": [str(r) if pd.notna(r) else c.MISSING for r in rank],
        "quadrant": list(rated["quadrant"]),
        "impact_text": [f"{v:g}" for v in rated["impact"]],
        "effort_text": [f"{v:g}" for v in rated["effort"]],
        "pain_point": [t or c.MISSING for t in rated["pain_point"]],
        "pain_weight": weight,
        "pain_weight_text": [f"{w:.3g}" if w else c.MISSING for w in weight],
        "stage": [t or c.MISSING for t in rated["stage"]],
        "touchpoint": [t or c.MISSING for t in rated["touchpoint"]],
    }


def _labels(rated: pd.DataFrame, points: dict[str, object], width: int) -> dict[str, object]:
    """Return one label per point: "rank. description", on two lines, beside its point.

    Points in the last column, whose right is the edge, have theirs on the left.
    """
    room = (width - 120) / 5 - 24  # a cell's width in px less the point
    x = np.asarray(points["x"], dtype=float)
    size = np.asarray(points["size"], dtype=float)
    right_side = x < 4.5
    ranked = zip(rated["rank"], rated["description"], strict=True)
    text = [wrap(f"{r}. {d}" if pd.notna(r) else d, room, 2) for r, d in ranked]
    return {
        "x": x,
        "y": np.asarray(points["y"], dtype=float),
        "text": text,
        "dx": np.where(right_side, size / 2 + 4, -size / 2 - 4),
        "align": np.where(right_side, "left", "right").tolist(),
    }
