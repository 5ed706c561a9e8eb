"""Editors of a journey for Jupyter (anywidget): :class:`JourneyEditor`, :class:`PersonaEditor`.

The widgets are thin: traitlets plus message handling. Their front end is
bundled from ``js/`` into ``cjm_jupyter/static/`` and fetches nothing at run
time.
"""

from .journey_editor import JourneyEditor
from .persona_editor import PersonaEditor

__all__ = ["JourneyEditor", "PersonaEditor"]
