"""The segment profile chart: one panel per segment, its top columns by effect size."""

from __future__ import annotations

import pytest
from bokeh.embed import file_html
from bokeh.models import ColumnDataSource, FactorRange
from bokeh.resources import INLINE

from cjm_jupyter.errors import ValidationError
from cjm_jupyter.plots.segments import PROFILE_COLUMNS, segment_profile
from cjm_jupyter.plots.theme import segment_colors

from ..support.plot_data import EVIL, IMG, profile


def bars(fig) -> dict[str, list]:
    (renderer,) = fig.select(name="profile_bars")
    return renderer.data_source.data


def test_one_panel_per_segment_with_its_top_columns_in_rank_order() -> None:
    layout = segment_profile(profile(), top=2)
    assert [f.name for f in layout.children] == ["segment:Bargain", f"segment:{EVIL}"]
    first = layout.children[0]
    assert list(bars(first)["column"]) == ["age", "device"]
    assert list(bars(first)["effect_size"]) == [-0.9, 0.49]
    # rank 1 on top: a categorical y axis lists factors bottom-up
    assert isinstance(first.y_range, FactorRange) and list(first.y_range.factors) == ["device", "age"]
    assert first.title.text.text == "Segment profiles: what sets each segment apart"
    assert first.above[-1].text.text == "Bargain — 600 customers (60%)"
    assert layout.children[1].title.text.text == f"{EVIL} — 400 customers (40%)"
    # shared x axis, so effect sizes compare across panels
    assert layout.children[0].x_range is layout.children[1].x_range


def test_facts_say_typical_value_and_segment_vs_rest() -> None:
    data = bars(segment_profile(profile()).children[0])
    assert data["fact"] == [
        "typical 34 · mean 35.2 vs 47.9 in the rest",
        f"mostly {IMG} · 81% vs 32% of the…",  # 58 characters: cut at a word
        "typical 6 · mean 6.4 vs 2.1 in the rest",
    ]
    assert data["effect_text"] == ["\u22120.90", "+0.49", "+1.30"]


def test_long_facts_are_cut_at_a_word_not_inside_one() -> None:
    df = profile()
    df.loc[1, "typical"] = "newsletter subscribers who open every single weekly mailing"
    fact = bars(segment_profile(df).children[0])["fact"][1]
    assert fact == "mostly newsletter subscribers who open every single…"
    assert len(fact) <= 58


def test_segments_keep_the_journeys_colours_and_can_be_picked() -> None:
    layout = segment_profile(profile(), segments=[EVIL])
    assert [f.name for f in layout.children] == [f"segment:{EVIL}"]
    (renderer,) = layout.children[0].select(name="profile_bars")
    assert renderer.glyph.fill_color == segment_colors(["Bargain", EVIL])[EVIL]
    with pytest.raises(ValidationError, match=r"unknown segment 'Loyal'; the profile has 'Bargain', '<scr"):
        segment_profile(profile(), segments=["Loyal"])


def test_a_segmentation_result_is_accepted_like_its_profile() -> None:
    class Result:
        profile = profile()

    names = [f.name for f in segment_profile(profile()).children]
    assert [f.name for f in segment_profile(Result()).children] == names


@pytest.mark.parametrize("missing", ["effect_size", "typical"])
def test_bad_frames_name_the_missing_column(missing: str) -> None:
    with pytest.raises(ValidationError, match=f"segment profile has no column '{missing}'"):
        segment_profile(profile().drop(columns=missing))
    with pytest.raises(ValidationError, match="segment profile has no rows"):
        segment_profile(profile().iloc[:0])
    with pytest.raises(ValidationError, match="top must be an integer >= 1"):
        segment_profile(profile(), top=0)


def test_fits_a_jupyterlab_cell_and_user_text_never_becomes_markup() -> None:
    layout = segment_profile(profile())
    # the output area's width (tests/test_plots_focused_fit.py), 960 px in an export
    assert layout.sizing_mode == "stretch_width"
    assert all(f.sizing_mode == "stretch_width" and f.width <= 960 for f in layout.children)
    page = file_html(layout, INLINE, "profile")
    # user text travels as JSON data for canvas glyphs: never as live markup
    assert EVIL not in page and IMG not in page
    sources = [m for m in layout.references() if isinstance(m, ColumnDataSource)]
    texts = [v for m in sources for v in m.data.get("segment", [])]
    assert EVIL in texts
    assert set(PROFILE_COLUMNS) <= set(profile().columns)


def test_draws_the_real_segment_customers_profile() -> None:
    pytest.importorskip("sklearn")
    from cjm_jupyter.personas import make_customers, segment_customers

    table = make_customers(600, seed=1).drop(columns="planted_segment")
    result = segment_customers(table, customer_col="customer_id", seed=0)
    layout = segment_profile(result, top=3)
    segments = list(dict.fromkeys(result.profile["segment"].astype(str)))
    assert [f.name for f in layout.children] == [f"segment:{s}" for s in segments]
    for fig in layout.children:
        data = bars(fig)
        assert len(data["column"]) == 3 and all(len(f) <= 58 for f in data["fact"])
