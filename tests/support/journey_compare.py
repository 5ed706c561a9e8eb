"""Compare two journeys by content, whatever ids their rows got.

A map typed into the editors gets ids generated from what was typed, so it
cannot equal a template row for row. Two journeys have the same content when
every frame holds the same rows once each id (and each reference to an id)
is replaced by the row's natural key: a stage by its name, a touchpoint by its
stage and name, a pain point by its description, and so on.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cjm_jupyter import FRAME_NAMES, Journey
from cjm_jupyter.model.specs import FRAMES

#: columns that name a row in each frame, besides its generated id
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "personas": ("name",),
    "stages": ("name",),
    "touchpoints": ("stage_id", "name"),
    "emotions": ("persona_id", "stage_id", "touchpoint_id", "period", "source"),
    "pain_points": ("description",),
    "opportunities": ("description",),
    "actions": ("description",),
    "metrics": ("name", "stage_id", "touchpoint_id", "segment", "period"),
    "goals": ("name", "stage_id", "touchpoint_id", "segment", "period"),
    "empathy": ("persona_id", "quadrant", "text"),
    "lanes": ("lane", "stage_id"),
    "event_map": ("event",),
}


def _label(value: Any) -> str:
    return (
        "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)
    )


def _keyed(journey: Journey) -> dict[str, pd.DataFrame]:
    """Every frame with ids replaced by natural keys (in dependency order)."""
    keys: dict[str, dict[str, str]] = {}
    out: dict[str, pd.DataFrame] = {}
    pending = list(FRAME_NAMES)
    while pending:
        for name in list(pending):
            refs = {c.name: c.ref for c in FRAMES[name].refs}
            if any(ref in pending and ref != name for ref in refs.values()):
                continue
            df = journey.frame(name).astype(object)
            for column, ref in refs.items():
                df[column] = [keys[ref].get(_label(v), "") if _label(v) else "" for v in df[column]]
            key = [
                " / ".join(_label(v) for v in row)
                for row in df[list(NATURAL_KEYS[name])].itertuples(index=False)
            ]
            keys[name] = dict(zip(df["id"].map(_label), key, strict=True))
            df = df.drop(columns="id").assign(_key=key).sort_values("_key", kind="stable")
            out[name] = df.reset_index(drop=True)
            pending.remove(name)
    return out


def content_differences(built: Journey, expected: Journey) -> list[str]:
    """What differs between two journeys' content (empty when they match).

    Compares meta (but ``updated_at``: when, not what, as in ``Journey.equals``)
    and every frame by natural key; ``order`` columns are compared as they are,
    so stage and touchpoint order count.
    """
    diffs = [
        f"meta {k}: {built.meta.get(k)!r} != {expected.meta.get(k)!r}"
        for k in expected.meta
        if k != "updated_at" and built.meta.get(k) != expected.meta.get(k)
    ]
    got, want = _keyed(built), _keyed(expected)
    for name in FRAME_NAMES:
        g, w = got[name].set_index("_key"), want[name].set_index("_key")
        for key in w.index.difference(g.index):
            diffs.append(f"{name}: missing row {key!r}")
        for key in g.index.difference(w.index):
            diffs.append(f"{name}: unexpected row {key!r}")
        if g.index.has_duplicates or w.index.has_duplicates:
            diffs.append(f"{name}: duplicate natural keys")
            continue
        for key in w.index.intersection(g.index):
            for column in w.columns:
                a, b = g.at[key, column] if column in g.columns else None, w.at[key, column]
                if _label(a) != _label(b):
                    diffs.append(f"{name} {key!r} {column}: {_label(a)!r} != {_label(b)!r}")
    return diffs
