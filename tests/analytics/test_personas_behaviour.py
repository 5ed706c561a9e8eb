"""behavioural_segments: customers grouped by how they moved through the journey."""

from __future__ import annotations

import json

import pandas as pd
import pytest

pytest.importorskip("sklearn")
from cjm_jupyter import ValidationError, templates
from cjm_jupyter.analytics import customer_profiles, make_events
from cjm_jupyter.personas import BEHAVIOUR_FEATURES, behavioural_segments
from cjm_jupyter.personas.behaviour import DEFAULT_FEATURES, behaviour_table


@pytest.fixture(scope="module")
def log_and_journey():
    j = templates.load("colleen")
    return make_events(j, customers=1500, seed=3), j


def test_features_come_from_customer_profiles(log_and_journey) -> None:
    log, j = log_and_journey
    table = behaviour_table(log, j)
    p = customer_profiles(log, j)
    assert list(table.columns) == ["customer_id", *BEHAVIOUR_FEATURES]
    assert table["customer_id"].tolist() == p["customer_id"].tolist()
    position = {sid: i + 1 for i, sid in enumerate(j.stages.sort_values("order")["id"])}
    assert table["furthest_stage"].tolist() == [float(position[s]) for s in p["furthest_stage_id"]]
    assert table["hours"].tolist() == (p["duration"].dt.total_seconds() / 3600).tolist()
    assert table["converted"].tolist() == ["yes" if c else "no" for c in p["converted"]]
    assert table["touchpoints"].tolist() == p["touchpoints"].astype(float).tolist()
    hours = (p["converted_at"] - p["first_seen"]).dt.total_seconds() / 3600
    assert table.loc[p["converted"], "hours_to_convert"].tolist() == hours[p["converted"]].tolist()
    assert (table.loc[~p["converted"], "hours_to_convert"] == hours.max() * 1.5).all()
    assert table["path"].nunique() == 5 and "(other)" not in set(table["path"])  # 5 paths: none pooled
    assert table["path"].value_counts().index[0] == "Trigger"


def test_segments_on_paths_and_time_to_convert(log_and_journey) -> None:
    log, j = log_and_journey
    result = behavioural_segments(log, j, k=3, seed=0, features=["path", "hours_to_convert", "touchpoints"])
    assert result.k == 3 and set(result.profile["column"]) == {"path", "hours_to_convert", "touchpoints"}
    assert json.loads(result.definition)["features"] == ["path", "hours_to_convert", "touchpoints"]


def test_early_leavers_and_progressers(log_and_journey) -> None:
    log, j = log_and_journey
    result = behavioural_segments(log, j, seed=0)
    assert result.k == 2  # silhouette 0.59 at k=2, below 0.55 for every other k
    table = behaviour_table(log, j).set_index("customer_id")
    assert result.assignments.index.equals(pd.Index(table.index))
    converted = table["converted"] == "yes"
    # every converter is in the segment that went furthest; the other never got past stage 3
    far = result.profile.query("column == 'furthest_stage'").sort_values("segment_value")["segment"].iloc[-1]
    assert set(result.assignments[converted]) == {far}
    assert table.loc[result.assignments != far, "furthest_stage"].max() <= 3
    top = result.profile[result.profile["rank"] == 1]["column"].tolist()
    assert top == ["furthest_stage", "furthest_stage"]
    d = json.loads(result.definition)
    assert d["features_from"] == "analytics.customer_profiles" and d["features"] == list(DEFAULT_FEATURES)
    assert result.profile.attrs["definition"] == result.definition


def test_chosen_features_and_determinism(log_and_journey) -> None:
    log, j = log_and_journey
    a = behavioural_segments(log, j, k=3, seed=1, features=["events", "hours"])
    b = behavioural_segments(log, j, k=3, seed=1, features=["events", "hours"])
    pd.testing.assert_series_equal(a.assignments, b.assignments)
    assert set(a.profile["column"]) == {"events", "hours"}


def test_unknown_feature(log_and_journey) -> None:
    log, j = log_and_journey
    with pytest.raises(ValidationError) as err:
        behavioural_segments(log, j, features=["events", "paths"])
    assert str(err.value) == (
        "column 'features', value ['paths']: features must be among "
        "['furthest_stage', 'stages', 'touchpoints', 'events', 'hours', 'hours_to_convert', "
        "'converted', 'path']"
    )
