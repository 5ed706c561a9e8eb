"""How the suite spreads over the cores with pytest-xdist (hooks registered in conftest.py).

pyproject's ``addopts`` asks for ``-n auto --dist loadfile``; these hooks refine it:

* **How many workers.** ``-n auto`` gives one worker per core for a broad run (the whole
  suite, a folder, several files) but *none* when the command names a single test file:
  a file runs in one worker anyway, so a worker would only add its start-up time.
  ``-n 0`` (or ``-n 1``) always runs in-process, e.g. to use ``--pdb`` or a debugger;
  ``PYTEST_XDIST_AUTO_NUM_WORKERS=N`` sets what ``auto`` means.
* **What runs together.** A whole file goes to one worker, so its module-scoped fixtures
  (a JupyterLab server, executed notebooks, a Chromium) start once. Every module that marks
  tests ``spark`` (``pytestmark = pytest.mark.spark`` or ``@pytest.mark.spark``: they take the
  shared local SparkSession, the ``spark`` fixture of ``tests/analytics/conftest.py``) goes to
  the *same* worker: they share one JVM (~25 s of CPU to start) instead of one per worker.
  The controller sees only node ids, not markers, so the mark is read from the module's
  source; tests/conftest.py fails the run if a test takes ``spark`` in a module without it.
  Likewise tests/test_examples.py joins tests/test_docs_site.py (:data:`JOINS`): it reads
  the example notebooks the site build executed, so each example runs once per test run.
* **In which order.** The slowest units start first, so the run does not end with one
  long file running alone while the other cores idle (xdist's own order is "most tests
  first", which puts the few-but-slow browser files last).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

#: The work unit that holds every Spark module.
SPARK_UNIT = "spark"
#: A ``spark`` mark in code (``pytestmark = pytest.mark.spark``, ``pytestmark = [..., pytest.mark.spark]``,
#: ``@pytest.mark.spark``) at the start of a line; a mere mention in a docstring or comment does not count.
_MARKS_SPARK = re.compile(r"^(?:pytestmark\s*=.*|\s*@)pytest\.mark\.spark\b", re.M)
#: Test files (relative to the rootdir) that run in the unit of another file, whose module
#: fixture they share in one process: the example tests read the notebooks the docs site
#: build executed (tests/support/examples.py) instead of executing them again.
JOINS = {"tests/test_examples.py": "tests/test_docs_site.py"}

#: Units known to take long, slowest first (test files relative to tests/, or SPARK_UNIT): the
#: largest units of a ``--durations=0`` / ``--junitxml`` whole-suite run summed per unit (after the
#: Spark JVM flags and the quick frame comparisons of tests/support/frames.py), then the one-test
#: JupyterLab files, which xdist's "most tests first" would leave for the end, where one of them
#: alone kept a worker busy ~1 min after the other was done. A unit not listed keeps xdist's order
#: after these; stale entries only cost balance, never correctness.
SLOW_FIRST = (
    "test_docs_site.py",  # builds the site, executing every example (~3 min of one core), + test_examples.py
    SPARK_UNIT,
    "model/test_incremental.py",
    "model/test_diff.py",
    "io/test_roundtrip.py",
    "io/test_csv_safety.py",
    "analytics/test_compare_segments.py",
    "widgets/test_colleen_lab.py",
    "plots/test_browser.py",
    "analytics/test_measure_history.py",
    "plots/test_safe_show.py",
    "io/test_json_safety.py",
    "io/test_excel_map.py",
    "sharing/test_export.py",
    "io/test_excel_safety.py",
    "plots/test_theme_browser.py",
    "plots/test_focused.py",
    "test_static_checks.py",
    "plots/test_map.py",
    "sharing/test_report.py",
    "sharing/test_read_notebook.py",
    "io/test_files_deterministic.py",
    "plots/test_nbconvert.py",
    "analytics/test_analytics.py",
    "model/test_validation.py",
    "plots/test_lab_plots_fit.py",
    "plots/test_lab_map_fit.py",
    "widgets/test_lab_theme.py",
    "widgets/test_lab.py",
    "test_lab_command.py",
)


def workers_for(args: Iterable[str], cwd: Path, cores: int) -> int:
    """Workers for ``-n auto``: ``cores``, capped by the number of files named; 0 for one file.

    ``args`` are the command's test paths (``config.args``: node ids, files or folders,
    relative to ``cwd``). A folder can hold any number of files, so it counts as many.
    """
    files: set[Path] = set()
    for arg in args:
        path = (cwd / arg.split("::", 1)[0]).resolve()
        if not path.is_file():
            return cores  # a folder (or a glob / -k selection over one): spread it
        files.add(path)
    return 0 if len(files) <= 1 else min(cores, len(files))


@cache
def uses_shared_spark(path: Path) -> bool:
    """Whether the test module at ``path`` marks tests ``spark`` (and so takes the shared SparkSession)."""
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return _MARKS_SPARK.search(source) is not None


def unit_of(nodeid: str, rootdir: Path) -> str:
    """The work unit of a test: its file, SPARK_UNIT for a module that shares the SparkSession,
    or the file it joins (:data:`JOINS`).
    """
    file = nodeid.split("::", 1)[0]
    return SPARK_UNIT if uses_shared_spark(rootdir / file) else JOINS.get(file, file)


def rank(unit: str) -> int:
    """Position of ``unit`` in SLOW_FIRST; units not listed rank after all listed ones."""
    name = unit.removeprefix("tests/")
    return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    from xdist.plugin import pytest_xdist_auto_num_workers as per_core

    cores = per_core(config)  # honours PYTEST_XDIST_AUTO_NUM_WORKERS
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return cores
    return workers_for(config.args, config.invocation_params.dir, cores)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getvalue("dist") != "loadfile":
        return None  # another --dist asked for explicitly: xdist's own scheduler
    from xdist.scheduler import LoadFileScheduling

    rootdir = config.rootpath

    class SlowFirstFileScheduling(LoadFileScheduling):
        """xdist's loadfile, with the Spark modules as one unit and slow units handed out first."""

        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid, rootdir)

        def _assign_work_unit(self, node: Any) -> None:
            first = min(self.workqueue, key=rank)  # min keeps xdist's order among equals
            self.workqueue.move_to_end(first, last=False)
            super()._assign_work_unit(node)

    return SlowFirstFileScheduling(config, log)
