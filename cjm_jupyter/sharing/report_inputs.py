"""What a report reads: the journey, the mapping file, event logs and surveys, checked early.

The same functions run twice: in :func:`~cjm_jupyter.sharing.report.report`,
before the (slow) execution, so a bad input fails in a second with one clear
error; and inside the report notebook, which reads its inputs with them.

The journey rule (``JOURNEY`` of ``cjm report``)
-------------------------------------------------
1. An existing folder is a CSV folder (:func:`~cjm_jupyter.read_csv`).
2. An existing file ending in ``.json`` is read with :func:`~cjm_jupyter.read_json`,
   ``.xlsx``/``.xlsm`` with :func:`~cjm_jupyter.read_excel`; any other file is refused.
3. Otherwise a built-in template name (:func:`cjm_jupyter.templates.names`) loads
   that template; an existing file or folder of the same name wins.
4. Anything else is ``FileNotFoundError``.

Tables (event logs, surveys)
----------------------------
A path ending in ``.csv``, ``.tsv``, ``.txt`` (optionally ``.gz``) is read as
CSV by DuckDB (types sniffed: ISO timestamps become timestamps); anything else
as Parquet (a file or a glob such as ``logs/*.parquet``). Either way the result
is a lazy DuckDB relation: the log is streamed by the analytics, never loaded
into pandas.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ..errors import FileFormatError, ValidationError
from ..io.json_text import parse_json
from ..io.reading import decode_text, open_user_file

if TYPE_CHECKING:
    from ..model.journey import Journey

__all__ = ["load_journey", "load_mapping", "open_table", "check_table", "CSV_SUFFIXES"]

#: suffixes read as CSV (also with ``.gz``); everything else is Parquet
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
_JSON = (".json",)
_EXCEL = (".xlsx", ".xlsm")


def load_journey(source: str | os.PathLike[str]) -> Any:
    """Load a journey from a file, a CSV folder or a template name (the rule in the module docstring).

    Raises
    ------
    FileNotFoundError
        No such file or folder, and not a template name.
    FileFormatError
        The file is of another kind, damaged, or breaks a journey rule; the
        message starts with the user's path.

    Examples
    --------
    >>> load_journey("colleen").name
    'Curious Colleen buys a vacuum cleaner'
    """
    from .. import read_csv, read_excel, read_json, templates

    text = os.fspath(source)
    path = Path(text)
    reader: Callable[[str], Journey] | None = None
    if path.is_dir():
        reader = read_csv
    elif os.path.lexists(path):
        suffix = path.suffix.lower()
        reader = read_json if suffix in _JSON else read_excel if suffix in _EXCEL else None
        if reader is None:
            raise FileFormatError(
                "is not a journey file: use a .json or .xlsx file, or a CSV folder written by Journey.to_csv",
                path=text,
            )
    if reader is not None:
        try:
            return reader(text)
        except FileFormatError:
            raise
        except ValidationError as exc:  # a rule broken inside a readable file: name the file
            raise FileFormatError(str(exc), path=text) from None
    if text in templates.names():
        return templates.load(text)
    hint = "" if path.suffix or os.sep in text else f" and is not a template ({', '.join(templates.names())})"
    raise FileNotFoundError(f"cannot read {text!r}: the file does not exist{hint}")


def load_mapping(source: str | os.PathLike[str] | None) -> dict[str, str] | None:
    """Read an event mapping from a JSON file holding one object ``{"event name": "touchpoint id", ...}``.

    ``None`` gives ``None`` (the journey's own ``event_map`` is used).

    Raises
    ------
    FileNotFoundError
        The file does not exist.
    FileFormatError
        Not UTF-8, not JSON, or not an object of text to text.
    """
    if source is None:
        return None
    text = os.fspath(source)
    with open_user_file(text, kind="a JSON file") as fh:
        data = fh.read()
    doc = parse_json(decode_text(data, path=text), source=text, utf8_checked=True)
    if not isinstance(doc, dict) or not all(isinstance(v, str) for v in doc.values()):
        raise FileFormatError(
            'must hold one JSON object of event name -> touchpoint id, e.g. {"view_product": "product-page"}',
            path=text,
        )
    return doc


def _is_csv(path: str) -> bool:
    name = path.lower().removesuffix(".gz")
    return name.endswith(CSV_SUFFIXES)


def open_table(source: str | os.PathLike[str], *, what: str = "event log") -> duckdb.DuckDBPyRelation:
    """Open a lazy DuckDB relation over a Parquet or CSV file (or a Parquet glob).

    Raises
    ------
    FileNotFoundError
        No file at ``source`` (or no file matches the glob).
    FileFormatError
        DuckDB cannot read it as Parquet or CSV (its first message line is kept).
    """
    text = os.fspath(source)
    if glob.has_magic(text):
        if not glob.glob(text):
            raise FileNotFoundError(f"cannot read {text!r}: no file matches")
    elif Path(text).is_dir():
        hint = "name its files, e.g. 'folder/*.parquet'"
        raise FileFormatError(f"is a folder, not an {what} ({hint})", path=text)
    elif not Path(text).exists():
        raise FileNotFoundError(f"cannot read {text!r}: the file does not exist")
    from ..analytics.engines.duckdb import connect

    kind = "CSV" if _is_csv(text) else "Parquet"
    try:
        # A private connection per table (the relation keeps it alive), with the analytics'
        # defaults: a memory limit and a private spill folder, not DuckDB's 80% and ./.tmp.
        con = connect()
        return con.read_csv(text) if kind == "CSV" else con.read_parquet(text)
    except duckdb.Error as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FileFormatError(f"cannot be read as {kind} ({what}): {reason}", path=text) from None


def check_table(source: str | os.PathLike[str], roles: dict[str, str | None], *, what: str) -> None:
    """Open ``source`` (:func:`open_table`) and check it has the named columns; reads only the schema.

    ``roles`` maps a role (``"customer"``) to its column name (``None``: unused).

    Raises
    ------
    FileNotFoundError, FileFormatError
        From :func:`open_table`.
    ValidationError
        A column is missing (role, name and the columns there are named),
        or an event log's time column holds neither timestamps nor dates.
    """
    from ..analytics.engines.duckdb import checked_time_type

    text = os.fspath(source)
    rel = open_table(text, what=what)
    there = ", ".join(map(repr, rel.columns))
    for role, name in roles.items():
        if name is not None and name not in rel.columns:
            raise FileFormatError(
                f"the {what} has no {role} column {name!r} (its columns: {there}); "
                f"name it with --{role} (cjm report) or {role}= (report)",
                path=text,
            )
    if what == "event log":
        try:
            checked_time_type(rel, roles)
        except ValidationError as exc:
            raise FileFormatError(str(exc), path=text) from None
