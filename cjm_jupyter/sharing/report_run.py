"""Run a report notebook (nbclient, widget state kept) and print a page to PDF (headless Chromium).

Failures come back as :class:`ReportRunError` with one line that names what
failed: the cell and its section with the exception (``section 'Funnel'
(cell 21): ValidationError: ...``), a timeout, a kernel that died or is not
installed, or Chromium missing for ``--pdf``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report_notebook import section_of

__all__ = ["ReportRunError", "execute", "find_chromium", "print_pdf", "CHROMIUM_INSTALL"]

CHROMIUM_INSTALL = (
    'install it with "apt-get install chromium" (Debian/Ubuntu), or set CJM_CHROMIUM '
    "to a Chromium or Chrome binary"
)


class ReportRunError(RuntimeError):
    """Executing the report notebook or printing it to PDF failed (the message says where)."""


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _where(nb: Any, index: int | None) -> str:
    if index is None:
        return "the report notebook"
    section = section_of(nb, index)
    return f"section {section!r} (cell {index})" if section else f"cell {index}"


def execute(
    nb: Any,
    workdir: str | os.PathLike[str],
    *,
    timeout: int | None = 600,
    on_cell: Callable[[int], None] | None = None,
) -> Any:
    """Execute ``nb`` in place with a ``python3`` kernel started in ``workdir``; widget state is stored.

    ``on_cell(index)`` is called after each code cell (for a progress bar).

    Raises
    ------
    ReportRunError
        A cell raised (named with its section and the exception), a cell ran
        longer than ``timeout`` seconds, the kernel died or is not installed.
    """
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    current: dict[str, int | None] = {"index": None}

    def started(cell: Any, cell_index: int) -> None:
        current["index"] = cell_index

    def done(cell: Any, cell_index: int, execute_reply: Any) -> None:
        if on_cell is not None:
            on_cell(cell_index)

    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=timeout,
        store_widget_state=True,
        resources={"metadata": {"path": os.fspath(workdir)}},
        on_cell_start=started,
        on_cell_executed=done,
    )
    try:
        # the kernel's own stderr (e.g. ipykernel's "running over TCP" warning)
        # would bury our one-line error; cell output is captured by nbclient anyway
        client.execute(stderr=subprocess.DEVNULL)
    except CellExecutionError as exc:
        where = _where(nb, current["index"])
        raise ReportRunError(f"{where} failed: {exc.ename}: {_one_line(exc.evalue)}") from None
    except CellTimeoutError:
        where = _where(nb, current["index"])
        raise ReportRunError(f"{where} did not finish within {timeout} s (raise the timeout)") from None
    except DeadKernelError:
        raise ReportRunError(f"the Python kernel died in {_where(nb, current['index'])}") from None
    except NoSuchKernel:
        raise ReportRunError('no "python3" Jupyter kernel is installed: pip install ipykernel') from None
    return nb


def find_chromium() -> str:
    """Return the Chromium to print with: ``$CJM_CHROMIUM`` if set, else Debian's, else one on the PATH.

    Raises
    ------
    ReportRunError
        None found (the message says what to install).
    """
    from ..plots.export import CHROMIUM_PATH

    explicit = os.environ.get("CJM_CHROMIUM")
    candidates: list[str | None] = [explicit] if explicit else [CHROMIUM_PATH]
    if not explicit:
        candidates += [shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise ReportRunError(f"--pdf needs Chromium, which was not found: {CHROMIUM_INSTALL}")


def print_pdf(html: Path, pdf: Path, *, timeout: int = 120) -> Path:
    """Print the page ``html`` to ``pdf`` with headless Chromium, offline; plots get time to draw.

    Raises
    ------
    ReportRunError
        Chromium is missing, failed or wrote no PDF.
    """
    from ..plots.export import CHROMIUM_FLAGS

    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="cjm-chromium-") as profile:
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            # virtual time runs the page's timers (BokehJS and the widget
            # manager draw after load) before printing, without real waiting
            "--virtual-time-budget=15000",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ReportRunError(f"Chromium did not print the PDF within {timeout} s") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        detail = _one_line(done.stderr.strip().splitlines()[-1]) if done.stderr.strip() else "no output"
        raise ReportRunError(f"Chromium could not print the PDF (exit {done.returncode}): {detail}")
    return pdf
