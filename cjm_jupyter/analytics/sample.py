"""Synthetic event logs and surveys for a journey, for tutorials, demos and tests.

Like scikit-learn's ``make_*`` data sets: seeded, documented, shaped like the
real thing, and built from the journey itself, so any map with an event
mapping (``Journey.map_events``) can be measured before real data arrives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._deprecate import renamed_keywords, swap_if_journey_first
from ..errors import ValidationError
from ..model.specs import EMOTION_SCALE
from ._walkers import Walkers, checked_median, checked_rates, checked_repeat, walkers
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


@renamed_keywords(id="customer_col", segment="segment_col")
def make_events(
    journey: Any,
    *,
    customers: int | pd.DataFrame = 1000,
    customer_col: str = "customer_id",
    segment_col: str | None = None,
    continue_rate: float | list[float] = 0.6,
    events_per_stage: float = 1.5,
    segments: Mapping[Any, float | Mapping[str, Any]] | Sequence[str] | None = None,
    start: str = "2026-01-01",
    days: int = 30,
    seed: int = 0,
    repeat_rate: float = 0.0,
    values: bool = False,
    goal: str | None = None,
    value_median: float = 50.0,
) -> pd.DataFrame:
    """Make a seeded clickstream of ``customers`` walking the journey's stages in order.

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
    customers : int or DataFrame
        Number of customers (ids ``"c0000000"``, ``"c0000001"``, ...), or a
        **customer table** (one row per customer, e.g.
        :func:`cjm_jupyter.personas.make_customers`): its ``customer_col`` column
        gives the log's ``customer_id``, with the column's type (integer ids
        stay integers), so the log joins the table.
    customer_col : str
        The customer table's id column (unique, no missing value).
    segment_col : str, optional
        A column of the customer table: the log gets a ``segment`` column
        with each customer's value there (with the column's type), and
        ``segments=``, when given, sets each segment's behaviour (every
        value of the column must be named there; matched as text).
        Without ``segment_col=``, ``segments=`` draws random segments, as for
        a number of customers.
    continue_rate : float or list of float
        Probability of reaching the next stage.
    events_per_stage : float
        Mean events per stage visit (at least 1).
    segments : list of str, or mapping of segment to weight or to dict, optional
        Adds a ``segment`` column (string dtype): one segment per customer,
        drawn with the seeded generator (or taken from the table's
        ``segment_col=`` column), the same on every event of that customer.

        * A list or tuple of names gives equal shares
          (``["mobile", "desktop"]``: about half each, converting alike).
        * A mapping name -> weight gives each segment the share weight /
          sum of weights (a weight of 0: no customer) **and** scales its
          continue rates by weight / mean weight (capped at 1), so heavier
          segments also convert better (``{"mobile": 1.0, "desktop": 1.5}``:
          40% / 60%, desktop continuing 1.2x as often as the mean).
        * A mapping name -> dict sets each segment's behaviour outright,
          any of ``share`` (weight of its share; default 1; not with
          ``segment_col=``, where the table decides), ``continue_rate``,
          ``repeat_rate`` and ``value_median``; a key left out takes the
          argument of the same name (``{"app": {"continue_rate": [0.9, 0.4,
          0.8, 0.5], "repeat_rate": 0.1}, "store": {"repeat_rate": 0.5}}``).
          Weights and dicts are not mixed in one mapping.
    start, days : str, int
        Window of the first events.
    seed : int
        Random seed: the same arguments give the same log.
    repeat_rate : float
        Repeat purchases: a customer who reached the **goal stage** (see
        ``goal``) comes back to it with this probability, again and again
        (a geometric number of returns, mean ``repeat_rate / (1 -
        repeat_rate)``), each time an exponential gap of mean 30 days after
        the previous visit, with a visit like the first (``1 +
        Poisson(events_per_stage - 1)`` events). In [0, 1); default 0: no
        return. For :func:`~cjm_jupyter.analytics.retention`.
    values : bool
        Adds a ``value`` column (float64): the last event of every goal-stage
        visit is an order worth a log-normal amount (median ``value_median``,
        sigma 0.5, rounded to cents); every other event has NaN. For
        :func:`~cjm_jupyter.analytics.revenue`.
    goal : str, optional
        Where orders (``values``) and returns (``repeat_rate``) happen: a
        stage or touchpoint, by id or name, as the ``goal=`` of
        :func:`~cjm_jupyter.analytics.funnel` and
        :func:`~cjm_jupyter.analytics.retention` (e.g. ``"Purchase"``).
        With a touchpoint, every visit of its stage ends with an event of
        that touchpoint (the order). Default: the last stage with mapped
        events (on a journey whose last stages are after the purchase, such
        as *use*, pass the purchase stage).
    value_median : float
        Median order amount (> 0).

    Returns
    -------
    DataFrame
        ``customer_id``, ``timestamp``, ``event``, ``channel`` (the
        touchpoint's), ``segment`` (with ``segments`` or ``segment_col``),
        ``value`` (with ``values=True``), in time order per customer
        (customers interleaved by id).

    Raises
    ------
    ValidationError
        (a ``ValueError``) A bad ``customers`` (number or table),
        ``continue_rate``, ``events_per_stage``, ``segments``, ``segment_col``,
        ``repeat_rate``, ``value_median`` or ``goal`` (named in the
        message), or a journey without an event mapping.

    Notes
    -----
    The returns, the amounts and the touchpoint goal's events come from
    further generators seeded from ``seed``: the rows of the first walk are
    the same with or without them, and a table without ``segment_col=`` walks
    like the same number of customers.

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

    Following a customer table whose segments behave differently, with
    orders at the purchase stage:

    >>> from cjm_jupyter.personas import make_customers
    >>> table = make_customers(300, segments=2, seed=1)
    >>> log = make_events(j, customers=table, segment_col="planted_segment", segments={
    ...     "young_mobile": {"continue_rate": 0.5},
    ...     "loyal_regular": {"continue_rate": 0.8, "repeat_rate": 0.5, "value_median": 30}},
    ...     goal="Purchase", values=True, seed=1)
    >>> str(log["customer_id"].dtype), sorted(log["segment"].unique())
    ('int64', ['loyal_regular', 'young_mobile'])
    >>> set(log["customer_id"]) <= set(table["customer_id"])
    True
    """
    if not isinstance(customers, pd.DataFrame) and customers < 1:
        raise ValidationError("customers must be at least 1", value=customers)
    repeat_rate = checked_repeat(repeat_rate)
    value_median = checked_median(value_median)
    if events_per_stage < 1:
        raise ValidationError("events_per_stage must be at least 1", value=events_per_stage)
    stages = _stage_events(journey)
    rates = checked_rates(continue_rate, len(stages) - 1)
    at, goal_options = _goal_stage(journey, goal, stages)
    rng = np.random.default_rng(seed)
    who = walkers(
        rng, customers, id=customer_col, segment=segment_col, segments=segments, rates=rates,
        repeat=repeat_rate, median=value_median,
    )  # fmt: skip
    n = who.n
    clock = pd.Timestamp(start).value // 1000 + rng.integers(0, days * 86_400_000_000, size=n)
    alive = np.ones(n, dtype=bool)
    # the events of a touchpoint goal come from their own generator: the walk's draws stay the same
    ending = _Ending(goal_options, np.random.default_rng([seed, 3]))
    reached, parts = None, []
    for k, options in enumerate(stages):
        here = np.flatnonzero(alive)
        if options and len(here):
            owner, times, choice, last = _visits(rng, here, clock, options, events_per_stage, 6 * 3600e6)
            if k == at:
                ending.apply(choice, last)
                reached = here
            parts.append((owner, times, choice, options, last if k == at else None))
            clock[here] = times[last]
        if k < len(rates):
            alive &= rng.random(n) < who.rates[:, k]
    if reached is not None and who.repeat.max() > 0:
        # a second generator: the first walk's rows stay those of the same seed without returns
        parts += _returns(np.random.default_rng([seed, 1]), reached, clock, stages[at], events_per_stage,
                          who.repeat, ending)  # fmt: skip
    return _log(parts, who, np.random.default_rng([seed, 2]) if values else None)


def _log(parts: list[tuple], who: Walkers, amounts: np.random.Generator | None) -> pd.DataFrame:
    """Build the log's frame from the walk's parts; ``amounts`` draws the order values (None: no values)."""
    frames = []
    for owner, times, choice, options, orders in parts:
        table = np.array(options, dtype=object)[choice]
        extra: dict[str, Any] = {"segment": who.segment[owner]} if who.segment is not None else {}
        if amounts is not None:
            value = np.full(len(owner), np.nan)
            if orders is not None:
                median = who.median[owner[orders]]
                value[orders] = np.round(amounts.lognormal(np.log(median), 0.5, size=len(orders)), 2)
            extra["value"] = value
        frames.append(
            pd.DataFrame(
                {
                    "customer_id": who.ids[owner],
                    "timestamp": pd.to_datetime(times, unit="us"),
                    "event": table[:, 0],
                    "channel": table[:, 2],
                    **extra,
                }
            )
        )
    log = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    log = log.sort_values(["customer_id", "timestamp"], kind="stable", ignore_index=True)
    # a customer table's ids and segments keep their type: the log joins the table
    text = ["customer_id"] if who.text_ids else []
    text += ["event", "channel"] + (["segment"] if who.text_segments else [])
    return log.astype(dict.fromkeys([c for c in text if c in log.columns], "string"))


def _goal_stage(journey: Any, goal: str | None, stages: list[list]) -> tuple[int, np.ndarray | None]:
    """Locate the goal: its stage's position, and with a touchpoint goal its events' positions in that stage.

    Default: the last stage with mapped events (-1: none). The goal is
    resolved by the analytics' own rule (``outcomes.goal_place``).
    """
    if goal is None:
        return max((k for k, options in enumerate(stages) if options), default=-1), None
    from ._mapping import resolve_mapping
    from .outcomes import goal_place

    place = goal_place(resolve_mapping(None, journey), goal)
    order = journey.stages.sort_values("order")["id"].tolist()
    at = order.index(place.stage_id)
    if place.kind != "touchpoint":
        return at, None
    return at, np.array([i for i, option in enumerate(stages[at]) if option[1] == place.id])


class _Ending:
    """Ends every goal-stage visit with an event of the goal touchpoint (nothing for a stage goal)."""

    def __init__(self, options: np.ndarray | None, rng: np.random.Generator) -> None:
        self.options, self.rng = options, rng

    def apply(self, choice: np.ndarray, last: np.ndarray) -> None:
        if self.options is not None:
            choice[last] = self.options[self.rng.integers(0, len(self.options), size=len(last))]


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
    rng: np.random.Generator,
    who: np.ndarray,
    clock: np.ndarray,
    options: list,
    per_stage: float,
    rate: np.ndarray,
    ending: _Ending,
) -> list[tuple]:
    """Return visits to the goal stage: each customer keeps coming back with their ``rate``."""
    parts = []
    clock = clock.copy()
    while len(who):
        who = who[rng.random(len(who)) < rate[who]]
        if not len(who):
            break
        owner, times, choice, last = _visits(rng, who, clock, options, per_stage, 30 * 86_400e6)
        ending.apply(choice, last)
        parts.append((owner, times, choice, options, last))
        clock[who] = times[last]
    return parts


def make_surveys(
    events: pd.DataFrame,
    journey: Any,
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
    events : DataFrame
        A :func:`make_events` log (``customer_id``, ``event``; ``timestamp``
        and ``segment`` used when present).
    journey : Journey
        The journey whose event mapping and emotions drive the answers.
    response_rate : float
        Share of visits answered, in (0, 1].
    scale : {"csat", "nps", "ces", "likert5", "likert7"}
        Scale of the scores (see :data:`~.satisfaction.SCALES`).
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
        analytics' ``segment_col=`` split), so
        ``satisfaction(surveys, journey, segment_col="segment")`` splits it directly.

    Raises
    ------
    ValidationError
        An unknown ``scale``, or a ``response_rate`` outside (0, 1].
    KeyError
        ``events`` lacks the ``customer_id`` or ``event`` column.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=200, segments=["mobile", "desktop"], seed=1)
    >>> answers = make_surveys(log, j, seed=1)
    >>> list(answers.columns)
    ['customer_id', 'touchpoint_id', 'score', 'segment']
    >>> bool(answers["score"].between(1, 5).all())
    True
    """
    events, journey = swap_if_journey_first(
        events, journey, old="make_surveys(journey, events, ...)", new="make_surveys(events, journey, ...)"
    )
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
