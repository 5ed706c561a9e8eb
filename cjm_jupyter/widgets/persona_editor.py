"""``PersonaEditor``: persona cards and an empathy map (says, thinks, does, feels)."""

from __future__ import annotations

from ..model.specs import FRAMES
from ._base import HISTORY_OPS, EditorBase, bundle
from ._protocol import Op, Param

__all__ = ["PersonaEditor"]

S, OS = Param("str"), Param("str", optional=True)

#: Columns the editor edits, by frame.
EDITABLE: dict[str, tuple[str, ...]] = {
    "personas": tuple(c for c in FRAMES["personas"].column_names if c != "id"),
    "empathy": ("quadrant", "text", "source"),
}

OPS: dict[str, Op] = {
    **HISTORY_OPS,
    "add_persona": Op({"name": S}, lambda j, a: j.add_persona(a["name"])),
    "update_persona": Op(
        {"id": S, "fields": Param("fields")},
        lambda j, a: j.update_persona(a["id"], **a["fields"]),
        "personas",
    ),
    "remove_persona": Op({"id": S}, lambda j, a: j.remove_persona(a["id"], cascade=True)),
    "add_empathy": Op(
        {"persona": S, "quadrant": S, "text": S, "source": OS},
        lambda j, a: j.add_empathy(a["persona"], a["quadrant"], a["text"], source=a["source"] or None),
    ),
    "update": Op(
        {"frame": Param("frame"), "id": S, "fields": Param("fields")},
        lambda j, a: j.update(a["frame"], a["id"], **a["fields"]),
    ),
    "remove": Op(
        {"frame": Param("frame"), "id": S}, lambda j, a: j.remove(a["frame"], a["id"], cascade=True)
    ),
}


class PersonaEditor(EditorBase):
    """Edit a journey's personas and their empathy map.

    Same design as :class:`~cjm_jupyter.JourneyEditor`: validated edits,
    live two-way sync with the journey, undo and redo.

    Parameters
    ----------
    journey : Journey
        The journey whose ``personas`` and ``empathy`` frames are edited.
    **kwargs : Any
        Widget traits passed on to ``anywidget.AnyWidget`` (e.g. ``layout``).

    Raises
    ------
    TypeError
        ``journey`` is not a Journey.

    Examples
    --------
    >>> from cjm_jupyter import Journey, PersonaEditor
    >>> j = Journey("Buying a vacuum cleaner")
    >>> editor = PersonaEditor(j)
    >>> _ = j.add_persona("Curious Colleen", age="32")
    >>> editor.snapshot["personas"][0]["age"]
    '32'
    """

    _esm = bundle("persona_editor.js")
    FRAMES = ("personas", "empathy")
    EDITABLE = EDITABLE
    OPS = OPS
