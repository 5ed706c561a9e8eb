// Built from js/journey_editor.js by js/build.mjs; do not edit.

// lib/base.css
var base_default = '/* Shared by both editors; lives in a Shadow DOM, so nothing leaks out or in. */\n:host {\n  --cjm-bg: var(--jp-layout-color1, #ffffff);\n  --cjm-bg2: var(--jp-layout-color2, #f3f3f3);\n  --cjm-bg0: var(--jp-layout-color0, #ffffff);\n  --cjm-fg: var(--jp-ui-font-color1, rgba(0, 0, 0, 0.87));\n  --cjm-muted: var(--jp-ui-font-color2, rgba(0, 0, 0, 0.54));\n  --cjm-border: var(--jp-border-color2, #e0e0e0);\n  --cjm-accent: var(--jp-brand-color1, #1976d2);\n  --cjm-error: var(--jp-error-color1, #d32f2f);\n  --cjm-font: var(--jp-ui-font-family, system-ui, -apple-system, "Segoe UI", sans-serif);\n  --cjm-size: var(--jp-ui-font-size1, 13px);\n  --cjm-label: 120px;\n  display: block;\n}\n@media (prefers-color-scheme: dark) {\n  :host {\n    --cjm-bg: var(--jp-layout-color1, #1e1e1e);\n    --cjm-bg2: var(--jp-layout-color2, #2a2a2a);\n    --cjm-bg0: var(--jp-layout-color0, #111111);\n    --cjm-fg: var(--jp-ui-font-color1, rgba(255, 255, 255, 0.87));\n    --cjm-muted: var(--jp-ui-font-color2, rgba(255, 255, 255, 0.54));\n    --cjm-border: var(--jp-border-color2, #3a3a3a);\n  }\n}\n.cjm-editor { font-family: var(--cjm-font); font-size: var(--cjm-size); color: var(--cjm-fg); background: var(--cjm-bg); }\n.cjm-toolbar { display: flex; gap: 6px; align-items: center; padding: 4px 2px; border-bottom: 1px solid var(--cjm-border); }\n.cjm-title { font-weight: 600; margin-right: auto; }\n.cjm-status { color: var(--cjm-muted); font-size: 0.9em; min-width: 10em; text-align: right; }\n.cjm-error { display: flex; gap: 8px; align-items: center; color: var(--cjm-error); border: 1px solid var(--cjm-error); padding: 4px 8px; margin: 4px 0; border-radius: 3px; }\n.cjm-error[hidden] { display: none; }\n.cjm-error-text { flex: 1; white-space: pre-wrap; }\n.cjm-body { overflow: auto; max-height: 85vh; }\n.cjm-btn { font: inherit; color: var(--cjm-fg); background: var(--cjm-bg2); border: 1px solid var(--cjm-border); border-radius: 3px; padding: 1px 6px; cursor: pointer; }\n.cjm-btn:disabled { opacity: 0.4; cursor: default; }\n.cjm-btn:focus-visible, .cjm-field:focus-visible, .cjm-point:focus-visible { outline: 2px solid var(--cjm-accent); outline-offset: 1px; }\n.cjm-danger:hover:not(:disabled) { color: var(--cjm-error); border-color: var(--cjm-error); }\n.cjm-field { font: inherit; color: var(--cjm-fg); background: var(--cjm-bg0); border: 1px solid var(--cjm-border); border-radius: 3px; padding: 2px 4px; min-width: 0; box-sizing: border-box; width: 100%; }\ntextarea.cjm-field { resize: vertical; }\n.cjm-number { width: 4.5em; flex: none; }\n.cjm-pending { border-style: dashed; border-color: var(--cjm-accent); }\n.cjm-row { display: flex; gap: 4px; align-items: center; }\n.cjm-wrap { flex-wrap: wrap; }\n.cjm-muted { color: var(--cjm-muted); font-size: 0.9em; }\n.cjm-add { display: flex; gap: 4px; margin-top: 4px; }\n.cjm-item { border: 1px solid var(--cjm-border); border-radius: 4px; padding: 4px; margin-bottom: 4px; background: var(--cjm-bg); display: grid; gap: 3px; }\n';

