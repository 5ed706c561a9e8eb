"""The public :class:`Journey`: typed editing methods on top of the core."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Self

import pandas as pd

from ..errors import ValidationError
from .coerce import check_cells
from .core import JourneyCore
from .specs import ASSUMED_SOURCES, FRAMES

__all__ = ["Journey"]


class _Frame:
    """Descriptor behind ``journey.stages`` & co.: copies out, validated in."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.__doc__ = (
            f"{FRAMES[name].doc}\n\nA copy of the ``{name}`` frame; assign a DataFrame to "
            "replace the frame (validated, extra columns kept)."
        )

    def __get__(self, obj: JourneyCore | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return obj.frame(self.name)

    def __set__(self, obj: JourneyCore, value: pd.DataFrame) -> None:
        obj.replace_frame(self.name, value)


def _basis(source: str | None, basis: str | None) -> str | None:
    if basis is not None or source is None:
        return basis
    return "assumed" if source.strip().lower() in ASSUMED_SOURCES else "measured"


class Journey(JourneyCore):
    """A customer journey map whose state is a set of tidy pandas DataFrames.

    Parameters
    ----------
    name : str
        Name of the map.
    scenario : str, optional
        What the map is for (launch a product, fix a known problem...).
    kind : {"current_state", "future_state", "day_in_the_life", "empathy_map"}
        The kind of map.
    description : str, optional
        Free text.
    frames : mapping of str to DataFrame, optional
        Initial frames by name (see :data:`cjm_jupyter.FRAME_NAMES`), validated.
    version, owner : str, optional
        A free version label and who keeps the map current.
    updated_at : str, optional
        When the content last changed (ISO UTC instant); kept as given, then
        set by the journey on every change.
    reviewed_at : str or date, optional
        When the map was last reviewed (ISO date); see :meth:`mark_reviewed`.

    Notes
    -----
    The frames (``personas``, ``stages``, ``touchpoints``, ``emotions``,
    ``pain_points``, ``opportunities``, ``actions``, ``metrics``, ``goals``,
    ``empathy``, ``lanes``, ``event_map``) are returned as **copies**; change the journey through its
    methods or by assigning a whole frame back. Every change is validated
    first and an invalid one raises :class:`~cjm_jupyter.ValidationError`
    leaving the journey untouched. Observers registered with
    :meth:`observe` hear one :class:`~cjm_jupyter.Change` per change.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Buying a vacuum cleaner")
    >>> colleen = j.add_persona("Curious Colleen", age="32")
    >>> aware = j.add_stage("Awareness")
    >>> search = j.add_touchpoint(aware, "Search engine", channel="search")
    >>> _ = j.set_emotion(colleen, touchpoint=search, score=-1, feeling="overwhelmed")
    >>> j.stages["name"].tolist()
    ['Awareness']
    """

    personas = _Frame("personas")
    stages = _Frame("stages")
    touchpoints = _Frame("touchpoints")
    emotions = _Frame("emotions")
    pain_points = _Frame("pain_points")
    opportunities = _Frame("opportunities")
    actions = _Frame("actions")
    metrics = _Frame("metrics")
    goals = _Frame("goals")
    empathy = _Frame("empathy")
    lanes = _Frame("lanes")
    event_map = _Frame("event_map")

    # -- meta --------------------------------------------------------------
    @property
    def name(self) -> str:
        """Name of the map."""
        return str(self._meta["name"])

    @name.setter
    def name(self, value: str) -> None:
        self.set_meta(name=value)

    @property
    def scenario(self) -> str | None:
        """What the map is for."""
        return self._meta["scenario"]

    @scenario.setter
    def scenario(self, value: str | None) -> None:
        self.set_meta(scenario=value)

    @property
    def kind(self) -> str:
        """``current_state``, ``future_state``, ``day_in_the_life`` or ``empathy_map``."""
        return str(self._meta["kind"])

    @kind.setter
    def kind(self, value: str) -> None:
        self.set_meta(kind=value)

    @property
    def description(self) -> str | None:
        """Free text about the map."""
        return self._meta["description"]

    @description.setter
    def description(self, value: str | None) -> None:
        self.set_meta(description=value)

    @property
    def version(self) -> str | None:
        """A free version label of the map, e.g. ``"2"`` or ``"2026-Q3"``."""
        return self._meta["version"]

    @version.setter
    def version(self, value: str | None) -> None:
        self.set_meta(version=value)

    @property
    def owner(self) -> str | None:
        """Who keeps the map current."""
        return self._meta["owner"]

    @owner.setter
    def owner(self, value: str | None) -> None:
        self.set_meta(owner=value)

    @property
    def updated_at(self) -> str | None:
        """When the content last changed: ISO 8601 UTC text such as ``"2026-12-03T13:05:00Z"``.

        Set by the journey itself on every change of a frame or of another meta
        field (once per :meth:`batch`, before observers hear the change); never
        by saving, loading or copying. None for a journey not changed since it
        was made. Read-only.
        """
        return self._meta["updated_at"]

    @property
    def reviewed_at(self) -> str | None:
        """When the map was last reviewed: ISO date text such as ``"2026-11-30"`` (:meth:`mark_reviewed`)."""
        return self._meta["reviewed_at"]

    @reviewed_at.setter
    def reviewed_at(self, value: str | date | None) -> None:
        self.set_meta(reviewed_at=value)

    def mark_reviewed(self, on: str | date | None = None) -> str:
        """Record that the map was reviewed ``on`` (a date or ISO date text; default: today).

        Returns the date stored in :attr:`reviewed_at`. Like any change of the
        meta data it also sets :attr:`updated_at`.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Onboarding")
        >>> j.mark_reviewed("2026-11-30")
        '2026-11-30'
        >>> j.reviewed_at
        '2026-11-30'
        """
        self.set_meta(reviewed_at=date.today() if on is None else on)
        return str(self._meta["reviewed_at"])

    # -- personas ------------------------------------------------------------
    def add_persona(self, name: str, *, id: str | None = None, **fields: Any) -> str:
        """Add a persona (``age``, ``goals``, ``frustrations``, ``channels``...); return its id."""
        return self.add("personas", id=id, name=name, **fields)

    def update_persona(self, id: str, **fields: Any) -> None:
        """Set fields of a persona."""
        self.update("personas", id, **fields)

    def remove_persona(self, id: str, *, cascade: bool = False) -> None:
        """Remove a persona; ``cascade=True`` also removes its emotions and empathy entries."""
        self.remove("personas", id, cascade=cascade)

    def add_persona_from_segment(
        self, profile: Any, segment: Any, *, name: str | None = None, **fields: Any
    ) -> str:
        """Add a persona card filled from a data segment's profile; return its id.

        ``profile`` is a segmentation result or its profile frame (see
        :func:`cjm_jupyter.personas.persona_from_segment`, which needs the
        ``personas`` extra). The card carries ``source``, ``basis="measured"``,
        ``n``, ``segment`` and ``segment_definition``; its narrative and name are
        left for a human to write.
        """
        from ..personas.cards import persona_from_segment

        return persona_from_segment(self, profile, segment, name=name, **fields)

    # -- stages --------------------------------------------------------------
    def add_stage(
        self,
        name: str,
        *,
        description: str | None = None,
        position: int | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a stage at ``position`` (default: last); return its id."""
        return self.add("stages", id=id, name=name, description=description, position=position, **extra)

    def update_stage(self, id: str, **fields: Any) -> None:
        """Rename or describe a stage (``name=``, ``description=``, extra columns)."""
        self.update("stages", id, **fields)

    def remove_stage(self, id: str, *, cascade: bool = False) -> None:
        """Remove a stage; ``cascade=True`` also removes what sits in it."""
        self.remove("stages", id, cascade=cascade)

    def move_stage(self, id: str, position: int) -> None:
        """Move a stage to ``position`` (0-based)."""
        self.move("stages", id, position)

    def reorder_stages(self, ids: Sequence[str]) -> None:
        """Put all stages in the order of ``ids``."""
        self.reorder("stages", ids)

    # -- touchpoints -------------------------------------------------------------
    def add_touchpoint(
        self,
        stage: str,
        name: str,
        *,
        channel: str | None = None,
        action: str | None = None,
        description: str | None = None,
        optimisation: str | None = None,
        owner: str | None = None,
        position: int | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a touchpoint to the stage ``stage``; return its id."""
        return self.add(
            "touchpoints",
            id=id,
            stage_id=stage,
            name=name,
            channel=channel,
            action=action,
            description=description,
            optimisation=optimisation,
            owner=owner,
            position=position,
            **extra,
        )

    def update_touchpoint(self, id: str, **fields: Any) -> None:
        """Set fields of a touchpoint (use :meth:`move_touchpoint` to change its stage)."""
        self.update("touchpoints", id, **fields)

    def remove_touchpoint(self, id: str, *, cascade: bool = False) -> None:
        """Remove a touchpoint; ``cascade=True`` also removes its emotions and pain points."""
        self.remove("touchpoints", id, cascade=cascade)

    def move_touchpoint(self, id: str, *, stage: str | None = None, position: int | None = None) -> None:
        """Move a touchpoint to another ``stage`` and/or ``position`` (default: last)."""
        check_cells("touchpoints", {"id": id, "stage_id": stage})  # before any lookup
        current = self._stage_of(id)
        if current is None:
            raise ValidationError("no touchpoint with this id", frame="touchpoints", row_id=id)
        target = current if stage is None else stage
        if position is None:
            size = int((self._frames["touchpoints"]["stage_id"] == target).fillna(False).sum())
            position = size - 1 if target == current else size
        self.move("touchpoints", id, position, group=stage)

    def reorder_touchpoints(self, ids: Sequence[str]) -> None:
        """Put every touchpoint of one stage in the order of ``ids``."""
        self.reorder("touchpoints", ids)

    # -- emotions ------------------------------------------------------------
    def set_emotion(
        self,
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
        """Set how ``persona`` feels at a touchpoint or a stage; return the row id.

        One row is kept per persona, place, source, ``period`` and ``segment`` (extras;
        default none): setting it again updates
        that row's given fields (``None`` leaves a field as it was). ``score``
        is on the emotion scale -2 (frustrated) .. +2 (delighted). ``basis``
        defaults to ``"assumed"`` for sources such as ``assumption`` or
        ``workshop`` and to ``"measured"`` otherwise.
        """
        values = dict(
            persona_id=persona,
            touchpoint_id=touchpoint,
            stage_id=stage,
            score=score,
            feeling=feeling,
            thought=thought,
            source=source,
            basis=_basis(source, basis),
            n=n,
            **extra,
        )
        values.setdefault("period", None)  # part of the row's key: an undated row is its own row
        values.setdefault("segment", None)  # likewise: a segment's row is not everyone's row
        check_cells("emotions", values)  # before the lookup below
        # The place first: it narrows the rows most (a persona has an emotion at many places).
        place = ("touchpoint_id", "stage_id", "persona_id", "source", "period", "segment")
        row_id = self._lookup("emotions", {c: values[c] for c in place})
        if row_id is not None:
            # Only what is given changes: a new score keeps the recorded quote.
            self.update("emotions", row_id, **{k: v for k, v in values.items() if v is not None})
            return row_id
        return self.add("emotions", **values)

    # -- pain points, opportunities, actions, metrics, empathy ------------------
    def add_pain_point(
        self,
        description: str,
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        persona: str | None = None,
        severity: int | None = None,
        frequency: int | None = None,
        evidence: str | None = None,
        source: str = "assumption",
        basis: str | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a pain point at a stage or touchpoint; return its id."""
        return self.add(
            "pain_points",
            id=id,
            description=description,
            stage_id=stage,
            touchpoint_id=touchpoint,
            persona_id=persona,
            severity=severity,
            frequency=frequency,
            evidence=evidence,
            source=source,
            basis=_basis(source, basis),
            **extra,
        )

    def add_opportunity(
        self,
        description: str,
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        pain_point: str | None = None,
        impact: int | None = None,
        effort: int | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add an improvement idea; return its id."""
        return self.add(
            "opportunities",
            id=id,
            description=description,
            stage_id=stage,
            touchpoint_id=touchpoint,
            pain_point_id=pain_point,
            impact=impact,
            effort=effort,
            **extra,
        )

    def add_action(
        self,
        description: str,
        *,
        owner: str | None = None,
        status: str = "planned",
        due: str | date | None = None,
        opportunity: str | None = None,
        stage: str | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add an action-plan item (status: planned, in_progress, done, blocked, dropped)."""
        return self.add(
            "actions",
            id=id,
            description=description,
            owner=owner,
            status=status,
            due=due,
            opportunity_id=opportunity,
            stage_id=stage,
            **extra,
        )

    def add_metric(
        self,
        name: str,
        value: float,
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        persona: str | None = None,
        unit: str | None = None,
        segment: str | None = None,
        n: int | None = None,
        source: str = "analytics",
        basis: str | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a measured (or assumed) value to the metrics lane; return its id."""
        return self.add(
            "metrics",
            id=id,
            name=name,
            value=value,
            stage_id=stage,
            touchpoint_id=touchpoint,
            persona_id=persona,
            unit=unit,
            segment=segment,
            n=n,
            source=source,
            basis=_basis(source, basis),
            **extra,
        )

    def add_empathy(
        self,
        persona: str,
        quadrant: str,
        text: str,
        *,
        source: str | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add an empathy-map entry (quadrant: says, thinks, does, feels)."""
        return self.add(
            "empathy", id=id, persona_id=persona, quadrant=quadrant, text=text, source=source, **extra
        )

    # -- custom lanes ------------------------------------------------------------
    @property
    def lane_names(self) -> list[str]:
        """Names of the custom lanes, in the order they were added."""
        return list(dict.fromkeys(self._frames["lanes"]["lane"].dropna()))

    def add_lane(self, name: str, cells: Mapping[str, str | None] | None = None) -> None:
        """Add a custom text lane with a cell for every stage (``cells``: stage id -> text).

        A lane lives in its cells, so the journey needs stages first. A stage
        added later has no cell in the lane until :meth:`set_lane_cell`; a
        missing cell reads as empty.
        """
        if self._frames["stages"].empty:
            raise ValidationError(
                "add stages before lanes: a lane holds one cell per stage",
                frame="lanes",
                column="lane",
                value=name,
            )
        if name in self.lane_names:
            raise ValidationError("a lane with this name exists", frame="lanes", column="lane", value=name)
        cells = dict(cells or {})
        stage_ids = list(self._frames["stages"]["id"])
        unknown = [s for s in cells if s not in stage_ids]
        if unknown:
            raise ValidationError(
                "unknown stage id (no such row in 'stages')",
                frame="lanes",
                column="stage_id",
                value=unknown[0],
            )
        with self.batch():
            for stage_id in stage_ids:
                self.add(
                    "lanes",
                    id=self._new_id(FRAMES["lanes"], f"{name} {stage_id}"),
                    lane=name,
                    stage_id=stage_id,
                    text=cells.get(stage_id),
                )

    def set_lane_cell(self, lane: str, stage: str, text: str | None) -> None:
        """Set the text of one lane cell (creating the cell if needed)."""
        check_cells("lanes", {"lane": lane, "stage_id": stage, "text": text})  # before the lookup
        df = self._frames["lanes"]
        hit = df.loc[(df["lane"] == lane).fillna(False) & (df["stage_id"] == stage).fillna(False), "id"]
        if len(hit):
            self.update("lanes", str(hit.iloc[0]), text=text)
        else:
            self.add(
                "lanes",
                id=self._new_id(FRAMES["lanes"], f"{lane} {stage}"),
                lane=lane,
                stage_id=stage,
                text=text,
            )

    def remove_lane(self, name: str) -> None:
        """Remove a custom lane and all its cells."""
        check_cells("lanes", {"lane": name})  # before the lookup
        df = self._frames["lanes"]
        ids = df.loc[(df["lane"] == name).fillna(False), "id"].tolist()
        if not ids:
            raise ValidationError("no lane with this name", frame="lanes", column="lane", value=name)
        self.remove("lanes", ids)

    def rename_lane(self, name: str, new_name: str) -> None:
        """Rename a custom lane: every cell of lane ``name`` moves to ``new_name``, ids kept."""
        check_cells("lanes", {"lane": name})  # before the lookup; new_name is checked as it is set
        df = self._frames["lanes"]
        ids = df.loc[(df["lane"] == name).fillna(False), "id"].tolist()
        if not ids:
            raise ValidationError("no lane with this name", frame="lanes", column="lane", value=name)
        if new_name == name:
            return
        if new_name in self.lane_names:
            raise ValidationError(
                "a lane with this name exists", frame="lanes", column="lane", value=new_name
            )
        with self.batch():  # all cells or none: a half-renamed lane would split in two
            for row_id in ids:
                self.update("lanes", str(row_id), lane=new_name)

    # -- event mapping (analytics) ---------------------------------------------------
    def map_events(self, touchpoint: str, events: str | Iterable[str], *, replace: bool = False) -> list[str]:
        """Map event-log event names to ``touchpoint``; return the rows' ids.

        The mapping lives in the ``event_map`` frame and travels with the
        journey's files; :mod:`cjm_jupyter.analytics` uses it when no
        ``mapping=`` is passed. An event maps to one touchpoint: mapping an
        event again moves it. With ``replace=True`` the touchpoint's events
        become exactly ``events`` (others mapped to it are unmapped). One
        change either way.

        Examples
        --------
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> tp = j.add_touchpoint(s, "Search engine")
        >>> j.map_events(tp, ["search", "search_ad_click"])
        ['search', 'search_ad_click']
        """
        names = list(dict.fromkeys([events] if isinstance(events, str) else events))
        check_cells("event_map", {"event": names, "touchpoint_id": touchpoint})  # before the lookups
        df = self._frames["event_map"]
        ids = []
        with self.batch():
            if replace:
                mine = (df["touchpoint_id"] == touchpoint).fillna(False)
                stale = df.loc[mine & ~df["event"].isin(names), "id"]
                if len(stale):
                    self.remove("event_map", stale.tolist())
                    df = self._frames["event_map"]
            for name in names:
                hit = df.loc[(df["event"] == name).fillna(False), "id"]
                if len(hit):
                    self.update("event_map", str(hit.iloc[0]), touchpoint_id=touchpoint)
                    ids.append(str(hit.iloc[0]))
                else:
                    new_id = self._new_id(FRAMES["event_map"], name)
                    ids.append(self.add("event_map", id=new_id, event=name, touchpoint_id=touchpoint))
        return ids

    def unmap_events(self, events: str | Iterable[str]) -> None:
        """Remove event names from the event mapping."""
        names = [events] if isinstance(events, str) else list(events)
        check_cells("event_map", {"event": names})  # before the lookup
        df = self._frames["event_map"]
        ids = df.loc[df["event"].isin(names).fillna(False), "id"].tolist()
        missing = sorted(set(names) - set(df.loc[df["id"].isin(ids), "event"]))
        if missing:
            raise ValidationError(
                "event not in the mapping", frame="event_map", column="event", value=missing[0]
            )
        self.remove("event_map", ids)

    # -- whole journey ---------------------------------------------------------
    def copy(self) -> Self:
        """An independent copy (observers are not copied)."""
        new = type(self).__new__(type(self))
        new._meta = dict(self._meta)
        new._frames = dict(self._frames)  # frames are never mutated in place
        new._observers = []
        new._pending = None
        new._ids = {}
        return new

    def equals(self, other: object) -> bool:
        """True when ``other`` is a journey with the same content: meta data and frames (dtypes included).

        ``updated_at`` is left out: it says *when* the content last changed, not
        what it is, so a journey equals the same content edited at another
        moment (a copy edited the same way, a file saved before a no-op edit).
        Every other meta field counts.
        """
        if not isinstance(other, JourneyCore):
            return False
        mine, theirs = dict(self._meta), dict(other._meta)
        mine.pop("updated_at", None)
        theirs.pop("updated_at", None)
        return mine == theirs and all(
            self._frames[n].equals(other._frames[n]) for n in self._frames
        )

    # -- files ---------------------------------------------------------------
    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str | None:
        """Write the journey to a JSON file (atomically); without ``path``, return the text."""
        from ..io.json_io import to_json

        return to_json(self, path, indent=indent)

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the journey to an ``.xlsx`` workbook, one sheet per frame (atomically)."""
        from ..io.excel_io import to_excel

        to_excel(self, path)

    def to_csv(self, folder: str | os.PathLike[str]) -> None:
        """Write the journey to a folder of CSV files plus ``journey.json`` (atomically)."""
        from ..io.csv_io import to_csv

        to_csv(self, folder)

    # -- display -----------------------------------------------------------------
    def plot(
        self,
        lanes: Sequence[str] | None = None,
        personas: Sequence[str] | None = None,
        *,
        period: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """The journey map as a Bokeh layout (see :func:`cjm_jupyter.plots.journey_map`).

        ``period`` picks the measurement period the metrics lane shows (default:
        the latest, with the change since the one before).
        """
        from ..plots.map import journey_map

        return journey_map(self, lanes=lanes, personas=personas, period=period, **kwargs)

    def __repr__(self) -> str:
        from ..display import journey_text

        return journey_text(self)

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        from ..display import journey_html, journey_text
        from ..sharing.mime import journey_entry

        # The document travels with the notebook: read_notebook() reads it back.
        return {"text/plain": journey_text(self), "text/html": journey_html(self), **journey_entry(self)}

    # -- analytics -----------------------------------------------------------------
    def measure(
        self,
        events: Any,
        surveys: Any = None,
        *,
        mapping: Any = None,
        scale: Any = "csat",
        period: str | None = None,
        **columns: Any,
    ) -> Any:
        """Measure the journey on an event log (and surveys) for one period and attach the results.

        Funnel customers and conversion per stage and bounce rate per touchpoint
        become measured metric rows (per segment too with ``segment=``), survey
        satisfaction measured emotion rows (per touchpoint or, with
        ``survey_level="stage"``, per stage). Every row written carries
        ``run_id="measure"`` and ``period`` (default: the calendar quarter of the
        log's last event, ``"YYYY-Qn"``). A re-run for the same period replaces only
        the rows an earlier run wrote for that period; hand-entered rows and other
        periods stay; a failure changes nothing. ``mapping=None`` uses the journey's
        own ``event_map`` (see :meth:`map_events`). ``columns``: ``customer``,
        ``time``, ``event``, ``segment``, ``score``, ``touchpoint``, ``respondent``,
        ``survey_level``, ``progress``; business outcomes: ``value`` (revenue,
        orders and average order value per stage), ``retention_days``,
        ``retention_min_gap`` (e.g. ``"1D"``: a visit's several goal events are not
        a return) and ``goal`` (retention after the goal), ``survey_metrics`` (NPS
        or top-2-box rows). With ``segment``, every row, survey emotions included, is written
        for all customers and per segment. See :func:`cjm_jupyter.analytics.measure`
        (needs the ``analytics`` extra) and :meth:`history`.

        Returns a :class:`~cjm_jupyter.analytics.measure_result.MeasureResult`: the
        tables the rows were written from (``result["funnel"]``, ...), shown as one
        line (period, rows written, segments, table names) when it ends a cell.
        """
        from ..analytics.measure import RUN_ID, measure
        from ..analytics.measure_result import MeasureResult

        tables = measure(self, events, surveys, mapping=mapping, scale=scale, period=period, **columns)
        return MeasureResult.of_run(self, tables, run_id=RUN_ID)

    def history(
        self,
        metric: str | None = None,
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        segment: str | None = None,
    ) -> pd.DataFrame:
        """Measured values over periods, one row per value (see :func:`cjm_jupyter.model.history.history`)."""
        from .history import history

        return history(self, metric, stage=stage, touchpoint=touchpoint, segment=segment)

    # -- living map: changes, review, priorities, goals ------------------------------------
    def diff(self, other: JourneyCore) -> Any:
        """What changed from ``self`` to ``other``, one row per change (see :mod:`.journey_diff`)."""
        from .journey_diff import diff

        return diff(self, other)

    def review(self, *, stale_after: int = 12, today: date | str | None = None) -> pd.DataFrame:
        """What still needs validating, one row per finding (see :func:`cjm_jupyter.model.review.review`)."""
        from .review import review

        return review(self, stale_after=stale_after, today=today)

    def priorities(self) -> pd.DataFrame:
        """Pain points and opportunities, ranked (see :func:`cjm_jupyter.model.priorities.priorities`)."""
        from .priorities import priorities

        return priorities(self)

    def add_goal(
        self,
        name: str,
        target: float,
        comparison: str = ">=",
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        segment: str | None = None,
        period: str | None = None,
        id: str | None = None,
        **fields: Any,
    ) -> str:
        """Add a goal: a KPI (a metric name) with a target (see :func:`cjm_jupyter.model.goals.add_goal`)."""
        from .goals import add_goal

        return add_goal(
            self, name, target, comparison, stage=stage, touchpoint=touchpoint, segment=segment,
            period=period, id=id, **fields,
        )

    def scorecard(self, *, period: str | None = None) -> pd.DataFrame:
        """Each goal against its latest measured value (see :func:`cjm_jupyter.model.goals.scorecard`)."""
        from .goals import scorecard

        return scorecard(self, period=period)

    # -- helpers -------------------------------------------------------------------
    def _stage_of(self, touchpoint: str) -> Any:
        from .placement import stage_of

        one = pd.Series([touchpoint], dtype=object)
        return stage_of(self._frames["touchpoints"], touchpoint_id=one).iloc[0]
