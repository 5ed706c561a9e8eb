"""cjm_jupyter: customer journey maps as data-backed objects in Jupyter.

Public API
----------
Journey
    The map: personas, stages, touchpoints, emotions, pain points,
    opportunities, actions, metrics, empathy entries and custom lanes, each a
    tidy pandas DataFrame.
read_json, read_excel, read_csv
    Load a journey written by ``Journey.to_json`` / ``to_excel`` / ``to_csv``.
templates
    Ready-made journeys: ``templates.names()``, ``templates.load(name)``.
ValidationError
    Raised for every broken rule; names frame, row, column, value and rule.
plots, save_html, export_png, export_svg
    Bokeh pictures (``journey.plot()``, ``plots.emotion_curve``...) and a
    standalone, offline HTML file, a PNG or an SVG of any of them.
analytics, personas
    Metrics from event logs (``analytics.funnel``, ``analytics.measure``...)
    and personas from customer data (``personas.segment_customers``...).
JourneyEditor, PersonaEditor
    anywidget editors of a journey.
sharing, widgets, export_html, read_notebook, report
    Share executed notebooks: one offline HTML file (``jupyter nbconvert --to
    cjm_html``), the journeys a notebook displayed, a report in one call (``cjm report``);
    the editors' module.

The subpackages ``plots``, ``analytics``, ``personas``, ``sharing`` and
``widgets``, ``save_html``, ``export_png``, ``export_svg``, the editors and the
sharing functions are imported on first use (``cjm_jupyter.plots``, ``from cjm_jupyter import
JourneyEditor``), so ``import cjm_jupyter`` stays free of Bokeh, DuckDB,
ipywidgets, anywidget and nbconvert; readers import jsonschema and openpyxl
when they first run. ``bench/bench_import.py`` measures it against ``import pandas``.
"""

import importlib
from typing import TYPE_CHECKING, Any

from . import templates
from .errors import FileFormatError, SchemaVersionError, ValidationError
from .io import read_csv, read_excel, read_json
from .model import EMOTION_SCALE, FRAME_NAMES, Change, Journey

if TYPE_CHECKING:  # what the lazy names are, for type checkers and IDEs
    from . import analytics, personas, plots, sharing, widgets
    from .plots.export import export_png, export_svg, save_html
    from .sharing.exporter import export_html
    from .sharing.notebook_read import read_notebook
    from .sharing.reporting import report
    from .widgets import JourneyEditor, PersonaEditor

__version__ = "0.1.0"

__all__ = [
    "EMOTION_SCALE",
    "FRAME_NAMES",
    "Change",
    "FileFormatError",
    "Journey",
    "JourneyEditor",
    "PersonaEditor",
    "SchemaVersionError",
    "ValidationError",
    "analytics",
    "export_png",
    "export_svg",
    "personas",
    "plots",
    "read_csv",
    "read_excel",
    "read_json",
    "save_html",
    "sharing",
    "templates",
    "widgets",
    "export_html",
    "read_notebook",
    "report",
]

#: name -> (module, attribute or None for the module itself), imported on first use.
_LAZY = {
    "analytics": ("cjm_jupyter.analytics", None),
    "personas": ("cjm_jupyter.personas", None),
    "plots": ("cjm_jupyter.plots", None),
    "sharing": ("cjm_jupyter.sharing", None),
    "widgets": ("cjm_jupyter.widgets", None),
    "save_html": ("cjm_jupyter.plots.export", "save_html"),
    "export_png": ("cjm_jupyter.plots.export", "export_png"),
    "export_svg": ("cjm_jupyter.plots.export", "export_svg"),
    "JourneyEditor": ("cjm_jupyter.widgets", "JourneyEditor"),
    "PersonaEditor": ("cjm_jupyter.widgets", "PersonaEditor"),
    "export_html": ("cjm_jupyter.sharing.exporter", "export_html"),
    "read_notebook": ("cjm_jupyter.sharing.notebook_read", "read_notebook"),
    "report": ("cjm_jupyter.sharing.reporting", "report"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attr = _LAZY[name]
        module = importlib.import_module(module_name)
        return module if attr is None else getattr(module, attr)
    raise AttributeError(f"module 'cjm_jupyter' has no attribute {name!r}")


def __dir__() -> list[str]:
    # the lazy names too, so tab completion offers them before their first use
    return sorted({*globals(), *_LAZY})
