"""Who walks a synthetic journey (``make_events``): ids, segments and each customer's behaviour.

A customer's behaviour is three numbers, per customer so the walk stays
vectorised: the probability of going on after each stage, the repeat rate
at the goal and the median order amount. ``segments=`` sets them per
segment (a weight scales the continue rates; a dict sets them outright),
and a customer table given as ``customers=`` supplies the ids and, with
``segment_col=``, which segment each customer is in.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ValidationError

__all__ = ["BEHAVIOUR", "Walkers", "walkers", "checked_rates", "checked_repeat", "checked_median"]

#: the keys a segment's behaviour dict may hold
BEHAVIOUR = ("share", "continue_rate", "repeat_rate", "value_median")


@dataclass(frozen=True)
class Walkers:
    """The customers of one synthetic log, one entry per customer in every array."""

    ids: Any  # numpy object array of "c0000000".. or the customer table's id array (its dtype)
    segment: Any | None  # the segment of each customer, or None without segments
    text_ids: bool  # whether ``ids`` are the generated text ids (cast to string in the log)
    text_segments: bool  # whether ``segment`` holds drawn names (cast to string in the log)
    rates: np.ndarray  # (customers, transitions): probability of going on after each stage
    repeat: np.ndarray  # (customers,): repeat rate at the goal
    median: np.ndarray  # (customers,): median order amount

    @property
    def n(self) -> int:
        """Number of customers."""
        return len(self.repeat)


def checked_rates(
    continue_rate: Any, transitions: int, name: str = "continue_rate", column: str | None = None
) -> list[float]:
    """One continue probability per stage transition, from one value or a list.

    Raises
    ------
    ValidationError
        Not one probability in [0, 1] per transition.
    """
    try:
        rates = (
            [float(continue_rate)] * transitions
            if isinstance(continue_rate, int | float)
            else [float(r) for r in continue_rate]
        )
    except (TypeError, ValueError):
        rates = []
    if len(rates) != transitions or not all(0 <= r <= 1 for r in rates):
        raise ValidationError(
            f"{name} needs one probability in [0, 1] per stage transition ({transitions})",
            column=column,
            value=continue_rate,
        )
    return rates


def checked_repeat(rate: Any, name: str = "repeat_rate", column: str = "repeat_rate") -> float:
    """``rate`` when it is a probability in [0, 1)."""
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not 0 <= rate < 1:
        raise ValidationError(
            f"{name} must be a probability in [0, 1)", column=column, value=rate, has_value=True
        )
    return float(rate)


def checked_median(median: Any, name: str = "value_median", column: str = "value_median") -> float:
    """``median`` when it is a finite amount > 0."""
    ok = isinstance(median, int | float) and not isinstance(median, bool) and math.isfinite(median)
    if not ok or median <= 0:
        raise ValidationError(
            f"{name} must be a finite amount > 0", column=column, value=median, has_value=True
        )
    return float(median)


def segment_shares(segments: Mapping[str, float] | Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Names and weights of ``segments=``: a mapping name -> share, or a list of names (equal shares).

    Raises
    ------
    ValidationError
        Not a mapping or list/tuple of names, no segment, a repeated name, or
        weights that are negative, not finite or all zero.
    """
    if isinstance(segments, Mapping):
        names = [str(n) for n in segments]
        raw = list(segments.values())
    elif isinstance(segments, list | tuple):
        names = [str(n) for n in segments]
        raw = [1.0] * len(names)
    else:
        # a bare string is a Sequence too: "mobile" would become segments "m", "o", ...
        raise ValidationError(
            "segments= must be a list of segment names (equal shares) or a mapping name -> share, "
            f"got {type(segments).__name__}",
            column="segments",
            value=segments,
            has_value=True,
        )
    if not names:
        raise ValidationError(
            "segments= names no segment: give at least one", column="segments", value=segments
        )
    if len(set(names)) != len(names):
        raise ValidationError("segments= repeats a segment name", column="segments", value=segments)
    try:
        weights = np.array([float(w) for w in raw])
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "segments= shares must be numbers", column="segments", value=segments, has_value=True
        ) from exc
    if not all(math.isfinite(w) and w >= 0 for w in weights) or weights.sum() == 0:
        raise ValidationError(
            "segments= needs segment weights (shares) that are finite, not negative and not all zero",
            column="segments",
            value=dict(zip(names, raw, strict=True)),
        )
    return names, weights


