"""The emotion curve: how each persona feels along the journey."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from bokeh.models import PlainText, Range1d
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from . import _slots as sl
from ._models import Legend, LegendItem, Span, Title
from .theme import CATEGORY_PALETTE, FONT, MUTED, emotion_color

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["emotion_curve"]

#: Line colour of a lone persona: neutral, so the diverging marker colours stand out.
SINGLE_LINE = "#57606a"
#: Marker outline: keeps near-neutral (almost white) markers visible.
OUTLINE = "#424a53"
HOVER_FIELDS = (
    ("Touchpoint", "touchpoint"),
    ("Stage", "stage"),
    ("Persona", "persona"),
    ("Score", "score_text"),
    ("Feeling", "feeling"),
    ("Quote", "thought"),
    ("Source", "source"),
    ("Basis", "basis"),
    ("n", "n_text"),
)


#: Height of an emotion curve when none is given: its axes scale to any height.
CURVE_HEIGHT = 440


def emotion_curve(
    journey: Journey,
    *,
    personas: str | Sequence[str] | None = None,
    by: Literal["touchpoint", "stage"] = "touchpoint",
    period: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> figure:
    r"""Draw the emotion curve: one line per persona along the journey.

    Each emotion row is a marker coloured on the diverging emotion palette
    (orange = frustrated, purple = delighted); filled markers are
    *measured* (backed by data), hollow ones *assumed*. The line of a persona
    runs through the mean score of each position. Stage bands sit behind the
    curve; a dashed baseline marks "indifferent" (0).

    Parameters
    ----------
    journey : Journey
        The map; its ``emotions`` frame supplies the scores.
    personas : str or sequence of str, optional
        Persona ids or names, and segment values, to draw. Default: every
        persona, plus the rows without a persona or segment as "All
        personas". Survey emotions measured per segment
        (``measure(segment_col=...)``: rows with a ``segment``) belong to the
        persona made from that segment (``add_persona_from_segment`` sets
        its ``segment``): its curve is its own rows plus those, and the
        segment's value names that persona. A segment no persona stands for
        has its own curve, "<value> (segment)", never a persona's or "All
        personas"; the default leaves those out, so the curve stays
        readable, and says so under the plot ("+2 segment curves: pass
        personas=['desktop', 'mobile']"). Name a segment to draw its curve.
        Each curve has its persona's (segment's) own colour, the same in
        every plot of the journey; a persona and its segment share one.
    by : {"touchpoint", "stage"}
        ``"touchpoint"``: one position per touchpoint in journey order
        (stage-level emotions sit at the middle of their stage).
        ``"stage"``: one position per stage, the mean of the persona's
        emotions in it.
    period : str, optional
        The measurement period, as on the journey map: the emotions of their
        latest period up to this one, and every row without a period (typed
        by hand). Default: the latest, so a journey measured every quarter
        shows its last survey, not all of them at once.
    title : str, optional
        Figure title (default: the journey's name).
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels. Default ``None``: 440 px (the curve's axes scale to
        any height; at least 100).

    Returns
    -------
    bokeh.plotting.figure
        Not shown: pass it to ``bokeh.io.show`` or put it in a layout.

    Raises
    ------
    ValidationError
        The journey has no stages, ``by`` is unknown, a persona or period is
        unknown or the selection has no emotions.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots.emotion import emotion_curve
    >>> fig = emotion_curve(templates.load("colleen"))
    >>> fig.title.text.text  # wrapped at a word, to fit a narrow output area too
    'Emotion curve — Curious Colleen buys a vacuum\ncleaner'
    >>> len(fig.select(name="emotion_points")[0].data_source.data["score"])
    10
    """
    if by not in ("touchpoint", "stage"):
        raise ValidationError(f"by must be 'touchpoint' or 'stage', got {by!r}")
    sl.require_stages(journey, "an emotion curve")
    width = c.check_width(width)
    height = c.check_height(height)
    keys = None if personas is None else c.resolve_personas(journey, personas, segments=True)
    return keyed_curve(
        journey, keys, by=by, period=period, title=title, width=width, height=height or CURVE_HEIGHT
    )


def keyed_curve(
    journey: Journey,
    keys: Sequence[str] | None,
    *,
    by: Literal["touchpoint", "stage"] = "touchpoint",
    period: str | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int = 440,
) -> figure:
    """:func:`emotion_curve` of resolved curve keys (persona ids, ``"segment:<value>"``)."""
    layout = sl.touchpoint_slots(journey) if by == "touchpoint" else sl.stage_slots(journey)
    points = curve_points(journey, keys, by=by, layout=layout, period=period)
    fig = curve_figure(title or f"Emotion curve — {journey.name}", layout, width, height)
    draw_curves(fig, points, curve_styles(journey))
    add_note(fig, segment_note(points.attrs.get("hidden_segments", [])))
    return fig


def segment_note(hidden: Sequence[str], *, segment_hint: bool = False) -> str | None:
    """Return what a default view says about the segment curves it leaves out (None: none left out).

    ``+2 segment curves: pass personas=['desktop', 'mobile']`` (three values at
    most, then ``...``; each cut to 20 characters). With ``segment_hint`` (the
    journey map, whose lane has less room): ``+2 segment curves: pass
    personas=['desktop', ...] or segment=``.
    """
    if not hidden:
        return None
    values = [v if len(v) <= 20 else v[:19] + "…" for v in hidden]
    most = 1 if segment_hint else 3
    listed = ", ".join(map(repr, values[:most])) + (", ..." if len(values) > most else "")
    s = "s" if len(values) > 1 else ""
    note = f"+{len(values)} segment curve{s}: pass personas=[{listed}]"
    return note + (" or segment=" if segment_hint else "")


def add_note(fig: figure, note: str | None) -> None:
    """Add a small muted line under the plot (plain text: segment values are user text)."""
    if note is None:
        return
    fig.add_layout(
        Title(
            text=PlainText(text=note),
            name="segment_note",
            text_font=FONT,
            text_font_size="11px",
            text_font_style="normal",
            text_color=MUTED,
            align="left",
        ),
        "below",
    )


def curve_styles(journey: Journey) -> dict[str, tuple[str, str]]:
    """Return the line colour and dash of each curve key: the persona's (or segment's) own colour.

    Colours come from :func:`~._common.group_colors`; a segment no persona
    stands for never takes a persona's.

    Rows without a persona ("All personas", key ``""``) get the neutral line.
    """
    styles = {key: (color, "solid") for key, color in c.group_colors(journey).items()}
    return styles | {"": (SINGLE_LINE, "solid")}


def curve_points(
    journey: Journey,
    keys: Sequence[str] | None,
    *,
    by: Literal["touchpoint", "stage"],
    layout: sl.StageSlots,
    period: str | None = None,
) -> pd.DataFrame:
    """Return the markers of the curve: one row per emotion (``by="touchpoint"``) or per curve and stage.

    ``keys``: curve keys (persona ids, ``"segment:<value>"``) or None for the
    default view (see :func:`~._common.emotion_frame`). Adds ``x`` (slot
    position), ``color``/``fill`` (diverging colour; white fill when assumed)
    and hover text columns to :func:`~._common.emotion_frame`; keeps its
    ``attrs["hidden_segments"]``.
    """
    emo = c.emotion_frame(journey, keys, period=period)
    if emo.empty:
        who = "the selected personas" if keys is not None else "this journey"
        raise ValidationError(
            f"no emotions for {who}; add them with Journey.set_emotion(persona, score=..., touchpoint=...)",
            frame="emotions",
        )
    points = decorate(place(emo, layout, by=by))
    points.attrs["hidden_segments"] = emo.attrs["hidden_segments"]
    return points


def place(emo: pd.DataFrame, layout: sl.StageSlots, *, by: Literal["touchpoint", "stage"]) -> pd.DataFrame:
    """Add ``x``: the touchpoint's slot, or the middle of the stage (stage-level rows, ``by="stage"``)."""
    if by == "stage":
        emo = stage_means(emo)
        emo["x"] = emo["stage_key"].map(layout.stage_x()).astype("float64")
        return emo
    emo = emo.copy()
    at_tp = emo["touchpoint_key"].map(layout.touchpoint_x())
    emo["x"] = at_tp.fillna(emo["stage_key"].map(layout.stage_x())).astype("float64")
    bands = layout.bands.set_index("stage_key")
    emo["band_left"] = emo["stage_key"].map(bands["left"] + 0.2).astype("float64")
    emo["band_right"] = emo["stage_key"].map(bands["right"] - 0.2).astype("float64")
    return emo


