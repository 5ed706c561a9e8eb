"""Where stages and touchpoints sit along x in the focused plots, and their bands and axis.

A view of the shared :class:`~._layout.SlotLayout` (the map uses the same layout)
for the plots that put one slot per touchpoint or per stage along x: the emotion
curve, the segment and journey comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd
from bokeh.core.properties import value as literal
from bokeh.models import FixedTicker, PlainText
from bokeh.models.text import BaseText  # abstract: not re-exported by bokeh.models
from bokeh.plotting import figure

from ..errors import ValidationError
from ..model.placement import stage_of_rows
from ._common import BAND_FILLS, cds, truncate
from ._layout import SlotLayout
from .theme import FONT, MUTED

if TYPE_CHECKING:
    from ..model import Journey

__all__ = [
    "StageSlots",
    "draw_stage_bands",
    "match_journey_nodes",
    "require_stages",
    "slot_x_axis",
    "slots_from",
    "stage_slots",
    "touchpoint_slots",
    "touchpoint_table",
]


class StageSlots:
    """Where stages and touchpoints sit along x in the focused plots.

    A view of the shared :class:`~._layout.SlotLayout` (the map's too) with
    slot centres on whole numbers: slot ``i`` is drawn at ``x = i``.

    Attributes
    ----------
    layout : SlotLayout
        The shared layout.
    slots : DataFrame
        One row per slot (a touchpoint, or a stage without touchpoints):
        ``stage_key``, ``stage``, ``touchpoint_key``, ``touchpoint``, ``x``.
    bands : DataFrame
        One row per stage in order: ``stage_key``, ``stage``, ``left``,
        ``right``, ``center``, ``fill``.
    """

    def __init__(self, layout: SlotLayout) -> None:
        self.layout = layout
        columns = ["stage_key", "stage", "touchpoint_key", "touchpoint"]
        # Rebuilt from lists as before: a missing touchpoint reads NaN, as the plots expect.
        slots = pd.DataFrame({c: layout.slots[c].tolist() for c in columns}, columns=columns).astype(object)
        slots["x"] = layout.slots["slot"].to_numpy(dtype="float64")
        self.slots = slots
        st = layout.stages
        # Slot i spans [i - 0.5, i + 0.5] here: the layout's units shifted by half a slot.
        left = st["start"].to_numpy(dtype="float64") - 0.5
        right = st["end"].to_numpy(dtype="float64") - 0.5
        self.bands = pd.DataFrame(
            {
                # inferred like a group key: str when every key is a string
                "stage_key": pd.Series(st["key"].tolist()),
                "stage": st["name"].astype(object),
                "left": left,
                "right": right,
                "center": (left + right) / 2,
                "fill": [BAND_FILLS[i % 2] for i in range(len(st))],
            }
        )

    def touchpoint_x(self) -> dict[str, float]:
        """Touchpoint key → x."""
        tp = self.slots.dropna(subset=["touchpoint_key"])
        return dict(zip(tp["touchpoint_key"], tp["x"], strict=True))

    def stage_x(self) -> dict[str, float]:
        """Stage key → x of its band centre."""
        return dict(zip(self.bands["stage_key"], self.bands["center"], strict=True))

    @property
    def x_range(self) -> tuple[float, float]:
        return (-0.6, len(self.slots) - 0.4)


def slots_from(stages: pd.DataFrame, touchpoints: pd.DataFrame | None) -> StageSlots:
    """Slots from ordered ``stages`` (``key``, ``name``) and ordered ``touchpoints``.

    ``touchpoints`` has ``key``, ``stage_key``, ``name`` and is already in
    journey order; a stage without touchpoints still gets one slot so its
    band is visible. ``touchpoints=None`` gives one slot per stage.
    """
    return StageSlots(SlotLayout.build(stages, touchpoints))


def _stage_table(journey: Journey) -> pd.DataFrame:
    st = journey.stages.sort_values("order")
    return pd.DataFrame({"key": st["id"].astype(str).tolist(), "name": st["name"].astype(str).tolist()})


def touchpoint_table(journey: Journey) -> pd.DataFrame:
    """Return the touchpoints in journey order: ``key``, ``stage_key`` and ``name``.

    The stage comes from :func:`~cjm_jupyter.model.placement.stage_of_rows`.
    """
    order = dict(zip(journey.stages["id"], journey.stages["order"], strict=True))
    tp = journey.touchpoints
    stage = stage_of_rows({"touchpoints": tp}, "touchpoints")
    tp = tp.assign(_stage=stage, _stage_order=stage.map(order)).sort_values(["_stage_order", "order"])
    return pd.DataFrame(
        {
            "key": tp["id"].astype(str).tolist(),
            "stage_key": tp["_stage"].astype(str).tolist(),
            "name": tp["name"].astype(str).tolist(),
        }
    )


def touchpoint_slots(journey: Journey) -> StageSlots:
    """One slot per touchpoint in journey order (one per empty stage)."""
    return slots_from(_stage_table(journey), touchpoint_table(journey))


def stage_slots(journey: Journey) -> StageSlots:
    """One slot per stage in journey order."""
    return slots_from(_stage_table(journey), None)


def require_stages(journey: Journey, what: str) -> None:
    """Raise a clear error when a journey has no stages (an empathy map, say)."""
    if journey.stages.empty:
        raise ValidationError(
            f"{what} needs a journey with stages; this one ({journey.kind}) has none",
            frame="stages",
        )


# -- drawing the slots: stage bands and the x axis ---------------------------------------
def draw_stage_bands(fig: figure, layout: StageSlots, *, label_y: float, limit: int = 22) -> None:
    """Alternating full-height stage bands with the stage name on top of each."""
    bands = layout.bands.assign(label=truncate(layout.bands["stage"], limit))
    source = cds(bands)
    fig.vstrip(x0="left", x1="right", source=source, fill_color="fill", line_color=None, level="underlay")
    fig.text(
        x="center",
        y=label_y,
        text="label",
        source=source,
        text_align="center",
        text_baseline="middle",
        text_font=literal(FONT),
        text_font_size="12px",
        text_font_style="bold",
        text_color=MUTED,
    )


def slot_x_axis(fig: figure, layout: StageSlots, *, limit: int = 18) -> None:
    """X ticks at the slots, labelled with (truncated) touchpoint or stage names."""
    slots = layout.slots
    names = slots["touchpoint"].where(slots["touchpoint"].notna(), slots["stage"])
    labels = truncate(names, limit)
    axis = fig.xaxis[0]
    axis.ticker = FixedTicker(ticks=slots["x"].tolist())
    overrides: dict[float | str, str | BaseText] = {
        float(x): PlainText(text=lab) for x, lab in zip(slots["x"], labels, strict=True)
    }
    axis.major_label_overrides = overrides
    if len(slots) > 8:
        axis.major_label_orientation = 0.6
    fig.xgrid.grid_line_color = None


def match_journey_nodes(journey: Journey, nodes: Sequence[str]) -> pd.DataFrame:
    """Place flow/graph nodes (stage or touchpoint ids or names) in a journey.

    A node matches a stage id, then a touchpoint id, then a stage name, then
    a touchpoint name.

    Returns
    -------
    DataFrame
        Indexed by node, columns ``key`` (the matched row's id), ``name``,
        ``kind`` (``"stage"`` or ``"touchpoint"``), ``stage_key``, ``stage``,
        ``stage_rank`` and ``rank`` (position in journey order: stage, then
        touchpoint).

    Raises
    ------
    ValidationError
        A node is neither a stage nor a touchpoint of the journey.
    """
    st = _stage_table(journey)
    tp = touchpoint_table(journey)
    stage_rank = {k: i for i, k in enumerate(st["key"])}
    stage_name = dict(zip(st["key"], st["name"], strict=True))
    stage_hits = [
        (k, name, "stage", k, float(stage_rank[k])) for k, name in zip(st["key"], st["name"], strict=True)
    ]
    tp_hits = [
        (k, name, "touchpoint", s, stage_rank[s] + (i + 1) / (len(tp) + 2))
        for i, (k, s, name) in enumerate(zip(tp["key"], tp["stage_key"], tp["name"], strict=True))
    ]
    by_id: dict[str, tuple[str, str, str, str, float]] = {}
    by_name: dict[str, tuple[str, str, str, str, float]] = {}
    for entry in stage_hits + tp_hits:  # stages first: they win a tie
        by_id.setdefault(entry[0], entry)
        by_name.setdefault(entry[1], entry)
    rows = []
    for node in nodes:
        hit = by_id.get(node) or by_name.get(node)
        if hit is None:
            raise ValidationError(
                "is neither a stage nor a touchpoint of the journey (matched by id, then name); "
                "pass journey=None to lay the nodes out from the flow alone",
                frame="data",
                value=node,
            )
        key, name, kind, skey, rank = hit
        rows.append((node, key, name, kind, skey, stage_name[skey], stage_rank[skey], rank))
    columns = ["node", "key", "name", "kind", "stage_key", "stage", "stage_rank", "rank"]
    return pd.DataFrame(rows, columns=columns).set_index("node")
