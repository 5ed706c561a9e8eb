"""The content comparison the editor scenario test relies on."""

from __future__ import annotations

from cjm_jupyter import Journey, templates
from cjm_jupyter.model.specs import FRAMES

from ..support.journey_compare import content_differences


def renamed_ids(journey: Journey) -> Journey:
    """The same content with every id replaced (as a map typed in the editor gets)."""
    doc = journey.copy()
    frames = {}
    mapping = {}
    for name, df in doc.frames.items():
        mapping[name] = {old: f"x{i}-{name}" for i, old in enumerate(df["id"])}
    for name, df in doc.frames.items():
        df = df.copy()
        df["id"] = df["id"].map(mapping[name]).astype("string")
        for col in FRAMES[name].refs:
            df[col.name] = df[col.name].map(mapping[col.ref]).astype("string")
        frames[name] = df
    return Journey(doc.name, scenario=doc.scenario, kind=doc.kind, description=doc.description, frames=frames)


def test_same_content_with_other_ids_matches():
    colleen = templates.load("colleen")
    other = renamed_ids(colleen)
    assert not other.personas["id"].equals(colleen.personas["id"])
    assert content_differences(other, colleen) == []


def test_differences_are_named():
    colleen = templates.load("colleen")
    changed = colleen.copy()
    changed.update("pain_points", "pain-3", severity=1)
    changed.remove("actions", "act-5")
    changed.update_stage("trigger", name="Breakdown")
    changed.set_meta(scenario="other")
    diffs = content_differences(changed, colleen)
    assert "pain_points 'No easy way to compare models with competitors' severity: '1' != '3'" in diffs
    assert (
        "actions: missing row 'Send review-collection surveys after purchase and pull testimonial quotes"
        " from them for the site'"
    ) in diffs
    assert "stages: missing row 'Trigger'" in diffs and "stages: unexpected row 'Breakdown'" in diffs
    assert any(d.startswith("meta scenario") for d in diffs)
    # a renamed stage changes the keys of what sits in it
    assert any(d.startswith("touchpoints: missing row 'Trigger / ") for d in diffs)
