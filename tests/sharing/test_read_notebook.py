"""The map travels with the notebook: displayed journeys and editors read back with read_notebook.

One real kernel run (nbclient, widget state stored) covers every template shown
as a journey, in a JourneyEditor and in a PersonaEditor, editors whose journey
changes after they were shown, and extra columns; the executed notebook is read
back directly and after ``jupyter nbconvert --to notebook``. Error and
saved-state cases use notebooks built by hand (no kernel).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbclient
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import cjm_jupyter as cjm
from cjm_jupyter import FileFormatError, JourneyEditor, PersonaEditor, SchemaVersionError, templates
from cjm_jupyter.sharing import JOURNEY_MIME

JUPYTER = str(Path(sys.executable).with_name("jupyter"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Run in the kernel after the editors on ``live`` and ``extra`` were shown.
LATER = """\
live.update_stage("trigger", name="Noticing")
live.add_touchpoint("trigger", "Podcast ad", channel="audio")
pete = live.add_persona("Practical Pete", age="45")
live.add_empathy(pete, "says", "It has to last")
live.remove_persona("curious-colleen", cascade=True)
extra.add_stage("Loyalty")
extra.update_stage("interest", name="Considering")
"""


def _execute(nb: Any, folder: Path) -> None:
    resources = {"metadata": {"path": str(folder)}}
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=180, store_widget_state=True, resources=resources
    ).execute()


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One kernel run; returns the notebook's path, the expected journey of each key and the final states."""
    folder = tmp_path_factory.mktemp("executed")
    cells = [new_markdown_cell("# Journeys"), new_code_cell("import cjm_jupyter as cjm\nimport pandas as pd")]
    expected: dict[str, Any] = {}

    def add(source: str, *keys: tuple[str, Any]) -> None:
        cells.append(new_code_cell(source))
        for suffix, journey in keys:
            expected[f"cell {len(cells)}{suffix}"] = journey

    for name in templates.names():
        add(f"cjm.templates.load({name!r})", ("", name))
        add(f"cjm.JourneyEditor(cjm.templates.load({name!r}))", ("", name))
        add(f"cjm.PersonaEditor(cjm.templates.load({name!r}))", ("", name))
    two = "display(cjm.templates.load('three_stage'))\ncjm.templates.load('empathy')"
    add(two, ("", "three_stage"), (" (2)", "empathy"))
    add("live = cjm.templates.load('colleen')\ncjm.JourneyEditor(live)", ("", "live in JourneyEditor"))
    add("cjm.PersonaEditor(live)", ("", "live in PersonaEditor"))
    add("live", ("", "colleen"))  # a plain journey: as it was when shown
    add(
        "extra = cjm.templates.load('three_stage')\n"
        "df = extra.stages\n"
        "df['kpi'] = pd.array(['reach', None, 'sales'], dtype='string')\n"
        "df['budget'] = pd.array([10, None, 30], dtype='Int64')\n"
        "extra.stages = df\n"
        "cjm.JourneyEditor(extra)",
        ("", "extra"),
    )
    add(LATER)
    add(f"live.to_json({str(folder / 'live.json')!r})\nextra.to_json({str(folder / 'extra.json')!r})")
    nb = new_notebook(cells=cells)
    _execute(nb, folder)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors
    path = folder / "executed.ipynb"
    nbformat.write(nb, path)
    final = {"live": cjm.read_json(folder / "live.json"), "extra": cjm.read_json(folder / "extra.json")}
    journeys = cjm.read_notebook(path)  # read once for the tests below (about 0.1 s a journey)
    return {"path": path, "expected": expected, "final": final, "folder": folder, "journeys": journeys}


def _live_in_journey_editor(final: cjm.Journey) -> cjm.Journey:
    """The journey a JourneyEditor shows: every frame but ``empathy``, which stays as displayed."""
    expected = final.copy()
    expected.remove("empathy", expected.empathy["id"].tolist())  # colleen had none when displayed
    return expected


