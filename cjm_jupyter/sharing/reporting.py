"""A report in one call: build a notebook from a template, execute it, export it (``cjm report``).

:func:`report` checks every input first (a second, before the slow part), then
builds the notebook (:mod:`.report_notebook`), executes it with nbclient in a
temporary folder keeping widget state (:mod:`.report_run`), exports it with
:func:`~cjm_jupyter.sharing.exporter.export_html`, optionally prints it to PDF,
and only then writes the files: the HTML page, the executed notebook beside
it (same name, ``.ipynb``) and the PDF (``.pdf``), each atomically. A run that
fails anywhere leaves the existing files as they were and nothing half-written.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time as time_module
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from .._deprecate import renamed_keywords
from ..errors import FileFormatError, ValidationError
from ..io.atomic import atomic_file, temp_sibling, write_target
from .report_inputs import check_table, load_journey, load_mapping
from .report_notebook import UnknownTemplateError, build_notebook, template_path
from .report_run import ReportRunError, execute, find_chromium, print_pdf

__all__ = ["report", "ReportFiles", "ReportRunError", "UnknownTemplateError", "HTML_SUFFIXES"]

#: what the output file may be called
HTML_SUFFIXES = (".html", ".htm")


class ReportFiles(NamedTuple):
    """The files a report wrote, and how long each step took."""

    html: Path
    notebook: Path
    pdf: Path | None
    #: seconds per step: check, build, execute, export, pdf (with ``pdf``), write
    seconds: dict[str, float]


def _check_writable(path: Path) -> Path:
    """``path``'s write target (:func:`write_target`) after proving its folder takes a new file."""
    target = write_target(path)
    probe = temp_sibling(target)
    try:
        probe.touch(exist_ok=False)
    except OSError as exc:
        raise type(exc)(f"cannot write {os.fspath(path)!r}: {exc.strerror or exc}") from None
    probe.unlink()
    return target


def _outputs(output: str | os.PathLike[str], pdf: bool) -> ReportFiles:
    html = Path(output)
    if html.suffix.lower() not in HTML_SUFFIXES:
        raise ValueError(f"the output {os.fspath(output)!r} must be an .html file (the report is a web page)")
    files = ReportFiles(html, html.with_suffix(".ipynb"), html.with_suffix(".pdf") if pdf else None, {})
    for path in (files.html, files.notebook, files.pdf):
        if path is not None:
            _check_writable(path)
    return files


def _check_inputs(journey: Any, events: Any, surveys: Any, mapping: Any, columns: dict[str, Any]) -> None:
    """Read the journey and mapping and open the tables (schema only), raising what is wrong."""
    from ..model import Journey

    j = journey if isinstance(journey, Journey) else load_journey(journey)
    if isinstance(events, str | os.PathLike):
        roles = {k: columns[k] for k in ("customer", "time", "event", "segment")}
        check_table(events, roles, what="event log")
    from_file = isinstance(mapping, str | os.PathLike)
    loaded = load_mapping(mapping) if from_file else mapping
    if events is not None:
        from ..analytics._mapping import resolve_mapping

        try:
            resolve_mapping(loaded, j)
        except FileFormatError:
            raise
        except ValidationError as exc:
            if not from_file:
                raise
            raise FileFormatError(str(exc), path=os.fspath(mapping)) from None
    if isinstance(surveys, str | os.PathLike):
        roles = {"score": columns["score"], "touchpoint": columns["touchpoint"]}
        check_table(surveys, roles, what="survey table")


