// The frame both editors share: Shadow DOM, toolbar (undo, redo, status), error banner,
// and a redraw that keeps focus, scroll, unsaved text and edits still on their way.
import { h } from "./dom.js";
import { createClient } from "./client.js";
import { button } from "./fields.js";

// Frames may arrive as JSON text (see snapshot_to_json in Python); parse each text once.
function snapshotReader() {
  const parsed = new Map();
  return (raw) => {
  const out = {};
  for (const [key, value] of Object.entries(raw || {})) {
    if (typeof value !== "string" || key === "version") { out[key] = value; continue; }
    if (parsed.get(key)?.text !== value) parsed.set(key, { text: value, rows: JSON.parse(value) });
    out[key] = parsed.get(key).rows;
  }
  return out;
  };
}

function find(root, key) {
  return root.querySelector(`[data-key="${CSS.escape(key)}"]`);
}

/**
 * Mount an editor view.
 * @param {{model: object, el: HTMLElement, css: string, title: string, draw: (ctx) => Node}} opts
 * @returns {() => void} cleanup
 */
export function mountEditor({ model, el, css, title, draw }) {
  // JupyterLab: keys typed in the editor are the editor's, not notebook shortcuts.
  const host = h("div", { class: "cjm-host", "data-lm-suppress-shortcuts": "true" });
  el.append(host);
  const root = host.attachShadow({ mode: "open" });
  const status = h("span", { class: "cjm-status", role: "status", "aria-live": "polite" });
  const message = h("span", { class: "cjm-error-text" });
  const banner = h("div", { class: "cjm-error", role: "alert", hidden: true }, [
    message, button("×", "Dismiss the message", () => { banner.hidden = true; }),
  ]);
  const heading = h("span", { class: "cjm-title" });
  const undo = button("↶ Undo", "Undo the last edit", () => edit("undo"));
  const redo = button("↷ Redo", "Redo", () => edit("redo"));
  const body = h("div", { class: "cjm-body" });
  root.append(h("style", { text: css }),
    h("div", { class: "cjm-editor" }, [h("div", { class: "cjm-toolbar" }, [heading, undo, redo, status]), banner, body]));

  const readSnapshot = snapshotReader();
  const overlays = new Map(); // data-key -> {value, id}: committed edits not yet answered
  const ctx = { model, ui: {}, drafts: new Map(), snapshot: {}, edit, redraw };
  const client = createClient(model, showStatus);

  function showStatus() {
    const n = client.pending;
    status.textContent = client.offline ? `No kernel: ${n} edit(s) waiting (read-only)`
      : n ? `Saving ${n} edit(s)…` : "All changes saved";
    undo.disabled = !(model.get("undo_depth") > 0);
    redo.disabled = !(model.get("redo_depth") > 0);
  }

  function showError(text) {
    message.textContent = text;
    banner.hidden = false;
  }

  /** Send an op; `shown` = {key, value} keeps an optimistic value in that control until the reply. */
  function edit(op, params = {}, shown = null) {
    const promise = client.request(op, params);
    const token = {};
    if (shown) overlays.set(shown.key, { value: shown.value, token });
    return promise.then((reply) => {
      if (shown && overlays.get(shown.key)?.token === token) overlays.delete(shown.key);
      if (reply.ok) {
        if (shown?.draft) { ctx.drafts.delete(shown.key); const input = find(root, shown.key); if (input) input.value = ""; }
      } else {
        showError(reply.error || "the edit failed");
        redraw(shown && !shown.draft ? shown.key : null); // roll the value back to the journey's
      }
      return reply;
    });
  }

  /** Draw the snapshot again; `rollback` names a control whose typed value is dropped. */
  function redraw(rollback = null) {
    ctx.snapshot = readSnapshot(model.get("snapshot"));
    heading.textContent = `${title}: ${ctx.snapshot.journey?.name ?? ""}`;
    const active = root.activeElement;
    const key = active?.dataset?.key;
    const typed = key && "value" in active && active.value !== active._orig ? active.value : null;
    let selection = null;
    try { selection = key ? [active.selectionStart, active.selectionEnd] : null; } catch { /* selects have none */ }
    const scroll = [body.scrollLeft, body.scrollTop];
    // Removing a focused control fires "change": its text moves to the new control instead.
    if (active) active._detached = true;
    body.replaceChildren(draw(ctx));
    for (const [k, { value }] of overlays) {
      const control = find(body, k);
      if (control && "value" in control) { control.value = value; control.classList.add("cjm-pending"); }
    }
    for (const [k, value] of ctx.drafts) { const c = find(body, k); if (c) c.value = value; }
    [body.scrollLeft, body.scrollTop] = scroll;
    const again = key && find(body, key);
    if (again) {
      if (typed !== null && key !== rollback && "value" in again && !overlays.has(key)) again.value = typed;
      again.focus({ preventScroll: true });
      try { if (selection) again.setSelectionRange(...selection); } catch { /* not a text control */ }
    }
    showStatus();
  }

  const onSnapshot = () => redraw();
  model.on("change:snapshot", onSnapshot);
  model.on("change:undo_depth", showStatus);
  model.on("change:redo_depth", showStatus);
  root.addEventListener("keydown", (event) => {
    const tag = event.target?.tagName;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !["INPUT", "TEXTAREA", "SELECT"].includes(tag)) {
      event.preventDefault();
      event.stopPropagation();
      edit(event.shiftKey ? "redo" : "undo");
    }
  });
  redraw();
  return () => {
    model.off("change:snapshot", onSnapshot);
    model.off("change:undo_depth", showStatus);
    model.off("change:redo_depth", showStatus);
    client.dispose();
  };
}
