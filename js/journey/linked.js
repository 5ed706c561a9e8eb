// Selects whose options name other rows (stages, touchpoints, personas, pain points,
// opportunities). They are kept across redraws like any control: when the rows they name
// change, their options are read again in place, so a renamed stage rebuilds no cell but its
// header (option lists used to make every cell depend on every stage's name).
import { refreshSelect, selectField } from "../lib/fields.js";

/**
 * A select (see selectField) whose `options` function reads the rows of `sources`:
 * "stages", "personas", "pains", "opportunities" or "tps:<stage id>".
 * @param {object} ctx the view's context (its ui state holds the registry)
 * @param {string[]} sources
 * @param {object} spec selectField's options; `options` should be a function reading live rows
 */
export function linkedSelect(ctx, sources, spec) {
  const el = selectField(spec);
  const registry = (ctx.ui.linked ??= new Map());
  for (const source of sources) {
    if (!registry.has(source)) registry.set(source, new Set());
    registry.get(source).add(el);
  }
  return el;
}

/**
 * After a pass: read again the options of the selects of every source whose token changed
 * (`token(source)`, the same value while the source's rows are the same), and forget selects
 * no longer under `root` (the view's drawing, which may not be on the page yet).
 */
export function refreshLinked(ctx, root, token) {
  const registry = ctx.ui.linked;
  if (!registry) return;
  const last = (ctx.ui.linkedTokens ??= new Map());
  const done = new Set(); // a select of two sources is refreshed once
  for (const [source, els] of registry) {
    const now = token(source);
    const changed = last.get(source) !== now;
    last.set(source, now);
    for (const el of els) {
      if (!root.contains(el)) els.delete(el);
      else if (changed && !done.has(el)) { done.add(el); refreshSelect(el); }
    }
    if (!els.size) { registry.delete(source); last.delete(source); }
  }
}
