"""The editor places rows in stages by the model's rule: js/journey/placement.js gives the
stage of every row that cjm_jupyter.model.placement.stage_of_rows gives, on the same frames.

The view keeps its own copy of the rule because a delta carries only the rows that changed
(a touchpoint moved to another stage moves the rows placed at it without changing them), so
this test is what keeps the two in step. It runs the JS module in node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cjm_jupyter import Journey, JourneyEditor, templates
from cjm_jupyter.model.placement import stage_of_rows

from ..support.journeys import build_small_journey
from ..support.paths import ROOT
from ..support.strategies import journeys

PLACEMENT = ROOT / "js" / "journey" / "placement.js"
#: The frames the editor places in stages (touchpoints too: the grid's columns).
FRAMES = ("touchpoints", "emotions", "pain_points", "opportunities", "actions", "metrics", "goals")

SCRIPT = """
const { placer } = await import(process.argv[1]);
let text = "";
for await (const chunk of process.stdin) text += chunk;
const out = JSON.parse(text).map(({ snapshot, frames }) => {
  const stageOf = placer(snapshot);
  return Object.fromEntries(frames.map((f) => [f, (snapshot[f] || []).map((row) => stageOf(f, row))]));
});
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is needed on CI to check the editor's placement rule")
        pytest.skip("node not installed")
    return node


def _js_stages(journeys: list[Journey]) -> list[dict[str, list[Any]]]:
    """What placement.js says for each journey's editor snapshot (the rows the view receives)."""
    payload = []
    for j in journeys:
        snapshot = json.loads(json.dumps(JourneyEditor(j).snapshot))
        payload.append({"snapshot": snapshot, "frames": list(FRAMES)})
    done = subprocess.run(
        [_node(), "--input-type=module", "-e", SCRIPT, PLACEMENT.as_uri()],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _py_stages(j: Journey) -> dict[str, list[Any]]:
    frames = j.frames
    return {f: stage_of_rows(frames, f).tolist() for f in FRAMES}


def _inheriting_journey() -> Journey:
    """Every case of the rule: touchpoint over stage, opportunities via their pain point,
    actions via their opportunity, rows with no place."""
    j = Journey("Placement")
    a, b = j.add_stage("A"), j.add_stage("B")
    ta, tb = j.add_touchpoint(a, "In A"), j.add_touchpoint(b, "In B")
    j.set_emotion(None, touchpoint=tb, score=1)
    j.set_emotion(None, stage=a, score=-1)
    p_tb = j.add_pain_point("At a touchpoint of B", touchpoint=tb)
    p_a = j.add_pain_point("At stage A", stage=a)
    o_via = j.add_opportunity("No place, its pain point at B's touchpoint", pain_point=p_tb)
    o_own = j.add_opportunity("Own stage A wins over its pain point", stage=a, pain_point=p_tb)
    o_tp = j.add_opportunity("At a touchpoint of A", touchpoint=ta, pain_point=p_a)
    o_none = j.add_opportunity("No place, no pain point")
    j.add_action("Via its opportunity", opportunity=o_via)
    j.add_action("Own stage B", stage=b, opportunity=o_own)
    j.add_action("Via an opportunity at a touchpoint", opportunity=o_tp)
    j.add_action("Via an opportunity with no place", opportunity=o_none)
    j.add_action("Journey-wide")
    j.add_metric("Loose", 1.0)
    j.add_metric("At B's touchpoint", 2.0, touchpoint=tb)
    j.add_goal("Journey-wide", 3.0, ">=")
    j.add_goal("At A", 3.0, ">=", stage=a)
    return j


def test_hand_cases_place_rows_as_the_model_does() -> None:
    j = _inheriting_journey()
    [js] = _js_stages([j])
    assert js == _py_stages(j)
    # and the rule is the one the editor shows: the stage cells and "not tied to a stage"
    assert js["opportunities"] == ["b", "a", "a", None]
    assert js["actions"] == ["b", "b", "a", None, None]
    assert js["metrics"] == [None, "b"]


def test_templates_and_the_test_journey_place_rows_as_the_model_does() -> None:
    maps = [templates.load(name) for name in templates.names()] + [build_small_journey()]
    for j, js in zip(maps, _js_stages(maps), strict=True):
        assert js == _py_stages(j), j.name


# Three journeys an example: one node process for three (starting node is most of the cost).
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(journeys(), min_size=3, max_size=3))
def test_random_journeys_place_rows_as_the_model_does(maps: list[Journey]) -> None:
    for j, js in zip(maps, _js_stages(maps), strict=True):
        assert js == _py_stages(j)
