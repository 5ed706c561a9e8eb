"""Benchmark the JourneyEditor: first render and the edit round trip, harness cost apart.

For a map of ``--touchpoints`` touchpoints spread over ``--stages`` stages
(default 2,400 over 12: 200 per stage), in headless chromium without Jupyter:

* first render: ``render()`` of the ESM plus the first layout, in the browser;
* edit round trip, on the browser's clock: a DOM edit (text typed, Enter) until
  the widget's answer (delta, then reply) is applied, the DOM patched and laid out. The
  fake model forwards each message to the real Python widget's comm through
  Playwright, a stand-in for the kernel's websocket; that bridge's own cost is
  measured alone with a no-op echo through the same path and taken out;
* where the time goes: the harness calls Python synchronously, but while Python works the
  browser draws the frame the edit caused (status line), on the same two cores; so Python's
  wall time is shown next to its CPU time, and "bridge + wait" (answer back minus sent minus
  Python wall) holds Playwright's transport *and* the wait for that frame, browser work the
  old breakdown labelled "Playwright, not ours". "painted" adds the frame after the patch;
* a large map (``--touchpoints 20000`` or more, e.g. 100,000) also gets its own report, with
  the 2,400-touchpoint map measured in the same run as the baseline of the ratios: Python
  (widget built, snapshot serialized), the saved widget state's size (``embed_data``,
  ``drop_defaults=False``), first render in chromium (``render()`` with the state as the comm
  sends it, plus layout; and wall time with the harness handing the state over), DOM elements,
  and the read-only saved copy rendered by ``@jupyter-widgets/html-manager`` (needs
  ``npm ci`` in ``js/``). Target (issue 10): first render under 2 s;
* ``--compare JS`` measures another build of the bundle (an older one) in the same run,
  interleaved: each round measures both builds, in the order AB, then BA, then AB... (the
  build measured first in a pair had an edge of its own: measured one after the other, the
  first build won ~9 runs in 10). First renders are one pair per round; edits are a block of
  edits per build per round, each on a fresh page. Medians over all rounds and their ratio
  are printed, with the spread of the per-round ratios. ``--compare`` with the same bundle
  (A against A) shows the noise of a ratio on this machine;
* DOM edit -> Python frame changed: browser time until the message is sent,
  plus half the echo (one way over the bridge), plus Python time from the
  message arriving to the journey's change;
* with ``--lab``, the same edit in a real JupyterLab: DOM edit until the reply
  reaches the browser (the status line says "All changes saved"), which is the
  round trip a user sees; JupyterLab's own comm path is in it.

Medians over ``--edits`` edits of each kind (stage rename, touchpoint rename).
A 3x3 map measured in the same run is the baseline of the ratios.
Targets (issue 4): render < 300 ms, edit round trip < 50 ms (a 2,400-touchpoint map).

Run: ``.venv/bin/python bench/bench_editor.py [--stages 12] [--touchpoints 2400] [--edits 15] [--lab]``;
a large map: ``--touchpoints 100000`` (12 long stages) or ``--stages 1000 --touchpoints 100000`` (wide).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cjm_jupyter import Journey, JourneyEditor  # noqa: E402
from tests.support.widget_harness import Harness, launch_chromium, wire_state  # noqa: E402

STATIC = ROOT / "cjm_jupyter" / "static"

RENDER_TARGET_MS = 300.0
ROUND_TRIP_TARGET_MS = 50.0
LARGE_RENDER_TARGET_MS = 2000.0
#: Maps of at least this many touchpoints get the large-map report too.
LARGE_FROM = 20_000
BASELINE_TOUCHPOINTS = 2_400

#: Elements in the page, Shadow DOM included.
COUNT = """() => { let n = 0;
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) { n += 1; if (el.shadowRoot) walk(el.shadowRoot); } };
  walk(document); return n; }"""

#: Wraps the page's bridge so each edit leaves marks on the browser's clock. "painted": the
#: rendering frame after the patch ran (style, layout, paint), seen from a task queued in it.
INSTRUMENT = """() => {
  const kernel = window.__kernel, deliver = window.__deliver;
  window.__afterFrame = (mark) => requestAnimationFrame(() => {
    const c = new MessageChannel(); c.port1.onmessage = () => { window.__marks[mark] = performance.now(); };
    c.port2.postMessage(0); });
  window.__kernel = (msg) => { window.__marks.sent = performance.now();
    return kernel(msg).then((events) => { window.__marks.back = performance.now(); return events; }); };
  window.__deliver = (events) => { window.__marks.delivered = performance.now(); deliver(events);
    window.__marks.applied = performance.now();
    document.querySelector(".cjm-host").shadowRoot.querySelector(".cjm-body").getBoundingClientRect();
    window.__marks.laid_out = performance.now(); window.__afterFrame("painted"); };
}"""

#: One edit through the DOM: type, Enter; resolves once the answer is applied and painted.
#: "frame": the rendering frame right after Enter (the status line says "Saving"), which runs
#: while Python handles the message and delays the answer's delivery.
EDIT = """([key, value]) => new Promise((resolve) => {
  const root = document.querySelector(".cjm-host").shadowRoot;
  const el = root.querySelector(`[data-key="${key}"]`);
  el.focus();
  el.value = value;
  window.__marks = {};
  const t0 = performance.now();
  el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  window.__afterFrame("frame");
  const wait = () => (window.__marks.painted ? resolve({ t0, ...window.__marks }) : setTimeout(wait, 1));
  wait();
})"""

#: The bridge alone: a message that goes to Python and comes straight back.
ECHO = """async (n) => { const out = [];
  for (let i = 0; i < n; i++) { const t = performance.now();
    await window.__kernel({ kind: "cjm-echo" }); out.push(performance.now() - t); }
  return out; }"""


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


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def render_ms(b: Any, journey: Journey, repeats: int, bundle: str = "journey_editor.js") -> float:
    times = []
    for _ in range(repeats):
        page = b.new_page(viewport={"width": 1400, "height": 900})
        editor = JourneyEditor(journey)
        # The state as the comm sends it (frames as JSON text): render() parses it, as in Jupyter.
        times.append(Harness(page).mount(bundle, wire_state(editor)))
        page.close()
        # An editor left open keeps observing the journey: later edits would pay for its deltas.
        editor.close()
    return median(times)


def edits(stages: int, per_stage: int) -> dict[str, tuple[str, str, Any]]:
    """Edit kinds: (data-key of the control, text prefix, check of the Python frame)."""
    # A stage drawn at first: a map wider than 24 stages draws only those near the screen.
    tp = f"s{stages // 2 if stages <= 24 else 2}-t{min(3, per_stage - 1)}"
    return {
        "stage rename": ("stage:s0:name", "Renamed", lambda j: j.stages.loc[0, "name"]),
        "touchpoint rename": (
            f"tp:{tp}:name",
            "Moment",
            lambda j: j.touchpoints.set_index("id").loc[tp, "name"],
        ),
    }


def harness_trips(
    b: Any, journey: Journey, n: int, stages: int, per_stage: int, bundle: str = "journey_editor.js"
) -> dict[str, dict[str, float]]:
    """Median timings (ms) per edit kind, plus the bridge's echo, in the Playwright harness."""
    rows, echo = trip_rows(b, journey, n, stages, per_stage, bundle)
    out = {
        kind: {name: median([r[name] for r in kind_rows]) for name in kind_rows[0]}
        for kind, kind_rows in rows.items()
    }
    for value in out.values():
        value["echo"] = median(echo)
    return out


