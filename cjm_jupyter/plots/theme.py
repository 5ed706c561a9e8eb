"""Colours and styling shared by every plot.

Palettes are colour-blind safe: Okabe-Ito (Bokeh's ``Colorblind``) for
categories such as channels and personas, Paul Tol's "muted" for segments that
no persona stands for (so a segment never takes a persona's colour), and the
diverging ``PuOr`` for the
emotion scale (orange = frustrated, purple = delighted; it avoids the
red/green pair).

Plots are built in light colours. When a plot is shown or exported, the theme
chosen with :func:`set_theme` decides what the page sees: ``"light"``,
``"dark"``, or ``"auto"`` (the default), which follows the JupyterLab (or VS
Code) theme of the page in the browser, without a kernel round trip, and keeps
following it when the theme is switched. The data colours of the palettes stay
the same in both themes; greys, paper and ink swap (see ``_dark``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal

import pandas as pd
from bokeh.palettes import Colorblind, PuOr

from ..model.specs import EMOTION_SCALE

if TYPE_CHECKING:
    from ..model import Journey

__all__ = [
    "BACKGROUND",
    "CATEGORY_PALETTE",
    "EMOTION_PALETTE",
    "FONT",
    "GRID",
    "MUTED",
    "PERSONA_PALETTE",
    "SEGMENT_PALETTE",
    "TEXT",
    "THEMES",
    "category_colors",
    "emotion_color",
    "get_theme",
    "journey_segments",
    "persona_colors",
    "persona_segments",
    "segment_colors",
    "set_theme",
    "use_theme",
]

#: 8 Okabe-Ito colours; yellow (#F0E442) moved last because it is faint on white.
CATEGORY_PALETTE: tuple[str, ...] = (*(c for c in Colorblind[8] if c != "#F0E442"), "#F0E442")
#: 11 steps from frustrated (index 0, dark orange) to delighted (index 10, dark purple).
EMOTION_PALETTE: tuple[str, ...] = tuple(reversed(PuOr[11]))
#: Persona and segment colours: Okabe-Ito without its orange and vermillion, which the
#: emotion markers already use for "frustrated" (a persona line must not read as a score).
PERSONA_PALETTE: tuple[str, ...] = tuple(c for c in CATEGORY_PALETTE if c not in ("#E69F00", "#D55E00"))
#: Colours of segments no persona is made from: Paul Tol's colour-blind safe "muted"
#: palette, none of them a persona colour, without its sand (it reads as the light orange
#: of "frustrated"). Wine, olive and indigo first: the hues furthest from the personas'.
SEGMENT_PALETTE: tuple[str, ...] = (
    "#882255",
    "#999933",
    "#332288",
    "#44AA99",
    "#88CCEE",
    "#CC6677",
    "#AA4499",
    "#117733",
)
BACKGROUND = "#ffffff"
TEXT = "#1f2328"
MUTED = "#6e7781"
GRID = "#d0d7de"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

ThemeName = Literal["light", "dark", "auto"]
#: The themes :func:`set_theme` accepts.
THEMES: tuple[str, ...] = ("light", "dark", "auto")
_theme: str = "auto"


def _checked(name: object) -> str:
    if not isinstance(name, str) or name not in THEMES:
        raise ValueError(f"theme must be one of 'light', 'dark', 'auto', not {name!r}")
    return name


def set_theme(name: ThemeName) -> None:
    """Choose how plots look when they are shown or exported from now on.

    Parameters
    ----------
    name : {"light", "dark", "auto"}
        ``"auto"`` (the default) follows the page: a JupyterLab dark theme (or
        VS Code's, or an nbconvert export made with ``--theme dark``) draws
        the plots dark, any other page light; switching the JupyterLab theme
        switches plots already shown. PNG and SVG exports have no page: there
        ``"auto"`` means light. ``"light"`` and ``"dark"`` fix the colours.

    Raises
    ------
    ValueError
        ``name`` is not one of the three.

    Examples
    --------
    >>> set_theme("dark")
    >>> get_theme()
    'dark'
    >>> set_theme("auto")
    """
    global _theme
    _theme = _checked(name)


def get_theme() -> str:
    """Return the theme set by :func:`set_theme` (``"auto"`` unless changed).

    Returns
    -------
    str
        ``"light"``, ``"dark"`` or ``"auto"``: the theme plots are shown and
        exported in when no ``theme=`` is given.

    Examples
    --------
    >>> get_theme()
    'auto'
    >>> with use_theme("light"):
    ...     get_theme()
    'light'
    """
    return _theme


@contextmanager
def use_theme(name: ThemeName) -> Iterator[None]:
    """Use a theme inside a ``with`` block only, as :func:`set_theme` would from now on.

    The theme in force before the block is restored when it ends, also on an
    error.

    Parameters
    ----------
    name : {"light", "dark", "auto"}
        The theme for plots shown or exported inside the block (see
        :func:`set_theme`).

    Yields
    ------
    None
        Nothing: the block runs with the theme set.

    Raises
    ------
    ValueError
        ``name`` is not one of the three (raised on entering the block).

    Examples
    --------
    >>> with use_theme("dark"):
    ...     get_theme()
    'dark'
    >>> get_theme()
    'auto'
    >>> with use_theme("sepia"):
    ...     pass
    Traceback (most recent call last):
    ...
    ValueError: theme must be one of 'light', 'dark', 'auto', not 'sepia'
    """
    global _theme
    before, _theme = _theme, _checked(name)
    try:
        yield
    finally:
        _theme = before


def emotion_color(score: float | None) -> str:
    """Return the palette colour of an emotion score (grey when missing)."""
    if score is None or score != score:  # NaN
        return MUTED
    low, high = EMOTION_SCALE
    t = min(max((float(score) - low) / (high - low), 0.0), 1.0)
    return EMOTION_PALETTE[round(t * (len(EMOTION_PALETTE) - 1))]


def category_colors(values: Sequence[str]) -> dict[str, str]:
    """Return a stable colour per distinct value, in first-seen order (cycling past 8)."""
    distinct = list(dict.fromkeys(values))
    return {v: CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i, v in enumerate(distinct)}


def persona_colors(journey: Journey) -> dict[str, str]:
    """Return the colour of each persona id: its position in the journey's personas frame.

    Every plot of a journey takes its persona colours from here, so a persona
    keeps its colour from one plot to the next and when ``personas=`` shows
    only some of them.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> persona_colors(templates.load("colleen"))
    {'curious-colleen': '#0072B2'}
    """
    ids = [str(i) for i in journey.personas["id"]]
    return {pid: PERSONA_PALETTE[i % len(PERSONA_PALETTE)] for i, pid in enumerate(ids)}


def persona_segments(journey: Journey) -> dict[str, str]:
    """Segment value -> id of the persona made from it (the personas' ``segment`` column).

    ``Journey.add_persona_from_segment`` writes the data segment's label there
    (e.g. ``"2"``); the plots treat that persona and that segment as one group:
    the segment's rows without a persona (``measure(segment_col=...)``) are the
    persona's, and they share one colour. When two personas name one segment,
    the first in the personas frame owns it.
    """
    if "segment" not in journey.personas.columns:  # a journey from before schema 3
        return {}
    owners: dict[str, str] = {}
    for pid, value in zip(journey.personas["id"], journey.personas["segment"], strict=True):
        if isinstance(value, str) and value.strip():
            owners.setdefault(value.strip(), str(pid))
    return owners


def journey_segments(journey: Journey) -> list[str]:
    """Sorted distinct segment values of the journey's metrics, emotions and personas (empty when none)."""
    values: set[str] = set(persona_segments(journey))
    for frame in (journey.metrics, journey.emotions):
        if "segment" in frame.columns:
            kept = frame["segment"].dropna().astype(str).str.strip()
            values.update(v for v in kept if v)
    return sorted(values)


def segment_colors(journey_or_values: Journey | Iterable[object]) -> dict[str, str]:
    """Return the colour of each segment value.

    Given a journey, the values are those of its metrics, emotions and
    personas ``segment`` columns: a segment a persona was made from
    (:func:`persona_segments`) takes that persona's colour
    (:func:`persona_colors`); every other segment takes the colour of its rank
    among those sorted values in :data:`SEGMENT_PALETTE`, which no persona
    uses. Given values (e.g. a funnel frame's segment column), the same rank
    rule on those values. Sorting, not first-seen order, is what makes the
    colour the same in every plot that shows the same segments.

    Examples
    --------
    >>> segment_colors(["mobile", "desktop"])
    {'desktop': '#882255', 'mobile': '#999933'}
    """
    owned: dict[str, str] = {}
    if hasattr(journey_or_values, "personas"):
        journey: Journey = journey_or_values  # type: ignore[assignment]
        colors = persona_colors(journey)
        owned = {value: colors[pid] for value, pid in persona_segments(journey).items()}
        values = [v for v in journey_segments(journey) if v not in owned]
    else:
        series = pd.Series(list(journey_or_values), dtype=object).dropna().astype(str)
        values = sorted({v for v in series if v.strip()})
    free = {v: SEGMENT_PALETTE[i % len(SEGMENT_PALETTE)] for i, v in enumerate(values)}
    return dict(sorted((owned | free).items()))


def value_colors(values: Iterable[object], journey: Journey | None = None) -> dict[str, str]:
    """Colours for the segment values of a frame (a funnel's, a comparison's), matched to a journey.

    A value that names one of the journey's personas (by id or name) or a
    segment a persona was made from takes that persona's colour; a value the
    journey knows as a segment takes :func:`segment_colors` of the journey;
    the rest take :data:`SEGMENT_PALETTE` by rank among themselves. So a
    segmented log labelled with persona names draws every persona in the
    colour of its card and its curve on the map. Without a journey, this is
    :func:`segment_colors` of the values.
    """
    texts = sorted({str(v) for v in values if v is not None and str(v).strip()})
    if journey is None:
        return segment_colors(texts)
    personas = persona_colors(journey)
    frame = journey.personas
    by_name = {str(n): personas[str(i)] for i, n in zip(frame["id"], frame["name"], strict=True)}
    known = segment_colors(journey)
    out = {v: personas.get(v) or by_name.get(v) or known.get(v) for v in texts}
    rest = [v for v, c in out.items() if c is None]
    used = {c for c in out.values() if c is not None}
    free = [c for c in SEGMENT_PALETTE if c not in used] or list(SEGMENT_PALETTE)
    out.update({v: free[i % len(free)] for i, v in enumerate(rest)})
    return out  # type: ignore[return-value]
