// Custom text lanes (Backstage, KPIs...): one grid row per lane, one text cell per stage.
// A lane lives in its cells (frame "lanes"), so renaming or deleting a lane touches all of them.
import { h } from "../lib/dom.js";
import { addField, button, textField } from "../lib/fields.js";

/** The row header of a lane: its name (rename on commit) and a delete button. */
export function laneHeader(ctx, lane) {
  const key = `lane-name:${lane}`;
  return h("div", { class: "cjm-lane-label cjm-custom-lane", role: "rowheader" }, [
    textField({ key, value: lane, label: `Name of lane ${lane}`, cls: "cjm-lane-name",
      onCommit: (name, raw) => ctx.edit("rename_lane", { lane, name: name ?? "" }, { key, value: raw }) }),
    button("×", `Delete lane ${lane}`, () => ctx.edit("remove_lane", { lane }), { cls: "cjm-danger" }),
  ]);
}

/** The cell of `lane` at `stage`; typing into a missing cell creates it. */
export function laneCell(ctx, ix, lane, stage) {
  const row = ix.lanes.get(lane)?.get(stage.id);
  const key = `lane:${lane}:${stage.id}`;
  return h("div", { class: "cjm-cell" }, [
    textField({ key, value: row?.text, label: `Lane ${lane}, stage ${stage.name || stage.id}`, multiline: true,
      onCommit: (text, raw) => ctx.edit("set_lane_cell", { lane, stage: stage.id, text }, { key, value: raw }) }),
  ]);
}

/** The row header that adds a lane (the journey needs a stage first). */
export function newLane(ctx) {
  const add = addField({ key: "new-lane", label: "New lane", ctx,
    onAdd: (name, key) => ctx.edit("add_lane", { name }, { key, value: name, draft: true }) });
  // One accessible name per control: the input is "New lane", its button "Add lane".
  for (const attr of ["aria-label", "title"]) add.querySelector("button")?.setAttribute(attr, "Add lane");
  return h("div", { class: "cjm-lane-label cjm-new-lane", role: "rowheader" }, [add]);
}
