"""Saved widget state: an exported page shows the map with no kernel and no network.

The page is what ``ipywidgets.embed`` writes (``drop_defaults=False``, so
anywidget's ``_esm`` is in the state), rendered by the real
``@jupyter-widgets/html-manager`` with require.js and anywidget's AMD
bundle loaded from local files. The two npm packages are pinned, with their
integrity hashes, as devDependencies in ``js/package-lock.json`` and installed
by ``npm ci`` in ``js/`` (``.ci/setup``): nothing is fetched at test time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cjm_jupyter import JourneyEditor, PersonaEditor

from ..support.journeys import build_small_journey
from ..support.widget_export import ANYWIDGET_AMD, _page
from ..support.widget_harness import Harness

pytestmark = pytest.mark.browser

#: what anywidget logs when it has not bound a widget module within its 2 s start-up timer
ANYWIDGET_SLOW_START = "[anywidget] Failed to initialize model."


@pytest.mark.parametrize(
    ("cls", "key", "value"),
    [
        (JourneyEditor, "stage:awareness:name", "Awareness"),
        (PersonaEditor, "persona:busy-bob:name", "Busy Bob"),
    ],
)
def test_saved_state_shows_the_editor_offline(
    chromium: Any, tmp_path: Path, cls: type, key: str, value: str
) -> None:
    assert ANYWIDGET_AMD.exists(), ANYWIDGET_AMD
    page_file = _page(tmp_path, cls(build_small_journey()))
    # anywidget's runtime rejects its "ready" promise ("Failed to initialize model.", then once per
    # await of it) when the widget module is not bound within its own 2 s timer, and draws the
    # widget anyway. Two of the session's three CI runs saw it here, with the editor drawn right;
    # it never happened outside CI, not even with chromium's CPU throttled 40x, so the cause is
    # not known. Such a load is tried once more on a fresh page; the page that counts must log nothing.
    for attempt in (1, 2):
        page = chromium.new_page()
        try:
            h = Harness(page, url=page_file.as_uri())
            field = h.key(key)
            field.wait_for(timeout=20_000)
            assert field.input_value() == value
            if attempt == 1 and h.errors and set(h.errors) == {ANYWIDGET_SLOW_START}:
                continue
            assert h.errors == [] and h.blocked == []
            break
        finally:
            page.close()


def test_user_text_cannot_end_the_saved_state_element(chromium: Any, tmp_path: Path) -> None:
    # nbconvert escapes "</" in the state but not "<!--"; "<!--<script>" in user text would
    # make the browser read past the state's </script>: the state is sent with no "<" at all
    hostile = "a<!--<script>b</script>c"
    journey = build_small_journey()
    journey.update_stage("awareness", name=hostile)
    journey.name = hostile
    editor = JourneyEditor(journey)
    editor.journey.update_stage("purchase", name=hostile + "2")  # a delta in the state too
    page_file = _page(tmp_path, editor)
    assert "<!--" not in page_file.read_text(encoding="utf-8")
    page = chromium.new_page()
    try:
        h = Harness(page, url=page_file.as_uri())
        field = h.key("stage:awareness:name")
        field.wait_for(timeout=20_000)
        assert field.input_value() == hostile
        assert h.key("stage:purchase:name").input_value() == hostile + "2"
        assert h.errors == [] and h.blocked == []
    finally:
        page.close()
