"""persona_from_segment / Journey.add_persona_from_segment: measured facts in, narrative left to a human."""

from __future__ import annotations

import json

import pandas as pd
import pytest

pytest.importorskip("sklearn")
from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.personas import make_customers, persona_from_segment, segment_customers


@pytest.fixture(scope="module")
def result():
    t = make_customers(900, segments=3, seed=4).drop(columns="planted_segment")
    return segment_customers(t, customer_col="customer_id", k=3, seed=0)


def test_card_carries_the_measured_facts(result) -> None:
    j = Journey("Shop")
    pid = persona_from_segment(j, result, 2)
    row = j.personas.set_index("id").loc[pid]
    seg = result.profile[result.profile["segment"] == 2].sort_values("rank")
    size = int(seg["size"].iloc[0])
    top = seg.head(3)
    assert row["name"] == "Segment 2 (name me)"
    assert row["source"] == "kmeans" and row["basis"] == "measured"
    assert row["n"] == size and row["segment"] == "2"
    assert row["segment_definition"] == result.definition
    assert json.loads(row["segment_definition"])["k"] == 3
    assert row["description"] == (
        f"Measured segment 2 of 3 (kmeans on 900 customers): {size:,} customers "
        f"({size / 900:.0%}). Set apart most by {', '.join(top['column'])}."
    )
    assert row["behaviour"] == "; ".join(top["trait"])
    # profile columns that are persona fields get the segment's typical value
    typical = seg.set_index("column")["typical"]
    assert row["age"] == typical["age"] and row["channels"] == typical["channel"]
    assert row["location"] == typical["region"]
    # the story is a human's job
    for field in ("goals", "needs", "motivations", "frustrations", "psychographics"):
        assert pd.isna(row[field])


def test_journey_method_name_fields_and_profile_frame_alone(result) -> None:
    j = Journey("Shop")
    pid = j.add_persona_from_segment(result.profile, "1", name="Mobile Mia", goals="Buy fast", id="mia")
    row = j.personas.set_index("id").loc[pid]
    assert pid == "mia" and row["name"] == "Mobile Mia" and row["goals"] == "Buy fast"
    assert row["segment_definition"] == result.definition and row["segment"] == "1"


@pytest.mark.parametrize(
    ("segment", "fields", "message"),
    [
        (9, {}, "column 'segment', value 9: no such segment in the profile (segments: 1, 2, 3)"),
        (
            1,
            {"basis": "guess"},
            "frame 'personas', row 'segment-1-name-me', column 'basis', value 'guess': "
            "must be one of measured, assumed",
        ),
    ],
)
def test_errors_leave_the_journey_unchanged(result, segment, fields, message) -> None:
    j = Journey("Shop")
    j.add_persona("Existing")
    before = j.personas.copy()
    with pytest.raises(ValidationError) as err:
        persona_from_segment(j, result, segment, **fields)
    assert str(err.value) == message
    pd.testing.assert_frame_equal(j.personas, before)


def test_not_a_profile_is_refused() -> None:
    j = Journey("Shop")
    with pytest.raises(ValidationError) as err:
        persona_from_segment(j, pd.DataFrame({"segment": [1]}), 1)
    assert str(err.value) == "column 'size': not a segment profile: no column 'size'"
    with pytest.raises(ValidationError) as err:
        persona_from_segment(j, {"segment": 1}, 1)
    assert str(err.value) == "profile must be a segment_customers result or its profile frame, not dict"
    assert j.personas.empty


def test_segment_of_one_customer_is_no_persona() -> None:
    t = pd.DataFrame({"x": [0.0, 0.1, 0.2, 0.3] * 5 + [10.0, 10.1, 10.2, 10.3] * 5 + [1000.0]})
    one = segment_customers(t, k=3)
    j = Journey("Shop")
    with pytest.raises(ValidationError) as err:
        j.add_persona_from_segment(one, 3)
    assert str(err.value) == (
        "column 'segment', value 3: segment 3 has 1 customer: too few to stand for a persona (at least 2)"
    )
    assert j.personas.empty


def test_keywords_override_measured_cells_none_empties_and_others_are_custom_columns(result) -> None:
    plain, told = Journey("Shop"), Journey("Shop")
    persona_from_segment(plain, result, 2)
    persona_from_segment(told, result, 2, "Deal Dana", age="40-49", behaviour=None, goals="Save",
                         n=7, narrative="Waits for sales", id="dana")  # fmt: skip
    before, row = plain.personas.iloc[0], told.personas.set_index("id").loc["dana"]
    assert (row["name"], row["age"], row["goals"], row["n"]) == ("Deal Dana", "40-49", "Save", 7)
    assert pd.isna(row["behaviour"]), "None empties a measured cell"
    assert row["narrative"] == "Waits for sales", "any other name is a custom column"
    for kept in ("description", "location", "channels", "source", "basis", "segment", "segment_definition"):
        assert row[kept] == before[kept], f"{kept}: a keyword not given keeps the measured value"


def test_the_journey_method_makes_the_same_persona_as_the_function(result) -> None:
    cells = {"needs": "Speed", "validated_at": "2026-01-02", "source": "survey", "mood": "calm"}
    a, b = Journey("Shop"), Journey("Shop")
    persona_from_segment(a, result, 3, name="Three", **cells)
    b.add_persona_from_segment(result, 3, name="Three", **cells)
    assert a.equals(b)
    assert a.personas.iloc[0]["source"] == "survey" and a.personas.iloc[0]["mood"] == "calm"
