// Built from js/journey_editor.js by js/build.mjs; do not edit.

// lib/base.css
var base_default = `/* Shared by both editors; lives in a Shadow DOM, so nothing leaks out or in. */
:host {
  --cjm-bg: var(--jp-layout-color1, #ffffff);
  --cjm-bg2: var(--jp-layout-color2, #f3f3f3);
  --cjm-bg0: var(--jp-layout-color0, #ffffff);
  --cjm-fg: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87));
  --cjm-muted: var(--jp-ui-font-color2, rgba(0, 0, 0, 0.54));
  --cjm-border: var(--jp-border-color2, #e0e0e0);
  --cjm-accent: var(--jp-brand-color1, #1976d2);
  --cjm-error: var(--jp-error-color1, #d32f2f);
  --cjm-font: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);
  --cjm-size: var(--jp-ui-font-size1, 13px);
  --cjm-label: 120px;
  display: block;
}
@media (prefers-color-scheme: dark) {
  :host {
    --cjm-bg: var(--jp-layout-color1, #1e1e1e);
    --cjm-bg2: var(--jp-layout-color2, #2a2a2a);
    --cjm-bg0: var(--jp-layout-color0, #111111);
    --cjm-fg: var(--jp-ui-font-color1, rgba(255, 255, 255, 0.87));
    --cjm-muted: var(--jp-ui-font-color2, rgba(255, 255, 255, 0.54));
    --cjm-border: var(--jp-border-color2, #3a3a3a);
  }
}
.cjm-editor { font-family: var(--cjm-font); font-size: var(--cjm-size); color: var(--cjm-fg); background: var(--cjm-bg); }
.cjm-toolbar { display: flex; gap: 6px; align-items: center; padding: 4px 2px; border-bottom: 1px solid var(--cjm-border); }
.cjm-title { font-weight: 600; margin-right: auto; }
.cjm-status { color: var(--cjm-muted); font-size: 0.9em; min-width: 10em; text-align: right; }
.cjm-error { display: flex; gap: 8px; align-items: center; color: var(--cjm-error); border: 1px solid var(--cjm-error); padding: 4px 8px; margin: 4px 0; border-radius: 3px; }
.cjm-error[hidden] { display: none; }
.cjm-error-text { flex: 1; white-space: pre-wrap; }
.cjm-body { overflow: auto; max-height: 85vh; }
.cjm-btn { font: inherit; color: var(--cjm-fg); background: var(--cjm-bg2); border: 1px solid var(--cjm-border); border-radius: 3px; padding: 1px 6px; cursor: pointer; }
.cjm-btn:disabled { opacity: 0.4; cursor: default; }
.cjm-btn:focus-visible, .cjm-field:focus-visible, .cjm-point:focus-visible { outline: 2px solid var(--cjm-accent); outline-offset: 1px; }
.cjm-danger:hover:not(:disabled) { color: var(--cjm-error); border-color: var(--cjm-error); }
.cjm-field { font: inherit; color: var(--cjm-fg); background: var(--cjm-bg0); border: 1px solid var(--cjm-border); border-radius: 3px; padding: 2px 4px; min-width: 0; box-sizing: border-box; width: 100%; }
textarea.cjm-field { resize: vertical; }
.cjm-number { width: 4.5em; flex: none; }
.cjm-pending { border-style: dashed; border-color: var(--cjm-accent); }
.cjm-row { display: flex; gap: 4px; align-items: center; }
.cjm-wrap { flex-wrap: wrap; }
.cjm-muted { color: var(--cjm-muted); font-size: 0.9em; }
.cjm-add { display: flex; gap: 4px; margin-top: 4px; }
.cjm-item { border: 1px solid var(--cjm-border); border-radius: 4px; padding: 4px; margin-bottom: 4px; background: var(--cjm-bg); display: grid; gap: 3px; }
.cjm-readonly { color: var(--cjm-error); border: 1px solid currentColor; border-radius: 3px; padding: 0 6px; font-size: 0.9em; }

/* A card off screen is not laid out (a 2,400-card map relays out in a third of the time after
   an edit); "auto" keeps the height it had when last shown. Never shown, it takes a closed
   card's content height, measured by the view (touchpoints.js): a wrong guess moves what is
   below a long list while the cards near the screen are drawn. */
.cjm-card { content-visibility: auto; contain-intrinsic-size: auto var(--cjm-card-height, 46px); }
`;

// journey_editor.css
var journey_editor_default = `.cjm-grid { display: grid; width: max-content; }
.cjm-grid > * { border-right: 1px solid var(--cjm-border); border-bottom: 1px solid var(--cjm-border); padding: 4px; box-sizing: border-box; min-width: 0; }
.cjm-corner, .cjm-lane-label { font-weight: 600; color: var(--cjm-muted); position: sticky; left: 0; background: var(--cjm-bg2); z-index: 1; }
.cjm-stage { display: grid; gap: 3px; align-content: start; background: var(--cjm-bg2); }
.cjm-stage-tools { display: flex; gap: 3px; justify-content: flex-end; }
.cjm-stage-tools[hidden] { display: none; }
.cjm-confirm { display: grid; gap: 4px; padding: 4px; border: 1px solid var(--cjm-error); border-radius: 4px; background: var(--cjm-bg); }
.cjm-confirm-text { white-space: normal; overflow-wrap: anywhere; }
.cjm-confirm .cjm-row { justify-content: flex-end; }
.cjm-stage-name { font-weight: 600; }
.cjm-tps { min-height: 24px; display: grid; gap: 4px; align-content: start; }
.cjm-drop { outline: 2px dashed var(--cjm-accent); }
.cjm-card { border: 1px solid var(--cjm-border); border-left: 3px solid var(--cjm-accent); border-radius: 4px; padding: 3px; display: grid; gap: 3px; background: var(--cjm-bg); }
.cjm-grip { cursor: grab; color: var(--cjm-muted); }
.cjm-channel { font-size: 0.9em; }
.cjm-details { display: grid; gap: 3px; }
.cjm-curve-cell { padding: 0; }
.cjm-emotion-svg { display: block; }
.cjm-gridline { stroke: var(--cjm-border); stroke-width: 1; }
.cjm-zero { stroke: var(--cjm-muted); stroke-dasharray: 4 3; }
.cjm-curve { fill: none; stroke-width: 2; }
.cjm-point { cursor: ns-resize; stroke: var(--cjm-bg); stroke-width: 2; touch-action: none; }
.cjm-legend { font-size: 11px; font-family: var(--cjm-font); }
/* The scale sits on the emotion row's label, level with the curve's grid lines (same top). */
.cjm-emotion-label { padding: 0; }
.cjm-emotion-label > span { display: block; padding: 4px; }
.cjm-scale-svg { position: absolute; top: 0; left: 0; width: 100%; overflow: visible; }
.cjm-scale { font-size: 11px; font-weight: 400; font-family: var(--cjm-font); fill: var(--cjm-muted); text-anchor: end; dominant-baseline: middle; }
.cjm-add-emotion select { width: auto; flex: 1; }
.cjm-loose { padding: 6px 4px; max-width: 480px; }
.cjm-loose h4 { margin: 6px 0 4px; }
.cjm-meta { display: grid; gap: 4px; padding: 6px 4px; max-width: 720px; }
.cjm-meta-name { font-weight: 600; font-size: 1.1em; }
.cjm-meta-kind { width: auto; flex: none; }
.cjm-metric .cjm-number { width: 6em; }
.cjm-add-metric input[type="number"] { width: 6em; flex: none; }
.cjm-goal .cjm-number { width: 6em; }
.cjm-goal-comparison { width: auto; flex: none; }
.cjm-add-goal input[type="number"] { width: 6em; flex: none; }
.cjm-custom-lane { display: grid; gap: 3px; align-content: start; }
.cjm-locked .cjm-point { pointer-events: none; cursor: default; }
.cjm-captioned { display: grid; gap: 1px; font-size: 0.85em; color: var(--cjm-muted); min-width: 0; }
.cjm-captioned > .cjm-field { font-size: var(--cjm-size); }
.cjm-wrap > .cjm-captioned { flex: 1 1 6em; }
.cjm-wrap > .cjm-captioned.cjm-fixed { flex: none; }
.cjm-date { width: auto; }
.cjm-more-count { flex-basis: 100%; }
`;

