"""analytics.EventLog: the same frames as raw events, tables made once and dropped at close, clear errors."""

from __future__ import annotations

import warnings

import pytest

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")

import pandas as pd  # noqa: E402

from cjm_jupyter import analytics as an  # noqa: E402
from cjm_jupyter import templates  # noqa: E402
from cjm_jupyter.analytics.analysis import DEFAULT_METRICS  # noqa: E402
from cjm_jupyter.errors import ValidationError  # noqa: E402

#: every metric function that takes (events, journey, ...) and the keywords it needs here
METRICS = {
    "funnel": {},
    "funnel_flow": {},
    "transitions": {},
    "stage_times": {"mode": "sequential"},
    "variants": {},
    "exits": {"goal": None},
    "stage_durations": {},
    "customer_profiles": {},
    "step_times": {},
}


@pytest.fixture(scope="module")
def journey():
    return templates.load("colleen")


@pytest.fixture(scope="module")
def events(journey):
    log = an.make_events(journey, customers=300, segments=["mobile", "desktop"], values=True,
                         repeat_rate=0.3, seed=3)  # fmt: skip
    return log


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs == want.attrs


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # unmapped events: the same for both
        return fn(*args, **kwargs)


@pytest.mark.parametrize("segment", [None, "segment"])
def test_every_metric_on_a_log_equals_raw_events(journey, events, segment):
    seg = {} if segment is None else {"segment_col": segment}
    with an.EventLog(events, journey, segment_col="segment", value_col="value") as log:
        for name, kw in METRICS.items():
            fn = getattr(an, name)
            _same(_quiet(fn, log, **seg, **kw), _quiet(fn, events, journey, **seg, **kw))
        for level in ("touchpoint", "event"):
            _same(_quiet(an.transitions, log, level=level, **seg),
                  _quiet(an.transitions, events, journey, level=level, **seg))  # fmt: skip
        got = _quiet(an.analyze, log, metrics=["funnel", "variants"], **seg)
        want = _quiet(an.analyze, events, journey, metrics=["funnel", "variants"], **seg)
        for key in want:
            _same(got[key], want[key])
        _same(_quiet(an.retention, log, within_days=30, **seg),
              _quiet(an.retention, events, journey, within_days=30, **seg))  # fmt: skip
        _same(_quiet(an.retention_cohorts, log, **seg), _quiet(an.retention_cohorts, events, journey, **seg))
        _same(_quiet(an.revenue, log, **seg), _quiet(an.revenue, events, journey, value_col="value", **seg))


def test_compare_segments_and_satisfaction_on_a_log(journey, events):
    pytest.importorskip("scipy")
    surveys = an.make_surveys(events, journey, seed=2)
    survey_only = surveys.drop(columns=[c for c in ("segment",) if c in surveys.columns])
    with an.EventLog(events, journey, segment_col="segment") as log:
        got = _quiet(an.compare_segments, log, segment_col="segment", surveys=survey_only)
        sat = _quiet(an.satisfaction, survey_only, journey, segment_col="segment", events=log)
    want = _quiet(an.compare_segments, events, journey, segment_col="segment", surveys=survey_only)
    _same(got, want)
    _same(sat, _quiet(an.satisfaction, survey_only, journey, segment_col="segment", events=events))


def test_sessionize_on_a_log_numbers_the_same_sessions(events):
    want = an.sessionize(events, gap="1h")
    with an.EventLog(events) as log:
        got = an.sessionize(log, gap="1h")
    keys = ["customer_id", "timestamp", "event"]
    assert list(got.columns) == [*keys, "session"]
    merged = got.merge(want[[*keys, "session"]].drop_duplicates(), on=keys, suffixes=("", "_raw"))
    assert len(merged) == len(got) == len(events)
    assert (merged["session"] == merged["session_raw"]).all()


def _count_materialized(log, monkeypatch) -> list[str]:
    made: list[str] = []
    real = log.source.materialize

    def spy(name, sql):
        made.append(name.rsplit("_", 1)[-1])
        return real(name, sql)

    monkeypatch.setattr(log.source, "materialize", spy)
    return made


