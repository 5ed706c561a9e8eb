"""The keywords of the :class:`~cjm_jupyter.Journey` row methods: which columns, and "not given".

``add_persona``, ``update_persona``, ``update_stage``, ``update_touchpoint`` (and
``add_touchpoint``, ``add_goal``...) name each editable column of their frame as a
keyword-only parameter, typed, and take any other name as a custom column
(``**extra``). The columns come from ``model/specs.py``; ``tests/model/test_row_keywords.py``
checks each signature against :func:`editable_columns`, so a column added to a spec
without its keyword fails a test.

The keywords of the ``update_*`` methods default to :data:`NOT_GIVEN` ("leave the
cell as it is"), not ``None``: there ``None`` empties a cell. So do the persona keywords of
:func:`cjm_jupyter.personas.persona_from_segment` (and ``Journey.add_persona_from_segment``):
a keyword not given keeps the measured cell. ``NOT_GIVEN`` and ``NotGiven`` are public
(``cjm_jupyter.model``), as they appear in those signatures.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, Final

from .specs import FRAMES

__all__ = ["NOT_GIVEN", "NotGiven", "editable_columns", "given_cells"]


class NotGiven(enum.Enum):
    """The type of :data:`NOT_GIVEN`, the default of the ``update_*`` (and ``persona_from_segment``) keywords.

    One member, so a type checker narrows ``value is not NOT_GIVEN`` to the
    column's own type.

    Parameters
    ----------
    value : str
        ``"NOT_GIVEN"``, the value of the one member (use :data:`NOT_GIVEN`;
        an enum is not built by hand).

    Examples
    --------
    >>> from cjm_jupyter.model.fields import NOT_GIVEN
    >>> NOT_GIVEN
    NOT_GIVEN
    """

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        """Read as the name a signature shows.

        Returns
        -------
        str
            ``"NOT_GIVEN"``.

        Examples
        --------
        >>> from cjm_jupyter.model.fields import NOT_GIVEN
        >>> repr(NOT_GIVEN)
        'NOT_GIVEN'
        """
        return "NOT_GIVEN"


#: "Leave the cell as it is": the default of the ``update_*`` (and ``persona_from_segment``) keywords.
NOT_GIVEN: Final = NotGiven.NOT_GIVEN


def editable_columns(frame: str) -> tuple[str, ...]:
    """Return the built-in columns of ``frame`` that a row method sets by keyword.

    All columns but ``id`` (stable, set once) and the position columns of an
    ordered frame (``order`` and the group column, e.g. a touchpoint's
    ``stage_id``), which change only with the ``move_*`` methods.

    Parameters
    ----------
    frame : str
        A frame name, e.g. ``"stages"``.

    Returns
    -------
    tuple of str
        The column names, in the spec's order.

    Raises
    ------
    KeyError
        If there is no frame ``frame``.

    Examples
    --------
    >>> from cjm_jupyter.model.fields import editable_columns
    >>> editable_columns("stages")
    ('name', 'description')
    >>> editable_columns("touchpoints")
    ('name', 'channel', 'action', 'description', 'optimisation', 'owner')
    """
    spec = FRAMES[frame]
    fixed = {"id", "order", spec.ordered_within}
    return tuple(c for c in spec.column_names if c not in fixed)


def given_cells(frame: str, keywords: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Return the cells a row method was asked to set: its column keywords given, then ``extra``.

    Parameters
    ----------
    frame : str
        The frame the method edits.
    keywords : mapping of str to object
        The method's arguments by name (its ``locals()``, taken first thing):
        the values of :func:`editable_columns` that are not :data:`NOT_GIVEN`
        are kept, any other name (``self``, the row id...) is not.
    extra : mapping of str to object
        The custom columns (the method's ``**extra``), kept as they are.

    Returns
    -------
    dict of str to object
        The cells by column, built-in columns first in the spec's order.

    Examples
    --------
    >>> from cjm_jupyter.model.fields import NOT_GIVEN, given_cells
    >>> given_cells("stages", {"self": 0, "name": NOT_GIVEN, "description": None}, {"colour": "red"})
    {'description': None, 'colour': 'red'}
    """
    cells = {c: keywords[c] for c in editable_columns(frame) if c in keywords}
    return {**{c: v for c, v in cells.items() if v is not NOT_GIVEN}, **extra}