// lib/dom.js
var SVG_NS = "http://www.w3.org/2000/svg";
var UNSAFE = /* @__PURE__ */ new Set(["src", "href", "xlink:href", "srcdoc", "action", "formaction", "style", "srcset"]);
function setAttr(el, name, value) {
  const lower = String(name).toLowerCase();
  if (lower.startsWith("on") || UNSAFE.has(lower)) throw new Error(`refusing unsafe attribute ${name}`);
  if (value === true) el.setAttribute(name, "");
  else el.setAttribute(name, String(value));
}
function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === void 0 || value === false) continue;
    if (key === "text") el.textContent = String(value);
    else if (key === "value") el.value = String(value);
    else if (key === "on") for (const [type, fn] of Object.entries(value)) el.addEventListener(type, fn);
    else if (key === "dataset") for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    else setAttr(el, key, value);
  }
  return el;
}
function append(el, children) {
  for (const child of children || []) {
    if (child === null || child === void 0 || child === false) continue;
    el.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return el;
}
function h(tag, props = {}, children = []) {
  return append(apply(document.createElement(tag), props), children);
}
function svg(tag, props = {}, children = []) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

// lib/client.js
function createClient(model, onStatus = () => {
}) {
  const base = Math.floor(Math.random() * 1e9) * 1e4;
  let counter = 0;
  const pending = /* @__PURE__ */ new Map();
  const outbox = [];
  let offline = false;
  let timer = null;
  function flush() {
    while (outbox.length) {
      try {
        model.send(outbox[0]);
      } catch (err) {
        if (!offline) console.warn("cjm: cannot reach the kernel; edits wait", err);
        offline = true;
        onStatus();
        timer = timer || setTimeout(() => {
          timer = null;
          flush();
        }, 2e3);
        return;
      }
      outbox.shift();
    }
    if (offline) {
      offline = false;
      onStatus();
    }
  }
  function onMessage(content) {
    if (!content || content.kind !== "cjm-reply") return;
    const entry = pending.get(content.request_id);
    if (!entry) return;
    pending.delete(content.request_id);
    onStatus();
    entry.resolve(content);
  }
  model.on("msg:custom", onMessage);
  return {
    /** Send {op, ...params}; resolves with the reply (never rejects). */
    request(op, params = {}) {
      counter += 1;
      const msg = { ...params, op, request_id: base + counter };
      return new Promise((resolve) => {
        pending.set(msg.request_id, { resolve, msg });
        outbox.push(msg);
        onStatus();
        if (!timer) flush();
      });
    },
    get pending() {
      return pending.size;
    },
    get offline() {
      return offline;
    },
    dispose() {
      model.off("msg:custom", onMessage);
      clearTimeout(timer);
    }
  };
}

// lib/fields.js
function bind(el, key, value, onCommit, parse) {
  el.dataset.key = key;
  el._orig = value === null || value === void 0 ? "" : String(value);
  el.value = el._orig;
  const commit3 = () => {
    if (el._detached || el.value === el._orig) return;
    el._orig = el.value;
    onCommit(parse(el.value), el.value);
  };
  el.addEventListener("change", commit3);
  el.addEventListener("blur", commit3);
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      el.value = el._orig;
      el.blur();
    }
    if (event.key === "Enter" && el.tagName === "INPUT") commit3();
  });
  return el;
}
function textField({ key, value, label, placeholder, multiline, onCommit, cls }) {
  const el = h(multiline ? "textarea" : "input", {
    class: `cjm-field ${cls || ""}`,
    "aria-label": label,
    placeholder: placeholder || label,
    rows: multiline ? 2 : null,
    type: multiline ? null : "text"
  });
  return bind(el, key, value, onCommit, (text3) => text3);
}
function numberField({ key, value, label, min, max, step, onCommit, cls }) {
  const el = h("input", {
    class: `cjm-field cjm-number ${cls || ""}`,
    type: "number",
    "aria-label": label,
    min,
    max,
    step
  });
  return bind(el, key, value, onCommit, (text3) => text3.trim() === "" ? null : Number(text3));
}
var LAZY_OPTIONS = 40;
var SELECT_VALUE = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value");
var option = ([v, text3]) => h("option", { value: v, text: text3 });
function fillLater(el) {
  const fill = () => {
    if (el._filled) return;
    el._filled = true;
    fillOptions(el, el._options());
  };
  for (const type of ["focus", "pointerdown", "mousedown", "keydown"]) el.addEventListener(type, fill, { capture: true });
  Object.defineProperty(el, "value", {
    configurable: true,
    get: () => SELECT_VALUE.get.call(el),
    set: (v) => {
      fill();
      SELECT_VALUE.set.call(el, v);
    }
  });
}
function withCurrent(options, current) {
  return options.some(([v]) => v === current) ? options : [...options, [current, current]];
}
function fillOptions(el, options, value = SELECT_VALUE.get.call(el)) {
  el.replaceChildren(...withCurrent(options, value).map(option));
  SELECT_VALUE.set.call(el, value);
}
function selectField({ key, value, label, options, onCommit, cls, lazyAbove = LAZY_OPTIONS, fallback }) {
  const current = value ?? "";
  const list = typeof options === "function" ? options : () => options;
  const all = withCurrent(list(), current);
  const lazy = all.length > lazyAbove;
  const el = h(
    "select",
    { class: `cjm-field ${cls || ""}`, "aria-label": label },
    (lazy ? all.filter(([v]) => v === current) : all).map(option)
  );
  el._options = list;
  el._fallback = fallback;
  el._filled = !lazy;
  bind(el, key, current, onCommit, (text3) => text3 === "" ? null : text3);
  if (lazy) fillLater(el);
  return el;
}
function refreshSelect(el) {
  const options = el._options();
  let value = SELECT_VALUE.get.call(el);
  if (el._fallback && !options.some(([v]) => v === value)) value = el._fallback();
  if (el._filled) {
    fillOptions(el, options, value);
    return;
  }
  const all = withCurrent(options, value);
  if (all.length > LAZY_OPTIONS) fillOptions(el, all.filter(([v]) => v === value), value);
  else {
    el._filled = true;
    fillOptions(el, all, value);
  }
}
function dateField({ key, value, label, onCommit, cls }) {
  const el = h("input", { class: `cjm-field cjm-date ${cls || ""}`, type: "date", "aria-label": label });
  const day = typeof value === "string" ? value.slice(0, 10) : value;
  return bind(el, key, day, onCommit, (text3) => text3.trim() === "" ? null : text3);
}
function linkOptions(rows, none, name = (r) => r.name || r.id) {
  return [["", none], ...rows.map((r) => [r.id, name(r)])];
}
function shortText(text3, max = 48) {
  const s = String(text3 ?? "");
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
function addField({ key, label, ctx, onAdd }) {
  const input = h("input", { class: "cjm-field cjm-add-input", type: "text", "aria-label": label, placeholder: label });
  input.dataset.key = key;
  input._orig = "";
  input.value = ctx.drafts.get(key) || "";
  input.addEventListener("input", () => ctx.drafts.set(key, input.value));
  const submit = () => {
    const text3 = input.value.trim();
    if (text3) onAdd(text3, key);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
  });
  const button2 = h("button", { class: "cjm-btn", type: "button", text: "+", title: label, "aria-label": label, on: { click: submit } });
  return h("div", { class: "cjm-add" }, [input, button2]);
}
function button(text3, label, onClick, { disabled = false, cls = "" } = {}) {
  return h("button", { class: `cjm-btn ${cls}`, type: "button", text: text3, title: label, "aria-label": label, disabled, on: { click: onClick } });
}

// lib/memo.js
function sameDeps(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}
function createMemo() {
  let last = /* @__PURE__ */ new Map();
  let next = /* @__PURE__ */ new Map();
  function cell(key, deps, render) {
    const hit = next.has(key) ? null : last.get(key);
    const node = hit && sameDeps(hit.deps, deps) ? hit.node : render();
    next.set(key, { deps, node });
    return node;
  }
  function token(key, items) {
    const k = `token:${key}`;
    return next.get(k)?.node ?? cell(k, items, () => ({}));
  }
  return {
    cell,
    token,
    /** A container element kept across passes (made by `make()` once); fill it with `patchChildren`. */
    box: (key, make) => cell(key, [], make),
    /** Start a pass; `fresh` forgets every cell (everything is built again). */
    begin(fresh = false) {
      if (fresh) last = /* @__PURE__ */ new Map();
      next = /* @__PURE__ */ new Map();
    },
    end() {
      last = next;
      next = /* @__PURE__ */ new Map();
    }
  };
}
function patchChildren(parent, nodes) {
  const children = [];
  for (const node of nodes) {
    if (node === null || node === void 0 || node === false) continue;
    children.push(typeof node === "string" ? document.createTextNode(node) : node);
  }
  const wanted = new Set(children);
  let cursor = parent.firstChild;
  const skip = () => {
    while (cursor && !wanted.has(cursor)) {
      const after = cursor.nextSibling;
      cursor.remove();
      cursor = after;
    }
  };
  for (const child of children) {
    skip();
    if (child === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(child, cursor);
  }
  while (cursor) {
    const after = cursor.nextSibling;
    cursor.remove();
    cursor = after;
  }
  return parent;
}

// lib/columns.js
var DISTINCT_SHARE = 0.25;
var MIN_ROWS = 16;
function isColumns(value) {
  return !!value && typeof value === "object" && !Array.isArray(value) && typeof value.n === "number" && !!value.columns && typeof value.columns === "object";
}
function decodeColumns({ n, columns }) {
  const names = Object.keys(columns);
  const cells = names.map((name) => {
    const column = columns[name];
    if (column === null || column === void 0) return null;
    if (Array.isArray(column)) return column;
    const { values, codes } = column;
    return codes.map((code) => values[code]);
  });
  const rows = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const row = {};
    for (let k = 0; k < names.length; k += 1) row[names[k]] = cells[k] === null ? null : cells[k][i] ?? null;
    rows[i] = row;
  }
  return rows;
}
function encodeColumn(cells) {
  if (cells.every((c) => c === null || c === void 0)) return null;
  if (cells.length >= MIN_ROWS && cells.every((c) => c === null || typeof c === "string")) {
    const index = /* @__PURE__ */ new Map();
    const codes = cells.map((c) => {
      if (!index.has(c)) index.set(c, index.size);
      return index.get(c);
    });
    if (index.size <= DISTINCT_SHARE * cells.length) return { values: [...index.keys()], codes };
  }
  return cells.map((c) => c === void 0 ? null : c);
}
function encodeColumns(rows) {
  const names = rows.length ? Object.keys(rows[0]) : [];
  const columns = {};
  for (const name of names) columns[name] = encodeColumn(rows.map((r) => r[name]));
  return { n: rows.length, columns };
}
var Saved = class {
  constructor(value) {
    this.value = value;
    this.cjmSaved = true;
  }
  toJSON() {
    const data = Array.isArray(this.value) ? encodeColumns(this.value) : this.value;
    return JSON.stringify(data).replace(/</g, "\\u003c");
  }
};
function isSaved(value) {
  return !!value && typeof value === "object" && value.cjmSaved === true && typeof value.toJSON === "function";
}

// lib/store.js
function valueOf(value) {
  const data = typeof value === "string" ? JSON.parse(value) : value;
  if (isSaved(data)) return data.value;
  return isColumns(data) ? decodeColumns(data) : data;
}
function sameRow(a, b) {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => a[k] === b[k]);
}
function share(rows, current) {
  if (!current?.length) return rows;
  const byId = new Map(current.map((r) => [r.id, r]));
  let same = rows.length === current.length;
  const out = rows.map((row, i) => {
    const old = byId.get(row.id);
    const kept = old && sameRow(old, row) ? old : row;
    if (kept !== current[i]) same = false;
    return kept;
  });
  return same ? current : out;
}
function patchFrame(current, change) {
  if (Array.isArray(change.rows)) return share(change.rows, current);
  const upsert = new Map((change.upsert || []).map((r) => [r.id, r]));
  const gone = new Set(change.remove || []);
  const out = [];
  for (const row of current) {
    if (gone.has(row.id)) continue;
    const fresh = upsert.get(row.id);
    out.push(fresh ?? row);
    if (fresh) upsert.delete(row.id);
  }
  out.push(...upsert.values());
  if (!Array.isArray(change.order)) return out;
  const byId = new Map(out.map((r) => [r.id, r]));
  return change.order.map((id) => byId.get(id)).filter(Boolean);
}
function createStore() {
  let snap = { version: -1 };
  const texts = /* @__PURE__ */ new Map();
  return {
    /** The current snapshot: version, journey (meta data) and one array of rows per frame. */
    get snapshot() {
      return snap;
    },
    get version() {
      return snap.version;
    },
    /** Adopt a whole snapshot (a model's `snapshot` value). */
    full(raw) {
      const next = { version: raw?.version ?? 0 };
      for (const [key, value] of Object.entries(raw || {})) {
        if (key === "version") continue;
        let data;
        if (typeof value === "string") {
          if (texts.get(key)?.[0] !== value) texts.set(key, [value, valueOf(value)]);
          data = texts.get(key)[1];
        } else {
          data = valueOf(value);
        }
        if (Array.isArray(data)) next[key] = share(data, snap[key]);
        else next[key] = sameRow(snap[key], data) && typeof data === "object" ? snap[key] : data;
      }
      snap = next;
      return true;
    },
    /**
     * Apply a delta ({version, base, journey, frames}).
     * @returns {"applied" | "old" | "gap"} "gap": a delta was missed, ask for the whole map.
     */
    apply(delta) {
      if (typeof delta === "string") delta = JSON.parse(delta);
      if (!delta || typeof delta.version !== "number") return "old";
      if (delta.version <= snap.version) return "old";
      if (delta.base !== snap.version) return "gap";
      const next = { ...snap, version: delta.version };
      if (delta.journey && !sameRow(snap.journey, delta.journey)) next.journey = delta.journey;
      for (const [frame, change] of Object.entries(delta.frames || {})) {
        next[frame] = patchFrame(snap[frame] || [], change || {});
      }
      snap = next;
      return "applied";
    }
  };
}

