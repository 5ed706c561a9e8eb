r"""Show plots in Jupyter without a network: :func:`setup_notebook`.

Bokeh loads BokehJS from a CDN by default; offline, JupyterLab then shows
"Javascript Error: timeout" or an empty cell. :func:`setup_notebook` loads
BokehJS *inline* instead, once per kernel, and lets a plot that ends a cell
display itself.

To share an executed notebook as one offline HTML file, plots and editors
included, use ``jupyter nbconvert --to cjm_html my.ipynb`` (or
:func:`cjm_jupyter.export_html`), which inlines BokehJS once in the page. With
nbconvert's own ``--to html``, keep its page scripts, require.js and MathJax, off
their CDNs::

    jupyter nbconvert --to html my.ipynb \
        --HTMLExporter.require_js_url="data:text/javascript," --HTMLExporter.mathjax_url=""

or in Python ``nbconvert.HTMLExporter(**NBCONVERT_OFFLINE)``, which also blanks
the mermaid URLs (nbconvert 7.17 loads mermaid only for mermaid cells, and does
not let the command line set those two). BokehJS itself is already in the
notebook's outputs, written there once by :func:`setup_notebook` (Bokeh's own
``output_notebook()`` writes it twice; ours replaces that load hook too, see
:func:`_load_doc`). Editors show their static summary in such a page.

Safety of exports: Bokeh writes a shown plot as an ``application/javascript``
output holding the plot's data, user text included, and nbconvert places that
output inside a ``<script>`` element of the exported page. A name such as
``</script><img src=x onerror=...>`` would end that element early and run in
whoever opens the export. Importing this module (``cjm_jupyter.plots`` imports it,
and so does ``journey.plot()`` and every plot function) therefore replaces Bokeh's
Jupyter ``show`` hook with one that escapes the script for HTML
(:func:`script_safe`); :func:`setup_notebook` installs it too. No call is needed:

* ``show(journey.plot())`` imports this module while building the plot, before
  ``show`` runs; ``bokeh.io.show`` and ``bokeh.plotting.show`` are one function,
  and both look the hook up at every call.
* Bokeh installs its own hook once, when ``bokeh.io`` is first imported (which
  happens here before ours replaces it); ``output_notebook()`` only loads BokehJS
  and never reinstalls a hook, so calling it before or after changes nothing.
* ``show(..., notebook_handle=True)`` goes through the same hook; the later
  ``push_notebook()`` updates travel as JSON over a Jupyter comm and are not
  saved into the notebook, so no export ever places them in a page.
* A figure that ends a cell without :func:`setup_notebook` shows Bokeh's property
  table (``Model._repr_html_``), which lists referenced models by id only: our
  plots keep user text in child models and data sources, never in a top-level
  property. ``bokeh.embed.components``/``file_html`` (and :func:`save_html`)
  HTML-escape the document JSON themselves.

Only a library that installs its own ``"jupyter"`` hook afterwards (with
``overwrite=True``) replaces ours; :func:`setup_notebook` puts it back.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NBCONVERT_OFFLINE", "setup_notebook", "script_safe"]

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


def script_safe(js: str) -> str:
    r"""Return ``js`` escaped so that it cannot end or alter the ``<script>`` element it is in.

    ``</`` becomes ``<\/`` and ``<!--`` becomes ``<\!--``: the same characters
    inside a JavaScript string, regex or template (``\/`` and ``\!`` are
    identity escapes), and neither sequence can occur in JavaScript code outside
    one, so the script's meaning is unchanged.
    """
    return js.replace("</", "<\\/").replace("<!--", "<\\!--")


def _show_doc(obj: Any, state: Any, notebook_handle: Any = None) -> Any:
    """Bokeh's Jupyter ``show_doc`` hook with its script made :func:`script_safe`.

    Written out rather than wrapped: Bokeh publishes the script inside
    ``show_doc`` itself, so the only supported way in is a replacement hook
    (``bokeh.io.notebook.install_notebook_hook``). Follows Bokeh 3.9's own,
    and draws the plot in the theme of :func:`~.theme.set_theme` (with
    ``"auto"``, a script in the output follows the page's JupyterLab theme).
    """
    from bokeh.embed.notebook import notebook_content
    from bokeh.io.notebook import (
        EXEC_MIME_TYPE,
        HTML_MIME_TYPE,
        JS_MIME_TYPE,
        CommsHandle,
        get_comms,
        publish_display_data,
    )
    from bokeh.util.serialization import make_id

    from ._themed import themed
    from .theme import get_theme

    if obj not in state.document.roots:
        state.document.add_root(obj)
    comms_target = make_id() if notebook_handle else None
    # The theme (plots.set_theme) is applied to the output only; the figure stays as built.
    with themed(obj, get_theme()):
        script, div, cell_doc = notebook_content(obj, comms_target)
    publish_display_data({HTML_MIME_TYPE: div})
    publish_display_data(
        {JS_MIME_TYPE: script_safe(script), EXEC_MIME_TYPE: ""}, metadata={EXEC_MIME_TYPE: {"id": obj.id}}
    )
    if comms_target:  # push_notebook() updates: as in Bokeh
        handle = CommsHandle(get_comms(comms_target), cell_doc)
        state.document.callbacks.on_change_dispatch_to(handle)
        state.last_comms_handle = handle
        return handle
    return None


#: Output metadata key marking the output that holds BokehJS (the cjm_html exporter
#: drops it and inlines BokehJS once in the page head).
BOKEHJS_MARK = "cjm_jupyter/bokehjs"


def _load_doc(
    resources: Any = None, verbose: bool = False, hide_banner: bool = False, load_timeout: int = 5000
) -> None:
    """Bokeh's Jupyter ``load`` hook, writing BokehJS into the notebook once.

    Bokeh 3.9's ``load_notebook`` publishes the whole library twice in one
    output (``application/javascript`` for the classic Notebook and
    ``application/vnd.bokehjs_load.v0+json`` for its JupyterLab extension), 8 MB
    of notebook for 4 MB of BokehJS. JupyterLab runs the JavaScript one itself,
    so that one alone is published, marked with :data:`BOKEHJS_MARK`. Otherwise
    as Bokeh's own (the banner, the timeout, the loaded resources it records).
    """
    import bokeh.io.notebook as bokeh_notebook
    from bokeh import __version__
    from bokeh.core.templates import NOTEBOOK_LOAD
    from bokeh.embed.bundle import bundle_for_objs_and_resources
    from bokeh.resources import Resources
    from bokeh.settings import settings
    from bokeh.util.serialization import make_globally_unique_css_safe_id

    if resources is None:
        resources = Resources(mode=settings.resources())
    element_id = None
    if not hide_banner:
        inline = resources.mode == "inline"
        element_id = make_globally_unique_css_safe_id()
        banner = NOTEBOOK_LOAD.render(
            element_id=element_id,
            verbose=verbose,
            js_info="inline" if inline else resources.js_files,
            css_info="inline" if inline else resources.css_files,
            bokeh_version=__version__,
            warnings=["Warning: " + m.text for m in resources.messages if m.type == "warn"],
        )
        bokeh_notebook.publish_display_data({"text/html": banner})
    bokeh_notebook._NOTEBOOK_LOADED = resources
    bundle = bundle_for_objs_and_resources(None, resources)
    script = bokeh_notebook._loading_js(bundle, element_id, load_timeout, register_mime=True)
    bokeh_notebook.publish_display_data(
        {bokeh_notebook.JS_MIME_TYPE: script}, metadata={BOKEHJS_MARK: {"version": __version__}}
    )


def _install_safe_show() -> None:
    """Make :func:`_show_doc` Bokeh's ``"jupyter"`` show hook (idempotent; module notes)."""
    from bokeh.io.notebook import install_notebook_hook, show_app

    install_notebook_hook("jupyter", _load_doc, _show_doc, show_app, overwrite=True)


# At import, not only in setup_notebook(): users call Bokeh's own output_notebook()
# and show(), and every plot of ours imports this module before it can be shown.
# Harmless outside Jupyter (the hook only runs once output_notebook() was called).
_install_safe_show()


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

    _install_safe_show()
    # INLINE, not the CDN default: the notebook (and its HTML export) must work offline.
    output_notebook(resources=INLINE, hide_banner=True)


def setup_notebook(*, auto_display: bool = True) -> None:
    """Make Bokeh plots display in this notebook, offline. Call once per kernel.

    It runs ``bokeh.io.output_notebook(resources=INLINE, hide_banner=True)``:
    BokehJS (about 4 MB) is written into the output of the calling cell, so
    plots render with no network, also in the notebook saved to disk and in
    its ``jupyter nbconvert --to html`` export (see :data:`NBCONVERT_OFFLINE`).
    Plots shown in a notebook (``bokeh.io.show`` too) are written so that their
    text cannot break out of the export's ``<script>`` elements; that holds from
    the import of ``cjm_jupyter.plots`` on, with or without this call, and this
    call puts the escaping hook back if another library replaced it (module notes).

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

    Run here outside a notebook: the call loads BokehJS into Bokeh's notebook
    state, which would change how plots show for the rest of this process, so
    the doctest shows only that the option is keyword-only and the offline
    nbconvert settings of the export described above.

    >>> setup_notebook(False)
    Traceback (most recent call last):
    ...
    TypeError: setup_notebook() takes 0 positional arguments but 1 was given
    >>> sorted(NBCONVERT_OFFLINE)
    ['mathjax_url', 'mermaid_js_url', 'mermaid_layout_elk_js_url', 'require_js_url']
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
