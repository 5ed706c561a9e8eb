"""``import cjm_jupyter`` loads no heavy dependency; each loads when its feature is first used.

Each check runs in a fresh interpreter, since this test process has imported
everything already. Time is measured by ``bench/bench_import.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: What ``import cjm_jupyter`` must not load: each costs from 0.1 s (openpyxl) to
#: 2 s (jsonschema, which builds an RFC 3987 parser on import).
HEAVY = (
    "jsonschema",
    "fastjsonschema",
    "openpyxl",
    "bokeh",
    "duckdb",
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipywidgets",
    "anywidget",
    "traitlets",
    "bs4",
    "scipy",
    "sklearn",
    "statsmodels",
    "pyspark",
    "playwright",
)


def _loaded_after(code: str, *, setup: str = "") -> list[str]:
    """The HEAVY packages that running ``code`` loads, in a fresh interpreter that ran ``setup`` first."""
    probe = (
        f"import json, sys\n{setup}\nbefore = set(sys.modules)\n{code}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    out = _run(probe)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    return [name for name in HEAVY if name in loaded]


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_import_cjm_jupyter_loads_none_of_the_heavy_packages():
    assert _loaded_after("import cjm_jupyter") == []


def test_public_names_and_dir_do_not_load_them_either():
    code = (
        "import cjm_jupyter\n"
        "names = dir(cjm_jupyter)\n"
        "assert {'plots', 'analytics', 'JourneyEditor', 'report', 'Journey'} <= set(names), names\n"
        "assert cjm_jupyter.__all__[0] == 'EMOTION_SCALE'\n"
        "cjm_jupyter.Journey; cjm_jupyter.read_json; cjm_jupyter.templates.names()"
    )
    assert _loaded_after(code) == []


def test_the_notebook_display_of_a_journey_stays_light():
    # the rich display a notebook shows for a journey needs neither Bokeh nor nbconvert
    setup = "import cjm_jupyter\nj = cjm_jupyter.templates.load(cjm_jupyter.templates.names()[0])"
    code = (
        "bundle = j._repr_mimebundle_()\n"
        "mimes = ['application/vnd.cjm-journey+json', 'text/html', 'text/plain']\n"
        "assert sorted(bundle) == mimes, sorted(bundle)"
    )
    assert _loaded_after(code, setup=setup) == []


def test_loading_a_template_checks_no_schema():
    # shipped files are checked against the schema by the tests, not on every load
    code = "import cjm_jupyter\nj = cjm_jupyter.templates.load('colleen')"
    assert _loaded_after(code) == []


def test_reading_a_valid_json_file_loads_only_the_quick_schema_check(tmp_path):
    path = tmp_path / "j.json"
    setup = (
        "import cjm_jupyter\n"
        "j = cjm_jupyter.templates.load(cjm_jupyter.templates.names()[0])\n"
        f"j.to_json({str(path)!r})"
    )
    code = f"assert cjm_jupyter.read_json({str(path)!r}).equals(j)"
    assert _loaded_after(code, setup=setup) == ["fastjsonschema"]


def test_a_file_the_quick_check_refuses_loads_jsonschema_for_the_message(tmp_path):
    path = tmp_path / "j.json"
    setup = (
        "import json, cjm_jupyter\n"
        "doc = json.loads(cjm_jupyter.templates.load('three_stage').to_json())\n"
        "doc['meta']['kind'] = 'bogus'\n"
        f"open({str(path)!r}, 'w').write(json.dumps(doc))"
    )
    code = (
        "try:\n"
        f"    cjm_jupyter.read_json({str(path)!r})\n"
        "except cjm_jupyter.FileFormatError as err:\n"
        "    assert \"meta 'kind' must be one of\" in str(err), err\n"
        "else:\n"
        "    raise AssertionError('read a bad file')"
    )
    assert _loaded_after(code, setup=setup) == ["jsonschema", "fastjsonschema"]


def test_excel_loads_openpyxl_on_first_use(tmp_path):
    path = tmp_path / "j.xlsx"
    setup = "import cjm_jupyter\nj = cjm_jupyter.templates.load(cjm_jupyter.templates.names()[0])"
    code = f"j.to_excel({str(path)!r})\nassert cjm_jupyter.read_excel({str(path)!r}).equals(j)"
    assert _loaded_after(code, setup=setup) == ["openpyxl"]


@pytest.mark.parametrize(
    ("access", "loads"),
    [
        ("cjm_jupyter.plots.emotion_curve", "bokeh"),
        ("from cjm_jupyter import save_html", "bokeh"),
        ("cjm_jupyter.analytics.measure", "duckdb"),
        ("from cjm_jupyter import JourneyEditor", "anywidget"),
        ("from cjm_jupyter import export_html", "nbconvert"),
    ],
)
def test_each_lazy_name_loads_its_package_on_first_access(access, loads):
    assert loads in _loaded_after(access, setup="import cjm_jupyter")


def test_first_use_of_plots_installs_the_bokeh_show_hook():
    # importing cjm_jupyter.plots makes its escaping show_doc Bokeh's "jupyter" hook
    # (plots/notebook.py); reaching plots through the lazy attribute must do the same
    code = (
        "import cjm_jupyter\n"
        "from bokeh.io.notebook import _HOOKS\n"
        "assert _HOOKS['jupyter']['doc'].__module__ == 'bokeh.io.notebook', _HOOKS['jupyter']['doc']\n"
        "cjm_jupyter.plots\n"
        "assert _HOOKS['jupyter']['doc'].__module__ == 'cjm_jupyter.plots.notebook', _HOOKS['jupyter']['doc']"
    )
    assert "bokeh" in _loaded_after(code)


def test_unknown_names_still_raise_attribute_error():
    done = _run("import cjm_jupyter; cjm_jupyter.nope")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == "AttributeError: module 'cjm_jupyter' has no attribute 'nope'"
