"""save_html, export_png and export_svg: offline pages, real images, clear errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from bokeh.plotting import figure
from PIL import Image

from cjm_jupyter import templates
from cjm_jupyter.plots import export
from cjm_jupyter.plots.emotion import emotion_curve
from cjm_jupyter.plots.export import ExportUnavailableError, export_png, export_svg, save_html

from ..support.browser import external_refs, skip_or_fail


def small_figure() -> figure:
    fig = figure(width=300, height=200, title="small")
    fig.scatter([1, 2, 3], [3, 1, 2], size=12, color="#D55E00")
    return fig


# -- save_html (no browser) ---------------------------------------------------------------
def test_save_html_inlines_bokehjs_and_escapes_the_title(tmp_path: Path) -> None:
    path = save_html(small_figure(), tmp_path / "fig.html", title="</title><script>alert(1)</script>")
    assert path == tmp_path / "fig.html"
    page = path.read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script>alert(1)" not in page
    assert external_refs(page) == [] and "cdn.bokeh.org" not in page
    assert "Bokeh" in page and len(page) > 500_000  # BokehJS itself is in the file


def test_save_html_of_a_journey_saves_its_map(tmp_path: Path) -> None:
    path = save_html(templates.load("colleen"), tmp_path / "map.html")
    page = path.read_text(encoding="utf-8")
    assert "<title>Customer journey map</title>" in page
    assert "Curious Colleen" in page


def test_save_html_refuses_what_is_not_a_plot(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="Bokeh figure or layout or a Journey"):
        save_html({"not": "a plot"}, tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()


def test_a_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "fig.html"
    path.write_text("old", encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("serialization failed")

    monkeypatch.setattr(export, "file_html", broken)
    with pytest.raises(RuntimeError, match="serialization failed"):
        save_html(small_figure(), path)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["fig.html"]


# -- missing browser (no browser) -----------------------------------------------------------
@pytest.mark.parametrize("variable", ["CJM_CHROMIUM", "CJM_CHROMEDRIVER"])
@pytest.mark.parametrize("exporter", [export_png, export_svg])
def test_without_chromium_the_error_says_what_to_install(
    variable: str, exporter: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, str(tmp_path / "missing" / "chromium"))
    with pytest.raises(ExportUnavailableError) as info:
        exporter(small_figure(), tmp_path / "out")  # type: ignore[operator]
    message = str(info.value)
    assert "apt-get install chromium chromium-driver" in message
    assert "pip install cjm_jupyter[export]" in message
    assert isinstance(info.value, RuntimeError)
    assert not (tmp_path / "out").exists()


def test_without_selenium_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setattr(export, "_find_browser", lambda: ("/usr/bin/chromium", "/usr/bin/chromedriver"))
    monkeypatch.setitem(sys.modules, "selenium.webdriver.chrome.options", None)
    with pytest.raises(ExportUnavailableError, match=r"selenium package.*cjm_jupyter\[export\]"):
        export_png(small_figure(), tmp_path / "out.png")


# -- real exports (Chromium + ChromeDriver) ---------------------------------------------------
@pytest.fixture(scope="module")
def chromium_driver() -> None:
    for path in (export.CHROMIUM_PATH, export.CHROMEDRIVER_PATH):
        if not os.access(path, os.X_OK):
            skip_or_fail(f"{path} not found: apt-get install chromium chromium-driver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        skip_or_fail("selenium is not installed: pip install 'cjm_jupyter[export]'")


@pytest.mark.browser
def test_export_png_of_the_worked_example_map(tmp_path: Path, chromium_driver: None) -> None:
    path = export_png(templates.load("colleen"), tmp_path / "colleen.png")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width > 800 and image.height > 600
    pixels = image.width * image.height
    ink = sum(n for n, (r, g, b) in image.getcolors(pixels) if min(r, g, b) < 235)
    colour = sum(n for n, (r, g, b) in image.getcolors(pixels) if max(r, g, b) - min(r, g, b) > 40)
    assert ink > 0.05 * pixels, "the PNG is (almost) blank"
    assert colour > 5_000, "the PNG has no coloured marks"


@pytest.mark.browser
def test_export_png_sizes_a_single_figure(tmp_path: Path, chromium_driver: None) -> None:
    colleen = templates.load("colleen")
    path = export_png(emotion_curve(colleen), tmp_path / "curve.png", width=500, height=320)
    assert Image.open(path).size == (500, 320)


@pytest.mark.browser
def test_export_svg_is_vector_and_leaves_the_plot_unchanged(tmp_path: Path, chromium_driver: None) -> None:
    curve = emotion_curve(templates.load("colleen"))
    path = export_svg(curve, tmp_path / "curve.svg")
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "<path" in svg and "<text" in svg
    assert "Emotion curve" in svg
    assert "<image" not in svg, "expected vector shapes, not an embedded bitmap"
    assert curve.output_backend == "canvas"


@pytest.mark.browser
def test_export_svg_of_the_map_layout(tmp_path: Path, chromium_driver: None) -> None:
    svg = export_svg(templates.load("colleen"), tmp_path / "map.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert "Curious Colleen" in svg or "Search engine" in svg
