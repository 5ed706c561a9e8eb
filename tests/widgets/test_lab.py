"""End to end in a real JupyterLab: edit in the browser, read the kernel's DataFrame.

Starts JupyterLab (127.0.0.1, no token, temp config dirs), opens
examples/editor.ipynb with Playwright in Debian chromium, runs all cells,
renames a stage and drags an emotion point, then re-runs the last cell and
reads its printed output.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from ..support.lab_server import jupyter_lab, open_and_run_all
from ..support.paths import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.lab, pytest.mark.slow]

EXAMPLE = EXAMPLES / "editor.ipynb"


def _stdout_of_last_cell(page) -> str:  # type: ignore[no-untyped-def]
    out = page.locator(".jp-NotebookPanel .jp-Cell").last.locator(
        '[data-mime-type="application/vnd.jupyter.stdout"]'
    )
    return out.inner_text()


def _rerun_last_cell_until(page, pattern: str, timeout: float = 20) -> str:  # type: ignore[no-untyped-def]
    last = page.locator(".jp-NotebookPanel .jp-Cell").last
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Enter")
        page.wait_for_timeout(500)
        text = _stdout_of_last_cell(page)
        if re.search(pattern, text):
            return text
    raise AssertionError(f"{pattern!r} not in the kernel's output: {text!r}")


def _drag_up(page, selector: str, pixels: int, attempts: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Drag an SVG point upwards; retried because a snapshot redraw may replace the element."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(attempts):
        try:
            dot = page.locator(selector)
            dot.scroll_into_view_if_needed(timeout=5_000)
            box = dot.bounding_box(timeout=5_000)
            assert box is not None
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            page.mouse.down()
            page.mouse.move(x, y - pixels, steps=6)
            page.mouse.up()
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            page.wait_for_timeout(300)


def test_edit_in_jupyterlab_changes_the_kernel_frame(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(EXAMPLE, root / "editor.ipynb")
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "editor.ipynb")
            name = page.locator('[data-key="stage:trigger:name"]')
            name.wait_for(timeout=60_000)
            # the editors drew: the static summaries written above them are hidden, never shown twice
            page.wait_for_function(
                "() => { const s = [...document.querySelectorAll('.cjm-fallback')];"
                " return s.length === 2 && s.every(e => !e.checkVisibility()); }",
                timeout=10_000,
            )
            assert "emo-1 score: -2.0" in _rerun_last_cell_until(page, r"emo-1 score")

            name.fill("Spark")
            name.press("Enter")
            saved = page.locator(".cjm-status", has_text="All changes saved").first
            saved.wait_for(timeout=20_000)  # the reply came: the view was redrawn before it
            _drag_up(page, 'circle.cjm-point[data-id="emo-1"]', 60)
            # Poll the kernel until both edits are there: the drag's reply may still be on its way.
            text = _rerun_last_cell_until(page, r"stages: \['Spark'[\s\S]*emo-1 score: (?!-2\.0\b)")
            score = float(re.search(r"emo-1 score: (-?[\d.]+)", text).group(1))  # type: ignore[union-attr]
            assert score > -2.0, text
        finally:
            page.close()
