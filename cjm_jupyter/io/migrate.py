"""Files of older schema versions, brought to the current one: every format, one place.

A file names the schema version it was written with. Readers accept every
version up to :data:`~.schema.SCHEMA_VERSION` and bring older ones forward
here, one step per version, before anything else reads them:

- a JSON document (:func:`upgrade_document`), before it is checked against
  the current JSON Schema;
- the meta data and frames read from an Excel workbook or a CSV folder
  (:func:`upgrade_parts`), before the journey is built.

Version 1 -> 2
    Schema 2 only adds: meta ``version``, ``owner``, ``updated_at`` and
    ``reviewed_at``; ``period`` and ``run_id`` on metrics and emotions;
    ``validated_at`` on personas; the ``goals`` frame. A version-1 file reads
    with all of them empty (no goals). Its metrics and emotions are rows
    nobody measured with :meth:`~cjm_jupyter.Journey.measure` under schema 2
    (``run_id`` empty), so no later ``measure()`` removes them. A column of
    one of the new names that a user added to a version-1 file stays and is
    read as the new built-in column (it means the same).

Version 2 -> 3
    Schema 3 only adds: ``source``, ``basis``, ``n``, ``segment`` and
    ``segment_definition`` on personas (a persona made from a data segment,
    :meth:`~cjm_jupyter.Journey.add_persona_from_segment`), ``segment`` on
    emotions (measured per segment), which joins the emotions' unique key.
    A version-2 file reads with them empty: its personas are hand-made, its
    emotions are for every customer, and its keys stay unique.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..model.specs import FRAMES
from .schema import SCHEMA_VERSION

__all__ = ["upgrade_document", "upgrade_parts", "ADDED"]

#: What each schema version added: ``{version: (meta keys, {frame: columns}, new frames)}``.
ADDED: dict[int, tuple[tuple[str, ...], dict[str, tuple[str, ...]], tuple[str, ...]]] = {
    2: (
        ("version", "owner", "updated_at", "reviewed_at"),
        {"metrics": ("period", "run_id"), "emotions": ("period", "run_id"), "personas": ("validated_at",)},
        ("goals",),
    ),
    3: (
        (),
        {
            "personas": ("source", "basis", "n", "segment", "segment_definition"),
            "emotions": ("segment",),
        },
        (),
    ),
}

Parts = tuple[dict[str, Any], dict[str, Any]]


def upgrade_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return the JSON document ``doc`` (its version checked) in the current schema's layout.

    A new dict; ``doc`` is not changed. Missing columns stay missing (the
    schema requires only required columns; the journey adds the rest empty),
    frames a version added are added empty, since the schema requires them.
    """
    version = doc["schema_version"]
    out = dict(doc)
    frames = out.get("frames")
    if isinstance(frames, dict):
        frames = dict(frames)
        for step in range(version + 1, SCHEMA_VERSION + 1):
            for name in ADDED[step][2]:
                frames.setdefault(name, {"columns": _empty_columns(name)})
        out["frames"] = frames
    out["schema_version"] = SCHEMA_VERSION
    return out


def upgrade_parts(version: int, meta: Mapping[str, Any], frames: Mapping[str, Any]) -> Parts:
    """Meta data and frames read from a workbook or CSV folder of ``version``, brought forward.

    Returns new dicts. Nothing is needed today beyond what the journey does
    for any file (missing columns and frames are read as empty); a later
    version that renames or moves content adds its step to ``_STEPS``.
    """
    out: Parts = (dict(meta), dict(frames))
    for step in range(version + 1, SCHEMA_VERSION + 1):
        out = _STEPS.get(step, _nothing)(*out)
    return out


def _nothing(meta: dict[str, Any], frames: dict[str, Any]) -> Parts:
    return meta, frames


#: Steps that change the content of a file, by the version they lead to.
_STEPS: dict[int, Callable[[dict[str, Any], dict[str, Any]], Parts]] = {}


def _empty_columns(frame: str) -> list[dict[str, Any]]:
    return [{"name": c.name, "dtype": c.dtype, "values": []} for c in FRAMES[frame].columns]
