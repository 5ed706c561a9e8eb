// Built from js/persona_editor.js by js/build.mjs; do not edit.

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

// persona_editor.css
var persona_editor_default = '.cjm-personas { display: grid; gap: 10px; padding: 6px 2px; }\n.cjm-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px; }\n.cjm-persona { border: 1px solid var(--cjm-border); border-radius: 6px; padding: 6px; display: grid; gap: 4px; align-content: start; background: var(--cjm-bg); }\n.cjm-persona-name { font-weight: 600; }\n.cjm-avatar { width: 32px; height: 32px; font-size: 24px; line-height: 32px; text-align: center; border-radius: 50%; object-fit: cover; flex: none; overflow: hidden; }\n.cjm-emoji { font-family: "Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif; }\n.cjm-initials { font-size: 13px; font-weight: 600; color: var(--cjm-muted); background: var(--cjm-bg2); border: 1px solid var(--cjm-border); box-sizing: border-box; line-height: 30px; }\n.cjm-labelled { display: grid; gap: 1px; }\n.cjm-quadrants { display: grid; grid-template-columns: 1fr 1fr; gap: 6px; }\n.cjm-quadrant { border: 1px solid var(--cjm-border); border-radius: 6px; padding: 6px; background: var(--cjm-bg2); }\n.cjm-quadrant h5, .cjm-empathy h4 { margin: 2px 0 6px; }\n.cjm-entry { margin-bottom: 6px; display: grid; gap: 2px; }\n.cjm-entry .cjm-row > select { width: auto; flex: none; }\n';

