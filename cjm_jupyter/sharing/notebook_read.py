"""Every journey an executed notebook displayed, read back from its outputs.

A displayed :class:`~cjm_jupyter.Journey` or editor writes the journey's
document into its output under :data:`~cjm_jupyter.sharing.mime.JOURNEY_MIME`.
An editor's document is the journey when the editor was displayed; when the
notebook was saved with widget state, the editor's saved state (its map when
the notebook was saved, edits in the view and later changes in Python
included) is laid over it (:mod:`cjm_jupyter.widgets._state`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

import nbformat

from ..errors import FileFormatError, SchemaVersionError, ValidationError
from ..io.doc_check import json_type
from ..io.document import from_document
from ..io.json_text import parse_json
from ..io.reading import decode_text, open_user_file
from ..model.journey import Journey
from .mime import JOURNEY_MIME

__all__ = ["read_notebook"]

_WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read_notebook(path: str | os.PathLike[str]) -> dict[str, Journey]:
    """Every journey displayed in an executed notebook, by cell, in notebook order.

    A journey shown as a cell's result (or with ``display``) and every
    ``JourneyEditor`` / ``PersonaEditor`` store the journey in the output
    (MIME type ``application/vnd.cjm-journey+json``). An editor reads back as
    it was when the notebook was saved: when the notebook holds widget state
    (JupyterLab's "Save Widget State", nbclient's ``store_widget_state``), edits
    made in the editor and changes made in Python after it was shown are
    included; without widget state it reads back as it was displayed. The
    notebook may have gone through ``jupyter nbconvert --to notebook``.

    Parameters
    ----------
    path : str or path-like
        The ``.ipynb`` file.

    Returns
    -------
    dict of str to Journey
        Keys name the cell, counting every cell from 1 (markdown cells too,
        as JupyterLab numbers them): ``"cell 3"``; a second and further
        journey in the same cell is ``"cell 3 (2)"``, ``"cell 3 (3)"``...
        Ordered as in the notebook; empty when no journey was displayed.

    Raises
    ------
    FileNotFoundError
        The file does not exist: ``cannot read 'my.ipynb': the file does not exist``.
    FileFormatError
        The file is not a notebook (a folder, not UTF-8, not valid JSON, no
        ``nbformat`` version), or a journey in it fails validation: the
        message starts with the path and the cell, e.g. ``my.ipynb, cell 3:
        frame 'stages', row 'awareness', column 'order', value 'x': must be a
        whole number or null`` (the ``path`` attribute is the file).
    SchemaVersionError
        A journey in it was written by a newer release of cjm_jupyter.

    Examples
    --------
    A notebook whose second cell displayed a journey, made here with nbformat
    as a kernel would save it (a displayed journey stores its document under
    :data:`~cjm_jupyter.sharing.JOURNEY_MIME`):

    >>> import json, os, tempfile
    >>> import nbformat
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.sharing import JOURNEY_MIME, read_notebook
    >>> j = templates.load("three_stage")
    >>> shown = nbformat.v4.new_output("display_data", data={JOURNEY_MIME: json.loads(j.to_json())})
    >>> nb = nbformat.v4.new_notebook(
    ...     cells=[nbformat.v4.new_markdown_cell("# Map"), nbformat.v4.new_code_cell("j", outputs=[shown])]
    ... )
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "executed.ipynb")
    ...     nbformat.write(nb, path)
    ...     journeys = read_notebook(path)
    >>> list(journeys), journeys["cell 2"].stages["name"].tolist()
    (['cell 2'], ['Awareness', 'Interest', 'Decision'])
    """
    source = os.fsdecode(path)
    with open_user_file(source, kind="a notebook") as fh:
        text = decode_text(fh.read(), path=source)
    nb = _notebook(text, source)
    states = _widget_states(nb)
    journeys: dict[str, Journey] = {}
    for number, cell in enumerate(nb.cells, 1):
        outputs = cell.get("outputs") if isinstance(cell, Mapping) else None
        shown = [o["data"] for o in outputs or () if _holds_journey(o)]
        for k, data in enumerate(shown, 1):
            key = f"cell {number}" if k == 1 else f"cell {number} ({k})"
            journeys[key] = _journey(data, states, path=source, where=f"{source}, {key}")
    return journeys


def _notebook(text: str, source: str) -> Any:
    """Read the notebook as nbformat 4, parsed as strictly as every journey file."""
    try:
        doc = parse_json(text, source=source, utf8_checked=True)
    except FileFormatError as exc:
        # Python's json writes NaN for a float output (a widget value, an application/json
        # output); nbformat reads such notebooks, and so do we. Journey documents are
        # checked again value by value when they are read.
        if "is not a JSON value" not in exc.rule:
            raise
        doc = json.loads(text)
    if not isinstance(doc, dict):
        rule = f"is not a Jupyter notebook: the top level is {json_type(doc)}, not an object"
        raise FileFormatError(rule, path=source)
    if "nbformat" not in doc:
        hint = " (a journey file: use read_json)" if "schema_version" in doc else ""
        raise FileFormatError(f"is not a Jupyter notebook: it has no 'nbformat' version{hint}", path=source)
    major, minor = nbformat.reader.get_version(doc)
    if major not in nbformat.versions:
        rule = f"is not a Jupyter notebook nbformat reads: nbformat version {major!r}"
        raise FileFormatError(rule, path=source)
    if major == 4 and not isinstance(doc.get("cells"), list):
        raise FileFormatError("is not a Jupyter notebook: it has no list of cells", path=source)
    try:
        return nbformat.convert(nbformat.versions[major].to_notebook_json(doc, minor=minor), 4)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # what nbformat raises on a broken one
        raise FileFormatError(f"is not a Jupyter notebook nbformat reads: {exc}", path=source) from None


def _widget_states(nb: Any) -> Mapping[str, Any]:
    """Return the saved widget state by model id (empty when the notebook was saved without it)."""
    widgets = nb.get("metadata", {}).get("widgets")
    saved = widgets.get(_WIDGET_STATE) if isinstance(widgets, Mapping) else None
    state = saved.get("state") if isinstance(saved, Mapping) else None
    return state if isinstance(state, Mapping) else {}


def _holds_journey(output: Any) -> bool:
    data = output.get("data") if isinstance(output, Mapping) else None
    return isinstance(data, Mapping) and JOURNEY_MIME in data


def _journey(data: Mapping[str, Any], states: Mapping[str, Any], *, path: str, where: str) -> Journey:
    """Return the journey of one output: its document, with an editor's saved state laid over it."""
    try:
        journey = from_document(_document(data[JOURNEY_MIME], where), source=where)
        state = _editor_state(data, states)
        if state is None:
            return journey
        # Imported here: the widgets need anywidget, and a notebook without editors must not.
        from ..widgets._state import overlay_saved_state, read_saved_state

        saved = read_saved_state(state, source=where)
        return journey if saved is None else overlay_saved_state(journey, saved, source=where)
    except SchemaVersionError:
        raise
    except FileFormatError as exc:
        exc.path = path  # the message names path and cell; the attribute, as everywhere, the file
        raise
    except ValidationError as exc:  # a content rule: in a notebook, a damaged document
        raise _file_error(exc, path, where) from None


def _document(payload: Any, where: str) -> Any:
    """Return the document as stored: a JSON object (nbformat), or JSON text or lines of it (other tools)."""
    if isinstance(payload, list) and payload and all(isinstance(line, str) for line in payload):
        payload = "".join(payload)
    return parse_json(payload, source=where) if isinstance(payload, str) else payload


def _editor_state(data: Mapping[str, Any], states: Mapping[str, Any]) -> Mapping[str, Any] | None:
    view = data.get(_WIDGET_VIEW)
    model_id = view.get("model_id") if isinstance(view, Mapping) else None
    model = states.get(model_id) if isinstance(model_id, str) else None
    state = model.get("state") if isinstance(model, Mapping) else None
    return state if isinstance(state, Mapping) else None


def _file_error(exc: ValidationError, path: str, where: str) -> FileFormatError:
    parts = {"frame": exc.frame, "row_id": exc.row_id, "column": exc.column, "value": exc.value}
    # "value None" is in the message only when the rule named it: keep the message as it was.
    has_value = str(ValidationError(exc.rule, **parts)) != str(exc)
    error = FileFormatError(exc.rule, path=where, **parts, has_value=has_value)
    error.path = path
    return error
