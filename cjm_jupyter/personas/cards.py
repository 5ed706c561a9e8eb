"""A persona card filled from a measured segment, leaving the story to a human."""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

import pandas as pd

from ..errors import ValidationError
from ..model.fields import NOT_GIVEN, NotGiven, given_cells
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
    journey: Any, profile: SegmentResult | pd.DataFrame, segment: Any, name: str | None = None, *,
    description: str | NotGiven | None = NOT_GIVEN, avatar: str | NotGiven | None = NOT_GIVEN,
    age: str | NotGiven | None = NOT_GIVEN, gender: str | NotGiven | None = NOT_GIVEN,
    location: str | NotGiven | None = NOT_GIVEN, income: str | NotGiven | None = NOT_GIVEN,
    occupation: str | NotGiven | None = NOT_GIVEN, psychographics: str | NotGiven | None = NOT_GIVEN,
    behaviour: str | NotGiven | None = NOT_GIVEN, goals: str | NotGiven | None = NOT_GIVEN,
    needs: str | NotGiven | None = NOT_GIVEN, motivations: str | NotGiven | None = NOT_GIVEN,
    frustrations: str | NotGiven | None = NOT_GIVEN, channels: str | NotGiven | None = NOT_GIVEN,
    validated_at: str | date | NotGiven | None = NOT_GIVEN, source: str | NotGiven | None = NOT_GIVEN,
    basis: str | NotGiven | None = NOT_GIVEN, n: int | NotGiven | None = NOT_GIVEN,
    segment_definition: str | NotGiven | None = NOT_GIVEN, id: str | None = None, **extra: Any,
) -> str:  # fmt: skip
    """Add a persona made from one segment of a profile to ``journey``; return its id.

    The card gets the measured facts: ``description`` (segment, size, share,
    how it was found), ``behaviour`` (the top three distinguishing traits with
    their effect sizes), the typical value of profile columns that are persona
    fields (``age``, ``gender``, ``income``, ``occupation``, ``location`` or
    ``region``, ``channel``), and ``source`` (``"kmeans"``), ``basis``
    (``"measured"``), ``n`` (customers in the segment), ``segment`` (its label
    as text) and ``segment_definition`` (the run's JSON definition). Name,
    goals, needs, motivations, frustrations and the narrative are left to a
    human; the name defaults to ``"Segment 2 (name me)"``. Every other column
    of the ``personas`` frame is a keyword that sets or overrides its cell
    (as in :meth:`Journey.add_persona <cjm_jupyter.Journey.add_persona>`); a
    keyword not given (:data:`~cjm_jupyter.model.NOT_GIVEN`) keeps the
    measured value, ``None`` empties the cell. With ``basis="measured"``,
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
    description, avatar, age, gender, location, income, occupation : str or None, optional
        The persona's description, picture and demographics (the measured
        description and typical demographics unless given).
    psychographics, behaviour, goals, needs, motivations, frustrations, channels : str or None, optional
        What the persona is like, wants and uses (``behaviour`` and
        ``channels``: the measured traits unless given).
    validated_at : str or date or None, optional
        When the persona was last validated with real customers (ISO date).
    source, basis, n, segment_definition : optional
        How the persona was made; default the segmentation's (``"kmeans"``,
        ``"measured"``, the segment's customers, the run's JSON).
    id : str, optional
        The row's id; default: made from ``name``.
    **extra
        Custom columns of the persona (any other name, e.g. ``narrative=``).

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
    >>> pid = persona_from_segment(j, result, 1, goals="Pay less", narrative="Shops at night")
    >>> j.personas.loc[0, ["name", "basis", "goals", "narrative"]].tolist()
    ['Segment 1 (name me)', 'measured', 'Pay less', 'Shops at night']
    """
    # first thing: the arguments as passed (name and the segment's label are not overrides)
    given = {k: v for k, v in locals().items() if k not in ("name", "segment")}
    frame, definition, method = _unpack(profile)
    rows = _rows(frame, segment)
    size = int(rows["size"].iloc[0])
    label = rows["segment"].iloc[0]
    if size < MIN_CUSTOMERS:
        raise ValidationError(
            f"segment {label} has {size} customer: too few to stand for a persona (at least {MIN_CUSTOMERS})",
            column="segment",
            value=label,
        )
    values = {
        "description": _description(rows, label, definition, method),
        "behaviour": "; ".join(_top(rows)["trait"]),
        **_demographics(rows),
        "source": method,
        "basis": "measured",
        "n": size,
        "segment": str(label),
        "segment_definition": definition,
    }
    values.update(given_cells("personas", given, extra))
    name = f"Segment {label} (name me)" if name is None else name
    _check_name_is_free(journey, name)
    # add_persona validates before it commits: on any error the journey is unchanged
    return str(journey.add_persona(name, id=id, **values))


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
