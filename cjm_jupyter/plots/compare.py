"""Comparisons: personas within one journey, and two maps lane by lane.

The two maps are a current and a future state, or one map at two dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from bokeh.layouts import column
from bokeh.models import CategoricalAxis, Column, FactorRange, LayoutDOM, Range1d
from bokeh.models.ui import UIElement
from bokeh.plotting import figure

from ..errors import ValidationError
from . import _common as c
from . import _slots as sl
from . import emotion as emo_plot
from ._compare_lanes import change_lanes
from ._compare_segments import comparison_lanes
from ._models import Span
from .theme import EMOTION_PALETTE, MUTED, TEXT, emotion_color

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["compare_personas", "compare_journeys", "journey_deltas", "segment_comparison"]

CURRENT_STYLE = ("#57606a", "solid")
FUTURE_STYLE = ("#0072B2", "dashed")
BAR_HOVER = (
    ("Stage", "stage"),
    ("Persona", "persona"),
    ("Mean emotion", "score_text"),
    ("Feelings", "feeling"),
    ("Basis", "basis"),
    ("Rows", "rows"),
)
DELTA_HOVER = (
    ("Stage", "stage"),
    ("Current", "current_text"),
    ("Future", "future_text"),
    ("Change", "delta_text"),
)


# -- personas ---------------------------------------------------------------------------------
def compare_personas(
    journey: Journey,
    *,
    personas: str | Sequence[str] | None = None,
    kind: Literal["curves", "bars"] = "curves",
    period: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> LayoutDOM:
    """Compare how personas feel along one journey.

    Parameters
    ----------
    journey : Journey
        The map.
    personas : str or sequence of str, optional
        Persona ids or names, and segment values (default: every persona
        that has emotions). Survey emotions measured per segment
        (``measure(segment_col=...)``: rows with a ``segment``) belong to the
        persona made from that segment (its ``segment``, set by
        ``add_persona_from_segment``), with the persona's own rows; the
        segment's value names that persona. A segment no persona stands for
        is compared like a persona ("mobile (segment)"). The default
        compares personas only and says under the last figure which other
        segments could be compared too ("+2 segment curves: pass
        personas=['desktop', 'mobile']"). Each persona (segment) keeps its
        own colour, a persona and its segment one colour: its curve's line
        and its bars' outline.
    kind : {"curves", "bars"}
        ``"curves"``: one emotion curve per persona, stacked, sharing their
        axes (pan one, all follow). ``"bars"``: diverging bars of each
        persona's mean emotion per stage, grouped by stage.
    period : str, optional
        The measurement period, as on the journey map (default: the latest):
        each persona's emotions of their latest period up to it, and the
        rows without a period.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels, of the whole column of curves (shared among them
        in proportion) or of the bars' figure. Default ``None``: the height
        the content needs (320 px a curve; 440 px the bars).

    Returns
    -------
    bokeh.models.LayoutDOM
        A column of figures (``"curves"``) or one figure (``"bars"``).

    Raises
    ------
    ValidationError
        Unknown persona, period or ``kind``, no stages, or no emotions for
        the selected personas (a persona named explicitly must have
        emotions).

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots.compare import compare_personas
    >>> layout = compare_personas(templates.load("colleen"), kind="bars")
    >>> type(layout).__name__
    'figure'
    """
    if kind not in ("curves", "bars"):
        raise ValidationError(f"kind must be 'curves' or 'bars', got {kind!r}")
    sl.require_stages(journey, "a persona comparison")
    width = c.check_width(width)
    height = c.check_height(height)
    ids, note = _personas_with_emotions(journey, personas, period)
    if kind == "bars":
        fig = _persona_bars(journey, ids, width, period)
        emo_plot.add_note(fig, note)
        return c.fit_height(fig, height)
    figs = [
        emo_plot.keyed_curve(
            journey, [pid], period=period, title=_persona_name(journey, pid), width=width, height=320
        )
        for pid in ids
    ]
    for fig in figs[1:]:
        fig.x_range = figs[0].x_range
        fig.y_range = figs[0].y_range
    emo_plot.add_note(figs[-1], note)
    return c.fit_height(c.fit_width(column(*figs), width), height)


def _personas_with_emotions(
    journey: Journey, personas: str | Sequence[str] | None, period: str | None
) -> tuple[list[str], str | None]:
    """Return the persona ids (and ``segment:`` keys) to compare and the note on those left out.

    Each id has emotions in the period shown; the note names the segments
    the default leaves out.
    """
    ids = c.resolve_personas(journey, personas, segments=True)
    default = c.emotion_frame(journey, None, period=period)
    hidden = default.attrs["hidden_segments"]
    with_rows = set(default["persona_key"]) | {c.SEGMENT_KEY + v for v in hidden}
    if personas is not None:
        for pid in ids:
            if pid not in with_rows:
                raise ValidationError(
                    "persona has no emotions to compare; add them with Journey.set_emotion",
                    frame="emotions",
                    column="persona_id",
                    value=pid,
                )
    kept = [pid for pid in ids if pid in with_rows]
    if not kept:
        note = emo_plot.segment_note(hidden)
        raise ValidationError(
            "no persona has emotions to compare; add them with Journey.set_emotion(persona, score=...)"
            + (f" ({note})" if note else ""),
            frame="emotions",
        )
    return kept, emo_plot.segment_note(hidden) if personas is None else None


def _persona_name(journey: Journey, pid: str, *, short: bool = False) -> str:
    """Return the persona's name, or a ``segment:`` key's segment: ``"mobile (segment)"``.

    ``short`` gives ``"mobile"``, for labels under bars.
    """
    names = dict(zip(journey.personas["id"], journey.personas["name"], strict=True))
    if pid in names:
        return str(names[pid])
    return pid.removeprefix(c.SEGMENT_KEY) if short else c.segment_label(pid)


def _persona_bars(journey: Journey, ids: list[str], width: int | None, period: str | None) -> figure:
    means = emo_plot.stage_means(c.emotion_frame(journey, ids, period=period))
    stages = sl.stage_slots(journey).bands
    stage_label = dict(zip(stages["stage_key"], c.unique_labels(stages["stage"], 16), strict=True))
    # Persona names sit under their bars: cut them to the bar's room (~7 px a character),
    # or turn them when even a short name would not fit.
    slot_px = (c.layout_width(width) - 140) / (len(stages) * (len(ids) + 0.8))
    rotate = slot_px < 70
    limit = 14 if rotate else max(6, int(slot_px / 7))
    persona_label = dict(
        zip(ids, c.unique_labels([_persona_name(journey, p, short=True) for p in ids], limit), strict=True)
    )
    means = means[means["stage_key"].isin(stage_label)].copy()
    means["x"] = [
        (stage_label[s], persona_label[p])
        for s, p in zip(means["stage_key"], means["persona_key"], strict=True)
    ]
    means["color"] = [emotion_color(v) for v in means["score"]]
    # The bar's fill is its score; its outline is the persona's own colour (as in every plot).
    colors = c.group_colors(journey)
    means["persona_color"] = [colors.get(p, MUTED) for p in means["persona_key"]]
    means["score_text"] = [f"{v:+.2f}" for v in means["score"]]
    means["label_y"] = np.where(means["score"] >= 0, means["score"] + 0.08, means["score"] - 0.08)
    means["label_baseline"] = np.where(means["score"] >= 0, "bottom", "top")
    factors = [(stage_label[s], persona_label[p]) for s in stages["stage_key"] for p in ids]
    fig = c.styled_figure(
        title=f"Mean emotion per stage and persona — {journey.name}",
        width=width,
        height=440,
        x_range=FactorRange(factors=factors, group_padding=0.8, factor_padding=0.1),
        y_range=Range1d(start=-2.4, end=2.4),
        tools="save,reset",
    )
    source = c.cds(means)
    bars = fig.vbar(
        x="x",
        top="score",
        bottom=0,
        width=0.8,
        source=source,
        fill_color="color",
        line_color="persona_color",
        line_width=2.5,
        name="persona_bars",
    )
    fig.text(
        x="x",
        y="label_y",
        text="score_text",
        text_baseline="label_baseline",
        source=source,
        text_align="center",
        text_font_size="11px",
        text_color=TEXT,
    )
    c.emotion_y_axis(fig)
    fig.add_layout(Span(location=0, dimension="width", line_color=MUTED, line_width=1.5))
    fig.xgrid.grid_line_color = None
    fig.xaxis.major_label_orientation = 0.6 if rotate else 0
    for axis in fig.xaxis:
        if isinstance(axis, CategoricalAxis):  # always: the x range is a FactorRange
            axis.group_text_font_style = "bold"
            axis.group_text_color = TEXT
    fig.add_tools(c.hover(BAR_HOVER, [bars]))
    return fig


# -- current vs future -------------------------------------------------------------------------
def compare_journeys(
    current: Journey,
    future: Journey,
    *,
    persona: str | None = None,
    width: int | None = None,
    height: int | None = None,
) -> LayoutDOM:
    """Compare two maps lane by lane: a current state with its future state, or one map at two dates.

    Stages and touchpoints are matched by id, else by name; the x axes hold
    both maps' touchpoints (future-only ones inserted after their
    predecessor). On top, both emotion curves of one persona (current solid
    grey, future dashed blue) and the change of the mean emotion per stage
    (future minus current) as diverging bars. Below, what changed in every
    lane, drawn like the journey map with a card per change at its place:
    touchpoints added or removed, pain points resolved (gone) or new and
    their severity, emotion shifts per persona, opportunities, action items
    done or moved on, metric values (each map's latest period). Pain points,
    opportunities and actions are matched by id, else by description.

    Parameters
    ----------
    current, future : Journey
        The two maps: the earlier or current one first.
    persona : str, optional
        Persona id or name for the curves, looked up in ``current`` and
        matched in ``future`` by id, else name (default: the first persona
        present in both).
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive; the change lanes keep the width their cards' text is
        wrapped for and scroll sideways in a narrower cell; PNG/SVG exports
        draw it 960 px wide).
    height : int, optional
        Height in pixels, shared among the curves, the deltas and the change
        lanes in proportion. Default ``None``: the height the content needs;
        the change cards' text is laid out in pixels, so a ``height`` below
        that is refused (the message gives the least).

    Returns
    -------
    bokeh.models.LayoutDOM
        A column: the curves, the deltas (sharing their x axis) and a column
        of change lanes (``name`` ``"changes"``: the stage header, then one
        figure ``"lane:changes:<lane>"`` per lane with changes). Without
        emotions for the persona in both maps, the curves and deltas are
        left out.

    Raises
    ------
    ValidationError
        No stages, an unknown persona, maps that both have personas but
        share none, or a ``width`` or ``height`` out of range.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots.compare import compare_journeys
    >>> layout = compare_journeys(templates.load("colleen"), templates.load("colleen_future"))
    >>> [child.name for child in layout.children][-1]
    'changes'
    """
    for j in (current, future):
        sl.require_stages(j, "a journey comparison")
    width = c.check_width(width)
    height = c.check_height(height)
    layout, key_of, merged = _merged_slots(current, future)
    lanes: list[UIElement] = list(change_lanes(current, future, *merged, key_of, width))
    changes = c.fit_width(Column(children=lanes, name="changes", spacing=4), width)
    matched = _match_persona(current, future, persona)
    if matched is None:
        return c.fit_height(c.fit_width(column(changes), width), height, text=True)
    points = []
    for journey, pid, tag in ((current, matched[0], "current"), (future, matched[1], "future")):
        emo = c.emotion_frame(journey, [pid])
        if emo.empty:
            return c.fit_height(c.fit_width(column(changes), width), height, text=True)
        if tag == "future":
            emo["stage_key"] = emo["stage_key"].map(key_of["stages"]).fillna(emo["stage_key"])
            emo["touchpoint_key"] = emo["touchpoint_key"].map(key_of["touchpoints"])
        emo["persona_key"] = tag
        emo["persona"] = f"{emo['persona'].iloc[0]} — {tag} state"
        points.append(emo_plot.place(emo, layout, by="touchpoint"))
    both = emo_plot.decorate(pd.concat(points, ignore_index=True))
    top = emo_plot.curve_figure(f"Current vs future state — {current.name}", layout, width, 430)
    emo_plot.draw_curves(top, both, {"current": CURRENT_STYLE, "future": FUTURE_STYLE})
    # The curve's legend sits above, not beside: both figures have frames of the same width.
    bottom = _delta_figure(journey_deltas(both, layout), layout, top, width)
    for fig in (top, bottom):
        fig.min_border_left = 100  # equal axis room keeps the two x axes aligned
    return c.fit_height(c.fit_width(column(top, bottom, changes), width), height, text=True)


def _match_persona(current: Journey, future: Journey, persona: str | None) -> tuple[str, str] | None:
    """Return the persona's id in each map; None when a map has no persona (no curves)."""
    if persona is None and (current.personas.empty or future.personas.empty):
        return None
    fut = future.personas
    fut_ids = [str(i) for i in fut["id"]]
    fut_by_name = {str(n): str(i) for i, n in zip(fut["id"], fut["name"], strict=True)}
    cur_names = dict(zip(current.personas["id"], current.personas["name"], strict=True))
    candidates = c.resolve_personas(current, persona)
    for pid in candidates:
        if pid in fut_ids:
            return pid, pid
        if str(cur_names[pid]) in fut_by_name:
            return pid, fut_by_name[str(cur_names[pid])]
    if persona is not None:
        raise ValidationError(
            "persona is not in the future map (matched by id, then name)", frame="personas", value=persona
        )
    raise ValidationError("the two maps share no persona (matched by id, then name); pass persona=")


