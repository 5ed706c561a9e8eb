"""Sharing executed notebooks: offline HTML export, journeys read back from notebooks, reports.

:func:`export_html`
    One self-contained HTML file from an executed notebook (also
    ``jupyter nbconvert --to cjm_html``): plots, read-only editors, no network.
:func:`read_notebook`
    Every journey an executed notebook displayed, read back from its outputs.
:func:`report`
    A report notebook built, executed and exported in one call (also ``cjm report``).
:data:`JOURNEY_MIME`
    The MIME type under which displayed journeys and editors store their document.

The submodules import nbconvert, nbclient and Bokeh; they load on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["JOURNEY_MIME", "export_html", "read_notebook", "report"]

#: name -> submodule that defines it
_LAZY = {
    "JOURNEY_MIME": "cjm_jupyter.sharing.mime",
    "export_html": "cjm_jupyter.sharing.exporter",
    "read_notebook": "cjm_jupyter.sharing.notebook_read",
    "report": "cjm_jupyter.sharing.reporting",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'cjm_jupyter.sharing' has no attribute {name!r}")