// journey_editor.css
var journey_editor_default = ".cjm-grid { display: grid; width: max-content; }\n.cjm-grid > * { border-right: 1px solid var(--cjm-border); border-bottom: 1px solid var(--cjm-border); padding: 4px; box-sizing: border-box; min-width: 0; }\n.cjm-corner, .cjm-lane-label { font-weight: 600; color: var(--cjm-muted); position: sticky; left: 0; background: var(--cjm-bg2); z-index: 1; }\n.cjm-stage { display: grid; gap: 3px; background: var(--cjm-bg2); }\n.cjm-stage-tools { display: flex; gap: 3px; justify-content: flex-end; }\n.cjm-stage-name { font-weight: 600; }\n.cjm-tps { min-height: 24px; display: grid; gap: 4px; align-content: start; }\n.cjm-drop { outline: 2px dashed var(--cjm-accent); }\n.cjm-card { border: 1px solid var(--cjm-border); border-left: 3px solid var(--cjm-accent); border-radius: 4px; padding: 3px; display: grid; gap: 3px; background: var(--cjm-bg); }\n.cjm-grip { cursor: grab; color: var(--cjm-muted); }\n.cjm-channel { font-size: 0.9em; }\n.cjm-details { display: grid; gap: 3px; }\n.cjm-curve-cell { padding: 0; }\n.cjm-emotion-svg { display: block; }\n.cjm-gridline { stroke: var(--cjm-border); stroke-width: 1; }\n.cjm-zero { stroke: var(--cjm-muted); stroke-dasharray: 4 3; }\n.cjm-curve { fill: none; stroke-width: 2; }\n.cjm-point { cursor: ns-resize; stroke: var(--cjm-bg); stroke-width: 2; touch-action: none; }\n.cjm-legend { font-size: 11px; font-family: var(--cjm-font); }\n.cjm-add-emotion select { width: auto; flex: 1; }\n.cjm-loose { padding: 6px 4px; max-width: 480px; }\n.cjm-loose h4 { margin: 6px 0 4px; }\n";

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
  const commit2 = () => {
    if (el._detached || el.value === el._orig) return;
    el._orig = el.value;
    onCommit(parse(el.value), el.value);
  };
  el.addEventListener("change", commit2);
  el.addEventListener("blur", commit2);
  el.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      el.value = el._orig;
      el.blur();
    }
    if (event.key === "Enter" && el.tagName === "INPUT") commit2();
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
function selectField({ key, value, label, options, onCommit, cls }) {
  const el = h(
    "select",
    { class: `cjm-field ${cls || ""}`, "aria-label": label },
    options.map(([v, text]) => h("option", { value: v, text }))
  );
  return bind(el, key, value ?? "", onCommit, (text) => text === "" ? null : text);
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

// lib/shell.js
function snapshotReader() {
  const parsed = /* @__PURE__ */ new Map();
  return (raw) => {
    const out = {};
    for (const [key, value] of Object.entries(raw || {})) {
      if (typeof value !== "string" || key === "version") {
        out[key] = value;
        continue;
      }
      if (parsed.get(key)?.text !== value) parsed.set(key, { text: value, rows: JSON.parse(value) });
      out[key] = parsed.get(key).rows;
    }
    return out;
  };
}
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
  root.append(
    h("style", { text: css }),
    h("div", { class: "cjm-editor" }, [h("div", { class: "cjm-toolbar" }, [heading, undo, redo, status]), banner, body])
  );
  const readSnapshot = snapshotReader();
  const overlays = /* @__PURE__ */ new Map();
  const ctx = { model, ui: {}, drafts: /* @__PURE__ */ new Map(), snapshot: {}, edit, redraw };
  const client = createClient(model, showStatus);
  function showStatus() {
    const n = client.pending;
    status.textContent = client.offline ? `No kernel: ${n} edit(s) waiting (read-only)` : n ? `Saving ${n} edit(s)…` : "All changes saved";
    undo.disabled = !(model.get("undo_depth") > 0);
    redo.disabled = !(model.get("redo_depth") > 0);
  }
  function showError(text) {
    message.textContent = text;
    banner.hidden = false;
  }
  function edit(op, params = {}, shown = null) {
    const promise = client.request(op, params);
    const token = {};
    if (shown) overlays.set(shown.key, { value: shown.value, token });
    return promise.then((reply) => {
      if (shown && overlays.get(shown.key)?.token === token) overlays.delete(shown.key);
      if (reply.ok) {
        if (shown?.draft) {
          ctx.drafts.delete(shown.key);
          const input = find(root, shown.key);
          if (input) input.value = "";
        }
      } else {
        showError(reply.error || "the edit failed");
        redraw(shown && !shown.draft ? shown.key : null);
      }
      return reply;
    });
  }
  function redraw(rollback = null) {
    ctx.snapshot = readSnapshot(model.get("snapshot"));
    heading.textContent = `${title}: ${ctx.snapshot.journey?.name ?? ""}`;
    const active = root.activeElement;
    const key = active?.dataset?.key;
    const typed = key && "value" in active && active.value !== active._orig ? active.value : null;
    let selection = null;
    try {
      selection = key ? [active.selectionStart, active.selectionEnd] : null;
    } catch {
    }
    const scroll = [body.scrollLeft, body.scrollTop];
    if (active) active._detached = true;
    body.replaceChildren(draw(ctx));
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
    [body.scrollLeft, body.scrollTop] = scroll;
    const again = key && find(body, key);
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

// journey/index.js
function byOrder(a, b) {
  return (a.order ?? 0) - (b.order ?? 0);
}
function groupByStage(rows, stageOf) {
  const out = /* @__PURE__ */ new Map();
  const loose = [];
  for (const row of rows || []) {
    const stage = stageOf(row);
    if (stage === null) loose.push(row);
    else {
      if (!out.has(stage)) out.set(stage, []);
      out.get(stage).push(row);
    }
  }
  return [out, loose];
}
function indexSnapshot(snap) {
  const stages = [...snap.stages || []].sort(byOrder);
  const touchpoints = new Map(stages.map((s) => [s.id, []]));
  const tpById = /* @__PURE__ */ new Map();
  for (const tp of snap.touchpoints || []) {
    tpById.set(tp.id, tp);
    if (touchpoints.has(tp.stage_id)) touchpoints.get(tp.stage_id).push(tp);
  }
  for (const list of touchpoints.values()) list.sort(byOrder);
  const stageOf = (row) => row.stage_id ?? tpById.get(row.touchpoint_id)?.stage_id ?? null;
  const [emotions] = groupByStage(snap.emotions, stageOf);
  const [pains] = groupByStage(snap.pain_points, stageOf);
  const [opportunities, looseOpportunities] = groupByStage(snap.opportunities, stageOf);
  const [actions, looseActions] = groupByStage(snap.actions, stageOf);
  const personas = snap.personas || [];
  return {
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
    personaById: new Map(personas.map((p) => [p.id, p]))
  };
}
function placeName(ix, row) {
  return row.touchpoint_id ? ix.tpById.get(row.touchpoint_id)?.name ?? row.touchpoint_id : "whole stage";
}
function personaName(ix, id) {
  return id ? ix.personaById.get(id)?.name ?? id : "Everyone";
}

// journey/emotions.js
var COL = 240;
var HEIGHT = 150;
var PAD = 14;
var PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];
var clamp = (v) => Math.max(-2, Math.min(2, v));
var round = (v) => Math.round(v * 10) / 10;
var yOf = (score) => PAD + (2 - score) / 4 * (HEIGHT - 2 * PAD);
var scoreOf = (y) => round(clamp(2 - (y - PAD) / (HEIGHT - 2 * PAD) * 4));
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
    dataset: { id: row.id }
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
    const score = round(clamp(row.score + step));
    if (score !== row.score) setScore(ctx, row, score);
  });
  return dot;
}
function emotionCurve(ctx, ix) {
  const width = Math.max(ix.stages.length, 1) * COL;
  const grid = [2, 1, 0, -1, -2].map((s) => svg("line", { class: s === 0 ? "cjm-zero" : "cjm-gridline", x1: 0, x2: width, y1: yOf(s), y2: yOf(s) }));
  const byPersona = /* @__PURE__ */ new Map();
  ix.stages.forEach((stage, i) => {
    for (const row of ix.emotions.get(stage.id) || []) {
      if (typeof row.score !== "number") continue;
      const key = row.persona_id ?? "";
      if (!byPersona.has(key)) byPersona.set(key, []);
      byPersona.get(key).push({ row, x: xOf(ix, row, i, stage.id) });
    }
  });
  const layers = [];
  [...byPersona.entries()].forEach(([persona, pts], n) => {
    const color = PALETTE[n % PALETTE.length];
    pts.sort((a, b) => a.x - b.x);
    layers.push(svg("polyline", { class: "cjm-curve", stroke: color, points: pts.map((p) => `${p.x},${yOf(p.row.score)}`).join(" ") }));
    layers.push(...pts.map((p) => point(ctx, ix, p.row, p.x, color)));
    layers.push(svg("text", { class: "cjm-legend", x: 6, y: 12 + 13 * n, fill: color, text: personaName(ix, persona || null) }));
  });
  return svg("svg", { class: "cjm-emotion-svg", width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: "group", "aria-label": "Emotion curve" }, [...grid, ...layers]);
}
function emotionRow(ctx, ix, row) {
  const commit2 = (column) => (value, raw) => ctx.edit("update", { frame: "emotions", id: row.id, fields: { [column]: value } }, { key: `emo:${row.id}:${column}`, value: raw });
  return h("div", { class: "cjm-item cjm-emotion" }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-muted", text: `${personaName(ix, row.persona_id)} · ${placeName(ix, row)}` }),
      numberField({ key: `emo:${row.id}:score`, value: row.score, label: "Emotion score from -2 to 2", min: -2, max: 2, step: 0.5, onCommit: commit2("score") }),
      button("×", "Delete this emotion", () => ctx.edit("remove", { frame: "emotions", id: row.id }), { cls: "cjm-danger" })
    ]),
    textField({ key: `emo:${row.id}:feeling`, value: row.feeling, label: "Feeling", onCommit: commit2("feeling") }),
    textField({ key: `emo:${row.id}:thought`, value: row.thought, label: "Quote", onCommit: commit2("thought") })
  ]);
}
function addEmotion(ctx, ix, stage) {
  const persona = selectField({
    key: `new-emo:${stage.id}:persona`,
    value: ix.personas[0]?.id ?? "",
    label: "Persona",
    options: [...ix.personas.map((p) => [p.id, p.name || p.id]), ["", "Everyone"]],
    onCommit: () => {
    }
  });
  const place = selectField({
    key: `new-emo:${stage.id}:place`,
    value: "",
    label: "Where",
    options: [["", "Whole stage"], ...(ix.touchpoints.get(stage.id) || []).map((t) => [t.id, t.name || t.id])],
    onCommit: () => {
    }
  });
  const add = button("+ emotion", "Add an emotion (score 0) here", () => {
    const params = { persona: persona.value || null, score: 0 };
    if (place.value) params.touchpoint = place.value;
    else params.stage = stage.id;
    ctx.edit("set_emotion", params);
  });
  return h("div", { class: "cjm-row cjm-add-emotion" }, [persona, place, add]);
}
function emotionCell(ctx, ix, stage) {
  const rows = (ix.emotions.get(stage.id) || []).slice().sort((a, b) => xOf(ix, a, 0, stage.id) - xOf(ix, b, 0, stage.id));
  return h("div", { class: "cjm-cell" }, [...rows.map((row) => emotionRow(ctx, ix, row)), addEmotion(ctx, ix, stage)]);
}

