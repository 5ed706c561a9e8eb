"""Helpers shared by the plots: input checks, text, styling, hover, personas and emotions.

Everything here keeps user text out of HTML: text reaches the browser only as
``ColumnDataSource`` values shown by ``@{field}`` tooltips (Bokeh escapes
them), as axis tick labels, titles or canvas glyphs (``Text``), never inside a
``Div`` or a hand-written HTML tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, overload

import numpy as np
import pandas as pd
from bokeh.core.enums import LegendLocationType
from bokeh.models import ColumnDataSource, FixedTicker, HoverTool, LayoutDOM, PlainText, Range, Range1d
from bokeh.models.text import BaseText  # abstract: not re-exported by bokeh.models
from bokeh.palettes import Blues9
from bokeh.plotting import figure

from ..errors import ValidationError
from ..model.labels import EMOTION_LABELS, NO_PERSONA_LABEL
from ._models import DataRenderer, GlyphRenderer, LegendItem, Title
from .theme import (
    BACKGROUND,
    CATEGORY_PALETTE,
    FONT,
    GRID,
    MUTED,
    TEXT,
    journey_segments,
    persona_colors,
    persona_segments,
    segment_colors,
)

if TYPE_CHECKING:
    from ..model import Journey

__all__ = [
    "ALL_PERSONAS",
    "BAND_FILLS",
    "EMOTION_TICKS",
    "EMOTION_TICK_LABELS",
    "MARKERS",
    "MIN_WIDTH",
    "MISSING",
    "NOMINAL_WIDTH",
    "SEGMENT_KEY",
    "SEQUENTIAL_PALETTE",
    # input frames
    "as_frame",
    "numeric_column",
    # text
    "number_text",
    "text",
    "truncate",
    "unique_labels",
    # sources, hover, styling
    "category_color_list",
    "cds",
    "check_height",
    "check_width",
    "fit_height",
    "fit_width",
    "layout_width",
    "size_args",
    "wrap_note",
    "bounds",
    "heading",
    "hover",
    "legend_item",
    "linear_colors",
    "style_legend",
    "styled_figure",
    "text_color_on",
    # journeys
    "emotion_frame",
    "emotion_keys",
    "emotion_y_axis",
    "group_colors",
    "s_curve",
    "segment_label",
    "resolve_personas",
]

#: How a missing text value is shown in hover and labels.
MISSING = "—"
#: Light-to-dark single-hue palette for volumes and metric values (colour-blind safe).
SEQUENTIAL_PALETTE: tuple[str, ...] = tuple(reversed(Blues9))[1:-1]
#: Marker shapes cycled per persona, so personas differ by more than colour.
MARKERS: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "inverted_triangle", "hex", "star")
#: Tick labels of the emotion scale.
EMOTION_TICKS: list[int] = [-2, -1, 0, 1, 2]
EMOTION_TICK_LABELS: dict[float | str, str | BaseText] = {
    -2: EMOTION_LABELS[-2],
    -1: "\u22121",
    0: EMOTION_LABELS[0],
    1: "+1",
    2: EMOTION_LABELS[2],
}
#: Alternating stage band fills.
BAND_FILLS: tuple[str, str] = ("#f6f8fa", BACKGROUND)


# -- input frames ---------------------------------------------------------------------
def as_frame(data: Any, columns: Mapping[str, str], *, what: str = "data") -> pd.DataFrame:
    """Check that ``data`` is a non-empty DataFrame holding ``columns``.

    Parameters
    ----------
    data : DataFrame
        The user's frame.
    columns : mapping of str to str
        Keyword name (``"stage_col"``) to the column it names (``"step"``); each
        must exist. The message of a missing one names the keyword.
    what : str
        How the frame is called in error messages.

    Returns
    -------
    DataFrame
        ``data`` itself (not copied).

    Raises
    ------
    ValidationError
        Not a DataFrame, a column is missing (the message names it) or no rows.
    """
    if not isinstance(data, pd.DataFrame):
        raise ValidationError(f"{what} must be a pandas DataFrame, got {type(data).__name__}")
    for arg, column in columns.items():
        if column not in data.columns:
            have = ", ".join(map(str, data.columns)) or "none"
            raise ValidationError(
                f"{what} has no column {column!r} (passed as {arg}=); columns: {have}",
                frame=what,
                column=column,
            )
    if data.empty:
        raise ValidationError(f"{what} has no rows", frame=what)
    return data


def numeric_column(df: pd.DataFrame, column: str, *, what: str = "data") -> pd.Series:
    """``df[column]`` as floats; non-numbers, missing or negative values raise."""
    values = pd.to_numeric(df[column], errors="coerce").astype("float64")
    bad = values.isna() | (values < 0)
    if bad.any():
        raise ValidationError(
            "must hold non-negative numbers in every row",
            frame=what,
            column=column,
            value=df[column][bad].iloc[0],
            has_value=True,
        )
    return values


# -- text ----------------------------------------------------------------------------
def truncate(values: Iterable[Any], limit: int = 22) -> list[str]:
    """Display labels: text cut to ``limit`` characters with an ellipsis; missing → ``—``."""
    out = []
    for value in values:
        text = MISSING if _is_missing(value) else str(value)
        out.append(text if len(text) <= limit else text[: limit - 1].rstrip() + "…")
    return out


def unique_labels(values: Iterable[Any], limit: int = 22) -> list[str]:
    """Return truncated labels made unique (a suffix `` (2)``, `` (3)``... on repeats).

    Categorical axes draw their factors verbatim, so the factors themselves
    must be short and distinct; the full text goes into the hover.
    """
    seen: dict[str, int] = {}
    out = []
    for label in truncate(values, limit):
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def text(values: Iterable[Any]) -> list[str]:
    """Hover text: ``str`` of each value, ``—`` when missing."""
    return [MISSING if _is_missing(v) else str(v) for v in values]


def number_text(values: Iterable[Any], fmt: str = "{:,.0f}") -> list[str]:
    """Numbers formatted for hover, ``—`` when missing."""
    return [MISSING if _is_missing(v) else fmt.format(float(v)) for v in values]


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


# -- data sources and hover ------------------------------------------------------------
def cds(df: pd.DataFrame) -> ColumnDataSource:
    """Build a ColumnDataSource with browser-safe columns.

    Numeric extension dtypes become float arrays (``NaN`` for missing), text
    becomes lists of ``str`` with ``—`` for missing; list-valued columns (glyph
    paths) pass through.
    """
    data: dict[str, Any] = {}
    for name, col in df.items():
        if pd.api.types.is_bool_dtype(col.dtype):
            data[str(name)] = col.to_numpy(dtype=bool)
        elif pd.api.types.is_numeric_dtype(col.dtype):
            data[str(name)] = col.to_numpy(dtype="float64", na_value=np.nan)
        elif col.map(lambda v: isinstance(v, (list, tuple, np.ndarray))).all() and len(col):
            data[str(name)] = [list(v) for v in col]
        else:
            data[str(name)] = text(col)
    return ColumnDataSource(data=data)


def hover(fields: Sequence[tuple[str, str]], renderers: Sequence[DataRenderer], **kwargs: Any) -> HoverTool:
    """Build a HoverTool whose tooltips are ``(label, "@{field}")`` pairs, never HTML."""
    tooltips = [(label, f"@{{{field}}}") for label, field in fields]
    return HoverTool(tooltips=tooltips, renderers=list(renderers), **kwargs)


# -- figure styling ----------------------------------------------------------------------
#: Width a responsive plot is laid out for (text fitted, labels truncated) and drawn at
#: where no page gives it a width: PNG/SVG export (see :mod:`.export`). JupyterLab's
#: output area is about 968 px wide beside an open file browser at 1400 px.
NOMINAL_WIDTH = 960
#: Narrowest a responsive plot gets: below it the output area scrolls instead of
#: squeezing axis labels into each other.
MIN_WIDTH = 480


@overload
def check_width(width: None, *, least: int = 200) -> None: ...
@overload
def check_width(width: int, *, least: int = 200) -> int: ...
@overload
def check_width(width: Any, *, least: int = 200) -> int | None: ...
def check_width(width: Any, *, least: int = 200) -> int | None:
    """``width`` if it is ``None`` (responsive) or an integer of at least ``least`` pixels.

    Raises
    ------
    ValidationError
        Anything else (the message names ``width`` and the value).
    """
    return _checked_size(width, "width", "the width of the output area", least)


def _checked_size(value: Any, keyword: str, none_means: str, least: int) -> int | None:
    """``value`` of the ``keyword`` (width or height) if None or an integer of at least ``least`` px."""
    if value is None:
        return None
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < least:
        raise ValidationError(
            f"must be None ({none_means}) or an integer of at least {least} pixels",
            column=keyword,
            value=value,
        )
    return int(value)


def layout_width(width: int | None) -> int:
    """Return the pixels a plot's text is laid out for: ``width``, or :data:`NOMINAL_WIDTH` if responsive."""
    return NOMINAL_WIDTH if width is None else width


