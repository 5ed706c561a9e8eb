// PersonaEditor front end (anywidget ESM): persona cards and an empathy map.
import baseCss from "./lib/base.css";
import css from "./persona_editor.css";
import { mountEditor } from "./lib/shell.js";
import { h } from "./lib/dom.js";
import { personaCards } from "./persona/cards.js";
import { empathyMap } from "./persona/empathy.js";

function draw(ctx) {
  return h("div", { class: "cjm-personas" }, [personaCards(ctx), empathyMap(ctx)]);
}

export default () => ({
  render({ model, el }) {
    return mountEditor({ model, el, css: baseCss + css, title: "Personas", draw });
  },
});
