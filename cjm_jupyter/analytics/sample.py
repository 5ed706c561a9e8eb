"""Synthetic event logs and surveys for a journey, for tutorials, demos and tests.

Like scikit-learn's ``make_*`` data sets: seeded, documented, shaped like the
real thing, and built from the journey itself, so any map with an event
mapping (``Journey.map_events``) can be measured before real data arrives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
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


def _segment_shares(segments: Mapping[str, float] | Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Names and weights of ``segments=``: a mapping name -> share, or a list of names (equal shares).

    Raises
    ------
    ValidationError
        Not a mapping or list/tuple of names, no segment, a repeated name, or
        weights that are negative, not finite or all zero.
    """
    if isinstance(segments, Mapping):
        names = [str(n) for n in segments]
        raw = list(segments.values())
    elif isinstance(segments, list | tuple):
        names = [str(n) for n in segments]
        raw = [1.0] * len(names)
    else:
        # a bare string is a Sequence too: "mobile" would become segments "m", "o", ...
        raise ValidationError(
            "segments= must be a list of segment names (equal shares) or a mapping name -> share, "
            f"got {type(segments).__name__}",
            column="segments",
            value=segments,
            has_value=True,
        )
    if not names:
        raise ValidationError(
            "segments= names no segment: give at least one", column="segments", value=segments
        )
    if len(set(names)) != len(names):
        raise ValidationError("segments= repeats a segment name", column="segments", value=segments)
    try:
        weights = np.array([float(w) for w in raw])
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "segments= shares must be numbers", column="segments", value=segments, has_value=True
        ) from exc
    if not all(math.isfinite(w) and w >= 0 for w in weights) or weights.sum() == 0:
        raise ValidationError(
            "segments= needs segment weights (shares) that are finite, not negative and not all zero",
            column="segments",
            value=dict(zip(names, raw, strict=True)),
        )
    return names, weights


def make_events(
    journey: Any,
    *,
    customers: int = 1000,
    continue_rate: float | list[float] = 0.6,
    events_per_stage: float = 1.5,
    segments: Mapping[str, float] | Sequence[str] | None = None,
    start: str = "2026-01-01",
    days: int = 30,
    seed: int = 0,
    repeat_rate: float = 0.0,
    values: bool = False,
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
    segments : list of str or mapping of str to float, optional
        Adds a ``segment`` column (string dtype): one segment per customer,
        drawn with the seeded generator, the same on every event of that
        customer. A list or tuple of names gives equal shares
        (``["mobile", "desktop"]``: about half each, converting alike); a
        mapping name -> weight gives each segment the share weight / sum of
        weights (a weight of 0: no customer) **and** scales its continue
        rates by weight / mean weight (capped at 1), so heavier segments
        also convert better (``{"mobile": 1.0, "desktop": 1.5}``: 40% / 60%,
        desktop continuing 1.2x as often as the mean).
    start, days : str, int
        Window of the first events.
    seed : int
        Random seed: the same arguments give the same log.
    repeat_rate : float
        Repeat purchases: a customer who reached the **goal stage** (the last
        stage with mapped events) comes back to it with this probability,
        again and again (a geometric number of returns, mean
        ``repeat_rate / (1 - repeat_rate)``), each time an exponential gap of
        mean 30 days after the previous visit, with a visit like the first
        (``1 + Poisson(events_per_stage - 1)`` events). In [0, 1); default 0:
        no return. For :func:`~cjm_jupyter.analytics.retention`.
    values : bool
        Adds a ``value`` column (float64): the last event of every goal-stage
        visit is an order worth a log-normal amount (median 50, sigma 0.5,
        rounded to cents); every other event has NaN. For
        :func:`~cjm_jupyter.analytics.revenue`.

    The returns and the amounts come from a second generator seeded from
    ``seed``: the rows of the first walk are the same with or without them.

    Returns
    -------
    DataFrame
        ``customer_id``, ``timestamp``, ``event``, ``channel`` (the
        touchpoint's), ``segment`` (with ``segments``), ``value`` (with
        ``values=True``), in time order per customer (customers interleaved
        by id).

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=200, seed=1)
    >>> list(log.columns)
    ['customer_id', 'timestamp', 'event', 'channel']
    >>> seg = make_events(j, customers=200, segments=["mobile", "desktop"], seed=1)
    >>> sorted(seg["segment"].unique())
    ['desktop', 'mobile']

    Raises
    ------
    ValidationError
        (a ``ValueError``) A bad ``customers``, ``continue_rate``,
        ``events_per_stage``, ``segments`` or ``repeat_rate`` (named in the
        message), or a journey without an event mapping.
    """
    if customers < 1:
        raise ValidationError("customers must be at least 1", value=customers)
    if isinstance(repeat_rate, bool) or not isinstance(repeat_rate, int | float) or not 0 <= repeat_rate < 1:
        raise ValidationError(
            "repeat_rate must be a probability in [0, 1)",
            column="repeat_rate",
            value=repeat_rate,
            has_value=True,
        )
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
    if segments is not None:
        names, weights = _segment_shares(segments)
        pick = rng.choice(len(names), size=customers, p=weights / weights.sum())
        seg = np.array(names, dtype=object)[pick]
        factor = (weights / weights.mean())[pick]
    clock = pd.Timestamp(start).value // 1000 + rng.integers(0, days * 86_400_000_000, size=customers)
    alive = np.ones(customers, dtype=bool)
    goal = max((k for k, options in enumerate(stages) if options), default=-1)
    parts = []
    for k, options in enumerate(stages):
        who = np.flatnonzero(alive)
        if options and len(who):
            owner, times, choice, last = _visits(rng, who, clock, options, events_per_stage, 6 * 3600e6)
            parts.append((owner, times, choice, options, last if k == goal else None))
            clock[who] = times[last]
            if k == goal:
                reached = who
        if k < len(rates):
            alive &= rng.random(customers) < np.minimum(rates[k] * factor, 1.0)
    if repeat_rate > 0 and goal >= 0 and len(parts) and parts[-1][4] is not None:
        # a second generator: the first walk's rows stay those of the same seed without returns
        parts += _returns(np.random.default_rng([seed, 1]), reached, clock, stages[goal], events_per_stage,
                          repeat_rate)  # fmt: skip
    amounts = np.random.default_rng([seed, 2])
    frames = []
    for owner, times, choice, options, orders in parts:
        table = np.array(options, dtype=object)[choice]
        extra: dict[str, Any] = {"segment": seg[owner]} if seg is not None else {}
        if values:
            value = np.full(len(owner), np.nan)
            if orders is not None:
                value[orders] = np.round(amounts.lognormal(np.log(50.0), 0.5, size=len(orders)), 2)
            extra["value"] = value
        frames.append(
            pd.DataFrame(
                {
                    "customer_id": ids[owner],
                    "timestamp": pd.to_datetime(times, unit="us"),
                    "event": table[:, 0],
                    "channel": table[:, 2],
                    **extra,
                }
            )
        )
    log = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    log = log.sort_values(["customer_id", "timestamp"], kind="stable", ignore_index=True)
    text = [c for c in ("customer_id", "event", "channel", "segment") if c in log.columns]
    return log.astype(dict.fromkeys(text, "string"))


def _visits(
    rng: np.random.Generator,
    who: np.ndarray,
    clock: np.ndarray,
    options: list,
    per_stage: float,
    arrive: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One stage visit of each customer in ``who``: event owners, times, choices, each visit's last row.

    Gaps: an exponential of mean ``arrive`` microseconds before the visit,
    a few minutes between its events.
    """
    n = 1 + rng.poisson(per_stage - 1, size=len(who))
    owner = np.repeat(who, n)
    first = np.r_[0, np.cumsum(n)[:-1]]
    gap = rng.exponential(300e6, size=len(owner))
    gap[first] = rng.exponential(arrive, size=len(who))
    offset = np.cumsum(gap)
    base = np.repeat(offset[first] - gap[first], n)
    times = np.repeat(clock[who], n) + (offset - base).astype(np.int64)
    choice = rng.integers(0, len(options), size=len(owner))
    return owner, times, choice, np.r_[first[1:], len(owner)] - 1


