// A view with no kernel behind it (exported HTML, a reopened notebook with saved widget
// state) shows the map read-only: a badge says so and every control is locked.
import { h } from "./dom.js";

/**
 * Whether the view has no kernel to send edits to.
 *
 * JupyterLab's widget managers expose `kernel` (null while none is connected); the HTML
 * manager of exported pages has no such property and silently drops `send`. A model without
 * a widget manager (a test's fake model) is treated as live: its edits queue as usual.
 * @param {object} model anywidget model proxy
 */
export function hasNoKernel(model) {
  const manager = model?.widget_manager;
  if (!manager) return false;
  return !("kernel" in manager) || manager.kernel === null || manager.kernel === undefined;
}

/** Lock every control under `root`: text stays selectable (readonly), the rest is disabled. */
export function lockControls(root) {
  root.querySelector(".cjm-editor")?.classList.add("cjm-locked");
  for (const el of root.querySelectorAll("input, textarea")) el.readOnly = true;
  for (const el of root.querySelectorAll("button, select")) el.disabled = true;
  // SVG points are focusable sliders: take them out of the tab order and mark them read-only.
  for (const el of root.querySelectorAll("[role=slider]")) { el.setAttribute("tabindex", "-1"); el.setAttribute("aria-readonly", "true"); }
}

/** The toolbar badge of a read-only view. */
export function readOnlyBadge() {
  return h("span", { class: "cjm-readonly", role: "note", text: "Read-only copy — no kernel" });
}
