"""The ``Map`` sheet: the journey map laid out in Excel, first, for reading and printing; never read back."""

from __future__ import annotations

import csv
import shutil
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import LineChart

import cjm_jupyter as cjm
from cjm_jupyter import templates
from cjm_jupyter.io.map_sheet import MAP_SHEET, PERSONA_COLORS, STAGE_WIDTH, TITLE_WIDTH
from cjm_jupyter.io.map_sheet_content import MAP_LANES, WHOLE_JOURNEY, map_table
from cjm_jupyter.model.labels import NO_PERSONA_LABEL

from ..support.paths import FIXTURES

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(1)", "=1+1", "#N/A"]


def _colleen_sheet(tmp_path: Path):
    path = tmp_path / "colleen.xlsx"
    templates.load("colleen").to_excel(path)
    return openpyxl.load_workbook(path)


def _column_a(ws) -> list[str]:
    return [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]


def _three_personas() -> cjm.Journey:
    j = cjm.Journey("Three curves")
    ann, ben = j.add_persona("Ann"), j.add_persona("Ben")
    s1, s2 = j.add_stage("Look", id="look"), j.add_stage("Buy", id="buy")
    t = j.add_touchpoint(s1, "Site", channel="website")
    j.set_emotion(ann, touchpoint=t, score=-1, thought="Slow", source="interview")
    j.set_emotion(ann, stage=s1, score=0, source="survey")
    j.set_emotion(ann, stage=s2, score=2, source="interview")
    j.set_emotion(ben, stage=s2, score=1, source="interview")
    j.set_emotion(None, stage=s1, score=0.5, source="survey")
    return j


# -- layout ----------------------------------------------------------------------------------
def test_map_sheet_comes_first_with_title_and_stage_names_in_order(tmp_path):
    wb = _colleen_sheet(tmp_path)
    assert wb.sheetnames[0] == MAP_SHEET == "Map"
    assert wb.sheetnames[1:3] == ["journey", "_columns"]
    ws = wb[MAP_SHEET]
    colleen = templates.load("colleen")
    assert ws["A1"].value == colleen.name
    assert [c.value for c in ws[3]] == ["Stage", *colleen.stages["name"]]
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:F1", "A2:F2"}
    assert ws["A2"].value.endswith(
        "The journey map, for reading and printing. Edit the data sheets after it: this one is not read."
    )


def _full() -> cjm.Journey:
    """Something in every lane, some of it placed through another row (as on the map)."""
    j = _three_personas()
    j.add_touchpoint("look", "Ads", channel="ads", action="Sees an ad")
    j.add_touchpoint("buy", "Checkout", action="Pays", id="pay")
    pain = j.add_pain_point("Hidden fees", touchpoint="pay", severity=4, source="survey")
    opp = j.add_opportunity("Show the total early", pain_point=pain, impact=4, effort=2)
    j.add_action("Redesign the basket", opportunity=opp, owner="Web", status="in_progress", due="2026-06-30")
    j.add_metric("conversion", 0.4, stage="buy", unit="ratio", period="2026-Q1")
    j.add_metric("conversion", 0.5, stage="buy", unit="ratio", period="2026-Q2")
    j.add_metric("CSAT", 4.25, stage="buy", unit="1-5", segment="mobile", period="2026-Q2")
    j.add_lane("Backstage", {"buy": "Payment provider"})
    return j


