// What the memoised pieces of the grid read while they are built, as memo deps (see
// lib/memo.js): rows compare by identity, and a list of rows becomes one token that changes
// when any row does.
//
// Cells of the lanes (touchpoints, emotion details, pain points, opportunities, actions,
// metrics) are not memoised whole: they keep their container and memoise each card or item
// on its own row (see touchpoints.js, items.js...). Selects that list other rows (stages,
// touchpoints, personas...) read them live and are refreshed in place (linked.js), so no
// cell depends on another stage's name: a stage rename rebuilds its header and little else.

/** Deps of the memoised pieces of one drawGrid pass, and the tokens of linked selects' sources. */
export function gridDeps(ctx, ix) {
  const n = ix.stages.length;
  const tps = (id) => ctx.token(`tps:${id}`, ix.touchpoints.get(id) || []);
  const stageIds = () => ctx.token("stage-ids", ix.stages.map((s) => s.id));
  // Where each emotion at a touchpoint sits and what its point is called.
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
      return name.startsWith("tps:") ? tps(name.slice(4)) : undefined;
    },
  };
}
