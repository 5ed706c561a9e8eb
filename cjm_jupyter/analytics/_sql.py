"""The metric definitions: SQL over one materialized, per-customer sorted sequence.

An analysis run (:mod:`.analysis`) materializes a few tables through the
engine's ``Source.materialize`` and then runs every metric as one short
tail query on them, so the expensive part (scan, mapping join, the sort per
customer) happens once however many metrics are asked for.

Materialized tables (names chosen per run, see :class:`Tables`)
----------------------------------------------------------------
``cust``
    one row per customer: ``customer_id`` (in the input's own type: text,
    integer, UUID, date...; see ``engines.base.projection_sql``), ``cid`` (an
    integer code: the sort and every later GROUP BY run on it, cheaper and
    smaller than text or UUID ids) and, with ``segment=``, ``segment`` (the
    segment of its earliest event, mapped or not; a tie at the earliest time
    picks the smallest value).
``seq``
    **the one sorted per-customer table**: the mapped events, de-duplicated,
    ordered by time within each customer (ties: stage order, touchpoint
    order, event name), each with its row number and next step: ``cust``
    (the ``cid``), [``segment``], ``t_us``, ``st``, ``tp``, ``rn``, ``next_t_us``,
    ``next_st``, ``next_tp``.
``codes`` (only for event-level transitions)
    every event of the log with its integer code ``ev``. The sequence over
    all events (``seq_all``: ``cust``, [``segment``], ``t_us``, ``ev``,
    ``next_t_us``, ``next_ev``) is not stored: event-level transitions
    compute it inside their one tail query (see :func:`transitions_sql`), so
    no second table as large as the log sits beside ``seq``.
``stay``
    one row per (customer, stage reached), from ``seq``: ``cust``,
    [``segment``], ``st``, ``first_us`` (first event there), ``leave_us`` (the
    first event after the customer's last event there; NULL when the log
    ends in the stage).
``reach``
    one row per (customer, funnel step reached): ``cust`` (the ``cid``, or
    the customer id itself when built straight from the events),
    [``segment``], ``k`` (the step's index from the funnel's start),
    ``reach_us`` (when the step was reached in the funnel's mode; see
    :func:`reach_sql` and :mod:`._steps`).

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

from ._mapping import JourneyMapping
from ._steps import FunnelSteps
from .engines import NO_SEGMENT, Source

__all__ = [
    "LEVELS",
    "Tables",
    "UNSPLIT_COLUMNS",
    "JourneySQL",
    "ordered_join",
    "cust_sql",
    "codes_sql",
    "seq_sql",
    "stay_sql",
    "funnel_ctes",
    "reach_sql",
    "funnel_sql",
    "transitions_sql",
    "stage_times_sql",
    "step_times_sql",
    "segment_codes",
    "segment_names_sql",
    "step_durations_sql",
    "goal_inline",
    "stage_durations_sql",
    "variants_sql",
    "exits_sql",
    "bounces_sql",
    "funnel_flow_sql",
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


#: the columns of the tables :meth:`Tables.rel` reads, but the segment (see the module docstring)
UNSPLIT_COLUMNS = {
    "seq": ("cust", "t_us", "st", "tp", "rn", "next_t_us", "next_st", "next_tp"),
    "stay": ("cust", "st", "first_us", "leave_us"),
    "reach": ("cust", "k", "reach_us"),
}


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
        if self.segmented:
            return name
        # Unsegmented runs do not store a constant column per row; it is added on read. The
        # columns are named: an unsplit run may read a split run's tables (their segment
        # column left out here, see analysis._shares_split).
        return f"(SELECT {', '.join(UNSPLIT_COLUMNS[kind])}, '{NO_SEGMENT}' AS segment FROM {name})"

    def segments(self) -> str:
        """FROM item with the distinct segments (every customer's, mapped or not)."""
        if self.segmented:
            return f"(SELECT DISTINCT g AS segment FROM {self.name('cust')})"
        return f"(SELECT '{NO_SEGMENT}' AS segment)"


def literal(value: object, kind: str, dialect: str) -> str:
    r"""DIALECT: ``value`` as an SQL literal, ``kind`` ``"i"`` (integer) or ``"s"`` (string).

    Names come from the user's journey, so any character may appear. Standard
    SQL (DuckDB) only doubles a quote; Spark SQL also reads a backslash as an
    escape, so there both are backslash-escaped, and ``spark.sql`` substitutes
    ``${...}`` even inside literals before parsing, so ``$`` is written as the
    escape ``\u0024``. (Assumes Spark's default
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
        #: touchpoint ids, names and stage positions by position ``tp``
        self.tp_ids = [str(v) for v in tps["touchpoint_id"]]
        self.tp_names = [str(v) for v in tps["touchpoint"]]
        self.tp_stages = [int(v) for v in tps["st"]]
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


def int_div(dialect: str, a: str, b: int) -> str:
    """DIALECT: the integer quotient of ``a`` by the positive integer ``b`` (DuckDB ``//``, Spark ``div``)."""
    return f"({a}) div {int(b)}" if dialect == "spark" else f"({a}) // {int(b)}"


def median_of(dialect: str, value: str, *, streamed: bool) -> str:
    """DIALECT: the interpolated median of ``value`` (never NULL) per group, ``percentile_cont(0.5)``.

    DuckDB's ``percentile_cont`` aggregate is slow fed straight from a window
    (``streamed``) with many groups (about 3x the CPU of the whole rest of
    the event-level transitions on 10M events split by segment); collecting
    the group's values into a list and taking the list's median gives the
    same numbers several times faster there, but is slower reading a stored
    table (touchpoint transitions: about 1.3x). Spark keeps ``percentile_cont``.
    """
    if dialect == "spark" or not streamed:
        return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {value})"
    return f"list_aggregate(list({value}), 'median')"


def earliest(dialect: str, value: str, time: str) -> str:
    """DIALECT: ``value`` at the earliest ``time``; a tie picks the smallest ``value`` (deterministic).

    ``min_by(value, time)`` alone picks any of the tied rows. Ordering by the
    pair needs a struct: DuckDB spells it ``row(a, b)``, Spark ``struct(a, b)``.
    """
    pair = f"struct({time}, {value})" if dialect == "spark" else f"row({time}, {value})"
    return f"min_by({value}, {pair})"


def direct_ids(src: Source, tables: Tables) -> bool:
    """Whether the sort partitions by the customer id itself, with no join to ``cust``.

    An integer id is already the cheap key ``cid`` stands for (so ``cust``
    gives it as its own ``cid``, see :func:`cust_sql`); only a split run
    still joins ``cust``, for the segment.
    """
    return src.id_kind == "integer" and not tables.segmented


def cust_sql(src: Source, tables: Tables) -> str:
    """``cust``: each customer's integer code and segment (from its earliest event, any event)."""
    # an integer id is its own code: the windows over it need no join (direct_ids)
    ids = "CAST(customer_id AS BIGINT)" if src.id_kind == "integer" else row_ids(src.dialect)
    if not tables.segmented:
        return (
            f"WITH events AS ({src.projection()})\n"
            f"SELECT customer_id, {ids} AS cid FROM events GROUP BY customer_id"
        )
    # A plain GROUP BY first (each customer's earliest time per segment): the tie rule's
    # min_by over a pair, costly per row, then runs on about one row per customer.
    # The segment's integer code g (0, 1, ... in text order) is what every later table
    # carries: a small integer sorts, groups and travels through the window far cheaper
    # than text; the tail queries' results are decoded at the end (segment_names_sql).
    return (
        f"WITH events AS ({src.projection()}),\n"
        "firsts AS (SELECT customer_id, segment, MIN(t_us) AS t_us FROM events\n"
        "  GROUP BY customer_id, segment),\n"
        f"per AS (SELECT customer_id, {earliest(src.dialect, 'segment', 't_us')} AS segment\n"
        "  FROM firsts GROUP BY customer_id),\n"
        "segs AS (SELECT segment, CAST(ROW_NUMBER() OVER (ORDER BY segment) - 1 AS INT) AS g\n"
        "  FROM (SELECT DISTINCT segment FROM per) d)\n"
        f"SELECT p.customer_id, {ids} AS cid, p.segment, s.g FROM per p JOIN segs s ON s.segment = p.segment"
    )


def codes_sql(src: Source, js: JourneySQL) -> str:
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


def seq_sql(src: Source, js: JourneySQL, tables: Tables, *, mapped_only: bool = True) -> str:
    """``seq`` (mapped events) or ``seq_all`` (every event): the one window per customer.

    De-duplication is fused into the sort: identical (customer, time, event)
    rows are adjacent in the window order, so a row whose next row is the same
    event at the same time is dropped, and each kept row's ``LEAD`` already
    points past its duplicates. No DISTINCT (a hash over every row) is needed.
    """
    ctes = [f"events AS ({src.projection()})"]
    if mapped_only:
        ctes += [js.mapping, js.touchpoints, _MAPPED_CODES]
        keep = "cust, {seg}t_us, st, tp, rn, next_t_us, next_st, next_tp"
    else:
        keep = "cust, {seg}t_us, ev, next_t_us, next_ev"
    keep = keep.format(seg="segment, " if tables.segmented else "")
    window = _window_sql(tables, keep, mapped_only=mapped_only, direct=direct_ids(src, tables))
    return f"WITH {', '.join(ctes)}\n{window}"


def _window_sql(tables: Tables, keep: str, *, mapped_only: bool, direct: bool) -> str:
    """Build the per-customer window over CTE ``events`` (and ``codes`` if ``mapped_only``): ``keep`` columns.

    ``direct``: partition by the (integer) customer id itself (:func:`direct_ids`).
    """
    codes = "codes" if mapped_only else tables.name("codes")
    seg_col = "c.g AS segment, " if tables.segmented else ""
    mapped = "k.st, k.tp, CAST(ROW_NUMBER() OVER w AS INT) AS rn,\n    " if mapped_only else ""
    nexts = "LEAD(k.st) OVER w AS next_st, LEAD(k.tp) OVER w AS next_tp, " if mapped_only else ""
    cust, join = "e.customer_id", ""
    if not direct:
        cust, join = "c.cid", f"\n  JOIN {tables.name('cust')} c ON c.customer_id = e.customer_id"
    return f"""SELECT {keep} FROM (
  SELECT {cust} AS cust, {seg_col}e.t_us, k.ev, {mapped}LEAD(e.t_us) OVER w AS next_t_us,
    {nexts}LEAD(k.ev) OVER w AS next_ev
  FROM events e JOIN {codes} k ON k.event = e.event{join}
  WINDOW w AS (PARTITION BY {cust} ORDER BY e.t_us, k.ev)
) q
WHERE next_t_us IS NULL OR next_t_us <> t_us OR next_ev <> ev"""


def stay_sql(tables: Tables) -> str:
    """``stay``: one row per (customer, stage reached) with first and leaving times, from ``seq``.

    ``next_t_us`` grows along a customer's rows, so its maximum over a
    stage's rows is the time of the event after the last one there; a NULL
    among them means the log ends in that stage.
    """
    seg = "segment, " if tables.segmented else ""
    return (
        f"SELECT cust, {seg}st, MIN(t_us) AS first_us,\n"
        "  CASE WHEN COUNT(next_t_us) = COUNT(*) THEN MAX(next_t_us) END AS leave_us\n"
        f"FROM {tables.name('seq')} GROUP BY cust, {seg}st"
    )


def funnel_ctes(fs: FunnelSteps, dialect: str) -> tuple[str, str]:
    """Spell the funnel steps as VALUES CTEs ``fmap`` (tp, k) and ``fsteps`` (k, step_id, stage_id, stage).

    ``fmap`` sends each touchpoint position of a step to the step's index
    ``k``; ``fsteps`` holds each step's id, its stage's id and its label.
    """
    # a VALUES list cannot be empty: steps without touchpoints get a row matching no touchpoint
    pairs = [(tp, k) for k, step in enumerate(fs.steps) for tp in step.tps] or [(-1, -1)]
    fmap = "fmap AS (SELECT * FROM (VALUES " + ", ".join(f"({tp}, {k})" for tp, k in pairs)
    fmap += ") AS v(tp, k))"
    rows = (
        f"({k}, " + ", ".join(literal(v, "s", dialect) for v in (st.step_id, st.stage_id, st.label)) + ")"
        for k, st in enumerate(fs.steps)
    )
    info = "fsteps AS (SELECT * FROM (VALUES " + ", ".join(rows) + ") AS v(k, step_id, stage_id, stage))"
    return fmap, info


def reach_sql(src: Source, js: JourneySQL, tables: Tables, fs: FunnelSteps, *, from_seq: bool) -> str:
    """``reach``: one row per (customer, funnel step reached) and the time it was reached.

    ``first_reach``: the customer's first event at the step, whatever came
    before. ``sequential``: step 0 as in first reach; step k at the first
    event there at or after the time step k - 1 was reached (a chain of one
    join per step; steps are disjoint and later steps sort later at equal
    times, see :mod:`._steps`, so ``>=`` on time is the order of ``seq``).

    From ``seq`` when it is made anyway (integer customer codes); without it
    (a first-reach funnel or step times alone) one GROUP BY over the events,
    with no sort, ``cust`` then being the customer id itself.
    """
    fmap, _ = funnel_ctes(fs, src.dialect)
    seg = "segment, " if tables.segmented else ""
    if from_seq:
        seq = tables.name("seq")
        ctes = [fmap, f"hits AS (SELECT s.cust, {seg}f.k, s.t_us FROM {seq} s JOIN fmap f ON f.tp = s.tp)"]
    else:
        cust = tables.name("cust")
        seg_join = f" JOIN {cust} c ON c.customer_id = e.customer_id" if tables.segmented else ""
        ctes = [
            f"events AS ({src.projection()})",
            js.mapping,
            js.touchpoints,
            fmap,
            "emap AS (SELECT m.event, f.k FROM mapping m\n"
            "  JOIN touchpoints t ON t.touchpoint_id = m.touchpoint_id JOIN fmap f ON f.tp = t.tp)",
            f"hits AS (SELECT e.customer_id AS cust, {'c.g AS segment, ' if seg else ''}x.k, e.t_us\n"
            f"  FROM events e JOIN emap x ON x.event = e.event{seg_join})",
        ]
    if fs.mode == "first_reach":
        body = f"SELECT cust, {seg}k, MIN(t_us) AS reach_us FROM hits GROUP BY cust, {seg}k"
        return "WITH " + ",\n".join(ctes) + "\n" + body
    group = "cust, segment" if seg else "cust"
    ctes.append(f"r0 AS (SELECT {group}, MIN(t_us) AS reach_us FROM hits WHERE k = 0 GROUP BY {group})")
    hgroup = "h.cust, h.segment" if seg else "h.cust"
    for k in range(1, len(fs.steps)):
        ctes.append(
            f"r{k} AS (SELECT {hgroup}, MIN(h.t_us) AS reach_us FROM hits h\n"
            f"  JOIN r{k - 1} p ON p.cust = h.cust AND h.t_us >= p.reach_us\n"
            f"  WHERE h.k = {k} GROUP BY {hgroup})"
        )
    body = "\nUNION ALL ".join(f"SELECT {group}, {k} AS k, reach_us FROM r{k}" for k in range(len(fs.steps)))
    return "WITH " + ",\n".join(ctes) + "\n" + body


# --- metrics: one tail query each -----------------------------------------------------------


def funnel_sql(fs: FunnelSteps, tables: Tables, dialect: str) -> str:
    """Count customers per funnel step reached (in the funnel's mode), conversions and drop-off."""
    _, fsteps = funnel_ctes(fs, dialect)
    return f"""WITH {fsteps},
counts AS (SELECT segment, k, COUNT(*) AS customers FROM {tables.rel("reach")} GROUP BY segment, k),
grid AS (
  SELECT g.segment, s.k, s.step_id, s.stage_id, s.stage, COALESCE(r.customers, 0) AS customers
  FROM {tables.segments()} g CROSS JOIN fsteps s
  LEFT JOIN counts r ON r.segment = g.segment AND r.k = s.k
)
SELECT segment, stage_id, stage, customers,
  CAST(customers AS DOUBLE) / NULLIF(LAG(customers) OVER f, 0) AS conversion,
  CAST(customers AS DOUBLE) / NULLIF(FIRST_VALUE(customers) OVER f, 0) AS conversion_from_start,
  (LAG(customers) OVER f) - customers AS drop_off,  -- parenthesised: Spark reads `f - x` as a name
  step_id, {literal(fs.mode, "s", dialect)} AS mode
FROM grid
WINDOW f AS (PARTITION BY segment ORDER BY k)
ORDER BY segment, k"""


def transitions_sql(
    js: JourneySQL, tables: Tables, level: str, self_loops: bool, src: Source | None = None
) -> str:
    """Directly-follows counts between runs of stages, touchpoints or events.

    Stage and touchpoint transitions read ``seq``. Event-level ones need the
    sequence of every event (``src``, the log): it is computed here, in this
    one query, and never stored, so only its transition rows (a customer's
    consecutive distinct events, with their time gap) reach the aggregate.
    """
    node, lookup, code, ident = LEVELS[level]
    loop = "" if self_loops else f" AND next_{node} <> {node}"
    lookup_from = tables.name("codes") if level == "event" else lookup
    ctes = [js.stages, js.touchpoints]
    if level == "event":
        assert src is not None, "event-level transitions read the log"
        # the unstored window over every event; rows without a next event never count
        seg = "segment, " if tables.segmented else f"'{NO_SEGMENT}' AS segment, "
        keep = f"{seg}cust, t_us, ev, next_t_us, next_ev"
        window = _window_sql(tables, keep, mapped_only=False, direct=direct_ids(src, tables))
        ctes = [f"events AS ({src.projection()})", *ctes, f"seq_all AS ({window})"]
        seq = "seq_all"
    else:
        seq = tables.rel("seq")
    # With repeats collapsed, a transition runs from the last event of a run of one node to
    # the first event of the next node: exactly the rows whose next step is at another node.
    where = f"FROM {seq}\n  WHERE next_{node} IS NOT NULL{loop}"
    dialect = src.dialect if src is not None else "duckdb"
    measures = (
        "COUNT(*) AS n, COUNT(DISTINCT cust) AS customers,\n"
        # event level: the window over every event feeds the aggregate (see median_of)
        f"    {median_of(dialect, 'next_t_us - t_us', streamed=level == 'event')} AS median_us"
    )
    # the codes' bound: stage and touchpoint positions run from 0, event ranks from 1 to the
    # log's number of event names (its profile's; 0: not known, no packing)
    if level == "event":
        size = len(src.event_counts) + 1 if src is not None and src.event_counts else 0
    else:
        size = js.n_stages if level == "stage" else len(js.tp_ids)
    if tables.segmented and size > 0 and size * size < 2**31:
        # One integer key (segment code, node, next node) instead of three columns: the hash
        # aggregate over every transition row (its DISTINCT above all) runs on it in about half
        # the time. The segment code is an INT: below 2**31 * size**2 < 2**62, no overflow.
        key = f"(CAST(segment AS BIGINT) * {size} + {node}) * {size} + next_{node}"
        agg = f"""packed AS (
  SELECT {key} AS gab, {measures}
  {where}
  GROUP BY {key}
),
agg AS (
  SELECT {int_div(dialect, "gab", size * size)} AS segment,
    {int_div(dialect, "gab", size)} % {size} AS a, gab % {size} AS b,
    n, customers, median_us
  FROM packed
)"""
    else:
        agg = f"""agg AS (
  SELECT segment, {node} AS a, next_{node} AS b, {measures}
  {where}
  GROUP BY segment, {node}, next_{node}
)"""
    return f"""WITH {", ".join(ctes)},
{agg}
SELECT agg.segment, x.{ident} AS source, y.{ident} AS target, agg.n, agg.customers, agg.median_us
FROM agg JOIN {lookup_from} x ON x.{code} = agg.a JOIN {lookup_from} y ON y.{code} = agg.b
ORDER BY agg.segment, agg.n DESC, source, target"""


def stage_times_sql(fs: FunnelSteps, tables: Tables, dialect: str) -> str:
    """Time between reaching consecutive funnel steps: quartiles over customers reaching both."""
    _, fsteps = funnel_ctes(fs, dialect)
    reach = tables.rel("reach")
    return f"""WITH {fsteps},
pairs AS (
  SELECT a.k AS step, a.step_id AS source_id, a.stage AS source, b.step_id AS target_id,
    b.stage AS target
  FROM fsteps a JOIN fsteps b ON b.k = a.k + 1
),
deltas AS (
  SELECT x.segment, x.k AS step, y.reach_us - x.reach_us AS d
  FROM {reach} x JOIN {reach} y ON y.cust = x.cust AND y.k = x.k + 1
)
SELECT g.segment, p.source_id, p.source, p.target_id, p.target, COUNT(d.d) AS customers,
  percentile_cont(0.25) WITHIN GROUP (ORDER BY d.d) AS q1_us,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d.d) AS median_us,
  percentile_cont(0.75) WITHIN GROUP (ORDER BY d.d) AS q3_us
FROM {tables.segments()} g CROSS JOIN pairs p
LEFT JOIN deltas d ON d.segment = g.segment AND d.step = p.step
GROUP BY g.segment, p.step, p.source_id, p.source, p.target_id, p.target
ORDER BY g.segment, p.step"""


def step_times_sql(fs: FunnelSteps, tables: Tables, dialect: str, *, coded: bool) -> str:
    """One row per customer and consecutive funnel steps reached: the time between them.

    ``coded``: ``reach`` was built from ``seq``, so its ``cust`` is the integer
    code and the id comes from ``cust``; else ``cust`` is the id itself.
    """
    _, fsteps = funnel_ctes(fs, dialect)
    reach = tables.rel("reach")
    ident, join = ("x.cust", "")
    if coded:
        ident, join = "c.customer_id", f"\nJOIN {tables.name('cust')} c ON c.cid = x.cust"
    return f"""WITH {fsteps}
SELECT x.segment, {ident} AS customer_id, a.step_id AS source_id, b.step_id AS target_id,
  y.reach_us - x.reach_us AS duration_us
FROM {reach} x JOIN {reach} y ON y.cust = x.cust AND y.k = x.k + 1
JOIN fsteps a ON a.k = x.k JOIN fsteps b ON b.k = y.k{join}
ORDER BY x.segment, customer_id, x.k"""


def segment_codes(tables: Tables) -> str:
    """CTE ``segs`` (segment, g): every segment and its integer code, 0, 1, ... in text order.

    Split runs read the codes ``cust`` gave (:func:`cust_sql`), the ones the
    analysis tables carry as their ``segment``; an unsplit run has the one
    segment :data:`~.engines.NO_SEGMENT`, code 0.
    """
    if tables.segmented:
        return f"segs AS (SELECT DISTINCT segment, g FROM {tables.name('cust')})"
    return f"segs AS (SELECT '{NO_SEGMENT}' AS segment, 0 AS g)"


def segment_names_sql(tables: Tables) -> str:
    """Every segment code ``g`` and its text ``segment``, by code: decodes a split run's results."""
    return f"WITH {segment_codes(tables)}\nSELECT g, segment FROM segs ORDER BY g"


def step_durations_sql(tables: Tables) -> str:
    """:func:`step_times_sql` for a caller that needs neither the customer nor an order.

    One row per customer and consecutive funnel steps reached, unsorted:
    ``g`` (the segment's code, see :func:`segment_codes`), ``k`` (the source
    step's index; the target is ``k + 1``) and ``duration_us``. Integers
    only: on a large log the id's join, the sort by id and millions of
    strings fetched are most of :func:`step_times_sql`'s cost.
    """
    code = "x.segment" if tables.segmented else "0"  # a split run's segment is its code already
    reach = tables.name("reach")
    return f"""SELECT {code} AS g, x.k, y.reach_us - x.reach_us AS duration_us
FROM {reach} x JOIN {reach} y ON y.cust = x.cust AND y.k = x.k + 1"""


def goal_inline(fs: FunnelSteps) -> bool:
    """Whether reaching the goal can be read off a customer's ``seq`` rows (a first-reach stage goal).

    Otherwise (a touchpoint goal, or the sequential mode) it is the ``reach``
    table's goal row.
    """
    return fs.mode == "first_reach" and not fs.steps[-1].touchpoint


def _goal_reached(fs: FunnelSteps, tables: Tables, alias: str) -> tuple[str, str]:
    """(aggregate over a customer's ``seq`` rows, or a column of the joined reach row; the join)."""
    if goal_inline(fs):
        return f"MAX(CASE WHEN st = {fs.goal_st} THEN 1 ELSE 0 END)", ""
    join = f"\nLEFT JOIN {tables.name('reach')} r ON r.cust = {alias}.cust AND r.k = {len(fs.steps) - 1}"
    return "CASE WHEN r.cust IS NULL THEN 0 ELSE 1 END", join


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


def variants_sql(tables: Tables, fs: FunnelSteps, top: int, dialect: str) -> str:
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
    reached, join = _goal_reached(fs, tables, "p")
    inline = goal_inline(fs)
    return f"""WITH runs AS (
  SELECT segment, cust, {path} AS codes, COUNT(*) AS length{f", {reached} AS converted" if inline else ""}
  FROM {tables.rel("seq")}
  WHERE next_st IS NULL OR next_st <> st
  GROUP BY segment, cust
),
paths AS (
  SELECT p.*{"" if inline else f", {reached} AS converted"} FROM runs p{join}
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


def exits_sql(js: JourneySQL, tables: Tables, fs: FunnelSteps) -> str:
    """Per touchpoint: customers visiting it, and those whose last event is there, split by the goal.

    ``exits``: the customer's last mapped event is at the touchpoint and they
    did not reach the funnel's goal (in its mode); ``completed``: last event
    there and reached it. ``exits + completed`` is the deprecated ``bounces``.
    One aggregate per customer gives both their last touchpoint (the one row
    without a next event) and, for a first-reach stage goal, whether they
    reached it; otherwise the goal comes from ``reach`` (see :func:`goal_inline`).
    """
    seq = tables.rel("seq")
    reached, join = _goal_reached(fs, tables, "p")
    # reached on the customer's own rows (one aggregate), or from the joined reach row
    goal_col = f", {reached} AS converted"
    per_goal, joined_goal = (goal_col, "") if goal_inline(fs) else ("", goal_col)
    return f"""WITH {js.stages}, {js.touchpoints},
visits AS (SELECT segment, tp, COUNT(DISTINCT cust) AS customers FROM {seq} GROUP BY segment, tp),
per AS (
  SELECT segment, cust, MAX(CASE WHEN next_t_us IS NULL THEN tp END) AS last_tp{per_goal}
  FROM {seq} GROUP BY segment, cust
),
ends AS (
  SELECT segment, last_tp AS tp, SUM(1 - converted) AS exits, SUM(converted) AS completed
  FROM (SELECT p.*{joined_goal} FROM per p{join}) x
  GROUP BY segment, last_tp
)
SELECT g.segment, s.stage_id, s.stage, t.touchpoint_id, t.touchpoint,
  COALESCE(v.customers, 0) AS customers, COALESCE(l.exits, 0) AS exits,
  COALESCE(l.completed, 0) AS completed,
  CAST(COALESCE(l.exits, 0) AS DOUBLE) / NULLIF(v.customers, 0) AS exit_rate
FROM {tables.segments()} g CROSS JOIN touchpoints t
JOIN stages s ON s.st = t.st
LEFT JOIN visits v ON v.segment = g.segment AND v.tp = t.tp
LEFT JOIN ends l ON l.segment = g.segment AND l.tp = t.tp
ORDER BY g.segment, t.tp"""


def bounces_sql(js: JourneySQL, tables: Tables) -> str:
    """Count customers at each touchpoint and whose last event is there (deprecated: :func:`exits_sql`)."""
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


def funnel_flow_sql(fs: FunnelSteps, tables: Tables, dialect: str) -> str:
    """Count customers moving from each funnel step they reached to the next one they reached, or out.

    A customer's reached steps (``reach``, in the funnel's mode) are taken in
    step order; each gives one row to the next reached step (``to_k``), or
    to ``-2`` (completed) at the goal, or to ``-1`` (left) after the last
    step reached when that is not the goal. So every step's outgoing counts
    sum to its funnel customers.
    """
    _, fsteps = funnel_ctes(fs, dialect)
    goal = len(fs.steps) - 1
    return f"""WITH {fsteps},
