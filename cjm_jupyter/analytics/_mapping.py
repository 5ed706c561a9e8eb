"""Event -> touchpoint -> stage mapping, validated against the journey.

``mapping`` is a DataFrame with columns ``event`` and ``touchpoint_id`` (one
row per event; an event maps to one touchpoint, a touchpoint may collect many
events) or a dict ``{event: touchpoint_id}``. The stage of an event is the
stage of its touchpoint. ``mapping=None`` uses the mapping kept in the
journey itself (its ``event_map`` frame, edited with ``Journey.map_events``),
so it travels with the map's files.

Events of the log that map to nothing are counted and reported: a warning
with the counts, and ``result.attrs["unmapped"]`` (``{event: rows}``). They
are never silently dropped: stage and touchpoint metrics skip them (they
belong to no stage), event-level transitions keep them.
"""

from __future__ import annotations

from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._warn import warn_user
from ..errors import ValidationError

__all__ = ["JourneyMapping", "resolve_mapping"]


@dataclass
class JourneyMapping:
    """The validated mapping and the journey's stages and touchpoints (SQL text: ``_sql.JourneySQL``)."""

    events: pd.DataFrame  # event, touchpoint_id
    touchpoints: pd.DataFrame  # touchpoint_id, touchpoint, stage_id, tp_order
    stages: pd.DataFrame  # stage_id, stage, stage_order

    def unmapped(self, event_counts: dict[str, int]) -> dict[str, int]:
        """Rows per log event that maps to no touchpoint, most frequent first."""
        known = set(self.events["event"])
        out = {e: n for e, n in event_counts.items() if e not in known}
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def resolve_mapping(mapping: Any, journey: Any) -> JourneyMapping:
    """Validate ``mapping`` against ``journey``.

    Raises
    ------
    ValidationError
        The mapping lacks a column, has a null, maps one event to two
        touchpoints, names a touchpoint the journey does not have, or the
        journey has no stages.
    """
    if not (hasattr(journey, "stages") and hasattr(journey, "touchpoints")):
        raise ValidationError(f"journey must be a Journey, got {type(journey).__name__}")
    stages = journey.stages
    if stages.empty:
        raise ValidationError("the journey has no stages to measure", frame="stages")
    tps = journey.touchpoints
    if mapping is None:
        mapping = getattr(journey, "event_map", None)
        if mapping is None or mapping.empty:
            raise ValidationError(
                "no event mapping: pass mapping={event: touchpoint_id} or keep one in the journey "
                "with journey.map_events(touchpoint, events)",
                frame="event_map",
            )
    if isinstance(mapping, pd.DataFrame):
        for col in ("event", "touchpoint_id"):
            if col not in mapping.columns:
                raise ValidationError(
                    f"the mapping has no column {col!r} (needs 'event' and 'touchpoint_id')",
                    frame="mapping",
                    column=col,
                )
        frame = mapping[["event", "touchpoint_id"]]
    elif isinstance(mapping, MappingABC):
        frame = pd.DataFrame({"event": list(mapping.keys()), "touchpoint_id": list(mapping.values())})
    else:
        raise ValidationError(
            "mapping must be a DataFrame with columns 'event' and 'touchpoint_id' or a dict "
            f"event -> touchpoint id; got {type(mapping).__name__}",
            frame="mapping",
        )
    if frame.empty:
        raise ValidationError("the mapping is empty: no event maps to a touchpoint", frame="mapping")
    for col in ("event", "touchpoint_id"):
        if frame[col].isna().any():
            raise ValidationError("the mapping has a null value", frame="mapping", column=col)
    frame = frame.astype({"event": "string", "touchpoint_id": "string"}).drop_duplicates()
    dup = frame["event"].duplicated(keep=False)
    if dup.any():
        bad = frame.loc[dup, "event"].iloc[0]
        raise ValidationError(
            "an event maps to more than one touchpoint", frame="mapping", column="event", value=bad
        )
    known = set(tps["id"].astype("string"))
    unknown = frame.loc[~frame["touchpoint_id"].isin(known), "touchpoint_id"]
    if len(unknown):
        raise ValidationError(
            "no touchpoint with this id in the journey",
            frame="mapping",
            column="touchpoint_id",
            value=unknown.iloc[0],
        )
    stage_frame = pd.DataFrame(
        {"stage_id": stages["id"], "stage": stages["name"], "stage_order": stages["order"]}
    ).sort_values("stage_order", ignore_index=True)
    tp_frame = pd.DataFrame(
        {
            "touchpoint_id": tps["id"],
            "touchpoint": tps["name"],
            "stage_id": tps["stage_id"],
            "tp_order": tps["order"],
        }
    )
    if tp_frame.empty:  # a VALUES list cannot be empty; unreachable with a valid mapping
        raise ValidationError("the journey has no touchpoints", frame="touchpoints")
    return JourneyMapping(frame.reset_index(drop=True), tp_frame.reset_index(drop=True), stage_frame)


def report_unmapped(unmapped: dict[str, int], total: int) -> None:
    """Warn about events that map to no touchpoint, with their counts."""
    if not unmapped:
        return
    rows = sum(unmapped.values())
    shown = ", ".join(f"{e!r}: {n}" for e, n in list(unmapped.items())[:10])
    more = f" and {len(unmapped) - 10} more" if len(unmapped) > 10 else ""
    warn_user(
        f"{rows} of {total} events ({len(unmapped)} distinct) map to no touchpoint: {shown}{more}; "
        "see result.attrs['unmapped']"
    )
