"""Change notifications sent by a :class:`~cjm_jupyter.Journey`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Change", "ChangeKind", "Observer"]

ChangeKind = Literal["add", "update", "remove", "move", "replace", "meta", "batch"]


@dataclass(frozen=True)
class Change:
    """One logical change of a journey, sent once to every observer.

    The journey makes these; an observer reads them (see :meth:`Journey.observe`).

    Parameters
    ----------
    kind : {"add", "update", "remove", "move", "replace", "meta", "batch"}
        What happened.
    frame : str or None
        The frame the change was made to (None for meta data and batches).
    ids : tuple of str
        Ids of the rows the change was made to (all ids after a ``replace``).
    columns : tuple of str
        Columns set by an ``update`` (or meta fields set by ``meta``).
    affected : mapping of str to tuple of str
        Every frame whose content changed, with the ids of the rows that
        changed in it: cascaded removals and renumbered positions included.
    changes : tuple of Change
        The changes grouped by :meth:`Journey.batch` (``kind == "batch"``).

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> seen = []
    >>> _ = j.observe(seen.append)
    >>> s = j.add_stage("Research")
    >>> with j.batch():
    ...     _ = j.add_touchpoint(s, "Search engine")
    ...     j.update_stage(s, name="Discovery")
    >>> [(c.kind, c.frame, c.ids) for c in seen]
    [('add', 'stages', ('research',)), ('batch', None, ())]
    >>> [(c.kind, c.frame) for c in seen[1].changes]
    [('add', 'touchpoints'), ('update', 'stages')]
    >>> dict(seen[1].affected)
    {'touchpoints': ('search-engine',), 'stages': ('research',)}
    """

    kind: ChangeKind
    frame: str | None = None
    ids: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    affected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()


Observer = Callable[[Change], object]
