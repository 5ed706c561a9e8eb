"""The Journey row methods name every editable column of their frame as a typed keyword.

``model/specs.py`` is the one source of the columns: a column added there without its
keyword fails ``test_*_keywords_are_the_editable_columns`` (persona columns also
``test_persona_from_segment_keywords_are_the_editable_persona_columns``). Other names stay custom
columns (``**extra``), and each method does exactly what the generic ``add``/``update``
does with the same cells: same rows, same errors naming the column, same change events.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from cjm_jupyter import Journey
from cjm_jupyter.model import goals
from cjm_jupyter.model.fields import NOT_GIVEN, editable_columns, given_cells
from cjm_jupyter.model.specs import FRAMES
from cjm_jupyter.personas import persona_from_segment

from ..support.journeys import Recorder

#: method -> (frame, keywords of the method that are not columns, keyword -> column it sets)
ROW_METHODS: dict[str, tuple[str, set[str], dict[str, str]]] = {
    "add_persona": ("personas", {"id"}, {}),
    "update_persona": ("personas", set(), {}),
    "add_stage": ("stages", {"id", "position"}, {}),
    "update_stage": ("stages", set(), {}),
    # stage: the touchpoint's group (stage_id), set once here, then by move_touchpoint
    "add_touchpoint": ("touchpoints", {"id", "position", "stage"}, {}),
    "update_touchpoint": ("touchpoints", set(), {}),
    "add_goal": ("goals", {"id"}, {"stage": "stage_id", "touchpoint": "touchpoint_id"}),
}


def _named(fn: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    """The parameters a caller names (positional-or-keyword and keyword-only), without self."""
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    params = inspect.signature(fn).parameters.values()
    return {p.name: p for p in params if p.kind in kinds and p.name not in ("self", "journey")}


def _sample(frame: str, column: str) -> Any:
    """A valid value of ``column`` that no fixture row holds."""
    spec = FRAMES[frame].column(column)
    if spec.choices:
        return spec.choices[-1]
    return {"int": 3, "float": 2.5, "date": "2026-01-02"}.get(spec.kind, f"new {column}")


@pytest.mark.parametrize("method", list(ROW_METHODS))
def test_row_method_keywords_are_the_editable_columns(method: str) -> None:
    frame, own, renamed = ROW_METHODS[method]
    named = _named(getattr(Journey, method))
    if method.startswith("update_"):
        named.pop("id")  # the row's id: positional, not a cell
    columns = {renamed.get(name, name) for name in named} - own
    assert columns == set(editable_columns(frame))
    var = [
        p for p in inspect.signature(getattr(Journey, method)).parameters.values() if p.kind is p.VAR_KEYWORD
    ]
    assert [p.name for p in var] == ["extra"], "custom columns come in as **extra"


#: the persona made from a segment: its keywords set or override the measured cells
#: (name and the segment label are positional; profile is the data, id the row's id)
FROM_SEGMENT: dict[str, Callable[..., Any]] = {
    "personas.persona_from_segment": persona_from_segment,
    "Journey.add_persona_from_segment": Journey.add_persona_from_segment,
}


@pytest.mark.parametrize("name", list(FROM_SEGMENT))
def test_persona_from_segment_keywords_are_the_editable_persona_columns(name: str) -> None:
    fn = FROM_SEGMENT[name]
    named = _named(fn)
    # segment: the segment's label, written to the persona's segment column
    assert set(named) - {"profile", "id"} == set(editable_columns("personas"))
    overrides = set(named) - {"profile", "id", "segment", "name"}
    assert all(named[k].kind is inspect.Parameter.KEYWORD_ONLY for k in overrides)
    assert {named[k].default for k in overrides} == {NOT_GIVEN}, "not given keeps the measured cell"
    hints = inspect.get_annotations(fn, eval_str=True)
    assert all("NotGiven" in str(hints[k]) for k in overrides), hints
    var = [p for p in inspect.signature(fn).parameters.values() if p.kind is p.VAR_KEYWORD]
    assert [p.name for p in var] == ["extra"], "custom columns come in as **extra"


def test_the_journey_method_has_the_keywords_of_persona_from_segment() -> None:
    mine, theirs = _named(Journey.add_persona_from_segment), _named(persona_from_segment)
    assert set(mine) == set(theirs)
    assert all(mine[k].default == theirs[k].default for k in mine)


def test_goals_add_goal_has_the_keywords_of_journey_add_goal() -> None:
    mine, theirs = _named(Journey.add_goal), _named(goals.add_goal)
    assert list(mine) == list(theirs)
    for name in mine:
        assert mine[name].default == theirs[name].default, name


@pytest.mark.parametrize("method", ["update_persona", "update_stage", "update_touchpoint"])
def test_update_keywords_default_to_not_given_and_are_typed(method: str) -> None:
    named = _named(getattr(Journey, method))
    named.pop("id")
    assert {p.default for p in named.values()} == {NOT_GIVEN}
    assert all(p.kind is p.KEYWORD_ONLY for p in named.values())
    hints = inspect.get_annotations(getattr(Journey, method), eval_str=True)
    assert all("NotGiven" in str(hints[name]) for name in named), hints
    assert "None" not in str(hints["name"]), "a name is required: it cannot be emptied"


def test_editable_columns_leave_out_ids_and_positions() -> None:
    assert editable_columns("stages") == ("name", "description")
    assert "stage_id" not in editable_columns("touchpoints")  # changed by move_touchpoint
    assert editable_columns("goals")[:3] == ("name", "target", "comparison")
    assert all("id" not in editable_columns(f) and "order" not in editable_columns(f) for f in FRAMES)


def test_given_cells_drops_not_given_keeps_none_and_extra() -> None:
    got = given_cells("touchpoints", {"self": 1, "id": "x", "name": NOT_GIVEN, "owner": None}, {"kpi": 2})
    assert got == {"owner": None, "kpi": 2}


# -- each column accepted by keyword, as the generic add/update takes it --------------------
def test_add_persona_takes_every_column_by_keyword() -> None:
    values = {c: _sample("personas", c) for c in editable_columns("personas")}
    a, b = Journey("A"), Journey("A")
    pid = a.add_persona(**values, weight=2)
    assert pid == b.add("personas", **values, weight=2)
    assert a.equals(b)
    row = a.personas.iloc[0]
    assert row["validated_at"] == pd.Timestamp(date(2026, 1, 2)) and row["weight"] == 2
    assert all(row[c] == values[c] for c in values if c != "validated_at")


def test_add_persona_without_keywords_is_the_bare_generic_add() -> None:
    a, b = Journey("A"), Journey("A")
    a.add_persona("Lou")
    b.add("personas", name="Lou")
    assert a.equals(b)


def test_update_persona_takes_every_column_by_keyword(journey: Journey) -> None:
    values = {c: _sample("personas", c) for c in editable_columns("personas")}
    generic = journey.copy()
    heard = Recorder()
    journey.observe(heard)
    journey.update_persona("busy-bob", **values, note="x")
    generic.update("personas", "busy-bob", **values, note="x")
    assert journey.equals(generic)
    assert [(c.kind, c.ids, c.columns) for c in heard] == [("update", ("busy-bob",), (*values, "note"))]


def test_update_stage_takes_every_column_by_keyword(journey: Journey) -> None:
    generic = journey.copy()
    journey.update_stage("awareness", name="Discovery", description=None, colour="red")
    generic.update("stages", "awareness", name="Discovery", description=None, colour="red")
    assert journey.equals(generic)
    row = journey.stages.iloc[0]
    assert (row["name"], row["description"], row["colour"]) == ("Discovery", pd.NA, "red")


def test_update_touchpoint_takes_every_column_by_keyword(journey: Journey) -> None:
    values = {c: _sample("touchpoints", c) for c in editable_columns("touchpoints")}
    generic = journey.copy()
    journey.update_touchpoint("ads", **values, cost=1.5)
    generic.update("touchpoints", "ads", **values, cost=1.5)
    assert journey.equals(generic)
    row = journey.touchpoints.set_index("id").loc["ads"]
    assert {c: row[c] for c in values} == values and row["cost"] == 1.5


def test_add_goal_takes_every_column_by_keyword(journey: Journey) -> None:
    generic = journey.copy()
    gid = journey.add_goal(
        "Conversion", 3, "<", stage="purchase", segment="new", period="2026-Q1", unit="%",
        description="Keep it low", kpi="north star",
    )  # fmt: skip
    assert gid == generic.add(
        "goals", name="Conversion", target=3, comparison="<", stage_id="purchase", segment="new",
        period="2026-Q1", unit="%", description="Keep it low", kpi="north star",
    )  # fmt: skip
    assert journey.equals(generic)
    row = journey.goals.iloc[0]
    assert (row["unit"], row["description"], row["kpi"]) == ("%", "Keep it low", "north star")


# -- only what is passed changes ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "row_id"),
    [("update_persona", "busy-bob"), ("update_stage", "awareness"), ("update_touchpoint", "ads")],
)
def test_update_without_keywords_changes_nothing(journey: Journey, method: str, row_id: str) -> None:
    before = journey.copy()
    heard = Recorder()
    journey.observe(heard)
    getattr(journey, method)(row_id)
    assert journey.equals(before) and heard == []


def test_update_touchpoint_sets_only_what_is_passed(journey: Journey) -> None:
    heard = Recorder()
    journey.observe(heard)
    journey.update_touchpoint("checkout", channel=None)
    row = journey.touchpoints.set_index("id").loc["checkout"]
    assert (row["name"], row["channel"], row["owner"]) == ("Checkout", pd.NA, "Web team")
    assert [c.columns for c in heard] == [("channel",)]


# -- the errors of today, naming the column ----------------------------------------------------
def test_update_stage_refuses_order_as_before(journey: Journey, rejects: Callable[..., Any]) -> None:
    rejects(
        journey,
        lambda: journey.update_stage("awareness", order=2),
        "use the move_\\* methods to change position",
        frame="stages",
        row_id="awareness",
        column="order",
    )


def test_update_touchpoint_refuses_stage_id_as_before(journey: Journey, rejects: Callable[..., Any]) -> None:
    rejects(
        journey,
        lambda: journey.update_touchpoint("ads", stage_id="purchase"),
        "use the move_\\* methods to change position",
        frame="touchpoints",
        column="stage_id",
    )


def test_update_persona_refuses_a_bad_value_naming_the_column(
    journey: Journey, rejects: Callable[..., Any]
) -> None:
    rejects(journey, lambda: journey.update_persona("busy-bob", n=-1), "n", frame="personas", column="n")
    rejects(journey, lambda: journey.update_persona("busy-bob", name=None), "name", column="name")
    rejects(journey, lambda: journey.update_persona("busy-bob", basis="guess"), "basis", column="basis")


def test_add_persona_refuses_a_bad_value_naming_the_column(
    journey: Journey, rejects: Callable[..., Any]
) -> None:
    rejects(
        journey,
        lambda: journey.add_persona("Lou", validated_at="soon"),
        "validated_at",
        column="validated_at",
    )


def test_the_row_id_cannot_be_passed_twice(journey: Journey) -> None:
    with pytest.raises(TypeError, match="multiple values for argument 'id'"):
        journey.update_persona("busy-bob", id="bob")
