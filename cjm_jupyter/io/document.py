"""A journey as a plain, JSON-ready document, and back.

All three file formats share this: JSON stores the document as is, the CSV
folder keeps it (without values) in ``journey.json`` beside the tables, and
the Excel workbook keeps it in two sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema

from ..errors import SchemaVersionError, ValidationError
from ..model.journey import Journey
from .cells import build_frame, to_cells
from .schema import FORMAT, SCHEMA_VERSION, load_schema

__all__ = ["to_document", "from_document", "check_version", "journey_from_frames"]


def to_document(journey: Journey) -> dict[str, Any]:
    """The journey as nested dicts and lists of plain values."""
    frames = {
        name: {
            "columns": [
                {"name": str(col), "dtype": str(df[col].dtype), "values": to_cells(df[col])}
                for col in df.columns
            ]
        }
        for name, df in journey.frames.items()
    }
    return {"format": FORMAT, "schema_version": SCHEMA_VERSION, "meta": journey.meta, "frames": frames}


def check_version(doc: Any, *, source: str) -> None:
    """Refuse documents that are not journeys or come from a newer release."""
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT:
        raise SchemaVersionError(f"{source} is not a cjm_jupyter journey file (no format {FORMAT!r})")
    version = doc.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise SchemaVersionError(
            f"{source} has no valid schema_version", column="schema_version", value=version, has_value=True
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{source} was written with journey schema version {version}, newer than the "
            f"version {SCHEMA_VERSION} this release of cjm_jupyter reads; upgrade cjm_jupyter to open it",
            column="schema_version",
            value=version,
        )
    if version < 1:
        raise SchemaVersionError(
            f"{source} has an unknown schema version", column="schema_version", value=version
        )


def from_document(doc: Any, *, source: str = "document") -> Journey:
    """A validated :class:`Journey` from a document made by :func:`to_document`."""
    check_version(doc, source=source)
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(load_schema()).iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        frame = _frame_of(error.absolute_path)
        raise ValidationError(
            f"{source} does not match the journey schema at {where}: {error.message}", frame=frame
        )
    frames = {
        name: build_frame([(c["name"], c["dtype"], c["values"]) for c in body["columns"]], frame=name)
        for name, body in doc["frames"].items()
    }
    return journey_from_frames(doc["meta"], frames, source=source)


def journey_from_frames(meta: Mapping[str, Any], frames: Mapping[str, Any], *, source: str) -> Journey:
    """Build and validate a journey; errors get a note naming ``source``."""
    try:
        return Journey(
            meta.get("name"),  # type: ignore[arg-type]
            kind=meta.get("kind"),  # type: ignore[arg-type]
            scenario=meta.get("scenario"),
            description=meta.get("description"),
            frames=frames,
        )
    except ValidationError as exc:
        exc.add_note(f"while reading {source}")
        raise


def _frame_of(path: Any) -> str | None:
    parts = list(path)
    return str(parts[1]) if len(parts) > 1 and parts[0] == "frames" else None