def size_args(width: int | None, *, min_width: int = MIN_WIDTH) -> dict[str, Any]:
    """Bokeh sizing keywords: fixed ``width`` px, or ``None`` for the width of the output area.

    A responsive model keeps ``width`` = :data:`NOMINAL_WIDTH`: Bokeh ignores it
    while the model stretches, and an export that fixes the model uses it.
    """
    if width is None:
        return {"sizing_mode": "stretch_width", "width": NOMINAL_WIDTH, "min_width": min_width}
    return {"sizing_mode": "fixed", "width": width}


#: A layout passed through :func:`fit_width` keeps its own type (a ``Column`` stays a ``Column``).
LayoutT = TypeVar("LayoutT", bound=LayoutDOM)


def fit_width(model: LayoutT, width: int | None, *, min_width: int = MIN_WIDTH) -> LayoutT:
    """Size a layout (a column or row of figures) like :func:`size_args`; returns ``model``.

    A responsive layout stretches, and so must each of its children, or the
    layout grows while its figures keep their own width.
    """
    if width is None:
        model.sizing_mode = "stretch_width"
        model.min_width = min_width
    return model


@overload
def check_height(height: None, *, least: int = 100) -> None: ...
@overload
def check_height(height: int, *, least: int = 100) -> int: ...
@overload
def check_height(height: Any, *, least: int = 100) -> int | None: ...
def check_height(height: Any, *, least: int = 100) -> int | None:
    """``height`` if it is ``None`` (the height the content needs) or an integer of at least ``least`` px.

    Raises
    ------
    ValidationError
        Anything else (the message names ``height`` and the value).
    """
    return _checked_size(height, "height", "the height the content needs", least)


