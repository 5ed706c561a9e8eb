"""Which stage a row sits in (cjm_jupyter.model.placement): one rule for every frame."""

from __future__ import annotations

import pandas as pd

from cjm_jupyter import Journey, templates
from cjm_jupyter.model.placement import place_of_rows, stage_of, stage_of_rows


def _journey() -> Journey:
    j = Journey("Placement")
    j.add_persona("Pat", id="pat")
    j.add_stage("Discover", id="s1")
    j.add_stage("Buy", id="s2")
    j.add_stage("Use", id="s3")
    j.add_touchpoint("s1", "Ad", id="t1")
    j.add_touchpoint("s2", "Checkout", id="t2")
    j.set_emotion("pat", score=1, touchpoint="t2")
    j.set_emotion(None, score=-1, stage="s3")
    j.add_pain_point("Slow checkout", touchpoint="t2", id="p-tp")
    j.add_pain_point("Confusing ads", stage="s1", id="p-stage")
    j.add_opportunity("Faster checkout", pain_point="p-tp", id="o-via-pain")
    j.add_opportunity("Better ads", stage="s1", id="o-stage")
    j.add_opportunity("Help pages", touchpoint="t1", id="o-tp")
    j.add_action("Profile checkout", opportunity="o-via-pain", id="a-via-opp")
    j.add_action("Rewrite ads", stage="s3", id="a-stage")
    j.add_action("Someday", id="a-none")
    return j


def test_stages_sit_in_themselves_and_touchpoints_in_their_stage() -> None:
    frames = _journey()._frames
    assert stage_of_rows(frames, "stages").tolist() == ["s1", "s2", "s3"]
    assert stage_of_rows(frames, "touchpoints").tolist() == ["s1", "s2"]
    assert place_of_rows(frames, "touchpoints")["touchpoint_id"].tolist() == ["t1", "t2"]


def test_rows_at_a_touchpoint_sit_in_its_stage_others_in_their_own() -> None:
    frames = _journey()._frames
    assert stage_of_rows(frames, "emotions").tolist() == ["s2", "s3"]
    assert stage_of_rows(frames, "pain_points").tolist() == ["s2", "s1"]
    assert place_of_rows(frames, "pain_points")["touchpoint_id"].tolist() == ["t2", None]


def test_an_opportunity_without_a_place_sits_at_its_pain_point_touchpoint_included() -> None:
    frames = _journey()._frames
    place = place_of_rows(frames, "opportunities")
    assert place["stage_id"].tolist() == ["s2", "s1", "s1"]
    assert place["touchpoint_id"].tolist() == ["t2", None, "t1"]


def test_an_action_without_a_stage_sits_in_its_opportunitys_stage() -> None:
    frames = _journey()._frames
    assert stage_of_rows(frames, "actions").tolist() == ["s2", "s3", None]


def test_the_touchpoint_wins_over_a_stage_id_and_an_unknown_touchpoint_falls_back() -> None:
    tps = pd.DataFrame({"id": ["t1", "t2"], "stage_id": ["s1", "s2"]})
    got = stage_of(
        tps,
        stage_id=pd.Series(["s9", "s3", None, None], dtype=object),
        touchpoint_id=pd.Series(["t2", "nope", None, "t1"], dtype=object),
    )
    assert got.tolist() == ["s2", "s3", None, "s1"]
    assert stage_of(tps, stage_id=pd.Series(["s1", None], dtype=object)).tolist() == ["s1", None]


def test_the_index_of_the_frame_is_kept() -> None:
    frames = dict(_journey()._frames)
    frames["emotions"] = frames["emotions"].set_axis([10, 20])
    assert stage_of_rows(frames, "emotions").to_dict() == {10: "s2", 20: "s3"}


def test_every_placed_row_of_colleen_sits_in_one_of_its_stages() -> None:
    j = templates.load("colleen")
    for frame in ("touchpoints", "emotions", "pain_points", "opportunities", "actions", "metrics", "lanes"):
        stages = stage_of_rows(j._frames, frame)
        assert stages.dropna().isin(j.stages["id"]).all(), frame
    # every emotion of the template has a place
    assert stage_of_rows(j._frames, "emotions").notna().all()


def test_the_model_and_the_notebook_summary_use_the_same_rule() -> None:
    j = _journey()
    assert j._stage_of("t2") == "s2"
    assert j._stage_of("nope") is None