def _merged_slots(
    current: Journey, future: Journey
) -> tuple[sl.StageSlots, dict[str, dict[str, str]], tuple[pd.DataFrame, pd.DataFrame]]:
    """Return slots over both maps' stages and touchpoints, and how they merge.

    Also returned: future id → merged key, and the merged stages (``key``,
    ``name``) and touchpoints.
    """
    key_of: dict[str, dict[str, str]] = {}
    tables = {}
    for frame in ("stages", "touchpoints"):
        cur, fut = current.frame(frame), future.frame(frame)
        cur_ids = set(cur["id"].astype(str))
        cur_by_name = dict(zip(cur["name"].astype(str), cur["id"].astype(str), strict=False))
        key_of[frame] = {
            str(i): (str(i) if str(i) in cur_ids else cur_by_name.get(str(n), str(i)))
            for i, n in zip(fut["id"], fut["name"], strict=True)
        }
        tables[frame] = (cur, fut)
    cur_st, fut_st = tables["stages"]
    stage_keys = _merge_order(
        list(cur_st.sort_values("order")["id"].astype(str)),
        [key_of["stages"][str(i)] for i in fut_st.sort_values("order")["id"]],
    )
    stage_name = dict(zip(cur_st["id"].astype(str), cur_st["name"].astype(str), strict=True))
    for i, n in zip(fut_st["id"], fut_st["name"], strict=True):
        stage_name.setdefault(key_of["stages"][str(i)], str(n))
    stages = pd.DataFrame({"key": stage_keys, "name": [stage_name[k] for k in stage_keys]})
    touchpoints = _merged_touchpoints(current, future, key_of)
    return sl.slots_from(stages, touchpoints), key_of, (stages, touchpoints)


