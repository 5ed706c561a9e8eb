"""Issue 4, "done when": build the Colleen map from an empty journey in JupyterLab, editors only.

Starts JupyterLab on a notebook holding an empty ``Journey("Untitled")`` shown in a
JourneyEditor and a PersonaEditor, then types every row of the Colleen template into the
editors with Playwright (fill + Enter/Tab, select_option, click; controls found by their
accessible labels inside the row's item), driven by the template's frames. Finally a cell
compares the kernel's journey with ``templates.load("colleen")`` by content
(tests/journey_compare.py: generated ids do not count) and must print ``DIFFS 0``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest

from cjm_jupyter import Journey, templates

from ..support.lab_server import jupyter_lab, open_and_run_all

pytestmark = [pytest.mark.browser, pytest.mark.lab, pytest.mark.slow]

HERE = Path(__file__).resolve().parent
CELLS = [
    "from cjm_jupyter import Journey, JourneyEditor, PersonaEditor\n"
    'journey = Journey("Untitled")\n'
    "JourneyEditor(journey)",
    "PersonaEditor(journey)",
    "from journey_compare import content_differences\n"
    "from cjm_jupyter import templates\n"
    'd = content_differences(journey, templates.load("colleen"))\n'
    'print("DIFFS", len(d))\n'
    'print("\\n".join(d[:40]))',
]
PERSONA_CAPTIONS = {  # persona column -> the words after "Persona " in its control's label
    "avatar": "avatar (emoji, image URL or data URI)",
    "source": "source (interviews, segmentation...)",
    "segment": "data segment",
    "segment_definition": "segment definition",
    "n": "customers behind it",
    "validated_at": "last validated with customers",
}
PERSONA_CHOICES = ("basis",)  # persona columns edited with a select


def _notebook(root: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, root / "colleen.ipynb")
    shutil.copy(HERE.parent / "support" / "journey_compare.py", root / "journey_compare.py")


def _lab_settings(scratch: Path) -> None:
    # Every cell stays in the DOM: with windowing a scrolled-away editor could be detached mid-edit.
    folder = scratch / "jupyterlab_settings_dir" / "@jupyterlab" / "notebook-extension"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


def text(value: Any) -> str | None:
    """A template cell as typed into a control; None for a missing value (nothing to type)."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


class Editor:
    """One editor's output in the notebook: typing helpers that wait for the kernel's replies."""

    def __init__(self, page: Any, cell: Any) -> None:
        self.page = page
        self.root = cell.locator(".jp-OutputArea-output")

    def saved(self, timeout: float = 30_000) -> None:
        """Wait until every queued edit is answered; fail with the widget's message if one failed."""
        self.root.locator(".cjm-status", has_text="All changes saved").wait_for(timeout=timeout)
        banner = self.root.locator(".cjm-error")
        if banner.count() and banner.first.is_visible():
            raise AssertionError(f"the editor refused an edit: {banner.first.inner_text()}")

    def type(self, control: Any, value: Any) -> None:
        """Type `value` into a text, number or date control and commit it (Tab blurs: commit)."""
        typed = text(value)
        if typed is None:
            return
        control.fill(typed)
        control.press("Tab")

    def choose(self, control: Any, value: str) -> None:
        control.focus()  # long option lists are filled on first use
        control.select_option(value)

    def ids(self, scope: Any, selector: str, attr: str = "id") -> list[str]:
        return scope.locator(selector).evaluate_all(f"els => els.map((e) => e.dataset.{attr})")

    def add(self, cell: Any, item: str, do: Any, attr: str = "id") -> str:
        """Run `do()` (an add), wait for the reply; return data-`attr` of the one new item in `cell`."""
        before = set(self.ids(cell, item, attr))
        do()
        self.saved()
        new = [i for i in self.ids(cell, item, attr) if i not in before]
        assert len(new) == 1, f"expected one new {item}, got {new}"
        return new[0]


