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

**Sizes.** Every plot function takes keyword-only ``width`` and ``height`` in pixels:

- ``width=None`` (the default): the plot fills the width of the output area
  (responsive, down to its least width, about 480 px, below which the cell
  scrolls sideways); PNG/SVG exports draw it 960 px wide. An integer: that
  many pixels, fixed.
- ``height=None`` (the default): the height the content needs (rows,
  stages, nodes, lines of text); plots whose axes scale to any height have a
  fixed default (``emotion_curve`` 440, ``flow`` 520, ``priority_matrix``
  640). An integer: that many pixels; a column of figures shares it among
  them in proportion. Pictures whose text is laid out in pixels
  (``journey_map``, ``compare_journeys``, ``empathy_map``) refuse a height
  below what their text needs.

**Names.** A plot whose name would repeat an analytics function's ends in ``_chart``:
:func:`funnel_chart` draws the frame :func:`cjm_jupyter.analytics.funnel`
computes. The old name ``plots.funnel`` works for one release with a
:class:`~cjm_jupyter.errors.CJMDeprecationWarning`.
"""

from .._deprecate import moved_names
from .compare import compare_journeys, compare_personas, segment_comparison
from .emotion import emotion_curve
from .empathy import empathy_map
from .export import ExportUnavailableError, export_png, export_svg, save_html
from .flow import flow
from .funnel_chart import funnel_chart
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
    "funnel_chart",
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

#: Old public names, served for one release with a CJMDeprecationWarning naming the new one.
__getattr__ = moved_names("cjm_jupyter.plots", {"funnel": ("funnel_chart", lambda: funnel_chart)})
