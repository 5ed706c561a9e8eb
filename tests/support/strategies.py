"""Hypothesis strategies: random, valid journeys built through the public API."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from cjm_jupyter import Journey

# Every printable character of any script (Cyrillic, Polish, Latvian, emoji...)
# plus tabs and newlines; no surrogates (not valid in any file encoding).
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


def _name(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return text.filter(lambda s: s.strip() != "")


def _optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


@st.composite
def journeys(draw: st.DrawFn, text: st.SearchStrategy[str] = any_text) -> Journey:
    """A random valid journey with every frame, missing values and extra columns."""
    names = _name(text)
    j = Journey(
        draw(names),
        scenario=draw(_optional(text)),
        kind=draw(st.sampled_from(["current_state", "future_state", "day_in_the_life", "empathy_map"])),
        description=draw(_optional(text)),
    )
    personas = [
        j.add_persona(draw(names), goals=draw(_optional(text)), age=draw(_optional(text)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    stages = [
        j.add_stage(draw(names), description=draw(_optional(text))) for _ in range(draw(st.integers(1, 4)))
    ]
    tps = [
        j.add_touchpoint(
            draw(st.sampled_from(stages)),
            draw(names),
            channel=draw(_optional(text)),
            owner=draw(_optional(text)),
        )
        for _ in range(draw(st.integers(0, 5)))
    ]
    places = [("stage", s) for s in stages] + [("touchpoint", t) for t in tps]
    persona_or_none = st.sampled_from([None, *personas])
    for _ in range(draw(st.integers(0, 4))):
        kind, place = draw(st.sampled_from(places))
        j.set_emotion(
            draw(persona_or_none),
            score=draw(st.floats(-2, 2, allow_nan=False)),
            feeling=draw(_optional(text)),
            thought=draw(_optional(text)),
            source=draw(st.sampled_from(["interview", "survey", "workshop"])),
            n=draw(_optional(st.integers(0, 10_000))),
            **{kind: place},
        )
    pains = []
    for _ in range(draw(st.integers(0, 3))):
        kind, place = draw(st.sampled_from(places))
        pains.append(
            j.add_pain_point(
                draw(names),
                severity=draw(_optional(st.integers(1, 5))),
                frequency=draw(_optional(st.integers(1, 5))),
                evidence=draw(_optional(text)),
                **{kind: place},
            )
        )
    opps = [
        j.add_opportunity(
            draw(names), stage=draw(st.sampled_from(stages)), pain_point=draw(st.sampled_from([None, *pains]))
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    for _ in range(draw(st.integers(0, 2))):
        j.add_action(
            draw(names),
            owner=draw(_optional(text)),
            status=draw(st.sampled_from(["planned", "in_progress", "done"])),
            due=draw(_optional(st.dates(min_value=pd.Timestamp("1990-01-01").date()))),
            opportunity=draw(st.sampled_from([None, *opps])),
        )
    for _ in range(draw(st.integers(0, 2))):
        j.add_metric(
            draw(names),
            draw(st.floats(allow_nan=False, allow_infinity=False)),
            stage=draw(st.sampled_from(stages)),
            unit=draw(_optional(text)),
        )
    for persona in personas:
        j.add_empathy(persona, draw(st.sampled_from(["says", "thinks", "does", "feels"])), draw(names))
    if draw(st.booleans()):
        j.add_lane(draw(names), {stages[0]: draw(_optional(text))})
    _add_extra_columns(draw, j, text)
    return j


def _add_extra_columns(draw: st.DrawFn, j: Journey, text: st.SearchStrategy[str]) -> None:
    df = j.stages
    n = len(df)
    df["note"] = pd.array([draw(_optional(text)) for _ in range(n)], dtype="string")
    df["count"] = pd.array(
        [draw(_optional(st.integers(-(2**63), 2**63 - 1))) for _ in range(n)], dtype="Int64"
    )
    df["ratio"] = pd.array(
        [draw(_optional(st.floats(allow_nan=False, allow_infinity=False))) for _ in range(n)], dtype="Float64"
    )
    df["flag"] = pd.array([draw(_optional(st.booleans())) for _ in range(n)], dtype="boolean")
    stamps = [
        draw(_optional(st.datetimes(min_value=pd.Timestamp("1990-01-01").to_pydatetime()))) for _ in range(n)
    ]
    df["seen"] = pd.Series(
        pd.DatetimeIndex([pd.NaT if s is None else s for s in stamps]), dtype="datetime64[us]"
    )
    df["seen_riga"] = df["seen"].dt.tz_localize("UTC").dt.tz_convert("Europe/Riga")
    j.stages = df
