// Frames column by column, as cjm_jupyter/widgets/_columns.py sends and saves them:
// {n, columns: {name: column}}, a column being null (all null), {values, codes} (few distinct
// values) or the list of cells. A list of row objects repeats each column name in every row:
// for a 100,000-touchpoint map that was most of the saved widget state.

const DISTINCT_SHARE = 0.25; // as in _columns.py: the encodings must agree
const MIN_ROWS = 16;

/** Whether `value` is a frame in column form. */
export function isColumns(value) {
  return !!value && typeof value === "object" && !Array.isArray(value)
    && typeof value.n === "number" && !!value.columns && typeof value.columns === "object";
}

/** The rows of a frame in column form, one object per row. */
export function decodeColumns({ n, columns }) {
  const names = Object.keys(columns);
  const cells = names.map((name) => {
    const column = columns[name];
    if (column === null || column === undefined) return null;
    if (Array.isArray(column)) return column;
    const { values, codes } = column;
    return codes.map((code) => values[code]);
  });
  const rows = new Array(n);
  for (let i = 0; i < n; i += 1) {
    const row = {};
    for (let k = 0; k < names.length; k += 1) row[names[k]] = cells[k] === null ? null : (cells[k][i] ?? null);
    rows[i] = row;
  }
  return rows;
}

function encodeColumn(cells) {
  if (cells.every((c) => c === null || c === undefined)) return null;
  if (cells.length >= MIN_ROWS && cells.every((c) => c === null || typeof c === "string")) {
    const index = new Map();
    const codes = cells.map((c) => { if (!index.has(c)) index.set(c, index.size); return index.get(c); });
    if (index.size <= DISTINCT_SHARE * cells.length) return { values: [...index.keys()], codes };
  }
  return cells.map((c) => (c === undefined ? null : c));
}

/** `rows` (objects with the same keys) in column form. */
export function encodeColumns(rows) {
  const names = rows.length ? Object.keys(rows[0]) : [];
  const columns = {};
  for (const name of names) columns[name] = encodeColumn(rows.map((r) => r[name]));
  return { n: rows.length, columns };
}

/**
 * A value of the model's saved snapshot (a frame's rows, the journey's meta data): code reads
 * `value`; JSON (what JupyterLab's "Save Widget State" writes) gets it as text, frames in column
 * form, with no "<" (as json_text in Python), so saved state is what the kernel would send.
 */
export class Saved {
  constructor(value) { this.value = value; this.cjmSaved = true; }
  toJSON() {
    const data = Array.isArray(this.value) ? encodeColumns(this.value) : this.value;
    return JSON.stringify(data).replace(/</g, "\\u003c");
  }
}

/** Whether `value` is a Saved (checked by shape: another copy of this module may have made it). */
export function isSaved(value) {
  return !!value && typeof value === "object" && value.cjmSaved === true && typeof value.toJSON === "function";
}
