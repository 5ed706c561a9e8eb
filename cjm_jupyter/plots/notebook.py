"""Show plots in Jupyter without a network: :func:`setup_notebook`.

Bokeh loads BokehJS from a CDN by default; offline, JupyterLab then shows
"Javascript Error: timeout" or an empty cell. :func:`setup_notebook` loads
BokehJS *inline* instead, once per kernel, and lets a plot that ends a cell
display itself.

For an HTML export of an executed notebook that works offline, keep
nbconvert's page scripts, require.js and MathJax, off their CDNs::

    jupyter nbconvert --to html my.ipynb \\
        --HTMLExporter.require_js_url="data:text/javascript," --HTMLExporter.mathjax_url=""

or in Python ``nbconvert.HTMLExporter(**NBCONVERT_OFFLINE)``, which also blanks
the mermaid URLs (nbconvert 7.17 loads mermaid only for mermaid cells, and does
not let the command line set those two). BokehJS itself is already in the
notebook's outputs, written there by :func:`setup_notebook`; without these
settings the plots still render, but the page first waits for two blocked
requests and logs their errors. (Notebooks that hold ipywidgets or anywidget
editors also need the widget manager script served locally:
``--HTMLExporter.widget_renderer_url``.)
"""

from __future__ import annotations

from typing import Any

__all__ = ["NBCONVERT_OFFLINE", "setup_notebook"]

#: ``HTMLExporter`` settings for an HTML export that fetches nothing at run time.
#: Bokeh does not use require.js: an empty script stands in for it. MathJax (which
#: nbconvert loads on every page, for LaTeX in Markdown) is left out, and so is
#: mermaid (loaded only for mermaid cells).
NBCONVERT_OFFLINE: dict[str, str] = {
    "require_js_url": "data:text/javascript,",
    "mathjax_url": "",
    "mermaid_js_url": "",
    "mermaid_layout_elk_js_url": "",
}


def _show(obj: Any) -> None:
    """IPython display hook for Bokeh models: ``bokeh.io.show`` into the cell."""
    from bokeh.io import show
    from bokeh.io.state import curstate

    if not curstate().notebook:  # e.g. after bokeh.io.reset_output(): load BokehJS again
        _load_bokehjs()
    show(obj)


def _load_bokehjs() -> None:
    from bokeh.io import output_notebook
    from bokeh.resources import INLINE

    # INLINE, not the CDN default: the notebook (and its HTML export) must work offline.
    output_notebook(resources=INLINE, hide_banner=True)


def setup_notebook(*, auto_display: bool = True) -> None:
    """Make Bokeh plots display in this notebook, offline. Call once per kernel.

    It runs ``bokeh.io.output_notebook(resources=INLINE, hide_banner=True)``:
    BokehJS (about 4 MB) is written into the output of the calling cell, so
    plots render with no network, also in the notebook saved to disk and in
    its ``jupyter nbconvert --to html`` export (see :data:`NBCONVERT_OFFLINE`).

    Then, with ``auto_display=True``, a Bokeh figure or layout that is the
    **last expression of a cell**, such as ``journey.plot()``, displays itself,
    as does ``IPython.display.display(fig)``. Bokeh 3.9 alone does not do that:
    there a figure at the end of a cell shows a table of its properties and a
    plot needs ``bokeh.io.show(fig)``. ``show(fig)`` keeps working either way
    (use it for a plot that is not the cell's last expression). The hook is an
    IPython display formatter for :class:`bokeh.models.UIElement`; it does
    nothing outside IPython.

    Parameters
    ----------
    auto_display : bool, default True
        Register the display hook. ``False`` keeps Bokeh's own behaviour:
        use ``bokeh.io.show(fig)``.

    Examples
    --------
    In a notebook cell::

        import cjm_jupyter as cjm
        from cjm_jupyter.plots.notebook import setup_notebook

        setup_notebook()
        journey = cjm.templates.load("colleen")
        journey.plot()            # the last expression: the map shows below the cell
    """
    _load_bokehjs()
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to hook into
        return
    shell = get_ipython()
    if shell is None:
        return
    from bokeh.models.ui import UIElement

    formatter = shell.display_formatter.ipython_display_formatter
    if auto_display:
        formatter.for_type(UIElement, _show)
    else:
        formatter.pop(UIElement, None)
