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

from importlib import resources

from ..model import Journey

__all__ = ["names", "load"]

# Listed here rather than imported from ``_build`` so that importing the package
# does not import the builders (and ``python -m cjm_jupyter.templates._build``
# runs cleanly); a test checks both lists agree.
_NAMES = (
    "three_stage",
    "four_stage",
    "five_stage",
    "colleen",
    "colleen_future",
    "empathy",
    "day_in_the_life",
)


def names() -> list[str]:
    """Names of the shipped templates, in a stable order.

    Returns
    -------
    list of str
        Names accepted by :func:`load`.
    """
    return list(_NAMES)


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
    """
    if not isinstance(name, str) or name not in _NAMES:
        raise ValueError(f"unknown template {name!r}; known: {', '.join(_NAMES)}")
    data = resources.files(__name__).joinpath("data", f"{name}.json")
    if not data.is_file():
        # A source checkout before ``python -m cjm_jupyter.templates._build`` has run:
        # the builders are the source of the shipped files, so the result is the same.
        from ._build import build

        return build(name)
    from ..io.document import from_document
    from ..io.json_text import parse_json

    # A shipped file: tests/test_io_schema_fast.py checks every template file against the
    # schema, so loading one skips that check (and never builds a schema validator).
    source = f"template {name!r}"
    doc = parse_json(data.read_text(encoding="utf-8"), source=source)
    return from_document(doc, source=source, shipped=True)
