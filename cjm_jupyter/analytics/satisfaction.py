"""Touchpoint and stage satisfaction from survey scores, on the journey's emotion scale.

Computed in pandas, not DuckDB: survey tables are small (one row per answer,
typically thousands, not millions), every score has to be checked against the
scale with the offending value named in the error, and the per-group mean,
standard deviation and interval are one ``groupby``; SQL would add a
round-trip and no speed.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._deprecate import renamed_keywords
from .._warn import warn_user
from ..errors import ValidationError
from ..model.specs import EMOTION_SCALE
from ._renames import SURVEY_COLUMNS
from ._sql import earliest
from .engines import MISSING_SEGMENT, SOURCE_NAME, check_columns, columns_of, is_spark, prepare_events
from .engines.duckdb import relation_of as _relation
from .eventlog import EventLog, check_columns_of

__all__ = ["satisfaction", "nps", "top_two_box", "read_surveys", "SCALES", "to_emotion"]

#: Named survey scales: (lowest, highest) answer. ``"ces"`` is the Customer Effort
#: Score 2.0 agreement scale, 1-7, where 7 ("strongly agree" that the company made it
#: easy) is the best answer, so it maps onto the emotion scale like the others; an
#: older effort scale where a high score means *more* effort must be reversed first
#: (``score = low + high - score``).
SCALES: dict[str, tuple[float, float]] = {
    "csat": (1.0, 5.0),
    "nps": (0.0, 10.0),
    "ces": (1.0, 7.0),
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
    """Read the survey table as pandas, from any input the metrics take, its columns checked.

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
    if rel is not None:  # neither pandas nor Spark: read through DuckDB
        return rel.df()
    if is_spark(surveys):
        from .engines.spark import collect_columns

        return collect_columns(surveys, columns.values())
    return surveys


def _names(columns: list[str]) -> str:
    return ", ".join(map(repr, columns))


def _log_segments(
    events: Any,
    segment: str,
    columns: Mapping[str, str] | None,
    survey_columns: list[str],
    ids: pd.Series,
) -> pd.Series:
    """Each respondent's segment in the log (of the earliest event, as the funnel's split), by string id.

    ``ids`` holds the survey's respondent ids as text. Run by the log's own
    engine (DuckDB or Spark): the distinct ids are registered there and
    joined, so only the respondents' events are grouped and only their
    segments come back to pandas (a log has many more customers than a
    survey has respondents). Respondents not in the log are not in the result
    (which may hold other customers too: see :func:`_respondent_segments`).
    An :class:`~.eventlog.EventLog` answers from its cached customer table
    (each customer's segment, made once), not from the input.
    """
    roles = {"customer": "customer_id", "time": "timestamp", "event": "event", **(columns or {})}
    unknown = set(roles) - {"customer", "time", "event"}
    if unknown:
        raise ValidationError(
            "event_columns takes the roles 'customer', 'time' and 'event'",
            column="event_columns",
            value=sorted(unknown),
        )
    wanted = pd.unique(ids.dropna().to_numpy(dtype=object))
    if isinstance(events, EventLog):
        check_columns_of(events, {**roles, "segment": segment})
        table = events.customer_table(segmented=True)
        if len(wanted) == 0:
            return pd.Series([], index=pd.Index([], dtype=object), dtype=object)
        found = _respondent_segments(events.source, wanted, table)
        return pd.Series(found["segment"].to_numpy(), index=found["customer_id"].astype(str).to_numpy())
    log_columns = columns_of(events)
    if segment not in log_columns:
        raise ValidationError(
            f"neither the survey table nor the event log has a segment column {segment!r} "
            f"(survey columns: {_names(survey_columns)}; event log columns: {_names(log_columns)}); "
            "pass segment_col=<column name>",
            frame="surveys",
            column=segment,
        )
    src = prepare_events(events, customer=roles["customer"], time=roles["time"], event=roles["event"],
                         segment=segment, profiled=False)  # fmt: skip
    if len(wanted) == 0:
        return pd.Series([], index=pd.Index([], dtype=object), dtype=object)
    table = _respondent_segments(src, wanted)
    return pd.Series(table["segment"].to_numpy(), index=table["customer_id"].astype(str).to_numpy())


#: name of the respondent ids in the log's engine (DuckDB reads the local variable of that name)
_IDS = "cjm_respondent_ids"


