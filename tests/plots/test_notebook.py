"""setup_notebook(): inline BokehJS and a display hook for Bokeh models (no kernel needed).

The real kernel path (a figure ending a cell shows the plot) is pinned by
tests/test_plots_nbconvert.py.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import IPython
import pytest
from bokeh.plotting import figure
from bokeh.resources import INLINE
from IPython.core.formatters import DisplayFormatter

from cjm_jupyter.plots import notebook


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """A stand-in IPython shell with a real display formatter; BokehJS loading recorded."""
    fake = SimpleNamespace(display_formatter=DisplayFormatter(), loads=[], shown=[])
    monkeypatch.setattr(IPython, "get_ipython", lambda: fake)
    monkeypatch.setattr(notebook, "_load_bokehjs", lambda: fake.loads.append(True))
    monkeypatch.setattr("bokeh.io.show", lambda obj: fake.shown.append(obj))
    return fake


def test_a_figure_ending_a_cell_is_shown(shell: SimpleNamespace) -> None:
    notebook.setup_notebook()
    assert shell.loads == [True]
    fig = figure()
    data, _ = shell.display_formatter.format(fig)
    assert shell.shown == [fig], "the display hook hands the figure to bokeh.io.show"
    assert data == {}, "nothing else (no property table) is displayed"


def test_auto_display_false_keeps_bokehs_behaviour(shell: SimpleNamespace) -> None:
    notebook.setup_notebook()
    notebook.setup_notebook(auto_display=False)
    data, _ = shell.display_formatter.format(figure())
    assert shell.shown == []
    assert "text/html" in data  # Bokeh's own property table


def test_outside_ipython_it_only_loads_bokehjs(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[bool] = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    monkeypatch.setattr(notebook, "_load_bokehjs", lambda: loads.append(True))
    notebook.setup_notebook()
    assert loads == [True]


def test_bokehjs_is_loaded_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("bokeh.io.output_notebook", lambda **kw: calls.append(kw))
    notebook._load_bokehjs()
    assert calls == [{"resources": INLINE, "hide_banner": True}]


def test_the_nbconvert_settings_load_nothing_from_a_cdn() -> None:
    for url in notebook.NBCONVERT_OFFLINE.values():
        assert url == "" or url.startswith("data:")
