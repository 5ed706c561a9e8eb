"""``JourneyEditor``: the map as an editable grid, stages as columns, lanes as rows."""

from __future__ import annotations

from typing import Any

from ._base import HISTORY_OPS, EditorBase, bundle
from ._protocol import Op, Param

__all__ = ["JourneyEditor"]

S, OS, INT, OI, N = (
    Param("str"),
    Param("str", optional=True),
    Param("int"),
    Param("int", optional=True),
    Param("number"),
)
FIELDS = Param("fields")
FRAME = Param("frame")

#: Columns the grid edits, by frame (ids, positions and links change through ops).
EDITABLE: dict[str, tuple[str, ...]] = {
    "stages": ("name", "description"),
    "touchpoints": ("name", "channel", "action", "description", "optimisation", "owner"),
    "emotions": ("score", "feeling", "thought"),
    "pain_points": ("description", "severity", "frequency", "evidence"),
    "opportunities": ("description", "impact", "effort"),
    "actions": ("description", "owner", "status", "due"),
}


def _opt(args: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: args[k] for k in keys if args.get(k) is not None}


OPS: dict[str, Op] = {
    **HISTORY_OPS,
    "add_stage": Op(
        {"name": S, "description": OS, "position": OI},
        lambda j, a: j.add_stage(a["name"], **_opt(a, "description", "position")),
    ),
    "update_stage": Op(
        {"id": S, "fields": FIELDS}, lambda j, a: j.update_stage(a["id"], **a["fields"]), "stages"
    ),
    "remove_stage": Op({"id": S}, lambda j, a: j.remove_stage(a["id"], cascade=True)),
    "move_stage": Op({"id": S, "position": INT}, lambda j, a: j.move_stage(a["id"], a["position"])),
    "add_touchpoint": Op(
        {"stage": S, "name": S, "channel": OS, "position": OI},
        lambda j, a: j.add_touchpoint(a["stage"], a["name"], **_opt(a, "channel", "position")),
    ),
    "update_touchpoint": Op(
        {"id": S, "fields": FIELDS}, lambda j, a: j.update_touchpoint(a["id"], **a["fields"]), "touchpoints"
    ),
    "move_touchpoint": Op(
        {"id": S, "stage": OS, "position": OI},
        lambda j, a: j.move_touchpoint(a["id"], stage=a["stage"], position=a["position"]),
    ),
    "remove_touchpoint": Op({"id": S}, lambda j, a: j.remove_touchpoint(a["id"], cascade=True)),
    "set_emotion": Op(
        {"persona": OS, "stage": OS, "touchpoint": OS, "score": N, "feeling": OS, "thought": OS},
        lambda j, a: j.set_emotion(
            a["persona"], score=a["score"], **_opt(a, "stage", "touchpoint", "feeling", "thought")
        ),
    ),
    "add_pain_point": Op(
        {"description": S, "stage": OS, "touchpoint": OS, "severity": OI},
        lambda j, a: j.add_pain_point(a["description"], **_opt(a, "stage", "touchpoint", "severity")),
    ),
    "add_opportunity": Op(
        {"description": S, "stage": OS, "touchpoint": OS},
        lambda j, a: j.add_opportunity(a["description"], **_opt(a, "stage", "touchpoint")),
    ),
    "add_action": Op(
        {"description": S, "stage": OS, "owner": OS, "status": OS},
        lambda j, a: j.add_action(a["description"], **_opt(a, "stage", "owner", "status")),
    ),
    "update": Op(
        {"frame": FRAME, "id": S, "fields": FIELDS}, lambda j, a: j.update(a["frame"], a["id"], **a["fields"])
    ),
    "remove": Op({"frame": FRAME, "id": S}, lambda j, a: j.remove(a["frame"], a["id"], cascade=True)),
}


class JourneyEditor(EditorBase):
    """Edit a journey's stages, touchpoints, emotions and lanes in a grid.

    Every edit goes through the journey's validated methods; an edit that
    breaks a rule is shown in the widget and changes nothing. Changes made in
    Python (or in another editor of the same journey) redraw every open view.

    Parameters
    ----------
    journey : Journey
        The journey to edit; the widget keeps no copy of it.

    Examples
    --------
    >>> from cjm_jupyter import Journey, JourneyEditor
    >>> j = Journey("Buying a vacuum cleaner")
    >>> editor = JourneyEditor(j)  # display it: the last expression of a cell
    >>> _ = j.add_stage("Awareness")  # a Python-side change redraws the editor
    >>> editor.snapshot["stages"][0]["name"]
    'Awareness'
    """

    _esm = bundle("journey_editor.js")
    FRAMES = ("personas", "stages", "touchpoints", "emotions", "pain_points", "opportunities", "actions")
    EDITABLE = EDITABLE
    OPS = OPS
