"""The analytics benchmark matrix: id type x transition level x segments, ours against DuckDB.

Run through ``python bench/bench_analytics.py --matrix [--events 10000000] [--cells ...]``
(see :func:`main` for the options). On the log of :mod:`loggen` (one log,
three id types), every cell times, each in its own fresh interpreter
(import included):

* ``ours``: ``analytics.analyze(path, journey, metrics=["funnel", "transitions",
  "stage_times", "variants"], level=..., segment_col=...)`` on the Parquet glob;
* ``duckdb``: the same four results as hand-written DuckDB queries on the same
  glob: funnel (customers per stage), directly-follows transitions at the
  level with repeats collapsed (ties at one instant ordered by stage,
  touchpoint, event name, as ours), time between consecutive stages
  (quartiles of first-reach differences), top-10 stage variants; grouped by
  segment in the segmented cells.

Per approach: the whole process's wall time, the in-process time of the
work, and the peak RSS (``VmHWM``) at the end. The first run of each cell
asserts that both give the same funnel customers and the same transition
counts and customers, so the two measure equal work.
"""

from __future__ import annotations

import fnmatch
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import loggen
from _proc import run_child, vm_hwm_bytes

LEVELS = ("stage", "touchpoint", "event")
SEGMENTS = ("none", "seg")
METRICS = ["funnel", "transitions", "stage_times", "variants"]
APPROACHES = ("ours", "duckdb")
TARGET_RATIO, TARGET_GB, TARGET_GB_100M = 1.0, 1.5, 6.0
#: the 1.5 GB target is set for 10M events (the 100M target is 6 GB)
MEMORY_TARGET_EVENTS = 10_000_000


def all_cells() -> list[str]:
    """Every cell name ``id_type:level:segments``, in table order."""
    return [f"{i}:{lv}:{s}" for i in loggen.ID_TYPES for lv in LEVELS for s in SEGMENTS]


def select_cells(patterns: str) -> list[str]:
    """The cells matching any comma-separated pattern (``int64:stage:none``, ``*:event:*``, ``all``)."""
    if patterns in ("", "all"):
        return all_cells()
    chosen = [c for c in all_cells() if any(fnmatch.fnmatchcase(c, p) for p in patterns.split(","))]
    if not chosen:
        raise SystemExit(f"no cell matches {patterns!r}; cells are id:level:segments, e.g. {all_cells()[0]}")
    return chosen


# --- the hand-written DuckDB queries ---------------------------------------------------


def mapping_rows() -> str:
    """VALUES rows of the mapping table: event, its rank ``ev``, stage and touchpoint ids and orders."""
    rows = []
    ranked = sorted(loggen.event_names(), key=lambda e: (e[1], e[2], e[0]))  # ours' tie order
    for ev, (name, s, tp) in enumerate(ranked):
        rows.append(f"('{name}', {ev}, {s}, 'st{s}', {tp}, 'tp{tp:02d}')")
    return ", ".join(rows)


def duckdb_queries(path: str, level: str, segmented: bool) -> dict[str, str]:
    """The four queries; ``m`` is the mapping table (event, ev, st, stage_id, tp, tp_id)."""
    src = f"read_parquet('{path}')"
    seg = "e.segment, " if segmented else ""
    sg = "segment, " if segmented else ""
    by_seg = "PARTITION BY segment " if segmented else ""
    # ties at one instant: stage, touchpoint, event name (ev), unmapped events after them by name
    order = "e.timestamp, m.ev"
    if level == "event":
        node, join, order = "e.event", "LEFT JOIN m USING (event)", "e.timestamp, m.ev NULLS LAST, e.event"
    else:
        node, join = ("m.stage_id" if level == "stage" else "m.tp_id"), "JOIN m USING (event)"
    return {
        "funnel": f"""
WITH r AS (
  SELECT {seg}m.st, m.stage_id, COUNT(DISTINCT e.customer_id) AS customers
  FROM {src} e JOIN m USING (event) GROUP BY ALL
)
SELECT {sg}stage_id, customers,
  customers / LAG(customers) OVER w AS conversion,
  customers / FIRST_VALUE(customers) OVER w AS conversion_from_start,
  LAG(customers) OVER w - customers AS drop_off
FROM r WINDOW w AS ({by_seg}ORDER BY st) ORDER BY {sg}st""",
        "transitions": f"""
WITH s AS (
  SELECT e.customer_id, {seg}{node} AS node, e.timestamp,
    LEAD({node}) OVER w AS next_node, LEAD(e.timestamp) OVER w AS next_ts
  FROM {src} e {join}
  WINDOW w AS (PARTITION BY e.customer_id ORDER BY {order})
)
SELECT {sg}node AS source, next_node AS target, COUNT(*) AS count,
  COUNT(DISTINCT customer_id) AS customers,
  quantile_cont(epoch_us(next_ts) - epoch_us(timestamp), 0.5) AS median_us
FROM s WHERE next_node <> node GROUP BY ALL ORDER BY {sg}count DESC""",
        "stage_times": f"""
WITH f AS (
  SELECT e.customer_id, {seg}m.st, MIN(e.timestamp) AS first_ts
  FROM {src} e JOIN m USING (event) GROUP BY ALL
)
SELECT {"a.segment, " if segmented else ""}a.st AS source, COUNT(*) AS customers,
  quantile_cont(epoch_us(b.first_ts) - epoch_us(a.first_ts), [0.25, 0.5, 0.75]) AS q_us
FROM f a JOIN f b ON b.customer_id = a.customer_id AND b.st = a.st + 1
GROUP BY ALL ORDER BY ALL""",
        "variants": f"""
WITH s AS (
  SELECT e.customer_id, {seg}m.st, m.stage_id, ROW_NUMBER() OVER w AS rn, LEAD(m.st) OVER w AS next_st
  FROM {src} e JOIN m USING (event)
  WINDOW w AS (PARTITION BY e.customer_id ORDER BY e.timestamp, m.ev)
), p AS (
  SELECT customer_id, {sg}string_agg(stage_id, ' > ' ORDER BY rn) AS variant,
    MAX(st) = {len(loggen.STAGES) - 1} AS converted
  FROM s WHERE next_st IS NULL OR next_st <> st GROUP BY ALL
), v AS (
  SELECT {sg}variant, COUNT(*) AS count, COUNT(*) / SUM(COUNT(*)) OVER ({by_seg}) AS share,
    AVG(CAST(converted AS DOUBLE)) AS conversion
  FROM p GROUP BY {sg}variant
)
SELECT * FROM v QUALIFY ROW_NUMBER() OVER ({by_seg}ORDER BY count DESC, variant) <= 10
ORDER BY {sg}count DESC, variant""",
    }