// journey/items.js
var STATUSES = ["planned", "in_progress", "done", "blocked", "dropped"].map((s) => [s, s.replace("_", " ")]);
var SCALE = { min: 1, max: 5, step: 1 };
var LANES = {
  pains: {
    frame: "pain_points",
    add: "add_pain_point",
    label: "pain point",
    fields: [["severity", "Severity 1-5", "number"], ["frequency", "Frequency 1-5", "number"], ["evidence", "Evidence", "text"]]
  },
  opportunities: {
    frame: "opportunities",
    add: "add_opportunity",
    label: "opportunity",
    fields: [["impact", "Impact 1-5", "number"], ["effort", "Effort 1-5", "number"]]
  },
  actions: {
    frame: "actions",
    add: "add_action",
    label: "action",
    fields: [["owner", "Owner", "text"], ["status", "Status", "status"], ["due", "Due (YYYY-MM-DD)", "text"]]
  }
};
function control(ctx, lane, row, [column, label, kind]) {
  const key = `${lane.frame}:${row.id}:${column}`;
  const onCommit = (value, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields: { [column]: value } }, { key, value: raw });
  if (kind === "number") return numberField({ key, value: row[column], label, ...SCALE, onCommit });
  if (kind === "status") return selectField({ key, value: row[column], label, options: STATUSES, onCommit });
  return textField({ key, value: row[column], label, onCommit });
}
function item(ctx, ix, lane, row) {
  const where = row.touchpoint_id ? h("span", { class: "cjm-muted", text: `@ ${placeName(ix, row)}` }) : null;
  return h("div", { class: `cjm-item cjm-${lane.frame}`, dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      textField({
        key: `${lane.frame}:${row.id}:description`,
        value: row.description,
        label: `Describe the ${lane.label}`,
        multiline: true,
        onCommit: (value, raw) => ctx.edit("update", { frame: lane.frame, id: row.id, fields: { description: value } }, { key: `${lane.frame}:${row.id}:description`, value: raw })
      }),
      button("×", `Delete this ${lane.label}`, () => ctx.edit("remove", { frame: lane.frame, id: row.id }), { cls: "cjm-danger" })
    ]),
    where,
    h("div", { class: "cjm-row cjm-wrap" }, lane.fields.map((f) => control(ctx, lane, row, f)))
  ]);
}
function itemCell(ctx, ix, name, rows, stage) {
  const lane = LANES[name];
  const key = `new-${lane.frame}:${stage?.id ?? ""}`;
  return h("div", { class: "cjm-cell" }, [
    ...rows.map((row) => item(ctx, ix, lane, row)),
    addField({
      key,
      label: `New ${lane.label}`,
      ctx,
      onAdd: (description, k) => ctx.edit(lane.add, stage ? { description, stage: stage.id } : { description }, { key: k, value: description, draft: true })
    })
  ]);
}