def _merged_touchpoints(current: Journey, future: Journey, key_of: dict[str, dict[str, str]]) -> pd.DataFrame:
    cur = sl.touchpoint_table(current)
    fut = sl.touchpoint_table(future)
    fut = fut.assign(
        key=fut["key"].map(key_of["touchpoints"]), stage_key=fut["stage_key"].map(key_of["stages"])
    )
    placed = set(cur["key"])
    names = dict(zip(cur["key"], cur["name"], strict=True)) | {
        k: n for k, n in zip(fut["key"], fut["name"], strict=True) if k not in placed
    }
    stage_of = dict(zip(cur["key"], cur["stage_key"], strict=True)) | {
        k: s for k, s in zip(fut["key"], fut["stage_key"], strict=True) if k not in placed
    }
    order = _merge_order(list(cur["key"]), list(fut["key"]))
    return pd.DataFrame(
        {"key": order, "stage_key": [stage_of[k] for k in order], "name": [names[k] for k in order]}
    )


def _merge_order(first: list[str], second: list[str]) -> list[str]:
    """``first``, with the items only in ``second`` inserted after their predecessor there."""
    out = list(dict.fromkeys(first))
    prev: str | None = None
    for item in second:
        if item not in out:
            out.insert(out.index(prev) + 1 if prev is not None else 0, item)
        prev = item
    return out


