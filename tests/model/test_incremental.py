"""Edits that cost what they change: the fast path of single-row edits.

The reference is full validation (``Journey._incremental = False``: every
edit coerces and validates the whole candidate frames). For random edit
sequences, valid and invalid, the fast path must accept exactly what the
reference accepts, store the same frames (dtypes and column order included),
raise the same error with the same message and send the same Change events.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_jupyter import Change, Journey, ValidationError
from cjm_jupyter.model import core

from ..support.frames import assert_same_frame
from ..support.journeys import build_small_journey
from ..support.strategies import journeys

Op = Callable[[Journey], Any]


@pytest.fixture(autouse=True, scope="module")
def _one_instant():
    """Both journeys of a pair stamp updated_at alike: the clock stands still.

    Module-scoped (hypothesis refuses function-scoped fixtures); the stamps
    then compare exactly, so a path that forgets to stamp still fails.
    """
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(core, "_utc_now", lambda: "2026-12-03T13:05:00Z")
        yield


# Text a user may type, and text the rules must refuse: blank, whitespace of
# other scripts (ideographic space, no-break space), a lone surrogate.
TEXT = ["Search", "Ärger", "Жалоба", "🙂", "", "   ", "\t", "\u3000", "\xa0", "\u200b", "Caf\ud800", "a\nb"]
SCORES = [-2, 2, 0.5, -0.0, 1, 3, -2.5, float("nan"), float("inf"), "1", True, None, 10**20, np.float64(1.5)]
COUNTS = [None, 1, 5, 0, 6, 3.0, 2.5, -1, True, "2", 2**64, np.int64(4)]
POSITIONS = [None, None, 0, 1, 2, -1, 99, True, 1.5, np.int64(0)]


def _run(j: Journey, op: Op) -> tuple[str, Any]:
    try:
        return "ok", op(j)
    except ValidationError as exc:
        return "error", (type(exc).__name__, str(exc))


def _run_batch(j: Journey, ops: list[Op]) -> tuple[str, Any]:
    try:
        with j.batch():
            out = [op(j) for op in ops]
    except ValidationError as exc:
        return "error", (type(exc).__name__, str(exc))
    return "ok", out


def _same_state(fast: Journey, full: Journey) -> None:
    assert fast.meta == full.meta
    for name, df in full._stored().items():
        got = fast._stored()[name]
        assert list(got.columns) == list(df.columns), name
        assert got.dtypes.equals(df.dtypes), name
        assert_same_frame(got, df, check_exact=True, obj=name)  # after every edit: the quick form
    assert fast.equals(full)


class Pair:
    """The same journey twice: fast path and reference, with their events."""

    def __init__(self, journey: Journey) -> None:
        self.fast = journey.copy()
        self.full = journey.copy()
        self.full._incremental = False
        self.fast_events: list[Change] = []
        self.full_events: list[Change] = []
        self.fast.observe(self.fast_events.append)
        self.full.observe(self.full_events.append)

    def apply(self, op: Op) -> tuple[str, Any]:
        got, want = _run(self.fast, op), _run(self.full, op)
        self.check(got, want)
        return got

    def apply_batch(self, ops: list[Op]) -> tuple[str, Any]:
        got, want = _run_batch(self.fast, ops), _run_batch(self.full, ops)
        self.check(got, want)
        return got

    def check(self, got: tuple[str, Any], want: tuple[str, Any]) -> None:
        assert got == want
        assert self.fast_events == self.full_events
        _same_state(self.fast, self.full)


def _ids(j: Journey, frame: str) -> list[str]:
    return j._stored()[frame]["id"].tolist()


def random_op(rng: random.Random, j: Journey, kind: int | None = None) -> Op:
    """One edit, valid or not, with arguments drawn from the journey's ids and hostile values."""

    def pick(frame: str, *junk: Any) -> Any:
        return rng.choice(_ids(j, frame) + list(junk) or [None])

    def text() -> Any:
        return rng.choice([*TEXT, None, 5, f"New {rng.randrange(10**6)}"])

    kind = rng.randrange(14) if kind is None else kind
    if kind == 0:
        stage, name, pos = pick("stages", "nope", None, ""), text(), rng.choice(POSITIONS)
        new_id = rng.choice([None, None, None, pick("touchpoints"), pick("stages"), "", "  ", "fresh"])
        extra = rng.choice([{}, {}, {"team": "Web"}, {"team": 5}, {"cost": 1.5}, {"note": None}])
        channel = text()
        return lambda x: x.add_touchpoint(stage, name, channel=channel, position=pos, id=new_id, **extra)
    if kind == 1:
        name, pos, new_id = text(), rng.choice(POSITIONS), rng.choice([None, None, pick("stages"), "s-new"])
        return lambda x: x.add_stage(name, position=pos, id=new_id)
    if kind == 2:
        tp, fields = pick("touchpoints", "ghost"), {}
        for col in rng.sample(["name", "channel", "owner", "description", "team", "note"], rng.randint(1, 3)):
            fields[col] = text() if col != "team" else rng.choice(["Ops", None, 3, ""])
        return lambda x: x.update_touchpoint(tp, **fields)
    if kind == 3:
        persona = pick("personas", None, "ghost")
        place = rng.choice(
            [
                {"touchpoint": pick("touchpoints", "ghost")},
                {"stage": pick("stages")},
                {},
                {"stage": pick("stages"), "touchpoint": pick("touchpoints")},
            ]
        )
        score, n, feeling = rng.choice(SCORES), rng.choice(COUNTS), text()
        source = rng.choice(["assumption", "survey", "", "Caf\ud800"])
        return lambda x: x.set_emotion(persona, score=score, source=source, n=n, feeling=feeling, **place)
    if kind == 4:
        place = rng.choice([{"touchpoint": pick("touchpoints")}, {"stage": pick("stages", "nope")}, {}])
        sev, freq = rng.choice(COUNTS), rng.choice(COUNTS)
        persona, description = pick("personas", None), text()
        return lambda x: x.add_pain_point(description, severity=sev, frequency=freq, persona=persona, **place)
    if kind == 5:
        status = rng.choice(["planned", "done", "bogus", "", None])
        due = rng.choice([None, "2025-01-01", date(2024, 5, 1), "not a date", 5])
        opp, description = pick("opportunities", None, "ghost"), text()
        return lambda x: x.add_action(description, status=status, due=due, opportunity=opp)
    if kind == 6:
        row = pick("emotions", "ghost")
        fields = rng.choice(
            [
                {"score": rng.choice(SCORES)},
                {"touchpoint_id": pick("touchpoints", None, "ghost")},
                {"stage_id": pick("stages", None)},
                {"source": rng.choice(["assumption", "survey", None, "x"])},
                {"persona_id": pick("personas", None, "ghost")},
                {"basis": rng.choice(["measured", "assumed", "guess", None])},
                {"n": rng.choice(COUNTS)},
            ]
        )
        return lambda x: x.update("emotions", row, **fields)
    if kind == 7:
        lane, stage = rng.choice(["Backstage", "Ops", "", None]), pick("stages", "ghost")
        new_id, cell = rng.choice([None, pick("lanes"), "cell-x"]), text()
        return lambda x: x.add("lanes", id=new_id, lane=lane, stage_id=stage, text=cell)
    if kind == 8:
        row, lane = pick("lanes", "ghost"), rng.choice(["Backstage", "Ops", "", None, "Other"])
        return lambda x: x.update("lanes", row, lane=lane)
    if kind == 9:
        event = rng.choice(["search", "order_placed", "new_event", "", None])
        tp = pick("touchpoints", "ghost")
        return lambda x: x.add("event_map", event=event, touchpoint_id=tp)
    if kind == 10:
        name, new_id = text(), rng.choice([None, pick("personas"), pick("stages"), "p-new"])
        extra = rng.choice([{}, {"age": 32}, {"vip": True}, {"age": "40"}])
        return lambda x: x.add_persona(name, id=new_id, **extra)
    if kind == 11:
        row = pick("pain_points", "ghost")
        fields = rng.choice(
            [{"severity": rng.choice(COUNTS)}, {"stage_id": pick("stages", None)}, {"description": text()}]
        )
        return lambda x: x.update("pain_points", row, **fields)
    if kind == 12:  # the full path's edits, mixed in: the fast path must keep up with them
        tp, pos = pick("touchpoints", "ghost"), rng.choice([0, 1, 5])
        stage = pick("stages", None)
        return lambda x: x.move_touchpoint(tp, stage=stage, position=min(pos, _stage_size(x, stage, tp)))
    what = rng.choice(["touchpoints", "stages", "personas", "emotions"])
    row, cascade = pick(what, "ghost"), rng.random() < 0.7
    return lambda x: x.remove(what, row, cascade=cascade)


