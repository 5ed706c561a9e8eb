// What the controls offer, as the widget's `specs` trait says (cjm_jupyter/widgets/_specs.py,
// built from cjm_jupyter/model/specs.py when the widget is made). This front end keeps no copy
// of an enumeration (statuses, quadrants, bases, comparisons, journey kinds) nor of a bound:
// a value added in Python is offered here as it is. Display words stay keyed by value, and a
// value without words of its own shows as itself.
import { dateField, numberField, selectField, textField } from "./fields.js";

const NONE = Object.freeze({ kind: "text", required: false, choices: [], low: null, high: null });

/** The spec of `column` of `frame`: {kind, required, choices, low, high}. */
export function columnSpec(ctx, frame, column) {
  return ctx.specs?.frames?.[frame]?.[column] ?? NONE;
}

/** The editable columns of `frame`, in the order the editor shows them. */
export function editableColumns(ctx, frame) {
  return Object.keys(ctx.specs?.frames?.[frame] ?? {});
}

/** The journey kinds a map can have; the first is the default. */
export function journeyKinds(ctx) {
  return ctx.specs?.journey?.kind?.choices ?? [];
}

/** Words for `value`: `words[value]` when given, else the value with "_" read as a space. */
export function valueLabel(value, words = {}) {
  return Object.hasOwn(words, value) ? words[value] : String(value).replaceAll("_", " ");
}

/** "Current state" for "current_state": the value's words with a capital first letter. */
export function titleLabel(value, words = {}) {
  const text = valueLabel(value, words);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * [value, label] options of an enumerated column, labelled by `label` (valueLabel by default).
 * A column that may be empty offers "" first, labelled `none`.
 */
export function choiceOptions(ctx, frame, column, { label = valueLabel, none = "(not set)" } = {}) {
  const spec = columnSpec(ctx, frame, column);
  const options = spec.choices.map((v) => [v, label(v)]);
  return spec.required ? options : [["", none], ...options];
}

/** {min, max} of a numeric column, each left out when the column has no such bound. */
export function bounds(ctx, frame, column) {
  const { low, high } = columnSpec(ctx, frame, column);
  return { min: low ?? undefined, max: high ?? undefined };
}

/** "Severity 1-5" for a column bounded 1..5; `caption` alone when it has not both bounds. */
export function boundedCaption(ctx, frame, column, caption) {
  const { low, high } = columnSpec(ctx, frame, column);
  return low !== null && high !== null ? `${caption} ${low}-${high}` : caption;
}

/**
 * The control its spec calls for, for one cell: a select for an enumeration, a number field
 * (bounded, whole numbers for "int") for a number, a date field for a date, else a text field.
 */
export function specField(ctx, frame, column, { key, value, label, onCommit, cls, multiline, placeholder, options }) {
  const spec = columnSpec(ctx, frame, column);
  if (spec.choices.length) return selectField({ key, value, label, cls, onCommit, options: choiceOptions(ctx, frame, column, options) });
  if (spec.kind === "int" || spec.kind === "float") {
    return numberField({ key, value, label, cls, onCommit, ...bounds(ctx, frame, column), step: spec.kind === "int" ? 1 : "any" });
  }
  if (spec.kind === "date") return dateField({ key, value, label, cls, onCommit });
  return textField({ key, value, label, cls, onCommit, multiline, placeholder });
}