def _stacked_plots(model: LayoutDOM) -> list[Any]:
    """Return the plots of a layout whose heights add up to its height (a column's, nested)."""
    children = getattr(model, "children", None)
    if children is None:
        return [model] if hasattr(model, "frame_height") else []
    return [plot for child in children for plot in _stacked_plots(child)]


def fit_height(model: LayoutT, height: int | None, *, text: bool = False) -> LayoutT:
    """Share ``height`` px among the plots stacked in ``model`` (a column); returns ``model``.

    ``height=None`` keeps the heights the content gave. An integer scales
    each plot's height (its frame's, if it has a fixed frame) by the same
    factor, so the stack keeps its proportions. ``text=True`` marks plots
    whose text is laid out in pixels (the map's lanes): they may grow, and a
    ``height`` below what they need raises.

    Raises
    ------
    ValidationError
        ``text`` and ``height`` below the height the content needs (named).
    """
    if height is None:
        return model
    plots = _stacked_plots(model)
    keys = ["frame_height" if p.frame_height is not None else "height" for p in plots]
    sizes = [getattr(p, key) or 0 for p, key in zip(plots, keys, strict=True)]
    natural = sum(sizes)
    if not natural:
        return model
    if text and height < natural:
        raise ValidationError(
            f"must be None or at least {natural} pixels: the text of this picture needs that height",
            column="height",
            value=height,
        )
    factor = height / natural
    for plot, key, size in zip(plots, keys, sizes, strict=True):
        setattr(plot, key, max(20, round(size * factor)))
    return model


