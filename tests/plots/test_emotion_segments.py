"""Per-segment survey emotions draw their segment's curve, never the persona's or everyone's.

``measure(segment=...)`` writes survey emotion rows per segment (no persona, a
``segment``) beside the all-customer rows at the same places and period; a
curve through both zig-zagged. These tests pin where each row goes in the
emotion curve, the persona comparison and the journey map's emotion lane.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bokeh.models import PlainText, Title

from cjm_jupyter import Journey, analytics, templates
from cjm_jupyter.errors import ValidationError
from cjm_jupyter.plots import compare_personas, emotion_curve, journey_map
from cjm_jupyter.plots.theme import persona_colors, segment_colors

#: (touchpoint, everyone, mobile, desktop) survey means of the latest period.
SURVEY = (("checkout", 0.5, 1.0, 0.0), ("first-use", 1.5, 2.0, 1.0))
NOTE = "+2 segment curves: pass personas=['desktop', 'mobile']"
LATEST = "2026-Q1"
MAP_NOTE = "+2 segment curves: pass personas=['desktop', ...] or segment="


def surveyed() -> Journey:
    """Colleen's hand-made curve plus survey rows for everyone and per segment in
    2026-Q1, and an older 2025-Q4 survey that the default views must not show."""
    j = templates.load("colleen")
    for tp, everyone, mobile, desktop in SURVEY:
        for segment, score in ((None, everyone), ("mobile", mobile), ("desktop", desktop)):
            survey = {"source": "survey", "n": 40, "period": LATEST, "segment": segment}
            j.set_emotion(None, touchpoint=tp, score=score, **survey)
        j.set_emotion(None, touchpoint=tp, score=-2, source="survey", n=40, period="2025-Q4")
    return j


def points(fig) -> pd.DataFrame:
    """Every marker of an emotion curve: curve name, x (nudged per curve) and score."""
    frames = [pd.DataFrame(dict(r.data_source.data)) for r in fig.select(name="emotion_points")]
    return pd.concat(frames, ignore_index=True)[["persona", "persona_key", "touchpoint", "x", "score"]]


def legend_labels(fig) -> list[str]:
    return [item.label.value for item in fig.legend[0].items]


def notes(fig) -> list[str]:
    return [t.text.text for t in fig.select({"type": Title, "name": "segment_note"})]


def line_colors(fig) -> dict[str, str]:
    """Curve name -> its line colour (from the legend items' line renderers)."""
    out = {}
    for item in fig.legend[0].items:
        lines = [r for r in item.renderers if r.name == "emotion_line"]
        if lines:
            out[item.label.value] = lines[0].glyph.line_color
    return out


def test_set_emotion_keeps_one_row_per_segment() -> None:
    j = surveyed()
    rows = j.emotions[j.emotions["period"] == LATEST]
    assert rows.groupby("touchpoint_id")["segment"].apply(lambda s: sorted(s.fillna(""))).to_dict() == {
        "checkout": ["", "desktop", "mobile"],
        "first-use": ["", "desktop", "mobile"],
    }


# -- emotion curve ------------------------------------------------------------------------
def test_default_curve_draws_everyone_once_per_place_and_names_the_segment_curves() -> None:
    fig = emotion_curve(surveyed())
    pts = points(fig)
    everyone = pts[pts["persona"] == "All personas"].set_index("touchpoint")["score"]
    # One point per place (no per-segment row mixed in), the all-customer means of the latest period.
    assert everyone.to_dict() == {"Checkout": 0.5, "First use": 1.5}
    assert not pts["persona_key"].str.startswith("segment:").any()
    assert legend_labels(fig) == ["Curious Colleen", "All personas", "measured (data)", "assumed"]
    assert notes(fig) == [NOTE]
    note = fig.select_one({"name": "segment_note"})
    assert isinstance(note.text, PlainText)  # segment values are user text: never TeX/HTML


def test_segment_values_draw_their_own_curves_in_the_segment_colours() -> None:
    j = surveyed()
    fig = emotion_curve(j, personas=["mobile", "desktop"])
    pts = points(fig)
    by_curve = pts.groupby("persona")["score"].apply(list).to_dict()
    assert by_curve == {"mobile (segment)": [1.0, 2.0], "desktop (segment)": [0.0, 1.0]}
    colors = segment_colors(j)
    assert line_colors(fig) == {"mobile (segment)": colors["mobile"], "desktop (segment)": colors["desktop"]}
    assert notes(fig) == []  # asked for: nothing left out


def test_a_persona_and_its_segment_curves_are_drawn_side_by_side() -> None:
    j = surveyed()
    fig = emotion_curve(j, personas=["Curious Colleen", "mobile"])
    assert legend_labels(fig)[:2] == ["Curious Colleen", "mobile (segment)"]
    assert line_colors(fig)["Curious Colleen"] == persona_colors(j)["curious-colleen"]
    pts = points(fig)
    assert len(pts[pts["persona"] == "Curious Colleen"]) == 10  # the template's hand-made rows


def test_a_row_with_a_persona_and_a_segment_belongs_to_the_segment_only() -> None:
    j = surveyed()
    j.set_emotion("curious-colleen", touchpoint="checkout", score=-2, source="survey", segment="mobile")
    colleen = points(emotion_curve(j, personas=["curious-colleen"]))
    assert -2 not in colleen.loc[colleen["touchpoint"] == "Checkout", "score"].tolist()
    mobile = points(emotion_curve(j, personas=["mobile"]))
    assert sorted(mobile.loc[mobile["touchpoint"] == "Checkout", "score"]) == [-2.0, 1.0]


def test_the_curves_show_the_latest_period_and_period_picks_an_earlier_one() -> None:
    j = surveyed()
    earlier = points(emotion_curve(j, period="2025-Q4"))
    everyone = earlier[earlier["persona"] == "All personas"].set_index("touchpoint")["score"]
    assert everyone.to_dict() == {"Checkout": -2.0, "First use": -2.0}
    assert len(earlier[earlier["persona"] == "Curious Colleen"]) == 10  # no period: always shown
    with pytest.raises(ValidationError) as info:
        emotion_curve(j, period="1999")
    assert str(info.value).endswith("unknown period '1999'; known periods are: '2025-Q4', '2026-Q1'")


def test_many_or_long_segment_values_keep_the_note_short() -> None:
    j = templates.load("colleen")
    for value in ("a" * 30, "b", "c", "d"):
        j.set_emotion(None, touchpoint="checkout", score=1, source="survey", segment=value)
    j.set_emotion(None, touchpoint="checkout", score=1, source="survey")
    fig = emotion_curve(j)
    assert notes(fig) == [f"+4 segment curves: pass personas=['{'a' * 19}…', 'b', 'c', ...]"]


# -- compare_personas --------------------------------------------------------------------
def test_compare_personas_compares_personas_by_default_and_says_segments_exist() -> None:
    layout = compare_personas(surveyed())
    figs = layout.children
    assert [f.title.text.text for f in figs] == ["Curious Colleen"]
    assert notes(figs[-1]) == [NOTE]


def test_compare_personas_compares_segments_by_value() -> None:
    j = surveyed()
    layout = compare_personas(j, personas=["mobile", "desktop"])
    assert [f.title.text.text for f in layout.children] == ["mobile (segment)", "desktop (segment)"]
    expected = (("mobile", [1.0, 2.0]), ("desktop", [0.0, 1.0]))
    for fig, (segment, scores) in zip(layout.children, expected, strict=True):
        assert points(fig)["score"].tolist() == scores
        assert line_colors(fig) == {f"{segment} (segment)": segment_colors(j)[segment]}
    bars = compare_personas(j, personas=["mobile", "desktop"], kind="bars")
    data = bars.select_one({"name": "persona_bars"}).data_source.data
    means = {(p, s): v for p, s, v in zip(data["persona"], data["stage"], data["score"], strict=True)}
    assert means == {
        ("mobile (segment)", "Purchase"): 1.0,  # checkout
        ("desktop (segment)", "Purchase"): 0.0,
        ("mobile (segment)", "Use"): 2.0,  # first use
        ("desktop (segment)", "Use"): 1.0,
    }
    assert notes(bars) == []


def test_compare_personas_without_persona_emotions_points_to_the_segments() -> None:
    j = templates.load("three_stage")  # a persona, no emotions
    for segment, score in (("mobile", 1.0), ("desktop", 0.0)):
        j.set_emotion(None, touchpoint="website", score=score, source="survey", segment=segment)
    with pytest.raises(ValidationError) as info:
        compare_personas(j)
    assert str(info.value).endswith(
        f"no persona has emotions to compare; add them with Journey.set_emotion(persona, score=...) ({NOTE})"
    )
    assert len(compare_personas(j, personas=["desktop"]).children) == 1


# -- the journey map's emotion lane --------------------------------------------------------
def lane_data(layout, name: str) -> dict:
    return dict(layout.select_one({"name": name}).data)


def test_default_map_draws_everyone_once_per_place_and_notes_the_segment_curves() -> None:
    layout = journey_map(surveyed(), lanes=["emotions"])
    curves = lane_data(layout, "emotion_curves")
    assert curves["persona"] == ["Curious Colleen", "All personas"]
    everyone = np.asarray(curves["ys"][1]).tolist()
    assert everyone == [0.5, 1.5]  # one point per place: no per-segment mean mixed in
    pts = lane_data(layout, "emotion_points")
    assert set(pts["persona_id"]) == {"curious-colleen", ""}
    lane = layout.select_one({"name": "lane:emotions"})
    assert notes(lane) == [MAP_NOTE]


def test_map_personas_take_segment_values_and_segment_colours() -> None:
    j = surveyed()
    layout = journey_map(j, lanes=["emotions"], personas=["mobile", "desktop"])
    curves = lane_data(layout, "emotion_curves")
    assert curves["persona"] == ["mobile (segment)", "desktop (segment)"]
    assert curves["color"] == [segment_colors(j)["mobile"], segment_colors(j)["desktop"]]
    assert [np.asarray(y).tolist() for y in curves["ys"]] == [[1.0, 2.0], [0.0, 1.0]]
    assert notes(layout.select_one({"name": "lane:emotions"})) == []


def test_map_of_one_segment_draws_that_segments_curve() -> None:
    j = surveyed()
    layout = journey_map(j, lanes=["emotions"], segment="mobile")
    curves = lane_data(layout, "emotion_curves")
    assert curves["persona"] == ["mobile (segment)"]
    assert curves["color"] == [segment_colors(j)["mobile"]]
    assert np.asarray(curves["ys"][0]).tolist() == [1.0, 2.0]
    assert set(lane_data(layout, "emotion_points")["persona"]) == {"mobile (segment)"}


# -- end to end: measured survey emotions ---------------------------------------------------
@pytest.fixture(scope="module")
def measured() -> Journey:
    j = templates.load("colleen")
    log = analytics.make_events(j, customers=600, segments=["mobile", "desktop"], seed=1)
    j.measure(log, analytics.make_surveys(log, j, seed=1), segment_col="segment")
    return j


def test_measured_segments_no_longer_zigzag_the_everyone_curve(measured: Journey) -> None:
    emo = measured.emotions
    overall = emo[emo["persona_id"].isna() & emo["segment"].isna()]
    pts = points(emotion_curve(measured))
    everyone = pts[pts["persona"] == "All personas"]
    assert everyone["x"].is_unique
    assert sorted(everyone["score"]) == sorted(overall["score"].astype(float))
    mobile = points(emotion_curve(measured, personas=["mobile"]))
    assert sorted(mobile["score"]) == sorted(emo.loc[emo["segment"] == "mobile", "score"].astype(float))
    layout = journey_map(measured, lanes=["emotions"])
    assert lane_data(layout, "emotion_curves")["persona"] == ["Curious Colleen", "All personas"]
    assert len(lane_data(layout, "emotion_points")["x"]) == len(emo) - int(emo["segment"].notna().sum())
