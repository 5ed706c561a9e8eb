"""Touchpoint and stage satisfaction from survey scores, on the journey's emotion scale.

Computed in pandas, not DuckDB: survey tables are small (one row per answer,
typically thousands, not millions), every score has to be checked against the
scale with the offending value named in the error, and the per-group mean,
standard deviation and interval are one ``groupby``; SQL would add a
round-trip and no speed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..model.specs import EMOTION_SCALE
from ._inputs import MISSING_SEGMENT, _relation, check_columns, is_spark, prepare_events
from ._sql import earliest
from ._warn import warn_user

__all__ = ["satisfaction", "read_surveys", "SCALES", "to_emotion"]

#: Named survey scales: (lowest, highest) answer.
SCALES: dict[str, tuple[float, float]] = {
    "csat": (1.0, 5.0),
    "nps": (0.0, 10.0),
    "likert5": (1.0, 5.0),
    "likert7": (1.0, 7.0),
}


def _scale(scale: Any) -> tuple[float, float]:
    if isinstance(scale, str):
        key = scale.strip().lower()
        if key not in SCALES:
            raise ValidationError(
                f"unknown scale; use one of {', '.join(SCALES)} or a (low, high) pair",
                column="scale",
                value=scale,
            )
        return SCALES[key]
    try:
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            "scale must be a name or a (low, high) pair of numbers",
            column="scale",
            value=scale,
            has_value=True,
        ) from exc
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValidationError("scale must satisfy low < high (finite)", column="scale", value=scale)
    return low, high


def to_emotion(scores: Any, scale: Any = "csat") -> Any:
    """Map scores linearly from ``scale`` onto the emotion scale: low -> -2, high -> +2."""
    low, high = _scale(scale)
    e_low, e_high = EMOTION_SCALE
    return e_low + (np.asarray(scores, dtype="float64") - low) * (e_high - e_low) / (high - low)


def read_surveys(
    surveys: Any, columns: dict[str, str | None], optional: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The survey table as pandas, from any input the metrics take, its columns checked.

    ``columns`` maps a role to a column name (``None``: not used). A pandas
    DataFrame is used as it is; a PySpark DataFrame is collected with only
    those columns; other inputs are read through DuckDB. The columns of the
    roles in ``optional`` may be absent (the caller checks ``df.columns``).

    Raises
    ------
    ValidationError
        A named column is missing (role, name and the table's columns named).
    """
    rel = None if isinstance(surveys, pd.DataFrame) or is_spark(surveys) else _relation(surveys)
    have = list(surveys.columns if rel is None else rel.columns)
    columns = {r: c for r, c in columns.items() if not (r in optional and c not in have)}
    check_columns(have, columns, frame="surveys")
    if isinstance(surveys, pd.DataFrame):
        return surveys
    if is_spark(surveys):
        from ._spark import collect_columns

        return collect_columns(surveys, columns.values())
    return rel.df()


def _names(columns: list[str]) -> str:
    return ", ".join(map(repr, columns))


def _log_segments(
    events: Any, segment: str, columns: Mapping[str, str] | None, survey_columns: list[str]
) -> pd.Series:
    """Each customer's segment in the log (of the earliest event, as the funnel's split), by string id.

    Run by the log's own engine (DuckDB or Spark): one grouped query, only
    customers and segments come back to pandas.
    """
    roles = {"customer": "customer_id", "time": "timestamp", "event": "event", **(columns or {})}
    unknown = set(roles) - {"customer", "time", "event"}
    if unknown:
        raise ValidationError(
            "event_columns takes the roles 'customer', 'time' and 'event'",
            column="event_columns",
            value=sorted(unknown),
        )
    log_columns = list(events.columns if is_spark(events) else _relation(events).columns)
    if segment not in log_columns:
        raise ValidationError(
            f"neither the survey table nor the event log has a segment column {segment!r} "
            f"(survey columns: {_names(survey_columns)}; event log columns: {_names(log_columns)}); "
            "pass segment=<column name>",
            frame="surveys",
            column=segment,
        )
    src = prepare_events(events, **roles, segment=segment, profiled=False)
    seg = earliest(src.dialect, "segment", "t_us")
    table = src.query(
        f"SELECT customer_id, {seg} AS segment FROM ({src.projection()}) e GROUP BY customer_id"
    )
    return pd.Series(table["segment"].to_numpy(), index=table["customer_id"].astype(str).to_numpy())


