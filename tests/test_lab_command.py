"""``bash .ci/lab``: the README's one command into JupyterLab on ``examples/``.

The script is started as a user starts it (extra arguments passed through to
``jupyter lab``), as root too when the tests run as root (JupyterLab refuses
root without ``--allow-root``, which the script adds). With the package and
JupyterLab already in ``.venv`` it must neither run ``.ci/setup`` nor pip:
``PIP_NO_INDEX`` makes any pip call fail instead of reaching PyPI.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .support.lab_server import _env, free_port

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
TOKEN = "front-door-test-token"


def _venv_has(module: str) -> bool:
    if not VENV_PYTHON.exists():
        return False
    done = subprocess.run([str(VENV_PYTHON), "-c", f"import {module}"], capture_output=True)
    return done.returncode == 0


pytestmark = [
    pytest.mark.lab,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (_venv_has("cjm_jupyter") and _venv_has("jupyterlab")),
        reason="cjm_jupyter and jupyterlab are not both installed in .venv: "
        ".ci/lab would install them from PyPI",
    ),
]


def _read_until(proc: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """The script's output up to the first line containing ``marker``; fails after ``timeout`` s."""
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=0.5):
                continue
            line = proc.stdout.readline()
            if not line:  # the script ended
                break
            seen.append(line)
            if marker in line:
                return "".join(seen)
    raise AssertionError(f"no {marker!r} within {timeout} s; output:\n" + "".join(seen))


def test_ci_lab_starts_jupyterlab_on_the_examples_and_prints_the_link(tmp_path: Path) -> None:
    port = free_port()
    env = {**_env(tmp_path), "PIP_NO_INDEX": "1"}
    extra = [
        "--no-browser", "--port", str(port), "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    proc = subprocess.Popen(
        ["bash", str(ROOT / ".ci" / "lab"), *extra],
        cwd=tmp_path,  # the script finds the checkout from its own path
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        link = f"http://127.0.0.1:{port}/lab/tree/quickstart.ipynb?token={TOKEN}"
        out = _read_until(proc, link, timeout=90)
        assert "setup:" not in out and "installing the [lab] extra" not in out  # offline, no setup
        assert "Open this link (first notebook: quickstart.ipynb)" in out
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/contents", headers={"Authorization": f"token {TOKEN}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            listing = json.load(response)
        served = sorted(item["name"] for item in listing["content"] if item["type"] == "notebook")
        assert served == sorted(p.name for p in (ROOT / "examples").glob("*.ipynb"))
        assert "quickstart.ipynb" in served
    finally:
        # the server replaced the script's shell (exec): its group holds it and the watcher
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
