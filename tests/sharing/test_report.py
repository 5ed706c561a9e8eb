"""``cjm_jupyter.report``: the notebook it builds, the run, the files, and what a reader sees.

One full report (Colleen, a 300-customer synthetic log in Parquet, surveys in
CSV, a segment column) is made once per module; the tests read its notebook
and open its page offline, alone in an empty folder, in headless Chromium.
"""

from __future__ import annotations

import json

import nbformat
import pytest

import cjm_jupyter as cjm
from cjm_jupyter import analytics
from cjm_jupyter.errors import FileFormatError
from cjm_jupyter.sharing import report_sections as sections
from cjm_jupyter.sharing.report_inputs import load_journey, load_mapping, open_table
from cjm_jupyter.sharing.report_notebook import build_notebook, section_of, template_names
from cjm_jupyter.sharing.reporting import ReportFiles, report

from ..support.reader import read_alone

#: every section of the shipped template, in order, with a log, surveys and a segment
ALL_SECTIONS = [
    "Customer journey report",
    "Summary",
    "The map",
    "Editor",
    "Emotion curve per persona",
    "Pain points by severity \u00d7 frequency",
    "Opportunities",
    "Action plan",
    "Event log",
    "Funnel",
    "Flow between stages",
    "Time between stages",
    "Satisfaction",
    "Segments",
]
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "</script><script>window.__pwned=1</script>"


def headings(nb: nbformat.NotebookNode) -> list[str]:
    return [
        line.lstrip("#").strip()
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("#")
    ]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    folder = tmp_path_factory.mktemp("report")
    j = cjm.templates.load("colleen")
    log = analytics.make_events(j, customers=300, seed=1, segments={"web": 1.0, "store": 2.0})
    log.to_parquet(folder / "log.parquet")
    analytics.make_surveys(log, j, seed=1).to_csv(folder / "surveys.csv", index=False)
    (folder / "out").mkdir()
    return report(
        "colleen",
        folder / "out" / "colleen.html",
        events=folder / "log.parquet",
        surveys=folder / "surveys.csv",
        segment_col="segment",
        progress=False,
    )


# ---- the run ----------------------------------------------------------------------------


@pytest.mark.kernel
def test_writes_page_and_executed_notebook_beside_it(made):
    assert made.html.name == "colleen.html" and made.notebook.name == "colleen.ipynb" and made.pdf is None
    assert list(made.seconds) == ["check", "build", "execute", "export", "write"]
    assert sorted(p.name for p in made.html.parent.iterdir()) == ["colleen.html", "colleen.ipynb"]
    assert made.html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html>")


@pytest.mark.kernel
def test_executed_notebook_has_every_section_and_no_error(made):
    nb = nbformat.read(made.notebook, as_version=4)
    assert headings(nb) == ALL_SECTIONS
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert errors == []
    # each section's code cells produced something to show (the log cell only computes)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and section_of(nb, i) not in ("Customer journey report", "Event log"):
            assert cell.outputs, (section_of(nb, i), cell.source)


@pytest.mark.kernel
def test_parameters_are_injected_after_the_parameters_cell(made, tmp_path):
    nb = nbformat.read(made.notebook, as_version=4)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    at = tags.index(["parameters"])
    assert tags[at + 1] == ["injected-parameters"]
    injected = nb.cells[at + 1].source
    log = made.html.parent.parent / "log.parquet"
    assert "journey = 'colleen'" in injected
    assert f"events = {str(log)!r}" in injected  # absolute: the kernel runs in a temporary folder
    assert "segment = 'segment'" in injected and "mapping = None" in injected
    assert nb.metadata["cjm_report"]["template"] == "journey"


@pytest.mark.kernel
def test_widget_state_and_journey_are_saved(made):
    nb = nbformat.read(made.notebook, as_version=4)
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert any(m["model_name"] == "AnyModel" for m in state.values())
    read = cjm.read_notebook(made.notebook)
    assert read and all(item.equals(cjm.templates.load("colleen")) for item in read.values())


