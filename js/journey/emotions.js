// The emotion lane: an SVG curve per persona with draggable, keyboard-operable points,
// and per stage an accessible list of the same scores with feeling and quote fields.
import { h, svg } from "../lib/dom.js";
import { EMOTION_LABELS, NO_PERSONA_LABEL } from "../lib/labels.js";
import { patchChildren } from "../lib/memo.js";
import { button, numberField, selectField, textField } from "../lib/fields.js";
import { personaName, placeName } from "./index.js";
import { linkedSelect } from "./linked.js";
import { firstRows } from "./more.js";
import { captioned, personaOptions, placeFields, placeOptions, placeSelect, placeSource } from "./links.js";
import { bounds, choiceOptions } from "../lib/specs.js";

export const COL = 240; // px per stage column; the grid uses the same width
const HEIGHT = 164;
const TOP = 28; // room above +2 for the lane's title and the first persona's name
const BOTTOM = 14;
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

const clamp = (v) => Math.max(-2, Math.min(2, v));
const round = (v) => Math.round(v * 10) / 10;
const yOf = (score) => TOP + ((2 - score) / 4) * (HEIGHT - TOP - BOTTOM);
const scoreOf = (y) => round(clamp(2 - ((y - TOP) / (HEIGHT - TOP - BOTTOM)) * 4));
const MINUS = "\u2212"; // a real minus sign, as the map's axis writes it

/** "frustrated −2", "−1", "indifferent 0", "+1", "delighted +2": the scale's words and numbers. */
export function scaleLabel(score) {
  const number = score > 0 ? `+${score}` : score < 0 ? `${MINUS}${-score}` : "0";
  const word = EMOTION_LABELS.find(([s]) => s === score)?.[1];
  return word ? `${word} ${number}` : number;
}

/**
 * The lane's row header: "Emotions" and, beside the curve's grid lines, the scale from
 * frustrated to delighted. It lives in the sticky label column, so a wide map scrolled
 * sideways still shows what the heights mean.
 */
export function emotionLaneLabel() {
  const ticks = [2, 1, 0, -1, -2].map((s) => svg("text", { class: "cjm-scale", x: "100%", dx: -4, y: yOf(s), text: scaleLabel(s) }));
  return h("div", { class: "cjm-lane-label cjm-emotion-label", role: "rowheader" }, [
    h("span", { text: "Emotions" }),
    svg("svg", { class: "cjm-scale-svg", height: HEIGHT, "aria-hidden": "true" }, ticks),
  ]);
}

function xOf(ix, row, i, stageId) {
  if (!row.touchpoint_id) return (i + 0.5) * COL;
  const tps = ix.touchpoints.get(stageId) || [];
  const k = tps.findIndex((t) => t.id === row.touchpoint_id);
  return i * COL + ((k + 1) / (tps.length + 1)) * COL;
}

function setScore(ctx, row, score) {
  return ctx.edit("update", { frame: "emotions", id: row.id, fields: { score } }, { key: `emo:${row.id}:score`, value: String(score) });
}

function point(ctx, ix, row, x, color) {
  const label = `${personaName(ix, row.persona_id)} at ${placeName(ix, row)}`;
  const dot = svg("circle", {
    class: "cjm-point", cx: x, cy: yOf(row.score), r: 7, fill: color, tabindex: 0, role: "slider",
    "aria-label": label, "aria-valuemin": -2, "aria-valuemax": 2, "aria-valuenow": row.score,
    dataset: { id: row.id, key: `emo:${row.id}:point` }, // the key brings focus back after a redraw
  }, [svg("title", { text: `${label}: ${row.score}${row.feeling ? ` (${row.feeling})` : ""}` })]);
  let dragging = false;
  dot.addEventListener("pointerdown", (event) => { dragging = true; dot.setPointerCapture?.(event.pointerId); event.preventDefault(); });
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
    if (step === undefined) return;
    event.preventDefault();
    // from the point as shown: a second key press before the kernel answers steps on from the first
    const shown = Number(dot.getAttribute("aria-valuenow"));
    const score = round(clamp(shown + step));
    if (score === shown) return;
    dot.setAttribute("cy", yOf(score));
    dot.setAttribute("aria-valuenow", score);
    setScore(ctx, row, score);
  });
  return dot;
}

/**
 * The SVG curve over stage columns [from, to) (all of them unless the grid is windowed). The
 * line runs on to the stages either side, so it leaves the drawn columns where it would.
 */
