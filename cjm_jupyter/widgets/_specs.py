"""What an editor may edit, and with which values: its ``specs`` trait, read from the model's specs.

The front end keeps no copy of an enumeration (statuses, quadrants, bases,
goal comparisons, journey kinds) nor of numeric bounds: it draws its selects
and number fields from this description, sent once when the widget is made.
A value added to :mod:`cjm_jupyter.model.specs` is therefore offered by the
editors without touching ``js/``.

The description is built when the widget is made, from the specs as they are
then, so it travels in the widget state a notebook saves and the read-only
copies (shared HTML, exported notebooks) draw the same controls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import specs

__all__ = ["column_spec", "editor_specs"]


def column_spec(column: specs.ColumnSpec) -> dict[str, Any]:
    """One column as the front end reads it.

    Parameters
    ----------
    column : ColumnSpec
        A built-in column of a frame.

    Returns
    -------
    dict
        ``{"kind", "required", "choices", "low", "high"}``, JSON-ready;
        ``choices`` is empty unless the column is an enumeration, ``low`` and
        ``high`` are ``None`` unless the column is bounded.

    Examples
    --------
    >>> column_spec(specs.FRAMES["pain_points"].column("severity"))
    {'kind': 'int', 'required': False, 'choices': [], 'low': 1, 'high': 5}
    """
    return {
        "kind": column.kind,
        "required": column.required,
        "choices": list(column.choices),
        "low": column.low,
        "high": column.high,
    }


def editor_specs(editable: Mapping[str, tuple[str, ...]]) -> dict[str, Any]:
    """Build the ``specs`` trait of an editor that edits ``editable`` columns.

    Parameters
    ----------
    editable : mapping of str to tuple of str
        Columns the editor edits, by frame (its ``EDITABLE``), in the order
        its controls show them.

    Returns
    -------
    dict
        ``{"frames": {frame: {column: column_spec}}, "journey": {"kind":
        column_spec}}``: the editable columns of each frame, in ``editable``
        order, and the journey's ``kind`` (a meta data field, not a column),
        whose first choice is the default kind. A saved notebook keeps the
        order of ``choices`` (lists) but not of the columns (nbformat sorts
        keys): the front end orders its fields by its own display words.

    Examples
    --------
    >>> out = editor_specs({"actions": ("status",)})
    >>> out["frames"]["actions"]["status"]["choices"]
    ['planned', 'in_progress', 'done', 'blocked', 'dropped']
    >>> out["journey"]["kind"]["choices"][0]
    'current_state'
    """
    # Read through the module at call time: the specs as they are when the widget is made.
    frames = {
        frame: {name: column_spec(specs.FRAMES[frame].column(name)) for name in columns}
        for frame, columns in editable.items()
    }
    kind = {"kind": "text", "required": True, "choices": list(specs.JOURNEY_KINDS), "low": None, "high": None}
    return {"frames": frames, "journey": {"kind": kind}}