def _returns(
    rng: np.random.Generator, who: np.ndarray, clock: np.ndarray, options: list, per_stage: float, rate: float
) -> list[tuple]:
    """Return visits to the goal stage: each customer keeps coming back with probability ``rate``."""
    parts = []
    clock = clock.copy()
    while len(who):
        who = who[rng.random(len(who)) < rate]
        if not len(who):
            break
        owner, times, choice, last = _visits(rng, who, clock, options, per_stage, 30 * 86_400e6)
        parts.append((owner, times, choice, options, last))
        clock[who] = times[last]
    return parts


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

    Parameters
    ----------
    journey : Journey
        The journey whose event mapping and emotions drive the answers.
    events : DataFrame
        A :func:`make_events` log (``customer_id``, ``event``; ``timestamp``
        and ``segment`` used when present).
    response_rate : float
        Share of visits answered, in (0, 1].
    scale : {"csat", "nps", "likert5", "likert7"}
        Scale of the scores.
    noise : float
        Standard deviation of the answers around the true mean, in emotion points.
    seed : int
        Random seed: the same arguments give the same answers (with or
        without a ``segment`` column in the log).

    Returns
    -------
    DataFrame
        ``customer_id``, ``touchpoint_id``, ``score``, and ``segment`` when
        the log has a ``segment`` column: each respondent's segment from the
        log (the segment of the customer's earliest event, as in the
        analytics' ``segment=`` split), so
        ``satisfaction(surveys, journey, segment="segment")`` splits it directly.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=200, segments=["mobile", "desktop"], seed=1)
    >>> list(make_surveys(j, log, seed=1).columns)
    ['customer_id', 'touchpoint_id', 'score', 'segment']
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
    out = answered.assign(score=score)
    if "segment" in events.columns:
        # the customer's earliest event decides, like the analytics' segment split
        first = events.sort_values("timestamp", kind="stable") if "timestamp" in events.columns else events
        seg_of = first.drop_duplicates("customer_id").set_index("customer_id")["segment"]
        out["segment"] = out["customer_id"].map(seg_of).astype("string")
    return out
