"""The map's metrics table: 95% Wilson intervals, one segment shown, significance from compare_segments."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from bokeh.models import ColumnDataSource, Div, HoverTool, LayoutDOM, Markup, Paragraph, PreText

from cjm_jupyter import Journey, ValidationError, save_html
from cjm_jupyter.plots.map import journey_map
from cjm_jupyter.plots.map.metrics import MARKED
from cjm_jupyter.plots.theme import GRID

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
EN_DASH = "\u2013"
MINUS = "\u2212"


# -- helpers -----------------------------------------------------------------------
def source(layout: LayoutDOM, name: str) -> ColumnDataSource:
    found = [m for m in layout.references() if isinstance(m, ColumnDataSource) and m.name == name]
    assert len(found) == 1, f"{len(found)} sources named {name!r}"
    return found[0]


def drawn(layout: LayoutDOM) -> list[str]:
    """The values the metrics tables draw (a significant one ends in ``*``)."""
    return list(source(layout, "metrics_text").data["text"])


def cell_tooltips(layout: LayoutDOM) -> list[tuple[str, str]]:
    (hover,) = [
        t
        for t in layout.references()
        if isinstance(t, HoverTool)
        and ("Metric", "@name") in t.tooltips
        and ("Group", "@column") in t.tooltips
    ]
    return list(hover.tooltips)


def cards(layout: LayoutDOM) -> pd.DataFrame:
    data = source(layout, "metrics").data
    return pd.DataFrame({k: list(v) for k, v in data.items()})


def two_stage_journey() -> Journey:
    j = Journey(name="Shop")
    j.add_stage("Visit", id="visit")
    j.add_stage("Buy", id="buy")
    j.add_touchpoint("visit", "Home page", id="home")
    j.add_touchpoint("buy", "Checkout", id="checkout")
    return j


def comparison_frame(**rows: dict[str, Any]) -> pd.DataFrame:
    """A compare_segments-shaped frame: one conversion row at ``buy`` per segment."""
    base = {
        "metric": "conversion",
        "stage_id": "buy",
        "stage": "Buy",
        "touchpoint_id": None,
        "touchpoint": None,
        "baseline": "desktop",
        "n": 1000,
        "test": "two-proportion z",
    }
    frame = pd.DataFrame([{**base, "segment": s, **r} for s, r in rows.items()])
    frame.attrs.update(mode="sequential", alpha=0.05, baseline="desktop")
    return frame


def segment_journey(hostile: str = HOSTILE) -> tuple[Journey, pd.DataFrame]:
    """Conversion at ``buy`` for everyone, desktop and a hostile-named segment, and its comparison."""
    j = two_stage_journey()
    j.add_metric("conversion", 0.58, stage="buy", unit="ratio", n=2000)
    j.add_metric("conversion", 0.55, stage="buy", unit="ratio", n=1000, segment="desktop")
    j.add_metric("conversion", 0.612, stage="buy", unit="ratio", n=1000, segment=hostile)
    comparison = comparison_frame(
        desktop={
            "value": 0.55,
            "baseline_value": 0.55,
            "difference": None,
            "p_adjusted": None,
            "significant": False,
        },
        **{
            hostile: {
                "value": 0.612,
                "baseline_value": 0.55,
                "difference": 0.062,
                "p_adjusted": 0.0031,
                "significant": True,
            }
        },
    )
    return j, comparison


# -- intervals ---------------------------------------------------------------------
def test_a_measured_rate_shows_its_wilson_interval_equal_to_statsmodels() -> None:
    from statsmodels.stats.proportion import proportion_confint

    j = two_stage_journey()
    j.add_metric("conversion", 0.61, stage="buy", unit="ratio", n=1000)
    layout = journey_map(j, lanes=["metrics"])
    low, high = proportion_confint(610, 1000, alpha=0.05, method="wilson")
    span = f"{low * 100:.0f}{EN_DASH}{high * 100:.0f}%"
    assert span == f"58{EN_DASH}64%"
    # the cell says the value, its hover the interval with the n it was measured on
    assert drawn(layout) == ["61.0%"]
    assert cards(layout)["interval"].tolist() == [f"{span} (Wilson, n = 1,000)"]
    assert cards(layout)["value"].tolist() == ["61.0%"]
    assert ("95% interval", "@interval") in cell_tooltips(layout)


def test_a_narrow_interval_keeps_one_decimal_and_percent_units_count_too() -> None:
    j = two_stage_journey()
    j.add_metric("bounce rate", 68.0, touchpoint="home", unit="%", n=40_000)
    layout = journey_map(j, lanes=["metrics"])
    assert drawn(layout) == ["68%"]
    assert cards(layout)["interval"].tolist() == [f"67.5{EN_DASH}68.5% (Wilson, n = 40,000)"]


def test_no_interval_without_n_for_other_units_or_for_a_value_that_is_no_proportion() -> None:
    j = two_stage_journey()
    j.add_metric("conversion", 0.61, stage="buy", unit="ratio")  # typed by hand: no n
    j.add_metric("customers", 610, stage="buy", unit="customers", n=610)
    j.add_metric("CSAT", 4.1, touchpoint="checkout", unit="1-5", n=200)
    j.add_metric("conversion", 2.0, stage="visit", unit="ratio", n=50)  # first-reach can exceed 1
    j.add_metric("bounce rate", 0.3, touchpoint="home", unit="ratio", n=0)
    layout = journey_map(j, lanes=["metrics"])
    assert set(cards(layout)["interval"]) == {"—"}
    assert not any(EN_DASH in t for t in drawn(layout))


def test_without_the_stats_extra_the_map_draws_without_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("statsmodels", "statsmodels.stats", "statsmodels.stats.proportion"):
        monkeypatch.setitem(sys.modules, name, None)  # import raises ImportError
    j = two_stage_journey()
    j.add_metric("conversion", 0.61, stage="buy", unit="ratio", n=1000)
    layout = journey_map(j, lanes=["metrics"])
    assert cards(layout)["interval"].tolist() == ["—"]
    assert drawn(layout) == ["61.0%"]
    assert cards(layout)["value"].tolist() == ["61.0%"]


@pytest.mark.parametrize("width", [298, 360, 420, 600])
def test_narrow_tables_show_whole_values_and_hover_the_rest(width: int) -> None:
    j, comparison = segment_journey("mobile")
    j.add_metric("bounce rate", 68.0, touchpoint="home", unit="%", n=40_000)
    layout = journey_map(j, lanes=["metrics"], width=width, comparison=comparison)
    df = cards(layout).set_index("segment")
    values = drawn(layout)
    # every value drawn is whole (never cut or hyphenated), the marked one with its "*"
    assert values and all(re.fullmatch(r"\d+(\.\d)?%\*?", v) for v in values), values
    # a group the stage has no room for is behind "+N more", its values (and "*") in that hover
    shown = df["left"].notna()
    behind = [] if shown.all() else source(layout, "metrics_more").data["more"]
    assert ("61.2%*" in values) == bool(shown["mobile"])
    assert shown["mobile"] or any("mobile 61.2%* (n = 1000)" in m for m in behind), behind
    assert df.loc["mobile", "line"] == MARKED
    spans = [v for v in df["interval"] if v != "—"]
    assert len(spans) == 4 and all(re.match(rf"\d+(\.\d)?{EN_DASH}\d+(\.\d)?% \(Wilson", v) for v in spans)
    assert df.loc["mobile", "versus"].startswith("mobile 61.2% vs desktop 55.0%: +6.2 pp (")


# -- significance ------------------------------------------------------------------
def test_a_significant_segment_card_is_marked_and_the_others_are_not() -> None:
    j, comparison = segment_journey("mobile")
    # wide enough for the three groups' columns in one stage (narrower: see the "+N more" test)
    layout = journey_map(j, lanes=["metrics"], comparison=comparison, width=800)
    df = cards(layout).set_index("segment")
    assert drawn(layout) == ["58.0%", "55.0%", "61.2%*"]  # All customers, desktop, mobile
    assert df.loc["mobile", "line"] == MARKED
    assert df.loc["desktop", "line"] == GRID  # the baseline's own card
    assert df.loc["", "line"] == GRID  # every customer: no segment, nothing to compare
    assert df.loc["mobile", "versus"] == (
        "mobile 61.2% vs desktop 55.0%: +6.2 pp "
        "(two-proportion z, p adj 0.003, significant, sequential funnel)"
    )
    assert df.loc["desktop", "versus"] == "—"
    hover = next(
        t for t in layout.references() if isinstance(t, HoverTool) and ("Metric", "@name") in t.tooltips
    )
    assert ("vs baseline", "@versus") in hover.tooltips and ("95% interval", "@interval") in hover.tooltips


def test_a_difference_that_is_not_significant_is_only_in_the_hover() -> None:
    j, _ = segment_journey("mobile")
    comparison = comparison_frame(
        mobile={
            "value": 0.53,
            "baseline_value": 0.55,
            "difference": -0.02,
            "p_adjusted": 0.41,
            "significant": False,
        }
    )
    layout = journey_map(j, lanes=["metrics"], comparison=comparison)
    assert not any(v.endswith("*") for v in drawn(layout))
    df = cards(layout).set_index("segment")
    assert df.loc["mobile", "versus"] == (
        f"mobile 53.0% vs desktop 55.0%: {MINUS}2.0 pp (two-proportion z, p adj 0.410, not significant, "
        "sequential funnel)"
    )
    assert set(df["line"]) == {GRID}


def test_marks_match_stage_touchpoint_and_segment_and_only_conversion() -> None:
    j, comparison = segment_journey("mobile")
    j.add_metric("bounce rate", 0.612, touchpoint="checkout", unit="ratio", n=1000, segment="mobile")
    elsewhere = comparison.assign(stage_id="visit")  # another step: no card there
    other_metric = comparison.assign(metric="satisfaction")
    for frame in (elsewhere, other_metric):
        layout = journey_map(j, lanes=["metrics"], comparison=frame)
        assert not any(v.endswith("*") for v in drawn(layout))
        assert set(cards(layout)["versus"]) == {"—"}


def test_a_tiny_p_value_reads_below_one_in_a_thousand() -> None:
    j, comparison = segment_journey("mobile")
    comparison.loc[comparison["segment"] == "mobile", "p_adjusted"] = 1e-40
    layout = journey_map(j, lanes=["metrics"], comparison=comparison, width=800)
    assert drawn(layout)[-1] == "61.2%*"
    versus = cards(layout).set_index("segment").loc["mobile", "versus"]
    assert versus == (
        "mobile 61.2% vs desktop 55.0%: +6.2 pp "
        "(two-proportion z, p adj < 0.001, significant, sequential funnel)"
    )


def test_a_comparison_must_be_a_compare_segments_frame() -> None:
    j, comparison = segment_journey("mobile")
    with pytest.raises(ValidationError) as exc:
        journey_map(j, comparison={"metric": "conversion"})
    assert str(exc.value) == (
        "column 'comparison': comparison must be a compare_segments frame (a DataFrame), not dict"
    )
    with pytest.raises(ValidationError) as exc:
        journey_map(j, comparison=comparison.drop(columns=["p_adjusted", "significant"]))
    assert str(exc.value) == (
        "column 'comparison': comparison lacks the compare_segments column(s) p_adjusted, significant"
    )


# -- one segment -------------------------------------------------------------------
def test_one_segment_shows_only_its_cards_and_names_it_in_the_subtitle() -> None:
    j, comparison = segment_journey()
    layout = journey_map(j, lanes=["metrics"], segment=HOSTILE, comparison=comparison)
    df = cards(layout)
    assert df["segment"].tolist() == [HOSTILE]
    assert drawn(layout) == ["61.2%*"]
    assert df["versus"].iloc[0].startswith(f"{HOSTILE} 61.2% vs desktop 55.0%: +6.2 pp")
    assert source(layout, "metrics_label").data["text"] == ["conversion"]  # the row names the metric only
    assert df["column"].tolist() == [HOSTILE]  # the one column is the segment, its hover names it whole
    titles = [t.text.text for t in layout.children[0].above]
    assert any(t.replace("\n", " ").endswith(f" · segment: {HOSTILE}") for t in titles), titles


def test_an_unknown_segment_is_refused_with_the_known_ones() -> None:
    j, _ = segment_journey("mobile")
    with pytest.raises(ValidationError) as exc:
        journey_map(j, segment="tablet")
    assert str(exc.value) == (
        "column 'segment', value 'tablet': unknown segment 'tablet'; known segments are: 'desktop', 'mobile'"
    )
    with pytest.raises(ValidationError, match=r"known segments are: \(no metric or emotion has a segment\)$"):
        journey_map(two_stage_journey(), segment="tablet")


def test_journey_plot_passes_segment_and_comparison_through() -> None:
    j, comparison = segment_journey("mobile")
    layout = j.plot(["metrics"], segment="mobile", comparison=comparison)
    assert cards(layout)["segment"].tolist() == ["mobile"]
    assert drawn(layout) == ["61.2%*"]
    assert cards(layout)["versus"].tolist()[0].startswith("mobile 61.2% vs desktop 55.0%: +6.2 pp (")


# -- safety ------------------------------------------------------------------------
def test_hostile_segment_names_stay_data() -> None:
    j, comparison = segment_journey()
    layout = journey_map(j, comparison=comparison)
    assert not [m for m in layout.references() if isinstance(m, Div | Markup | Paragraph | PreText)]
    for tool in (t for t in layout.references() if isinstance(t, HoverTool)):
        assert isinstance(tool.tooltips, list)
        assert all(value.startswith("@") for _, value in tool.tooltips)
    df = cards(layout).set_index("segment")
    assert df.loc[HOSTILE, "versus"].startswith(f"{HOSTILE} 61.2% vs desktop")


@pytest.mark.browser
def test_marked_map_renders_hostile_segments_offline(tmp_path: Path, open_offline) -> None:
    j, comparison = segment_journey()
    page = open_offline(save_html(journey_map(j, comparison=comparison, width=800), tmp_path / "map.html"))
    page.assert_drawn(min_ink=2_000, min_colour=50)
    page.assert_clean()
    tips = page.hover_glyphs(per_renderer=6)
    assert page.page.evaluate("window.__pwned") is None
    assert not page.page.locator("img").count()
    assert any(f"{HOSTILE} 61.2% vs desktop 55.0%" in t for t in tips), tips


# -- end to end --------------------------------------------------------------------
def test_measured_segments_and_a_real_comparison_mark_the_planted_difference() -> None:
    from cjm_jupyter import templates
    from cjm_jupyter.analytics import compare_segments, make_events

    j = templates.load("colleen")
    events = make_events(j, customers=3000, segments={"mobile": 0.8, "desktop": 1.2}, seed=3)
    j.measure(events, segment_col="segment")
    comparison = compare_segments(events, j, segment_col="segment", baseline="desktop")
    layout = journey_map(j, lanes=["metrics"], segment="mobile", comparison=comparison)
    df = cards(layout)
    conv = comparison.loc[(comparison["metric"] == "conversion") & (comparison["segment"] == "mobile")]
    significant = set(conv.loc[conv["significant"].astype(bool), "stage_id"])
    assert significant, "the planted difference was not found"
    marked = df.loc[df["line"] == MARKED]
    assert len(marked) == len(significant)
    assert set(marked["name"]) == {"conversion"}
    assert all(v.startswith("mobile ") and "significant" in v for v in marked["versus"])
    rates = df.loc[df["name"].isin(["conversion", "bounce rate"])]
    assert (rates["interval"] != "—").all()  # every measured rate has n: every one has an interval
