"""What a plain ``pip install cjm_jupyter`` gives, and the error each missing extra raises.

DuckDB and tqdm are core dependencies: the embedded analytics work without any
extra. scipy/statsmodels (``stats``), scikit-learn (``personas``) and
pyspark/pyarrow (``spark``) are optional: a public call that needs one raises
an ImportError naming the extra (:func:`cjm_jupyter._optional.require`).

A library is hidden in-process by a ``None`` entry in ``sys.modules`` (then
``import`` raises ImportError, as for a missing package), or, in a fresh
interpreter, by a meta path finder that answers "No module named ..." for it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from packaging.requirements import Requirement

from cjm_jupyter import _optional, analytics, personas, templates

ROOT = Path(__file__).resolve().parents[1]


def _hide(monkeypatch: pytest.MonkeyPatch, *packages: str) -> None:
    """Make ``import <package>`` (and any of its submodules) raise ImportError for this test."""
    for name in [m for m in sys.modules if m.split(".")[0] in packages]:
        monkeypatch.setitem(sys.modules, name, None)
    for name in packages:
        monkeypatch.setitem(sys.modules, name, None)


def _message(extra: str, purpose: str, package: str) -> str:
    return f'{purpose} needs {package}: pip install "cjm_jupyter[{extra}]"'


# -- require ------------------------------------------------------------------------------------


def test_require_returns_the_module_itself_not_its_package():
    module = _optional.require("email.mime.text", "stats", "a test")
    assert module.__name__ == "email.mime.text"


def test_require_names_the_extra_and_chains_the_original_error(monkeypatch):
    _hide(monkeypatch, "scipy")
    with pytest.raises(ImportError) as err:
        _optional.require("scipy.stats", "stats", "a test")
    assert str(err.value) == 'a test needs scipy: pip install "cjm_jupyter[stats]"'
    assert isinstance(err.value.__cause__, ImportError)
    assert "scipy" in str(err.value.__cause__)


def test_require_names_scikit_learn_as_pip_installs_it(monkeypatch):
    # "sklearn" on PyPI is a deprecated stub that fails to install: the message names the real one
    _hide(monkeypatch, "sklearn")
    with pytest.raises(ImportError) as err:
        _optional.require("sklearn.cluster", "personas", "cjm_jupyter.personas")
    assert str(err.value) == _message("personas", "cjm_jupyter.personas", "scikit-learn")


# -- each extra, from a real public call ----------------------------------------------------------


@pytest.fixture(scope="module")
def journey():
    return templates.load("colleen")


@pytest.fixture(scope="module")
def events(journey):
    return analytics.make_events(journey, customers=300, segments={"a": 1.0, "b": 1.3}, seed=1)


@pytest.mark.parametrize("package", ["scipy", "statsmodels"])
def test_compare_segments_without_the_stats_extra(monkeypatch, journey, events, package):
    # statsmodels imports scipy: loaded first, only the package hidden is missing at the call
    for module in ("statsmodels.stats.proportion", "statsmodels.stats.multitest", "scipy.stats"):
        pytest.importorskip(module)
    _hide(monkeypatch, package)
    with pytest.raises(ImportError) as err:
        analytics.compare_segments(events, journey, segment_col="segment")
    assert str(err.value) == _message("stats", "cjm_jupyter.analytics.stats", package)


def test_segment_customers_without_scikit_learn(monkeypatch):
    table = personas.make_customers(60, segments=2, seed=0)
    _hide(monkeypatch, "sklearn")
    with pytest.raises(ImportError) as err:
        personas.segment_customers(table, k=2)
    assert str(err.value) == _message("personas", "cjm_jupyter.personas", "scikit-learn")


def test_profile_segments_without_scipy(monkeypatch):
    table = pd.DataFrame({"plan": ["a", "b", "a", "b"]})
    labels = pd.Series([1, 1, 2, 2])
    _hide(monkeypatch, "scipy")
    with pytest.raises(ImportError) as err:
        personas.profile_segments(table, labels, [], ["plan"])
    assert str(err.value) == _message("personas", "cjm_jupyter.personas", "scipy")


# -- a plain install: DuckDB analytics with every optional library absent -------------------------

#: What a plain ``pip install cjm_jupyter`` does not bring (pandas 3 does not require pyarrow either).
ABSENT = ("pyspark", "pyarrow", "scipy", "statsmodels", "sklearn")

_BLOCKER = f"""
import sys

class _Absent:
    # first on sys.meta_path: these packages look uninstalled, as after a plain pip install
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {ABSENT!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None

sys.meta_path.insert(0, _Absent())
"""


def _run_without_extras(code: str) -> subprocess.CompletedProcess[str]:
    script = _BLOCKER + textwrap.dedent(code)
    command = [sys.executable, "-c", script]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_duckdb_analytics_work_without_any_extra():
    out = _run_without_extras(
        f"""
        import json
        from cjm_jupyter import analytics, templates

        journey = templates.load("colleen")
        events = analytics.make_events(journey, customers=300, segments={{"a": 1.0, "b": 1.3}}, seed=1)
        funnel = analytics.funnel(events, journey)
        both = analytics.analyze(events, journey, segment="segment", metrics=["funnel", "transitions"])
        try:
            analytics.compare_segments(events, journey, segment="segment")
        except ImportError as exc:
            error = str(exc)
        absent = sorted({{m.split(".")[0] for m in sys.modules}} & set({ABSENT!r}))
        print(json.dumps({{"customers": funnel["customers"].tolist(), "parts": sorted(both),
                           "error": error, "loaded": absent}}))
        """
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout.splitlines()[-1])
    assert got["customers"][0] == 300 and got["customers"] == sorted(got["customers"], reverse=True)
    assert got["parts"] == ["funnel", "transitions"]
    # the first library compare_segments needs is statsmodels (the Wilson interval of a conversion)
    assert got["error"] == _message("stats", "cjm_jupyter.analytics.stats", "statsmodels")
    assert got["loaded"] == []


def test_the_blocker_really_hides_them():
    # guards the test above: without this, a broken blocker would let it pass vacuously
    out = _run_without_extras("import scipy")
    assert out.returncode == 1
    assert "ModuleNotFoundError: No module named 'scipy'" in out.stderr


# -- pyproject -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> dict:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]


def test_duckdb_and_tqdm_are_core_dependencies(project):
    core = {Requirement(line).name: Requirement(line) for line in project["dependencies"]}
    assert {"duckdb", "tqdm"} <= set(core)
    assert str(core["duckdb"].specifier) == ">=1.1" and str(core["tqdm"].specifier) == ">=4.66"


def test_every_extra_the_errors_name_exists_and_installs_the_library(project):
    extras = {name: {Requirement(line).name for line in lines}
              for name, lines in project["optional-dependencies"].items()}  # fmt: skip
    assert extras["stats"] >= {"scipy", "statsmodels"}
    assert extras["personas"] >= {"scipy", "statsmodels", "scikit-learn"}
    assert extras["spark"] >= {"pyspark", "pyarrow"}
    assert extras["export"] == {"selenium"}
    # kept for older install lines (``pip install "cjm_jupyter[analytics]"``): still a valid extra
    assert extras["analytics"] == {"duckdb"}
