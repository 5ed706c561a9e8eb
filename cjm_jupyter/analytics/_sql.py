"""The metric definitions: SQL over one materialized, per-customer sorted sequence.

An analysis run (:mod:`.analysis`) materializes a few tables through the
engine's ``EventSource.materialize`` and then runs every metric as one short
tail query on them, so the expensive part (scan, mapping join, the sort per
customer) happens once however many metrics are asked for.

Materialized tables (names chosen per run, see :class:`Tables`)
----------------------------------------------------------------
``cust``
    one row per customer: ``customer_id``, ``cid`` (an integer code: the sort
    and every later GROUP BY run on it, cheaper and smaller than the
    strings) and, with ``segment=``, ``segment`` (the segment of its earliest
    event, mapped or not; a tie at the earliest time picks the smallest value).
``seq``
    **the one sorted per-customer table**: the mapped events, de-duplicated,
    ordered by time within each customer (ties: stage order, touchpoint
    order, event name), each with its row number and next step: ``cust``
    (the ``cid``), [``segment``], ``t_us``, ``st``, ``tp``, ``rn``, ``next_t_us``,
    ``next_st``, ``next_tp``.
``codes``, ``seq_all`` (only for event-level transitions)
    every event of the log with its integer code ``ev``, and the same
    sequence over all events: ``cust``, [``segment``], ``t_us``,
    ``ev``, ``next_t_us``, ``next_ev``.
``stay``
    one row per (customer, stage reached): ``cust`` (the ``cid``, or the
    customer id itself when built straight from the events), [``segment``], ``st``,
    ``first_us`` (first event there), ``leave_us`` (the first event after the
    customer's last event there; NULL when the log ends in the stage, or when
    built straight from the events because no metric needs it).

Stages and touchpoints travel as their journey positions ``st`` and ``tp``
(integers, from small VALUES lists), events as ``ev``, their rank in the tie
order (stage order, touchpoint order, event name), so the window sorts on
just ``(t_us, ev)``: the sort and the lead columns stay integer, which is
what makes the one window cheap (a ``LEAD`` over a string column costs
several times more in DuckDB).

The SQL runs on DuckDB and on Spark SQL alike (window functions,
``percentile_cont(..) WITHIN GROUP``, ``min_by``, ``NULLS LAST`` spelled out).
Where the engines differ, one small helper marked ``DIALECT:`` takes the
source's ``dialect``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ._inputs import NO_SEGMENT, EventSource
from ._mapping import JourneyMapping

__all__ = [
    "LEVELS",
    "Tables",
    "JourneySQL",
    "ordered_join",
    "cust_sql",
    "codes_sql",
    "seq_sql",
    "stay_sql",
    "funnel_sql",
    "transitions_sql",
    "stage_times_sql",
    "stage_durations_sql",
    "variants_sql",
    "bounces_sql",
    "profiles_sql",
]

#: transition level -> (column in seq, lookup CTE, code column there, id column there)
LEVELS = {
    "stage": ("st", "stages", "st", "stage_id"),
    "touchpoint": ("tp", "touchpoints", "tp", "touchpoint_id"),
    "event": ("ev", "codes", "ev", "event"),  # ev: the event's rank in the tie order
}


def ordered_join(dialect: str, value: str, sep: str, order: str) -> str:
    """DIALECT: ``value`` strings joined by ``sep`` in ``order`` (one aggregate).

    DuckDB/Postgres spell it ``string_agg(x, sep ORDER BY k)``; Spark 4 only
    accepts ``listagg(x, sep) WITHIN GROUP (ORDER BY k)``, which DuckDB rejects.
    """
    if dialect == "spark":
        return f"listagg({value}, {sep}) WITHIN GROUP (ORDER BY {order})"
    return f"string_agg({value}, {sep} ORDER BY {order})"


@dataclass(frozen=True)
class Tables:
    """The names of one run's materialized tables, and how the tail queries read them."""

    prefix: str
    segmented: bool

    def name(self, kind: str) -> str:
        """Table name of ``kind`` (``"seq"``, ``"stay"``...) for this run."""
        return f"{self.prefix}_{kind}"

    def rel(self, kind: str) -> str:
        """FROM item for ``kind`` with a ``segment`` column (a constant when unsegmented)."""
        name = self.name(kind)
        # unsegmented runs do not store a constant column per row; it is added on read
        return name if self.segmented else f"(SELECT *, '{NO_SEGMENT}' AS segment FROM {name})"

    def segments(self) -> str:
        """FROM item with the distinct segments (every customer's, mapped or not)."""
        if self.segmented:
            return f"(SELECT DISTINCT segment FROM {self.name('cust')})"
        return f"(SELECT '{NO_SEGMENT}' AS segment)"