def journey_deltas(points: pd.DataFrame, layout: sl.StageSlots) -> pd.DataFrame:
    """Per stage: mean emotion in each map and the change (future - current).

    ``points`` holds both maps' emotion rows with ``persona_key`` set to
    ``"current"`` / ``"future"`` and merged ``stage_key``s.
    """
    means = points.pivot_table(index="stage_key", columns="persona_key", values="score", aggfunc="mean")
    means = means.reindex(columns=["current", "future"])
    bands = layout.bands.set_index("stage_key")
    out = pd.DataFrame(
        {
            "stage_key": bands.index,
            "stage": bands["stage"].to_numpy(),
            "x": bands["center"].to_numpy(),
            "band": (bands["right"] - bands["left"]).to_numpy(),
            "current": means["current"].reindex(bands.index).to_numpy(),
            "future": means["future"].reindex(bands.index).to_numpy(),
        }
    )
    out["delta"] = out["future"] - out["current"]
    return out


def _delta_figure(deltas: pd.DataFrame, layout: sl.StageSlots, top: figure, width: int | None) -> figure:
    deltas = deltas.copy()
    deltas["color"] = np.where(deltas["delta"] >= 0, EMOTION_PALETTE[8], EMOTION_PALETTE[2])
    deltas["width"] = np.minimum(deltas["band"] * 0.5, 1.2)
    deltas["current_text"] = c.number_text(deltas["current"], "{:+.2f}")
    deltas["future_text"] = c.number_text(deltas["future"], "{:+.2f}")
    deltas["delta_text"] = c.number_text(deltas["delta"], "{:+.2f}")
    deltas["baseline"] = np.where(deltas["delta"] >= 0, "bottom", "top")
    deltas["dy"] = np.where(deltas["delta"] >= 0, -3.0, 3.0)  # screen px, positive is down
    deltas["label"] = [t if t != c.MISSING else "no data" for t in deltas["delta_text"]]
    deltas["label_y"] = deltas["delta"].fillna(0.0)
    span = max(1.0, float(deltas["delta"].abs().max())) if deltas["delta"].notna().any() else 1.0
    fig = c.styled_figure(
        title="Change of mean emotion per stage (future minus current)",
        width=width,
        height=230,
        x_range=top.x_range,
        y_range=Range1d(start=-span * 1.3, end=span * 1.8),
        tools="save,reset",
    )
    c.heading(fig).text_font_size = "13px"
    sl.draw_stage_bands(fig, layout, label_y=span * 1.58)
    source = c.cds(deltas)
    bars = fig.vbar(
        x="x",
        top="delta",
        bottom=0,
        width="width",
        source=source,
        fill_color="color",
        line_color=None,
        name="deltas",
    )
    fig.text(
        x="x",
        y="label_y",
        text="label",
        text_baseline="baseline",
        source=source,
        text_align="center",
        text_font_size="12px",
        text_color=TEXT,
        y_offset="dy",
    )
    fig.add_layout(Span(location=0, dimension="width", line_color=MUTED, line_width=1.5))
    fig.xaxis.visible = False
    fig.xgrid.grid_line_color = None
    fig.yaxis.axis_label = "Δ emotion"
    fig.add_tools(c.hover(DELTA_HOVER, [bars]))
    return fig


