"""Plots follow the theme: ``plots.set_theme("light" | "dark" | "auto")``, applied at render time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bokeh.core.property.vectorization import Field, Value
from bokeh.models import Column, ColumnDataSource, GlyphRenderer, Plot, Quad, Rect, Scatter, Text

from cjm_jupyter import templates
from cjm_jupyter.plots import emotion_curve, journey_map, save_html, set_theme, theme, touchpoint_heatmap
from cjm_jupyter.plots._dark import (
    DARK_BACKGROUND,
    DARK_TEXT,
    contrast,
    dark_color,
    readable_on,
)
from cjm_jupyter.plots._themed import DARK_SUFFIX, themed

BAD_NAME = "theme must be one of 'light', 'dark', 'auto', not 'night'"


@pytest.fixture(autouse=True)
def _auto_after() -> Iterator[None]:
    yield
    set_theme("auto")


@pytest.fixture(scope="module")
def colleen() -> Any:
    return templates.load("colleen")


@pytest.fixture(scope="module")
def colleen_map(colleen: Any) -> Any:
    """One map for the module: every theme is undone after its block (tested below)."""
    return journey_map(colleen)


def luminance(color: str) -> float:
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# -- the setting ---------------------------------------------------------------------------


def test_the_theme_is_auto_until_set_and_a_bad_name_is_refused_by_name() -> None:
    assert theme.get_theme() == "auto"
    set_theme("dark")
    assert theme.get_theme() == "dark"
    with pytest.raises(ValueError, match=re.escape(BAD_NAME)):
        set_theme("night")  # type: ignore[arg-type]
    assert theme.get_theme() == "dark", "a refused name changes nothing"
    with pytest.raises(ValueError, match=re.escape("not None")):
        set_theme(None)  # type: ignore[arg-type]


def test_use_theme_sets_the_theme_inside_the_block_only() -> None:
    with theme.use_theme("light"):
        assert theme.get_theme() == "light"
    assert theme.get_theme() == "auto"
    with pytest.raises(RuntimeError, match="boom"), theme.use_theme("dark"):
        raise RuntimeError("boom")
    assert theme.get_theme() == "auto"
    with pytest.raises(ValueError, match=re.escape(BAD_NAME)), theme.use_theme("night"):  # type: ignore[arg-type]
        pass


def test_exports_refuse_a_bad_theme_before_writing(colleen: Any, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=re.escape(BAD_NAME)):
        save_html(emotion_curve(colleen), tmp_path / "x.html", theme="night")
    assert not (tmp_path / "x.html").exists()


# -- colours ---------------------------------------------------------------------------------


def test_paper_and_ink_swap_and_data_colours_stay() -> None:
    assert dark_color(theme.BACKGROUND, "fill") == DARK_BACKGROUND
    assert dark_color("white", "fill") == DARK_BACKGROUND
    assert dark_color(theme.TEXT, "text") == DARK_TEXT
    assert dark_color("black", "line") == DARK_TEXT
    assert dark_color("#000000", "mark") == DARK_TEXT  # Okabe-Ito black would vanish on a dark page
    assert dark_color("#24292f", "fill") == "#24292f"  # a dark header band stays dark ...
    assert dark_color("#ffffff", "text") == "#ffffff"  # ... and keeps its white text
    assert dark_color("field_name", "fill") == "field_name"
    assert dark_color(None, "fill") is None
    # A pastel card keeps its hue and turns dark.
    assert luminance(str(dark_color("#efedf7", "fill"))) < 0.15
    palettes = {
        *theme.CATEGORY_PALETTE,
        *theme.EMOTION_PALETTE,
        *theme.PERSONA_PALETTE,
        *theme.SEGMENT_PALETTE,
    }
    for color in palettes - {"#000000"}:
        for role in ("fill", "mark", "text"):
            assert dark_color(color, role) == color, (color, role)  # type: ignore[arg-type]


def test_text_is_made_readable_on_its_backdrop() -> None:
    assert readable_on(DARK_TEXT, "#fdb863") == theme.TEXT  # light text on a light orange card
    assert readable_on(DARK_TEXT, DARK_BACKGROUND) == DARK_TEXT
    purple = readable_on("#2d004b", DARK_BACKGROUND)
    assert contrast(purple, DARK_BACKGROUND) >= 4.5 and purple != "#2d004b"


# -- the model tree --------------------------------------------------------------------------


def _glyph_values(model: Any, glyph: Any, source: ColumnDataSource, attr: str) -> list[Any]:
    spec = glyph.lookup(attr).get_value(glyph)
    if isinstance(spec, Value):
        return [spec.value]
    assert isinstance(spec, Field)
    return list(source.data[spec.field])


def test_the_dark_map_has_no_white_and_the_light_map_comes_back(colleen_map: Any) -> None:
    m = colleen_map
    before = {id(s): dict(s.data) for s in m.select({"type": ColumnDataSource})}
    with themed(m, "dark"):
        plots = list(m.select({"type": Plot}))
        assert plots
        for p in plots:
            assert p.background_fill_color == p.border_fill_color == DARK_BACKGROUND
        assert m.styles["background-color"] == DARK_BACKGROUND  # no light gaps between lanes
        fills: set[str] = set()
        texts: set[str] = set()
        for r in m.select({"type": GlyphRenderer}):
            if isinstance(r.glyph, Quad):
                fills.update(map(str, _glyph_values(m, r.glyph, r.data_source, "fill_color")))
            if isinstance(r.glyph, Text):
                texts.update(map(str, _glyph_values(m, r.glyph, r.data_source, "text_color")))
        assert fills and not fills & {"#ffffff", "white", theme.BACKGROUND, "#f6f8fa", "#efedf7"}, fills
        assert DARK_TEXT in texts and theme.TEXT in texts  # light text on dark cards, dark on light orange
    for p in m.select({"type": Plot}):
        assert p.background_fill_color == theme.BACKGROUND
        assert "change:inner_width" not in p.js_property_callbacks
    assert m.styles == {}
    after = {id(s): dict(s.data) for s in m.select({"type": ColumnDataSource})}
    assert after.keys() == before.keys()
    assert all(after[k].keys() == before[k].keys() for k in before), "dark columns are removed again"


def test_dark_keeps_the_palette_colours_of_the_data(colleen: Any) -> None:
    m = emotion_curve(colleen)
    light = {
        r.id: _glyph_values(m, r.glyph, r.data_source, "fill_color")
        for r in m.select({"type": GlyphRenderer})
        if isinstance(r.glyph, Scatter)
    }
    palette = set(theme.EMOTION_PALETTE) | set(theme.PERSONA_PALETTE)
    assert any(set(map(str, v)) & palette for v in light.values())
    with themed(m, "dark"):
        for r in m.select({"type": GlyphRenderer}):
            if r.id in light:
                dark = _glyph_values(m, r.glyph, r.data_source, "fill_color")
                for before, after in zip(light[r.id], dark, strict=True):
                    if before in palette:
                        assert after == before


def _dark_text(m: Any, line: str) -> set[str]:
    """The text colours, in dark, of the text glyph that draws a card starting with ``line``.

    Card text is wrapped for the map's slot width, so lines are compared with
    their line breaks read as spaces.
    """
    for r in m.select({"type": GlyphRenderer}):
        drawn = (" ".join(str(t).split()) for t in r.data_source.data.get("text", []))
        if isinstance(r.glyph, Text) and any(t.startswith(line) for t in drawn):
            return set(map(str, _glyph_values(m, r.glyph, r.data_source, "text_color")))
    raise AssertionError(f"no text glyph draws {line!r}")


def test_every_card_text_of_the_dark_map_reads_on_its_card(colleen_map: Any) -> None:
    """Pain points keep their orange cards, so dark text; opportunities turn dark, so light text."""
    m = colleen_map
    with themed(m, "dark"):
        assert _dark_text(m, "Has to sort") == {theme.TEXT}
        assert _dark_text(m, "obvious fast") == {DARK_TEXT}  # "Make benefits obvious fast", wrapped
        assert _dark_text(m, "Trigger") == {"#ffffff"}  # white on the dark stage header
        assert _dark_text(m, "impact 5 ·") == {"#9ea7b3"}  # muted, still readable
        assert _dark_text(m, "“It broke") == {DARK_TEXT}


def test_light_sets_only_the_page_colour_of_layouts(colleen_map: Any) -> None:
    m = colleen_map
    with themed(m, "light"):
        assert isinstance(m, Column) and m.styles["background-color"] == theme.BACKGROUND
        assert all(p.background_fill_color == theme.BACKGROUND for p in m.select({"type": Plot}))
        columns = {k for s in m.select({"type": ColumnDataSource}) for k in s.data}
        assert not {k for k in columns if DARK_SUFFIX in k}, "light needs no dark columns"


def test_auto_writes_the_switch_and_the_light_page(colleen_map: Any, tmp_path: Path) -> None:
    page = save_html(colleen_map, tmp_path / "auto.html", theme="auto").read_text(encoding="utf-8")
    assert "data-jp-theme-light" in page and "vscode-dark" in page and "MutationObserver" in page
    assert page.count('"change:inner_width"') >= 1
    assert DARK_SUFFIX in page  # the dark colour columns travel with the plot
    light = save_html(colleen_map, tmp_path / "light.html", theme="light").read_text(encoding="utf-8")
    assert "MutationObserver" not in light and DARK_SUFFIX not in light
    dark = save_html(colleen_map, tmp_path / "dark.html", theme="dark").read_text(encoding="utf-8")
    assert "MutationObserver" not in dark and f"background-color: {DARK_BACKGROUND}" in dark


def test_the_set_theme_reaches_notebook_output_and_exports(
    colleen: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bokeh.io import output_notebook, reset_output, show
    from bokeh.io.notebook import JS_MIME_TYPE
    from bokeh.resources import INLINE

    shown: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "bokeh.io.notebook.publish_display_data", lambda data, metadata=None: shown.append(data)
    )
    try:
        output_notebook(resources=INLINE, hide_banner=True)
        shown.clear()
        show(emotion_curve(colleen))  # default: auto
        set_theme("dark")
        show(emotion_curve(colleen))
        set_theme("light")
        show(emotion_curve(colleen))
    finally:
        reset_output()
    scripts = [d[JS_MIME_TYPE] for d in shown if JS_MIME_TYPE in d]
    assert len(scripts) == 3
    auto, dark, light = scripts
    assert "MutationObserver" in auto and "MutationObserver" not in dark + light
    assert DARK_BACKGROUND in dark and DARK_BACKGROUND not in light
    set_theme("dark")
    page = save_html(emotion_curve(colleen), tmp_path / "d.html").read_text(encoding="utf-8")
    assert DARK_BACKGROUND in page


def test_the_heatmap_cells_keep_their_colours_and_their_labels_stay_readable(colleen: Any) -> None:
    m = touchpoint_heatmap(colleen)
    labels = next(r for r in m.select({"type": GlyphRenderer}) if isinstance(r.glyph, Text))
    cells = next(r for r in m.select({"type": GlyphRenderer}) if isinstance(r.glyph, Rect))
    light = _glyph_values(m, cells.glyph, cells.data_source, "fill_color")
    assert set(light) & set(theme.EMOTION_PALETTE)
    with themed(m, "dark"):
        dark = _glyph_values(m, cells.glyph, cells.data_source, "fill_color")
        texts = _glyph_values(m, labels.glyph, labels.data_source, "text_color")
    assert len(texts) == len(dark) == len(light)
    for before, after, text in zip(light, dark, texts, strict=True):
        if before in theme.EMOTION_PALETTE:
            assert after == before  # the data colours stay
        else:  # "no data": a light grey cell turns dark
            assert luminance(after) < 0.2
        # 3: a mid purple reads no better with either text colour, in light as in dark.
        assert contrast(text, after) >= 3.0, (text, after)


@pytest.mark.parametrize(("page_theme", "marker"), [("dark", "false"), ("light", "true")])
def test_notebook_exports_carry_the_marker_auto_reads(tmp_path: Path, page_theme: str, marker: str) -> None:
    """``export_html(..., theme=...)`` and nbconvert's lab template mark the page as "auto" expects."""
    import nbformat
    from nbconvert import HTMLExporter

    from cjm_jupyter import export_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# plots")])
    ours = export_html(nb, tmp_path / "page.html", theme=page_theme).read_text(encoding="utf-8")
    stock, _ = HTMLExporter(template_name="lab", theme=page_theme).from_notebook_node(nb)
    for page in (ours, stock):
        assert re.search(rf'<body[^>]*data-jp-theme-light="{marker}"', page)
