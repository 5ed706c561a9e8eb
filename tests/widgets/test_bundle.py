"""The shipped front-end bundles are what ``js/`` builds, byte for byte, and fetch nothing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from ..support.paths import ROOT

JS = ROOT / "js"
STATIC = ROOT / "cjm_jupyter" / "static"
BUNDLES = ("journey_editor.js", "persona_editor.js")


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI"):
            pytest.fail("npm is needed on CI to check the widget bundles")
        pytest.skip("npm not installed")
    return npm


def test_bundles_match_a_fresh_build() -> None:
    npm = _npm()
    if not (JS / "node_modules" / "esbuild").exists():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS, check=True, capture_output=True)
    done = subprocess.run([npm, "run", "--silent", "check"], cwd=JS, capture_output=True, text=True)
    assert done.returncode == 0, f"rebuild differs; run `npm run build` in js/\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize("name", BUNDLES)
def test_bundle_is_self_contained(name: str) -> None:
    text = (STATIC / name).read_text(encoding="utf-8")
    assert re.search(r"^import\b", text, re.M) is None, "a bundle must not import other modules"
    urls = set(re.findall(r"https?://[^\s\"'`)]+", text)) - {"http://www.w3.org/2000/svg"}
    assert urls == set(), f"no URL may be fetched at run time: {urls}"
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text and "eval(" not in text
