"""The shipped templates: names, kinds, content, independence.

The data files themselves (index, schema, round trip, packaging) are checked in
test_templates_data.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import Journey, templates
from cjm_jupyter.model.validate import validate_journey

ALL = [
    "three_stage",
    "four_stage",
    "five_stage",
    "colleen",
    "colleen_future",
    "empathy",
    "day_in_the_life",
]

KINDS = {
    "three_stage": "current_state",
    "four_stage": "current_state",
    "five_stage": "current_state",
    "colleen": "current_state",
    "colleen_future": "future_state",
    "empathy": "empathy_map",
    "day_in_the_life": "day_in_the_life",
}

STAGES = {
    "three_stage": ["Awareness", "Interest", "Decision"],
    "four_stage": ["Investigation", "Comparison", "Purchase", "Activation and feedback"],
    "five_stage": ["Awareness", "Consideration", "Purchase", "Retention", "Advocacy"],
    "colleen": ["Trigger", "Research", "Purchase", "Delivery", "Use"],
    "colleen_future": ["Trigger", "Research", "Purchase", "Delivery", "Use"],
    "empathy": [],
    "day_in_the_life": ["Morning", "Work", "Lunch", "Afternoon", "Evening"],
}


@pytest.fixture(scope="module")
def loaded() -> dict[str, Journey]:
    return {name: templates.load(name) for name in ALL}


def test_names_lists_all_seven_in_order() -> None:
    assert templates.names() == ALL
    assert cjm.templates is templates


def test_names_returns_a_new_list() -> None:
    templates.names().append("nope")
    assert templates.names() == ALL


@pytest.mark.parametrize("bad", ["nope", "Colleen", "", None, 3])
def test_unknown_name_lists_the_known_ones(bad: object) -> None:
    with pytest.raises(ValueError, match="unknown template") as info:
        templates.load(bad)  # type: ignore[arg-type]
    for name in ALL:
        assert name in str(info.value)


@pytest.mark.parametrize("name", ALL)
def test_template_is_a_valid_journey_of_its_kind(name: str, loaded: dict[str, Journey]) -> None:
    j = loaded[name]
    assert isinstance(j, Journey)
    assert j.kind == KINDS[name]
    assert j.name.strip()
    validate_journey(j.frames, j.meta)  # raises when any rule is broken
    assert j.stages["name"].tolist() == STAGES[name]
    assert j.stages["order"].tolist() == list(range(len(STAGES[name])))
    # Every stage of a staged map has touchpoints, and every template has a persona.
    if STAGES[name]:
        assert set(j.touchpoints["stage_id"]) == set(j.stages["id"])
    assert len(j.personas) >= 1


@pytest.mark.parametrize("name", ALL)
def test_load_returns_fresh_independent_journeys(name: str) -> None:
    a, b = templates.load(name), templates.load(name)
    assert a is not b
    assert a.equals(b)
    a.name = "changed"
    a.add_persona("Someone else")
    assert b.name != "changed"
    assert "Someone else" not in b.personas["name"].tolist()
    assert templates.load(name).equals(b)


def test_three_stage_matches_the_guides_example(loaded: dict[str, Journey]) -> None:
    j = loaded["three_stage"]
    tps = j.touchpoints.merge(
        j.stages[["id", "name"]], left_on="stage_id", right_on="id", suffixes=("", "_stage")
    )
    by_stage = tps.groupby("name_stage", sort=False)["name"].apply(list).to_dict()
    assert by_stage == {
        "Awareness": ["Social media", "Ads"],
        "Interest": ["Website", "Reviews"],
        "Decision": ["Online store", "Offline store"],
    }
    actions = tps.groupby("name_stage", sort=False)["action"].apply(set).to_dict()
    assert actions == {
        "Awareness": {"Searches for information"},
        "Interest": {"Compares products"},
        "Decision": {"Buys"},
    }


def test_colleen_persona_is_complete(loaded: dict[str, Journey]) -> None:
    persona = loaded["colleen"].personas.iloc[0]
    assert persona["name"] == "Curious Colleen"
    assert persona["age"] == "32"
    for column in (
        "description",
        "income",
        "occupation",
        "psychographics",
        "behaviour",
        "goals",
        "needs",
        "motivations",
        "frustrations",
        "channels",
    ):
        assert pd.notna(persona[column]) and persona[column].strip(), column
    assert "married" in persona["description"]
    assert "no children" in persona["income"]
    assert "partner" in persona["occupation"]
    assert "won't break again" in persona["goals"]
    assert "Quality" in persona["motivations"]
    assert "sort through content" in persona["frustrations"]


def test_colleen_has_the_five_opportunities_and_the_action_plan(loaded: dict[str, Journey]) -> None:
    j = loaded["colleen"]
    assert j.opportunities["description"].tolist() == [
        "Make benefits obvious fast",
        "Show social proof",
        "Restructure site information hierarchy",
        "Customer-service tools",
        "Comparison charts against competitors",
    ]
    # Every opportunity answers a pain point and sits at a stage or touchpoint.
    opps = j.opportunities
    assert opps["pain_point_id"].notna().all()
    assert (opps["stage_id"].notna() | opps["touchpoint_id"].notna()).all()

    actions = j.actions
    assert len(actions) == 5
    text = " ".join(actions["description"]).lower()
    for word in (
        "chatbot",
        "comparison tool",
        "benefit statements",
        "user-generated content",
        "review-collection",
    ):
        assert word in text, word
    assert actions["owner"].notna().all()
    assert actions["opportunity_id"].notna().all()
    assert actions["due"].notna().all()
    assert str(actions["due"].dtype).startswith("datetime64")
    assert set(actions["status"]) <= {"planned", "in_progress", "done", "blocked", "dropped"}
    assert len(set(actions["status"])) > 1


def test_colleen_emotion_curve_is_illustrative(loaded: dict[str, Journey]) -> None:
    # The guides have no emotion curve: every point is the template's, drawn hollow.
    emo = loaded["colleen"].emotions
    assert len(emo) == 10
    assert set(emo["basis"]) == {"assumed"}
    assert set(emo["source"]) == {"illustrative"}
    assert emo["n"].isna().all()
    assert emo["score"].between(-2, 2).all()
    assert emo["score"].min() == -2 and emo["score"].max() == 2
    assert emo["feeling"].notna().all() and emo["thought"].notna().all()


def test_colleen_pain_points_metrics_and_lanes(loaded: dict[str, Journey]) -> None:
    j = loaded["colleen"]
    pains = j.pain_points
    assert len(pains) >= 5
    assert pains[["severity", "frequency", "evidence", "source"]].notna().all().all()
    assert set(pains["basis"]) == {"assumed"}
    assert set(pains["source"]) == {"journey-mapping guides", "illustrative"}
    metrics = j.metrics
    assert {"Conversion rate", "Bounce rate"} <= set(metrics["name"])
    assert set(metrics["source"]) == {"illustrative"}
    assert (metrics["basis"] == "assumed").all()
    assert j.lane_names == ["Backstage", "KPIs"]


def test_colleen_future_is_better_and_comparable(loaded: dict[str, Journey]) -> None:
    now, future = loaded["colleen"], loaded["colleen_future"]
    # Same persona and stage ids, so the two maps can be compared row by row.
    assert now.personas["id"].tolist() == future.personas["id"].tolist()
    assert now.stages["id"].tolist() == future.stages["id"].tolist()
    assert set(now.touchpoints["id"]) < set(future.touchpoints["id"])
    added = set(future.touchpoints["name"]) - set(now.touchpoints["name"])
    assert {"Chatbot", "Comparison tool"} <= added
    # The curve is better on average and nowhere worse at a place both maps share.
    assert future.emotions["score"].mean() > now.emotions["score"].mean() + 0.5
    keys = ["persona_id", "stage_id", "touchpoint_id"]
    best_now = now.emotions.groupby(keys, dropna=False)["score"].max().rename("now")
    both = future.emotions.join(best_now, on=keys, how="inner")
    assert len(both) >= 8
    assert (both["score"] >= both["now"]).all()
    assert len(future.pain_points) < len(now.pain_points)
    assert (future.metrics["basis"] == "assumed").all()


def test_empathy_map_fills_all_four_quadrants(loaded: dict[str, Journey]) -> None:
    j = loaded["empathy"]
    counts = j.empathy["quadrant"].value_counts()
    assert set(counts.index) == {"says", "thinks", "does", "feels"}
    assert (counts >= 2).all()
    assert set(j.empathy["persona_id"]) == set(j.personas["id"])
    assert j.stages.empty


def test_day_in_the_life_has_moments_with_and_without_the_brand(loaded: dict[str, Journey]) -> None:
    j = loaded["day_in_the_life"]
    assert set(j.touchpoints["with_brand"]) == {True, False}
    assert str(j.touchpoints["with_brand"].dtype) == "boolean"
    assert j.lane_names == ["Without the brand", "With the brand"]
    lanes = j.lanes
    assert lanes["text"].notna().all()
    assert len(lanes) == 2 * len(j.stages)
