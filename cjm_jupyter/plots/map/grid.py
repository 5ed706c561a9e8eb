"""Geometry of the journey map: touchpoint slots, stage spans and text cards.

The x axis of every lane counts *slots*: each touchpoint owns one slot of
width 1, laid out left to right inside its stage, and a stage without
touchpoints still owns one empty slot. The y axis of a text lane counts
*lines*, so a lane's pixel height follows from how many lines its tallest
column of cards needs: lanes grow with their content instead of overlapping.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from unicodedata import east_asian_width

import numpy as np
import pandas as pd
from bokeh.models import Range1d

from ...model.placement import stage_of
from .._layout import SlotLayout

__all__ = [
    "CARD_FONT_PX",
    "FULL",
    "GUTTER_PX",
    "MIN_SLOT_PX",
    "LINE_PX",
    "RIGHT_PX",
    "MapGrid",
    "build_grid",
    "layout_cards",
    "numbers",
    "text_em",
    "text_rows",
    "texts",
    "wrap",
]

#: Pixels per text line (the y unit of text lanes).
LINE_PX = 15
#: Left margin of every lane, holding the lane titles (wrapped to it) and the
#: emotion scale; equal in every lane so that the stage columns line up.
GUTTER_PX = 128
RIGHT_PX = 8
#: Narrowest a touchpoint slot gets when the map is responsive: text is
#: wrapped for it, and a 10 px card line of it (64 px) holds a 12-letter word
#: such as "confirmation" whole. 11 slots (the Colleen map) and the margins
#: take 928 px, inside JupyterLab's 968 px output area beside the file browser.
MIN_SLOT_PX = 72.0
#: Widest slot text is wrapped for: a small journey wraps its text wider (it has
#: the room), and the map still stretches to the output area.
MAX_SLOT_PX = 150.0
#: The plot width a responsive map is laid out for (JupyterLab's output area
#: beside the file browser, less its padding): the slots share it down to
#: :data:`MIN_SLOT_PX`; narrower output areas scroll.
TARGET_PLOT_PX = 940.0
#: Font size of the cards' main text, in pixels (notes and extras: 10 px).
CARD_FONT_PX = 10.0
#: Inner padding of a card and the gap beside it, in pixels, and spacing
#: between cards, in lines.
PAD_PX = 3.0
CARD_MARGIN_PX = 1.0
CARD_PAD = 0.3
CARD_GAP = 0.35
#: Lines shown of a text that is not printed in full (``full_text=False``);
#: the hover has the rest.
FULL = 10_000


@dataclass(frozen=True)
class MapGrid:
    """Where every stage and touchpoint sits on the shared x axis.

    Attributes
    ----------
    stages : DataFrame
        The stages in journey order with ``start``, ``end`` and ``center``
        (slot units) and ``n_touchpoints``.
    touchpoints : DataFrame
        The touchpoints in journey order with ``stage_pos`` (index of their
        stage), ``stage_name``, ``slot`` and ``x`` (slot centre).
    n_slots : int
        Number of slots (at least 1).
    slot_px : float
        Width of one slot in pixels: the width text is wrapped for. A
        responsive map (``responsive``) is at least this wide and stretches
        to the output area, which only adds room.
    x_range : Range1d
        The x range shared by every lane.
    layout : SlotLayout
        The stages and slots shared with the focused plots (a touchpoint is
        drawn at ``slot + 0.5`` here).
    """

    stages: pd.DataFrame
    touchpoints: pd.DataFrame
    n_slots: int
    slot_px: float
    x_range: Range1d
    layout: SlotLayout
    responsive: bool = False

    @property
    def plot_px(self) -> int:
        """Width of a lane, lane titles included.

        The fixed width, or the least a responsive map stretches down to.
        """
        return self.frame_px + GUTTER_PX + RIGHT_PX

    @property
    def frame_px(self) -> int:
        """Width of a lane's plotting area in pixels."""
        return max(1, round(self.n_slots * self.slot_px))

    @property
    def stage_pos(self) -> dict[str, int]:
        """Stage id -> index of the stage in journey order."""
        return dict(zip(self.stages["id"], range(len(self.stages)), strict=True))

    def place(self, df: pd.DataFrame) -> pd.DataFrame:
        """Locate rows that refer to a stage and/or a touchpoint.

        Parameters
        ----------
        df : DataFrame
            Rows with ``stage_id`` and/or ``touchpoint_id`` columns.

        Returns
        -------
        DataFrame
            Same index, with ``stage_pos`` (int, -1 when the row has no
            place), ``slot`` (float, NaN for a stage-level row) and ``x``.
        """
        tp = self.touchpoints.set_index("id")
        tp_ids = _column(df, "touchpoint_id")
        slot = tp_ids.map(tp["slot"]).astype(float)
        stage = stage_of(self.touchpoints, stage_id=_column(df, "stage_id"), touchpoint_id=tp_ids)
        stage_pos = stage.map(self.stage_pos).astype(float)
        centers = self.stages["center"].to_numpy(dtype=float)
        pos = stage_pos.fillna(-1).astype(int)
        x = np.where(slot.notna(), slot + 0.5, np.where(pos >= 0, centers[pos.clip(lower=0)], np.nan))
        return pd.DataFrame({"stage_pos": pos, "slot": slot, "x": x}, index=df.index)