def test_lanes_are_rows_in_the_maps_order_with_custom_lanes_last(tmp_path):
    path = tmp_path / "full.xlsx"
    _full().to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    assert _column_a(ws) == [
        "Customer actions",
        "Touchpoints",
        "Thoughts",
        "Emotions",
        "Ann",  # the scores the chart draws, one row per curve
        "Ben",
        NO_PERSONA_LABEL,
        "Pain points",
        "Opportunities",
        "Action plan",
        "Metrics",
        "Backstage",
    ]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    lanes = {name: [ws.cell(rows[name], c).value for c in (2, 3)] for name in rows}
    assert lanes["Customer actions"] == ["• Sees an ad", "• Pays"]
    assert lanes["Touchpoints"] == ["• Site (website)\n• Ads (ads)", "• Checkout"]
    assert lanes["Thoughts"] == ["“Slow” — Ann", None]  # several personas: whose thought
    assert lanes["Pain points"] == [None, "• Hidden fees (severity 4/5)"]
    # at its pain point's stage, and the action at its opportunity's
    assert lanes["Opportunities"] == [None, "• Show the total early (impact 4 · effort 2)"]
    assert lanes["Action plan"] == [None, "• Redesign the basket (Web · in progress · due 2026-06-30)"]
    # the latest period only, as on the map
    assert lanes["Metrics"] == [None, "• conversion: 50.0%\n• CSAT: 4.25 (1-5) (mobile)"]
    assert lanes["Backstage"] == [None, "Payment provider"]
    assert ws["A2"].value.startswith("Current state · metrics and emotions of 2026-Q2\n")


def test_the_sheets_lanes_are_the_maps_lanes():
    from cjm_jupyter.plots.map import LANE_TITLES, LANES

    assert tuple(LANES) == tuple(MAP_LANES)
    assert {name: LANE_TITLES[name] for name in LANES} == MAP_LANES


def test_persona_colours_are_the_plots():
    from cjm_jupyter.plots.theme import PERSONA_PALETTE

    assert tuple(PERSONA_PALETTE) == PERSONA_COLORS


def test_text_wraps_at_the_top_of_its_cell_with_widths_and_heights_set(tmp_path):
    ws = _colleen_sheet(tmp_path)[MAP_SHEET]
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.alignment.wrap_text, cell.coordinate
                assert cell.alignment.vertical == "top", cell.coordinate
    assert ws.column_dimensions["A"].width == TITLE_WIDTH
    assert [ws.column_dimensions[c].width for c in "BCDEF"] == [STAGE_WIDTH] * 5
    heights = {ws.cell(r, 1).value: ws.row_dimensions[r].height for r in range(4, ws.max_row + 1)}
    assert heights["Emotions"] == 150  # the chart's row
    # a row grows with its longest cell: the action plan lists three actions at Research
    assert heights["Action plan"] > heights["Touchpoints"] > heights["KPIs"] >= 32


