"""Benchmark reading and writing journey files (JSON, Excel, CSV) against pandas' own.

Run with ``python bench/bench_files.py`` (``--sizes 2000 20000``, ``--formats json csv``,
``--repeat 3``; ``--check`` exits 1 when the JSON read target is missed).

The journey: 12 stages, N touchpoints spread over them (every text field
filled on some rows, missing on others), an emotion at every 10th touchpoint,
a pain point at every 20th, an action with a due date (a datetime column) at
every 50th and a metric per stage, handed to the ``Journey`` constructor as
frames (``add_*`` call by call would measure the model's edits, not the files).

Measured per format and size, best of ``--repeat`` runs:

* ``write`` / ``read``: ``journey.to_<format>(path)`` / ``cjm.read_<format>(path)``;
* ``pandas``: pandas' own writer / reader of the same frames in the same format
  (``DataFrame.to_json(orient="split")`` / ``pd.read_json``, ``to_csv`` /
  ``read_csv``, ``to_excel`` / ``read_excel`` with openpyxl), the baseline;
* ``ratio``: ours divided by the baseline, measured in the same run, so a
  loaded machine changes the seconds but hardly the ratio;
* ``model``: ``Journey(frames=...)`` on the read frames, the share of a read
  spent validating the journey rather than in the file layer.

Target: reading the JSON of 100,000 touchpoints in under 3 s.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

import cjm_jupyter as cjm
from cjm_jupyter import Journey

JSON_READ_TARGET_S = 3.0
JSON_TARGET_SIZE = 100_000
CHANNELS = ("website", "search", "ads", "email", "store", None)


def make_journey(touchpoints: int, stages: int = 12) -> Journey:
    """A deterministic journey of ``touchpoints`` touchpoints over ``stages`` stages."""
    stage_ids = [f"stage-{s + 1}" for s in range(stages)]
    tp_stage = [t * stages // touchpoints for t in range(touchpoints)]
    first = {s: tp_stage.index(s) for s in sorted(set(tp_stage))}
    tp_ids = [f"tp-{t + 1}" for t in range(touchpoints)]
    text = "string"
    frames: dict[str, pd.DataFrame] = {
        "personas": pd.DataFrame({"id": ["colleen"], "name": ["Curious Colleen"]}, dtype=text),
        "stages": pd.DataFrame(
            {
                "id": pd.array(stage_ids, dtype=text),
                "name": pd.array([f"Stage {s + 1} — é" for s in range(stages)], dtype=text),
                "order": pd.array(range(stages), dtype="Int64"),
            }
        ),
        "touchpoints": pd.DataFrame(
            {
                "id": pd.array(tp_ids, dtype=text),
                "stage_id": pd.array([stage_ids[s] for s in tp_stage], dtype=text),
                "name": pd.array([f"Touchpoint {t + 1}" for t in range(touchpoints)], dtype=text),
                "channel": pd.array([CHANNELS[t % len(CHANNELS)] for t in range(touchpoints)], dtype=text),
                "action": pd.array([f"Step {t}" if t % 3 else None for t in range(touchpoints)], dtype=text),
                "owner": pd.array(["Team A" if t % 2 else None for t in range(touchpoints)], dtype=text),
                "order": pd.array([t - first[s] for t, s in enumerate(tp_stage)], dtype="Int64"),
            }
        ),
    }
    every = range(0, touchpoints, 10)
    frames["emotions"] = pd.DataFrame(
        {
            "id": pd.array([f"emo-{t}" for t in every], dtype=text),
            "persona_id": pd.array(["colleen"] * len(every), dtype=text),
            "touchpoint_id": pd.array([tp_ids[t] for t in every], dtype=text),
            "score": pd.array([((t * 7) % 9) / 2 - 2 for t in every], dtype="Float64"),
            "feeling": pd.array(["curious" if t % 20 else None for t in every], dtype=text),
            "source": pd.array(["interview"] * len(every), dtype=text),
            "basis": pd.array(["measured"] * len(every), dtype=text),
            "n": pd.array([t % 50 for t in every], dtype="Int64"),
        }
    )
    pains = range(0, touchpoints, 20)
    frames["pain_points"] = pd.DataFrame(
        {
            "id": pd.array([f"pain-{t}" for t in pains], dtype=text),
            "touchpoint_id": pd.array([tp_ids[t] for t in pains], dtype=text),
            "description": pd.array([f"Slow step {t}" for t in pains], dtype=text),
            "severity": pd.array([1 + t % 5 for t in pains], dtype="Int64"),
            "source": pd.array(["survey"] * len(pains), dtype=text),
            "basis": pd.array(["measured"] * len(pains), dtype=text),
        }
    )
    acts = range(0, touchpoints, 50)
    frames["actions"] = pd.DataFrame(
        {
            "id": pd.array([f"act-{t}" for t in acts], dtype=text),
            "description": pd.array([f"Fix step {t}" for t in acts], dtype=text),
            "status": pd.array(["planned"] * len(acts), dtype=text),
            "due": pd.Series(pd.Timestamp("2025-01-01") + pd.to_timedelta(list(acts), unit="h")).astype(
                "datetime64[us]"
            ),
        }
    )
    frames["metrics"] = pd.DataFrame(
        {
            "id": pd.array([f"metric-{s}" for s in range(stages)], dtype=text),
            "name": pd.array(["conversion"] * stages, dtype=text),
            "value": pd.array([s / stages for s in range(stages)], dtype="Float64"),
            "stage_id": pd.array(stage_ids, dtype=text),
            "source": pd.array(["analytics"] * stages, dtype=text),
            "basis": pd.array(["measured"] * stages, dtype=text),
        }
    )
    return Journey("Files benchmark", frames=frames)


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def pandas_baseline(fmt: str, frames: dict[str, pd.DataFrame], folder: Path) -> tuple[Callable, Callable]:
    """pandas' own writer and reader of the same frames in the same format."""
    if fmt == "json":
        texts: dict[str, str] = {}

        def write() -> None:
            for name, df in frames.items():
                texts[name] = df.to_json(orient="split", index=False, date_format="iso")
            (folder / "pandas.json").write_text("\n".join(texts.values()), encoding="utf-8")

        def read() -> None:
            for name, df in frames.items():
                pd.read_json(io.StringIO(texts[name]), orient="split", dtype=dict(df.dtypes))

        return write, read
    if fmt == "csv":

        def write() -> None:
            for name, df in frames.items():
                df.to_csv(folder / f"pandas-{name}.csv", index=False)

        def read() -> None:
            for name, df in frames.items():
                dates = [c for c, t in df.dtypes.items() if str(t).startswith("datetime")]
                dtypes = {c: t for c, t in df.dtypes.items() if c not in dates}
                pd.read_csv(folder / f"pandas-{name}.csv", dtype=dtypes, parse_dates=dates)

        return write, read

    def write() -> None:
        with pd.ExcelWriter(folder / "pandas.xlsx", engine="openpyxl") as xl:
            for name, df in frames.items():
                df.to_excel(xl, sheet_name=name, index=False)

    def read() -> None:
        pd.read_excel(folder / "pandas.xlsx", sheet_name=None, engine="openpyxl")

    return write, read


