"""How the suite spreads over the cores with pytest-xdist (hooks registered in conftest.py).

pyproject's ``addopts`` asks for ``-n auto --dist loadfile``; these hooks refine it:

* **How many workers.** ``-n auto`` gives one worker per core for a broad run (the whole
  suite, a folder, several files) but *none* when the command names a single test file:
  a file runs in one worker anyway, so a worker would only add its start-up time.
  ``-n 0`` (or ``-n 1``) always runs in-process, e.g. to use ``--pdb`` or a debugger;
  ``PYTEST_XDIST_AUTO_NUM_WORKERS=N`` sets what ``auto`` means.
* **What runs together.** A whole file goes to one worker, so its module-scoped fixtures
  (a JupyterLab server, executed notebooks, a Chromium) start once. Every module that uses
  the shared local SparkSession of ``tests/test_analytics_spark.py`` goes to the *same*
  worker: they share one JVM (~25 s of CPU to start) instead of one per worker.
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

#: The module whose ``spark`` fixture starts the shared SparkSession; modules that import it
#: (``from . import test_analytics_spark as spark_tests``) reuse that session.
SPARK_MODULE = "test_analytics_spark"
#: The work unit that holds every Spark module.
SPARK_UNIT = "spark"
#: An import of SPARK_MODULE (``from . import test_analytics_spark as spark_tests``,
#: ``from .test_analytics_spark import spark``); a mere mention in text does not count.
_IMPORTS_SPARK = re.compile(
    rf"^\s*(?:from\s+\S*{SPARK_MODULE}\s+import|from\s+\S+\s+import\s+{SPARK_MODULE}\b"
    rf"|import\s+\S*{SPARK_MODULE}\b)",
    re.M,
)

#: Units known to take long, slowest first (test file names, or SPARK_UNIT): the largest units of a
#: ``--durations=0`` / ``--junitxml`` run summed per unit (Spark ~14 % of the suite, the next ~8 %),
#: then the one-test JupyterLab files, which xdist's "most tests first" would leave for the end.
#: A unit not listed keeps xdist's order after these; stale entries only cost balance, never
#: correctness.
SLOW_FIRST = (
    SPARK_UNIT,
    "test_model_incremental.py",
    "test_examples.py",
    "test_io_json_safety.py",
    "test_io_csv_safety.py",
    "test_analytics.py",
    "test_model_validation.py",
    "test_plots_map.py",
    "test_plots_nbconvert.py",
    "test_io_excel_safety.py",
    "test_sharing_read_notebook.py",
    "test_sharing_export.py",
    "test_plots_browser.py",
    "test_sharing_report.py",
    "test_widgets_lab_theme.py",
    "test_widgets_colleen_lab.py",
    "test_widgets_lab.py",
    "test_lab_command.py",
    "test_plots_theme_browser.py",
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
    """Whether the test module at ``path`` is, or imports, the shared-Spark module."""
    if path.stem == SPARK_MODULE:
        return True
    try:
        source = path.read_text(encoding="utf-8")
    except OSError:
        return False
    return _IMPORTS_SPARK.search(source) is not None


def unit_of(nodeid: str, rootdir: Path) -> str:
    """The work unit of a test: its file, or SPARK_UNIT for a module that shares the SparkSession."""
    file = nodeid.split("::", 1)[0]
    return SPARK_UNIT if uses_shared_spark(rootdir / file) else file


def rank(unit: str) -> int:
    """Position of ``unit`` in SLOW_FIRST; units not listed rank after all listed ones."""
    name = unit if unit == SPARK_UNIT else Path(unit).name
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