// lib/readonly.js
function hasNoKernel(model) {
  const manager = model?.widget_manager;
  if (!manager) return false;
  return !("kernel" in manager) || manager.kernel === null || manager.kernel === void 0;
}
function lockControls(root) {
  root.querySelector(".cjm-editor")?.classList.add("cjm-locked");
  for (const el of root.querySelectorAll("input, textarea")) el.readOnly = true;
  for (const el of root.querySelectorAll("button, select")) el.disabled = true;
  for (const el of root.querySelectorAll("[role=slider]")) {
    el.setAttribute("tabindex", "-1");
    el.setAttribute("aria-readonly", "true");
  }
}
function readOnlyBadge() {
  return h("span", { class: "cjm-readonly", role: "note", text: "Read-only copy — no kernel" });
}

// lib/fallback.js
var MAX_DEPTH = 12;
function hideFallback(el, token, tries = 50) {
  if (!token || typeof CSS === "undefined") return;
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
      const output = summary.closest(".jp-OutputArea-child") ?? summary;
      output.hidden = true;
      output.style.display = "none";
    }
    return;
  }
}

// lib/shell.js
function find(root, key) {
  return root.querySelector(`[data-key="${CSS.escape(key)}"]`);
}
function mountEditor({ model, el, css, title, draw }) {
  const host = h("div", { class: "cjm-host", "data-lm-suppress-shortcuts": "true" });
  el.append(host);
  const root = host.attachShadow({ mode: "open" });
  const status = h("span", { class: "cjm-status", role: "status", "aria-live": "polite" });
  const message = h("span", { class: "cjm-error-text" });
  const banner = h("div", { class: "cjm-error", role: "alert", hidden: true }, [
    message,
    button("×", "Dismiss the message", () => {
      banner.hidden = true;
    })
  ]);
  const heading = h("span", { class: "cjm-title" });
  const undo = button("↶ Undo", "Undo the last edit", () => edit("undo"));
  const redo = button("↷ Redo", "Redo", () => edit("redo"));
  const body = h("div", { class: "cjm-body" });
  const readOnly = hasNoKernel(model);
  hideFallback(el, model.get("fallback_id"));
  root.append(
    h("style", { text: css }),
    h("div", { class: "cjm-editor" }, [h("div", { class: "cjm-toolbar" }, [heading, readOnly ? readOnlyBadge() : null, undo, redo, status]), banner, body])
  );
  const store = createStore();
  const memo = createMemo();
  const overlays = /* @__PURE__ */ new Map();
  const ctx = {
    model,
    ui: {},
    drafts: /* @__PURE__ */ new Map(),
    snapshot: {},
    specs: model.get("specs") ?? {},
    edit,
    redraw: () => paint({ fresh: true }),
    refresh: () => paint(),
    viewport: body,
    cell: memo.cell,
    box: memo.box,
    token: memo.token
  };
  const client = createClient(model, showStatus);
  function showStatus() {
    const n = client.pending;
    const text3 = readOnly ? "" : client.offline ? `No kernel: ${n} edit(s) waiting (read-only)` : n ? `Saving ${n} edit(s)…` : "All changes saved";
    if (status.textContent !== text3) status.textContent = text3;
    undo.disabled = !(model.get("undo_depth") > 0);
    redo.disabled = !(model.get("redo_depth") > 0);
    if (readOnly) lockControls(root);
  }
  function showError(text3) {
    message.textContent = text3;
    banner.hidden = false;
  }
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
        if (shown?.draft) {
          ctx.drafts.delete(shown.key);
          const input = find(root, shown.key);
          if (input) input.value = "";
        }
      } else {
        showError(reply.error || "the edit failed");
        paint({ fresh: true, rollback: shown && !shown.draft ? shown.key : null });
      }
      return reply;
    });
  }
  function paint({ fresh = false, rollback = null } = {}) {
    ctx.snapshot = store.snapshot;
    const headingText = `${title}: ${ctx.snapshot.journey?.name ?? ""}`;
    if (heading.textContent !== headingText) heading.textContent = headingText;
    const active = root.activeElement;
    const key = active?.dataset?.key;
    const typed = key && "value" in active && active.value !== active._orig ? active.value : null;
    let selection = null;
    try {
      selection = key ? [active.selectionStart, active.selectionEnd] : null;
    } catch {
    }
    const scroll = [body.scrollLeft, body.scrollTop];
    if (active) {
      active._detached = true;
      active.blur();
    }
    const shown = body.firstChild;
    memo.begin(fresh);
    patchChildren(body, [draw(ctx)]);
    memo.end();
    if (active?.isConnected) active._detached = false;
    for (const [k, { value }] of overlays) {
      const control2 = find(body, k);
      if (control2 && "value" in control2) {
        control2.value = value;
        control2.classList.add("cjm-pending");
      }
    }
    for (const [k, value] of ctx.drafts) {
      const c = find(body, k);
      if (c) c.value = value;
    }
    if (body.firstChild !== shown) [body.scrollLeft, body.scrollTop] = scroll;
    const again = key && find(body, key) || (active?.isConnected && body.contains(active) ? active : null);
    if (again) {
      if (typed !== null && key !== rollback && "value" in again && !overlays.has(key)) again.value = typed;
      again.focus({ preventScroll: true });
      try {
        if (selection) again.setSelectionRange(...selection);
      } catch {
      }
    }
    showStatus();
  }
  let resyncing = false;
  function onSnapshot() {
    const raw = model.get("snapshot");
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
      resyncing = true;
      try {
        model.send({ kind: "cjm-resync" });
      } catch {
        resyncing = false;
      }
    }
  }
  function keepSaved() {
    queueMicrotask(() => {
      if ((model.get("snapshot")?.version ?? -1) >= store.version) return;
      const saved = {};
      for (const [key, value] of Object.entries(store.snapshot)) saved[key] = key === "version" ? value : new Saved(value);
      model.set("snapshot", saved);
    });
  }
  function onSpecs() {
    ctx.specs = model.get("specs") ?? {};
    paint({ fresh: true });
  }
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
  onDelta();
  return () => {
    model.off("change:snapshot", onSnapshot);
    model.off("change:delta", onDelta);
    model.off("change:specs", onSpecs);
    model.off("change:undo_depth", showStatus);
    model.off("change:redo_depth", showStatus);
    client.dispose();
  };
}

// journey/deps.js
function gridDeps(ctx, ix) {
  const n = ix.stages.length;
  const tps = (id) => ctx.token(`tps:${id}`, ix.touchpoints.get(id) || []);
  const stageIds = () => ctx.token("stage-ids", ix.stages.map((s) => s.id));
  const emotionPlaces = () => ctx.token("emotion-places", (ctx.snapshot.emotions || []).map((row) => {
    const tp = row.touchpoint_id ? ix.tpById.get(row.touchpoint_id) : null;
    if (!tp) return "";
    const list = ix.touchpoints.get(tp.stage_id) || [];
    return `${tp.stage_id}/${list.indexOf(tp)}/${list.length}/${tp.name}`;
  }));
  return {
    /** A stage's header: the stage and its place (stages.js reads nothing else). */
    header: (s, i) => [s, i, n],
    /** A custom lane's cell: its row and the stage's name (in its label). */
    lane: (lane, s) => [ix.lanes.get(lane)?.get(s.id), s.id, s.name],
    /** The emotion curve: stage order, emotions, personas and where each emotion's touchpoint sits. */
    curve: () => [stageIds(), ctx.snapshot.emotions, ix.personas, emotionPlaces()],
    /** The token of a linked select's source (linked.js): the same while its rows are. */
    source: (name) => {
      if (name === "stages") return ctx.token("stages", ix.stages);
      if (name === "personas") return ix.personas;
      if (name === "pains") return ctx.snapshot.pain_points;
      if (name === "opportunities") return ctx.snapshot.opportunities;
      return name.startsWith("tps:") ? tps(name.slice(4)) : void 0;
    }
  };
}

// lib/labels.js
var NO_PERSONA_LABEL = "All personas";
var EMOTION_LABELS = [[-2, "frustrated"], [0, "indifferent"], [2, "delighted"]];

// journey/placement.js
var known = (v) => v !== null && v !== void 0;
function placer(snap) {
  const tpStage = new Map((snap.touchpoints || []).map((t) => [t.id, t.stage_id ?? null]));
  const own = (row) => {
    const via = known(row.touchpoint_id) ? tpStage.get(row.touchpoint_id) : null;
    return known(via) ? via : row.stage_id ?? null;
  };
  const pains = new Map((snap.pain_points || []).map((p) => [p.id, p]));
  const opportunities = new Map((snap.opportunities || []).map((o) => [o.id, o]));
  const opportunityStage = (row) => {
    const stage = own(row);
    if (known(stage) || !known(row.pain_point_id)) return stage;
    const pain = pains.get(row.pain_point_id);
    return pain ? own(pain) : null;
  };
  return (frame, row) => {
    if (frame === "stages") return row.id ?? null;
    if (frame === "touchpoints") return row.stage_id ?? null;
    if (frame === "opportunities") return opportunityStage(row);
    if (frame === "actions") {
      const stage = own(row);
      if (known(stage) || !known(row.opportunity_id)) return stage;
      const opportunity = opportunities.get(row.opportunity_id);
      return opportunity ? opportunityStage(opportunity) : null;
    }
    return own(row);
  };
}

// journey/index.js
function byOrder(a, b) {
  return (a.order ?? 0) - (b.order ?? 0);
}
function groupByStage(rows, stageOf2, frame) {
  const out = /* @__PURE__ */ new Map();
  const loose = [];
  for (const row of rows || []) {
    const stage = stageOf2(frame, row);
    if (stage === null) loose.push(row);
    else {
      if (!out.has(stage)) out.set(stage, []);
      out.get(stage).push(row);
    }
  }
  return [out, loose];
}
function indexSnapshot(snap, into = {}) {
  const stages = [...snap.stages || []].sort(byOrder);
  const touchpoints = new Map(stages.map((s) => [s.id, []]));
  const tpById = /* @__PURE__ */ new Map();
  for (const tp of snap.touchpoints || []) {
    tpById.set(tp.id, tp);
    if (touchpoints.has(tp.stage_id)) touchpoints.get(tp.stage_id).push(tp);
  }
  for (const list of touchpoints.values()) list.sort(byOrder);
  const stageOf2 = placer(snap);
  const [emotions] = groupByStage(snap.emotions, stageOf2, "emotions");
  const [pains] = groupByStage(snap.pain_points, stageOf2, "pain_points");
  const [opportunities, looseOpportunities] = groupByStage(snap.opportunities, stageOf2, "opportunities");
  const [actions, looseActions] = groupByStage(snap.actions, stageOf2, "actions");
  const [metrics, looseMetrics] = groupByStage(snap.metrics, stageOf2, "metrics");
  const [goals, looseGoals] = groupByStage(snap.goals, stageOf2, "goals");
  const lanes = /* @__PURE__ */ new Map();
  for (const row of snap.lanes || []) {
    if (!lanes.has(row.lane)) lanes.set(row.lane, /* @__PURE__ */ new Map());
    lanes.get(row.lane).set(row.stage_id, row);
  }
  const personas = snap.personas || [];
  return Object.assign(into, {
    stages,
    touchpoints,
    tpById,
    emotions,
    pains,
    opportunities,
    looseOpportunities,
    actions,
    looseActions,
    personas,
    personaById: new Map(personas.map((p) => [p.id, p])),
    metrics,
    looseMetrics,
    goals,
    looseGoals,
    lanes
  });
}
function placeName(ix, row) {
  return row.touchpoint_id ? ix.tpById.get(row.touchpoint_id)?.name ?? row.touchpoint_id : "whole stage";
}
function personaName(ix, id) {
  return id ? ix.personaById.get(id)?.name ?? id : NO_PERSONA_LABEL;
}

