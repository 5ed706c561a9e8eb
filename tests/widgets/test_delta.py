"""Editors send deltas, not whole maps: Python side through the comm, and the view in chromium.

Python tests record what the widget's comm sends (as a kernel would) and
replay the deltas onto the first snapshot with a small reference patcher: the
result must equal the map rebuilt from the journey. Browser tests drive a live
widget through tests/widget_harness.py and check that the DOM is patched in
place: untouched cards keep their nodes, a missed delta brings the whole map.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from ipywidgets.embed import embed_data

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor
from cjm_jupyter.widgets._columns import decode_columns, is_columns
from cjm_jupyter.widgets._snapshot import FrameCache

from ..support.journeys import build_small_journey
from ..support.widget_harness import Harness, editor_state


class Comm(list):
    """Stands in for the kernel's comm: keeps every message the widget sends, as JSON."""

    def __call__(self, msg_type: str, data: Any = None, *_args: Any, **_kwargs: Any) -> None:
        if msg_type == "comm_msg":
            self.append(json.loads(json.dumps(data)))

    def states(self, key: str) -> list[Any]:
        """The values sent for ``key``, parsed as the front end does (JSON text -> value)."""
        raw = [m["state"][key] for m in self if m.get("method") == "update" and key in m["state"]]
        return [json.loads(v) if isinstance(v, str) else v for v in raw]


def parsed(value: Any) -> Any:
    """A snapshot value as the front end reads it: JSON text -> value, a frame's columns -> rows."""
    value = json.loads(value) if isinstance(value, str) else value
    return decode_columns(value) if is_columns(value) else value


def wired(editor: JourneyEditor | PersonaEditor) -> Comm:
    comm = Comm()
    editor.comm.publish_msg = comm  # type: ignore[method-assign]
    return comm


_ids = iter(range(1, 10**9))


def send(editor: JourneyEditor | PersonaEditor, op: str, **params: Any) -> None:
    editor._handle_custom_msg({"op": op, "request_id": next(_ids), **params}, [])


def patch(frame: list[dict[str, Any]], change: dict[str, Any]) -> list[dict[str, Any]]:
    """Reference patcher (what js/lib/store.js does), to check the deltas carry every change."""
    if "rows" in change:
        return change["rows"]
    upsert = {r["id"]: r for r in change["upsert"]}
    out = [upsert.pop(r["id"], r) for r in frame if r["id"] not in set(change["remove"])]
    out += list(upsert.values())
    if "order" in change:
        by_id = {r["id"]: r for r in out}
        out = [by_id[i] for i in change["order"]]
    return out


def replay(first: dict[str, Any], deltas: list[dict[str, Any]]) -> dict[str, Any]:
    snap = {k: parsed(v) for k, v in first.items()}
    for d in deltas:
        assert d["base"] == snap["version"], "a delta was skipped"
        snap = {**snap, "version": d["version"], "journey": d["journey"]}
        for frame, change in d["frames"].items():
            snap[frame] = patch(snap[frame], change)
    return snap


def rebuilt(editor: JourneyEditor | PersonaEditor) -> dict[str, Any]:
    return FrameCache(editor.FRAMES).rebuild(editor.journey)


# -- Python: what goes over the comm --------------------------------------------------------------------
def test_an_edit_sends_a_small_delta_then_the_reply() -> None:
    editor = JourneyEditor(build_small_journey())
    comm = wired(editor)
    send(editor, "update_stage", id="awareness", fields={"name": "Discover"})
    assert comm.states("snapshot") == []  # the whole map is not sent again
    (delta,) = comm.states("delta")
    assert set(delta["frames"]) == {"stages"}
    assert delta["frames"]["stages"]["remove"] == [] and "order" not in delta["frames"]["stages"]
    assert [r["name"] for r in delta["frames"]["stages"]["upsert"]] == ["Discover"]
    assert comm[-1]["method"] == "custom" and comm[-1]["content"]["ok"]  # the reply comes last
    assert editor.snapshot["version"] == delta["version"] == delta["base"] + 1
    assert editor.snapshot["stages"][0]["name"] == "Discover"  # Python's copy stays current


def test_replayed_deltas_rebuild_the_map() -> None:
    journey = build_small_journey()
    editor = JourneyEditor(journey)
    first = json.loads(json.dumps(editor.get_state("snapshot")["snapshot"]))
    comm = wired(editor)
    new = journey.add_stage("Loyalty", position=1)
    send(editor, "add_touchpoint", stage=new, name="Newsletter", channel="email")
    send(editor, "move_stage", id=new, position=3)
    send(editor, "move_touchpoint", id="ads", stage="purchase", position=0)
    send(editor, "remove_touchpoint", id="search-engine")  # cascades to emotions and pain points
    send(editor, "update", frame="emotions", id="emo-2", fields={"score": 1.5})
    send(editor, "undo")
    journey.name = "Renamed"
    with journey.batch():
        journey.update_stage("purchase", name="Buy")
        journey.remove("actions", journey.actions["id"].tolist())
    snap = replay(first, comm.states("delta"))
    want = rebuilt(editor)
    for frame in editor.FRAMES:
        assert snap[frame] == want[frame], frame
    assert snap["journey"]["name"] == "Renamed" and snap["version"] == editor.snapshot["version"]


