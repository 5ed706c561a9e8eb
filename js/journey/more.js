// Long lists in one stage cell (touchpoints, emotions, pain points...): the first FIRST_ROWS are
// drawn, the rest only when asked for, a page at a time or all at once, and can be folded
// again. Rows not shown are not in the DOM: a stage of 8,334 touchpoints draws 40 cards.
import { h } from "../lib/dom.js";
import { button } from "../lib/fields.js";

/** Rows drawn per list until the user asks for more: keeps huge maps quick to draw. */
export const FIRST_ROWS = 40;
/** Rows one "show more" adds. */
export const PAGE = 200;

const count = (n) => n.toLocaleString("en");

/**
 * The rows of list `key` to draw, and its controls (null for a list of at most FIRST_ROWS). `what` names the rows ("touchpoints"), `where` the stage they sit in.
 * Unfolding is view state (ctx.ui.limits): it survives edits and redraws, not a new view.
 * @returns {[object[], HTMLElement | null]}
 */
export function firstRows(ctx, key, rows, what, where) {
  if (rows.length <= FIRST_ROWS) return [rows, null];
  const limits = (ctx.ui.limits ??= new Map());
  const limit = limits.get(key) ?? FIRST_ROWS;
  const shown = rows.length > limit ? rows.slice(0, limit) : rows;
  const hidden = rows.length - shown.length;
  const set = (value) => () => { limits.set(key, value); ctx.refresh(); };
  // Each control has a data-key: a redraw gives focus back to it, so the keyboard stays put.
  const control = (text, label, onClick, id) => {
    const b = button(text, label, onClick, { cls: "cjm-more" });
    b.dataset.key = `${id}:${key}`;
    return b;
  };
  return [shown, ctx.cell(`more:${key}`, [rows.length, shown.length, where], () => h("div", { class: "cjm-row cjm-wrap cjm-more-row" }, [
    h("span", { class: "cjm-muted cjm-more-count", text: `${count(shown.length)} of ${count(rows.length)} shown` }),
    hidden > PAGE ? control(`Show ${PAGE} more`, `Show ${PAGE} more ${what} of ${where} (${count(shown.length)} of ${count(rows.length)} shown)`,
      set(shown.length + PAGE), "more") : null,
    hidden ? control(`Show all ${count(rows.length)}`, `Show all ${rows.length} ${what} of ${where}`, set(Infinity), "all") : null,
    shown.length > FIRST_ROWS ? control(`Show first ${FIRST_ROWS}`, `Show only the first ${FIRST_ROWS} ${what} of ${where}`, set(FIRST_ROWS), "fold") : null,
  ]))];
}
