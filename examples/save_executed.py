"""Run example notebooks and save them with the outputs of that run.

Run with ``python examples/save_executed.py`` (every notebook in
:data:`SAVED`) or ``python examples/save_executed.py quickstart.ipynb`` after
changing a notebook or the map's look; drawing the map's picture needs Debian
chromium and chromedriver.

What a saved notebook holds, so that it reads well before anyone runs it (on
GitHub, in JupyterLab, in nbviewer) and stays small (well under 2 MB):

- every cell's outputs (summaries, tables, printed text) and the editors'
  widget state (JupyterLab and nbviewer draw them read-only without a kernel);
- a Bokeh plot's output replaced by a PNG of the same plot: that output
  carries BokehJS inline (about 4 MB), and a notebook opened from a clone is
  untrusted, so JupyterLab would not run its script anyway. Running the cell
  gives the interactive plot. A notebook with a Bokeh output this script has
  no picture for is refused (analytics, living map and personas are saved
  without outputs: they are plots from top to bottom).

Execution timestamps are left out, so a re-run only changes what changed.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_output

import cjm_jupyter as cjm
from cjm_jupyter.io.atomic import atomic_file
from cjm_jupyter.sharing.report_run import execute

EXAMPLES = Path(__file__).resolve().parent
_MAP_ALT = "The Curious Colleen journey map (a picture; run the cell for the interactive map)"
#: The notebooks saved executed, and for each the cells whose Bokeh output is saved as a
#: picture: cell id -> (what the cell draws, made here the same way, and the picture's text).
SAVED: dict[str, dict[str, tuple[Callable[[], Any], str]]] = {
    "quickstart.ipynb": {"plot-map": (lambda: cjm.templates.load("colleen"), _MAP_ALT)},
    "editor.ipynb": {},
}
_BOKEH = "application/vnd.bokehjs_exec.v0+json"


def picture(obj: Any, folder: Path) -> str:
    """``obj`` (a journey or a Bokeh model) drawn by headless chromium, as base64 PNG."""
    path = cjm.plots.export_png(obj, folder / "picture.png")
    return base64.b64encode(path.read_bytes()).decode("ascii")


def save(name: str) -> int:
    """Execute ``examples/<name>`` (widget state kept), put pictures in for plots, write it; its bytes."""
    path = EXAMPLES / name
    pictures = SAVED[name]
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        execute(nb, work)
        for cell in nb.cells:
            cell.metadata.pop("execution", None)  # nbclient's timestamps
            if cell.get("id") in pictures:
                draw, alt = pictures[cell.id]
                data = {"image/png": picture(draw(), Path(work)), "text/plain": alt}
                cell.outputs = [new_output("display_data", data=data)]
    left = [cell.get("id") for cell in nb.cells if _BOKEH in json.dumps(cell.get("outputs", []))]
    if left:
        raise SystemExit(f"{name}: cells {left} show Bokeh plots with no picture in SAVED; not saved")
    nbformat.validate(nb)
    with atomic_file(path) as tmp:
        nbformat.write(nb, tmp)
    return path.stat().st_size


if __name__ == "__main__":
    for name in sys.argv[1:] or list(SAVED):
        print(f"saved {name} with its outputs: {save(name) / 1e6:.2f} MB", flush=True)
