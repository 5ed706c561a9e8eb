// Where a row sits (a whole stage or one touchpoint of it) and the selects that link rows.
// A placement is one select whose values are "s:<stage id>", "t:<touchpoint id>" or "" (none):
// changing it sends both columns in one update, so the stage-or-touchpoint rule holds.
import { h } from "../lib/dom.js";
import { linkOptions, shortText } from "../lib/fields.js";
import { linkedSelect } from "./linked.js";

/** The placement value of a row: "t:<id>" at a touchpoint, "s:<id>" at a stage, "" for neither. */
export function placeValue(row) {
  if (row.touchpoint_id) return `t:${row.touchpoint_id}`;
  return row.stage_id ? `s:${row.stage_id}` : "";
}

/** The stage_id / touchpoint_id fields for a placement value (null: neither). */
export function placeFields(value) {
  if (value?.startsWith("t:")) return { stage_id: null, touchpoint_id: value.slice(2) };
  if (value?.startsWith("s:")) return { stage_id: value.slice(2), touchpoint_id: null };
  return { stage_id: null, touchpoint_id: null };
}

/**
 * Options of a placement select: the whole stage and each of its touchpoints; without a stage
 * (rows not tied to one), every stage. `none` adds a first "" option with that label.
 */
export function placeOptions(ix, stage, none = null) {
  const head = none ? [["", none]] : [];
  if (!stage) return [...head, ...ix.stages.map((s) => [`s:${s.id}`, `Whole stage: ${s.name || s.id}`])];
  const tps = ix.touchpoints.get(stage.id) || [];
  return [...head, [`s:${stage.id}`, "Whole stage"], ...tps.map((t) => [`t:${t.id}`, `Touchpoint: ${t.name || t.id}`])];
}

/** The registry source of placement options (see linked.js): the stage's touchpoints, or the stages. */
export function placeSource(stage) {
  return stage ? `tps:${stage.id}` : "stages";
}

/** A placement select for `row` of `frame`; commits through `send(fields, raw)`. Options stay live. */
export function placeSelect({ ctx, ix, stage, row, key, label, none, send }) {
  return linkedSelect(ctx, [placeSource(stage)], { key, value: placeValue(row), label,
    options: () => placeOptions(ix, stage, none), onCommit: (value, raw) => send(placeFields(value), raw) });
}

/** Options of a persona select: none (labelled `none`) and every persona. */
export function personaOptions(ix, none) {
  return linkOptions(ix.personas, none);
}

/** Options of a select linking to rows with a description (pain points, opportunities). */
export function describedOptions(rows, none) {
  return linkOptions(rows || [], none, (r) => shortText(r.description || r.id));
}

/** Options of a stage select: none (labelled `none`) and every stage in order. */
export function stageOptions(ix, none) {
  return linkOptions(ix.stages, none);
}

/** A control with a short visible caption; the control's aria-label stays its accessible name. */
export function captioned(caption, control) {
  // Numbers keep their width; a class, not a :has() rule, which made style recalculation slow.
  const fixed = control.classList.contains("cjm-number") ? " cjm-fixed" : "";
  return h("label", { class: `cjm-captioned${fixed}` }, [h("span", { class: "cjm-caption", text: caption }), control]);
}