nexts AS (
  SELECT segment, k,
    COALESCE(LEAD(k) OVER (PARTITION BY cust ORDER BY k), CASE WHEN k = {goal} THEN -2 ELSE -1 END) AS to_k
  FROM {tables.rel("reach")}
),
agg AS (SELECT segment, k, to_k, COUNT(*) AS n FROM nexts GROUP BY segment, k, to_k)
SELECT a.segment, a.k, a.to_k, s.step_id AS source, t.step_id AS target, a.n
FROM agg a JOIN fsteps s ON s.k = a.k LEFT JOIN fsteps t ON t.k = a.to_k
ORDER BY a.segment, a.k, CASE WHEN a.to_k < 0 THEN 1 ELSE 0 END, a.to_k"""


def profiles_sql(js: JourneySQL, tables: Tables, fs: FunnelSteps, dialect: str) -> str:
    """One row per customer with a mapped event: times, counts, furthest stage, last touchpoint, path.

    ``codes`` is the collapsed stage path as positions (``"0,1,0"``, as in
    :func:`variants_sql`: a run's last row is the one whose next stage
    differs), turned into ids by the caller. It is its own aggregate: Spark 4
    fails (ClassCastException in ListAgg) when ``listagg`` shares a GROUP BY
    with ``COUNT(DISTINCT ..)``. ``goal_us``: when the goal was reached in the funnel's
    mode (NULL when not).
    """
    reached, join = _goal_reached(fs, tables, "p")
    inline = goal_inline(fs)
    goal = f"MIN(CASE WHEN st = {fs.goal_st} THEN t_us END) AS goal_us, {reached} AS converted"
    return f"""WITH {js.stages}, {js.touchpoints},
