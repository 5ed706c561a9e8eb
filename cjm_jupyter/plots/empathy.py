"""The empathy map: what a persona says, thinks, does and feels.

Four quadrants around the persona, as on a workshop wall: **Says** (top
left), **Thinks** (top right), **Does** (bottom left) and **Feels** (bottom
right), with the persona's name, age and occupation in the centre. Every
empathy entry is a sticky note in its quadrant; notes wrap their text, stack
in rows without overlapping, and a quadrant grows with its notes. Long text is
cut with "…" on the canvas; hover a note for its full text and source.
Entries whose source is an assumption (a workshop, a hypothesis) get a dashed
outline, evidence a solid one.

Examples
--------
>>> from cjm_jupyter import templates
>>> from cjm_jupyter.plots.empathy import empathy_map
>>> j = templates.load("empathy")
>>> fig = empathy_map(j)
>>> len(fig.select_one({"name": "empathy_notes"}).data["id"]) == len(j.empathy)
True
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from bokeh.core.properties import value as literal
from bokeh.models import ColumnDataSource, LayoutDOM, PlainText, Range1d

from ..errors import ValidationError
from ..model.specs import ASSUMED_SOURCES, EMPATHY_QUADRANTS
from ._common import MISSING, _is_missing, heading, hover, resolve_personas, styled_figure, text
from ._common import check_height as c_check_height
from ._common import check_width as c_check_width
from ._models import Title
from .theme import BACKGROUND, FONT, GRID, MUTED, TEXT

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["QUADRANT_TITLES", "empathy_map"]

#: Quadrant titles in drawing order: top left, top right, bottom left, bottom right.
#: The quadrants are the specs' (``EMPATHY_QUADRANTS``); a title is the value capitalised.
QUADRANT_TITLES: dict[str, str] = {q: q.capitalize() for q in EMPATHY_QUADRANTS}
#: The question each quadrant answers, shown under its title (none for a quadrant not listed).
_PROMPTS: dict[str, str] = {
    "says": "What do they say out loud?",
    "thinks": "What goes through their mind?",
    "does": "What do they actually do?",
    "feels": "What emotions drive them?",
}
#: Okabe-Ito accents (colour-blind safe) and the light note fills tinted from them; a
#: quadrant not listed is drawn in the muted colour.
_ACCENTS: dict[str, str] = {"says": "#0072B2", "thinks": "#CC79A7", "does": "#009E73", "feels": "#D55E00"}

# Geometry, in screen pixels (the canvas maps one data unit to one pixel).
_MARGIN = 14  # around the whole map
_GUTTER = 10  # between quadrants
_PAD = 14  # inside a quadrant
_HEADER = 48  # quadrant title + prompt
_NOTE_GAP = 10
_NOTE_PAD = 10
_LINE = 17  # line height of note text
_FOOTER = 18  # source line at the foot of a note
_MAX_LINES = 5
_CHAR_PX = 7.6  # average width of a 13px character, generous for wide fonts
_RADIUS = 74  # persona circle
_MIN_WIDTH = 480
#: Width a responsive empathy map is laid out for, and its least width: its notes are
#: wrapped in pixels, so a narrower canvas would cut them (a wider one leaves room).
_LAID_OUT = 760


@dataclass
class _Quadrant:
    key: str
    left: float
    right: float
    align: str  # "left" or "right": where the title sits (the outer corner)
    notes: pd.DataFrame
    cols: int = 1
    note_w: float = 0.0
    heights: tuple[float, ...] = ()
    stack: float = 0.0  # total height of the notes


def empathy_map(
    journey: Journey, *, persona: str | None = None, width: int | None = None, height: int | None = None
) -> LayoutDOM:
    """Draw a persona's empathy map: Says, Thinks, Does and Feels around the persona.

    Parameters
    ----------
    journey : Journey
        The journey holding the ``empathy`` entries; it is only read.
    persona : str, optional
        Id or name of the persona to draw. Default: the first persona (in
        the journey's order) that has empathy entries. A persona without
        entries gives an empty canvas to fill in.
    width : int, optional
        Width of the canvas in pixels (at least 480). Default ``None``: the
        width of the output area (responsive, at least 760 px: the notes are
        wrapped for that width; PNG/SVG exports draw it 760 px wide).
    height : int, optional
        Height of the canvas in pixels (below the title). Default ``None``:
        the height the content needs: each row of quadrants is as tall as
        its fuller quadrant. The notes are laid out in pixels, so a
        ``height`` below that is refused (the message gives the least); a
        taller one shares the extra room between the two rows.

    Returns
    -------
    bokeh.plotting.figure
        One figure called ``"empathy_map"``. Its ``ColumnDataSource`` named
        ``"empathy_notes"`` has one row per entry (``id``, ``quadrant``,
        ``text``, ``source``, ``basis``, the displayed ``label`` and the note
        geometry); ``"empathy_quadrants"`` has the four quadrants in order.

    Raises
    ------
    ValidationError
        The journey has no empathy entries (the message says how to add
        them), ``persona`` is neither an id nor a name of the journey (the
        message lists the valid ids), ``width`` is below 480, or ``height``
        is below the height the notes need.

    Notes
    -----
    User text reaches the page only as data: canvas text glyphs, plain-text
    titles and ``(label, "@field")`` hover tooltips, which Bokeh escapes.
    No model renders user text as HTML.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.plots import empathy_map
    >>> journey = templates.load("empathy")
    >>> fig = empathy_map(journey, persona="Curious Colleen")
    >>> fig.name
    'empathy_map'
    >>> notes = fig.select_one({"name": "empathy_notes"})
    >>> sorted(set(notes.data["quadrant"]))
    ['Does', 'Feels', 'Says', 'Thinks']
    >>> empathy_map(journey, persona="nobody")
    Traceback (most recent call last):
    ...
    cjm_jupyter.errors.ValidationError: ...unknown persona 'nobody' (neither an id nor a name)...
    """
    entries = journey.empathy
    if entries.empty:
        raise ValidationError(
            "the journey has no empathy entries to draw; add some with "
            "journey.add_empathy(persona_id, quadrant, text, source=...) where quadrant is one of "
            + ", ".join(EMPATHY_QUADRANTS),
            frame="empathy",
        )
    responsive = width is None
    width = _LAID_OUT if width is None else c_check_width(width, least=_MIN_WIDTH)
    pid = _pick_persona(journey, persona)
    mine = entries[entries["persona_id"] == pid].reset_index(drop=True)
    person = journey.personas.set_index("id").loc[pid]

    quads = _layout_quadrants(mine, width)
    reserve = _RADIUS + 10 - _GUTTER / 2  # free band around the centre line, for the persona
    top_h = max(_PAD + _HEADER + q.stack for q in quads[:2]) + max(reserve, _PAD)
    bottom_h = max(reserve, _PAD + _HEADER) + max(q.stack for q in quads[2:]) + _PAD
    natural = _MARGIN + top_h + _GUTTER + bottom_h + _MARGIN
    asked = c_check_height(height)
    if asked is not None and asked < round(natural):
        raise ValidationError(
            f"must be None or at least {round(natural)} pixels: the notes need that height",
            column="height",
            value=asked,
        )
    extra = 0.0 if asked is None else (asked - natural) / 2
    top_h, bottom_h = top_h + extra, bottom_h + extra
    total = natural + 2 * extra
    center_y = _MARGIN + top_h + _GUTTER / 2  # y grows downwards here; flipped when drawn

    fig = styled_figure(
        title=journey.name or "Empathy map",
        width=width,
        height=int(total),
        tools="save",
        toolbar_location="above",
        x_range=Range1d(start=0, end=width),
        y_range=Range1d(start=0, end=total),
        name="empathy_map",
    )
    fig.frame_height = round(total)
    if responsive:  # the x range stretches with the page; the text keeps its pixel size
        fig.sizing_mode, fig.min_width = "stretch_width", width
    else:
        fig.frame_width = width
    fig.min_border = 0
    fig.axis.visible = False
    fig.grid.visible = False
    fig.toolbar.autohide = True
    heading(fig).offset = _MARGIN  # type: ignore[attr-defined]  # Title.offset exists; Bokeh's .pyi omits it
    subtitle = _subtitle(journey, str(person["name"]), len(mine))
    fig.add_layout(
        Title(
            text=PlainText(text=subtitle),
            text_font=FONT,
            text_color=MUTED,
            text_font_size="12px",
            text_font_style="normal",
            offset=_MARGIN,  # type: ignore[call-arg]  # as above: Title.offset, missing from Bokeh's .pyi
        ),
        "above",
    )

    def flip(y: float) -> float:
        return total - y

    _draw_quadrants(fig, quads, top_h, bottom_h, reserve, flip)
    _draw_notes(fig, quads, top_h, reserve, flip)
    _draw_persona(fig, person, width / 2, flip(center_y))
    return fig


# -- persona ----------------------------------------------------------------------------------
def _pick_persona(journey: Journey, persona: str | None) -> str:
    if persona is not None:
        if not isinstance(persona, str):
            raise ValidationError(
                "must be one persona id or name (a string)", column="persona", value=persona
            )
        return resolve_personas(journey, persona)[0]
    used = set(journey.empathy["persona_id"].dropna())
    for pid in journey.personas["id"]:
        if pid in used:
            return str(pid)
    raise ValidationError("no empathy entry belongs to a persona of the journey", frame="empathy")


def _subtitle(journey: Journey, name: str, n: int) -> str:
    with_entries = set(journey.empathy["persona_id"].dropna())
    others = [p for p in journey.personas["id"] if p in with_entries]
    title = (journey.name or "").lower()
    parts = [] if "empathy" in title else ["Empathy map"]
    parts += [] if name.lower() in title else [name]
    parts.append(f"{n} {'entry' if n == 1 else 'entries'}")
    if len(others) > 1:
        parts.append(f"{len(others)} personas have entries: choose with persona=")
    parts.append("dashed = assumed (workshop, hypothesis)")
    parts.append("hover a note for its full text and source")
    return " · ".join(parts)


def _persona_detail(person: pd.Series) -> str:
    parts = []
    for field in ("age", "occupation"):
        value = person.get(field)
        if not _is_missing(value) and str(value).strip():
            parts.append(str(value).strip())
    return " · ".join(parts)


# -- layout -----------------------------------------------------------------------------------
def _wrap(value: str, chars: int, max_lines: int = _MAX_LINES) -> list[str]:
    lines = textwrap.wrap(value, chars, break_long_words=True, break_on_hyphens=True) or [MISSING]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last if len(last) < chars else last[: chars - 1]).rstrip() + "…"
    return lines


def _layout_quadrants(mine: pd.DataFrame, width: int) -> list[_Quadrant]:
    quad_w = (width - 2 * _MARGIN - _GUTTER) / 2
    lefts = (_MARGIN, _MARGIN + quad_w + _GUTTER)
    quads = []
    for i, key in enumerate(EMPATHY_QUADRANTS):
        left = lefts[i % 2]
        notes = mine[mine["quadrant"] == key].reset_index(drop=True)
        q = _Quadrant(key, left, left + quad_w, "left" if i % 2 == 0 else "right", notes)
        q.cols = 2 if quad_w >= 360 else 1
        q.note_w = (quad_w - 2 * _PAD - (q.cols - 1) * _NOTE_GAP) / q.cols
        chars = max(int((q.note_w - 2 * _NOTE_PAD) / _CHAR_PX), 8)
        labels = ["\n".join(_wrap(t, chars)) for t in text(notes["text"])]
        q.notes = notes.assign(label=labels)
        heights = [2 * _NOTE_PAD + _LINE * (lab.count("\n") + 1) + _FOOTER for lab in labels]
        rows = [max(heights[r : r + q.cols]) for r in range(0, len(heights), q.cols)]
        q.heights = tuple(rows)
        q.stack = sum(rows) + _NOTE_GAP * max(len(rows) - 1, 0) if rows else 40.0
        quads.append(q)
    return quads


# -- drawing -----------------------------------------------------------------------------------
def _tint(color: str, amount: float) -> str:
    """``color`` mixed with white: ``amount`` 0 is white, 1 the colour itself."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * amount) for c in (r, g, b)]
    return "#{:02x}{:02x}{:02x}".format(*mix)


def _text_kwargs(size: str, color: str, style: str = "normal") -> dict[str, Any]:
    return {
        "text_font": literal(FONT),
        "text_font_size": size,
        "text_color": color,
        "text_font_style": style,
    }


def _draw_quadrants(
    fig: Any, quads: list[_Quadrant], top_h: float, bottom_h: float, reserve: float, flip: Any
) -> None:
    rows: dict[str, list[Any]] = {
        k: [] for k in ("quadrant", "title", "prompt", "left", "right", "top", "bottom")
    }
    rows |= {k: [] for k in ("fill", "accent", "tx", "ty", "py", "align", "count")}
    for i, q in enumerate(quads):
        top = _MARGIN if i < 2 else _MARGIN + top_h + _GUTTER
        bottom = top + (top_h if i < 2 else bottom_h)
        # Top quadrants have their title at the top; bottom ones just below the persona band.
        title_top = top + _PAD if i < 2 else top + max(reserve - _HEADER, 0) + _PAD / 2
        rows["quadrant"].append(q.key)
        rows["title"].append(QUADRANT_TITLES[q.key].upper())
        rows["prompt"].append(_PROMPTS.get(q.key, ""))
        rows["count"].append(f"{len(q.notes)} {'entry' if len(q.notes) == 1 else 'entries'}")
        rows["left"].append(q.left)
        rows["right"].append(q.right)
        rows["top"].append(flip(top))
        rows["bottom"].append(flip(bottom))
        rows["fill"].append(_tint(_ACCENTS.get(q.key, MUTED), 0.07))
        rows["accent"].append(_ACCENTS.get(q.key, MUTED))
        rows["tx"].append(q.left + _PAD if q.align == "left" else q.right - _PAD)
        rows["ty"].append(flip(title_top))
        rows["py"].append(flip(title_top + 22))
        rows["align"].append(q.align)
    source = ColumnDataSource(data=rows, name="empathy_quadrants")
    fig.quad(
        left="left", right="right", top="top", bottom="bottom", source=source,
        fill_color="fill", line_color="accent", line_alpha=0.35, line_width=1, border_radius=10,
    )  # fmt: skip
    fig.text(
        x="tx", y="ty", text="title", source=source, text_align="align", text_baseline="top",
        name="empathy_quadrant_titles", **_text_kwargs("16px", TEXT, "bold"),
    )  # fmt: skip
    fig.text(
        x="tx", y="py", text="prompt", source=source, text_align="align", text_baseline="top",
        **_text_kwargs("12px", MUTED, "italic"),
    )  # fmt: skip
    # A coloured bar under each title ties the quadrant to its notes' accent colour.
    bar_l = [x if a == "left" else x - 36 for x, a in zip(rows["tx"], rows["align"], strict=True)]
    fig.quad(
        left=bar_l, right=[x + 36 for x in bar_l], top=[y + 4 for y in rows["ty"]],
        bottom=[y + 1 for y in rows["ty"]], fill_color=rows["accent"], line_color=None,
    )  # fmt: skip
    # Empty quadrants say so, so a blank canvas reads as "to fill in".
    empty = [i for i, q in enumerate(quads) if q.notes.empty]
    if empty:
        fig.text(
            x=[(quads[i].left + quads[i].right) / 2 for i in empty],
            y=[rows["py"][i] - 34 for i in empty],
            text=["No entries yet"] * len(empty), text_align="center", text_baseline="top",
            **_text_kwargs("12px", MUTED, "italic"),
        )  # fmt: skip


def _draw_notes(fig: Any, quads: list[_Quadrant], top_h: float, reserve: float, flip: Any) -> None:
    cols: dict[str, list[Any]] = {
        k: []
        for k in (
            "id",
            "quadrant",
            "text",
            "source",
            "basis",
            "label",
            "footer",
            "left",
            "right",
            "top",
            "bottom",
        )
    }
    cols |= {k: [] for k in ("fill", "accent", "dash", "tx", "ty", "fy", "strip")}
    for i, q in enumerate(quads):
        y = _MARGIN + _PAD + _HEADER if i < 2 else _MARGIN + top_h + _GUTTER + max(reserve, _PAD + _HEADER)
        for r, row_h in enumerate(q.heights):
            for c in range(q.cols):
                n = r * q.cols + c
                if n >= len(q.notes):
                    break
                note = q.notes.iloc[n]
                src = None if _is_missing(note["source"]) else str(note["source"])
                assumed = src is not None and src.strip().lower() in ASSUMED_SOURCES
                left = q.left + _PAD + c * (q.note_w + _NOTE_GAP)
                cols["id"].append(str(note["id"]))
                cols["quadrant"].append(QUADRANT_TITLES[q.key])
                cols["text"].append(text([note["text"]])[0])
                cols["source"].append(src if src is not None else MISSING)
                cols["basis"].append("assumed" if assumed else ("measured" if src else MISSING))
                cols["label"].append(note["label"])
                cols["footer"].append(f"{src or 'no source'}{' · assumed' if assumed else ''}")
                cols["left"].append(left)
                cols["right"].append(left + q.note_w)
                cols["strip"].append(left + 4)
                cols["top"].append(flip(y))
                cols["bottom"].append(flip(y + row_h))
                cols["fill"].append(_tint(_ACCENTS.get(q.key, MUTED), 0.16))
                cols["accent"].append(_ACCENTS.get(q.key, MUTED))
                cols["dash"].append("dashed" if assumed else "solid")
                cols["tx"].append(left + _NOTE_PAD + 4)
                cols["ty"].append(flip(y + _NOTE_PAD))
                cols["fy"].append(flip(y + row_h - _NOTE_PAD + 2))
            y += row_h + _NOTE_GAP
    source = ColumnDataSource(data=cols, name="empathy_notes")
    notes = fig.quad(
        left="left", right="right", top="top", bottom="bottom", source=source, fill_color="fill",
        line_color="accent", line_width=1.2, line_dash="dash", border_radius=6, name="empathy_note_cards",
        hover_fill_color=BACKGROUND, hover_line_width=2, hover_line_color="accent",
    )  # fmt: skip
    # An accent strip down the left edge of each note.
    fig.quad(
        left="left", right="strip", top="top", bottom="bottom", source=source,
        fill_color="accent", line_color=None, border_radius={"top_left": 6, "bottom_left": 6},
    )  # fmt: skip
    fig.text(
        x="tx", y="ty", text="label", source=source, text_baseline="top", text_line_height=_LINE / 13,
        name="empathy_note_text", **_text_kwargs("13px", TEXT),
    )  # fmt: skip
    fig.text(
        x="tx", y="fy", text="footer", source=source, text_baseline="bottom", **_text_kwargs("11px", MUTED),
    )  # fmt: skip
    fig.add_tools(
        hover(
            [
                ("Quadrant", "quadrant"),
                ("Entry", "text"),
                ("Source", "source"),
                ("Basis", "basis"),
                ("Id", "id"),
            ],
            [notes],
        )
    )


def _draw_persona(fig: Any, person: pd.Series, x: float, y: float) -> None:
    # Screen units: a responsive canvas stretches x, and the circle must stay round.
    round_ = {"x": [x], "y": [y], "radius_units": "screen"}
    fig.circle(**round_, radius=_RADIUS + 6, fill_color=BACKGROUND, line_color=None)
    fig.circle(**round_, radius=_RADIUS, fill_color="#f6f8fa", line_color=GRID, line_width=2)
    name_lines = _wrap(str(person["name"]), 14, 2)
    detail = _persona_detail(person)
    detail_lines = _wrap(detail, 22, 2) if detail else []
    block = 19 * len(name_lines) + (4 + 15 * len(detail_lines) if detail_lines else 0)
    top = y + block / 2
    fig.text(
        x=[x], y=[top], text=["\n".join(name_lines)], text_align="center", text_baseline="top",
        text_line_height=19 / 15, name="empathy_persona", **_text_kwargs("15px", TEXT, "bold"),
    )  # fmt: skip
    if detail_lines:
        fig.text(
            x=[x], y=[top - 19 * len(name_lines) - 4], text=["\n".join(detail_lines)], text_align="center",
            text_baseline="top", text_line_height=15 / 11, **_text_kwargs("11px", MUTED),
        )  # fmt: skip
