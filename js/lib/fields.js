// Form controls bound to one cell: they commit on change (blur or Enter), revert on Escape,
// and carry a data-key so a redraw can keep focus, selection and unsaved text.
import { h } from "./dom.js";

function bind(el, key, value, onCommit, parse) {
  el.dataset.key = key;
  el._orig = value === null || value === undefined ? "" : String(value);
  el.value = el._orig;
  // Commit on our own terms (Enter, blur, change) instead of trusting "change" alone: a
  // control redrawn under the cursor has its text set by code, which "change" ignores.
  const commit = () => {
    if (el._detached || el.value === el._orig) return;
    el._orig = el.value;
    onCommit(parse(el.value), el.value);
  };
  el.addEventListener("change", commit);
  el.addEventListener("blur", commit);
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { el.value = el._orig; el.blur(); }
    if (event.key === "Enter" && el.tagName === "INPUT") commit();
  });
  return el;
}

/** A text input (or textarea with multiline) for one cell. */
export function textField({ key, value, label, placeholder, multiline, onCommit, cls }) {
  const el = h(multiline ? "textarea" : "input", {
    class: `cjm-field ${cls || ""}`,
    "aria-label": label,
    placeholder: placeholder || label,
    rows: multiline ? 2 : null,
    type: multiline ? null : "text",
  });
  return bind(el, key, value, onCommit, (text) => text);
}

/** A number input for one cell; empty means null. */
export function numberField({ key, value, label, min, max, step, onCommit, cls }) {
  const el = h("input", {
    class: `cjm-field cjm-number ${cls || ""}`, type: "number", "aria-label": label, min, max, step,
  });
  return bind(el, key, value, onCommit, (text) => (text.trim() === "" ? null : Number(text)));
}

/** A select for one cell; options are [value, label] pairs ("" for none). */
export function selectField({ key, value, label, options, onCommit, cls }) {
  const el = h("select", { class: `cjm-field ${cls || ""}`, "aria-label": label },
    options.map(([v, text]) => h("option", { value: v, text })));
  return bind(el, key, value ?? "", onCommit, (text) => (text === "" ? null : text));
}

/** An input that adds a row: Enter or the button sends; the text stays until the add succeeds. */
export function addField({ key, label, ctx, onAdd }) {
  const input = h("input", { class: "cjm-field cjm-add-input", type: "text", "aria-label": label, placeholder: label });
  input.dataset.key = key;
  input._orig = "";
  input.value = ctx.drafts.get(key) || "";
  input.addEventListener("input", () => ctx.drafts.set(key, input.value));
  const submit = () => {
    const text = input.value.trim();
    if (text) onAdd(text, key);
  };
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(); });
  const button = h("button", { class: "cjm-btn", type: "button", text: "+", title: label, "aria-label": label, on: { click: submit } });
  return h("div", { class: "cjm-add" }, [input, button]);
}

/** A small button with an accessible name. */
export function button(text, label, onClick, { disabled = false, cls = "" } = {}) {
  return h("button", { class: `cjm-btn ${cls}`, type: "button", text, title: label, "aria-label": label, disabled, on: { click: onClick } });
}
