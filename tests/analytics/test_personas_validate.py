"""validate_personas: coverage, overlap and trait distance of hand-made personas, and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cjm_jupyter import ValidationError
from cjm_jupyter.personas import make_customers, validate_personas

TABLE = pd.DataFrame(
    {
        "age": [22.0, 30.0, 41.0, 67.0, np.nan, 35.0],
        "device": ["mobile", "mobile", "desktop", "desktop", "mobile", None],
        "spend": [10, 20, 30, 40, 50, 60],
    }
)


def test_coverage_overlap_and_summary_hand_computed() -> None:
    check = validate_personas(TABLE, {"Mia": "age < 35", "Mo": "device == 'mobile'", "Don": "spend >= 40"})
    # Mia: rows 0, 1 (NaN age fails); Mo: rows 0, 1, 4 (None fails); Don: rows 3, 4, 5
    assert check.coverage[["persona", "matched", "only"]].values.tolist() == [
        ["Mia", 2, 0],
        ["Mo", 3, 0],
        ["Don", 3, 2],
    ]
    assert check.coverage["share"].tolist() == [2 / 6, 3 / 6, 3 / 6]
    assert check.coverage["rule"].tolist() == ["age < 35", "device == 'mobile'", "spend >= 40"]
    assert check.summary == {
        "customers": 6,
        "matched_any": 5,
        "share_any": 5 / 6,
        "matched_several": 3,
        "share_several": 3 / 6,
        "unmatched": 1,
        "share_unmatched": 1 / 6,
    }
    o = check.overlap.set_index(["persona", "other"])
    assert len(o) == 6
    assert o.loc[("Mia", "Mo"), "both"] == 2 and o.loc[("Mia", "Mo"), "share_of_persona"] == 1.0
    assert o.loc[("Mo", "Mia"), "share_of_persona"] == pytest.approx(2 / 3)
    assert o.loc[("Mo", "Don"), "both"] == 1 and o.loc[("Mo", "Don"), "share"] == pytest.approx(1 / 6)
    assert o.loc[("Mia", "Don"), "both"] == 0


def test_trait_distances() -> None:
    traits = {
        "Mia": {"age": 25, "device": "mobile", "spend": (0, 12)},
        "Don": {"device": ["desktop", "tablet"]},
    }
    check = validate_personas(TABLE, {"Mia": "age < 35", "Don": "spend >= 40"}, traits=traits)
    t = check.traits.set_index(["persona", "column"])
    age = t.loc[("Mia", "age")]
    # matched ages 22, 30: mean 26, sd 5.657; stated 25 is 0.177 sd below
    assert age["kind"] == "numeric" and age["n"] == 2 and age["value"] == 26.0 and age["typical"] == 26.0
    assert age["distance"] == pytest.approx((25 - 26) / np.std([22, 30], ddof=1))
    assert age["agrees"] == 0.0
    spend = t.loc[("Mia", "spend")]  # spends 10, 20; range (0, 12): nearest end 12, half inside
    assert spend["distance"] == pytest.approx((12 - 15) / np.std([10, 20], ddof=1))
    assert spend["agrees"] == 0.5
    device = t.loc[("Mia", "device")]
    assert device["kind"] == "categorical" and device["value"] == 1.0 and device["distance"] == 0.0
    don = t.loc[("Don", "device")]  # rows 3, 4, 5: desktop, mobile, None -> 1 of 2 with a value
    assert don["n"] == 2 and don["agrees"] == 0.5 and don["distance"] == 0.5


def test_persona_matching_no_one_has_nan_traits() -> None:
    check = validate_personas(TABLE, {"Old": "age > 90"}, traits={"Old": {"age": 95, "device": "desktop"}})
    assert check.coverage["matched"].tolist() == [0]
    assert check.traits["n"].tolist() == [0, 0]
    assert all(math.isnan(v) for v in check.traits["distance"])
    assert check.overlap.empty


@pytest.mark.parametrize(
    ("rules", "traits", "message"),
    [
        ({"Mia": "agee < 35"}, None, "column 'agee': the rule of persona 'Mia' names an unknown column"),
        (
            {"Mia": "age < @limit"},
            None,
            "value 'age < @limit': the rule of persona 'Mia' uses @limit: rules see the table's columns only",
        ),
        (
            {"Mia": "age + 1"},
            None,
            "value 'age + 1': the rule of persona 'Mia' is not a condition (true/false per customer)",
        ),
        ({"Mia": ""}, None, "value '': the rule of persona 'Mia' must be a pandas query string"),
        ({}, None, "no persona rules given"),
        (
            {"Mia": "age < 35"},
            {"Max": {"age": 3}},
            "value 'Max': traits given for persona 'Max', which has no rule",
        ),
        (
            {"Mia": "age < 35"},
            {"Mia": {"height": 3}},
            "column 'height': a trait of persona 'Mia' names an unknown column",
        ),
        (
            {"Mia": "age < 35"},
            {"Mia": {"age": "young"}},
            "value 'young': a numeric trait must be a number or a (low, high) range",
        ),
    ],
)
def test_bad_rules_and_traits(rules, traits, message) -> None:
    with pytest.raises(ValidationError) as err:
        validate_personas(TABLE, rules, traits=traits)
    assert str(err.value) == message


def test_invalid_query_and_empty_table() -> None:
    with pytest.raises(ValidationError) as err:
        validate_personas(TABLE, {"Mia": "age <<< 3"})
    prefix = "value 'age <<< 3': the rule of persona 'Mia' is not a valid pandas query: "
    assert str(err.value).startswith(prefix)
    with pytest.raises(ValidationError) as err:
        validate_personas(TABLE.iloc[:0], {"Mia": "age < 35"})
    assert str(err.value) == "the customer table is empty"


def test_planted_personas_fit_their_customers_and_a_wrong_one_does_not() -> None:
    t = make_customers(3000, segments=3, seed=2)
    rules = {
        "Young mobile": "age < 33 and device == 'mobile'",
        "Loyal regular": "orders_per_year >= 10",
        "Big basket": "basket_value > 110",
    }
    traits = {"Young mobile": {"age": 26, "channel": "app"}, "Big basket": {"age": 60, "channel": "phone"}}
    check = validate_personas(t, rules, traits=traits)
    assert check.summary["share_any"] > 0.85 and check.summary["share_several"] < 0.05
    d = check.traits.set_index(["persona", "column"])["distance"]
    assert abs(d[("Young mobile", "age")]) < 0.3 and d[("Young mobile", "channel")] < 0.3
    assert d[("Big basket", "age")] > 2 and d[("Big basket", "channel")] == 1.0  # stated traits are off
