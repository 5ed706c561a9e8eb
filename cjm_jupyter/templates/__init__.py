"""Ready-made journeys to start from or to learn with.

=================== ================= ==================================================
name                kind              what it is
=================== ================= ==================================================
``three_stage``     current_state     awareness → interest → decision skeleton
``four_stage``      current_state     investigation → comparison → purchase → activation
``five_stage``      current_state     awareness → consideration → purchase → retention →
                                      advocacy
``colleen``         current_state     the guides' "Curious Colleen" worked example, filled
                                      out with illustrative rows (source "illustrative",
                                      basis "assumed"; its description says which)
``colleen_future``  future_state      the same journey once the action plan is delivered
``empathy``         empathy_map       says / thinks / does / feels of Colleen
``day_in_the_life`` day_in_the_life   a working day of Colleen, with and without the brand
=================== ================= ==================================================

The templates are data, edited as data: each one is ``data/<name>.json``, a journey
file exactly as :meth:`Journey.to_json` writes it, and ``data/index.json`` lists the
names in the order :func:`names` returns them, each with the one line of the table
above. To add or change a template, edit its file (or build the journey and save it
with ``to_json``), list it in ``index.json`` and in this table;
``tests/model/test_templates_data.py`` checks that the files, the index and the table agree
and that every file passes the schema and saves back to the same bytes.

Examples
--------
>>> from cjm_jupyter import templates
>>> templates.names()[:3]
['three_stage', 'four_stage', 'five_stage']
>>> j = templates.load("three_stage")
>>> j.stages["name"].tolist()
['Awareness', 'Interest', 'Decision']
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from ..model import Journey

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["names", "load"]


def _data() -> Traversable:
    """Return the folder of the shipped template files (inside the installed package)."""
    return resources.files(__name__).joinpath("data")


@cache
def _index() -> tuple[str, ...]:
    # Read once per process: the index is shipped and never changes at run time.
    entries = json.loads(_data().joinpath("index.json").read_text(encoding="utf-8"))["templates"]
    return tuple(entry["name"] for entry in entries)


def names() -> list[str]:
    """Names of the shipped templates, in the order of ``data/index.json``.

    Returns
    -------
    list of str
        Names accepted by :func:`load`; a new list on every call.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> templates.names()
    ['three_stage', 'four_stage', 'five_stage', 'colleen', 'colleen_future', 'empathy', 'day_in_the_life']
    """
    return list(_index())


def load(name: str) -> Journey:
    """Load the template ``name`` as a new, independent journey.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    Journey
        A fresh journey: changing it never changes the template or another
        loaded copy.

    Raises
    ------
    ValueError
        ``name`` is not a template; the message lists the known names.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> templates.load("colleen").personas["name"].tolist()
    ['Curious Colleen']
    """
    known = _index()
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"unknown template {name!r}; known: {', '.join(known)}")
    from ..io.document import from_document
    from ..io.json_text import parse_json

    # A shipped file: tests/model/test_templates_data.py checks every template file against the
    # schema, so loading one skips that check (and never builds a schema validator).
    source = f"template {name!r}"
    text = _data().joinpath(f"{name}.json").read_text(encoding="utf-8")
    return from_document(parse_json(text, source=source), source=source, shipped=True)
