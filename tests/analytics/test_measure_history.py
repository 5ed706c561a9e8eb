"""Measurement history: measure() keeps every row it did not write and one set of rows per period;
history() reads the values over periods; period labels have one order."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

duckdb = pytest.importorskip("duckdb")

from cjm_jupyter import Journey, ValidationError, read_json, templates  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402
from cjm_jupyter.analytics.measure import quarter_of  # noqa: E402
from cjm_jupyter.model.history import HISTORY_COLUMNS, latest_period, period_sort_key  # noqa: E402

from ..support.analytics import MAPPING, make_journey  # noqa: E402
from ..support.paths import FIXTURES  # noqa: E402


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kwargs)


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("id").sort_index()


def own(frame: pd.DataFrame, period: str | None = None) -> pd.DataFrame:
    mine = frame[(frame["run_id"] == "measure").fillna(False)]
    return mine if period is None else mine[mine["period"] == period]


@pytest.fixture(scope="module")
def colleen_template() -> Journey:
    return templates.load("colleen")


# -- period labels ------------------------------------------------------------------------------


def test_period_sort_key_orders_periods_by_their_first_day():
    labels = ["launch", "2027", "2026-Q3", "2026-07", "2026-06-30", None, "2026-Q1", "2025-12", "Beta"]
    assert sorted(labels, key=period_sort_key) == [
        None, "2025-12", "2026-Q1", "2026-06-30", "2026-07", "2026-Q3", "2027", "Beta", "launch",
    ]  # fmt: skip
    assert period_sort_key("2026-Q3") == (0, 2026, 7, 1, "2026-Q3")
    assert period_sort_key(" 2026-q3 ") == (0, 2026, 7, 1, "2026-q3")
    # not a date: text, after every period
    assert period_sort_key("2026-13") == (1, 0, 0, 0, "2026-13")
    assert period_sort_key("2026-02-30") == (1, 0, 0, 0, "2026-02-30")
    assert period_sort_key("2026-Q5") == (1, 0, 0, 0, "2026-Q5")
    assert period_sort_key(pd.NA) == period_sort_key(None) == (-1, 0, 0, 0, "")


def test_latest_period():
    assert latest_period(["2026-Q2", None, "2026-Q3", "2025-12"]) == "2026-Q3"
    assert latest_period(pd.Series(["2026-Q1", pd.NA, "2026-05"], dtype="string")) == "2026-05"
    assert latest_period(["2026-Q4", "pilot"]) == "pilot"  # other text sorts after
    assert latest_period([None, pd.NA]) is None
    assert latest_period([]) is None


@given(st.lists(st.one_of(st.none(), st.text(max_size=12), st.dates().map(str)), max_size=20))
def test_period_sort_key_is_a_total_order_on_any_labels(labels):
    keys = [period_sort_key(label) for label in labels]
    assert sorted(keys) == sorted(sorted(keys))  # comparable, whatever the mix
    dates = sorted({d for d in labels if d is not None and period_sort_key(d)[0] == 0})
    ordered = [d for d in sorted(labels, key=period_sort_key) if d in dates]
    assert ordered == sorted(ordered, key=lambda d: (period_sort_key(d)[1:4], d.strip()))


def test_quarter_of():
    def us(when: str) -> int:
        return int(pd.Timestamp(when, tz="UTC").value // 1000)

    assert quarter_of(us("2026-03-31 23:59:59.999999")) == "2026-Q1"
    assert quarter_of(us("2026-04-01")) == "2026-Q2"
    assert quarter_of(us("2026-12-31 12:00")) == "2026-Q4"
    assert quarter_of(us("1969-12-31")) == "1969-Q4"


# -- the data loss of issue 12 ------------------------------------------------------------------


def test_measuring_colleen_twice_keeps_hand_rows_and_both_periods(colleen_template):
    j = colleen_template.copy()
    hand = by_id(j.metrics)
    assert {"Cart abandonment", "Average order value"} <= set(hand["name"])
    q1 = an.make_events(j, customers=1000, seed=1)  # January 2026
    q2 = an.make_events(j, customers=1000, seed=2, start="2026-04-01")
    res = quiet(j.measure, q1)
    assert res["funnel"].attrs["period"] == "2026-Q1"
    quiet(j.measure, q2)
    m = j.metrics
    # every hand-typed row is still there, unchanged (they say source="analytics" too)
    pd.testing.assert_frame_equal(by_id(m).loc[hand.index], hand)
    assert {"Cart abandonment", "Average order value"} <= set(m["name"])
    first, second = own(m, "2026-Q1"), own(m, "2026-Q2")
    assert len(first) == len(second) > 0
    assert len(m) == len(hand) + len(first) + len(second)
    assert (first["source"] == "analytics").all() and (first["basis"] == "measured").all()
    assert first.loc[first["name"] == "customers", "value"].iloc[0] == 1000.0
    # re-running a period replaces that period only
    kept_q2 = by_id(second)
    quiet(j.measure, an.make_events(j, customers=300, seed=3), period="2026-Q1")
    m = j.metrics
    pd.testing.assert_frame_equal(by_id(own(m, "2026-Q2")), kept_q2)
    pd.testing.assert_frame_equal(by_id(m).loc[hand.index], hand)
    again = own(m, "2026-Q1")
    assert again.loc[again["name"] == "customers", "value"].iloc[0] == 300.0
    assert len(m) == len(hand) + len(again) + len(kept_q2)
    # history shows both quarters, with the change
    h = j.history("customers", stage="Trigger")
    assert h["period"].tolist() == ["2026-Q1", "2026-Q2"] and h["value"].tolist() == [300.0, 1000.0]
    assert math.isnan(h["change"][0]) and h["change"][1] == 700.0


def test_survey_emotions_keep_one_set_per_period(colleen_template):
    j = colleen_template.copy()
    hand = by_id(j.emotions)
    log1 = an.make_events(j, customers=300, seed=1)
    log2 = an.make_events(j, customers=300, seed=2, start="2026-04-01")
    sat1 = quiet(j.measure, log1, an.make_surveys(log1, j, seed=1))["satisfaction"]
    sat2 = quiet(j.measure, log2, an.make_surveys(log2, j, seed=2))["satisfaction"]
    e = j.emotions
    pd.testing.assert_frame_equal(by_id(e).loc[hand.index], hand)
    q1, q2 = own(e, "2026-Q1"), own(e, "2026-Q2")
    assert sorted(q1["touchpoint_id"]) == sorted(sat1.loc[sat1["n"] > 0, "touchpoint_id"])
    assert sorted(q2["touchpoint_id"]) == sorted(sat2.loc[sat2["n"] > 0, "touchpoint_id"])
    assert (q1["source"] == "survey").all() and q1["persona_id"].isna().all()
    # a run without surveys leaves the period's emotions; one with surveys replaces them
    kept = by_id(q1)
    quiet(j.measure, log1, period="2026-Q1")
    pd.testing.assert_frame_equal(by_id(own(j.emotions, "2026-Q1")), kept)
    res = quiet(j.measure, log1, an.make_surveys(log1, j, seed=5), period="2026-Q1", survey_level="stage")
    e = j.emotions
    assert own(e, "2026-Q1")["touchpoint_id"].isna().all()
    answered = res["satisfaction"].loc[lambda s: s["n"] > 0, "stage_id"]
    assert sorted(own(e, "2026-Q1")["stage_id"]) == sorted(answered) and len(answered) > 2
    pd.testing.assert_frame_equal(by_id(own(e, "2026-Q2")), by_id(q2))
    pd.testing.assert_frame_equal(by_id(e).loc[hand.index], hand)


def test_a_hand_entered_survey_emotion_of_the_period_is_kept(log_and_surveys):
    log, surveys = log_and_surveys
    j = make_journey().copy()
    typed = {"source": "survey", "basis": "measured", "period": "2024-Q1", "n": 99}
    mine = j.add("emotions", touchpoint_id="t0", score=-2.0, **typed)
    with pytest.warns(UserWarning, match=r"kept the hand-entered survey emotion rows for period '2024-Q1' at "
                      r"touchpoint 't0'; the survey's values there were not written"):  # fmt: skip
        res = j.measure(log, surveys, mapping=MAPPING, customer_col="cust")
    e = j.emotions.set_index("id")
    assert e.loc[mine, "score"] == -2.0 and e.loc[mine, "n"] == 99 and pd.isna(e.loc[mine, "run_id"])
    written = own(j.emotions, "2024-Q1")
    assert sorted(written["touchpoint_id"]) == ["t2", "t3"]
    assert res["satisfaction"].set_index("touchpoint_id").loc["t0", "n"] == 3  # still returned


@pytest.fixture
def log_and_surveys():
    ts = [pd.Timestamp("2024-03-01") + pd.Timedelta(minutes=m) for m in (0, 5, 9, 0, 3, 1, 2)]
    log = pd.DataFrame(
        {
            "cust": ["c1", "c1", "c1", "c2", "c2", "c3", "c4"],
            "timestamp": ts,
            "event": ["e0", "e2", "e4", "e1", "e3", "e0", "e2"],
        }
    )
    answers = {"touchpoint_id": ["t0", "t0", "t0", "t2", "t2", "t3"], "score": [4, 5, 3, 1, 2, 4]}
    surveys = pd.DataFrame(answers)
    return log, surveys


def test_measure_failure_changes_nothing_and_keeps_other_periods(log_and_surveys, monkeypatch):
    log, surveys = log_and_surveys
    j = make_journey().copy()
    quiet(j.measure, log, surveys, mapping=MAPPING, customer_col="cust", period="2024-Q1")
    quiet(j.measure, log, surveys, mapping=MAPPING, customer_col="cust", period="2024-Q2")
    before = j.copy()
    msg = 'period must be a text label such as "2026-Q3" (or None: the quarter of the last event)'
    for bad in ("", "  ", 3):
        with pytest.raises(ValidationError) as err:
            j.measure(log, mapping=MAPPING, customer_col="cust", period=bad)
        assert str(err.value) == f"column 'period', value {bad!r}: {msg}"
    real_add = j.add

    def boom(frame, *args, **kwargs):
        if frame == "emotions":
            raise RuntimeError("boom")
        return real_add(frame, *args, **kwargs)

    monkeypatch.setattr(j, "add", boom)  # fails after the period's rows were removed
    with pytest.raises(RuntimeError, match="boom"):
        quiet(j.measure, log, surveys, mapping=MAPPING, customer_col="cust", period="2024-Q1")
    assert j.equals(before)


# -- property: nothing measure() did not write is ever touched ------------------------------------

PERIODS = ["2026-Q1", "2026-Q2", "2025-Q4", "pilot"]
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)


@st.composite
def hand_rows(draw, journey):
    """Hand-entered metric and emotion rows anywhere, with any source and period."""
    stages, tps = list(journey.stages["id"]), list(journey.touchpoints["id"])
    place = st.one_of(
        st.sampled_from(stages).map(lambda s: {"stage_id": s}),
        st.sampled_from(tps).map(lambda t: {"touchpoint_id": t}),
    )
    period = st.one_of(st.none(), st.sampled_from(PERIODS))
    source = st.sampled_from(["analytics", "survey", "workshop", "interview"])
    metric = st.fixed_dictionaries(
        {
            "name": st.one_of(st.sampled_from(["customers", "conversion", "bounce rate"]), _text),
            "value": st.floats(-1e6, 1e6, allow_nan=False),
            "source": source,
            "basis": st.sampled_from(["measured", "assumed"]),
            "period": period,
            "segment": st.one_of(st.none(), st.sampled_from(["web", "app"])),
        }
    )
    metrics = draw(st.lists(st.tuples(metric, place), max_size=6))
    emotion = st.fixed_dictionaries(
        {
            "persona_id": st.sampled_from([None, "p1"]),
            "score": st.floats(-2, 2, allow_nan=False),
            "source": source,
            "basis": st.sampled_from(["measured", "assumed"]),
            "period": period,
        }
    )
    emotions = draw(
        st.lists(
            st.tuples(emotion, place),
            max_size=6,
            unique_by=lambda r: (r[0]["persona_id"], r[0]["source"], r[0]["period"], *r[1].items()),
        )
    )
    return [("metrics", {**m, **p}) for m, p in metrics] + [("emotions", {**e, **p}) for e, p in emotions]


@st.composite
def runs(draw):
    """measure() runs: the log's seed, size and start, the period (None: derived), surveys or not."""
    return draw(
        st.lists(
            st.tuples(
                st.integers(0, 2**16),
                st.integers(50, 200),
                st.sampled_from(["2025-12-20", "2026-01-01", "2026-03-25"]),
                st.one_of(st.none(), st.sampled_from(PERIODS)),
                st.booleans(),
            ),
            min_size=1,
            max_size=4,
        )
    )


