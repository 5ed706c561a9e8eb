"""The docs' generated pages (docs/_ext/cjm_docs.py): README sections and API pages.

The full build (``bash .ci/docs``, a few minutes: it executes every example) is not run
here; these tests check in a second what would otherwise fail it late: a README heading
the user guide includes was renamed, or a public name is missing from the API pages or
documented twice. They need Sphinx (the ``docs`` extra) and are skipped without it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
cjm_docs = importlib.import_module("cjm_docs")


def test_every_guide_section_is_a_readme_heading():
    sections = cjm_docs.readme_sections((ROOT / "README.md").read_text(encoding="utf-8"))
    missing = [h for h in cjm_docs.README_SECTIONS.values() if h not in sections]
    assert missing == []


def test_readme_sections_ignore_hash_lines_inside_code_fences():
    readme = "# Title\nintro\n## One\n```python\n## not a heading\n```\n## Two\ntext\n"
    sections = cjm_docs.readme_sections(readme)
    assert list(sections) == ["", "One", "Two"]
    assert sections["One"] == ["## One", "```python", "## not a heading", "```"]


def test_excerpt_moves_headings_up_and_turns_anchors_into_references(tmp_path):
    lines = ["## Share a notebook", "See [Living maps](#living-maps).", "### Files", "```", "## code", "```"]
    assert cjm_docs.excerpt(lines, ROOT, tmp_path).splitlines() == [
        "(readme-share-a-notebook)=",
        "# Share a notebook",
        "See {ref}`Living maps <readme-living-maps>`.",
        "(readme-files)=",
        "## Files",
        "```",
        "## code",
        "```",
    ]


def _summarised(page: str) -> list[str]:
    """The names in a page's autosummary table (documented on that page)."""
    if ":nosignatures:" not in page:
        return []
    table = page.split(":nosignatures:", 1)[1].split("Also importable", 1)[0]
    return table.split()


def test_every_public_name_is_documented_exactly_once():
    homes = cjm_docs._homes()
    documented = []
    for module_name in cjm_docs.PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        page = cjm_docs.api_page(module_name, homes)
        own = _summarised(page)
        documented += [id(getattr(module, name)) for name in own]
        # every name of __all__ is either documented here or listed as importable from here
        linked = [name for name in module.__all__ if f"* ``{module_name}.{name}``:" in page]
        assert sorted(own + linked) == sorted(module.__all__), module_name
    assert len(documented) == len(set(documented))


def test_reexported_journey_links_to_its_home():
    page = cjm_docs.api_page("cjm_jupyter", cjm_docs._homes())
    assert "* ``cjm_jupyter.Journey``: :class:`cjm_jupyter.model.Journey`" in page
    assert "* ``cjm_jupyter.save_html``: :func:`cjm_jupyter.plots.save_html`" in page
    assert "* ``cjm_jupyter.plots``: :mod:`cjm_jupyter.plots`" in page