// journey/stages.js
function stageHeader(ctx, stage, i, count) {
  const label = stage.name || stage.id;
  const commit2 = (column) => (value, raw) => ctx.edit("update_stage", { id: stage.id, fields: { [column]: value } }, { key: `stage:${stage.id}:${column}`, value: raw });
  return h("div", { class: "cjm-stage", dataset: { stage: stage.id } }, [
    h("div", { class: "cjm-stage-tools" }, [
      button("◀", `Move stage ${label} left`, () => ctx.edit("move_stage", { id: stage.id, position: i - 1 }), { disabled: i === 0 }),
      button("▶", `Move stage ${label} right`, () => ctx.edit("move_stage", { id: stage.id, position: i + 1 }), { disabled: i === count - 1 }),
      button("×", `Delete stage ${label} and what it holds`, () => ctx.edit("remove_stage", { id: stage.id }), { cls: "cjm-danger" })
    ]),
    textField({ key: `stage:${stage.id}:name`, value: stage.name, label: "Stage name", cls: "cjm-stage-name", onCommit: commit2("name") }),
    textField({ key: `stage:${stage.id}:description`, value: stage.description, label: "Stage description", multiline: true, onCommit: commit2("description") })
  ]);
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
var FIRST_CARDS = 40;
var DETAILS = [["action", "Customer action"], ["description", "Description"], ["optimisation", "Optimisation"], ["owner", "Owner"]];
function commit(ctx, tp, column) {
  return (value, raw) => ctx.edit("update_touchpoint", { id: tp.id, fields: { [column]: value } }, { key: `tp:${tp.id}:${column}`, value: raw });
}
function details(ctx, ix, tp, index, count) {
  const stages = ix.stages.map((s) => [s.id, s.name || s.id]);
  return h("div", { class: "cjm-details" }, [
    ...DETAILS.map(([column, label]) => textField({ key: `tp:${tp.id}:${column}`, value: tp[column], label, multiline: column !== "owner", onCommit: commit(ctx, tp, column) })),
    h("div", { class: "cjm-row" }, [
      selectField({
        key: `tp:${tp.id}:stage`,
        value: tp.stage_id,
        label: "Move to stage",
        options: stages,
        onCommit: (stage) => ctx.edit("move_touchpoint", { id: tp.id, stage })
      }),
      button("↑", "Move up", () => ctx.edit("move_touchpoint", { id: tp.id, position: index - 1 }), { disabled: index === 0 }),
      button("↓", "Move down", () => ctx.edit("move_touchpoint", { id: tp.id, position: index + 1 }), { disabled: index === count - 1 })
    ])
  ]);
}
function card(ctx, ix, tp, index, count) {
  const open = ctx.ui.open?.has(tp.id);
  const toggle = button("…", `Details of ${tp.name || tp.id}`, () => {
    ctx.ui.open = ctx.ui.open || /* @__PURE__ */ new Set();
    const panel = el.querySelector(".cjm-details");
    if (panel) {
      panel.remove();
      ctx.ui.open.delete(tp.id);
      toggle.setAttribute("aria-expanded", "false");
    } else {
      el.append(details(ctx, ix, tp, index, count));
      ctx.ui.open.add(tp.id);
      toggle.setAttribute("aria-expanded", "true");
    }
  });
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  const el = h("div", { class: "cjm-card", draggable: "true", dataset: { id: tp.id } }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-grip", "aria-hidden": "true", text: "⠿" }),
      textField({ key: `tp:${tp.id}:name`, value: tp.name, label: "Touchpoint name", cls: "cjm-tp-name", onCommit: commit(ctx, tp, "name") }),
      button("×", `Delete touchpoint ${tp.name || tp.id}`, () => ctx.edit("remove_touchpoint", { id: tp.id }), { cls: "cjm-danger" })
    ]),
    h("div", { class: "cjm-row" }, [
      textField({ key: `tp:${tp.id}:channel`, value: tp.channel, label: "Channel", cls: "cjm-channel", onCommit: commit(ctx, tp, "channel") }),
      toggle
    ])
  ]);
  if (open) el.append(details(ctx, ix, tp, index, count));
  return el;
}
function dropPosition(list, y, dragged) {
  const cards = [...list.querySelectorAll(":scope > .cjm-card")].filter((c) => c.dataset.id !== dragged);
  const after = cards.findIndex((c) => {
    const r = c.getBoundingClientRect();
    return y < r.top + r.height / 2;
  });
  return after === -1 ? cards.length : after;
}
function touchpointCell(ctx, ix, stage) {
  const tps = ix.touchpoints.get(stage.id) || [];
  const all = tps.length <= FIRST_CARDS || ctx.ui.allCards?.has(stage.id);
  const shown = all ? tps : tps.slice(0, FIRST_CARDS);
  const list = h("div", { class: "cjm-tps", dataset: { stage: stage.id } }, shown.map((tp, i) => card(ctx, ix, tp, i, tps.length)));
  const more = all ? null : button(`Show all ${tps.length}`, `Show all ${tps.length} touchpoints of ${stage.name || stage.id}`, () => {
    ctx.ui.allCards = ctx.ui.allCards || /* @__PURE__ */ new Set();
    ctx.ui.allCards.add(stage.id);
    ctx.redraw();
  }, { cls: "cjm-more" });
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
    ctx.edit("move_touchpoint", { id, stage: stage.id, position: dropPosition(list, event.clientY, id) });
  });
  return h("div", { class: "cjm-cell" }, [
    list,
    more,
    addField({
      key: `new-tp:${stage.id}`,
      label: "New touchpoint",
      ctx,
      onAdd: (name, key) => ctx.edit("add_touchpoint", { stage: stage.id, name }, { key, value: name, draft: true })
    })
  ]);
}