@pytest.mark.kernel
def test_pain_point_table_is_ranked_by_severity_times_frequency(made):
    nb = nbformat.read(made.notebook, as_version=4)
    cell = next(c for c in nb.cells if c.source == "sections.pain_points(j)")
    page = cell.outputs[0]["data"]["text/html"]
    ranked = [  # severity x frequency: 20, 16, 15, 12, 12 (tie: severity, then file order), 9
        "Has to sort through too much content",
        "Benefits of each model are not obvious",
        "Doubts that the new one will last",
        "No easy way to compare models",
        "Checkout asks for an account",
        "Cannot get quick answers",
    ]
    at = [page.index(text) for text in ranked]
    assert at == sorted(at)
    assert "<td>20</td>" in page


# ---- building blocks --------------------------------------------------------------------


def test_shipped_templates():
    assert template_names() == ["journey"]


def test_sections_without_a_log_are_left_out():
    nb = build_notebook("journey", {"journey": "colleen", "events": None, "surveys": None, "segment": None})
    assert headings(nb) == ALL_SECTIONS[:8]
    nb = build_notebook("journey", {"journey": "colleen", "events": "x.parquet", "surveys": None})
    assert headings(nb) == ALL_SECTIONS[:12]


def test_injected_values_are_python_literals():
    hostile = "x'); import os; os.system('touch pwned') #"
    nb = build_notebook("journey", {"journey": hostile, "events": None})
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    scope: dict[str, object] = {}
    exec(compile(injected.source, "<injected>", "exec"), scope)  # running it is the point of the test
    assert scope["journey"] == hostile and scope["events"] is None


def test_pain_points_rank_and_missing_frequency():
    j = cjm.Journey("Shop")
    stage = j.add_stage("Buy")
    j.add_pain_point("rare but bad", stage=stage, severity=5, frequency=1)
    j.add_pain_point("often", stage=stage, severity=3, frequency=4)
    j.add_pain_point("unmeasured", stage=stage, severity=4)
    table = sections.pain_points(j)
    assert table["pain point"].tolist() == ["often", "rare but bad", "unmeasured"]
    assert table["score"].tolist() == [12, 5, 4]
    assert table.index.tolist() == [1, 2, 3]


def test_empty_sections_say_so():
    j = cjm.templates.load("three_stage")
    assert repr(sections.emotions(j)) == "No emotions recorded in this journey."
    assert repr(sections.pain_points(j)) == "No pain points recorded in this journey."
    assert repr(sections.action_plan(j)) == "No action plan recorded in this journey."


def test_title_escapes_user_text():
    j = cjm.Journey(f"Map {SCRIPT}", scenario=IMG)
    markup = sections.title(j)._repr_html_()
    assert "<script>" not in markup and "<img" not in markup
    assert "&lt;/script&gt;&lt;script&gt;" in markup


def test_journey_rule(tmp_path):
    j = cjm.templates.load("colleen")
    j.to_json(tmp_path / "m.json")
    j.to_excel(tmp_path / "m.xlsx")
    j.to_csv(tmp_path / "m")
    for source in ("colleen", tmp_path / "m.json", tmp_path / "m.xlsx", tmp_path / "m"):
        assert load_journey(source).equals(j), source
    (tmp_path / "colleen").mkdir()  # an existing folder wins over the template name
    with pytest.raises(FileFormatError, match="colleen"):
        load_journey(tmp_path / "colleen")


def test_mapping_and_tables(tmp_path):
    (tmp_path / "m.json").write_text(json.dumps({"view": "product-page"}), encoding="utf-8")
    assert load_mapping(tmp_path / "m.json") == {"view": "product-page"}
    assert load_mapping(None) is None
    (tmp_path / "log.csv").write_text(
        "customer_id,timestamp,event\na,2026-01-01 10:00:00,view\n", encoding="utf-8"
    )
    rel = open_table(tmp_path / "log.csv")
    assert rel.columns == ["customer_id", "timestamp", "event"]
    assert str(rel.types[1]).upper().startswith("TIMESTAMP")


