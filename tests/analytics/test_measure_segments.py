"""measure(): survey emotion rows per segment, and the business outcomes as measured metric rows."""

from __future__ import annotations

import pandas as pd
import pytest

pytest.importorskip("duckdb")
pytest.importorskip("statsmodels")

from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.analytics import measure

from ..support.analytics_outcomes import outcome_log
from ..support.measure import PERIOD, journey, run


def surveys() -> pd.DataFrame:
    # c1 (A) and c2 (A) at t0; c3 (B) at t0 and t2; c9 is not in the log
    return pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c3", "c9"],
            "touchpoint_id": ["t0", "t0", "t0", "t2", "t2"],
            "score": [5, 4, 1, 3, 5],
        }
    )


def survey_emotions(j: Journey) -> pd.DataFrame:
    e = j.emotions
    return e[e["source"] == "survey"].sort_values(["segment", "touchpoint_id"], na_position="first")


def test_emotion_rows_per_segment_from_the_log():
    j = journey()
    res = run(j, answers=surveys(), segment_col="segment")
    e = survey_emotions(j)
    # overall rows (segment empty) first, then per segment; c9 is in no segment of the log
    got = [(s if pd.notna(s) else None, t, sc, n) for s, t, sc, n in
           zip(e["segment"], e["touchpoint_id"], e["score"], e["n"], strict=True)]  # fmt: skip
    assert got == [
        (None, "t0", pytest.approx(1 / 3), 3), (None, "t2", 1.0, 2),
        ("(missing)", "t2", 2.0, 1),
        ("A", "t0", 1.5, 2),
        ("B", "t0", -2.0, 1), ("B", "t2", 0.0, 1),
    ]  # fmt: skip
    assert (e["run_id"] == "measure").all() and (e["period"] == PERIOD).all()
    assert res["satisfaction_by_segment"].attrs["segment_source"] == "events"


def test_a_survey_without_segment_or_respondent_is_written_overall_with_a_warning():
    j = journey()
    with pytest.warns(UserWarning) as caught:
        measure(outcome_log(), j, surveys().drop(columns="customer_id"), period=PERIOD, segment_col="segment")
    messages = [str(w.message) for w in caught]
    assert any("its emotion rows are written for all customers only" in m for m in messages)
    assert any("map to no touchpoint: 'e7'" in m for m in messages)  # the hand log's unmapped event
    assert survey_emotions(j)["segment"].isna().all()


def test_hand_rows_survive_and_keep_their_place():
    j = journey()
    j.add_metric("revenue", 999.0, stage="s2", unit="currency")  # typed by hand: no run_id
    j.add_metric("retention within 30 days", 0.9, stage="s2", unit="ratio", period=PERIOD)
    j.add("emotions", touchpoint_id="t0", score=-1.0, source="survey", basis="measured",
          period=PERIOD, segment="A")  # fmt: skip
    before_metrics = j.metrics.copy()
    counts = []
    for _ in range(2):  # a re-run replaces its own rows only
        run(j, answers=surveys(), segment_col="segment", value_col="value", retention_days=30)
        counts.append(((j.metrics["run_id"] == "measure").sum(), (j.emotions["run_id"] == "measure").sum()))
    assert counts[0] == counts[1]
    hand = j.metrics[j.metrics["run_id"].isna()]
    pd.testing.assert_frame_equal(hand.reset_index(drop=True), before_metrics.reset_index(drop=True))
    e = j.emotions
    a_t0 = e[(e["touchpoint_id"] == "t0") & (e["segment"] == "A")]
    assert a_t0["score"].tolist() == [-1.0] and a_t0["run_id"].isna().all()  # the hand row holds the key


def measured(j: Journey) -> pd.DataFrame:
    m = j.metrics
    return m[m["run_id"] == "measure"]


