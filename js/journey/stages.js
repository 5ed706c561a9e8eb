// Stage headers: name, description, move left/right, delete; and the "new stage" cell.
import { h } from "../lib/dom.js";
import { addField, button, textField } from "../lib/fields.js";

export function stageHeader(ctx, stage, i, count) {
  const label = stage.name || stage.id;
  const commit = (column) => (value, raw) =>
    ctx.edit("update_stage", { id: stage.id, fields: { [column]: value } }, { key: `stage:${stage.id}:${column}`, value: raw });
  return h("div", { class: "cjm-stage", dataset: { stage: stage.id } }, [
    h("div", { class: "cjm-stage-tools" }, [
      button("◀", `Move stage ${label} left`, () => ctx.edit("move_stage", { id: stage.id, position: i - 1 }), { disabled: i === 0 }),
      button("▶", `Move stage ${label} right`, () => ctx.edit("move_stage", { id: stage.id, position: i + 1 }), { disabled: i === count - 1 }),
      button("×", `Delete stage ${label} and what it holds`, () => ctx.edit("remove_stage", { id: stage.id }), { cls: "cjm-danger" }),
    ]),
    textField({ key: `stage:${stage.id}:name`, value: stage.name, label: "Stage name", cls: "cjm-stage-name", onCommit: commit("name") }),
    textField({ key: `stage:${stage.id}:description`, value: stage.description, label: "Stage description", multiline: true, onCommit: commit("description") }),
  ]);
}

export function newStage(ctx) {
  return h("div", { class: "cjm-stage cjm-new-stage" }, [
    addField({
      key: "new-stage", label: "New stage", ctx,
      onAdd: (name, key) => ctx.edit("add_stage", { name }, { key, value: name, draft: true }),
    }),
  ]);
}
