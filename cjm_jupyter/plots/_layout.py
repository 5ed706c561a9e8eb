"""The one layout of stages and touchpoint slots along x, shared by the map and the focused plots.

Every touchpoint owns a slot of width 1, left to right inside its stage, in
the order given; a stage without touchpoints still owns one empty slot so
its band shows. Slot ``i`` spans ``[i, i + 1)``. The journey map draws in
these units (a touchpoint at ``slot + 0.5``, see
:class:`~.map.grid.MapGrid`); the focused plots put slot centres on whole
numbers (``x = slot``, see :class:`~._slots.StageSlots`). Both read the
same :class:`SlotLayout`, so a touchpoint is in the same column everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["SlotLayout"]


@dataclass(frozen=True)
class SlotLayout:
    """Stages and their touchpoint slots, in journey order.

    Attributes
    ----------
    stages : DataFrame
        One row per stage in order: ``key``, ``name``, ``start`` and ``end``
        (int, slot units: the stage spans ``[start, end)``), ``center``
        (float) and ``n_touchpoints`` (int).
    slots : DataFrame
        One row per slot in order: ``slot`` (int), ``stage_pos`` (index of
        the stage), ``stage_key``, ``stage``, ``touchpoint_key`` and
        ``touchpoint`` (None for the empty slot of a stage without
        touchpoints).
    """

    stages: pd.DataFrame
    slots: pd.DataFrame

    @property
    def n_slots(self) -> int:
        """Number of slots, at least 1 (a journey without stages has one empty slot)."""
        return max(1, len(self.slots))

    @property
    def stage_pos(self) -> dict[str, int]:
        """Stage key -> index of the stage in order."""
        return dict(zip(self.stages["key"], range(len(self.stages)), strict=True))

    def touchpoint_slot(self) -> dict[str, int]:
        """Touchpoint key -> its slot."""
        tp = self.slots.loc[self.slots["touchpoint_key"].notna()]
        return dict(zip(tp["touchpoint_key"], tp["slot"].astype(int), strict=True))

    @classmethod
    def build(cls, stages: pd.DataFrame, touchpoints: pd.DataFrame | None = None) -> SlotLayout:
        """Lay out ordered ``stages`` (``key``, ``name``) and their ``touchpoints``.

        Parameters
        ----------
        stages : DataFrame
            ``key`` and ``name`` of each stage, in journey order.
        touchpoints : DataFrame, optional
            ``key``, ``stage_key`` and ``name`` of each touchpoint, in
            journey order within each stage; a touchpoint of no listed stage
            gets no slot. None: one slot per stage.

        Returns
        -------
        SlotLayout
        """
        keys = stages["key"].astype(object).tolist()
        names = stages["name"].astype(object).tolist()
        pos = {k: i for i, k in enumerate(keys)}
        if touchpoints is None:
            touchpoints = pd.DataFrame({"key": [], "stage_key": [], "name": []}, dtype=object)
        tps = touchpoints.loc[touchpoints["stage_key"].isin(pos).to_numpy(dtype=bool)]
        stage_of_tp = tps["stage_key"].map(pos).to_numpy(dtype=int)
        order = np.argsort(stage_of_tp, kind="stable")  # by stage, keeping the order given within one
        stage_of_tp = stage_of_tp[order]
        counts = np.bincount(stage_of_tp, minlength=len(keys)).astype(int)
        sizes = np.maximum(counts, 1)
        end = np.cumsum(sizes)
        start = end - sizes
        rank = pd.Series(stage_of_tp).groupby(stage_of_tp).cumcount().to_numpy(dtype=int)
        tp_slot = start[stage_of_tp] + rank
        empty = np.flatnonzero(counts == 0)  # the one slot of a stage without touchpoints
        slot = np.concatenate([tp_slot, start[empty]]).astype(int)
        stage_pos = np.concatenate([stage_of_tp, empty]).astype(int)
        tp_keys = tps["key"].astype(object).to_numpy()[order].tolist() + [None] * len(empty)
        tp_names = tps["name"].astype(object).to_numpy()[order].tolist() + [None] * len(empty)
        slots = pd.DataFrame(
            {
                "slot": slot,
                "stage_pos": stage_pos,
                "stage_key": pd.Series([keys[p] for p in stage_pos], dtype=object),
                "stage": pd.Series([names[p] for p in stage_pos], dtype=object),
                "touchpoint_key": pd.Series(tp_keys, dtype=object),
                "touchpoint": pd.Series(tp_names, dtype=object),
            }
        )
        slots = slots.sort_values("slot", kind="stable").reset_index(drop=True)
        table = pd.DataFrame(
            {
                "key": pd.Series(keys, dtype=object),
                "name": pd.Series(names, dtype=object),
                "start": start.astype(int),
                "end": end.astype(int),
                "center": (start + end) / 2,
                "n_touchpoints": counts,
            }
        )
        return cls(table, slots)