def _column(df: pd.DataFrame, name: str) -> pd.Series:
    if name in df.columns:
        return df[name].astype(object).where(df[name].notna(), None)
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def build_grid(stages: pd.DataFrame, touchpoints: pd.DataFrame, width: int | None) -> MapGrid:
    """Lay stages and touchpoints out on slots.

    Parameters
    ----------
    stages, touchpoints : DataFrame
        The journey's frames.
    width : int or None
        Total width of a lane in pixels, lane titles included; ``None``
        makes the map responsive: slots share :data:`TARGET_PLOT_PX`, each
        :data:`MIN_SLOT_PX` to :data:`MAX_SLOT_PX` wide.

    Returns
    -------
    MapGrid
    """
    stages = stages.sort_values("order", kind="stable").reset_index(drop=True)
    pos = dict(zip(stages["id"], range(len(stages)), strict=True))
    tps = touchpoints.assign(stage_pos=touchpoints["stage_id"].map(pos).astype(int))
    tps = tps.sort_values(["stage_pos", "order"], kind="stable").reset_index(drop=True)
    # The slots themselves come from the layout the focused plots share.
    layout = SlotLayout.build(
        pd.DataFrame({"key": stages["id"], "name": stages["name"]}),
        pd.DataFrame({"key": tps["id"], "stage_key": tps["stage_id"], "name": tps["name"]}),
    )
    spans = layout.stages
    stages = stages.assign(
        start=spans["start"].to_numpy(),
        end=spans["end"].to_numpy(),
        center=spans["center"].to_numpy(),
        n_touchpoints=spans["n_touchpoints"].to_numpy(),
    )
    slot_of = layout.touchpoint_slot()
    slot = np.array([slot_of[k] for k in tps["id"]], dtype=int)
    tps = tps.assign(slot=slot, x=slot + 0.5, stage_name=stages["name"].to_numpy()[tps["stage_pos"]])
    n_slots = layout.n_slots
    slot_px = _slot_px(n_slots, width)
    x_range = Range1d(start=0, end=n_slots, bounds=(0, n_slots))
    return MapGrid(stages, tps, n_slots, slot_px, x_range, layout, responsive=width is None)


def _slot_px(n_slots: int, width: int | None) -> float:
    if width is None:
        target = (TARGET_PLOT_PX - GUTTER_PX - RIGHT_PX) / n_slots
        return min(MAX_SLOT_PX, max(MIN_SLOT_PX, target))
    frame = width - GUTTER_PX - RIGHT_PX
    if frame < n_slots:
        raise ValueError(
            f"width={width} is too small: lane titles take {GUTTER_PX + RIGHT_PX} px "
            f"and each of the {n_slots} touchpoint slots needs at least 1 px"
        )
    return frame / n_slots


#: Advance widths in em of DejaVu Sans, the widest common sans-serif (so
#: text measured with it fits any of the theme's fonts), by character group.
_EM_GROUPS = {
    0.28: "'ijlIJ",
    0.33: " ,./:;\\|",
    0.36: "f-!",
    0.40: "()[]tr",
    0.48: '"*_`',
    0.54: "szc?",
    0.58: "LFkvxy",
    0.62: "PTYaoeESbdghnpqu$0123456789{}",
    0.69: "KAVBRXZC",
    0.76: "UHNDG&OQ",
    0.84: "w#+<=>^~M",
    0.98: "%mW@",
}
_EM = {c: em for em, group in _EM_GROUPS.items() for c in group}
_HYPHEN = re.compile(r"[^-]*-+|[^-]+")
#: Width of "…" in em.
_ELLIPSIS_EM = 1.0
#: Bold text is about 10 % wider.
_BOLD = 1.1


@lru_cache(maxsize=65536)
def text_em(text: str) -> float:
    """Estimate the width of ``text`` in em (wide East Asian characters: 1 em)."""
    return sum(_EM.get(c) or (1.0 if east_asian_width(c) in "WF" else 0.65) for c in text)


