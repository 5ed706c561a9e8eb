// Pain points, opportunities and action items: one list per stage, plus rows not tied to a stage.
// Every column of the three frames is a control here, links included (placement, persona,
// linked pain point or opportunity, stage), so a whole map can be typed in without code.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { addField, button, dateField, numberField, selectField, textField } from "../lib/fields.js";
import { NO_PERSONA_LABEL } from "../lib/labels.js";
import { linkedSelect } from "./linked.js";
import { firstRows } from "./more.js";
import { captioned, describedOptions, personaOptions, placeSelect, stageOptions } from "./links.js";

const STATUSES = ["planned", "in_progress", "done", "blocked", "dropped"].map((s) => [s, s.replace("_", " ")]);
const BASES = [["measured", "measured"], ["assumed", "assumed"]];
const SCALE = { min: 1, max: 5, step: 1 };

/**
 * What each lane edits: frame, add op, label, how a row is placed, and its fields as
 * [column, aria-label, kind, caption]. `place`: "required" (a stage or one of its touchpoints),
 * "optional" (also neither) or "stage" (a stage or journey-wide).
 */
export const LANES = {
  pains: {
    frame: "pain_points", add: "add_pain_point", label: "pain point", plural: "pain points", title: "Pain point", place: "required",
    fields: [
      ["severity", "Pain point severity", "scale", "Severity 1-5"],
      ["frequency", "Pain point frequency", "scale", "Frequency 1-5"],
      ["evidence", "Pain point evidence", "text", "Evidence"],
      ["source", "Pain point source", "text", "Source"],
      ["basis", "Pain point basis", "basis", "Basis"],
      ["persona_id", "Pain point persona", "persona", "Persona"],
    ],
  },
  opportunities: {
    frame: "opportunities", add: "add_opportunity", label: "opportunity", plural: "opportunities", title: "Opportunity", place: "optional",
    fields: [
      ["impact", "Opportunity impact", "scale", "Impact 1-5"],
      ["effort", "Opportunity effort", "scale", "Effort 1-5"],
      ["pain_point_id", "Link to pain point", "pain", "Pain point"],
    ],
  },
  actions: {
    frame: "actions", add: "add_action", label: "action", plural: "actions", title: "Action", place: "stage",
    fields: [
      ["owner", "Action owner", "text", "Owner"],
      ["status", "Action status", "status", "Status"],
      ["due", "Action due date", "date", "Due"],
      ["opportunity_id", "Link to opportunity", "opportunity", "Opportunity"],
    ],
  },
};

function send(ctx, lane, row, key) {
  return (fields, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields }, { key, value: raw });
}

function control(ctx, ix, lane, row, [column, label, kind, caption]) {
  const key = `${lane.frame}:${row.id}:${column}`;
  const commit = send(ctx, lane, row, key);
  const onCommit = (value, raw) => commit({ [column]: value }, raw);
  const value = row[column];
  let el;
  if (kind === "scale") el = numberField({ key, value, label, ...SCALE, onCommit });
  else if (kind === "status") el = selectField({ key, value, label, options: STATUSES, onCommit });
  else if (kind === "basis") el = selectField({ key, value, label, options: BASES, onCommit });
  else if (kind === "date") el = dateField({ key, value, label, onCommit });
  // Link selects read the live rows (linked.js): the item does not depend on other rows.
  else if (kind === "persona") el = linkedSelect(ctx, ["personas"], { key, value, label, options: () => personaOptions(ix, NO_PERSONA_LABEL), onCommit });
  else if (kind === "pain") el = linkedSelect(ctx, ["pains"], { key, value, label, options: () => describedOptions(ctx.snapshot.pain_points, "No pain point"), onCommit });
  else if (kind === "opportunity") el = linkedSelect(ctx, ["opportunities"], { key, value, label, options: () => describedOptions(ctx.snapshot.opportunities, "No opportunity"), onCommit });
  else el = textField({ key, value, label, onCommit });
  return captioned(caption, el);
}

function placement(ctx, ix, lane, row, stage) {
  const key = `${lane.frame}:${row.id}:place`;
  if (lane.place === "stage") {
    return captioned("Stage", linkedSelect(ctx, ["stages"], { key, value: row.stage_id, label: `${lane.title} stage`,
      options: () => stageOptions(ix, "Journey-wide"), onCommit: (value, raw) => send(ctx, lane, row, key)({ stage_id: value }, raw) }));
  }
  const none = lane.place === "optional" ? "No stage or touchpoint" : null;
  return captioned("Where", placeSelect({ ctx, ix, stage, row, key, label: `${lane.title} placement`, none, send: send(ctx, lane, row, key) }));
}

function item(ctx, ix, lane, row, stage) {
  const key = `${lane.frame}:${row.id}:description`;
  return h("div", { class: `cjm-item cjm-${lane.frame}`, dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({ key, value: row.description, label: `${lane.title} description`, multiline: true,
        onCommit: (value, raw) => send(ctx, lane, row, key)({ description: value }, raw) }),
      button("×", `Delete this ${lane.label}`, () => ctx.edit("remove", { frame: lane.frame, id: row.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      placement(ctx, ix, lane, row, stage),
      ...lane.fields.map((f) => control(ctx, ix, lane, row, f)),
    ]),
  ]);
}

/**
 * The cell of lane `name` ("pains", "opportunities", "actions") for one stage (or none). The cell
 * and its add field keep their nodes; an item is built again only when its row (or stage) changed.
 */
export function itemCell(ctx, ix, name, rows, stage) {
  const lane = LANES[name];
  const sid = stage?.id ?? "";
  const key = `new-${lane.frame}:${sid}`;
  const add = ctx.cell(`add:${key}`, [sid], () => addField({ key, label: `New ${lane.label}`, ctx,
    onAdd: (description, k) => ctx.edit(lane.add, stage ? { description, stage: sid } : { description }, { key: k, value: description, draft: true }) }));
  const [shown, more] = firstRows(ctx, `${lane.frame}:${sid}`, rows, lane.plural, stage ? stage.name || sid : "the journey");
  const items = shown.map((row) => ctx.cell(`item:${lane.frame}:${row.id}`, [row, sid], () => item(ctx, ix, lane, row, stage)));
  return patchChildren(ctx.box(`cell:${lane.frame}:${sid}`, () => h("div", { class: "cjm-cell" })), [...items, more, add]);
}