def _live_in_persona_editor(final: cjm.Journey) -> cjm.Journey:
    """The journey a PersonaEditor shows: its personas and empathy map; other frames as displayed,
    less what removing a persona cascaded to (as in the kernel)."""
    expected = templates.load("colleen")
    pete = expected.add_persona("Practical Pete", age="45")
    expected.add_empathy(pete, "says", "It has to last")
    expected.remove_persona("curious-colleen", cascade=True)
    return expected


def _expected(key: str, executed: dict[str, Any]) -> cjm.Journey:
    name = executed["expected"][key]
    final = executed["final"]
    if name == "live in JourneyEditor":
        return _live_in_journey_editor(final["live"])
    if name == "live in PersonaEditor":
        return _live_in_persona_editor(final["live"])
    return final[name] if name in final else templates.load(name)


def _check_all(journeys: dict[str, cjm.Journey], executed: dict[str, Any]) -> None:
    assert list(journeys) == list(executed["expected"])
    different = [key for key, j in journeys.items() if not j.equals(_expected(key, executed))]
    assert different == []


# -- round trips through a real kernel ------------------------------------------------------------------
@pytest.mark.kernel
def test_every_template_reads_back_as_displayed(executed: dict[str, Any]) -> None:
    journeys = executed["journeys"]
    _check_all(journeys, executed)
    shown = {executed["expected"][k] for k in journeys}
    assert set(templates.names()) <= shown
    assert journeys["cell 3"].equals(templates.load(templates.names()[0]))  # the markdown cell counts


@pytest.mark.slow
@pytest.mark.kernel
def test_after_nbconvert_to_notebook(executed: dict[str, Any]) -> None:
    out = executed["folder"] / "converted.ipynb"
    subprocess.run(
        [JUPYTER, "nbconvert", "--to", "notebook", "--output", str(out), str(executed["path"])],
        check=True,
        capture_output=True,
        timeout=120,
    )
    _check_all(cjm.read_notebook(out), executed)


@pytest.mark.kernel
def test_an_editor_reads_back_as_the_journey_was_when_saved(executed: dict[str, Any]) -> None:
    """Changes made in Python after the editors were shown: each reads back the frames it shows."""
    journeys = executed["journeys"]
    live = executed["final"]["live"]
    by_name = {name: journeys[k] for k, name in executed["expected"].items()}
    for j in (by_name["live in JourneyEditor"], by_name["live in PersonaEditor"]):
        assert j.personas["name"].tolist() == ["Practical Pete"]
        assert j.emotions.empty and j.pain_points["persona_id"].isna().all()  # removed, cleared by cascade
    j = by_name["live in JourneyEditor"]
    assert j.stages["name"].tolist()[0] == "Noticing"
    assert "Podcast ad" in j.touchpoints["name"].tolist()
    for name in ("personas", "stages", "touchpoints", "emotions", "pain_points", "metrics", "lanes"):
        assert j.frame(name).equals(live.frame(name)), name
    assert j.empathy.empty  # a frame the JourneyEditor does not show stays as displayed
    j = by_name["live in PersonaEditor"]
    assert j.empathy["text"].tolist() == ["It has to last"]
    assert j.frame("personas").equals(live.frame("personas"))
    assert j.frame("empathy").equals(live.frame("empathy"))
    assert j.stages["name"].tolist()[0] == "Trigger"  # not shown by the PersonaEditor: as displayed


@pytest.mark.kernel
def test_an_editor_keeps_extra_columns(executed: dict[str, Any]) -> None:
    j = next(j for k, j in executed["journeys"].items() if executed["expected"][k] == "extra")
    assert j.equals(executed["final"]["extra"])
    stages = j.stages
    assert stages["name"].tolist() == ["Awareness", "Considering", "Decision", "Loyalty"]
    assert str(stages["kpi"].dtype) == "string" and str(stages["budget"].dtype) == "Int64"
    assert stages["kpi"].tolist()[0] == "reach" and stages["budget"].tolist()[2] == 30
    assert stages["kpi"].isna().tolist() == [False, True, False, True]  # the new stage: no value