#: Lines a note under a title may take; a longer note ends with "…".
NOTE_LINES = 4
#: Width a responsive plot's notes and titles are wrapped to: they start at the frame's
#: left edge, after the y axis (up to ~140 px), and then fit an output area of 600 px.
NOTE_PX = 440


def wrap_note(note: str, width: int | None, *, font_px: float = 12.0, bold: bool = False) -> str:
    """``note`` word-wrapped (lines joined by newlines) to fit a plot ``width`` px wide.

    A Bokeh title does not wrap by itself, and a note may name user text of
    any length (a baseline segment). A responsive plot (``width=None``) wraps
    to :data:`NOTE_PX`, so the note stays whole down to a narrow output area.
    """
    # Imported here: the map's modules import this one (no import cycle).
    from .map.grid import wrap

    room = NOTE_PX if width is None else max(width - 140, 120)
    return wrap(note, room, NOTE_LINES, font_px=font_px, bold=bold)


def styled_figure(*, title: str | None, width: int | None, height: int, **kwargs: Any) -> figure:
    """Build a figure with the package look: light background, quiet grid, system font.

    ``width=None`` makes it responsive (:func:`size_args`); ``min_width`` may
    be passed to change its floor.
    """
    kwargs.setdefault("tools", "pan,wheel_zoom,box_zoom,reset,save")
    kwargs.setdefault("toolbar_location", "right")
    for key, val in size_args(width, min_width=kwargs.pop("min_width", MIN_WIDTH)).items():
        kwargs.setdefault(key, val)
    # PlainText: user text in a title must not be parsed as TeX ($$...$$). Wrapped: a
    # Bokeh title is one line cut at the plot's edge, and a journey's name is user text.
    heading = Title(text=PlainText(text=wrap_note(title, width, font_px=15.0, bold=True))) if title else None
    fig = figure(
        title=heading,
        height=height,
        background_fill_color=BACKGROUND,
        border_fill_color=BACKGROUND,
        outline_line_color=None,
        **kwargs,
    )
    fig.toolbar.logo = None
    if heading is not None:
        heading.text_font = FONT
        heading.text_font_size = "15px"
        heading.text_color = TEXT
        heading.text_font_style = "bold"
    for axis in (*fig.xaxis, *fig.yaxis):
        axis.major_label_text_font = FONT
        axis.axis_label_text_font = FONT
        axis.major_label_text_color = TEXT
        axis.axis_label_text_color = MUTED
        axis.axis_label_text_font_style = "normal"
        axis.axis_line_color = GRID
        axis.major_tick_line_color = GRID
        axis.minor_tick_line_color = None
    for grid in (*fig.xgrid, *fig.ygrid):
        grid.grid_line_color = GRID
        grid.grid_line_alpha = 0.6
    return fig


def heading(fig: figure) -> Title:
    """Return the title model of a figure made by :func:`styled_figure` with a title.

    Bokeh types ``Plot.title`` as ``Title | str | None`` (it accepts a string);
    :func:`styled_figure` always stores a ``Title`` when given a title.

    Raises
    ------
    TypeError
        The figure has no ``Title`` model (made without a title).
    """
    title = fig.title
    if not isinstance(title, Title):
        raise TypeError(f"the figure has no Title model (its title is {title!r})")
    return title


def bounds(axis_range: Range) -> tuple[float, float]:
    """Return ``(start, end)`` of a numeric ``Range1d``.

    Raises
    ------
    TypeError
        The range is not a ``Range1d`` of numbers (a factor range, or datetimes).
    """
    if isinstance(axis_range, Range1d):
        start, end = axis_range.start, axis_range.end
        if isinstance(start, int | float) and isinstance(end, int | float):
            return start, end
    raise TypeError(f"expected a numeric Range1d, got {axis_range!r}")


