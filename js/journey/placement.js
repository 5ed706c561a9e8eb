// Which stage a row sits in: the rule of cjm_jupyter/model/placement.py (stage_of_rows), kept
// here once. The view needs it between kernel messages: a delta carries only the rows that
// changed, and a touchpoint moved to another stage moves every row placed at it without
// changing those rows. tests/test_widgets_placement.py runs this and the Python rule on the
// same frames and asks for the same answers.
//
// - a row at a touchpoint sits in that touchpoint's stage, else in its own stage_id;
// - an opportunity with no place of its own sits where its pain point sits;
// - an action with no stage of its own sits in its opportunity's stage;
// - anything else has no stage (null).

const known = (v) => v !== null && v !== undefined;

/**
 * The placing function of a snapshot: `stageOf(frame, row)` gives the stage id of a row of
 * `frame` ("touchpoints", "emotions", "pain_points", "opportunities", "actions", "metrics",
 * "goals", "lanes"...) or null.
 * @param {object} snap a journey snapshot (frames as arrays of rows)
 * @returns {(frame: string, row: object) => (string | null)}
 */
export function placer(snap) {
  const tpStage = new Map((snap.touchpoints || []).map((t) => [t.id, t.stage_id ?? null]));
  const own = (row) => {
    const via = known(row.touchpoint_id) ? tpStage.get(row.touchpoint_id) : null;
    return known(via) ? via : (row.stage_id ?? null);
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