@pytest.mark.kernel
def test_each_output_holds_the_journey_once(executed: dict[str, Any]) -> None:
    nb = nbformat.read(executed["path"], as_version=4)
    first = 3 + 3 * templates.names().index("colleen")  # the journey, its JourneyEditor, its PersonaEditor
    journey = templates.load("colleen")
    text = journey.to_json()
    for number in (first, first + 1, first + 2):
        outputs = nb.cells[number - 1].outputs  # an editor may also write a static summary output
        (output,) = [o for o in outputs if JOURNEY_MIME in o.get("data", {})]
        assert output["data"][JOURNEY_MIME] == json.loads(text)  # an object, the very document to_json writes
        # Besides the summaries written for people (HTML, plain text), the cell holds the journey once:
        # no second copy, none encoded as a string.
        people = ("text/html", "text/plain")
        rest = [{k: v for k, v in o.get("data", {}).items() if k not in people} for o in outputs]
        written = nbformat.writes(_one_output(*[new_output("display_data", data=d) for d in rest]))
        assert written.count(journey.name) == 1
        assert written.count('"schema_version"') == 1
        # As the notebook stores it (indent 1, deeper nesting), about the size of the JSON file.
        assert len(written) < 1.15 * len(text)


@pytest.mark.kernel
def test_executed_with_nbconvert_execute(tmp_path: Path) -> None:
    source = tmp_path / "source.ipynb"
    nb = new_notebook(
        cells=[
            new_code_cell("import cjm_jupyter as cjm\nj = cjm.templates.load('four_stage')"),
            new_code_cell("cjm.JourneyEditor(j)"),
            new_code_cell("j.update_stage(j.stages['id'][0], name='First')"),
        ]
    )
    nbformat.write(nb, source)
    out = tmp_path / "executed.ipynb"
    subprocess.run(
        [JUPYTER, "nbconvert", "--to", "notebook", "--execute", "--output", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    expected = templates.load("four_stage")
    expected.update_stage(expected.stages["id"][0], name="First")
    (key, journey), *rest = cjm.read_notebook(out).items()
    assert key == "cell 2" and not rest and journey.equals(expected)


# -- saved widget state, built by hand ------------------------------------------------------------------
def _one_output(*outputs: Any, before: Any = None) -> Any:
    """A notebook whose code cell (after the cell ``before``, if given) holds ``outputs``."""
    return new_notebook(cells=[*([before] if before else []), new_code_cell("j", outputs=list(outputs))])


def _notebook_file(path: Path, data: dict[str, Any], states: dict[str, Any] | None = None) -> Path:
    nb = _one_output(new_output("execute_result", data=data, execution_count=1))
    if states is not None:
        nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": states}}
    nbformat.write(nb, path)
    return path


def _saved(editor: Any, state: dict[str, Any]) -> dict[str, Any]:
    model_id = editor.model_id
    return {model_id: {"model_name": "AnyModel", "model_module": "anywidget", "state": state}}


def _many(j: cjm.Journey) -> None:
    with j.batch():
        for k in range(6):
            j.add_touchpoint("purchase", f"Step {k}")


#: Changes whose delta has each shape: moved rows upserted, a removal, a new order, meta data, whole frames.
CHANGES = {
    "add": lambda j: j.add_touchpoint("research", "Store visit", channel="store", position=0),
    "remove": lambda j: j.remove("pain_points", "pain-6"),
    "move": lambda j: j.move_stage("use", 0),
    "meta": lambda j: j.set_meta(name="Renamed map"),
    "many": _many,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_delta_newer_than_the_saved_snapshot_is_applied(tmp_path: Path, change: str) -> None:
    j = templates.load("colleen")
    editor = JourneyEditor(j)
    data, _meta = editor._repr_mimebundle_()
    snapshot = editor.get_state("snapshot")  # as the kernel sent it (JSON text per frame)
    CHANGES[change](j)
    delta = editor.get_state("delta")
    assert json.loads(delta["delta"])["base"] == snapshot["snapshot"]["version"]
    path = _notebook_file(tmp_path / "nb.ipynb", data, _saved(editor, {**snapshot, **delta}))
    assert cjm.read_notebook(path)["cell 1"].equals(j)
    editor.close()


def test_a_delta_that_does_not_follow_the_snapshot_is_ignored(tmp_path: Path) -> None:
    j = templates.load("colleen")
    editor = JourneyEditor(j)
    data, _meta = editor._repr_mimebundle_()
    first = editor.get_state("snapshot")
    j.move_stage("use", 0)
    j.set_meta(name="Renamed map")
    delta = editor.get_state("delta")  # the second change only
    last = editor.get_state("snapshot")
    gap = _notebook_file(tmp_path / "gap.ipynb", data, _saved(editor, {**first, **delta}))
    assert cjm.read_notebook(gap)["cell 1"].equals(templates.load("colleen"))  # the snapshot, as saved
    old = _notebook_file(tmp_path / "old.ipynb", data, _saved(editor, {**last, **delta}))
    assert cjm.read_notebook(old)["cell 1"].equals(j)  # the delta is already in the snapshot
    editor.close()


def test_the_front_ends_saved_forms_are_read(tmp_path: Path) -> None:
    """JupyterLab saves rows re-encoded as JSON text (columns.js) or plain; both read back."""
    j = templates.load("colleen")
    editor = PersonaEditor(j)
    data, _meta = editor._repr_mimebundle_()
    j.update_persona("curious-colleen", age="33")
    j.add_empathy("curious-colleen", "feels", "Tired of dust")
    plain = dict(editor.snapshot)  # rows as lists of dicts, meta data as an object
    for form, snapshot in (("plain", plain), ("text", editor.get_state("snapshot")["snapshot"])):
        path = _notebook_file(tmp_path / f"{form}.ipynb", data, _saved(editor, {"snapshot": snapshot}))
        assert cjm.read_notebook(path)["cell 1"].equals(j), form
    editor.close()


def test_without_widget_state_an_editor_reads_back_as_displayed(tmp_path: Path) -> None:
    j = templates.load("five_stage")
    editor = JourneyEditor(j)
    data, _meta = editor._repr_mimebundle_()
    j.update_stage(j.stages["id"][0], name="Later")
    path = _notebook_file(tmp_path / "nb.ipynb", data)
    assert cjm.read_notebook(path)["cell 1"].equals(templates.load("five_stage"))
    editor.close()


def test_a_document_stored_as_text_or_lines_is_read(tmp_path: Path) -> None:
    j = templates.load("empathy")
    text = j.to_json()
    for form, payload in (("text", text), ("lines", text.splitlines(keepends=True))):
        path = _notebook_file(tmp_path / f"{form}.ipynb", {"text/plain": "j", JOURNEY_MIME: payload})
        assert cjm.read_notebook(path)["cell 1"].equals(j), form


def test_a_notebook_without_journeys_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("x"), new_code_cell("1")]), path)
    assert cjm.read_notebook(path) == {}


