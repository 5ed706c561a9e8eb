"""The ``Map`` sheet: the journey map laid out in Excel, for reading and printing.

The first sheet of every workbook :meth:`Journey.to_excel` writes. A title row
with the journey's name, a row saying what the sheet is, a header row of stage
names, then one row per lane (:data:`.map_sheet_content.MAP_LANES`, then the
custom lanes) with the lane's items at each stage as wrapped text. The
emotion lane is a native Excel line chart, one series per persona, over the
rows of mean scores it plots. The lane titles (column A) and the stage names
stay in view when scrolling; it prints landscape, one page wide.

The sheet is a view, written again on every save; the reader never reads it
(the data sheets hold the journey). Every text cell is an explicit text cell
with the control characters escaped (:mod:`.excel_text`), as in the data
sheets: a persona called ``=HYPERLINK(...)`` is text here too, never a formula.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import LineChart, Reference
from openpyxl.chart.axis import ChartLines
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.chart.layout import Layout, ManualLayout
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..model.specs import EMOTION_SCALE
from .excel_text import escape
from .map_sheet_content import MapTable

__all__ = ["MAP_SHEET", "PERSONA_COLORS", "write_map_sheet"]

#: Title of the map sheet (the reader reads no sheet of this name).
MAP_SHEET = "Map"
#: Persona colours: Okabe-Ito without the oranges the emotion scale uses, as
#: :data:`cjm_jupyter.plots.theme.PERSONA_PALETTE` (a test keeps them equal;
#: copied so that writing Excel needs no Bokeh). Rows for every persona are grey.
PERSONA_COLORS = ("#0072B2", "#009E73", "#56B4E9", "#CC79A7", "#000000", "#F0E442")
ALL_PERSONAS_COLOR = "#6e7781"

#: Column widths in Excel's units (about one digit each).
TITLE_WIDTH = 22
STAGE_WIDTH = 32
#: Stage columns printed side by side on one landscape page: more and the
#: text would shrink below reading size, so a wider map prints on more pages across.
STAGES_PER_PAGE = 6
#: Points per line of 10 pt text, and the tallest row Excel allows.
LINE_PT = 13.0
MAX_ROW_PT = 409.0
CHART_ROW_PT = 150.0
#: More than this many characters in one map cell is no longer read on a map;
#: the data sheets keep the full text.
CELL_TEXT_LIMIT = 3_000

_LINE = Side(style="thin", color="D0D7DE")
_BOX = Border(left=_LINE, right=_LINE, top=_LINE, bottom=_LINE)
_WRAP = Alignment(wrap_text=True, vertical="top")
_LANE_FILL = PatternFill("solid", fgColor="F6F8FA")
_HEAD_FILL = PatternFill("solid", fgColor="DBE9F6")
_TEXT = "1F2328"
_MUTED = "6E7781"
_BODY = Font(size=10, color=_TEXT)
_BOLD = Font(size=10, color=_TEXT, bold=True)
_NAME = Font(size=10, color=_TEXT, italic=True)


class _Sheet:
    """Makes the styled cells of the map sheet (a write-only cell needs its sheet)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def text(
        self,
        value: str,
        *,
        font: Font = _BODY,
        fill: PatternFill | None = None,
        box: bool = True,
    ) -> WriteOnlyCell:
        if len(value) > CELL_TEXT_LIMIT:
            value = value[: CELL_TEXT_LIMIT - 1] + "…"
        cell = WriteOnlyCell(self.ws, value=escape(value))
        cell.data_type = "s"  # never a formula or an error value, whatever the text starts with
        cell.font = font
        cell.alignment = _WRAP
        if fill is not None:
            cell.fill = fill
        if box:
            cell.border = _BOX
        return cell

    def number(self, value: float | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=value)
        cell.number_format = "+0.0#;-0.0#;0"
        cell.font = _BODY
        cell.alignment = Alignment(horizontal="center", vertical="top")
        cell.border = _BOX
        return cell


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes wrapped in a column ``width`` characters wide (a generous estimate)."""
    per_line = max(1, int(width * 1.05))
    return sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n")) if text else 1


def _height(texts: list[str], width: float) -> float:
    lines = max((_lines(t, width) for t in texts), default=1)
    return min(MAX_ROW_PT, max(2, lines) * LINE_PT + 6)


Row = tuple[list[Any], float]  # the cells of a row and its height in points


def write_map_sheet(wb: Workbook, table: MapTable) -> Any:
    """Add the map sheet for ``table`` to the write-only workbook ``wb`` (as its next sheet).

    Row heights, column widths, merged title cells, the chart and the print
    setup are set before any row is streamed: a write-only sheet takes them only then.
    """
    ws = wb.create_sheet(MAP_SHEET)
    cells = _Sheet(ws)
    last = get_column_letter(1 + max(len(table.columns), 1))
    ws.column_dimensions["A"].width = TITLE_WIDTH
    for i in range(len(table.columns)):
        ws.column_dimensions[get_column_letter(2 + i)].width = STAGE_WIDTH
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")
    rows = _head_rows(cells, table)
    for lane in table.lanes:
        if lane.key == "emotions" and table.emotions:
            ws.add_chart(_emotion_chart(ws, table, chart_row=len(rows) + 1))
            rows += _emotion_rows(cells, lane.title, table)
        else:
            texts = ["\n".join(items) for items in lane.cells]
            title = cells.text(lane.title, font=_BOLD, fill=_LANE_FILL)
            rows.append(([title] + [cells.text(t) for t in texts], _height(texts, STAGE_WIDTH)))
    for number, (_, height) in enumerate(rows, start=1):
        ws.row_dimensions[number].height = height
    _page_setup(ws, f"A1:{last}{len(rows)}", len(table.columns))
    for row, _ in rows:
        ws.append(row)
    return ws


def _head_rows(cells: _Sheet, table: MapTable) -> list[Row]:
    """Write the journey's name, what the sheet is, and the stage names."""
    title = cells.text(table.title, font=Font(size=16, bold=True, color=_TEXT), box=False)
    about = cells.text(_about(table), font=Font(size=10, italic=True, color=_MUTED), box=False)
    stage_font = Font(size=11, bold=True, color=_TEXT)
    stages = [cells.text(name, font=stage_font, fill=_HEAD_FILL) for name in table.columns]
    header = [cells.text("Stage", font=_BOLD, fill=_HEAD_FILL), *stages]
    return [([title], 24.0), ([about], 2 * LINE_PT + 4), (header, _height(table.columns, STAGE_WIDTH))]


