// Persona cards: every persona field, labelled; add and delete personas.
import { avatar, h } from "../lib/dom.js";
import { addField, button, textField } from "../lib/fields.js";
import { editableColumns, specField } from "../lib/specs.js";

/**
 * Words for the persona fields, by column: caption, whether the text takes several lines, and
 * the control's aria-label when it is not "Persona <caption>" (so it cannot be confused with a
 * journey field of the same name). The fields themselves, and their order, are the personas
 * frame's editable columns as Python's specs send them: a column without words here still
 * shows, captioned with its name. Listed here in reading order: shown in this order, then any
 * other column in the specs' order.
 */
const FIELD_WORDS = {
  avatar: { caption: "Avatar (emoji, image URL or data URI)" },
  description: { caption: "Description", multiline: true },
  age: { caption: "Age" }, gender: { caption: "Gender" }, location: { caption: "Location" },
  income: { caption: "Income" }, occupation: { caption: "Occupation" },
  psychographics: { caption: "Psychographics", multiline: true }, behaviour: { caption: "Behaviour", multiline: true },
  goals: { caption: "Goals", multiline: true }, needs: { caption: "Needs", multiline: true },
  motivations: { caption: "Motivations", multiline: true }, frustrations: { caption: "Frustrations", multiline: true },
  channels: { caption: "Channels" },
  // schema 3: where a persona made from data comes from (Journey.add_persona_from_segment)
  source: { caption: "Source (interviews, segmentation...)" }, segment: { caption: "Data segment" },
  segment_definition: { caption: "Segment definition", multiline: true },
  basis: { caption: "Basis" },
  n: { caption: "Customers behind it (n)", label: "Persona customers behind it" },
  validated_at: { caption: "Last validated with customers" },
};
const ORDER = Object.keys(FIELD_WORDS);
const rank = (column) => (ORDER.includes(column) ? ORDER.indexOf(column) : ORDER.length);

/** The card's fields but the name (drawn in its header), as [column, words]. */
function personaFields(ctx) {
  const columns = editableColumns(ctx, "personas").filter((c) => c !== "name" && c !== "id");
  // A stable sort: columns without words keep the specs' order, after the others.
  return columns.sort((a, b) => rank(a) - rank(b)).map((c) => [c, FIELD_WORDS[c] ?? { caption: c }]);
}

function field(ctx, persona, commit, [column, { caption, multiline, label }]) {
  const key = `persona:${persona.id}:${column}`;
  return h("label", { class: "cjm-labelled" }, [
    h("span", { class: "cjm-muted", text: caption }),
    specField(ctx, "personas", column, { key, value: persona[column], multiline, placeholder: caption, onCommit: commit(column),
      label: label ?? `Persona ${caption[0].toLowerCase()}${caption.slice(1)}` }),
  ]);
}

function card(ctx, persona) {
  const commit = (column) => (value, raw) =>
    ctx.edit("update_persona", { id: persona.id, fields: { [column]: value } }, { key: `persona:${persona.id}:${column}`, value: raw });
  const name = persona.name || persona.id;
  return h("section", { class: "cjm-persona", dataset: { id: persona.id }, "aria-label": `Persona ${name}` }, [
    h("div", { class: "cjm-row" }, [
      avatar(persona.avatar, name),
      textField({ key: `persona:${persona.id}:name`, value: persona.name, label: "Persona name", cls: "cjm-persona-name", onCommit: commit("name") }),
      button("×", `Delete persona ${name} with their emotions and empathy entries`, () => ctx.edit("remove_persona", { id: persona.id }), { cls: "cjm-danger" }),
    ]),
    ...personaFields(ctx).map((f) => field(ctx, persona, commit, f)),
  ]);
}

/** Every persona as a card, then the "new persona" field. */
export function personaCards(ctx) {
  const personas = ctx.snapshot.personas || [];
  return h("div", { class: "cjm-cards" }, [
    ...personas.map((p) => card(ctx, p)),
    h("div", { class: "cjm-persona cjm-new-persona" }, [
      addField({ key: "new-persona", label: "New persona", ctx,
        onAdd: (name, key) => ctx.edit("add_persona", { name }, { key, value: name, draft: true }) }),
    ]),
  ]);
}
