// The empathy map of one persona: says, thinks, does, feels; each entry with its source.
import { h } from "../lib/dom.js";
import { addField, button, selectField, textField } from "../lib/fields.js";
import { choiceOptions, titleLabel } from "../lib/specs.js";

/** The quadrants, as [value, title], in the order Python's specs list them ("says" reads "Says"). */
function quadrants(ctx) {
  return choiceOptions(ctx, "empathy", "quadrant", { label: titleLabel }).filter(([q]) => q !== "");
}

function entry(ctx, row, options) {
  const commit = (column) => (value, raw) =>
    ctx.edit("update", { frame: "empathy", id: row.id, fields: { [column]: value } }, { key: `empathy:${row.id}:${column}`, value: raw });
  return h("div", { class: "cjm-entry", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({ key: `empathy:${row.id}:text`, value: row.text, label: "Empathy entry text", multiline: true, onCommit: commit("text") }),
      button("×", "Delete this entry", () => ctx.edit("remove", { frame: "empathy", id: row.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row" }, [
      textField({ key: `empathy:${row.id}:source`, value: row.source, label: "Empathy entry source", placeholder: "Source", onCommit: commit("source") }),
      // Moving an entry to another quadrant is an edit of its quadrant column.
      selectField({ key: `empathy:${row.id}:quadrant`, value: row.quadrant, label: "Empathy entry quadrant", options, onCommit: commit("quadrant") }),
    ]),
  ]);
}

/** Persona picker and the four quadrants of the chosen persona. */
export function empathyMap(ctx) {
  const personas = ctx.snapshot.personas || [];
  if (!personas.length) return h("p", { class: "cjm-muted", text: "Add a persona to fill in an empathy map." });
  if (!personas.some((p) => p.id === ctx.ui.persona)) ctx.ui.persona = personas[0].id;
  const persona = ctx.ui.persona;
  const picker = selectField({ key: "empathy-persona", value: persona, label: "Empathy map of", options: personas.map((p) => [p.id, p.name || p.id]),
    onCommit: (id) => { ctx.ui.persona = id; ctx.redraw(); } });
  const rows = (ctx.snapshot.empathy || []).filter((r) => r.persona_id === persona);
  const options = quadrants(ctx);
  return h("section", { class: "cjm-empathy", "aria-label": "Empathy map" }, [
    h("div", { class: "cjm-row" }, [h("h4", { text: "Empathy map" }), picker]),
    h("div", { class: "cjm-quadrants" }, options.map(([quadrant, label]) => h("div", { class: `cjm-quadrant cjm-q-${quadrant}`, dataset: { quadrant } }, [
      h("h5", { text: label }),
      ...rows.filter((r) => r.quadrant === quadrant).map((r) => entry(ctx, r, options)),
      addField({ key: `new-empathy:${quadrant}`, label: `Add to ${label.toLowerCase()}`, ctx,
        onAdd: (text, key) => ctx.edit("add_empathy", { persona, quadrant, text }, { key, value: text, draft: true }) }),
    ]))),
  ]);
}