per AS (
  SELECT cust, segment, MIN(t_us) AS first_us, MAX(t_us) AS last_us, COUNT(*) AS events,
    COUNT(DISTINCT st) AS stages, COUNT(DISTINCT tp) AS touchpoints, MAX(st) AS furthest,
    -- one row per customer has no next event: its last touchpoint
    MAX(CASE WHEN next_t_us IS NULL THEN tp END) AS last_tp{f", {goal}" if inline else ""}
  FROM {tables.rel("seq")} GROUP BY cust, segment
),
runs AS (
  SELECT cust, {ordered_join(dialect, "CAST(st AS STRING)", "','", "rn")} AS codes FROM {tables.name("seq")}
  WHERE next_st IS NULL OR next_st <> st GROUP BY cust
)
SELECT p.segment, c.customer_id, p.first_us, p.last_us, p.events, p.stages, p.touchpoints,
  s.stage_id AS furthest_stage_id, s.stage AS furthest_stage,
  t.touchpoint_id AS last_touchpoint_id, t.touchpoint AS last_touchpoint, w.codes,
  {"p.converted, p.goal_us" if inline else f"{reached} AS converted, r.reach_us AS goal_us"}
FROM per p JOIN {tables.name("cust")} c ON c.cid = p.cust JOIN runs w ON w.cust = p.cust
JOIN stages s ON s.st = p.furthest JOIN touchpoints t ON t.tp = p.last_tp{join}
ORDER BY p.segment, c.customer_id"""