def _respondent_segments(src: Any, wanted: np.ndarray, table: str | None = None) -> pd.DataFrame:
    """``customer_id`` (as text), ``segment`` of the log's customers among ``wanted`` (distinct text ids).

    ``table``: an EventLog's cached customer table (``customer_id``,
    ``segment``), read instead of grouping the events. The log's ids are
    cast to text at this join only (the survey's ids are text).

    DIALECT: the ids become a relation of the log's engine. Spark: a
    DataFrame of the log's session under a unique temp view name, dropped
    afterwards. DuckDB: a pandas frame read by name through DuckDB's
    replacement scan of the calling Python frame's variables, so the query
    runs on the relation's own connection (a user's relation included);
    where a connection has replacement scans turned off, the log's segments
    of every customer are fetched and looked up in pandas instead.
    (A VALUES or list literal of the ids costs seconds of parsing per
    100,000 ids in either engine.)
    """
    seg = earliest(src.dialect, "segment", "t_us")

    def sql(ids: str | None) -> str:  # ids: the relation of the respondent ids, or None for all
        text = "CAST(customer_id AS STRING)"
        where = f"WHERE {text} IN (SELECT customer_id FROM {ids})\n" if ids else ""
        if table is not None:
            return f"SELECT {text} AS customer_id, segment FROM {table}\n{where}"
        head = f"SELECT {text} AS customer_id, {seg} AS segment FROM ({src.projection()}) e\n"
        return f"{head}{where}GROUP BY customer_id"

    ids = pd.DataFrame({"customer_id": wanted})
    if src.dialect == "spark":
        name = f"{_IDS}_{uuid.uuid4().hex}"
        src.spark.createDataFrame(ids, schema="customer_id string").createOrReplaceTempView(name)
        try:
            return src.query(sql(name))
        finally:
            src.spark.catalog.dropTempView(name)
    import duckdb

    cjm_respondent_ids = ids  # noqa: F841  # read by DuckDB by this name (replacement scan)
    try:
        return src.relation.query(SOURCE_NAME, sql(_IDS)).df()
    except duckdb.CatalogException:  # replacement scans off on this connection: every customer
        return src.query(sql(None))


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
            "pass segment_col=<column name>, or events=<the event log> to take each respondent's "
            "segment from the log",
            frame="surveys",
            column=segment,
        )
    check_columns(columns, {"customer": link}, frame="surveys")
    ids = df[link].astype("string")
    by_customer = _log_segments(events, segment, event_columns, columns, ids)
    # one hash lookup of every row's id (a null id finds nothing, as an id not in the log)
    index = pd.Index(by_customer.index.to_numpy(dtype=object))
    pos = index.get_indexer(ids.to_numpy(dtype=object, na_value=None))
    found = pos >= 0
    seg = np.full(len(ids), None, dtype=object)
    seg[found] = by_customer.to_numpy(dtype=object)[pos[found]]
    absent = int((ids.notna().to_numpy() & ~found).sum())
    if absent:
        warn_user(
            f"{absent} of {len(df)} survey rows have a respondent ({link!r}) not in the event log: "
            f"their segment is {MISSING_SEGMENT!r}"
        )
    return pd.Series(seg, index=df.index, dtype="string")


@dataclass
class _Answers:
    """Checked survey answers and the grid of places they are summarised on."""

    data: pd.DataFrame  # segment, stage_id, touchpoint_id, score (on its scale), emotion, [customer]
    grid: pd.DataFrame  # segment, stage_id, stage, [touchpoint_id, touchpoint]: every place, journey order
    keys: list[str]  # the place's id column(s)
    attrs: dict[str, Any]


def _check_confidence(confidence: Any) -> None:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 < confidence < 1:
        raise ValidationError(
            "confidence must be a number in (0, 1)", column="confidence", value=confidence, has_value=True
        )


def _answers(
    surveys: Any,
    journey: Any,
    *,
    scale: tuple[float, float],
    score: str,
    touchpoint: str,
    customer: str | None,
    segment: str | None,
    level: str,
    events: Any,
    event_columns: Mapping[str, str] | None,
) -> _Answers:
    """Read and check the answers once for every survey summary (see :func:`satisfaction`)."""
    low, high = scale
    if level not in ("touchpoint", "stage"):
        raise ValidationError("level must be 'touchpoint' or 'stage'", column="level", value=level)
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
            "score": values[keep].to_numpy(),
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
    attrs: dict[str, Any] = {"unknown": unknown, "dropped_null": dropped_null, "scale": (low, high)}
    if segment is not None:
        attrs["segment_source"] = "surveys" if segment in df.columns else "events"
    return _Answers(data, grid, keys, attrs)