def legend_item(label: str, renderers: Sequence[GlyphRenderer[Any]], **kwargs: Any) -> LegendItem:
    """Return a ``LegendItem`` for ``renderers`` of any glyph.

    Bokeh types ``LegendItem.renderers`` as ``list[GlyphRenderer[Glyph]]`` with
    an invariant glyph type, so a list of ``GlyphRenderer[Scatter]`` would not
    fit; ``**kwargs`` are further ``LegendItem`` properties (``index=``).
    """
    return LegendItem(label=label, renderers=list(renderers), **kwargs)


def style_legend(fig: figure, location: LegendLocationType = "top_left") -> None:
    """Quiet legend: small, translucent, click to hide."""
    for legend in fig.legend:
        legend.location = location
        legend.label_text_font = FONT
        legend.label_text_font_size = "12px"
        legend.label_text_color = TEXT
        legend.background_fill_alpha = 0.85
        legend.border_line_color = GRID
        legend.click_policy = "hide"
        legend.spacing = 2
        legend.padding = 6  # type: ignore[assignment]  # Bokeh's hint is the Property, not its int value


def linear_colors(values: Iterable[float], palette: Sequence[str], low: float, high: float) -> list[str]:
    """Palette colour of each value, binned exactly like ``LinearColorMapper`` (grey if missing)."""
    out = []
    n = len(palette)
    span = (high - low) or 1.0
    for v in values:
        if _is_missing(v):
            out.append("#eaeef2")
            continue
        i = int((float(v) - low) / span * n)
        out.append(palette[min(max(i, 0), n - 1)])
    return out


def text_color_on(fill: str) -> str:
    """Dark or white text, whichever reads better on ``fill`` (a ``#rrggbb`` colour)."""
    r, g, b = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return TEXT if luminance > 0.5 else "#ffffff"


def category_color_list(keys: Sequence[Any]) -> list[str]:
    """Return a palette colour per key, equal keys equal colours, in first-seen order."""
    order = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    return [CATEGORY_PALETTE[order[k] % len(CATEGORY_PALETTE)] for k in keys]


# -- personas --------------------------------------------------------------------------
#: Key prefix of a segment picked by value where a plot compares segments.
SEGMENT_KEY = "segment:"


def resolve_personas(
    journey: Journey, personas: str | Sequence[str] | None, *, segments: bool = False
) -> list[str]:
    """Keys for ``personas`` given by persona id or name (all persona ids when ``None``).

    The one resolver of every plot's ``personas=``: an id wins over a name.
    With ``segments=True`` (plots that compare segments), a value that is no
    persona but a segment of the journey's metrics or emotions is accepted
    too: a segment a persona was made from (the persona's ``segment``, see
    :func:`~.theme.persona_segments`) returns that persona's id, since its
    rows are the persona's; any other segment returns ``"segment:<value>"``.

    Raises
    ------
    ValidationError
        A value is neither an id nor a name (nor a segment); the message lists
        the known personas (``'id' (name)``) and, with ``segments=True``, the
        known segments.
    """
    frame = journey.personas
    ids = [str(i) for i in frame["id"]]
    if personas is None:
        return ids
    wanted = [personas] if isinstance(personas, str) else list(personas)
    by_name: dict[str, str] = {}
    shared: dict[str, list[str]] = {}
    for i, n in zip(frame["id"], frame["name"], strict=True):
        shared.setdefault(str(n), []).append(str(i))
        by_name.setdefault(str(n), str(i))
    known_segments = journey_segments(journey) if segments else []
    owners = persona_segments(journey) if segments else {}
    out = []
    for p in wanted:
        if p in ids:
            out.append(p)
        elif p in by_name:
            if len(shared[p]) > 1:  # the same rule as a funnel's goal: never pick one silently
                raise ValidationError(
                    f"persona name {p!r} is shared by {', '.join(map(repr, shared[p]))}; pass the id",
                    frame="personas",
                    column="personas",
                    value=p,
                )
            out.append(by_name[p])
        elif p in owners:
            out.append(owners[p])
        elif p in known_segments:
            out.append(SEGMENT_KEY + p)
        else:
            raise ValidationError(
                _unknown_persona_message(p, frame, known_segments),
                frame="personas",
                column="personas",
                value=p,
            )
    if not out:
        raise ValidationError("no persona selected", frame="personas")
    return list(dict.fromkeys(out))


