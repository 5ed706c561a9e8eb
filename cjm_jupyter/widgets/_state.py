"""An editor's saved widget state, read back into the journey it shows.

A notebook saved with widget state (nbclient's ``store_widget_state``,
JupyterLab's "Save Widget State") keeps each editor model's synced traits:
``snapshot`` (``version``, ``journey`` meta data and one frame of rows per
frame the editor shows) and the last ``delta``. Each value may be JSON text
(what the kernel sends, :func:`~._snapshot.snapshot_to_json`, and what the
front end writes, ``js/lib/columns.js``) or plain JSON, a frame may be rows
or in column form (:mod:`._columns`).

The snapshot holds only the built-in columns of the editor's frames, so it
cannot say which dtypes or extra columns a journey had. The saved state is
therefore laid over the journey as it was displayed (the document in the
output, :mod:`cjm_jupyter.sharing.mime`): meta data and, for every frame the
snapshot holds, its rows; extra columns are kept by row id (missing for new
rows); frames the editor does not show stay as displayed, except for rows a
removal cascaded to, as it did in the kernel.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import FileFormatError
from ..io.document import journey_from_frames
from ..io.json_text import parse_json
from ..model.journey import Journey
from ..model.specs import FRAMES
from ._columns import decode_columns, is_columns
from ._snapshot import frame_records, journey_meta

__all__ = ["SavedEditor", "read_saved_state", "overlay_saved_state"]

Record = dict[str, Any]


@dataclass(frozen=True)
class SavedEditor:
    """What an editor's saved state says about its journey.

    Attributes
    ----------
    meta : dict
        Name, scenario, kind and description.
    frames : dict of str to list of dict
        The rows (built-in columns) of every frame the editor shows, in order,
        with the saved ``delta`` applied when it is newer than the snapshot.
    """

    meta: dict[str, Any]
    frames: dict[str, list[Record]]


def read_saved_state(state: Mapping[str, Any], *, source: str) -> SavedEditor | None:
    """Decode an editor model's saved ``state``; None when it holds no snapshot.

    Parameters
    ----------
    state : mapping
        The model's saved traits (``metadata.widgets[...]["state"][model_id]["state"]``).
    source : str
        Where the state comes from (``"my.ipynb, cell 3"``), named in every error.

    Raises
    ------
    FileFormatError
        The snapshot or delta is not what an editor saves.
    """
    raw = state.get("snapshot")
    if raw is None or raw == {}:
        return None  # saved without defaults, or by another tool: nothing to lay over
    snapshot = _value(raw, source, "snapshot")
    if not isinstance(snapshot, Mapping):
        raise _damaged(source, f"the snapshot is {type(snapshot).__name__}, not an object")
    version = snapshot.get("version")
    meta = _value(snapshot.get("journey"), source, "the snapshot's meta data")
    if not isinstance(meta, Mapping):
        raise _damaged(source, "the snapshot has no meta data ('journey')")
    frames = {
        name: _rows(_value(value, source, f"frame {name!r}"), source, name)
        for name, value in snapshot.items()
        if name in FRAMES
    }
    delta = _value(state.get("delta"), source, "delta") if state.get("delta") else None
    if isinstance(delta, Mapping) and _newer(delta, version):
        if isinstance(delta.get("journey"), Mapping):
            meta = delta["journey"]
        changes = delta.get("frames") or {}
        if not isinstance(changes, Mapping):
            raise _damaged(source, "the delta's frames are not an object")
        for name, change in changes.items():
            if name in FRAMES:
                frames[name] = _patch(frames.get(name, []), change, source, name)
    return SavedEditor(dict(meta), frames)


def overlay_saved_state(displayed: Journey, saved: SavedEditor, *, source: str) -> Journey:
    """Return the journey ``displayed`` with an editor's ``saved`` state laid over it.

    Built through :class:`Journey` itself (validated, the model's dtypes).
    Rows the saved frames no longer hold are removed first with
    ``cascade=True``, so frames the editor does not show lose what the kernel
    removed with them.

    Raises
    ------
    ValidationError
        The result breaks a journey rule (a note names ``source``).
    """
    if _unchanged(displayed, saved):
        return displayed  # the common case: building and validating the journey again costs ~0.1 s
    journey = displayed.copy()
    names = [n for n in FRAMES if n in saved.frames]
    for name in names:  # each frame read after the cascades of the ones before it
        keep = {row["id"] for row in saved.frames[name]}
        gone = [i for i in journey.frame(name)["id"].tolist() if i not in keep]
        if gone:
            journey.remove(name, gone, cascade=True)
    frames = journey.frames
    for name in names:
        frames[name] = _frame(displayed.frame(name), saved.frames[name], name)
    # The editor's state does not carry updated_at (see journey_meta): the
    # displayed journey's is the last one known.
    meta = {"updated_at": displayed.updated_at, **saved.meta}
    return journey_from_frames(meta, frames, source=source)


def _unchanged(displayed: Journey, saved: SavedEditor) -> bool:
    """Whether ``saved`` shows ``displayed`` as it is (compared as the snapshot holds it)."""
    if saved.meta != journey_meta(displayed):
        return False
    stored = displayed._stored()
    return all(rows == frame_records(stored[name], name) for name, rows in saved.frames.items())


# -- decoding -------------------------------------------------------------------------------
def _damaged(source: str, what: str) -> FileFormatError:
    return FileFormatError(f"the editor's saved widget state is damaged: {what}", path=source)


def _value(value: Any, source: str, what: str) -> Any:
    """Read a saved value: JSON text parsed (strictly), anything else as it is."""
    if not isinstance(value, str):
        return value
    try:
        return parse_json(value, source=source)
    except FileFormatError as exc:
        raise _damaged(source, f"{what} {exc.rule}") from None


def _newer(delta: Mapping[str, Any], version: Any) -> bool:
    """Whether ``delta`` is the change right after the snapshot (as the front end applies it)."""
    numbers = (delta.get("version"), delta.get("base"), version)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in numbers):
        return False
    return delta["base"] == version and delta["version"] > version


def _rows(value: Any, source: str, frame: str) -> list[Record]:
    if is_columns(value):
        try:
            value = decode_columns(value)
        except (KeyError, IndexError, TypeError, ValueError):
            raise _damaged(source, f"frame {frame!r} is not in column form") from None
    if not isinstance(value, list) or not all(_is_row(r) for r in value):
        raise _damaged(source, f"frame {frame!r} is not a list of rows with an id")
    return value


def _is_row(row: Any) -> bool:
    return isinstance(row, dict) and isinstance(row.get("id"), str)


def _patch(current: list[Record], change: Any, source: str, frame: str) -> list[Record]:
    """One frame after a delta, exactly as the front end applies it (``js/lib/store.js``)."""
    if not isinstance(change, Mapping):
        raise _damaged(source, f"the delta of frame {frame!r} is not an object")
    if "rows" in change:
        return _rows(change["rows"], source, frame)
    upsert = {row["id"]: row for row in _rows(change.get("upsert") or [], source, frame)}
    gone = set(change.get("remove") or [])
    out = []
    for row in current:
        if row["id"] not in gone:
            out.append(upsert.pop(row["id"], row))
    out += upsert.values()  # new rows, in the frame's order
    order = change.get("order")
    if not isinstance(order, list):
        return out
    by_id = {row["id"]: row for row in out}
    return [by_id[i] for i in order if i in by_id]


# -- frames -----------------------------------------------------------------------------------
def _frame(displayed: pd.DataFrame, rows: list[Record], name: str) -> pd.DataFrame:
    """``rows`` as a frame with ``displayed``'s columns: built-in cells from the rows, extras by id.

    Cells stay Python objects (no float detour for whole numbers with gaps);
    :class:`Journey` gives each column the model's dtype.
    """
    builtin = set(FRAMES[name].column_names)
    frame = pd.DataFrame(
        {c: pd.Series([row.get(c) for row in rows], dtype=object) for c in displayed.columns if c in builtin}
    )
    extras = [c for c in displayed.columns if c not in builtin]
    if extras:
        by_id = displayed.set_index("id")[extras]
        cells = by_id.reindex(pd.Index([row["id"] for row in rows], dtype=by_id.index.dtype))
        frame = pd.concat([frame, cells.reset_index(drop=True)], axis=1)
    return frame[list(displayed.columns)]