class ColleenTyper:
    """Types the Colleen template into the two editors; keeps template id -> editor id maps."""

    def __init__(self, page: Any, journey: Editor, personas: Editor, template: Journey) -> None:
        self.page, self.j, self.p, self.t = page, journey, personas, template
        self.ids: dict[str, str] = {}  # template row id -> the id the editor's row got

    # -- cells of the grid, found through their add controls -----------------------------------------
    def cell_with(self, key: str) -> Any:
        # `has` is matched inside each cell, so it is a page-relative locator, not one under root.
        return self.j.root.locator(".cjm-cell", has=self.page.locator(f'[data-key="{key}"]'))

    def stage_name(self, stage_id: str) -> str:
        return str(self.t.stages.set_index("id").at[stage_id, "name"])

    def stage_of(self, row: Any) -> str:
        """The template stage of a row placed at a stage or at a touchpoint."""
        if text(row.get("stage_id")):
            return str(row["stage_id"])
        return str(self.t.touchpoints.set_index("id").at[row["touchpoint_id"], "stage_id"])

    def place(self, row: Any, tp: str = "t:", stage: str = "s:") -> str:
        if text(row.get("touchpoint_id")):
            return tp + self.ids[row["touchpoint_id"]]
        return stage + self.ids[row["stage_id"]] if text(row.get("stage_id")) else ""

    def link(self, value: Any) -> str:
        return self.ids[value] if text(value) else ""

    # -- the frames, in dependency order -------------------------------------------------------------
    def meta(self) -> None:
        for field in ("name", "scenario", "description"):
            self.j.type(self.j.root.get_by_label(f"Journey {field}", exact=True), self.t.meta[field])
        self.j.choose(self.j.root.get_by_label("Journey kind", exact=True), self.t.meta["kind"])
        self.j.saved()

    def personas(self) -> None:
        add = self.p.root.get_by_role("textbox", name="New persona", exact=True)
        for row in self.t.personas.to_dict("records"):
            new = self.p.add(
                self.p.root, "section.cjm-persona[data-id]", lambda r=row: self._enter(add, r["name"])
            )
            self.ids[row["id"]] = new
            card = self.p.root.locator(f'section.cjm-persona[data-id="{new}"]')
            for column, value in row.items():
                if column in ("id", "name"):
                    continue
                label = f"Persona {PERSONA_CAPTIONS.get(column, column)}"
                if column in PERSONA_CHOICES:
                    if text(value) is not None:
                        self.p.choose(card.get_by_label(label, exact=True), value)
                else:
                    self.p.type(card.get_by_label(label, exact=True), value)
            self.p.saved()

    def _enter(self, control: Any, value: str) -> None:
        control.fill(value)
        control.press("Enter")

    def stages(self) -> None:
        add = self.j.root.get_by_role("textbox", name="New stage", exact=True)
        for row in self.t.stages.sort_values("order").to_dict("records"):
            new = self.j.add(
                self.j.root, ".cjm-stage[data-stage]", lambda r=row: self._enter(add, r["name"]), "stage"
            )
            self.ids[row["id"]] = new
            header = self.j.root.locator(f'.cjm-stage[data-stage="{new}"]')
            self.j.type(header.get_by_label("Stage description", exact=True), row["description"])
        self.j.saved()

    def touchpoints(self) -> None:
        events = self.t.event_map
        for row in self.t.touchpoints.sort_values(["stage_id", "order"]).to_dict("records"):
            stage = self.ids[row["stage_id"]]
            cell = self.j.root.locator(".cjm-cell", has=self.page.locator(f'.cjm-tps[data-stage="{stage}"]'))
            add = cell.get_by_role("textbox", name="New touchpoint", exact=True)
            new = self.j.add(cell, ".cjm-card[data-id]", lambda r=row, a=add: self._enter(a, r["name"]))
            self.ids[row["id"]] = new
            card = self.j.root.locator(f'.cjm-card[data-id="{new}"]')
            self.j.type(card.get_by_label("Touchpoint channel", exact=True), row["channel"])
            card.get_by_label(f"Details of {row['name']}", exact=True).click()
            for column, label in (
                ("action", "Touchpoint customer action"),
                ("description", "Touchpoint description"),
                ("optimisation", "Touchpoint optimisation"),
                ("owner", "Touchpoint owner"),
            ):
                self.j.type(card.get_by_label(label, exact=True), row[column])
            mine = events.loc[(events["touchpoint_id"] == row["id"]).fillna(False), "event"].tolist()
            self.j.type(card.get_by_label("Touchpoint log events", exact=True), ", ".join(mine) or None)
            self.j.saved()

    def emotions(self) -> None:
        for row in self.t.emotions.to_dict("records"):
            stage = self.ids[self.stage_of(row)]
            cell = self.cell_with(f"new-emo:{stage}:place")
            self.j.choose(cell.get_by_label("New emotion persona", exact=True), self.link(row["persona_id"]))
            self.j.choose(cell.get_by_label("New emotion placement", exact=True), self.place(row))
            source = cell.get_by_label("New emotion source", exact=True)
            source.fill(text(row["source"]) or "")
            button = cell.get_by_role("button", name="Add an emotion (score 0) here", exact=True)
            new = self.j.add(cell, ".cjm-item.cjm-emotion[data-id]", button.click)
            self.ids[row["id"]] = new
            item = self.j.root.locator(f'.cjm-item.cjm-emotion[data-id="{new}"]')
            self.j.type(item.get_by_label("Emotion score from -2 to 2", exact=True), row["score"])
            self.j.type(item.get_by_label("Emotion feeling", exact=True), row["feeling"])
            self.j.type(item.get_by_label("Emotion thought (quote)", exact=True), row["thought"])
            self.j.choose(item.get_by_label("Emotion basis", exact=True), row["basis"])
            self.j.type(item.get_by_label("Emotion sample size n", exact=True), row["n"])
            self.j.saved()

    def _item(self, frame: str, label: str, row: dict[str, Any], stage: str | None) -> tuple[str, Any]:
        """Add a pain point, opportunity or action with its description; return (id, its item)."""
        cell = self.cell_with(f"new-{frame}:{stage or ''}")
        add = cell.get_by_role("textbox", name=f"New {label}", exact=True)
        new = self.j.add(
            cell, f".cjm-item.cjm-{frame}[data-id]", lambda: self._enter(add, row["description"])
        )
        self.ids[row["id"]] = new
        return new, self.j.root.locator(f'.cjm-item.cjm-{frame}[data-id="{new}"]')

    def pain_points(self) -> None:
        for row in self.t.pain_points.to_dict("records"):
            _, item = self._item("pain_points", "pain point", row, self.ids[self.stage_of(row)])
            self.j.choose(item.get_by_label("Pain point placement", exact=True), self.place(row))
            for column in ("severity", "frequency", "evidence", "source"):
                self.j.type(item.get_by_label(f"Pain point {column}", exact=True), row[column])
            self.j.choose(item.get_by_label("Pain point basis", exact=True), row["basis"])
            self.j.choose(item.get_by_label("Pain point persona", exact=True), self.link(row["persona_id"]))
            self.j.saved()

    def opportunities(self) -> None:
        for row in self.t.opportunities.to_dict("records"):
            placed = text(row["stage_id"]) or text(row["touchpoint_id"])
            _, item = self._item(
                "opportunities", "opportunity", row, self.ids[self.stage_of(row)] if placed else None
            )
            self.j.choose(item.get_by_label("Opportunity placement", exact=True), self.place(row))
            self.j.type(item.get_by_label("Opportunity impact", exact=True), row["impact"])
            self.j.type(item.get_by_label("Opportunity effort", exact=True), row["effort"])
            self.j.choose(
                item.get_by_label("Link to pain point", exact=True), self.link(row["pain_point_id"])
            )
            self.j.saved()

    def actions(self) -> None:
        for row in self.t.actions.to_dict("records"):
            _, item = self._item("actions", "action", row, self.link(row["stage_id"]) or None)
            self.j.type(item.get_by_label("Action owner", exact=True), row["owner"])
            self.j.choose(item.get_by_label("Action status", exact=True), row["status"])
            self.j.type(item.get_by_label("Action due date", exact=True), row["due"])
            self.j.choose(
                item.get_by_label("Link to opportunity", exact=True), self.link(row["opportunity_id"])
            )
            self.j.saved()

    def metrics(self) -> None:
        for row in self.t.metrics.to_dict("records"):
            stage = self.ids[self.stage_of(row)]
            name = self.stage_name(self.stage_of(row))
            cell = self.cell_with(f"new-metric:{stage}:name")
            cell.get_by_label(f"New metric name, stage {name}", exact=True).fill(row["name"])
            cell.get_by_label(f"New metric value, stage {name}", exact=True).fill(text(row["value"]) or "")
            button = cell.get_by_role("button", name=f"Add metric to stage {name}", exact=True)
            new = self.j.add(cell, ".cjm-item.cjm-metric[data-id]", button.click)
            self.ids[row["id"]] = new
            item = self.j.root.locator(f'.cjm-item.cjm-metric[data-id="{new}"]')
            who = f"metric {row['name']}"
            self.j.choose(item.get_by_label(f"Place of {who}", exact=True), self.place(row, "tp:", "stage:"))
            self.j.type(item.get_by_label(f"Unit of {who}", exact=True), row["unit"])
            self.j.choose(item.get_by_label(f"Persona of {who}", exact=True), self.link(row["persona_id"]))
            self.j.type(item.get_by_label(f"Segment of {who}", exact=True), row["segment"])
            self.j.type(item.get_by_label(f"Sample size of {who}", exact=True), row["n"])
            self.j.type(item.get_by_label(f"Source of {who}", exact=True), row["source"])
            self.j.choose(item.get_by_label(f"Basis of {who}", exact=True), row["basis"])
            self.j.saved()

    def goals(self) -> None:
        for row in self.t.goals.to_dict("records"):
            stage = self.ids[self.stage_of(row)]
            name = self.stage_name(self.stage_of(row))
            self.j.root.get_by_role("button", name=f"New goal, stage {name}", exact=True).click()
            cell = self.cell_with(f"new-goal:{stage}:name")
            cell.get_by_label(f"New goal name, stage {name}", exact=True).fill(row["name"])
            cell.get_by_label(f"New goal target, stage {name}", exact=True).fill(text(row["target"]) or "")
            button = cell.get_by_role("button", name=f"Add goal to stage {name}", exact=True)
            new = self.j.add(cell, ".cjm-item.cjm-goal[data-id]", button.click)
            self.ids[row["id"]] = new
            item = self.j.root.locator(f'.cjm-item.cjm-goal[data-id="{new}"]')
            who = f"goal {row['name']}"
            self.j.choose(item.get_by_label(f"Comparison of {who}", exact=True), row["comparison"])
            self.j.type(item.get_by_label(f"Unit of {who}", exact=True), row["unit"])
            self.j.choose(item.get_by_label(f"Place of {who}", exact=True), self.place(row))
            self.j.type(item.get_by_label(f"Segment of {who}", exact=True), row["segment"])
            self.j.type(item.get_by_label(f"Period of {who}", exact=True), row["period"])
            self.j.type(item.get_by_label(f"Description of {who}", exact=True), row["description"])
            self.j.saved()

    def lanes(self) -> None:
        add = self.j.root.get_by_role("textbox", name="New lane", exact=True)
        for lane, cells in self.t.lanes.groupby("lane", sort=False):
            self._enter(add, str(lane))
            self.j.saved()
            for row in cells.to_dict("records"):
                label = f"Lane {lane}, stage {self.stage_name(row['stage_id'])}"
                self.j.type(self.j.root.get_by_label(label, exact=True), row["text"])
            self.j.saved()

    def all(self) -> None:
        self.meta()
        self.personas()
        for step in (
            self.stages,
            self.touchpoints,
            self.emotions,
            self.pain_points,
            self.opportunities,
            self.actions,
            self.metrics,
            self.goals,
            self.lanes,
        ):
            step()


