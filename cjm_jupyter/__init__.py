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
JourneyEditor, PersonaEditor
    anywidget editors of a journey (imported on first use: ipywidgets is
    only loaded when an editor is wanted).
"""

from typing import Any

from . import templates
from .errors import SchemaVersionError, ValidationError
from .io import read_csv, read_excel, read_json
from .model import EMOTION_SCALE, FRAME_NAMES, Change, Journey

__version__ = "0.1.0"

__all__ = [
    "EMOTION_SCALE",
    "FRAME_NAMES",
    "Change",
    "Journey",
    "SchemaVersionError",
    "ValidationError",
    "read_csv",
    "read_excel",
    "read_json",
    "templates",
    "JourneyEditor",
    "PersonaEditor",
]

_WIDGETS = ("JourneyEditor", "PersonaEditor")


def __getattr__(name: str) -> Any:
    # Lazy: ``import cjm_jupyter`` stays free of ipywidgets and anywidget.
    if name in _WIDGETS:
        from . import widgets

        return getattr(widgets, name)
    raise AttributeError(f"module 'cjm_jupyter' has no attribute {name!r}")
