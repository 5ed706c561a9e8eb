"""What the ``Map`` sheet of a workbook says: the journey map as a table of texts.

Stages are the columns, the map's lanes the rows (:data:`MAP_LANES`, in the
order of :data:`cjm_jupyter.plots.map.LANES`, then the custom lanes); each cell
lists the lane's items at that stage, touchpoint by touchpoint. The emotion
curve is one series per persona (``All personas`` for rows without one; a
measured segment is a series of its own): the mean score at each stage.
Metrics and emotions are those of the latest period, as on the map.

Nothing here knows Excel; :mod:`.map_sheet` lays the table out. Rows that sit
at no stage (a journey-wide action, say) go to a last column, "Whole journey",
so the sheet leaves nothing out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..model.labels import NO_PERSONA_LABEL, format_value
from ..model.periods import emotion_rows, pick_period, rows_of_period
from ..model.placement import stage_of, stage_of_rows

if TYPE_CHECKING:
    from ..model.journey import Journey

__all__ = ["MAP_LANES", "WHOLE_JOURNEY", "EmotionSeries", "MapLane", "MapTable", "map_table"]

#: The map's built-in lanes and their titles, top to bottom (a test keeps them
#: in step with the map's own; copied so that writing Excel needs no Bokeh).
MAP_LANES: dict[str, str] = {
    "actions": "Customer actions",
    "touchpoints": "Touchpoints",
    "thoughts": "Thoughts",
    "emotions": "Emotions",
    "pain_points": "Pain points",
    "opportunities": "Opportunities",
    "actions_plan": "Action plan",
    "metrics": "Metrics",
}
#: The heading of the column of rows that sit at no stage.
WHOLE_JOURNEY = "Whole journey"


@dataclass(frozen=True)
class MapLane:
    """One lane: its key (a name from :data:`MAP_LANES` or ``"lane:<custom name>"``), title and cells.

    ``cells`` holds one list of item texts per column of the table.
    """

    key: str
    title: str
    cells: list[list[str]]


@dataclass(frozen=True)
class EmotionSeries:
    """One curve: its label, the mean score per stage (None: no emotion there) and its colour rank.

    ``rank`` is the persona's place in the personas frame (the plots colour a
    persona by it); None for the rows without a persona.
    """

    label: str
    scores: list[float | None]
    rank: int | None = None


@dataclass(frozen=True)
class MapTable:
    """The whole map sheet's content.

    ``columns`` are the stage names in order (the first ``stages``), plus
    :data:`WHOLE_JOURNEY` when some row sits at no stage; ``period`` is the
    period shown (None: none measured).
    """

    title: str
    subtitle: str
    columns: list[str]
    stages: int
    lanes: list[MapLane]
    emotions: list[EmotionSeries] = field(default_factory=list)
    period: str | None = None


def map_table(journey: Journey) -> MapTable:
    """Build the journey map of ``journey`` as texts per lane and stage.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> table = map_table(templates.load("colleen"))
    >>> table.columns
    ['Trigger', 'Research', 'Purchase', 'Delivery', 'Use']
    >>> [lane.title for lane in table.lanes][:4]
    ['Customer actions', 'Touchpoints', 'Thoughts', 'Emotions']
    >>> [(s.label, s.scores[0]) for s in table.emotions]
    [('Curious Colleen', -2.0)]
    """
    places = _Places(journey)
    period = pick_period(journey.metrics, journey.emotions, None).shown
    emotions = emotion_rows(journey.emotions, period).reset_index(drop=True)
    metrics = rows_of_period(journey.metrics, period).reset_index(drop=True)
    personas = dict(zip(journey.personas["id"], _texts(journey.personas["name"]), strict=True))
    tps = journey.touchpoints
    tps, pains, opps = journey.touchpoints, journey.pain_points, journey.opportunities
    items: dict[str, _Items] = {
        "actions": places.items(tps, [f"• {a}" if a else "" for a in _texts(tps["action"])], tp="id"),
        "touchpoints": places.items(tps, _touchpoint_texts(tps), tp="id"),
        "thoughts": places.items(emotions, _thought_texts(emotions, personas)),
        "pain_points": places.items(pains, _pain_texts(pains)),
        "opportunities": places.items(opps, _opportunity_texts(opps), places.opportunities()),
        "actions_plan": places.items(journey.actions, _plan_texts(journey.actions), places.actions()),
        "metrics": places.items(metrics, _metric_texts(metrics, personas)),
    }
    lanes_frame = journey.lanes
    for name in journey.lane_names:
        rows = lanes_frame.loc[(lanes_frame["lane"] == name).fillna(False).to_numpy(dtype=bool)]
        items[f"lane:{name}"] = places.items(rows, _texts(rows["text"]))
    whole = any(bool((it.place < 0).any()) for it in items.values())
    columns = [*_texts(journey.stages["name"]), *([WHOLE_JOURNEY] if whole else [])]
    width = len(columns)
    lanes = []
    for key, title in [*MAP_LANES.items(), *((f"lane:{n}", n) for n in journey.lane_names)]:
        lane = items.get(key)
        lanes.append(MapLane(key, title, lane.cells(width) if lane is not None else [[] for _ in columns]))
    return MapTable(
        title=journey.name,
        subtitle=_subtitle(journey, period),
        columns=columns,
        stages=len(journey.stages),
        lanes=lanes,
        emotions=_emotion_series(emotions, places.of(emotions), len(journey.stages), personas),
        period=period,
    )


@dataclass(frozen=True)
class _Items:
    """A lane's item texts with the column each sits in and its rank (its touchpoint's place)."""

    place: pd.Series
    rank: pd.Series
    texts: list[str]

    def cells(self, width: int) -> list[list[str]]:
        """Return the texts per column, in touchpoint order (stage-level items first); -1 goes last."""
        cells: list[list[str]] = [[] for _ in range(width)]
        keys = zip(self.rank.tolist(), range(len(self.texts)), self.place.tolist(), self.texts, strict=True)
        rows = sorted(keys)
        for _, _, pos, text in rows:
            if text:
                cells[pos if pos >= 0 else width - 1].append(text)
        return cells


class _Places:
    """Which column each row sits in, by the model's rule; -1 for none.

    The rule is :mod:`cjm_jupyter.model.placement`'s, as on the map.

    Rows are also ranked by their touchpoint's position, so a cell lists its
    items in the order of the touchpoints (stage-level items first). Ids are
    looked up with ``Index.get_indexer``: a journey of 20,000 touchpoints is
    placed in milliseconds.
    """

    def __init__(self, journey: Journey) -> None:
        self.stages = pd.Index(journey.stages["id"].astype(object))
        self.frames = journey._frames
        tps = journey.touchpoints
        self.tps = pd.Index(tps["id"].astype(object))
        tp_stage = _lookup(self.stages, tps["stage_id"])
        by_place = np.lexsort((tps["order"].fillna(0).to_numpy(dtype=float), tp_stage))
        self.tp_rank = np.empty(len(tps), dtype=float)
        self.tp_rank[by_place] = np.arange(len(tps))

    def of(self, df: pd.DataFrame) -> pd.Series:
        """Column of each row of ``df`` (its touchpoint's stage, else its ``stage_id``), -1 when neither."""
        tps, own, at = self.frames["touchpoints"], _ids(df, "stage_id"), _ids(df, "touchpoint_id")
        stage = stage_of(tps, stage_id=own, touchpoint_id=at)
        return pd.Series(_lookup(self.stages, stage), dtype=int)

    def items(
        self, df: pd.DataFrame, texts: list[str], place: pd.Series | None = None, *, tp: str = "touchpoint_id"
    ) -> _Items:
        """Return the lane items of ``df``'s rows: ``texts`` at ``place``.

        ``place`` defaults to :meth:`of`; items are ranked by the touchpoint in
        column ``tp`` (``"id"`` for the touchpoints themselves).
        """
        rank = pd.Series(self._via_touchpoint(df, self.tp_rank, tp))
        where = self.of(df) if place is None else place
        return _Items(where.reset_index(drop=True), rank, texts)

    def _via_touchpoint(self, df: pd.DataFrame, values: np.ndarray, column: str = "touchpoint_id") -> Any:
        """``values`` (one per touchpoint) at each row's touchpoint; -1 for a row without one."""
        if column not in df.columns:
            return np.full(len(df), -1, dtype=values.dtype)
        return _take(values, _lookup(self.tps, df[column]))

    def opportunities(self) -> pd.Series:
        """Return an opportunity's own place, else its pain point's (as on the map)."""
        return self._of_frame("opportunities")

    def actions(self) -> pd.Series:
        """Return an action's own stage, else its opportunity's place (as on the map)."""
        return self._of_frame("actions")

    def _of_frame(self, frame: str) -> pd.Series:
        stage = stage_of_rows(self.frames, frame).reset_index(drop=True)
        return pd.Series(_lookup(self.stages, stage), dtype=int)


def _lookup(index: pd.Index, ids: pd.Series) -> np.ndarray:
    """Position of each id in ``index``; -1 for a missing id or one not there."""
    values = ids.astype(object)
    return index.get_indexer(values.where(values.notna(), None))


def _take(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``values`` at ``positions``, -1 where a position is -1 (not found)."""
    return np.append(values, -1)[positions]


def _ids(df: pd.DataFrame, column: str) -> pd.Series:
    if column not in df.columns:
        return pd.Series([None] * len(df), dtype=object)
    s = df[column].astype(object)
    return s.where(s.notna(), None).reset_index(drop=True)


def _texts(s: pd.Series) -> list[str]:
    """Cells as text, missing as ``""``."""
    return s.astype("string").fillna("").tolist()


# -- item texts, one per row --------------------------------------------------------------
def _touchpoint_texts(tps: pd.DataFrame) -> list[str]:
    pairs = zip(_texts(tps["name"]), _texts(tps["channel"]), strict=True)
    return [f"• {name} ({channel})" if channel else f"• {name}" for name, channel in pairs]


def _thought_texts(emotions: pd.DataFrame, personas: dict[Any, str]) -> list[str]:
    many = emotions["persona_id"].nunique(dropna=False) > 1
    out = []
    for thought, pid in zip(_texts(emotions["thought"]), emotions["persona_id"].astype(object), strict=True):
        who = personas.get(pid, NO_PERSONA_LABEL) if isinstance(pid, str) else NO_PERSONA_LABEL
        out.append((f"“{thought}” — {who}" if many else f"“{thought}”") if thought else "")
    return out


def _pain_texts(pains: pd.DataFrame) -> list[str]:
    out = []
    for text, severity in zip(_texts(pains["description"]), pains["severity"].astype(object), strict=True):
        known = isinstance(severity, (int, np.integer))
        out.append(f"• {text} (severity {severity}/5)" if known else f"• {text}")
    return out


def _opportunity_texts(opps: pd.DataFrame) -> list[str]:
    out = []
    rows = zip(_texts(opps["description"]), _texts(opps["impact"]), _texts(opps["effort"]), strict=True)
    for text, impact, effort in rows:
        note = " · ".join(p for p in (impact and f"impact {impact}", effort and f"effort {effort}") if p)
        out.append(f"• {text} ({note})" if note else f"• {text}")
    return out


def _plan_texts(actions: pd.DataFrame) -> list[str]:
    due = pd.to_datetime(actions["due"]).dt.strftime("%Y-%m-%d")
    out = []
    columns = (_texts(actions[c]) for c in ("description", "owner", "status"))
    for text, owner, status, when in zip(*columns, _texts(due), strict=True):
        note = " · ".join(p for p in (owner, status.replace("_", " "), when and f"due {when}") if p)
        out.append(f"• {text} ({note})" if note else f"• {text}")
    return out


def _metric_texts(metrics: pd.DataFrame, personas: dict[Any, str]) -> list[str]:
    out = []
    rows = zip(
        _texts(metrics["name"]),
        metrics["value"].astype(object),
        _texts(metrics["unit"]),
        _texts(metrics["segment"]),
        metrics["persona_id"].astype(object),
        strict=True,
    )
    for name, value, unit, segment, pid in rows:
        who = [personas.get(pid, "") if isinstance(pid, str) else "", segment]
        note = " · ".join(w for w in who if w)
        out.append(f"• {name}: {format_value(value, unit)}" + (f" ({note})" if note else ""))
    return out


# -- periods and the emotion curve ---------------------------------------------------------
def _emotion_series(
    emotions: pd.DataFrame, place: pd.Series, width: int, personas: dict[Any, str]
) -> list[EmotionSeries]:
    """One series per persona (in the personas' order, ``All personas`` last) and segment."""
    key = list(zip(_ids(emotions, "persona_id"), _ids(emotions, "segment"), strict=True))
    frame = pd.DataFrame(
        {"key": key, "place": place.to_numpy(), "score": emotions["score"].astype(float).to_numpy()}
    )
    frame = frame.loc[(frame["place"] >= 0).to_numpy()]
    order = {p: k for k, p in enumerate(personas)}
    keys = sorted(
        set(frame["key"]),
        key=lambda k: (order.get(k[0], len(order)), k[0] is None, k[1] is not None, str(k[1])),
    )
    series = []
    for p, s in keys:
        rows = frame.loc[[k == (p, s) for k in frame["key"]]]
        means = rows.groupby("place")["score"].mean()
        name = personas.get(p, NO_PERSONA_LABEL) if p is not None else NO_PERSONA_LABEL
        label = f"{name} · {s}" if s is not None else name
        scores = [float(round(means[i], 2)) if i in means.index else None for i in range(width)]
        series.append(EmotionSeries(label, scores, order.get(p) if p is not None else None))
    return series


def _subtitle(journey: Journey, period: str | None) -> str:
    kind = str(journey.kind or "").replace("_", " ").capitalize()
    parts: Iterable[str] = (
        kind,
        str(journey.scenario or ""),
        f"metrics and emotions of {period}" if period else "",
    )
    return " · ".join(p for p in parts if p)