def test_the_cache_makes_each_table_once(journey, events, monkeypatch):
    with an.EventLog(events, journey, segment_col="segment") as log:
        made = _count_materialized(log, monkeypatch)
        _quiet(an.funnel, log, mode="sequential")
        assert made == ["cust", "seq", "reach"]
        _quiet(an.transitions, log)  # the same sorted sequence
        _quiet(an.exits, log, mode="sequential")  # the same reach too
        _quiet(an.funnel, log, mode="sequential")
        assert made == ["cust", "seq", "reach"]
        _quiet(an.stage_durations, log)
        assert made[3:] == ["stay"]
        _quiet(an.funnel, log)  # another mode: another reach, from the same seq
        _quiet(an.funnel, log, segment_col="segment")  # split: its own customers and sequence
        assert made[4:] == ["reach", "cust", "reach"]
        same = templates.load("colleen")  # another journey object, the same content: the same tables
        _quiet(an.funnel, log, same)
        assert len(made) == 7
        same.map_events("search-engine", "nothing_in_the_log")  # another mapping: another reach
        _quiet(an.funnel, log, same)
        assert made[7:] == ["reach"]
        before = len(made)
        assert log.customers == 300 and log.customers == 300  # counted from the cached cust table, once
        assert len(made) == before


ALL_METRICS = [*DEFAULT_METRICS, "customer_profiles", "step_times"]


@pytest.mark.parametrize("ids", ["text", "int"])
@pytest.mark.parametrize("mode", ["first_reach", "sequential"])
def test_overall_calls_after_a_split_one_read_its_tables_and_give_the_same_frames(
    journey, events, monkeypatch, ids, mode
):
    # text ids: the customer codes are row numbers, so the split and unsplit ones differ
    # and an overall run on the split tables must take all of them (codes agree)
    log_events = events if ids == "text" else events.assign(
        customer_id=events["customer_id"].factorize()[0] * 7 + 3)  # fmt: skip
    with an.EventLog(log_events, journey, segment_col="segment") as log:
        made = _count_materialized(log, monkeypatch)
        _quiet(an.analyze, log, segment_col="segment", metrics=ALL_METRICS, mode=mode)
        split = list(made)
        got = _quiet(an.analyze, log, metrics=ALL_METRICS, mode=mode)
        assert made == split  # the overall run sorted nothing, made no table
        got_event = _quiet(an.transitions, log, level="event")  # the split customers' codes
        assert log.customers == log_events["customer_id"].nunique()
        assert made == [*split, "codes"]
    want = _quiet(an.analyze, log_events, journey, metrics=ALL_METRICS, mode=mode)
    assert list(got) == list(want)
    for key in want:
        _same(got[key], want[key])
    _same(got_event, _quiet(an.transitions, log_events, journey, level="event"))


def test_a_metric_runs_once_its_tables_exist_so_event_transitions_precede_the_stored_sequence(
    journey, events, monkeypatch
):
    # the memory peak: the window over every event must not run while seq is held
    with an.EventLog(events, journey, segment_col="segment") as log:
        work: list[str] = []
        real_make, real_query = log.source.materialize, log.source.query

        def make(name, sql):
            work.append(name.rsplit("_", 1)[-1])
            return real_make(name, sql)

        def query(sql):
            if "seq_all" in sql:
                work.append("event transitions")
            return real_query(sql)

        monkeypatch.setattr(log.source, "materialize", make)
        monkeypatch.setattr(log.source, "query", query)
        asked = ["variants", "funnel", "transitions"]
        got = _quiet(an.analyze, log, segment_col="segment", metrics=asked, level="event")
    assert work == ["cust", "codes", "event transitions", "seq", "reach"]
    assert list(got) == asked  # the frames still come in the order asked
    want = _quiet(an.analyze, events, journey, segment_col="segment", metrics=asked, level="event")
    for key in asked:
        _same(got[key], want[key])


def test_an_overall_call_keeps_its_own_cached_tables_over_split_ones(journey, events, monkeypatch):
    with an.EventLog(events, journey, segment_col="segment") as log:
        made = _count_materialized(log, monkeypatch)
        want = _quiet(an.variants, log)
        _quiet(an.variants, log, segment_col="segment")
        assert made == ["cust", "seq", "cust", "seq"]
        _same(_quiet(an.variants, log), want)  # both sets cached: its own, nothing made
        _quiet(an.stage_durations, log)  # one table to make either way: its own
        assert made[4:] == ["stay"]


def _temp_tables(con) -> list[str]:
    tables = con.sql("SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1").df()
    return tables["table_name"].tolist()


