"""Benchmark ``compare_segments`` (4 segments) against ``analyze(segment_col=...)`` on the same Parquet log.

Run with ``python bench/bench_compare.py [--events 10000000] [--repeat 1] [--seed 7] [--no-surveys]``
(``--events 200000`` for a quick check; ``--keep DIR`` reuses the generated logs across runs).

1. Two logs of about ``--events`` events, each with a ``segment`` column of 4
   segments, are written as Parquet to a temp dir once per run, each by its
   own subprocess (so the generator's memory is gone before anything is
   measured):

   * ``make_events``: :func:`analytics.make_events` on the Colleen template,
     text customer ids (``c0000001``), 4 segments with different weights (so
     different sizes and continue rates); plus :func:`analytics.make_surveys`
     (5% response) as Parquet, with and without its ``segment`` column;
   * ``clickstream``: the generator of ``bench_analytics.py`` (DuckDB SQL,
     30 events over 5 stages, 45% stop at the first stage, stages skipped and
     revisited), re-written with integer customer ids and a skewed segment
     (50/25/15/10% of customers by a hash of the id).

2. Each case runs in its own subprocess, so its peak memory (``ru_maxrss``
   of the child: Python, pandas and DuckDB's native memory together) is its
   own; the journey is built and the libraries imported before the clock
   starts (scipy's and statsmodels' one-off import, which compare_segments
   does lazily on its first call in a session, is shown apart as
   ``imports``). Per log and funnel mode (``first_reach``, ``sequential``):

   * ``analyze``: ``analyze(path, journey, segment_col="segment", mode=...)``
     with the default metrics (the baseline);
   * ``compare``: ``compare_segments(path, journey, segment_col="segment", mode=...)``;
   * on the ``make_events`` log in sequential mode also ``+surveys``
     (``surveys=`` a Parquet survey table with a ``segment`` column) and
     ``+surveys/log`` (without it: each respondent's segment is looked up in the log).

   A compare child also times its parts: analyze's steps (profile, each
   materialized table, each metric's query + tidy) and compare's own pandas /
   scipy work (conversion, satisfaction, time rows, adjustment). With
   ``--repeat N`` the cases run interleaved N times; the fastest time and the
   largest peak are reported. The load average is printed with the numbers.

Targets (issue 13): compare under 60 s and under 4 GB on 10M events; compare
at most 1.5x ``analyze(segment_col=...)`` measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_analytics / bench_report as modules

TARGET_SECONDS = 60.0
TARGET_GB = 4.0
TARGET_RATIO = 1.5
#: make_events weights: segment sizes weight / sum and continue rates scaled by weight / mean
SEGMENTS = {"mobile": 1.0, "desktop": 1.3, "tablet": 0.8, "store": 0.9}
#: Colleen with make_events' defaults and SEGMENTS yields about this many events per customer
EVENTS_PER_CUSTOMER = 3.69
MODES = ("first_reach", "sequential")


# --- the logs ----------------------------------------------------------------------


def make_text_log(folder: Path, events: int, seed: int) -> None:
    """make_events (text ids) and its surveys, with and without the segment column, as Parquet."""
    import cjm_jupyter as cjm
    from cjm_jupyter import analytics

    j = cjm.templates.load("colleen")
    log = analytics.make_events(
        j, customers=max(8, round(events / EVENTS_PER_CUSTOMER)), segments=SEGMENTS, seed=seed
    )
    log.to_parquet(folder / "make_events.parquet", index=False)
    surveys = analytics.make_surveys(log, j, response_rate=0.05, seed=seed)
    surveys.to_parquet(folder / "surveys.parquet", index=False)
    surveys.drop(columns="segment").to_parquet(folder / "surveys_noseg.parquet", index=False)


def make_int_log(folder: Path, events: int, seed: int) -> None:
    """bench_analytics' clickstream, re-written with integer ids and a skewed segment column."""
    import duckdb
    from bench_analytics import generate

    glob, _, _ = generate(events, folder / "clickstream_parts", seed)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    # 50/25/15/10% of the customers; a hash of the id, so every event of a customer has its segment
    con.execute(
        f"""
COPY (
  SELECT CAST(substr(customer_id, 2) AS BIGINT) AS customer_id, timestamp, event, channel, value,
    CASE WHEN h < 50 THEN 'a' WHEN h < 75 THEN 'b' WHEN h < 90 THEN 'c' ELSE 'd' END AS segment
  FROM (SELECT *, hash(customer_id, {int(seed)}) % 100 AS h FROM read_parquet('{glob}'))
) TO '{folder / "clickstream.parquet"}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"""
    )
    con.close()


