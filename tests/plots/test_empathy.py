"""The empathy map (cjm_jupyter.plots.empathy): quadrants, notes, personas, hook and safety."""

from __future__ import annotations

import json

import pytest
from bokeh.embed import json_item
from bokeh.models import (
    ColumnDataSource,
    Div,
    HoverTool,
    LayoutDOM,
    Markup,
    Paragraph,
    PlainText,
    PreText,
    Title,
)

from cjm_jupyter import Journey, ValidationError, templates
from cjm_jupyter.plots import empathy_map, journey_map
from cjm_jupyter.plots.empathy import QUADRANT_TITLES

IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>alert(1)</script>"


def source(obj: LayoutDOM, name: str) -> ColumnDataSource:
    found = [m for m in obj.references() if isinstance(m, ColumnDataSource) and m.name == name]
    assert len(found) == 1, f"{len(found)} sources named {name!r}"
    return found[0]


def hovers(obj: LayoutDOM) -> list[HoverTool]:
    return [m for m in obj.references() if isinstance(m, HoverTool)]


def two_personas() -> tuple[Journey, str, str]:
    j = Journey("Team map", kind="empathy_map")
    a = j.add_persona("Alex", age="41", occupation="Nurse")
    b = j.add_persona("Bea")
    j.add_empathy(b, "says", "B says")
    j.add_empathy(b, "feels", "B feels", source="workshop")
    j.add_empathy(a, "does", "A does")
    return j, a, b


def test_quadrant_labels_in_order() -> None:
    fig = empathy_map(templates.load("empathy"))
    quads = source(fig, "empathy_quadrants").data
    assert quads["quadrant"] == ["says", "thinks", "does", "feels"]
    assert quads["title"] == ["SAYS", "THINKS", "DOES", "FEELS"]
    # Says and Does on the left, Thinks and Feels on the right; Says/Thinks on top.
    left, top = quads["left"], quads["top"]
    assert left[0] == left[2] < left[1] == left[3]
    assert top[0] == top[1] > top[2] == top[3]


def test_one_note_per_entry_in_its_quadrant() -> None:
    j = templates.load("empathy")
    notes = source(empathy_map(j), "empathy_notes").data
    assert sorted(notes["id"]) == sorted(j.empathy["id"])
    for key, title in QUADRANT_TITLES.items():
        expected = (j.empathy["quadrant"] == key).sum()
        assert notes["quadrant"].count(title) == expected > 0
    assert len({len(v) for v in notes.values()}) == 1  # not ragged
    # Full text kept for the hover; the canvas label is wrapped text.
    by_id = dict(zip(j.empathy["id"], j.empathy["text"], strict=True))
    assert all(notes["text"][i] == by_id[notes["id"][i]] for i in range(len(notes["id"])))


def test_notes_do_not_overlap_and_stay_in_their_quadrant() -> None:
    j = Journey("Busy", kind="empathy_map")
    p = j.add_persona("Pat")
    for i in range(9):
        j.add_empathy(p, "thinks", f"Thought number {i} " + "and a rather long sentence " * (i % 4))
    j.add_empathy(p, "says", "x" * 400)
    fig = empathy_map(j, width=600)
    d = source(fig, "empathy_notes").data
    boxes = list(zip(d["left"], d["right"], d["bottom"], d["top"], strict=True))
    for i, (l1, r1, b1, t1) in enumerate(boxes):
        for l2, r2, b2, t2 in boxes[i + 1 :]:
            assert r1 <= l2 or r2 <= l1 or t1 <= b2 or t2 <= b1, "notes overlap"
    q = source(fig, "empathy_quadrants").data
    thinks = q["quadrant"].index("thinks")
    for (lft, r, b, t), quad in zip(boxes, d["quadrant"], strict=True):
        if quad == "Thinks":
            assert q["left"][thinks] <= lft < r <= q["right"][thinks]
            assert q["bottom"][thinks] <= b < t <= q["top"][thinks]
    long = d["label"][d["quadrant"].index("Says")]
    assert long.endswith("…") and long.count("\n") <= 4
    # The thinks quadrant grew with its notes: the canvas is taller than the template's.
    assert fig.frame_height > empathy_map(templates.load("empathy"), width=600).frame_height