# --- one approach in one child process -------------------------------------------------


def check_numbers(funnel: Any, trans: Any, segmented: bool) -> dict[str, Any]:
    """Funnel customers and transition (count, customers) keyed by segment and ids, for :func:`verify`."""
    seg_f = funnel["segment"] if segmented else [""] * len(funnel)
    seg_t = trans["segment"] if segmented else [""] * len(trans)
    pairs = zip(trans["source"], trans["target"], strict=True)
    counts = zip(trans["count"], trans["customers"], strict=True)
    return {
        # a stage nobody reached: a 0 row in ours, no row in the hand-written funnel
        "funnel": {
            f"{g}|{s}": int(n)
            for g, s, n in zip(seg_f, funnel["stage_id"], funnel["customers"], strict=True)
            if n
        },
        "transitions": {
            f"{g}|{a}|{b}": [int(n), int(c)] for g, (a, b), (n, c) in zip(seg_t, pairs, counts, strict=True)
        },
    }


def run_ours(path: str, level: str, segmented: bool) -> tuple[float, dict[str, Any]]:
    import warnings

    from cjm_jupyter import analytics

    journey, mapping = loggen.make_journey()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the unmapped-events warning
        start = time.perf_counter()
        out = analytics.analyze(
            path,
            journey,
            mapping=mapping,
            customer_col="customer_id",
            time_col="timestamp",
            event_col="event",
            segment_col="segment" if segmented else None,
            metrics=METRICS,
            level=level,
            progress=False,
        )
        work = time.perf_counter() - start
    return work, check_numbers(out["funnel"], out["transitions"], segmented)


def run_duckdb(path: str, level: str, segmented: bool) -> tuple[float, dict[str, Any]]:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # a bar drawn on stderr is not the work
    values = mapping_rows()
    con.execute(f"CREATE TEMP TABLE m AS FROM (VALUES {values}) v(event, ev, st, stage_id, tp, tp_id)")
    out = {name: con.execute(sql).df() for name, sql in duckdb_queries(path, level, segmented).items()}
    con.close()
    work = time.perf_counter() - start
    return work, check_numbers(out["funnel"], out["transitions"], segmented)


def child(approach: str, path: str, level: str, segments: str, check_out: str | None) -> None:
    """Run one approach, print its times as JSON (and write its check numbers to ``check_out``)."""
    run = run_ours if approach == "ours" else run_duckdb
    work, check = run(path, level, segments == "seg")
    peak = vm_hwm_bytes()
    if check_out:
        Path(check_out).write_text(json.dumps(check))
    print(json.dumps({"work_s": work, "peak_bytes": peak}))


def measure(approach: str, path: str, level: str, segments: str, check_out: Path | None) -> dict[str, Any]:
    """One fresh interpreter running ``approach``: wall time of the whole process, its own report."""
    args = [path, level, segments, *([str(check_out)] if check_out else [])]
    return run_child(__file__, "--child", approach, *args, what=f"{approach} on {path} ({level}, {segments})")


def verify(cell: str, ours: dict[str, Any], ddb: dict[str, Any]) -> None:
    """Assert both approaches computed the same funnel customers and transition counts."""
    for part in ("funnel", "transitions"):
        a, b = ours[part], ddb[part]
        if a != b:
            diff = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            sample = {k: (a.get(k), b.get(k)) for k in diff[:5]}
            raise AssertionError(f"{cell}: {part} differs in {len(diff)} keys (ours, duckdb): {sample}")


# --- the matrix --------------------------------------------------------------------------