def test_two_editors_of_one_journey_get_the_same_change() -> None:
    journey = build_small_journey()
    first, second = JourneyEditor(journey), JourneyEditor(journey)
    people = PersonaEditor(journey)
    comms = [wired(e) for e in (first, second, people)]
    send(first, "update_touchpoint", id="ads", fields={"channel": "tv"})
    one, two = comms[0].states("delta"), comms[1].states("delta")
    assert one[0]["frames"] == two[0]["frames"] and set(one[0]["frames"]) == {"touchpoints"}
    assert comms[2].states("delta") == []  # the persona editor shows no touchpoints
    send(people, "update_persona", id="busy-bob", fields={"name": "Bob"})
    assert [r["name"] for r in comms[1].states("delta")[-1]["frames"]["personas"]["upsert"]] == ["Bob"]


def test_resync_sends_the_whole_current_map() -> None:
    editor = JourneyEditor(build_small_journey())
    comm = wired(editor)
    editor.journey.update_stage("awareness", name="Discover")
    editor._handle_custom_msg({"kind": "cjm-resync"}, [])
    (snap,) = comm.states("snapshot")
    assert snap["version"] == editor.snapshot["version"]
    assert parsed(snap["stages"])[0]["name"] == "Discover"
    assert not [m for m in comm if m.get("method") == "custom"]  # no reply: it is not an edit


def test_flush_sends_the_snapshot_once_after_deltas() -> None:
    editor = JourneyEditor(build_small_journey())
    comm = wired(editor)
    editor.flush()
    assert comm.states("snapshot") == []  # nothing changed since it was sent
    send(editor, "update_stage", id="purchase", fields={"name": "Buy"})
    editor.flush()
    editor.flush()
    (snap,) = comm.states("snapshot")
    assert parsed(snap["stages"])[2]["name"] == "Buy"


def test_the_front_end_cannot_replace_the_map() -> None:
    editor = JourneyEditor(build_small_journey())
    editor.set_state({"snapshot": {"version": 99, "stages": []}, "delta": {"version": 99}})
    assert editor.snapshot["stages"][0]["name"] == "Awareness" and editor.snapshot["version"] == 1


def test_exported_state_holds_the_latest_map() -> None:
    editor = JourneyEditor(build_small_journey())
    send(editor, "update_stage", id="awareness", fields={"name": "Discover"})
    data = embed_data(views=[editor], drop_defaults=False)
    state = data["manager_state"]["state"][editor.model_id]["state"]
    assert parsed(state["snapshot"]["stages"])[0]["name"] == "Discover"


@pytest.mark.kernel
def test_executed_notebook_saves_the_latest_map(tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from cjm_jupyter import Journey, JourneyEditor\n"
            "j = Journey('Saved')\ns = j.add_stage('Before')\nJourneyEditor(j)"
        ),
        nbformat.v4.new_code_cell("j.update_stage(s, name='After'); j.add_stage('Later')"),
    ]
    nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        store_widget_state=True,
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    snaps = [m["state"]["snapshot"] for m in state.values() if "snapshot" in m["state"]]
    assert len(snaps) == 1
    stages = snaps[0]["stages"]
    names = [r["name"] for r in parsed(stages)]
    assert names == ["After", "Later"]


# -- the view in chromium ----------------------------------------------------------------------------------
@pytest.fixture
def live(chromium: Any) -> Iterator[tuple[Harness, JourneyEditor]]:
    page = chromium.new_page()
    h = Harness(page)
    editor = JourneyEditor(build_small_journey())
    h.mount("journey_editor.js", editor_state(editor), live=editor)
    yield h, editor
    assert h.errors == [], h.errors
    page.close()


ROOT = "document.querySelector('.cjm-host').shadowRoot"


def keep(h: Harness, name: str, selector: str) -> None:
    """Remember the node at ``selector`` as ``window.__kept[name]``."""
    h.page.evaluate(
        f"([n, s]) => {{ (window.__kept ??= {{}})[n] = {ROOT}.querySelector(s); }}",
        [name, selector],
    )


def same(h: Harness, name: str, selector: str) -> bool:
    """Whether ``selector`` still finds the very node kept as ``name``."""
    return bool(
        h.page.evaluate(f"([n, s]) => window.__kept[n] === {ROOT}.querySelector(s)", [name, selector])
    )


