// Redraws that keep DOM nodes: a cell is built again only when one of its inputs changed,
// and containers keep the children that are still wanted where they are. Untouched controls
// are never removed, so they keep focus, selection, typed text and their listeners; a delta
// that changes one touchpoint redraws its card, not its stage's forty or the map's 2,400.

function sameDeps(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Per-view memory of the cells drawn in the last pass.
 *
 * A pass runs between `begin()` and `end()`; nodes not asked for in a pass are forgotten.
 */
export function createMemo() {
  let last = new Map(); // key -> {deps, node}
  let next = new Map();
  /**
   * The node of cell `key`: last pass's when every dep is the same value (===) as then,
   * otherwise `render()`. Deps list everything the cell reads while it is built (rows
   * compare by identity: unchanged rows keep their objects, see store.js).
   * @param {string} key unique in one pass
   * @param {Array} deps
   * @param {() => Node} render
   */
  function cell(key, deps, render) {
    const hit = next.has(key) ? null : last.get(key); // a key twice in a pass: build it again
    const node = hit && sameDeps(hit.deps, deps) ? hit.node : render();
    next.set(key, { deps, node });
    return node;
  }
  /** A value that stays the same (===) while `items` hold the same values: one dep for a list. */
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
      if (fresh) last = new Map();
      next = new Map();
    },
    end() {
      last = next;
      next = new Map();
    },
  };
}

/**
 * Make `parent`'s children exactly `nodes` (nulls skipped), moving or removing only what differs.
 * A child no longer wanted is removed before the walk goes past it, so a replaced node costs one
 * removal and one insertion, not a move of every sibling after it (each move is a relayout).
 */
export function patchChildren(parent, nodes) {
  const children = [];
  for (const node of nodes) {
    if (node === null || node === undefined || node === false) continue;
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
    if (child === cursor) { cursor = cursor.nextSibling; continue; }
    parent.insertBefore(child, cursor);
  }
  while (cursor) {
    const after = cursor.nextSibling;
    cursor.remove();
    cursor = after;
  }
  return parent;
}
