"""Synthetic event logs and surveys for a journey, for tutorials, demos and tests.

Like scikit-learn's ``make_*`` data sets: seeded, documented, shaped like the
real thing, and built from the journey itself, so any map with an event
mapping (``Journey.map_events``) can be measured before real data arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..model.specs import EMOTION_SCALE
from .satisfaction import SCALES

__all__ = ["make_events", "make_surveys"]


def _stage_events(journey: Any) -> list[list[tuple[str, str, str]]]:
    """Per stage in order: the (event, touchpoint id, channel) triples mapped to it."""
    emap = journey.event_map
    if emap.empty:
        raise ValidationError(
            "the journey has no event mapping: add one with journey.map_events(touchpoint, events)",
            frame="event_map",
        )
    tps = journey.touchpoints.set_index("id")
    out = []
    for stage_id in journey.stages.sort_values("order")["id"]:
        in_stage = tps.index[(tps["stage_id"] == stage_id).fillna(False)]
        rows = emap[emap["touchpoint_id"].isin(in_stage)]
        out.append(
            [
                (str(e), str(t), str(tps.at[t, "channel"]) if pd.notna(tps.at[t, "channel"]) else "unknown")
                for e, t in zip(rows["event"], rows["touchpoint_id"], strict=True)
            ]
        )
    return out


def make_events(
    journey: Any,
    *,
    customers: int = 1000,
    continue_rate: float | list[float] = 0.6,
    events_per_stage: float = 1.5,
    segments: Mapping[str, float] | None = None,
    start: str = "2026-01-01",
    days: int = 30,
    seed: int = 0,
) -> pd.DataFrame:
    """A seeded clickstream of ``customers`` walking the journey's stages in order.

    Every customer starts at the first stage at a random time within ``days``
    of ``start``; in each stage they produce ``1 + Poisson(events_per_stage - 1)``
    events drawn uniformly from the events mapped to the stage's touchpoints,
    minutes to hours apart; after each stage they go on with probability
    ``continue_rate`` (one value, or one per stage transition), else the
    journey ends there. Stages without mapped events are skipped in the log
    (the customer still passes them).

    Parameters
    ----------
    journey : Journey
        With an event mapping (``journey.event_map``).
    customers : int
        Number of customers.
    continue_rate : float or list of float
        Probability of reaching the next stage.
    events_per_stage : float
        Mean events per stage visit (at least 1).
    segments : mapping of str to float, optional
        Segment name -> weight; adds a ``segment`` column. A segment's
        continue rates are scaled by its weight relative to the mean weight
        (capped at 1), so segments convert differently.
    start, days : str, int
        Window of the first events.
    seed : int
        Random seed: the same arguments give the same log.

    Returns
    -------
    DataFrame
        ``customer_id``, ``timestamp``, ``event``, ``channel`` (the
        touchpoint's), ``segment`` (with ``segments``), in time order per
        customer (customers interleaved by id).

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=200, seed=1)
    >>> list(log.columns)
    ['customer_id', 'timestamp', 'event', 'channel']
    """
    if customers < 1:
        raise ValidationError("customers must be at least 1", value=customers)
    if events_per_stage < 1:
        raise ValidationError("events_per_stage must be at least 1", value=events_per_stage)
    stages = _stage_events(journey)
    rates = (
        [float(continue_rate)] * (len(stages) - 1)
        if isinstance(continue_rate, int | float)
        else [float(r) for r in continue_rate]
    )
    if len(rates) != len(stages) - 1 or not all(0 <= r <= 1 for r in rates):
        raise ValidationError(
            f"continue_rate needs one probability in [0, 1] per stage transition ({len(stages) - 1})",
            value=continue_rate,
        )
    rng = np.random.default_rng(seed)
    ids = np.array([f"c{i:07d}" for i in range(customers)], dtype=object)
    factor = np.ones(customers)
    seg = None
    if segments:
        names = list(segments)
        weights = np.array([float(segments[n]) for n in names])
        if (weights <= 0).any():
            raise ValidationError("segment weights must be positive", value=dict(segments))
        pick = rng.choice(len(names), size=customers, p=weights / weights.sum())
        seg = np.array(names, dtype=object)[pick]
        factor = (weights / weights.mean())[pick]
    clock = pd.Timestamp(start).value // 1000 + rng.integers(0, days * 86_400_000_000, size=customers)
    alive = np.ones(customers, dtype=bool)
    parts = []
    for k, options in enumerate(stages):
        who = np.flatnonzero(alive)
        if options and len(who):
            n = 1 + rng.poisson(events_per_stage - 1, size=len(who))
            owner = np.repeat(who, n)
            # gaps: a few minutes inside a stage, hours to days between stages
            first = np.r_[0, np.cumsum(n)[:-1]]
            gap = rng.exponential(300e6, size=len(owner))
            gap[first] = rng.exponential(6 * 3600e6, size=len(who))
            offset = np.cumsum(gap)
            base = np.repeat(offset[first] - gap[first], n)
            times = np.repeat(clock[who], n) + (offset - base).astype(np.int64)
            choice = rng.integers(0, len(options), size=len(owner))
            parts.append((owner, times, choice, options))
            last = np.r_[first[1:], len(owner)] - 1
            clock[who] = times[last]
        if k < len(rates):
            alive &= rng.random(customers) < np.minimum(rates[k] * factor, 1.0)
    frames = []
    for owner, times, choice, options in parts:
        table = np.array(options, dtype=object)[choice]
        frames.append(
            pd.DataFrame(
                {
                    "customer_id": ids[owner],
                    "timestamp": pd.to_datetime(times, unit="us"),
                    "event": table[:, 0],
                    "channel": table[:, 2],
                    **({"segment": seg[owner]} if seg is not None else {}),
                }
            )
        )
    log = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    log = log.sort_values(["customer_id", "timestamp"], kind="stable", ignore_index=True)
    text = [c for c in ("customer_id", "event", "channel", "segment") if c in log.columns]
    return log.astype(dict.fromkeys(text, "string"))


def make_surveys(
    journey: Any,
    events: pd.DataFrame,
    *,
    response_rate: float = 0.1,
    scale: str = "csat",
    noise: float = 0.8,
    seed: int = 0,
) -> pd.DataFrame:
    """Seeded survey answers after touchpoint visits of a :func:`make_events` log.

    A fraction ``response_rate`` of the (customer, touchpoint) visits answer.
    The true mean at a touchpoint is the journey's average emotion there
    (any persona or source; its stage's when the touchpoint has none; 0
    otherwise) mapped onto ``scale``; answers add normal noise of
    ``noise`` emotion points and are rounded and clipped to the scale.

    Returns
    -------
    DataFrame
        ``customer_id``, ``touchpoint_id``, ``score``.
    """
    if scale not in SCALES:
        raise ValidationError(f"scale must be one of {', '.join(SCALES)}", value=scale)
    if not 0 < response_rate <= 1:
        raise ValidationError("response_rate must be in (0, 1]", value=response_rate)
    emap = dict(zip(journey.event_map["event"], journey.event_map["touchpoint_id"], strict=True))
    visits = events.assign(touchpoint_id=events["event"].map(emap)).dropna(subset=["touchpoint_id"])
    visits = visits[["customer_id", "touchpoint_id"]].drop_duplicates(ignore_index=True)
    rng = np.random.default_rng(seed)
    answered = visits[rng.random(len(visits)) < response_rate].reset_index(drop=True)
    emo = journey.emotions
    by_tp = emo.groupby("touchpoint_id")["score"].mean()
    by_stage = emo.groupby("stage_id")["score"].mean()
    stage_of = journey.touchpoints.set_index("id")["stage_id"]
    truth = np.array(
        [by_tp.get(t, by_stage.get(stage_of.get(t), 0.0)) for t in answered["touchpoint_id"]], dtype=float
    )
    low, high = SCALES[scale]
    e_low, e_high = EMOTION_SCALE
    felt = np.clip(truth + rng.normal(0, noise, size=len(truth)), e_low, e_high)
    score = np.rint(low + (felt - e_low) * (high - low) / (e_high - e_low)).astype("int64")
    return answered.assign(score=score)
