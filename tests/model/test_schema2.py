"""Schema version 2: new meta fields, updated_at, the goals frame, and version-1 files migrated."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime
from itertools import count
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.io.cells import build_frame
from cjm_jupyter.model import core
from cjm_jupyter.model.specs import FRAMES

from ..support.journeys import build_small_journey
from ..support.paths import FIXTURES

V1 = FIXTURES / "v1"
INSTANT_RULE = "must be an ISO 8601 UTC instant such as '2026-12-03T13:05:00Z', or None"
DATE_RULE = "must be an ISO date such as '2026-11-30', or None"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A clock that gives a new instant on every call; the list holds the instants it gave."""
    ticks = count(1)
    given: list[str] = []

    def now() -> str:
        given.append(f"2026-12-03T13:05:{next(ticks):02d}Z")
        return given[-1]

    monkeypatch.setattr(core, "_utc_now", now)
    return given


# -- version-1 files -------------------------------------------------------------------------
def _v1_expectation() -> Journey:
    """The v1 fixture's content as schema 2 reads it: built from the v1 document's own cells.

    New columns empty, no goals, no new meta: the Journey adds whatever the
    document lacks as empty, without any migration code.
    """
    doc = json.loads((V1 / "colleen.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    frames = {
        name: build_frame([(c["name"], c["dtype"], c["values"]) for c in body["columns"]], frame=name)
        for name, body in doc["frames"].items()
    }
    return Journey(frames=frames, **doc["meta"])


V1_READERS = {
    "json": lambda: cjm.read_json(V1 / "colleen.json"),
    "excel": lambda: cjm.read_excel(V1 / "colleen.xlsx"),
    "csv": lambda: cjm.read_csv(V1 / "colleen-csv"),
}


@pytest.mark.parametrize("fmt", list(V1_READERS))
def test_version_1_file_loads_as_its_migrated_expectation(fmt):
    got = V1_READERS[fmt]()
    expected = _v1_expectation()
    assert got.equals(expected)
    assert got.meta == {
        "name": "Curious Colleen buys a vacuum cleaner",
        "scenario": expected.scenario,
        "kind": "current_state",
        "description": expected.description,
        "version": None,
        "owner": None,
        "updated_at": None,
        "reviewed_at": None,
    }
    metrics = got.metrics
    assert list(metrics.columns)[-2:] == ["period", "run_id"]
    assert metrics[["period", "run_id"]].isna().all().all() and len(metrics) == 5
    emotions = got.emotions
    assert emotions[["period", "run_id"]].isna().all().all() and len(emotions) == 10
    assert got.personas["validated_at"].isna().all()
    assert str(got.personas["validated_at"].dtype) == "datetime64[us]"
    assert got.goals.empty and list(got.goals.columns) == list(FRAMES["goals"].column_names)
    # the user's own column of the v1 file is kept, after the built-in ones
    assert list(got.stages.columns) == ["id", "name", "description", "order", "kpi"]
    assert got.stages["kpi"].notna().any()


@pytest.mark.parametrize("fmt", list(V1_READERS))
def test_version_1_file_saved_again_is_the_current_version(fmt, tmp_path):
    got = V1_READERS[fmt]()
    got.to_csv(tmp_path / "csv")
    manifest = json.loads((tmp_path / "csv" / "journey.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == cjm.io.SCHEMA_VERSION
    assert json.loads(got.to_json())["schema_version"] == cjm.io.SCHEMA_VERSION
    assert cjm.read_csv(tmp_path / "csv").equals(got)


def test_migration_does_not_change_the_document_it_reads():
    from cjm_jupyter.io.migrate import upgrade_document

    doc = json.loads((V1 / "colleen.json").read_text(encoding="utf-8"))
    before = json.dumps(doc)
    out = upgrade_document(doc)
    assert json.dumps(doc) == before
    assert out["schema_version"] == cjm.io.SCHEMA_VERSION
    assert out["frames"]["goals"]["columns"][0]["values"] == []
    assert list(out["frames"]) == [*doc["frames"], "goals"]


# -- version 2 round trip, version 3 refused ----------------------------------------------------------------
def _v2_journey() -> Journey:
    j = cjm.templates.load("colleen")
    j.version = "2026-Q3"
    j.owner = "CX team"
    j.mark_reviewed("2026-11-30")
    j.update_persona("curious-colleen", validated_at="2026-10-01")
    j.add_metric(
        "Bounce rate", 61.0, touchpoint="brand-website", unit="%", period="2026-Q3", run_id="measure"
    )
    j.set_emotion("curious-colleen", touchpoint="checkout", score=1, source="survey", period="2026-Q3")
    j.add("goals", name="Cart abandonment", target=60, comparison="<=", unit="%", segment="mobile")
    return j


def _save_and_read(j: Journey, fmt: str, tmp_path: Path) -> Journey:
    if fmt == "json":
        j.to_json(tmp_path / "m.json")
        return cjm.read_json(tmp_path / "m.json")
    if fmt == "excel":
        j.to_excel(tmp_path / "m.xlsx")
        return cjm.read_excel(tmp_path / "m.xlsx")
    j.to_csv(tmp_path / "m")
    return cjm.read_csv(tmp_path / "m")


@pytest.mark.parametrize("fmt", ["json", "excel", "csv"])
def test_version_2_round_trip_equals(fmt, tmp_path):
    j = _v2_journey()
    back = _save_and_read(j, fmt, tmp_path)
    assert back.equals(j)
    assert back.meta == j.meta  # updated_at included: reading is not a change
    assert back.updated_at is not None
    assert len(back.goals) == 4 and int((back.emotions["period"] == "2026-Q3").sum()) == 1


@pytest.mark.parametrize("fmt", ["json", "excel", "csv"])
def test_a_newer_schema_version_is_refused(fmt, tmp_path):
    j = build_small_journey()
    NEWER = cjm.io.SCHEMA_VERSION + 1
    rule = (
        f"newer than the version {cjm.io.SCHEMA_VERSION} this release of cjm_jupyter reads; "
        "upgrade cjm_jupyter to open it"
    )
    if fmt == "json":
        doc = json.loads(j.to_json())
        doc["schema_version"] = NEWER
        (tmp_path / "m.json").write_text(json.dumps(doc), encoding="utf-8")
        read, path = cjm.read_json, tmp_path / "m.json"
        where = str(path)
    elif fmt == "csv":
        j.to_csv(tmp_path / "m")
        manifest = tmp_path / "m" / "journey.json"
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        doc["schema_version"] = NEWER
        manifest.write_text(json.dumps(doc), encoding="utf-8")
        read, path, where = cjm.read_csv, tmp_path / "m", str(manifest)
    else:
        j.to_excel(tmp_path / "m.xlsx")
        wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
        for row in wb["journey"].iter_rows():
            if row[0].value == "schema_version":
                row[1].value = NEWER
        wb.save(tmp_path / "m.xlsx")
        read, path = cjm.read_excel, tmp_path / "m.xlsx"
        where = str(path)
    with pytest.raises(cjm.SchemaVersionError) as err:
        read(path)
    assert str(err.value) == (
        f"column 'schema_version', value {NEWER}: {where} "
        f"was written with journey schema version {NEWER}, {rule}"
    )


def test_v1_csv_folder_copy_reads_and_saves_over(tmp_path):
    folder = tmp_path / "colleen-csv"
    shutil.copytree(V1 / "colleen-csv", folder)
    j = cjm.read_csv(folder)
    j.add("goals", name="CSAT", target=4.3, comparison=">=", stage_id="use")
    j.to_csv(folder)  # the v1 folder's manifest is ours: saved over, goals.csv added
    assert cjm.read_csv(folder).equals(j)
    assert (folder / "goals.csv").is_file()


# -- meta fields ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j: setattr(j, "version", 2), "column 'version', value 2: must be text or None"),
        (lambda j: setattr(j, "owner", ["a"]), "column 'owner', value ['a']: must be text or None"),
        (
            lambda j: j.set_meta(updated_at="2026-12-03T13:05:00Z"),
            "column 'updated_at', value '2026-12-03T13:05:00Z': is set by the journey itself whenever "
            "its content changes; it cannot be set",
        ),
        (lambda j: setattr(j, "reviewed_at", "30/11/2026"), f"value '30/11/2026': {DATE_RULE}"),
        (lambda j: setattr(j, "reviewed_at", "2026-02-30"), f"value '2026-02-30': {DATE_RULE}"),
        (lambda j: j.mark_reviewed("2026-11-30T10:00"), f"value '2026-11-30T10:00': {DATE_RULE}"),
        (lambda j: setattr(j, "reviewed_at", 20261130), f"value 20261130: {DATE_RULE}"),
    ],
)
def test_meta_field_refusals_change_nothing(call, message):
    j = build_small_journey()
    before = j.meta
    with pytest.raises(ValidationError) as err:
        call(j)
    column = "" if message.startswith("column") else "column 'reviewed_at', "
    assert str(err.value) == column + message
    assert j.meta == before


@pytest.mark.parametrize(
    "value",
    ["2026-12-03 13:05:00Z", "2026-12-03T13:05:00", "2026-12-03T13:05:00.5Z", "2026-12-03T13:05Z",
     "2026-13-03T13:05:00Z", "2026-12-03T25:05:00Z", "\uff12026-12-03T13:05:00Z", 5],
)  # fmt: skip
def test_updated_at_given_to_the_constructor_must_be_an_instant(value):
    with pytest.raises(ValidationError) as err:
        Journey("x", updated_at=value)
    assert str(err.value) == f"column 'updated_at', value {value!r}: {INSTANT_RULE}"


def test_updated_at_in_a_file_is_checked(tmp_path):
    doc = json.loads(build_small_journey().to_json())
    doc["meta"]["updated_at"] = "yesterday"
    with pytest.raises(cjm.FileFormatError) as err:
        cjm.read_json(json.dumps(doc))
    assert str(err.value) == (
        "JSON text: meta 'updated_at' must be an ISO 8601 UTC instant such as '2026-12-03T13:05:00Z' "
        "or null, not 'yesterday'"
    )
    doc["meta"]["updated_at"] = None
    doc["meta"]["reviewed_at"] = "2026-11-31"  # matches the pattern; the calendar refuses it
    with pytest.raises(ValidationError) as err:
        cjm.read_json(json.dumps(doc))
    assert str(err.value) == f"column 'reviewed_at', value '2026-11-31': {DATE_RULE}"


def test_reviewed_at_typed_as_a_date_in_excel_reads_as_its_date(tmp_path):
    j = build_small_journey()
    j.mark_reviewed("2026-01-02")
    j.to_excel(tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "m.xlsx")
    for row in wb["journey"].iter_rows():
        if row[0].value == "reviewed_at":
            row[1].value = datetime(2026, 11, 30)  # a date cell, as Excel makes of a typed date
    wb.save(tmp_path / "m.xlsx")
    assert cjm.read_excel(tmp_path / "m.xlsx").reviewed_at == "2026-11-30"


def test_empty_text_is_stored_as_missing_and_dates_as_text():
    j = Journey("x", version="", owner="", reviewed_at=date(2026, 11, 30))
    assert (j.version, j.owner, j.reviewed_at) == (None, None, "2026-11-30")
    j.reviewed_at = datetime(2026, 12, 1, 15, 30)
    assert j.reviewed_at == "2026-12-01"


def test_mark_reviewed(clock, monkeypatch):
    j = build_small_journey()

    class Today(date):
        @classmethod
        def today(cls) -> Today:
            return cls(2026, 12, 3)

    monkeypatch.setattr("cjm_jupyter.model.journey.date", Today)
    assert j.mark_reviewed() == "2026-12-03" and j.reviewed_at == "2026-12-03"
    assert j.updated_at == clock[-1]  # reviewing is a change of the meta data
    assert j.mark_reviewed(date(2026, 11, 30)) == "2026-11-30"
    assert j.mark_reviewed("2026-10-01") == "2026-10-01"
    assert j.meta["reviewed_at"] == "2026-10-01"


# -- updated_at --------------------------------------------------------------------------------
def test_a_new_journey_has_no_updated_at():
    assert Journey("x").updated_at is None
    frames = build_small_journey().frames
    assert Journey("x", frames=frames).updated_at is None  # made, not changed


def test_every_kind_of_change_sets_updated_at_before_observers_hear_it(clock):
    j = build_small_journey()
    seen: list[tuple[str, str | None]] = []
    j.observe(lambda ch: seen.append((ch.kind, j.updated_at)))
    del clock[:]  # the instants of building it
    edits = [
        lambda: j.add_stage("Use"),
        lambda: j.update_stage("use", name="Using it"),
        lambda: j.move_stage("use", 0),
        lambda: j.remove_stage("use"),
        lambda: j.replace_frame("lanes", j.lanes.iloc[0:1]),
        lambda: j.set_meta(description="Changed"),
        lambda: setattr(j, "owner", "CX"),
    ]
    for edit in edits:
        edit()
        assert j.updated_at == clock[-1]
    assert seen == [
        ("add", clock[0]),
        ("update", clock[1]),
        ("move", clock[2]),
        ("remove", clock[3]),
        ("replace", clock[4]),
        ("meta", clock[5]),
        ("meta", clock[6]),
    ]


def test_a_change_that_changes_nothing_leaves_updated_at(clock):
    j = build_small_journey()
    stamp = j.updated_at
    j.update_stage("awareness", name="Awareness")
    j.set_meta(name=j.name)
    j.replace_frame("stages", j.stages)
    with j.batch():
        pass
    assert j.updated_at == stamp


def test_a_batch_sets_one_updated_at(clock):
    j = build_small_journey()
    calls = len(clock)
    seen = []
    j.observe(lambda ch: seen.append(j.updated_at))
    with j.batch():
        for k in range(10):  # enough edits to go through the batch's row buffer too
            j.add_touchpoint("awareness", f"Ad {k}")
        j.name = "Renamed"
        assert j.updated_at != clock[-1] or len(clock) == calls  # not stamped inside the batch
    assert len(clock) == calls + 1
    assert j.updated_at == clock[-1] and seen == [clock[-1]]


def test_a_refused_change_or_a_rolled_back_batch_keeps_updated_at(clock):
    j = build_small_journey()
    stamp = j.updated_at
    with pytest.raises(ValidationError):
        j.add_stage("")
    with pytest.raises(ValidationError), j.batch():
        j.add_stage("Use")
        j.add_stage(None)
    assert j.updated_at == stamp


def test_save_load_and_copy_keep_updated_at(clock, tmp_path):
    j = build_small_journey()
    stamp = j.updated_at
    calls = len(clock)
    for fmt in ("json", "excel", "csv"):
        back = _save_and_read(j, fmt, tmp_path)
        assert back.updated_at == stamp
    assert j.copy().updated_at == stamp
    assert j.updated_at == stamp and len(clock) == calls  # nothing read the clock


def test_equals_ignores_updated_at_but_not_the_other_meta(clock):
    a = build_small_journey()
    b = build_small_journey()
    assert a.updated_at != b.updated_at
    assert a.equals(b) and b.equals(a)
    b.version = "2"
    assert not a.equals(b)
    b.version = None
    b.mark_reviewed("2026-11-30")
    assert not a.equals(b)


# -- goals --------------------------------------------------------------------------------
def test_goal_comparison_must_be_one_of_the_choices():
    j = build_small_journey()
    with pytest.raises(ValidationError) as err:
        j.add("goals", name="CSAT", target=4, comparison="≥", stage_id="purchase", id="g")
    assert str(err.value) == (
        "frame 'goals', row 'g', column 'comparison', value '≥': must be one of >=, >, <=, <, =="
    )
    assert j.goals.empty


def test_goal_at_a_stage_or_a_touchpoint_or_journey_wide():
    j = build_small_journey()
    j.add("goals", name="NPS", target=30, comparison=">=", id="whole")
    j.add("goals", name="CSAT", target=4, comparison=">=", stage_id="purchase", id="at-stage")
    j.add("goals", name="CTR", target=0.05, comparison=">", touchpoint_id="ads", id="at-tp")
    with pytest.raises(ValidationError) as err:
        j.add("goals", name="X", target=1, comparison="==", stage_id="purchase", touchpoint_id="ads",
              id="both")  # fmt: skip
    assert str(err.value) == (
        "frame 'goals', row 'both', column 'stage_id', value 'purchase': set only one of stage_id or "
        "touchpoint_id"
    )
    assert j.goals["id"].tolist() == ["whole", "at-stage", "at-tp"]
    assert j.goals["target"].tolist() == [30.0, 4.0, 0.05]


def test_removing_a_stage_or_touchpoint_needs_cascade_and_takes_its_goals():
    j = build_small_journey()
    j.add("goals", name="CSAT", target=4, comparison=">=", stage_id="purchase", id="g-stage")
    j.add("goals", name="Read time", target=30, comparison=">", touchpoint_id="reviews", id="g-tp")
    j.add("goals", name="NPS", target=30, comparison=">=", id="g-all")
    with pytest.raises(ValidationError) as err:
        j.remove_touchpoint("reviews")
    assert str(err.value) == (
        "frame 'touchpoints', row 'reviews': still used by goals 'g-tp'; pass cascade=True to remove or "
        "unlink them too"
    )
    j.remove_touchpoint("reviews", cascade=True)
    j.remove_stage("purchase", cascade=True)
    assert j.goals["id"].tolist() == ["g-all"]


def test_colleen_goals_come_from_its_kpis_lane():
    j = cjm.templates.load("colleen")
    goals = j.goals
    got = goals[["name", "target", "comparison", "unit", "stage_id", "touchpoint_id"]].astype(object)
    assert got.where(goals.notna(), None).values.tolist() == [
        ["Bounce rate", 50.0, "<", "%", None, "brand-website"],
        ["Conversion rate", 3.0, ">", "%", "purchase", None],
        ["CSAT", 4.3, ">=", "1-5", "use", None],
    ]
    # each goal names a metric measured at the same place
    metrics = j.metrics
    for _, g in goals.iterrows():
        place = "touchpoint_id" if pd.notna(g["touchpoint_id"]) else "stage_id"
        assert ((metrics["name"] == g["name"]) & (metrics[place] == g[place])).any(), g["name"]
    assert j.lanes.loc[j.lanes["lane"] == "KPIs", "text"].dropna().tolist() == [
        "Bounce rate < 50%",
        "Conversion rate > 3%",
        "CSAT ≥ 4.3",
    ]
    assert j.updated_at is None


# -- emotions: period is part of the key ---------------------------------------------------------
def test_emotion_rows_of_other_periods_are_rows_of_their_own():
    j = build_small_journey()
    undated = j.emotions.set_index("id").loc["emo-2"]
    q3 = j.set_emotion("curious-colleen", stage="consideration", score=-1, source="survey", period="2026-Q3")
    assert q3 != "emo-2"
    again = j.set_emotion("curious-colleen", stage="consideration", score=2, source="survey")
    assert again == "emo-2"  # the undated row, not the measured one
    rows = j.emotions.set_index("id")
    assert rows.loc["emo-2", "score"] == 2 and rows.loc[q3, "score"] == -1
    assert rows.loc[q3, "period"] == "2026-Q3" and pd.isna(undated["period"])
    with pytest.raises(ValidationError) as err:
        j.add("emotions", persona_id="curious-colleen", stage_id="consideration", score=0, source="survey",
              basis="measured", period="2026-Q3", id="dup")  # fmt: skip
    assert str(err.value) == (
        "frame 'emotions', row 'dup', column 'source', value 'survey': duplicate combination of "
        "persona_id, stage_id, touchpoint_id, segment, period, source"
    )
