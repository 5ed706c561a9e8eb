"""journey.diff(): one row per change, worded by summary(); exact for any sequence of edits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cjm_jupyter as cjm
from cjm_jupyter import Journey
from cjm_jupyter.model.journey_diff import DIFF_COLUMNS, ChangeSummary, JourneyDiff, diff
from cjm_jupyter.model.specs import FRAMES

from ..support.strategies import journeys


# -- hand-built examples -------------------------------------------------------------------
def _shop() -> Journey:
    j = Journey("Buying a vacuum cleaner")
    j.add_persona("Curious Colleen", id="colleen")
    for name in ("Research", "Purchase", "Delivery"):
        j.add_stage(name, id=name.lower())
    j.add_touchpoint("research", "Search engine", id="search")
    j.add_touchpoint("research", "Review sites", id="reviews")
    j.add_touchpoint("purchase", "Product page", id="product")
    j.add_touchpoint("purchase", "Checkout", id="checkout")
    j.set_emotion("colleen", touchpoint="checkout", score=-1, source="interview")
    j.add_pain_point("Shipping costs shown late", touchpoint="checkout", id="late-costs")
    j.add_action("Show shipping costs on the product page", owner="Web team", id="act-costs")
    j.add_metric("Conversion rate", 0.021, stage="purchase", id="conv")
    return j


def test_summary_words_each_kind_of_change_with_names():
    a = _shop()
    b = a.copy()
    b.update_stage("research", name="Discovery")
    b.add_touchpoint("purchase", "Chatbot", id="chatbot", position=1)
    b.set_emotion("colleen", touchpoint="checkout", score=1, source="interview")
    b.remove("pain_points", "late-costs")
    b.update("actions", "act-costs", status="done")
    b.update("metrics", "conv", value=0.03)
    b.move_touchpoint("reviews", stage="purchase", position=0)
    b.move_stage("delivery", 0)
    b.scenario = "Launch"

    d = a.diff(b)
    assert d.summary() == (
        "Journey scenario set to 'Launch'",
        "Stage 'Delivery' moved from position 3 to 1",
        "Stage 'Research' renamed to 'Discovery'",
        "Touchpoint 'Chatbot' added to stage 'Purchase'",
        "Touchpoint 'Review sites' moved from stage 'Research' to stage 'Purchase'",
        "Emotion of Curious Colleen at Checkout: -1.0 -> +1.0 (+2.0)",
        "Pain point 'Shipping costs shown late' at Checkout resolved (removed)",
        "Action 'Show shipping costs on the product page': status 'planned' -> 'done'",
        "Metric 'Conversion rate' at Purchase: value 0.021 -> 0.03",
    )
    assert str(d.summary()) == "\n".join(d.summary())


def test_summary_of_additions_removals_and_moves_inside_a_stage():
    a = _shop()
    b = a.copy()
    b.remove_touchpoint("search", cascade=True)
    b.set_emotion("colleen", stage="delivery", score=0.5, source="survey")
    b.add_pain_point("No tracking link", stage="delivery", id="no-tracking")
    b.reorder_touchpoints(["checkout", "product"])
    b.add_persona("Busy Ben", id="ben")
    b.update_touchpoint("product", description="Specs and price")
    b.update_persona("colleen", name="Curious Colleen, 32")
    assert a.diff(b).summary() == (
        "Persona 'Busy Ben' added",
        "Persona 'Curious Colleen' renamed to 'Curious Colleen, 32'",
        "Touchpoint 'Search engine' removed from stage 'Research'",
        # a swap of two: one of them is named (either tells the story)
        "Touchpoint 'Product page' moved in stage 'Purchase' from position 1 to 2",
        "Touchpoint 'Product page': description set to 'Specs and price'",
        "Emotion of Curious Colleen, 32 at Delivery added: +0.5",
        "Pain point 'No tracking link' at Delivery added",
    )


def test_diff_rows_hold_python_values_and_the_emotion_shift():
    a = _shop()
    b = a.copy()
    b.set_emotion("colleen", touchpoint="checkout", score=1.5, source="interview")
    b.update("metrics", "conv", unit="%")
    d = a.diff(b)
    assert isinstance(d, JourneyDiff) and isinstance(d, pd.DataFrame)
    assert tuple(d.columns) == DIFF_COLUMNS
    dtypes = ["string", "object", "string", "object", "object", "object", "Float64"]
    assert [str(t) for t in d.dtypes] == dtypes
    emo_id = a.emotions["id"].iloc[0]
    assert d.to_dict("records") == [
        {
            "frame": "emotions",
            "row_id": emo_id,
            "kind": "changed",
            "column": "score",
            "old": -1.0,
            "new": 1.5,
            "shift": 2.5,
        },
        {
            "frame": "metrics",
            "row_id": "conv",
            "kind": "changed",
            "column": "unit",
            "old": None,
            "new": "%",
            "shift": None,
        },
    ]  # fmt: skip (to_dict gives None for the missing shift; the column holds pd.NA)
    assert d["shift"].iloc[1] is pd.NA
    assert type(d["old"].iloc[0]) is float and d["old"].iloc[1] is None


def test_meta_changes_name_the_key_and_ignore_updated_at():
    a = _shop()
    b = a.copy()
    b.name = "Buying a robot vacuum"
    b.description = "Second pass"
    d = a.diff(b)
    assert d[["frame", "row_id", "kind", "column"]].to_dict("records") == [
        {"frame": "meta", "row_id": None, "kind": "changed", "column": "name"},
        {"frame": "meta", "row_id": None, "kind": "changed", "column": "description"},
    ]
    assert d.summary() == (
        "Journey renamed from 'Buying a vacuum cleaner' to 'Buying a robot vacuum'",
        "Journey description set to 'Second pass'",
    )
    assert "updated_at" not in set(d["column"])


def test_empty_diff_prints_no_changes_and_keeps_its_columns():
    a = _shop()
    d = a.diff(a.copy())
    assert d.empty and tuple(d.columns) == DIFF_COLUMNS
    assert d.summary() == () and str(d.summary()) == "No changes."
    assert d.summary()._repr_html_() == "<p>No changes.</p>"


def test_filtering_keeps_the_diff_and_its_names():
    a = _shop()
    b = a.copy()
    b.update_stage("research", name="Discovery")
    b.add_touchpoint("purchase", "Chatbot", id="chatbot")
    d = a.diff(b)
    added = d[d["kind"] == "added"]
    assert type(added) is JourneyDiff
    assert added.summary() == ("Touchpoint 'Chatbot' added to stage 'Purchase'",)
    assert type(d["kind"]) is pd.Series  # a column is a plain Series
    # pd.concat drops the journeys' snapshots: rows are named by id, nothing fails
    joined = pd.concat([d.iloc[:1], d.iloc[1:]])
    assert JourneyDiff(joined).summary() == (
        "Stage 'Research' renamed to 'Discovery'",
        "Touchpoint chatbot added",
    )


def test_summary_shows_hostile_text_inert():
    a = Journey("x")
    a.add_stage("<script>alert(1)</script>", id="s")
    b = a.copy()
    b.update_stage("s", name="\x1b[31mred\u202e\nnext")
    summary = a.diff(b).summary()
    assert summary == ("Stage '<script>alert(1)</script>' renamed to '\\x1b[31mred\\u202e next'",)
    assert summary._repr_html_() == (
        "<ul><li>Stage &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; renamed to "
        "&#x27;\\x1b[31mred\\u202e next&#x27;</li></ul>"
    )


def test_a_diff_keeps_the_names_of_the_journeys_as_they_were():
    a = _shop()
    b = a.copy()
    b.update_stage("research", name="Discovery")
    d = a.diff(b)
    b.update_stage("research", name="Later name")
    assert d.summary() == ("Stage 'Research' renamed to 'Discovery'",)


def test_summary_needs_the_diff_columns():
    d = _shop().diff(_shop())
    rule = "^a summary needs the diff's columns; missing: frame, row_id, kind, old, new$"
    with pytest.raises(ValueError, match=rule):
        d[["column"]].summary()


def test_shifted_rows_are_not_moves():
    """A row added before others shifts their positions: only the new row is a change."""
    a = _shop()
    b = a.copy()
    b.add_stage("Awareness", id="awareness", position=0)
    b.add_touchpoint("research", "Ads", id="ads", position=0)
    b.remove_touchpoint("reviews")
    assert b.diff(a).summary() == (
        "Stage 'Awareness' removed",
        "Touchpoint 'Review sites' added to stage 'Research'",
        "Touchpoint 'Ads' removed from stage 'Research'",
    )


def test_of_rows_that_swapped_places_the_fewest_are_moves():
    a = Journey("x")
    ids = [a.add_stage(f"S{i}", id=f"s{i}") for i in range(6)]
    b = a.copy()
    b.move_stage("s0", 5)  # s1..s5 each step up: one move, not six
    d = a.diff(b)
    assert d[["row_id", "kind", "column", "old", "new"]].to_dict("records") == [
        {"row_id": "s0", "kind": "moved", "column": "order", "old": 0, "new": 5}
    ]
    b.reorder_stages(list(reversed(ids)))  # reversed: all but one must move
    assert len(a.diff(b)) == 5


def test_extra_columns_are_compared_too():
    a = _shop()
    b = a.copy()
    b.update_stage("purchase", kpi="conversion")  # a column only b has
    d = a.diff(b)
    assert d[["frame", "row_id", "kind", "column", "old", "new"]].to_dict("records") == [
        {"frame": "stages", "row_id": "purchase", "kind": "changed", "column": "kpi", "old": None,
         "new": "conversion"}
    ]  # fmt: skip


# -- round trips: nothing changed -------------------------------------------------------------
@pytest.mark.parametrize("template", cjm.templates.names())
def test_template_against_its_copy_and_file_round_trips_is_empty(template, tmp_path):
    j = cjm.templates.load(template)
    assert j.diff(j.copy()).empty
    assert j.diff(cjm.read_json(j.to_json())).empty
    j.to_excel(tmp_path / "m.xlsx")
    assert j.diff(cjm.read_excel(tmp_path / "m.xlsx")).empty
    j.to_csv(tmp_path / "m")
    assert j.diff(cjm.read_csv(tmp_path / "m")).empty


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journeys())
def test_any_journey_against_its_json_round_trip_is_empty(j):
    assert j.diff(j.copy()).empty
    back = cjm.read_json(j.to_json())
    assert j.diff(back).empty
    assert back.diff(j).empty


# -- property: a random sequence of edits is exactly what the diff names ----------------------
_names = st.text(alphabet="abcdefghij XYZ", min_size=1, max_size=6).filter(lambda s: s.strip() != "")
_pick = st.integers(0, 10_000)  # an index, taken modulo the rows there are when the edit runs

_edits = st.lists(
    st.one_of(
        st.tuples(st.just("rename"), st.sampled_from(["stages", "touchpoints", "personas"]), _pick, _names),
        st.tuples(st.just("add_touchpoint"), _pick, _names, _pick),
        st.tuples(st.just("remove_touchpoint"), _pick),
        st.tuples(st.just("move_touchpoint"), _pick, _pick, _pick),
        st.tuples(st.just("move_stage"), _pick, _pick),
        st.tuples(st.just("set_emotion"), _pick, _pick, st.sampled_from([-2.0, -0.5, 0.0, 1.0, 2.0])),
        st.tuples(st.just("add_pain_point"), _pick, _names),
        st.tuples(st.just("remove_pain_point"), _pick),
        st.tuples(st.just("meta"), st.sampled_from(["name", "scenario", "description"]), _names),
    ),
    max_size=12,
)


class _Ledger:
    """What a sequence of edits touched, tracked beside the journey from what each edit is."""

    def __init__(self, j: Journey) -> None:
        self.j = j
        self.initial = j.copy()
        self.cells: set[tuple[str, str, str]] = set()  # (frame, id, column) an edit set
        self.meta: set[str] = set()
        self.reused: set[tuple[str, str]] = set()  # an id removed and given to a new row
        self.n = 0

    def ids(self) -> dict[str, set[str]]:
        return {name: set(self.j.frame(name)["id"]) for name in FRAMES}

    def run(self, edit: tuple[Any, ...]) -> None:
        before = self.ids()
        frames = self.j.frames
        op, *args = edit
        self.n += 1
        if op == "rename":
            frame, pick, text = args
            if len(frames[frame]):
                row_id = frames[frame]["id"].iloc[pick % len(frames[frame])]
                self.j.update(frame, row_id, name=text)
                self.cells.add((frame, row_id, "name"))
        elif op == "add_touchpoint":
            stage, text, position = args
            stages = frames["stages"]["id"]
            size = int((frames["touchpoints"]["stage_id"] == stages.iloc[stage % len(stages)]).sum())
            self.j.add_touchpoint(
                stages.iloc[stage % len(stages)], text, id=f"new-tp-{self.n}", position=position % (size + 1)
            )
        elif op == "remove_touchpoint" and len(frames["touchpoints"]):
            tps = frames["touchpoints"]["id"]
            self.j.remove_touchpoint(tps.iloc[args[0] % len(tps)], cascade=True)
        elif op == "move_touchpoint" and len(frames["touchpoints"]):
            tp = frames["touchpoints"]["id"].iloc[args[0] % len(frames["touchpoints"])]
            stage = frames["stages"]["id"].iloc[args[1] % len(frames["stages"])]
            tps = frames["touchpoints"]
            # the touchpoints it can land between: the stage's others (itself not counted)
            size = int(((tps["stage_id"] == stage) & (tps["id"] != tp)).fillna(False).sum())
            self.j.move_touchpoint(tp, stage=stage, position=args[2] % (size + 1))
        elif op == "move_stage":
            stages = frames["stages"]["id"]
            self.j.move_stage(stages.iloc[args[0] % len(stages)], args[1] % len(stages))
        elif op == "set_emotion" and len(frames["touchpoints"]):
            persona = frames["personas"]["id"].iloc[args[0] % len(frames["personas"])]
            tp = frames["touchpoints"]["id"].iloc[args[1] % len(frames["touchpoints"])]
            row_id = self.j.set_emotion(persona, touchpoint=tp, score=args[2], source="interview")
            # an update sets only the given fields; every field of the row counts as touched
            self.cells.update(("emotions", row_id, c) for c in frames["emotions"].columns)
        elif op == "add_pain_point" and len(frames["touchpoints"]):
            tp = frames["touchpoints"]["id"].iloc[args[0] % len(frames["touchpoints"])]
            self.j.add_pain_point(args[1], touchpoint=tp, id=f"new-pain-{self.n}")
        elif op == "remove_pain_point" and len(frames["pain_points"]):
            pains = frames["pain_points"]["id"]
            self.j.remove("pain_points", pains.iloc[args[0] % len(pains)], cascade=True)
        elif op == "meta":
            self.j.set_meta(**{args[0]: args[1]})
            self.meta.add(args[0])
        self._track(before, frames)

    def _track(self, before: dict[str, set[str]], frames: dict[str, pd.DataFrame]) -> None:
        after = self.ids()
        gone = {name: before[name] - after[name] for name in before}
        initial = {name: set(df["id"]) for name, df in self.initial.frames.items()}
        for name in after:
            for row_id in after[name] - before[name]:
                if row_id in initial[name]:
                    self.reused.add((name, row_id))
        # A removal with cascade=True clears links to what it removed (on_delete="set_null").
        for name, spec in FRAMES.items():
            for col in spec.refs:
                if col.on_delete != "set_null" or not gone.get(col.ref):
                    continue
                df = frames[name]
                hit = df.loc[df[col.name].isin(gone[col.ref]).fillna(False), "id"]
                self.cells.update((name, i, col.name) for i in hit if i in after[name])


def _py(value: Any) -> Any:
    missing = value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)
    return None if missing else value


def _cell(j: Journey, frame: str, row_id: str, col: str) -> Any:
    df = j.frame(frame)
    return _py(df.loc[df["id"] == row_id, col].iloc[0]) if col in df else None


def _keeps_order(old: list[str], new: list[str]) -> bool:
    kept = [i for i in new if i in set(old)]
    return kept == [i for i in old if i in set(new)]


_COLLEEN = cjm.templates.load("colleen")


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_edits)
def test_random_edits_are_exactly_what_the_diff_names(edits):
    ledger = _Ledger(_COLLEEN.copy())
    for edit in edits:
        ledger.run(edit)
    a, b = ledger.initial, ledger.j
    d = a.diff(b)
    got = {(r["frame"], r["row_id"], r["kind"], r["column"]) for r in d.to_dict("records")}
    assert len(got) == len(d)  # one row per change

    old_ids = {n: set(df["id"]) for n, df in a.frames.items()}
    new_ids = {n: set(df["id"]) for n, df in b.frames.items()}
    expected = set()
    for name in FRAMES:
        expected |= {(name, i, "added", None) for i in new_ids[name] - old_ids[name]}
        expected |= {(name, i, "removed", None) for i in old_ids[name] - new_ids[name]}
    touched = set(ledger.cells)
    for frame, row_id in ledger.reused:  # a new row under an old id: any of its cells may differ
        touched |= {(frame, row_id, c) for c in b.frames[frame].columns if c != "id"}
    for frame, row_id, col in touched:
        if row_id not in old_ids[frame] or row_id not in new_ids[frame] or col in ("order", "id"):
            continue
        if frame == "touchpoints" and col == "stage_id":
            continue  # a move, checked below
        if _cell(a, frame, row_id, col) != _cell(b, frame, row_id, col):
            expected.add((frame, row_id, "changed", col))
    expected |= {("meta", None, "changed", k) for k in ledger.meta if a.meta[k] != b.meta[k]}
    # touchpoints now in another stage
    ta, tb = a.touchpoints.set_index("id")["stage_id"], b.touchpoints.set_index("id")["stage_id"]
    common = sorted(set(ta.index) & set(tb.index))
    expected |= {("touchpoints", i, "moved", "stage_id") for i in common if ta[i] != tb[i]}

    moved_in_place = {g for g in got if g[2] == "moved" and g[3] == "order"}
    assert got - moved_in_place == expected

    # values: old from a, new from b; an emotion's shift is new - old
    for r in d.to_dict("records"):
        if r["kind"] == "changed" and r["frame"] != "meta":
            assert r["old"] == _cell(a, r["frame"], r["row_id"], r["column"])
            assert r["new"] == _cell(b, r["frame"], r["row_id"], r["column"])
            if r["frame"] == "emotions" and r["column"] == "score":
                assert r["shift"] == pytest.approx(r["new"] - r["old"])
        else:
            assert r["shift"] is None  # missing (to_dict's None for pd.NA)

    # moves in place: the rows not named keep their order; none named when the order held
    for frame, group in (("stages", None), ("touchpoints", "stage_id")):
        named = {g[1] for g in moved_in_place if g[0] == frame}
        fa, fb = a.frames[frame], b.frames[frame]
        keys = [None] if group is None else sorted(set(fb[group]) | set(fa[group]))
        for key in keys:
            rows_a = fa if key is None else fa[fa[group] == key]
            rows_b = fb if key is None else fb[fb[group] == key]
            order_a = rows_a.sort_values("order")["id"].tolist()
            order_b = rows_b.sort_values("order")["id"].tolist()
            unnamed_a = [i for i in order_a if i not in named]
            assert _keeps_order(unnamed_a, [i for i in order_b if i not in named])
            if _keeps_order(order_a, order_b):
                assert not named & set(order_b)
    assert len(d.summary()) == len(d)


# -- speed -------------------------------------------------------------------------------
def test_twenty_thousand_touchpoints_diff_row_by_row_without_a_python_loop_per_cell():
    j = Journey("Big")
    stages = [j.add_stage(f"S{i}", id=f"s{i}") for i in range(50)]
    n = 20_000
    j.touchpoints = pd.DataFrame(
        {"id": [f"tp-{i}" for i in range(n)], "stage_id": [stages[i % 50] for i in range(n)],
         "name": [f"Touchpoint {i}" for i in range(n)]}
    )  # fmt: skip
    b = j.copy()
    b.touchpoints = j.touchpoints.assign(channel="app")
    d = diff(j, b)
    assert len(d) == n and set(d["column"]) == {"channel"}
    assert d["row_id"].tolist() == b.touchpoints["id"].tolist()
    assert isinstance(d.summary(), ChangeSummary) and d.summary()[0].startswith("Touchpoint 'Touchpoint ")
    assert np.all(d["new"].to_numpy() == "app")
