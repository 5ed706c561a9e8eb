"""Behavioural segments: customers grouped by how they moved through a journey."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ..errors import ValidationError
from .segment import SegmentResult, segment_customers

__all__ = ["BEHAVIOUR_FEATURES", "behavioural_segments", "behaviour_table"]

#: The per-customer features segmented on by default, from ``analytics.customer_profiles``:
#: furthest stage reached (1-based position in the journey), distinct stages reached,
#: mapped events, hours from first to last mapped event, and whether they converted.
BEHAVIOUR_FEATURES = ("furthest_stage", "stages", "events", "hours", "converted")


def behaviour_table(events: Any, journey: Any, **options: Any) -> pd.DataFrame:
    """One row per customer with the :data:`BEHAVIOUR_FEATURES` (and ``customer_id``).

    ``options`` go to :func:`cjm_jupyter.analytics.customer_profiles`
    (``mapping``, ``customer``, ``time``, ``event``...).
    """
    from ..analytics import customer_profiles  # analytics stays out of import cjm_jupyter

    p = customer_profiles(events, journey, **options)
    order = dict(zip(journey.stages["id"], journey.stages["order"], strict=True))
    return pd.DataFrame(
        {
            "customer_id": p["customer_id"].astype("string"),
            "furthest_stage": p["furthest_stage_id"].map(order).astype("float64") + 1,
            "stages": p["stages"].astype("float64"),
            "events": p["events"].astype("float64"),
            "hours": p["duration"].dt.total_seconds() / 3600,
            # a category, not 0/1: the profile then reads "converted = True: 80% vs 5%"
            "converted": p["converted"].map({True: "yes", False: "no"}).astype("string"),
        }
    )


def behavioural_segments(
    events: Any,
    journey: Any,
    *,
    k: int | None = None,
    seed: int = 0,
    features: Sequence[str] = BEHAVIOUR_FEATURES,
    **options: Any,
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
        Columns of :func:`behaviour_table` to segment on.
    **options
        Passed to :func:`cjm_jupyter.analytics.customer_profiles`
        (``mapping``, ``customer``, ``time``, ``event``...).

    Returns
    -------
    SegmentResult
        Assignments indexed by customer id (text, as in ``customer_profiles``:
        join with ``log[customer].astype(str)``), the profile of the features,
        and a definition naming the features and their source.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> from cjm_jupyter.analytics import make_events
    >>> from cjm_jupyter.personas import behavioural_segments
    >>> j = templates.load("colleen")
    >>> log = make_events(j, customers=300, seed=1)
    >>> result = behavioural_segments(log, j, k=3, seed=0)
    >>> result.k, result.assignments.name
    (3, 'segment')
    """
    if isinstance(features, str):
        features = [features]
    unknown = [f for f in features if f not in BEHAVIOUR_FEATURES]
    if unknown or not features:
        raise ValidationError(
            f"features must be among {list(BEHAVIOUR_FEATURES)}", column="features", value=unknown or features
        )
    table = behaviour_table(events, journey, **options)
    result = segment_customers(table, columns=list(features), k=k, seed=seed, id="customer_id")
    definition = json.loads(result.definition)
    definition.update(data="behaviour", features_from="analytics.customer_profiles", features=list(features))
    text = json.dumps(definition, ensure_ascii=False)
    result.profile.attrs["definition"] = text
    return dataclasses.replace(result, definition=text)
