"""Synthetic logs and surveys built from a journey (analytics.make_events / make_surveys)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("duckdb")

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter import analytics as an


def test_same_seed_same_log(colleen):
    a = an.make_events(colleen, customers=300, seed=3)
    pd.testing.assert_frame_equal(a, an.make_events(colleen, customers=300, seed=3))
    assert not a.equals(an.make_events(colleen, customers=300, seed=4))


def test_log_shape_and_mapping(colleen):
    log = an.make_events(colleen, customers=500, seed=1)
    assert list(log.columns) == ["customer_id", "timestamp", "event", "channel"]
    assert set(log["event"]) <= set(colleen.event_map["event"])
    assert log["customer_id"].nunique() == 500  # everyone has a first-stage event
    ordered = log.groupby("customer_id")["timestamp"].apply(lambda t: t.is_monotonic_increasing)
    assert ordered.all()
    # channel is the channel of the event's touchpoint
    tp_of = dict(zip(colleen.event_map["event"], colleen.event_map["touchpoint_id"], strict=True))
    channel_of = dict(zip(colleen.touchpoints["id"], colleen.touchpoints["channel"], strict=True))
    assert (log["event"].map(tp_of).map(channel_of) == log["channel"]).all()


def test_stages_are_walked_in_order_with_the_continue_rate(colleen):
    log = an.make_events(colleen, customers=20_000, continue_rate=[0.5, 0.8, 0.9, 0.3], seed=2)
    fun = an.funnel(log, colleen)
    assert fun["customers"].iloc[0] == 20_000
    assert fun["conversion"].iloc[1:].to_numpy() == pytest.approx([0.5, 0.8, 0.9, 0.3], abs=0.02)
    # nobody skips a stage: each customer's stages appear in journey order
    variants = an.variants(log, colleen, top=50)
    assert all(p in "trigger > research > purchase > delivery > use" for p in variants["path"])


def test_segments_convert_differently(colleen):
    log = an.make_events(colleen, customers=20_000, segments={"mobile": 1.0, "desktop": 1.5}, seed=5)
    assert set(log["segment"]) == {"mobile", "desktop"}
    fun = an.funnel(log, colleen, segment_col="segment").set_index(["segment", "stage_id"])
    assert (
        fun.loc[("desktop", "research"), "conversion"] > fun.loc[("mobile", "research"), "conversion"] + 0.1
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"customers": 0}, "customers"),
        ({"continue_rate": [0.5]}, "continue_rate"),
        ({"continue_rate": 1.5}, "continue_rate"),
        ({"events_per_stage": 0.5}, "events_per_stage"),
        ({"segments": {"a": 0}}, "weights"),
    ],
)
def test_bad_arguments(colleen, kwargs, match):
    with pytest.raises(ValidationError, match=match):
        an.make_events(colleen, **kwargs)


def test_needs_an_event_mapping():
    j = Journey("x")
    j.add_stage("A")
    with pytest.raises(ValidationError, match="map_events") as info:
        an.make_events(j)
    assert info.value.frame == "event_map"


def test_surveys_follow_the_emotion_curve(colleen):
    log = an.make_events(colleen, customers=20_000, continue_rate=0.9, seed=6)
    surveys = an.make_surveys(log, colleen, response_rate=0.2, seed=6)
    assert list(surveys.columns) == ["customer_id", "touchpoint_id", "score"]
    assert surveys["score"].between(1, 5).all()
    tp_of = dict(zip(colleen.event_map["event"], colleen.event_map["touchpoint_id"], strict=True))
    visits = log.assign(tp=log["event"].map(tp_of))
    n_visits = len(visits[["customer_id", "tp"]].drop_duplicates())
    assert len(surveys) / n_visits == pytest.approx(0.2, abs=0.02)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        sat = an.satisfaction(surveys, colleen).set_index("touchpoint_id")
    curve = colleen.emotions.groupby("touchpoint_id")["score"].mean()
    both = sat.join(curve.rename("curve"), how="inner")
    assert np.corrcoef(both["mean"], both["curve"])[0, 1] > 0.9


def test_measure_a_template_end_to_end(colleen):
    j = colleen.copy()
    log = an.make_events(j, customers=2_000, seed=7)
    j.measure(log, an.make_surveys(log, j, seed=7), respondent_col="customer_id")
    measured = j.metrics[j.metrics["run_id"] == "measure"]  # the template's hand-typed rows stay
    assert set(measured["name"]) == {"customers", "conversion", "exit rate"}
    assert (measured["source"] == "analytics").all() and (measured["basis"] == "measured").all()
    assert set(colleen.metrics["id"]) <= set(j.metrics["id"])
    e = j.emotions
    assert ((e["source"] == "survey") & e["persona_id"].isna()).sum() == len(j.touchpoints)