def test_tables_are_dropped_at_close_and_with(journey, events):
    con = duckdb.connect()
    rel = con.from_df(events)
    assert _temp_tables(con) == []
    with an.EventLog(rel, journey, segment_col="segment") as log:
        _quiet(an.analyze, log, segment_col="segment")
        _quiet(an.analyze, log, level="event")
        assert len(_temp_tables(con)) >= 6  # the copy and the cached tables, on the user's connection
    assert _temp_tables(con) == []
    assert con.sql("SELECT 1 AS x").df()["x"].tolist() == [1]  # the user's connection stays open
    log = an.EventLog(rel, journey)
    _quiet(an.funnel, log)
    assert _temp_tables(con) != []
    log.close()
    log.close()  # idempotent
    assert _temp_tables(con) == []


def test_raw_events_leave_no_table_behind(journey, events):
    con = duckdb.connect()
    _quiet(an.analyze, con.from_df(events), journey, segment_col="segment")
    _quiet(an.measure, con.from_df(events), templates.load("colleen"), segment_col="segment")
    assert _temp_tables(con) == []


def test_a_closed_log_raises_a_clear_error(journey, events):
    log = an.EventLog(events, journey)
    log.close()
    assert repr(log) == "EventLog(closed; customer='customer_id', time='timestamp', event='event')"
    for call in (lambda: an.funnel(log), lambda: an.sessionize(log), lambda: an.revenue(log),
                 lambda: log.customers, lambda: log.__enter__()):  # fmt: skip
        with pytest.raises(ValidationError, match=r"^this EventLog is closed \(its tables were dropped\)"):
            call()


def test_repr_says_rows_customers_events_and_columns(journey, events):
    with an.EventLog(events, segment_col="segment") as log:
        n_events = events["event"].nunique()
        assert repr(log) == (
            f"EventLog(rows={len(events):,}, customers=300, events={n_events} names; customer='customer_id', "
            "time='timestamp', event='event', segment='segment'; open)"
        )


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"customer_col": "who"},
            "customer_col='who' differs from the log: the EventLog's customer_col is 'customer_id'",
        ),
        (
            {"time_col": "when"},
            "time_col='when' differs from the log: the EventLog's time_col is 'timestamp'",
        ),
        ({"event_col": "what"}, "event_col='what' differs from the log: the EventLog's event_col is 'event'"),
        (
            {"segment_col": "other"},
            "segment_col='other' differs from the log: the EventLog's segment_col is 'segment'",
        ),
        ({"mapping": {"a": "b"}}, "mapping=a mapping differs from the log: the EventLog has no mapping"),
    ],
)
def test_column_keywords_that_differ_from_the_log_are_refused(journey, events, kw, message):
    with an.EventLog(events, journey, segment_col="segment") as log:
        key = next(iter(kw))
        role = key.removesuffix("_col")  # the error's column is the role; the message names the keyword
        with pytest.raises(ValidationError, match=f"^column '{role}': " + message.replace("(", r"\(")) as err:
            an.funnel(log, **kw)
        tail = f"; set it on the EventLog (EventLog(..., {key}=...)) or leave it out here"
        assert str(err.value).endswith(tail)


def test_value_and_defaults_with_a_log(journey, events):
    with an.EventLog(events, journey) as log:
        differs = r"^column 'value': value_col='amount' differs from the log: the EventLog has no value_col;"
        with pytest.raises(ValidationError, match=differs):
            an.revenue(log, value_col="amount")
        none = r"^column 'value': this EventLog has no value column: make it with EventLog\(\.\.\., "
        none += "value_col="
        with pytest.raises(ValidationError, match=none):
            an.revenue(log)
        # keywords at their defaults, or equal to the log's, are fine
        _quiet(an.funnel, log, customer_col="customer_id", time_col="timestamp", event_col="event")


def test_journey_passed_wins_and_one_is_needed(journey, events):
    other = templates.load("colleen")
    first = other.stages.sort_values("order")["id"].iloc[0]
    other.remove("stages", [s for s in other.stages["id"] if s != first][-1:], cascade=True)
    with an.EventLog(events) as log:
        with pytest.raises(ValidationError, match=r"^column 'journey': no journey: pass the journey"):
            an.funnel(log)
        assert len(_quiet(an.funnel, log, journey)) == len(journey.stages)
    with an.EventLog(events, journey) as log:
        assert len(_quiet(an.funnel, log, other)) == len(other.stages) == len(journey.stages) - 1
    with pytest.raises(ValidationError, match=r"^column 'journey': no journey"):
        an.funnel(events)


