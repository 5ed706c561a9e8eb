"""Journeys as a folder of CSV files: one table per frame plus ``journey.json``.

``journey.json`` holds the format, schema version, meta data and each
frame's columns with their dtypes; the CSV files hold the cells. Text is
UTF-8 with a byte-order mark so spreadsheet programs show Cyrillic, Polish
and Latvian letters correctly. An empty field is a missing value.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

from ..errors import ValidationError
from ..model.journey import Journey
from ..model.specs import FRAMES
from .atomic import atomic_folder
from .cells import build_frame
from .document import check_version, journey_from_frames, to_document

__all__ = ["to_csv", "read_csv", "MANIFEST"]

MANIFEST = "journey.json"
_ENCODING = "utf-8-sig"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    return str(value)


def to_csv(journey: Journey, folder: str | os.PathLike[str]) -> None:
    """Write ``journey`` to ``folder`` (created or replaced atomically).

    An existing non-empty folder is only replaced when it holds a
    ``journey.json`` from an earlier save, so no unrelated folder is lost.
    """
    doc = to_document(journey)
    manifest = {k: doc[k] for k in ("format", "schema_version", "meta")}
    manifest["frames"] = {}
    with atomic_folder(folder, marker=MANIFEST) as tmp:
        for name, body in doc["frames"].items():
            columns = body["columns"]
            manifest["frames"][name] = {
                "file": f"{name}.csv",
                "columns": [{"name": c["name"], "dtype": c["dtype"]} for c in columns],
            }
            rows = zip(*(c["values"] for c in columns), strict=True) if columns else iter(())
            with open(tmp / f"{name}.csv", "w", encoding=_ENCODING, newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow([c["name"] for c in columns])
                writer.writerows([_text(v) for v in row] for row in rows)
        (tmp / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


def read_csv(folder: str | os.PathLike[str]) -> Journey:
    """Read a journey written by :meth:`Journey.to_csv`.

    Columns added to a CSV file by hand are read as text; a missing frame
    file is read as an empty frame.
    """
    root = Path(folder)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        raise ValidationError(f"{root} has no {MANIFEST}; is it a folder written by Journey.to_csv?")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{manifest_path} is not valid JSON: {exc}") from None
    check_version(manifest, source=str(manifest_path))
    frames = {}
    for name, body in (manifest.get("frames") or {}).items():
        if name not in FRAMES:
            raise ValidationError(f"{manifest_path} names an unknown frame", frame=str(name))
        path = root / body.get("file", f"{name}.csv")
        if not path.is_file():
            continue
        dtypes = {c["name"]: c["dtype"] for c in body.get("columns", [])}
        with open(path, encoding=_ENCODING, newline="") as fh:
            rows = list(csv.reader(fh))
        if not rows:
            continue
        header, data = rows[0], rows[1:]
        bad = next((i for i, r in enumerate(data) if len(r) != len(header)), None)
        if bad is not None:
            raise ValidationError(
                f"{path}: line {bad + 2} has {len(data[bad])} fields, the header has {len(header)}",
                frame=name,
            )
        columns = [(col, dtypes.get(col, "string"), [r[i] for r in data]) for i, col in enumerate(header)]
        frames[name] = build_frame(columns, frame=name)
    return journey_from_frames(manifest.get("meta") or {}, frames, source=str(root))
