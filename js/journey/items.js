// Pain points, opportunities and action items: one list per stage, plus rows not tied to a stage.
import { h } from "../lib/dom.js";
import { addField, button, numberField, selectField, textField } from "../lib/fields.js";
import { placeName } from "./index.js";

const STATUSES = ["planned", "in_progress", "done", "blocked", "dropped"].map((s) => [s, s.replace("_", " ")]);
const SCALE = { min: 1, max: 5, step: 1 };

/** What each lane edits: frame, add op, label and the fields of an item. */
export const LANES = {
  pains: {
    frame: "pain_points", add: "add_pain_point", label: "pain point",
    fields: [["severity", "Severity 1-5", "number"], ["frequency", "Frequency 1-5", "number"], ["evidence", "Evidence", "text"]],
  },
  opportunities: {
    frame: "opportunities", add: "add_opportunity", label: "opportunity",
    fields: [["impact", "Impact 1-5", "number"], ["effort", "Effort 1-5", "number"]],
  },
  actions: {
    frame: "actions", add: "add_action", label: "action",
    fields: [["owner", "Owner", "text"], ["status", "Status", "status"], ["due", "Due (YYYY-MM-DD)", "text"]],
  },
};

function control(ctx, lane, row, [column, label, kind]) {
  const key = `${lane.frame}:${row.id}:${column}`;
  const onCommit = (value, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields: { [column]: value } }, { key, value: raw });
  if (kind === "number") return numberField({ key, value: row[column], label, ...SCALE, onCommit });
  if (kind === "status") return selectField({ key, value: row[column], label, options: STATUSES, onCommit });
  return textField({ key, value: row[column], label, onCommit });
}

function item(ctx, ix, lane, row) {
  const where = row.touchpoint_id ? h("span", { class: "cjm-muted", text: `@ ${placeName(ix, row)}` }) : null;
  return h("div", { class: `cjm-item cjm-${lane.frame}`, dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({ key: `${lane.frame}:${row.id}:description`, value: row.description, label: `Describe the ${lane.label}`, multiline: true,
        onCommit: (value, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields: { description: value } }, { key: `${lane.frame}:${row.id}:description`, value: raw }) }),
      button("×", `Delete this ${lane.label}`, () => ctx.edit("remove", { frame: lane.frame, id: row.id }), { cls: "cjm-danger" }),
    ]),
    where,
    h("div", { class: "cjm-row cjm-wrap" }, lane.fields.map((f) => control(ctx, lane, row, f))),
  ]);
}

/** The cell of lane `name` ("pains", "opportunities", "actions") for one stage (or none). */
export function itemCell(ctx, ix, name, rows, stage) {
  const lane = LANES[name];
  const key = `new-${lane.frame}:${stage?.id ?? ""}`;
  return h("div", { class: "cjm-cell" }, [
    ...rows.map((row) => item(ctx, ix, lane, row)),
    addField({ key, label: `New ${lane.label}`, ctx,
      onAdd: (description, k) => ctx.edit(lane.add, stage ? { description, stage: stage.id } : { description }, { key: k, value: description, draft: true }) }),
  ]);
}
