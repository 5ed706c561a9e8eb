"""Dark-theme screenshots: the plot areas are dark in dark, light in light, and "auto" follows the page.

The Colleen map, its emotion curve and its heatmap are drawn in headless
Chromium and screenshotted; the mean luminance (0 black .. 1 white) of each
plot's box is the measure. "auto" pages carry JupyterLab's theme marker
(``<body data-jp-theme-light=...>``), and one test runs a notebook in a real
JupyterLab and switches its theme. The screenshots stay in the test's
``tmp_path`` (``pytest --basetemp=DIR`` to look at them).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bokeh.layouts import column
from PIL import Image, ImageStat

from cjm_jupyter import templates
from cjm_jupyter.plots import emotion_curve, journey_map, save_html, touchpoint_heatmap

from ..support.browser import OfflinePage
from ..support.lab_server import change_theme, jupyter_lab, open_and_run_all

pytestmark = pytest.mark.browser

# JupyterLab Dark's page is #111111 (0.07); cards, curves and text add a little to the mean.
DARK_MEAN, DARK_BACKGROUND = 0.2, 0.15
LIGHT_MEAN, LIGHT_BACKGROUND = 0.8, 0.9

# The box of every Bokeh figure (canvas host) in page coordinates; CSS pierces shadow roots.
FIGURE_BOXES = """els => els.map(e => { const b = e.getBoundingClientRect();
  return [b.left + window.scrollX, b.top + window.scrollY, b.width, b.height]; })"""


@dataclass(frozen=True)
class Luminance:
    """What a screenshot shows of the figures: 0 black .. 1 white (Rec. 709 weights on sRGB)."""

    mean: float  # over every figure's box together
    backgrounds: list[float]  # per figure: its most common colour (the plot area's background)


def _lum(rgb: tuple[float, ...]) -> float:
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255


def luminance_of(shot: bytes, boxes: list[list[float]]) -> Luminance:
    """The mean luminance of the boxes of a screenshot, and each box's background."""
    image = Image.open(io.BytesIO(shot)).convert("RGB")
    total = weight = 0.0
    backgrounds = []
    for left, top, width, height in boxes:
        crop = image.crop((int(left), int(top), int(left + width), int(top + height)))
        pixels = crop.width * crop.height
        total += _lum(tuple(ImageStat.Stat(crop).mean)) * pixels
        weight += pixels
        _, colour = max(crop.getcolors(maxcolors=pixels) or [(0, (0, 0, 0))])
        backgrounds.append(_lum(colour))
    return Luminance(total / weight, backgrounds)


def figure_luminance(page: Any, path: Path, *, within: str | None = None) -> Luminance:
    """Screenshot the whole page to ``path`` and measure every figure's box on it.

    ``within``: a selector of the element that clips what is seen (JupyterLab's
    notebook scrolls inside its panel); boxes are cut to it, hidden ones dropped.
    """
    boxes = page.locator(".bk-Figure, .bk-Plot").evaluate_all(FIGURE_BOXES)
    shot = page.screenshot(full_page=True)
    path.write_bytes(shot)
    size = Image.open(io.BytesIO(shot)).size
    left, top, right, bottom = 0.0, 0.0, float(size[0]), float(size[1])
    if within is not None:
        x, y, w, h = page.locator(within).first.evaluate_all(FIGURE_BOXES)[0]
        left, top, right, bottom = max(left, x), max(top, y), min(right, x + w), min(bottom, y + h)
    cut = []
    for x, y, w, h in boxes:
        x0, y0, x1, y1 = max(x, left), max(y, top), min(x + w, right), min(y + h, bottom)
        if x1 - x0 > 50 and y1 - y0 > 20:
            cut.append([x0, y0, x1 - x0, y1 - y0])
    assert cut, "no Bokeh figure on the page"
    return luminance_of(shot, cut)


def assert_dark(values: Luminance) -> None:
    assert values.mean < DARK_MEAN and max(values.backgrounds) < DARK_BACKGROUND, values


def assert_light(values: Luminance) -> None:
    assert values.mean > LIGHT_MEAN and min(values.backgrounds) > LIGHT_BACKGROUND, values


def with_body(html: str, attributes: str) -> str:
    """``html`` whose page ``<body>`` (the last one: BokehJS's code mentions the tag) has ``attributes``."""
    at = html.rindex("<body>")
    return f"{html[:at]}<body {attributes}>{html[at + len('<body>') :]}"


