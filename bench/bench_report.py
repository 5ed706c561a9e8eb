"""Benchmark ``cjm report`` on the Colleen template with a large synthetic event log.

Run with ``python bench/bench_report.py [--events 1000000] [--out /tmp/cjm-bench-report] [--pdf]``.

1. A seeded log of about ``--events`` events is made with
   ``analytics.make_events`` (Colleen's event map, two segments) and written
   as Parquet in two shapes: text customer ids (``c0000001``) and integer ids.
   Surveys (``make_surveys``, 2% response) go to a CSV file. Files are reused
   across runs.
2. For each shape, ``report(...)`` (what ``cjm report`` runs) builds, executes
   and exports the report with ``--events``, ``--surveys`` and ``--segment``;
   the seconds of each step come from ``ReportFiles.seconds``.
3. The page size is compared with the baseline measured in the same run:
   BokehJS + require.js + the widget manager + anywidget + our editor bundles,
   each once (``cjm_jupyter.sharing.assets.baseline_bytes()``).

Targets (issue 11): under 60 s end to end; the page at most 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import cjm_jupyter as cjm
from cjm_jupyter import analytics
from cjm_jupyter.sharing.assets import baseline_bytes
from cjm_jupyter.sharing.reporting import report

#: Colleen with make_events' defaults and two segments yields about this many events per customer
EVENTS_PER_CUSTOMER = 4.19


def make_logs(folder: Path, events: int) -> tuple[dict[str, Path], Path]:
    """Parquet logs (text and integer customer ids) and a survey CSV, made once per size."""
    folder.mkdir(parents=True, exist_ok=True)
    shapes = {
        "text ids": folder / f"log-{events}.parquet",
        "integer ids": folder / f"log-{events}-int.parquet",
    }
    surveys = folder / f"surveys-{events}.csv"
    if all(p.exists() for p in (*shapes.values(), surveys)):
        return shapes, surveys
    j = cjm.templates.load("colleen")
    started = time.perf_counter()
    log = analytics.make_events(
        j, customers=round(events / EVENTS_PER_CUSTOMER), segments={"web": 1.0, "store": 2.0}, seed=7
    )
    log.to_parquet(shapes["text ids"], index=False)
    log.assign(customer_id=log["customer_id"].str[1:].astype("int64")).to_parquet(
        shapes["integer ids"], index=False
    )
    analytics.make_surveys(log, j, response_rate=0.02, seed=7).to_csv(surveys, index=False)
    print(f"made {len(log):,} events in {time.perf_counter() - started:.1f} s -> {folder}")
    return shapes, surveys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/cjm-bench-report"))
    parser.add_argument("--pdf", action="store_true", help="also print to PDF (timed)")
    args = parser.parse_args(argv)

    shapes, surveys = make_logs(args.out, args.events)
    baseline = baseline_bytes()
    print(f"baseline (BokehJS + widget manager + bundles, once): {baseline / 1e6:.2f} MB")
    print(
        f"{'log':<12} {'check':>6} {'build':>6} {'exec':>6} {'export':>7} {'pdf':>5} {'write':>6} "
        f"{'total':>6}  {'page MB':>7} {'x base':>6} {'ipynb MB':>8}"
    )
    ok = True
    for shape, log in shapes.items():
        started = time.perf_counter()
        files = report(
            "colleen",
            args.out / f"report-{shape.split()[0]}.html",
            events=log,
            surveys=surveys,
            segment_col="segment",
            pdf=args.pdf,
            progress=False,
        )
        total = time.perf_counter() - started
        s = files.seconds
        size = files.html.stat().st_size
        ratio = size / baseline
        print(
            f"{shape:<12} {s['check']:6.2f} {s['build']:6.2f} {s['execute']:6.2f} {s['export']:7.2f} "
            f"{s.get('pdf', 0.0):5.2f} {s['write']:6.2f} {total:6.1f}  {size / 1e6:7.2f} {ratio:6.2f} "
            f"{files.notebook.stat().st_size / 1e6:8.2f}"
        )
        ok &= total < 60 and ratio <= 1.5
    print("targets (< 60 s end to end, page <= 1.5x baseline):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