def run(sizes: list[int], formats: list[str], repeat: int) -> dict[tuple[str, int], float]:
    """Print one line per format, size and operation; return the read seconds."""
    measure(200, formats, 1)  # warm-up: imports, jsonschema's compiled schema, openpyxl
    print(f"{'format':6} {'touchpoints':>11} {'op':5} {'ours s':>8} {'pandas s':>9} {'ratio':>6} model s")
    reads: dict[tuple[str, int], float] = {}
    for size in sizes:
        for row in measure(size, formats, repeat):
            fmt, op, ours, base, model = row
            share = f"{model:8.3f}" if op == "read" else ""
            line = f"{fmt:6} {size:>11,} {op:5} {ours:8.3f} {base:9.3f} {ours / base:6.2f} {share}"
            print(line, flush=True)
            if op == "read":
                reads[(fmt, size)] = ours
    return reads


def measure(size: int, formats: list[str], repeat: int) -> list[tuple[str, str, float, float, float]]:
    """(format, op, ours, pandas, model) seconds for a journey of ``size`` touchpoints."""
    journey = make_journey(size)
    frames = {name: df for name, df in journey.frames.items() if len(df.columns)}
    model = best(lambda: Journey(journey.meta["name"], frames=journey.frames), repeat)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt in formats:
            path = folder / {"json": "map.json", "excel": "map.xlsx", "csv": "map"}[fmt]
            write = best(lambda p=path, f=fmt: getattr(journey, f"to_{f}")(p), repeat)
            read = best(lambda p=path, f=fmt: getattr(cjm, f"read_{f}")(p), repeat)
            base_write, base_read = pandas_baseline(fmt, frames, folder)
            rows.append((fmt, "write", write, best(base_write, repeat), model))
            rows.append((fmt, "read", read, best(base_read, repeat), model))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    formats = ["json", "excel", "csv"]
    parser.add_argument("--formats", nargs="+", default=formats, choices=formats)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="exit 1 when the JSON read target is missed")
    args = parser.parse_args(argv)
    reads = run(args.sizes, args.formats, args.repeat)
    took = reads.get(("json", JSON_TARGET_SIZE))
    if took is not None:
        verdict = "met" if took < JSON_READ_TARGET_S else "MISSED"
        target = f"JSON read of {JSON_TARGET_SIZE:,} touchpoints < {JSON_READ_TARGET_S} s"
        print(f"target: {target}: {took:.2f} s, {verdict}")
        if args.check and took >= JSON_READ_TARGET_S:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