def literal(value: object, kind: str, dialect: str) -> str:
    """DIALECT: ``value`` as an SQL literal, ``kind`` ``"i"`` (integer) or ``"s"`` (string).

    Names come from the user's journey, so any character may appear. Standard
    SQL (DuckDB) only doubles a quote; Spark SQL also reads a backslash as an
    escape, so there both are backslash-escaped, and ``spark.sql`` substitutes
    ``${...}`` even inside literals before parsing, so ``$`` is written as the
    escape ``\\u0024``. (Assumes Spark's default
    ``spark.sql.parser.escapedStringLiterals=false``.)
    """
    if kind == "i":
        return str(int(value))  # type: ignore[call-overload]
    text = str(value)
    if dialect == "spark":
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("$", "\\u0024") + "'"
    return "'" + text.replace("'", "''") + "'"


def values_list(frame: pd.DataFrame, columns: tuple[str, ...], kinds: str, dialect: str) -> str:
    """``(VALUES (..), ..)`` holding ``columns`` of ``frame`` as literals of ``kinds``."""
    rows = (
        "(" + ", ".join(literal(v, k, dialect) for v, k in zip(row, kinds, strict=True)) + ")"
        for row in frame[list(columns)].itertuples(index=False)
    )
    return "(VALUES " + ", ".join(rows) + ")"


class JourneySQL:
    """The journey's stages, touchpoints and mapping as VALUES CTEs with integer positions."""

    def __init__(self, jm: JourneyMapping, dialect: str = "duckdb") -> None:
        stages = jm.stages.sort_values("stage_order", kind="stable").reset_index(drop=True)
        stages["st"] = range(len(stages))
        st_of = dict(zip(stages["stage_id"], stages["st"], strict=True))
        tps = jm.touchpoints.assign(st=jm.touchpoints["stage_id"].map(st_of)).dropna(subset=["st"])
        tps = tps.sort_values(["st", "tp_order"], kind="stable").reset_index(drop=True)
        tps["tp"] = range(len(tps))
        self.n_stages = len(stages)
        #: stage ids and names by position ``st``
        self.stage_ids = [str(v) for v in stages["stage_id"]]
        self.stage_names = [str(v) for v in stages["stage"]]
        self.stages = (
            "stages AS (SELECT * FROM "
            + values_list(stages, ("stage_id", "stage", "st"), "ssi", dialect)
            + " AS v(stage_id, stage, st))"
        )
        self.touchpoints = (
            "touchpoints AS (SELECT * FROM "
            + values_list(tps, ("touchpoint_id", "touchpoint", "st", "tp"), "ssii", dialect)
            + " AS v(touchpoint_id, touchpoint, st, tp))"
        )
        self.mapping = (
            "mapping AS (SELECT * FROM "
            + values_list(pd.DataFrame(jm.events), ("event", "touchpoint_id"), "ss", dialect)
            + " AS v(event, touchpoint_id))"
        )


# --- materialized tables ------------------------------------------------------------------


def row_ids(dialect: str) -> str:
    """DIALECT: distinct integers numbering the rows of a result, in any order.

    DuckDB numbers rows without sorting (``ROW_NUMBER() OVER ()``). Spark's
    ``row_number`` needs an ORDER BY, which pulls every row into one
    partition; ``monotonically_increasing_id`` is distinct and stays
    partitioned. It is not deterministic across recomputation, which is safe
    because the table holding it is materialised (checkpointed) once.
    """
    if dialect == "spark":
        return "monotonically_increasing_id()"
    return "CAST(ROW_NUMBER() OVER () AS INT)"


def earliest(dialect: str, value: str, time: str) -> str:
    """DIALECT: ``value`` at the earliest ``time``; a tie picks the smallest ``value`` (deterministic).

    ``min_by(value, time)`` alone picks any of the tied rows. Ordering by the
    pair needs a struct: DuckDB spells it ``row(a, b)``, Spark ``struct(a, b)``.
    """
    pair = f"struct({time}, {value})" if dialect == "spark" else f"row({time}, {value})"
    return f"min_by({value}, {pair})"