// journey/linked.js
function linkedSelect(ctx, sources, spec) {
  var _a;
  const el = selectField(spec);
  const registry = (_a = ctx.ui).linked ?? (_a.linked = /* @__PURE__ */ new Map());
  for (const source of sources) {
    if (!registry.has(source)) registry.set(source, /* @__PURE__ */ new Set());
    registry.get(source).add(el);
  }
  return el;
}
function refreshLinked(ctx, root, token) {
  var _a;
  const registry = ctx.ui.linked;
  if (!registry) return;
  const last = (_a = ctx.ui).linkedTokens ?? (_a.linkedTokens = /* @__PURE__ */ new Map());
  const done = /* @__PURE__ */ new Set();
  for (const [source, els] of registry) {
    const now = token(source);
    const changed = last.get(source) !== now;
    last.set(source, now);
    for (const el of els) {
      if (!root.contains(el)) els.delete(el);
      else if (changed && !done.has(el)) {
        done.add(el);
        refreshSelect(el);
      }
    }
    if (!els.size) {
      registry.delete(source);
      last.delete(source);
    }
  }
}

// journey/more.js
var FIRST_ROWS = 40;
var PAGE = 200;
var count = (n) => n.toLocaleString("en");
function firstRows(ctx, key, rows, what, where) {
  var _a;
  if (rows.length <= FIRST_ROWS) return [rows, null];
  const limits = (_a = ctx.ui).limits ?? (_a.limits = /* @__PURE__ */ new Map());
  const limit = limits.get(key) ?? FIRST_ROWS;
  const shown = rows.length > limit ? rows.slice(0, limit) : rows;
  const hidden = rows.length - shown.length;
  const set = (value) => () => {
    limits.set(key, value);
    ctx.refresh();
  };
  const control2 = (text3, label, onClick, id) => {
    const b = button(text3, label, onClick, { cls: "cjm-more" });
    b.dataset.key = `${id}:${key}`;
    return b;
  };
  return [shown, ctx.cell(`more:${key}`, [rows.length, shown.length, where], () => h("div", { class: "cjm-row cjm-wrap cjm-more-row" }, [
    h("span", { class: "cjm-muted cjm-more-count", text: `${count(shown.length)} of ${count(rows.length)} shown` }),
    hidden > PAGE ? control2(
      `Show ${PAGE} more`,
      `Show ${PAGE} more ${what} of ${where} (${count(shown.length)} of ${count(rows.length)} shown)`,
      set(shown.length + PAGE),
      "more"
    ) : null,
    hidden ? control2(`Show all ${count(rows.length)}`, `Show all ${rows.length} ${what} of ${where}`, set(Infinity), "all") : null,
    shown.length > FIRST_ROWS ? control2(`Show first ${FIRST_ROWS}`, `Show only the first ${FIRST_ROWS} ${what} of ${where}`, set(FIRST_ROWS), "fold") : null
  ]))];
}

// journey/links.js
function placeValue(row) {
  if (row.touchpoint_id) return `t:${row.touchpoint_id}`;
  return row.stage_id ? `s:${row.stage_id}` : "";
}
function placeFields(value) {
  if (value?.startsWith("t:")) return { stage_id: null, touchpoint_id: value.slice(2) };
  if (value?.startsWith("s:")) return { stage_id: value.slice(2), touchpoint_id: null };
  return { stage_id: null, touchpoint_id: null };
}
function placeOptions(ix, stage, none = null) {
  const head = none ? [["", none]] : [];
  if (!stage) return [...head, ...ix.stages.map((s) => [`s:${s.id}`, `Whole stage: ${s.name || s.id}`])];
  const tps = ix.touchpoints.get(stage.id) || [];
  return [...head, [`s:${stage.id}`, "Whole stage"], ...tps.map((t) => [`t:${t.id}`, `Touchpoint: ${t.name || t.id}`])];
}
function placeSource(stage) {
  return stage ? `tps:${stage.id}` : "stages";
}
function placeSelect({ ctx, ix, stage, row, key, label, none, send: send2 }) {
  return linkedSelect(ctx, [placeSource(stage)], {
    key,
    value: placeValue(row),
    label,
    options: () => placeOptions(ix, stage, none),
    onCommit: (value, raw) => send2(placeFields(value), raw)
  });
}
function personaOptions(ix, none) {
  return linkOptions(ix.personas, none);
}
function describedOptions(rows, none) {
  return linkOptions(rows || [], none, (r) => shortText(r.description || r.id));
}
function stageOptions(ix, none) {
  return linkOptions(ix.stages, none);
}
function captioned(caption, control2) {
  const fixed = control2.classList.contains("cjm-number") ? " cjm-fixed" : "";
  return h("label", { class: `cjm-captioned${fixed}` }, [h("span", { class: "cjm-caption", text: caption }), control2]);
}

// lib/specs.js
var NONE = Object.freeze({ kind: "text", required: false, choices: [], low: null, high: null });
function columnSpec(ctx, frame, column) {
  return ctx.specs?.frames?.[frame]?.[column] ?? NONE;
}
function journeyKinds(ctx) {
  return ctx.specs?.journey?.kind?.choices ?? [];
}
function valueLabel(value, words = {}) {
  return Object.hasOwn(words, value) ? words[value] : String(value).replaceAll("_", " ");
}
function titleLabel(value, words = {}) {
  const text3 = valueLabel(value, words);
  return text3.charAt(0).toUpperCase() + text3.slice(1);
}
function choiceOptions(ctx, frame, column, { label = valueLabel, none = "(not set)" } = {}) {
  const spec = columnSpec(ctx, frame, column);
  const options = spec.choices.map((v) => [v, label(v)]);
  return spec.required ? options : [["", none], ...options];
}
function bounds(ctx, frame, column) {
  const { low, high } = columnSpec(ctx, frame, column);
  return { min: low ?? void 0, max: high ?? void 0 };
}
function boundedCaption(ctx, frame, column, caption) {
  const { low, high } = columnSpec(ctx, frame, column);
  return low !== null && high !== null ? `${caption} ${low}-${high}` : caption;
}
function specField(ctx, frame, column, { key, value, label, onCommit, cls, multiline, placeholder, options }) {
  const spec = columnSpec(ctx, frame, column);
  if (spec.choices.length) return selectField({ key, value, label, cls, onCommit, options: choiceOptions(ctx, frame, column, options) });
  if (spec.kind === "int" || spec.kind === "float") {
    return numberField({ key, value, label, cls, onCommit, ...bounds(ctx, frame, column), step: spec.kind === "int" ? 1 : "any" });
  }
  if (spec.kind === "date") return dateField({ key, value, label, cls, onCommit });
  return textField({ key, value, label, cls, onCommit, multiline, placeholder });
}