def test_revenue_and_retention_rows_by_hand():
    j = journey()
    res = run(j, value_col="value", retention_days=30, segment_col="segment")
    m = measured(j)
    overall = m[m["segment"].isna()].set_index(["name", "stage_id"])
    assert overall.loc[("revenue", "s2"), ["value", "unit", "n"]].tolist() == [220.0, "currency", 5]
    assert overall.loc[("orders", "s2"), "value"] == 5.0
    assert overall.loc[("average order value", "s2"), "value"] == 44.0
    assert overall.loc[("average order value", "s0"), "value"] == 5.0
    assert ("revenue", "s1") not in overall.index  # no orders there: no row
    ret = overall.loc[("retention within 30 days", "s2")]
    assert (ret["value"], ret["unit"], ret["n"]) == (0.4, "ratio", 5)
    seg = m[m["segment"].notna()].set_index(["name", "stage_id", "segment"])
    assert seg.loc[("average order value", "s2", "A"), "value"] == 60.0
    assert seg.loc[("retention within 30 days", "s2", "B"), "value"] == 0.5
    assert {"revenue", "revenue_by_segment", "retention", "retention_by_segment"} <= set(res)
    assert (m["basis"] == "measured").all() and (m["period"] == PERIOD).all()


def test_retention_at_a_touchpoint_goal():
    j = journey()
    run(j, retention_days=60, goal="T4")
    row = measured(j).set_index("name").loc["retention within 60 days"]
    assert (row["touchpoint_id"], row["value"], row["n"]) == ("t4", 1.0, 1)


def test_survey_metrics_nps_and_top_two_box():
    j = journey()
    nps_answers = surveys().assign(score=[10, 9, 0, 7, 10])
    res = run(j, answers=nps_answers, scale="nps", survey_metrics=True, segment_col="segment")
    m = measured(j)
    nps_rows = m[m["name"] == "NPS"]
    overall = nps_rows[nps_rows["segment"].isna()].set_index("touchpoint_id")
    assert overall["value"].to_dict() == {"t0": pytest.approx(100 / 3), "t2": 50.0}
    assert (overall["unit"] == "points").all() and overall["n"].to_dict() == {"t0": 3, "t2": 2}
    assert nps_rows[nps_rows["segment"] == "B"].set_index("touchpoint_id")["value"].to_dict() == {
        "t0": -100.0,
        "t2": 0.0,
    }
    assert "nps_by_segment" in res
    k = journey()
    run(k, answers=surveys(), survey_metrics=True)  # csat: answers 4-5
    top = measured(k)[measured(k)["name"] == "top-2-box"].set_index("touchpoint_id")
    assert top["value"].to_dict() == {"t0": pytest.approx(2 / 3), "t2": 0.5}
    assert (top["unit"] == "ratio").all()
    # without survey_metrics=True no survey metric row is written
    n = journey()
    run(n, answers=surveys())
    assert not measured(n)["name"].isin(["NPS", "top-2-box"]).any()


def test_bad_outcome_input_leaves_the_journey_unchanged():
    j = journey()
    run(j, value_col="value")
    metrics, emotions = j.metrics.copy(), j.emotions.copy()
    log = outcome_log()
    for kw in ({"value_col": "amount"}, {"retention_days": -1}, {"retention_days": 30, "goal": "nowhere"}):
        with pytest.raises(ValidationError):
            run(j, log, **kw)
    with pytest.raises(ValidationError, match="the value column 'value' is null on every row"):
        run(j, log.assign(value=float("nan")), value_col="value")
    pd.testing.assert_frame_equal(j.metrics, metrics)
    pd.testing.assert_frame_equal(j.emotions, emotions)


def test_a_single_customer():
    j = journey()
    one = outcome_log()
    one = one[one["customer_id"] == "c1"]
    run(j, one, value_col="value", retention_days=30, segment_col="segment")
    m = measured(j).set_index(["name", "stage_id", "segment"])
    assert m.loc[("retention within 30 days", "s2", "A"), "value"] == 1.0
    assert m.loc[("average order value", "s2", "A"), ["value", "n"]].tolist() == [75.0, 2]
