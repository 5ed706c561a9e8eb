"""Run ``examples/quickstart.ipynb`` and save it with the outputs of that run.

Run with ``python examples/save_quickstart.py`` after changing the notebook
(or the map's look); needs Debian chromium and chromedriver for the picture.

What the saved notebook holds, so that it reads well before anyone runs it
(on GitHub, in JupyterLab, in nbviewer) and stays small (about 0.5 MB):

- every cell's outputs (summaries, tables, printed text) and the editor's
  widget state (JupyterLab and nbviewer draw it read-only without a kernel);
- the map cell's output as a PNG of the same map, not its Bokeh output: that
  output carries BokehJS inline (about 4 MB), and a notebook opened from a
  clone is untrusted, so JupyterLab would not run its script anyway. Running
  the cell gives the interactive map.

Execution timestamps are left out, so a re-run only changes what changed.
"""

from __future__ import annotations

import base64
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_output

import cjm_jupyter as cjm
from cjm_jupyter.io.atomic import atomic_file
from cjm_jupyter.sharing.report_run import execute

NOTEBOOK = Path(__file__).resolve().with_name("quickstart.ipynb")
#: The cell that draws the Colleen map, and how to draw the same map here.
MAP_CELL = "plot-map"
MAP_ALT = "The Curious Colleen journey map (a picture; run the cell for the interactive map)"


def map_png(folder: Path) -> bytes:
    """The Colleen template's map, drawn by headless chromium, as PNG bytes."""
    path = cjm.plots.export_png(cjm.templates.load("colleen"), folder / "map.png")
    return path.read_bytes()


def save(notebook: Path = NOTEBOOK) -> int:
    """Execute ``notebook`` (widget state kept), put the map in as a picture, write it; its size in bytes."""
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        execute(nb, work)
        png = map_png(Path(work))
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # nbclient's timestamps
        if cell.get("id") == MAP_CELL:
            picture = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": MAP_ALT}
            cell.outputs = [new_output("display_data", data=picture)]
    nbformat.validate(nb)
    with atomic_file(notebook) as tmp:
        nbformat.write(nb, tmp)
    return notebook.stat().st_size


if __name__ == "__main__":
    size = save(Path(sys.argv[1]) if len(sys.argv) > 1 else NOTEBOOK)
    print(f"saved {NOTEBOOK.name} with its outputs: {size / 1e6:.2f} MB")
