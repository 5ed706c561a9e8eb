"""The emotion lane of the journey map: one curve per persona, -2..+2.

Points sit at touchpoints (stage-level emotions at the stage centre), filled
when measured and hollow when assumed, coloured on the diverging emotion
palette; each persona's line runs through its mean score per place.

Survey emotions measured per segment (rows with a ``segment``) belong to the
persona made from that segment (its ``segment``, see
:func:`~.theme.persona_segments`): its curve runs through its own rows and
those. A segment no persona stands for forms its own curve (key
``"segment:<value>"``, named "<value> (segment)", in the segment's colour),
never a persona's (by ``persona_id``) or the "All personas" curve: they sit
at the same places as the all-customer rows, and one line through both would
zig-zag. The default map leaves those out and says so in the lane's legend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.core.properties import field, value
from bokeh.core.property.vectorization import Field
from bokeh.models import (
    Axis,
    ColumnDataSource,
    FixedTicker,
    Grid,
    HoverTool,
    MultiLine,
    PlainText,
    Plot,
    Range1d,
    Scatter,
    Text,
)
from bokeh.transform import factor_mark

from ...model.labels import EMOTION_LABELS, NO_PERSONA_LABEL
from .. import _common as c
from .. import theme
from .._models import Legend, LegendItem, Span, Title
from ..emotion import segment_note
from .grid import numbers, texts, wrap
from .lanes import MARKERS, MapContext, add_glyph, lane_figure, legend_style

if TYPE_CHECKING:
    from ...model import Journey

__all__ = [
    "EMOTION_TOOLTIPS",
    "emotion_source",
    "emotions_lane",
    "map_emotions",
    "outline_color",
    "persona_table",
]

WHOLE_STAGE = "(whole stage)"
EMOTION_TOOLTIPS = [
    ("Touchpoint", "@touchpoint"),
    ("Stage", "@stage"),
    ("Persona", "@persona"),
    ("Score", "@score{+0.0}"),
    ("Feeling", "@feeling"),
    ("Quote", "@thought"),
    ("Source", "@source"),
    ("Basis", "@basis"),
    ("n", "@n"),
]


def map_emotions(
    journey: Journey,
    emotions: pd.DataFrame,
    persona_ids: Sequence[str] | None,
    segment: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the emotion rows the map draws and its curves (:func:`persona_table`).

    Parameters
    ----------
    journey : Journey
        The map (its personas and segment colours).
    emotions : DataFrame
        The emotion rows of the period shown, already cut to ``segment``.
    persona_ids : sequence of str, optional
        Curve keys from :func:`~._common.resolve_personas` (persona ids,
        ``"segment:<value>"``): their rows, one curve each in this order,
        even without rows. A persona's curve has its own rows and those of
        the segment it was made from. ``None``: every persona with emotions
        and the rows without a persona or segment ("All personas"); the
        rows of segments no persona stands for are left out and those
        segments listed, sorted, in the returned rows'
        ``attrs["hidden_segments"]`` (the lane's legend names them).
    segment : str, optional
        The one segment the map shows (``journey_map(segment=...)``): its
        rows form its curve (its persona's, when one was made from it),
        after the picked personas' curves.
    """
    owners = theme.persona_segments(journey)
    keys = c.emotion_keys(emotions, owners)
    hidden: list[str] = []
    if persona_ids is not None or segment is not None:
        curve_ids: list[str | None] = list(dict.fromkeys(persona_ids or []))
        if segment is not None:
            own = owners.get(segment, c.SEGMENT_KEY + segment)
            curve_ids = list(dict.fromkeys([*curve_ids, own]))
        rows = emotions.loc[keys.isin(curve_ids).to_numpy(dtype=bool)]
    else:
        is_segment = keys.str.startswith(c.SEGMENT_KEY).to_numpy(dtype=bool)
        hidden = sorted({k.removeprefix(c.SEGMENT_KEY) for k in keys[is_segment]})
        rows = emotions.loc[~is_segment]
        used = set(keys[~is_segment])
        curve_ids = [p for p in journey.personas["id"].astype(str) if p in used]
        if "" in used:
            curve_ids.append(None)
    rows = rows.copy()
    rows.attrs["hidden_segments"] = hidden
    # The points are keyed again from these rows (emotion_source): same owners, same curves.
    rows.attrs["segment_owners"] = owners
    return rows, persona_table(journey.personas, curve_ids, theme.segment_colors(journey))


def emotion_source(ctx: MapContext, emotions: pd.DataFrame) -> ColumnDataSource:
    """Return the emotion points (``name`` ``"emotion_points"``): places and hover fields.

    One source, shared by the emotions lane and the hover of the thoughts lane.
    """
    return ColumnDataSource(_emotion_points(ctx, emotions), name="emotion_points")


