"""The journey map fits JupyterLab's 968 px output area; a 12 x 20 map scrolls with whole words.

One JupyterLab session (they cost CI time): Chromium at 1400 x 1000 with the
file browser open gives a 968 px output area. One notebook shows the Colleen
map (11 touchpoints: it must fit without a horizontal scrollbar and stretch to
the cell) and a 12-stage x 20-touchpoint map (it needs more than the cell at
its 72 px minimum slot, so its output area scrolls; its text was wrapped for
that minimum, see test_plots_map_fit.py, so its words stay whole). Then
JupyterLab switches to its Dark theme, which the map follows (the default
theme "auto"). Screenshots land in the test's tmp_path, or in ``$CJM_SHOTS``
when set, for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest

from cjm_jupyter.plots.map.grid import GUTTER_PX, MIN_SLOT_PX, RIGHT_PX

from ..support.lab_server import (
    change_theme,
    jupyter_lab,
    no_windowing,
    notebook_screenshot,
    open_and_run_all,
)
from ..support.plot_data import wide_journey

SETUP = """\
from cjm_jupyter import read_json, templates
from cjm_jupyter.plots import journey_map, setup_notebook
setup_notebook()
j = templates.load("colleen")
wide = read_json("wide.json")
"""
MAPS = ("journey_map(j)", "journey_map(wide)")

#: Each output area's size and the map's own width, with the cell it belongs to.
_OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .jp-Cell')].flatMap(cell =>
  [...cell.querySelectorAll('.jp-OutputArea-output')].map(out => {
    const root = out.querySelector('.bk-Column, .bk-root, [class*="bk-"]');
    return {source: cell.querySelector('.jp-InputArea-editor')?.innerText.trim() ?? '',
            scroll: out.scrollWidth, client: out.clientWidth,
            map: root ? root.getBoundingClientRect().width : 0};
  }))"""


def _write_notebook(root: Path) -> None:
    cells = [nbformat.v4.new_code_cell(SETUP)] + [nbformat.v4.new_code_cell(src) for src in MAPS]
    nb = nbformat.v4.new_notebook(cells=cells)
    # without a kernelspec JupyterLab asks which kernel to start, and the kernel never idles
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "map_fit.ipynb")
    wide_journey().to_json(root / "wide.json")


def _wait_rendered(page: Any) -> None:
    page.wait_for_function(
        """n => window.Bokeh !== undefined && Bokeh.documents.length >= n
                && Bokeh.documents.every(d => d.is_idle)""",
        arg=len(MAPS),
        polling=250,
        timeout=240_000,
    )
    page.wait_for_timeout(1000)  # responsive lanes re-lay out after the output area settles


def _outputs(page: Any) -> list[dict[str, Any]]:
    """The output areas holding a map (a cell's Bokeh loader output holds none)."""
    return [o for o in page.evaluate(_OUTPUTS_JS) if o["source"] in MAPS and o["map"] > 0]


@pytest.mark.browser
@pytest.mark.lab
@pytest.mark.slow
def test_colleen_map_fits_968_px_and_a_12_by_20_map_scrolls(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    _write_notebook(root)
    no_windowing(tmp_path)  # every output must be in the DOM
    shots = Path(os.environ.get("CJM_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "map_fit.ipynb")
            _wait_rendered(page)
            light = _outputs(page)
            notebook_screenshot(page, shots / "map_fit_968_light.png")
            change_theme(page, "JupyterLab Dark", 1000)
            dark = _outputs(page)
            notebook_screenshot(page, shots / "map_fit_968_dark.png")
        finally:
            page.close()
    shutil.rmtree(root, ignore_errors=True)

    assert [o["source"] for o in light] == list(MAPS), light  # one output per map, none missing
    colleen, wide = light
    assert {o["client"] for o in light} == {968}, light  # the premise: JupyterLab's output area
    # Colleen: no horizontal scrollbar, and the map stretches to the cell (at least its 940 px).
    assert colleen["scroll"] <= colleen["client"], colleen
    assert 940 <= colleen["map"] <= colleen["client"], colleen
    # 12 x 20: the minimum slot needs more than the cell, so the output area scrolls,
    # and the map keeps every touchpoint's 72 px (its words were wrapped for them).
    least = 240 * MIN_SLOT_PX + GUTTER_PX + RIGHT_PX
    assert wide["scroll"] > wide["client"], wide
    assert wide["scroll"] >= least and wide["map"] >= least, wide
    assert dark[0]["scroll"] <= dark[0]["client"] and dark[1]["scroll"] >= least, dark