def test_an_edit_patches_the_dom_and_keeps_untouched_nodes(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    keep(h, "card", '.cjm-card[data-id="checkout"]')
    keep(h, "other", '[data-key="stage:purchase:name"]')
    keep(h, "renamed", '[data-key="tp:ads:name"]')
    field = h.key("tp:ads:name")
    field.fill("Billboards")
    field.press("Enter")
    h.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert editor.journey.touchpoints.set_index("id").loc["ads", "name"] == "Billboards"
    assert h.key("tp:ads:name").input_value() == "Billboards"
    assert same(h, "card", '.cjm-card[data-id="checkout"]')  # another stage's card: the same node
    assert same(h, "other", '[data-key="stage:purchase:name"]')
    assert not same(h, "renamed", '[data-key="tp:ads:name"]')  # its own cell was drawn again
    assert h.page.evaluate("window.__model.get('snapshot').version") == editor.snapshot["version"]


def test_a_python_change_reaches_the_view_and_typing_survives(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    draft = h.key("stage:purchase:description")
    draft.fill("half-typ")  # focused, not committed
    keep(h, "draft", '[data-key="stage:purchase:description"]')
    editor.journey.update_stage("awareness", name="Discover")
    assert h.pump() >= 1
    assert h.key("stage:awareness:name").input_value() == "Discover"
    assert same(h, "draft", '[data-key="stage:purchase:description"]')
    assert draft.input_value() == "half-typ"
    assert h.page.evaluate(f"{ROOT}.activeElement?.dataset.key") == "stage:purchase:description"


def test_a_missed_delta_brings_the_whole_map(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    editor.journey.update_stage("awareness", name="Lost")
    h.outbox.clear()  # that delta never arrives
    editor.journey.update_stage("purchase", name="Buy")
    h.pump()  # version gap: the view asks for the whole map, the harness answers it
    h.page.wait_for_function(f"{ROOT}.querySelector('[data-key=\"stage:awareness:name\"]').value === 'Lost'")
    assert {"kind": "cjm-resync"} in h.sent()
    assert h.key("stage:purchase:name").input_value() == "Buy"


def test_two_views_of_one_model_stay_consistent(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    h.add_view()
    assert h.page.locator('[data-key="stage:awareness:name"]').count() == 2
    field = h.page.locator('[data-key="stage:awareness:name"]').first
    field.fill("Discover")
    field.press("Enter")
    h.page.locator(".cjm-status", has_text="All changes saved").first.wait_for()
    values = h.page.locator('[data-key="stage:awareness:name"]').evaluate_all(
        "(els) => els.map((e) => e.value)"
    )
    assert values == ["Discover", "Discover"]
    editor.journey.add_touchpoint("purchase", "Delivery")
    h.pump()
    assert h.page.locator('.cjm-card[data-id="delivery"]').count() == 2
    # What "Save Widget State" writes: the model's snapshot as JSON, frames column by column as text.
    saved = json.loads(h.page.evaluate("JSON.stringify(window.__model.get('snapshot'))"))
    assert saved["version"] == editor.snapshot["version"]
    assert isinstance(saved["touchpoints"], str) and "<" not in saved["touchpoints"]
    assert "Delivery" in [t["name"] for t in parsed(saved["touchpoints"])]
    assert parsed(saved["touchpoints"]) == editor.snapshot["touchpoints"]
    assert [m for m in h.sent() if m.get("kind") == "cjm-resync"] == []


def test_a_large_map_patches_one_stage(chromium: Any) -> None:
    j = Journey("Wide")
    with j.batch():
        for s in range(4):
            stage = j.add_stage(f"S{s}")
            for k in range(30):
                j.add_touchpoint(stage, f"T{s}-{k}")
    editor = JourneyEditor(j)
    page = chromium.new_page()
    h = Harness(page)
    try:
        h.mount("journey_editor.js", editor_state(editor), live=editor)
        h.page.evaluate(f"() => {{ window.__cards = [...{ROOT}.querySelectorAll('.cjm-card')]; }}")
        j.update_touchpoint("t2-5", name="Changed")
        h.pump()
        now = f"[...{ROOT}.querySelectorAll('.cjm-card')]"
        kept = h.page.evaluate(f"() => window.__cards.filter((c) => {now}.includes(c)).length")
        assert kept == 119  # every other card, its own stage's included: the same nodes
        assert h.key("tp:t2-5:name").input_value() == "Changed"
        assert h.errors == []
    finally:
        page.close()


def test_a_touchpoint_rename_keeps_the_other_cards_and_items(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    tps = editor.journey.touchpoints.set_index("name")["id"]
    search, ads = tps["Search engine"], tps["Ads"]  # both in the Awareness stage
    keep(h, "neighbour", f'.cjm-card[data-id="{search}"]')  # same stage as the renamed card
    keep(h, "renamed", f'.cjm-card[data-id="{ads}"]')
    keep(h, "pain", '.cjm-item[data-id="pain-1"]')  # sits at a touchpoint of that stage
    keep(h, "place", '[data-key="pain_points:pain-1:place"]')
    field = h.key(f"tp:{ads}:name")
    field.fill("Billboards")
    field.press("Enter")
    h.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert editor.journey.touchpoints.set_index("id").loc[ads, "name"] == "Billboards"
    assert same(h, "neighbour", f'.cjm-card[data-id="{search}"]')  # its own stage's other card: kept
    assert not same(h, "renamed", f'.cjm-card[data-id="{ads}"]')  # the renamed card alone is new
    assert same(h, "pain", '.cjm-item[data-id="pain-1"]')
    # The item's placement select kept its node and reads the new name in place.
    assert same(h, "place", '[data-key="pain_points:pain-1:place"]')
    place = h.key("pain_points:pain-1:place")
    assert "Touchpoint: Billboards" in place.locator("option").all_text_contents()
    assert place.input_value() == f"t:{search}"


def test_a_stage_rename_redraws_its_header_only(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    keep(h, "action", '.cjm-item[data-id="act-1"]')
    keep(h, "stage-select", '[data-key="actions:act-1:place"]')
    keep(h, "other-cell", '.cjm-item[data-id="pain-2"]')
    keep(h, "cards", '.cjm-tps[data-stage="awareness"]')
    keep(h, "header", '.cjm-stage[data-stage="awareness"]')
    field = h.key("stage:awareness:name")
    field.fill("Discover")
    field.press("Enter")
    h.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert editor.journey.stages.set_index("id").loc["awareness", "name"] == "Discover"
    assert not same(h, "header", '.cjm-stage[data-stage="awareness"]')  # shows the name: drawn again
    for name, selector in [
        ("action", '.cjm-item[data-id="act-1"]'),
        ("stage-select", '[data-key="actions:act-1:place"]'),
        ("other-cell", '.cjm-item[data-id="pain-2"]'),
        ("cards", '.cjm-tps[data-stage="awareness"]'),
    ]:
        assert same(h, name, selector), name
    select = h.key("actions:act-1:place")  # the action's stage select lists every stage, renamed in place
    assert select.locator("option:checked").text_content() == "Discover"
    assert h.key("stage:awareness:name").input_value() == "Discover"
    assert h.page.evaluate(f"{ROOT}.activeElement?.dataset.key") == "stage:awareness:name"


def test_the_add_emotion_form_drops_a_deleted_persona_and_touchpoint(
    live: tuple[Harness, JourneyEditor],
) -> None:
    # the form is kept across redraws: a choice naming a removed row must not be sent
    h, editor = live
    h.key("new-emo:awareness:place").select_option("t:ads")
    h.key("new-emo:awareness:persona").select_option("busy-bob")
    editor.journey.remove_touchpoint("ads", cascade=True)
    editor.journey.remove_persona("busy-bob", cascade=True)
    assert h.pump() >= 1
    assert h.key("new-emo:awareness:place").input_value() == "s:awareness"
    assert h.key("new-emo:awareness:persona").input_value() == "curious-colleen"
    h.page.locator('[aria-label="Add an emotion (score 0) here"]').first.click()
    h.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    emo = editor.journey.emotions
    added = emo[(emo["stage_id"] == "awareness") & emo["touchpoint_id"].isna()]
    assert added["persona_id"].tolist() == ["curious-colleen"]


def test_focus_stays_on_a_kept_button_when_the_map_redraws(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    label = "Delete touchpoint Search engine"
    h.page.locator(f'[aria-label="{label}"]').focus()
    editor.journey.update_stage("purchase", description="Pays")
    assert h.pump() >= 1
    assert h.page.evaluate(f"{ROOT}.activeElement?.getAttribute('aria-label')") == label


def test_arrow_keys_on_the_curve_step_on_and_keep_focus(live: tuple[Harness, JourneyEditor]) -> None:
    h, editor = live
    emo = editor.journey.emotions
    row = emo[emo["touchpoint_id"] == "search-engine"].iloc[0]  # score -1
    key = f"emo:{row['id']}:point"
    h.key(key).focus()
    h.key(key).press("ArrowUp")
    h.key(key).press("ArrowUp")  # before or after the first answer: steps on from what is shown
    h.page.locator(".cjm-status", has_text="All changes saved").wait_for()
    assert editor.journey.emotions.set_index("id").loc[row["id"], "score"] == 0.0
    assert h.page.evaluate(f"{ROOT}.activeElement?.dataset.key") == key
