// Look-up tables of a journey snapshot: stages in order, rows grouped by the stage they sit in.
import { NO_PERSONA_LABEL } from "../lib/labels.js";
import { placer } from "./placement.js";

function byOrder(a, b) { return (a.order ?? 0) - (b.order ?? 0); }

function groupByStage(rows, stageOf, frame) {
  const out = new Map();
  const loose = [];
  for (const row of rows || []) {
    const stage = stageOf(frame, row);
    if (stage === null) loose.push(row);
    else { if (!out.has(stage)) out.set(stage, []); out.get(stage).push(row); }
  }
  return [out, loose];
}

/**
 * Index a snapshot for drawing. With `into`, that object is filled in place and returned: event
 * handlers of cells kept from an earlier draw hold it and so read the current rows.
 */
export function indexSnapshot(snap, into = {}) {
  const stages = [...(snap.stages || [])].sort(byOrder);
  const touchpoints = new Map(stages.map((s) => [s.id, []]));
  const tpById = new Map();
  for (const tp of snap.touchpoints || []) {
    tpById.set(tp.id, tp);
    if (touchpoints.has(tp.stage_id)) touchpoints.get(tp.stage_id).push(tp);
  }
  for (const list of touchpoints.values()) list.sort(byOrder);
  const stageOf = placer(snap); // the model's rule (model/placement.py), see placement.js
  const [emotions] = groupByStage(snap.emotions, stageOf, "emotions");
  const [pains] = groupByStage(snap.pain_points, stageOf, "pain_points");
  const [opportunities, looseOpportunities] = groupByStage(snap.opportunities, stageOf, "opportunities");
  const [actions, looseActions] = groupByStage(snap.actions, stageOf, "actions");
  const [metrics, looseMetrics] = groupByStage(snap.metrics, stageOf, "metrics");
  const [goals, looseGoals] = groupByStage(snap.goals, stageOf, "goals");
  const lanes = new Map(); // lane name -> stage id -> cell row, lanes in the order first seen
  for (const row of snap.lanes || []) {
    if (!lanes.has(row.lane)) lanes.set(row.lane, new Map());
    lanes.get(row.lane).set(row.stage_id, row);
  }
  const personas = snap.personas || [];
  return Object.assign(into, {
    stages, touchpoints, tpById, emotions, pains, opportunities, looseOpportunities, actions, looseActions,
    personas, personaById: new Map(personas.map((p) => [p.id, p])), metrics, looseMetrics, goals, looseGoals, lanes,
  });
}

/** "Search engine" for a touchpoint row, "(stage)" for a stage-level row. */
export function placeName(ix, row) {
  return row.touchpoint_id ? (ix.tpById.get(row.touchpoint_id)?.name ?? row.touchpoint_id) : "whole stage";
}

/** The persona's name, or NO_PERSONA_LABEL ("All personas") for rows without one. */
export function personaName(ix, id) {
  return id ? (ix.personaById.get(id)?.name ?? id) : NO_PERSONA_LABEL;
}
