"""The journey map: a swimlane picture of a whole journey.

Stages are ordered columns; every touchpoint owns a slot inside its stage
column; lanes are stacked rows sharing one x range. Built-in lanes:

================ ==============================================================
lane             what it shows
================ ==============================================================
``actions``      what the customer does (the touchpoints' ``action``)
``touchpoints``  a marker per touchpoint (shape and colour by channel), named
``thoughts``     the emotions' ``thought`` quotes, tinted by the feeling
``emotions``     the emotion curve, -2 frustrated .. +2 delighted, one line per
                 persona; filled markers are measured, hollow ones assumed
``pain_points``  pain points, darker with severity (also written)
``opportunities`` improvement ideas at their stage, touchpoint or pain point
``actions_plan`` the action plan with owner and status, at the action's stage
                 or its opportunity's stage, under a progress bar per stage
                 (done / in progress / planned / blocked, counted in words)
``metrics``      metric values with units, per stage or touchpoint, of one
                 period (the latest by default), with the change since the
                 previous period, the targets of the journey's goals, the
                 95% interval of measured rates and, with ``comparison=``,
                 a "*" where a segment differs significantly
================ ==============================================================

plus every custom lane of the journey (:attr:`Journey.lane_names`), one text
cell per stage. The map takes the width of the output area (at least 72 px
per touchpoint, scrolling sideways when the cell is narrower); text wraps at
word boundaries. Long card texts are cut with "…" after six lines: hover a
card for its full text, or pass ``full_text=True`` to print every word.

Examples
--------
>>> from cjm_jupyter import templates
>>> from cjm_jupyter.plots.map import journey_map
>>> layout = journey_map(templates.load("colleen"), lanes=["touchpoints", "emotions"])
>>> [fig.name for fig in layout.children]
['lane:stages', 'lane:touchpoints', 'lane:emotions']
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd
from bokeh.models import Column, LayoutDOM, Plot

# From its module: bokeh.models.ui builds __all__ at run time, which mypy cannot read.
from bokeh.models.ui.ui_element import UIElement

from ...errors import ValidationError
from .._common import SEGMENT_KEY, check_height, fit_height, resolve_personas
from .emotions import map_emotions
from .frames import MapFrames
from .grid import MapGrid, build_grid
from .lanes import LayoutSize, MapContext, header, make_bands
from .metrics import check_comparison, emotion_rows, pick_period
from .registry import LANE_TITLES, LANES, Lane, lane_of, lanes_of

if TYPE_CHECKING:
    from ...model.journey import Journey

__all__ = ["LANES", "LANE_TITLES", "journey_map"]


def _kind_title(kind: str) -> str:
    """Spell a kind as words: ``day_in_the_life`` reads "Day in the life"."""
    return kind.replace("_", " ").capitalize()


def journey_map(
    journey: Journey,
    *,
    lanes: Sequence[str] | None = None,
    personas: Sequence[str] | None = None,
    width: int | None = None,
    height: int | None = None,
    period: str | None = None,
    segment: str | None = None,
    comparison: pd.DataFrame | None = None,
    full_text: bool = False,
) -> LayoutDOM:
    """Draw the journey as a swimlane map.

    Parameters
    ----------
    journey : Journey
        The journey to draw; it is only read.
    lanes : sequence of str, optional
        Lanes to show, top to bottom: names from :data:`LANES` and the
        journey's custom lane names (a built-in name wins over a custom lane
        of the same name). Default: every lane that has content.
    personas : sequence of str, optional
        Persona ids or names whose emotions, thoughts, pain points and
        metrics are shown, in legend order; each curve keeps the persona's
        own colour (:func:`~.theme.persona_colors`). Several personas make a group map: one
        emotion curve each, with a legend. Pain points and metrics without
        a persona concern everyone and are always shown; emotions without a
        persona form their own "All personas" curve, shown only by default.
        A segment value draws that segment's emotion curve ("mobile
        (segment)", in :func:`~.theme.segment_colors`): survey emotions
        measured per segment (``measure(segment_col=...)``) belong to their
        segment's curve only, never to a persona's or "All personas".
        Default: every persona that has emotions and "All personas"; the
        segment curves are left out, and the emotion lane's legend says how
        to show them ("+2 segment curves: pass personas=['desktop',
        'mobile'] or segment='desktop'").
    width : int, optional
        Fixed width of the map in pixels, lane titles included (text is
        wrapped for it). Default: responsive, the width of the output area.
        Text is wrapped for 72 px per touchpoint slot (up to 150 px when
        few touchpoints share a 940 px map); the map never gets narrower
        than that and scrolls sideways in a narrower cell, so a
        12-touchpoint journey fits JupyterLab's output area beside the file
        browser and a 240-touchpoint one scrolls with its words whole.
    height : int, optional
        Height of the lanes in pixels, shared among them in proportion to
        the height each needs (the header's titles not counted). Default
        ``None``: the height the content needs (rows of cards, curves). The
        cards' text is laid out in pixels, so a ``height`` below that is
        refused (the message gives the least); a taller one gives every
        lane more room.
    period : str, optional
        The measurement period shown (a label of the metrics' or emotions'
        ``period`` column, e.g. ``"2026-Q3"``). Default: the latest, ordered
        by :func:`cjm_jupyter.model.history.period_sort_key`. Rows without a
        period (typed by hand) are always shown. Each metric card shows its
        change since the metrics' previous period (▲/▼ and the signed delta;
        rates in percentage points) and the targets of the journey's goals
        for it (``target ≥ 3% ✓ met``); the emotions shown are those of
        their latest period up to the one shown.
    segment : str, optional
        Show one segment's measurements: only the metric and emotion rows
        whose ``segment`` is this value (``measure(segment_col=...)`` writes
        them); its emotions form one curve, after the ``personas`` picked.
        Rows without a segment (every customer, or typed by hand) are
        left out. Default: every metric row, each segment's card named
        "· segment".
    comparison : DataFrame, optional
        A :func:`cjm_jupyter.analytics.compare_segments` frame. A segment's
        ``conversion`` card whose comparison row is significant gets a blue
        outline and the line ``* vs <baseline>: +6.2 pp, p adj 0.003``; the
        hover of every matched card gives both rates, the test and the
        adjusted p-value. Compare the same log the metrics were measured on
        (the hover names the comparison's funnel mode: ``measure`` counts
        first-reach, ``compare_segments`` sequential by default).
    full_text : bool, default False
        Print every text in full: quotes, pain points, opportunities,
        actions and custom cells are never cut, cards grow as tall as they
        need. For PNG export and print, where there is no hover.

    Returns
    -------
    bokeh.models.Column
        One figure per lane (``name`` ``"lane:<lane>"``), the stage header
        first, all sharing one x range. Show it with ``bokeh.io.show``.

    Raises
    ------
    ValidationError
        On an unknown lane name, persona (id or name), period or segment (the
        message lists the valid ones), a ``width`` too small for the
        touchpoints, a ``height`` below what the lanes need, or a
        ``comparison`` that is not a compare_segments frame.

    Notes
    -----
    A journey without stages gives the header alone, with a note.

    Every ratio (or ``%``) metric with a sample size ``n`` shows its 95%
    Wilson interval (``95% CI 58\u201364%``; hover: bounds and ``n``) when
    scipy and statsmodels (the ``stats`` extra) are installed; without
    them, or without ``n`` (a value typed by hand), the card has none.

    User text reaches the page only as data: canvas text, plain-text titles
    (never parsed as HTML or TeX) and hover fields from ColumnDataSource
    columns, which Bokeh escapes. No model renders user text as HTML.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> layout = journey_map(j, personas=["curious-colleen"], lanes=["emotions", "pain_points"])
    >>> [fig.name for fig in layout.children]
    ['lane:stages', 'lane:emotions', 'lane:pain_points']
    >>> len(layout.select_one({"name": "emotion_points"}).data["x"]) == len(j.emotions)
    True

    A lane name the journey does not have is refused, with the valid ones:

    >>> journey_map(j, lanes=["emotion"])
    Traceback (most recent call last):
    ...
    cjm_jupyter.errors.ValidationError: column 'lanes': unknown lane 'emotion'; valid lanes are: ...
    """
    if journey.stages.empty and (not journey.empathy.empty or journey.kind == "empathy_map"):
        from ..empathy import empathy_map  # an empathy map has no stages: draw its quadrants

        one = personas if personas is None or isinstance(personas, str) else next(iter(personas), None)
        return empathy_map(journey, persona=one, width=width, height=height)
    height = check_height(height)
    picked = _select_lanes(journey, lanes)
    persona_ids = _select_personas(journey, personas)
    periods = pick_period(journey.metrics, journey.emotions, period)
    segment_of = _segment_filter(journey, segment)
    comparison = check_comparison(comparison)
    try:
        grid = build_grid(journey.stages, journey.touchpoints, width)
    except ValueError as exc:
        raise ValidationError(str(exc), column="width", value=width) from exc
    shown_emotions = segment_of(emotion_rows(journey.emotions, periods.shown))
    emotions, curves = map_emotions(journey, shown_emotions, persona_ids, segment)
    ctx = MapContext(grid, make_bands(grid), curves, full_text=bool(full_text))
    title, subtitle = _titles(journey, ctx, segment)
    if grid.stages.empty:
        empty = Column(children=[_empty_header(ctx, title)], name="journey_map", **_size(grid))
        return fit_height(empty, height, text=True)
    frames = MapFrames(journey, emotions, persona_ids, periods, (segment, segment_of), comparison)
    if picked is None:  # the default map: every lane with something to show
        picked = [lane for lane in lanes_of(journey.lane_names) if lane.has_content(frames)]
    children: list[UIElement] = [header(ctx, title, subtitle)]
    children += [lane.draw(ctx, frames) for lane in picked]
    layout = Column(children=children, name="journey_map", spacing=4, **_size(grid))
    return fit_height(layout, height, text=True)


def _size(grid: MapGrid) -> LayoutSize:
    """Return the map column's width keywords.

    A responsive map stretches to the output area, down to the width its text
    was wrapped for; below that the output area scrolls sideways.
    """
    if not grid.responsive:
        return {}
    return {"sizing_mode": "stretch_width", "width": grid.plot_px, "min_width": grid.plot_px}


def _select_lanes(journey: Journey, lanes: Sequence[str] | None) -> list[Lane] | None:
    if lanes is None:
        return None
    if isinstance(lanes, str):
        lanes = [lanes]
    custom = journey.lane_names
    picked: list[Lane] = []
    for name in dict.fromkeys(lanes):
        lane = lane_of(name, custom)
        if lane is None:
            valid = ", ".join(repr(n) for n in [*LANES, *custom])
            raise ValidationError(f"unknown lane {name!r}; valid lanes are: {valid}", column="lanes")
        picked.append(lane)
    return picked


def _select_personas(journey: Journey, personas: Sequence[str] | None) -> list[str] | None:
    """Return the persona ids of ``personas`` (ids or names) and segment keys.

    Segment values give ``"segment:<value>"`` keys (see :func:`~._common.resolve_personas`).
    """
    return None if personas is None else resolve_personas(journey, personas, segments=True)


def _segment_filter(journey: Journey, segment: str | None) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """Return a filter keeping the rows of ``segment`` (with None: every row).

    Raises
    ------
    ValidationError
        ``segment`` is not a segment of the journey's metrics or emotions.
    """
    if segment is None:
        return lambda df: df
    frames = (df for df in (journey.metrics, journey.emotions) if "segment" in df.columns)
    known = sorted({str(v) for df in frames for v in df["segment"].dropna()})
    if segment not in known:
        valid = ", ".join(repr(s) for s in known) or "(no metric or emotion has a segment)"
        raise ValidationError(
            f"unknown segment {segment!r}; known segments are: {valid}", column="segment", value=segment
        )

    def keep(df: pd.DataFrame) -> pd.DataFrame:
        if "segment" not in df.columns:  # a journey from before schema 3
            return df.iloc[:0]
        return df.loc[(df["segment"].astype(object) == segment).fillna(False).to_numpy(dtype=bool)]

    return keep


def _titles(journey: Journey, ctx: MapContext, segment: str | None = None) -> tuple[str, str]:
    # The shown segment's own curve is named by the "segment: x" part already.
    own = None if segment is None else SEGMENT_KEY + segment
    names = [n for i, n in zip(ctx.personas["id"], ctx.personas["name"], strict=True) if n and i != own]
    parts = [_kind_title(journey.kind), ", ".join(names)]
    if segment is not None:
        parts.append(f"segment: {segment}")
    if journey.scenario:
        parts.append(str(journey.scenario))
    return journey.name, " · ".join(p for p in parts if p)


def _empty_header(ctx: MapContext, title: str) -> Plot:
    """Draw the header of a journey without stages, with a note saying so."""
    return header(ctx, title, "No stages yet: add stages and touchpoints to draw the map")