LOGS = {"make_events": make_text_log, "clickstream": make_int_log}


def journey_for(log: str) -> tuple[Any, dict[str, str] | None]:
    """The journey (and mapping, None = the journey's own event map) a log was made for."""
    if log == "clickstream":
        from bench_analytics import make_journey

        return make_journey()
    import cjm_jupyter as cjm

    return cjm.templates.load("colleen"), None


def describe(path: Path) -> str:
    import duckdb

    con = duckdb.connect()
    n, c, s = con.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT customer_id), COUNT(DISTINCT segment) FROM '{path}'"
    ).fetchone()
    con.close()
    return f"{n:,} events, {c:,} customers, {s} segments, {path.stat().st_size / 1e6:.0f} MB"


# --- one case, in a child process ------------------------------------------------


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


class _Clock:
    """Seconds per label, summed: what the patched steps report back."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}

    @contextmanager
    def span(self, label: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.parts[label] = self.parts.get(label, 0.0) + time.perf_counter() - start

    def wrap(self, label: str, fn: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.span(label):
                return fn(*args, **kwargs)

        return timed


def _instrument(clock: _Clock) -> None:
    """Time analyze's steps and compare's own parts without changing them (module globals patched)."""
    from cjm_jupyter.analytics import _progress, analysis, compare

    class TimedSteps(_progress.Steps):
        @contextmanager
        def step(self, label: str) -> Iterator[None]:
            with clock.span(f"analyze:{label}"):
                yield

    analysis.Steps = TimedSteps
    for name in ("conversion_rows", "satisfaction_rows", "time_rows", "_survey_scores", "_finish"):
        setattr(compare, name, clock.wrap(name.strip("_"), getattr(compare, name)))


def child(log: str, kind: str, mode: str, folder: Path) -> dict[str, Any]:
    import warnings

    from cjm_jupyter import analytics

    journey, mapping = journey_for(log)
    path = str(folder / f"{log}.parquet")
    kw: dict[str, Any] = {"mapping": mapping, "segment_col": "segment", "mode": mode}
    clock = _Clock()
    _instrument(clock)
    if kind.startswith("+surveys"):
        kw["surveys"] = str(folder / ("surveys.parquet" if kind == "+surveys" else "surveys_noseg.parquet"))
    started = time.perf_counter()
    if kind != "analyze":
        # the lazy scipy / statsmodels imports happen once per session: timed apart, not in the call
        from scipy import stats  # noqa: F401
        from statsmodels.stats import multitest, proportion  # noqa: F401
    imports = time.perf_counter() - started
    before_gb = _peak_gb()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. first-reach steps that are not proportions
        start = time.perf_counter()
        if kind == "analyze":
            out = analytics.analyze(path, journey, progress=False, **kw)
            rows = sum(len(v) for v in out.values())
        else:
            out = analytics.compare_segments(path, journey, **kw)
            rows = len(out)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_gb": _peak_gb(), "before_gb": before_gb, "rows": rows,
            "imports": imports, "parts": clock.parts}  # fmt: skip


def run(log: str, kind: str, mode: str, folder: Path) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", log, kind, mode, "--keep", str(folder)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{log} {kind} {mode} failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = os.getloadavg()[0]
    return result


# --- the report ----------------------------------------------------------------------


def cases(surveys: bool) -> list[tuple[str, str, str]]:
    out = [(log, kind, mode) for log in LOGS for mode in MODES for kind in ("analyze", "compare")]
    if surveys:
        out += [("make_events", "+surveys", "sequential"), ("make_events", "+surveys/log", "sequential")]
    return out


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run (its parts), with the largest peak of all runs."""
    pick = dict(min(runs, key=lambda r: r["seconds"]))
    pick["peak_gb"] = max(r["peak_gb"] for r in runs)
    pick["all"] = [round(r["seconds"], 1) for r in runs]
    return pick