def _stage_size(j: Journey, stage: str | None, tp: str) -> int:
    tps = j._stored()["touchpoints"]
    if stage is None:
        hit = tps.loc[tps["id"] == tp, "stage_id"]
        stage = hit.iloc[0] if len(hit) else None
    return int((tps["stage_id"] == stage).fillna(False).sum())


def _play(pair: Pair, rng: random.Random, steps: int) -> list[str]:
    outcomes = []
    for _ in range(steps):
        if rng.random() < 0.15:
            ops = [random_op(rng, pair.fast) for _ in range(rng.randint(2, 6))]
            outcomes.append(pair.apply_batch(ops)[0])
        else:
            outcomes.append(pair.apply(random_op(rng, pair.fast))[0])
    return outcomes


@pytest.mark.parametrize("seed", range(12))
def test_random_edits_match_full_validation(seed: int) -> None:
    pair = Pair(build_small_journey())
    outcomes = _play(pair, random.Random(seed), 60)
    # The sequences exercise both sides of every rule.
    assert "ok" in outcomes and "error" in outcomes


# Mostly the edits a batch holds as Python rows (adds and updates of touchpoints,
# emotions, lanes, event mappings), some of every other kind between them.
_LONG_BATCH_KINDS = [0, 0, 0, 2, 2, 3, 3, 3, 6, 7, 8, 9, None]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("ending", ["commit", "rollback"])
def test_long_batches_match_full_validation(seed: int, ending: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """200 edits in one batch, valid and invalid mixed (each invalid one caught inside the batch).

    Later edits refer to rows added earlier in the same batch (their ids are
    drawn from the reference journey's state so far). Each edit must give the
    same outcome and message on both sides; after the batch, the same single
    notification and the same frames; a batch left by an exception leaves
    both journeys exactly as before, with no notification.
    """
    rng = random.Random(seed)
    pair = Pair(build_small_journey())
    _play(pair, rng, 10)
    # Invalid edits and the full path's edits build the frames again: hold them
    # as rows from the first edit on, so that most edits take the buffered path.
    pair.fast._BUFFER_AFTER = 1
    taken = {"add": 0, "update": 0}
    for what in taken:
        method = getattr(Journey, f"_{what}_buffered")

        def spy(self: Journey, *args: Any, _method: Any = method, _what: str = what) -> bool:
            done = _method(self, *args)
            taken[_what] += done
            return done

        monkeypatch.setattr(Journey, f"_{what}_buffered", spy)
    before = pair.fast.copy()
    events = len(pair.fast_events)
    outcomes = []
    stop = pytest.raises(RuntimeError) if ending == "rollback" else contextlib.nullcontext()
    with stop, pair.fast.batch(), pair.full.batch():
        for _ in range(200):
            op = random_op(rng, pair.full, rng.choice(_LONG_BATCH_KINDS))
            got, want = _run(pair.fast, op), _run(pair.full, op)
            assert got == want
            outcomes.append(got[0])
        if ending == "rollback":
            raise RuntimeError("stop")
    assert "ok" in outcomes and "error" in outcomes
    assert taken["add"] >= 3 and taken["update"] >= 10, taken
    assert pair.fast_events == pair.full_events
    _same_state(pair.fast, pair.full)
    if ending == "rollback":
        assert len(pair.fast_events) == events
        assert pair.fast.equals(before)
    else:
        assert len(pair.fast_events) == events + 1
        assert pair.fast_events[-1].kind == "batch"
    _play(pair, rng, 10)  # edits after the batch still agree


@pytest.mark.slow
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(journey=journeys(), seed=st.integers(0, 2**32 - 1))
def test_random_edits_on_random_journeys_match_full_validation(journey: Journey, seed: int) -> None:
    # Random journeys bring extra columns of every dtype (text, Int64, Float64,
    # boolean, datetimes with and without a time zone) to the stages.
    _play(Pair(journey), random.Random(seed), 15)


def test_fast_path_is_taken_for_plain_edits(journey: Journey, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain edits never coerce or validate whole frames."""
    import cjm_jupyter.model.core as core

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("full validation ran")

    monkeypatch.setattr(core, "validate_frame", refuse)
    monkeypatch.setattr(core, "coerce_frame", refuse)
    tp = journey.add_touchpoint("awareness", "Newsletter", channel="email")
    journey.add_touchpoint("awareness", "Banner", position=0)
    journey.update_touchpoint(tp, name="Weekly newsletter", owner=None)
    journey.set_emotion("curious-colleen", touchpoint=tp, score=1.5)
    journey.set_emotion("curious-colleen", touchpoint=tp, score=-1)
    journey.add_pain_point("Too long", touchpoint=tp, severity=3)
    journey.add_stage("Loyalty", position=1)
    with journey.batch():
        for k in range(5):
            journey.set_emotion("busy-bob", touchpoint=tp, score=k % 3 - 1, source=f"survey {k}")
    tps = journey.touchpoints
    aware = tps[tps["stage_id"] == "awareness"]
    assert aware["id"].tolist() == ["banner", "search-engine", "ads", "newsletter"]
    assert aware["order"].tolist() == [0, 1, 2, 3]
    assert journey.stages["id"].tolist() == ["awareness", "loyalty", "consideration", "purchase"]


def test_fast_path_errors_match_full_validation(journey: Journey) -> None:
    """A few pinned messages: the fast path hands invalid edits to full validation."""
    with pytest.raises(ValidationError) as exc:
        journey.add_touchpoint("awareness", "Again", id="ads")
    assert str(exc.value) == "frame 'touchpoints', row 'ads', column 'id', value 'ads': duplicate id"
    with pytest.raises(ValidationError) as exc:
        journey.set_emotion("ghost", touchpoint="ads", score=1)
    assert str(exc.value) == (
        "frame 'emotions', row 'emo-4', column 'persona_id', value 'ghost': "
        "unknown persona id (no such row in 'personas')"
    )
    with pytest.raises(ValidationError) as exc:
        journey.update("lanes", "backstage-awareness", lane="Backstage", stage_id="purchase")
    assert "duplicate combination of lane, stage_id" in str(exc.value)


def test_added_rows_keep_columns_in_one_chunk() -> None:
    """Arrow-backed columns do not pile up a chunk per added row (later edits would slow down)."""
    from cjm_jupyter.model.rows import MAX_CHUNKS

    j = Journey("Chunks")
    stage = j.add_stage("Only")
    for k in range(3 * MAX_CHUNKS):
        j.add_touchpoint(stage, f"T{k}", position=k // 2)
    ids = j._stored()["touchpoints"]["id"].array
    if hasattr(ids, "__arrow_array__"):
        assert ids.__arrow_array__().num_chunks <= MAX_CHUNKS
    assert j.touchpoints["order"].tolist() == list(range(3 * MAX_CHUNKS))


def test_edit_of_a_large_map_touches_only_its_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """On 20,000 touchpoints an insert renumbers its own stage's rows only, without full validation."""
    import cjm_jupyter.model.core as core

    stages = pd.DataFrame({"id": [f"s{i}" for i in range(10)], "name": [f"S{i}" for i in range(10)]})
    tps = pd.DataFrame(
        {
            "id": [f"s{i}-t{k}" for i in range(10) for k in range(2000)],
            "stage_id": [f"s{i}" for i in range(10) for _ in range(2000)],
            "name": "T",
        }
    )
    j = Journey("Big", frames={"stages": stages, "touchpoints": tps})
    events: list[Change] = []
    j.observe(events.append)
    monkeypatch.setattr(core, "validate_frame", None)  # any call would fail
    j.add_touchpoint("s3", "New", position=1997)
    j.update_touchpoint("s3-t7", name="Renamed")
    assert events[0].affected == {"touchpoints": ("new", "s3-t1997", "s3-t1998", "s3-t1999")}
    assert events[1].affected == {"touchpoints": ("s3-t7",)}
    stored = j._stored()["touchpoints"]
    assert stored["id"].iloc[6000 + 1996 : 6000 + 2001].tolist() == [
        "s3-t1996", "new", "s3-t1997", "s3-t1998", "s3-t1999"
    ]  # fmt: skip
    assert stored["order"].iloc[6000 + 1996 : 6000 + 2002].tolist() == [1996, 1997, 1998, 1999, 2000, 0]
    assert stored["name"].iloc[6007] == "Renamed"
