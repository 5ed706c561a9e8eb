"""Lossless round trips: JSON, Excel and CSV load back equal (property-based)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

import cjm_jupyter as cjm
from cjm_jupyter import Journey

from ..support.frames import assert_same_frame
from ..support.strategies import journeys

SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _assert_same(a: Journey, b: Journey) -> None:
    assert a.meta == b.meta
    for name in a.frames:
        assert_same_frame(a.frame(name), b.frame(name), check_exact=True, obj=name)
    assert a.equals(b)


@SETTINGS
@given(journey=journeys())
def test_json_round_trip(journey: Journey, tmp_path: Path) -> None:
    path = tmp_path / "map.json"
    journey.to_json(path)
    _assert_same(journey, cjm.read_json(path))
    _assert_same(journey, cjm.read_json(journey.to_json()))


@SETTINGS
@given(journey=journeys())
def test_csv_round_trip(journey: Journey, tmp_path: Path) -> None:
    folder = tmp_path / "map"
    journey.to_csv(folder)
    _assert_same(journey, cjm.read_csv(folder))
    journey.to_csv(folder)  # overwriting an earlier save works
    _assert_same(journey, cjm.read_csv(folder))


@SETTINGS
@given(journey=journeys())  # any text: control characters are escaped
def test_excel_round_trip(journey: Journey, tmp_path: Path) -> None:
    path = tmp_path / "map.xlsx"
    journey.to_excel(path)
    _assert_same(journey, cjm.read_excel(path))


UNICODE = [
    "Осведомлённость",
    "Świadomość zakupu",
    "Apzināšanās ķēde",
    "Delight 🎉✨",
    "=SUM(A1)",
    "  spaced  ",
    "a\nb",
]


@pytest.mark.parametrize("fmt", ["json", "csv", "excel"])
def test_unicode_and_formula_like_text_round_trip(fmt: str, tmp_path: Path) -> None:
    j = Journey("Путь клиента — ścieżka — ceļš")
    for name in UNICODE:
        j.add_stage(name, description=name)
    path = tmp_path / ("map.xlsx" if fmt == "excel" else "map")
    getattr(j, f"to_{fmt}")(path)
    back = getattr(cjm, f"read_{fmt}")(path)
    assert back.stages["name"].tolist() == UNICODE
    assert back.equals(j)


def test_excel_keeps_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "map.xlsx"
    j = Journey("Bell\x07")
    j.add_stage("bell\x07", description="nul\x00 cr\r\n _x0041_")
    j.to_excel(path)  # stored as _x0007_ etc., the OOXML escape Excel and LibreOffice read
    back = cjm.read_excel(path)
    assert back.stages["description"].tolist() == ["nul\x00 cr\r\n _x0041_"]
    assert back.equals(j)


def test_excel_sheets_are_readable_by_pandas(tmp_path: Path) -> None:
    j = cjm.Journey("Sheets")
    a = j.add_stage("Awareness")
    j.add_touchpoint(a, "Ads", channel="ads")
    j.to_excel(tmp_path / "m.xlsx")
    sheets = pd.read_excel(tmp_path / "m.xlsx", sheet_name=None)
    assert {"journey", "stages", "touchpoints", "emotions", "lanes"} <= set(sheets)
    assert sheets["touchpoints"]["name"].tolist() == ["Ads"]
