"""Child processes of the analytics benchmarks: run one in a fresh interpreter, read its peak memory.

Each approach of ``bench_analytics.py`` (and its ``--matrix`` and ``--measure``
modes) runs in its own interpreter, so its peak resident set size is its
own and its wall time includes the imports. The child prints one JSON
object as its last stdout line; :func:`run_child` returns it with the
whole process's wall time added as ``wall_s``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def vm_hwm_bytes() -> int:
    """Peak resident set size of this process (``VmHWM``), in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def run_child(script: str, *args: str, what: str) -> dict[str, Any]:
    """Run ``python script args...`` in a fresh interpreter; its last stdout line as JSON, plus ``wall_s``.

    ``what`` names the run in the error raised (``SystemExit`` with the end of
    its stderr) when the child fails. Warnings are silenced in the child
    (``PYTHONWARNINGS=ignore``): their printing is not the work measured.
    """
    cmd = [sys.executable, script, *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})  # fmt: skip
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{what} failed:\n{proc.stderr[-4000:]}")
    out: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = wall
    return out