def wrap(text: str, width_px: float, max_lines: int, *, font_px: float = 11.0, bold: bool = False) -> str:
    """Word-wrap ``text`` to lines ``width_px`` wide, keeping at most ``max_lines``.

    Widths are estimated per character (see :func:`text_em`), so wrapping
    needs no browser. Lines break at spaces and after a word's own hyphens;
    only a word wider than a whole line is hyphenated. Text cut at
    ``max_lines`` ends with "…" (the full text belongs in the hover). A cell
    narrower than three average characters shows nothing.
    """
    em = font_px * (_BOLD if bold else 1.0)
    limit = width_px / em  # line width in em
    if limit < 3 * 0.6 or max_lines < 1 or not text:
        return ""
    space = _EM[" "]
    lines: list[str] = []
    line, line_em = "", 0.0
    # Words break after their own hyphens first ("Post-|purchase").
    pieces = (
        (" " if k == 0 else "", part) for word in text.split() for k, part in enumerate(_HYPHEN.findall(word))
    )
    for sep, word in pieces:
        word_em = text_em(word)
        while word_em > limit:  # hyphenate a piece wider than a line
            if line:
                lines.append(line)
                line, line_em = "", 0.0
            head = _fit(word, limit - _EM["-"])
            lines.append(head + "-")
            word = word[len(head) :]
            word_em = text_em(word)
        gap = space if sep else 0.0
        if not line:
            line, line_em = word, word_em
        elif line_em + gap + word_em <= limit:
            line, line_em = f"{line}{sep}{word}", line_em + gap + word_em
        else:
            lines.append(line)
            line, line_em = word, word_em
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _fit(lines[-1], limit - _ELLIPSIS_EM).rstrip() + "…"
    return "\n".join(lines)


def _fit(text: str, limit_em: float) -> str:
    """Return the longest prefix of ``text`` (at least one character) within ``limit_em``."""
    total = 0.0
    for i, c in enumerate(text):
        total += text_em(c)
        if total > limit_em:
            return text[: max(i, 1)]
    return text


def texts(values: Iterable[object] | pd.Series) -> list[str]:
    """Return strings for a ColumnDataSource: missing values become ``""``."""
    if isinstance(values, pd.Series):
        return values.astype(object).where(values.notna(), "").astype(str).tolist()
    return [
        "" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v) for v in values
    ]


def numbers(series: pd.Series) -> np.ndarray:
    """Return floats for a ColumnDataSource: missing values become NaN."""
    return pd.to_numeric(series, errors="coerce").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def layout_cards(
    items: pd.DataFrame,
    grid: MapGrid,
    *,
    main_lines: int | None = 4,
    note_lines: int | None = None,
    main_font_style: str = "normal",
    extras: Sequence[str] = (),
    extra_lines: int | None = 2,
    offset: float = 0.0,
) -> tuple[pd.DataFrame, float]:
    """Stack text cards in their cells without overlap.

    Stage-level cards (``slot`` NaN) span their stage and sit on top;
    touchpoint cards sit below them in their slot; cards without a place
    (``stage_pos`` -1) span the whole map at the bottom.

    Parameters
    ----------
    items : DataFrame
        ``stage_pos``, ``slot``, ``main`` and ``note`` (strings), plus any
        hover columns, which are kept.
    grid : MapGrid
    main_lines, note_lines : int or None
        Most lines shown of the main text and of the note (cut with "…");
        ``None``: every line, the card grows to hold it. Notes (severity,
        impact, owner and status) are short and carry meaning: by default
        they are never cut.
    main_font_style : str
        Font style of the main text ("bold" text is measured wider).
    extras : sequence of str
        Item columns of short texts shown below the note in the note's font,
        each on at most ``extra_lines`` lines (a metric's change and its
        target; ``None``: every line).
    offset : float
        Lines left free above the cards (for a per-stage summary).

    Returns
    -------
    cards : DataFrame
        The items with ``left``, ``right``, ``top``, ``bottom`` (the card),
        ``text_x``, ``main_y``, ``note_y`` and the wrapped ``main_text`` and
        ``note_text``; for each extra ``<extra>_text`` and ``<extra>_y``.
    height : float
        Lines the lane needs.
    """
    df = items.reset_index(drop=True)
    extra_columns = [f"{e}_{k}" for e in extras for k in ("text", "y")]
    if df.empty:
        return df.assign(**{c: [] for c in (*_CARD_COLUMNS, *extra_columns)}), 1.0 + offset
    left, right = _cell_bounds(df, grid)
    margin = min(CARD_MARGIN_PX / grid.slot_px, 0.08)
    left, right = left + margin, right - margin
    text_px = (right - left) * grid.slot_px - 2 * PAD_PX
    bold = main_font_style == "bold"
    main_n, note_n = main_lines or FULL, note_lines or FULL
    main = [
        wrap(t, w, main_n, font_px=CARD_FONT_PX, bold=bold) for t, w in zip(df["main"], text_px, strict=True)
    ]
    note = [wrap(t, w, note_n, font_px=10) for t, w in zip(df["note"], text_px, strict=True)]
    n_main = np.array([t.count("\n") + 1 if t else 0 for t in main])
    n_note = np.array([t.count("\n") + 1 if t else 0 for t in note])
    lines = n_main + n_note
    more: dict[str, object] = {}
    for e in extras:
        wrapped = [
            wrap(t, w, extra_lines or FULL, font_px=10) for t, w in zip(texts(df[e]), text_px, strict=True)
        ]
        n_extra = np.array([t.count("\n") + 1 if t else 0 for t in wrapped])
        more[f"{e}_text"], more[f"{e}_y"] = wrapped, lines  # y offset from the top, fixed below
        lines = lines + n_extra
    height = np.maximum(lines, 1) + 2 * CARD_PAD
    top = _stack(df, height) + offset
    for e in extras:
        more[f"{e}_y"] = top + CARD_PAD + np.asarray(more[f"{e}_y"])
    out = df.assign(
        left=left,
        right=right,
        top=top,
        bottom=top + height,
        text_x=left + PAD_PX / grid.slot_px,
        main_y=top + CARD_PAD,
        note_y=top + CARD_PAD + n_main,
        main_text=main,
        note_text=note,
        **more,
    )
    return out, float((top + height).max() + CARD_GAP)


