// Touchpoint cards: name and channel inline, the other fields in a details panel built on
// demand (a 2,400-card map stays fast), drag and drop between stages, keyboard moves.
import { h } from "../lib/dom.js";
import { patchChildren } from "../lib/memo.js";
import { addField, button, textField } from "../lib/fields.js";
import { linkedSelect } from "./linked.js";
import { captioned } from "./links.js";
import { FIRST_ROWS, firstRows } from "./more.js";

const DRAG_TYPE = "application/x-cjm-touchpoint";
// [column, aria-label, caption]: labels name the touchpoint so they differ from other lanes' fields.
const DETAILS = [
  ["action", "Touchpoint customer action", "Customer action"], ["description", "Touchpoint description", "Description"],
  ["optimisation", "Touchpoint optimisation", "Optimisation"], ["owner", "Touchpoint owner", "Owner"],
];

function commit(ctx, tp, column) {
  return (value, raw) => ctx.edit("update_touchpoint", { id: tp.id, fields: { [column]: value } }, { key: `tp:${tp.id}:${column}`, value: raw });
}

/** The event-log names mapped to `tp` (frame event_map), as one comma-separated text. */
export function eventsOf(snapshot, tp) {
  return (snapshot.event_map || []).filter((r) => r.touchpoint_id === tp.id).map((r) => r.event).join(", ");
}

// One text for all of a touchpoint's events: the kernel splits it on commas and sets exactly those.
function eventsField(ctx, tp) {
  const key = `tp:${tp.id}:events`;
  return captioned("Log events", textField({ key, value: eventsOf(ctx.snapshot, tp), label: "Touchpoint log events",
    placeholder: "event names, comma-separated",
    onCommit: (value, raw) => ctx.edit("map_events", { touchpoint: tp.id, events: value }, { key, value: raw }) }));
}

/** Where `tp` sits in its stage, read live (a kept card's neighbours may have moved). */
function place(ix, tp) {
  const list = ix.touchpoints.get(tp.stage_id) || [];
  return [list.findIndex((t) => t.id === tp.id), list.length];
}

function details(ctx, ix, tp) {
  const [index, count] = place(ix, tp);
  return h("div", { class: "cjm-details" }, [
    ...DETAILS.map(([column, label, caption]) => captioned(caption,
      textField({ key: `tp:${tp.id}:${column}`, value: tp[column], label, multiline: column !== "owner", onCommit: commit(ctx, tp, column) }))),
    eventsField(ctx, tp),
    h("div", { class: "cjm-row" }, [
      linkedSelect(ctx, ["stages"], { key: `tp:${tp.id}:stage`, value: tp.stage_id, label: "Move touchpoint to stage",
        options: () => ix.stages.map((s) => [s.id, s.name || s.id]), onCommit: (stage) => ctx.edit("move_touchpoint", { id: tp.id, stage }) }),
      button("↑", "Move touchpoint up", () => ctx.edit("move_touchpoint", { id: tp.id, position: place(ix, tp)[0] - 1 }), { disabled: index === 0 }),
      button("↓", "Move touchpoint down", () => ctx.edit("move_touchpoint", { id: tp.id, position: place(ix, tp)[0] + 1 }), { disabled: index === count - 1 }),
    ]),
  ]);
}

function card(ctx, ix, tp) {
  const open = ctx.ui.open?.has(tp.id);
  const toggle = button("…", `Details of ${tp.name || tp.id}`, () => {
    ctx.ui.open = ctx.ui.open || new Set();
    const panel = el.querySelector(".cjm-details");
    if (panel) { panel.remove(); ctx.ui.open.delete(tp.id); toggle.setAttribute("aria-expanded", "false"); }
    else { el.append(details(ctx, ix, tp)); ctx.ui.open.add(tp.id); toggle.setAttribute("aria-expanded", "true"); }
  });
  toggle.setAttribute("aria-expanded", open ? "true" : "false");
  const el = h("div", { class: "cjm-card", draggable: "true", dataset: { id: tp.id } }, [
    h("div", { class: "cjm-row" }, [
      h("span", { class: "cjm-grip", "aria-hidden": "true", text: "⠿" }),
      textField({ key: `tp:${tp.id}:name`, value: tp.name, label: "Touchpoint name", cls: "cjm-tp-name", onCommit: commit(ctx, tp, "name") }),
      button("×", `Delete touchpoint ${tp.name || tp.id}`, () => ctx.edit("remove_touchpoint", { id: tp.id }), { cls: "cjm-danger" }),
    ]),
    h("div", { class: "cjm-row" }, [
      textField({ key: `tp:${tp.id}:channel`, value: tp.channel, label: "Touchpoint channel", placeholder: "Channel", cls: "cjm-channel", onCommit: commit(ctx, tp, "channel") }),
      toggle,
    ]),
  ]);
  if (open) el.append(details(ctx, ix, tp));
  return el;
}