def _behaviours(
    segments: Mapping[str, Mapping[str, Any]], rates: list[float], repeat: float, median: float
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Names, shares and the (rates, repeat, median) rows of a mapping name -> behaviour dict.

    A key left out takes the argument of ``make_events`` (``share``: 1).
    """
    names, shares, table, repeats, medians = [], [], [], [], []
    for name, spec in segments.items():
        unknown = sorted(map(str, set(spec) - set(BEHAVIOUR)))
        if unknown:
            raise ValidationError(
                f"segments= behaviour of {name!r} has unknown keys {unknown}; use {', '.join(BEHAVIOUR)}",
                column="segments",
                value=dict(spec),
            )
        names.append(str(name))
        shares.append(spec.get("share", 1.0))
        where = f"segments[{name!r}]"
        # a nested value's error names the segment and key, on the column "segments"
        rate = spec.get("continue_rate", rates)
        table.append(checked_rates(rate, len(rates), f"{where} continue_rate", "segments"))
        repeats.append(checked_repeat(spec.get("repeat_rate", repeat), f"{where} repeat_rate", "segments"))
        medians.append(checked_median(spec.get("value_median", median), f"{where} value_median", "segments"))
    # the shares get the checks (and messages) of the weights mapping
    _, weights = segment_shares(dict(zip(names, shares, strict=True)))
    table_ = np.array(table).reshape(len(names), len(rates))  # (segments, transitions), even with none
    return names, weights, table_, np.array(repeats), np.array(medians)


def _segment_table(
    segments: Any, rates: list[float], repeat: float, median: float
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Names, shares and per-segment rates (segments x transitions), repeat rates and medians.

    Weights (a list: all 1) scale the continue rates by weight / mean weight,
    capped at 1; behaviour dicts set them outright.
    """
    values = list(segments.values()) if isinstance(segments, Mapping) else []
    dicts = [isinstance(v, Mapping) for v in values]
    if any(dicts) and not all(dicts):
        raise ValidationError(
            "segments= mixes weights and behaviour dicts: give every segment a weight, or every "
            "segment a dict (keys " + ", ".join(BEHAVIOUR) + ")",
            column="segments",
            value=segments,
        )
    if values and all(dicts):
        return _behaviours(segments, rates, repeat, median)
    names, weights = segment_shares(segments)
    table = np.minimum(np.outer(weights / weights.mean(), rates), 1.0)
    return names, weights, table, np.full(len(names), repeat), np.full(len(names), median)


def _table_column(table: pd.DataFrame, column: Any, role: str) -> pd.Series:
    """Return the customer table's ``column`` (``role``: "id" or "segment"), checked for missing values."""
    if not isinstance(column, str) or column not in table.columns:
        raise ValidationError(
            f"the customer table has no {role} column {column!r}; its columns: "
            + ", ".join(map(repr, map(str, table.columns))),
            frame="customers",
            column=str(column),
        )
    values = table[column]
    missing = int(values.isna().sum())
    if missing:
        raise ValidationError(
            f"the customer table's {role} column has {missing} missing value(s): fill or drop those rows",
            frame="customers",
            column=column,
        )
    return values


def _from_table(table: pd.DataFrame, id: str, segment: str | None) -> tuple[Any, Any | None]:
    """Return the table's ids (checked unique) and, with ``segment``, its segment column, as arrays."""
    if table.empty:
        raise ValidationError("the customer table has no rows", frame="customers")
    ids = _table_column(table, id, "id")
    repeated = ids[ids.duplicated()].tolist()  # tolist: Python values, not numpy scalars, in the message
    if repeated:
        raise ValidationError(
            f"the customer table repeats {len(repeated)} id(s), e.g. {repeated[0]!r}: one row per customer",
            frame="customers",
            column=id,
            value=repeated[0],
        )
    labels = None if segment is None else _table_column(table, segment, "segment").array
    return ids.array, labels


def walkers(
    rng: np.random.Generator,
    customers: int | pd.DataFrame,
    *,
    id: str,
    segment: str | None,
    segments: Any,
    rates: list[float],
    repeat: float,
    median: float,
) -> Walkers:
    """Build the customers of the log and their behaviour.

    Draws from ``rng`` only to pick random segments (``segments=`` without a
    ``segment_col=`` column), exactly as before customer tables existed, so the
    logs of those calls keep their rows.

    Raises
    ------
    ValidationError
        A bad ``customers`` table or ``segments``, ``segment_col=`` without a
        table, or a table segment that ``segments=`` does not name.
    """
    if isinstance(customers, pd.DataFrame):
        ids, labels = _from_table(customers, id, segment)
        n = len(ids)
    else:
        if segment is not None:
            raise ValidationError(
                "segment_col= names a column of the customer table: pass customers=<DataFrame>",
                column="segment",
                value=segment,
            )
        n, labels = int(customers), None
        ids = np.array([f"c{i:07d}" for i in range(n)], dtype=object)
    text_ids = not isinstance(customers, pd.DataFrame)
    if segments is None:
        one = np.ones((n, 1))
        return Walkers(ids, labels, text_ids, False, one * rates, np.full(n, repeat), np.full(n, median))
    names, weights, table, repeats, medians = _segment_table(segments, rates, repeat, median)
    drawn = labels is None
    if drawn:
        pick = rng.choice(len(names), size=n, p=weights / weights.sum())
        labels = np.array(names, dtype=object)[pick]
    else:
        shared = [
            name for name, spec in segments.items() if isinstance(spec, Mapping) and "share" in spec
        ] if isinstance(segments, Mapping) else []  # fmt: skip
        if shared:
            raise ValidationError(
                f"segments= gives a share to {shared}, but the customer table's column {segment!r} "
                "says who is in which segment: drop 'share'",
                column="segments",
                value=shared,
            )
        pick = _codes(labels, names, segment)
    return Walkers(ids, labels, text_ids, drawn, table[pick], repeats[pick], medians[pick])


def _codes(labels: Any, names: list[str], segment: str | None) -> np.ndarray:
    """Each customer's position in ``names``, the table's labels matched as text.

    Raises
    ------
    ValidationError
        A label of the table that ``segments=`` does not name.
    """
    text = pd.Series(labels).astype(str)
    unknown = sorted(set(text) - set(names))
    if unknown:
        raise ValidationError(
            f"segments= does not name the customer table's segment(s) {unknown} (column {segment!r}); "
            f"it names {names}",
            column="segments",
            value=unknown,
        )
    return text.map({name: k for k, name in enumerate(names)}).to_numpy(dtype=np.int64)
