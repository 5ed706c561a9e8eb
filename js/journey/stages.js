// Stage headers: name, description, move left/right, delete; and the "new stage" cell.
// Deleting a stage that holds something asks first, inside the widget (window.confirm may be
// blocked in a notebook, and a dialog would take the page's focus): the header's tools give
// way to "Delete stage X and the 3 touchpoints, 2 emotions... in it?" with Delete / Keep.
import { h } from "../lib/dom.js";
import { addField, button, textField } from "../lib/fields.js";

// [what the index holds per stage, one, many]: everything remove_stage(cascade=True) takes along.
const CONTENT = [
  ["touchpoints", "touchpoint", "touchpoints"], ["emotions", "emotion", "emotions"],
  ["pains", "pain point", "pain points"], ["opportunities", "opportunity", "opportunities"],
  ["actions", "action", "actions"], ["metrics", "metric", "metrics"], ["goals", "goal", "goals"],
];

/** What a stage holds, as "2 touchpoints, 1 emotion and 1 custom lane cell" ("" when empty). */
export function stageContent(ix, stageId) {
  const parts = [];
  for (const [key, one, many] of CONTENT) {
    const n = ix[key]?.get(stageId)?.length ?? 0;
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  let cells = 0;
  for (const byStage of ix.lanes?.values() ?? []) if (byStage.get(stageId)?.text) cells += 1;
  if (cells) parts.push(`${cells} custom lane ${cells === 1 ? "cell" : "cells"}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");
}

function confirmDelete(ctx, stage, label, content, close) {
  const remove = () => { close(); ctx.edit("remove_stage", { id: stage.id }); };
  const keep = button("Keep it", `Keep stage ${label}`, () => close({ focus: true }));
  const box = h("div", { class: "cjm-confirm", role: "group", "aria-label": `Delete stage ${label}?` }, [
    h("span", { class: "cjm-confirm-text", text: `Delete stage “${label}” and the ${content} in it? (Undo brings it back.)` }),
    h("div", { class: "cjm-row" }, [
      button("Delete stage", `Yes, delete stage ${label} and what it holds`, remove, { cls: "cjm-danger cjm-confirm-yes" }),
      keep,
    ]),
  ]);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); close({ focus: true }); }
  });
  return [box, keep];
}

export function stageHeader(ctx, ix, stage, i, count) {
  const label = stage.name || stage.id;
  const commit = (column) => (value, raw) =>
    ctx.edit("update_stage", { id: stage.id, fields: { [column]: value } }, { key: `stage:${stage.id}:${column}`, value: raw });
  const asking = () => ctx.ui.confirmStage === stage.id; // kept in ctx.ui: a rebuilt header asks on
  let asked = null; // the question's box while it shows (no element otherwise: wide maps draw many headers)
  const del = button("×", `Delete stage ${label} and what it holds`, () => {
    // Counted on click from the index (updated in place), not when the header was built.
    const content = stageContent(ix, stage.id);
    if (!content) { ctx.edit("remove_stage", { id: stage.id }); return; }
    ctx.ui.confirmStage = stage.id;
    show(content).focus();
  }, { cls: "cjm-danger" });
  const tools = h("div", { class: "cjm-stage-tools" }, [
    button("◀", `Move stage ${label} left`, () => ctx.edit("move_stage", { id: stage.id, position: i - 1 }), { disabled: i === 0 }),
    button("▶", `Move stage ${label} right`, () => ctx.edit("move_stage", { id: stage.id, position: i + 1 }), { disabled: i === count - 1 }),
    del,
  ]);
  const close = ({ focus = false } = {}) => {
    if (asking()) ctx.ui.confirmStage = null;
    asked?.remove();
    asked = null;
    tools.hidden = false;
    if (focus) del.focus();
  };
  function show(content) {
    const [box, keep] = confirmDelete(ctx, stage, label, content, close);
    tools.hidden = true;
    asked?.remove();
    asked = box;
    tools.after(box);
    return keep; // the safe answer has the focus: Enter twice does not delete
  }
  const header = h("div", { class: "cjm-stage", dataset: { stage: stage.id } }, [
    tools,
    textField({ key: `stage:${stage.id}:name`, value: stage.name, label: "Stage name", cls: "cjm-stage-name", onCommit: commit("name") }),
    textField({ key: `stage:${stage.id}:description`, value: stage.description, label: "Stage description", multiline: true, onCommit: commit("description") }),
  ]);
  if (asking()) {
    const content = stageContent(ix, stage.id);
    if (content) show(content); else ctx.ui.confirmStage = null;
  }
  return header;
}

export function newStage(ctx) {
  return h("div", { class: "cjm-stage cjm-new-stage" }, [
    addField({
      key: "new-stage", label: "New stage", ctx,
      onAdd: (name, key) => ctx.edit("add_stage", { name }, { key, value: name, draft: true }),
    }),
  ]);
}