def _summarised(ans: _Answers, stats: pd.DataFrame, segmented: bool, columns: list[str]) -> pd.DataFrame:
    """``stats`` (indexed by segment and place) on the grid: every place, journey order, n = 0 filled."""
    out = ans.grid.merge(stats.reset_index(), on=["segment", *ans.keys], how="left")
    out["n"] = out["n"].fillna(0).astype("int64")
    place = [c for c in ans.grid.columns if c != "segment"]
    out = out[[*(["segment"] if segmented else []), *place, *columns]].reset_index(drop=True)
    out.attrs.update(ans.attrs)
    return out


@renamed_keywords(**SURVEY_COLUMNS)
def satisfaction(
    surveys: Any,
    journey: Any,
    *,
    scale: Any = "csat",
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    customer_col: str | None = None,
    segment_col: str | None = None,
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
    scale : {"csat", "nps", "ces", "likert5", "likert7"} or (low, high)
        The answers' scale (see :data:`SCALES`): CSAT 1-5, NPS 0-10, CES 1-7,
        Likert 1-5 or 1-7, or a custom pair. Scores are mapped **linearly**
        onto the emotion scale -2..+2 (low -> -2, high -> +2; e.g. CSAT 3 ->
        0, NPS 10 -> +2).
    score_col, touchpoint_col : str
        Column names of the score and of the touchpoint id.
    customer_col : str, optional
        Respondent column; adds ``customers`` (distinct respondents per row).
    segment_col : str, optional
        Split column; adds a leading ``segment`` (null -> ``"(missing)"``).
        Taken from the survey table when it has that column, else from
        ``events`` (see there).
    level : {"touchpoint", "stage"}
        One row per touchpoint, or per stage (all answers of its touchpoints).
    confidence : float
        Level of the interval, in (0, 1).
    events : optional
        The event log (any input the metrics take), used only with
        ``segment_col=`` when the survey table has no such column: each
        respondent gets the segment of their earliest event in the log's
        ``segment`` column (as the funnel's ``segment_col=`` split does),
        matched on the survey's ``customer_col`` column (default
        ``"customer_id"``) and the log's customer column as text.
        Respondents not in the log, or with a null segment there, go to
        ``"(missing)"`` (with a warning giving the count). Computed by the
        log's engine (DuckDB or Spark) in one grouped query; an
        :class:`~.eventlog.EventLog` (made with this ``segment_col``) answers
        from its cached customer table instead of reading the log again.
    event_columns : mapping, optional
        The log's column names by role, ``{"customer": ..., "time": ...,
        "event": ...}``; defaults ``customer_id``, ``timestamp``, ``event``.

    Returns
    -------
    DataFrame
        One row per touchpoint (or stage) of the journey, in journey order
        (per segment), including those without answers (``n`` = 0, NaN
        statistics): ``segment`` (with ``segment_col=``), ``stage_id``, ``stage``,
        ``touchpoint_id``, ``touchpoint`` (touchpoint level), ``n``,
        ``customers`` (with ``customer_col=``), ``mean``, ``std`` (sample, ddof=1),
        ``ci_low``, ``ci_high``: mean +/- z * std / sqrt(n), clipped to the
        emotion scale. **Normal approximation**: z comes from
        ``statistics.NormalDist().inv_cdf`` rather than Student's t (scipy is
        an optional extra); the interval is too narrow for small n (about 7%
        at n = 30 vs t), and NaN when n < 2. ``.attrs``: ``unknown``
        (``{touchpoint id: rows}`` of ids not in the journey, left out with a
        warning), ``dropped_null`` (rows with a null score or touchpoint id,
        left out with a warning), ``scale`` (low, high), ``confidence``, and
        with ``segment_col=`` ``segment_source`` (``"surveys"`` or ``"events"``).

    Raises
    ------
    ValidationError
        A column is missing, the score column is not numeric, a score lies
        outside the scale (column and value named), a bad ``scale``, ``level``
        or ``confidence``; with ``segment_col=``, a segment column in neither
        the survey table nor ``events`` (both tables' columns named).

    Examples
    --------
    >>> from cjm_jupyter import analytics, templates
    >>> j = templates.load("colleen")
    >>> log = analytics.make_events(j, customers=300, segments=["mobile", "desktop"], seed=1)
    >>> answers = analytics.make_surveys(log, j, seed=1).drop(columns="segment")
    >>> sat = satisfaction(answers, j, segment_col="segment", events=log)
    >>> sorted(sat["segment"].unique()), sat.attrs["segment_source"]
    (['desktop', 'mobile'], 'events')
    """
    customer, segment = customer_col, segment_col  # the roles' names below
    bounds = _scale(scale)
    _check_confidence(confidence)
    ans = _answers(
        surveys, journey, scale=bounds, score=score_col, touchpoint=touchpoint_col,
        customer=customer_col, segment=segment_col, level=level, events=events, event_columns=event_columns,
    )  # fmt: skip
    g = ans.data.groupby(["segment", *ans.keys], sort=False)
    stats = g["emotion"].agg(n="count", mean="mean", std=lambda x: x.std(ddof=1))
    if customer is not None:
        stats["customers"] = g["customer"].nunique()
    counts = ["n", *(["customers"] if customer is not None else [])]
    out = _summarised(ans, stats, segment is not None, [*counts, "mean", "std"])
    if customer is not None:
        out["customers"] = out["customers"].fillna(0).astype("int64")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = z * out["std"] / np.sqrt(out["n"].where(out["n"] > 0))
    out["ci_low"] = (out["mean"] - half).clip(lower=EMOTION_SCALE[0])
    out["ci_high"] = (out["mean"] + half).clip(upper=EMOTION_SCALE[1])
    out.attrs["confidence"] = confidence
    return out


@renamed_keywords(**SURVEY_COLUMNS)
def nps(
    surveys: Any,
    journey: Any,
    *,
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    segment_col: str | None = None,
    level: Literal["touchpoint", "stage"] = "touchpoint",
    confidence: float = 0.95,
    customer_col: str | None = None,
    events: Any = None,
    event_columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Net Promoter Score per touchpoint (or stage) from 0-10 answers, with an interval.

    NPS = % promoters (9-10) - % detractors (0-6), in points from -100 to
    +100; passives (7-8) count in ``n`` only. The interval is the normal
    (Wald) interval of a difference of two proportions of one multinomial
    sample: with shares ``p`` (promoters) and ``d`` (detractors),
    ``Var(p - d) = (p + d - (p - d)^2) / n``, and the bounds are
    ``NPS +/- z * 100 * sqrt(Var)`` clipped to -100..100. It is NaN when
    n < 2 and has zero width when every answer is in one group (a normal
    approximation: read small n with care).

    Parameters
    ----------
    surveys, journey, score_col, touchpoint_col, segment_col, level, customer_col, events, event_columns
        As in :func:`satisfaction` (the scale is NPS 0-10; a score outside
        it is an error).
    confidence : float
        Level of the interval, in (0, 1).

    Returns
    -------
    DataFrame
        One row per place (and segment), in journey order, places without
        answers included: ``segment`` (with ``segment_col=``), ``stage_id``,
        ``stage``, [``touchpoint_id``, ``touchpoint``], ``n``,
        ``promoters``, ``passives``, ``detractors`` (counts), ``nps``,
        ``ci_low``, ``ci_high`` (points; NaN without answers). ``.attrs`` as
        in :func:`satisfaction`, plus ``confidence`` and ``method``.

    Raises
    ------
    ValidationError
        As :func:`satisfaction`: a missing or non-numeric column, a score
        outside 0-10, a bad ``level`` or ``confidence``, a segment column in
        neither table.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Buy", id="s0")
    >>> _ = j.add_touchpoint("s0", "Checkout", id="t0")
    >>> answers = pd.DataFrame({"touchpoint_id": ["t0"] * 4, "score": [10, 9, 7, 3]})
    >>> nps(answers, j)[["n", "promoters", "detractors", "nps"]].to_dict("records")
    [{'n': 4, 'promoters': 2, 'detractors': 1, 'nps': 25.0}]
    """
    segment = segment_col  # the role's name below
    _check_confidence(confidence)
    ans = _answers(
        surveys, journey, scale=SCALES["nps"], score=score_col, touchpoint=touchpoint_col,
        customer=customer_col, segment=segment_col, level=level, events=events, event_columns=event_columns,
    )  # fmt: skip
    if len(ans.data) >= 20 and ans.data["score"].max() <= 5:
        # every answer fits a 1-5 scale: NPS would call them all detractors (-100)
        warn_user(
            f"no answer of the {len(ans.data)} is above 5: is this a 0-10 NPS survey? "
            "(every answer counts as a detractor)"
        )
    data = ans.data.assign(
        promoters=(ans.data["score"] >= 9).astype("int64"),
        detractors=(ans.data["score"] <= 6).astype("int64"),
    )
    g = data.groupby(["segment", *ans.keys], sort=False)
    stats = g.agg(n=("score", "count"), promoters=("promoters", "sum"), detractors=("detractors", "sum"))
    out = _summarised(ans, stats, segment is not None, ["n", "promoters", "detractors"])
    for col in ("promoters", "detractors"):
        out[col] = out[col].fillna(0).astype("int64")
    out.insert(out.columns.get_loc("detractors"), "passives", out["n"] - out["promoters"] - out["detractors"])
    n = out["n"].where(out["n"] > 0).astype("float64")
    p, d = out["promoters"] / n, out["detractors"] / n
    out["nps"] = 100 * (p - d)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    half = (z * 100 * np.sqrt((p + d - (p - d) ** 2) / n)).where(out["n"] >= 2)
    out["ci_low"] = (out["nps"] - half).clip(lower=-100)
    out["ci_high"] = (out["nps"] + half).clip(upper=100)
    out.attrs.update(confidence=confidence, method="Wald interval of the trinomial difference")
    return out


@renamed_keywords(**SURVEY_COLUMNS)
def top_two_box(
    surveys: Any,
    journey: Any,
    *,
    scale: Any = "csat",
    score_col: str = "score",
    touchpoint_col: str = "touchpoint_id",
    segment_col: str | None = None,
    level: Literal["touchpoint", "stage"] = "touchpoint",
    confidence: float = 0.95,
    customer_col: str | None = None,
    events: Any = None,
    event_columns: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Top-2-box share per touchpoint (or stage): answers in the scale's two best points.

    The top two boxes are the answers at or above ``high - 1`` of the scale
    (CSAT 1-5: 4 and 5, "satisfied" or "very satisfied"; CES 1-7: 6 and 7;
    NPS 0-10: 9 and 10, the promoters). The interval is Wilson's score
    interval (:func:`cjm_jupyter.analytics.stats.wilson_interval`, needs the
    ``stats`` extra).

    Parameters
    ----------
    surveys, journey, scale, score_col, touchpoint_col, segment_col, level, customer_col, events
        As in :func:`satisfaction`.
    event_columns
        As in :func:`satisfaction`.
    confidence : float
        Level of the interval, in (0, 1).

    Returns
    -------
    DataFrame
        One row per place (and segment), in journey order, places without
        answers included: ``segment`` (with ``segment_col=``), ``stage_id``,
        ``stage``, [``touchpoint_id``, ``touchpoint``], ``n``, ``top2``
        (count), ``share`` (top2 / n, a ratio 0..1), ``ci_low``, ``ci_high``
        (NaN without answers). ``.attrs`` as in :func:`satisfaction`, plus
        ``confidence``, ``threshold`` (the lowest top-box answer) and ``method``.

    Raises
    ------
    ValidationError
        A scale without at least three whole-number points (e.g. ``(0, 1.5)``);
        and as :func:`satisfaction`: a missing or non-numeric column, a score
        off the scale, a bad ``scale``, ``level`` or ``confidence``, a
        segment column in neither table.
    ImportError
        statsmodels missing (the Wilson interval): ``pip install "cjm_jupyter[stats]"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from cjm_jupyter import Journey
    >>> j = Journey("Shop")
    >>> _ = j.add_stage("Buy", id="s0")
    >>> _ = j.add_touchpoint("s0", "Checkout", id="t0")
    >>> answers = pd.DataFrame({"touchpoint_id": ["t0"] * 4, "score": [5, 4, 3, 1]})
    >>> top_two_box(answers, j)[["n", "top2", "share"]].to_dict("records")
    [{'n': 4, 'top2': 2, 'share': 0.5}]
    """
    from .stats import wilson_interval

    segment = segment_col  # the role's name below
    low, high = _scale(scale)
    if low != int(low) or high != int(high) or high - low < 2:
        # "the two best boxes" needs a scale of whole-number answer points, at least three of them
        raise ValidationError(
            "top-2-box needs a scale of whole-number points with at least 3 of them, such as 1-5",
            column="scale",
            value=scale,
            has_value=True,
        )
    _check_confidence(confidence)
    ans = _answers(
        surveys, journey, scale=(low, high), score=score_col, touchpoint=touchpoint_col,
        customer=customer_col, segment=segment_col, level=level, events=events, event_columns=event_columns,
    )  # fmt: skip
    data = ans.data.assign(top2=(ans.data["score"] >= high - 1).astype("int64"))
    g = data.groupby(["segment", *ans.keys], sort=False)
    stats = g.agg(n=("score", "count"), top2=("top2", "sum"))
    out = _summarised(ans, stats, segment is not None, ["n", "top2"])
    out["top2"] = out["top2"].fillna(0).astype("int64")
    out["share"] = out["top2"] / out["n"].where(out["n"] > 0).astype("float64")
    ci_low, ci_high = wilson_interval(out["top2"].to_numpy(), out["n"].to_numpy(), level=confidence)
    out["ci_low"], out["ci_high"] = np.asarray(ci_low, dtype="float64"), np.asarray(ci_high, dtype="float64")
    out.attrs.update(confidence=confidence, threshold=high - 1, method="Wilson score interval")
    return out