def _segments(
    df: pd.DataFrame, segment: str, events: Any, event_columns: Mapping[str, str] | None, link: str
) -> pd.Series:
    """Each survey row's segment: the survey's own column, else the respondent's in the log.

    Raises
    ------
    ValidationError
        Neither table has the column (both named), or the survey has no
        respondent column to look the log up by.
    """
    if segment in df.columns:
        return df[segment]
    columns = list(df.columns)
    if events is None:
        raise ValidationError(
            f"the survey table has no segment column {segment!r} (columns: {_names(columns)}); "
            "pass segment=<column name>, or events=<the event log> to take each respondent's "
            "segment from the log",
            frame="surveys",
            column=segment,
        )
    check_columns(columns, {"customer": link}, frame="surveys")
    by_customer = _log_segments(events, segment, event_columns, columns)
    ids = df[link].astype("string")
    seg = ids.map(by_customer)
    absent = int((ids.notna() & ~ids.isin(by_customer.index).fillna(False)).sum())
    if absent:
        warn_user(
            f"{absent} of {len(df)} survey rows have a respondent ({link!r}) not in the event log: "
            f"their segment is {MISSING_SEGMENT!r}"
        )
    return pd.Series(seg.to_numpy(), index=df.index, dtype="string")


def satisfaction(
    surveys: Any,
    journey: Any,
    *,
    scale: Any = "csat",
    score: str = "score",
    touchpoint: str = "touchpoint_id",
    customer: str | None = None,
    segment: str | None = None,
    level: Literal["touchpoint", "stage"] = "touchpoint",
    confidence: float = 0.95,
    events: Any = None,
    event_columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Mean satisfaction per touchpoint (or stage) on the emotion scale, with n and an interval.

    Parameters
    ----------
    surveys
        One row per answer: a pandas DataFrame (or anything the metrics
        accept: pyarrow Table, Parquet path, DuckDB relation, PySpark
        DataFrame, of which only the named columns are collected).
    journey : Journey
        Gives the touchpoints, their stages and the order of the rows.
    scale : {"csat", "nps", "likert5", "likert7"} or (low, high)
        The answers' scale: CSAT 1-5, NPS 0-10, Likert 1-5 or 1-7, or a custom
        pair. Scores are mapped **linearly** onto the emotion scale -2..+2
        (low -> -2, high -> +2; e.g. CSAT 3 -> 0, NPS 10 -> +2).
    score, touchpoint : str
        Column names of the score and of the touchpoint id.
    customer : str, optional
        Respondent column; adds ``customers`` (distinct respondents per row).
    segment : str, optional
        Split column; adds a leading ``segment`` (null -> ``"(missing)"``).
        Taken from the survey table when it has that column, else from
        ``events`` (see there).
    level : {"touchpoint", "stage"}
        One row per touchpoint, or per stage (all answers of its touchpoints).
    confidence : float
        Level of the interval, in (0, 1).
    events : optional
        The event log (any input the metrics take), used only with
        ``segment=`` when the survey table has no such column: each
        respondent gets the segment of their earliest event in the log's
        ``segment`` column (as the funnel's ``segment=`` split does),
        matched on the survey's ``customer`` column (default
        ``"customer_id"``) and the log's customer column as text.
        Respondents not in the log, or with a null segment there, go to
        ``"(missing)"`` (with a warning giving the count). Computed by the
        log's engine (DuckDB or Spark) in one grouped query.
    event_columns : mapping, optional
        The log's column names by role, ``{"customer": ..., "time": ...,
        "event": ...}``; defaults ``customer_id``, ``timestamp``, ``event``.

    Returns
    -------
    DataFrame
        One row per touchpoint (or stage) of the journey, in journey order
        (per segment), including those without answers (``n`` = 0, NaN
        statistics): ``segment`` (with ``segment=``), ``stage_id``, ``stage``,
        ``touchpoint_id``, ``touchpoint`` (touchpoint level), ``n``,
        ``customers`` (with ``customer=``), ``mean``, ``std`` (sample, ddof=1),
        ``ci_low``, ``ci_high``: mean +/- z * std / sqrt(n), clipped to the
        emotion scale. **Normal approximation**: scipy is not a dependency, so
        z comes from ``statistics.NormalDist().inv_cdf`` rather than Student's
        t; the interval is too narrow for small n (about 7% at n = 30 vs t),
        and NaN when n < 2. ``.attrs``: ``unknown`` (``{touchpoint id: rows}``
        of ids not in the journey, left out with a warning), ``dropped_null``
        (rows with a null score or touchpoint id, left out with a warning),
        ``scale`` (low, high), ``confidence``, and with ``segment=``
        ``segment_source`` (``"surveys"`` or ``"events"``).

    Raises
    ------
    ValidationError
        A column is missing, the score column is not numeric, a score lies
        outside the scale (column and value named), a bad ``scale``, ``level``
        or ``confidence``; with ``segment=``, a segment column in neither
        the survey table nor ``events`` (both tables' columns named).

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, segments=["mobile", "desktop"], seed=1)
    >>> answers = analytics.make_surveys(j, log, seed=1).drop(columns="segment")
    >>> sat = satisfaction(answers, j, segment="segment", events=log)
    >>> sorted(sat["segment"].unique()), sat.attrs["segment_source"]
    (['desktop', 'mobile'], 'events')
    """
    low, high = _scale(scale)
    if level not in ("touchpoint", "stage"):
        raise ValidationError("level must be 'touchpoint' or 'stage'", column="level", value=level)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 < confidence < 1:
        raise ValidationError(
            "confidence must be a number in (0, 1)", column="confidence", value=confidence, has_value=True
        )
    if not (hasattr(journey, "stages") and hasattr(journey, "touchpoints")):
        raise ValidationError(f"journey must be a Journey, got {type(journey).__name__}")
    link = customer if customer is not None else "customer_id"  # the respondent, to find them in the log
    roles = {"score": score, "touchpoint": touchpoint, "customer": customer, "segment": segment}
    if segment is not None and events is not None and customer is None:
        roles["respondent"] = link
    df = read_surveys(surveys, roles, optional=("segment", "respondent"))
    if len(df) == 0:
        raise ValidationError("the survey table is empty", frame="surveys")
    seg_all = None if segment is None else _segments(df, segment, events, event_columns, link)
    if not (pd.api.types.is_numeric_dtype(df[score]) and not pd.api.types.is_bool_dtype(df[score])):
        raise ValidationError(
            f"scores must be numeric, got dtype {df[score].dtype}", frame="surveys", column=score
        )
    values = pd.to_numeric(df[score]).astype("float64")
    tp_ids = df[touchpoint].astype("string")
    null = values.isna() | tp_ids.isna()
    outside = ~null & ((values < low) | (values > high))
    if outside.any():
        bad = df.loc[outside, score].iloc[0]
        raise ValidationError(
            f"score outside the {low:g}..{high:g} scale ({int(outside.sum())} rows)",
            frame="surveys",
            column=score,
            value=bad,
            has_value=True,
        )
    dropped_null = int(null.sum())
    if dropped_null:
        warn_user(f"left out {dropped_null} of {len(df)} survey rows with a null {score!r} or {touchpoint!r}")
    tps = journey.touchpoints
    stages = journey.stages.sort_values("order", kind="stable")
    known = set(tps["id"].astype(str))
    unknown_mask = ~null & ~tp_ids.isin(known).fillna(False).astype(bool)
    unknown = {str(k): int(v) for k, v in tp_ids[unknown_mask].value_counts().sort_index().items()}
    unknown = dict(sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0])))
    if unknown:
        shown = ", ".join(f"{k!r}: {v}" for k, v in list(unknown.items())[:10])
        warn_user(
            f"{int(unknown_mask.sum())} survey rows name a touchpoint not in the journey ({shown}); "
            "see result.attrs['unknown']"
        )
    keep = ~null & ~unknown_mask
    tp_stage = dict(zip(tps["id"].astype(str), tps["stage_id"].astype(str), strict=True))
    data = pd.DataFrame(
        {
            "touchpoint_id": tp_ids[keep].astype(object).to_numpy(),
            "emotion": to_emotion(values[keep].to_numpy(), (low, high)),
        }
    )
    data["stage_id"] = data["touchpoint_id"].map(tp_stage)
    if customer is not None:
        data["customer"] = df.loc[keep, customer].to_numpy()
    if seg_all is not None:
        seg = seg_all[keep.to_numpy()]
        data["segment"] = seg.astype("string").fillna(MISSING_SEGMENT).astype(object).to_numpy()
    else:
        data["segment"] = "All"

    # the grid: every touchpoint (or stage) of the journey, in journey order
    stage_rows = pd.DataFrame(
        {"stage_id": stages["id"].astype(str).to_numpy(), "stage": stages["name"].to_numpy(),
         "stage_order": stages["order"].to_numpy()}
    )  # fmt: skip
    if level == "touchpoint":
        tp_rows = pd.DataFrame(
            {"touchpoint_id": tps["id"].astype(str).to_numpy(), "touchpoint": tps["name"].to_numpy(),
             "stage_id": tps["stage_id"].astype(str).to_numpy(), "tp_order": tps["order"].to_numpy()}
        )  # fmt: skip
        grid = stage_rows.merge(tp_rows, on="stage_id").sort_values(
            ["stage_order", "tp_order"], kind="stable"
        )
        keys = ["touchpoint_id"]
        grid = grid[["stage_id", "stage", "touchpoint_id", "touchpoint"]]
    else:
        grid = stage_rows.sort_values("stage_order", kind="stable")[["stage_id", "stage"]]
        keys = ["stage_id"]
    segments = sorted(data["segment"].unique()) if segment is not None else ["All"]
    parts = [grid.assign(segment=s) for s in segments]
    # with segment= and every answer left out (nulls, unknown touchpoints): no segment, no rows
    grid = pd.concat(parts, ignore_index=True) if parts else grid.assign(segment="").iloc[:0]

    g = data.groupby(["segment", *keys], sort=False)
    stats = g["emotion"].agg(n="count", mean="mean", std=lambda x: x.std(ddof=1))
    if customer is not None:
        stats["customers"] = g["customer"].nunique()
    stats = stats.reset_index()
    out = grid.merge(stats, on=["segment", *keys], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    if customer is not None:
        out["customers"] = out["customers"].fillna(0).astype("int64")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = z * out["std"] / np.sqrt(out["n"].where(out["n"] > 0))
    out["ci_low"] = (out["mean"] - half).clip(lower=EMOTION_SCALE[0])
    out["ci_high"] = (out["mean"] + half).clip(upper=EMOTION_SCALE[1])
    cols = [*(["segment"] if segment is not None else []), *grid.columns.drop("segment"), "n",
            *(["customers"] if customer is not None else []), "mean", "std", "ci_low", "ci_high"]  # fmt: skip
    out = out[cols].reset_index(drop=True)
    out.attrs.update(unknown=unknown, dropped_null=dropped_null, scale=(low, high), confidence=confidence)
    if segment is not None:
        out.attrs["segment_source"] = "surveys" if segment in df.columns else "events"
    return out
