"""Benchmark the journey map on a large journey, against an empty Bokeh figure.

Run with ``python bench/bench_map.py`` (``--check`` exits 1 when a target is missed).

The journey: 12 stages, 200 touchpoints spread over them, 3 personas with an
emotion (score, feeling, quote) at every touchpoint, a pain point at every
fourth touchpoint, an opportunity for every other pain point and a metric per
stage, built with the public :class:`~cjm_jupyter.Journey` constructor.

Measured, best of ``--repeat`` runs after one warm-up:

* build: ``journey_map(journey)``, from frames to a Bokeh layout;
* serialize: ``bokeh.embed.file_html(layout, resources=INLINE)``, the
  standalone page :func:`~cjm_jupyter.plots.export.save_html` writes;
* the same two for an empty ``bokeh.plotting.figure()``, as the baseline.

Targets: the map builds in under 1 s, and its page is at most 1.2 times the
empty figure's page (BokehJS inline is ~4 MB, so the map's own data must stay small).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

import pandas as pd
from bokeh.core.validation import silence
from bokeh.core.validation.warnings import MISSING_RENDERERS
from bokeh.embed import file_html
from bokeh.plotting import figure
from bokeh.resources import INLINE

from cjm_jupyter import Journey

BUILD_TARGET_S = 1.0
SIZE_TARGET_RATIO = 1.2
FEELINGS = ("frustrated", "annoyed", "indifferent", "curious", "delighted")
CHANNELS = ("website", "search", "ads", "email", "store", "phone", "chat", "reviews")


def make_journey(stages: int = 12, touchpoints: int = 200, personas: int = 3) -> Journey:
    """A large, deterministic journey: frames handed to the ``Journey`` constructor.

    (The constructor validates everything once; 900 separate ``add_*`` calls
    would take ~20 s here and measure the model, not the map.)
    """
    persona_ids = [f"persona-{p + 1}" for p in range(personas)]
    stage_ids = [f"stage-{s + 1}" for s in range(stages)]
    tp_stage = [stage_ids[t * stages // touchpoints] for t in range(touchpoints)]
    tp_ids = [f"tp-{t + 1}" for t in range(touchpoints)]
    emotions, pains, opportunities = [], [], []
    for t, tp in enumerate(tp_ids):
        for p, persona in enumerate(persona_ids):
            score = ((t * 7 + p * 3) % 9) / 2 - 2  # -2 .. +2 in half steps
            emotions.append(
                {
                    "id": f"emo-{t + 1}-{p + 1}",
                    "persona_id": persona,
                    "touchpoint_id": tp,
                    "score": score,
                    "feeling": FEELINGS[int(score + 2)],
                    "thought": f"Persona {p + 1} at touchpoint {t + 1}: a short quote",
                    "source": "survey",
                    "basis": "measured",
                    "n": 40,
                }
            )
        if t % 4 == 0:
            pains.append(
                {
                    "id": f"pain-{t + 1}",
                    "touchpoint_id": tp,
                    "description": f"Pain at touchpoint {t + 1}",
                    "severity": t % 5 + 1,
                    "frequency": (t // 4) % 5 + 1,
                    "source": "interview",
                    "basis": "measured",
                }
            )
            if t % 8 == 0:
                opportunities.append(
                    {
                        "id": f"opp-{t + 1}",
                        "description": f"Fix touchpoint {t + 1}",
                        "touchpoint_id": tp,
                        "pain_point_id": f"pain-{t + 1}",
                        "impact": 3,
                        "effort": 2,
                    }
                )
    frames = {
        "personas": pd.DataFrame({"id": persona_ids, "name": [f"Persona {p + 1}" for p in range(personas)]}),
        "stages": pd.DataFrame(
            {"id": stage_ids, "name": [f"Stage {s + 1}" for s in range(stages)], "order": range(stages)}
        ),
        "touchpoints": pd.DataFrame(
            {
                "id": tp_ids,
                "stage_id": tp_stage,
                "name": [f"Touchpoint {t + 1}" for t in range(touchpoints)],
                "channel": [CHANNELS[t % len(CHANNELS)] for t in range(touchpoints)],
                "owner": [f"Team {t % 5}" for t in range(touchpoints)],
                "order": [tp_stage[:t].count(tp_stage[t]) for t in range(touchpoints)],
            }
        ),
        "emotions": pd.DataFrame(emotions),
        "pain_points": pd.DataFrame(pains),
        "opportunities": pd.DataFrame(opportunities),
        "metrics": pd.DataFrame(
            {
                "id": [f"metric-{s + 1}" for s in range(stages)],
                "name": "Conversion",
                "value": [round(0.9 - s * 0.05, 2) for s in range(stages)],
                "unit": "%",
                "stage_id": stage_ids,
                "n": [1000 - s * 50 for s in range(stages)],
                "source": "analytics",
                "basis": "measured",
            }
        ),
    }
    return Journey("Benchmark journey", scenario="12 stages x 200 touchpoints x 3 personas", frames=frames)


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds of the fastest of ``repeat`` calls (after one warm-up call) and its result."""
    result = fn()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(build: Callable[[], Any], repeat: int) -> tuple[float, float, int]:
    """(build seconds, serialize seconds, HTML bytes) of what ``build`` returns."""
    build_s, model = best_of(repeat, build)
    serialize_s, html = best_of(repeat, lambda: file_html(model, resources=INLINE, title="bench"))
    return build_s, serialize_s, len(html.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per measure (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    try:
        from cjm_jupyter.plots.map import journey_map
    except ImportError as exc:
        print(f"bench_map: cannot benchmark, the journey map is missing ({exc})", file=sys.stderr)
        return 2

    start = time.perf_counter()
    journey = make_journey()
    made = time.perf_counter() - start
    sizes = {
        n: len(journey.frame(n)) for n in ("stages", "touchpoints", "personas", "emotions", "pain_points")
    }
    print(f"journey: {sizes} (generated in {made:.2f} s)")

    silence(MISSING_RENDERERS, True)  # the empty baseline figure has no renderers, on purpose
    map_build, map_ser, map_bytes = measure(lambda: journey_map(journey), args.repeat)
    empty_build, empty_ser, empty_bytes = measure(figure, args.repeat)

    print(f"{'':14}{'build s':>10}{'serialize s':>13}{'HTML bytes':>14}")
    print(f"{'journey map':14}{map_build:10.3f}{map_ser:13.3f}{map_bytes:14,d}")
    print(f"{'empty figure':14}{empty_build:10.3f}{empty_ser:13.3f}{empty_bytes:14,d}")
    build_ratio = map_build / BUILD_TARGET_S
    size_ratio = map_bytes / empty_bytes
    build_ok = map_build <= BUILD_TARGET_S
    size_ok = size_ratio <= SIZE_TARGET_RATIO
    print(
        f"build: {map_build:.3f} s / {BUILD_TARGET_S:.1f} s target = {build_ratio:.2f}x "
        f"-> {'OK' if build_ok else 'MISSED'}"
    )
    print(
        f"size:  {map_bytes:,d} / {empty_bytes:,d} B (empty figure) = {size_ratio:.3f}x, "
        f"target <= {SIZE_TARGET_RATIO}x -> {'OK' if size_ok else 'MISSED'}"
    )
    print(
        f"       the map's own data: {map_bytes - empty_bytes:,d} B; "
        f"the {SIZE_TARGET_RATIO}x target allows {int(empty_bytes * (SIZE_TARGET_RATIO - 1)):,d} B"
    )
    return 1 if args.check and not (build_ok and size_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
