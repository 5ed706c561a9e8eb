// The goals lane: per stage, the targets set for the stage and its touchpoints (KPI, comparison,
// target, unit...); goals set for the whole journey are listed below the grid, like metrics
// not tied to a stage. Every edit is one validated update of the journey's "goals" frame.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { button, numberField, selectField, textField } from "../lib/fields.js";
import { firstRows } from "./more.js";
import { captioned, placeSelect } from "./links.js";
import { addNameNumber } from "./addpair.js";
import { choiceOptions, valueLabel } from "../lib/specs.js";

/**
 * Words for the comparisons a goal can use, by value. The values themselves come from Python
 * (specs: cjm_jupyter.model.specs.GOAL_COMPARISONS); one without words here shows as itself.
 */
const COMPARISON_WORDS = {
  ">=": "≥ at least",
  ">": "> more than",
  "<=": "≤ at most",
  "<": "< less than",
  "==": "= exactly",
};
const comparisonLabel = (value) => valueLabel(value, COMPARISON_WORDS);

function update(ctx, row, key, fields, raw) {
  return ctx.edit("update", { frame: "goals", id: row.id, fields }, { key, value: raw });
}

function text(ctx, row, column, label, multiline = false) {
  const key = `goal:${row.id}:${column}`;
  return textField({ key, value: row[column], label, multiline, cls: `cjm-goal-${column}`,
    onCommit: (value, raw) => update(ctx, row, key, { [column]: value }, raw) });
}

function goal(ctx, ix, row, stage) {
  const who = `goal ${row.name || row.id}`;
  const key = (column) => `goal:${row.id}:${column}`;
  return h("div", { class: "cjm-item cjm-goal", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      text(ctx, row, "name", `Name of ${who}`),
      button("×", `Delete ${who}`, () => ctx.edit("remove", { frame: "goals", id: row.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row" }, [
      selectField({ key: key("comparison"), value: row.comparison, label: `Comparison of ${who}`, options: choiceOptions(ctx, "goals", "comparison", { label: comparisonLabel }),
        cls: "cjm-goal-comparison", onCommit: (value, raw) => update(ctx, row, key("comparison"), { comparison: value }, raw) }),
      numberField({ key: key("target"), value: row.target, label: `Target of ${who}`, step: "any",
        onCommit: (value, raw) => update(ctx, row, key("target"), { target: value }, raw) }),
      text(ctx, row, "unit", `Unit of ${who}`),
    ]),
    // A goal may sit on the whole journey: the placement offers that too ("" = neither).
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Where", placeSelect({ ctx, ix, stage, row, key: key("place"), label: `Place of ${who}`, none: "Journey-wide",
        send: (fields, raw) => update(ctx, row, key("place"), fields, raw) })),
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Segment", text(ctx, row, "segment", `Segment of ${who}`)),
      captioned("Period", text(ctx, row, "period", `Period of ${who}`)),
    ]),
    text(ctx, row, "description", `Description of ${who}`, true),
  ]);
}

/** Name and target of a new goal: both are required, so one button sends both (comparison ">="). */
function addGoal(ctx, stage) {
  const where = stage ? `stage ${stage.name || stage.id}` : "the journey";
  return addNameNumber({ ctx, op: "add_goal", keyPrefix: `new-goal:${stage?.id ?? ""}`, number: "target", what: "goal",
    where, buttonLabel: stage ? `Add goal to ${where}` : "Add journey-wide goal",
    params: stage ? { stage: stage.id } : {}, cls: "cjm-add-goal" });
}

/**
 * A stage's add controls: one "+ goal" button until used, then the name and target fields.
 * Most stages have no goal: a wide map draws one button per stage, not a form (element budget).
 */
function addGoalHere(ctx, stage) {
  const open = (ctx.ui.goalForms ??= new Set());
  if (open.has(stage.id)) return addGoal(ctx, stage);
  const where = `stage ${stage.name || stage.id}`;
  const b = button("+ goal", `New goal, ${where}`, () => {
    const root = b.getRootNode(); // the form replaces the button: its name field takes the focus
    open.add(stage.id);
    ctx.refresh();
    root.querySelector?.(`[data-key="${CSS.escape(`new-goal:${stage.id}:name`)}"]`)?.focus();
  });
  b.dataset.key = `new-goal:${stage.id}:open`;
  return b;
}

/** The goals cell of one stage: its own goals and its touchpoints'; a goal is built again when its row changed. */
export function goalCell(ctx, ix, stage) {
  const rows = ix.goals.get(stage.id) || [];
  const [shown, more] = firstRows(ctx, `goals:${stage.id}`, rows, "goals", stage.name || stage.id);
  const drawn = shown.map((row) => ctx.cell(`goal:${row.id}`, [row, stage.id], () => goal(ctx, ix, row, stage)));
  const opened = ctx.ui.goalForms?.has(stage.id) ?? false;
  const add = ctx.cell(`add-goal:${stage.id}`, [stage.name, opened], () => addGoalHere(ctx, stage));
  return patchChildren(ctx.box(`cell:goals:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}

/** Journey-wide goals (neither stage nor touchpoint), below the grid, with their own add field. */
export function looseGoalCell(ctx, ix) {
  const rows = ix.looseGoals;
  const [shown, more] = firstRows(ctx, "goals:", rows, "goals", "the journey");
  const drawn = shown.map((row) => ctx.cell(`goal:${row.id}`, [row, ""], () => goal(ctx, ix, row, null)));
  const add = ctx.cell("add-goal:", [], () => addGoal(ctx, null));
  return patchChildren(ctx.box("cell:goals:", () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}