def test_prints_landscape_one_page_wide_with_lane_titles_and_stages_frozen(tmp_path):
    ws = _colleen_sheet(tmp_path)[MAP_SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_area == f"'Map'!$A$1:$F${ws.max_row}"
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "B4"
    assert ws.print_title_cols is None  # one page across: no need to repeat the lane titles


def test_a_wide_map_prints_on_several_pages_across_with_lane_titles_on_each(tmp_path):
    j = cjm.Journey("Twelve stages")
    for k in range(12):
        j.add_touchpoint(j.add_stage(f"Stage {k + 1}"), f"Touchpoint {k + 1}")
    j.to_excel(tmp_path / "wide.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "wide.xlsx")[MAP_SHEET]
    assert ws.page_setup.fitToWidth == 2  # six stages a page
    assert ws.print_title_cols == "$A:$A"
    assert ws.print_area == f"'Map'!$A$1:$M${ws.max_row}"


# -- the emotion chart --------------------------------------------------------------------------
def test_emotion_curve_is_a_line_chart_with_one_series_per_persona(tmp_path):
    path = tmp_path / "three.xlsx"
    _three_personas().to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert isinstance(chart, LineChart)
    labels = [s.tx.strRef.f for s in chart.series]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    assert [ws[f.split("!")[1]].value for f in labels] == ["Ann", "Ben", NO_PERSONA_LABEL]
    assert [s.val.numRef.f for s in chart.series] == [
        f"'Map'!$B${rows[name]}:$C${rows[name]}" for name in ("Ann", "Ben", NO_PERSONA_LABEL)
    ]
    assert [s.cat.strRef.f for s in chart.series] == ["'Map'!$B$3:$C$3"] * 3
    # mean score per stage; a gap where the persona has none
    assert [[ws.cell(rows[n], c).value for c in (2, 3)] for n in ("Ann", "Ben", NO_PERSONA_LABEL)] == [
        [-0.5, 2],
        [None, 1],
        [0.5, None],
    ]
    assert (chart.y_axis.scaling.min, chart.y_axis.scaling.max) == (-2, 2)
    # each persona in its colour in the plots; rows for every persona grey
    colors = [s.graphicalProperties.line.solidFill.srgbClr for s in chart.series]
    assert colors == [PERSONA_COLORS[0][1:], PERSONA_COLORS[1][1:], "6E7781"]
    # drawn over the chart's row, from the lane titles to the last stage
    anchor = chart.anchor
    assert (anchor._from.col, anchor._from.row, anchor.to.col, anchor.to.row) == (
        0,
        rows["Emotions"] - 1,
        3,
        rows["Emotions"],
    )


def test_a_journey_without_emotions_has_no_chart(tmp_path):
    path = tmp_path / "plain.xlsx"
    templates.load("three_stage").to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    assert ws._charts == []
    assert "Emotions" in _column_a(ws)


def test_measured_segments_are_curves_of_their_own():
    j = _three_personas()
    j.set_emotion(None, stage="buy", score=-1, source="analytics", segment="mobile")
    assert [(s.label, s.scores) for s in map_table(j).emotions] == [
        ("Ann", [-0.5, 2.0]),
        ("Ben", [None, 1.0]),
        (NO_PERSONA_LABEL, [0.5, None]),
        (f"{NO_PERSONA_LABEL} · mobile", [None, -1.0]),
    ]


# -- rows at no stage --------------------------------------------------------------------------
def test_rows_at_no_stage_go_to_a_whole_journey_column(tmp_path):
    j = _three_personas()
    j.add_action("Hire a CX lead", owner="CEO")
    j.add_action("Speed up the site", stage="look")
    path = tmp_path / "whole.xlsx"
    j.to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    assert [c.value for c in ws[3]] == ["Stage", "Look", "Buy", WHOLE_JOURNEY]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    assert ws.cell(rows["Action plan"], 2).value == "• Speed up the site (planned)"
    assert ws.cell(rows["Action plan"], 4).value == "• Hire a CX lead (CEO · planned)"
    # the chart stays over the stages
    assert ws._charts[0].anchor.to.col == 3


# -- untrusted text ---------------------------------------------------------------------------
def _hostile() -> cjm.Journey:
    j = cjm.Journey(HOSTILE[0], scenario=HOSTILE[1])
    p = j.add_persona(HOSTILE[4])
    for i, text in enumerate(HOSTILE):
        s = j.add_stage(text, id=f"s{i}")
        t = j.add_touchpoint(s, text, channel=text, action=text)
        j.set_emotion(p, touchpoint=t, score=1, thought=text, source="interview")
        j.add_pain_point(text, touchpoint=t, source="survey")
    j.add_lane(HOSTILE[3], {"s0": HOSTILE[2]})
    return j


def test_hostile_text_on_the_map_sheet_is_text_never_a_formula(tmp_path):
    j = _hostile()
    path = tmp_path / "hostile.xlsx"
    j.to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert {c.data_type for c in cells} == {"s", "n"}
    assert all(c.data_type == "s" for c in cells if isinstance(c.value, str))
    assert ws["A1"].value == HOSTILE[0]
    assert [c.value for c in ws[3]][1:] == HOSTILE
    assert HOSTILE[4] in _column_a(ws)  # the persona's score row, the chart's series name
    assert HOSTILE[3] in _column_a(ws)  # the custom lane's title
    assert cjm.read_excel(path).equals(j)


def test_control_characters_are_escaped_and_long_text_is_cut_on_the_map_only(tmp_path):
    j = _three_personas()
    j.add_pain_point("bell\x07 " + "x" * 40_000, stage="look", source="survey")
    path = tmp_path / "long.xlsx"
    j.to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    rows = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    cell = ws.cell(rows["Pain points"], 2).value
    assert cell.startswith("• bell_x0007_ xxx")  # openpyxl shows the escape Excel reads as the character
    assert cell.endswith("x…")
    assert len(cell) == 3_000 + len("_x0007_") - 1
    assert cjm.read_excel(path).equals(j)  # the data sheets keep every character


# -- reading ignores the map sheet ------------------------------------------------------------
def test_reading_ignores_the_map_sheet_edited_moved_or_deleted(tmp_path):
    j = templates.load("colleen")
    path = tmp_path / "m.xlsx"
    j.to_excel(path)
    wb = openpyxl.load_workbook(path)
    wb[MAP_SHEET]["B5"] = "typed on the map"
    wb[MAP_SHEET]["A40"] = "=1+1"
    wb.move_sheet(MAP_SHEET, offset=len(wb.sheetnames) - 1)  # now last
    wb.move_sheet("touchpoints", offset=-5)
    wb.save(tmp_path / "moved.xlsx")
    assert cjm.read_excel(tmp_path / "moved.xlsx").equals(j)
    del wb[MAP_SHEET]
    wb.save(tmp_path / "deleted.xlsx")
    assert cjm.read_excel(tmp_path / "deleted.xlsx").equals(j)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_workbooks_of_older_releases_still_load_with_a_map_sheet_before_them(tmp_path, version):
    source = FIXTURES / version / "colleen.xlsx"
    expected = cjm.read_excel(source)
    wb = openpyxl.load_workbook(source)
    ws = wb.create_sheet(MAP_SHEET, 0)
    ws["A1"] = "a map sheet someone added"
    wb.save(tmp_path / "with-map.xlsx")
    assert cjm.read_excel(tmp_path / "with-map.xlsx").equals(expected)


def test_saving_a_loaded_workbook_writes_the_map_again(tmp_path):
    j = templates.load("colleen")
    j.to_excel(tmp_path / "a.xlsx")
    cjm.read_excel(tmp_path / "a.xlsx").to_excel(tmp_path / "b.xlsx")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


@pytest.mark.parametrize("name", templates.names())
def test_every_template_writes_a_map_sheet_and_round_trips(tmp_path, name):
    j = templates.load(name)
    path = tmp_path / f"{name}.xlsx"
    j.to_excel(path)
    ws = openpyxl.load_workbook(path)[MAP_SHEET]
    assert [c.value for c in ws[3] if c.value is not None] == ["Stage", *j.stages["name"]]
    assert len(ws._charts) == (1 if len(j.emotions) else 0)
    assert cjm.read_excel(path).equals(j)


# -- LibreOffice opens it -----------------------------------------------------------------------
def _soffice() -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-calc")
    return soffice


def _convert(soffice: str, source: Path, to: str, outdir: Path) -> None:
    profile = outdir.parent / f"lo-profile-{uuid.uuid4().hex}"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


def test_libreoffice_prints_the_map_and_shows_hostile_text_as_text(tmp_path):
    soffice = _soffice()
    path = tmp_path / "hostile.xlsx"
    _hostile().to_excel(path)
    _convert(soffice, path, "pdf", tmp_path / "pdf")
    pdf = (tmp_path / "pdf" / "hostile.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
    # the Map sheet as LibreOffice computes it: a formula would show its value ("2" for "=1+1")
    _convert(
        soffice,
        path,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1",
        tmp_path / "csv",
    )
    with (tmp_path / "csv" / "hostile-Map.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == HOSTILE[0]
    assert rows[2] == ["Stage", *HOSTILE]
    assert rows[3] == ["Customer actions", *(f"• {h}" for h in HOSTILE)]
    assert [r[0] for r in rows].count(HOSTILE[4]) == 1  # the persona's score row


def test_metric_values_read_as_on_the_map():
    """The sheet formats values with the map's function: revenue has no "currency" word."""
    j = _full()
    j.add_metric("revenue", 1234.5, stage="buy", unit="currency", period="2026-Q2")
    metrics = next(lane for lane in map_table(j).lanes if lane.key == "metrics")
    texts = " ".join(" ".join(cell) for cell in metrics.cells)
    assert "revenue: 1,234.50" in texts
    assert "currency" not in texts
