"""Ordered frames against a reference model: random edit sequences (hypothesis).

Stages are a list; touchpoints a list per stage. After every operation the
journey must hold exactly the reference order, with ``order`` = 0..n-1 per
group and the frames sorted (stages by order; touchpoints by stage order,
then order). Invalid positions must leave everything as it was. Observers
hear one Change per operation that changed the order, and nothing for an
operation that changed nothing (a move to the same place, the same order).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from cjm_jupyter import Journey, ValidationError


class OrderMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.stages: list[str] = []
        self.tps: dict[str, list[str]] = {}
        self.counter = 0
        self.heard: list = []
        self.ops = 0  # valid operations that changed the journey

    @initialize(data=st.data())
    def start(self, data):
        """Start empty or from frames given to the constructor (rows in any order).

        Starting with a few stages and touchpoints lets short runs reach the
        interesting moves instead of spending most steps on add_stage.
        """
        sizes = data.draw(st.lists(st.integers(0, 3), max_size=4), label="touchpoints per stage")
        self.stages = [f"s{i}" for i in range(len(sizes))]
        rows = [(s, f"{s}-t{k}") for s, n in zip(self.stages, sizes, strict=True) for k in range(n)]
        rows = data.draw(st.permutations(rows), label="touchpoint rows")
        # without an order column, positions follow the row order inside each stage
        self.tps = {s: [t for g, t in rows if g == s] for s in self.stages}
        frames = {}
        if self.stages:
            frames["stages"] = pd.DataFrame({"id": self.stages, "name": [s.upper() for s in self.stages]})
        if rows:
            frames["touchpoints"] = pd.DataFrame(
                {
                    "id": [t for _, t in rows],
                    "stage_id": [g for g, _ in rows],
                    "name": [t.upper() for _, t in rows],
                }
            )
        self.j = Journey("Ordering", frames=frames)
        self.j.observe(self.heard.append)

    def _name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix} {self.counter}"

    def _stage_of(self, tid: str) -> str:
        return next(s for s, ts in self.tps.items() if tid in ts)

    def _all_tps(self) -> list[str]:
        return [t for s in self.stages for t in self.tps[s]]

    def _reference(self) -> tuple:
        return tuple(self.stages), tuple((s, tuple(self.tps[s])) for s in self.stages)

    def _count_if_changed(self, before: tuple) -> None:
        # A change that changes nothing (same place, same order) is not announced.
        if self._reference() != before:
            self.ops += 1

    # -- rules ------------------------------------------------------------------
    @rule(data=st.data())
    def add_stage(self, data):
        pos = data.draw(st.one_of(st.none(), st.integers(0, len(self.stages))))
        sid = self.j.add_stage(self._name("Stage"), position=pos)
        self.ops += 1
        self.stages.insert(len(self.stages) if pos is None else pos, sid)
        self.tps[sid] = []

    @precondition(lambda self: self.stages)
    @rule(data=st.data())
    def add_touchpoint(self, data):
        sid = data.draw(st.sampled_from(self.stages))
        pos = data.draw(st.one_of(st.none(), st.integers(0, len(self.tps[sid]))))
        tid = self.j.add_touchpoint(sid, self._name("Touch"), position=pos)
        self.ops += 1
        self.tps[sid].insert(len(self.tps[sid]) if pos is None else pos, tid)

    @precondition(lambda self: self.stages)
    @rule(data=st.data())
    def move_stage(self, data):
        sid = data.draw(st.sampled_from(self.stages))
        pos = data.draw(st.integers(0, len(self.stages) - 1))
        before = self._reference()
        self.j.move_stage(sid, pos)
        self.stages.remove(sid)
        self.stages.insert(pos, sid)
        self._count_if_changed(before)

    @precondition(lambda self: any(self.tps.values()))
    @rule(data=st.data())
    def move_touchpoint(self, data):
        tid = data.draw(st.sampled_from(self._all_tps()))
        source = self._stage_of(tid)
        stage = data.draw(st.one_of(st.none(), st.sampled_from(self.stages)))
        target = source if stage is None else stage
        room = len(self.tps[target]) - (1 if target == source else 0)
        pos = data.draw(st.one_of(st.none(), st.integers(0, room)))
        before = self._reference()
        self.j.move_touchpoint(tid, stage=stage, position=pos)
        self.tps[source].remove(tid)
        self.tps[target].insert(room if pos is None else pos, tid)
        self._count_if_changed(before)

    @precondition(lambda self: any(self.tps.values()))
    @rule(data=st.data())
    def remove_touchpoint(self, data):
        tid = data.draw(st.sampled_from(self._all_tps()))
        self.j.remove_touchpoint(tid)
        self.ops += 1
        self.tps[self._stage_of(tid)].remove(tid)

    @precondition(lambda self: self.stages)
    @rule(data=st.data())
    def remove_stage(self, data):
        sid = data.draw(st.sampled_from(self.stages))
        self.j.remove_stage(sid, cascade=True)
        self.ops += 1
        self.stages.remove(sid)
        del self.tps[sid]

    @precondition(lambda self: self.stages)
    @rule(data=st.data())
    def reorder_stages(self, data):
        order = data.draw(st.permutations(self.stages))
        before = self._reference()
        self.j.reorder_stages(order)
        self.stages = list(order)
        self._count_if_changed(before)

    @precondition(lambda self: any(self.tps.values()))
    @rule(data=st.data())
    def reorder_touchpoints(self, data):
        sid = data.draw(st.sampled_from([s for s in self.stages if self.tps[s]]))
        order = data.draw(st.permutations(self.tps[sid]))
        before = self._reference()
        self.j.reorder_touchpoints(order)
        self.tps[sid] = list(order)
        self._count_if_changed(before)

    @precondition(lambda self: self.stages)
    @rule(data=st.data())
    def invalid_move_changes_nothing(self, data):
        sid = data.draw(st.sampled_from(self.stages))
        bad = data.draw(st.one_of(st.integers(max_value=-1), st.integers(min_value=len(self.stages))))
        before = self.j.copy()
        heard = len(self.heard)
        with pytest.raises(ValidationError, match="position must be an integer"):
            self.j.move_stage(sid, bad)
        assert self.j.equals(before)
        assert len(self.heard) == heard

    # -- invariants ------------------------------------------------------------------
    @invariant()
    def matches_reference(self):
        st_df = self.j.stages
        assert st_df["id"].tolist() == self.stages
        assert st_df["order"].tolist() == list(range(len(self.stages)))
        tp = self.j.touchpoints
        assert tp["id"].tolist() == self._all_tps()
        expected_order = [i for s in self.stages for i in range(len(self.tps[s]))]
        assert tp["order"].tolist() == expected_order
        assert tp["stage_id"].tolist() == [s for s in self.stages for _ in self.tps[s]]

    @invariant()
    def one_notification_per_operation(self):
        # every valid operation that changes the order is heard exactly once;
        # invalid ones and those that change nothing are not heard at all
        assert len(self.heard) == self.ops
        assert all(c.kind in ("add", "move", "remove") for c in self.heard)
        assert all(c.affected for c in self.heard)


# Capped so the machine runs in a few seconds (each model operation validates
# the whole journey); derandomized, so every run explores the same sequences.
OrderMachine.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOrdering = OrderMachine.TestCase
