"""Headless demo: the worked example saved in every format, then measured on data.

Run with ``python examples/demo.py [OUTPUT_FOLDER]`` (default: ``demo-output``).
It writes the Colleen journey as JSON, Excel and a CSV folder, reads each
back to prove the round trip, and writes an HTML summary you can open in a
browser. Then it measures a copy of the map on a seeded synthetic clickstream
and survey (``analytics.make_events`` / ``make_surveys``, 5,000 customers),
prints the funnel and writes the measured map and the funnel as offline HTML.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cjm_jupyter as cjm
from cjm_jupyter import analytics, plots
from cjm_jupyter.display import journey_html


def measured_map(journey: cjm.Journey, out: Path) -> None:
    """Measure a copy of ``journey`` on synthetic data and save the pictures."""
    measured = journey.copy()
    log = analytics.make_events(measured, customers=5_000, segments={"mobile": 1.0, "desktop": 1.3}, seed=7)
    surveys = analytics.make_surveys(log, measured, seed=7)
    results = measured.measure(log, surveys, segment_col="segment", respondent_col="customer_id")
    print(f"\nmeasured on {len(log):,} events of {log['customer_id'].nunique():,} customers:")
    print(results["funnel"][["stage", "customers", "conversion"]].to_string(index=False))
    cjm.save_html(measured, out / "colleen-measured-map.html", title="Colleen, measured")
    funnel = plots.funnel_chart(results["funnel_by_segment"])
    cjm.save_html(funnel, out / "colleen-funnel.html", title="Funnel")


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
    measured_map(journey, out)
    print(f"\nwrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}/ (all round trips equal)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "demo-output")))
