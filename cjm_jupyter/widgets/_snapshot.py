"""JSON snapshots of a journey's frames, and the deltas between them, as the editors' front end reads them.

Only built-in columns are sent: extra columns may hold any dtype and the
editors do not edit them. Missing cells become ``null``, dates ISO strings.

A view receives the whole map once (the ``snapshot`` trait) and then one
delta per change: per changed frame, the rows added or changed, the ids
removed and, when the row order changed otherwise, the new order of ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.specs import FRAMES
from ._columns import encode_columns

if TYPE_CHECKING:
    from ..model.core import JourneyCore

__all__ = ["FrameCache", "frame_records", "journey_meta", "snapshot_to_json", "delta_to_json"]

Record = dict[str, Any]
Delta = dict[str, Any]

#: Above this share of a frame's rows changed, a delta sends the frame whole.
WHOLE_FRAME_SHARE = 0.25


def _column_values(series: pd.Series, kind: str) -> list[Any]:
    """Return the cells of one column as JSON-ready Python values."""
    missing = series.isna().to_numpy(dtype=bool)
    if kind == "date":
        values = series.dt.strftime("%Y-%m-%d").astype(object).tolist()
    else:
        values = series.astype(object).tolist()
    return [None if miss else value for value, miss in zip(values, missing, strict=True)]


def frame_records(df: pd.DataFrame, frame: str) -> list[Record]:
    """Rows of ``df`` (a journey frame) as a list of plain dicts.

    Parameters
    ----------
    df : DataFrame
        A validated frame of the journey.
    frame : str
        Its name, which fixes the columns sent.

    Returns
    -------
    list of dict
        One dict per row, built-in columns only, in the frame's row order.
    """
    spec = FRAMES[frame]
    columns = [c for c in spec.columns if c.name in df.columns]
    values = [_column_values(df[c.name], c.kind) for c in columns]
    names = [c.name for c in columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)] if names else []


def journey_meta(journey: JourneyCore) -> dict[str, Any]:
    """Return the meta fields a user edits (all but ``updated_at``) of ``journey``, JSON-ready.

    ``updated_at`` stays out: it changes with every edit, so carrying it would
    redraw every editor on an edit of a frame it does not show.
    """
    return {
        k: (v if isinstance(v, (str, type(None))) else str(v))
        for k, v in journey.meta.items()
        if k != "updated_at"
    }


class FrameCache:
    """Records of a set of frames, kept up to date row by row.

    The cache remembers which stored frame its records were made from; the
    journey never changes a stored frame in place, so a frame that is still
    the same object has not changed, and one that is not changed only in the
    rows a change names in ``affected`` (or in its row order).

    Parameters
    ----------
    frames : iterable of str
        The frames kept (e.g. ``("personas", "empathy")``).
    """

    def __init__(self, frames: Iterable[str]) -> None:
        self.frames = tuple(frames)
        self._records: dict[str, list[Record]] = {}
        self._by_id: dict[str, dict[str, Record]] = {}
        self._source: dict[str, pd.DataFrame] = {}
        self._position: dict[str, dict[str, int]] = {}  # id -> row, built on first need

    @property
    def records(self) -> dict[str, list[Record]]:
        """The records of every frame kept (the lists themselves: do not modify)."""
        return dict(self._records)

    def rebuild(self, journey: JourneyCore) -> dict[str, list[Record]]:
        """Rebuild every frame's records from ``journey`` and return them."""
        stored = journey._stored()
        for name in self.frames:
            self._keep(name, stored[name], frame_records(stored[name], name))
        return self.records

    def update(
        self, journey: JourneyCore, affected: Mapping[str, Iterable[str]]
    ) -> dict[str, dict[str, Any]]:
        """Bring the records up to date after a change; return the delta of each changed frame.

        Parameters
        ----------
        journey : Journey
            The journey, already changed.
        affected : mapping of str to iterable of str
            ``Change.affected``: the ids that changed, by frame.

        Returns
        -------
        dict
            Frame name -> ``{"upsert": rows, "remove": ids}`` plus ``"order": ids``
            when the order of rows is not what applying those gives, or
            ``{"rows": rows}`` when most of the frame changed. Frames that did
            not change are left out.
        """
        stored = journey._stored()
        out = {}
        for name in self.frames:
            df = stored[name]
            if df is self._source.get(name):
                continue
            delta = self._patch(name, df, tuple(affected.get(name, ())))
            if delta:
                out[name] = delta
        return out

    def _keep(self, name: str, df: pd.DataFrame, records: list[Record]) -> None:
        self._records[name] = records
        self._by_id[name] = {r["id"]: r for r in records}
        self._source[name] = df
        self._position.pop(name, None)

    def _patch_in_place(self, name: str, df: pd.DataFrame, ids: tuple[str, ...]) -> Delta | None:
        """Return the delta of a change that kept every row where it was.

        Return None when rows came, went or moved. The common edit (one card
        renamed) then costs what it changes plus one vectorised comparison of
        the id column, not a walk over every row in Python (about 100 ms on a
        100,000-touchpoint map).
        """
        old = self._source[name]
        new_ids, old_ids = df["id"].reset_index(drop=True), old["id"].reset_index(drop=True)
        if len(new_ids) != len(old_ids) or not new_ids.equals(old_ids):
            return None
        position = self._position.get(name)
        if position is None:
            position = self._position[name] = {r["id"]: k for k, r in enumerate(self._records[name])}
        try:
            rows_at = sorted({position[i] for i in ids})
        except KeyError:  # an id the frame does not hold: the general path sorts it out
            return None
        rows = frame_records(df.iloc[rows_at], name)
        records = list(self._records[name])  # a new list: the snapshot trait holds the old one
        by_id = self._by_id[name]
        for k, row in zip(rows_at, rows, strict=True):
            records[k] = by_id[row["id"]] = row
        self._records[name] = records
        self._source[name] = df
        return {"upsert": rows, "remove": []} if rows else {}

    def _patch(self, name: str, df: pd.DataFrame, ids: tuple[str, ...]) -> Delta:
        if len(ids) <= WHOLE_FRAME_SHARE * max(len(df), 8):
            in_place = self._patch_in_place(name, df, ids)
            if in_place is not None:
                return in_place
        old_by_id = self._by_id[name]
        new_ids = df["id"].tolist()
        if len(ids) > WHOLE_FRAME_SHARE * max(len(new_ids), 8):
            records = frame_records(df, name)
            self._keep(name, df, records)
            return {"rows": records}
        position = {row_id: k for k, row_id in enumerate(new_ids)}
        rows = frame_records(df.iloc[sorted(position[i] for i in ids if i in position)], name)
        changed = {r["id"]: r for r in rows}
        removed = [i for i in ids if i not in position and i in old_by_id]
        try:
            records = [changed.get(i) or old_by_id[i] for i in new_ids]
        except KeyError:  # a row neither known nor announced: trust the frame, not the change
            records = frame_records(df, name)
            self._keep(name, df, records)
            return {"rows": records}
        gone = set(removed)
        expected = [r["id"] for r in self._records[name] if r["id"] not in gone]
        expected += [r["id"] for r in rows if r["id"] not in old_by_id]
        self._keep(name, df, records)
        if not rows and not removed and expected == new_ids:
            return {}
        delta: Delta = {"upsert": rows, "remove": removed}
        if expected != new_ids:
            delta["order"] = new_ids
        return delta


