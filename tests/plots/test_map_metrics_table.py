"""The map's metrics lane as one small table per stage: metric rows x group columns."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from bokeh.models import ColumnDataSource, Div, HoverTool, LayoutDOM, Markup, Paragraph, PreText

from cjm_jupyter import Journey, save_html, templates
from cjm_jupyter.analytics import make_events
from cjm_jupyter.model.labels import format_value
from cjm_jupyter.plots.map import journey_map
from cjm_jupyter.plots.map.metrics_table import ALL_CUSTOMERS, DEFINITIONS

HOSTILE = '<img src=x onerror="window.__pwned=1">'
EXIT = "customers whose last event was here and who did not reach the goal, of those who visited"


def texts_of(layout: LayoutDOM, name: str) -> list[str]:
    found = [m for m in layout.references() if isinstance(m, ColumnDataSource) and m.name == name]
    assert len(found) <= 1, name
    return [str(t) for t in found[0].data["text"]] if found else []


def cells(layout: LayoutDOM) -> pd.DataFrame:
    found = [m for m in layout.references() if isinstance(m, ColumnDataSource) and m.name == "metrics"]
    assert len(found) == 1
    return pd.DataFrame({k: list(v) for k, v in found[0].data.items()})


@pytest.fixture(scope="module")
def measured() -> Journey:
    j = templates.load("colleen")
    events = make_events(j, customers=3000, segments={"mobile": 0.8, "desktop": 1.2}, seed=3)
    j.measure(events, segment_col="segment")
    return j


def test_one_table_per_stage_one_row_per_metric_one_column_per_group(measured: Journey) -> None:
    layout = journey_map(measured, lanes=["metrics"], width=3000)  # wide: every column fits
    df = cells(layout)
    research = df.loc[df["place"].str.endswith("Research") & ~df["name"].isin(["customers"])]
    # every metric row of the stage is a cell of (row name, group)
    rows = ("conversion", "exit rate · Search engine", "exit rate · Brand website")
    rows += ("exit rate · Review sites", "exit rate · Social media")
    expected = [(label, group) for label in rows for group in (ALL_CUSTOMERS, "desktop", "mobile")]
    expected.append(("Bounce rate · Brand website", ALL_CUSTOMERS))
    pairs = list(zip(research["label"], research["column"], strict=True))
    assert sorted(pairs) == sorted(expected)  # each (row, group) once
    labels = texts_of(layout, "metrics_label")
    # one name line per row and table: the research table's rows, in their order
    assert labels[0] == "exit rate · Old vacuum cleaner breaks"  # the Trigger table's one row
    start = 1
    assert labels[start : start + 6] == [
        "conversion",
        "exit rate · Search engine",
        "Bounce rate · Brand website",
        "exit rate · Brand website",
        "exit rate · Review sites",
        "exit rate · Social media",
    ]
    # headers (one text row per line): All customers first, then the segments, per stage (5 stages)
    headers = texts_of(layout, "metrics_header")
    assert headers == ["All", "customers", "desktop", "mobile"] * 5
    # n once per column: the stage's customers
    assert texts_of(layout, "metrics_n")[:3] == ["n 3,000", "n 1,759", "n 1,241"]
    values = texts_of(layout, "metrics_text")
    assert "60.2%" in values and "69.6%" in values and "46.9%" in values


def test_no_repeated_customers_and_no_currency_word(measured: Journey) -> None:
    layout = journey_map(measured, lanes=["metrics"], width=3000)
    drawn = [t for name in ("metrics_text", "metrics_label", "metrics_n") for t in texts_of(layout, name)]
    assert not [t for t in drawn if "customers" in t]
    assert not [t for t in drawn + list(cells(layout)["value"]) if "currency" in t]
    assert format_value(1234.5, "currency") == "1,234.50"
    assert format_value(3000.0, "customers") == "3,000 customers"


def test_exit_rate_hover_has_its_definition(measured: Journey) -> None:
    df = cells(journey_map(measured, lanes=["metrics"]))
    assert DEFINITIONS["exit rate"] == EXIT
    assert set(df.loc[df["name"] == "exit rate", "definition"]) == {EXIT}
    tools = [t for t in journey_map(measured, lanes=["metrics"]).references() if isinstance(t, HoverTool)]
    assert any(("Definition", "@definition") in t.tooltips for t in tools)


def test_hover_keeps_interval_n_and_basis_styles(measured: Journey) -> None:
    df = cells(journey_map(measured, lanes=["metrics"], width=3000))
    rates = df.loc[df["name"] == "conversion"]
    assert rates["interval"].str.contains("Wilson, n = ").all()
    hand = df.loc[df["period"] == "(hand-entered)"]
    assert sorted(hand["name"]) == [
        "Average order value",
        "Bounce rate",
        "CSAT",
        "Cart abandonment",
        "Conversion rate",
    ]
    assert set(hand["dash"]) == {"dashed"} and set(hand["fill"]) == {"#ffffff"}  # assumed: hollow
    assert set(rates["dash"]) == {"solid"}


def test_a_narrow_stage_shows_the_first_groups_and_plus_n_more(measured: Journey) -> None:
    layout = journey_map(measured, lanes=["metrics"])
    headers = texts_of(layout, "metrics_header")
    assert "+2 more" in headers  # the one-touchpoint Trigger stage
    refs = layout.references()
    more = next(m for m in refs if isinstance(m, ColumnDataSource) and m.name == "metrics_more")
    said = list(more.data["more"])
    assert any(s.startswith("desktop 30.4% (n = 1759); mobile 53.1% (n = 1241)") for s in said), said


def test_persona_named_segments_show_the_persona_name() -> None:
    j = templates.load("colleen")
    pid = j.personas["id"].iloc[0]
    j.update_persona(pid, segment="mobile")
    j.add_metric("conversion", 0.5, stage="research", segment="mobile", unit="ratio", n=100)
    df = cells(journey_map(j, lanes=["metrics"], width=3000))
    name = j.personas["name"].iloc[0]
    assert df.loc[df["segment"] == "mobile", "column"].tolist() == [name]


def test_hostile_names_stay_data(tmp_path: Path) -> None:
    j = templates.load("colleen")
    j.add_metric(HOSTILE, 0.5, stage="research", segment=HOSTILE, unit="ratio", n=100)
    layout = journey_map(j, lanes=["metrics"], width=3000)
    assert not [m for m in layout.references() if isinstance(m, Div | Markup | Paragraph | PreText)]
    for tool in (t for t in layout.references() if isinstance(t, HoverTool)):
        assert all(value.startswith("@") for _, value in tool.tooltips)  # Bokeh escapes @fields
    df = cells(layout)
    assert df.loc[df["segment"] == HOSTILE, ["name", "column"]].to_numpy().tolist() == [[HOSTILE, HOSTILE]]
    html_text = save_html(layout, tmp_path / "m.html").read_text(encoding="utf-8")
    assert HOSTILE not in html_text  # only inside the JSON, escaped


def test_hand_rows_show_without_any_measurement() -> None:
    j = templates.load("colleen")
    layout = journey_map(j, lanes=["metrics"], width=3000)
    assert texts_of(layout, "metrics_header") == ["All", "customers"] * 3  # Research, Purchase, Use; wrapped
    assert {"68%", "249 €", "3.9 (1-5)", "74%", "1.8%"} <= set(texts_of(layout, "metrics_text"))


def test_two_rows_of_one_metric_place_and_group_stack_instead_of_hiding() -> None:
    j = Journey("Twice")
    j.add_stage("Visit", id="visit")
    j.add_touchpoint("visit", "Home page", id="home")
    j.add_metric("conversion", 0.4, stage="visit", unit="ratio")  # typed by hand
    j.add_metric("conversion", 0.5, stage="visit", unit="ratio", source="analytics", basis="measured")
    j.add_metric("customers", 100, stage="visit", unit="customers")
    j.add_metric("customers", 120, stage="visit", unit="customers", source="analytics", basis="measured")
    layout = journey_map(j, lanes=["metrics"])
    assert texts_of(layout, "metrics_text") == ["40.0%", "50.0%"]
    assert texts_of(layout, "metrics_n") == ["n 100", "n 120"]
    df = cells(layout)
    assert df["left"].nunique() == 1  # one column, one value line below the other
    boxes = df.sort_values("top")[["top", "bottom"]].to_numpy()
    assert all(a[1] <= b[0] for a, b in pairwise(boxes)), boxes
    values = pd.DataFrame({k: list(v) for k, v in layout.select_one({"name": "metrics_text"}).data.items()})
    assert values["y"].is_unique


def test_a_significant_value_behind_plus_n_more_keeps_its_mark() -> None:
    j = Journey("Narrow")
    j.add_stage("Buy", id="buy")
    j.add_touchpoint("buy", "Checkout", id="checkout")
    for segment, value in (("desktop", 0.55), ("mobile", 0.612)):
        j.add_metric("conversion", value, stage="buy", unit="ratio", n=1000, segment=segment)
    j.add_metric("conversion", 0.58, stage="buy", unit="ratio", n=2000)
    comparison = pd.DataFrame(
        [
            {
                "metric": "conversion",
                "stage_id": "buy",
                "touchpoint_id": None,
                "segment": "mobile",
                "baseline": "desktop",
                "value": 0.612,
                "difference": 0.062,
                "p_adjusted": 0.003,
                "significant": True,
            }
        ]
    )
    layout = journey_map(j, lanes=["metrics"], comparison=comparison, width=300)
    more = layout.select_one({"name": "metrics_more"}).data["more"]
    assert "mobile 61.2%* (n = 1000)" in more[-1], more