// journey/emotions.js
var COL = 240;
var HEIGHT = 164;
var TOP = 28;
var BOTTOM = 14;
var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
var clamp = (v) => Math.max(-2, Math.min(2, v));
var round = (v) => Math.round(v * 10) / 10;
var yOf = (score) => TOP + (2 - score) / 4 * (HEIGHT - TOP - BOTTOM);
var scoreOf = (y) => round(clamp(2 - (y - TOP) / (HEIGHT - TOP - BOTTOM) * 4));
var MINUS = "−";
function scaleLabel(score) {
  const number2 = score > 0 ? `+${score}` : score < 0 ? `${MINUS}${-score}` : "0";
  const word = EMOTION_LABELS.find(([s]) => s === score)?.[1];
  return word ? `${word} ${number2}` : number2;
}
function emotionLaneLabel() {
  const ticks = [2, 1, 0, -1, -2].map((s) => svg("text", { class: "cjm-scale", x: "100%", dx: -4, y: yOf(s), text: scaleLabel(s) }));
  return h("div", { class: "cjm-lane-label cjm-emotion-label", role: "rowheader" }, [
    h("span", { text: "Emotions" }),
    svg("svg", { class: "cjm-scale-svg", height: HEIGHT, "aria-hidden": "true" }, ticks)
  ]);
}
function xOf(ix, row, i, stageId) {
  if (!row.touchpoint_id) return (i + 0.5) * COL;
  const tps = ix.touchpoints.get(stageId) || [];
  const k = tps.findIndex((t) => t.id === row.touchpoint_id);
  return i * COL + (k + 1) / (tps.length + 1) * COL;
}
function setScore(ctx, row, score) {
  return ctx.edit("update", { frame: "emotions", id: row.id, fields: { score } }, { key: `emo:${row.id}:score`, value: String(score) });
}
function point(ctx, ix, row, x, color) {
  const label = `${personaName(ix, row.persona_id)} at ${placeName(ix, row)}`;
  const dot = svg("circle", {
    class: "cjm-point",
    cx: x,
    cy: yOf(row.score),
    r: 7,
    fill: color,
    tabindex: 0,
    role: "slider",
    "aria-label": label,
    "aria-valuemin": -2,
    "aria-valuemax": 2,
    "aria-valuenow": row.score,
    dataset: { id: row.id, key: `emo:${row.id}:point` }
    // the key brings focus back after a redraw
  }, [svg("title", { text: `${label}: ${row.score}${row.feeling ? ` (${row.feeling})` : ""}` })]);
  let dragging = false;
  dot.addEventListener("pointerdown", (event) => {
    dragging = true;
    dot.setPointerCapture?.(event.pointerId);
    event.preventDefault();
  });
  dot.addEventListener("pointermove", (event) => {
    if (!dragging) return;
    const box = dot.ownerSVGElement.getBoundingClientRect();
    const score = scoreOf(event.clientY - box.top);
    dot.setAttribute("cy", yOf(score));
    dot.setAttribute("aria-valuenow", score);
  });
  dot.addEventListener("pointerup", (event) => {
    if (!dragging) return;
    dragging = false;
    const box = dot.ownerSVGElement.getBoundingClientRect();
    const score = scoreOf(event.clientY - box.top);
    if (score !== row.score) setScore(ctx, row, score);
  });
  dot.addEventListener("keydown", (event) => {
    const step = { ArrowUp: 0.5, ArrowRight: 0.5, ArrowDown: -0.5, ArrowLeft: -0.5, PageUp: 1, PageDown: -1 }[event.key];
    if (step === void 0) return;
    event.preventDefault();
    const shown = Number(dot.getAttribute("aria-valuenow"));
    const score = round(clamp(shown + step));
    if (score === shown) return;
    dot.setAttribute("cy", yOf(score));
    dot.setAttribute("aria-valuenow", score);
    setScore(ctx, row, score);
  });
  return dot;
}
function emotionCurve(ctx, ix, from = 0, to = ix.stages.length) {
  const width = Math.max(to - from, 1) * COL;
  const left = from * COL;
  const grid = [2, 1, 0, -1, -2].map((s) => svg("line", { class: s === 0 ? "cjm-zero" : "cjm-gridline", x1: 0, x2: width, y1: yOf(s), y2: yOf(s) }));
  const byPersona = /* @__PURE__ */ new Map();
  ix.stages.forEach((stage, i) => {
    if (i < from - 1 || i > to) return;
    for (const row of ix.emotions.get(stage.id) || []) {
      if (typeof row.score !== "number") continue;
      const key = row.persona_id ?? "";
      if (!byPersona.has(key)) byPersona.set(key, []);
      byPersona.get(key).push({ row, x: xOf(ix, row, i, stage.id) - left, drawn: i >= from && i < to });
    }
  });
  const layers = [];
  const legend = [];
  [...byPersona.entries()].forEach(([persona, pts], n) => {
    const color = PALETTE[n % PALETTE.length];
    pts.sort((a, b) => a.x - b.x);
    layers.push(svg("polyline", { class: "cjm-curve", stroke: color, points: pts.map((p) => `${p.x},${yOf(p.row.score)}`).join(" ") }));
    layers.push(...pts.filter((p) => p.drawn).map((p) => point(ctx, ix, p.row, p.x, color)));
    legend.push(svg("tspan", { class: "cjm-legend", dx: n ? 14 : 0, fill: color, text: personaName(ix, persona || null) }));
  });
  const names = legend.length ? svg("text", { class: "cjm-legend", x: 6, y: 13 }, legend) : null;
  return svg("svg", { class: "cjm-emotion-svg", width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "group", "aria-label": "Emotion curve" }, [...grid, names, ...layers]);
}
function emotionRow(ctx, ix, row, stage, who) {
  const send2 = (key) => (fields, raw) => ctx.edit("update", { frame: "emotions", id: row.id, fields }, { key, value: raw });
  const commit3 = (column) => (value, raw) => send2(`emo:${row.id}:${column}`)({ [column]: value }, raw);
  const score = bounds(ctx, "emotions", "score");
  const text3 = (column, label, caption) => captioned(caption, textField({ key: `emo:${row.id}:${column}`, value: row[column], label, onCommit: commit3(column) }));
  return h("div", { class: "cjm-item cjm-emotion", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-muted", text: who }),
      numberField({ key: `emo:${row.id}:score`, value: row.score, label: `Emotion score from ${score.min} to ${score.max}`, ...score, step: 0.5, onCommit: commit3("score") }),
      button("×", "Delete this emotion", () => ctx.edit("remove", { frame: "emotions", id: row.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Persona", linkedSelect(ctx, ["personas"], {
        key: `emo:${row.id}:persona_id`,
        value: row.persona_id,
        label: "Emotion persona",
        options: () => personaOptions(ix, NO_PERSONA_LABEL),
        onCommit: commit3("persona_id")
      })),
      captioned("Where", placeSelect({ ctx, ix, stage, row, key: `emo:${row.id}:place`, label: "Emotion placement", send: send2(`emo:${row.id}:place`) }))
    ]),
    text3("feeling", "Emotion feeling", "Feeling"),
    text3("thought", "Emotion thought (quote)", "Thought"),
    h("div", { class: "cjm-row cjm-wrap" }, [
      text3("source", "Emotion source", "Source"),
      captioned("Basis", selectField({ key: `emo:${row.id}:basis`, value: row.basis, label: "Emotion basis", options: choiceOptions(ctx, "emotions", "basis"), onCommit: commit3("basis") })),
      captioned("n", numberField({ key: `emo:${row.id}:n`, value: row.n, label: "Emotion sample size n", min: 0, step: 1, onCommit: commit3("n") }))
    ]),
    // The period a score was measured in (schema 2), as on metric cards: shown when set, so
    // a stage holding several quarters' scores tells them apart; run_id stays measure()'s.
    row.period != null && row.period !== "" ? h("div", { class: "cjm-row cjm-wrap" }, [
      text3("period", "Emotion period", "Period")
    ]) : null
  ]);
}
function addEmotion(ctx, ix, stage) {
  const firstPersona = () => ix.personas[0]?.id ?? "";
  const persona = linkedSelect(ctx, ["personas"], {
    key: `new-emo:${stage.id}:persona`,
    value: firstPersona(),
    label: "New emotion persona",
    options: () => [...ix.personas.map((p) => [p.id, p.name || p.id]), ["", NO_PERSONA_LABEL]],
    onCommit: () => {
    },
    fallback: firstPersona
  });
  const place2 = linkedSelect(ctx, [placeSource(stage)], {
    key: `new-emo:${stage.id}:place`,
    value: `s:${stage.id}`,
    label: "New emotion placement",
    options: () => placeOptions(ix, stage),
    onCommit: () => {
    },
    fallback: () => `s:${stage.id}`
  });
  const sourceKey = `new-emo:${stage.id}:source`;
  const source = textField({
    key: sourceKey,
    value: ctx.drafts.get(sourceKey) ?? "",
    label: "New emotion source",
    placeholder: "Source (default: assumption)",
    onCommit: () => {
    }
  });
  source.addEventListener("input", () => ctx.drafts.set(sourceKey, source.value));
  const add = button("+ emotion", "Add an emotion (score 0) here", () => {
    const params = { persona: persona.value || null, score: 0, ...placeParams(place2.value) };
    if (source.value.trim()) params.source = source.value.trim();
    ctx.edit("add_emotion", params, { key: sourceKey, value: source.value, draft: true });
  });
  return h("div", { class: "cjm-add-emotion" }, [h("div", { class: "cjm-row" }, [persona, place2]), h("div", { class: "cjm-row" }, [source, add])]);
}
function placeParams(value) {
  const { stage_id: stage, touchpoint_id: touchpoint } = placeFields(value);
  return touchpoint ? { touchpoint } : { stage };
}
function emotionCell(ctx, ix, stage) {
  const rows = (ix.emotions.get(stage.id) || []).slice().sort((a, b) => xOf(ix, a, 0, stage.id) - xOf(ix, b, 0, stage.id));
  const [shown, more] = firstRows(ctx, `emotions:${stage.id}`, rows, "emotions", stage.name || stage.id);
  const drawn = shown.map((row) => {
    const who = `${personaName(ix, row.persona_id)} · ${placeName(ix, row)}`;
    return ctx.cell(`emo:${row.id}`, [row, stage.id, who], () => emotionRow(ctx, ix, row, stage, who));
  });
  const add = ctx.cell(`add-emo:${stage.id}`, [ix.personas[0]?.id ?? ""], () => addEmotion(ctx, ix, stage));
  return patchChildren(ctx.box(`cell:emotions:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}

// journey/addpair.js
function addNameNumber({ ctx, op, keyPrefix, number: number2, what, where, buttonLabel, params, cls }) {
  const nameKey = `${keyPrefix}:name`;
  const numberKey = `${keyPrefix}:${number2}`;
  const input = (key, label, type) => {
    const el = h("input", { class: "cjm-field cjm-add-input", type, step: type === "number" ? "any" : null, "aria-label": label, placeholder: label });
    el.dataset.key = key;
    el._orig = "";
    el.value = ctx.drafts.get(key) || "";
    el.addEventListener("input", () => ctx.drafts.set(key, el.value));
    el.addEventListener("keydown", (event) => {
      if (event.key === "Enter") submit();
    });
    return el;
  };
  const name = input(nameKey, `New ${what} name, ${where}`, "text");
  const value = input(numberKey, `New ${what} ${number2}, ${where}`, "number");
  function submit() {
    const text3 = name.value.trim();
    if (!text3) {
      name.focus();
      return;
    }
    if (value.value.trim() === "" || !Number.isFinite(Number(value.value))) {
      value.focus();
      return;
    }
    const root = name.getRootNode();
    ctx.edit(op, { name: text3, [number2]: Number(value.value), ...params }, { key: nameKey, value: text3, draft: true }).then((reply) => {
      if (!reply.ok) return;
      ctx.drafts.delete(numberKey);
      const now = root.querySelector?.(`[data-key="${CSS.escape(numberKey)}"]`);
      if (now) now.value = "";
    });
  }
  return h("div", { class: `cjm-add ${cls}` }, [name, value, button("+", buttonLabel, submit)]);
}

// journey/goals.js
var COMPARISON_WORDS = {
  ">=": "≥ at least",
  ">": "> more than",
  "<=": "≤ at most",
  "<": "< less than",
  "==": "= exactly"
};
var comparisonLabel = (value) => valueLabel(value, COMPARISON_WORDS);
function update(ctx, row, key, fields, raw) {
  return ctx.edit("update", { frame: "goals", id: row.id, fields }, { key, value: raw });
}
function text(ctx, row, column, label, multiline = false) {
  const key = `goal:${row.id}:${column}`;
  return textField({
    key,
    value: row[column],
    label,
    multiline,
    cls: `cjm-goal-${column}`,
    onCommit: (value, raw) => update(ctx, row, key, { [column]: value }, raw)
  });
}
function goal(ctx, ix, row, stage) {
  const who = `goal ${row.name || row.id}`;
  const key = (column) => `goal:${row.id}:${column}`;
  return h("div", { class: "cjm-item cjm-goal", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      text(ctx, row, "name", `Name of ${who}`),
      button("×", `Delete ${who}`, () => ctx.edit("remove", { frame: "goals", id: row.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row" }, [
      selectField({
        key: key("comparison"),
        value: row.comparison,
        label: `Comparison of ${who}`,
        options: choiceOptions(ctx, "goals", "comparison", { label: comparisonLabel }),
        cls: "cjm-goal-comparison",
        onCommit: (value, raw) => update(ctx, row, key("comparison"), { comparison: value }, raw)
      }),
      numberField({
        key: key("target"),
        value: row.target,
        label: `Target of ${who}`,
        step: "any",
        onCommit: (value, raw) => update(ctx, row, key("target"), { target: value }, raw)
      }),
      text(ctx, row, "unit", `Unit of ${who}`)
    ]),
    // A goal may sit on the whole journey: the placement offers that too ("" = neither).
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Where", placeSelect({
        ctx,
        ix,
        stage,
        row,
        key: key("place"),
        label: `Place of ${who}`,
        none: "Journey-wide",
        send: (fields, raw) => update(ctx, row, key("place"), fields, raw)
      }))
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Segment", text(ctx, row, "segment", `Segment of ${who}`)),
      captioned("Period", text(ctx, row, "period", `Period of ${who}`))
    ]),
    text(ctx, row, "description", `Description of ${who}`, true)
  ]);
}
function addGoal(ctx, stage) {
  const where = stage ? `stage ${stage.name || stage.id}` : "the journey";
  return addNameNumber({
    ctx,
    op: "add_goal",
    keyPrefix: `new-goal:${stage?.id ?? ""}`,
    number: "target",
    what: "goal",
    where,
    buttonLabel: stage ? `Add goal to ${where}` : "Add journey-wide goal",
    params: stage ? { stage: stage.id } : {},
    cls: "cjm-add-goal"
  });
}
function addGoalHere(ctx, stage) {
  var _a;
  const open = (_a = ctx.ui).goalForms ?? (_a.goalForms = /* @__PURE__ */ new Set());
  if (open.has(stage.id)) return addGoal(ctx, stage);
  const where = `stage ${stage.name || stage.id}`;
  const b = button("+ goal", `New goal, ${where}`, () => {
    const root = b.getRootNode();
    open.add(stage.id);
    ctx.refresh();
    root.querySelector?.(`[data-key="${CSS.escape(`new-goal:${stage.id}:name`)}"]`)?.focus();
  });
  b.dataset.key = `new-goal:${stage.id}:open`;
  return b;
}
function goalCell(ctx, ix, stage) {
  const rows = ix.goals.get(stage.id) || [];
  const [shown, more] = firstRows(ctx, `goals:${stage.id}`, rows, "goals", stage.name || stage.id);
  const drawn = shown.map((row) => ctx.cell(`goal:${row.id}`, [row, stage.id], () => goal(ctx, ix, row, stage)));
  const opened = ctx.ui.goalForms?.has(stage.id) ?? false;
  const add = ctx.cell(`add-goal:${stage.id}`, [stage.name, opened], () => addGoalHere(ctx, stage));
  return patchChildren(ctx.box(`cell:goals:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}
function looseGoalCell(ctx, ix) {
  const rows = ix.looseGoals;
  const [shown, more] = firstRows(ctx, "goals:", rows, "goals", "the journey");
  const drawn = shown.map((row) => ctx.cell(`goal:${row.id}`, [row, ""], () => goal(ctx, ix, row, null)));
  const add = ctx.cell("add-goal:", [], () => addGoal(ctx, null));
  return patchChildren(ctx.box("cell:goals:", () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}

// journey/items.js
var LANES = {
  pains: {
    frame: "pain_points",
    add: "add_pain_point",
    label: "pain point",
    plural: "pain points",
    title: "Pain point",
    place: "required",
    fields: [
      ["severity", "Pain point severity", "Severity"],
      ["frequency", "Pain point frequency", "Frequency"],
      ["evidence", "Pain point evidence", "Evidence"],
      ["source", "Pain point source", "Source"],
      ["basis", "Pain point basis", "Basis"],
      ["persona_id", "Pain point persona", "Persona"]
    ]
  },
  opportunities: {
    frame: "opportunities",
    add: "add_opportunity",
    label: "opportunity",
    plural: "opportunities",
    title: "Opportunity",
    place: "optional",
    fields: [
      ["impact", "Opportunity impact", "Impact"],
      ["effort", "Opportunity effort", "Effort"],
      ["pain_point_id", "Link to pain point", "Pain point"]
    ]
  },
  actions: {
    frame: "actions",
    add: "add_action",
    label: "action",
    plural: "actions",
    title: "Action",
    place: "stage",
    fields: [
      ["owner", "Action owner", "Owner"],
      ["status", "Action status", "Status"],
      ["due", "Action due date", "Due"],
      ["opportunity_id", "Link to opportunity", "Opportunity"]
    ]
  }
};
function send(ctx, lane, row, key) {
  return (fields, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields }, { key, value: raw });
}
var LINKS = {
  persona_id: (ctx, ix) => [["personas"], () => personaOptions(ix, NO_PERSONA_LABEL)],
  pain_point_id: (ctx) => [["pains"], () => describedOptions(ctx.snapshot.pain_points, "No pain point")],
  opportunity_id: (ctx) => [["opportunities"], () => describedOptions(ctx.snapshot.opportunities, "No opportunity")]
};
function control(ctx, ix, lane, row, [column, label, caption]) {
  const key = `${lane.frame}:${row.id}:${column}`;
  const commit3 = send(ctx, lane, row, key);
  const onCommit = (value2, raw) => commit3({ [column]: value2 }, raw);
  const value = row[column];
  const link = LINKS[column]?.(ctx, ix);
  const el = link ? linkedSelect(ctx, link[0], { key, value, label, options: link[1], onCommit }) : specField(ctx, lane.frame, column, { key, value, label, onCommit });
  return captioned(boundedCaption(ctx, lane.frame, column, caption), el);
}
function placement(ctx, ix, lane, row, stage) {
  const key = `${lane.frame}:${row.id}:place`;
  if (lane.place === "stage") {
    return captioned("Stage", linkedSelect(ctx, ["stages"], {
      key,
      value: row.stage_id,
      label: `${lane.title} stage`,
      options: () => stageOptions(ix, "Journey-wide"),
      onCommit: (value, raw) => send(ctx, lane, row, key)({ stage_id: value }, raw)
    }));
  }
  const none = lane.place === "optional" ? "No stage or touchpoint" : null;
  return captioned("Where", placeSelect({ ctx, ix, stage, row, key, label: `${lane.title} placement`, none, send: send(ctx, lane, row, key) }));
}
function item(ctx, ix, lane, row, stage) {
  const key = `${lane.frame}:${row.id}:description`;
  return h("div", { class: `cjm-item cjm-${lane.frame}`, dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({
        key,
        value: row.description,
        label: `${lane.title} description`,
        multiline: true,
        onCommit: (value, raw) => send(ctx, lane, row, key)({ description: value }, raw)
      }),
      button("×", `Delete this ${lane.label}`, () => ctx.edit("remove", { frame: lane.frame, id: row.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      placement(ctx, ix, lane, row, stage),
      ...lane.fields.map((f) => control(ctx, ix, lane, row, f))
    ])
  ]);
}
function itemCell(ctx, ix, name, rows, stage) {
  const lane = LANES[name];
  const sid = stage?.id ?? "";
  const key = `new-${lane.frame}:${sid}`;
  const add = ctx.cell(`add:${key}`, [sid], () => addField({
    key,
    label: `New ${lane.label}`,
    ctx,
    onAdd: (description, k) => ctx.edit(lane.add, stage ? { description, stage: sid } : { description }, { key: k, value: description, draft: true })
  }));
  const [shown, more] = firstRows(ctx, `${lane.frame}:${sid}`, rows, lane.plural, stage ? stage.name || sid : "the journey");
  const items = shown.map((row) => ctx.cell(`item:${lane.frame}:${row.id}`, [row, sid], () => item(ctx, ix, lane, row, stage)));
  return patchChildren(ctx.box(`cell:${lane.frame}:${sid}`, () => h("div", { class: "cjm-cell" })), [...items, more, add]);
}

// journey/lanes.js
function laneHeader(ctx, lane) {
  const key = `lane-name:${lane}`;
  return h("div", { class: "cjm-lane-label cjm-custom-lane", role: "rowheader" }, [
    textField({
      key,
      value: lane,
      label: `Name of lane ${lane}`,
      cls: "cjm-lane-name",
      onCommit: (name, raw) => ctx.edit("rename_lane", { lane, name: name ?? "" }, { key, value: raw })
    }),
    button("×", `Delete lane ${lane}`, () => ctx.edit("remove_lane", { lane }), { cls: "cjm-danger" })
  ]);
}
function laneCell(ctx, ix, lane, stage) {
  const row = ix.lanes.get(lane)?.get(stage.id);
  const key = `lane:${lane}:${stage.id}`;
  return h("div", { class: "cjm-cell" }, [
    textField({
      key,
      value: row?.text,
      label: `Lane ${lane}, stage ${stage.name || stage.id}`,
      multiline: true,
      onCommit: (text3, raw) => ctx.edit("set_lane_cell", { lane, stage: stage.id, text: text3 }, { key, value: raw })
    })
  ]);
}
function newLane(ctx) {
  const add = addField({
    key: "new-lane",
    label: "New lane",
    ctx,
    onAdd: (name, key) => ctx.edit("add_lane", { name }, { key, value: name, draft: true })
  });
  for (const attr of ["aria-label", "title"]) add.querySelector("button")?.setAttribute(attr, "Add lane");
  return h("div", { class: "cjm-lane-label cjm-new-lane", role: "rowheader" }, [add]);
}

// journey/meta.js
function commit(ctx, field) {
  return (value, raw) => ctx.edit("update_meta", { field, value }, { key: `meta:${field}`, value: raw });
}
function metaPanel(ctx) {
  const meta = ctx.snapshot.journey || {};
  const choices = journeyKinds(ctx);
  const kind = meta.kind ?? choices[0];
  const kinds = choices.map((k) => [k, titleLabel(k)]);
  return h("section", { class: "cjm-meta", "aria-label": "Journey details" }, [
    h("div", { class: "cjm-row" }, [
      textField({ key: "meta:name", value: meta.name, label: "Journey name", cls: "cjm-meta-name", onCommit: commit(ctx, "name") }),
      selectField({ key: "meta:kind", value: kind, label: "Journey kind", options: kinds, cls: "cjm-meta-kind", onCommit: commit(ctx, "kind") })
    ]),
    textField({ key: "meta:scenario", value: meta.scenario, label: "Journey scenario", multiline: true, onCommit: commit(ctx, "scenario") }),
    textField({ key: "meta:description", value: meta.description, label: "Journey description", multiline: true, onCommit: commit(ctx, "description") }),
    h("div", { class: "cjm-row cjm-meta-keeping" }, [
      textField({ key: "meta:version", value: meta.version, label: "Journey version", cls: "cjm-meta-version", onCommit: commit(ctx, "version") }),
      textField({ key: "meta:owner", value: meta.owner, label: "Journey owner", cls: "cjm-meta-owner", onCommit: commit(ctx, "owner") }),
      dateField({ key: "meta:reviewed_at", value: meta.reviewed_at, label: "Journey last reviewed", cls: "cjm-meta-reviewed", onCommit: commit(ctx, "reviewed_at") })
    ])
  ]);
}

// journey/metrics.js
function update2(ctx, row, key, fields, raw) {
  return ctx.edit("update", { frame: "metrics", id: row.id, fields }, { key, value: raw });
}
function text2(ctx, row, column, label) {
  const key = `metric:${row.id}:${column}`;
  return textField({
    key,
    value: row[column],
    label,
    cls: `cjm-metric-${column}`,
    onCommit: (value, raw) => update2(ctx, row, key, { [column]: value }, raw)
  });
}
function number(ctx, row, column, label, opts) {
  const key = `metric:${row.id}:${column}`;
  return numberField({
    key,
    value: row[column],
    label,
    ...opts,
    onCommit: (value, raw) => update2(ctx, row, key, { [column]: value }, raw)
  });
}
function placeSelect2(ctx, ix, row, stage, who) {
  const key = `metric:${row.id}:place`;
  const options = () => stage ? [[`stage:${stage.id}`, "Whole stage"], ...(ix.touchpoints.get(stage.id) || []).map((t) => [`tp:${t.id}`, t.name || t.id])] : [["", "Journey-wide"], ...ix.stages.map((s) => [`stage:${s.id}`, s.name || s.id])];
  const value = row.touchpoint_id ? `tp:${row.touchpoint_id}` : row.stage_id ? `stage:${row.stage_id}` : "";
  return linkedSelect(ctx, [stage ? `tps:${stage.id}` : "stages"], {
    key,
    value,
    label: `Place of ${who}`,
    options,
    onCommit: (choice, raw) => {
      const cut = (choice ?? "").indexOf(":");
      const [kind, id] = cut < 0 ? ["", null] : [choice.slice(0, cut), choice.slice(cut + 1)];
      const fields = kind === "tp" ? { touchpoint_id: id, stage_id: null } : { stage_id: id, touchpoint_id: null };
      return update2(ctx, row, key, fields, raw);
    }
  });
}
function metric(ctx, ix, row, stage) {
  const who = `metric ${row.name || row.id}`;
  const personaKey = `metric:${row.id}:persona_id`;
  const basisKey = `metric:${row.id}:basis`;
  const bases = choiceOptions(ctx, "metrics", "basis");
  return h("div", { class: "cjm-item cjm-metric", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      text2(ctx, row, "name", `Name of ${who}`),
      button("×", `Delete ${who}`, () => ctx.edit("remove", { frame: "metrics", id: row.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row" }, [
      number(ctx, row, "value", `Value of ${who}`, { step: "any" }),
      text2(ctx, row, "unit", `Unit of ${who}`)
    ]),
    // The period a value was measured in (schema 2): shown when set, so a lane holding
    // several quarters tells them apart; an undated value has no field to clutter it.
    row.period != null && row.period !== "" ? h("div", { class: "cjm-row" }, [
      text2(ctx, row, "period", `Period of ${who}`)
    ]) : null,
    h("div", { class: "cjm-row" }, [
      placeSelect2(ctx, ix, row, stage, who),
      linkedSelect(ctx, ["personas"], {
        key: personaKey,
        value: row.persona_id ?? "",
        label: `Persona of ${who}`,
        options: () => personaOptions(ix, NO_PERSONA_LABEL),
        onCommit: (value, raw) => update2(ctx, row, personaKey, { persona_id: value }, raw)
      })
    ]),
    h("div", { class: "cjm-row" }, [
      text2(ctx, row, "segment", `Segment of ${who}`),
      number(ctx, row, "n", `Sample size of ${who}`, { min: 0, step: 1 })
    ]),
    h("div", { class: "cjm-row" }, [
      text2(ctx, row, "source", `Source of ${who}`),
      // basis is required: a row without one (possible in Python) shows the first choice.
      selectField({
        key: basisKey,
        value: row.basis ?? bases[0][0],
        label: `Basis of ${who}`,
        options: bases,
        onCommit: (value, raw) => update2(ctx, row, basisKey, { basis: value }, raw)
      })
    ])
  ]);
}
function addMetric(ctx, stage) {
  const where = `stage ${stage.name || stage.id}`;
  return addNameNumber({
    ctx,
    op: "add_metric",
    keyPrefix: `new-metric:${stage.id}`,
    number: "value",
    what: "metric",
    where,
    buttonLabel: `Add metric to ${where}`,
    params: { stage: stage.id },
    cls: "cjm-add-metric"
  });
}
function metricCell(ctx, ix, stage) {
  const rows = ix.metrics.get(stage.id) || [];
  const [shown, more] = firstRows(ctx, `metrics:${stage.id}`, rows, "metrics", stage.name || stage.id);
  const drawn = shown.map((row) => ctx.cell(`metric:${row.id}`, [row, stage.id], () => metric(ctx, ix, row, stage)));
  const add = ctx.cell(`add-metric:${stage.id}`, [stage.name], () => addMetric(ctx, stage));
  return patchChildren(ctx.box(`cell:metrics:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}
function looseMetricCell(ctx, ix) {
  const drawn = ix.looseMetrics.map((row) => ctx.cell(`metric:${row.id}`, [row, ""], () => metric(ctx, ix, row, null)));
  return patchChildren(ctx.box("cell:metrics:", () => h("div", { class: "cjm-cell" })), drawn);
}

// journey/stages.js
var CONTENT = [
  ["touchpoints", "touchpoint", "touchpoints"],
  ["emotions", "emotion", "emotions"],
  ["pains", "pain point", "pain points"],
  ["opportunities", "opportunity", "opportunities"],
  ["actions", "action", "actions"],
  ["metrics", "metric", "metrics"],
  ["goals", "goal", "goals"]
];
function stageContent(ix, stageId) {
  const parts = [];
  for (const [key, one, many] of CONTENT) {
    const n = ix[key]?.get(stageId)?.length ?? 0;
    if (n) parts.push(`${n} ${n === 1 ? one : many}`);
  }
  let cells = 0;
  for (const byStage of ix.lanes?.values() ?? []) if (byStage.get(stageId)?.text) cells += 1;
  if (cells) parts.push(`${cells} custom lane ${cells === 1 ? "cell" : "cells"}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0] ?? "";
}
function confirmDelete(ctx, stage, label, content, close) {
  const remove = () => {
    close();
    ctx.edit("remove_stage", { id: stage.id });
  };
  const keep = button("Keep it", `Keep stage ${label}`, () => close({ focus: true }));
  const box = h("div", { class: "cjm-confirm", role: "group", "aria-label": `Delete stage ${label}?` }, [
    h("span", { class: "cjm-confirm-text", text: `Delete stage “${label}” and the ${content} in it? (Undo brings it back.)` }),
    h("div", { class: "cjm-row" }, [
      button("Delete stage", `Yes, delete stage ${label} and what it holds`, remove, { cls: "cjm-danger cjm-confirm-yes" }),
      keep
    ])
  ]);
  box.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close({ focus: true });
    }
  });
  return [box, keep];
}
function stageHeader(ctx, ix, stage, i, count2) {
  const label = stage.name || stage.id;
  const commit3 = (column) => (value, raw) => ctx.edit("update_stage", { id: stage.id, fields: { [column]: value } }, { key: `stage:${stage.id}:${column}`, value: raw });
  const asking = () => ctx.ui.confirmStage === stage.id;
  let asked = null;
  const del = button("×", `Delete stage ${label} and what it holds`, () => {
    const content = stageContent(ix, stage.id);
    if (!content) {
      ctx.edit("remove_stage", { id: stage.id });
      return;
    }
    ctx.ui.confirmStage = stage.id;
    show(content).focus();
  }, { cls: "cjm-danger" });
  const tools = h("div", { class: "cjm-stage-tools" }, [
    button("◀", `Move stage ${label} left`, () => ctx.edit("move_stage", { id: stage.id, position: i - 1 }), { disabled: i === 0 }),
    button("▶", `Move stage ${label} right`, () => ctx.edit("move_stage", { id: stage.id, position: i + 1 }), { disabled: i === count2 - 1 }),
    del
  ]);
  const close = ({ focus = false } = {}) => {
    if (asking()) ctx.ui.confirmStage = null;
    asked?.remove();
    asked = null;
    tools.hidden = false;
    if (focus) del.focus();
  };
  function show(content) {
    const [box, keep] = confirmDelete(ctx, stage, label, content, close);
    tools.hidden = true;
    asked?.remove();
    asked = box;
    tools.after(box);
    return keep;
  }
  const header = h("div", { class: "cjm-stage", dataset: { stage: stage.id } }, [
    tools,
    textField({ key: `stage:${stage.id}:name`, value: stage.name, label: "Stage name", cls: "cjm-stage-name", onCommit: commit3("name") }),
    textField({ key: `stage:${stage.id}:description`, value: stage.description, label: "Stage description", multiline: true, onCommit: commit3("description") })
  ]);
  if (asking()) {
    const content = stageContent(ix, stage.id);
    if (content) show(content);
    else ctx.ui.confirmStage = null;
  }
  return header;
}
function newStage(ctx) {
  return h("div", { class: "cjm-stage cjm-new-stage" }, [
    addField({
      key: "new-stage",
      label: "New stage",
      ctx,
      onAdd: (name, key) => ctx.edit("add_stage", { name }, { key, value: name, draft: true })
    })
  ]);
}

// journey/touchpoints.js
var DRAG_TYPE = "application/x-cjm-touchpoint";
var DETAILS = [
  ["action", "Touchpoint customer action", "Customer action"],
  ["description", "Touchpoint description", "Description"],
  ["optimisation", "Touchpoint optimisation", "Optimisation"],
  ["owner", "Touchpoint owner", "Owner"]
];
function commit2(ctx, tp, column) {
  return (value, raw) => ctx.edit("update_touchpoint", { id: tp.id, fields: { [column]: value } }, { key: `tp:${tp.id}:${column}`, value: raw });
}
function eventsOf(snapshot, tp) {
  return (snapshot.event_map || []).filter((r) => r.touchpoint_id === tp.id).map((r) => r.event).join(", ");
}
function eventsField(ctx, tp) {
  const key = `tp:${tp.id}:events`;
  return captioned("Log events", textField({
    key,
    value: eventsOf(ctx.snapshot, tp),
    label: "Touchpoint log events",
    placeholder: "event names, comma-separated",
    onCommit: (value, raw) => ctx.edit("map_events", { touchpoint: tp.id, events: value }, { key, value: raw })
  }));
}
function place(ix, tp) {
  const list = ix.touchpoints.get(tp.stage_id) || [];
  return [list.findIndex((t) => t.id === tp.id), list.length];
}
function details(ctx, ix, tp) {
  const [index, count2] = place(ix, tp);
  return h("div", { class: "cjm-details" }, [
    ...DETAILS.map(([column, label, caption]) => captioned(
      caption,
      textField({ key: `tp:${tp.id}:${column}`, value: tp[column], label, multiline: column !== "owner", onCommit: commit2(ctx, tp, column) })
    )),
    eventsField(ctx, tp),
    h("div", { class: "cjm-row" }, [
      linkedSelect(ctx, ["stages"], {
        key: `tp:${tp.id}:stage`,
        value: tp.stage_id,
        label: "Move touchpoint to stage",
        options: () => ix.stages.map((s) => [s.id, s.name || s.id]),
        onCommit: (stage) => ctx.edit("move_touchpoint", { id: tp.id, stage })
      }),
      button("↑", "Move touchpoint up", () => ctx.edit("move_touchpoint", { id: tp.id, position: place(ix, tp)[0] - 1 }), { disabled: index === 0 }),
      button("↓", "Move touchpoint down", () => ctx.edit("move_touchpoint", { id: tp.id, position: place(ix, tp)[0] + 1 }), { disabled: index === count2 - 1 })
    ])
  ]);
}
function card(ctx, ix, tp) {
  const open = ctx.ui.open?.has(tp.id);
  const toggle = button("…", `Details of ${tp.name || tp.id}`, () => {
    ctx.ui.open = ctx.ui.open || /* @__PURE__ */ new Set();
    const panel = el.querySelector(".cjm-details");
    if (panel) {
      panel.remove();
      ctx.ui.open.delete(tp.id);
      toggle.setAttribute("aria-expanded", "false");
    } else {
      el.append(details(ctx, ix, tp));
      ctx.ui.open.add(tp.id);
      toggle.setAttribute("aria-expanded", "true");
    }
  });
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  const el = h("div", { class: "cjm-card", draggable: "true", dataset: { id: tp.id } }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-grip", "aria-hidden": "true", text: "⠿" }),
      textField({ key: `tp:${tp.id}:name`, value: tp.name, label: "Touchpoint name", cls: "cjm-tp-name", onCommit: commit2(ctx, tp, "name") }),
      button("×", `Delete touchpoint ${tp.name || tp.id}`, () => ctx.edit("remove_touchpoint", { id: tp.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row" }, [
      textField({ key: `tp:${tp.id}:channel`, value: tp.channel, label: "Touchpoint channel", placeholder: "Channel", cls: "cjm-channel", onCommit: commit2(ctx, tp, "channel") }),
      toggle
    ])
  ]);
  if (open) el.append(details(ctx, ix, tp));
  return el;
}
function cardDeps(ctx, ix, tp, index, count2) {
  if (!ctx.ui.open?.has(tp.id)) return [tp, false];
  return [tp, true, index === 0, index === count2 - 1, eventsOf(ctx.snapshot, tp)];
}
function dropPosition(list, y, dragged) {
  const cards = [...list.querySelectorAll(":scope > .cjm-card")].filter((c) => c.dataset.id !== dragged);
  const after = cards.findIndex((c) => {
    const r = c.getBoundingClientRect();
    return y < r.top + r.height / 2;
  });
  return after === -1 ? cards.length : after;
}
function cardList(ctx, ix, sid) {
  const list = h("div", { class: "cjm-tps", dataset: { stage: sid } });
  list.addEventListener("dragstart", (event) => {
    const c = event.target.closest?.(".cjm-card");
    if (c && event.dataTransfer) {
      event.dataTransfer.setData(DRAG_TYPE, c.dataset.id);
      event.dataTransfer.effectAllowed = "move";
    }
  });
  list.addEventListener("dragover", (event) => {
    if (event.dataTransfer?.types.includes(DRAG_TYPE)) {
      event.preventDefault();
      list.classList.add("cjm-drop");
    }
  });
  list.addEventListener("dragleave", () => list.classList.remove("cjm-drop"));
  list.addEventListener("drop", (event) => {
    list.classList.remove("cjm-drop");
    const id = event.dataTransfer?.getData(DRAG_TYPE);
    if (!id || !ix.tpById.has(id)) return;
    event.preventDefault();
    ctx.edit("move_touchpoint", { id, stage: sid, position: dropPosition(list, event.clientY, id) });
  });
  return list;
}
function measureCards(ctx) {
  if (ctx.ui.cardHeight || ctx.ui.measuring) return;
  ctx.ui.measuring = true;
  requestAnimationFrame(() => {
    ctx.ui.measuring = false;
    const drawn = [...ctx.viewport.querySelectorAll(".cjm-card")].find((c) => !c.querySelector(".cjm-details") && (c.checkVisibility?.({ contentVisibilityAuto: true }) ?? true));
    const height = drawn ? Number.parseFloat(getComputedStyle(drawn).height) : 0;
    if (!(height > 0)) return;
    ctx.ui.cardHeight = height;
    ctx.viewport.style.setProperty("--cjm-card-height", `${height}px`);
  });
}
function touchpointCell(ctx, ix, stage) {
  const sid = stage.id;
  const tps = ix.touchpoints.get(sid) || [];
  const [shown, more] = firstRows(ctx, `tps:${sid}`, tps, "touchpoints", stage.name || sid);
  if (shown.length > FIRST_ROWS) measureCards(ctx);
  const cards = shown.map((tp, i) => ctx.cell(`card:${tp.id}`, cardDeps(ctx, ix, tp, i, tps.length), () => card(ctx, ix, tp)));
  const list = patchChildren(ctx.box(`tps:${sid}`, () => cardList(ctx, ix, sid)), cards);
  const add = ctx.cell(`add-tp:${sid}`, [], () => addField({
    key: `new-tp:${sid}`,
    label: "New touchpoint",
    ctx,
    onAdd: (name, key) => ctx.edit("add_touchpoint", { stage: sid, name }, { key, value: name, draft: true })
  }));
  return patchChildren(ctx.box(`cell:tps:${sid}`, () => h("div", { class: "cjm-cell" })), [list, more, add]);
}

// journey/window.js
var WINDOW_ABOVE = 24;
var LABEL = 120;
var FALLBACK_WIDTH = 1600;
function visible(viewport, n) {
  const width = viewport?.clientWidth || FALLBACK_WIDTH;
  const left = Math.max(0, (viewport?.scrollLeft || 0) - LABEL);
  const from = Math.min(n, Math.floor(left / COL));
  return [from, Math.min(n, Math.max(from + 1, Math.ceil((left + width) / COL)))];
}
function around([from, to], n) {
  const span = Math.max(1, Math.ceil((to - from) / 2));
  return [Math.max(0, from - span), Math.min(n, to + span)];
}
function stageWindow(ctx, n) {
  if (n <= WINDOW_ABOVE) return [0, n];
  const shown = visible(ctx.viewport, n);
  const focus = ctx.ui.focusStage;
  const near = focus !== void 0 && focus >= shown[0] - 1 && focus <= shown[1] && focus < n;
  const need = near ? [Math.min(shown[0], Math.max(0, focus - 1)), Math.max(shown[1], Math.min(n, focus + 2))] : shown;
  const current = ctx.ui.window;
  if (current && current[1] <= n && need[0] >= current[0] && need[1] <= current[1]) return current;
  ctx.ui.window = around(need, n);
  return ctx.ui.window;
}
function stageOf(node) {
  const cell = node?.closest?.(".cjm-grid > *");
  const col = Number.parseInt(cell?.style.gridColumnStart ?? "", 10);
  return Number.isInteger(col) && col >= 2 && !cell.style.gridColumnEnd.includes("span") ? col - 2 : void 0;
}
function followWindow(ctx) {
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
    if (at !== void 0 && (at < from || at >= to)) active.blur();
    ctx.refresh();
  };
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(check);
    }
  };
  viewport.addEventListener("scroll", later, { passive: true });
  new ResizeObserver(later).observe(viewport);
  viewport.addEventListener("focusin", (event) => {
    ctx.ui.focusStage = stageOf(event.target);
    queueMicrotask(check);
  });
}