def _emotion_rows(cells: _Sheet, title: str, table: MapTable) -> list[Row]:
    """Write the chart's row, then one row of scores per series.

    The title shows through the transparent chart.
    """
    blank = [cells.text("") for _ in table.columns]
    rows = [([cells.text(title, font=_BOLD, fill=_LANE_FILL), *blank], CHART_ROW_PT)]
    for series in table.emotions:
        label = cells.text(series.label, font=_NAME, fill=_LANE_FILL)
        rest = [cells.text("") for _ in table.columns[table.stages :]]  # the "Whole journey" column
        rows.append(([label, *(cells.number(s) for s in series.scores), *rest], LINE_PT + 4))
    return rows


def _about(table: MapTable) -> str:
    view = "The journey map, for reading and printing. Edit the data sheets after it: this one is not read."
    return f"{table.subtitle}\n{view}" if table.subtitle else view


def _px(width: float) -> float:
    """Return a column's width in pixels, as Excel draws a width in its units (digits of the default font)."""
    return width * 7 + 5


def _emotion_chart(ws: Any, table: MapTable, chart_row: int) -> LineChart:
    """One line per series row under ``chart_row``, drawn over that row from column A to the last stage.

    The plot area is placed over the stage columns, so each stage's point
    sits at the middle of its column, under its name; the scale's labels
    (+2 delighted, 0 indifferent, -2 frustrated) sit in column A, under the
    lane title, which shows through the transparent chart.
    """
    stages = table.stages
    chart = LineChart()
    first = chart_row + 1
    last = first + len(table.emotions) - 1
    data = Reference(ws, min_col=1, max_col=1 + stages, min_row=first, max_row=last)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    names = Reference(ws, min_col=2, max_col=1 + stages, min_row=3, max_row=3)
    for series, line in zip(table.emotions, chart.series, strict=True):
        line.cat = AxDataSource(strRef=StrRef(f=str(names)))  # stage names are text, not numbers
        color = _series_color(series.rank)
        line.graphicalProperties.line.solidFill = color
        line.graphicalProperties.line.width = 28_575  # 2.25 pt, in EMU
        line.marker.symbol = "circle"
        line.marker.size = 7
        line.marker.graphicalProperties = GraphicalProperties(solidFill=color)
        line.marker.graphicalProperties.line.solidFill = color
        line.smooth = False
    axis = chart.y_axis
    axis.scaling.min, axis.scaling.max = EMOTION_SCALE
    axis.majorUnit = 2
    axis.minorUnit = 1
    axis.minorGridlines = ChartLines(spPr=GraphicalProperties(ln=LineProperties(solidFill="EAEEF2")))
    axis.majorGridlines = ChartLines(spPr=GraphicalProperties(ln=LineProperties(solidFill="D0D7DE")))
    # the scale in words, at the three major ticks (\u2212 is the minus sign)
    axis.number_format = '[>0]"+2 delighted";[<0]"\u22122 frustrated";"0 indifferent"'
    axis.delete = False
    chart.x_axis.delete = True  # the header row names the stages
    chart.legend.position = "t"
    chart.legend.overlay = True
    chart.display_blanks = "gap"
    clear = GraphicalProperties(noFill=True, ln=LineProperties(noFill=True))
    chart.graphical_properties = clear
    chart.plot_area.graphicalProperties = GraphicalProperties(noFill=True)
    total = _px(TITLE_WIDTH) + stages * _px(STAGE_WIDTH)
    chart.layout = Layout(
        manualLayout=ManualLayout(
            layoutTarget="inner",
            xMode="edge",
            yMode="edge",
            x=_px(TITLE_WIDTH) / total,
            y=0.18,
            w=1 - _px(TITLE_WIDTH) / total,
            h=0.74,
        )
    )
    chart.anchor = TwoCellAnchor(
        _from=AnchorMarker(col=0, row=chart_row - 1),
        to=AnchorMarker(col=1 + stages, row=chart_row),
    )
    return chart


def _series_color(rank: int | None) -> str:
    """Return the persona's colour in the plots (by its place in the personas frame), as Excel spells it."""
    color = ALL_PERSONAS_COLOR if rank is None else PERSONA_COLORS[rank % len(PERSONA_COLORS)]
    return color.lstrip("#").upper()


def _page_setup(ws: Any, area: str, columns: int) -> None:
    """Set up printing: landscape, fit to the width of a page, titles and stages frozen.

    One page across per :data:`STAGES_PER_PAGE` stages; stage names are repeated
    on every page down, lane titles on every page across.
    """
    ws.freeze_panes = "B4"
    ws.print_area = area
    ws.print_title_rows = "3:3"
    pages_wide = max(1, math.ceil(columns / STAGES_PER_PAGE))
    if pages_wide > 1:
        ws.print_title_cols = "A:A"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0  # as many pages down as the lanes need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.gridLines = False
    ws.oddFooter.center.text = "&P / &N"