def _rerun_last_cell_until(page: Any, pattern: str, timeout: float = 30) -> str:
    last = page.locator(".jp-NotebookPanel .jp-Cell").last
    out = last.locator('[data-mime-type="application/vnd.jupyter.stdout"]')
    deadline = time.monotonic() + timeout
    seen = ""
    prompt = last.locator(".jp-InputPrompt")
    while time.monotonic() < deadline:
        before = prompt.inner_text()
        last.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Escape")
        page.keyboard.press("Control+Enter")
        # Wait for this run to finish (its prompt shows a new count) before running again: on a
        # loaded machine a run takes longer than a fixed pause, and each new run would clear
        # the output it is waiting for.
        ran = time.monotonic() + 15
        page.wait_for_timeout(300)
        while time.monotonic() < min(ran, deadline):
            now = prompt.inner_text()
            if now != before and "*" not in now:
                break
            page.wait_for_timeout(300)
        seen = out.inner_text() if out.count() else ""
        if re.search(pattern, seen):
            return seen
    return seen


def test_build_the_colleen_map_with_the_editors_only(chromium: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    _notebook(root)
    _lab_settings(tmp_path)
    template = templates.load("colleen")
    with jupyter_lab(root, tmp_path) as url:
        page = chromium.new_page(viewport={"width": 1600, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            open_and_run_all(page, url, "colleen.ipynb")
            cells = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")
            journey, personas = Editor(page, cells.nth(0)), Editor(page, cells.nth(1))
            journey.root.get_by_label("Journey name", exact=True).wait_for(timeout=60_000)
            personas.root.get_by_role("textbox", name="New persona", exact=True).wait_for(timeout=60_000)
            assert re.search(r"DIFFS [1-9]", _rerun_last_cell_until(page, r"DIFFS \d+"))  # empty != Colleen

            ColleenTyper(page, journey, personas, template).all()
            journey.saved()
            personas.saved()
            out = _rerun_last_cell_until(page, r"DIFFS 0\b")
            assert re.search(r"DIFFS 0\b", out), f"the typed map differs from the template:\n{out}"
            assert errors == [], errors
        finally:
            page.close()
