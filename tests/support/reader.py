"""Open a shared HTML file the way it reaches a reader: alone, offline, nothing served.

``read_alone(browser, html, tmp_path)`` copies the file into an empty folder of
its own, opens it over ``file://`` in a fresh browser context where every
request that is not ``file:``, ``data:`` or ``blob:`` is aborted (and recorded;
no server runs), waits until every Bokeh document has rendered and every saved
editor has drawn, and returns a :class:`ReaderPage` with what the page showed
and logged. Use it with the session's ``browser`` fixture (tests/support/browser.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .browser import CanvasInk, OfflinePage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

__all__ = ["ReaderPage", "read_alone", "read_in_place"]

#: In-page schemes: nothing leaves the machine and no server is needed.
_IN_PAGE = ("file://", "data:", "blob:")
#: The badge every editor without a kernel shows (js/lib/readonly.js).
READ_ONLY_BADGE = "Read-only copy — no kernel"


@dataclass
class ReaderPage(OfflinePage):
    """An :class:`~tests.support.browser.OfflinePage` plus what the saved editors show."""

    path: Path = field(default=Path())

    def editor_count(self) -> int:
        """How many editors drew (a ``.cjm-editor`` root, inside shadow DOM)."""
        return self.page.locator(".cjm-editor").count()

    def badges(self) -> list[str]:
        """Texts of the read-only badges (one per editor)."""
        return self.page.locator(".cjm-readonly").all_inner_texts()

    def field_values(self, prefix: str) -> list[str]:
        """Values of the editor fields whose ``data-key`` starts with ``prefix`` (e.g. ``stage:``)."""
        return self.page.locator(f'[data-key^="{prefix}"]').evaluate_all("els => els.map(e => e.value)")

    def pwned(self) -> Any:
        """``window.__pwned``: set only if user text ran as script."""
        return self.page.evaluate("window.__pwned")

    def assert_reader_sees(self, *, plots: int, editors: int) -> CanvasInk | None:
        """Every plot drew, every editor drew read-only with its badge, nothing logged or fetched."""
        self.assert_clean()
        assert self.editor_count() == editors
        assert self.badges() == [READ_ONLY_BADGE] * editors
        assert self.pwned() is None
        return self.assert_drawn() if plots else None


def read_in_place(browser: Browser, html: Path, *, plots: int, editors: int) -> ReaderPage:
    """Open ``html`` where it is (its folder may hold its scripts), offline, and wait until it rendered.

    Every request that is not ``file:``, ``data:`` or ``blob:`` is aborted and recorded.

    Parameters
    ----------
    browser : playwright Browser
        The session's chromium.
    html : Path
        The page.
    plots, editors : int
        Bokeh documents and editors the page must render (waited for).
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    result = ReaderPage(page, path=html)

    def route(r: Route) -> None:
        if r.request.url.startswith(_IN_PAGE):
            r.continue_()
        else:
            result.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
    page.on("pageerror", lambda e: result.page_errors.append(str(e)))
    page.goto(html.as_uri(), wait_until="load")
    if plots:
        result.wait_for_bokeh(plots)
    if editors:
        page.wait_for_function(
            "n => document.querySelectorAll('.cjm-editor').length >= n"
            " || [...document.querySelectorAll('*')].filter(e => e.shadowRoot"
            " && e.shadowRoot.querySelector('.cjm-editor')).length >= n",
            arg=editors,
            polling=100,
            timeout=30_000,
        )
    return result


def read_alone(browser: Browser, html: Path, tmp_path: Path, *, plots: int, editors: int) -> ReaderPage:
    """Open a copy of ``html`` alone in an empty folder, offline, and wait until it rendered.

    Parameters
    ----------
    browser : playwright Browser
        The session's chromium.
    html : Path
        The exported page.
    tmp_path : Path
        Where to make the empty folder.
    plots, editors : int
        Bokeh documents and editors the page must render (waited for).
    """
    alone = tmp_path / "reader"
    alone.mkdir()
    copy = alone / html.name
    shutil.copyfile(html, copy)
    assert sorted(p.name for p in alone.iterdir()) == [html.name]
    return read_in_place(browser, copy, plots=plots, editors=editors)
