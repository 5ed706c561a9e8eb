"""Where things are: the repository's folders, found from this file (not from the working directory)."""

from __future__ import annotations

from pathlib import Path

#: the repository (the folder holding pyproject.toml)
ROOT = Path(__file__).resolve().parents[2]
#: tests/
TESTS = ROOT / "tests"
#: saved files of earlier releases (tests/fixtures/v1, v2), read by the schema-migration tests
FIXTURES = TESTS / "fixtures"
#: the package's built front-end bundles
STATIC = ROOT / "cjm_jupyter" / "static"
#: the example notebooks
EXAMPLES = ROOT / "examples"