def verdict(kind: str, r: dict[str, Any], ratio: float) -> str:
    """Which targets a case misses ("ok" when none); analyze, the baseline, has no target."""
    if kind == "analyze":
        return ""
    missed = [f"> {TARGET_SECONDS:.0f} s"] if r["seconds"] >= TARGET_SECONDS else []
    missed += [f">= {TARGET_GB:.0f} GB"] if r["peak_gb"] >= TARGET_GB else []
    # the ratio target is for compare alone: the survey cases add work analyze does not do
    missed += [f"> {TARGET_RATIO}x"] if kind == "compare" and ratio > TARGET_RATIO else []
    return "MISSED " + ", ".join(missed) if missed else "ok"


def print_table(results: dict[tuple[str, str, str], dict[str, Any]]) -> dict[str, bool]:
    """The table, the time split; returns whether the compare and the survey cases met their targets."""
    print(f"\n{'log':<12} {'mode':<12} {'case':<13} {'seconds':>8} {'peak GB':>8} {'x analyze':>10} "
          f"{'imports':>8} {'load':>5}  {'runs':<14} target")  # fmt: skip
    ok = {"compare": True, "surveys": True}
    for (log, kind, mode), r in results.items():
        ratio = r["seconds"] / results[(log, "analyze", mode)]["seconds"]
        v = verdict(kind, r, ratio)
        print(f"{log:<12} {mode:<12} {kind:<13} {r['seconds']:8.1f} {r['peak_gb']:8.2f} {ratio:10.2f} "
              f"{r['imports']:8.1f} {r['load']:5.1f}  {r['all']!s:<14} {v}")  # fmt: skip
        if v:
            ok["compare" if kind == "compare" else "surveys"] &= v == "ok"
    print("\nwhere the time goes (seconds; analyze:<table> = SQL materializing it, analyze:<metric> = its")
    print("query, fetch to pandas and tidy; the rest is compare's own pandas / scipy work):")
    for (log, kind, mode), r in results.items():
        parts = ", ".join(f"{k} {v:.1f}" for k, v in r["parts"].items() if v >= 0.05)
        print(f"  {log:<12} {mode:<12} {kind:<13} {parts}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="events per log (default 10M)")
    parser.add_argument("--repeat", type=int, default=1, help="interleaved runs per case; fastest reported")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-surveys", action="store_true", help="skip the two survey cases")
    parser.add_argument("--keep", type=Path, help="folder for the logs, kept (default: a temp dir)")
    parser.add_argument("--child", nargs=3, metavar=("LOG", "CASE", "MODE"), help=argparse.SUPPRESS)
    parser.add_argument("--make", choices=sorted(LOGS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child, args.keep)))
        return 0
    if args.make:
        LOGS[args.make](args.keep, args.events, args.seed)
        return 0

    with tempfile.TemporaryDirectory(prefix="cjm-bench-compare-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for log in LOGS:
            if not (folder / f"{log}.parquet").exists():
                started = time.perf_counter()
                cmd = [sys.executable, __file__, "--make", log, "--keep", str(folder), "--events",
                       str(args.events), "--seed", str(args.seed)]  # fmt: skip
                subprocess.run(cmd, check=True)
                print(f"made {log} in {time.perf_counter() - started:.0f} s")
            print(f"{log:<12} {describe(folder / f'{log}.parquet')}")
        print(f"cpus {os.cpu_count()}, load average at start {os.getloadavg()}")
        runs: dict[tuple[str, str, str], list[dict[str, Any]]] = {c: [] for c in cases(not args.no_surveys)}
        for _ in range(max(1, args.repeat)):
            for case in runs:  # interleaved, so a change in load hits every case alike
                runs[case].append(run(*case, folder))
        ok = print_table({case: best(r) for case, r in runs.items()})
    print(f"\nload average at end {os.getloadavg()}")
    print(f"targets (compare < {TARGET_SECONDS:.0f} s, < {TARGET_GB:.0f} GB, <= {TARGET_RATIO}x analyze):",
          "met" if ok["compare"] else "MISSED")  # fmt: skip
    if not args.no_surveys:
        print(f"with surveys (< {TARGET_SECONDS:.0f} s, < {TARGET_GB:.0f} GB):",
              "met" if ok["surveys"] else "MISSED")  # fmt: skip
    return 0 if all(ok.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
