"""Which period a view of the journey shows: the map, its Excel sheet, the comparisons.

Measured rows carry a ``period``; hand-typed rows have none and are always
current. One rule, so the map and the Excel map sheet show the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import ValidationError
from .history import period_sort_key

__all__ = ["Periods", "emotion_rows", "pick_period", "rows_of_period"]


@dataclass(frozen=True)
class Periods:
    """Which period the map shows.

    Attributes
    ----------
    shown : str or None
        The period whose measured rows are shown (None: the journey has no
        measured period, only hand-entered rows).
    previous : str or None
        The metrics' latest period before ``shown`` (the deltas' base).
    known : list of str
        Every period of the metrics and emotions, in time order.
    """

    shown: str | None
    previous: str | None
    known: list[str]


def _periods(df: pd.DataFrame) -> set[str]:
    if "period" not in df.columns:  # a journey from before schema 2
        return set()
    return {str(p) for p in df["period"].dropna()}


def pick_period(metrics: pd.DataFrame, emotions: pd.DataFrame, period: str | None) -> Periods:
    """Return the period to show: ``period`` when known, else the latest.

    Raises
    ------
    ValidationError
        ``period`` is not a period of the journey's metrics or emotions (the
        message lists the known ones).
    """
    metric_periods = sorted(_periods(metrics), key=period_sort_key)
    known = sorted(set(metric_periods) | _periods(emotions), key=period_sort_key)
    if period is None:
        shown = known[-1] if known else None
    elif period in known:
        shown = period
    else:
        valid = ", ".join(repr(p) for p in known) or "(the journey has no measured periods)"
        raise ValidationError(
            f"unknown period {period!r}; known periods are: {valid}", column="period", value=period
        )
    before = [p for p in metric_periods if shown is not None and period_sort_key(p) < period_sort_key(shown)]
    return Periods(shown, before[-1] if before else None, known)


def rows_of_period(df: pd.DataFrame, period: str | None) -> pd.DataFrame:
    """Rows of ``period`` plus the rows without a period (hand-entered: always current)."""
    if "period" not in df.columns:
        return df
    mask = df["period"].isna()
    if period is not None:
        mask |= (df["period"].astype(object) == period).fillna(False)
    return df.loc[mask.to_numpy(dtype=bool)]


def emotion_rows(emotions: pd.DataFrame, shown: str | None) -> pd.DataFrame:
    """Return the emotions drawn with ``shown``.

    These are the rows of the emotions' latest period up to ``shown`` (surveys
    need not run every time the metrics do) and every row without a period.
    """
    own = [p for p in _periods(emotions) if shown is None or period_sort_key(p) <= period_sort_key(shown)]
    return rows_of_period(emotions, max(own, key=period_sort_key) if own else None)
