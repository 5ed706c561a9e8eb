// The metrics lane: per stage, the values measured on the stage and on its touchpoints.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { button, numberField, selectField, textField } from "../lib/fields.js";
import { NO_PERSONA_LABEL } from "../lib/labels.js";
import { linkedSelect } from "./linked.js";
import { personaOptions } from "./links.js";
import { firstRows } from "./more.js";
import { addNameNumber } from "./addpair.js";
import { choiceOptions } from "../lib/specs.js";

function update(ctx, row, key, fields, raw) {
  return ctx.edit("update", { frame: "metrics", id: row.id, fields }, { key, value: raw });
}

function text(ctx, row, column, label) {
  const key = `metric:${row.id}:${column}`;
  return textField({ key, value: row[column], label, cls: `cjm-metric-${column}`,
    onCommit: (value, raw) => update(ctx, row, key, { [column]: value }, raw) });
}

function number(ctx, row, column, label, opts) {
  const key = `metric:${row.id}:${column}`;
  return numberField({ key, value: row[column], label, ...opts,
    onCommit: (value, raw) => update(ctx, row, key, { [column]: value }, raw) });
}

/** Where the metric sits: the whole stage or one of its touchpoints (at most one is set). */
function placeSelect(ctx, ix, row, stage, who) {
  const key = `metric:${row.id}:place`;
  // A metric tied to no stage (possible in Python) can be moved onto a stage from here.
  // Read when drawn and again when the rows they name change (linked.js).
  const options = () => (stage
    ? [[`stage:${stage.id}`, "Whole stage"], ...(ix.touchpoints.get(stage.id) || []).map((t) => [`tp:${t.id}`, t.name || t.id])]
    : [["", "Journey-wide"], ...ix.stages.map((s) => [`stage:${s.id}`, s.name || s.id])]);
  const value = row.touchpoint_id ? `tp:${row.touchpoint_id}` : row.stage_id ? `stage:${row.stage_id}` : "";
  return linkedSelect(ctx, [stage ? `tps:${stage.id}` : "stages"], { key, value, label: `Place of ${who}`, options,
    onCommit: (choice, raw) => {
      const cut = (choice ?? "").indexOf(":");
      const [kind, id] = cut < 0 ? ["", null] : [choice.slice(0, cut), choice.slice(cut + 1)];
      const fields = kind === "tp" ? { touchpoint_id: id, stage_id: null } : { stage_id: id, touchpoint_id: null };
      return update(ctx, row, key, fields, raw);
    } });
}

function metric(ctx, ix, row, stage) {
  const who = `metric ${row.name || row.id}`;
  const personaKey = `metric:${row.id}:persona_id`;
  const basisKey = `metric:${row.id}:basis`;
  const bases = choiceOptions(ctx, "metrics", "basis");
  return h("div", { class: "cjm-item cjm-metric", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      text(ctx, row, "name", `Name of ${who}`),
      button("×", `Delete ${who}`, () => ctx.edit("remove", { frame: "metrics", id: row.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row" }, [
      number(ctx, row, "value", `Value of ${who}`, { step: "any" }),
      text(ctx, row, "unit", `Unit of ${who}`),
    ]),
    // The period a value was measured in (schema 2): shown when set, so a lane holding
    // several quarters tells them apart; an undated value has no field to clutter it.
    row.period != null && row.period !== "" ? h("div", { class: "cjm-row" }, [
      text(ctx, row, "period", `Period of ${who}`),
    ]) : null,
    h("div", { class: "cjm-row" }, [
      placeSelect(ctx, ix, row, stage, who),
      linkedSelect(ctx, ["personas"], { key: personaKey, value: row.persona_id ?? "", label: `Persona of ${who}`,
        options: () => personaOptions(ix, NO_PERSONA_LABEL),
        onCommit: (value, raw) => update(ctx, row, personaKey, { persona_id: value }, raw) }),
    ]),
    h("div", { class: "cjm-row" }, [
      text(ctx, row, "segment", `Segment of ${who}`),
      number(ctx, row, "n", `Sample size of ${who}`, { min: 0, step: 1 }),
    ]),
    h("div", { class: "cjm-row" }, [
      text(ctx, row, "source", `Source of ${who}`),
      // basis is required: a row without one (possible in Python) shows the first choice.
      selectField({ key: basisKey, value: row.basis ?? bases[0][0], label: `Basis of ${who}`, options: bases,
        onCommit: (value, raw) => update(ctx, row, basisKey, { basis: value }, raw) }),
    ]),
  ]);
}

/** Name and value of a new metric: both are required, so one button sends both. */
function addMetric(ctx, stage) {
  const where = `stage ${stage.name || stage.id}`;
  return addNameNumber({ ctx, op: "add_metric", keyPrefix: `new-metric:${stage.id}`, number: "value", what: "metric",
    where, buttonLabel: `Add metric to ${where}`, params: { stage: stage.id }, cls: "cjm-add-metric" });
}

/** The metrics cell of one stage: its own metrics and its touchpoints'; a metric is built again when its row changed. */
export function metricCell(ctx, ix, stage) {
  const rows = ix.metrics.get(stage.id) || [];
  const [shown, more] = firstRows(ctx, `metrics:${stage.id}`, rows, "metrics", stage.name || stage.id);
  const drawn = shown.map((row) => ctx.cell(`metric:${row.id}`, [row, stage.id], () => metric(ctx, ix, row, stage)));
  const add = ctx.cell(`add-metric:${stage.id}`, [stage.name], () => addMetric(ctx, stage));
  return patchChildren(ctx.box(`cell:metrics:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}

/** Metrics tied to no stage (made in Python): shown and editable below the grid. */
export function looseMetricCell(ctx, ix) {
  const drawn = ix.looseMetrics.map((row) => ctx.cell(`metric:${row.id}`, [row, ""], () => metric(ctx, ix, row, null)));
  return patchChildren(ctx.box("cell:metrics:", () => h("div", { class: "cjm-cell" })), drawn);
}
