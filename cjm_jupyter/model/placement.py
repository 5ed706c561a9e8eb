"""Where a row sits in the journey: which stage (and touchpoint) it belongs to.

One rule for the map, the focused plots, the notebook summary and the model:

- a stage sits in itself; a touchpoint in its ``stage_id``;
- a row at a touchpoint (``touchpoint_id``) sits in that touchpoint's stage,
  else a row with a ``stage_id`` in that stage (the touchpoint is the more
  precise place, so it wins when both are filled);
- an opportunity without a place of its own sits where its pain point sits
  (``pain_point_id``), touchpoint included;
- an action without a stage of its own sits in its opportunity's stage
  (``opportunity_id``);
- anything else (a persona, an empathy note, a row with no place) has none.

The editor's view keeps one copy of the rule in JavaScript
(``js/journey/placement.js``): a delta carries only the rows that changed,
and a touchpoint moved to another stage moves the rows placed at it without
changing them. ``tests/widgets/test_placement.py`` runs both on the same
frames.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

__all__ = ["place_of_rows", "stage_of", "stage_of_rows"]


def _ids(df: pd.DataFrame, column: str) -> pd.Series:
    """``df[column]`` as objects with None for missing (all None without the column)."""
    if column in df.columns:
        return df[column].astype(object).where(df[column].notna(), None)
    return pd.Series([None] * len(df), index=df.index, dtype=object)


def stage_of(
    touchpoints: pd.DataFrame, *, stage_id: pd.Series | None = None, touchpoint_id: pd.Series | None = None
) -> pd.Series:
    """Return the stage of places given by a ``stage_id`` and/or a ``touchpoint_id`` each.

    Parameters
    ----------
    touchpoints : DataFrame
        The journey's touchpoints (``id``, ``stage_id``).
    stage_id, touchpoint_id : Series, optional
        Aligned series (same index); either may be left out.

    Returns
    -------
    Series
        Stage ids (object dtype, None where there is no place), on the index
        of the series given: the touchpoint's stage when the touchpoint is
        known, else ``stage_id``.
    """
    index = (touchpoint_id if touchpoint_id is not None else stage_id).index  # type: ignore[union-attr]
    none = pd.Series([None] * len(index), index=index, dtype=object)
    own = none if stage_id is None else stage_id.astype(object).where(stage_id.notna(), None)
    if touchpoint_id is None:
        return own
    ids, stages = touchpoints["id"].astype(object), touchpoints["stage_id"].astype(object)
    stage_by_tp = dict(zip(ids, stages, strict=True))
    via = touchpoint_id.astype(object).map(lambda t: None if t is None or pd.isna(t) else stage_by_tp.get(t))
    stage = via.where(via.notna(), own).astype(object)
    return stage.where(stage.notna(), None)


def place_of_rows(frames: Mapping[str, pd.DataFrame], frame: str) -> pd.DataFrame:
    """Return the place of every row of ``frames[frame]``: its ``stage_id`` and ``touchpoint_id``.

    Parameters
    ----------
    frames : mapping of str to DataFrame
        The journey's frames by name (``Journey._frames`` or the filtered
        frames a plot draws); ``touchpoints`` is needed, and ``pain_points``
        for opportunities and ``opportunities`` (with ``pain_points``) for
        actions.
    frame : str
        The frame whose rows are placed.

    Returns
    -------
    DataFrame
        On the frame's index: ``stage_id`` (see :func:`stage_of_rows`) and
        ``touchpoint_id`` (the row's own, or for an opportunity without a
        place of its own its pain point's; None for stage-level rows).
    """
    df = frames[frame]
    if frame == "stages":
        return pd.DataFrame({"stage_id": _ids(df, "id"), "touchpoint_id": _ids(df, "_none")})
    tps = frames["touchpoints"]
    if frame == "touchpoints":
        return pd.DataFrame({"stage_id": _ids(df, "stage_id"), "touchpoint_id": _ids(df, "id")})
    tp = _ids(df, "touchpoint_id")
    place = pd.DataFrame(
        {"stage_id": stage_of(tps, stage_id=_ids(df, "stage_id"), touchpoint_id=tp), "touchpoint_id": tp}
    )
    if frame == "opportunities" and "pain_point_id" in df.columns:
        pains = place_of_rows(frames, "pain_points").set_axis(frames["pain_points"]["id"].astype(object))
        missing = place["stage_id"].isna()
        via = _ids(df, "pain_point_id")
        for col in ("stage_id", "touchpoint_id"):
            inherited = via.map(lambda p, col=col: None if p is None else pains[col].get(p))
            place.loc[missing, col] = inherited[missing]
    elif frame == "actions" and "opportunity_id" in df.columns:
        opps = stage_of_rows(frames, "opportunities").set_axis(frames["opportunities"]["id"].astype(object))
        via = _ids(df, "opportunity_id").map(lambda o: None if o is None else opps.get(o))
        place["stage_id"] = place["stage_id"].where(place["stage_id"].notna(), via)
    return place.astype(object).where(place.notna(), None)


def stage_of_rows(frames: Mapping[str, pd.DataFrame], frame: str) -> pd.Series:
    """Return the stage id of every row of ``frames[frame]`` (None where the row has no place).

    The rule is the module's (see :mod:`cjm_jupyter.model.placement`): a
    touchpoint's stage for rows at a touchpoint, else the row's own
    ``stage_id``; opportunities fall back to their pain point, actions to
    their opportunity.

    Examples
    --------
    >>> from cjm_jupyter import templates
    >>> j = templates.load("colleen")
    >>> stages = stage_of_rows(j._frames, "emotions")
    >>> bool(stages.isin(j.stages["id"]).all())
    True
    """
    return place_of_rows(frames, frame)["stage_id"].rename("stage_id")
