// The map as a CSS grid: a header row of stages, then one row per lane.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { gridDeps } from "./deps.js";
import { COL, emotionCell, emotionCurve, emotionLaneLabel } from "./emotions.js";
import { goalCell, looseGoalCell } from "./goals.js";
import { indexSnapshot } from "./index.js";
import { itemCell } from "./items.js";
import { laneCell, laneHeader, newLane } from "./lanes.js";
import { refreshLinked } from "./linked.js";
import { metaPanel } from "./meta.js";
import { looseMetricCell, metricCell } from "./metrics.js";
import { newStage, stageHeader } from "./stages.js";
import { touchpointCell } from "./touchpoints.js";
import { followWindow, stageWindow, WINDOW_ABOVE } from "./window.js";

function laneLabel(text) {
  return h("div", { class: "cjm-lane-label", role: "rowheader", text });
}

/**
 * Draw the whole editor body for a snapshot. Pieces go through ctx.cell (lib/memo.js) with the
 * deps of deps.js, lane cells memoise each card or item: after a delta only what shows a changed
 * row is built again; containers are kept and patched, so untouched controls keep their nodes,
 * focus and typed text. Selects listing rows that changed get their options in place.
 */
export function drawGrid(ctx) {
  // One index object per view, updated in place: handlers of kept cells read current rows.
  const ix = indexSnapshot(ctx.snapshot, (ctx.ui.index ??= {}));
  const n = ix.stages.length;
  const deps = gridDeps(ctx, ix);
  const grid = ctx.box("grid", () => h("div", { class: "cjm-grid" }));
  grid.style.setProperty("--cjm-col", `${COL}px`);
  grid.style.gridTemplateColumns = `var(--cjm-label) repeat(${n}, var(--cjm-col)) var(--cjm-col)`;
  // A wide map draws only the stage columns near the screen (window.js), each at its own grid
  // column so the grid keeps the whole map's width; a small one draws all, placed in order.
  const windowed = n > WINDOW_ABOVE;
  if (windowed) followWindow(ctx);
  const [from, to] = stageWindow(ctx, n);
  const drawn = ix.stages.slice(from, to);
  const at = (node, column) => {
    const want = windowed ? column : "";
    if (node.style.gridColumn !== want) node.style.gridColumn = want;
    return node;
  };
  const stages = (cell) => drawn.map((s, k) => at(cell(s, from + k), String(from + k + 2)));
  const last = String(n + 2); // the column of "new stage", under which each lane ends
  let spacers = 0;
  const spacer = () => at(ctx.box(`spacer:${spacers++}`, () => h("div", { class: "cjm-spacer" })), last);
  const filler = () => ctx.box("filler", () => { const f = h("div", { class: "cjm-spacer" }); f.style.gridColumn = "2 / -1"; return f; });
  const label = (text) => at(ctx.box(`label:${text}`, () => laneLabel(text)), "1");
  // A lane row: one cell per stage drawn, each memoising its own cards or items.
  const row = (text, cell) => [label(text), ...stages(cell), spacer()];
  const curve = ctx.cell("curve", [...deps.curve(), from, to], () => h("div", { class: "cjm-curve-cell" }, [emotionCurve(ctx, ix, from, to)]));
  curve.style.gridColumn = `${from + 2} / span ${Math.max(to - from, 1)}`;
  patchChildren(grid, [
    at(ctx.box("corner", () => h("div", { class: "cjm-corner", text: "Stages" })), "1"),
    ...stages((s, i) => ctx.cell(`stage:${s.id}`, deps.header(s, i), () => stageHeader(ctx, ix, s, i, n))),
    at(ctx.box("new-stage", () => newStage(ctx)), last),
    ...row("Touchpoints", (s) => touchpointCell(ctx, ix, s)),
    at(ctx.box("label:Emotions", emotionLaneLabel), "1"), curve, ...(n ? [spacer()] : []),
    ...row("Emotion details", (s) => emotionCell(ctx, ix, s)),
    ...row("Pain points", (s) => itemCell(ctx, ix, "pains", ix.pains.get(s.id) || [], s)),
    ...row("Opportunities", (s) => itemCell(ctx, ix, "opportunities", ix.opportunities.get(s.id) || [], s)),
    ...row("Actions", (s) => itemCell(ctx, ix, "actions", ix.actions.get(s.id) || [], s)),
    ...row("Metrics", (s) => metricCell(ctx, ix, s)),
    ...row("Goals", (s) => goalCell(ctx, ix, s)),
    ...[...ix.lanes.keys()].flatMap((lane) => [
      at(ctx.cell(JSON.stringify(["lane", lane]), [], () => laneHeader(ctx, lane)), "1"),
      ...stages((s) => ctx.cell(JSON.stringify(["lane", lane, s.id]), deps.lane(lane, s), () => laneCell(ctx, ix, lane, s))),
      spacer(),
    ]),
    ...(n ? [at(ctx.box("new-lane", () => newLane(ctx)), "1"), filler()] : []), // lanes hold one cell per stage: stages first
  ]);
  const loose = patchChildren(ctx.box("loose", () => h("div", { class: "cjm-loose" })), [
    ctx.box("loose-actions", () => h("h4", { text: "Journey-wide actions" })),
    itemCell(ctx, ix, "actions", ix.looseActions, null),
    ix.looseOpportunities.length ? ctx.box("loose-opps", () => h("h4", { text: "Opportunities not tied to a stage" })) : null,
    ix.looseOpportunities.length ? itemCell(ctx, ix, "opportunities", ix.looseOpportunities, null) : null,
    ix.looseMetrics.length ? ctx.box("loose-metrics", () => h("h4", { text: "Metrics not tied to a stage" })) : null,
    ix.looseMetrics.length ? looseMetricCell(ctx, ix) : null,
    ctx.box("loose-goals", () => h("h4", { text: "Journey-wide goals" })),
    looseGoalCell(ctx, ix),
  ]);
  const meta = ctx.cell("meta", [ctx.snapshot.journey], () => metaPanel(ctx));
  const journey = patchChildren(ctx.box("journey", () => h("div", { class: "cjm-journey" })), [meta, grid, loose]);
  refreshLinked(ctx, journey, deps.source);
  return journey;
}