_CARD_COLUMNS = ("left", "right", "top", "bottom", "text_x", "main_y", "note_y", "main_text", "note_text")


def _cell_bounds(df: pd.DataFrame, grid: MapGrid) -> tuple[np.ndarray, np.ndarray]:
    pos = df["stage_pos"].to_numpy(dtype=int)
    slot = df["slot"].to_numpy(dtype=float)
    starts = np.append(grid.stages["start"].to_numpy(dtype=float), 0.0)
    ends = np.append(grid.stages["end"].to_numpy(dtype=float), float(grid.n_slots))
    # Index -1 picks the appended whole-map span for rows without a place.
    left = np.where(np.isnan(slot), starts[pos], slot)
    right = np.where(np.isnan(slot), ends[pos], slot + 1)
    return left, right


def _stack(df: pd.DataFrame, height: np.ndarray) -> np.ndarray:
    """Return the top of each card: stage cards, then touchpoint cards, then unplaced."""
    step = pd.Series(height + CARD_GAP, index=df.index)
    stage_level = df["slot"].isna() & (df["stage_pos"] >= 0)
    tp_level = df["slot"].notna()
    unplaced = df["stage_pos"] < 0
    top = pd.Series(CARD_GAP, index=df.index, dtype=float)
    s = step[stage_level]
    top[stage_level] += s.groupby(df.loc[stage_level, "stage_pos"]).cumsum() - s
    block = s.groupby(df.loc[stage_level, "stage_pos"]).sum()
    t = step[tp_level]
    below = df.loc[tp_level, "stage_pos"].map(block).fillna(0.0)
    top[tp_level] += below + t.groupby(df.loc[tp_level, "slot"]).cumsum() - t
    placed = ~unplaced
    floor = float((top[placed] + height[placed.to_numpy()]).max()) if placed.any() else 0.0
    u = step[unplaced]
    top[unplaced] = floor + CARD_GAP + u.cumsum() - u
    return top.to_numpy()


def text_rows(x: object, y: object, text: Sequence[str], **columns: object) -> dict[str, object]:
    r"""Return data for a Text glyph drawing multi-line text one row per line.

    Line ``i`` of a text sits at ``y + i`` (y counts lines), so the spacing
    is exact whatever the browser's font metrics; empty texts are dropped.

    Parameters
    ----------
    x, y : array-like or scalar
        Position of each text's first line.
    text : sequence of str
        Texts, lines separated by ``"\n"``.
    **columns
        More per-text columns (colours, sizes), repeated for each line.
    """
    n = len(text)
    owner: list[int] = []
    offset: list[int] = []
    lines: list[str] = []
    for i, t in enumerate(text):
        if t:
            parts = t.split("\n")
            owner.extend([i] * len(parts))
            offset.extend(range(len(parts)))
            lines.extend(parts)
    idx = np.asarray(owner, dtype=int)
    out: dict[str, object] = {
        "x": np.broadcast_to(np.asarray(x, dtype=float), (n,))[idx],
        "y": np.broadcast_to(np.asarray(y, dtype=float), (n,))[idx] + np.asarray(offset, dtype=float),
        "text": lines,
    }
    for name, values in columns.items():
        arr = np.broadcast_to(np.asarray(values, dtype=object), (n,))
        out[name] = arr[idx].tolist()
    return out
