"""The public :class:`Journey`: typed editing methods on top of the core."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, Self, TypedDict, Unpack

import pandas as pd

from .._deprecate import renamed_keywords
from . import journey_ops
from .core import JourneyCore
from .fields import NOT_GIVEN, NotGiven, given_cells
from .specs import FRAMES

if TYPE_CHECKING:
    from bokeh.models import LayoutDOM

    from ..analytics.measure_result import MeasureResult
    from .journey_diff import JourneyDiff

__all__ = ["Journey", "MeasureOptions"]


class MeasureOptions(TypedDict, total=False):
    """The keywords :meth:`Journey.measure` passes on to :func:`cjm_jupyter.analytics.measure`.

    Column names of the event log (``customer_col``, ``time_col``,
    ``event_col``, ``value_col``) and of the surveys (``score_col``,
    ``touchpoint_col``, ``respondent_col``); ``segment_col``: a column to split
    every row by; the rest choose what is measured. Defaults are
    :func:`~cjm_jupyter.analytics.measure`'s.
    """

    segment_col: str | None
    survey_level: Literal["touchpoint", "stage"]
    customer_col: str
    time_col: str
    event_col: str
    score_col: str
    touchpoint_col: str
    respondent_col: str | None
    progress: bool | None
    value_col: str | None
    retention_days: float | None
    retention_min_gap: Any
    goal: str | None
    survey_metrics: bool
    mode: str


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

    Raises
    ------
    ValidationError
        If a meta field or a frame breaks a rule (an unknown ``kind``, an
        unknown frame name, a row referring to a missing one...).

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

        Like any change of the meta data it also sets :attr:`updated_at`.

        Parameters
        ----------
        on : str or datetime.date, optional
            The day of the review, e.g. ``"2026-11-30"``; default: today.

        Returns
        -------
        str
            The date stored in :attr:`reviewed_at`, as ISO text.

        Raises
        ------
        ValidationError
            If ``on`` is not a date (``column='reviewed_at'``).

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
    def add_persona(
        self, name: str, *, description: str | None = None, avatar: str | None = None,
        age: str | None = None, gender: str | None = None, location: str | None = None,
        income: str | None = None, occupation: str | None = None, psychographics: str | None = None,
        behaviour: str | None = None, goals: str | None = None, needs: str | None = None,
        motivations: str | None = None, frustrations: str | None = None, channels: str | None = None,
        validated_at: str | date | None = None, source: str | None = None, basis: str | None = None,
        n: int | None = None, segment: str | None = None, segment_definition: str | None = None,
        id: str | None = None, **extra: Any,
    ) -> str:  # fmt: skip
        """Add a persona and return its id.

        Every column of the ``personas`` frame (``FRAMES["personas"]``) is a
        keyword; a cell not given is empty.

        Parameters
        ----------
        name : str
            The persona's name, e.g. ``"Curious Colleen"``.
        description : str, optional
            Free text about the persona.
        avatar : str, optional
            Image URL, data URI or emoji.
        age : str, optional
            Age or age range, e.g. ``"32"`` or ``"25-34"``.
        gender, location, income, occupation : str, optional
            Demographics, as free text.
        psychographics : str, optional
            Interests, lifestyle, values.
        behaviour : str, optional
            Purchase patterns, preferred products, order value.
        goals, needs, motivations, frustrations : str, optional
            What drives the persona, as free text.
        channels : str, optional
            Preferred channels.
        validated_at : str or date, optional
            When the persona was last validated with real customers (ISO date).
        source : str, optional
            Where the persona comes from: interviews, workshop, segmentation...
        basis : {"measured", "assumed"}, optional
            Made from customer data, or a team's belief.
        n : int, optional
            Customers behind the persona (its segment's size), 0 or more.
        segment, segment_definition : str, optional
            The data segment the persona was made from, and how it is defined.
        id : str, optional
            The row's id; default: made from ``name`` (``"curious-colleen"``).
        **extra
            Custom columns of the row, by name (any other name becomes an
            extra column of the frame).

        Returns
        -------
        str
            The new persona's id.

        Raises
        ------
        ValidationError
            If a value breaks a rule of the ``personas`` frame (a taken id, a
            value of the wrong type...).

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> j.add_persona("Curious Colleen", age="32")
        'curious-colleen'
        >>> j.personas[["id", "name", "age"]].to_dict("records")
        [{'id': 'curious-colleen', 'name': 'Curious Colleen', 'age': '32'}]
        """
        return self.add("personas", id=id, **given_cells("personas", locals(), extra))

    def update_persona(
        self, id: str, *, name: str | NotGiven = NOT_GIVEN, description: str | NotGiven | None = NOT_GIVEN,
        avatar: str | NotGiven | None = NOT_GIVEN, age: str | NotGiven | None = NOT_GIVEN,
        gender: str | NotGiven | None = NOT_GIVEN, location: str | NotGiven | None = NOT_GIVEN,
        income: str | NotGiven | None = NOT_GIVEN, occupation: str | NotGiven | None = NOT_GIVEN,
        psychographics: str | NotGiven | None = NOT_GIVEN, behaviour: str | NotGiven | None = NOT_GIVEN,
        goals: str | NotGiven | None = NOT_GIVEN, needs: str | NotGiven | None = NOT_GIVEN,
        motivations: str | NotGiven | None = NOT_GIVEN, frustrations: str | NotGiven | None = NOT_GIVEN,
        channels: str | NotGiven | None = NOT_GIVEN, validated_at: str | date | NotGiven | None = NOT_GIVEN,
        source: str | NotGiven | None = NOT_GIVEN, basis: str | NotGiven | None = NOT_GIVEN,
        n: int | NotGiven | None = NOT_GIVEN, segment: str | NotGiven | None = NOT_GIVEN,
        segment_definition: str | NotGiven | None = NOT_GIVEN, **extra: Any,
    ) -> None:  # fmt: skip
        """Set cells of a persona: only those passed change, ``None`` empties one.

        Every column of the ``personas`` frame but ``id`` is a keyword (see
        :meth:`add_persona` for what each holds). Ids are stable and cannot be set.

        Parameters
        ----------
        id : str
            The persona's id.
        name : str, optional
            The persona's name (required: it cannot be emptied).
        description, avatar, age, gender, location, income, occupation : str or None, optional
            The persona's description, picture and demographics.
        psychographics, behaviour, goals, needs, motivations, frustrations, channels : str or None, optional
            What the persona is like, wants and uses.
        validated_at : str, date or None, optional
            When the persona was last validated with real customers (ISO date).
        source : str or None, optional
            Where the persona comes from.
        basis : {"measured", "assumed"} or None, optional
            Made from customer data, or a team's belief.
        n : int or None, optional
            Customers behind the persona, 0 or more.
        segment, segment_definition : str or None, optional
            The data segment the persona was made from, and how it is defined.
        **extra
            Custom columns to set, by name (a new name adds an extra column).

        Raises
        ------
        ValidationError
            If there is no persona ``id`` or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> p = j.add_persona("Colleen")
        >>> j.update_persona(p, age="33")
        >>> j.personas.loc[0, "age"]
        '33'
        """
        self.update("personas", id, **given_cells("personas", locals(), extra))

    def remove_persona(self, id: str, *, cascade: bool = False) -> None:
        """Remove a persona.

        Parameters
        ----------
        id : str
            The persona's id.
        cascade : bool, default False
            Also remove its emotions and empathy entries (and clear its
            optional links); without it, rows that refer to the persona
            block the removal.

        Raises
        ------
        ValidationError
            If there is no persona ``id``, or rows still refer to it and
            ``cascade`` is False.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> p = j.add_persona("Colleen")
        >>> j.remove_persona(p)
        >>> len(j.personas)
        0
        """
        self.remove("personas", id, cascade=cascade)

    def add_persona_from_segment(
        self, profile: Any, segment: Any, *, name: str | None = None,
        description: str | NotGiven | None = NOT_GIVEN, avatar: str | NotGiven | None = NOT_GIVEN,
        age: str | NotGiven | None = NOT_GIVEN, gender: str | NotGiven | None = NOT_GIVEN,
        location: str | NotGiven | None = NOT_GIVEN, income: str | NotGiven | None = NOT_GIVEN,
        occupation: str | NotGiven | None = NOT_GIVEN, psychographics: str | NotGiven | None = NOT_GIVEN,
        behaviour: str | NotGiven | None = NOT_GIVEN, goals: str | NotGiven | None = NOT_GIVEN,
        needs: str | NotGiven | None = NOT_GIVEN, motivations: str | NotGiven | None = NOT_GIVEN,
        frustrations: str | NotGiven | None = NOT_GIVEN, channels: str | NotGiven | None = NOT_GIVEN,
        validated_at: str | date | NotGiven | None = NOT_GIVEN, source: str | NotGiven | None = NOT_GIVEN,
        basis: str | NotGiven | None = NOT_GIVEN, n: int | NotGiven | None = NOT_GIVEN,
        segment_definition: str | NotGiven | None = NOT_GIVEN, id: str | None = None, **extra: Any,
    ) -> str:  # fmt: skip
        """Add a persona card filled from a data segment's profile; return its id.

        The card carries ``source``, ``basis="measured"``, ``n``, ``segment``
        and ``segment_definition``; its narrative and name are left for a human
        to write. Needs the ``personas`` extra. The persona columns are
        keywords, as in :func:`cjm_jupyter.personas.persona_from_segment`: one
        not given (:data:`~cjm_jupyter.model.NOT_GIVEN`) keeps the measured
        value, ``None`` empties the cell.

        Parameters
        ----------
        profile : SegmentResult or DataFrame
            A segmentation result or its profile frame (see
            :func:`cjm_jupyter.personas.persona_from_segment`).
        segment : int or str
            The segment to describe.
        name : str, optional
            The persona's name; default ``"Segment <segment> (name me)"``.
        description, avatar, age, gender, location, income, occupation : str or None, optional
            The persona's description, picture and demographics.
        psychographics, behaviour, goals, needs, motivations, frustrations, channels : str or None, optional
            What the persona is like, wants and uses.
        validated_at : str or date or None, optional
            When the persona was last validated with real customers.
        source, basis, n, segment_definition : optional
            How the persona was made; default the segmentation's.
        id : str, optional
            The row's id; default: made from ``name``.
        **extra
            Custom columns of the persona card.

        Returns
        -------
        str
            The new persona's id.

        Raises
        ------
        ValidationError
            If ``profile`` is not a profile, ``segment`` is unknown or has fewer
            than 2 customers, or a field breaks a rule; the journey is unchanged.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> from cjm_jupyter.personas import make_customers, segment_customers
        >>> t = make_customers(500, seed=2).drop(columns="planted_segment")
        >>> result = segment_customers(t, customer_col="customer_id", k=3)
        >>> j = Journey("Shop")
        >>> pid = j.add_persona_from_segment(result, 1, needs="Fast delivery")
        >>> j.personas.loc[0, ["name", "basis", "needs"]].tolist()
        ['Segment 1 (name me)', 'measured', 'Fast delivery']
        """
        # first thing: the arguments as passed (name and the segment's label are not overrides)
        given = {k: v for k, v in locals().items() if k not in ("name", "segment")}
        from ..personas.cards import persona_from_segment

        cells = given_cells("personas", given, extra)
        return persona_from_segment(self, profile, segment, name, id=id, **cells)

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
        """Add a stage at ``position`` (default: last) and return its id.

        Parameters
        ----------
        name : str
            The stage's name, e.g. ``"Awareness"``.
        description : str, optional
            Free text about the stage.
        position : int, optional
            0-based place among the stages; later stages move one place down.
            Default: after the last stage.
        id : str, optional
            The row's id; default: made from ``name`` (``"awareness"``).
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new stage's id.

        Raises
        ------
        ValidationError
            If ``position`` is not an integer from 0 to the number of stages,
            the id is taken or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> j.add_stage("Purchase")
        'purchase'
        >>> _ = j.add_stage("Research", position=0)
        >>> j.stages["name"].tolist()
        ['Research', 'Purchase']
        """
        return self.add("stages", id=id, name=name, description=description, position=position, **extra)

    def update_stage(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        **extra: Any,
    ) -> None:
        """Rename or describe a stage: only the cells passed change, ``None`` empties one.

        Use :meth:`move_stage` to change its position.

        Parameters
        ----------
        id : str
            The stage's id.
        name : str, optional
            The stage's name (required: it cannot be emptied).
        description : str or None, optional
            Free text about the stage.
        **extra
            Custom columns to set, by name (a new name adds an extra column).

        Raises
        ------
        ValidationError
            If there is no stage ``id``, ``order`` or ``id`` is given, or a
            value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> j.update_stage(s, name="Discovery")
        >>> j.stages[["id", "name"]].to_dict("records")
        [{'id': 'research', 'name': 'Discovery'}]
        """
        self.update("stages", id, **given_cells("stages", locals(), extra))

    def remove_stage(self, id: str, *, cascade: bool = False) -> None:
        """Remove a stage; the stages after it move up one place.

        Parameters
        ----------
        id : str
            The stage's id.
        cascade : bool, default False
            Also remove what sits in the stage (its touchpoints, their
            emotions and pain points...); without it, rows that refer to the
            stage block the removal.

        Raises
        ------
        ValidationError
            If there is no stage ``id``, or rows still refer to it and
            ``cascade`` is False.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> _ = j.add_touchpoint(s, "Search engine")
        >>> j.remove_stage(s, cascade=True)
        >>> len(j.stages), len(j.touchpoints)
        (0, 0)
        """
        self.remove("stages", id, cascade=cascade)

    def move_stage(self, id: str, position: int) -> None:
        """Move a stage to ``position`` (0-based).

        Parameters
        ----------
        id : str
            The stage's id.
        position : int
            Its new 0-based place among the stages.

        Raises
        ------
        ValidationError
            If there is no stage ``id`` or ``position`` is out of range.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> a, b = j.add_stage("Research"), j.add_stage("Purchase")
        >>> j.move_stage(b, 0)
        >>> j.stages["name"].tolist()
        ['Purchase', 'Research']
        """
        self.move("stages", id, position)

    def reorder_stages(self, ids: Sequence[str]) -> None:
        """Put all stages in the order of ``ids``.

        Parameters
        ----------
        ids : sequence of str
            Every stage id, each once, in the new order.

        Raises
        ------
        ValidationError
            If an id is unknown, or ``ids`` does not hold every stage exactly once.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> ids = [j.add_stage(n) for n in ("Research", "Purchase", "Use")]
        >>> j.reorder_stages(ids[::-1])
        >>> j.stages["name"].tolist()
        ['Use', 'Purchase', 'Research']
        """
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
        """Add a touchpoint to the stage ``stage`` and return its id.

        Parameters
        ----------
        stage : str
            The id of the stage the touchpoint belongs to.
        name : str
            The touchpoint's name, e.g. ``"Search engine"``.
        channel : str, optional
            Where it happens: website, ads, reviews, store, email, chat, phone...
        action : str, optional
            What the customer does here.
        description : str, optional
            Free text.
        optimisation : str, optional
            How the touchpoint could be improved.
        owner : str, optional
            Who in the company owns the touchpoint.
        position : int, optional
            0-based place inside the stage; default: last.
        id : str, optional
            The row's id; default: made from ``name``.
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new touchpoint's id.

        Raises
        ------
        ValidationError
            If there is no stage ``stage``, ``position`` is out of range or a
            value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> j.add_touchpoint(s, "Search engine", channel="search")
        'search-engine'
        >>> j.touchpoints[["stage_id", "name", "channel", "order"]].to_dict("records")
        [{'stage_id': 'research', 'name': 'Search engine', 'channel': 'search', 'order': 0}]
        """
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

    def update_touchpoint(
        self,
        id: str,
        *,
        name: str | NotGiven = NOT_GIVEN,
        channel: str | NotGiven | None = NOT_GIVEN,
        action: str | NotGiven | None = NOT_GIVEN,
        description: str | NotGiven | None = NOT_GIVEN,
        optimisation: str | NotGiven | None = NOT_GIVEN,
        owner: str | NotGiven | None = NOT_GIVEN,
        **extra: Any,
    ) -> None:
        """Set cells of a touchpoint: only those passed change, ``None`` empties one.

        Use :meth:`move_touchpoint` to change its stage or position.

        Parameters
        ----------
        id : str
            The touchpoint's id.
        name : str, optional
            The touchpoint's name (required: it cannot be emptied).
        channel : str or None, optional
            Where it happens: website, ads, reviews, store, email, chat, phone...
        action : str or None, optional
            What the customer does here.
        description : str or None, optional
            Free text.
        optimisation : str or None, optional
            How the touchpoint could be improved.
        owner : str or None, optional
            Who in the company owns the touchpoint.
        **extra
            Custom columns to set, by name (a new name adds an extra column).

        Raises
        ------
        ValidationError
            If there is no touchpoint ``id``, ``stage_id``, ``order`` or ``id``
            is given, or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> tp = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> j.update_touchpoint(tp, channel="search")
        >>> j.touchpoints.loc[0, "channel"]
        'search'
        """
        self.update("touchpoints", id, **given_cells("touchpoints", locals(), extra))

    def remove_touchpoint(self, id: str, *, cascade: bool = False) -> None:
        """Remove a touchpoint.

        Parameters
        ----------
        id : str
            The touchpoint's id.
        cascade : bool, default False
            Also remove its emotions and pain points (and clear optional links
            to it); without it, rows that refer to the touchpoint block the removal.

        Raises
        ------
        ValidationError
            If there is no touchpoint ``id``, or rows still refer to it and
            ``cascade`` is False.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> tp = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> j.remove_touchpoint(tp)
        >>> len(j.touchpoints)
        0
        """
        self.remove("touchpoints", id, cascade=cascade)

    def move_touchpoint(self, id: str, *, stage: str | None = None, position: int | None = None) -> None:
        """Move a touchpoint to another ``stage`` and/or ``position``.

        Parameters
        ----------
        id : str
            The touchpoint's id.
        stage : str, optional
            The id of the stage to move it to; default: its own.
        position : int, optional
            0-based place inside the target stage; default: last.

        Raises
        ------
        ValidationError
            If there is no touchpoint ``id`` or stage ``stage``, or
            ``position`` is out of range.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> research, buy = j.add_stage("Research"), j.add_stage("Purchase")
        >>> tp = j.add_touchpoint(research, "Chat")
        >>> j.move_touchpoint(tp, stage=buy)
        >>> j.touchpoints.loc[0, "stage_id"]
        'purchase'
        """
        journey_ops.move_touchpoint(self, id, stage=stage, position=position)

    def reorder_touchpoints(self, ids: Sequence[str]) -> None:
        """Put every touchpoint of one stage in the order of ``ids``.

        Parameters
        ----------
        ids : sequence of str
            Every touchpoint id of one stage, each once, in the new order.

        Raises
        ------
        ValidationError
            If an id is unknown, or ``ids`` does not hold every touchpoint of
            the stage exactly once.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> ids = [j.add_touchpoint(s, n) for n in ("Ads", "Search", "Reviews")]
        >>> j.reorder_touchpoints([ids[2], ids[0], ids[1]])
        >>> j.touchpoints["name"].tolist()
        ['Reviews', 'Ads', 'Search']
        """
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
        """Set how ``persona`` feels at a touchpoint or a stage and return the row's id.

        One row is kept per persona, place, source, ``period`` and ``segment``
        (extras; default none): setting it again updates that row's given
        fields (``None`` leaves a field as it was).

        Parameters
        ----------
        persona : str or None
            The persona's id; None for every customer.
        score : float
            On the emotion scale -2 (frustrated) .. 0 (indifferent) .. +2 (delighted).
        touchpoint, stage : str, optional
            The place: a touchpoint id or a stage id (exactly one).
        feeling : str, optional
            A feeling label: frustrated, curious, relieved...
        thought : str, optional
            What the customer thinks; a quote.
        source : str, default "assumption"
            Where the score comes from: interview, survey, analytics, workshop...
        basis : {"assumed", "measured"}, optional
            Default: ``"assumed"`` for sources such as ``assumption`` or
            ``workshop``, ``"measured"`` otherwise.
        n : int, optional
            Sample size behind the score.
        **extra
            Other cells: ``period=``, ``segment=`` (both part of the row's
            key) or extra columns.

        Returns
        -------
        str
            The id of the emotion row, new or updated.

        Raises
        ------
        ValidationError
            If ``score`` is off the scale, neither or both of ``touchpoint``
            and ``stage`` are given, an id is unknown or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> p = j.add_persona("Colleen")
        >>> tp = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> row = j.set_emotion(p, touchpoint=tp, score=-1, feeling="overwhelmed")
        >>> j.set_emotion(p, touchpoint=tp, score=1) == row  # the same row, updated
        True
        >>> j.emotions[["score", "feeling", "basis"]].to_dict("records")
        [{'score': 1.0, 'feeling': 'overwhelmed', 'basis': 'assumed'}]
        """
        return journey_ops.set_emotion(
            self, persona, score=score, touchpoint=touchpoint, stage=stage, feeling=feeling,
            thought=thought, source=source, basis=basis, n=n, **extra,
        )  # fmt: skip

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
        """Add a pain point at a stage or touchpoint and return its id.

        Parameters
        ----------
        description : str
            What hurts, in the customer's words if possible.
        stage, touchpoint : str, optional
            Where it hurts: a stage id and/or a touchpoint id.
        persona : str, optional
            The persona it hurts; default: everyone.
        severity : int, optional
            1 (minor) .. 5 (critical).
        frequency : int, optional
            1 (rare) .. 5 (constant).
        evidence : str, optional
            Survey, tickets, analytics, reviews...
        source : str, default "assumption"
            Where the pain point comes from.
        basis : {"assumed", "measured"}, optional
            Default: from ``source`` (as in :meth:`set_emotion`).
        id : str, optional
            The row's id; default ``pain-<n>``.
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new pain point's id.

        Raises
        ------
        ValidationError
            If ``severity`` or ``frequency`` is out of 1..5, an id is unknown or
            a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> pp = j.add_pain_point("Hard to compare models", stage=s, severity=4)
        >>> j.pain_points[["description", "stage_id", "severity"]].to_dict("records")
        [{'description': 'Hard to compare models', 'stage_id': 'research', 'severity': 4}]
        """
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
            basis=journey_ops.basis_of(source, basis),
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
        """Add an improvement idea and return its id.

        Parameters
        ----------
        description : str
            The idea.
        stage, touchpoint : str, optional
            Where it applies: a stage id or a touchpoint id.
        pain_point : str, optional
            The id of the pain point it relieves.
        impact, effort : int, optional
            1 (low) .. 5 (high); they rank it in :meth:`priorities`.
        id : str, optional
            The row's id; default ``opp-<n>``.
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new opportunity's id.

        Raises
        ------
        ValidationError
            If ``impact`` or ``effort`` is out of 1..5, an id is unknown or a
            value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> _ = j.add_opportunity("Comparison chart", stage=s, impact=4, effort=2)
        >>> j.opportunities[["description", "impact", "effort"]].to_dict("records")
        [{'description': 'Comparison chart', 'impact': 4, 'effort': 2}]
        """
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
        """Add an action-plan item and return its id.

        Parameters
        ----------
        description : str
            What is to be done.
        owner : str, optional
            Who does it.
        status : {"planned", "in_progress", "done", "blocked", "dropped"}, default "planned"
            Where it stands.
        due : str or datetime.date, optional
            When it is due (ISO date text or a date).
        opportunity : str, optional
            The id of the opportunity it acts on.
        stage : str, optional
            The id of the stage it concerns.
        id : str, optional
            The row's id; default ``act-<n>``.
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new action's id.

        Raises
        ------
        ValidationError
            If ``status`` is not one of the statuses, ``due`` is not a date, an
            id is unknown or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_action("Build a comparison chart", owner="Web team", due="2026-12-31")
        >>> j.actions[["description", "status", "due"]].astype(str).to_dict("records")
        [{'description': 'Build a comparison chart', 'status': 'planned', 'due': '2026-12-31'}]
        """
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
        """Add a measured (or assumed) value to the metrics lane and return its id.

        Parameters
        ----------
        name : str
            The metric, e.g. ``"conversion rate"``.
        value : float
            Its value.
        stage, touchpoint : str, optional
            Where it was measured: a stage id or a touchpoint id.
        persona : str, optional
            The persona it concerns.
        unit : str, optional
            E.g. ``"%"``, ``"EUR"``.
        segment : str, optional
            The segment value the metric was measured on (empty: every customer).
        n : int, optional
            Sample size.
        source : str, default "analytics"
            Where the value comes from.
        basis : {"assumed", "measured"}, optional
            Default: from ``source`` (as in :meth:`set_emotion`).
        id : str, optional
            The row's id; default: made from ``name``.
        **extra
            Other cells: ``period=`` (e.g. ``"2026-Q3"``) or extra columns.

        Returns
        -------
        str
            The new metric's id.

        Raises
        ------
        ValidationError
            If ``value`` is not a number, an id is unknown or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> buy = j.add_stage("Purchase")
        >>> _ = j.add_metric("conversion rate", 2.5, stage=buy, unit="%")
        >>> j.metrics[["name", "value", "unit", "basis"]].to_dict("records")
        [{'name': 'conversion rate', 'value': 2.5, 'unit': '%', 'basis': 'measured'}]
        """
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
            basis=journey_ops.basis_of(source, basis),
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
        """Add an empathy-map entry and return its id.

        Parameters
        ----------
        persona : str
            The persona's id.
        quadrant : {"says", "thinks", "does", "feels"}
            The quadrant of the empathy map.
        text : str
            The entry.
        source : str, optional
            Where it comes from (an interview...).
        id : str, optional
            The row's id; default ``emp-<n>``.
        **extra
            Extra columns of the row, by name.

        Returns
        -------
        str
            The new entry's id.

        Raises
        ------
        ValidationError
            If ``quadrant`` is not one of the four, the persona is unknown or a
            value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> p = j.add_persona("Colleen")
        >>> _ = j.add_empathy(p, "says", "I just want it to work")
        >>> j.empathy[["quadrant", "text"]].to_dict("records")
        [{'quadrant': 'says', 'text': 'I just want it to work'}]
        """
        return self.add(
            "empathy", id=id, persona_id=persona, quadrant=quadrant, text=text, source=source, **extra
        )

    # -- custom lanes ------------------------------------------------------------
    @property
    def lane_names(self) -> list[str]:
        """Names of the custom lanes, in the order they were added."""
        return list(dict.fromkeys(self._frames["lanes"]["lane"].dropna()))

    def add_lane(self, name: str, cells: Mapping[str, str | None] | None = None) -> None:
        """Add a custom text lane with a cell for every stage.

        A lane lives in its cells, so the journey needs stages first. A stage
        added later has no cell in the lane until :meth:`set_lane_cell`; a
        missing cell reads as empty. One change.

        Parameters
        ----------
        name : str
            The lane's name, e.g. ``"Backstage"``.
        cells : mapping of str to str or None, optional
            Stage id -> the cell's text; stages not named get an empty cell.

        Raises
        ------
        ValidationError
            If the journey has no stages, a lane ``name`` exists or a key of
            ``cells`` is not a stage id.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> j.add_lane("Backstage", {s: "Catalogue sync"})
        >>> j.lanes[["lane", "stage_id", "text"]].to_dict("records")
        [{'lane': 'Backstage', 'stage_id': 'research', 'text': 'Catalogue sync'}]
        """
        journey_ops.add_lane(self, name, cells)

    def set_lane_cell(self, lane: str, stage: str, text: str | None) -> None:
        """Set the text of one lane cell (creating the cell if needed).

        Parameters
        ----------
        lane : str
            The lane's name.
        stage : str
            The stage's id.
        text : str or None
            The cell's text; None empties it.

        Raises
        ------
        ValidationError
            If ``stage`` is not a stage id or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> j.add_lane("Backstage")
        >>> j.set_lane_cell("Backstage", s, "Catalogue sync")
        >>> j.lanes.loc[0, "text"]
        'Catalogue sync'
        """
        journey_ops.set_lane_cell(self, lane, stage, text)

    def remove_lane(self, name: str) -> None:
        """Remove a custom lane and all its cells.

        Parameters
        ----------
        name : str
            The lane's name.

        Raises
        ------
        ValidationError
            If there is no lane ``name``.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> j.add_lane("Backstage")
        >>> j.remove_lane("Backstage")
        >>> j.lane_names
        []
        """
        journey_ops.remove_lane(self, name)

    def rename_lane(self, name: str, new_name: str) -> None:
        """Rename a custom lane: every cell of lane ``name`` moves to ``new_name``, ids kept.

        Parameters
        ----------
        name : str
            The lane's name.
        new_name : str
            Its new name.

        Raises
        ------
        ValidationError
            If there is no lane ``name`` or a lane ``new_name`` exists.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> j.add_lane("Backstage")
        >>> j.rename_lane("Backstage", "Systems")
        >>> j.lane_names
        ['Systems']
        """
        journey_ops.rename_lane(self, name, new_name)

    # -- event mapping (analytics) ---------------------------------------------------
    def map_events(self, touchpoint: str, events: str | Iterable[str], *, replace: bool = False) -> list[str]:
        """Map event-log event names to ``touchpoint`` and return the rows' ids.

        The mapping lives in the ``event_map`` frame and travels with the
        journey's files; :mod:`cjm_jupyter.analytics` uses it when no
        ``mapping=`` is passed. An event maps to one touchpoint: mapping an
        event again moves it. One change either way.

        Parameters
        ----------
        touchpoint : str
            The touchpoint's id.
        events : str or iterable of str
            Event names as the log spells them.
        replace : bool, default False
            Make the touchpoint's events exactly ``events`` (others mapped to
            it are unmapped).

        Returns
        -------
        list of str
            The ids of the ``event_map`` rows of ``events``, in their order.

        Raises
        ------
        ValidationError
            If there is no touchpoint ``touchpoint`` or an event name is not text.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> tp = j.add_touchpoint(s, "Search engine")
        >>> j.map_events(tp, ["search", "search_ad_click"])
        ['search', 'search_ad_click']
        """
        return journey_ops.map_events(self, touchpoint, events, replace=replace)

    def unmap_events(self, events: str | Iterable[str]) -> None:
        """Remove event names from the event mapping.

        Parameters
        ----------
        events : str or iterable of str
            Mapped event names.

        Raises
        ------
        ValidationError
            If an event is not in the mapping (nothing is removed then).

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> tp = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> _ = j.map_events(tp, ["search", "search_ad_click"])
        >>> j.unmap_events("search_ad_click")
        >>> j.event_map["event"].tolist()
        ['search']
        """
        journey_ops.unmap_events(self, events)

    # -- whole journey ---------------------------------------------------------
    def copy(self) -> Self:
        """Return an independent copy (observers are not copied).

        Returns
        -------
        Journey
            A journey with the same meta data and frames; editing one never
            changes the other.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> k = j.copy()
        >>> _ = k.add_stage("Purchase")
        >>> len(j.stages), len(k.stages)
        (1, 2)
        """
        new = type(self).__new__(type(self))
        new._meta = dict(self._meta)
        new._frames = dict(self._frames)  # frames are never mutated in place
        new._observers = []
        new._pending = None
        new._ids = {}
        return new

    def equals(self, other: object) -> bool:
        """Tell whether ``other`` is a journey with the same content: meta data and frames (dtypes included).

        ``updated_at`` is left out: it says *when* the content last changed, not
        what it is, so a journey equals the same content edited at another
        moment (a copy edited the same way, a file saved before a no-op edit).
        Every other meta field counts.

        Parameters
        ----------
        other : object
            Anything; only a journey can be equal.

        Returns
        -------
        bool
            True when the content is the same.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> j.equals(j.copy()), j.equals(Journey("Shop"))
        (True, False)
        """
        if not isinstance(other, JourneyCore):
            return False
        mine, theirs = dict(self._meta), dict(other._meta)
        mine.pop("updated_at", None)
        theirs.pop("updated_at", None)
        return mine == theirs and all(self._frames[n].equals(other._frames[n]) for n in self._frames)

    # -- files ---------------------------------------------------------------
    def to_json(self, path: str | os.PathLike[str] | None = None, *, indent: int | None = 2) -> str | None:
        """Write the journey to a JSON file (atomically); without ``path``, return the text.

        See :func:`cjm_jupyter.io.to_json`; :func:`cjm_jupyter.read_json` reads it back.

        Parameters
        ----------
        path : str or os.PathLike, optional
            The file to write; None returns the JSON text instead.
        indent : int or None, default 2
            Indentation of the JSON text; None writes it on one line.

        Returns
        -------
        str or None
            The JSON text when ``path`` is None, else None.

        Raises
        ------
        OSError
            If the file cannot be written.

        Examples
        --------
        >>> import os, tempfile
        >>> from cjm_jupyter import Journey, read_json
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     j.to_json(os.path.join(tmp, "shop.json"))
        ...     read_json(os.path.join(tmp, "shop.json")).equals(j)
        True
        """
        from ..io.json_io import to_json

        return to_json(self, path, indent=indent)

    def to_excel(self, path: str | os.PathLike[str]) -> None:
        """Write the journey to an ``.xlsx`` workbook, one sheet per frame (atomically).

        See :func:`cjm_jupyter.io.to_excel`; :func:`cjm_jupyter.read_excel` reads it back.

        Parameters
        ----------
        path : str or os.PathLike
            The workbook to write.

        Raises
        ------
        OSError
            If the file cannot be written.

        Examples
        --------
        >>> import os, tempfile
        >>> from cjm_jupyter import Journey, read_excel
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     j.to_excel(os.path.join(tmp, "shop.xlsx"))
        ...     read_excel(os.path.join(tmp, "shop.xlsx")).stages["name"].tolist()
        ['Research']
        """
        from ..io.excel_io import to_excel

        to_excel(self, path)

    def to_csv(self, folder: str | os.PathLike[str]) -> None:
        """Write the journey to a folder of CSV files plus ``journey.json`` (atomically).

        See :func:`cjm_jupyter.io.to_csv`; :func:`cjm_jupyter.read_csv` reads it back.

        Parameters
        ----------
        folder : str or os.PathLike
            The folder to write (made if missing).

        Raises
        ------
        OSError
            If the files cannot be written.

        Examples
        --------
        >>> import os, tempfile
        >>> from cjm_jupyter import Journey, read_csv
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Research")
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     j.to_csv(os.path.join(tmp, "shop"))
        ...     read_csv(os.path.join(tmp, "shop")).stages["name"].tolist()
        ['Research']
        """
        from ..io.csv_io import to_csv

        to_csv(self, folder)

    # -- display -----------------------------------------------------------------
    def plot(
        self,
        lanes: Sequence[str] | None = None,
        personas: Sequence[str] | None = None,
        *,
        period: str | None = None,
        width: int | None = None,
        height: int | None = None,
        segment: str | None = None,
        comparison: pd.DataFrame | None = None,
        full_text: bool = False,
    ) -> LayoutDOM:
        """Draw the journey map as a Bokeh layout (see :func:`cjm_jupyter.plots.journey_map`).

        Parameters
        ----------
        lanes : sequence of str, optional
            Lanes to show, top to bottom (built-in lane names and custom lane
            names); default: every lane that has content.
        personas : sequence of str, optional
            Persona ids or names whose emotions, pain points and metrics are
            shown, one emotion curve each; default: all.
        period : str, optional
            The measurement period the metrics lane shows; default: the
            latest, with the change since the one before.
        width : int, optional
            Fixed width of the map in pixels, lane titles included; default:
            responsive, the width of the output area.
        height : int, optional
            Height of the lanes in pixels, shared among them in proportion;
            default: the height the content needs (the least a ``height`` may be).
        segment : str, optional
            Show one segment's measurements: only the metric and emotion rows
            whose ``segment`` is this value.
        comparison : DataFrame, optional
            A :func:`cjm_jupyter.analytics.compare_segments` frame: significant
            differences are marked on the segment's conversion cards.
        full_text : bool, default False
            Print every text in full (for PNG export and print, where there is
            no hover).

        Returns
        -------
        bokeh.models.LayoutDOM
            One figure per lane, the stage header first, sharing one x range;
            show it with ``bokeh.io.show`` or end a cell with it.

        Raises
        ------
        ValidationError
            On an unknown lane name, persona, period or segment (the message
            lists the valid ones), a ``width`` too small for the touchpoints, a
            ``height`` below what the lanes need, or a ``comparison`` that is not
            a ``compare_segments`` frame.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> layout = j.plot(lanes=["touchpoints"])
        >>> type(layout).__module__.split(".")[0]
        'bokeh'
        """
        from ..plots.map import journey_map

        return journey_map(
            self, lanes=lanes, personas=personas, period=period, width=width, height=height,
            segment=segment, comparison=comparison, full_text=full_text,
        )  # fmt: skip

    def __repr__(self) -> str:
        """Return the journey as text: its name, counts and stages."""
        from ..display import journey_text

        return journey_text(self)

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, Any]:
        """Return the notebook's views of the journey: text, HTML and the journey's own document."""
        from ..display import journey_html, journey_text
        from ..sharing.mime import journey_entry

        # The document travels with the notebook: read_notebook() reads it back.
        return {"text/plain": journey_text(self), "text/html": journey_html(self), **journey_entry(self)}

    # -- analytics -----------------------------------------------------------------
    @renamed_keywords(
        customer="customer_col",
        time="time_col",
        event="event_col",
        segment="segment_col",
        value="value_col",
        score="score_col",
        touchpoint="touchpoint_col",
        respondent="respondent_col",
    )
    def measure(
        self,
        events: Any,
        surveys: Any = None,
        *,
        mapping: Any = None,
        scale: Any = "csat",
        period: str | None = None,
        **columns: Unpack[MeasureOptions],
    ) -> MeasureResult:
        """Measure the journey on an event log (and surveys) for one period and attach the results.

        Funnel customers and conversion per stage and exit rate per touchpoint
        become measured metric rows (per segment too with ``segment_col=``), survey
        satisfaction measured emotion rows (per touchpoint or, with
        ``survey_level="stage"``, per stage). Every row written carries
        ``run_id="measure"`` and ``period``. A re-run for the same period
        replaces only the rows an earlier run wrote for that period;
        hand-entered rows and other periods stay; a failure changes nothing.
        See :func:`cjm_jupyter.analytics.measure` (needs the ``analytics``
        extra) and :meth:`history`.

        Parameters
        ----------
        events : DataFrame, EventLog or Spark DataFrame
            The event log: one row per event with a customer id, a time and an
            event name.
        surveys : DataFrame, optional
            Survey answers: a customer id, a score and the touchpoint (or stage) rated.
        mapping : mapping of str to str, optional
            Event name -> touchpoint id; default: the journey's own
            ``event_map`` (see :meth:`map_events`).
        scale : str or tuple, default "csat"
            The survey score's scale, mapped onto the emotion scale.
        period : str, optional
            The period the rows are for; default: the calendar quarter of the
            log's last event, ``"YYYY-Qn"``.
        **columns
            The log's and surveys' column names (``customer_col``,
            ``time_col``, ``event_col``, ``score_col``, ``touchpoint_col``,
            ``respondent_col``), ``segment_col`` (a column: every row is
            written for all customers and per segment), ``survey_level``,
            ``progress``, ``mode``, and business outcomes: ``value_col`` (a
            column of amounts: revenue, orders and average order value per
            stage), ``retention_days``, ``retention_min_gap`` (e.g. ``"1D"``),
            ``goal`` (retention after the goal) and ``survey_metrics`` (NPS or
            top-2-box rows); typed by ``MeasureOptions``. The old names without
            ``_col`` still work for one release, with a warning.

        Returns
        -------
        MeasureResult
            The tables the rows were written from (``result["funnel"]``, ...),
            shown as one line (period, rows written, segments, table names)
            when it ends a cell.

        Raises
        ------
        ValidationError
            A bad argument, log, survey or mapping: a column missing from the
            log, an event mapped to an unknown touchpoint... (before anything
            changes).

        Examples
        --------
        >>> import pandas as pd
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> tp = j.add_touchpoint(j.add_stage("Research"), "Search engine")
        >>> _ = j.map_events(tp, "search")
        >>> log = pd.DataFrame({"customer_id": ["a", "b"], "event": ["search", "search"],
        ...                     "timestamp": pd.to_datetime(["2026-05-01", "2026-05-02"])})
        >>> result = j.measure(log)
        >>> print(result)
        measured period '2026-Q2': 2 metric rows written, for all customers; tables: funnel, exits ...
        >>> j.metrics[["name", "value", "period"]].to_dict("records")
        [{'name': 'customers', 'value': 2.0, 'period': '2026-Q2'},
         {'name': 'exit rate', 'value': 0.0, 'period': '2026-Q2'}]
        """
        from ..analytics.measure import RUN_ID, measure
        from ..analytics.measure_result import MeasureResult

        tables = measure(events, self, surveys, mapping=mapping, scale=scale, period=period, **columns)
        return MeasureResult.of_run(self, tables, run_id=RUN_ID)

    def history(
        self,
        metric: str | None = None,
        *,
        stage: str | None = None,
        touchpoint: str | None = None,
        segment: str | None = None,
    ) -> pd.DataFrame:
        """Return measured values over periods, one row per value (see :func:`.history.history`).

        Parameters
        ----------
        metric : str, optional
            Only this metric (its name, any case); default: every metric.
        stage, touchpoint : str, optional
            Only the values at this stage or touchpoint (id or name).
        segment : str, optional
            Only this segment's values; default: every customer's and each segment's.

        Returns
        -------
        DataFrame
            One row per value with its ``period``, ``value`` and ``change``
            since the previous period, oldest period first.

        Raises
        ------
        ValidationError
            If ``stage`` or ``touchpoint`` names no stage or touchpoint, or the
            touchpoint is not in the stage.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_stage("Buy", id="buy")
        >>> for period, value in [("2026-Q3", 0.31), ("2026-Q2", 0.25)]:
        ...     _ = j.add_metric("conversion", value, stage="buy", period=period, id=f"c-{period}")
        >>> j.history("conversion")[["period", "value", "change"]].round(2).to_dict("list")
        {'period': ['2026-Q2', '2026-Q3'], 'value': [0.25, 0.31], 'change': [nan, 0.06]}
        """
        from .history import history

        return history(self, metric, stage=stage, touchpoint=touchpoint, segment=segment)

    # -- living map: changes, review, priorities, goals ------------------------------------
    def diff(self, other: JourneyCore) -> JourneyDiff:
        """Return what changed from ``self`` to ``other``, one row per change (see :mod:`.journey_diff`).

        Parameters
        ----------
        other : Journey
            The other version (any journey: rows are matched by id).

        Returns
        -------
        JourneyDiff
            A DataFrame with the columns ``frame``, ``row_id``, ``kind``,
            ``column``, ``old``, ``new``, ``shift``; ``summary()`` words it.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> a = Journey("Shop")
        >>> research = a.add_stage("Research")
        >>> b = a.copy()
        >>> b.update_stage(research, name="Discovery")
        >>> a.diff(b)[["frame", "row_id", "kind", "column", "old", "new"]].to_dict("records")
        [{'frame': 'stages', 'row_id': 'research', 'kind': 'changed', 'column': 'name',
          'old': 'Research', 'new': 'Discovery'}]
        """
        from .journey_diff import diff

        return diff(self, other)

    def review(self, *, stale_after: int = 12, today: date | str | None = None) -> pd.DataFrame:
        """Return what still needs validating, one row per finding (see :func:`.review.review`).

        Parameters
        ----------
        stale_after : int, default 12
            Months after which a map not reviewed (:meth:`mark_reviewed`) is stale.
        today : datetime.date or str, optional
            The day to judge from; default: today.

        Returns
        -------
        DataFrame
            One row per finding (assumed content, personas without data,
            outdated measurements, a stale map), with what to do about it.

        Raises
        ------
        ValidationError
            If ``stale_after`` is not a whole number of months >= 0 or ``today``
            is not a date.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> _ = j.add_persona("Curious Colleen")
        >>> _ = j.mark_reviewed("2026-01-15")
        >>> j.review(today="2026-03-01")[["finding", "name"]].to_dict("records")
        [{'finding': 'persona not validated', 'name': 'Curious Colleen'}]
        """
        from .review import review

        return review(self, stale_after=stale_after, today=today)

    def priorities(self) -> pd.DataFrame:
        """Rank the pain points and opportunities (see :func:`cjm_jupyter.model.priorities.priorities`).

        Returns
        -------
        DataFrame
            One row per pain point and opportunity with its ``kind``,
            ``rank`` and ``score``, most pressing first.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> s = j.add_stage("Research")
        >>> p = j.add_pain_point("Hard to compare", stage=s, severity=4, frequency=3, source="survey")
        >>> _ = j.add_opportunity("Comparison chart", stage=s, pain_point=p, impact=4, effort=2)
        >>> j.priorities()[["kind", "rank"]].to_dict("records")
        [{'kind': 'pain point', 'rank': 1}, {'kind': 'opportunity', 'rank': 1}]
        """
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
        unit: str | None = None,
        description: str | None = None,
        id: str | None = None,
        **extra: Any,
    ) -> str:
        """Add a goal: a KPI (a metric name) with a target (see :func:`cjm_jupyter.model.goals.add_goal`).

        Parameters
        ----------
        name : str
            The metric the goal is measured by (matched to ``metrics`` by name, any case).
        target : float
            The target value.
        comparison : {">=", ">", "<=", "<", "=="}, default ">="
            How a value meets the target.
        stage, touchpoint : str, optional
            Where the metric is measured: a stage id or a touchpoint id.
        segment : str, optional
            The segment the goal is for; default: every customer.
        period : str, optional
            The period the goal is for; default: the latest measured.
        unit : str, optional
            The unit of ``target``, e.g. ``"%"`` (``"%"`` and ``"ratio"`` convert into each other).
        description : str, optional
            Free text about the goal.
        id : str, optional
            The row's id; default: made from ``name``.
        **extra
            Custom columns of the row, by name.

        Returns
        -------
        str
            The new goal's id.

        Raises
        ------
        ValidationError
            If ``comparison`` is not one of the comparisons, ``target`` is not a
            number, an id is unknown or a value breaks a rule.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> buy = j.add_stage("Purchase")
        >>> j.add_goal("Conversion rate", 3, ">", stage=buy, unit="%")
        'conversion-rate'
        """
        from .goals import add_goal

        return add_goal(
            self, name, target, comparison, stage=stage, touchpoint=touchpoint, segment=segment,
            period=period, unit=unit, description=description, id=id, **extra,
        )  # fmt: skip

    def scorecard(self, *, period: str | None = None) -> pd.DataFrame:
        """Compare each goal with its latest measured value (see :func:`cjm_jupyter.model.goals.scorecard`).

        Parameters
        ----------
        period : str, optional
            Compare the goals without a period of their own with this period's
            values; default: each goal with its latest measured value.

        Returns
        -------
        DataFrame
            One row per goal with the ``value`` that measures it, its
            ``status`` (met, missed, no data) and the ``gap`` to the target.

        Examples
        --------
        >>> from cjm_jupyter import Journey
        >>> j = Journey("Shop")
        >>> buy = j.add_stage("Purchase")
        >>> _ = j.add_metric("conversion rate", 2.5, stage=buy, unit="%")
        >>> _ = j.add_goal("Conversion rate", 3, ">", stage=buy, unit="%")
        >>> j.scorecard()[["name", "value", "status"]].to_dict("records")
        [{'name': 'Conversion rate', 'value': 2.5, 'status': 'missed'}]
        """
        from .goals import scorecard

        return scorecard(self, period=period)

    # -- helpers -------------------------------------------------------------------
    def _stage_of(self, touchpoint: str) -> Any:
        """Return the stage id of ``touchpoint``, None when there is no such touchpoint."""
        from .placement import stage_of

        one = pd.Series([touchpoint], dtype=object)
        return stage_of(self._frames["touchpoints"], touchpoint_id=one).iloc[0]
