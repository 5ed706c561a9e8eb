"""Undo and redo for an editor: snapshots of the journey around each edit.

A snapshot is the journey's frames and meta data. Undo puts back the state
before an edit, but only when the journey is still in the state the edit
left: if anything else changed it since (Python code, another editor), the
history is cleared and the undo refused, so an undo never silently discards
someone else's work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..errors import ValidationError
from ..model.specs import FRAME_NAMES, FRAMES

if TYPE_CHECKING:
    from ..model.core import JourneyCore

__all__ = ["History", "State", "capture", "restore"]

T = TypeVar("T")


@dataclass(frozen=True)
class State:
    """The journey's content at one moment."""

    frames: dict[str, pd.DataFrame]
    meta: dict[str, Any]

    def same_as(self, other: State) -> bool:
        """Whether both hold the same meta data and frames (dtypes included)."""
        return self.meta == other.meta and all(self.frames[n].equals(other.frames[n]) for n in FRAME_NAMES)


def capture(journey: JourneyCore) -> State:
    """A snapshot of ``journey`` (frames are copies)."""
    return State(journey.frames, journey.meta)


def _parents_first() -> list[str]:
    """Frame names ordered so that every frame comes after the frames it refers to."""
    done: list[str] = []
    while len(done) < len(FRAME_NAMES):
        for name in FRAME_NAMES:
            refs = {c.ref for c in FRAMES[name].refs}
            if name not in done and refs <= set(done):
                done.append(name)
    return done


_ORDER = _parents_first()


def _dependants(changed: set[str]) -> set[str]:
    """``changed`` plus every frame that refers, directly or not, to one of them."""
    out = set(changed)
    grew = True
    while grew:
        grew = False
        for name, spec in FRAMES.items():
            if name not in out and any(c.ref in out for c in spec.refs):
                out.add(name)
                grew = True
    return out


def restore(journey: JourneyCore, state: State) -> None:
    """Put ``journey`` back in ``state`` as one validated, all-or-nothing change.

    Frames that differ, and the frames referring to them, are emptied
    children first and refilled parents first, so no intermediate step
    breaks a reference. Observers hear a single batch change.
    """
    current = capture(journey)
    changed = {n for n in FRAME_NAMES if not current.frames[n].equals(state.frames[n])}
    touched = _dependants(changed)
    with journey.batch():
        for name in reversed(_ORDER):
            if name in touched:
                journey.replace_frame(name, state.frames[name].iloc[0:0])
        for name in _ORDER:
            if name in touched:
                journey.replace_frame(name, state.frames[name])
        if current.meta != state.meta:
            journey.set_meta(**state.meta)


class History:
    """Undo and redo stacks of one editor.

    Parameters
    ----------
    journey : Journey
        The journey edited.
    limit : int
        Most edits kept for undo.
    """

    def __init__(self, journey: JourneyCore, limit: int = 100) -> None:
        self.journey = journey
        self.limit = limit
        self._undo: list[tuple[State, State]] = []
        self._redo: list[tuple[State, State]] = []

    @property
    def depths(self) -> tuple[int, int]:
        """How many edits can be undone and redone."""
        return len(self._undo), len(self._redo)

    def clear(self) -> None:
        """Forget every recorded edit."""
        self._undo.clear()
        self._redo.clear()

    def record(self, edit: Callable[[], T]) -> T:
        """Run ``edit`` and record it, when it changed the journey."""
        before = capture(self.journey)
        result = edit()
        after = capture(self.journey)
        if not before.same_as(after):
            self._undo.append((before, after))
            del self._undo[: -self.limit]
            self._redo.clear()
        return result

    def undo(self) -> None:
        """Undo the last recorded edit."""
        self._step(self._undo, self._redo, "undo", back=True)

    def redo(self) -> None:
        """Redo the last undone edit."""
        self._step(self._redo, self._undo, "redo", back=False)

    def _step(
        self, source: list[tuple[State, State]], target: list[tuple[State, State]], what: str, *, back: bool
    ) -> None:
        if not source:
            raise ValidationError(f"nothing to {what}")
        before, after = source[-1]
        expected, wanted = (after, before) if back else (before, after)
        if not capture(self.journey).same_as(expected):
            self.clear()
            raise ValidationError(
                f"the journey was changed outside this editor since that edit; cannot {what} "
                "(history cleared)"
            )
        restore(self.journey, wanted)
        target.append(source.pop())
