"""The segment profile chart: what sets each customer segment apart from the rest.

Reads the tidy profile frame of :func:`cjm_jupyter.personas.segment_customers`
(one row per segment and column) and draws one panel per segment: its size and
share in the title, then its most distinguishing columns, each a bar of its
effect size (segment vs the rest of the customers) with the typical value and
both means (or shares) written beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.core.properties import value as literal
from bokeh.layouts import column
from bokeh.models import Column, FactorRange, FixedTicker, PlainText, Range1d
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from ._models import BoxAnnotation, Span, Title
from .theme import FONT, MUTED, PERSONA_PALETTE, TEXT, segment_colors

if TYPE_CHECKING:
    from ..personas.segment import SegmentResult

__all__ = ["PROFILE_COLUMNS", "segment_profile"]

#: Columns a segment profile frame must hold.
PROFILE_COLUMNS = (
    "segment",
    "size",
    "share",
    "column",
    "kind",
    "typical",
    "segment_value",
    "rest_value",
    "effect_size",
    "rank",
)
HOVER_FIELDS = (
    ("Segment", "segment"),
    ("Customers", "size_text"),
    ("Column", "column"),
    ("Kind", "kind"),
    ("Typical", "typical"),
    ("Segment vs rest", "compare_text"),
    ("Effect size", "effect_text"),
    ("Rank", "rank_text"),
)
#: Share of the plot frame given to the written facts (left of the bars).
TEXT_SHARE = 0.56
#: Characters of a fact line that fit the text part of a 900 px panel (12 px system font).
FACT_CHARS = 58
ROW_PX = 30
#: Left border of every panel (axis labels), px: equal, so the panels' frames line up.
BORDER_LEFT = 150
#: Width of one character of a bar's effect label (11 px system font, digits and sign), px.
LABEL_CHAR_PX = 7.0


def segment_profile(
    profile: pd.DataFrame | SegmentResult,
    *,
    top: int = 5,
    segments: Sequence[object] | None = None,
    colors: dict[str, str] | None = None,
    title: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> Column:
    """Draw what distinguishes each segment: its top columns by effect size.

    Parameters
    ----------
    profile : DataFrame or SegmentResult
        The segment profile (``SegmentResult.profile`` of
        :func:`cjm_jupyter.personas.segment_customers`, or the result
        itself): one row per (segment, column) with ``segment``, ``size``,
        ``share`` (0..1), ``column``, ``kind`` (``"numeric"`` or
        ``"categorical"``), ``typical`` (median or most frequent value, as
        text), ``segment_value`` and ``rest_value`` (mean, or the share of
        the typical value, in the segment and in the other customers),
        ``effect_size`` and ``rank`` (1 = most distinguishing).
    top : int
        Columns shown per segment: those of rank 1..``top``.
    segments : sequence, optional
        Segments to draw, in this order (default: every segment, in the
        frame's order).
    colors : dict, optional
        Segment value -> colour (e.g. ``theme.segment_colors(journey)``, so
        the segments keep the colours of the journey's other plots).
        Default: :func:`~.theme.segment_colors` of the profile's segments,
        which is the same rule.
    title : str, optional
        Heading above the first panel.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels of the whole column, shared among the segments'
        panels in proportion. Default ``None``: the height the content needs
        (from the number of columns shown per segment).

    Returns
    -------
    bokeh.models.Column
        One figure per segment, ``name`` ``"segment:<value>"``, sharing the
        x axis; the bars are the glyph named ``"profile_bars"``. Not shown.

    Raises
    ------
    ValidationError
        Not a frame, a column missing (named), no rows, ``top`` < 1, or an
        unknown segment in ``segments``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.plots.segments import segment_profile
    >>> profile = pd.DataFrame({
    ...     "segment": ["A", "A"], "size": [120, 120], "share": [0.4, 0.4],
    ...     "column": ["age", "device"], "kind": ["numeric", "categorical"],
    ...     "typical": ["34", "mobile"], "segment_value": [35.2, 0.81],
    ...     "rest_value": [47.9, 0.32], "effect_size": [-0.9, 0.49], "rank": [1, 2]})
    >>> layout = segment_profile(profile)
    >>> [fig.name for fig in layout.children]
    ['segment:A']
    """
    frame = getattr(profile, "profile", profile)
    c.as_frame(frame, {name: name for name in PROFILE_COLUMNS}, what="segment profile")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValidationError("top must be an integer >= 1", column="top", value=top, has_value=True)
    width = c.check_width(width)
    height = c.check_height(height)
    rows = _rows(frame, top, segments)
    palette = colors if colors is not None else segment_colors(rows["segment"])
    limit = _limit(rows, c.layout_width(width))
    text_span = 2 * limit * TEXT_SHARE / (1 - TEXT_SHARE)
    x_range = Range1d(start=-limit - text_span, end=limit)
    figs = []
    for seg, group in rows.groupby("segment", sort=False):
        fig = _panel(group, x_range, limit, palette.get(str(seg), PERSONA_PALETTE[0]), width)
        figs.append(fig)
    # The heading is the first panel's own title (drawn topmost); its segment line moves
    # under it as an added title (added titles sit between the title and the frame).
    first = figs[0]
    first_title = c.heading(first)
    segment_line = Title(text=first_title.text, text_font_size="13px", text_font=FONT, text_color=TEXT)
    first.add_layout(segment_line, "above")
    first_title.text = PlainText(text=title or "Segment profiles: what sets each segment apart")
    first_title.text_font_size = "15px"
    figs[-1].xaxis.axis_label = "effect size, segment vs the other customers (bars)"
    # No gap between panels: on a dark notebook theme they read as one light card.
    return c.fit_height(c.fit_width(column(*figs, spacing=0), width), height)


def _rows(frame: pd.DataFrame, top: int, segments: Sequence[object] | None) -> pd.DataFrame:
    """Return the drawn rows, as display-ready columns, in segment order then rank."""
    df = pd.DataFrame(
        {
            "segment": c.text(frame["segment"]),
            "column": c.text(frame["column"]),
            "kind": c.text(frame["kind"]),
            "typical": c.text(frame["typical"]),
        }
        | {name: _floats(frame[name]) for name in NUMBERS}
    )
    order = list(dict.fromkeys(df["segment"]))
    if segments is not None:
        wanted = [str(s) for s in segments]
        for s in wanted:
            if s not in order:
                known = ", ".join(map(repr, order))
                message = f"unknown segment {s!r}; the profile has {known}"
                raise ValidationError(message, frame="segment profile", column="segment")
        order = list(dict.fromkeys(wanted))
    df = df[(df["rank"] <= top) & df["segment"].isin(order)]
    df = df.assign(_seg=df["segment"].map({s: i for i, s in enumerate(order)}))
    df = df.sort_values(["_seg", "rank"], kind="stable").drop(columns="_seg").reset_index(drop=True)
    df["effect_size"] = df["effect_size"].fillna(0.0)
    df["fact"] = [_fact(r) for r in df.itertuples()]
    df["compare_text"] = [_compare(r) for r in df.itertuples()]
    df["effect_text"] = [f"{v:+.2f}".replace("-", "\u2212") for v in df["effect_size"]]
    df["size_text"] = [_size_text(s, p) for s, p in zip(df["size"], df["share"], strict=True)]
    df["rank_text"] = c.number_text(df["rank"])
    return df


NUMBERS = ("size", "share", "segment_value", "rest_value", "effect_size", "rank")


def _floats(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values, errors="coerce").astype("float64").to_numpy()


def _number(v: float) -> str:
    if np.isnan(v):
        return c.MISSING
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"


def _compare(r: Any) -> str:
    """Segment vs rest: means (numeric) or shares of the typical value (categorical)."""
    if r.kind == "categorical":
        share = [c.MISSING if np.isnan(v) else f"{v:.0%}" for v in (r.segment_value, r.rest_value)]
        return f"{share[0]} vs {share[1]} of the rest"
    return f"mean {_number(r.segment_value)} vs {_number(r.rest_value)} in the rest"


def _fact(r: Any) -> str:
    """One line beside the bar, cut at a word (never inside one) to fit its room."""
    lead = f"mostly {r.typical}" if r.kind == "categorical" else f"typical {r.typical}"
    return _fit(f"{lead} · {_compare(r)}", FACT_CHARS)


def _fit(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    # a single very long token (an id, a URL) has no space to cut at: cut it, marked by "…"
    return (cut[:space] if space > limit // 3 else cut).rstrip(" ·") + "…"


def _size_text(size: float, share: float) -> str:
    count = c.MISSING if np.isnan(size) else f"{size:,.0f} customers"
    return count if np.isnan(share) else f"{count} ({share:.0%})"


def _panel(group: pd.DataFrame, x_range: Range1d, limit: float, color: str, width: int | None) -> figure:
    group = group.copy()
    group["label"] = c.unique_labels(group["column"], 20)
    first = group.iloc[0]
    fig = c.styled_figure(
        title=f"{_fit(first['segment'], 48)} — {_size_text(first['size'], first['share'])}",
        width=width,
        height=60 + ROW_PX * len(group),
        x_range=x_range,
        y_range=FactorRange(*reversed(list(group["label"]))),
        tools="save",
        toolbar_location=None,
        name=f"segment:{first['segment']}",
    )
    c.heading(fig).text_font_size = "13px"
    fig.min_border_top = 14
    group["fact_x"] = x_range.start
    group["label_x"] = group["effect_size"]
    group["align"] = np.where(group["effect_size"] >= 0, "left", "right")
    group["dx"] = np.where(group["effect_size"] >= 0, 4.0, -4.0)
    source = c.cds(group)
    # The bars' half of the frame is tinted, so the written facts read as their own column.
    tint = BoxAnnotation(left=-limit, right=limit, fill_color="#f6f8fa", fill_alpha=1.0, level="underlay")
    fig.add_layout(tint)
    bars = fig.hbar(
        y="label", left=0, right="effect_size", height=0.6, source=source,
        fill_color=color, line_color=color, name="profile_bars",
    )  # fmt: skip
    fig.text(
        x="label_x", y="label", text="effect_text", source=source, x_offset="dx", text_align="align",
        text_baseline="middle", text_font=literal(FONT), text_font_size="11px", text_color=TEXT,
    )  # fmt: skip
    fig.text(
        x="fact_x", y="label", text="fact", source=source, x_offset=6, text_align="left",
        text_baseline="middle", text_font=literal(FONT), text_font_size="12px", text_color=TEXT,
    )  # fmt: skip
    fig.add_layout(Span(location=0, dimension="height", line_color=MUTED, line_width=1))
    fig.xaxis.ticker = FixedTicker(ticks=_ticks(limit))
    fig.xgrid.grid_line_color = None
    fig.ygrid.grid_line_color = None
    fig.yaxis.major_label_text_font_size = "12px"
    fig.min_border_left = BORDER_LEFT  # equal axis room: the panels' frames line up
    fig.add_tools(c.hover(HOVER_FIELDS, [bars]))
    return fig


def _limit(rows: pd.DataFrame, width: int) -> float:
    """Half the bars' x span: room for the longest bar and, beyond its end, its label.

    The label sits 4 px past the bar's end and is clipped by the frame, so the
    span grows until the widest label fits (a fixed margin cut "+4.14" at the
    right edge of an 820 px panel).
    """
    effects = np.abs(rows["effect_size"].to_numpy(dtype="float64"))
    largest = max(float(np.nanmax(effects)) if len(effects) else 0.0, 0.1)
    label_px = 4 + 4 + LABEL_CHAR_PX * max((len(t) for t in rows["effect_text"]), default=5)
    # The frame is the figure less its left border (and Bokeh's 5 px on the right).
    bars_px = max(width - BORDER_LEFT - 5, 100) * (1 - TEXT_SHARE)
    # The label needs label_px of the bars' 2 * limit span beyond |effect|.
    room = max(1 - 2 * label_px / bars_px, 0.3)
    return max(largest / room, largest * 1.15)


def _ticks(limit: float) -> list[float]:
    """Return a few round effect sizes inside ±limit (ticks only under the bars, not the text)."""
    steps = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
    step = next(s for s in steps if limit / s <= 3) if limit <= 30 else limit / 3
    n = int(limit // step)
    return [round(k * step, 6) for k in range(-n, n + 1)]
