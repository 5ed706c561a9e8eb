"""How long ``import cjm_jupyter`` takes, against ``import pandas`` on the same machine.

Run with ``python bench/bench_import.py [--runs 9]``.

Each import runs in a fresh interpreter (``python -c``), timed inside it with
``time.perf_counter`` around the import statement only, so interpreter start
is not counted. The two imports alternate run by run, so a machine shared with
other jobs slows both alike; the medians and their ratio are printed. Then one
``-X importtime`` run of ``import cjm_jupyter`` gives the ten modules with the
largest cumulative import time, and the top-level packages that
``import cjm_jupyter`` loads beyond what ``import pandas`` loads.

Target (issue 14, item 6): ``import cjm_jupyter`` under 1.5x ``import pandas``.
cjm_jupyter imports pandas itself, so the ratio is at least 1.0.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

TARGET = 1.5

_TIMED = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
_ADDED = (
    "import sys; import pandas; before = set(sys.modules); import cjm_jupyter; "
    "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
)


def time_import(module: str) -> float:
    """Seconds ``import module`` takes in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMED.format(module=module)], capture_output=True, text=True, check=True
    )
    return float(out.stdout)


def top_modules(count: int = 10) -> list[tuple[float, float, str]]:
    """(cumulative s, self s, module) of the ``count`` slowest imports under ``import cjm_jupyter``."""
    command = [sys.executable, "-X", "importtime", "-c", "import cjm_jupyter"]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    rows = []
    for line in out.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[0].strip().isdigit():
            rows.append((int(parts[1]) / 1e6, int(parts[0]) / 1e6, parts[2].rstrip()))
    return sorted(rows, reverse=True)[:count]


def added_packages() -> str:
    """Top-level packages ``import cjm_jupyter`` loads that ``import pandas`` did not."""
    out = subprocess.run([sys.executable, "-c", _ADDED], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per import (default 9)")
    args = parser.parse_args()

    ours, pandas = [], []
    for _ in range(args.runs):
        pandas.append(time_import("pandas"))
        ours.append(time_import("cjm_jupyter"))
    med_ours, med_pandas = statistics.median(ours), statistics.median(pandas)
    ratio = med_ours / med_pandas
    print(f"medians over {args.runs} fresh interpreters each (interleaved):")
    print(f"  import pandas       {med_pandas:7.3f} s")
    print(f"  import cjm_jupyter  {med_ours:7.3f} s")
    verdict = "met" if ratio < TARGET else "NOT met"
    print(f"  ratio               {ratio:7.2f}x  (target: under {TARGET}x pandas: {verdict})")
    print("\ntop 10 by cumulative import time (one -X importtime run of import cjm_jupyter):")
    print(f"  {'cumulative':>10}  {'self':>8}  module")
    for cumulative, own, name in top_modules():
        print(f"  {cumulative:9.3f}s  {own:7.3f}s  {name}")
    print(f"\npackages loaded beyond import pandas: {added_packages()}")


if __name__ == "__main__":
    main()
