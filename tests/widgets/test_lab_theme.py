"""The editors follow JupyterLab's theme: light and dark, switched while open."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from ..support.lab_server import change_theme, jupyter_lab, open_and_run_all
from ..support.paths import EXAMPLES

pytestmark = [pytest.mark.browser, pytest.mark.lab, pytest.mark.slow]

# Colours of the editor surfaces, read inside their Shadow DOM.
COLOURS = """() => [...document.querySelectorAll('.cjm-host')].map((host) => {
  const editor = host.shadowRoot.querySelector('.cjm-editor');
  const field = host.shadowRoot.querySelector('.cjm-field');
  const style = (el, prop) => getComputedStyle(el)[prop];
  return {bg: style(editor, 'backgroundColor'), fg: style(editor, 'color'),
          fieldBg: style(field, 'backgroundColor'), fieldFg: style(field, 'color')};
})"""


def luminance(css: str) -> float:
    """Relative luminance (0 black .. 1 white) of an ``rgb()``/``rgba()`` colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_editors_follow_the_light_and_dark_theme(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    shutil.copy(EXAMPLES / "editor.ipynb", root / "editor.ipynb")
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        try:
            open_and_run_all(page, url, "editor.ipynb")
            page.locator('[data-key="stage:trigger:name"]').wait_for(timeout=60_000)
            page.wait_for_function("document.querySelectorAll('.cjm-host').length === 2", timeout=30_000)

            change_theme(page, "JupyterLab Dark", 300)
            dark = page.evaluate(COLOURS)
            page.screenshot(path=str(tmp_path / "dark.png"))
            change_theme(page, "JupyterLab Light", 300)
            light = page.evaluate(COLOURS)
        finally:
            page.close()
    assert len(dark) == len(light) == 2  # the journey editor and the persona editor
    for colours in dark:
        assert luminance(colours["bg"]) < 0.25 and luminance(colours["fg"]) > 0.6, colours
        assert luminance(colours["fieldBg"]) < 0.25 and luminance(colours["fieldFg"]) > 0.6, colours
    for colours in light:
        assert luminance(colours["bg"]) > 0.75 and luminance(colours["fg"]) < 0.4, colours
        assert luminance(colours["fieldBg"]) > 0.75 and luminance(colours["fieldFg"]) < 0.4, colours
