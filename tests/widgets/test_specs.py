"""One source for enums, bounds and editable columns: the editors draw them from ``model/specs.py``.

The widget's ``specs`` trait carries the editable columns with their allowed
values and bounds; the front end keeps no copy. So a value added in Python is
offered by the editor (checked in headless chromium with the specs patched),
and no JS source or bundle lists the values of an enumeration.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest
from ipywidgets.embed import embed_data

from cjm_jupyter import Journey, JourneyEditor, PersonaEditor
from cjm_jupyter.model import specs
from cjm_jupyter.widgets._specs import editor_specs

from ..support.paths import ROOT
from ..support.widget_harness import Harness, editor_state, last_sent

JS_SOURCES = sorted(p for p in (ROOT / "js").rglob("*.js") if "node_modules" not in p.parts)
BUNDLES = [ROOT / "cjm_jupyter" / "static" / name for name in ("journey_editor.js", "persona_editor.js")]


def _enums() -> dict[str, tuple[str, ...]]:
    """Every enumeration of the specs, by where it lives: column choices and the journey kinds."""
    out = {"journey.kind": tuple(specs.JOURNEY_KINDS)}
    for frame in specs.FRAMES.values():
        for col in frame.columns:
            if col.choices:
                out[f"{frame.name}.{col.name}"] = col.choices
    return out


def _with_column(monkeypatch: pytest.MonkeyPatch, frame: str, column: str, **changes: Any) -> None:
    """Patch one column of the specs (the model validates against the same spec)."""
    spec = specs.FRAMES[frame]
    cols = tuple(dataclasses.replace(c, **changes) if c.name == column else c for c in spec.columns)
    monkeypatch.setitem(specs.FRAMES, frame, dataclasses.replace(spec, columns=cols))


# -- the trait ----------------------------------------------------------------------------------------
def test_specs_trait_lists_each_editable_column_with_its_spec() -> None:
    editor = JourneyEditor(Journey("Specs"))
    assert list(editor.specs["frames"]) == list(editor.EDITABLE)
    for frame, columns in editor.EDITABLE.items():
        assert list(editor.specs["frames"][frame]) == list(columns)  # the editor's order
        for name in columns:
            col = specs.FRAMES[frame].column(name)
            sent = editor.specs["frames"][frame][name]
            assert sent == {
                "kind": col.kind,
                "required": col.required,
                "choices": list(col.choices),
                "low": col.low,
                "high": col.high,
            }
    assert editor.specs["frames"]["actions"]["status"]["choices"] == list(specs.ACTION_STATUSES)
    assert editor.specs["frames"]["pain_points"]["severity"] == {
        "kind": "int",
        "required": False,
        "choices": [],
        "low": 1,
        "high": 5,
    }
    assert editor.specs["journey"]["kind"]["choices"] == list(specs.JOURNEY_KINDS)
    persona = PersonaEditor(Journey("Specs"))
    assert list(persona.specs["frames"]) == ["personas", "empathy"]
    assert persona.specs["frames"]["empathy"]["quadrant"]["choices"] == list(specs.EMPATHY_QUADRANTS)


def test_specs_are_read_when_the_widget_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_column(monkeypatch, "actions", "status", choices=(*specs.ACTION_STATUSES, "on_hold"))
    monkeypatch.setattr(specs, "JOURNEY_KINDS", (*specs.JOURNEY_KINDS, "service_blueprint"))
    editor = JourneyEditor(Journey("Specs"))
    assert editor.specs["frames"]["actions"]["status"]["choices"][-1] == "on_hold"
    assert editor.specs["journey"]["kind"]["choices"][-1] == "service_blueprint"
    assert editor_specs({"actions": ("status",)})["frames"]["actions"]["status"]["choices"][-1] == "on_hold"


def test_specs_travel_in_the_saved_state_and_the_front_end_cannot_replace_them() -> None:
    editor = JourneyEditor(Journey("Specs"))
    # What a saved notebook and the shared HTML embed (drop_defaults=False, as the exporter).
    data = embed_data(views=[editor], drop_defaults=False)
    saved = data["manager_state"]["state"][editor.model_id]["state"]["specs"]
    assert json.loads(json.dumps(saved)) == editor.specs
    before = editor.specs
    editor.set_state({"specs": {"frames": {}}})
    assert editor.specs == before


# -- the JS keeps no copy -------------------------------------------------------------------------------
_COMMENTS = re.compile(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", re.S)
_STRING = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")


def _listed_values(text: str, values: tuple[str, ...]) -> set[str]:
    """The values of one enumeration written as string literals in ``text``, keys of a map left out.

    Words kept for display, keyed by value (``{">=": "≥ at least"}``), are allowed: a key is
    a literal followed by ``:``. Any other literal of an enum value counts.
    """
    text = _COMMENTS.sub("", text)
    found = set()
    for m in _STRING.finditer(text):
        literal = m.group(1) if m.group(1) is not None else m.group(2)
        if literal in values and not re.match(r"\s*:", text[m.end() :]):
            found.add(literal)
    return found


def test_the_checker_finds_a_list_and_allows_words_keyed_by_value() -> None:
    statuses = specs.ACTION_STATUSES
    old = 'const STATUSES = ["planned", "in_progress", "done"].map((s) => [s, s]);'
    assert _listed_values(old, statuses) == {"planned", "in_progress", "done"}
    keyed = 'const WORDS = { "planned": "to do", done: "done!" }; // "blocked", "dropped"'
    assert _listed_values(keyed, statuses) == set()


@pytest.mark.parametrize("path", [*JS_SOURCES, *BUNDLES], ids=lambda p: str(p.relative_to(ROOT)))
def test_no_js_file_lists_the_values_of_an_enumeration(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = {where: sorted(_listed_values(text, values)) for where, values in _enums().items()}
    listed = {where: values for where, values in found.items() if len(values) > 1}
    assert listed == {}, f"{path.name} repeats enum values of model/specs.py: {listed}"


# -- a value added in Python is offered ------------------------------------------------------------------
def _options(h: Harness, label: str) -> list[list[str]]:
    select = h.page.get_by_label(label, exact=True)
    assert select.count() == 1, f"{select.count()} controls labelled {label!r}"
    return select.locator("option").evaluate_all("(os) => os.map((o) => [o.value, o.textContent])")


@pytest.mark.browser
def test_a_status_kind_and_bound_added_in_python_are_offered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_column(monkeypatch, "actions", "status", choices=(*specs.ACTION_STATUSES, "on_hold"))
    _with_column(monkeypatch, "pain_points", "severity", high=10)
    monkeypatch.setattr(specs, "JOURNEY_KINDS", (*specs.JOURNEY_KINDS, "service_blueprint"))
    j = Journey("Specs")
    stage = j.add_stage("Buy")
    j.add_action("Call back", stage=stage)
    j.add_pain_point("Slow checkout", stage=stage, severity=9)  # valid only with the patched bound
    editor = JourneyEditor(j)
    harness.mount("journey_editor.js", editor_state(editor), live=editor)
    assert _options(harness, "Action status") == [
        ["planned", "planned"],
        ["in_progress", "in progress"],
        ["done", "done"],
        ["blocked", "blocked"],
        ["dropped", "dropped"],
        ["on_hold", "on hold"],
    ]
    assert _options(harness, "Journey kind")[-1] == ["service_blueprint", "Service blueprint"]
    severity = harness.page.get_by_label("Pain point severity", exact=True)
    assert (severity.get_attribute("min"), severity.get_attribute("max")) == ("1", "10")
    assert harness.page.get_by_text("Severity 1-10", exact=True).count() == 1
    harness.page.get_by_label("Action status", exact=True).select_option("on_hold")
    assert last_sent(harness)["fields"] == {"status": "on_hold"}
    assert j.actions["status"].tolist() == ["on_hold"]  # the model took it: one source


@pytest.mark.browser
def test_a_quadrant_and_persona_column_added_in_python_are_offered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_column(monkeypatch, "empathy", "quadrant", choices=(*specs.EMPATHY_QUADRANTS, "hears"))
    j = Journey("Specs")
    persona = j.add_persona("Colleen")
    j.add_empathy(persona, "says", "Too loud")
    editor = PersonaEditor(j)
    # A column the editor did not know: it shows, captioned with its name, as its spec says.
    editor.specs = {
        **editor.specs,
        "frames": {
            **editor.specs["frames"],
            "personas": {
                **editor.specs["frames"]["personas"],
                "loyalty": {"kind": "int", "required": False, "choices": [], "low": 0, "high": 10},
            },
        },
    }
    harness.mount("persona_editor.js", editor_state(editor))
    options = _options(harness, "Empathy entry quadrant")
    assert [v for v, _ in options] == [*specs.EMPATHY_QUADRANTS, "hears"]
    assert options[-1] == ["hears", "Hears"]
    quadrants = harness.page.locator(".cjm-quadrant h5").all_text_contents()
    assert quadrants == ["Says", "Thinks", "Does", "Feels", "Hears"]
    loyalty = harness.page.get_by_label("Persona loyalty", exact=True)
    assert (loyalty.get_attribute("type"), loyalty.get_attribute("max")) == ("number", "10")


# -- saved and shared copies ------------------------------------------------------------------------------
SAVED_EDITORS = ROOT / "examples" / "editor.ipynb"


def test_the_saved_example_editors_carry_their_specs() -> None:
    nb = nbformat.read(SAVED_EDITORS, as_version=4)
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    editors = [m["state"] for m in state.values() if "_anywidget_id" in m["state"]]
    saved = {e["_anywidget_id"].rsplit(".", 1)[1]: e["specs"] for e in editors}
    # Sorted: nbformat writes keys sorted, so the front end orders columns by its own words.
    assert sorted(saved["JourneyEditor"]["frames"]) == sorted(JourneyEditor.EDITABLE)
    assert sorted(saved["PersonaEditor"]["frames"]) == sorted(PersonaEditor.EDITABLE)
    assert saved["JourneyEditor"]["frames"]["actions"]["status"]["choices"] == list(specs.ACTION_STATUSES)


@pytest.mark.browser
def test_the_saved_example_shared_offline_offers_every_value(browser: Any, tmp_path: Path) -> None:
    import cjm_jupyter as cjm

    from ..support.reader import read_alone

    page = cjm.export_html(nbformat.read(SAVED_EDITORS, as_version=4), tmp_path / "editor.html")
    reader = read_alone(browser, page, tmp_path, plots=0, editors=2)
    reader.assert_reader_sees(plots=0, editors=2)
    options = "els => els.map(e => [...e.options].map(o => o.value))"
    selects = reader.page.locator('select[data-key$=":status"]')
    assert selects.count() > 0
    assert all(found == list(specs.ACTION_STATUSES) for found in selects.evaluate_all(options))
    quadrants = reader.page.locator(".cjm-quadrant").evaluate_all("els => els.map(e => e.dataset.quadrant)")
    assert quadrants == list(specs.EMPATHY_QUADRANTS)
    kind = reader.page.locator('select[data-key="meta:kind"]').evaluate_all(options)
    assert kind == [list(specs.JOURNEY_KINDS)]
