"""Schema version 3: personas from data segments, emotions per segment, version-2 files migrated."""

from __future__ import annotations

import json

import pytest

import cjm_jupyter as cjm
from cjm_jupyter import Journey, ValidationError
from cjm_jupyter.io.cells import build_frame
from cjm_jupyter.model.specs import FRAMES

from ..support.paths import FIXTURES

V2 = FIXTURES / "v2"
PERSONA_ADDED = ["source", "basis", "n", "segment", "segment_definition"]

V2_READERS = {
    "json": lambda: cjm.read_json(V2 / "colleen.json"),
    "excel": lambda: cjm.read_excel(V2 / "colleen.xlsx"),
    "csv": lambda: cjm.read_csv(V2 / "colleen-csv"),
}


def _v2_expectation() -> Journey:
    """The v2 fixture's content as schema 3 reads it: its own cells, the new columns empty."""
    doc = json.loads((V2 / "colleen.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 2
    frames = {
        name: build_frame([(c["name"], c["dtype"], c["values"]) for c in body["columns"]], frame=name)
        for name, body in doc["frames"].items()
    }
    return Journey(frames=frames, **doc["meta"])


@pytest.mark.parametrize("fmt", list(V2_READERS))
def test_version_2_file_loads_as_its_migrated_expectation(fmt):
    got = V2_READERS[fmt]()
    assert got.equals(_v2_expectation())
    assert got.owner == "CX team" and got.version == "1.1"
    assert list(got.personas.columns)[-5:] == PERSONA_ADDED
    assert got.personas[PERSONA_ADDED].isna().all().all()
    assert got.emotions["segment"].isna().all()
    # what schema 2 wrote is all there: measured rows per segment, the goal, the dated persona
    assert set(got.metrics["segment"].dropna()) == {"mobile", "desktop"}
    assert set(got.metrics["period"].dropna()) == {"2026-Q2"}
    assert len(got.goals) == 4 and "conversion" in set(got.goals["name"])  # 3 of the template, 1 added
    assert got.personas["validated_at"].notna().sum() == 1
    assert (got.emotions["period"] == "2026-Q2").sum() == 1


@pytest.mark.parametrize("fmt", list(V2_READERS))
def test_version_2_file_saved_again_is_version_3_and_round_trips(fmt, tmp_path):
    got = V2_READERS[fmt]()
    assert json.loads(got.to_json())["schema_version"] == 3
    got.to_excel(tmp_path / "m.xlsx")
    got.to_csv(tmp_path / "csv")
    assert cjm.read_excel(tmp_path / "m.xlsx").equals(got)
    assert cjm.read_csv(tmp_path / "csv").equals(got)


def test_v2_fixture_files_are_untouched_by_reading():
    before = {p: p.read_bytes() for p in V2.rglob("*") if p.is_file()}
    for read in V2_READERS.values():
        read()
    assert {p: p.read_bytes() for p in V2.rglob("*") if p.is_file()} == before


def test_persona_columns_and_round_trip_of_a_persona_from_data(tmp_path):
    j = cjm.templates.load("colleen")
    pid = j.add_persona(
        "Segment 2 (name me)",
        source="segmentation",
        basis="measured",
        n=1234,
        segment="2",
        segment_definition='{"method": "kmeans", "k": 3}',
    )
    assert FRAMES["personas"].column_names[-5:] == tuple(PERSONA_ADDED)
    for write, read in ((j.to_json, cjm.read_json), (j.to_excel, cjm.read_excel), (j.to_csv, cjm.read_csv)):
        path = tmp_path / f"m-{write.__name__}"
        write(path)
        back = read(path)
        assert back.equals(j)
        row = back.personas.set_index("id").loc[pid]
        assert (row["source"], row["basis"], int(row["n"]), row["segment"]) == (
            "segmentation",
            "measured",
            1234,
            "2",
        )


def test_persona_basis_and_n_are_validated():
    j = cjm.templates.load("colleen")
    with pytest.raises(ValidationError, match="basis") as err:
        j.add_persona("X", basis="guessed")
    assert err.value.value == "guessed"
    with pytest.raises(ValidationError, match="'n'"):
        j.add_persona("Y", n=-1)
    assert "X" not in set(j.personas["name"]) and "Y" not in set(j.personas["name"])


def test_emotions_per_segment_share_a_place_and_period_but_not_a_segment():
    j = cjm.templates.load("colleen")
    stage = j.stages["id"].iloc[0]
    common = {
        "persona_id": None,
        "stage_id": stage,
        "score": 1.0,
        "source": "survey",
        "basis": "measured",
        "period": "2026-Q3",
    }
    j.add("emotions", segment="mobile", **common)
    j.add("emotions", segment="desktop", **{**common, "score": -1.0})
    j.add("emotions", **{**common, "score": 0.5})  # every customer
    assert len(j.emotions[(j.emotions["period"] == "2026-Q3").fillna(False)]) == 3
    before = j.emotions.copy()
    with pytest.raises(ValidationError, match="segment"):
        j.add("emotions", segment="mobile", **{**common, "score": 2.0})
    assert j.emotions.equals(before)