/**
 * What a card reads: its row; with its details open also its place (the move buttons), its
 * events and whether its details are open. Closed cards build their details on demand.
 */
function cardDeps(ctx, ix, tp, index, count) {
  if (!ctx.ui.open?.has(tp.id)) return [tp, false];
  return [tp, true, index === 0, index === count - 1, eventsOf(ctx.snapshot, tp)];
}

function dropPosition(list, y, dragged) {
  const cards = [...list.querySelectorAll(":scope > .cjm-card")].filter((c) => c.dataset.id !== dragged);
  const after = cards.findIndex((c) => { const r = c.getBoundingClientRect(); return y < r.top + r.height / 2; });
  return after === -1 ? cards.length : after;
}

function cardList(ctx, ix, sid) {
  const list = h("div", { class: "cjm-tps", dataset: { stage: sid } });
  list.addEventListener("dragstart", (event) => {
    const c = event.target.closest?.(".cjm-card");
    if (c && event.dataTransfer) { event.dataTransfer.setData(DRAG_TYPE, c.dataset.id); event.dataTransfer.effectAllowed = "move"; }
  });
  list.addEventListener("dragover", (event) => {
    if (event.dataTransfer?.types.includes(DRAG_TYPE)) { event.preventDefault(); list.classList.add("cjm-drop"); }
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

/**
 * Tell the CSS how tall a closed card is (--cjm-card-height, base.css), once per view.
 * A card off screen is not laid out (content-visibility) and takes that height instead; a
 * wrong guess (64px against 46px here) made an unfolded list shrink by ~20 px a card as the
 * cards near the screen were drawn, frames after a scroll: "Show first 40" at the end of
 * 1,667 cards jumped some 400 px away between the press and the release, and the click
 * was lost. Measured after the frame that drew the long list, on a card that is drawn.
 */
function measureCards(ctx) {
  if (ctx.ui.cardHeight || ctx.ui.measuring) return;
  ctx.ui.measuring = true;
  requestAnimationFrame(() => {
    ctx.ui.measuring = false;
    const drawn = [...ctx.viewport.querySelectorAll(".cjm-card")].find((c) =>
      !c.querySelector(".cjm-details") && (c.checkVisibility?.({ contentVisibilityAuto: true }) ?? true));
    const height = drawn ? Number.parseFloat(getComputedStyle(drawn).height) : 0;
    if (!(height > 0)) return; // none on screen: the next long list measures
    ctx.ui.cardHeight = height;
    ctx.viewport.style.setProperty("--cjm-card-height", `${height}px`);
  });
}

/**
 * The touchpoint cell of one stage. The cell, its list and its add field keep their nodes;
 * a card is built again only when its row changed (a rename redraws one card, not forty).
 */
export function touchpointCell(ctx, ix, stage) {
  const sid = stage.id;
  const tps = ix.touchpoints.get(sid) || [];
  const [shown, more] = firstRows(ctx, `tps:${sid}`, tps, "touchpoints", stage.name || sid);
  if (shown.length > FIRST_ROWS) measureCards(ctx);
  const cards = shown.map((tp, i) => ctx.cell(`card:${tp.id}`, cardDeps(ctx, ix, tp, i, tps.length), () => card(ctx, ix, tp)));
  const list = patchChildren(ctx.box(`tps:${sid}`, () => cardList(ctx, ix, sid)), cards);
  const add = ctx.cell(`add-tp:${sid}`, [], () => addField({ key: `new-tp:${sid}`, label: "New touchpoint", ctx,
    onAdd: (name, key) => ctx.edit("add_touchpoint", { stage: sid, name }, { key, value: name, draft: true }) }));
  return patchChildren(ctx.box(`cell:tps:${sid}`, () => h("div", { class: "cjm-cell" })), [list, more, add]);
}