@pytest.fixture(scope="module")
def plots_page(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``page(theme)``: the map, emotion curve and heatmap of Colleen saved in one HTML page."""
    j = templates.load("colleen")
    folder = tmp_path_factory.mktemp("theme_pages")
    layout = column(journey_map(j), emotion_curve(j), touchpoint_heatmap(j))
    made: dict[str, Path] = {}

    def page(theme: str) -> Path:
        if theme not in made:
            made[theme] = save_html(layout, folder / f"{theme}.html", theme=theme)
        return made[theme]

    return page


def _open(open_offline: Callable[..., OfflinePage], path: Path) -> OfflinePage:
    page = open_offline(path)
    page.page.wait_for_timeout(300)  # "auto" repaints once after the first layout
    return page


def test_plot_areas_are_dark_in_dark_and_light_in_light(
    open_offline: Callable[..., OfflinePage], plots_page: Callable[[str], Path], tmp_path: Path
) -> None:
    light = _open(open_offline, plots_page("light"))
    light_values = figure_luminance(light.page, tmp_path / "light.png")
    dark = _open(open_offline, plots_page("dark"))
    dark_values = figure_luminance(dark.page, tmp_path / "dark.png")
    for page in (light, dark):
        page.assert_clean()
        page.assert_drawn(min_ink=2_000)
    # 11 map lanes (at least), the curve and the heatmap
    assert len(light_values.backgrounds) == len(dark_values.backgrounds) >= 12
    assert_light(light_values)
    assert_dark(dark_values)


def test_auto_follows_the_theme_marker_of_the_page_and_its_switches(
    open_offline: Callable[..., OfflinePage], plots_page: Callable[[str], Path], tmp_path: Path
) -> None:
    """One page, loaded in JupyterLab Dark's markup, then re-themed the way JupyterLab and VS Code do."""
    path = tmp_path / "auto.html"
    body = 'class="jp-Notebook" data-jp-theme-light="false" data-jp-theme-name="JupyterLab Dark"'
    path.write_text(with_body(plots_page("auto").read_text(encoding="utf-8"), body), encoding="utf-8")
    opened = _open(open_offline, path)
    page = opened.page
    assert_dark(figure_luminance(page, tmp_path / "lab_dark.png"))
    steps = (
        ("lab_light", "b => b.setAttribute('data-jp-theme-light', 'true')", assert_light),
        ("lab_dark_again", "b => b.setAttribute('data-jp-theme-light', 'false')", assert_dark),
        ("no_marker", "b => { b.removeAttribute('data-jp-theme-light'); b.className = ''; }", assert_light),
        ("vscode_dark", "b => { b.className = 'vscode-body vscode-dark'; }", assert_dark),
        ("vscode_light", "b => { b.className = 'vscode-body vscode-light'; }", assert_light),
    )
    for name, change, check in steps:
        page.locator("body").evaluate(change)
        page.wait_for_timeout(400)  # the plots repaint on the next frames
        check(figure_luminance(page, tmp_path / f"{name}.png"))
    opened.assert_clean()


# -- a real JupyterLab -------------------------------------------------------------------------

NOTEBOOK_CELLS = (
    "from cjm_jupyter.plots import setup_notebook\nsetup_notebook()",
    "import cjm_jupyter as cjm\nj = cjm.templates.load('colleen')\nj.plot()",
)


NOTEBOOK = ".jp-NotebookPanel-notebook"


@pytest.mark.lab
@pytest.mark.slow
def test_the_map_follows_jupyterlab_dark_and_light(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in NOTEBOOK_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "theme.ipynb")
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "theme.ipynb")
            # The map is a column of Bokeh ``Plot``s (.bk-Plot); focused plots are figures (.bk-Figure).
            page.locator(".jp-OutputArea-output .bk-Plot canvas").first.wait_for(timeout=90_000)
            page.wait_for_function(
                "window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents.every(d => d.is_idle)",
                polling=100,
                timeout=60_000,
            )
            change_theme(page, "JupyterLab Dark", 500)
            dark = figure_luminance(page, tmp_path / "lab_dark.png", within=NOTEBOOK)
            change_theme(page, "JupyterLab Light", 500)
            light = figure_luminance(page, tmp_path / "lab_light.png", within=NOTEBOOK)
        finally:
            page.close()
    assert len(dark.backgrounds) == len(light.backgrounds) >= 3  # the lanes of the map
    assert_dark(dark)
    assert_light(light)