# -- errors ------------------------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.ipynb"
    with pytest.raises(FileNotFoundError) as err:
        cjm.read_notebook(path)
    assert str(err.value) == f"cannot read {str(path)!r}: the file does not exist"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("not json", "is not valid JSON: Expecting value at line 1, column 1"),
        (
            '{"cells": [], "cells": []}',
            "key 'cells' appears more than once in the top-level object; each key may appear once",
        ),
        ("[1, 2]", "is not a Jupyter notebook: the top level is an array, not an object"),
        ('{"cells": []}', "is not a Jupyter notebook: it has no 'nbformat' version"),
        ('{"nbformat": 4, "metadata": {}}', "is not a Jupyter notebook: it has no list of cells"),
        ('{"nbformat": 99, "cells": []}', "is not a Jupyter notebook nbformat reads: nbformat version 99"),
    ],
)
def test_not_a_notebook(tmp_path: Path, text: str, rule: str) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError) as err:
        cjm.read_notebook(path)
    assert str(err.value) == f"{path}: {rule}"
    assert err.value.path == str(path)


def test_a_journey_file_is_not_a_notebook(tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    templates.load("three_stage").to_json(path)
    with pytest.raises(FileFormatError) as err:
        cjm.read_notebook(path)
    rule = "is not a Jupyter notebook: it has no 'nbformat' version (a journey file: use read_json)"
    assert str(err.value) == f"{path}: {rule}"


def _tampered(tmp_path: Path, change: Any) -> Path:
    j = templates.load("three_stage")
    data = j._repr_mimebundle_()
    change(data[JOURNEY_MIME])
    output = new_output("execute_result", data=data, execution_count=1)
    nb = _one_output(output, before=new_markdown_cell("x"))
    path = tmp_path / "nb.ipynb"
    nbformat.write(nb, path)
    return path


def _column(doc: dict[str, Any], frame: str, name: str) -> list[Any]:
    return next(c["values"] for c in doc["frames"][frame]["columns"] if c["name"] == name)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (
            lambda doc: _column(doc, "stages", "order").__setitem__(0, "x"),
            "frame 'stages', row 'awareness', column 'order', value 'x': must be a whole number or null",
        ),
        (  # journey rules, not the schema: also a FileFormatError, naming the cell
            lambda doc: _column(doc, "stages", "id").__setitem__(1, "awareness"),
            "frame 'stages', row 'awareness', column 'id', value 'awareness': duplicate id",
        ),
        (
            lambda doc: _column(doc, "personas", "name").__setitem__(0, None),
            "frame 'personas', row 'target-customer', column 'name', value <NA>: a value is required",
        ),
    ],
)
def test_a_tampered_journey_names_the_cell(tmp_path: Path, change: Any, rule: str) -> None:
    path = _tampered(tmp_path, change)
    with pytest.raises(FileFormatError) as err:
        cjm.read_notebook(path)
    assert str(err.value) == f"{path}, cell 2: {rule}"
    assert err.value.path == str(path)


