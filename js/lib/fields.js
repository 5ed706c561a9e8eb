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

/** Selects with more options than this get them when first used (focus, pointer, key). */
export const LAZY_OPTIONS = 40;
const SELECT_VALUE = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value");
const option = ([v, text]) => h("option", { value: v, text });

// A 2,400-touchpoint map draws a placement select per row with hundreds of options each; laying
// those out doubled the first render. They show the current option until someone uses them.
function fillLater(el) {
  const fill = () => {
    if (el._filled) return;
    el._filled = true;
    fillOptions(el, el._options());
  };
  for (const type of ["focus", "pointerdown", "mousedown", "keydown"]) el.addEventListener(type, fill, { capture: true });
  // Code that sets a value (a redraw restoring a pending edit) must find its option.
  Object.defineProperty(el, "value", {
    configurable: true,
    get: () => SELECT_VALUE.get.call(el),
    set: (v) => { fill(); SELECT_VALUE.set.call(el, v); },
  });
}

// A value missing from the options (a stale link, a choice added later) is shown as itself:
// otherwise the select would display another option and a blur would "commit" it unasked.
function withCurrent(options, current) {
  return options.some(([v]) => v === current) ? options : [...options, [current, current]];
}

function fillOptions(el, options, value = SELECT_VALUE.get.call(el)) {
  el.replaceChildren(...withCurrent(options, value).map(option));
  SELECT_VALUE.set.call(el, value);
}

/**
 * A select for one cell; options are [value, label] pairs ("" for none), or a function giving
 * them (read again by `refreshSelect`, so a kept select can follow renamed rows). With more
 * than `lazyAbove` options only the current one is built until the select is first used.
 * `fallback()` gives the value to take when a refresh no longer offers the current one (for
 * the choices of add forms; a stored link keeps showing its stale value instead).
 */
export function selectField({ key, value, label, options, onCommit, cls, lazyAbove = LAZY_OPTIONS, fallback }) {
  const current = value ?? "";
  const list = typeof options === "function" ? options : () => options;
  const all = withCurrent(list(), current);
  const lazy = all.length > lazyAbove;
  const el = h("select", { class: `cjm-field ${cls || ""}`, "aria-label": label },
    (lazy ? all.filter(([v]) => v === current) : all).map(option));
  el._options = list;
  el._fallback = fallback;
  el._filled = !lazy;
  bind(el, key, current, onCommit, (text) => (text === "" ? null : text));
  if (lazy) fillLater(el);
  return el;
}

/**
 * Read a select's options again (rows they name were renamed, added or removed), keeping its
 * value: the select keeps its node, focus and listeners. A lazy select not yet used keeps only
 * its current option, with the current label.
 */
export function refreshSelect(el) {
  const options = el._options();
  let value = SELECT_VALUE.get.call(el);
  // A choice for a row still to be added (not a stored link): when the row it named is gone,
  // it goes back to its default instead of sending a stale id.
  if (el._fallback && !options.some(([v]) => v === value)) value = el._fallback();
  if (el._filled) { fillOptions(el, options, value); return; }
  const all = withCurrent(options, value);
  if (all.length > LAZY_OPTIONS) fillOptions(el, all.filter(([v]) => v === value), value);
  else { el._filled = true; fillOptions(el, all, value); } // short enough now: show them all
}

/** A date input (YYYY-MM-DD) for one cell; empty means null. */
export function dateField({ key, value, label, onCommit, cls }) {
  const el = h("input", { class: `cjm-field cjm-date ${cls || ""}`, type: "date", "aria-label": label });
  // Snapshots carry ISO dates; anything longer (a timestamp) is cut to the day the input shows.
  const day = typeof value === "string" ? value.slice(0, 10) : value;
  return bind(el, key, day, onCommit, (text) => (text.trim() === "" ? null : text));
}

/** [value, label] options for a link select: "" first (labelled `none`), then one per row. */
export function linkOptions(rows, none, name = (r) => r.name || r.id) {
  return [["", none], ...rows.map((r) => [r.id, name(r)])];
}

/** A label for a row in a select: its text cut to `max` characters. */
export function shortText(text, max = 48) {
  const s = String(text ?? "");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
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