// journey/grid.js
function laneLabel(text3) {
  return h("div", { class: "cjm-lane-label", role: "rowheader", text: text3 });
}
function drawGrid(ctx) {
  var _a;
  const ix = indexSnapshot(ctx.snapshot, (_a = ctx.ui).index ?? (_a.index = {}));
  const n = ix.stages.length;
  const deps = gridDeps(ctx, ix);
  const grid = ctx.box("grid", () => h("div", { class: "cjm-grid" }));
  grid.style.setProperty("--cjm-col", `${COL}px`);
  grid.style.gridTemplateColumns = `var(--cjm-label) repeat(${n}, var(--cjm-col)) var(--cjm-col)`;
  const windowed = n > WINDOW_ABOVE;
  if (windowed) followWindow(ctx);
  const [from, to] = stageWindow(ctx, n);
  const drawn = ix.stages.slice(from, to);
  const at = (node, column) => {
    const want = windowed ? column : "";
    if (node.style.gridColumn !== want) node.style.gridColumn = want;
    return node;
  };
  const stages = (cell) => drawn.map((s, k) => at(cell(s, from + k), String(from + k + 2)));
  const last = String(n + 2);
  let spacers = 0;
  const spacer = () => at(ctx.box(`spacer:${spacers++}`, () => h("div", { class: "cjm-spacer" })), last);
  const filler = () => ctx.box("filler", () => {
    const f = h("div", { class: "cjm-spacer" });
    f.style.gridColumn = "2 / -1";
    return f;
  });
  const label = (text3) => at(ctx.box(`label:${text3}`, () => laneLabel(text3)), "1");
  const row = (text3, cell) => [label(text3), ...stages(cell), spacer()];
  const curve = ctx.cell("curve", [...deps.curve(), from, to], () => h("div", { class: "cjm-curve-cell" }, [emotionCurve(ctx, ix, from, to)]));
  curve.style.gridColumn = `${from + 2} / span ${Math.max(to - from, 1)}`;
  patchChildren(grid, [
    at(ctx.box("corner", () => h("div", { class: "cjm-corner", text: "Stages" })), "1"),
    ...stages((s, i) => ctx.cell(`stage:${s.id}`, deps.header(s, i), () => stageHeader(ctx, ix, s, i, n))),
    at(ctx.box("new-stage", () => newStage(ctx)), last),
    ...row("Touchpoints", (s) => touchpointCell(ctx, ix, s)),
    at(ctx.box("label:Emotions", emotionLaneLabel), "1"),
    curve,
    ...n ? [spacer()] : [],
    ...row("Emotion details", (s) => emotionCell(ctx, ix, s)),
    ...row("Pain points", (s) => itemCell(ctx, ix, "pains", ix.pains.get(s.id) || [], s)),
    ...row("Opportunities", (s) => itemCell(ctx, ix, "opportunities", ix.opportunities.get(s.id) || [], s)),
    ...row("Actions", (s) => itemCell(ctx, ix, "actions", ix.actions.get(s.id) || [], s)),
    ...row("Metrics", (s) => metricCell(ctx, ix, s)),
    ...row("Goals", (s) => goalCell(ctx, ix, s)),
    ...[...ix.lanes.keys()].flatMap((lane) => [
      at(ctx.cell(JSON.stringify(["lane", lane]), [], () => laneHeader(ctx, lane)), "1"),
      ...stages((s) => ctx.cell(JSON.stringify(["lane", lane, s.id]), deps.lane(lane, s), () => laneCell(ctx, ix, lane, s))),
      spacer()
    ]),
    ...n ? [at(ctx.box("new-lane", () => newLane(ctx)), "1"), filler()] : []
    // lanes hold one cell per stage: stages first
  ]);
  const loose = patchChildren(ctx.box("loose", () => h("div", { class: "cjm-loose" })), [
    ctx.box("loose-actions", () => h("h4", { text: "Journey-wide actions" })),
    itemCell(ctx, ix, "actions", ix.looseActions, null),
    ix.looseOpportunities.length ? ctx.box("loose-opps", () => h("h4", { text: "Opportunities not tied to a stage" })) : null,
    ix.looseOpportunities.length ? itemCell(ctx, ix, "opportunities", ix.looseOpportunities, null) : null,
    ix.looseMetrics.length ? ctx.box("loose-metrics", () => h("h4", { text: "Metrics not tied to a stage" })) : null,
    ix.looseMetrics.length ? looseMetricCell(ctx, ix) : null,
    ctx.box("loose-goals", () => h("h4", { text: "Journey-wide goals" })),
    looseGoalCell(ctx, ix)
  ]);
  const meta = ctx.cell("meta", [ctx.snapshot.journey], () => metaPanel(ctx));
  const journey = patchChildren(ctx.box("journey", () => h("div", { class: "cjm-journey" })), [meta, grid, loose]);
  refreshLinked(ctx, journey, deps.source);
  return journey;
}

// journey_editor.js
var journey_editor_default2 = () => ({
  render({ model, el }) {
    return mountEditor({ model, el, css: base_default + journey_editor_default, title: "Journey", draw: drawGrid });
  }
});
export {
  journey_editor_default2 as default
};
