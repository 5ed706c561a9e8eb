// The map as a CSS grid: a header row of stages, then one row per lane.
import { h } from "../lib/dom.js";
import { COL, emotionCell, emotionCurve } from "./emotions.js";
import { indexSnapshot } from "./index.js";
import { itemCell } from "./items.js";
import { newStage, stageHeader } from "./stages.js";
import { touchpointCell } from "./touchpoints.js";

function laneLabel(text) {
  return h("div", { class: "cjm-lane-label", role: "rowheader", text });
}

/** Draw the whole editor body for a snapshot. */
export function drawGrid(ctx) {
  const ix = indexSnapshot(ctx.snapshot);
  const n = ix.stages.length;
  const grid = h("div", { class: "cjm-grid" });
  grid.style.setProperty("--cjm-col", `${COL}px`);
  grid.style.gridTemplateColumns = `var(--cjm-label) repeat(${n}, var(--cjm-col)) var(--cjm-col)`;
  const spacer = () => h("div", { class: "cjm-spacer" });
  const row = (label, cell) => [laneLabel(label), ...ix.stages.map(cell), spacer()];
  const curve = h("div", { class: "cjm-curve-cell" }, [emotionCurve(ctx, ix)]);
  curve.style.gridColumn = `2 / span ${Math.max(n, 1)}`;
  grid.append(
    h("div", { class: "cjm-corner", text: "Stages" }),
    ...ix.stages.map((s, i) => stageHeader(ctx, s, i, n)),
    newStage(ctx),
    ...row("Touchpoints", (s) => touchpointCell(ctx, ix, s)),
    laneLabel("Emotions"), curve, ...(n ? [spacer()] : []),
    ...row("Emotion details", (s) => emotionCell(ctx, ix, s)),
    ...row("Pain points", (s) => itemCell(ctx, ix, "pains", ix.pains.get(s.id) || [], s)),
    ...row("Opportunities", (s) => itemCell(ctx, ix, "opportunities", ix.opportunities.get(s.id) || [], s)),
    ...row("Actions", (s) => itemCell(ctx, ix, "actions", ix.actions.get(s.id) || [], s)),
  );
  const loose = h("div", { class: "cjm-loose" }, [
    h("h4", { text: "Journey-wide actions" }),
    itemCell(ctx, ix, "actions", ix.looseActions, null),
    ix.looseOpportunities.length ? h("h4", { text: "Opportunities not tied to a stage" }) : null,
    ix.looseOpportunities.length ? itemCell(ctx, ix, "opportunities", ix.looseOpportunities, null) : null,
  ]);
  return h("div", { class: "cjm-journey" }, [grid, loose]);
}
