"""Behavioural segments: customers grouped by how they moved through a journey."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Unpack

import pandas as pd

from .._deprecate import renamed_keywords
from ..errors import ValidationError
from .segment import SegmentResult, segment_customers

if TYPE_CHECKING:  # analytics is imported on first use (it brings DuckDB)
    from ..analytics.metrics import FunnelOptions

#: the log's old column keywords (analytics' ``LOG_COLUMNS``, not imported: see above)
_LOG_COLUMNS = {
    "customer": "customer_col",
    "time": "time_col",
    "event": "event_col",
    "segment": "segment_col",
}

__all__ = ["BEHAVIOUR_FEATURES", "DEFAULT_FEATURES", "behavioural_segments", "behaviour_table"]

#: The per-customer features available, from ``analytics.customer_profiles``:
#: furthest stage reached (1-based position in the journey), distinct stages reached,
#: distinct touchpoints used, mapped events, hours from first to last mapped event,
#: hours to convert (see :func:`behaviour_table`), whether they converted, and their
#: stage path (the :data:`TOP_PATHS` commonest, the rest ``"(other)"``).
BEHAVIOUR_FEATURES = (
    "furthest_stage",
    "stages",
    "touchpoints",
    "events",
    "hours",
    "hours_to_convert",
    "converted",
    "path",
)
#: segmented on when ``features`` is not given: path and time to convert are opt-in, as the
#: path (one category per path) otherwise dominates the distances and splits by path alone
DEFAULT_FEATURES = ("furthest_stage", "stages", "events", "hours", "converted")
#: paths kept as their own category; rarer ones are pooled as ``"(other)"``
TOP_PATHS = 8
#: non-converters' ``hours_to_convert``: this many times the slowest converter's
NOT_CONVERTED_FACTOR = 1.5


@renamed_keywords(**_LOG_COLUMNS)
def behaviour_table(events: Any, journey: Any, **options: Unpack[FunnelOptions]) -> pd.DataFrame:
    """One row per customer with the :data:`BEHAVIOUR_FEATURES` (and ``customer_id``).

    ``options`` go to :func:`cjm_jupyter.analytics.customer_profiles`
    (``mapping``, ``customer_col``, ``time_col``, ``event_col``, ``start``,
    ``goal``, ``mode``; see :class:`~cjm_jupyter.analytics.metrics.FunnelOptions`):
    one analysis pass gives every feature.

    ``hours_to_convert`` is the time from the first mapped event to reaching
    the goal (``converted_at - first_seen``, in the funnel's mode). A
    non-converter has none; they get :data:`NOT_CONVERTED_FACTOR` (1.5) times
    the slowest converter's time, so "never converted" sorts after every
    converter on this numeric axis, without the extreme value that would
    dominate the standardized distances (``converted`` already says who
    converted; a median fill would instead place them among the converters).
    When nobody converted the column is 0 for all (it then separates nobody).

    ``path`` is the stage path by name (repeats collapsed, as in
    ``analytics.variants``): the :data:`TOP_PATHS` commonest paths (ties by
    path text) as they are, every other one as ``"(other)"``, so a rare path
    does not become a category of its own.
    """
    from ..analytics import customer_profiles  # analytics stays out of import cjm_jupyter

    p = customer_profiles(events, journey, **options)
    order = dict(zip(journey.stages["id"], journey.stages["order"], strict=True))
    names = dict(zip(journey.stages["id"], journey.stages["name"], strict=True))
    to_convert = (p["converted_at"] - p["first_seen"]).dt.total_seconds() / 3600
    slowest = to_convert.max()
    to_convert = to_convert.fillna(0.0 if pd.isna(slowest) else slowest * NOT_CONVERTED_FACTOR)
    path = p["path"].astype("string")
    counts = path.value_counts()
    counts = counts.rename_axis("path").reset_index().sort_values(["count", "path"], ascending=[False, True])
    top = set(counts["path"].head(TOP_PATHS))
    path = path.where(path.isin(top), "(other)")
    labels = {v: " > ".join(names[i] for i in v.split(" > ")) for v in top}
    return pd.DataFrame(
        {
            "customer_id": p["customer_id"].astype("string"),
            "furthest_stage": p["furthest_stage_id"].map(order).astype("float64") + 1,
            "stages": p["stages"].astype("float64"),
            "touchpoints": p["touchpoints"].astype("float64"),
            "events": p["events"].astype("float64"),
            "hours": p["duration"].dt.total_seconds() / 3600,
            "hours_to_convert": to_convert.astype("float64"),
            # a category, not 0/1: the profile then reads "converted = True: 80% vs 5%"
            "converted": p["converted"].map({True: "yes", False: "no"}).astype("string"),
            "path": path.map(lambda v: labels.get(v, v)).astype("string"),
        }
    )


@renamed_keywords(**_LOG_COLUMNS)
def behavioural_segments(
    events: Any,
    journey: Any,
    *,
    k: int | None = None,
    seed: int = 0,
    features: Sequence[str] = DEFAULT_FEATURES,
    **options: Unpack[FunnelOptions],
) -> SegmentResult:
    """Segment customers by their path through ``journey``, as :func:`segment_customers` does.

    Parameters
    ----------
    events : DataFrame, path or Spark DataFrame
        The event log, as for every analytics function.
    journey : Journey
        With an event mapping (or pass ``mapping=``).
    k, seed
        As for :func:`segment_customers` (k by silhouette over 2..8 when not given).
    features : list of str
        Columns of :func:`behaviour_table` to segment on (among
        :data:`BEHAVIOUR_FEATURES`; default :data:`DEFAULT_FEATURES`).
    **options
        Passed to :func:`cjm_jupyter.analytics.customer_profiles`
        (``mapping``, ``customer_col``, ``time_col``, ``event_col``,
        ``segment_col``, ``start``, ``goal``, ``mode``; see
        :class:`~cjm_jupyter.analytics.metrics.FunnelOptions`).

    Returns
    -------
    SegmentResult
        Assignments indexed by customer id (text, as in ``customer_profiles``:
        join with ``log[customer_col].astype(str)``), the profile of the features,
        and a definition naming the features and their source.

    Raises
    ------
    ValidationError
        ``features`` empty or naming a feature not in
        :data:`BEHAVIOUR_FEATURES`; the checks of
        :func:`cjm_jupyter.analytics.customer_profiles` (log, mapping,
        columns, goal) and of :func:`segment_customers` (too few customers,
        a bad ``k``, customers that all look alike).
    ImportError
        scikit-learn or scipy missing: ``pip install "cjm_jupyter[personas]"``.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.analytics import make_events
    >>> from cjm_jupyter.personas import behavioural_segments
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=50, seed=1)
    >>> result = behavioural_segments(log, j, k=3, seed=0)
    >>> result.k, result.assignments.name, int(result.sizes().sum())
    (3, 'segment', 50)
    >>> sorted(result.profile["column"].unique())
    ['converted', 'events', 'furthest_stage', 'hours', 'stages']
    """
    if isinstance(features, str):
        features = [features]
    unknown = [f for f in features if f not in BEHAVIOUR_FEATURES]
    if unknown or not features:
        raise ValidationError(
            f"features must be among {list(BEHAVIOUR_FEATURES)}", column="features", value=unknown or features
        )
    table = behaviour_table(events, journey, **options)
    result = segment_customers(table, columns=list(features), k=k, seed=seed, customer_col="customer_id")
    definition = json.loads(result.definition)
    definition.update(data="behaviour", features_from="analytics.customer_profiles", features=list(features))
    text = json.dumps(definition, ensure_ascii=False)
    result.profile.attrs["definition"] = text
    return dataclasses.replace(result, definition=text)
