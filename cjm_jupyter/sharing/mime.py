"""The journey's document in a notebook output, under the package's own MIME type.

A displayed :class:`~cjm_jupyter.Journey` or editor adds one entry to its
output's MIME bundle: :data:`JOURNEY_MIME` -> the document
:meth:`Journey.to_json` writes, as a JSON object (not text). Jupyter keeps
``application/*+json`` data as JSON in the ``.ipynb`` file, every front end
ignores a type it has no renderer for, and
:func:`~cjm_jupyter.read_notebook` reads the journeys back from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..io.document import to_document

if TYPE_CHECKING:
    from ..model.core import JourneyCore

__all__ = ["JOURNEY_MIME", "journey_entry"]

#: MIME type of a journey's document in a notebook output (``application/*+json``:
#: nbformat stores it as a JSON object, not as lines of text).
JOURNEY_MIME = "application/vnd.cjm-journey+json"


def journey_entry(journey: JourneyCore) -> dict[str, Any]:
    """Return the MIME bundle entry carrying ``journey``: ``{JOURNEY_MIME: document}``.

    The document is the one :meth:`Journey.to_json` writes (``format``,
    ``schema_version``, ``meta``, column-oriented frames with dtypes), as
    nested dicts and lists of plain values, so the kernel sends it and the
    notebook stores it as one JSON object: the journey once per output.

    Examples
    --------
    >>> import cjm_jupyter as cjm
    >>> entry = journey_entry(cjm.templates.load("three_stage"))
    >>> list(entry) == [JOURNEY_MIME], entry[JOURNEY_MIME]["meta"]["name"]
    (True, 'Three-stage journey')
    """
    return {JOURNEY_MIME: to_document(journey)}
