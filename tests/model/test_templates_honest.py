"""The Colleen templates say what comes from the journey-mapping guides and what is illustrative.

The guides (see the project's domain notes) give the persona, her goal, struggle and
tasks, five opportunities and a five-item action plan, and no numbers. Anything else in
the templates is illustrative and must not read as data.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cjm_jupyter import Journey, templates
from cjm_jupyter.model.specs import FRAMES
from cjm_jupyter.plots.map import journey_map

#: ``source`` of Colleen rows whose content the journey-mapping guides give.
GUIDES = "journey-mapping guides"
#: ``source`` of Colleen rows the template made up to show a full map: not in the
#: guides and not data, so always with ``basis="assumed"`` (drawn hollow).
ILLUSTRATIVE = "illustrative"

#: Frames with a ``basis`` column (the ones the map can draw hollow).
WITH_BASIS = [name for name, spec in FRAMES.items() if "basis" in spec.column_names]


@pytest.fixture(scope="module", params=["colleen", "colleen_future"])
def template(request: pytest.FixtureRequest) -> Journey:
    return templates.load(request.param)


@pytest.fixture(scope="module")
def colleen() -> Journey:
    return templates.load("colleen")


def test_the_frames_with_a_basis() -> None:
    assert WITH_BASIS == ["personas", "emotions", "pain_points", "metrics"]


def test_no_row_is_measured_unless_the_guides_are_its_source(template: Journey) -> None:
    for name in WITH_BASIS:
        frame = template.frames[name]
        measured = frame[(frame["basis"] == "measured").fillna(False).to_numpy(dtype=bool)]
        assert (measured["source"] == GUIDES).all(), (name, measured["source"].tolist())
    # In fact nothing is: the guides' example is not anyone's customer data.
    for name in WITH_BASIS:
        frame = template.frames[name]
        assert set(frame["basis"].dropna()) <= {"assumed"}, name


def test_every_row_with_a_source_says_guides_or_illustrative(colleen: Journey) -> None:
    for name in WITH_BASIS:
        frame = colleen.frames[name]
        assert frame["source"].notna().all(), name
        assert set(frame["source"]) <= {GUIDES, ILLUSTRATIVE}, name
        assert (frame["basis"] == "assumed").all(), name


def test_the_persona_is_the_guides_and_assumed(template: Journey) -> None:
    persona = template.personas.iloc[0]
    assert (persona["name"], persona["source"], persona["basis"]) == (
        "Curious Colleen",
        GUIDES,
        "assumed",
    )
    assert pd.isna(persona["n"])


def test_the_numbers_the_guides_do_not_have_are_illustrative(colleen: Journey) -> None:
    metrics = colleen.metrics.set_index("name")
    expected = {
        "Bounce rate": 68.0,
        "Conversion rate": 1.8,
        "Cart abandonment": 74.0,
        "Average order value": 249.0,
        "CSAT": 3.9,
    }
    assert metrics["value"].to_dict() == expected
    assert (metrics["source"] == ILLUSTRATIVE).all() and (metrics["basis"] == "assumed").all()
    # No sample size anywhere: nobody was interviewed (n=8), surveyed (n=120) or
    # counted (41,250 sessions, 742 orders) for an illustrative value.
    for name in ("emotions", "metrics", "personas"):
        assert colleen.frames[name]["n"].isna().all(), name
    emotions = colleen.emotions
    assert (emotions["source"] == ILLUSTRATIVE).all() and (emotions["basis"] == "assumed").all()


def test_no_invented_count_hides_in_the_text(colleen: Journey) -> None:
    texts = " ".join(
        [colleen.description]
        + [
            str(v)
            for frame in colleen.frames.values()
            for column in frame.columns
            if frame[column].dtype == "string"
            for v in frame[column].dropna()
        ]
    )
    assert "Curious Colleen" in texts and "Illustrative: a usability test" in texts  # text was read
    for invented in ("6 of 8", "68%", "41,250", "41250", "~140", "74%", "n=8", "n=120"):
        assert invented not in texts, invented


def test_pain_point_evidence_names_where_it_comes_from(colleen: Journey) -> None:
    pains = colleen.pain_points.set_index("description")
    guides = pains[pains["source"] == GUIDES]
    assert guides["evidence"].to_dict() == {
        "Has to sort through too much content to find the key facts": (
            "The guides: frustrated by having to sort through content to find information"
        ),
        "Doubts that the new one will last longer than the old one": (
            "The guides: her old vacuum cleaner broke and she blames its poor quality"
        ),
    }
    illustrative = pains[pains["source"] == ILLUSTRATIVE]
    assert len(illustrative) == 4
    assert illustrative["evidence"].str.startswith("Illustrative: ").all()


def test_goals_say_their_targets_are_illustrative(colleen: Journey) -> None:
    goals = colleen.goals
    assert goals["name"].tolist() == ["Bounce rate", "Conversion rate", "CSAT"]
    assert (goals["description"] == "Illustrative target (not from the guides)").all()


def test_the_action_plan_reads_as_in_the_guides(colleen: Journey) -> None:
    assert colleen.actions["description"].tolist() == [
        "Add a chatbot for quick answers",
        "Build a comparison tool with benefits and costs",
        "Put benefit statements on all landing pages",
        "Run a social campaign on user-generated content",
        "Send review-collection surveys after purchase and pull testimonial quotes from them for the site",
    ]
    # Item 5 serves the guides' "show social proof" opportunity.
    opportunities = colleen.opportunities.set_index("id")["description"]
    assert opportunities[colleen.actions["opportunity_id"].iloc[4]] == "Show social proof"


def test_the_description_says_what_is_from_the_guides_and_what_is_illustrative(colleen: Journey) -> None:
    text = colleen.description
    assert text.startswith("Worked example from the journey-mapping guides, filled out to a full map. ")
    guides, illustrative = text.split(" Illustrative, not from the guides and not data: ")
    for item in ("Curious Colleen", "won't break again", "five opportunities", "five-item action plan"):
        assert item in guides, item
    for item in (
        "the emotion curve and its quotes",
        "the pain points' ratings and evidence",
        "every metric and KPI target",
        "the Backstage and KPIs lanes",
        "the action plan's owners, statuses and due dates",
    ):
        assert item in illustrative, item
    assert illustrative.endswith(
        "Rows from the guides have source 'journey-mapping guides', illustrative rows source "
        "'illustrative'; all have basis 'assumed' (drawn hollow) until you measure the map on "
        "your own data."
    )


def test_the_future_state_says_it_is_illustrative() -> None:
    future = templates.load("colleen_future")
    assert "Illustrative: the guides have no future state." in future.description
    assert set(future.emotions["source"]) == {ILLUSTRATIVE}
    assert set(future.pain_points["source"]) == {ILLUSTRATIVE}
    assert set(future.metrics["source"]) == {"target"}


def test_the_map_draws_every_colleen_emotion_hollow(colleen: Journey) -> None:
    layout = journey_map(colleen)
    [points] = [m for m in layout.references() if getattr(m, "name", None) == "emotion_points"]
    assert len(points.data["fill"]) == len(colleen.emotions) == 10
    assert set(points.data["fill"]) == {"#ffffff"}
    assert set(points.data["basis"]) == {"assumed"}
    assert set(points.data["source"]) == {ILLUSTRATIVE}
