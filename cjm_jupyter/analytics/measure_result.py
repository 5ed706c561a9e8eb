"""What :meth:`Journey.measure <cjm_jupyter.model.journey.Journey.measure>` returns.

A run writes rows into the journey and returns the tables it wrote them from.
Those tables (a funnel per segment, satisfaction per touchpoint, ...) are long;
as the last line of a notebook cell a plain dict of them filled the screen.
:class:`MeasureResult` is still that mapping (``result["funnel"]``,
``set(result)``, ``dict(result)`` work as before) but shows itself as one
line: the period, how many rows the run wrote, the segments and the table names.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

__all__ = ["MeasureResult"]

#: Segment values named in the one-line summary before "and N more".
_SHOWN_SEGMENTS = 5


class MeasureResult(Mapping[str, pd.DataFrame]):
    """The tables one ``measure`` run wrote its rows from, with a short summary.

    A read-only mapping of table name to DataFrame (``"funnel"``,
    ``"bounces"``, ``"satisfaction"``, ...; see
    :func:`cjm_jupyter.analytics.measure`), plus what the run wrote.

    Attributes
    ----------
    period : str
        The period the run measured (every written row carries it).
    metric_rows : int
        Metric rows of that period the run wrote into the journey.
    emotion_rows : int or None
        Survey emotion rows it wrote; ``None`` when no surveys were given
        (the emotions were left as they were).
    segments : tuple of str
        The segment values of the written metric rows, sorted (empty without
        ``segment=``).

    Examples
    --------
    >>> import cjm_jupyter as cjm
    >>> from cjm_jupyter import analytics
    >>> j = cjm.templates.load("colleen")
    >>> result = j.measure(analytics.make_events(j, customers=200, start="2026-04-01", seed=1))
    >>> result.period, "funnel" in result
    ('2026-Q2', True)
    """

    def __init__(
        self,
        tables: Mapping[str, pd.DataFrame],
        *,
        period: str,
        metric_rows: int,
        emotion_rows: int | None,
        segments: tuple[str, ...] = (),
    ) -> None:
        self._tables = dict(tables)
        self.period = period
        self.metric_rows = metric_rows
        self.emotion_rows = emotion_rows
        self.segments = segments

    @classmethod
    def of_run(cls, journey: Any, tables: Mapping[str, pd.DataFrame], *, run_id: str) -> MeasureResult:
        """Summarise a finished run: count the rows of its period that ``run_id`` holds in ``journey``.

        A run replaces exactly its own rows of its period, so after it those
        rows are the ones it wrote. Emotion rows are counted only when the run
        had surveys (the tables include ``"satisfaction"``); otherwise the
        run left the emotions alone and earlier survey rows are not its own.
        """
        period = str(next(iter(tables.values())).attrs["period"])

        def written(frame: pd.DataFrame) -> pd.Series:
            return ((frame["run_id"] == run_id) & (frame["period"] == period)).fillna(False).astype(bool)

        metrics = journey.metrics
        own = metrics[written(metrics)]
        emotion_rows = int(written(journey.emotions).sum()) if "satisfaction" in tables else None
        segments = tuple(sorted(str(s) for s in own["segment"].dropna().unique())) if "segment" in own else ()
        return cls(tables, period=period, metric_rows=len(own), emotion_rows=emotion_rows, segments=segments)

    # -- the mapping ---------------------------------------------------------------------
    def __getitem__(self, name: str) -> pd.DataFrame:
        """Return the table ``name`` (``result["funnel"]``)."""
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the tables' names, in the order the run made them."""
        return iter(self._tables)

    def __len__(self) -> int:
        """Return the number of tables."""
        return len(self._tables)

    # -- display -------------------------------------------------------------------------
    def _parts(self) -> tuple[str, str, str]:
        """(rows written, segments, tables) as plain text, user text not yet escaped."""
        written = f"{self.metric_rows:,} metric row" + ("" if self.metric_rows == 1 else "s")
        if self.emotion_rows is not None:
            written += f", {self.emotion_rows:,} survey emotion row" + ("" if self.emotion_rows == 1 else "s")
        shown = ", ".join(self.segments[:_SHOWN_SEGMENTS])
        if len(self.segments) > _SHOWN_SEGMENTS:
            shown += f" and {len(self.segments) - _SHOWN_SEGMENTS} more"
        segments = f"all customers and per segment ({shown})" if self.segments else "all customers"
        return written, segments, ", ".join(self._tables)

    def __repr__(self) -> str:
        """Return a one-line summary: the period, the rows written and the tables."""
        written, segments, tables = self._parts()
        # repr() of the period: a label with control characters or quotes stays one readable line
        return (
            f"measured period {self.period!r}: {written} written, for {segments}; "
            f"tables: {tables} (e.g. result[{next(iter(self._tables), '')!r}])"
        )

    def _repr_html_(self) -> str:
        written, segments, tables = (html.escape(part) for part in self._parts())
        first = html.escape(repr(next(iter(self._tables), "")))
        return (
            '<div class="cjm-measure-result">'
            f"<strong>Measured</strong> period <code>{html.escape(self.period)}</code>: "
            f"{written} written, for {segments}.<br>"
            f"Tables: {tables} (e.g. <code>result[{first}]</code>).</div>"
        )
