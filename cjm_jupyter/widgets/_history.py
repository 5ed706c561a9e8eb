"""Undo and redo for an editor: snapshots of the journey around each edit.

A snapshot is the journey's frames and meta data. Undo puts back the state
before an edit, but only when the journey is still in the state the edit
left: if anything else changed it since (Python code, another editor), the
history is cleared and the undo refused, so an undo never silently discards
someone else's work.

"Changed since" is a revision count of the journey's announced changes, not
a comparison of frames: comparing every frame before and after each edit
cost more than the edit on a large map. Snapshots hold the stored frames
themselves (never changed in place), not copies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..errors import ValidationError
from ..model.events import Change
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
        """Whether both hold the same content: meta data (but ``updated_at``) and frames, dtypes included."""
        return _content(self.meta) == _content(other.meta) and all(
            _same(self.frames[n], other.frames[n]) for n in FRAME_NAMES
        )


def _content(meta: dict[str, Any]) -> dict[str, Any]:
    """Return the meta fields a user sets: ``updated_at`` is the journey's own (an undo is a new change)."""
    return {k: v for k, v in meta.items() if k != "updated_at"}


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a is b or a.equals(b)


def capture(journey: JourneyCore) -> State:
    """Take a snapshot of ``journey`` (its stored frames, which are never changed in place)."""
    return State(journey._stored(), journey.meta)


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
    """Return ``changed`` plus every frame that refers, directly or not, to one of them."""
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
    changed = {n for n in FRAME_NAMES if not _same(current.frames[n], state.frames[n])}
    touched = _dependants(changed)
    with journey.batch():
        for name in reversed(_ORDER):
            if name in touched:
                journey.replace_frame(name, state.frames[name].iloc[0:0])
        for name in _ORDER:
            if name in touched:
                journey.replace_frame(name, state.frames[name])
        if _content(current.meta) != _content(state.meta):
            journey.set_meta(**_content(state.meta))


@dataclass
class _Edit:
    """One recorded edit: the states around it and the revision it left."""

    before: State
    after: State
    revision: int


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
        self._undo: list[_Edit] = []
        self._redo: list[_Edit] = []
        self._revision = 0
        # Kept: the journey unobserves by equality, and close() needs this one.
        self._observer = journey.observe(self._count)

    def _count(self, _change: Change) -> None:
        self._revision += 1

    @property
    def revision(self) -> int:
        """How many changes the journey announced since this history was made."""
        return self._revision

    @property
    def depths(self) -> tuple[int, int]:
        """How many edits can be undone and redone."""
        return len(self._undo), len(self._redo)

    def clear(self) -> None:
        """Forget every recorded edit."""
        self._undo.clear()
        self._redo.clear()

    def close(self) -> None:
        """Stop following the journey."""
        self.journey.unobserve(self._observer)

    def record(self, edit: Callable[[], T]) -> T:
        """Run ``edit`` and record it, when it changed the journey."""
        before, revision = capture(self.journey), self._revision
        result = edit()
        if self._revision != revision:  # the journey announces only real changes
            self._undo.append(_Edit(before, capture(self.journey), self._revision))
            del self._undo[: -self.limit]
            self._redo.clear()
        return result

    def undo(self) -> None:
        """Undo the last recorded edit."""
        self._step(self._undo, self._redo, "undo", back=True)

    def redo(self) -> None:
        """Redo the last undone edit."""
        self._step(self._redo, self._undo, "redo", back=False)

    def _step(self, source: list[_Edit], target: list[_Edit], what: str, *, back: bool) -> None:
        if not source:
            raise ValidationError(f"nothing to {what}")
        entry = source[-1]
        if self._revision != entry.revision:
            self.clear()
            raise ValidationError(
                f"the journey was changed outside this editor since that edit; cannot {what} "
                "(history cleared)"
            )
        restore(self.journey, entry.before if back else entry.after)
        source.pop()
        # The journey is now in the state both this edit (to step back) and the next
        # one on ``source`` (to step again) start from.
        entry.revision = self._revision
        if source:
            source[-1].revision = self._revision
        target.append(entry)
