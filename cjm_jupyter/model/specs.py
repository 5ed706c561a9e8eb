"""What each frame of a journey holds: columns, dtypes and rules.

The specs are data, not code paths: validation, empty-frame construction,
the JSON Schema and the file readers all read them, so a rule lives in one
place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BASES",
    "COLUMN_DTYPES",
    "ColumnSpec",
    "EMOTION_SCALE",
    "FRAME_NAMES",
    "FRAMES",
    "FrameSpec",
    "JOURNEY_KINDS",
    "ACTION_STATUSES",
    "EMPATHY_QUADRANTS",
    "ASSUMED_SOURCES",
    "GOAL_COMPARISONS",
    "META_FIELDS",
]

Kind = Literal["id", "text", "int", "float", "date"]

#: Pandas dtype used for every column of a kind.  Nullable extension dtypes
#: keep "missing" distinct from a value (``pd.NA``), which is what lets files
#: round-trip missing cells losslessly.
COLUMN_DTYPES: dict[str, str] = {
    "id": "string",
    "text": "string",
    "int": "Int64",
    "float": "Float64",
    "date": "datetime64[us]",
}

#: The emotion scale: -2 (frustrated) .. 0 (indifferent) .. +2 (delighted).
#: Survey scales (CSAT 1-5, NPS 0-10, Likert) are mapped linearly onto it.
EMOTION_SCALE: tuple[float, float] = (-2.0, 2.0)

JOURNEY_KINDS = ("current_state", "future_state", "day_in_the_life", "empathy_map")
BASES = ("measured", "assumed")
ACTION_STATUSES = ("planned", "in_progress", "done", "blocked", "dropped")
EMPATHY_QUADRANTS = ("says", "thinks", "does", "feels")
#: The journey's meta data fields, in the order files list them. ``updated_at``
#: is the journey's own (set when the content changes); the others are the user's.
META_FIELDS: dict[str, str] = {
    "name": "Name of the map.",
    "scenario": "What the map is for.",
    "kind": "current_state, future_state, day_in_the_life or empathy_map.",
    "description": "Free text about the map.",
    "version": "A free version label, e.g. '2' or '2026-Q3'.",
    "owner": "Who keeps the map current.",
    "updated_at": "When the content last changed: ISO 8601 UTC instant, e.g. '2026-12-03T13:05:00Z'.",
    "reviewed_at": "When the map was last reviewed: ISO date, e.g. '2026-11-30'.",
}

#: How a goal's target is compared with the measured value: ``value <comparison> target``.
GOAL_COMPARISONS = (">=", ">", "<=", "<", "==")
#: Sources whose content is a team's assumption rather than evidence (or, like
#: "illustrative", made up for an example); any other source defaults to ``basis="measured"``.
ASSUMED_SOURCES = frozenset({"assumption", "workshop", "hypothesis", "assumed", "illustrative"})


@dataclass(frozen=True)
class ColumnSpec:
    """One built-in column of a frame.

    Parameters
    ----------
    name : str
        Column name.
    kind : {"id", "text", "int", "float", "date"}
        Value kind; fixes the pandas dtype (see ``COLUMN_DTYPES``).
    required : bool
        Whether a value must be present in every row.
    ref : str or None
        Name of the frame whose ``id`` this column refers to.
    on_delete : {"cascade", "set_null"}
        What happens to this row when the referenced row is removed with
        ``cascade=True``.
    choices : tuple of str
        Allowed values, when the column is an enumeration.
    low, high : float or None
        Inclusive bounds for numeric columns.
    doc : str
        One line shown in docs and in the JSON Schema.
    """

    name: str
    kind: Kind = "text"
    required: bool = False
    ref: str | None = None
    on_delete: Literal["cascade", "set_null"] = "cascade"
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    doc: str = ""

    @property
    def dtype(self) -> str:
        """The pandas dtype the column is stored in."""
        return COLUMN_DTYPES[self.kind]


@dataclass(frozen=True)
class FrameSpec:
    """One frame of a journey.

    Parameters
    ----------
    name : str
        Frame name, also the ``Journey`` property that returns it.
    columns : tuple of ColumnSpec
        Built-in columns, in display order. Users may add more.
    ordered_within : str or None
        When set, the frame carries an ``order`` column numbering rows
        0..n-1 without gaps inside each group of this column (``""`` means
        one group: the whole frame).
    unique : tuple of tuple of str
        Column combinations that must be unique (besides ``id``).
    one_of : tuple of str
        Columns of which exactly one (``one_of_required``) or at most one
        may hold a value in each row.
    one_of_required : bool
        Whether one of ``one_of`` must be set.
    doc : str
        What the frame holds.
    """

    name: str
    columns: tuple[ColumnSpec, ...]
    ordered_within: str | None = None
    unique: tuple[tuple[str, ...], ...] = ()
    one_of: tuple[str, ...] = ()
    one_of_required: bool = False
    doc: str = ""
    id_prefix: str = field(default="")
    singular: str = ""

    @property
    def column_names(self) -> tuple[str, ...]:
        """Names of the frame's columns, in order."""
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name``; KeyError when the frame has none."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def refs(self) -> tuple[ColumnSpec, ...]:
        """The columns that refer to rows of another frame."""
        return tuple(c for c in self.columns if c.ref)


