"""Start a throw-away JupyterLab on 127.0.0.1 (no token, temp config) for end-to-end tests."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in (
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
    ):
        env[name] = str(base / name.lower())
        Path(env[name]).mkdir(parents=True, exist_ok=True)
    news = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True, exist_ok=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    return env


@contextmanager
def jupyter_lab(root: Path, scratch: Path, timeout: float = 90) -> Iterator[str]:
    """Run JupyterLab serving ``root``; yield its base URL; kill its process group after."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={root}",
        "--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    log = (scratch / "lab.log").open("wb")
    proc = subprocess.Popen(
        cmd, env=_env(scratch), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {scratch / 'lab.log'}") from None
                time.sleep(0.25)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def local_only(route: Any) -> None:
    """Playwright route handler: let through the local server and inline data, abort the rest."""
    url = route.request.url
    route.continue_() if url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort()


def open_and_run_all(page: Any, url: str, notebook: str) -> None:
    """Open ``notebook`` in JupyterLab at ``url`` offline, wait for the kernel, run every cell."""
    page.route("**/*", local_only)
    page.goto(f"{url}/lab/tree/{notebook}")
    page.get_by_text(re.compile(r"ipykernel\) \| Idle")).wait_for(timeout=60_000)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")


def no_windowing(scratch: Path) -> None:
    """Make the JupyterLab started by :func:`jupyter_lab` on ``scratch`` render every cell.

    JupyterLab 4 renders only the cells in view ("windowing"); tests that read
    every output need all of them in the DOM.
    """
    tracker = scratch / "jupyterlab_settings_dir" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')


def change_theme(page: Any, name: str, settle_ms: int) -> None:
    """Switch JupyterLab to the theme ``name`` and wait until the page says so.

    ``settle_ms`` is the extra wait for what repaints after the body's
    ``data-jp-theme-light`` attribute changes (CSS variables, Bokeh canvases).
    """
    page.evaluate(f"window.jupyterapp.commands.execute('apputils:change-theme', {{theme: '{name}'}})")
    page.wait_for_function(
        "(dark) => document.body.dataset.jpThemeLight === (dark ? 'false' : 'true')",
        arg="Dark" in name,
        timeout=30_000,
    )
    page.wait_for_timeout(settle_ms)


def notebook_screenshot(page: Any, path: Path) -> None:
    """The open notebook from top to bottom, one viewport at a time, stacked into one PNG."""
    from io import BytesIO

    from PIL import Image

    notebook = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    box = notebook.bounding_box()
    handle = notebook.element_handle()
    height = page.evaluate("el => el.scrollHeight", handle)
    shots, top = [], 0
    while top < height:
        page.evaluate("([el, y]) => { el.scrollTop = y; }", [handle, top])
        page.wait_for_timeout(400)
        shots.append(Image.open(BytesIO(page.screenshot(clip=box))))
        top += int(box["height"])
    sheet = Image.new("RGB", (int(box["width"]), int(box["height"]) * len(shots)), "white")
    for i, shot in enumerate(shots):
        sheet.paste(shot, (0, int(box["height"]) * i))
    sheet.save(path)
    page.evaluate("el => { el.scrollTop = 0; }", handle)