def _counting_relation(events: pd.DataFrame):
    """A DuckDB relation over ``events`` whose filter counts the rows each scan reads."""
    con = duckdb.connect()
    seen = [0]

    def tick(col):
        seen[0] += len(col)
        return pa.array([True] * len(col))

    types = duckdb.sqltypes
    con.create_function("cjm_tick", tick, [types.VARCHAR], types.BOOLEAN, type="arrow", side_effects=True)
    con.register("raw_events", events)
    rel = con.sql("SELECT * FROM raw_events WHERE cjm_tick(CAST(customer_id AS VARCHAR))")
    return rel, seen


def test_measure_with_segments_reads_the_input_once(events):
    j = templates.load("colleen")
    surveys = an.make_surveys(events, j, seed=2).drop(columns="segment", errors="ignore")
    rel, seen = _counting_relation(events)
    _quiet(an.measure, rel, j, surveys, segment_col="segment", respondent_col="customer_id",
           value_col="value",
           retention_days=30, goal=None, survey_metrics=True)  # fmt: skip
    assert seen[0] == len(events)  # one scan: every later query read the copy
    assert set(j.metrics.loc[j.metrics["run_id"] == "measure", "segment"].dropna()) == {"mobile", "desktop"}


def test_measure_with_a_goal_reads_the_input_once_too(events):
    j = templates.load("colleen")
    goal = j.stages.sort_values("order")["id"].iloc[-2]
    rel, seen = _counting_relation(events)
    _quiet(an.measure, rel, j, segment_col="segment", goal=goal, period="P1")
    assert seen[0] == len(events)


def test_measure_on_a_log_equals_measure_on_raw_events(events):
    surveys = an.make_surveys(events, templates.load("colleen"), seed=2).drop(columns="segment")
    a, b = templates.load("colleen"), templates.load("colleen")
    kw = {"segment_col": "segment", "respondent_col": "customer_id", "period": "P1"}
    want = _quiet(an.measure, events, a, surveys, **kw)
    with an.EventLog(events, segment_col="segment") as log:
        got = _quiet(an.measure, log, b, surveys, **kw)
    assert list(got) == list(want)
    for key in want:
        _same(got[key], want[key])
    cols = ["name", "stage_id", "touchpoint_id", "segment", "value", "n"]
    pd.testing.assert_frame_equal(b.metrics[cols].reset_index(drop=True),
                                  a.metrics[cols].reset_index(drop=True))  # fmt: skip


def test_respondents_are_matched_as_text_at_the_join_only(journey):
    log = pd.DataFrame({"customer_id": [1, 1, 2], "event": ["x", "y", "x"],
                        "timestamp": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])})  # fmt: skip
    tp = journey.touchpoints["id"].iloc[0]
    surveys = pd.DataFrame({"customer_id": ["1", "3"], "touchpoint_id": [tp, tp], "score": [4, 5]})
    j = templates.load("colleen")
    out = _quiet(an.measure, log, j, surveys, respondent_col="customer_id", period="P1")
    assert out["satisfaction"].attrs["matched_respondents"] == 1


def test_the_metrics_share_one_keyword_list_and_refuse_others(journey, events):
    from cjm_jupyter.analytics import metrics

    with pytest.raises(TypeError, match=r"^funnel\(\) got an unexpected keyword argument 'top'$"):
        an.funnel(events, journey, top=3)
    with pytest.raises(TypeError, match=r"^bounces\(\) got an unexpected keyword argument 'mode'$"):
        an.bounces(events, journey, mode="sequential")
    # every documented keyword is declared once, in the typed keyword lists
    keys = {name: set(getattr(metrics, name).__optional_keys__)
            for name in ("LogOptions", "FunnelOptions", "TransitionOptions", "VariantOptions")}  # fmt: skip
    assert keys["LogOptions"] == {"mapping", "customer_col", "time_col", "event_col", "segment_col"}
    assert keys["FunnelOptions"] - keys["LogOptions"] == {"start", "goal", "mode"}
    assert keys["VariantOptions"] - keys["FunnelOptions"] == {"top"}
    assert keys["TransitionOptions"] - keys["LogOptions"] == {"level", "self_loops"}


def test_engine_options_reach_the_logs_connection(events, tmp_path):
    with an.EventLog(events, memory_limit="1GB", temp_directory=tmp_path, threads=1) as log:
        got = log.source.query(
            "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t, "
            "current_setting('threads') AS n"
        ).iloc[0]
    assert (got["m"], got["t"], int(got["n"])) == ("953.6 MiB", str(tmp_path), 1)
    with pytest.raises(ValidationError, match="memory_limit='1GB'"):
        an.EventLog(duckdb.connect().from_df(events), memory_limit="1GB")