def cust_sql(src: EventSource, tables: Tables) -> str:
    """``cust``: each customer's integer code and segment (from its earliest event, any event)."""
    seg = f", {earliest(src.dialect, 'segment', 't_us')} AS segment" if tables.segmented else ""
    return (
        f"WITH events AS ({src.projection()})\n"
        f"SELECT customer_id, {row_ids(src.dialect)} AS cid{seg} FROM events GROUP BY customer_id"
    )


def codes_sql(src: EventSource, js: JourneySQL) -> str:
    """``codes``: every event of the log, its rank ``ev`` in the tie order, touchpoint and stage (or NULL)."""
    return f"""WITH events AS ({src.projection()}), {js.mapping}, {js.touchpoints}
SELECT d.event, ROW_NUMBER() OVER (ORDER BY t.st NULLS LAST, t.tp NULLS LAST, d.event) AS ev, t.tp, t.st
FROM (SELECT DISTINCT event FROM events) d
LEFT JOIN mapping m ON m.event = d.event
LEFT JOIN touchpoints t ON t.touchpoint_id = m.touchpoint_id"""


# ev: rank in the tie order; among mapped events only, it orders them as over all events
_MAPPED_CODES = (
    "codes AS (SELECT m.event, ROW_NUMBER() OVER (ORDER BY t.st, t.tp, m.event) AS ev, t.tp, t.st\n"
    "  FROM mapping m JOIN touchpoints t ON t.touchpoint_id = m.touchpoint_id)"
)


def seq_sql(src: EventSource, js: JourneySQL, tables: Tables, *, mapped_only: bool = True) -> str:
    """``seq`` (mapped events) or ``seq_all`` (every event): the one window per customer.

    De-duplication is fused into the sort: identical (customer, time, event)
    rows are adjacent in the window order, so a row whose next row is the same
    event at the same time is dropped, and each kept row's ``LEAD`` already
    points past its duplicates. No DISTINCT (a hash over every row) is needed.
    """
    ctes = [f"events AS ({src.projection()})"]
    if mapped_only:
        ctes += [js.mapping, js.touchpoints, _MAPPED_CODES]
        codes = "codes"
        keep = "cust, {seg}t_us, st, tp, rn, next_t_us, next_st, next_tp"
    else:
        codes = tables.name("codes")
        keep = "cust, {seg}t_us, ev, next_t_us, next_ev"
    seg_col = "c.segment, " if tables.segmented else ""
    keep = keep.format(seg="segment, " if tables.segmented else "")
    return f"""WITH {", ".join(ctes)}
SELECT {keep} FROM (
  SELECT c.cid AS cust, {seg_col}e.t_us, k.st, k.tp, k.ev, CAST(ROW_NUMBER() OVER w AS INT) AS rn,
    LEAD(e.t_us) OVER w AS next_t_us, LEAD(k.st) OVER w AS next_st,
    LEAD(k.tp) OVER w AS next_tp, LEAD(k.ev) OVER w AS next_ev
  FROM events e JOIN {codes} k ON k.event = e.event
  JOIN {tables.name("cust")} c ON c.customer_id = e.customer_id
  WINDOW w AS (PARTITION BY c.cid ORDER BY e.t_us, k.ev)
) q
WHERE next_t_us IS NULL OR next_t_us <> t_us OR next_ev <> ev"""


def stay_sql(src: EventSource, js: JourneySQL, tables: Tables, *, from_seq: bool) -> str:
    """``stay``: one row per (customer, stage reached) with first and leaving times.

    From ``seq`` when it exists: ``next_t_us`` grows along a customer's rows,
    so its maximum over a stage's rows is the time of the event after the last
    one there; a NULL among them means the log ends in that stage. Without
    ``seq`` (funnel and stage times alone) it is one GROUP BY over the events,
    with no sort and no ``leave_us``.
    """
    seg = "segment, " if tables.segmented else ""
    if from_seq:
        return (
            f"SELECT cust, {seg}st, MIN(t_us) AS first_us,\n"
            "  CASE WHEN COUNT(next_t_us) = COUNT(*) THEN MAX(next_t_us) END AS leave_us\n"
            f"FROM {tables.name('seq')} GROUP BY cust, {seg}st"
        )
    seg_join, seg_col = "", ""
    if tables.segmented:
        seg_join = f"\nJOIN {tables.name('cust')} c ON c.customer_id = e.customer_id"
        seg_col = "c.segment, "
    return f"""WITH events AS ({src.projection()}), {js.mapping}, {js.touchpoints}
SELECT e.customer_id AS cust, {seg_col}t.st, MIN(e.t_us) AS first_us, CAST(NULL AS BIGINT) AS leave_us
FROM events e JOIN mapping m ON m.event = e.event
JOIN touchpoints t ON t.touchpoint_id = m.touchpoint_id{seg_join}
GROUP BY e.customer_id, {seg_col}t.st"""


