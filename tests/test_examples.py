"""The shipped examples run: the quickstart notebook and the headless demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat

import cjm_jupyter as cjm
from cjm_jupyter.plots.notebook import BOKEHJS_MARK

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_quickstart_notebook_executes_without_errors(tmp_path: Path) -> None:
    nb = nbformat.read(EXAMPLES / "quickstart.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [
        o["data"]["text/html"]
        for o in outputs
        if o.output_type in ("display_data", "execute_result") and "text/html" in o.get("data", {})
    ]
    assert any("Curious Colleen" in h for h in html), "the notebook shows the Colleen map summary"


def test_analytics_notebook_executes_and_renders_plots_offline(tmp_path: Path) -> None:
    nb = nbformat.read(EXAMPLES / "analytics.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    code = {cell.id: cell for cell in nb.cells if cell.cell_type == "code"}
    outputs = [o for cell in code.values() for o in cell.get("outputs", [])]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors[0].get("evalue") if errors else ""
    # the cell with id "first-stage-customers" ends with the funnel's first-stage count
    (shown,) = [o for o in code["first-stage-customers"].outputs if o.output_type == "execute_result"]
    first_stage = int(shown["data"]["text/plain"])
    assert first_stage > 0
    # every synthetic customer starts in the first stage: the count equals the log's customers
    printed = "".join(o.get("text", "") for o in code["make-events"].outputs if o.output_type == "stream")
    assert f"events of {first_stage:,} customers" in printed
    data = [o.get("data", {}) for o in outputs]
    bokehjs = [o for o in outputs if BOKEHJS_MARK in o.get("metadata", {})]
    assert len(bokehjs) == 1 and "application/vnd.bokehjs_load.v0+json" not in str(data)  # BokehJS once
    plotted = [
        cid
        for cid, cell in code.items()
        if any("application/vnd.bokehjs_exec.v0+json" in o.get("data", {}) for o in cell.outputs)
    ]
    assert plotted == ["plot-funnel", "plot-flow", "plot-graph", "plot-map"]
    everything = json.dumps(data)
    assert "cdn.bokeh.org" not in everything  # inline BokehJS: the plots render offline
    # scripts come only from Bokeh's JavaScript outputs; the HTML tables escape the user's text
    assert not [d for d in data if "<script" in d.get("text/html", "")]


def test_demo_writes_every_format(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "demo.py"), str(out)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert "all round trips equal" in run.stdout
    colleen = cjm.templates.load("colleen")
    assert cjm.read_json(out / "colleen.json").equals(colleen)
    assert cjm.read_excel(out / "colleen.xlsx").equals(colleen)
    assert cjm.read_csv(out / "colleen-csv").equals(colleen)
    assert "Curious Colleen" in (out / "colleen-summary.html").read_text(encoding="utf-8")
    assert "measured on " in run.stdout and "customers" in run.stdout
    for page in ("colleen-measured-map.html", "colleen-funnel.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert "Bokeh" in html and "cdn.bokeh.org" not in html  # inline BokehJS: opens offline


def test_readme_one_liner_prints_a_readable_summary() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "import cjm_jupyter as c; print(c.templates.load('colleen'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.startswith("Journey 'Curious Colleen buys a vacuum cleaner' (current state)")
    assert "Stages (5" in run.stdout and "DataFrame" not in run.stdout
