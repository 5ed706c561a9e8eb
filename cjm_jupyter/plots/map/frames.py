"""The frames a map's lanes draw, filtered once for the personas, segment and period shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
from bokeh.models import ColumnDataSource

from ...model.goals import scorecard
from .emotions import emotion_source
from .lanes import MapContext
from .metrics import Periods, rows_of_period

if TYPE_CHECKING:
    from ...model.journey import Journey

__all__ = ["MapFrames"]


class MapFrames:
    """The journey's frames as the lanes draw them: filtered to the personas, segment and period shown."""

    def __init__(
        self,
        journey: Journey,
        emotions: pd.DataFrame,
        persona_ids: list[str] | None,
        periods: Periods,
        segment: tuple[str | None, Callable[[pd.DataFrame], pd.DataFrame]],
        comparison: pd.DataFrame | None,
    ) -> None:
        #: The one segment shown (None: all) and the filter keeping its rows.
        self.segment, segment_of = segment
        #: The journey itself (the metrics lane names segments by persona and colours them).
        self.journey = journey
        self.emotions = emotions
        self.periods = periods
        #: Every pain point: opportunities sit at their pain point's place.
        self.all_pain_points = journey.pain_points
        self.pain_points = _for_personas(self.all_pain_points, persona_ids, keep_missing=True)
        metrics = segment_of(_for_personas(journey.metrics, persona_ids, keep_missing=True))
        self.comparison = comparison
        self.metrics = rows_of_period(metrics, periods.shown)
        #: The previous period's rows: the deltas' base (none without one).
        self.previous_metrics = (
            rows_of_period(metrics, periods.previous).pipe(lambda df: df.loc[df["period"].notna()])
            if periods.previous is not None
            else metrics.iloc[:0]
        )
        #: Each goal against the value it is measured by, in the period shown.
        self.scores = scorecard(journey, period=periods.shown)
        self.opportunities = journey.opportunities
        self.actions = journey.actions
        self.lanes = journey.lanes
        self.touchpoints = journey.touchpoints
        self._points: ColumnDataSource | None = None

    def emotion_points(self, ctx: MapContext) -> ColumnDataSource:
        """Return the emotion points, made once.

        The emotions lane draws them and the thoughts lane hovers through them
        (one copy of the texts).
        """
        if self._points is None:
            self._points = emotion_source(ctx, self.emotions)
        return self._points


def _for_personas(df: pd.DataFrame, ids: list[str] | None, *, keep_missing: bool) -> pd.DataFrame:
    if ids is None:
        return df
    mask = df["persona_id"].isin(ids).fillna(False)
    if keep_missing:
        mask |= df["persona_id"].isna()
    return df.loc[mask]
