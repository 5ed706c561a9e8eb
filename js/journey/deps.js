// What the cells of the grid read while they are built, as memo deps (see lib/memo.js): rows
// compare by identity, and a list of rows becomes one token that changes when any row does.
//
// The default is wide on purpose: a cell may read any row but other stages' touchpoints (option
// lists name every stage, pain point, opportunity...). Touchpoints, the one frame that grows to
// thousands of rows, count only for their own stage. A cell that reads less says so below.

/** Deps of the cells of one drawGrid pass. */
export function gridDeps(ctx, ix) {
  const n = ix.stages.length;
  const small = []; // every row of every frame but touchpoints, new frames included
  for (const [name, rows] of Object.entries(ctx.snapshot)) {
    if (Array.isArray(rows) && name !== "touchpoints") small.push(...rows);
  }
  small.push(ctx.snapshot.journey);
  const shared = ctx.token("shared", small);
  const tps = (s) => ctx.token(`tps:${s.id}`, ix.touchpoints.get(s.id) || []);
  return {
    /** The default: a cell of stage `s` (column `i`) reading its touchpoints and any other row. */
    stage: (s, i) => [s, i, n, tps(s), shared],
    /** A stage's header: the stage and its place (stages.js reads nothing else). */
    header: (s, i) => [s, i, n],
    /** Cells outside the stage columns (headers of custom lanes, journey-wide lists). */
    shared: () => [shared],
    /** Touchpoint cards: the stage's touchpoints and the cell's UI state; open details list the stages. */
    touchpoints: (s) => [s, tps(s), ctx.ui.allCards?.has(s.id) ?? false, ctx.ui.open?.size ? shared : null],
    /** Emotion details: the stage's touchpoints and emotions, and the personas. */
    emotions: (s) => [s, tps(s), ctx.token(`emotions:${s.id}`, ix.emotions.get(s.id) || []), ctx.token("personas", ix.personas)],
    /** The emotion curve: stages, emotions, personas and where each touchpoint sits. */
    curve: () => [shared, ...ix.stages.map(tps)],
  };
}