export function emotionCurve(ctx, ix, from = 0, to = ix.stages.length) {
  const width = Math.max(to - from, 1) * COL;
  const left = from * COL;
  const grid = [2, 1, 0, -1, -2].map((s) => svg("line", { class: s === 0 ? "cjm-zero" : "cjm-gridline", x1: 0, x2: width, y1: yOf(s), y2: yOf(s) }));
  const byPersona = new Map();
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
  const legend = []; // one line above the +2 grid line: names side by side, never over the curve
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
  const send = (key) => (fields, raw) => ctx.edit("update", { frame: "emotions", id: row.id, fields }, { key, value: raw });
  const commit = (column) => (value, raw) => send(`emo:${row.id}:${column}`)({ [column]: value }, raw);
  const score = bounds(ctx, "emotions", "score"); // the emotion scale, from Python's specs
  const text = (column, label, caption) => captioned(caption, textField({ key: `emo:${row.id}:${column}`, value: row[column], label, onCommit: commit(column) }));
  return h("div", { class: "cjm-item cjm-emotion", dataset: { id: row.id } }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-muted", text: who }),
      numberField({ key: `emo:${row.id}:score`, value: row.score, label: `Emotion score from ${score.min} to ${score.max}`, ...score, step: 0.5, onCommit: commit("score") }),
      button("×", "Delete this emotion", () => ctx.edit("remove", { frame: "emotions", id: row.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row cjm-wrap" }, [
      captioned("Persona", linkedSelect(ctx, ["personas"], { key: `emo:${row.id}:persona_id`, value: row.persona_id, label: "Emotion persona",
        options: () => personaOptions(ix, NO_PERSONA_LABEL), onCommit: commit("persona_id") })),
      captioned("Where", placeSelect({ ctx, ix, stage, row, key: `emo:${row.id}:place`, label: "Emotion placement", send: send(`emo:${row.id}:place`) })),
    ]),
    text("feeling", "Emotion feeling", "Feeling"),
    text("thought", "Emotion thought (quote)", "Thought"),
    h("div", { class: "cjm-row cjm-wrap" }, [
      text("source", "Emotion source", "Source"),
      captioned("Basis", selectField({ key: `emo:${row.id}:basis`, value: row.basis, label: "Emotion basis", options: choiceOptions(ctx, "emotions", "basis"), onCommit: commit("basis") })),
      captioned("n", numberField({ key: `emo:${row.id}:n`, value: row.n, label: "Emotion sample size n", min: 0, step: 1, onCommit: commit("n") })),
    ]),
    // The period a score was measured in (schema 2), as on metric cards: shown when set, so
    // a stage holding several quarters' scores tells them apart; run_id stays measure()'s.
    row.period != null && row.period !== "" ? h("div", { class: "cjm-row cjm-wrap" }, [
      text("period", "Emotion period", "Period"),
    ]) : null,
  ]);
}

function addEmotion(ctx, ix, stage) {
  // kept across redraws (ix is updated in place): a deleted persona or touchpoint falls back
  const firstPersona = () => ix.personas[0]?.id ?? "";
  const persona = linkedSelect(ctx, ["personas"], { key: `new-emo:${stage.id}:persona`, value: firstPersona(), label: "New emotion persona",
    options: () => [...ix.personas.map((p) => [p.id, p.name || p.id]), ["", NO_PERSONA_LABEL]], onCommit: () => {}, fallback: firstPersona });
  const place = linkedSelect(ctx, [placeSource(stage)], { key: `new-emo:${stage.id}:place`, value: `s:${stage.id}`, label: "New emotion placement",
    options: () => placeOptions(ix, stage), onCommit: () => {}, fallback: () => `s:${stage.id}` });
  // Draft text: a source typed here survives redraws until the add succeeds.
  const sourceKey = `new-emo:${stage.id}:source`;
  const source = textField({ key: sourceKey, value: ctx.drafts.get(sourceKey) ?? "", label: "New emotion source",
    placeholder: "Source (default: assumption)", onCommit: () => {} });
  source.addEventListener("input", () => ctx.drafts.set(sourceKey, source.value));
  const add = button("+ emotion", "Add an emotion (score 0) here", () => {
    const params = { persona: persona.value || null, score: 0, ...placeParams(place.value) };
    if (source.value.trim()) params.source = source.value.trim();
    ctx.edit("add_emotion", params, { key: sourceKey, value: source.value, draft: true });
  });
  return h("div", { class: "cjm-add-emotion" }, [h("div", { class: "cjm-row" }, [persona, place]), h("div", { class: "cjm-row" }, [source, add])]);
}

function placeParams(value) {
  const { stage_id: stage, touchpoint_id: touchpoint } = placeFields(value);
  return touchpoint ? { touchpoint } : { stage };
}

/**
 * The accessible emotion controls of one stage. A row is built again only when it, its stage or
 * the names it shows changed; the add controls only with the first persona (their default).
 */
export function emotionCell(ctx, ix, stage) {
  const rows = (ix.emotions.get(stage.id) || []).slice().sort((a, b) => xOf(ix, a, 0, stage.id) - xOf(ix, b, 0, stage.id));
  const [shown, more] = firstRows(ctx, `emotions:${stage.id}`, rows, "emotions", stage.name || stage.id);
  const drawn = shown.map((row) => {
    const who = `${personaName(ix, row.persona_id)} · ${placeName(ix, row)}`;
    return ctx.cell(`emo:${row.id}`, [row, stage.id, who], () => emotionRow(ctx, ix, row, stage, who));
  });
  const add = ctx.cell(`add-emo:${stage.id}`, [ix.personas[0]?.id ?? ""], () => addEmotion(ctx, ix, stage));
  return patchChildren(ctx.box(`cell:emotions:${stage.id}`, () => h("div", { class: "cjm-cell" })), [...drawn, more, add]);
}
