// Pain points, opportunities and action items: one list per stage, plus rows not tied to a stage.
// Every column of the three frames is a control here, links included (placement, persona,
// linked pain point or opportunity, stage), so a whole map can be typed in without code.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { addField, button, textField } from "../lib/fields.js";
import { NO_PERSONA_LABEL } from "../lib/labels.js";
import { linkedSelect } from "./linked.js";
import { firstRows } from "./more.js";
import { captioned, describedOptions, personaOptions, placeSelect, stageOptions } from "./links.js";
import { boundedCaption, specField } from "../lib/specs.js";

/**
 * What each lane edits: frame, add op, label, how a row is placed, and its fields as
 * [column, aria-label, caption]. `place`: "required" (a stage or one of its touchpoints),
 * "optional" (also neither) or "stage" (a stage or journey-wide). A link column (*_id) is a
 * select of the rows it may name; any other column gets the control its spec (the widget's
 * `specs`, from Python) calls for, with the allowed values and bounds Python sends.
 */
export const LANES = {
  pains: {
    frame: "pain_points", add: "add_pain_point", label: "pain point", plural: "pain points", title: "Pain point", place: "required",
    fields: [
      ["severity", "Pain point severity", "Severity"],
      ["frequency", "Pain point frequency", "Frequency"],
      ["evidence", "Pain point evidence", "Evidence"],
      ["source", "Pain point source", "Source"],
      ["basis", "Pain point basis", "Basis"],
      ["persona_id", "Pain point persona", "Persona"],
    ],
  },
  opportunities: {
    frame: "opportunities", add: "add_opportunity", label: "opportunity", plural: "opportunities", title: "Opportunity", place: "optional",
    fields: [
      ["impact", "Opportunity impact", "Impact"],
      ["effort", "Opportunity effort", "Effort"],
      ["pain_point_id", "Link to pain point", "Pain point"],
    ],
  },
  actions: {
    frame: "actions", add: "add_action", label: "action", plural: "actions", title: "Action", place: "stage",
    fields: [
      ["owner", "Action owner", "Owner"],
      ["status", "Action status", "Status"],
      ["due", "Action due date", "Due"],
      ["opportunity_id", "Link to opportunity", "Opportunity"],
    ],
  },
};

function send(ctx, lane, row, key) {
  return (fields, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields }, { key, value: raw });
}

/** The select of rows a link column may name, by column. */
const LINKS = {
  persona_id: (ctx, ix) => [["personas"], () => personaOptions(ix, NO_PERSONA_LABEL)],
  pain_point_id: (ctx) => [["pains"], () => describedOptions(ctx.snapshot.pain_points, "No pain point")],
  opportunity_id: (ctx) => [["opportunities"], () => describedOptions(ctx.snapshot.opportunities, "No opportunity")],
};

function control(ctx, ix, lane, row, [column, label, caption]) {
  const key = `${lane.frame}:${row.id}:${column}`;
  const commit = send(ctx, lane, row, key);
  const onCommit = (value, raw) => commit({ [column]: value }, raw);
  const value = row[column];
  // Link selects read the live rows (linked.js): the item does not depend on other rows.
  const link = LINKS[column]?.(ctx, ix);
  const el = link
    ? linkedSelect(ctx, link[0], { key, value, label, options: link[1], onCommit })
    : specField(ctx, lane.frame, column, { key, value, label, onCommit });
  return captioned(boundedCaption(ctx, lane.frame, column, caption), el);
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