def emotions_lane(
    ctx: MapContext,
    emotions: pd.DataFrame,
    title: str = "Emotions",
    source: ColumnDataSource | None = None,
) -> Plot:
    """Draw the emotion curve: one line per persona through its scores, -2..+2.

    Points sit at touchpoints (stage-level emotions at the stage centre);
    measured scores are filled markers, assumed ones hollow. The line runs
    through the mean score per place, so several sources at one touchpoint
    show as several points on one curve. ``source``: the
    :func:`emotion_source` of ``emotions``, when the map already made it.
    When ``emotions.attrs["hidden_segments"]`` (set by :func:`map_emotions`)
    lists segments, the legend ends with a note on how to draw their curves.
    """
    if source is None:
        source = emotion_source(ctx, emotions)
    curves = _emotion_curves(ctx, source.data)
    p = lane_figure(ctx, "emotions", title, 210, Range1d(start=-2.6, end=2.6))
    _emotion_axis(p)
    p.add_layout(
        Span(location=0, dimension="width", line_color=theme.MUTED, line_dash="dashed", line_width=1)
    )
    legend = Legend(orientation="horizontal", **legend_style())
    p.add_layout(legend, "above")
    curve_source = ColumnDataSource(curves, name="emotion_curves")
    curves_r = add_glyph(p, curve_source, MultiLine(xs="xs", ys="ys", line_color="color", line_width=2.5))
    # Collected apart: Bokeh types Legend.items as one of two list types, which mypy cannot
    # narrow to append to.
    items: list[LegendItem] = []
    if ctx.group:
        items.append(LegendItem(label=field("persona"), renderers=[curves_r]))
    dots = add_glyph(
        p,
        source,
        Scatter(
            x="x",
            y="score",
            marker=_markers(ctx),
            size=13,
            fill_color="fill",
            line_color="line",
            line_width=2,
        ),
    )
    if _shows_labels(ctx):
        add_glyph(
            p,
            source,
            Text(
                x="x",
                y="score",
                text="label",
                text_font_size="10px",
                text_font=value(theme.FONT),
                text_color=theme.MUTED,
                text_align="center",
                text_baseline="bottom",
                y_offset=-9,
                background_fill_color="#ffffff",
                background_fill_alpha=0.75,
            ),
        )
    legend.items = items + _basis_key(p)
    note = segment_note(emotions.attrs.get("hidden_segments", []), segment_hint=True)
    if note is not None:
        _add_note(p, note)
    p.add_tools(HoverTool(renderers=[dots], tooltips=EMOTION_TOOLTIPS))
    return p


def _add_note(p: Plot, note: str) -> None:
    """Name the segment curves the default map leaves out, over the lane's legend.

    A muted line of plain text on its own line, so a group map's legend keeps its room.
    """
    p.add_layout(
        Title(
            text=PlainText(text=note),
            name="segment_note",
            text_font=theme.FONT,
            text_font_size="11px",
            text_font_style="normal",
            text_color=theme.MUTED,
            align="left",
        ),
        "above",
    )


def _markers(ctx: MapContext) -> str | Field:
    """Return the marker of each point, by persona: a mapping of ``persona_id`` (no per-row column)."""
    keys = [str(k) for k in ctx.personas["id"].fillna("")]
    markers = list(ctx.personas["marker"])
    if len(set(markers)) <= 1:
        return markers[0] if markers else "circle"
    return factor_mark("persona_id", markers, keys)


def _shows_labels(ctx: MapContext) -> bool:
    """Tell whether the points are labelled with their feeling (one persona, wide slots)."""
    return not ctx.group and ctx.grid.slot_px >= 60


def outline_color(score: float) -> str:
    """Return a marker outline that shows on white.

    The emotion colour, at least two steps away from the pale middle of the
    palette (grey at 0).

    Parameters
    ----------
    score : float
        The emotion score, -2..+2 (NaN: none).

    Returns
    -------
    str
        A colour of :data:`~cjm_jupyter.plots.theme.EMOTION_PALETTE`, or the muted grey.
    """
    if np.isnan(score) or score == 0:
        return theme.MUTED
    mid = len(theme.EMOTION_PALETTE) // 2
    color = theme.emotion_color(score)
    step = theme.EMOTION_PALETTE.index(color) - mid
    step = int(np.sign(score)) * max(abs(step), 2)
    return theme.EMOTION_PALETTE[mid + step]


def _emotion_axis(p: Plot) -> None:
    axis = p.left[0]
    assert isinstance(axis, Axis)  # lane_figure puts one LinearAxis on the left
    axis.ticker = FixedTicker(ticks=[-2, -1, 0, 1, 2])
    # The scale's words (one set for the map, the focused plots and the editor);
    # the hover gives the score. Words alone keep the lane-title margin narrow.
    axis.major_label_overrides = {
        -2: EMOTION_LABELS[-2],
        -1: "\u22121",
        0: EMOTION_LABELS[0],
        1: "+1",
        2: EMOTION_LABELS[2],
    }
    axis.major_label_text_font_size = "10px"
    axis.major_label_text_color = theme.MUTED
    axis.major_tick_line_color = theme.GRID
    p.add_layout(
        Grid(
            dimension=1,
            ticker=FixedTicker(ticks=[-2, -1, 1, 2]),
            grid_line_color=theme.GRID,
            grid_line_alpha=0.8,
            grid_line_dash="dotted",
        )
    )


