"""The shipped example notebooks and what a reader of each must see drawn.

Shared by the example tests (``tests/test_examples.py``) and the docs site test
(``tests/test_docs_site.py``), which read the same notebooks executed two ways.
"""

from __future__ import annotations

from .paths import EXAMPLES

#: the example notebooks' file names, sorted
NOTEBOOKS = sorted(p.name for p in EXAMPLES.glob("*.ipynb"))
#: What a reader of each shared example must see drawn: (Bokeh documents, editors).
DRAWN = {
    "analytics.ipynb": (4, 0),
    "editor.ipynb": (0, 2),
    "living_map.ipynb": (3, 0),
    "personas.ipynb": (4, 0),
    "quickstart.ipynb": (1, 1),
}
