"""The funnel's steps: from ``start`` to ``goal`` (stages or touchpoints), and the counting mode.

A funnel runs over the journey's stages from the start's stage to the goal's
stage. A touchpoint given as ``start`` or ``goal`` makes that end step
"reached that touchpoint" instead of "reached its stage". Every step is a set
of touchpoint positions (a stage: all of its touchpoints), and the steps are
disjoint and strictly ordered in the journey's tie order (stage, then
touchpoint): an event at step k always sorts after an event at step k - 1 at
the same time, which is what lets the sequential mode compare times alone
(see ``_sql.reach_sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ValidationError

if TYPE_CHECKING:
    from ._sql import JourneySQL

__all__ = ["MODES", "Step", "FunnelSteps", "check_mode", "resolve_steps", "resolve_goal"]

#: the counting modes of a funnel, by name
MODES = ("first_reach", "sequential")


@dataclass(frozen=True)
class Step:
    """One funnel step: a stage, or a touchpoint at the start or the goal."""

    step_id: str  # the stage's or the touchpoint's id
    stage_id: str  # the stage holding it
    label: str  # the stage's or the touchpoint's name
    tps: tuple[int, ...]  # touchpoint positions (``JourneySQL``) whose events reach the step
    touchpoint: bool  # whether the step is a single touchpoint


@dataclass(frozen=True)
class FunnelSteps:
    """The resolved funnel: its steps in order and its mode."""

    steps: tuple[Step, ...]
    mode: str
    goal_st: int  # position ``st`` of the goal's stage

    @property
    def start(self) -> str:
        """The first step's id."""
        return self.steps[0].step_id

    @property
    def goal(self) -> str:
        """The last step's id."""
        return self.steps[-1].step_id

    def attrs(self) -> dict[str, str]:
        """Return what a result frame records in ``.attrs`` about the funnel."""
        return {"mode": self.mode, "start": self.start, "goal": self.goal}


def check_mode(mode: Any) -> str:
    """``mode`` when it is one of :data:`MODES`.

    Raises
    ------
    ValidationError
        Naming the bad value and the valid modes.
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValidationError(
            f"mode must be one of {', '.join(map(repr, MODES))}; got {mode!r}", column="mode", value=mode
        )
    return mode


def _find(js: JourneySQL, ref: Any, role: str) -> tuple[str, int]:
    """``("stage", st)`` or ``("touchpoint", tp)`` for an id or a name; ids win over names."""
    choices = ", ".join(f"{n!r} ({i})" for i, n in zip(js.stage_ids, js.stage_names, strict=True))
    if not isinstance(ref, str):
        raise ValidationError(
            f"{role} must be a stage or touchpoint id or name (text); got {ref!r}; stages: {choices}",
            column=role,
            value=ref,
        )
    for kind, ids in (("stage", js.stage_ids), ("touchpoint", js.tp_ids)):
        if ref in ids:
            return kind, ids.index(ref)
    for kind, names in (("stage", js.stage_names), ("touchpoint", js.tp_names)):
        hits = [i for i, name in enumerate(names) if name == ref]
        if len(hits) > 1:
            ids = js.stage_ids if kind == "stage" else js.tp_ids
            raise ValidationError(
                f"{role} {ref!r} names {len(hits)} {kind}s ({', '.join(ids[i] for i in hits)}); pass the id",
                column=role,
                value=ref,
            )
        if hits:
            return kind, hits[0]
    raise ValidationError(
        f"unknown {role} {ref!r}: neither a stage nor a touchpoint id or name; stages: {choices}",
        column=role,
        value=ref,
    )


def _end(js: JourneySQL, ref: Any, role: str) -> tuple[str, int]:
    """:func:`_find` for the ``start`` or ``goal``; ``None``: the first or the last stage."""
    if ref is None:
        return "stage", 0 if role == "start" else js.n_stages - 1
    return _find(js, ref, role)


def _step(js: JourneySQL, kind: str, pos: int) -> Step:
    if kind == "stage":
        tps = tuple(tp for tp, st in enumerate(js.tp_stages) if st == pos)
        return Step(js.stage_ids[pos], js.stage_ids[pos], js.stage_names[pos], tps, False)
    st = js.tp_stages[pos]
    return Step(js.tp_ids[pos], js.stage_ids[st], js.tp_names[pos], (pos,), True)


def resolve_steps(
    js: JourneySQL, start: Any = None, goal: Any = None, mode: Any = "first_reach"
) -> FunnelSteps:
    """Resolve the funnel's steps from ``start`` to ``goal`` (default: the first and the last stage).

    Raises
    ------
    ValidationError
        An unknown mode, start or goal (the valid choices named), a goal
        before the start, or a start and goal in one stage where one of them
        is the stage itself (the steps would overlap).
    """
    mode = check_mode(mode)
    first, last = _end(js, start, "start"), _end(js, goal, "goal")
    st0, st1 = (pos if kind == "stage" else js.tp_stages[pos] for kind, pos in (first, last))
    if first == last:
        steps = [_step(js, *first)]
    elif st0 == st1 and first[0] == last[0] == "touchpoint":
        if last[1] < first[1]:
            raise _before(js, first, last)
        steps = [_step(js, *first), _step(js, *last)]
    elif st0 == st1:
        raise ValidationError(
            f"start {_name(js, first)!r} and goal {_name(js, last)!r} are in one stage "
            f"({js.stage_names[st0]!r}) and one of them is that stage: the steps would overlap; "
            "pass two touchpoints of the stage, or a start and goal in different stages",
            column="goal",
            value=goal,
        )
    elif st1 < st0:
        raise _before(js, first, last)
    else:
        middle = [_step(js, "stage", st) for st in range(st0 + 1, st1)]
        steps = [_step(js, *first), *middle, _step(js, *last)]
    return FunnelSteps(tuple(steps), mode, st1)


def resolve_goal(js: JourneySQL, goal: Any = None) -> Step:
    """Resolve the ``goal`` alone (a stage or touchpoint, by id or name; default: the last stage).

    The rule of the funnel's ends: ids before names, stages before
    touchpoints, a name shared by several stages or touchpoints refused.

    Raises
    ------
    ValidationError
        As :func:`resolve_steps` for an unknown or ambiguous goal.
    """
    return _step(js, *_end(js, goal, "goal"))


def _name(js: JourneySQL, found: tuple[str, int]) -> str:
    kind, pos = found
    return js.stage_names[pos] if kind == "stage" else js.tp_names[pos]


def _before(js: JourneySQL, first: tuple[str, int], last: tuple[str, int]) -> ValidationError:
    return ValidationError(
        f"goal {_name(js, last)!r} comes before start {_name(js, first)!r} in the journey",
        column="goal",
        value=_name(js, last),
    )
