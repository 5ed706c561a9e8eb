"""Run an editor's ESM in headless Debian chromium without Jupyter.

The page imports the bundle from a blob URL and renders it against a small
fake anywidget model (``get/set/on/off/save_changes/send``) that records the
messages sent. With ``live=widget`` the fake model forwards each message to
a real Python widget, through its comm as a kernel would receive it, and
plays back what the widget's comm sent (state updates, custom messages) in
the order it sent them, as a widget manager would. Messages the widget sends
on its own (a change made in Python) wait until :meth:`Harness.pump`.
Every request that would leave the machine is aborted.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cjm_jupyter.plots.export import CHROMIUM_FLAGS

from .paths import STATIC

CHROMIUM = Path("/usr/bin/chromium")
ARGS = list(CHROMIUM_FLAGS)  # the flags every project Chromium uses

PAGE = """<!doctype html><html><head><meta charset="utf-8"></head>
<body><div id="root"></div><script>
window.__sent = [];
window.makeModel = (state) => {
  const listeners = {};
  const fire = (event, ...args) => (listeners[event] || []).slice().forEach((fn) => fn(...args));
  return {
    get: (key) => state[key],
    set: (key, value) => { state[key] = value; fire(`change:${key}`); },
    on: (event, fn) => { (listeners[event] = listeners[event] || []).push(fn); },
    off: (event, fn) => { listeners[event] = (listeners[event] || []).filter((f) => f !== fn); },
    save_changes: () => {},
    send: (msg) => {
      if (window.__offline) throw new Error("no comm");
      window.__sent.push(msg);
      if (window.__kernel) window.__kernel(msg).then(window.__deliver);
    },
    emit: fire,
    play: (events) => {
      for (const ev of events) {
        if (ev.method === "update") {
          for (const [key, value] of Object.entries(ev.state)) { state[key] = value; fire(`change:${key}`); }
        } else if (ev.method === "custom") fire("msg:custom", ev.content, []);
      }
    },
  };
};
// What the kernel's comm sent, played back on the page's model (every view of it hears it).
window.__deliver = (events) => window.__model.play(events);
</script></body></html>"""

MOUNT = """async ([src, state]) => {
  const url = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
  const mod = await import(url);
  const widget = typeof mod.default === "function" ? await mod.default() : mod.default;
  window.__model = window.makeModel(state);
  window.__widget = widget;
  if (widget.initialize) await widget.initialize({ model: window.__model });
  const t0 = performance.now();
  window.__cleanup = await widget.render({ model: window.__model, el: document.getElementById("root") });
  document.body.getBoundingClientRect(); // force layout: the user sees a laid-out map
  return performance.now() - t0;
}"""


def require_chromium() -> None:
    """Skip without Debian chromium, but fail under CI, where it must be installed."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing on CI (install Debian's chromium)")
        pytest.skip(f"{CHROMIUM} not installed")


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """A headless chromium of its own (Playwright, no browser download), for scripts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield b
        finally:
            b.close()


def shared_chromium(request: Any) -> Iterator[Any]:
    """Body of the test modules' ``chromium`` fixture.

    Reuses the session's Chromium (the ``browser`` fixture of tests/browser.py)
    when it is registered: Playwright's sync API cannot start a second
    instance while one runs. Without it, launches one for the module.
    """
    require_chromium()
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    with launch_chromium() as own:
        yield own


def checked_harness(chromium: Any) -> Iterator[Harness]:
    """Body of the test modules' ``harness`` fixture: a fresh page, checked on the way out.

    After the test, the page must have logged no script error and made no
    request that tried to leave the machine.
    """
    page = chromium.new_page()
    h = Harness(page)
    yield h
    assert h.errors == [], h.errors
    assert h.blocked == [], f"requests that tried to leave the machine: {h.blocked}"
    page.close()


def last_sent(h: Harness) -> dict[str, Any]:
    """The last message the view sent, without its (checked) ``request_id``."""
    sent = h.sent()
    assert sent, "nothing was sent"
    msg = dict(sent[-1])
    assert isinstance(msg.pop("request_id"), int)
    return msg


def _local_only(route: Any) -> None:
    url = route.request.url
    if url.startswith(("file:", "blob:", "data:", "about:", "http://127.0.0.1")):
        route.continue_()
    else:
        route.abort()


class Harness:
    """One page with one editor view mounted against a fake model.

    Parameters
    ----------
    page : playwright Page
        A new page.
    url : str, optional
        Open this (local) page instead of the fake-model page.
    """

    def __init__(self, page: Any, url: str | None = None) -> None:
        self.page = page
        self.blocked: list[str] = []
        page.route("**/*", _local_only)
        page.on("requestfailed", lambda r: self.blocked.append(r.url))
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        if url is None:
            page.set_content(PAGE)
        else:
            page.goto(url)

    def mount(self, bundle: str, state: dict[str, Any], live: Any = None) -> float:
        """Render ``bundle`` (file name in cjm_jupyter/static) with model ``state``; return ms."""
        if live is not None:
            self.live = live
            self.outbox: list[dict[str, Any]] = []
            self.handle_ms: list[float] = []
            self.handle_cpu_ms: list[float] = []
            live.comm.publish_msg = self._publish  # the widget's comm, as a kernel would send
            self.page.expose_function("__kernel", self._kernel)
        src = (STATIC / bundle).read_text(encoding="utf-8")
        return float(self.page.evaluate(MOUNT, [src, state]))

    def add_view(self) -> None:
        """Render a second view of the same model below the first (as a second output would)."""
        self.page.evaluate(
            """async () => { const el = document.createElement("div"); el.className = "view2";
            document.body.append(el); await window.__widget.render({ model: window.__model, el }); }"""
        )

    def _publish(self, msg_type: str, data: Any = None, *_args: Any, **_kwargs: Any) -> None:
        if msg_type == "comm_msg" and isinstance(data, dict):
            # Through JSON, as the wire does: what the page gets is exactly what Jupyter would send.
            self.outbox.append(json.loads(json.dumps(data)))

    def _kernel(self, msg: dict[str, Any]) -> list[dict[str, Any]]:
        if isinstance(msg, dict) and msg.get("kind") == "cjm-echo":  # the bridge alone, for timing
            return [{"method": "custom", "content": msg}]
        t0 = self.received = time.perf_counter()
        cpu = time.thread_time()
        self.live._handle_custom_msg(msg, [])
        # Wall time waits for a core too (the browser draws meanwhile); CPU time is Python's own work.
        self.handle_cpu_ms.append((time.thread_time() - cpu) * 1e3)
        self.handle_ms.append((time.perf_counter() - t0) * 1e3)
        out, self.outbox = self.outbox, []
        return out

    def pump(self) -> int:
        """Deliver what the live widget sent on its own (Python-side changes); return how many messages."""
        out, self.outbox = self.outbox, []
        if out:
            self.page.evaluate("(events) => window.__deliver(events)", out)
        return len(out)

    def sent(self) -> list[dict[str, Any]]:
        """Messages the view sent, oldest first."""
        return list(self.page.evaluate("window.__sent"))

    def reply(self, request_id: int, ok: bool = True, error: str | None = None) -> None:
        """Answer a request as the kernel would."""
        content = {"kind": "cjm-reply", "request_id": request_id, "ok": ok, "error": error}
        self.page.evaluate("(c) => window.__model.emit('msg:custom', c, [])", content)

    def set_state(self, key: str, value: Any) -> None:
        """Change a synced trait as the kernel would."""
        self.page.evaluate("([k, v]) => window.__model.set(k, v)", [key, value])

    def key(self, key: str) -> Any:
        """The control with ``data-key=key`` (Playwright CSS pierces the Shadow DOM)."""
        return self.page.locator(f'[data-key="{key}"]')


#: The editor's synced traits a view reads (``specs``: what its controls offer).
SYNCED = ("snapshot", "delta", "specs", "undo_depth", "redo_depth")


def editor_state(widget: Any) -> dict[str, Any]:
    """The synced state of a Python editor, as the fake model's initial state (frames as lists)."""
    state = {k: getattr(widget, k) for k in SYNCED}
    return json.loads(json.dumps(state))


def wire_state(widget: Any) -> dict[str, Any]:
    """The synced state of a Python editor as its comm sends it (frames as JSON text, column by column).

    Quicker to hand to the page than :func:`editor_state` for large maps: a few strings instead
    of one object per row.
    """
    state = widget.get_state()
    return json.loads(json.dumps({k: state[k] for k in SYNCED}))
