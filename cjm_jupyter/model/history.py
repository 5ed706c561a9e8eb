"""Measured values over periods: the order of period labels and a journey's measurement history."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = ["period_sort_key", "latest_period"]

# Each pattern gives the first day of the period it names.
_QUARTER = re.compile(r"(\d{4})-[Qq]([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(\d{4})")

PeriodKey = tuple[int, int, int, int, str]


def _start(label: str) -> dt.date | None:
    """The first day of the period ``label`` names, or None when it names none."""
    try:
        if m := _QUARTER.fullmatch(label):
            return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        if m := _DAY.fullmatch(label):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MONTH.fullmatch(label):
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := _YEAR.fullmatch(label):
            return dt.date(int(m[1]), 1, 1)
    except ValueError:  # "2026-13", "2026-02-30", year 0: not a date, so plain text
        return None
    return None


def _missing(label: Any) -> bool:
    return label is None or (not isinstance(label, str) and bool(pd.isna(label)))


def period_sort_key(label: Any) -> PeriodKey:
    """The sort key of a period label: periods in time order, then other labels as text.

    ``"YYYY-Qn"``, ``"YYYY-MM"``, ``"YYYY-MM-DD"`` and ``"YYYY"`` sort by the
    first day of the period they name (labels starting the same day, such as
    ``"2026-Q3"`` and ``"2026-07"``, by their text); any other label sorts
    after all of them, by its text. A missing label (None, NA: a value with no
    period, such as a hand-entered metric) sorts before every label.

    Every key is a tuple of the same shape, so keys of any labels compare.

    Parameters
    ----------
    label : str or None
        A period label (surrounding spaces are ignored).

    Returns
    -------
    tuple
        ``(group, year, month, day, text)``: group -1 for a missing label,
        0 for a period, 1 for other text.

    Examples
    --------
    >>> sorted(["2027", "launch", "2026-Q3", "2026-07-15", None, "2026-05"], key=period_sort_key)
    [None, '2026-05', '2026-Q3', '2026-07-15', '2027', 'launch']
    """
    if _missing(label):
        return (-1, 0, 0, 0, "")
    text = str(label).strip()
    start = _start(text)
    if start is None:
        return (1, 0, 0, 0, text)
    return (0, start.year, start.month, start.day, text)


def latest_period(labels: Iterable[Any]) -> str | None:
    """The latest of ``labels`` by :func:`period_sort_key`; missing labels are ignored.

    Parameters
    ----------
    labels : iterable of str or None
        Period labels, e.g. a frame's ``period`` column.

    Returns
    -------
    str or None
        The latest label as given, or None when there is none.

    Examples
    --------
    >>> latest_period(["2026-Q2", None, "2026-Q3", "2025-12"])
    '2026-Q3'
    >>> latest_period([None]) is None
    True
    """
    present = [label for label in labels if not _missing(label)]
    return max(present, key=period_sort_key) if present else None