// journey/grid.js
function laneLabel(text) {
  return h("div", { class: "cjm-lane-label", role: "rowheader", text });
}
function drawGrid(ctx) {
  const ix = indexSnapshot(ctx.snapshot);
  const n = ix.stages.length;
  const grid = h("div", { class: "cjm-grid" });
  grid.style.setProperty("--cjm-col", `${COL}px`);
  grid.style.gridTemplateColumns = `var(--cjm-label) repeat(${n}, var(--cjm-col)) var(--cjm-col)`;
  const spacer = () => h("div", { class: "cjm-spacer" });
  const row = (label, cell) => [laneLabel(label), ...ix.stages.map(cell), spacer()];
  const curve = h("div", { class: "cjm-curve-cell" }, [emotionCurve(ctx, ix)]);
  curve.style.gridColumn = `2 / span ${Math.max(n, 1)}`;
  grid.append(
    h("div", { class: "cjm-corner", text: "Stages" }),
    ...ix.stages.map((s, i) => stageHeader(ctx, s, i, n)),
    newStage(ctx),
    ...row("Touchpoints", (s) => touchpointCell(ctx, ix, s)),
    laneLabel("Emotions"),
    curve,
    ...n ? [spacer()] : [],
    ...row("Emotion details", (s) => emotionCell(ctx, ix, s)),
    ...row("Pain points", (s) => itemCell(ctx, ix, "pains", ix.pains.get(s.id) || [], s)),
    ...row("Opportunities", (s) => itemCell(ctx, ix, "opportunities", ix.opportunities.get(s.id) || [], s)),
    ...row("Actions", (s) => itemCell(ctx, ix, "actions", ix.actions.get(s.id) || [], s))
  );
  const loose = h("div", { class: "cjm-loose" }, [
    h("h4", { text: "Journey-wide actions" }),
    itemCell(ctx, ix, "actions", ix.looseActions, null),
    ix.looseOpportunities.length ? h("h4", { text: "Opportunities not tied to a stage" }) : null,
    ix.looseOpportunities.length ? itemCell(ctx, ix, "opportunities", ix.looseOpportunities, null) : null
  ]);
  return h("div", { class: "cjm-journey" }, [grid, loose]);
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
