// The frame both editors share: Shadow DOM, toolbar (undo, redo, status), error banner,
// and a redraw that keeps focus, scroll, unsaved text and edits still on their way.
// The view draws its own copy of the journey (store.js): the whole snapshot once, then one
// delta per change; a redraw after a delta builds again only the cells whose rows changed.
import { h } from "./dom.js";
import { createClient } from "./client.js";
import { button } from "./fields.js";
import { createMemo, patchChildren } from "./memo.js";
import { createStore } from "./store.js";
import { Saved } from "./columns.js";
import { hasNoKernel, lockControls, readOnlyBadge } from "./readonly.js";
import { hideFallback } from "./fallback.js";

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
  const readOnly = hasNoKernel(model); // exported page: show the map, send nothing
  hideFallback(el, model.get("fallback_id")); // the widget draws: its static summary is not needed
  root.append(h("style", { text: css }),
    h("div", { class: "cjm-editor" }, [h("div", { class: "cjm-toolbar" }, [heading, readOnly ? readOnlyBadge() : null, undo, redo, status]), banner, body]));

  const store = createStore();
  const memo = createMemo();
  const overlays = new Map(); // data-key -> {value, id}: committed edits not yet answered
  // ctx.redraw() (UI state changed) builds everything again; ctx.refresh() draws again what
  // changed (e.g. which stages are on screen); ctx.cell / ctx.box reuse nodes. ctx.viewport is
  // the element that scrolls the map.
  // ctx.specs: what the controls offer (lib/specs.js), sent once by Python with the widget.
  const ctx = { model, ui: {}, drafts: new Map(), snapshot: {}, specs: model.get("specs") ?? {}, edit, redraw: () => paint({ fresh: true }), refresh: () => paint(),
    viewport: body, cell: memo.cell, box: memo.box, token: memo.token };
  const client = createClient(model, showStatus);

  function showStatus() {
    const n = client.pending;
    const text = readOnly ? "" : client.offline ? `No kernel: ${n} edit(s) waiting (read-only)`
      : n ? `Saving ${n} edit(s)…` : "All changes saved";
    if (status.textContent !== text) status.textContent = text; // the same text: no mutation, no relayout
    undo.disabled = !(model.get("undo_depth") > 0);
    redo.disabled = !(model.get("redo_depth") > 0);
    if (readOnly) lockControls(root);
  }

  function showError(text) {
    message.textContent = text;
    banner.hidden = false;
  }

  /** Send an op; `shown` = {key, value} keeps an optimistic value in that control until the reply. */
  function edit(op, params = {}, shown = null) {
    if (readOnly) return Promise.resolve({ ok: false, error: "read-only copy: no kernel" });
    const promise = client.request(op, params);
    const token = {};
    if (shown) overlays.set(shown.key, { value: shown.value, token });
    return promise.then((reply) => {
      if (shown && overlays.get(shown.key)?.token === token) {
        overlays.delete(shown.key);
        find(body, shown.key)?.classList.remove("cjm-pending");
      }
      if (reply.ok) {
        if (shown?.draft) { ctx.drafts.delete(shown.key); const input = find(root, shown.key); if (input) input.value = ""; }
      } else {
        showError(reply.error || "the edit failed");
        paint({ fresh: true, rollback: shown && !shown.draft ? shown.key : null }); // roll the value back to the journey's
      }
      return reply;
    });
  }

  /**
   * Draw the store's snapshot. `fresh` builds every cell again (UI state changed, a value
   * rolled back); otherwise cells whose inputs did not change keep their nodes.
   * `rollback` names a control whose typed value is dropped.
   */
  function paint({ fresh = false, rollback = null } = {}) {
    ctx.snapshot = store.snapshot;
    const headingText = `${title}: ${ctx.snapshot.journey?.name ?? ""}`;
    if (heading.textContent !== headingText) heading.textContent = headingText; // unchanged text: no relayout
    const active = root.activeElement;
    const key = active?.dataset?.key;
    const typed = key && "value" in active && active.value !== active._orig ? active.value : null;
    let selection = null;
    try { selection = key ? [active.selectionStart, active.selectionEnd] : null; } catch { /* selects have none */ }
    const scroll = [body.scrollLeft, body.scrollTop];
    // Removing a focused control fires "change": its text moves to the new control instead.
    if (active) {
      active._detached = true;
      // Blur now, while the DOM is clean: removing a focused control from a changed DOM makes
      // Chrome lay out the whole map at once (70-110 ms on 2,400 cards). Focus comes back below.
      active.blur();
    }
    const shown = body.firstChild;
    memo.begin(fresh);
    patchChildren(body, [draw(ctx)]);
    memo.end();
    if (active?.isConnected) active._detached = false; // kept in place: still the live control
    for (const [k, { value }] of overlays) {
      const control = find(body, k);
      if (control && "value" in control) { control.value = value; control.classList.add("cjm-pending"); }
    }
    for (const [k, value] of ctx.drafts) { const c = find(body, k); if (c) c.value = value; }
    // A kept map keeps its scroll; writing it would force a layout before the next frame.
    if (body.firstChild !== shown) [body.scrollLeft, body.scrollTop] = scroll;
    // A control without a key (a move or delete button, a details toggle) that was kept in
    // place gets its focus back too: blurring it above was only for the patch's sake.
    const again = (key && find(body, key)) || (active?.isConnected && body.contains(active) ? active : null);
    if (again) {
      if (typed !== null && key !== rollback && "value" in again && !overlays.has(key)) again.value = typed;
      again.focus({ preventScroll: true });
      try { if (selection) again.setSelectionRange(...selection); } catch { /* not a text control */ }
    }
    showStatus();
  }

  let resyncing = false;
  function onSnapshot() {
    const raw = model.get("snapshot");
    // Our own copy coming back (see keepSaved), or one we are already past: nothing to draw.
    if ((raw?.version ?? 0) <= store.version) return;
    store.full(raw);
    resyncing = false;
    paint();
  }
  function onDelta() {
    const result = store.apply(model.get("delta"));
    if (result === "applied") {
      paint();
      keepSaved();
    } else if (result === "gap" && !resyncing) {
      resyncing = true; // a delta went missing: ask for the whole map (it comes as `snapshot`)
      try { model.send({ kind: "cjm-resync" }); } catch { resyncing = false; }
    }
  }
  // The model's own `snapshot` is what "Save Widget State" writes into the notebook: keep it
  // current without sending it anywhere. After every view of the model applied the delta
  // (they all hear it in the same turn), so none of them takes it for news. Each value is
  // wrapped (columns.js, Saved): written as the kernel would send it, encoded only on saving.
  function keepSaved() {
    queueMicrotask(() => {
      if ((model.get("snapshot")?.version ?? -1) >= store.version) return;
      const saved = {};
      for (const [key, value] of Object.entries(store.snapshot)) saved[key] = key === "version" ? value : new Saved(value);
      model.set("snapshot", saved);
    });
  }
  // Set once when the widget is made; a view drawn before it arrived draws again with it.
  function onSpecs() { ctx.specs = model.get("specs") ?? {}; paint({ fresh: true }); }
  model.on("change:snapshot", onSnapshot);
  model.on("change:delta", onDelta);
  model.on("change:specs", onSpecs);
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
  store.full(model.get("snapshot"));
  paint();
  onDelta(); // a saved or late view: the model may hold a delta newer than its snapshot
  return () => {
    model.off("change:snapshot", onSnapshot);
    model.off("change:delta", onDelta);
    model.off("change:specs", onSpecs);
    model.off("change:undo_depth", showStatus);
    model.off("change:redo_depth", showStatus);
    client.dispose();
  };
}
