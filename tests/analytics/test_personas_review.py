"""Findings of the issue-13 review: id-like columns, shared persona names, bad tables and traits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import ValidationError, plots

pytest.importorskip("sklearn")
from cjm_jupyter.personas import make_customers, segment_customers, validate_personas


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return make_customers(300, seed=1).drop(columns="planted_segment")


def test_an_id_like_column_never_sets_a_segment_apart(customers):
    table = customers.assign(email=[f"u{i}@x" for i in range(len(customers))])
    profile = segment_customers(table, columns=["email", "age"], seed=0).profile
    email = profile[profile["column"] == "email"]
    assert (email["rank"] > 1).all()  # age sets the segments apart, not one-customer levels
    assert (email["effect_size"] < 0.5).all()


def test_a_persona_name_held_by_another_persona_is_refused(customers):
    j = cjm.templates.load("colleen")
    result = segment_customers(customers, seed=0)
    before = j.copy()
    for name in ("Curious Colleen", "curious-colleen"):
        with pytest.raises(ValidationError, match="already has the name") as err:
            j.add_persona_from_segment(result, 2, name=name)
        assert err.value.value == name
    assert j.equals(before)


def test_plots_refuse_a_name_two_personas_share():
    j = cjm.templates.load("colleen")
    j.add_persona("Curious Colleen", id="colleen-2")
    with pytest.raises(ValidationError, match=r"persona name 'Curious Colleen' is shared by .*; pass the id"):
        plots.compare_personas(j, personas=["Curious Colleen"])
    plots.emotion_curve(j, personas=["curious-colleen"])  # the id still picks one


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda c: c.assign(x=np.where(np.arange(len(c)) % 7 == 0, np.inf, 1.0)), "infinite values"),
        (lambda c: pd.concat([c[["age"]], c[["age"]]], axis=1), "repeats the column names 'age'"),
        (lambda c: pd.concat({"a": c[["age", "channel"]]}, axis=1), "multi-level column names"),
    ],
)
def test_bad_tables_get_a_clear_error(customers, make, message):
    table = make(customers)
    before = table.copy()
    with pytest.raises(ValidationError, match=message):
        segment_customers(table)
    pd.testing.assert_frame_equal(table, before)


def test_bad_traits_get_a_clear_error(customers):
    with pytest.raises(ValidationError, match="traits of persona 'A' must be a mapping"):
        validate_personas(customers, {"A": "age > 0"}, traits={"A": 30})
    with pytest.raises(ValidationError, match="low <= high"):
        validate_personas(customers, {"A": "age > 0"}, traits={"A": {"age": (40, 30)}})


def test_a_row_where_nothing_was_tested_names_no_test():
    from cjm_jupyter.analytics.compare import _finish, _row

    tested = _row("conversion", {"stage_id": "s1"}, "b", "a", n=10, value=0.5, baseline_value=0.4)
    tested.update(test="two-proportion z", effect="Cohen's h", p_value=0.2, statistic=1.0)
    empty = _row("conversion", {"stage_id": "s2"}, "b", "a", n=0, value=float("nan"), baseline_value=0.4)
    empty.update(test="two-proportion z", effect="Cohen's h")  # as a test that returned NaN leaves it
    out = _finish([tested, empty], "holm", 0.05)
    assert out["test"].iloc[0] == "two-proportion z" and pd.isna(out["test"].iloc[1])
    assert pd.isna(out["effect"].iloc[1]) and not out["significant"].iloc[1]


def test_top_two_box_refuses_a_scale_without_two_top_boxes():
    from cjm_jupyter import analytics

    j = cjm.templates.load("colleen")
    answers = pd.DataFrame({"touchpoint_id": [j.touchpoints["id"].iloc[0]] * 3, "score": [0.2, 0.9, 0.5]})
    with pytest.raises(ValidationError, match="whole-number points with at least 3"):
        analytics.top_two_box(answers, j, scale=(0.0, 1.0))


def test_nps_on_a_five_point_survey_warns():
    from cjm_jupyter import analytics

    j = cjm.templates.load("colleen")
    answers = pd.DataFrame({"touchpoint_id": [j.touchpoints["id"].iloc[0]] * 30, "score": [1, 3, 5] * 10})
    with pytest.warns(UserWarning, match="no answer of the 30 is above 5: is this a 0-10 NPS survey"):
        out = analytics.nps(answers, j)
    assert out["nps"].iloc[0] == -100
