"""Playwright helpers for the browser tests: one headless Chromium per session, offline pages.

The fixtures are registered once, in ``tests/conftest.py`` (importing them into
several test modules would start one Chromium per module).

* ``browser``: Debian's Chromium (``/usr/bin/chromium``) started once per session
  with :data:`cjm_jupyter.plots.export.CHROMIUM_FLAGS` (Playwright gives it a fresh
  temporary profile). Missing, the tests skip locally and **fail** when ``CI`` is set:
  CI must not pass by skipping.
* ``open_offline(path)``: opens a local HTML file in a new context where every request
  that would leave the machine is aborted (and recorded), waits until BokehJS has
  rendered every document, and returns an :class:`OfflinePage` that recorded console
  errors, page errors and blocked requests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

__all__ = ["CHROMIUM", "CanvasInk", "OfflinePage", "browser", "external_refs", "open_offline", "skip_or_fail"]

CHROMIUM = "/usr/bin/chromium"
_LOCAL = ("file://", "data:", "blob:", "http://127.0.0.1", "http://localhost")


def skip_or_fail(reason: str) -> None:
    """Skip on a developer machine; fail on CI (``CI`` set), where a skip would hide a gap."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: browser tests must run, not skip)")
    pytest.skip(reason)


class _ExternalRefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value and re.match(r"\s*(https?:)?//", value):
                self.found.append(f"<{tag} {name}={value}>")


def external_refs(page: str) -> list[str]:
    """Tags of an HTML page whose ``src``/``href`` points off the machine (http, https, //).

    Only markup counts: BokehJS's own code mentions CDN URLs (for optional MathJax
    and icon fonts) that it never loads for our plots; the browser tests prove that.
    """
    parser = _ExternalRefs()
    parser.feed(page)
    return parser.found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    if not os.access(CHROMIUM, os.X_OK):
        skip_or_fail(f"{CHROMIUM} not found: apt-get install chromium chromium-driver")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed: pip install -e '.[test]'")
    from cjm_jupyter.plots.export import CHROMIUM_FLAGS

    # Playwright passes its own fresh --user-data-dir (and refuses one in ``args``).
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        yield chromium
        chromium.close()


@dataclass(frozen=True)
class CanvasInk:
    """What the Bokeh canvases of a page hold, counted in the browser."""

    canvases: int
    pixels: int
    ink: int  # opaque pixels that are not (near) white
    colour: int  # opaque pixels with a clear hue (not white, grey or black)


_INK_JS = """els => els.map(c => {
  const ctx = c.width && c.height ? c.getContext('2d') : null;
  if (!ctx) return [0, 0, 0];
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let ink = 0, colour = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i + 3] < 16) continue;
    const r = d[i], g = d[i + 1], b = d[i + 2];
    if (r < 235 || g < 235 || b < 235) ink++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colour++;
  }
  return [c.width * c.height, ink, colour];
})"""


