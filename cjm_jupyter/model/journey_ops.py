"""The longer :class:`~.journey.Journey` edits: several rows or a lookup first.

Custom lanes (one cell per stage), the event mapping, moving a touchpoint and
setting an emotion (one row per persona, place, source, period and segment).
Each function is the body of the :class:`~.journey.Journey` method of the same
name, which documents it; they live here to keep ``journey.py`` to the
journey's interface.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from .coerce import check_cells
from .specs import ASSUMED_SOURCES, FRAMES

if TYPE_CHECKING:
    from .journey import Journey

__all__ = [
    "add_lane",
    "basis_of",
    "map_events",
    "move_touchpoint",
    "remove_lane",
    "rename_lane",
    "set_emotion",
    "set_lane_cell",
    "unmap_events",
]


def basis_of(source: str | None, basis: str | None) -> str | None:
    """Return ``basis``, else ``"assumed"`` for an assumed ``source`` (a workshop...), else ``"measured"``."""
    if basis is not None or source is None:
        return basis
    return "assumed" if source.strip().lower() in ASSUMED_SOURCES else "measured"


def move_touchpoint(
    journey: Journey, id: str, *, stage: str | None = None, position: int | None = None
) -> None:
    """Do :meth:`Journey.move_touchpoint` on ``journey``."""
    check_cells("touchpoints", {"id": id, "stage_id": stage})  # before any lookup
    current = journey._stage_of(id)
    if current is None:
        raise ValidationError("no touchpoint with this id", frame="touchpoints", row_id=id)
    target = current if stage is None else stage
    if position is None:
        size = int((journey._frames["touchpoints"]["stage_id"] == target).fillna(False).sum())
        position = size - 1 if target == current else size
    journey.move("touchpoints", id, position, group=stage)


def set_emotion(
    journey: Journey,
    persona: str | None,
    *,
    score: float,
    touchpoint: str | None = None,
    stage: str | None = None,
    feeling: str | None = None,
    thought: str | None = None,
    source: str = "assumption",
    basis: str | None = None,
    n: int | None = None,
    **extra: Any,
) -> str:
    """Do :meth:`Journey.set_emotion` on ``journey``."""
    values = dict(
        persona_id=persona,
        touchpoint_id=touchpoint,
        stage_id=stage,
        score=score,
        feeling=feeling,
        thought=thought,
        source=source,
        basis=basis_of(source, basis),
        n=n,
        **extra,
    )
    values.setdefault("period", None)  # part of the row's key: an undated row is its own row
    values.setdefault("segment", None)  # likewise: a segment's row is not everyone's row
    check_cells("emotions", values)  # before the lookup below
    # The place first: it narrows the rows most (a persona has an emotion at many places).
    place = ("touchpoint_id", "stage_id", "persona_id", "source", "period", "segment")
    row_id = journey._lookup("emotions", {c: values[c] for c in place})
    if row_id is not None:
        # Only what is given changes: a new score keeps the recorded quote.
        journey.update("emotions", row_id, **{k: v for k, v in values.items() if v is not None})
        return row_id
    return journey.add("emotions", **values)


def add_lane(journey: Journey, name: str, cells: Mapping[str, str | None] | None = None) -> None:
    """Do :meth:`Journey.add_lane` on ``journey``."""
    if journey._frames["stages"].empty:
        raise ValidationError(
            "add stages before lanes: a lane holds one cell per stage",
            frame="lanes",
            column="lane",
            value=name,
        )
    if name in journey.lane_names:
        raise ValidationError("a lane with this name exists", frame="lanes", column="lane", value=name)
    cells = dict(cells or {})
    stage_ids = list(journey._frames["stages"]["id"])
    unknown = [s for s in cells if s not in stage_ids]
    if unknown:
        raise ValidationError(
            "unknown stage id (no such row in 'stages')",
            frame="lanes",
            column="stage_id",
            value=unknown[0],
        )
    with journey.batch():
        for stage_id in stage_ids:
            journey.add(
                "lanes",
                id=journey._new_id(FRAMES["lanes"], f"{name} {stage_id}"),
                lane=name,
                stage_id=stage_id,
                text=cells.get(stage_id),
            )


def set_lane_cell(journey: Journey, lane: str, stage: str, text: str | None) -> None:
    """Do :meth:`Journey.set_lane_cell` on ``journey``."""
    check_cells("lanes", {"lane": lane, "stage_id": stage, "text": text})  # before the lookup
    df = journey._frames["lanes"]
    hit = df.loc[(df["lane"] == lane).fillna(False) & (df["stage_id"] == stage).fillna(False), "id"]
    if len(hit):
        journey.update("lanes", str(hit.iloc[0]), text=text)
    else:
        journey.add(
            "lanes",
            id=journey._new_id(FRAMES["lanes"], f"{lane} {stage}"),
            lane=lane,
            stage_id=stage,
            text=text,
        )


def remove_lane(journey: Journey, name: str) -> None:
    """Do :meth:`Journey.remove_lane` on ``journey``."""
    check_cells("lanes", {"lane": name})  # before the lookup
    df = journey._frames["lanes"]
    ids = df.loc[(df["lane"] == name).fillna(False), "id"].tolist()
    if not ids:
        raise ValidationError("no lane with this name", frame="lanes", column="lane", value=name)
    journey.remove("lanes", ids)


def rename_lane(journey: Journey, name: str, new_name: str) -> None:
    """Do :meth:`Journey.rename_lane` on ``journey``."""
    check_cells("lanes", {"lane": name})  # before the lookup; new_name is checked as it is set
    df = journey._frames["lanes"]
    ids = df.loc[(df["lane"] == name).fillna(False), "id"].tolist()
    if not ids:
        raise ValidationError("no lane with this name", frame="lanes", column="lane", value=name)
    if new_name == name:
        return
    if new_name in journey.lane_names:
        raise ValidationError("a lane with this name exists", frame="lanes", column="lane", value=new_name)
    with journey.batch():  # all cells or none: a half-renamed lane would split in two
        for row_id in ids:
            journey.update("lanes", str(row_id), lane=new_name)


def map_events(
    journey: Journey, touchpoint: str, events: str | Iterable[str], *, replace: bool = False
) -> list[str]:
    """Do :meth:`Journey.map_events` on ``journey``."""
    names = list(dict.fromkeys([events] if isinstance(events, str) else events))
    check_cells("event_map", {"event": names, "touchpoint_id": touchpoint})  # before the lookups
    df = journey._frames["event_map"]
    ids = []
    with journey.batch():
        if replace:
            mine = (df["touchpoint_id"] == touchpoint).fillna(False)
            stale = df.loc[mine & ~df["event"].isin(names), "id"]
            if len(stale):
                journey.remove("event_map", stale.tolist())
                df = journey._frames["event_map"]
        for name in names:
            hit = df.loc[(df["event"] == name).fillna(False), "id"]
            if len(hit):
                journey.update("event_map", str(hit.iloc[0]), touchpoint_id=touchpoint)
                ids.append(str(hit.iloc[0]))
            else:
                new_id = journey._new_id(FRAMES["event_map"], name)
                ids.append(journey.add("event_map", id=new_id, event=name, touchpoint_id=touchpoint))
    return ids


def unmap_events(journey: Journey, events: str | Iterable[str]) -> None:
    """Do :meth:`Journey.unmap_events` on ``journey``."""
    names = [events] if isinstance(events, str) else list(events)
    check_cells("event_map", {"event": names})  # before the lookup
    df = journey._frames["event_map"]
    ids = df.loc[df["event"].isin(names).fillna(False), "id"].tolist()
    missing = sorted(set(names) - set(df.loc[df["id"].isin(ids), "event"]))
    if missing:
        raise ValidationError("event not in the mapping", frame="event_map", column="event", value=missing[0])
    journey.remove("event_map", ids)