def _id() -> ColumnSpec:
    return ColumnSpec("id", "id", required=True, doc="Stable string id of the row.")


def _source() -> tuple[ColumnSpec, ...]:
    return (
        ColumnSpec(
            "source",
            required=True,
            doc="Where the content comes from: interview, survey, analytics, workshop, assumption...",
        ),
        ColumnSpec(
            "basis",
            required=True,
            choices=BASES,
            doc="'measured' (backed by data) or 'assumed' (a team's belief).",
        ),
    )


def _measured() -> tuple[ColumnSpec, ...]:
    """Return the columns that tell one measurement run from another (schema version 2)."""
    return (
        ColumnSpec("period", doc="Period the value was measured in, e.g. '2026-Q3' (empty: undated)."),
        ColumnSpec(
            "run_id",
            doc="Which run wrote the row: 'measure' for Journey.measure(); empty for rows entered by hand.",
        ),
    )


def _order() -> ColumnSpec:
    return ColumnSpec("order", "int", required=True, low=0, doc="Position, 0-based, without gaps.")


FRAMES: dict[str, FrameSpec] = {
    spec.name: spec
    for spec in (
        FrameSpec(
            "personas",
            (
                _id(),
                ColumnSpec("name", required=True, doc="Fictional name, e.g. 'Curious Colleen'."),
                ColumnSpec("description"),
                ColumnSpec("avatar", doc="Image URL, data URI or emoji."),
                ColumnSpec("age", doc="Age or age range, e.g. '32' or '25-34'."),
                ColumnSpec("gender"),
                ColumnSpec("location"),
                ColumnSpec("income"),
                ColumnSpec("occupation"),
                ColumnSpec("psychographics", doc="Interests, lifestyle, values."),
                ColumnSpec("behaviour", doc="Purchase patterns, preferred products, order value."),
                ColumnSpec("goals"),
                ColumnSpec("needs"),
                ColumnSpec("motivations"),
                ColumnSpec("frustrations"),
                ColumnSpec("channels", doc="Preferred channels."),
                ColumnSpec(
                    "validated_at", "date", doc="When the persona was last validated with real customers."
                ),
                # schema 3: a persona made from a data segment says so, like a measured emotion
                ColumnSpec(
                    "source", doc="Where the persona comes from: interviews, workshop, segmentation..."
                ),
                ColumnSpec(
                    "basis",
                    choices=BASES,
                    doc="'measured' (made from customer data) or 'assumed' (a team's belief).",
                ),
                ColumnSpec("n", "int", low=0, doc="Customers behind the persona (its segment's size)."),
                ColumnSpec("segment", doc="The data segment the persona was made from."),
                ColumnSpec(
                    "segment_definition",
                    doc="How that segment is defined: a pandas query, or the segmentation run (JSON).",
                ),
            ),
            doc="Who travels the journey.",
            id_prefix="persona",
            singular="persona",
        ),
        FrameSpec(
            "stages",
            (
                _id(),
                ColumnSpec("name", required=True),
                ColumnSpec("description"),
                _order(),
            ),
            ordered_within="",
            doc="Ordered phases of the journey.",
            id_prefix="stage",
            singular="stage",
        ),
        FrameSpec(
            "touchpoints",
            (
                _id(),
                ColumnSpec("stage_id", "id", required=True, ref="stages"),
                ColumnSpec("name", required=True),
                ColumnSpec("channel", doc="website, ads, reviews, store, email, chat, phone..."),
                ColumnSpec("action", doc="What the customer does here."),
                ColumnSpec("description"),
                ColumnSpec("optimisation", doc="How the touchpoint could be improved."),
                ColumnSpec("owner", doc="Team that owns the touchpoint."),
                _order(),
            ),
            ordered_within="stage_id",
            doc="Moments of contact with the brand, ordered inside their stage.",
            id_prefix="tp",
            singular="touchpoint",
        ),
        FrameSpec(
            "emotions",
            (
                _id(),
                ColumnSpec("persona_id", "id", ref="personas"),
                ColumnSpec("stage_id", "id", ref="stages"),
                ColumnSpec("touchpoint_id", "id", ref="touchpoints"),
                ColumnSpec(
                    "score",
                    "float",
                    required=True,
                    low=EMOTION_SCALE[0],
                    high=EMOTION_SCALE[1],
                    doc="-2 frustrated .. 0 indifferent .. +2 delighted.",
                ),
                ColumnSpec("feeling", doc="A feeling label: frustrated, curious, relieved..."),
                ColumnSpec("thought", doc="What the customer thinks; a quote."),
                *_source(),
                ColumnSpec("n", "int", low=0, doc="Sample size behind the score."),
                *_measured(),
                ColumnSpec("segment", doc="Segment the score was measured on (empty: every customer)."),
            ),
            # period before source: a duplicate is reported at its source, a value
            # the user typed, rather than at a period that is usually empty
            unique=(("persona_id", "stage_id", "touchpoint_id", "segment", "period", "source"),),
            one_of=("stage_id", "touchpoint_id"),
            one_of_required=True,
            doc="How a persona feels at a stage or touchpoint.",
            id_prefix="emo",
            singular="emotion",
        ),
        FrameSpec(
            "pain_points",
            (
                _id(),
                ColumnSpec("stage_id", "id", ref="stages"),
                ColumnSpec("touchpoint_id", "id", ref="touchpoints"),
                ColumnSpec("persona_id", "id", ref="personas", on_delete="set_null"),
                ColumnSpec("description", required=True),
                ColumnSpec("severity", "int", low=1, high=5, doc="1 minor .. 5 critical."),
                ColumnSpec("frequency", "int", low=1, high=5, doc="1 rare .. 5 constant."),
                ColumnSpec("evidence", doc="Survey, tickets, analytics, reviews..."),
                *_source(),
            ),
            one_of=("stage_id", "touchpoint_id"),
            one_of_required=True,
            doc="Where the customer struggles, with evidence.",
            id_prefix="pain",
            singular="pain point",
        ),
        FrameSpec(
            "opportunities",
            (
                _id(),
                ColumnSpec("description", required=True),
                ColumnSpec("stage_id", "id", ref="stages", on_delete="set_null"),
                ColumnSpec("touchpoint_id", "id", ref="touchpoints", on_delete="set_null"),
                ColumnSpec("pain_point_id", "id", ref="pain_points", on_delete="set_null"),
                ColumnSpec("impact", "int", low=1, high=5),
                ColumnSpec("effort", "int", low=1, high=5),
            ),
            one_of=("stage_id", "touchpoint_id"),
            doc="Improvement ideas tied to a stage, touchpoint or pain point.",
            id_prefix="opp",
            singular="opportunity",
        ),
        FrameSpec(
            "actions",
            (
                _id(),
                ColumnSpec("description", required=True),
                ColumnSpec("owner"),
                ColumnSpec("status", required=True, choices=ACTION_STATUSES),
                ColumnSpec("due", "date"),
                ColumnSpec("opportunity_id", "id", ref="opportunities", on_delete="set_null"),
                ColumnSpec("stage_id", "id", ref="stages", on_delete="set_null"),
            ),
            doc="The action plan: concrete actions with owner and status.",
            id_prefix="act",
            singular="action",
        ),
        FrameSpec(
            "metrics",
            (
                _id(),
                ColumnSpec("name", required=True, doc="conversion rate, drop-off, CSAT..."),
                ColumnSpec("value", "float", required=True),
                ColumnSpec("unit"),
                ColumnSpec("stage_id", "id", ref="stages"),
                ColumnSpec("touchpoint_id", "id", ref="touchpoints"),
                ColumnSpec("persona_id", "id", ref="personas"),
                ColumnSpec("segment", doc="Segment the value was measured on."),
                ColumnSpec("n", "int", low=0, doc="Sample size."),
                *_source(),
                *_measured(),
            ),
            one_of=("stage_id", "touchpoint_id"),
            doc="The quantitative lane: a value per stage or touchpoint.",
            id_prefix="metric",
            singular="metric",
        ),
        FrameSpec(
            "goals",
            (
                _id(),
                ColumnSpec("name", required=True, doc="The KPI: a metric name, e.g. 'Conversion rate'."),
                ColumnSpec("target", "float", required=True, doc="The value to reach."),
                ColumnSpec(
                    "comparison",
                    required=True,
                    choices=GOAL_COMPARISONS,
                    doc="Met when the measured value <comparison> target.",
                ),
                ColumnSpec("unit"),
                ColumnSpec("stage_id", "id", ref="stages"),
                ColumnSpec("touchpoint_id", "id", ref="touchpoints"),
                ColumnSpec("segment", doc="Segment the goal is for (empty: every customer)."),
                ColumnSpec("period", doc="Period the goal applies to (empty: any, the latest measured)."),
                ColumnSpec("description"),
            ),
            one_of=("stage_id", "touchpoint_id"),
            doc="Goals and targets: a KPI per stage or touchpoint (neither: the whole journey).",
            id_prefix="goal",
            singular="goal",
        ),
        FrameSpec(
            "empathy",
            (
                _id(),
                ColumnSpec("persona_id", "id", required=True, ref="personas"),
                ColumnSpec("quadrant", required=True, choices=EMPATHY_QUADRANTS),
                ColumnSpec("text", required=True),
                ColumnSpec("source"),
            ),
            doc="Empathy map entries: what a persona says, thinks, does, feels.",
            id_prefix="emp",
            singular="empathy entry",
        ),
        FrameSpec(
            "lanes",
            (
                _id(),
                ColumnSpec("lane", required=True, doc="Lane name, e.g. 'Backstage'."),
                ColumnSpec("stage_id", "id", required=True, ref="stages"),
                ColumnSpec("text"),
            ),
            unique=(("lane", "stage_id"),),
            doc="Custom text lanes: one cell per lane and stage.",
            id_prefix="cell",
            singular="lane cell",
        ),
        FrameSpec(
            "event_map",
            (
                _id(),
                ColumnSpec("event", required=True, doc="An event name as it appears in the event log."),
                ColumnSpec("touchpoint_id", "id", required=True, ref="touchpoints"),
            ),
            unique=(("event",),),
            doc="Which event-log events belong to which touchpoint (and so stage), for analytics.",
            id_prefix="map",
            singular="event mapping",
        ),
    )
}

FRAME_NAMES: tuple[str, ...] = tuple(FRAMES)
