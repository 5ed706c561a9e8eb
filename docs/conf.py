"""Sphinx configuration of the cjm_jupyter reference docs (build: ``bash .ci/docs``).

The site is built offline: the example notebooks are executed by myst-nb at build
time with BokehJS inline (``BOKEH_RESOURCES=inline`` reaches the kernel), and the
saved editors are drawn read-only by the widget manager scripts the package ships
for its own offline exporter (``cjm_jupyter/static/share``), served from ``_static``
instead of a CDN. ``_ext/cjm_docs.py`` writes the API pages from each public
module's ``__all__``, the user-guide excerpts of README.md, and an offline page of
every executed example made by ``cjm_jupyter.export_html``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

# Before any kernel starts: myst-nb's kernels inherit the environment, and Bokeh
# then writes BokehJS into the notebook's outputs instead of a CDN <script src>.
os.environ["BOKEH_RESOURCES"] = "inline"

import cjm_jupyter  # noqa: E402  (after the environment is set)

project = "cjm_jupyter"
author = "cjm_jupyter developers"
copyright = "cjm_jupyter developers"
release = version = cjm_jupyter.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "myst_nb",
    "cjm_docs",
]

# guide/_readme holds README excerpts that the guide pages include (written by cjm_docs)
exclude_patterns = ["_build", "guide/_readme", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# -- API reference -------------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
# No network at build time: intersphinx has no inventories to fetch, so none are listed.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# -- Notebooks -----------------------------------------------------------------------------
# every build runs every example, so the pages show today's package ("cache" or "off" to iterate)
nb_execution_mode = os.environ.get("CJM_DOCS_EXECUTE", "force")
nb_execution_timeout = 600
nb_execution_raise_on_error = True  # a failing example fails the build
nb_execution_show_tb = True
# The widget manager the package's offline exporter inlines (require.js, anywidget's AMD
# module, @jupyter-widgets/html-manager), served from _static instead of cdnjs/jsdelivr.
# (Sphinx names static scripts relative to _static.)
nb_ipywidgets_js = {"require.js": {}, "anywidget.js": {}, "embed-amd.js": {}}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- HTML ----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"cjm_jupyter {release}"
html_static_path = ["_static", str(Path(cjm_jupyter.__file__).parent / "static" / "share")]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
    # no version switcher, no external icons: nothing is fetched from the network
    "icon_links": [],
}
# The theme reads the reader's light/dark choice from localStorage, else this default; without
# one it logs "Got invalid theme mode" as a console error on a first visit.
html_context = {"default_mode": "auto"}
html_sidebars = {"index": []}
html_show_sourcelink = False