// lib/dom.js
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
var IMAGE_URL = /^(https?:\/\/[^\s]+|data:image\/(png|jpe?g|gif|webp);base64,[A-Za-z0-9+/=]+)$/i;
var PICTOGRAPH = /\p{Extended_Pictographic}/u;
var EMOJI_FONTS = '"Noto Color Emoji", "Apple Color Emoji", "Segoe UI Emoji", sans-serif';
var drawable = /* @__PURE__ */ new Map();
function initials(name) {
  const words = String(name ?? "").trim().split(/\s+/).filter(Boolean);
  const picked = words.length > 1 ? [words[0], words.at(-1)] : words;
  return picked.map((w) => Array.from(w)[0]).join("").toUpperCase() || "?";
}
function pixels(text, fill) {
  const size = 40;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = size;
  const g = canvas.getContext("2d", { willReadFrequently: true });
  if (!g) return null;
  g.font = `32px ${EMOJI_FONTS}`;
  g.textBaseline = "top";
  g.fillStyle = fill;
  g.fillText(text, 0, 0);
  return g.getImageData(0, 0, size, size).data;
}
function canDraw(text) {
  if (!drawable.has(text)) {
    let ok = true;
    try {
      const red = pixels(text, "#ff0000");
      if (red) {
        const drawn = red.some((v, i) => i % 4 === 3 && v > 0);
        if (!drawn) ok = false;
        else if (PICTOGRAPH.test(text)) {
          const blue = pixels(text, "#0000ff");
          ok = red.every((v, i) => v === blue[i]);
        }
      }
    } catch {
      ok = true;
    }
    drawable.set(text, ok);
  }
  return drawable.get(text);
}
function initialsBadge(label) {
  return h("span", { class: "cjm-avatar cjm-initials", "aria-hidden": "true", text: initials(label) });
}
function avatar(value, label) {
  const text = (value || "").trim();
  if (IMAGE_URL.test(text)) {
    const img = h("img", { class: "cjm-avatar", alt: label || "", referrerpolicy: "no-referrer" });
    img.addEventListener("error", () => img.replaceWith(initialsBadge(label)), { once: true });
    img.src = text;
    return img;
  }
  if (!text || !canDraw(text)) return initialsBadge(label);
  return h("span", { class: `cjm-avatar${PICTOGRAPH.test(text) ? " cjm-emoji" : ""}`, "aria-hidden": "true", text });
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
    const entry2 = pending.get(content.request_id);
    if (!entry2) return;
    pending.delete(content.request_id);
    onStatus();
    entry2.resolve(content);
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
  const commit = () => {
    if (el._detached || el.value === el._orig) return;
    el._orig = el.value;
    onCommit(parse(el.value), el.value);
  };
  el.addEventListener("change", commit);
  el.addEventListener("blur", commit);
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      el.value = el._orig;
      el.blur();
    }
    if (event.key === "Enter" && el.tagName === "INPUT") commit();
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
  return bind(el, key, value, onCommit, (text) => text);
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
  return bind(el, key, value, onCommit, (text) => text.trim() === "" ? null : Number(text));
}
var LAZY_OPTIONS = 40;
var SELECT_VALUE = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value");
var option = ([v, text]) => h("option", { value: v, text });
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
  bind(el, key, current, onCommit, (text) => text === "" ? null : text);
  if (lazy) fillLater(el);
  return el;
}
function dateField({ key, value, label, onCommit, cls }) {
  const el = h("input", { class: `cjm-field cjm-date ${cls || ""}`, type: "date", "aria-label": label });
  const day = typeof value === "string" ? value.slice(0, 10) : value;
  return bind(el, key, day, onCommit, (text) => text.trim() === "" ? null : text);
}
function addField({ key, label, ctx, onAdd }) {
  const input = h("input", { class: "cjm-field cjm-add-input", type: "text", "aria-label": label, placeholder: label });
  input.dataset.key = key;
  input._orig = "";
  input.value = ctx.drafts.get(key) || "";
  input.addEventListener("input", () => ctx.drafts.set(key, input.value));
  const submit = () => {
    const text = input.value.trim();
    if (text) onAdd(text, key);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") submit();
  });
  const button2 = h("button", { class: "cjm-btn", type: "button", text: "+", title: label, "aria-label": label, on: { click: submit } });
  return h("div", { class: "cjm-add" }, [input, button2]);
}
function button(text, label, onClick, { disabled = false, cls = "" } = {}) {
  return h("button", { class: `cjm-btn ${cls}`, type: "button", text, title: label, "aria-label": label, disabled, on: { click: onClick } });
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
function mountEditor({ model, el, css, title, draw: draw2 }) {
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
    const text = readOnly ? "" : client.offline ? `No kernel: ${n} edit(s) waiting (read-only)` : n ? `Saving ${n} edit(s)…` : "All changes saved";
    if (status.textContent !== text) status.textContent = text;
    undo.disabled = !(model.get("undo_depth") > 0);
    redo.disabled = !(model.get("redo_depth") > 0);
    if (readOnly) lockControls(root);
  }
  function showError(text) {
    message.textContent = text;
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
    patchChildren(body, [draw2(ctx)]);
    memo.end();
    if (active?.isConnected) active._detached = false;
    for (const [k, { value }] of overlays) {
      const control = find(body, k);
      if (control && "value" in control) {
        control.value = value;
        control.classList.add("cjm-pending");
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

// lib/specs.js
var NONE = Object.freeze({ kind: "text", required: false, choices: [], low: null, high: null });
function columnSpec(ctx, frame, column) {
  return ctx.specs?.frames?.[frame]?.[column] ?? NONE;
}
function editableColumns(ctx, frame) {
  return Object.keys(ctx.specs?.frames?.[frame] ?? {});
}
function valueLabel(value, words = {}) {
  return Object.hasOwn(words, value) ? words[value] : String(value).replaceAll("_", " ");
}
function titleLabel(value, words = {}) {
  const text = valueLabel(value, words);
  return text.charAt(0).toUpperCase() + text.slice(1);
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
function specField(ctx, frame, column, { key, value, label, onCommit, cls, multiline, placeholder, options }) {
  const spec = columnSpec(ctx, frame, column);
  if (spec.choices.length) return selectField({ key, value, label, cls, onCommit, options: choiceOptions(ctx, frame, column, options) });
  if (spec.kind === "int" || spec.kind === "float") {
    return numberField({ key, value, label, cls, onCommit, ...bounds(ctx, frame, column), step: spec.kind === "int" ? 1 : "any" });
  }
  if (spec.kind === "date") return dateField({ key, value, label, cls, onCommit });
  return textField({ key, value, label, cls, onCommit, multiline, placeholder });
}

// persona/cards.js
var FIELD_WORDS = {
  avatar: { caption: "Avatar (emoji, image URL or data URI)" },
  description: { caption: "Description", multiline: true },
  age: { caption: "Age" },
  gender: { caption: "Gender" },
  location: { caption: "Location" },
  income: { caption: "Income" },
  occupation: { caption: "Occupation" },
  psychographics: { caption: "Psychographics", multiline: true },
  behaviour: { caption: "Behaviour", multiline: true },
  goals: { caption: "Goals", multiline: true },
  needs: { caption: "Needs", multiline: true },
  motivations: { caption: "Motivations", multiline: true },
  frustrations: { caption: "Frustrations", multiline: true },
  channels: { caption: "Channels" },
  // schema 3: where a persona made from data comes from (Journey.add_persona_from_segment)
  source: { caption: "Source (interviews, segmentation...)" },
  segment: { caption: "Data segment" },
  segment_definition: { caption: "Segment definition", multiline: true },
  basis: { caption: "Basis" },
  n: { caption: "Customers behind it (n)", label: "Persona customers behind it" },
  validated_at: { caption: "Last validated with customers" }
};
var ORDER = Object.keys(FIELD_WORDS);
var rank = (column) => ORDER.includes(column) ? ORDER.indexOf(column) : ORDER.length;
function personaFields(ctx) {
  const columns = editableColumns(ctx, "personas").filter((c) => c !== "name" && c !== "id");
  return columns.sort((a, b) => rank(a) - rank(b)).map((c) => [c, FIELD_WORDS[c] ?? { caption: c }]);
}
function field(ctx, persona, commit, [column, { caption, multiline, label }]) {
  const key = `persona:${persona.id}:${column}`;
  return h("label", { class: "cjm-labelled" }, [
    h("span", { class: "cjm-muted", text: caption }),
    specField(ctx, "personas", column, {
      key,
      value: persona[column],
      multiline,
      placeholder: caption,
      onCommit: commit(column),
      label: label ?? `Persona ${caption[0].toLowerCase()}${caption.slice(1)}`
    })
  ]);
}
function card(ctx, persona) {
  const commit = (column) => (value, raw) => ctx.edit("update_persona", { id: persona.id, fields: { [column]: value } }, { key: `persona:${persona.id}:${column}`, value: raw });
  const name = persona.name || persona.id;
  return h("section", { class: "cjm-persona", dataset: { id: persona.id }, "aria-label": `Persona ${name}` }, [
    h("div", { class: "cjm-row" }, [
      avatar(persona.avatar, name),
      textField({ key: `persona:${persona.id}:name`, value: persona.name, label: "Persona name", cls: "cjm-persona-name", onCommit: commit("name") }),
      button("×", `Delete persona ${name} with their emotions and empathy entries`, () => ctx.edit("remove_persona", { id: persona.id }), { cls: "cjm-danger" })
    ]),
    ...personaFields(ctx).map((f) => field(ctx, persona, commit, f))
  ]);
}
function personaCards(ctx) {
  const personas = ctx.snapshot.personas || [];
  return h("div", { class: "cjm-cards" }, [
    ...personas.map((p) => card(ctx, p)),
    h("div", { class: "cjm-persona cjm-new-persona" }, [
      addField({
        key: "new-persona",
        label: "New persona",
        ctx,
        onAdd: (name, key) => ctx.edit("add_persona", { name }, { key, value: name, draft: true })
      })
    ])
  ]);
}

// persona/empathy.js
function quadrants(ctx) {
  return choiceOptions(ctx, "empathy", "quadrant", { label: titleLabel }).filter(([q]) => q !== "");
}
function entry(ctx, row, options) {
  const commit = (column) => (value, raw) => ctx.edit("update", { frame: "empathy", id: row.id, fields: { [column]: value } }, { key: `empathy:${row.id}:${column}`, value: raw });
  return h("div", { class: "cjm-entry", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({ key: `empathy:${row.id}:text`, value: row.text, label: "Empathy entry text", multiline: true, onCommit: commit("text") }),
      button("×", "Delete this entry", () => ctx.edit("remove", { frame: "empathy", id: row.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row" }, [
      textField({ key: `empathy:${row.id}:source`, value: row.source, label: "Empathy entry source", placeholder: "Source", onCommit: commit("source") }),
      // Moving an entry to another quadrant is an edit of its quadrant column.
      selectField({ key: `empathy:${row.id}:quadrant`, value: row.quadrant, label: "Empathy entry quadrant", options, onCommit: commit("quadrant") })
    ])
  ]);
}
function empathyMap(ctx) {
  const personas = ctx.snapshot.personas || [];
  if (!personas.length) return h("p", { class: "cjm-muted", text: "Add a persona to fill in an empathy map." });
  if (!personas.some((p) => p.id === ctx.ui.persona)) ctx.ui.persona = personas[0].id;
  const persona = ctx.ui.persona;
  const picker = selectField({
    key: "empathy-persona",
    value: persona,
    label: "Empathy map of",
    options: personas.map((p) => [p.id, p.name || p.id]),
    onCommit: (id) => {
      ctx.ui.persona = id;
      ctx.redraw();
    }
  });
  const rows = (ctx.snapshot.empathy || []).filter((r) => r.persona_id === persona);
  const options = quadrants(ctx);
  return h("section", { class: "cjm-empathy", "aria-label": "Empathy map" }, [
    h("div", { class: "cjm-row" }, [h("h4", { text: "Empathy map" }), picker]),
    h("div", { class: "cjm-quadrants" }, options.map(([quadrant, label]) => h("div", { class: `cjm-quadrant cjm-q-${quadrant}`, dataset: { quadrant } }, [
      h("h5", { text: label }),
      ...rows.filter((r) => r.quadrant === quadrant).map((r) => entry(ctx, r, options)),
      addField({
        key: `new-empathy:${quadrant}`,
        label: `Add to ${label.toLowerCase()}`,
        ctx,
        onAdd: (text, key) => ctx.edit("add_empathy", { persona, quadrant, text }, { key, value: text, draft: true })
      })
    ])))
  ]);
}

// persona_editor.js
function draw(ctx) {
  return h("div", { class: "cjm-personas" }, [personaCards(ctx), empathyMap(ctx)]);
}
var persona_editor_default2 = () => ({
  render({ model, el }) {
    return mountEditor({ model, el, css: base_default + persona_editor_default, title: "Personas", draw });
  }
});
export {
  persona_editor_default2 as default
};