def trip_rows(
    b: Any, journey: Journey, n: int, stages: int, per_stage: int, bundle: str = "journey_editor.js"
) -> tuple[dict[str, list[dict[str, float]]], list[float]]:
    """Timings (ms) of ``n`` edits per kind after a warm-up, and the bridge's echo times."""
    editor = JourneyEditor(journey)
    page = b.new_page(viewport={"width": 1400, "height": 900})
    h = Harness(page)
    h.mount(bundle, wire_state(editor), live=editor)
    page.evaluate(INSTRUMENT)
    changed: list[float] = []
    observer = journey.observe(lambda _change: changed.append(time.perf_counter()))
    out: dict[str, list[dict[str, float]]] = {}
    for kind, (key, prefix, check) in edits(stages, per_stage).items():
        rows: list[dict[str, float]] = []
        for k in range(n + 1):  # the first is a warm-up
            h.handle_ms.clear()
            changed.clear()
            m = page.evaluate(EDIT, [key, f"{prefix} {k}"])
            assert check(journey) == f"{prefix} {k}", (kind, check(journey))
            python = h.handle_ms[-1]
            rows.append(
                {
                    "total": m["laid_out"] - m["t0"],
                    "painted": m["painted"] - m["t0"],
                    "before_send": m["sent"] - m["t0"],
                    "frame": m.get("frame", m["t0"]) - m["t0"],
                    "python": python,
                    "python_cpu": h.handle_cpu_ms[-1],
                    "to_change": (changed[0] - h.received) * 1e3,
                    "bridge": m["back"] - m["sent"] - python,
                    "apply": m["applied"] - m["delivered"],
                    "layout": m["laid_out"] - m["applied"],
                    "paint": m["painted"] - m["laid_out"],
                }
            )
        out[kind] = rows[1:]
    echo = page.evaluate(ECHO, 3 * n)[n:]  # drop a warm-up third
    page.close()
    editor.close()
    journey.unobserve(observer)
    return out, echo


