"""Benchmark the JourneyEditor in headless chromium (no Jupyter).

Measures, for a map of ``--stages`` stages x ``--touchpoints`` touchpoints per
stage (default 12 x 200 = 2,400 cards):

* first render: ``render()`` of the ESM plus the first layout, in the browser;
* round trip: a DOM edit (stage rename, Enter) to the change of the Python
  journey's frame, with the fake model forwarding each message to the real
  widget through Playwright (a stand-in for the kernel's comm);
* Python handling alone: message in -> frame changed -> snapshot pushed;
* redraw: the view drawing the snapshot sent after an edit.

A 3-stage map rendered in the same run is the baseline of the ratios.
Targets: render < 300 ms, round trip < 50 ms.

Run: ``.venv/bin/python bench/bench_editor.py [--stages 12] [--touchpoints 200]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cjm_jupyter import Journey, JourneyEditor
from tests.widget_harness import Harness, editor_state, launch_chromium

RENDER_TARGET_MS = 300.0
ROUND_TRIP_TARGET_MS = 50.0


def big_journey(stages: int, per_stage: int) -> Journey:
    """A map built from frames directly (the per-row API would dominate the setup)."""
    st = pd.DataFrame({"id": [f"s{i}" for i in range(stages)], "name": [f"Stage {i}" for i in range(stages)]})
    tp = pd.DataFrame(
        [
            {"id": f"s{i}-t{k}", "stage_id": f"s{i}", "name": f"Touchpoint {k}", "channel": "web", "order": k}
            for i in range(stages)
            for k in range(per_stage)
        ]
    )
    per = pd.DataFrame({"id": ["p1"], "name": ["Colleen"]})
    emo = pd.DataFrame(
        {
            "id": [f"e{i}" for i in range(stages)],
            "persona_id": "p1",
            "stage_id": [f"s{i}" for i in range(stages)],
            "score": [((i % 5) - 2) * 1.0 for i in range(stages)],
            "source": "assumption",
            "basis": "assumed",
        }
    )
    return Journey("Bench", frames={"stages": st, "touchpoints": tp, "personas": per, "emotions": emo})


def render_ms(b, journey: Journey, repeats: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        page = b.new_page(viewport={"width": 1400, "height": 900})
        times.append(Harness(page).mount("journey_editor.js", editor_state(JourneyEditor(journey))))
        page.close()
    return statistics.median(times)


def round_trips(b, journey: Journey, repeats: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """Median DOM edit -> frame change, Python handling alone, and redraw, in ms."""
    editor = JourneyEditor(journey)
    page = b.new_page(viewport={"width": 1400, "height": 900})
    h = Harness(page)
    changed: list[float] = []
    journey.observe(lambda _change: changed.append(time.perf_counter()))
    handle_ms: list[float] = []
    original = editor.handle

    def timed(content):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        reply = original(content)
        handle_ms.append((time.perf_counter() - t) * 1e3)
        return reply

    editor.handle = timed  # type: ignore[method-assign]
    h.mount("journey_editor.js", editor_state(editor), live=editor)
    page.evaluate(
        """() => { const m = window.__model; window.__redraws = [];
        m.on('change:snapshot', () => { const t = performance.now();
          requestAnimationFrame(() => window.__redraws.push(performance.now() - t)); }); }"""
    )
    trips = []
    for n in range(repeats):
        field = h.key("stage:s0:name")
        field.fill(f"Renamed {n}")
        t0 = time.perf_counter()
        field.press("Enter")
        page.wait_for_function(f"window.__redraws.length >= {n + 1}")
        assert journey.stages.loc[0, "name"] == f"Renamed {n}"
        trips.append((changed[-1] - t0) * 1e3)
    redraws = page.evaluate("window.__redraws")
    page.close()
    return statistics.median(trips), statistics.median(handle_ms), statistics.median(redraws)


def model_ms(journey: Journey, repeats: int = 5) -> float:
    """Median time of the model's own validated update, without any widget."""
    times = []
    for n in range(repeats):
        t = time.perf_counter()
        journey.update_stage("s0", name=f"Model {n}")
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=12)
    parser.add_argument("--touchpoints", type=int, default=200, help="touchpoints per stage")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    big = big_journey(args.stages, args.touchpoints)
    small = big_journey(3, 3)
    cards = args.stages * args.touchpoints
    with launch_chromium() as b:
        render_ms(b, small, 1)  # warm up the browser
        base = render_ms(b, small, args.repeats)
        first = render_ms(b, big, args.repeats)
        trip, handle, redraw = round_trips(b, big, args.repeats)
        small_trip, _, _ = round_trips(b, small, args.repeats)
    print(f"map: {args.stages} stages x {args.touchpoints} touchpoints = {cards} cards")
    print(f"(median of {args.repeats}; baseline: a 3x3 map in the same run)")
    for label, value, target, baseline in (
        ("first render   ", first, RENDER_TARGET_MS, base),
        ("edit round trip", trip, ROUND_TRIP_TARGET_MS, small_trip),
    ):
        verdict = "OK" if value < target else "MISSED"
        print(
            f"{label}   {value:8.1f} ms  target < {target:.0f} ms  {verdict:6}"
            f"   (3x3 map {baseline:.1f} ms, ratio {value / baseline:.1f}x)"
        )
    print(f"  python handling {handle:8.1f} ms  (message -> frame changed -> snapshot pushed)")
    print(f"    of which model {model_ms(big):8.1f} ms  (Journey.update_stage alone)")
    print(f"  view redraw     {redraw:8.1f} ms  (snapshot -> next frame painted)")


if __name__ == "__main__":
    main()