def test_a_journey_from_a_newer_release(tmp_path: Path) -> None:
    path = _tampered(tmp_path, lambda doc: doc.__setitem__("schema_version", 999))
    with pytest.raises(SchemaVersionError, match=r"cell 2 was written with journey schema version 999"):
        cjm.read_notebook(path)


def test_damaged_saved_state_names_the_cell(tmp_path: Path) -> None:
    j = templates.load("three_stage")
    editor = JourneyEditor(j)
    data, _meta = editor._repr_mimebundle_()
    snapshot = editor.get_state("snapshot")["snapshot"]
    damaged = {"snapshot": {**snapshot, "stages": "{oops"}}
    path = _notebook_file(tmp_path / "nb.ipynb", data, _saved(editor, damaged))
    with pytest.raises(FileFormatError) as err:
        cjm.read_notebook(path)
    assert str(err.value) == (
        f"{path}, cell 1: the editor's saved widget state is damaged: frame 'stages' "
        "is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"
    )
    editor.close()


def test_nan_in_another_output_does_not_stop_the_read(tmp_path: Path) -> None:
    # Python's json (and so nbformat) writes NaN for a float; such a notebook is still read.
    journey = templates.load("three_stage")
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x",
                outputs=[
                    new_output("display_data", data={"application/json": {"v": float("nan")}}),
                    new_output(
                        "display_data", data={"text/plain": "j", JOURNEY_MIME: json.loads(journey.to_json())}
                    ),
                ],
            )
        ]
    )
    path = tmp_path / "nan.ipynb"
    nbformat.write(nb, path)
    assert "NaN" in path.read_text(encoding="utf-8")
    (read,) = cjm.read_notebook(path).values()
    assert read.equals(journey)