def spread(ratios: list[float]) -> str:
    """The per-round ratios as "median [min-max]"."""
    return f"{median(ratios):.3f} [{min(ratios):.3f}-{max(ratios):.3f}]"


def interleaved(b: Any, args: argparse.Namespace, per_stage: int, builds: dict[str, str]) -> dict[str, Any]:
    """First render and edits of two builds, round by round in the order AB, BA, AB...

    Returns, per build, every render time and every edit's timings, and per round the
    ratio this/that of the round's medians.
    """
    names = list(builds)
    renders: dict[str, list[float]] = {name: [] for name in names}
    rows: dict[str, dict[str, list[dict[str, float]]]] = {name: {} for name in names}
    round_ratio: dict[str, list[float]] = {}
    per_round = -(-args.edits // args.rounds)  # edits per kind per build in one round
    for r in range(args.rounds):
        order = names if r % 2 == 0 else names[::-1]
        this_round: dict[str, dict[str, float]] = {}
        for name in order:
            renders[name].append(render_ms(b, big_journey(args.stages, per_stage), 1, builds[name]))
            got, _echo = trip_rows(
                b, big_journey(args.stages, per_stage), per_round, args.stages, per_stage, builds[name]
            )
            this_round[name] = {"render": renders[name][-1]}
            for kind, kind_rows in got.items():
                rows[name].setdefault(kind, []).extend(kind_rows)
                this_round[name][kind] = median([x["total"] for x in kind_rows])
        for key in this_round[names[0]]:
            round_ratio.setdefault(key, []).append(this_round[names[0]][key] / this_round[names[1]][key])
    return {"renders": renders, "rows": rows, "round_ratio": round_ratio}


def print_interleaved(result: dict[str, Any], builds: dict[str, str], rounds: int) -> None:
    """Medians of both builds, the ratio this/that, and the spread of the per-round ratios."""
    this, that = list(builds)
    print(
        f"interleaved comparison, {rounds} rounds (order AB, BA, ...):"
        f" this = {builds[this]}, that = {builds[that]}"
    )
    renders = result["renders"]
    a, b = median(renders[this]), median(renders[that])
    print(
        f"  first render      this {a:7.1f} ms  that {b:7.1f} ms  this/that {a / b:.3f}"
        f"  (per round {spread(result['round_ratio']['render'])})"
    )
    for kind in result["rows"][this]:
        for field, label in [
            ("total", "applied, laid out"),
            ("apply", "answer -> patched"),
            ("painted", "painted"),
        ]:
            a = median([r[field] for r in result["rows"][this][kind]])
            b = median([r[field] for r in result["rows"][that][kind]])
            extra = f"  (per round {spread(result['round_ratio'][kind])})" if field == "total" else ""
            print(f"  {kind:18} {label:18} this {a:6.1f} ms  that {b:6.1f} ms  this/that {a / b:.3f}{extra}")


def model_ms(journey: Journey, repeats: int = 15) -> float:
    """Median time of the model's own validated update, without any widget."""
    times = []
    for n in range(repeats):
        t = time.perf_counter()
        journey.update_stage("s0", name=f"Model {n}")
        times.append((time.perf_counter() - t) * 1e3)
    return median(times)


LAB_CELL = """import sys; sys.path.insert(0, {root!r})
from bench.bench_editor import big_journey
from cjm_jupyter import JourneyEditor
j = big_journey({stages}, {per_stage})
JourneyEditor(j)"""

#: One edit in JupyterLab: resolves when the status line says the reply came.
LAB_EDIT = """([key, value]) => new Promise((resolve) => {
  const root = document.querySelector(".cjm-host").shadowRoot;
  const el = root.querySelector(`[data-key="${key}"]`);
  const status = root.querySelector(".cjm-status");
  el.focus();
  el.value = value;
  const t0 = performance.now();
  const seen = new MutationObserver(() => {
    if (status.textContent === "All changes saved") { seen.disconnect(); resolve(performance.now() - t0); }
  });
  seen.observe(status, { childList: true, characterData: true, subtree: true });
  el.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
})"""


def _local_only(route: Any) -> None:
    local = route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
    route.continue_() if local else route.abort()


def lab_trips(b: Any, n: int, stages: int, per_stage: int) -> dict[str, float]:
    """Median DOM edit -> reply in the browser (ms) per edit kind, in a real JupyterLab."""
    import nbformat

    from tests.support.lab_server import jupyter_lab

    scratch = Path(tempfile.mkdtemp(prefix="cjm-bench-lab-"))
    try:
        root = scratch / "root"
        root.mkdir()
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        code = LAB_CELL.format(root=str(ROOT), stages=stages, per_stage=per_stage)
        nb.cells.append(nbformat.v4.new_code_cell(code))
        nbformat.write(nb, root / "bench.ipynb")
        out: dict[str, float] = {}
        with jupyter_lab(root, scratch) as url:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith("http://127.0.0.1") else r.abort()
            )
            page.goto(f"{url}/lab/tree/bench.ipynb")
            page.get_by_text(re.compile(r"ipykernel\) \| Idle")).wait_for(timeout=90_000)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.locator('[data-key="stage:s0:name"]').wait_for(timeout=90_000)
            page.wait_for_timeout(1000)  # the cell's execution settles
            for kind, (key, prefix, _check) in edits(stages, per_stage).items():
                times = [page.evaluate(LAB_EDIT, [key, f"{prefix} lab {k}"]) for k in range(n + 1)]
                out[kind] = median(times[1:])
            page.close()
        return out
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def large_report(b: Any, journey: Journey, repeats: int) -> dict[str, float]:
    """Python and chromium costs of one map's editor (medians over ``repeats`` renders)."""
    from ipywidgets.embed import embed_data

    from tests.support.widget_export import _page

    t = time.perf_counter()
    editor = JourneyEditor(journey)
    out = {"construct_ms": (time.perf_counter() - t) * 1e3}
    editor.__dict__.pop("_json_cache", None)  # serialize from scratch, as for a new widget
    t = time.perf_counter()
    state = wire_state(editor)
    out["serialize_ms"] = (time.perf_counter() - t) * 1e3
    saved = embed_data(views=[editor], drop_defaults=False)["manager_state"]["state"][editor.model_id]
    out["state_bytes"] = len(json.dumps(saved))  # this widget's saved state (_esm included)
    renders, walls = [], []
    for _ in range(repeats):
        page = b.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        renders.append(Harness(page).mount("journey_editor.js", state))
        walls.append((time.perf_counter() - t) * 1e3)
        out["elements"] = page.evaluate(COUNT)
        page.close()
    out["render_ms"], out["render_wall_ms"] = median(renders), median(walls)
    folder = Path(tempfile.mkdtemp(prefix="cjm-bench-ro-"))
    try:  # the saved copy: html-manager parses the state and renders the view with no kernel
        page_file = _page(folder, editor)
        page = b.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        Harness(page, url=page_file.as_uri()).key("stage:s0:name").wait_for(timeout=600_000)
        out["readonly_wall_ms"] = (time.perf_counter() - t) * 1e3
        out["readonly_elements"] = page.evaluate(COUNT)
        page.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    editor.close()
    return out