# --- metrics: one tail query each -----------------------------------------------------------


def funnel_sql(js: JourneySQL, tables: Tables) -> str:
    """Customers per stage reached (first reach), conversions and drop-off."""
    return f"""WITH {js.stages},
reach AS (SELECT segment, st, COUNT(*) AS customers FROM {tables.rel("stay")} GROUP BY segment, st),
grid AS (
  SELECT g.segment, s.stage_id, s.stage, s.st, COALESCE(r.customers, 0) AS customers
  FROM {tables.segments()} g CROSS JOIN stages s
  LEFT JOIN reach r ON r.segment = g.segment AND r.st = s.st
)
SELECT segment, stage_id, stage, customers,
  CAST(customers AS DOUBLE) / NULLIF(LAG(customers) OVER f, 0) AS conversion,
  CAST(customers AS DOUBLE) / NULLIF(FIRST_VALUE(customers) OVER f, 0) AS conversion_from_start,
  (LAG(customers) OVER f) - customers AS drop_off  -- parenthesised: Spark reads `f - x` as a name
FROM grid
WINDOW f AS (PARTITION BY segment ORDER BY st)
ORDER BY segment, st"""


def transitions_sql(js: JourneySQL, tables: Tables, level: str, self_loops: bool) -> str:
    """Directly-follows counts between runs of stages, touchpoints or events."""
    node, lookup, code, ident = LEVELS[level]
    seq = tables.rel("seq_all" if level == "event" else "seq")
    lookup_from = tables.name("codes") if level == "event" else lookup
    loop = "" if self_loops else f" AND next_{node} <> {node}"
    # With repeats collapsed, a transition runs from the last event of a run
    # of one node to the first event of the next node: exactly the rows whose
    # next step is at another node.
    return f"""WITH {js.stages}, {js.touchpoints},
agg AS (
  SELECT segment, {node} AS a, next_{node} AS b, COUNT(*) AS n, COUNT(DISTINCT cust) AS customers,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY next_t_us - t_us) AS median_us
  FROM {seq}
  WHERE next_{node} IS NOT NULL{loop}
  GROUP BY segment, {node}, next_{node}
)
SELECT agg.segment, x.{ident} AS source, y.{ident} AS target, agg.n, agg.customers, agg.median_us
FROM agg JOIN {lookup_from} x ON x.{code} = agg.a JOIN {lookup_from} y ON y.{code} = agg.b
ORDER BY agg.segment, agg.n DESC, source, target"""


def stage_times_sql(js: JourneySQL, tables: Tables) -> str:
    """Time between first reaching consecutive stages: quartiles over customers reaching both."""
    stay = tables.rel("stay")
    return f"""WITH {js.stages},
pairs AS (
  SELECT a.st AS step, a.stage_id AS source_id, a.stage AS source, b.stage_id AS target_id,
    b.stage AS target
  FROM stages a JOIN stages b ON b.st = a.st + 1
),
deltas AS (
  SELECT x.segment, x.st AS step, y.first_us - x.first_us AS d
  FROM {stay} x JOIN {stay} y ON y.cust = x.cust AND y.st = x.st + 1
)
SELECT g.segment, p.source_id, p.source, p.target_id, p.target, COUNT(d.d) AS customers,
  percentile_cont(0.25) WITHIN GROUP (ORDER BY d.d) AS q1_us,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d.d) AS median_us,
  percentile_cont(0.75) WITHIN GROUP (ORDER BY d.d) AS q3_us
FROM {tables.segments()} g CROSS JOIN pairs p
LEFT JOIN deltas d ON d.segment = g.segment AND d.step = p.step
GROUP BY g.segment, p.step, p.source_id, p.source, p.target_id, p.target
ORDER BY g.segment, p.step"""


def stage_durations_sql(js: JourneySQL, tables: Tables) -> str:
    """Time in stage: first event there until leaving it for good, quartiles per stage."""
    return f"""WITH {js.stages},
spans AS (SELECT segment, st, leave_us - first_us AS d FROM {tables.rel("stay")})
SELECT g.segment, s.stage_id, s.stage, COUNT(x.d) AS customers, COUNT(x.st) - COUNT(x.d) AS still_in,
  percentile_cont(0.25) WITHIN GROUP (ORDER BY x.d) AS q1_us,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY x.d) AS median_us,
  percentile_cont(0.75) WITHIN GROUP (ORDER BY x.d) AS q3_us
FROM {tables.segments()} g CROSS JOIN stages s
LEFT JOIN spans x ON x.segment = g.segment AND x.st = s.st
GROUP BY g.segment, s.st, s.stage_id, s.stage
ORDER BY g.segment, s.st"""


