"""The focused plots fit JupyterLab's output area: no horizontal scrollbar at 968 px or 600 px.

One JupyterLab session (they cost CI time): Chromium at 1400 x 1000 with the
file browser open gives a 968 px output area. A notebook shows every focused
plot the way users do (``setup_notebook()``, then the plot as the cell's last
expression); every output area must be as wide as its content. Then the
window narrows to a 600 px output area (plots whose text needs more keep a
minimum width and may scroll: the empathy map and flows of many columns, not
shown here at that size), and JupyterLab switches to its Dark theme, which the
plots follow (the default theme "auto"). Screenshots of the notebook land in
the test's tmp_path, or in ``$CJM_SHOTS`` when set, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest

from ..support.lab_server import (
    change_theme,
    jupyter_lab,
    no_windowing,
    notebook_screenshot,
    open_and_run_all,
)

SETUP = """\
import pandas as pd
from cjm_jupyter import templates
from cjm_jupyter.plots import *
setup_notebook()
j = templates.load("colleen")
moves = pd.DataFrame({"source": ["Search", "Website", "Reviews", "Website"],
                      "target": ["Website", "Reviews", "Website", "Checkout"], "count": [800, 300, 120, 260]})
steps = pd.DataFrame({"stage": ["Visit", "Cart", "Buy"], "customers": [1000, 300, 120]})
comp = pd.DataFrame({"metric": "conversion", "stage": ["Cart", "Buy"], "segment": "app",
                     "significant": [False, True]})
comp.attrs.update(baseline="Customers who came through the spring newsletter campaign of the garden centre")
rows = pd.DataFrame({
    "metric": "conversion", "stage_id": ["s1", "s1", "s2", "s2"], "stage": ["Visit", "Visit", "Buy", "Buy"],
    "touchpoint_id": None, "touchpoint": None, "segment": ["web", "app"] * 2, "baseline": "web",
    "n": [900, 400, 900, 400], "value": [1.0, 1.0, 0.31, 0.42], "ci_low": [1.0, 1.0, 0.28, 0.37],
    "ci_high": [1.0, 1.0, 0.34, 0.47], "p_adjusted": [None, None, None, 0.0004],
    "significant": [False, False, False, True]})
profile = pd.DataFrame([
    {"segment": seg, "size": 500, "share": 0.5, "column": col, "kind": "numeric", "typical": "3",
     "segment_value": 3.0, "rest_value": 2.0, "effect_size": eff, "rank": rank}
    for seg in ("Bargain hunters", "Loyal")
    for rank, (col, eff) in enumerate((("age", -0.9), ("orders", 1.3)), 1)])
"""
#: One cell per focused plot, each ending with the plot (shown by the display hook).
PLOTS = (
    "emotion_curve(j)",
    "touchpoint_heatmap(j, value='count')",
    "funnel_chart(steps, mode='sequential', comparison=comp)",
    "flow(moves)",
    "interaction_graph(moves)",
    "compare_personas(j)",
    "compare_personas(j, kind='bars')",
    "segment_comparison(rows)",
    "segment_profile(profile)",
    "priority_matrix(j)",
    "empathy_map(templates.load('empathy'))",
    "persona_cards(j)",
)
BOKEH_PLOTS = len(PLOTS) - 1  # the persona cards are HTML
#: Plots laid out for more than 600 px (empathy map: 760 px of wrapped notes).
WIDE_AT_600 = ("empathy_map(",)

#: Each output area's size, and the plot cell it belongs to ("" for the setup cell).
_OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')].flatMap(cell =>
  [...cell.querySelectorAll('.jp-OutputArea-output')].map(out => ({
    source: cell.querySelector('.jp-InputArea-editor')?.innerText.trim() ?? '',
    scroll: out.scrollWidth, client: out.clientWidth})))"""


def _write_notebook(root: Path) -> None:
    cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(src) for src in PLOTS]
    nb = nbformat.v4.new_notebook(cells=cells)
    # without a kernelspec JupyterLab asks which kernel to start, and the kernel never idles
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "fit.ipynb")


def _wait_rendered(page: Any) -> None:
    page.wait_for_function(
        """n => window.Bokeh !== undefined && Bokeh.documents.length >= n
                && Bokeh.documents.every(d => d.is_idle)""",
        arg=BOKEH_PLOTS,
        polling=200,
        timeout=180_000,
    )
    page.locator(".cjm-cards").wait_for(timeout=60_000)
    page.wait_for_timeout(800)  # responsive plots re-lay out after the output area settles


def _outputs(page: Any) -> list[dict[str, Any]]:
    return [o for o in page.evaluate(_OUTPUTS_JS) if o["source"] in PLOTS]


@pytest.mark.browser
@pytest.mark.lab
@pytest.mark.slow
def test_every_focused_plot_fits_the_output_area_at_968_and_600_px(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    _write_notebook(root)
    no_windowing(tmp_path)  # every output must be in the DOM
    shots = Path(os.environ.get("CJM_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "fit.ipynb")
            _wait_rendered(page)
            wide = _outputs(page)
            notebook_screenshot(page, shots / "focused_plots_968_light.png")

            change_theme(page, "JupyterLab Dark", 800)
            notebook_screenshot(page, shots / "focused_plots_968_dark.png")
            dark = _outputs(page)
            change_theme(page, "JupyterLab Light", 800)

            page.set_viewport_size({"width": 1400 - 368, "height": 1000})
            page.wait_for_timeout(1500)
            narrow = _outputs(page)
            notebook_screenshot(page, shots / "focused_plots_600_light.png")
        finally:
            page.close()
    shutil.rmtree(root, ignore_errors=True)

    # every plot has its outputs (a Bokeh plot has two: its script's and its own), none missing
    assert list(dict.fromkeys(o["source"] for o in wide)) == list(PLOTS), wide
    assert {o["client"] for o in wide} == {968}, wide  # the premise: JupyterLab's output area
    assert [o for o in wide if o["scroll"] > o["client"]] == []
    assert [o for o in dark if o["scroll"] > o["client"]] == []
    assert {o["client"] for o in narrow} == {600}, narrow
    scrolled = [o["source"] for o in narrow if o["scroll"] > o["client"]]
    assert [s for s in scrolled if not s.startswith(WIDE_AT_600)] == []