def _unknown_persona_message(value: object, frame: pd.DataFrame, known_segments: list[str] | None) -> str:
    """``unknown persona 'x' (neither an id nor a name); known personas: 'id' (Name), ...``.

    The known segments are added only where segments are accepted and the journey has some.
    """
    people = ", ".join(f"{str(i)!r} ({n})" for i, n in zip(frame["id"], frame["name"], strict=True))
    message = f"unknown persona {str(value)!r} (neither an id nor a name); known personas: {people or 'none'}"
    if known_segments:
        message += f"; known segments: {', '.join(map(repr, known_segments))}"
    return message


def group_colors(journey: Journey) -> dict[str, str]:
    """Colour of each key :func:`resolve_personas` can return (persona ids, segment keys).

    A persona made from a segment and that segment share the persona's colour
    (:func:`~.theme.segment_colors`).
    """
    segments = {SEGMENT_KEY + k: v for k, v in segment_colors(journey).items()}
    return persona_colors(journey) | segments


# -- emotions ---------------------------------------------------------------------------
#: Label of the curve of rows with neither a persona nor a segment (every customer).
ALL_PERSONAS = NO_PERSONA_LABEL


def emotion_keys(emotions: pd.DataFrame, owners: Mapping[str, str] | None = None) -> pd.Series:
    """Return the curve each emotion row belongs to: a persona id, ``"segment:<value>"`` or ``""``.

    A row with a ``segment`` (``measure(segment_col=...)`` writes survey emotions
    per segment) belongs to its segment: to the persona made from that
    segment when there is one (``owners``, segment value -> persona id, from
    :func:`~.theme.persona_segments`: the persona's curve is its own rows plus
    its segment's), else to the segment's own curve ``"segment:<value>"``.
    It never goes to a persona by its ``persona_id`` or to the all-customers
    curve: the segment rows sit at the same places and period as the
    all-customer rows, and one curve through both would zig-zag between
    them. A row with a persona and no segment belongs to the persona; a row
    with neither to ``""`` (every customer, "All personas").
    """
    persona = emotions["persona_id"].astype(object).fillna("").astype(str)
    if "segment" not in emotions.columns:  # a journey from before schema 3
        return persona
    segment = emotions["segment"].astype(object).fillna("").astype(str).str.strip()
    owners = owners or {}
    of_segment = pd.Series(
        [owners.get(v, SEGMENT_KEY + v) for v in segment], index=segment.index, dtype=object
    )
    return persona.where(segment == "", of_segment)


def segment_label(key: str) -> str:
    """Return the name a ``"segment:<value>"`` curve goes by: ``"<value> (segment)"``."""
    return f"{key.removeprefix(SEGMENT_KEY)} (segment)"


