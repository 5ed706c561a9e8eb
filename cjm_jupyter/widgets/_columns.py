"""Column-oriented JSON for a frame's rows: what a view receives and a saved notebook stores.

A list of row dicts repeats every column name in every row; for a
100,000-touchpoint map that is most of the saved widget state. A frame is
sent as ``{"n": rows, "columns": {name: column}}`` instead, where a column is

* ``null``: every cell is null (a column nobody filled in);
* ``{"values": [...], "codes": [...]}``: few distinct values (a stage id, a
  channel), each cell the index of its value;
* a plain list of the cells otherwise.

The front end decodes it back to the very rows (``js/lib/columns.js``), and
encodes the same form when JupyterLab saves widget state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["decode_columns", "encode_columns", "is_columns"]

Record = dict[str, Any]

#: A column is dictionary-encoded when it has at most this share of distinct values.
DISTINCT_SHARE = 0.25
#: ... and at least this many rows (small frames stay plain: easier to read in saved state).
MIN_ROWS = 16


def _column(cells: list[Any]) -> Any:
    """One column, in the smallest of the three forms (see the module)."""
    if all(cell is None for cell in cells):
        return None
    if len(cells) >= MIN_ROWS and all(isinstance(cell, str | type(None)) for cell in cells):
        codes: dict[Any, int] = {}
        index = [codes.setdefault(cell, len(codes)) for cell in cells]
        if len(codes) <= DISTINCT_SHARE * len(cells):
            return {"values": list(codes), "codes": index}
    return cells


def encode_columns(rows: Sequence[Record]) -> dict[str, Any]:
    """``rows`` (dicts with the same keys, in the same order) as columns.

    Parameters
    ----------
    rows : sequence of dict
        A frame's records (see :func:`~cjm_jupyter.widgets._snapshot.frame_records`).

    Returns
    -------
    dict
        ``{"n": len(rows), "columns": {name: column}}``; JSON-ready.

    Examples
    --------
    >>> encode_columns([{"id": "a", "note": None}, {"id": "b", "note": None}])
    {'n': 2, 'columns': {'id': ['a', 'b'], 'note': None}}
    """
    names = list(rows[0]) if rows else []
    return {"n": len(rows), "columns": {name: _column([row[name] for row in rows]) for name in names}}


def is_columns(value: Any) -> bool:
    """Whether ``value`` is a frame in the form :func:`encode_columns` gives."""
    if not isinstance(value, dict):
        return False
    return isinstance(value.get("n"), int) and isinstance(value.get("columns"), dict)


def decode_columns(value: dict[str, Any]) -> list[Record]:
    """Decode the rows :func:`encode_columns` encoded, as a list of dicts.

    Examples
    --------
    >>> decode_columns({"n": 2, "columns": {"id": ["a", "b"], "k": {"values": ["x"], "codes": [0, 0]}}})
    [{'id': 'a', 'k': 'x'}, {'id': 'b', 'k': 'x'}]
    """
    n = value["n"]
    cells: dict[str, list[Any]] = {}
    for name, column in value["columns"].items():
        if column is None:
            cells[name] = [None] * n
        elif isinstance(column, dict):
            values = column["values"]
            cells[name] = [values[code] for code in column["codes"]]
        else:
            cells[name] = list(column)
    names = list(cells)
    return [dict(zip(names, row, strict=True)) for row in zip(*cells.values(), strict=True)]
