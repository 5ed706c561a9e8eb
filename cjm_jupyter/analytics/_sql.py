"""The metric definitions: one SQL statement per metric.

Every metric is one SQL text built from shared CTEs:

``events``
    the log, normalised by the input layer (engine-specific, see ``_inputs``):
    ``customer_id``, ``t_us`` (epoch microseconds), ``event``, ``segment``.
``mapping``, ``touchpoints``, ``stages``
    the journey as VALUES lists.
``customers``
    one row per customer with its segment: the segment of its earliest event
    (``min_by``; a tie at the earliest time picks any of them).
``segments``
    the distinct segments.
``steps``
    the distinct (customer, time, event) rows joined to touchpoint and stage
    (only mapped events, or all events for event-level transitions).
``seq``
    **the one sorted per-customer CTE**: steps ordered by time within each
    customer (ties broken by stage order, touchpoint order, event name), with
    the row number and the previous/next step, all over one window.

The SQL is written to run on DuckDB and on Spark SQL alike (window functions,
``percentile_cont(..) WITHIN GROUP``, ``min_by``, ``NULLS LAST`` spelled out).
Deviations are marked ``DIALECT:`` in comments.
"""

from __future__ import annotations

from ._inputs import EventSource
from ._mapping import JourneyMapping

__all__ = ["base_ctes", "funnel_sql", "transitions_sql", "stage_times_sql", "variants_sql", "bounces_sql"]

LEVELS = {"stage": "stage_id", "touchpoint": "touchpoint_id", "event": "event"}


def base_ctes(src: EventSource, jm: JourneyMapping, *, mapped_only: bool = True) -> str:
    join = "JOIN" if mapped_only else "LEFT JOIN"
    ctes = [
        f"events AS ({src.projection()})",
        *jm.ctes(),
        "customers AS (SELECT customer_id, min_by(segment, t_us) AS segment FROM events\n"
        "  GROUP BY customer_id)",
        "segments AS (SELECT DISTINCT segment FROM customers)",
        f"""steps AS (
  SELECT d.customer_id, d.t_us, d.event, m.touchpoint_id, tp.stage_id, s.stage_order, tp.tp_order
  FROM (SELECT DISTINCT customer_id, t_us, event FROM events) d
  {join} mapping m ON m.event = d.event
  {join} touchpoints tp ON tp.touchpoint_id = m.touchpoint_id
  {join} stages s ON s.stage_id = tp.stage_id
)""",
        """seq AS (
  SELECT st.customer_id, st.t_us, st.event, st.touchpoint_id, st.stage_id, st.stage_order, st.tp_order,
    c.segment,
    ROW_NUMBER() OVER w AS rn,
    LAG(st.stage_id) OVER w AS prev_stage_id,
    LEAD(st.t_us) OVER w AS next_t_us,
    LEAD(st.stage_id) OVER w AS next_stage_id,
    LEAD(st.touchpoint_id) OVER w AS next_touchpoint_id,
    LEAD(st.event) OVER w AS next_event
  FROM steps st JOIN customers c ON c.customer_id = st.customer_id
  WINDOW w AS (PARTITION BY st.customer_id
               ORDER BY st.t_us, st.stage_order NULLS LAST, st.tp_order NULLS LAST, st.event)
)""",
    ]
    return "WITH " + ",\n".join(ctes)


def funnel_sql(base: str) -> str:
    return (
        base
        + """,
reach AS (
  SELECT c.segment, st.stage_id, COUNT(DISTINCT st.customer_id) AS customers
  FROM steps st JOIN customers c ON c.customer_id = st.customer_id
  GROUP BY c.segment, st.stage_id
),
grid AS (
  SELECT g.segment, s.stage_id, s.stage, s.stage_order, COALESCE(r.customers, 0) AS customers
  FROM segments g CROSS JOIN stages s
  LEFT JOIN reach r ON r.segment = g.segment AND r.stage_id = s.stage_id
)
SELECT segment, stage_id, stage, customers,
  CAST(customers AS DOUBLE) / NULLIF(LAG(customers) OVER f, 0) AS conversion,
  CAST(customers AS DOUBLE) / NULLIF(FIRST_VALUE(customers) OVER f, 0) AS conversion_from_start,
  LAG(customers) OVER f - customers AS drop_off
FROM grid
WINDOW f AS (PARTITION BY segment ORDER BY stage_order)
ORDER BY segment, stage_order"""
    )