@pytest.fixture(scope="module")
def small_map(colleen_template) -> Journey:
    j = colleen_template.copy()
    j.add_persona("P", id="p1")
    return j


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), plan=runs())
def test_hand_rows_survive_any_measure_runs(small_map, data, plan):
    j = small_map.copy()
    for frame, row in data.draw(hand_rows(j)):
        j.add(frame, **row)
    hand = {name: by_id(getattr(j, name)) for name in ("metrics", "emotions")}
    last = {}  # period -> the metric rows its last run wrote, without ids
    for seed, customers, start, period, with_surveys in plan:
        log = an.make_events(j, customers=customers, seed=seed, start=start)
        surveys = an.make_surveys(log, j, seed=seed) if with_surveys else None
        res = quiet(j.measure, log, surveys, period=period)
        want = period or quarter_of(int(log["timestamp"].max().value // 1000))
        assert res["funnel"].attrs["period"] == want
        last[want] = own(j.metrics, want).drop(columns="id").reset_index(drop=True)
        for name, rows in hand.items():
            pd.testing.assert_frame_equal(by_id(getattr(j, name)).loc[rows.index], rows)
    m = j.metrics
    # one set of rows per period measured, each the last run's
    assert set(own(m)["period"]) == set(last)
    for period, rows in last.items():
        pd.testing.assert_frame_equal(own(m, period).drop(columns="id").reset_index(drop=True), rows)
    assert len(m) == len(hand["metrics"]) + sum(map(len, last.values()))


# -- the default period -------------------------------------------------------------------------


def _log(times) -> pd.DataFrame:
    return pd.DataFrame({"cust": ["c1"] * len(times), "timestamp": times, "event": ["e0"] * len(times)})


def _period(events, **kw) -> str:
    j = make_journey().copy()
    res = quiet(j.measure, events, mapping=MAPPING, customer_col="cust", **kw)
    assert set(j.metrics["period"].dropna()) == {res["funnel"].attrs["period"]}
    return res["funnel"].attrs["period"]


def test_default_period_is_the_quarter_of_the_last_event(tmp_path):
    naive = pd.to_datetime(["2026-01-05", "2026-03-31 23:59:59", "2026-02-01"], format="ISO8601")
    assert _period(_log(naive)) == "2026-Q1"
    # a time-zone-aware instant counts in UTC: 01:00 in Paris on 1 April is 31 March in UTC
    paris = pd.DatetimeIndex(["2026-01-05 00:00", "2026-04-01 01:00"]).tz_localize("Europe/Paris")
    assert _period(_log(paris)) == "2026-Q1"
    assert _period(_log(pd.DatetimeIndex(["2026-04-01 03:00"]).tz_localize("Europe/Paris"))) == "2026-Q2"
    # a DATE column, a row with a null customer (ignored), a Parquet file and a DuckDB relation
    dates = _log([dt.date(2025, 12, 31), dt.date(2025, 7, 1)])
    assert _period(dates) == "2025-Q4"
    late = pd.concat([_log(naive), _log(pd.to_datetime(["2026-08-01"])).assign(cust=None)])
    assert _period(late) == "2026-Q1"
    path = tmp_path / "log.parquet"
    _log(pd.to_datetime(["2026-10-01", "2026-06-01"])).to_parquet(path)
    assert _period(str(path)) == "2026-Q4"
    con = duckdb.connect()
    rel = con.sql("SELECT 'c1' AS cust, TIMESTAMP '2024-05-05 10:00' AS timestamp, 'e0' AS event")
    assert _period(rel) == "2024-Q2"
    # an explicit period wins, any text, trimmed
    assert _period(_log(naive), period=" launch ") == "launch"


# -- history ------------------------------------------------------------------------------------


@pytest.fixture
def journal() -> Journey:
    """make_journey's stages s0..s2 and touchpoints t0..t4, with values over three periods."""
    j = make_journey().copy()
    j.update_stage("s1", name="Consider")
    j.add_persona("Ann", id="p1")
    add = j.add_metric
    add("conversion", 0.30, stage="s1", period="2026-Q2", run_id="measure", id="c-q2")
    add("conversion", 0.20, stage="s1", period="2026-Q1", run_id="measure", id="c-q1")
    add("conversion", 0.25, stage="s1", period="2026-Q1", id="c-q1-hand")  # typed: not the period's value
    add("conversion", 0.10, stage="s1", period="2025-Q4", segment="web", run_id="measure", id="cw-q4")
    add("conversion", 0.15, stage="s1", period="2026-Q2", segment="web", run_id="measure", id="cw-q2")
    add("bounce rate", 0.5, touchpoint="t0", period="2026-Q1", run_id="measure", id="b-q1")
    add("bounce rate", 0.4, touchpoint="t0", period="2026-Q2", run_id="measure", id="b-q2")
    add("Average order value", 85.0, stage="s2", unit="EUR", id="aov")  # no period
    add("NPS", 30, persona="p1", id="nps")  # journey-wide
    return j


def test_history_orders_by_place_then_period_with_the_change(journal):
    h = journal.history()
    assert list(h.columns) == list(HISTORY_COLUMNS)
    assert h["id"].tolist() == ["nps", "b-q1", "b-q2", "c-q1", "c-q1-hand", "c-q2", "cw-q4", "cw-q2", "aov"]
    change = dict(zip(h["id"], h["change"].round(6), strict=True))
    assert change["b-q2"] == pytest.approx(-0.1)
    assert change["c-q2"] == pytest.approx(0.1)  # from the measured Q1 value, not the typed one
    assert change["cw-q2"] == pytest.approx(0.05)  # web's previous period is 2025-Q4
    for first in ("nps", "b-q1", "c-q1", "c-q1-hand", "cw-q4", "aov"):
        assert math.isnan(change[first]), first
    assert h.set_index("id")["hand_entered"].to_dict() == {
        "nps": True, "b-q1": False, "b-q2": False, "c-q1": False, "c-q1-hand": True, "c-q2": False,
        "cw-q4": False, "cw-q2": False, "aov": True,
    }  # fmt: skip
    assert h.loc[h["id"] == "aov", ["metric", "unit", "stage_id"]].iloc[0].tolist() == [
        "Average order value", "EUR", "s2",
    ]  # fmt: skip
    assert h.index.tolist() == list(range(len(h)))
    assert str(h["value"].dtype) == "float64" and str(h["change"].dtype) == "float64"


def test_history_filters(journal):
    assert journal.history("conversion", segment="web")["id"].tolist() == ["cw-q4", "cw-q2"]
    assert journal.history(stage="Consider")["id"].tolist() == ["c-q1", "c-q1-hand", "c-q2", "cw-q4", "cw-q2"]
    assert journal.history(stage="s1").equals(journal.history(stage="Consider"))
    # a stage holds its touchpoints' rows; a touchpoint by id or name
    assert journal.history(stage="s0")["id"].tolist() == ["b-q1", "b-q2"]
    name = journal.touchpoints.set_index("id").loc["t0", "name"]
    assert journal.history(touchpoint=name)["id"].tolist() == ["b-q1", "b-q2"]
    assert journal.history(touchpoint="t0", stage="s0")["id"].tolist() == ["b-q1", "b-q2"]
    assert journal.history("bounce rate", stage="s1").empty
    empty = journal.history("no such metric")
    assert empty.empty and list(empty.columns) == list(HISTORY_COLUMNS)


def test_history_rejects_unknown_places(journal):
    with pytest.raises(ValidationError) as err:
        journal.history(stage="Nowhere")
    assert str(err.value) == "frame 'stages', column 'stage', value 'Nowhere': no stage has this id or name"
    with pytest.raises(ValidationError) as err:
        journal.history(touchpoint="t9")
    assert str(err.value) == (
        "frame 'touchpoints', column 'touchpoint', value 't9': no touchpoint has this id or name"
    )
    with pytest.raises(ValidationError) as err:
        journal.history(touchpoint="t0", stage="s1")
    assert str(err.value) == (
        "frame 'touchpoints', column 'touchpoint', value 't0': touchpoint 't0' is not in stage 's1'"
    )
    journal.update_stage("s2", name="Consider")
    with pytest.raises(ValidationError) as err:
        journal.history(stage="Consider")
    assert str(err.value) == (
        "frame 'stages', column 'stage', value 'Consider': "
        "several stages are named 'Consider' ('s1', 's2'): pass the stage id"
    )


SERIES = ["metric", "stage_id", "touchpoint_id", "segment", "persona_id"]


def _reference_changes(h: pd.DataFrame) -> list[float]:
    """The change column computed the slow, obvious way from history()'s own rows."""
    keys = [tuple("" if pd.isna(v) else v for v in row) for row in h[SERIES].itertuples(index=False)]
    out = []
    for key, row in zip(keys, h.itertuples(index=False), strict=True):
        same = h[[k == key for k in keys]]
        here = period_sort_key(row.period)
        earlier = [p for p in same["period"].dropna().unique() if period_sort_key(p) < here]
        if pd.isna(row.period) or not earlier:
            out.append(math.nan)
            continue
        prev = same[same["period"] == max(earlier, key=period_sort_key)]
        measured = prev[~prev["hand_entered"]]
        out.append(row.value - (measured if len(measured) else prev)["value"].iloc[-1])
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["conversion", "visits"]),
            st.sampled_from([{"stage": "s1"}, {"touchpoint": "t0"}, {"touchpoint": "t2"}, {}]),
            st.sampled_from([None, "web"]),
            st.sampled_from([None, "2026-Q1", "2026-02", "2025", "pilot"]),
            st.booleans(),
            st.integers(-50, 50),
        ),
        max_size=25,
    )
)
def test_history_change_is_the_previous_periods_value(rows):
    j = make_journey().copy()
    for name, place, segment, period, measured, value in rows:
        run = "measure" if measured else None
        j.add_metric(name, float(value), segment=segment, period=period, run_id=run, **place)
    h = j.history()
    assert len(h) == len(rows)
    assert h["change"].tolist() == pytest.approx(_reference_changes(h), nan_ok=True)
    # ordered: within a series, periods never go back
    keys = h[SERIES].astype(object).fillna("")
    for _, part in h.groupby([keys[c] for c in keys.columns], sort=False):
        periods = [period_sort_key(p) for p in part["period"].astype(object)]
        assert periods == sorted(periods)


def test_a_version_1_map_keeps_every_row_when_measured():
    # rows written by an old measure() carry no run id once migrated: they count as hand-entered
    j = read_json(FIXTURES / "v1" / "colleen.json")
    before = {name: by_id(getattr(j, name)) for name in ("metrics", "emotions")}
    assert before["metrics"]["run_id"].isna().all()
    log = an.make_events(j, customers=200, seed=4)
    quiet(j.measure, log, an.make_surveys(log, j, seed=4), period="2026-Q3")
    for name, rows in before.items():
        pd.testing.assert_frame_equal(by_id(getattr(j, name)).loc[rows.index], rows)
    assert len(own(j.metrics, "2026-Q3")) > 0 and len(own(j.emotions, "2026-Q3")) > 0