def _as_file(value: Any, folder: Path, name: str) -> str | None:
    """Return a path the notebook can read for ``value``.

    A user's path is made absolute; in-memory data is saved. The kernel runs
    in a temporary folder, so relative paths would not resolve there; a
    template name (not a path) stays a name.
    """
    import json

    import pandas as pd

    from ..analytics.engines.duckdb import connect
    from ..model import Journey
    from ..templates import names

    if value is None:
        return None
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if name == "journey" and not os.path.lexists(text) and text in names():
            return text
        return os.path.abspath(text)
    path = folder / f"{name}.json"
    if isinstance(value, Journey):
        value.to_json(path)
        return os.fspath(path)
    if isinstance(value, dict):
        path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        return os.fspath(path)
    path = folder / f"{name}.parquet"  # a pandas DataFrame or a pyarrow Table
    con = connect()  # the analytics' memory limit and spill folder apply to this copy too
    relation = con.from_df(value) if isinstance(value, pd.DataFrame) else con.from_arrow(value)
    relation.write_parquet(os.fspath(path))
    return os.fspath(path)


class _Clock:
    """Seconds per named step, for :attr:`ReportFiles.seconds`."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time_module.perf_counter()

    def lap(self, step: str) -> None:
        now = time_module.perf_counter()
        self.seconds[step] = now - self._last
        self._last = now


@contextmanager
def _steps(total: int, progress: bool | None) -> Iterator[Any]:
    from tqdm.auto import tqdm

    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=total, desc="build", unit="step", disable=not show, file=sys.stderr, leave=False) as bar:
        yield bar


def _commit(made: dict[Path, Path]) -> None:
    """Copy each finished file (key) over its user path (value), atomically; all or none on error."""
    with ExitStack() as stack:
        temps = {made_file: stack.enter_context(atomic_file(target)) for made_file, target in made.items()}
        for made_file, tmp in temps.items():
            shutil.copyfile(made_file, tmp)


@renamed_keywords(
    customer="customer_col",
    time="time_col",
    event="event_col",
    segment="segment_col",
    score="score_col",
    touchpoint="touchpoint_col",
)
def report(
    journey: Any,
    output: str | os.PathLike[str],
    *,
    events: Any = None,
    surveys: Any = None,
    mapping: Any = None,
    segment_col: str | None = None,
    customer_col: str = "customer_id",
    time_col: str = "timestamp",
    event_col: str = "event",
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    scale: str = "csat",
    template: str | os.PathLike[str] = "journey",
    pdf: bool = False,
    theme: str = "light",
    timeout: int | None = 600,
    progress: bool | None = None,
) -> ReportFiles:
    """Build, execute and export a journey report: one offline HTML page plus the executed notebook.

    Sections: the journey's summary, the map, a (read-only in the page) editor,
    the emotion curve per persona, pain points ranked by severity x frequency,
    opportunities and the action plan; with ``events`` also the funnel, the flow
    between stages and the time between stages (one :func:`~cjm_jupyter.analytics.analyze`
    pass); with ``surveys`` satisfaction; with ``segment_col`` the segment comparison.

    Parameters
    ----------
    journey : str, path or Journey
        A ``.json`` or ``.xlsx`` file, a CSV folder, a template name
        (``"colleen"``), or a Journey (saved as JSON for the run).
    output : str or path
        The ``.html`` file to write. The executed notebook goes beside it
        (``report.ipynb``), and with ``pdf=True`` the PDF (``report.pdf``).
    events : str, path or DataFrame, optional
        Event log: a Parquet file or glob (streamed), a CSV file, or a frame.
    surveys : str, path or DataFrame, optional
        Survey answers (one row per answer: ``touchpoint_col``, ``score_col``).
    mapping : str, path or dict, optional
        JSON file (or dict) of event name -> touchpoint id; default the journey's own.
    segment_col, customer_col, time_col, event_col : str
        Column names of the log (``segment_col``: split every metric by it).
        The report notebook's parameters keep the names without ``_col``
        (``segment``, ``customer``...), for templates written for them.
    score_col, touchpoint_col : str
        Column names of the surveys.
    scale : str
        The surveys' scale (csat, nps, likert5, likert7).
    template : str or path
        A shipped report template (``"journey"``) or your own ``.ipynb`` with a
        cell tagged ``parameters``.
    pdf : bool
        Also print the page to PDF with headless Chromium.
    theme : {"light", "dark"}
        Page theme of the export.
    timeout : int or None, default 600
        Seconds one cell may run; None: no limit.
    progress : bool or None
        A progress bar over the steps and cells; ``None``: only on a terminal.

    Returns
    -------
    ReportFiles
        ``html``, ``notebook`` and ``pdf`` (``None`` without ``pdf``) paths,
        and ``seconds``: the time each step took.

    Raises
    ------
    UnknownTemplateError
        ``template`` is not a shipped template or an ``.ipynb`` file.
    ValueError
        ``output`` does not end in ``.html``.
    FileNotFoundError, FileFormatError, ValidationError
        A missing or unreadable input, an invalid journey, a missing log column.
    OSError
        An output cannot be written (missing folder, a folder in its place, no permission).
    ReportRunError
        A cell failed (its section and the exception are named), or ``pdf``
        without Chromium.

    Notes
    -----
    A Journey, DataFrame or dict given in place of a file is saved to a
    temporary folder for the run, and the executed notebook's parameters cell
    names those temporary files: the page is complete, but to run the saved
    ``.ipynb`` again, pass files (or edit its parameters cell).

    Examples
    --------
    A report runs its notebook in a Jupyter kernel (some seconds), so that
    call is not run here:

    >>> import cjm_jupyter as cjm
    >>> files = cjm.report("colleen", "colleen.html")  # doctest: +SKIP
    >>> files.notebook.name  # doctest: +SKIP
    'colleen.ipynb'

    Inputs are checked before the kernel starts, so a mistake fails at once:

    >>> cjm.report("colleen", "colleen.txt")
    Traceback (most recent call last):
    ...
    ValueError: the output '...colleen.txt' must be an .html file (the report is a web page)
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cjm.report("colleeen", os.path.join(folder, "colleen.html"))
    Traceback (most recent call last):
    ...
    FileNotFoundError: cannot read 'colleeen': the file does not exist and is not a template (...)
    """
    clock = _Clock()
    # everything that can be checked cheaply is checked before the kernel starts
    template_path(template)
    files = _outputs(output, pdf)
    columns = {"customer": customer_col, "time": time_col, "event": event_col, "segment": segment_col}
    columns |= {"score": score_col, "touchpoint": touchpoint_col}  # by role: the notebook's parameters
    _check_inputs(journey, events, surveys, mapping, columns)
    if pdf:
        find_chromium()
    clock.lap("check")

    with tempfile.TemporaryDirectory(prefix="cjm-report-") as tmp:
        work = Path(tmp)
        parameters = {
            "journey": _as_file(journey, work, "journey"),
            "events": _as_file(events, work, "events"),
            "surveys": _as_file(surveys, work, "surveys"),
            "mapping": _as_file(mapping, work, "mapping"),
            **{k: columns[k] for k in ("segment", "customer", "time", "event", "score", "touchpoint")},
            "scale": scale,
        }
        nb = build_notebook(template, parameters)
        clock.lap("build")
        code_cells = sum(1 for c in nb.cells if c.cell_type == "code")
        made: dict[Path, Path] = {}
        with _steps(2 + code_cells + int(pdf), progress) as bar:
            bar.update(1)
            bar.set_description("execute")
            execute(nb, work, timeout=timeout, on_cell=lambda _index: bar.update(1))
            clock.lap("execute")
            import nbformat

            notebook = work / "out" / files.notebook.name
            notebook.parent.mkdir()
            nbformat.write(nb, notebook)
            made[notebook] = files.notebook
            bar.set_description("export")
            from .exporter import export_html

            page = notebook.with_name(files.html.name)
            export_html(nb, page, theme=theme)
            made[page] = files.html
            bar.update(1)
            clock.lap("export")
            if files.pdf is not None:
                bar.set_description("pdf")
                made[print_pdf(page, page.with_suffix(".pdf"))] = files.pdf
                bar.update(1)
                clock.lap("pdf")
        _commit(made)
        clock.lap("write")
    return files._replace(seconds=clock.seconds)
