"""Segments compared along one journey: a lane per metric, intervals and significance marks.

Used by :func:`cjm_jupyter.plots.compare.segment_comparison`. Reads the tidy
frame of :func:`cjm_jupyter.analytics.compare_segments` (one row per metric,
place and segment) and draws, over the journey's stages, one lane per metric
(conversion, satisfaction, time to next step): each segment's values joined
as a curve in the segment's own colour, its interval as a whisker, and a
"*" above the whisker where the difference from the baseline segment is
significant after the multiple-comparison adjustment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from bokeh.core.properties import value as literal
from bokeh.models import ColumnDataSource, NumeralTickFormatter, PlainText, Range1d
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from . import _slots as sl
from ._models import Legend, TeeHead, Title, Whisker
from .theme import FONT, MUTED, PERSONA_PALETTE, TEXT, value_colors

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["COMPARISON_COLUMNS", "METRIC_LANES", "comparison_lanes"]

#: Columns the drawing needs; the other test columns show in the hover when present.
COMPARISON_COLUMNS = (
    "metric", "stage_id", "stage", "touchpoint_id", "touchpoint", "segment", "baseline",
    "n", "value", "ci_low", "ci_high", "p_adjusted", "significant",
)  # fmt: skip
#: Lanes in order: metric name -> lane title.
METRIC_LANES = {
    "conversion": "Conversion to the step",
    "satisfaction": "Mean satisfaction (survey scale)",
    "time_to_next": "Median time to the next step",
}
HOVER_FIELDS = (
    ("Segment", "segment_label"),
    ("Stage", "stage"),
    ("Touchpoint", "touchpoint"),
    ("Value", "value_text"),
    ("Interval", "ci_text"),
    ("n", "n_text"),
    ("Compared with", "baseline"),
    ("Difference", "diff_text"),
    ("Test", "test"),
    ("p", "p_text"),
    ("p adjusted", "p_adjusted_text"),
    ("Effect size", "effect_text"),
    ("Significant", "significant_text"),
)
LANE_HEIGHT = 250


def comparison_lanes(comparison: Any, journey: Journey | None, width: int | None) -> list[figure]:
    """One figure per metric of ``comparison``, sharing the x axis of the journey's stages."""
    frame = _checked(comparison)
    attrs = dict(getattr(comparison, "attrs", {}))
    layout = _slots(frame, journey)
    rows = _placed(frame, layout)
    colors = _colors(rows, journey)
    segments = list(dict.fromkeys(rows["segment_label"]))
    figs: list[figure] = []
    x_range = Range1d(start=layout.x_range[0], end=layout.x_range[1])
    for metric, title in METRIC_LANES.items():
        lane = rows[rows["metric"] == metric]
        if lane.empty:
            continue
        fig = _lane(
            metric,
            title,
            lane,
            layout,
            x_range,
            width,
            segments,
            colors,
            first=not figs,
            scale=attrs.get("scale"),
        )
        figs.append(fig)
    if not figs:
        known = ", ".join(map(repr, METRIC_LANES))
        raise ValidationError(f"the comparison has no rows of a known metric ({known})", frame="comparison")
    _legend(figs[0], segments, colors, rows, attrs, width)
    sl.slot_x_axis(figs[-1], layout)
    for fig in figs[:-1]:
        fig.xaxis.visible = False
    return figs


def _checked(comparison: Any) -> pd.DataFrame:
    frame = c.as_frame(comparison, {name: name for name in COMPARISON_COLUMNS}, what="comparison")
    out = frame.copy()
    for name in ("n", "value", "ci_low", "ci_high", "p_adjusted", "p_value", "difference",
                 "diff_low", "diff_high", "effect_size"):  # fmt: skip
        if name in out:
            out[name] = pd.to_numeric(out[name], errors="coerce").astype("float64")
    out["significant"] = out["significant"].astype("boolean").fillna(False).astype(bool)
    return out


def _slots(frame: pd.DataFrame, journey: Journey | None) -> sl.StageSlots:
    """Journey order when a journey is given, else the frame's own first-seen order."""
    has_tp = frame["touchpoint_id"].notna().any()
    if journey is not None:
        sl.require_stages(journey, "a segment comparison")
        return sl.touchpoint_slots(journey) if has_tp else sl.stage_slots(journey)
    stages = frame[["stage_id", "stage"]].dropna(subset=["stage_id"]).drop_duplicates("stage_id")
    stages = pd.DataFrame({"key": c.text(stages["stage_id"]), "name": c.text(stages["stage"])})
    tps = None
    if has_tp:
        t = frame.dropna(subset=["touchpoint_id"]).drop_duplicates("touchpoint_id")
        tps = pd.DataFrame(
            {
                "key": c.text(t["touchpoint_id"]),
                "stage_key": c.text(t["stage_id"]),
                "name": c.text(t["touchpoint"]),
            }
        )
    return sl.slots_from(stages, tps)


