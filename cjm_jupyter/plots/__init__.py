"""Bokeh pictures of a journey.

Every function builds and returns Bokeh models; show them with
``bokeh.plotting.show`` (in a notebook after Bokeh's ``output_notebook()`` or
:func:`setup_notebook`) or save them with :func:`save_html` / :func:`export_png`
/ :func:`export_svg`.

Importing this package installs a Jupyter ``show`` hook for Bokeh that keeps
user text from ending the ``<script>`` element an nbconvert export puts a shown
plot in (see :mod:`cjm_jupyter.plots.notebook`).

:func:`set_theme` ("light", "dark" or "auto", the default: follow the
JupyterLab theme of the page) chooses the colours a plot is shown and
exported in.
"""

from .compare import compare_journeys, compare_personas, segment_comparison
from .emotion import emotion_curve
from .empathy import empathy_map
from .export import ExportUnavailableError, export_png, export_svg, save_html
from .flow import flow
from .funnel import funnel
from .graph import interaction_graph
from .heatmap import touchpoint_heatmap
from .map import LANES, journey_map
from .notebook import setup_notebook
from .persona_cards import PersonaCards, persona_cards
from .priority import priority_matrix
from .segments import segment_profile
from .theme import get_theme, set_theme, use_theme

__all__ = [
    "LANES",
    "ExportUnavailableError",
    "PersonaCards",
    "compare_journeys",
    "compare_personas",
    "emotion_curve",
    "empathy_map",
    "export_png",
    "export_svg",
    "flow",
    "funnel",
    "get_theme",
    "interaction_graph",
    "journey_map",
    "persona_cards",
    "priority_matrix",
    "save_html",
    "segment_comparison",
    "segment_profile",
    "set_theme",
    "setup_notebook",
    "touchpoint_heatmap",
    "use_theme",
]
