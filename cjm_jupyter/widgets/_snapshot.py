"""JSON snapshots of a journey's frames, as the editors' front end reads them.

Only built-in columns are sent: extra columns may hold any dtype and the
editors do not edit them. Missing cells become ``null``, dates ISO strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.specs import FRAMES

if TYPE_CHECKING:
    from ..model.core import JourneyCore

__all__ = ["frame_records", "journey_meta", "FrameCache", "snapshot_to_json"]


def _column_values(series: pd.Series, kind: str) -> list[Any]:
    """The cells of one column as JSON-ready Python values."""
    missing = series.isna().to_numpy(dtype=bool)
    if kind == "date":
        values = series.dt.strftime("%Y-%m-%d").astype(object).tolist()
    else:
        values = series.astype(object).tolist()
    return [None if miss else value for value, miss in zip(values, missing, strict=True)]


def frame_records(df: pd.DataFrame, frame: str) -> list[dict[str, Any]]:
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
    """Name, scenario, kind and description of ``journey``, JSON-ready."""
    return {k: (v if isinstance(v, (str, type(None))) else str(v)) for k, v in journey.meta.items()}


class FrameCache:
    """Records of a set of frames, rebuilt only for the frames a change touched.

    Parameters
    ----------
    frames : iterable of str
        The frames kept (e.g. ``("personas", "empathy")``).
    """

    def __init__(self, frames: Iterable[str]) -> None:
        self.frames = tuple(frames)
        self._records: dict[str, list[dict[str, Any]]] = {}

    def refresh(self, journey: JourneyCore, touched: Iterable[str] | None = None) -> dict[str, Any]:
        """Rebuild the records of ``touched`` frames (all when None) and return them all."""
        names = self.frames if touched is None else [n for n in touched if n in self.frames]
        for name in names:
            self._records[name] = frame_records(journey.frame(name), name)
        for name in self.frames:
            if name not in self._records:
                self._records[name] = frame_records(journey.frame(name), name)
        return dict(self._records)


def snapshot_to_json(value: dict[str, Any], widget: Any) -> dict[str, Any]:
    """Serializer of the ``snapshot`` trait: each frame's rows as one JSON text.

    ipywidgets walks every nested value of a state looking for binary buffers;
    for a 2,400-touchpoint map that walk costs more than the edit. A frame's
    rows travel as one string instead, and a frame that did not change keeps
    its text (the cache holds the very list it was made from). The front end
    parses strings and accepts plain lists too.
    """
    cache: dict[str, tuple[Any, str]] = widget.__dict__.setdefault("_json_cache", {})
    out: dict[str, Any] = {}
    for key, rows in value.items():
        if not isinstance(rows, list):
            out[key] = rows
            continue
        hit = cache.get(key)
        if hit is None or hit[0] is not rows:
            hit = (rows, json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
            cache[key] = hit
        out[key] = hit[1]
    return out