def _placed(frame: pd.DataFrame, layout: sl.StageSlots) -> pd.DataFrame:
    """Rows with ``x`` (their touchpoint's slot, else their stage's centre) and hover text."""
    at_tp = frame["touchpoint_id"].astype(object).map(layout.touchpoint_x())
    at_stage = frame["stage_id"].astype(object).map(layout.stage_x())
    rows = frame.assign(x=at_tp.fillna(at_stage).astype("float64"))
    rows = rows[rows["x"].notna()].copy()
    rows["segment_label"] = c.text(rows["segment"])
    base = c.text(rows["baseline"])
    rows["is_baseline"] = [s == b for s, b in zip(rows["segment_label"], base, strict=True)]
    segments = list(dict.fromkeys(rows["segment_label"]))
    k = len(segments)
    # Segments at one place sit side by side, so no whisker hides another.
    offset = {s: (i - (k - 1) / 2) * min(0.14, 0.6 / max(k, 1)) for i, s in enumerate(segments)}
    rows["x"] = rows["x"] + rows["segment_label"].map(offset)
    return rows.reset_index(drop=True)


def _colors(rows: pd.DataFrame, journey: Journey | None) -> dict[str, str]:
    """Each segment's colour: its persona's or the journey's (:func:`~.theme.value_colors`)."""
    return value_colors(rows["segment_label"], journey)


def _fmt(metric: str, unit: tuple[str, float]) -> Any:
    if metric == "conversion":
        return lambda v: f"{v:.1%}"
    if metric == "time_to_next":
        name, seconds = unit
        return lambda v: f"{v / seconds:,.1f} {name}"
    return lambda v: f"{v:.2f}"


def _time_unit(values: pd.Series) -> tuple[str, float]:
    top = float(np.nanmax(values.to_numpy(dtype="float64"))) if values.notna().any() else 0.0
    if top < 2 * 3600:
        return "min", 60.0
    if top < 72 * 3600:
        return "h", 3600.0
    return "days", 86400.0


def _texts(lane: pd.DataFrame, metric: str, unit: tuple[str, float]) -> pd.DataFrame:
    fmt = _fmt(metric, unit)

    def num(v: float, f: Any = fmt) -> str:
        return c.MISSING if pd.isna(v) else f(v)

    lane = lane.copy()
    lane["value_text"] = [num(v) for v in lane["value"]]
    lane["ci_text"] = [
        c.MISSING if pd.isna(lo) or pd.isna(hi) else f"{num(lo)} to {num(hi)}"
        for lo, hi in zip(lane["ci_low"], lane["ci_high"], strict=True)
    ]
    lane["n_text"] = c.number_text(lane["n"])
    if "difference" in lane:
        diff = _fmt("satisfaction", unit) if metric != "time_to_next" else fmt
        if metric == "conversion":
            diff = lambda v: f"{v * 100:+.1f} points"  # noqa: E731 - a percentage-point difference
        low = lane.get("diff_low", pd.Series(np.nan, index=lane.index))
        high = lane.get("diff_high", pd.Series(np.nan, index=lane.index))
        lane["diff_text"] = [
            c.MISSING if pd.isna(d) else diff(d) + ("" if pd.isna(lo) else f" ({diff(lo)} to {diff(hi)})")
            for d, lo, hi in zip(lane["difference"], low, high, strict=True)
        ]
    else:
        lane["diff_text"] = c.MISSING
    lane["test"] = c.text(lane["test"]) if "test" in lane else c.MISSING
    lane["p_text"] = c.number_text(lane["p_value"], "{:.4f}") if "p_value" in lane else c.MISSING
    lane["p_adjusted_text"] = c.number_text(lane["p_adjusted"], "{:.4f}")
    if "effect_size" in lane:
        names = c.text(lane["effect"]) if "effect" in lane else [""] * len(lane)
        lane["effect_text"] = [
            c.MISSING if pd.isna(e) else f"{e:+.2f} {n if n != c.MISSING else ''}".strip()
            for e, n in zip(lane["effect_size"], names, strict=True)
        ]
    else:
        lane["effect_text"] = c.MISSING
    lane["significant_text"] = [
        "baseline" if b else ("yes" if s else "no")
        for s, b in zip(lane["significant"], lane["is_baseline"], strict=True)
    ]
    return lane


def _y_range(metric: str, lane: pd.DataFrame, scale: Any) -> tuple[float, float]:
    """Return the ``(start, end)`` of a lane's y axis."""
    if metric == "conversion":
        return 0.0, 1.18
    if metric == "satisfaction" and isinstance(scale, tuple | list) and len(scale) == 2:
        low, high = float(scale[0]), float(scale[1])
        return low, high + (high - low) * 0.18
    values = pd.concat([lane["value"], lane["ci_low"], lane["ci_high"]]).dropna()
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    low = min(low, 0.0) if metric == "time_to_next" else low
    pad = (high - low) or 1.0
    return low - pad * 0.08, high + pad * 0.25