def print_large(m: dict[str, float], base: dict[str, float]) -> None:
    """The large-map report, each number with its ratio to the baseline map's."""
    rows = [
        ("Python: JourneyEditor(j)", "construct_ms", "ms"),
        ("Python: snapshot serialized", "serialize_ms", "ms"),
        ("saved widget state", "state_bytes", "bytes"),
        ("first render in chromium", "render_ms", "ms"),
        ("  wall, state handed over by harness", "render_wall_ms", "ms"),
        ("DOM elements after first render", "elements", ""),
        ("read-only saved copy shown, wall", "readonly_wall_ms", "ms"),
        ("DOM elements of the read-only copy", "readonly_elements", ""),
    ]
    for label, key, unit in rows:
        ratio = m[key] / base[key] if base[key] else float("nan")
        print(f"  {label:38} {m[key]:12,.0f} {unit:5}  (2,400: {base[key]:10,.0f}, ratio {ratio:5.1f}x)")
    verdict = "OK" if m["render_ms"] < LARGE_RENDER_TARGET_MS else "MISSED"
    print(f"  first render target < {LARGE_RENDER_TARGET_MS:.0f} ms: {verdict}")


def print_trip(m: dict[str, float], base: dict[str, float]) -> None:
    """The round trip of one edit kind and where its time goes (medians, ms)."""
    ours = m["total"] - m["echo"]
    base_ours = base["total"] - base["echo"]
    verdict = "OK" if ours < ROUND_TRIP_TARGET_MS else "MISSED"
    print(
        f"  round trip, ours      {ours:7.1f} ms  target < {ROUND_TRIP_TARGET_MS:.0f} ms  {verdict:6}"
        f"  (3x3 {base_ours:.1f} ms, ratio {ours / base_ours:.1f}x)"
    )
    print(f"    DOM edit -> answer applied, laid out   {m['total']:7.1f} ms  (with the harness bridge)")
    print(f"    DOM edit -> answer painted             {m['painted']:7.1f} ms  (the next frame drawn too)")
    print(f"    harness bridge (no-op echo)            {m['echo']:7.1f} ms  (Playwright, not ours)")
    print(f"    browser: DOM edit -> message sent      {m['before_send']:7.1f} ms")
    print(f"    browser: frame after the edit drawn    {m['frame']:7.1f} ms  (overlaps Python)")
    print(f"    python: message in -> reply, wall      {m['python']:7.1f} ms  (shares cores with it)")
    print(f"    python: message in -> reply, CPU       {m['python_cpu']:7.1f} ms  (Python's own work)")
    print(f"    bridge + wait for the browser's frame  {m['bridge']:7.1f} ms  (back - sent - python wall)")
    print(f"    browser: answer -> DOM patched         {m['apply']:7.1f} ms")
    print(f"    browser: forced layout after the patch {m['layout']:7.1f} ms")
    print(f"    browser: next frame (style/paint)      {m['paint']:7.1f} ms")
    change = m["before_send"] + m["echo"] / 2 + m["to_change"]
    print(f"  DOM edit -> Python frame changed {change:7.1f} ms  (send + half the echo + python to change)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=12)
    parser.add_argument("--touchpoints", type=int, default=BASELINE_TOUCHPOINTS, help="in all stages")
    parser.add_argument("--repeats", type=int, default=5, help="renders measured")
    parser.add_argument("--edits", type=int, default=15, help="edits measured per kind")
    parser.add_argument("--lab", action="store_true", help="also measure in a real JupyterLab")
    parser.add_argument(
        "--compare",
        metavar="JS",
        help="another build of journey_editor.js (e.g. an older one), same run, interleaved",
    )
    parser.add_argument("--rounds", type=int, default=10, help="rounds of an interleaved --compare")
    args = parser.parse_args()
    per_stage = -(-args.touchpoints // args.stages)  # spread over the stages, rounded up
    big = big_journey(args.stages, per_stage)
    small = big_journey(3, 3)
    cards = args.stages * per_stage
    other: dict[str, Any] = {}
    large: dict[str, dict[str, float]] = {}
    with launch_chromium() as b:
        render_ms(b, small, 1)  # warm up the browser
        base = render_ms(b, small, args.repeats)
        first = render_ms(b, big, args.repeats)
        if cards >= LARGE_FROM:
            large["base"] = large_report(b, big_journey(12, BASELINE_TOUCHPOINTS // 12), args.repeats)
            large["map"] = large_report(b, big, args.repeats)
        trips = harness_trips(b, big, args.edits, args.stages, per_stage)
        small_trips = harness_trips(b, small, args.edits, 3, 3)
        if args.compare:
            builds = {"this": str(STATIC / "journey_editor.js"), "that": str(Path(args.compare).resolve())}
            other = interleaved(b, args, per_stage, builds)
        lab = lab_trips(b, args.edits, args.stages, per_stage) if args.lab else {}
    print(f"map: {args.stages} stages x {per_stage} touchpoints = {cards} cards")
    print(f"medians: {args.repeats} renders, {args.edits} edits per kind; baseline: a 3x3 map, same run")
    verdict = "OK" if first < RENDER_TARGET_MS else "MISSED"
    print(
        f"first render            {first:7.1f} ms  target < {RENDER_TARGET_MS:.0f} ms  {verdict:6}"
        f"  (3x3 {base:.1f} ms, ratio {first / base:.1f}x)"
    )
    if large:
        print(f"large map, {cards:,} touchpoints (baseline: 12 x 200 = 2,400, same run; medians):")
        print_large(large["map"], large["base"])
    for kind, m in trips.items():
        print(f"{kind}:")
        print_trip(m, small_trips[kind])
        if kind in lab:
            verdict = "OK" if lab[kind] < ROUND_TRIP_TARGET_MS else "MISSED"
            print(f"  JupyterLab: DOM edit -> reply in browser {lab[kind]:7.1f} ms  {verdict}")
    if other:
        print_interleaved(other, builds, args.rounds)
    print(f"model alone: Journey.update_stage {model_ms(big):.1f} ms")
    summary = {"render": first, "trips": trips, "lab": lab, "compare": other, "large": large}
    print(json.dumps(summary, default=float), file=sys.stderr)


if __name__ == "__main__":
    main()