def emotion_frame(
    journey: Journey, persona_ids: Sequence[str] | None, *, period: str | None = None
) -> pd.DataFrame:
    """Emotion rows with names attached, for the selected personas and segments.

    Parameters
    ----------
    journey : Journey
        The map.
    persona_ids : sequence of str, optional
        Curve keys from :func:`resolve_personas`: persona ids and
        ``"segment:<value>"`` keys. ``None`` (the default views) keeps the
        rows of every persona (with the rows of the segment it was made
        from) and the rows without a persona ("All personas", key ``""``)
        but **not** the rows of segments no persona stands for: their
        curves are drawn only when asked for (see :func:`emotion_keys`).
        The segments left out are listed, sorted, in
        ``.attrs["hidden_segments"]`` so the plot can say they exist.
    period : str, optional
        The period shown, as on the journey map: the emotions of their latest
        period up to this one, plus every row without a period (typed by
        hand). Default: the latest period of the metrics and emotions.

    Returns
    -------
    DataFrame
        Columns ``id``, ``persona_key``, ``persona``, ``stage_key``,
        ``stage``, ``touchpoint_key``, ``touchpoint``, ``channel``,
        ``score``, ``feeling``, ``thought``, ``source``, ``basis``, ``n``,
        in the order of ``persona_ids``. ``stage_key`` is filled for
        touchpoint rows from the touchpoint's stage; a segment's rows are
        named ``"<value> (segment)"``.

    Raises
    ------
    ValidationError
        ``period`` is not a period of the journey's metrics or emotions.
    """
    emo, key, hidden = _emotions_for(journey, persona_ids, period)
    tps = journey.touchpoints.set_index("id")
    stage_names = dict(zip(journey.stages["id"], journey.stages["name"], strict=True))
    persona_names = dict(zip(journey.personas["id"], journey.personas["name"], strict=True))
    stage_key = emo["stage_id"].fillna(emo["touchpoint_id"].map(tps["stage_id"]))
    label = pd.Series(
        [ALL_PERSONAS if k == "" else segment_label(k) if k.startswith(SEGMENT_KEY) else k for k in key],
        index=key.index,
        dtype=object,
    )
    label = key.map(persona_names).fillna(label)
    out = pd.DataFrame(
        {
            "id": emo["id"],
            "persona_key": key,
            "persona": label,
            "stage_key": stage_key,
            "stage": stage_key.map(stage_names),
            "touchpoint_key": emo["touchpoint_id"],
            "touchpoint": emo["touchpoint_id"].map(tps["name"]).fillna("(whole stage)"),
            "channel": emo["touchpoint_id"].map(tps["channel"]),
            "score": emo["score"].astype("float64"),
            "feeling": emo["feeling"],
            "thought": emo["thought"],
            "source": emo["source"],
            "basis": emo["basis"],
            "n": emo["n"],
        }
    )
    out = out.reset_index(drop=True)
    out.attrs["hidden_segments"] = hidden
    return out


def _emotions_for(
    journey: Journey, keys: Sequence[str] | None, period: str | None = None
) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Return the emotion rows of ``keys`` in the period shown, their keys and the segments left out.

    ``keys`` are persona ids and segment keys; each row's key is its
    :func:`emotion_keys`; ``keys=None`` takes every key but the segments'.
    """
    # Imported here: the map's modules import this one's neighbours (no import cycle).
    from .map.metrics import emotion_rows, pick_period

    shown = pick_period(journey.metrics, journey.emotions, period).shown
    emo = emotion_rows(journey.emotions, shown)
    row_key = emotion_keys(emo, persona_segments(journey))
    hidden: list[str] = []
    if keys is None:
        is_segment = row_key.str.startswith(SEGMENT_KEY).to_numpy(dtype=bool)
        hidden = sorted({k.removeprefix(SEGMENT_KEY) for k in row_key[is_segment]})
        # The personas in their frame's order (as on the map), then any other key in
        # first-seen order, "All personas" last.
        used = list(dict.fromkeys(row_key[~is_segment]))
        keys = [p for p in journey.personas["id"].astype(str) if p in used]
        keys += [k for k in used if k not in keys and k != ""] + [""] * ("" in used)
    # One block per key, in the order asked (the legend's order); each row has one key.
    parts = [row_key.index[(row_key == k).to_numpy(dtype=bool)] for k in dict.fromkeys(keys)]
    index = parts[0].append(parts[1:]) if parts else row_key.index[:0]
    return emo.loc[index], row_key.loc[index], hidden


def emotion_y_axis(fig: figure) -> None:
    """Y axis of the emotion scale: -2 frustrated, 0 indifferent, +2 delighted."""
    axis = fig.yaxis[0]
    axis.ticker = FixedTicker(ticks=EMOTION_TICKS)
    axis.major_label_overrides = EMOTION_TICK_LABELS
    axis.axis_label = "emotion"


def s_curve(x0: float, y0: float, x1: float, y1: float, samples: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Points of a cubic Bézier from (x0, y0) to (x1, y1) leaving and arriving horizontally."""
    t = np.linspace(0, 1, samples)
    a, b, cc, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    xm = (x0 + x1) / 2
    return a * x0 + (b + cc) * xm + d * x1, (a + b) * y0 + (cc + d) * y1
