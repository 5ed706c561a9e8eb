"""``JourneyEditor``: the map as an editable grid, stages as columns, lanes as rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ValidationError
from ._base import HISTORY_OPS, EditorBase, bundle
from ._protocol import Op, Param

if TYPE_CHECKING:
    from ..model.journey import Journey

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
    # Links (``*_id``) are plain updates: the model's validation checks every reference and the
    # stage-or-touchpoint rule, so moving a row is one validated update of both columns.
    "emotions": (
        "score",
        "feeling",
        "thought",
        "source",
        "basis",
        "n",
        "persona_id",
        "stage_id",
        "touchpoint_id",
        "period",  # shown on a card when set, as for metrics; run_id stays measure()'s own
    ),
    "pain_points": (
        "description",
        "severity",
        "frequency",
        "evidence",
        "source",
        "basis",
        "persona_id",
        "stage_id",
        "touchpoint_id",
    ),
    "opportunities": ("description", "impact", "effort", "stage_id", "touchpoint_id", "pain_point_id"),
    "actions": ("description", "owner", "status", "due", "opportunity_id", "stage_id"),
    "metrics": (
        "name",
        "value",
        "unit",
        "stage_id",
        "touchpoint_id",
        "persona_id",
        "segment",
        "n",
        "source",
        "basis",
        "period",  # shown on a card when set; run_id stays measure()'s own
    ),
    "goals": (
        "name",
        "target",
        "comparison",
        "unit",
        "stage_id",
        "touchpoint_id",
        "segment",
        "period",
        "description",
    ),
}


def _opt(args: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: args[k] for k in keys if args.get(k) is not None}


def _blank_to_none(text: str | None) -> str | None:
    # An emptied input means "no value", as in the journey's files (see _protocol._check_fields).
    return None if text is None or not text.strip() else text


def _map_events(journey: Journey, args: dict[str, Any]) -> list[str]:
    """Set exactly the log events of a touchpoint from one comma-separated text.

    Names are stripped, empties dropped and repeats kept once. The field shows
    all of a touchpoint's events, so what it holds after an edit is exactly
    them (``replace=True``); an event mapped elsewhere moves here.
    """
    touchpoint = args["touchpoint"]
    if not (journey.touchpoints["id"] == touchpoint).any():
        # Checked here: with no names left, map_events would remove nothing and say nothing.
        raise ValidationError(
            "unknown touchpoint id (no such row in 'touchpoints')",
            frame="event_map",
            column="touchpoint_id",
            value=touchpoint,
        )
    names = list(dict.fromkeys(name.strip() for name in args["events"].split(",") if name.strip()))
    return journey.map_events(touchpoint, names, replace=True)


def _add_emotion(journey: Journey, args: dict[str, Any]) -> str:
    """Add an emotion row for a persona at a stage or touchpoint; return its id.

    Unlike ``set_emotion`` it never overwrites: a second "add" at the same
    persona, place and source would silently reset that row's score, so it is
    refused with an error naming the existing row.
    """
    source = _blank_to_none(args.get("source")) or "assumption"
    df = journey.emotions
    same = df["source"] == source
    for col, key in (("persona_id", "persona"), ("stage_id", "stage"), ("touchpoint_id", "touchpoint")):
        same &= df[col].isna() if args.get(key) is None else (df[col] == args[key])
    hit = df.loc[same.fillna(False).astype(bool), "id"]
    if len(hit):
        raise ValidationError(
            f"this persona already has an emotion here from source {source!r}; edit it or use another source",
            frame="emotions",
            row_id=str(hit.iloc[0]),
            column="source",
        )
    return journey.set_emotion(
        args.get("persona"),
        score=args["score"],
        source=source,
        **_opt(args, "stage", "touchpoint", "basis", "n"),
    )


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
    "add_emotion": Op(
        {"persona": OS, "stage": OS, "touchpoint": OS, "score": N, "source": OS, "basis": OS, "n": OI},
        _add_emotion,
    ),
    "add_pain_point": Op(
        {
            "description": S,
            "stage": OS,
            "touchpoint": OS,
            "persona": OS,
            "severity": OI,
            "frequency": OI,
            "evidence": OS,
            "source": OS,
            "basis": OS,
        },
        lambda j, a: j.add_pain_point(
            a["description"],
            **_opt(
                a, "stage", "touchpoint", "persona", "severity", "frequency", "evidence", "source", "basis"
            ),
        ),
    ),
    "add_opportunity": Op(
        {
            "description": S,
            "stage": OS,
            "touchpoint": OS,
            "pain_point": OS,
            "impact": OI,
            "effort": OI,
        },
        lambda j, a: j.add_opportunity(
            a["description"], **_opt(a, "stage", "touchpoint", "pain_point", "impact", "effort")
        ),
    ),
    "add_action": Op(
        {"description": S, "stage": OS, "owner": OS, "status": OS, "due": OS, "opportunity": OS},
        lambda j, a: j.add_action(
            a["description"], **_opt(a, "stage", "owner", "status", "due", "opportunity")
        ),
    ),
    "update_meta": Op(
        {"field": S, "value": OS},
        # One field per message, as each control commits alone; set_meta validates.
        lambda j, a: j.set_meta(**{a["field"]: _blank_to_none(a["value"])}),
    ),
    "add_metric": Op(
        {"name": S, "value": N, "stage": OS, "touchpoint": OS, "persona": OS, "unit": OS},
        lambda j, a: j.add_metric(a["name"], a["value"], **_opt(a, "stage", "touchpoint", "persona", "unit")),
    ),
    "add_goal": Op(
        {"name": S, "target": N, "comparison": OS, "stage": OS, "touchpoint": OS, "unit": OS},
        # Journey.add_goal goes through the generic add("goals", ...): the spec checks the
        # comparison choices, the references and the at-most-one-place rule.
        lambda j, a: j.add_goal(
            a["name"], a["target"], a["comparison"] or ">=", **_opt(a, "stage", "touchpoint", "unit")
        ),
    ),
    "map_events": Op(
        {"touchpoint": S, "events": S},
        _map_events,
        doc="Set exactly the log events mapped to a touchpoint (comma-separated names).",
    ),
    "add_lane": Op({"name": S}, lambda j, a: j.add_lane(a["name"])),
    "set_lane_cell": Op(
        {"lane": S, "stage": S, "text": OS},
        lambda j, a: j.set_lane_cell(a["lane"], a["stage"], _blank_to_none(a["text"])),
    ),
    "rename_lane": Op({"lane": S, "name": S}, lambda j, a: j.rename_lane(a["lane"], a["name"])),
    "remove_lane": Op({"lane": S}, lambda j, a: j.remove_lane(a["lane"])),
    "update": Op(
        {"frame": FRAME, "id": S, "fields": FIELDS}, lambda j, a: j.update(a["frame"], a["id"], **a["fields"])
    ),
    "remove": Op({"frame": FRAME, "id": S}, lambda j, a: j.remove(a["frame"], a["id"], cascade=True)),
}


class JourneyEditor(EditorBase):
    """Edit a journey's stages, touchpoints, emotions, metrics, goals and lanes in a grid.

    Every edit goes through the journey's validated methods; an edit that
    breaks a rule is shown in the widget and changes nothing. Changes made in
    Python (or in another editor of the same journey) redraw every open view.

    Parameters
    ----------
    journey : Journey
        The journey to edit; the widget keeps no copy of it.
    **kwargs : Any
        Widget traits passed on to ``anywidget.AnyWidget`` (e.g. ``layout``).

    Raises
    ------
    TypeError
        ``journey`` is not a Journey.

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
    FRAMES = (
        "personas",
        "stages",
        "touchpoints",
        "emotions",
        "pain_points",
        "opportunities",
        "actions",
        "metrics",
        "goals",
        "lanes",
        "event_map",
    )
    EDITABLE = EDITABLE
    OPS = OPS