def stage_means(emo: pd.DataFrame) -> pd.DataFrame:
    """One row per (persona, stage): mean score and a summary of the rows behind it."""

    def join(values: pd.Series) -> object:
        kept = list(dict.fromkeys(values.dropna().astype(str)))
        return ", ".join(kept) if kept else None

    def basis(values: pd.Series) -> str:
        kinds = set(values.dropna())
        return kinds.pop() if len(kinds) == 1 else "mixed"

    grouped = emo.groupby(["persona_key", "stage_key"], sort=False)
    out = grouped.agg(
        persona=("persona", "first"),
        stage=("stage", "first"),
        score=("score", "mean"),
        feeling=("feeling", join),
        thought=("thought", lambda s: s.dropna().iloc[0] if s.notna().any() else None),
        source=("source", join),
        basis=("basis", basis),
        n=("n", lambda s: s.sum(min_count=1)),
        rows=("id", "size"),
    ).reset_index()
    out["touchpoint"] = [f"stage mean of {r} row{'s' if r > 1 else ''}" for r in out["rows"]]
    return out


def decorate(points: pd.DataFrame) -> pd.DataFrame:
    """Colours, persona offsets and hover text for curve markers."""
    points = points.copy()
    personas = list(dict.fromkeys(points["persona_key"]))
    k = len(personas)
    # Personas at the same position are nudged apart so no marker hides another.
    offset = {p: (i - (k - 1) / 2) * min(0.08, 0.3 / k) for i, p in enumerate(personas)}
    points["x"] = points["x"] + points["persona_key"].map(offset)
    points["color"] = [emotion_color(s) for s in points["score"]]
    measured = (points["basis"] == "measured").fillna(False).to_numpy(dtype=bool)
    # Measured: solid marker; assumed: faded fill and a dashed outline (shape-independent,
    # so it survives colour-blindness and greyscale printing).
    points["fill_alpha"] = np.where(measured, 1.0, 0.3)
    points["dash"] = [[] if m else [3, 2] for m in measured]
    points["score_text"] = [f"{s:+.2f}".replace("+0.00", "0.00") for s in points["score"]]
    points["n_text"] = c.number_text(points["n"])
    return points