def test_report_connections_get_the_engine_defaults(tmp_path, monkeypatch):
    """The report's own DuckDB connections (tables it opens, frames it saves) get EngineOptions' defaults."""
    import os
    import tempfile

    import pandas as pd

    from cjm_jupyter.analytics.engines import duckdb as engine
    from cjm_jupyter.analytics.engines.options import EngineOptions
    from cjm_jupyter.sharing import reporting

    (tmp_path / "log.csv").write_text("customer_id,event\na,view\n", encoding="utf-8")
    setting = "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    [(memory, spill)] = open_table(tmp_path / "log.csv").query("log", setting).fetchall()
    assert memory == engine.connect().execute(setting).fetchone()[0]  # 20% of RAM, not DuckDB's 80%
    assert spill.startswith(os.path.join(tempfile.gettempdir(), "cjm-duckdb-"))

    real, made = engine.connect, []

    def counting(options: EngineOptions | None = None):
        made.append(options)
        return real(options)

    monkeypatch.setattr(engine, "connect", counting)
    saved = reporting._as_file(pd.DataFrame({"event": ["view"]}), tmp_path, "events")
    assert made == [None] and saved == str(tmp_path / "events.parquet")
    assert open_table(saved).fetchall() == [("view",)]
    assert made == [None, None]  # open_table's connection too


@pytest.mark.kernel
def test_python_api_takes_a_journey_and_frames(tmp_path, capsys):
    """A Journey and a pandas log are saved for the run; a custom template; a progress bar on request."""
    j = cjm.templates.load("colleen")
    log = analytics.make_events(j, customers=40, seed=2)
    params = nbformat.v4.new_code_cell("journey = None\nevents = None")
    params.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "from cjm_jupyter.sharing import report_inputs as ri\n"
        "n = len(ri.open_table(events).fetchall())\n"
        "print(ri.load_journey(journey).name, n)"
    )
    nbformat.write(nbformat.v4.new_notebook(cells=[params, body]), tmp_path / "t.ipynb")
    files = report(j, tmp_path / "r.html", events=log, template=tmp_path / "t.ipynb", progress=True)
    nb = nbformat.read(files.notebook, as_version=4)
    assert nb.cells[-1].outputs[0]["text"] == f"{j.name} {len(log)}\n"
    bar = capsys.readouterr().err  # build, 3 code cells (one injected), export: 5 steps
    assert "execute:" in bar and "export:" in bar and "5/5" in bar


# ---- what a reader sees -----------------------------------------------------------------


@pytest.mark.kernel
@pytest.mark.browser
def test_reader_sees_the_whole_report_offline(browser, made, tmp_path):
    page = read_alone(browser, made.html, tmp_path, plots=4, editors=1)
    page.assert_reader_sees(plots=4, editors=1)
    stages = page.field_values("stage:")
    assert set(cjm.templates.load("colleen").stages["name"]) <= set(stages)
    text = page.page.inner_text("body")
    for heading in ALL_SECTIONS:
        assert heading in text, heading
    page.page.context.close()


@pytest.mark.browser
def test_hostile_journey_runs_nothing(browser, tmp_path):
    j = cjm.templates.load("colleen")
    j.set_meta(name=f"Map {SCRIPT}", scenario=f"Scenario {IMG}")
    j.update_stage("research", name=f"Research {IMG}")
    j.update_stage("purchase", name=f"Purchase {SCRIPT}")
    j.update_touchpoint("checkout", name=f"Checkout {SCRIPT}")
    j.update_persona("curious-colleen", name=f"Colleen {IMG}")
    j.update("emotions", j.emotions["id"][0], thought=f"Quote {SCRIPT}")
    j.update("pain_points", "pain-1", description=f"Pain {IMG}")
    files = report(j, tmp_path / "hostile.html", progress=False)
    page = read_alone(browser, files.html, tmp_path, plots=2, editors=1)
    page.assert_reader_sees(plots=2, editors=1)
    assert page.pwned() is None
    text = page.page.inner_text("body")
    assert f"Pain {IMG}" in text and f"Map {SCRIPT}" in text  # shown as text
    assert f"Research {IMG}" in page.field_values("stage:")
    page.page.context.close()


@pytest.mark.kernel
@pytest.mark.browser
def test_pdf_is_printed_with_the_plots_drawn(made, tmp_path):
    from cjm_jupyter.sharing.report_run import find_chromium, print_pdf

    try:
        find_chromium()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    pdf = print_pdf(made.html, tmp_path / "r.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # every Bokeh canvas and the editor print as images: no blank page of empty outputs
    assert data.count(b"/Subtype /Image") >= 4