def json_text(value: Any) -> str:
    r"""Return ``value`` as compact JSON text with every ``<`` written ``\u003c``.

    Saved widget state ends up inside an HTML ``<script>`` element of exported
    notebooks; nbconvert escapes ``</`` there but not ``<!--``, and user text
    such as ``<!--<script>`` would make the browser read past the element's
    end (the state no longer parses, the read-only map is lost). With no ``<``
    left in the text, no user string can do that; ``JSON.parse`` gives the
    same value back.
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def delta_to_json(value: dict[str, Any], widget: Any) -> str:
    """Serialize the ``delta`` trait: one JSON text (see :func:`json_text`)."""
    return json_text(value)


def snapshot_to_json(value: dict[str, Any], widget: Any) -> dict[str, Any]:
    """Serialize the ``snapshot`` trait: each frame as one JSON text, column by column.

    ipywidgets walks every nested value of a state looking for binary buffers;
    for a 2,400-touchpoint map that walk costs more than the edit. A frame's
    rows travel as one string instead, and a frame that did not change keeps
    its text (the cache holds the very list it was made from). The journey's
    meta data travels as JSON text too, so no user string is written raw
    (:func:`json_text`). Frames are encoded by :func:`~._columns.encode_columns`.
    The front end parses strings and accepts plain values (lists of rows) too.
    """
    cache: dict[str, tuple[Any, str]] = widget.__dict__.setdefault("_json_cache", {})
    out: dict[str, Any] = {}
    for key, rows in value.items():
        if not isinstance(rows, list | dict):
            out[key] = rows  # the version number
            continue
        hit = cache.get(key)
        if hit is None or hit[0] is not rows:
            # Frames column by column (see _columns): a third of the size of a list of dicts.
            hit = (rows, json_text(encode_columns(rows) if isinstance(rows, list) else rows))
            cache[key] = hit
        out[key] = hit[1]
    return out