def run_matrix(n_events: int, out: Path, seed: int, cells: list[str], repeat: int) -> dict[str, Any]:
    """Generate what the cells need, run them, print the table; returns the JSON-able results."""
    logs: dict[str, dict[str, Any]] = {}
    for id_type in dict.fromkeys(c.split(":")[0] for c in cells):
        logs[id_type] = loggen.generate(n_events, out, seed, id_type)
        meta = logs[id_type]
        how = "reused" if meta.get("reused") else "generated"
        print(f"log {id_type}: {meta['events']:,} events, {meta['customers']:,} customers, "
              f"{meta['parts']} parts, {meta['bytes'] / 1e6:.0f} MB; {how} ({meta['seconds']} s)  "
              f"{meta['glob']}", flush=True)  # fmt: skip
    first = next(iter(logs.values()))
    shape = loggen.describe(first["glob"]) if n_events <= 20_000_000 else {}
    if shape:
        print("shape: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v:,}"
                                    for k, v in shape.items()), flush=True)  # fmt: skip
    results = []
    checks = out / "checks"
    checks.mkdir(parents=True, exist_ok=True)
    for cell in cells:
        id_type, level, segments = cell.split(":")
        path = logs[id_type]["glob"]
        runs: dict[str, list[dict[str, Any]]] = {a: [] for a in APPROACHES}
        for r in range(max(1, repeat)):
            for approach in APPROACHES:  # interleaved: a change in machine load hits both
                check = checks / f"{cell.replace(':', '_')}_{approach}.json" if r == 0 else None
                runs[approach].append(measure(approach, path, level, segments, check))
        done = [json.loads((checks / f"{cell.replace(':', '_')}_{a}.json").read_text()) for a in APPROACHES]
        verify(cell, *done)
        row = {"cell": cell, "events": logs[id_type]["events"], "verified": True}
        for approach, rs in runs.items():
            row[approach] = {
                "wall_s": statistics.median(x["wall_s"] for x in rs),
                "work_s": statistics.median(x["work_s"] for x in rs),
                "peak_gb": max(x["peak_bytes"] for x in rs) / 1e9,
                "all_wall_s": [round(x["wall_s"], 2) for x in rs],
            }
        row["ratio_wall"] = row["ours"]["wall_s"] / row["duckdb"]["wall_s"]
        row["ratio_work"] = row["ours"]["work_s"] / row["duckdb"]["work_s"]
        results.append(row)
        print_row(row, header=len(results) == 1)
    return {"events": n_events, "seed": seed, "repeat": repeat, "logs": logs, "shape": shape,
            "cells": results}  # fmt: skip


def print_row(row: dict[str, Any], *, header: bool) -> None:
    if header:
        print()
        print(f"{'cell':<24}{'ours wall':>10}{'work':>8}{'GB':>6}{'duckdb wall':>13}{'work':>8}{'GB':>6}"
              f"{'ratio wall':>12}{'work':>7}  verdict", flush=True)  # fmt: skip
    o, d = row["ours"], row["duckdb"]
    gb_target = TARGET_GB if row["events"] <= MEMORY_TARGET_EVENTS else TARGET_GB_100M
    missed = [name for name, bad in (("ratio", row["ratio_wall"] > TARGET_RATIO),
                                     ("memory", o["peak_gb"] >= gb_target)) if bad]  # fmt: skip
    verdict = "MISSED " + "+".join(missed) if missed else "OK"
    print(f"{row['cell']:<24}{o['wall_s']:>10.2f}{o['work_s']:>8.2f}{o['peak_gb']:>6.2f}"
          f"{d['wall_s']:>13.2f}{d['work_s']:>8.2f}{d['peak_gb']:>6.2f}"
          f"{row['ratio_wall']:>11.2f}x{row['ratio_work']:>6.2f}x  {verdict}",
          flush=True)  # fmt: skip


def main(args: Any) -> int:
    """The ``--matrix`` mode of ``bench_analytics.py`` (``args``: its parsed options)."""
    cells = select_cells(args.cells)
    start = time.perf_counter()
    result = run_matrix(args.events, args.out, args.seed, cells, args.repeat)
    result["seconds"] = round(time.perf_counter() - start, 1)
    result["command"] = " ".join([Path(sys.executable).name, *sys.argv])
    result["pythonpath"] = os.environ.get("PYTHONPATH", "")
    target = args.json or args.out / f"matrix_{args.events}.json"
    tmp = Path(str(target) + ".tmp")
    tmp.write_text(json.dumps(result, indent=1))
    os.replace(tmp, target)
    rows = result["cells"]
    worst = max(rows, key=lambda r: r["ratio_wall"])
    print(f"\nworst ratio {worst['ratio_wall']:.2f}x ({worst['cell']}); largest peak of ours "
          f"{max(r['ours']['peak_gb'] for r in rows):.2f} GB; targets <= {TARGET_RATIO:.1f}x, "
          f"< {TARGET_GB} GB at 10M (< {TARGET_GB_100M} GB at 100M); JSON: {target}")  # fmt: skip
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 6 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6] if len(sys.argv) > 6 else None)
    else:
        raise SystemExit("run through: python bench/bench_analytics.py --matrix")
