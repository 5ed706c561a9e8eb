"""A persona card filled from a measured segment, leaving the story to a human."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from ..errors import ValidationError
from .segment import SegmentResult

__all__ = ["persona_from_segment", "TOP_TRAITS", "MIN_CUSTOMERS"]

#: Distinguishing traits written into the card's ``behaviour``.
TOP_TRAITS = 3
#: A persona stands for a group: a smaller segment is an outlier, not a persona.
MIN_CUSTOMERS = 2
#: Profile columns copied into the persona field of the same meaning (typical value).
_FIELDS = {
    "age": "age",
    "gender": "gender",
    "location": "location",
    "region": "location",
    "income": "income",
    "occupation": "occupation",
    "channel": "channels",
    "channels": "channels",
}
_NEEDED = ("segment", "size", "share", "column", "typical", "strength", "rank", "trait")


def persona_from_segment(
    journey: Any,
    profile: SegmentResult | pd.DataFrame,
    segment: Any,
    name: str | None = None,
    **fields: Any,
) -> str:
    """Add a persona made from one segment of a profile to ``journey``; return its id.

    The card gets the measured facts: ``description`` (segment, size, share,
    how it was found), ``behaviour`` (the top three distinguishing traits with
    their effect sizes), the typical value of profile columns that are persona
    fields (``age``, ``gender``, ``income``, ``occupation``, ``location`` or
    ``region``, ``channel``), and ``source`` (``"kmeans"``), ``basis``
    (``"measured"``), ``n`` (customers in the segment), ``segment`` (its label
    as text) and ``segment_definition`` (the run's JSON definition). Name,
    goals, needs, motivations, frustrations and the narrative are left to a
    human; the name defaults to ``"Segment 2 (name me)"``. ``fields`` set or
    override any persona field. With ``basis="measured"``,
    :func:`cjm_jupyter.plots.persona_cards` shows ``behaviour`` and
    ``channels`` under "Measured" (they come from the data), not "Stated".

    Parameters
    ----------
    journey : Journey
        The journey the persona is added to.
    profile : SegmentResult or DataFrame
        A result of :func:`segment_customers` / :func:`behavioural_segments`,
        or its ``.profile``.
    segment : int or str
        The segment label (``2`` or ``"2"``).
    name : str, optional
        The persona's name; default ``"Segment <label> (name me)"``. No other
        persona may have it as name or id.
    **fields
        Any persona field (``goals=``, ``needs=``, ``narrative=``...), set
        after (so overriding) the measured ones.

    Returns
    -------
    str
        The new persona's id.

    Raises
    ------
    ValidationError
        Not a profile, an unknown segment, a segment of fewer than 2
        customers, or a field the journey rejects. The journey is unchanged.

    Examples
    --------
    >>> from cjm_jupyter import Journey
    >>> from cjm_jupyter.personas import make_customers, segment_customers
    >>> t = make_customers(500, seed=2).drop(columns="planted_segment")
    >>> result = segment_customers(t, customer_col="customer_id", k=3)
    >>> j = Journey("Shop")
    >>> pid = j.add_persona_from_segment(result, 1)
    >>> j.personas.loc[0, "name"], j.personas.loc[0, "basis"]
    ('Segment 1 (name me)', 'measured')
    """
    frame, definition, source = _unpack(profile)
    rows = _rows(frame, segment)
    size = int(rows["size"].iloc[0])
    label = rows["segment"].iloc[0]
    if size < MIN_CUSTOMERS:
        raise ValidationError(
            f"segment {label} has {size} customer: too few to stand for a persona "
            f"(at least {MIN_CUSTOMERS})",
            column="segment",
            value=label,
        )
    values = {
        "description": _description(rows, label, definition, source),
        "behaviour": "; ".join(_top(rows)["trait"]),
        **_demographics(rows),
        "source": source,
        "basis": "measured",
        "n": size,
        "segment": str(label),
        "segment_definition": definition,
    }
    values.update(fields)
    name = f"Segment {label} (name me)" if name is None else name
    _check_name_is_free(journey, name)
    # add_persona validates before it commits: on any error the journey is unchanged
    return str(journey.add_persona(name, **values))


def _check_name_is_free(journey: Any, name: Any) -> None:
    """Refuse a name another persona has (as name or id): plots pick personas by id or name.

    Raises
    ------
    ValidationError
        Naming the persona that holds it.
    """
    personas = journey.personas
    for pid, other in zip(personas["id"], personas["name"], strict=True):
        if str(name) in (str(pid), str(other)):
            raise ValidationError(
                f"persona {pid!r} ({other}) already has the name {str(name)!r}: personas are picked by "
                "id or name in plots, so give this one another name",
                frame="personas",
                column="name",
                value=name,
            )


def _unpack(profile: Any) -> tuple[pd.DataFrame, str, str]:
    if isinstance(profile, SegmentResult):
        return profile.profile, profile.definition, str(profile.profile.attrs.get("source", "kmeans"))
    if not isinstance(profile, pd.DataFrame):
        raise ValidationError(
            f"profile must be a segment_customers result or its profile frame, not {type(profile).__name__}"
        )
    missing = [c for c in _NEEDED if c not in profile.columns]
    if missing:
        raise ValidationError(f"not a segment profile: no column {missing[0]!r}", column=missing[0])
    return profile, str(profile.attrs.get("definition", "")), str(profile.attrs.get("source", "segmentation"))


def _rows(frame: pd.DataFrame, segment: Any) -> pd.DataFrame:
    labels = frame["segment"]
    rows = frame[labels.astype(str) == str(segment)]  # 2 and "2" name the same segment
    if rows.empty:
        known = ", ".join(map(str, pd.unique(labels)))
        raise ValidationError(
            f"no such segment in the profile (segments: {known})", column="segment", value=segment
        )
    return rows.sort_values("rank", kind="stable")


def _top(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["strength"].notna()].head(TOP_TRAITS)


def _description(rows: pd.DataFrame, label: Any, definition: str, source: str) -> str:
    size, share = int(rows["size"].iloc[0]), float(rows["share"].iloc[0])
    try:
        run = json.loads(definition) if definition else {}
    except ValueError:
        run = {}
    of = f" of {run['k']}" if "k" in run else ""
    total = f" on {run['customers']:,} customers" if "customers" in run else ""
    top = ", ".join(_top(rows)["column"])
    text = f"Measured segment {label}{of} ({source}{total}): {size:,} customers ({share:.0%})."
    return f"{text} Set apart most by {top}." if top else text


def _demographics(rows: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for _, row in rows.iterrows():
        field = _FIELDS.get(str(row["column"]).lower())
        typical = row["typical"]
        if field and field not in out and typical is not None and not _is_nan(typical):
            out[field] = str(typical)
    return out


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
