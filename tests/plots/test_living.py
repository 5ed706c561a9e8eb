"""The living map's pictures: metrics by period with deltas and targets, action progress,
compare_journeys over every lane, and the priority matrix (structure and a hostile browser test)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bokeh.models import HoverTool

from cjm_jupyter import Journey, ValidationError, save_html, templates
from cjm_jupyter.plots import compare_journeys, journey_map, priority_matrix

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _source(layout, name: str) -> dict:
    found = layout.select_one({"name": name})
    assert found is not None, f"no data source named {name!r}"
    return found.data


def _lane(layout, key: str):
    return next(c for c in layout.children if c.name == f"lane:{key}")


def two_quarters() -> Journey:
    """Colleen with measured rows in two quarters next to her hand-entered metrics."""
    j = templates.load("colleen")
    for period, bounce, conv, csat in (("2026-Q2", 0.61, 0.021, 4.0), ("2026-Q3", 0.48, 0.027, 4.4)):
        common = {"period": period, "run_id": "measure"}
        j.add_metric("Bounce rate", bounce, touchpoint="brand-website", unit="ratio", **common)
        j.add_metric("Conversion rate", conv, stage="purchase", unit="ratio", **common)
        j.add_metric("CSAT", csat, stage="use", unit="1-5", **common)
    return j


# -- metrics lane ------------------------------------------------------------------------------
def test_metrics_lane_shows_latest_period_and_hand_entered_rows() -> None:
    j = two_quarters()
    layout = journey_map(j, lanes=["metrics"])
    cards = pd.DataFrame(_source(layout, "metrics"))
    hand = j.metrics.loc[j.metrics["period"].isna()]
    assert list(cards["period"]) == ["(hand-entered)"] * len(hand) + ["2026-Q3"] * 3
    assert cards.loc[cards["period"] == "2026-Q3", "value"].tolist() == ["48.0%", "2.7%", "4.4 (1-5)"]
    title = _lane(layout, "metrics").left[0].axis_label.text
    assert title == "Metrics\n2026-Q3\nvs 2026-Q2"


def test_metrics_lane_deltas_and_arrows() -> None:
    layout = journey_map(two_quarters(), lanes=["metrics"])
    change = [c for c in _source(layout, "metrics")["change"] if c != "—"]
    # the change since the previous period is in each table cell's hover, arrow and sign first
    assert change == [
        "▼ \u221213.0 pp since 2026-Q2 (was 61.0%)",
        "▲ +0.6 pp since 2026-Q2 (was 2.1%)",
        "▲ +0.4 since 2026-Q2 (was 4 (1-5))",
    ]
    (hover,) = [t for t in _lane(layout, "metrics").select(HoverTool) if ("Change", "@change") in t.tooltips]
    assert ("Value", "@value") in hover.tooltips


def test_period_picks_an_earlier_period_without_deltas() -> None:
    layout = journey_map(two_quarters(), lanes=["metrics"], period="2026-Q2")
    cards = pd.DataFrame(_source(layout, "metrics"))
    assert cards.loc[cards["period"] == "2026-Q2", "value"].tolist() == ["61.0%", "2.1%", "4 (1-5)"]
    assert set(cards["change"]) == {"—"}  # no earlier period: no change
    assert _lane(layout, "metrics").left[0].axis_label.text == "Metrics\n2026-Q2"
    # Journey.plot forwards period=
    plotted = two_quarters().plot(lanes=["metrics"], period="2026-Q2")
    assert _source(plotted, "metrics")["value"] == _source(layout, "metrics")["value"]


def test_unknown_period_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError) as info:
        journey_map(two_quarters(), period="2025-Q4")
    assert str(info.value) == (
        "column 'period', value '2025-Q4': unknown period '2025-Q4'; known periods are: '2026-Q2', '2026-Q3'"
    )
    with pytest.raises(ValidationError, match=r"known periods are: \(the journey has no measured periods\)"):
        journey_map(templates.load("colleen"), period="2026-Q3")


def test_targets_beside_measured_values() -> None:
    layout = journey_map(two_quarters(), lanes=["metrics"])
    cards = pd.DataFrame(_source(layout, "metrics"))
    targets = dict(zip(cards["value"], cards["target"], strict=True))
    # a goal sits on the card of the value the scorecard measures it with: the latest
    # measured bounce rate (a ratio, compared in percent), not the older hand-entered 68%
    assert targets["48.0%"] == "target < 50% ✓ met"
    assert targets["68%"] == "—"
    scores = two_quarters().scorecard()
    assert scores.set_index("name").loc["Bounce rate", ["status", "period"]].tolist() == ["met", "2026-Q3"]
    assert targets["2.7%"] == "target > 3% ✗ missed"
    assert targets["4.4 (1-5)"] == "target ≥ 4.3 (1-5) ✓ met"
    assert targets["249 €"] == "—"  # no goal for the order value
    hovers = _lane(layout, "metrics").select(HoverTool)
    assert [("Target", "@target") in t.tooltips for t in hovers] == [True]  # in each cell's hover
    # both bounce rates are drawn, stacked in one cell column: the hand-entered one no longer hidden
    assert {"48.0%", "68%"} <= set(_source(layout, "metrics_text")["text"])


def test_goal_of_another_period_is_not_shown() -> None:
    j = two_quarters()
    j.add_goal("CSAT", 4.8, ">=", stage="use", period="2027-Q1")
    cards = pd.DataFrame(_source(journey_map(j, lanes=["metrics"]), "metrics"))
    assert cards.loc[cards["value"] == "4.4 (1-5)", "target"].tolist() == ["target ≥ 4.3 (1-5) ✓ met"]


# -- action progress ---------------------------------------------------------------------------
def test_action_progress_per_stage() -> None:
    j = templates.load("colleen")
    j.update("actions", "act-4", status="blocked")
    layout = journey_map(j, lanes=["actions_plan"])
    assert _source(layout, "action_progress_text")["text"] == [
        "0/3 done · 1 in progress · 1 planned · 1 blocked",
        "0/1 done · 1 in progress",
        "1/1 done",
    ]
    bars = pd.DataFrame(_source(layout, "action_progress"))
    assert bars[["stage", "status", "actions"]].values.tolist() == [
        ["Research", "in progress", "1 of 3"],
        ["Research", "planned", "1 of 3"],
        ["Research", "blocked", "1 of 3"],
        ["Purchase", "in progress", "1 of 1"],
        ["Use", "done", "1 of 1"],
    ]
    # each stage's bar spans its stage: segments share it by their counts
    research = bars.loc[bars["stage"] == "Research"]
    widths = (research["right"] - research["left"]).round(9)
    assert widths.nunique() == 1


# -- compare_journeys --------------------------------------------------------------------------
def test_compare_journeys_lists_changes_in_every_lane() -> None:
    current, future = templates.load("colleen"), templates.load("colleen_future")
    layout = compare_journeys(current, future)
    changes = layout.children[-1]
    assert changes.name == "changes"
    lanes = [c.name for c in changes.children]
    assert lanes == [
        "lane:stages",
        "lane:changes:touchpoints",
        "lane:changes:pain_points",
        "lane:changes:emotions",
        "lane:changes:opportunities",
        "lane:changes:actions_plan",
        "lane:changes:metrics",
    ]
    touch = pd.DataFrame(_source(changes, "changes:touchpoints"))
    assert sorted(touch["change"]) == [
        "Chatbot (+ added)",
        "Comparison tool (+ added)",
        "User-generated content (+ added)",
    ]
    pains = _source(changes, "changes:pain_points")["change"]
    assert sum(c.endswith("(✓ resolved)") for c in pains) == 5
    assert "Still has to wait for the courier at home (▼ severity 4 → 2)" in pains
    metrics = _source(changes, "changes:metrics")["change"]
    assert "Conversion rate (▲ 1.8% → 3%)" in metrics
    assert "Average order value (\u2212 gone (was 249 €))" in metrics


def test_compare_same_map_at_two_dates() -> None:
    before = templates.load("colleen")
    after = before.copy()
    after.update("actions", "act-1", status="done")
    after.remove("pain_points", ["pain-6"])
    after.add_touchpoint("purchase", "Live chat", channel="chat")
    search = before.emotions.loc[before.emotions["touchpoint_id"] == "search-engine"].iloc[0]
    after.update("emotions", search["id"], score=1)
    changes = compare_journeys(before, after).children[-1]
    assert _source(changes, "changes:actions_plan")["change"] == ["Add a chatbot for quick answers (✓ done)"]
    assert _source(changes, "changes:pain_points")["change"] == [
        "Checkout asks for an account before payment (✓ resolved)"
    ]
    assert _source(changes, "changes:touchpoints")["change"] == ["Live chat (+ added)"]
    emotions = _source(changes, "changes:emotions")
    assert emotions["change"] == ["Curious Colleen (▲ +2 (\u22121 → +1))"]
    assert emotions["touchpoint"] == ["Search engine"]


def test_compare_identical_maps_has_no_change_lanes() -> None:
    j = templates.load("colleen")
    changes = compare_journeys(j, j.copy()).children[-1]
    assert [c.name for c in changes.children] == ["lane:stages"]


# -- priority matrix ---------------------------------------------------------------------------
def test_priority_matrix_structure() -> None:
    j = templates.load("colleen")
    j.add_opportunity("Unrated idea", stage="use")
    fig = priority_matrix(j)
    assert fig.name == "priority_matrix"
    assert sorted(_source(fig, "priority_quadrants")["text"]) == [
        "Fill-ins",
        "Major projects",
        "Quick wins",
        "Thankless tasks",
    ]
    points = pd.DataFrame(_source(fig, "priority_points")).set_index("id")
    assert list(points.index) == ["opp-1", "opp-2", "opp-3", "opp-4", "opp-5"]
    assert points.loc["opp-1", "quadrant"] == "Quick wins"  # impact 5, effort 2
    assert points.loc["opp-4", "quadrant"] == "Major projects"  # impact 3, effort 3
    ranked = j.priorities().set_index("id")
    for opp in points.index:
        assert points.loc[opp, "rank_text"] == str(ranked.loc[opp, "rank"])
    # size grows with the weight of the pain point addressed
    pain = ranked.loc[ranked["kind"] == "pain point", "score"]
    weights = {o: float(pain[j.opportunities.set_index("id").loc[o, "pain_point_id"]]) for o in points.index}
    order = sorted(points.index, key=lambda o: weights[o])
    assert list(points.loc[order, "size"]) == sorted(points["size"])
    assert points.loc["opp-3", "pain_weight"] == pytest.approx(20.0 / 25)  # priorities()' pain_weight
    labels = _source(fig, "priority_labels")["text"]
    assert labels == [
        "1. Make benefits\nobvious fast",
        "2. Show social proof",
        "4. Restructure site\ninformation hierarchy",
        "5. Customer-service\ntools",
        "3. Comparison charts\nagainst competitors",
    ]
    assert fig.above[-1].text.text == (
        "point size: weight of the pain point addressed · 1 opportunity without impact or effort not shown"
    )


def test_priority_matrix_stacks_points_of_one_cell() -> None:
    j = Journey("Cell")
    s = j.add_stage("Only")
    for name in ("A", "B", "C"):
        j.add_opportunity(name, stage=s, impact=4, effort=2)
    points = _source(priority_matrix(j), "priority_points")
    assert list(points["x"]) == [2.0, 2.0, 2.0]
    assert len(set(points["y"])) == 3 and all(3.5 < y < 4.5 for y in points["y"])


# -- browser -----------------------------------------------------------------------------------
def hostile_two_quarters() -> Journey:
    j = two_quarters()
    j.update("stages", "purchase", name=HOSTILE)
    j.update("actions", "act-1", description=HOSTILE, owner=HOSTILE)
    j.update("opportunities", "opp-1", description=HOSTILE)
    j.add_metric(HOSTILE, 0.5, stage="purchase", unit=HOSTILE, period="2026-Q3", run_id="measure")
    j.add_goal(HOSTILE, 1.0, "<=", stage="purchase")
    return j


@pytest.mark.browser
def test_living_pictures_render_hostile_text_offline(tmp_path: Path, open_offline) -> None:
    j = hostile_two_quarters()
    future = j.copy()
    future.update("actions", "act-2", status="done")
    future.add_touchpoint("purchase", HOSTILE)
    pages = {
        "map": journey_map(j),
        "priority": priority_matrix(j),
        "compare": compare_journeys(j, future),
    }
    for name, model in pages.items():
        page = open_offline(save_html(model, tmp_path / f"{name}.html"))
        page.assert_drawn(min_ink=5_000, min_colour=200)
        page.assert_clean()
        assert page.page.evaluate("window.__pwned") is None, name
        tips = page.hover_glyphs(per_renderer=4)
        assert page.page.evaluate("window.__pwned") is None, name
        assert not page.page.locator("img").count(), name  # no user <img> became an element
        if name == "priority":
            assert any(HOSTILE in t for t in tips), tips
