// Persona cards: every persona field, labelled; add and delete personas.
import { avatar, h } from "../lib/dom.js";
import { addField, button, dateField, numberField, selectField, textField } from "../lib/fields.js";

/**
 * [column, caption, multiline] for every text field of a card but the name, in reading order: with
 * the name, the id, validated_at (a date), basis (a choice) and n (a number), see card, these are
 * all 22 columns of the personas frame (schema 3). A control's aria-label
 * is "Persona <caption>", so it cannot be confused with a journey field of the same name.
 */
export const PERSONA_FIELDS = [
  ["avatar", "Avatar (emoji, image URL or data URI)", false],
  ["description", "Description", true],
  ["age", "Age", false], ["gender", "Gender", false], ["location", "Location", false],
  ["income", "Income", false], ["occupation", "Occupation", false],
  ["psychographics", "Psychographics", true], ["behaviour", "Behaviour", true],
  ["goals", "Goals", true], ["needs", "Needs", true], ["motivations", "Motivations", true],
  ["frustrations", "Frustrations", true], ["channels", "Channels", false],
  // schema 3: where a persona made from data comes from (Journey.add_persona_from_segment)
  ["source", "Source (interviews, segmentation...)", false], ["segment", "Data segment", false],
  ["segment_definition", "Segment definition", true],
];
const BASES = [["", "(not set)"], ["measured", "measured"], ["assumed", "assumed"]];

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
    ...PERSONA_FIELDS.map(([column, caption, multiline]) => h("label", { class: "cjm-labelled" }, [
      h("span", { class: "cjm-muted", text: caption }),
      textField({ key: `persona:${persona.id}:${column}`, value: persona[column], label: `Persona ${caption[0].toLowerCase()}${caption.slice(1)}`,
        placeholder: caption, multiline, onCommit: commit(column) }),
    ])),
    h("label", { class: "cjm-labelled" }, [
      h("span", { class: "cjm-muted", text: "Basis" }),
      selectField({ key: `persona:${persona.id}:basis`, value: persona.basis ?? "", label: "Persona basis",
        options: BASES, onCommit: commit("basis") }),
    ]),
    h("label", { class: "cjm-labelled" }, [
      h("span", { class: "cjm-muted", text: "Customers behind it (n)" }),
      numberField({ key: `persona:${persona.id}:n`, value: persona.n, label: "Persona customers behind it",
        min: 0, step: 1, onCommit: commit("n") }),
    ]),
    h("label", { class: "cjm-labelled" }, [
      h("span", { class: "cjm-muted", text: "Last validated with customers" }),
      dateField({ key: `persona:${persona.id}:validated_at`, value: persona.validated_at,
        label: "Persona last validated with customers", onCommit: commit("validated_at") }),
    ]),
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
