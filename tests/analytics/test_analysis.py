"""analytics.analyze: one pass for many metrics, equal to the single functions; time in stage; progress."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from cjm_jupyter import ValidationError  # noqa: E402
from cjm_jupyter import analytics as an  # noqa: E402
from cjm_jupyter.analytics import _progress, _sql, eventlog  # noqa: E402
from cjm_jupyter.analytics.engines import DuckDBSource  # noqa: E402

from ..support.analytics import MAPPING, SEEDS, hand_events, make_journey, random_log, ref_steps, same  # noqa: E402

SINGLE = {
    "funnel": an.funnel,
    "transitions": an.transitions,
    "funnel_flow": an.funnel_flow,
    "stage_times": an.stage_times,
    "variants": an.variants,
    "exits": an.exits,
    "stage_durations": an.stage_durations,
}
M = pd.Timedelta(minutes=1)


def quiet(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return fn(*args, **kw)


# -- analyze == the single functions -----------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("segment", [None, "channel"])
def test_analyze_equals_single_functions(seed, segment):
    ev = random_log(seed)
    j = make_journey()
    got = quiet(an.analyze, ev, j, mapping=MAPPING, segment_col=segment, top=3)
    assert list(got) == list(SINGLE)
    for name, fn in SINGLE.items():
        kw = {"top": 3} if name == "variants" else {}
        want = quiet(fn, ev, j, mapping=MAPPING, segment_col=segment, **kw)
        pd.testing.assert_frame_equal(got[name], want, obj=name)
        assert got[name].attrs == want.attrs


@pytest.mark.parametrize("seed", SEEDS[:4])
@pytest.mark.parametrize("level", ["touchpoint", "event"])
def test_analyze_transition_levels_equal_single_function(seed, level):
    ev = random_log(seed)
    got = quiet(an.analyze, ev, make_journey(), mapping=MAPPING, segment_col="channel", level=level)
    want = quiet(an.transitions, ev, make_journey(), mapping=MAPPING, segment_col="channel", level=level)
    pd.testing.assert_frame_equal(got["transitions"], want)
    # the mapped-only metrics are unaffected by the extra all-events sequence
    pd.testing.assert_frame_equal(
        got["exits"], quiet(an.exits, ev, make_journey(), mapping=MAPPING, segment_col="channel")
    )


def test_analyze_subset_in_the_order_asked(hand):
    got = quiet(an.analyze, hand, make_journey(), mapping=MAPPING, metrics=["variants", "funnel"])
    assert list(got) == ["variants", "funnel"]
    assert quiet(an.analyze, hand, make_journey(), mapping=MAPPING, metrics="funnel").keys() == {"funnel"}
    assert got["funnel"].attrs == {
        "unmapped": {"e7": 1}, "dropped_null": 0, "mode": "first_reach", "start": "s0", "goal": "s2",
    }  # fmt: skip


def test_analyze_parquet_and_relation_inputs(tmp_path, hand):
    path = tmp_path / "log.parquet"
    con = duckdb.connect()
    con.register("hand", hand)
    con.execute(f"COPY hand TO '{path}' (FORMAT parquet)")
    want = quiet(an.analyze, hand, make_journey(), mapping=MAPPING)
    for events in (str(path), con.table("hand")):
        got = quiet(an.analyze, events, make_journey(), mapping=MAPPING)
        for name in want:
            pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_duplicates_do_not_change_any_result(hand):
    # de-duplication is fused into the sort: check every metric against the clean log
    doubled = pd.concat([hand, hand.iloc[[0, 3, 3, 9]]], ignore_index=True).sample(frac=1, random_state=1)
    got = quiet(an.analyze, doubled, make_journey(), mapping=MAPPING, segment_col="channel")
    want = quiet(an.analyze, hand, make_journey(), mapping=MAPPING, segment_col="channel")
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_variant_ties_are_broken_by_path_beyond_top(hand):
    # four paths tied at one customer each: rank follows the id path, also when cut by top
    full = quiet(an.variants, hand, make_journey(), mapping=MAPPING)
    for top in (1, 2, 3):
        cut = quiet(an.variants, hand, make_journey(), mapping=MAPPING, top=top)
        pd.testing.assert_frame_equal(cut, full.iloc[:top].reset_index(drop=True))
    assert full["path"].tolist() == sorted(full["path"])


# -- stage_durations ---------------------------------------------------------------------------


def test_stage_durations_by_hand(hand):
    out = quiet(an.stage_durations, hand, make_journey(), mapping=MAPPING)
    assert list(out.columns) == ["stage_id", "stage", "customers", "still_in", "q1", "median", "q3"]
    assert out["stage_id"].tolist() == ["s0", "s1", "s2"]
    # Aware: c1 enters at 0 and leaves at 20 (e2); c2 ends there (e0 at 30), c4 too (only event)
    # Consider: c1 20 -> 50 (30 min), c2 10 -> 30 (20 min); c3 ends there (e7 is unmapped)
    # Buy: c1 ends there
    assert out["customers"].tolist() == [1, 2, 0]
    assert out["still_in"].tolist() == [2, 1, 1]
    assert out.loc[0, ["q1", "median", "q3"]].tolist() == [20 * M] * 3
    assert out.loc[1, ["q1", "median", "q3"]].tolist() == [22.5 * M, 25 * M, 27.5 * M]
    assert out.loc[2, ["q1", "median", "q3"]].isna().all()


def test_stage_durations_by_segment_by_hand(hand):
    out = quiet(an.stage_durations, hand, make_journey(), mapping=MAPPING, segment_col="channel")
    got = {(r.segment, r.stage_id): (r.customers, r.still_in, r.median) for r in out.itertuples()}
    nat = pd.NaT
    assert got[("web", "s0")] == (1, 0, 20 * M)  # c1
    assert got[("web", "s1")][:3] == (1, 1, 30 * M)  # c1 leaves; c3 stays
    assert got[("app", "s0")][:2] == (0, 2) and got[("app", "s0")][2] is nat
    assert got[("app", "s1")] == (1, 0, 20 * M)  # c2 10 -> 30


def test_stage_durations_count_excursions_until_leaving_for_good():
    # A B A C: time in A runs from the first A to C (the event after the last A)
    log = pd.DataFrame(
        {
            "customer_id": ["x"] * 4,
            "timestamp": pd.Timestamp("2024-01-01") + pd.to_timedelta([0, 10, 15, 40], unit="min"),
            "event": ["e0", "e2", "e1", "e4"],
        }
    )
    out = quiet(an.stage_durations, log, make_journey(), mapping=MAPPING).set_index("stage_id")
    assert out.loc["s0", "median"] == 40 * M
    assert out.loc["s1", "median"] == 5 * M
    assert out.loc["s2", "still_in"] == 1


def ref_stage_durations(ev: pd.DataFrame) -> pd.DataFrame:
    """Straightforward pandas: per customer and stage, first event there -> event after the last one."""
    d = ref_steps(ev)
    d["next_time"] = d.groupby("customer_id")["timestamp"].shift(-1)
    rows = []
    for seg in sorted(set(ref_steps(ev, mapped_only=False)["segment"])):
        part = d[d["segment"] == seg]
        for stage in ("s0", "s1", "s2"):
            spans, open_ = [], 0
            for _, visits in part[part["stage_id"] == stage].groupby("customer_id"):
                leave = visits["next_time"].iloc[-1]  # rows are in the customer's order
                if pd.isna(leave):
                    open_ += 1
                else:
                    spans.append((leave - visits["timestamp"].iloc[0]) // pd.Timedelta(microseconds=1))
            us = pd.Series(spans, dtype="float64")
            q = [us.quantile(p) if len(us) else np.nan for p in (0.25, 0.5, 0.75)]
            rows.append((seg, stage, len(us), open_, *pd.to_timedelta(np.round(q), unit="us")))
    return pd.DataFrame(rows, columns=["segment", "stage_id", "customers", "still_in", "q1", "median", "q3"])


@pytest.mark.parametrize("seed", SEEDS)
def test_stage_durations_match_pandas(seed):
    ev = random_log(seed)
    got = quiet(an.stage_durations, ev, make_journey(), mapping=MAPPING, segment_col="channel")
    same(got, ref_stage_durations(ev), ["segment", "stage_id"])


# -- progress ----------------------------------------------------------------------------------


def test_progress_silent_when_not_interactive(hand, capsys):
    assert not _progress.is_interactive()  # pytest captures stderr: not a terminal
    quiet(an.analyze, hand, make_journey(), mapping=MAPPING)
    quiet(an.funnel, hand, make_journey(), mapping=MAPPING)
    assert capsys.readouterr().err == ""


def test_progress_shown_when_forced(hand, capsys):
    quiet(an.analyze, hand, make_journey(), mapping=MAPPING, metrics=["funnel", "variants"], progress=True)
    err = capsys.readouterr().err
    # profile, customer codes, seq, reach, then the two metrics: all counted
    assert "journey analytics" in err and "6/6" in err


def test_progress_auto_when_interactive_and_off_when_forced_off(hand, capsys, monkeypatch):
    monkeypatch.setattr(_progress, "is_interactive", lambda: True)
    monkeypatch.setattr(_progress, "AUTO_DELAY_S", 0.0)
    quiet(an.analyze, hand, make_journey(), mapping=MAPPING, metrics=["funnel"])
    assert "journey analytics" in capsys.readouterr().err
    quiet(an.analyze, hand, make_journey(), mapping=MAPPING, metrics=["funnel"], progress=False)
    assert capsys.readouterr().err == ""


# -- materialized tables -----------------------------------------------------------------------


def cjm_tables(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]


def test_tables_dropped_after_the_call(hand):
    con = duckdb.connect()
    con.register("hand", hand)
    out = quiet(
        an.analyze, con.table("hand"), make_journey(), mapping=MAPPING, segment_col="channel", level="event"
    )
    assert set(out) == set(SINGLE)
    assert cjm_tables(con) == []


def test_tables_dropped_when_a_metric_fails(hand, monkeypatch):
    con = duckdb.connect()
    con.register("hand", hand)
    made = []
    real = DuckDBSource.materialize
    monkeypatch.setattr(
        DuckDBSource, "materialize", lambda self, name, sql: (made.append(name), real(self, name, sql))
    )
    monkeypatch.setattr(_sql, "exits_sql", lambda js, tables, fs: "SELECT * FROM no_such_table")
    with pytest.raises(duckdb.Error):
        quiet(an.analyze, con.table("hand"), make_journey(), mapping=MAPPING)
    assert made and cjm_tables(con) == []


def test_two_runs_on_one_connection_do_not_clash(hand):
    con = duckdb.connect()
    con.register("hand", hand)
    rel = con.table("hand")
    a = quiet(an.analyze, rel, make_journey(), mapping=MAPPING, metrics=["variants"])
    b = quiet(an.analyze, rel, make_journey(), mapping=MAPPING, metrics=["variants"])
    pd.testing.assert_frame_equal(a["variants"], b["variants"])


# -- bad input: raised before anything is computed ---------------------------------------------


@pytest.fixture
def spy(monkeypatch):
    """Records every profile and materialization."""
    calls = []
    real_prepare = eventlog.prepare_events

    def prepare(*args, **kw):
        calls.append("profile")
        return real_prepare(*args, **kw)

    monkeypatch.setattr(eventlog, "prepare_events", prepare)
    monkeypatch.setattr(DuckDBSource, "materialize", lambda self, name, sql: calls.append(name))
    return calls


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"metrics": ["funnel", "nps"]}, "metrics"),
        ({"metrics": []}, "metrics"),
        ({"level": "channel"}, "level"),
        ({"top": 0}, "top"),
        ({"top": 2.5}, "top"),
        ({"mapping": {"e0": "nope"}}, "touchpoint"),
    ],
)
def test_bad_arguments_raise_before_profiling(hand, spy, kw, match):
    kw = {"mapping": MAPPING} | kw
    with pytest.raises(ValidationError, match=match):
        an.analyze(hand, make_journey(), **kw)
    assert spy == []


@pytest.mark.parametrize(
    ("events", "kw", "match"),
    [
        (hand_events(), {"customer_col": "user"}, "user"),
        (hand_events(), {"segment_col": "persona"}, "persona"),
        (hand_events().assign(timestamp="2024"), {}, "timestamps"),
        (hand_events().iloc[:0], {}, "empty"),
    ],
)
def test_bad_log_raises_before_materializing(spy, events, kw, match):
    with pytest.raises(ValidationError, match=match):
        an.analyze(events, make_journey(), mapping=MAPPING, **kw)
    assert spy == ["profile"]