def draw_curves(
    fig: figure, points: pd.DataFrame, styles: Mapping[str, tuple[str, str]] | None = None
) -> list[LegendItem]:
    """One line and one marker group per ``persona_key``, plus a legend on the right.

    ``styles`` maps a key to its line colour and dash (default, for keys it
    lacks: neutral grey for a lone persona, palette colours for several, solid).
    """
    personas = list(dict.fromkeys(points["persona_key"]))
    items, markers = [], []
    for i, key in enumerate(personas):
        group = points[points["persona_key"] == key].sort_values("x", kind="stable")
        color = SINGLE_LINE if len(personas) == 1 else CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)]
        color, dash = (styles or {}).get(key, (color, "solid"))
        line = group.groupby("x", sort=True)["score"].mean().reset_index()
        line_r = fig.line(
            "x",
            "score",
            source=c.cds(line),
            line_color=color,
            line_width=3,
            line_alpha=0.8,
            line_dash=dash,
            name="emotion_line",
        )
        marker = c.MARKERS[i % len(c.MARKERS)]
        dot = fig.scatter(  # type: ignore[call-arg]  # hover_* visuals: Bokeh's ScatterArgs omits them
            "x",
            "score",
            source=c.cds(group),
            marker=marker,
            size=14,
            fill_color="color",
            fill_alpha="fill_alpha",
            line_color=OUTLINE,
            line_dash="dash",
            line_width=1.6,
            hover_fill_color="color",
            hover_line_color=OUTLINE,
            hover_line_width=3,
            name="emotion_points",
        )
        markers.append(dot)
        # The legend shows a proxy (markers take their colour from the data, a key
        # would show an arbitrary point's colour); hiding the line hides the markers.
        key = fig.scatter([np.nan], [np.nan], marker=marker, size=11, fill_color=color, line_color=color)
        line_r.js_link("visible", dot, "visible")
        items.append(c.legend_item(str(group["persona"].iloc[0]), [line_r, key]))
    _stage_spans(fig, points)
    items += _basis_keys(fig)
    fig.add_tools(c.hover(HOVER_FIELDS, markers))
    # Above the frame, in rows of three: beside it, a legend of a responsive plot was pushed
    # out of JupyterLab's output area when the theme switched (BokehJS re-lays out a side
    # panel with the old width), and a wide legend squeezed the curve in a narrow cell.
    legend = Legend(items=items, location="top_left", orientation="horizontal", ncols=min(3, len(items)))
    fig.add_layout(legend, "above")
    c.style_legend(fig, "top_left")
    return items


def _stage_spans(fig: figure, points: pd.DataFrame) -> None:
    """Draw a faint bar across its stage under each stage-level marker: it is about the whole stage."""
    rows = points[points["touchpoint_key"].isna()] if "touchpoint_key" in points else points.iloc[0:0]
    if rows.empty or "band_left" not in rows:
        return
    fig.segment(
        x0="band_left",
        x1="band_right",
        y0="score",
        y1="score",
        source=c.cds(rows[["band_left", "band_right", "score", "color"]]),
        line_color="color",
        line_width=5,
        line_alpha=0.45,
        line_cap="round",
        level="underlay",
    )


def _basis_keys(fig: figure) -> list[LegendItem]:
    """Legend keys for filled (measured) vs hollow (assumed) markers."""
    keys = []
    for label, alpha, dash in (("measured (data)", 1.0, "solid"), ("assumed", 0.3, [3, 2])):
        r = fig.scatter(
            [np.nan],
            [np.nan],
            marker="circle",
            size=12,
            fill_color=MUTED,
            fill_alpha=alpha,
            line_color=OUTLINE,
            line_dash=dash,
            line_width=1.6,
        )
        keys.append(c.legend_item(label, [r]))
    return keys


def curve_figure(title: str, layout: sl.StageSlots, width: int | None, height: int) -> figure:
    fig = c.styled_figure(
        title=title,
        width=width,
        height=height,
        x_range=Range1d(start=layout.x_range[0], end=layout.x_range[1], bounds="auto"),
        y_range=Range1d(start=-2.55, end=2.85, bounds=(-3, 3.3)),
    )
    sl.draw_stage_bands(fig, layout, label_y=2.55)
    sl.slot_x_axis(fig, layout)
    c.emotion_y_axis(fig)
    fig.ygrid.grid_line_alpha = 0.35
    fig.add_layout(Span(location=0, dimension="width", line_color=MUTED, line_dash="dashed", line_width=1.5))
    return fig
