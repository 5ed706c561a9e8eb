"""Benchmark ``journey.diff`` on a map of 20,000 touchpoints.

Cases (best of ``--repeat``, in ms):

* ``same``: a journey against its copy (no change);
* ``few``: some 200 renames, a stage moved to the front, a touchpoint moved to
  another stage, one removed, one added (``journey.batch()``);
* ``all``: every touchpoint's ``channel`` changed (20,000 change rows);
* ``summary few`` / ``summary all``: ``.summary()`` of those diffs.

Baseline measured in the same run: ``changed_ids`` on the touchpoints frame of
``few`` (the row-hash comparison the diff starts from), so ratios hold on a
loaded machine. Target (issue 12): a diff of 20,000 touchpoints well under a second.

Run: ``.venv/bin/python bench/bench_diff.py [--touchpoints 20000] [--repeat 5]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cjm_jupyter import Journey  # noqa: E402
from cjm_jupyter.model.diff import changed_ids  # noqa: E402

STAGES = 50


def _best(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n = args.touchpoints
    j = Journey("Big")
    stages = [j.add_stage(f"S{i}", id=f"s{i}") for i in range(STAGES)]
    j.touchpoints = pd.DataFrame(
        {
            "id": [f"tp-{i}" for i in range(n)],
            "stage_id": [stages[i % STAGES] for i in range(n)],
            "name": [f"Touchpoint {i}" for i in range(n)],
            "channel": ["web"] * n,
        }
    )
    few = j.copy()
    with few.batch():
        for i in range(0, n, max(1, n // 200)):
            few.update_touchpoint(f"tp-{i}", name=f"Renamed {i}")
        few.move_stage(stages[10], 0)
        few.move_touchpoint("tp-5", stage=stages[3])
        few.remove_touchpoint("tp-7")
        few.add_touchpoint(stages[1], "New one")
    every = j.copy()
    every.touchpoints = j.touchpoints.assign(channel="app")
    base = _best(lambda: changed_ids(j.touchpoints, few.touchpoints), args.repeat)
    d_few, d_all = j.diff(few), j.diff(every)
    rows = {
        "same": _best(lambda: j.diff(j.copy()), args.repeat),
        "few": _best(lambda: j.diff(few), args.repeat),
        "all": _best(lambda: j.diff(every), args.repeat),
        "summary few": _best(d_few.summary, args.repeat),
        "summary all": _best(d_all.summary, max(1, args.repeat // 2)),
    }
    print(f"{n:,} touchpoints; changes: few={len(d_few):,}, all={len(d_all):,}")
    print(f"baseline changed_ids: {base:8.1f} ms")
    for name, ms in rows.items():
        print(f"{name:<20}: {ms:8.1f} ms  ({ms / base:5.1f}x baseline)")


if __name__ == "__main__":
    main()
