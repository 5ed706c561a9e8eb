"""Bokeh models imported from the modules that define them.

``bokeh.models`` re-exports its annotations and renderers through packages
whose ``__all__`` is built from their submodules' ``__all__``
(``(*labels.__all__, ...)``), which a type checker cannot evaluate, so mypy
sees no ``bokeh.models.Title``. These are the same classes, from the modules
Bokeh's own type hints (``.pyi``) describe.
"""

from bokeh.models.annotations.arrows import Arrow, TeeHead, VeeHead
from bokeh.models.annotations.geometry import BoxAnnotation, Span, Whisker
from bokeh.models.annotations.labels import Title
from bokeh.models.annotations.legends import ColorBar, Legend, LegendItem
from bokeh.models.renderers.glyph_renderer import GlyphRenderer
from bokeh.models.renderers.graph_renderer import GraphRenderer
from bokeh.models.renderers.renderer import DataRenderer

__all__ = [
    "Arrow",
    "BoxAnnotation",
    "ColorBar",
    "DataRenderer",
    "GlyphRenderer",
    "GraphRenderer",
    "Legend",
    "LegendItem",
    "Span",
    "TeeHead",
    "Title",
    "VeeHead",
    "Whisker",
]
