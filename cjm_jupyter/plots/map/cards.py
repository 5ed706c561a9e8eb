"""Text lanes of the journey map: cards stacked in their stage or touchpoint cell.

Each lane is built from an *items* frame (``stage_pos``, ``slot``, ``main``,
``note`` and hover columns), laid out by :func:`layout_cards` and drawn with
one quad glyph and two text glyphs over a single ColumnDataSource.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from bokeh.models import ColumnDataSource, HoverTool, Plot, Quad, Range1d

from ...model.placement import place_of_rows
from .. import theme
from .._models import GlyphRenderer
from .emotions import outline_color
from .grid import CARD_FONT_PX, LINE_PX, layout_cards, numbers, text_rows, texts
from .lanes import MapContext, add_glyph, lane_figure, text_glyph

__all__ = [
    "CardStyle",
    "action_items",
    "card_lane",
    "custom_lane_items",
    "customer_action_items",
    "opportunity_items",
    "pain_point_items",
    "thought_items",
]

#: Card colours by pain-point severity 1..5 (light to dark orange: lightness
#: carries the order, so it reads without hue), and their text colours.
SEVERITY_FILLS = ("#fff4e6", "#fee0b6", "#fdb863", "#f39b3f", "#d36b12")
SEVERITY_TEXT = (theme.TEXT, theme.TEXT, theme.TEXT, theme.TEXT, "#ffffff")
#: Outline colour per action status (Okabe-Ito hues; the status is also written).
STATUS_COLORS = {
    "planned": "#56B4E9",
    "in_progress": "#0072B2",
    "done": "#009E73",
    "blocked": "#D55E00",
    "dropped": theme.MUTED,
}
OPPORTUNITY_FILL = "#efedf7"
OPPORTUNITY_LINE = "#8073ac"


@dataclass(frozen=True)
class CardStyle:
    """How a card lane draws: lines shown, fonts, hover fields."""

    tooltips: Sequence[tuple[str, str]]
    #: Lines of the main text shown unless the map prints text in full; the
    #: hover has the rest. Notes (severity, impact, owner) are never cut.
    main_lines: int = 6
    note_lines: int | None = None
    main_font_style: str = "normal"
    #: Item columns of short texts drawn under the note, each in the colour
    #: of its ``<extra>_color`` column (see :func:`layout_cards`).
    extras: tuple[str, ...] = ()


def card_lane(
    ctx: MapContext,
    key: str,
    title: str,
    items: pd.DataFrame,
    style: CardStyle,
    hover: ColumnDataSource | None = None,
    offset: float = 0.0,
) -> Plot:
    """Draw a text lane whose height follows its tallest column of cards.

    ``offset`` lines are left free above the cards (the caller draws there).

    With ``hover``, a source holding the hover fields of the rows the items'
    ``row`` column points at (the emotion points for the thoughts), the cards
    are hovered through an invisible copy of them drawn from that source, so
    the texts are not sent twice.
    """
    full = ctx.full_text
    cards, height = layout_cards(
        items,
        ctx.grid,
        main_lines=None if full else style.main_lines,
        note_lines=None if full else style.note_lines,
        main_font_style=style.main_font_style,
        extras=style.extras,
        extra_lines=None if full else 2,
        offset=offset,
    )
    # Wrapped texts, their places and colours live in the text sources only.
    text_only = _TEXT_ONLY | {f"{e}{k}" for e in style.extras for k in ("", "_text", "_y", "_color")}
    data = {
        c: (cards[c].to_numpy() if cards[c].dtype.kind in "fiu" else texts(cards[c]))
        for c in cards.columns
        if c not in text_only
    }
    source = ColumnDataSource(data, name=key)
    p = lane_figure(ctx, key, title, round(height * LINE_PX), Range1d(start=height, end=0))
    quads = add_glyph(
        p,
        source,
        Quad(
            left="left",
            right="right",
            top="top",
            bottom="bottom",
            fill_color="fill",
            fill_alpha="fill_alpha",
            line_color="line",
            line_width=1.2,
            # Bokeh's stub types border_radius as Property[...] (core/property_aliases.pyi),
            # not the pixels it takes.
            border_radius=4,  # type: ignore[arg-type]
        ),
    )
    x = cards["text_x"]
    _card_text(
        p,
        f"{key}_text",
        x,
        cards["main_y"],
        cards["main_text"],
        cards["text_color"],
        f"{CARD_FONT_PX:g}px",
        style.main_font_style,
    )
    if any(cards["note_text"]):
        _card_text(
            p, f"{key}_note", x, cards["note_y"], cards["note_text"], cards["note_color"], "10px", "normal"
        )
    for e in style.extras:
        if any(cards[f"{e}_text"]):
            colors = cards[f"{e}_color"] if f"{e}_color" in cards else pd.Series([theme.MUTED] * len(cards))
            _card_text(p, f"{key}_{e}", x, cards[f"{e}_y"], cards[f"{e}_text"], colors, "10px", "normal")
    if hover is not None:
        quads = _hover_cards(p, cards, hover)
    p.add_tools(HoverTool(renderers=[quads], tooltips=list(style.tooltips)))
    return p


def _hover_cards(p: Plot, cards: pd.DataFrame, hover: ColumnDataSource) -> GlyphRenderer:
    """Draw invisible cards from ``hover`` (NaN where a row has no card): the hover target."""
    n = len(hover.data["x"])
    rows = cards["row"].to_numpy(dtype=int)
    for side in ("left", "right", "top", "bottom"):
        column = np.full(n, np.nan)
        column[rows] = cards[side].to_numpy(dtype=float)
        hover.data[f"card_{side}"] = column
    glyph = Quad(
        left="card_left",
        right="card_right",
        top="card_top",
        bottom="card_bottom",
        fill_alpha=0.0,
        line_alpha=0.0,
    )
    return add_glyph(p, hover, glyph)


#: Card columns drawn by the text glyphs, left out of the card source.
_TEXT_ONLY = frozenset(
    ("main", "note", "main_text", "note_text", "text_x", "main_y", "note_y", "text_color", "note_color")
)


def _card_text(
    p: Plot, name: str, x: pd.Series, y: pd.Series, text: pd.Series, color: pd.Series, size: str, style: str
) -> None:
    """Draw one text of every card with one Text glyph (one row per line).

    The colour is a column only when the cards differ, else a plain value.
    """
    colors = texts(color)
    uniform = len(set(colors)) <= 1
    extra = {} if uniform else {"color": colors}
    rows = text_rows(x, y, list(text), **extra)
    text_color = (colors[0] if colors else theme.TEXT) if uniform else "color"
    text_glyph(p, rows, name, text_color=text_color, text_font_size=size, text_font_style=style)


def _base(placed: pd.DataFrame, ctx: MapContext, main: Sequence[str], note: Sequence[str]) -> pd.DataFrame:
    """Return an items frame: place, texts, stage/touchpoint names and default colours."""
    grid = ctx.grid
    stage_names = np.append(grid.stages["name"].astype(object).to_numpy(), "")
    tp_names = dict(zip(grid.touchpoints["slot"], texts(grid.touchpoints["name"]), strict=True))
    n = len(placed)
    return pd.DataFrame(
        {
            "stage_pos": placed["stage_pos"].to_numpy(dtype=int),
            "slot": placed["slot"].to_numpy(dtype=float),
            "main": list(main),
            "note": list(note),
            "stage": list(stage_names[placed["stage_pos"].to_numpy(dtype=int)]),
            "touchpoint": [tp_names.get(s, "") for s in placed["slot"]],
            "fill": ["#ffffff"] * n,
            "fill_alpha": np.ones(n),
            "line": [theme.GRID] * n,
            "text_color": [theme.TEXT] * n,
            "note_color": [theme.MUTED] * n,
        }
    )


def _persona_names(ctx: MapContext, ids: pd.Series) -> list[str]:
    names = dict(zip(ctx.personas["id"].fillna(""), ctx.personas["name"], strict=True))
    return [
        names.get(i, "") if isinstance(i, str) else "" for i in ids.astype(object).where(ids.notna(), None)
    ]


def customer_action_items(ctx: MapContext) -> tuple[pd.DataFrame, CardStyle]:
    """Return the cards of what the customer does at each touchpoint (the touchpoints' ``action``)."""
    tps = ctx.grid.touchpoints
    tps = tps.loc[tps["action"].notna() & (tps["action"].astype(object) != "")]
    placed = pd.DataFrame({"stage_pos": tps["stage_pos"], "slot": tps["slot"].astype(float)})
    items = _base(placed, ctx, texts(tps["action"]), [""] * len(tps))
    items = items.assign(action=texts(tps["action"]), fill_alpha=0.0, line="#ffffff")
    tooltips = [("Action", "@action"), ("Touchpoint", "@touchpoint"), ("Stage", "@stage")]
    return items, CardStyle(tooltips, main_lines=6)


def thought_items(ctx: MapContext, emotions: pd.DataFrame) -> tuple[pd.DataFrame, CardStyle]:
    """Return the cards of the emotions' ``thought`` quotes, tinted by the emotion score.

    The items keep only the cards' places and colours, and ``row``, the
    emotion's position in ``emotions``: the hover fields are the emotion
    points' (see :func:`card_lane`'s ``hover``).
    """
    has = (emotions["thought"].notna() & (emotions["thought"].astype(object) != "")).to_numpy()
    emo = emotions.loc[has]
    thought = texts(emo["thought"])
    note = _persona_names(ctx, emo["persona_id"]) if ctx.group else [""] * len(emo)
    items = _base(ctx.grid.place(emo), ctx, [f"“{t}”" for t in thought], note)
    score = numbers(emo["score"])
    items = items.drop(columns=["stage", "touchpoint"]).assign(
        row=np.flatnonzero(has),
        fill=[theme.emotion_color(s) for s in score],
        fill_alpha=0.14,
        line=[outline_color(v) for v in score],
    )
    tooltips = [
        ("Quote", "@thought"),
        ("Persona", "@persona"),
        ("Feeling", "@feeling"),
        ("Touchpoint", "@touchpoint"),
        ("Stage", "@stage"),
        ("Source", "@source"),
        ("Basis", "@basis"),
        ("n", "@n"),
    ]
    return items, CardStyle(tooltips, main_lines=6, main_font_style="italic")


def pain_point_items(ctx: MapContext, pains: pd.DataFrame) -> tuple[pd.DataFrame, CardStyle]:
    """Return the pain points' cards; a card darkens with severity, which is also written."""
    severity = numbers(pains["severity"])
    level = np.where(np.isnan(severity), 0, np.clip(severity, 1, 5) - 1).astype(int)
    note = [f"severity {int(s)}/5" if not np.isnan(s) else "" for s in severity]
    items = _base(ctx.grid.place(pains), ctx, texts(pains["description"]), note)
    dark = ~np.isnan(severity) & (level == 4)
    items = items.assign(
        description=texts(pains["description"]),
        persona=_persona_names(ctx, pains["persona_id"]),
        severity=[t or "—" for t in texts(pains["severity"])],
        frequency=[t or "—" for t in texts(pains["frequency"])],
        evidence=texts(pains["evidence"]),
        source=texts(pains["source"]),
        basis=texts(pains["basis"]),
        fill=[
            SEVERITY_FILLS[i] if not np.isnan(s) else "#f6f8fa" for i, s in zip(level, severity, strict=True)
        ],
        line=[SEVERITY_FILLS[min(i + 1, 4)] for i in level],
        text_color=[SEVERITY_TEXT[i] for i in level],
        note_color=np.where(dark, "#ffffff", theme.MUTED).tolist(),
    )
    tooltips = [
        ("Pain point", "@description"),
        ("Severity", "@severity"),
        ("Frequency", "@frequency"),
        ("Evidence", "@evidence"),
        ("Persona", "@persona"),
        ("Touchpoint", "@touchpoint"),
        ("Stage", "@stage"),
        ("Source", "@source"),
        ("Basis", "@basis"),
    ]
    return items, CardStyle(tooltips, main_lines=6)


def opportunity_places(ctx: MapContext, opps: pd.DataFrame, pains: pd.DataFrame) -> pd.DataFrame:
    """Place each opportunity: at its own place, else at its pain point's place.

    See :func:`~cjm_jupyter.model.placement.place_of_rows`.
    """
    frames = {"touchpoints": ctx.grid.touchpoints, "pain_points": pains, "opportunities": opps}
    return ctx.grid.place(place_of_rows(frames, "opportunities"))


def opportunity_items(
    ctx: MapContext, opps: pd.DataFrame, pains: pd.DataFrame
) -> tuple[pd.DataFrame, CardStyle]:
    """Return the cards of improvement ideas, at their stage, touchpoint or pain point."""
    impact, effort = texts(opps["impact"]), texts(opps["effort"])
    note = [
        " · ".join(p for p in (f"impact {i}" if i else "", f"effort {e}" if e else "") if p)
        for i, e in zip(impact, effort, strict=True)
    ]
    items = _base(opportunity_places(ctx, opps, pains), ctx, texts(opps["description"]), note)
    pain_text = dict(zip(pains["id"].astype(object), texts(pains["description"]), strict=True))
    items = items.assign(
        description=texts(opps["description"]),
        pain_point=[pain_text.get(i, "") for i in opps["pain_point_id"].astype(object)],
        impact=[t or "—" for t in impact],
        effort=[t or "—" for t in effort],
        fill=OPPORTUNITY_FILL,
        line=OPPORTUNITY_LINE,
    )
    tooltips = [
        ("Opportunity", "@description"),
        ("Impact", "@impact"),
        ("Effort", "@effort"),
        ("Pain point", "@pain_point"),
        ("Touchpoint", "@touchpoint"),
        ("Stage", "@stage"),
    ]
    return items, CardStyle(tooltips, main_lines=6)


def action_items(
    ctx: MapContext, actions: pd.DataFrame, opps: pd.DataFrame, pains: pd.DataFrame
) -> tuple[pd.DataFrame, CardStyle]:
    """Return the action plan's cards: at the action's stage, else at its opportunity's stage."""
    frames = {"touchpoints": ctx.grid.touchpoints, "pain_points": pains, "opportunities": opps}
    frames["actions"] = actions
    stage = place_of_rows(frames, "actions")["stage_id"]
    pos = stage.map(ctx.grid.stage_pos).astype(float).fillna(-1).astype(int)
    placed = pd.DataFrame({"stage_pos": pos, "slot": np.nan})
    status = texts(actions["status"])
    owner = texts(actions["owner"])
    note = [" · ".join(p for p in (o, s.replace("_", " ")) if p) for o, s in zip(owner, status, strict=True)]
    items = _base(placed, ctx, texts(actions["description"]), note)
    opp_text = dict(zip(opps["id"].astype(object), texts(opps["description"]), strict=True))
    due = pd.to_datetime(actions["due"]).dt.strftime("%Y-%m-%d")
    items = items.assign(
        description=texts(actions["description"]),
        owner=[o or "—" for o in owner],
        status=[s.replace("_", " ") for s in status],
        due=[d or "—" for d in texts(due)],
        opportunity=[opp_text.get(i, "") for i in actions["opportunity_id"].astype(object)],
        line=[STATUS_COLORS.get(s, theme.MUTED) for s in status],
    )
    tooltips = [
        ("Action", "@description"),
        ("Owner", "@owner"),
        ("Status", "@status"),
        ("Due", "@due"),
        ("Opportunity", "@opportunity"),
        ("Stage", "@stage"),
    ]
    return items, CardStyle(tooltips, main_lines=6)


def custom_lane_items(ctx: MapContext, cells: pd.DataFrame, lane: str) -> tuple[pd.DataFrame, CardStyle]:
    """Return a custom lane's cards: one text cell per stage."""
    rows = cells.loc[(cells["lane"] == lane).fillna(False) & cells["text"].notna()]
    rows = rows.loc[rows["text"].astype(object) != ""]
    items = _base(ctx.grid.place(rows[["stage_id"]]), ctx, texts(rows["text"]), [""] * len(rows))
    items = items.assign(text=texts(rows["text"]), lane=lane)
    tooltips = [("Lane", "@lane"), ("Stage", "@stage"), ("Text", "@text")]
    return items, CardStyle(tooltips, main_lines=8)
