// The add form of rows that need a name and a number at once (a metric and its value, a goal
// and its target): two inputs kept as drafts, one button (or Enter) that sends both.
import { h } from "../lib/dom.js";
import { button } from "../lib/fields.js";

/**
 * @param {object} o
 * @param {object} o.ctx the editor context
 * @param {string} o.op the op to send, e.g. "add_metric"
 * @param {string} o.keyPrefix data-key prefix: `${keyPrefix}:name` and `${keyPrefix}:${number}`
 * @param {string} o.number the params key of the number (and of its input's data-key)
 * @param {string} o.what the row's noun in labels ("metric", "goal")
 * @param {string} o.where where the row goes, in labels ("stage Research", "the journey")
 * @param {string} o.buttonLabel the button's accessible label
 * @param {object} o.params further params of the op (e.g. the stage)
 * @param {string} o.cls class of the form
 */
export function addNameNumber({ ctx, op, keyPrefix, number, what, where, buttonLabel, params, cls }) {
  const nameKey = `${keyPrefix}:name`;
  const numberKey = `${keyPrefix}:${number}`;
  const input = (key, label, type) => {
    const el = h("input", { class: "cjm-field cjm-add-input", type, step: type === "number" ? "any" : null, "aria-label": label, placeholder: label });
    el.dataset.key = key;
    el._orig = "";
    el.value = ctx.drafts.get(key) || "";
    el.addEventListener("input", () => ctx.drafts.set(key, el.value));
    el.addEventListener("keydown", (event) => { if (event.key === "Enter") submit(); });
    return el;
  };
  const name = input(nameKey, `New ${what} name, ${where}`, "text");
  const value = input(numberKey, `New ${what} ${number}, ${where}`, "number");
  function submit() {
    const text = name.value.trim();
    if (!text) { name.focus(); return; }
    if (value.value.trim() === "" || !Number.isFinite(Number(value.value))) { value.focus(); return; }
    const root = name.getRootNode(); // the controls are redrawn before the reply: find them again there
    ctx.edit(op, { name: text, [number]: Number(value.value), ...params }, { key: nameKey, value: text, draft: true })
      .then((reply) => {
        if (!reply.ok) return;
        ctx.drafts.delete(numberKey);
        const now = root.querySelector?.(`[data-key="${CSS.escape(numberKey)}"]`);
        if (now) now.value = "";
      });
  }
  return h("div", { class: `cjm-add ${cls}` }, [name, value, button("+", buttonLabel, submit)]);
}
