// The static summary an editor leaves for pages without a widget manager.
//
// Displayed, an editor writes two outputs: a static HTML summary of the map
// (`.cjm-fallback[data-cjm-editor=TOKEN]`, cjm_jupyter/widgets/_fallback.py), then the
// widget. A page that can draw the widget (JupyterLab, an export with a widget manager)
// hides the summary here; a plain nbconvert page, which cannot, keeps showing it.

/** The outputs' common ancestors are at most this many levels above the view. */
const MAX_DEPTH = 12;

/**
 * Hide the static summary written for this editor, when there is one near the view.
 * @param {HTMLElement} el the element the view draws into
 * @param {string} token the editor's `fallback_id` trait
 */
export function hideFallback(el, token, tries = 50) {
  if (!token || typeof CSS === "undefined") return;
  // A manager may draw the view before it attaches it to the page: look again shortly.
  if (!el.isConnected) {
    if (tries > 0) setTimeout(() => hideFallback(el, token, tries - 1), 100);
    return;
  }
  const selector = `.cjm-fallback[data-cjm-editor="${CSS.escape(token)}"]`;
  let node = el.parentElement;
  for (let depth = 0; node && depth < MAX_DEPTH; depth += 1, node = node.parentElement) {
    const found = node.querySelectorAll(selector);
    if (!found.length) continue;
    for (const summary of found) {
      // JupyterLab and nbconvert's lab pages wrap each output in .jp-OutputArea-child.
      const output = summary.closest(".jp-OutputArea-child") ?? summary;
      output.hidden = true;
      output.style.display = "none";
    }
    return;
  }
}
