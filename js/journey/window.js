// Which stage columns a wide map draws: a map of up to WINDOW_ABOVE stages draws them all;
// a wider one draws the columns on screen and half a screen's worth either side, and draws again as
// the map scrolls or keyboard focus moves on. Hidden columns are not in the DOM at all: a
// 1,000-stage map had 400k elements and took 14 s to draw.
import { COL } from "./emotions.js";

/** Maps with more stages than this draw only a window of them. */
export const WINDOW_ABOVE = 24;
/** The lane label column (--cjm-label in lib/base.css). */
const LABEL = 120;
/** Width assumed while the view is not laid out yet (not on the page). */
const FALLBACK_WIDTH = 1600;

/** Index range [from, to) of the stages visible in `viewport` (scrollLeft, clientWidth). */
function visible(viewport, n) {
  const width = viewport?.clientWidth || FALLBACK_WIDTH;
  const left = Math.max(0, (viewport?.scrollLeft || 0) - LABEL);
  const from = Math.min(n, Math.floor(left / COL));
  return [from, Math.min(n, Math.max(from + 1, Math.ceil((left + width) / COL)))];
}

/** A window around [from, to): half a screen's worth of stages either side. */
function around([from, to], n) {
  const span = Math.max(1, Math.ceil((to - from) / 2));
  return [Math.max(0, from - span), Math.min(n, to + span)];
}

/**
 * The stages to draw, [from, to), kept in `ctx.ui.window` between passes (the same array while
 * what is on screen, and the stages either side of the one holding focus, stay inside it: scrolling
 * a little draws nothing). Focus next to a window's edge moves the window on, so Tab finds the
 * next stage drawn. Focus scrolled far off screen is not kept drawn (followWindow blurs it).
 */
export function stageWindow(ctx, n) {
  if (n <= WINDOW_ABOVE) return [0, n];
  const shown = visible(ctx.viewport, n);
  const focus = ctx.ui.focusStage;
  const near = focus !== undefined && focus >= shown[0] - 1 && focus <= shown[1] && focus < n;
  const need = near ? [Math.min(shown[0], Math.max(0, focus - 1)), Math.max(shown[1], Math.min(n, focus + 2))] : shown;
  const current = ctx.ui.window;
  if (current && current[1] <= n && need[0] >= current[0] && need[1] <= current[1]) return current;
  ctx.ui.window = around(need, n);
  return ctx.ui.window;
}

/** The stage index of the grid cell holding `node` in a windowed grid (its grid column), or undefined. */
export function stageOf(node) {
  const cell = node?.closest?.(".cjm-grid > *");
  const col = Number.parseInt(cell?.style.gridColumnStart ?? "", 10);
  return Number.isInteger(col) && col >= 2 && !cell.style.gridColumnEnd.includes("span") ? col - 2 : undefined;
}

/**
 * Follow scrolling, resizing and focus of a windowed grid (once per view): when the stages that
 * must be drawn leave the window, draw again (ctx.refresh keeps every node still wanted). A
 * control scrolled out of the window loses focus first, which commits what was typed in it.
 */
export function followWindow(ctx) {
  if (ctx.ui.following) return;
  ctx.ui.following = true;
  const viewport = ctx.viewport;
  let queued = false;
  const check = () => {
    queued = false;
    const n = ctx.ui.index?.stages.length ?? 0;
    if (n <= WINDOW_ABOVE) return;
    const before = ctx.ui.window;
    const [from, to] = stageWindow(ctx, n);
    if (ctx.ui.window === before) return;
    const active = viewport.getRootNode().activeElement;
    const at = stageOf(active);
    if (at !== undefined && (at < from || at >= to)) active.blur();
    ctx.refresh();
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(check); } };
  viewport.addEventListener("scroll", later, { passive: true });
  new ResizeObserver(later).observe(viewport);
  viewport.addEventListener("focusin", (event) => {
    ctx.ui.focusStage = stageOf(event.target);
    // Before the next key press, not the next frame: Tab must find the next stage drawn.
    queueMicrotask(check);
  });
}
