"""Headless demo: load the worked example and save it in every format.

Run with ``python examples/demo.py [OUTPUT_FOLDER]`` (default: ``demo-output``).
It writes the Colleen journey as JSON, Excel and a CSV folder, reads each
back to prove the round trip, and writes an HTML summary you can open in a
browser.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cjm_jupyter as cjm
from cjm_jupyter.display import journey_html


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    journey = cjm.templates.load("colleen")
    print(journey)
    journey.to_json(out / "colleen.json")
    journey.to_excel(out / "colleen.xlsx")
    journey.to_csv(out / "colleen-csv")
    for reader, path in (
        (cjm.read_json, out / "colleen.json"),
        (cjm.read_excel, out / "colleen.xlsx"),
        (cjm.read_csv, out / "colleen-csv"),
    ):
        if not reader(path).equals(journey):
            print(f"round trip through {path} changed the journey", file=sys.stderr)
            return 1
    page = f"<!doctype html><meta charset='utf-8'><title>Journey</title>{journey_html(journey)}"
    (out / "colleen-summary.html").write_text(page, encoding="utf-8")
    print(f"\nwrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}/ (all round trips equal)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output")))
