"""The map's lanes: one ordered registry of what each lane is called, needs and draws.

A lane is a :class:`Lane`: its name (what ``journey_map(lanes=...)`` takes),
the title in the left margin, whether the journey gives it something to
show (lanes without content are left out of the default map) and the
function that draws it. :data:`BUILTIN_LANES` holds the built-in lanes in
their default order; a journey's custom lanes follow them
(:func:`custom_lane`). Adding a lane to the map is adding one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bokeh.models import Plot

from .cards import (
    card_lane,
    custom_lane_items,
    customer_action_items,
    opportunity_items,
    pain_point_items,
    thought_items,
)
from .emotions import emotions_lane
from .lanes import MapContext, touchpoints_lane
from .metrics_table import metrics_table_lane
from .progress import actions_lane

if TYPE_CHECKING:
    from .frames import MapFrames

__all__ = ["BUILTIN_LANES", "LANES", "LANE_TITLES", "Lane", "custom_lane", "lane_of", "lanes_of"]


@dataclass(frozen=True)
class Lane:
    """One lane of the map.

    Attributes
    ----------
    name : str
        The lane's name, as ``journey_map(lanes=...)`` takes it.
    title : str
        The title shown in the left margin.
    has_content : callable
        ``has_content(frames)``: whether the frames shown give the lane
        something to draw (the default map leaves empty lanes out).
    build : callable
        ``build(ctx, frames, title)``: the lane's figure, titled ``title``.
    """

    name: str
    title: str
    has_content: Callable[[MapFrames], bool]
    build: Callable[[MapContext, MapFrames, str], Plot]

    def draw(self, ctx: MapContext, frames: MapFrames) -> Plot:
        """Draw the lane's figure under its own title."""
        return self.build(ctx, frames, self.title)


def _cards(name: str, items: Callable[[MapContext, MapFrames], tuple]) -> Callable[..., Plot]:
    """Return a builder of a text-card lane whose cards ``items(ctx, frames)`` makes."""

    def build(ctx: MapContext, f: MapFrames, title: str) -> Plot:
        return card_lane(ctx, name, title, *items(ctx, f))

    return build


def _thoughts(ctx: MapContext, f: MapFrames, title: str) -> Plot:
    # The thoughts hover through the emotion points: one copy of the texts.
    return card_lane(ctx, "thoughts", title, *thought_items(ctx, f.emotions), hover=f.emotion_points(ctx))


def _emotions(ctx: MapContext, f: MapFrames, title: str) -> Plot:
    return emotions_lane(ctx, f.emotions, title, f.emotion_points(ctx))


def _action_plan(ctx: MapContext, f: MapFrames, title: str) -> Plot:
    return actions_lane(ctx, title, f.actions, f.opportunities, f.all_pain_points)


def _metrics(ctx: MapContext, f: MapFrames, title: str) -> Plot:
    if f.periods.shown is not None:
        # the lane title names the period shown and the deltas' base
        base = [f"vs {f.periods.previous}"] if f.periods.previous else []
        title = "\n".join([title, f.periods.shown, *base])
    return metrics_table_lane(ctx, f, title)


#: The built-in lanes, in their default order (custom lanes follow them).
BUILTIN_LANES: tuple[Lane, ...] = (
    Lane(
        "actions",
        "Customer actions",
        lambda f: bool(f.touchpoints["action"].notna().any()),
        _cards("actions", lambda ctx, f: customer_action_items(ctx)),
    ),
    Lane(
        "touchpoints",
        "Touchpoints",
        lambda f: not f.touchpoints.empty,
        lambda ctx, f, title: touchpoints_lane(ctx, title),
    ),
    Lane("thoughts", "Thoughts", lambda f: bool(f.emotions["thought"].notna().any()), _thoughts),
    Lane("emotions", "Emotions", lambda f: not f.emotions.empty, _emotions),
    Lane(
        "pain_points",
        "Pain points",
        lambda f: not f.pain_points.empty,
        _cards("pain_points", lambda ctx, f: pain_point_items(ctx, f.pain_points)),
    ),
    Lane(
        "opportunities",
        "Opportunities",
        lambda f: not f.opportunities.empty,
        _cards("opportunities", lambda ctx, f: opportunity_items(ctx, f.opportunities, f.all_pain_points)),
    ),
    Lane("actions_plan", "Action plan", lambda f: not f.actions.empty, _action_plan),
    Lane("metrics", "Metrics", lambda f: not f.metrics.empty, _metrics),
)
#: Names of the built-in lanes, in their default order.
LANES: tuple[str, ...] = tuple(lane.name for lane in BUILTIN_LANES)
#: Titles shown in the left margin, by built-in lane name.
LANE_TITLES: dict[str, str] = {lane.name: lane.title for lane in BUILTIN_LANES}
_BY_NAME: dict[str, Lane] = {lane.name: lane for lane in BUILTIN_LANES}


def custom_lane(name: str) -> Lane:
    """Return the lane of the journey's custom lane ``name``: one text cell per stage.

    Its figure is named ``"lane:custom:<name>"`` and titled ``name``.
    """

    def has_content(f: MapFrames) -> bool:
        return bool(f.lanes.loc[(f.lanes["lane"] == name).fillna(False), "text"].notna().any())

    def build(ctx: MapContext, f: MapFrames, title: str) -> Plot:
        return card_lane(ctx, f"custom:{name}", title, *custom_lane_items(ctx, f.lanes, name))

    return Lane(name, name, has_content, build)


def lanes_of(lane_names: list[str]) -> list[Lane]:
    """Return every lane of a journey with the custom lanes ``lane_names``: built-in, then custom."""
    return [*BUILTIN_LANES, *(custom_lane(n) for n in lane_names)]


def lane_of(name: str, lane_names: list[str]) -> Lane | None:
    """Return the lane called ``name`` (a built-in name wins over a custom lane of that name), or None."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    return custom_lane(name) if name in lane_names else None