def _basis_key(p: Plot) -> list[LegendItem]:
    """Return legend entries for filled (measured) and hollow (assumed) markers."""
    # One off-plot row: legends draw a glyph from its first row.
    empty = ColumnDataSource({"x": [np.nan], "y": [np.nan]}, name="legend_key")
    filled = add_glyph(
        p, empty, Scatter(x="x", y="y", size=11, fill_color=theme.MUTED, line_color=theme.MUTED, line_width=2)
    )
    hollow = add_glyph(
        p, empty, Scatter(x="x", y="y", size=11, fill_color="#ffffff", line_color=theme.MUTED, line_width=2)
    )
    return [LegendItem(label="measured", renderers=[filled]), LegendItem(label="assumed", renderers=[hollow])]


def _emotion_points(ctx: MapContext, emotions: pd.DataFrame) -> dict[str, object]:
    grid = ctx.grid
    placed = grid.place(emotions)
    tp_names = grid.touchpoints.set_index("id")["name"]
    stage_names = np.append(grid.stages["name"].astype(object).to_numpy(), "")
    persona = ctx.personas.assign(key=ctx.personas["id"].fillna("")).set_index("key")
    # The curve key: a persona id (its own rows and its segment's), "segment:<value>" (a
    # segment no persona stands for) or "" (neither).
    key = c.emotion_keys(emotions, emotions.attrs.get("segment_owners"))
    score = numbers(emotions["score"])
    colors = [theme.emotion_color(s) for s in score]
    outlines = [outline_color(s) for s in score]
    measured = (emotions["basis"] == "measured").fillna(False).to_numpy()
    touchpoint = emotions["touchpoint_id"].map(tp_names)
    feelings = texts(emotions["feeling"])
    points: dict[str, object] = {
        "id": texts(emotions["id"]),
        "x": placed["x"].to_numpy(dtype=float),
        "score": score,
        "persona_id": list(key),
        "persona": list(key.map(persona["name"])),
        "touchpoint": [t if t else WHOLE_STAGE for t in texts(touchpoint)],
        "stage": list(stage_names[placed["stage_pos"].to_numpy()]),
        "feeling": feelings,
        "thought": texts(emotions["thought"]),
        "source": texts(emotions["source"]),
        "basis": texts(emotions["basis"]),
        "n": [t or "—" for t in texts(emotions["n"])],
        "fill": [c if m else "#ffffff" for c, m in zip(colors, measured, strict=True)],
        "line": outlines,
    }
    if _shows_labels(ctx):  # only sent when drawn
        points["label"] = [wrap(f, grid.slot_px - 4, ctx.lines(1), font_px=10) for f in feelings]
    return points


def _emotion_curves(ctx: MapContext, points: Mapping[str, Any]) -> dict[str, list[object]]:
    df = pd.DataFrame({"key": points["persona_id"], "x": points["x"], "score": points["score"]})
    xs: list[object] = []
    ys: list[object] = []
    for key in ctx.personas["id"].fillna(""):
        mean = df.loc[df["key"] == key].groupby("x")["score"].mean().sort_index()
        xs.append(mean.index.to_numpy(dtype=float))
        ys.append(mean.to_numpy(dtype=float))
    return {
        "xs": xs,
        "ys": ys,
        "persona_id": list(ctx.personas["id"].fillna("")),
        "persona": list(ctx.personas["name"]),
        "color": list(ctx.personas["color"]),
    }


def persona_table(
    personas: pd.DataFrame,
    ids: Sequence[str | None],
    segment_colors: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Return the name, colour and marker of each curve (``None``: emotions without a persona).

    The colour is the persona's own (:func:`~.theme.persona_colors`: its place
    in the personas frame), so it is the same in every plot and when only some
    personas are shown; the "All personas" curve is grey. A
    ``"segment:<value>"`` curve (a segment no persona stands for) is named
    "<value> (segment)" and takes the segment's colour from ``segment_colors``
    (:func:`~.theme.segment_colors`: never a persona's).
    """
    names = dict(zip(personas["id"], texts(personas["name"]), strict=True))
    order = {str(pid): k for k, pid in enumerate(personas["id"])}
    palette = theme.PERSONA_PALETTE
    shown, colors = [], []
    for i in ids:
        if i is not None and i.startswith(c.SEGMENT_KEY):
            shown.append(c.segment_label(i))
            colors.append((segment_colors or {}).get(i.removeprefix(c.SEGMENT_KEY), theme.MUTED))
        else:
            shown.append(names.get(i, NO_PERSONA_LABEL) if i is not None else NO_PERSONA_LABEL)
            colors.append(theme.MUTED if i is None else palette[order.get(i, 0) % len(palette)])
    markers = [MARKERS[i % len(MARKERS)] if len(ids) > 1 else "circle" for i in range(len(ids))]
    return pd.DataFrame({"id": list(ids), "name": shown, "color": colors, "marker": markers}, dtype=object)