def transitions_sql(base: str, level: str, self_loops: bool) -> str:
    node = LEVELS[level]
    nxt = "next_" + node
    loop = "" if self_loops else f" AND {nxt} <> {node}"
    # With repeats collapsed, a transition runs from the last event of a run
    # of one node to the first event of the next node: exactly the rows whose
    # next step is at another node.
    return (
        base
        + f"""
SELECT segment, {node} AS source, {nxt} AS target, COUNT(*) AS n,
  COUNT(DISTINCT customer_id) AS customers,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY next_t_us - t_us) AS median_us
FROM seq
WHERE {nxt} IS NOT NULL{loop}
GROUP BY segment, {node}, {nxt}
ORDER BY segment, n DESC, source, target"""
    )


def stage_times_sql(base: str) -> str:
    return (
        base
        + """,
first_reach AS (
  SELECT segment, customer_id, stage_id, MIN(t_us) AS first_us
  FROM seq GROUP BY segment, customer_id, stage_id
),
pairs AS (
  SELECT a.stage_id AS source_id, a.stage AS source, b.stage_id AS target_id, b.stage AS target,
    a.stage_order AS step
  FROM stages a JOIN stages b ON b.stage_order = a.stage_order + 1
),
deltas AS (
  SELECT x.segment, p.step, y.first_us - x.first_us AS d
  FROM pairs p
  JOIN first_reach x ON x.stage_id = p.source_id
  JOIN first_reach y ON y.stage_id = p.target_id AND y.customer_id = x.customer_id
)
SELECT g.segment, p.source_id, p.source, p.target_id, p.target, COUNT(d.d) AS customers,
  percentile_cont(0.25) WITHIN GROUP (ORDER BY d.d) AS q1_us,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY d.d) AS median_us,
  percentile_cont(0.75) WITHIN GROUP (ORDER BY d.d) AS q3_us
FROM segments g CROSS JOIN pairs p
LEFT JOIN deltas d ON d.segment = g.segment AND d.step = p.step
GROUP BY g.segment, p.step, p.source_id, p.source, p.target_id, p.target
ORDER BY g.segment, p.step"""
    )


def variants_sql(base: str, top: int) -> str:
    # DIALECT: string_agg(x, sep ORDER BY k) is DuckDB/Postgres; Spark 4 spells it
    # listagg(x, sep) WITHIN GROUP (ORDER BY k) (DuckDB does not accept that form).
    return (
        base
        + f""",
runs AS (
  SELECT q.segment, q.customer_id, q.rn, q.stage_id, s.stage, s.stage_order
  FROM seq q JOIN stages s ON s.stage_id = q.stage_id
  WHERE q.prev_stage_id IS NULL OR q.prev_stage_id <> q.stage_id
),
paths AS (
  SELECT segment, customer_id,
    string_agg(stage_id, ' > ' ORDER BY rn) AS path,
    string_agg(stage, ' > ' ORDER BY rn) AS variant,
    COUNT(*) AS length,
    MAX(CASE WHEN stage_order = last_order THEN 1 ELSE 0 END) AS converted
  FROM runs CROSS JOIN (SELECT MAX(stage_order) AS last_order FROM stages) ls
  GROUP BY segment, customer_id
),
agg AS (
  SELECT segment, path, MIN(variant) AS variant, MIN(length) AS length, COUNT(*) AS n,
    AVG(CAST(converted AS DOUBLE)) AS conversion
  FROM paths GROUP BY segment, path
),
ranked AS (
  SELECT agg.*, CAST(n AS DOUBLE) / SUM(n) OVER (PARTITION BY segment) AS share,
    ROW_NUMBER() OVER (PARTITION BY segment ORDER BY n DESC, path) AS rank
  FROM agg
)
SELECT segment, rank, variant, path, length, n, share, conversion
FROM ranked WHERE rank <= {int(top)}
ORDER BY segment, rank"""
    )


def bounces_sql(base: str) -> str:
    return (
        base
        + """,
visits AS (
  SELECT segment, touchpoint_id, COUNT(DISTINCT customer_id) AS customers
  FROM seq GROUP BY segment, touchpoint_id
),
lasts AS (
  SELECT segment, touchpoint_id, COUNT(*) AS bounces FROM seq WHERE next_t_us IS NULL
  GROUP BY segment, touchpoint_id
)
SELECT g.segment, s.stage_id, s.stage, tp.touchpoint_id, tp.touchpoint,
  COALESCE(v.customers, 0) AS customers, COALESCE(l.bounces, 0) AS bounces,
  CAST(COALESCE(l.bounces, 0) AS DOUBLE) / NULLIF(v.customers, 0) AS bounce_rate
FROM segments g CROSS JOIN touchpoints tp
JOIN stages s ON s.stage_id = tp.stage_id
LEFT JOIN visits v ON v.segment = g.segment AND v.touchpoint_id = tp.touchpoint_id
LEFT JOIN lasts l ON l.segment = g.segment AND l.touchpoint_id = tp.touchpoint_id
ORDER BY g.segment, s.stage_order, tp.tp_order"""
    )