@dataclass
class OfflinePage:
    """A page opened by ``open_offline`` and what it reported."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def wait_for_bokeh(self, documents: int = 1, timeout: float = 30_000) -> None:
        """Wait until BokehJS has ``documents`` documents, all idle (rendered)."""
        self.page.wait_for_function(
            """n => window.Bokeh !== undefined && Bokeh.documents.length >= n
                    && Bokeh.documents.every(d => d.is_idle)""",
            arg=documents,
            polling=50,  # the default (animation frames) stalls in background tabs
            timeout=timeout,
        )

    def canvas_ink(self) -> CanvasInk:
        """Count drawn pixels over every canvas (CSS locators pierce Bokeh's shadow DOM)."""
        rows = self.page.locator("canvas").evaluate_all(_INK_JS)
        return CanvasInk(
            canvases=len(rows),
            pixels=sum(r[0] for r in rows),
            ink=sum(r[1] for r in rows),
            colour=sum(r[2] for r in rows),
        )

    def assert_clean(self) -> None:
        """No page error, no console error and no request that tried to leave the machine."""
        assert self.page_errors == [], self.page_errors
        assert self.console_errors == [], self.console_errors
        assert self.blocked == [], f"tried to load from the network: {self.blocked}"

    def assert_drawn(self, *, min_ink: int = 2_000, min_colour: int = 0) -> CanvasInk:
        """The page has canvases with a real drawing on them (not blank, not only white)."""
        ink = self.canvas_ink()
        assert ink.canvases > 0, "no Bokeh canvas on the page"
        assert ink.ink >= min_ink, f"canvas looks blank: {ink}"
        assert ink.colour >= min_colour, f"canvas has (almost) no colour: {ink}"
        return ink

    def hover_glyphs(self, per_renderer: int = 12) -> set[str]:
        """Hover the mouse over the glyphs of every figure; return the tooltip texts seen.

        Glyph positions come from BokehJS's views (screen coordinates ``sx``/``sy``,
        or the centre of ``sleft``..``sbottom`` for boxes), at most ``per_renderer``
        of each renderer. The viewport grows to the whole page so every glyph is on screen.
        """
        self.page.bring_to_front()  # a background tab gets (almost) no animation frames
        size = self.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        self.page.set_viewport_size({"width": max(size[0], 800), "height": max(size[1], 600)})
        points = self.page.evaluate(_GLYPH_POINTS_JS, per_renderer)
        assert points, "found no glyph to hover"
        seen: set[str] = set()
        for x, y in points:
            self.page.mouse.move(x, y)
            seen.update(self.page.evaluate(_TOOLTIPS_JS))
        return seen


_GLYPH_POINTS_JS = """limit => {
  const points = [];
  for (const view of Bokeh.index.all_views()) {
    const glyph = view.glyph;
    if (glyph == null || view.plot_view == null) continue;
    const box = view.plot_view.canvas_view.el.getBoundingClientRect();
    const n = Math.min(limit, (glyph.sx ?? glyph.sleft ?? []).length);
    for (let i = 0; i < n; i++) {
      const x = glyph.sx ? glyph.sx[i] : (glyph.sleft[i] + glyph.sright[i]) / 2;
      const y = glyph.sy ? glyph.sy[i] : (glyph.stop[i] + glyph.sbottom[i]) / 2;
      if (Number.isFinite(x) && Number.isFinite(y)) points.push([box.left + x, box.top + y]);
    }
  }
  return points;
}"""

# Tooltips live in nested shadow roots; textContent is what the user reads, entities decoded.
_TOOLTIPS_JS = """() => {
  const out = [];
  const walk = root => {
    for (const el of root.querySelectorAll("*")) {
      if (el.classList.contains("bk-Tooltip") && el.shadowRoot) {
        const content = el.shadowRoot.querySelector(".bk-tooltip-content");
        if (content && content.textContent.trim()) out.push(content.textContent);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}"""


def _route(blocked: list[str]) -> Callable[[Route], Any]:
    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(_LOCAL):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    return handle


@pytest.fixture
def open_offline(browser: Browser) -> Iterator[Callable[..., OfflinePage]]:
    """``open_offline(path, documents=1, wait=True)``: open a local page offline.

    With ``wait=True`` it returns once BokehJS has rendered ``documents`` documents.
    With ``wait=False`` it returns as soon as the navigation is under way, so the
    test can build the next plot while Chromium renders this one; call
    :meth:`OfflinePage.wait_for_bokeh` before looking at the page.
    Every page of a test shares one browser context, closed after the test.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900})

    def open_(path: Path, *, documents: int = 1, wait: bool = True) -> OfflinePage:
        page = context.new_page()
        result = OfflinePage(page)
        page.route("**/*", _route(result.blocked))
        page.on("console", lambda m: m.type == "error" and result.console_errors.append(m.text))
        page.on("pageerror", lambda e: result.page_errors.append(str(e)))
        page.goto(Path(path).resolve().as_uri(), wait_until="commit" if not wait else "load")
        if wait:
            result.wait_for_bokeh(documents)
        return result

    yield open_
    context.close()