def _lane(
    metric: str,
    title: str,
    lane: pd.DataFrame,
    layout: sl.StageSlots,
    x_range: Range1d,
    width: int | None,
    segments: list[str],
    colors: dict[str, str],
    *,
    first: bool,
    scale: Any = None,
) -> figure:
    unit = _time_unit(lane["value"]) if metric == "time_to_next" else ("", 1.0)
    lane = _texts(lane, metric, unit)
    if metric == "time_to_next":  # drawn in the unit the hover and the axis name
        lane = lane.assign(**{k: lane[k] / unit[1] for k in ("value", "ci_low", "ci_high")})
    y_start, y_end = _y_range(metric, lane, scale)
    y_range = Range1d(start=y_start, end=y_end)
    fig = c.styled_figure(
        title=title, width=width, height=LANE_HEIGHT + (60 if first else 0),
        x_range=x_range, y_range=y_range, tools="pan,wheel_zoom,reset,save", name=f"lane:{metric}",
    )  # fmt: skip
    c.heading(fig).text_font_size = "13px"
    fig.min_border_left = 80  # equal axis room keeps the lanes' x axes aligned
    sl.draw_stage_bands(fig, layout, label_y=y_end - (y_end - y_start) * 0.06)
    if metric == "conversion":
        fig.yaxis.formatter = NumeralTickFormatter(format="0%")
    elif metric == "time_to_next":
        fig.yaxis.axis_label = unit[0]
        fig.yaxis.formatter = NumeralTickFormatter(format="0,0.[0]")
    markers = []
    for i, seg in enumerate(segments):
        group = lane[lane["segment_label"] == seg].sort_values("x", kind="stable")
        if group.empty:
            continue
        color = colors.get(seg, PERSONA_PALETTE[i % len(PERSONA_PALETTE)])
        markers.append(_draw_segment(fig, group, color, c.MARKERS[i % len(c.MARKERS)]))
    fig.add_tools(c.hover(HOVER_FIELDS, markers))
    fig.xgrid.grid_line_color = None
    return fig


def _draw_segment(fig: figure, group: pd.DataFrame, color: str, marker: str) -> Any:
    source = c.cds(group)
    fig.line(
        "x", "value", source=source, line_color=color, line_width=2.5, line_alpha=0.8, name="segment_line"
    )
    whisker = Whisker(
        base="x", lower="ci_low", upper="ci_high", dimension="height", source=source,
        line_color=color, line_width=1.6, name="interval",
    )  # fmt: skip
    for head in (whisker.upper_head, whisker.lower_head):
        if isinstance(head, TeeHead):  # Whisker's default heads; Bokeh types them as any ArrowHead or None
            head.line_color = color
            head.size = 8
    fig.add_layout(whisker)
    dots = fig.scatter(
        "x", "value", source=source, marker=marker, size=10, fill_color=color, line_color="#ffffff",
        line_width=1.2, name="segment_points",
    )  # fmt: skip
    sig = group[group["significant"] & ~group["is_baseline"]]
    if not sig.empty:
        # The mark sits just above the whisker's top (or the point, without an interval).
        top = sig["ci_high"].where(sig["ci_high"].notna(), sig["value"])
        fig.text(
            x="x", y="y", text=literal("*"),
            source=ColumnDataSource({"x": sig["x"].tolist(), "y": top.tolist()}),
            text_align="center", text_baseline="bottom", text_font=literal(FONT), text_font_size="20px",
            text_font_style="bold", text_color=color, y_offset=2, name="significance_marks",
        )  # fmt: skip
    return dots


def _legend(
    fig: figure,
    segments: list[str],
    colors: dict[str, str],
    rows: pd.DataFrame,
    attrs: dict[str, Any],
    width: int | None,
) -> None:
    """Segments (the baseline named) above the first lane, and what "*" and the whiskers mean."""
    baselines = set(rows.loc[rows["is_baseline"], "segment_label"])
    items = []
    for i, seg in enumerate(segments):
        color = colors.get(seg, PERSONA_PALETTE[i % len(PERSONA_PALETTE)])
        marker = c.MARKERS[i % len(c.MARKERS)]
        proxy = fig.scatter([np.nan], [np.nan], marker=marker, size=10, fill_color=color, line_color=color)
        label = c.truncate([seg], 28)[0] + (" (baseline)" if seg in baselines else "")
        items.append(c.legend_item(label, [proxy]))
    legend = Legend(items=items, orientation="horizontal", location="top_left")
    fig.add_layout(legend, "above")
    c.style_legend(fig, "top_left")
    legend.click_policy = "none"
    level = attrs.get("level", 0.95)
    note = (
        f"Whiskers: {float(level):.0%} intervals. * = differs from the baseline: p adjusted "
        f"({attrs.get('adjust', 'holm')}) < {attrs.get('alpha', 0.05)}"
    )
    if attrs.get("mode"):
        note += f". {str(attrs['mode']).replace('_', '-').capitalize()} funnel"
    note_title = Title(
        text=PlainText(text=c.wrap_note(note, width)),
        name="comparison_note",
        text_font_size="12px",
        text_color=MUTED,
        text_font_style="normal",
        text_font=FONT,
    )
    fig.add_layout(note_title, "above")
    c.heading(fig).text_color = TEXT
