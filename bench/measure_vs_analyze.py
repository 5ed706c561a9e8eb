"""``measure(segment_col=...)`` against ``analyze(segment_col=...)`` on the same log (issue 15's 1.2x target).

Run through ``python bench/bench_analytics.py --measure [--events 10000000] [--id-type int64]
[--repeat 3] [--out /tmp/cjm-bench]``. On the log of :mod:`loggen` (its
``segment`` column: 4 segments), each approach runs in its own fresh
interpreter (import included), interleaved ``--repeat`` times:

* ``analyze``: ``analytics.analyze(path, journey, mapping=..., segment_col="segment")``
  (the seven default metrics, split by segment);
* ``measure``: ``analytics.measure(path, journey, surveys, mapping=...,
  segment_col="segment", period="2026-Q1")``: funnel and exits overall and per
  segment, the survey satisfaction overall and per segment (the respondents'
  segments read from the log), all written to the journey.

``surveys`` is a table of about 1 answer per 20 customers (customer id as
text, touchpoint id, score 1-5), written once beside the log and read into
pandas before the timed call. The period is given so ``measure`` does not
compute the default one (``analyze`` has no period). Reported: the median
whole-process wall time, in-process time and the largest peak RSS of each,
and the ratio measure / analyze (target <= 1.2x).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import _proc
import loggen

APPROACHES = ("analyze", "measure")
TARGET_RATIO = 1.2
#: one survey answer per this many customers
SURVEY_EVERY = 20


def write_surveys(glob: str, out: Path, seed: int) -> Path:
    """Write (or reuse) the survey answers of the log ``glob`` as Parquet under ``out``."""
    path = out / f"surveys_{Path(glob).parent.name}.parquet"
    if path.exists():
        return path
    import duckdb

    _, mapping = loggen.make_journey()
    tps = sorted(set(mapping.values()))
    tp_list = ", ".join(f"'{tp}'" for tp in tps)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    tmp = path.with_suffix(".tmp")
    # deterministic: every value is a hash of (customer, seed)
    con.execute(
        f"""COPY (
  SELECT CAST(customer_id AS VARCHAR) AS customer_id,
    ([{tp_list}])[1 + CAST(hash(customer_id, {int(seed)}, 1) % {len(tps)} AS INTEGER)] AS touchpoint_id,
    1 + CAST(hash(customer_id, {int(seed)}, 2) % 5 AS INTEGER) AS score
  FROM (SELECT DISTINCT customer_id FROM read_parquet('{glob}')) c
  WHERE hash(customer_id, {int(seed)}, 3) % {SURVEY_EVERY} = 0
  ORDER BY customer_id
) TO '{tmp}' (FORMAT parquet)"""
    )
    con.close()
    os.replace(tmp, path)
    return path


def run_child(approach: str, path: str, surveys_path: str) -> dict[str, Any]:
    """One approach in this process: its in-process time and peak RSS."""
    import warnings

    import duckdb

    from cjm_jupyter import analytics

    journey, mapping = loggen.make_journey()
    surveys = None
    if approach == "measure":
        surveys = duckdb.sql(f"SELECT * FROM read_parquet('{surveys_path}')").df()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unmapped-events warning
        start = time.perf_counter()
        if approach == "analyze":
            out = analytics.analyze(path, journey, mapping=mapping, segment_col="segment", progress=False)
        else:
            out = analytics.measure(
                path,
                journey,
                surveys,
                mapping=mapping,
                segment_col="segment",
                period="2026-Q1",
                progress=False,
            )
        work = time.perf_counter() - start
    return {"work_s": work, "tables": sorted(out), "peak_bytes": _proc.vm_hwm_bytes()}


def measure_one(approach: str, path: str, surveys_path: Path) -> dict[str, Any]:
    """One fresh interpreter running ``approach``: the whole process's wall time and its own report."""
    args = ["--child", approach, path, str(surveys_path)]
    return _proc.run_child(__file__, *args, what=f"{approach} on {path}")


def main(args: Any) -> int:
    """The ``--measure`` mode of ``bench_analytics.py`` (``args``: its parsed options)."""
    id_type = getattr(args, "id_type", "int64")
    meta = loggen.generate(args.events, args.out, args.seed, id_type)
    surveys_path = write_surveys(meta["glob"], args.out, args.seed)
    print(f"log {id_type}: {meta['events']:,} events, {meta['customers']:,} customers  {meta['glob']}")
    print(f"surveys: {surveys_path}", flush=True)
    runs: dict[str, list[dict[str, Any]]] = {a: [] for a in APPROACHES}
    for _ in range(max(1, args.repeat)):
        for approach in APPROACHES:  # interleaved: a change in machine load hits both
            runs[approach].append(measure_one(approach, meta["glob"], surveys_path))
    print(f"\n{'approach':<10}{'wall s':>9}{'work s':>9}{'peak GB':>9}  all walls")
    row: dict[str, Any] = {"events": meta["events"], "id_type": id_type, "repeat": args.repeat}
    for approach, rs in runs.items():
        row[approach] = {
            "wall_s": statistics.median(r["wall_s"] for r in rs),
            "work_s": statistics.median(r["work_s"] for r in rs),
            "peak_gb": max(r["peak_bytes"] for r in rs) / 1e9,
            "all_wall_s": [round(r["wall_s"], 2) for r in rs],
            "tables": rs[0]["tables"],
        }
        a = row[approach]
        print(f"{approach:<10}{a['wall_s']:>9.2f}{a['work_s']:>9.2f}{a['peak_gb']:>9.2f}  {a['all_wall_s']}")
    row["ratio_wall"] = row["measure"]["wall_s"] / row["analyze"]["wall_s"]
    row["ratio_work"] = row["measure"]["work_s"] / row["analyze"]["work_s"]
    ok = row["ratio_wall"] <= TARGET_RATIO
    print(f"\nmeasure / analyze = {row['ratio_wall']:.2f}x wall, {row['ratio_work']:.2f}x work "
          f"(target <= {TARGET_RATIO}x)  {'OK' if ok else 'MISSED'}")  # fmt: skip
    target = args.json or args.out / f"measure_{args.events}_{id_type}.json"
    tmp = Path(str(target) + ".tmp")
    tmp.write_text(json.dumps({**row, "command": " ".join([Path(sys.executable).name, *sys.argv])}, indent=1))
    os.replace(tmp, target)
    print(f"JSON: {target}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(run_child(sys.argv[2], sys.argv[3], sys.argv[4])))
    else:
        raise SystemExit("run through: python bench/bench_analytics.py --measure")
