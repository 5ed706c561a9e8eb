"""A journey as a plain, JSON-ready document, and back.

All three file formats share this: JSON stores the document as is, the CSV
folder keeps it (without values) in ``journey.json`` beside the tables, and
the Excel workbook keeps it in two sheets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..errors import FileFormatError, SchemaVersionError, ValidationError
from ..model.journey import Journey
from .cells import build_frame, to_cells
from .doc_check import META_KEYS, check_document, json_type, unknown_meta_rule
from .migrate import upgrade_document, upgrade_parts
from .schema import FORMAT, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..model.core import JourneyCore

__all__ = ["to_document", "from_document", "check_version", "journey_from_frames"]


def to_document(journey: JourneyCore) -> dict[str, Any]:
    """Return the journey as nested dicts and lists of plain values."""
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


def check_version(doc: Any, *, source: str) -> int:
    """Return the schema version of ``doc``.

    Refuse documents that are not journeys or come from a newer release.

    Older versions are accepted: the readers migrate them (:mod:`.migrate`).
    """
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
    return version


def from_document(doc: Any, *, source: str = "document", shipped: bool = False) -> Journey:
    """Build a validated :class:`Journey` from a document made by :func:`to_document`.

    Parameters
    ----------
    doc : Any
        The parsed document (``json.loads`` output).
    source : str
        The user's path, or a description such as ``"JSON text"``; every error names it.
    shipped : bool
        ``doc`` is a file shipped in this package (a template), which the tests
        check against the schema: skip that check (the journey's own validation
        still runs). Never for a user's file.

    Raises
    ------
    FileFormatError
        The document is not an object, or breaks the journey schema (the error
        names the frame, column and, for a value, the row id).
    SchemaVersionError
        It is not a journey document or comes from a newer release.
    ValidationError
        The frames break a journey rule (a note names ``source``).
    """
    if not isinstance(doc, Mapping):
        raise FileFormatError(f"the top level is {json_type(doc)}, not an object", path=source)
    check_version(doc, source=source)
    doc = upgrade_document(doc)  # an older file is checked in today's layout
    if not shipped:
        check_document(doc, source=source)
    frames = {name: _frame(name, body["columns"], source) for name, body in doc["frames"].items()}
    return journey_from_frames(doc["meta"], frames, source=source)


def _frame(name: str, columns: list[dict[str, Any]], source: str) -> Any:
    try:
        return build_frame([(c["name"], c["dtype"], c["values"]) for c in columns], frame=name)
    except ValidationError as exc:  # a value the schema allows but the dtype cannot hold
        raise FileFormatError(
            exc.rule,
            path=source,
            frame=exc.frame,
            row_id=_row_of(columns, exc.column, exc.value),
            column=exc.column,
            value=exc.value,
            has_value=True,
        ) from None


def _row_of(columns: list[dict[str, Any]], column: str | None, value: Any) -> str | None:
    """Return the id of the first row whose ``column`` holds ``value`` (for an error message)."""
    values: list[Any] = next((c["values"] for c in columns if c["name"] == column), [])
    ids: list[Any] = next((c["values"] for c in columns if c["name"] == "id"), [])
    index = next((i for i, v in enumerate(values) if v == value), None)
    return ids[index] if index is not None and index < len(ids) and isinstance(ids[index], str) else None


def journey_from_frames(
    meta: Mapping[str, Any],
    frames: Mapping[str, Any],
    *,
    source: str,
    sheet: str | None = None,
    version: int = SCHEMA_VERSION,
) -> Journey:
    """Build and validate a journey from parts of schema ``version``; errors get a note naming ``source``.

    A meta key the journey has no field for is a FileFormatError naming
    ``source`` and ``sheet`` (where the meta data is kept): dropping it
    would lose what the user wrote there without a word. ``updated_at`` is
    kept as the file has it: reading is not a change.
    """
    meta, frames = upgrade_parts(version, meta, frames)
    unknown = next((k for k in meta if k not in META_KEYS and k not in ("format", "schema_version")), None)
    if unknown is not None:
        raise FileFormatError(unknown_meta_rule(unknown), path=source, sheet=sheet)
    # Any: the values are checked by Journey itself (a wrong type is a ValidationError).
    name: Any = meta.get("name")
    fields: dict[str, Any] = {k: meta.get(k) for k in META_KEYS if k != "name"}
    try:
        return Journey(name, frames=frames, **fields)
    except ValidationError as exc:
        exc.add_note(f"while reading {source}")
        raise
