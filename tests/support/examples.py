"""The shipped example notebooks, what a reader of each must see drawn, and their one run.

Shared by the example tests (``tests/test_examples.py``) and the docs site test
(``tests/test_docs_site.py``). The docs build executes every example (myst-nb, as
``bash .ci/docs`` does); :func:`built_site` builds it once per test process, and when
that process runs the site tests anyway (:func:`shares_the_site`), the example tests read
the notebooks the build executed instead of executing each a second time. A run without
the site tests (the quick loop deselects ``browser``) executes only the notebooks it reads.
tests/support/parallel.py gives both files one xdist worker, so one process does both.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .paths import EXAMPLES, ROOT

#: the example notebooks' file names, sorted
NOTEBOOKS = sorted(p.name for p in EXAMPLES.glob("*.ipynb"))
#: What a reader of each shared example must see drawn: (Bokeh documents, editors).
DRAWN = {
    "analytics.ipynb": (4, 0),
    "editor.ipynb": (0, 2),
    "living_map.ipynb": (3, 0),
    "personas.ipynb": (4, 0),
    "quickstart.ipynb": (1, 1),
}
DOCS = ROOT / "docs"
#: the test module that builds the site (tests/support/parallel.py puts test_examples.py with it)
SITE_TEST = "test_docs_site.py"

#: the site this process built (at most one build per process): the ``html`` folder
_built: list[Path] = []


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once per test process (``html/``), every example executed, no warning."""
    if _built:
        return _built[0]
    pytest.importorskip("sphinx", reason="the docs build needs the 'docs' extra (in the 'test' extra too)")
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html",
               "-d", str(out / "doctrees"), str(DOCS), str(out / "html")]  # fmt: skip
    env = {**os.environ, "CJM_DOCS_EXECUTE": "force"}
    built = subprocess.run(command, capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    assert built.returncode == 0, f"the docs build failed:\n{built.stderr[-6000:]}"
    # -W already fails the build on a warning; this names it ("<file>: WARNING: ...")
    assert ": WARNING:" not in built.stderr, built.stderr[-6000:]
    _built.append(out / "html")
    return _built[0]


def executed_by_site(site: Path, name: str) -> Path:
    """The notebook ``name`` as the build of ``site`` executed it (myst-nb keeps it, widget state too)."""
    return site.parent / "jupyter_execute" / "examples" / name


def shares_the_site(request: pytest.FixtureRequest) -> bool:
    """Whether this process runs the docs site tests too, so their build's notebooks can be read.

    True when a test of :data:`SITE_TEST` is selected, Sphinx is there, and the site tests run
    in this process: in-process, or ``--dist loadfile``, whose units parallel.py joins.
    """
    dist = request.config.getoption("dist", default="no")
    return (
        dist in ("no", "loadfile")
        and importlib.util.find_spec("sphinx") is not None
        and any(item.path.name == SITE_TEST for item in request.session.items)
    )
