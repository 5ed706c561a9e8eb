"""Journeys as a folder of CSV files: one table per frame plus ``journey.json``.

``journey.json`` (the manifest) holds the format, schema version, meta data,
the text escape rule and each frame's file and columns with their dtypes;
the CSV files hold the cells. Text is UTF-8 with a byte-order mark so
spreadsheet programs show Cyrillic, Polish and Latvian letters correctly. An
empty field is a missing value. How a save replaces only its own files and
survives a crash is described in :mod:`cjm_jupyter.io.csv_folder`.

Formula injection
    A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return (OWASP "CSV injection"; their
    full-width forms too, which some locales evaluate). In every text column such a cell is
    written with a leading apostrophe (``'=SUM(A1)``), which Excel,
    LibreOffice and Google Sheets show as text. To keep this lossless, text
    that itself starts with an apostrophe gets one more (``'quoted`` is
    written ``''quoted``). The manifest records the rule as
    ``"text_escape": "leading-apostrophe"`` and :func:`read_csv` removes one
    leading apostrophe from text cells and header names only when it does;
    files from older releases (no such key) are read as they are. Numeric,
    boolean and date columns are written as plain values. A column added to
    a CSV file by hand is read as text under the same rule as the file's
    other text columns: write ``'x`` there to get ``x``.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import FileFormatError, ValidationError
from ..model.journey import Journey
from ..model.specs import FRAMES
from .cells import build_frame, dtype_family
from .csv_folder import (
    JOURNAL,
    MANIFEST,
    OUTSIDE,
    check_folder,
    commit,
    leads_outside,
    plain_name,
    read_generation,
    read_member,
)
from .doc_check import json_type
from .document import check_version, journey_from_frames, to_document
from .reading import decode_text

__all__ = ["to_csv", "read_csv", "MANIFEST", "JOURNAL", "TEXT_ESCAPE"]

TEXT_ESCAPE = "leading-apostrophe"
_BOM = "\ufeff"
_SAVE_AS_UTF8 = "; save it as UTF-8 (CSV UTF-8 in Excel)"
# What a spreadsheet would evaluate, plus the escape character itself (lossless).
_ESCAPED_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", "'")


def _escape(text: str) -> str:
    return "'" + text if text.startswith(_ESCAPED_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def _text(value: Any, escape: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    if escape:
        return _escape(value)
    return str(value)


def _frame_csv(columns: Sequence[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_escape(c["name"]) for c in columns])
    escapes = [dtype_family(c["dtype"]) == "text" for c in columns]
    rows = zip(*(c["values"] for c in columns), strict=True) if columns else iter(())
    writer.writerows([_text(v, e) for v, e in zip(row, escapes, strict=True)] for row in rows)
    return (_BOM + buffer.getvalue()).encode("utf-8")


def to_csv(journey: Journey, folder: str | os.PathLike[str]) -> None:
    """Write ``journey`` to ``folder``: one CSV per frame plus ``journey.json``.

    Only the package's own files are written (each atomically, the manifest
    last); other files and folders in ``folder`` are left as they are. A
    crash mid-save leaves a folder that reads as the old or the new journey.

    Parameters
    ----------
    journey : Journey
        The journey to write.
    folder : str or path-like
        The folder to write into; created when missing (its parent must exist).

    Raises
    ------
    FileExistsError
        ``folder`` holds a file this save would overwrite that no earlier
        save wrote (e.g. a ``stages.csv`` of its own), or a ``journey.json``
        that is not a journey manifest.
    FileNotFoundError
        The folder that should hold ``folder`` does not exist.
    NotADirectoryError
        ``folder`` is a file.

    Examples
    --------
    >>> import os, tempfile
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.io import to_csv
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     folder = os.path.join(parent, "colleen-csv")
    ...     to_csv(templates.load("colleen"), folder)
    ...     sorted(os.listdir(folder))[:5]
    ['actions.csv', 'emotions.csv', 'empathy.csv', 'event_map.csv', 'goals.csv']
    """
    doc = to_document(journey)
    manifest = {k: doc[k] for k in ("format", "schema_version", "meta")}
    manifest["text_escape"] = TEXT_ESCAPE
    manifest["frames"] = {}
    files = {}
    for name, body in doc["frames"].items():
        columns = body["columns"]
        manifest["frames"][name] = {
            "file": f"{name}.csv",
            "columns": [{"name": c["name"], "dtype": c["dtype"]} for c in columns],
        }
        files[f"{name}.csv"] = _frame_csv(columns)  # encoded before any file is touched
    commit(Path(os.fsdecode(folder)), files, manifest)


def read_csv(folder: str | os.PathLike[str]) -> Journey:
    """Read a journey written by :meth:`Journey.to_csv`.

    Columns added to a CSV file by hand are read as text. A folder whose
    save was interrupted reads as the journey that save was writing.

    Parameters
    ----------
    folder : str or path-like
        The folder a save wrote (its ``journey.json`` and CSV files).

    Returns
    -------
    Journey
        The validated journey.

    Raises
    ------
    FileNotFoundError
        The folder does not exist (as for ``open``).
    FileFormatError
        The folder or one of its files cannot be read as a journey: missing,
        not UTF-8, not JSON, fields of the wrong type, a frame file missing,
        a file name that is not a plain name inside the folder. The message
        starts with the folder and names the file.
    SchemaVersionError
        ``journey.json`` is not a journey manifest or comes from a newer release.
    ValidationError
        The content breaks a journey rule.

    Examples
    --------
    >>> import os, tempfile
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.io import read_csv
    >>> j = templates.load("colleen")
    >>> with tempfile.TemporaryDirectory() as parent:
    ...     folder = os.path.join(parent, "colleen-csv")
    ...     j.to_csv(folder)
    ...     back = read_csv(folder)
    >>> back.equals(j), back.meta["name"]
    (True, 'Curious Colleen buys a vacuum cleaner')
    """
    root = Path(os.fsdecode(folder))
    check_folder(root)
    generation = read_generation(root)
    manifest = generation.manifest
    version = check_version(manifest, source=str(root / MANIFEST))
    frames_spec, meta, escaped = _check_manifest(manifest, root)
    _refuse_unlisted(root, frames_spec)
    frames = {}
    for name, (file, dtypes) in frames_spec.items():
        source = _safe_path(root, file, name, generation.source(root, file))
        frames[name] = _read_frame(source, root, file, name, dtypes, escaped)
    return journey_from_frames(meta, frames, source=str(root), sheet=MANIFEST, version=version)


def _check_manifest(
    manifest: dict[str, Any], root: Path
) -> tuple[dict[str, tuple[str, dict[str, str]]], dict[str, Any], bool]:
    """``({frame: (file, {column: dtype})}, meta, escaped)`` or a FileFormatError."""

    def bad(rule: str, frame: str | None = None, column: str | None = None) -> FileFormatError:
        return FileFormatError(rule, path=str(root), sheet=MANIFEST, frame=frame, column=column)

    escape = manifest.get("text_escape")
    if escape not in (None, TEXT_ESCAPE):
        raise bad(f"unknown text_escape {escape!r} (this release knows {TEXT_ESCAPE!r})")
    meta = manifest.get("meta", {})
    if not isinstance(meta, dict):
        raise bad(f"'meta' must be an object, not {json_type(meta)}")
    frames = manifest.get("frames", {})
    if not isinstance(frames, dict):
        raise bad(f"'frames' must be an object, not {json_type(frames)}")
    out = {}
    for name, body in frames.items():
        if name not in FRAMES:
            raise bad("names an unknown frame", frame=str(name))
        if not isinstance(body, dict):
            raise bad(f"the frame must be an object, not {json_type(body)}", frame=name)
        file = body.get("file", f"{name}.csv")
        if not isinstance(file, str):
            raise bad(f"'file' must be a string, not {json_type(file)}", frame=name)
        columns = body.get("columns", [])
        if not isinstance(columns, list):
            raise bad(f"'columns' must be an array, not {json_type(columns)}", frame=name)
        dtypes: dict[str, str] = {}
        for i, col in enumerate(columns):
            if not isinstance(col, dict):
                raise bad(f"columns[{i}] must be an object, not {json_type(col)}", frame=name)
            col_name, dtype = col.get("name"), col.get("dtype")
            if not isinstance(col_name, str):
                raise bad(f"columns[{i}].name must be a string, not {json_type(col_name)}", frame=name)
            if not isinstance(dtype, str):
                raise bad(f"columns[{i}].dtype must be a string, not {json_type(dtype)}", frame=name)
            try:
                dtype_family(dtype)
            except ValueError as exc:
                raise bad(str(exc), frame=name, column=col_name) from None
            if col_name in dtypes:
                raise bad(f"column {col_name!r} is listed twice", frame=name)
            dtypes[col_name] = dtype
        out[name] = (file, dtypes)
    return out, meta, escape == TEXT_ESCAPE


def _refuse_unlisted(root: Path, listed: dict[str, Any]) -> None:
    """Refuse a frame's file that the manifest does not list: reading on would drop its rows unsaid."""
    for name in FRAMES:
        if name not in listed and os.path.lexists(root / f"{name}.csv"):
            raise FileFormatError(
                f"{MANIFEST} does not list this frame, so its rows would be lost; list the frame "
                f"in {MANIFEST} or move the file out of the folder",
                path=str(root),
                sheet=f"{name}.csv",
                frame=name,
            )


