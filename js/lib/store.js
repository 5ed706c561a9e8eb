// The journey a view draws, kept current from the kernel: the whole snapshot once, then one
// delta per change (see cjm_jupyter/widgets/_snapshot.py for their shape).
//
// Rows that did not change keep their objects, whether they came in a delta or in a new
// whole snapshot: views compare rows by identity to know which cells they must draw again.

import { decodeColumns, isColumns, isSaved } from "./columns.js";

/**
 * A frame's rows (or the journey's meta data) from what the model holds: JSON text
 * (snapshot_to_json in Python), a frame in column form (columns.js), a value kept for saving
 * (Saved) or plain values.
 */
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

/** `rows`, with each row equal to the current row of the same id replaced by that row. */
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
  return same ? current : out; // nothing changed: keep the very array
}

/** One frame after a delta: {rows} replaces it; {upsert, remove, order} patches it. */
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
  out.push(...upsert.values()); // new rows, in the frame's order
  if (!Array.isArray(change.order)) return out;
  const byId = new Map(out.map((r) => [r.id, r]));
  return change.order.map((id) => byId.get(id)).filter(Boolean);
}

/**
 * A view's copy of the journey.
 * @returns {{snapshot: object, version: number, full: (raw: object) => boolean, apply: (delta: object) => string}}
 */
export function createStore() {
  let snap = { version: -1 };
  const texts = new Map(); // frame -> [JSON text, rows parsed from it]: parse each text once

  return {
    /** The current snapshot: version, journey (meta data) and one array of rows per frame. */
    get snapshot() { return snap; },
    get version() { return snap.version; },

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
      if (typeof delta === "string") delta = JSON.parse(delta); // JSON text (delta_to_json in Python)
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
    },
  };
}