# -- segments, with intervals and tests -------------------------------------------------------
def segment_comparison(
    comparison: pd.DataFrame,
    journey: Journey | None = None,
    *,
    width: int | None = None,
    height: int | None = None,
) -> Column:
    """Segments compared along the journey: intervals, and marks where a difference is real.

    Draws the frame of :func:`cjm_jupyter.analytics.compare_segments` over the
    journey's stages, one lane per metric it holds: **conversion** to each
    funnel step (the per-segment funnels overlaid), mean **satisfaction** per
    touchpoint or stage (the per-segment satisfaction curves overlaid), and the
    median **time to the next step**. Each segment is a curve in its own colour
    (the journey's :func:`~.theme.segment_colors`) with its interval as a
    whisker; a ``*`` above a whisker marks a difference from the baseline
    segment whose multiple-comparison adjusted p-value is below ``alpha``
    (the frame's ``significant``). The hover gives value, interval, n,
    difference with its interval, test, p and p adjusted, and effect size.

    Parameters
    ----------
    comparison : DataFrame
        The ``compare_segments`` frame: ``metric``, ``stage_id``, ``stage``,
        ``touchpoint_id``, ``touchpoint``, ``segment``, ``baseline``, ``n``,
        ``value``, ``ci_low``, ``ci_high``, ``p_adjusted``, ``significant``
        (and, for the hover, ``difference``, ``diff_low``, ``diff_high``,
        ``test``, ``p_value``, ``effect_size``, ``effect``). Its ``.attrs``
        (``level``, ``adjust``, ``alpha``, ``mode``, and ``scale`` when
        given) word the note above the lanes and fix the satisfaction axis.
    journey : Journey, optional
        Lays the places out in journey order (touchpoints within their
        stages) and gives the segments the colours of the journey's other
        plots. Without it, the frame's own order.
    width : int, optional
        Width in pixels. Default ``None``: the width of the output area
        (responsive, at least 480 px; PNG/SVG exports draw it 960 px wide).
    height : int, optional
        Height in pixels of the whole column, shared among its lanes in
        proportion. Default ``None``: the height the content needs (each
        lane's own, with room for the note above the first).

    Returns
    -------
    bokeh.models.Column
        One figure per metric lane, named ``"lane:<metric>"``, sharing the
        x axis. Points are the glyphs named ``"segment_points"``, marks
        ``"significance_marks"``, intervals the ``Whisker`` annotations
        named ``"interval"``.

    Raises
    ------
    ValidationError
        Not a frame, a missing column (named), no rows, no row of a known
        metric, or a journey without stages.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter.plots.compare import segment_comparison
    >>> rows = pd.DataFrame({
    ...     "metric": "conversion", "stage_id": ["s1", "s1", "s2", "s2"],
    ...     "stage": ["Visit", "Visit", "Buy", "Buy"], "touchpoint_id": None, "touchpoint": None,
    ...     "segment": ["web", "app"] * 2, "baseline": "web", "n": [900, 400, 900, 400],
    ...     "value": [1.0, 1.0, 0.31, 0.42], "ci_low": [1.0, 1.0, 0.28, 0.37],
    ...     "ci_high": [1.0, 1.0, 0.34, 0.47], "p_adjusted": [None, None, None, 0.0004],
    ...     "significant": [False, False, False, True]})
    >>> layout = segment_comparison(rows)
    >>> [fig.name for fig in layout.children]
    ['lane:conversion']
    """
    width = c.check_width(width)
    height = c.check_height(height)
    lanes = column(*comparison_lanes(comparison, journey, width), spacing=0)
    return c.fit_height(c.fit_width(lanes, width), height)