def test_hover_fields_are_plain_tuples() -> None:
    fig = empathy_map(templates.load("empathy"))
    (tool,) = hovers(fig)
    assert isinstance(tool.tooltips, list)
    assert all(isinstance(t, tuple) and len(t) == 2 for t in tool.tooltips)
    fields = {v.removeprefix("@").strip("{}") for _, v in tool.tooltips}
    assert {"quadrant", "text", "source", "basis", "id"} <= fields
    assert fields <= set(source(fig, "empathy_notes").data)


def test_persona_in_the_centre_with_age_and_occupation() -> None:
    j, a, _ = two_personas()
    fig = empathy_map(j, persona=a)
    canvas = json.dumps(json_item(fig))
    assert "Alex" in canvas and "41 \\u00b7 Nurse" in canvas
    assert source(fig, "empathy_notes").data["text"] == ["A does"]


def test_default_persona_is_the_first_with_entries() -> None:
    j, _, _ = two_personas()
    j2 = Journey("Only Bea")
    j2.add_persona("Nobody")
    pid = j2.add_persona("Bea")
    j2.add_empathy(pid, "says", "hello")
    assert source(empathy_map(j2), "empathy_notes").data["text"] == ["hello"]
    # Alex comes first and has an entry.
    assert source(empathy_map(j), "empathy_notes").data["text"] == ["A does"]
    assert sorted(source(empathy_map(j, persona="Bea"), "empathy_notes").data["text"]) == [
        "B feels",
        "B says",
    ]


def test_assumed_sources_are_dashed() -> None:
    j, _, b = two_personas()
    d = source(empathy_map(j, persona=b), "empathy_notes").data
    basis = dict(zip(d["text"], zip(d["basis"], d["dash"], strict=True), strict=True))
    assert basis["B feels"] == ("assumed", "dashed")
    assert basis["B says"] == ("\u2014", "solid")  # no source given


def test_unknown_persona_lists_valid_ids() -> None:
    j, a, b = two_personas()
    with pytest.raises(ValidationError) as err:
        empathy_map(j, persona="nobody")
    assert a in str(err.value) and b in str(err.value)


def test_no_entries_says_what_to_add() -> None:
    j = Journey("Blank", kind="empathy_map")
    j.add_persona("Pat")
    with pytest.raises(ValidationError, match="add_empathy"):
        empathy_map(j)
    with pytest.raises(ValidationError, match="add_empathy"):
        j.plot()  # an empathy-map journey is delegated, and says what is missing


def test_too_narrow_width_is_rejected() -> None:
    with pytest.raises(ValidationError, match="width"):
        empathy_map(templates.load("empathy"), width=100)


def test_persona_without_entries_gives_an_empty_canvas() -> None:
    j, _, _ = two_personas()
    c = j.add_persona("Cy")
    fig = empathy_map(j, persona=c)
    assert source(fig, "empathy_notes").data["id"] == []
    assert "No entries yet" in json.dumps(json_item(fig))


def test_template_plot_is_the_empathy_map() -> None:
    j = templates.load("empathy")
    fig = j.plot()
    assert fig.name == "empathy_map"
    assert len(source(fig, "empathy_notes").data["id"]) == len(j.empathy)
    assert journey_map(j, width=700).frame_width == 700


def test_journey_map_passes_the_first_persona() -> None:
    j, a, b = two_personas()
    assert source(j.plot(personas=[b, a]), "empathy_notes").data["text"] == ["B says", "B feels"]
    with pytest.raises(ValidationError):
        j.plot(personas=["nope"])


def test_journeys_with_stages_keep_the_swimlane_map() -> None:
    j = templates.load("colleen")
    assert journey_map(j).name == "journey_map"
    assert journey_map(Journey("Nothing yet")).name == "journey_map"  # the "No stages yet" stub


def test_user_text_never_reaches_html_models() -> None:
    j = Journey(SCRIPT, kind="empathy_map")
    p = j.add_persona(SCRIPT, occupation=IMG)
    for quadrant in ("says", "thinks", "does", "feels"):
        j.add_empathy(p, quadrant, IMG, source=SCRIPT)
    fig = j.plot()
    for model in fig.references():
        assert not isinstance(model, (Div, Paragraph, PreText, Markup)), type(model).__name__
        if isinstance(model, Title):
            assert isinstance(model.text, PlainText)
        if isinstance(model, HoverTool):
            assert isinstance(model.tooltips, list)
            for item in model.tooltips:
                assert isinstance(item, tuple)
                label, value = item
                assert "<" not in label and "<" not in value and value.startswith("@")
                assert "{safe}" not in value
    text = json.dumps(json_item(fig))
    assert "onerror" in text and "alert(1)" in text  # present, as plain data