def _safe_path(root: Path, file: str, frame: str, source: Path) -> Path:
    """``source`` (where ``file`` is read from) if ``file`` is a plain name and it stays inside."""
    if not plain_name(file):
        raise FileFormatError(
            f"the file name {file!r} is not a plain file name inside the folder",
            path=str(root),
            sheet=MANIFEST,
            frame=frame,
        )
    if leads_outside(root, source):
        raise FileFormatError(OUTSIDE, path=str(root), sheet=file, frame=frame)
    return source


def _read_frame(source: Path, root: Path, file: str, name: str, dtypes: dict[str, str], escaped: bool) -> Any:
    def bad(rule: str) -> FileFormatError:
        return FileFormatError(rule, path=str(root), sheet=file, frame=name)

    missing = f"is missing; {MANIFEST} lists it for this frame (restore it or remove the frame there)"
    data = read_member(source, root=root, name=file, frame=name, kind="a CSV file", missing=missing)
    text = decode_text(data, hint=_SAVE_AS_UTF8, path=str(root), sheet=file, frame=name)
    records = _records(text, bad)
    if not records:
        if dtypes:
            raise bad(f"is empty; {MANIFEST} lists {len(dtypes)} columns for it")
        records = [[]]
    header, rows = records[0], records[1:]
    if escaped:
        header = [_unescape(h) for h in header]
    seen = set()
    for col in header:
        if col in seen:
            raise FileFormatError(
                "the header names this column twice", path=str(root), sheet=file, frame=name, column=col
            )
        seen.add(col)
    width = len(header)
    bad_row = next((i for i, row in enumerate(rows) if len(row) != width), None)
    if bad_row is not None:
        line = _line_of(text, bad_row + 1)
        raise bad(f"line {line} has {len(rows[bad_row])} fields, the header has {width}")
    columns = []
    for i, col in enumerate(header):
        dtype = dtypes.get(col, "string")  # a column added by hand is text
        values = [row[i] for row in rows]
        if escaped and dtype_family(dtype) == "text":
            values = [v[1:] if v[:1] == "'" else v for v in values]  # _unescape, inlined: hot loop
        columns.append((col, dtype, values))
    try:
        return build_frame(columns, frame=name)
    except ValidationError as exc:
        exc.add_note(f"while reading {root / file}")
        raise


def _reader(text: str) -> Any:
    # Long text cells (a pasted interview) exceed csv's default 128 KiB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 2**31 - 1)))
    return csv.reader(io.StringIO(text, newline=""))


def _records(text: str, bad: Any) -> list[list[str]]:
    """Split ``text`` into records; blank lines (editors add them) are skipped."""
    reader = _reader(text)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise bad(f"line {reader.line_num} cannot be read as CSV: {exc}") from None
    return rows if all(rows) else [row for row in rows if row]


def _line_of(text: str, index: int) -> int:
    """Return the line on which record ``index`` (0 = header, blank lines skipped) starts; for messages."""
    reader = _reader(text)
    line, seen = 1, -1
    for row in reader:
        if row:
            seen += 1
            if seen == index:
                break
        line = reader.line_num + 1
    return line