def variants_sql(js: JourneySQL, tables: Tables, top: int, dialect: str) -> str:
    """Stage paths (repeats collapsed) per segment: the ``top`` by count and any tied with them.

    A path is built from integer stage positions (``"0,1,0"``): one ordered
    aggregate over integers is several times cheaper than joining id and name
    strings per customer. The caller turns the few paths returned into stage
    ids and names and breaks count ties by the id path (``analysis``);
    ``RANK`` keeps every path tied with the ``top``-th so that tie-break is
    exact.
    """
    # A run's last row is the one whose next stage differs. The row number
    # orders the path: one integer key sorts about twice as fast as (t_us, st).
    path = ordered_join(dialect, "CAST(st AS STRING)", "','", "rn")
    return f"""WITH paths AS (
  SELECT segment, cust, {path} AS codes, COUNT(*) AS length,
    CASE WHEN MAX(st) = {js.n_stages - 1} THEN 1 ELSE 0 END AS converted
  FROM {tables.rel("seq")}
  WHERE next_st IS NULL OR next_st <> st
  GROUP BY segment, cust
),
agg AS (
  SELECT segment, codes, MIN(length) AS length, COUNT(*) AS n,
    AVG(CAST(converted AS DOUBLE)) AS conversion
  FROM paths GROUP BY segment, codes
),
ranked AS (
  SELECT agg.*, CAST(n AS DOUBLE) / SUM(n) OVER (PARTITION BY segment) AS share,
    RANK() OVER (PARTITION BY segment ORDER BY n DESC) AS by_count
  FROM agg
)
SELECT segment, codes, length, n, share, conversion FROM ranked WHERE by_count <= {int(top)}"""


def bounces_sql(js: JourneySQL, tables: Tables) -> str:
    """Customers visiting each touchpoint and those whose last event is there."""
    seq = tables.rel("seq")
    return f"""WITH {js.stages}, {js.touchpoints},
visits AS (SELECT segment, tp, COUNT(DISTINCT cust) AS customers FROM {seq} GROUP BY segment, tp),
lasts AS (
  SELECT segment, tp, COUNT(*) AS bounces FROM {seq} WHERE next_t_us IS NULL GROUP BY segment, tp
)
SELECT g.segment, s.stage_id, s.stage, t.touchpoint_id, t.touchpoint,
  COALESCE(v.customers, 0) AS customers, COALESCE(l.bounces, 0) AS bounces,
  CAST(COALESCE(l.bounces, 0) AS DOUBLE) / NULLIF(v.customers, 0) AS bounce_rate
FROM {tables.segments()} g CROSS JOIN touchpoints t
JOIN stages s ON s.st = t.st
LEFT JOIN visits v ON v.segment = g.segment AND v.tp = t.tp
LEFT JOIN lasts l ON l.segment = g.segment AND l.tp = t.tp
ORDER BY g.segment, t.tp"""


def profiles_sql(js: JourneySQL, tables: Tables) -> str:
    """One row per customer with a mapped event: first/last time, counts, furthest stage, last touchpoint."""
    return f"""WITH {js.stages}, {js.touchpoints},
per AS (
  SELECT cust, segment, MIN(t_us) AS first_us, MAX(t_us) AS last_us, COUNT(*) AS events,
    COUNT(DISTINCT st) AS stages, MAX(st) AS furthest,
    MAX(CASE WHEN next_t_us IS NULL THEN tp END) AS last_tp  -- one last row per customer
  FROM {tables.rel("seq")} GROUP BY cust, segment
)
SELECT p.segment, c.customer_id, p.first_us, p.last_us, p.events, p.stages,
  s.stage_id AS furthest_stage_id, s.stage AS furthest_stage,
  t.touchpoint_id AS last_touchpoint_id, t.touchpoint AS last_touchpoint,
  CASE WHEN p.furthest = {js.n_stages - 1} THEN 1 ELSE 0 END AS converted
FROM per p JOIN {tables.name("cust")} c ON c.cid = p.cust
JOIN stages s ON s.st = p.furthest JOIN touchpoints t ON t.tp = p.last_tp
ORDER BY p.segment, c.customer_id"""
