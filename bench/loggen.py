"""A second, independently written event-log generator for the analytics benchmark matrix.

Written apart from the clickstream generator of ``bench_analytics.py`` and
shaped differently on purpose, so a speed-up tuned to one log shape shows up
as a miss on the other:

* **customer ids** are int64s spread over ``[0, 2**62)`` (an odd-multiplier
  bijection of the customer's index, so unique and not dense), with two
  derived variants of the very same log: text (``'C-'`` + 19 digits) and
  DuckDB ``UUID`` (the MD5 of the integer; Parquet ``UUID``, read back by
  ``read_parquet`` as ``UUID``);
* **customer sizes** are Pareto (alpha 1.2, from 2 events, capped at
  :data:`MAX_EVENTS`): most customers have a handful of events and a long
  tail has 1,000 and more (about 0.06% of customers, ~15% of the events);
* **ties**: a customer's events come in bursts of 1-4 that share one
  timestamp (to the second), so several events of a customer happen at the
  same instant, sometimes the same event twice;
* **events outside the journey**: about 10% of events are one of
  :data:`UNMAPPED` (session, login, errors...), not in the mapping;
* **non-monotone stages**: a customer's frontier stage advances with its
  events up to its depth, but a quarter of its events revisit an earlier
  stage and some jump one stage ahead, so stage order goes back and forth;
* **segment**: a per-customer column with 4 values of unequal shares;
* rows are stored in time order within a part (as an export by time would
  be), not grouped by customer.

The log is written by DuckDB SQL as Parquet parts, one range of customers
at a time (:data:`CUSTOMERS_PER_PART`), so generating 100M events needs no
more memory than 10M. Every value is a function of (seed, customer index,
event index) only, and the log has exactly the number of events asked for
(the last customer is cut short). Parts are written atomically and reused
when a complete log of the same size, seed and :data:`VERSION` exists.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import duckdb

#: bump when the generated data change, so old folders are not reused
VERSION = 1
ID_TYPES = ("int64", "text", "uuid")
STAGES = ("discover", "research", "compare", "buy", "onboard", "renew")
TOUCHPOINTS = (
    ("social post", "search ad", "friend referral", "billboard"),
    ("blog article", "review site", "product page", "video demo"),
    ("pricing page", "comparison tool", "sales chat", "trial signup"),
    ("cart", "checkout", "payment", "order confirmation"),
    ("welcome email", "setup wizard", "first use", "help center"),
    ("renewal notice", "loyalty offer", "plan upgrade", "contract renewal"),
)
ACTIONS = ("view", "click")
UNMAPPED = (
    "session_start",
    "session_end",
    "login",
    "logout",
    "page_scroll",
    "heartbeat",
    "error_500",
    "cookie_consent",
    "push_received",
    "app_background",
    "search_suggest",
    "settings_open",
)
SEGMENTS = (("consumer", 0.45), ("smb", 0.30), ("enterprise", 0.17), ("public", 0.08))
DEVICES = ("ios", "android", "desktop", "tablet")
#: Pareto shape and minimum of the events per customer, and its cap (a bot-like customer)
ALPHA, MIN_EVENTS, MAX_EVENTS = 1.2, 2.0, 50_000
#: share of events outside the journey, of journey events revisiting an earlier stage, jumping ahead
UNMAPPED_SHARE, BACK_SHARE, AHEAD_SHARE = 0.10, 0.25, 0.05
#: customers per Parquet part (about 2.6M events each)
CUSTOMERS_PER_PART = 250_000


def event_names() -> list[tuple[str, int, int]]:
    """The mapped events: (name, stage index, touchpoint index), in stage, touchpoint, action order."""
    out = []
    for s, tps in enumerate(TOUCHPOINTS):
        for t, tp in enumerate(tps):
            for action in ACTIONS:
                out.append((f"{tp.replace(' ', '_')}_{action}", s, s * len(tps) + t))
    return out


def make_journey() -> tuple[Any, dict[str, str]]:
    """The Journey (6 stages, 24 touchpoints) and the mapping event -> touchpoint id (48 events)."""
    from cjm_jupyter import Journey

    j = Journey("Event-log matrix benchmark")
    for s, name in enumerate(STAGES):
        j.add_stage(name.capitalize(), id=f"st{s}")
    for s, tps in enumerate(TOUCHPOINTS):
        for t, tp in enumerate(tps):
            j.add_touchpoint(f"st{s}", tp.capitalize(), id=f"tp{s * len(tps) + t:02d}")
    mapping = {name: f"tp{tp:02d}" for name, _, tp in event_names()}
    return j, mapping


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _customers_sql(first: int, stop: int, seed: int) -> str:
    """One row per customer index in ``[first, stop)``: id, size, segment, depth, start, span, burst."""
    cuts, acc = [], 0.0
    for name, share in SEGMENTS[:-1]:
        acc += share
        cuts.append(f"WHEN u(c, 3) < {acc} THEN '{name}'")
    return f"""
SELECT c,
  -- a bijection of [0, 2**62): unique ids, spread out, not dense
  CAST((c * 6364136223846793005::HUGEINT + {int(seed)} * 1442695040888963407::HUGEINT)
       % 4611686018427387904 AS BIGINT) AS id,
  CAST(least({MAX_EVENTS}, floor({MIN_EVENTS} * pow(1.0 - u(c, 1), -1.0 / {ALPHA}))) AS INTEGER) AS n,
  CASE {" ".join(cuts)} ELSE '{SEGMENTS[-1][0]}' END AS segment,
  u(c, 4) AS depth_u,
  CAST(floor(u(c, 5) * 365 * 86400) AS BIGINT) AS start_s,
  -- gap between bursts: log-normal around 3 hours, shorter for busy customers (applied below)
  exp(ln(10800) + 1.5 * sqrt(-2 * ln(1.0 - u(c, 6))) * cos(2 * pi() * u(c, 7))) AS gap0_s,
  1 + CAST(floor(u(c, 8) * u(c, 8) * 4) AS INTEGER) AS burst,
  CAST(floor(u(c, 9) * {len(DEVICES)}) AS INTEGER) AS device
FROM range({int(first)}, {int(stop)}) r(c)"""


def _write_part(
    con: duckdb.DuckDBPyConnection, first: int, stop: int, budget: int, path: Path, seed: int
) -> int:
    """Customers ``first .. stop-1``, at most ``budget`` events in all, to ``path``; returns the events."""
    mapped = event_names()
    per_stage = len(mapped) // len(STAGES)
    n_tp = len(TOUCHPOINTS[0])
    con.execute(
        f"""
CREATE OR REPLACE MACRO u(x, salt) AS (hash(x, {int(seed)}, salt, 'loggen') >> 11) / 9007199254740992.0;
CREATE OR REPLACE TEMP TABLE cu AS
WITH raw AS ({_customers_sql(first, stop, seed)}),
cum AS (SELECT *, SUM(n) OVER (ORDER BY c ROWS UNBOUNDED PRECEDING) - n AS before FROM raw)
SELECT * REPLACE (CAST(least(n, {int(budget)} - before) AS INTEGER) AS n),
  gap0_s * 30 / (30 + sqrt(n)) AS gap_s,
  -- deepest stage: longer customers go deeper (drop-off between stages)
  CAST(least({len(STAGES) - 1}, floor(-ln(1.0 - depth_u) * (0.6 + 0.35 * ln(n)))) AS INTEGER) AS depth
FROM cum WHERE before < {int(budget)};
"""
    )
    events = int(con.execute("SELECT COALESCE(SUM(n), 0) FROM cu").fetchone()[0])
    if not events:
        return 0
    tmp = path.with_suffix(".tmp")
    con.execute(
        f"""
COPY (
  WITH ev AS (SELECT *, unnest(range(n)) AS k FROM cu),
  b AS (
    SELECT *, k // burst AS bk, (n + burst - 1) // burst AS nb,
      -- frontier stage grows with the event index up to the depth
      least(depth, CAST(floor((depth + 1) * (k + 0.5) / n) AS INTEGER)) AS frontier,
      u(c * 65536 + k, 10) AS pick, u(c * 65536 + k, 11) AS pick2
    FROM ev
  ),
  s AS (
    SELECT *,
      CASE WHEN pick < {BACK_SHARE} THEN CAST(floor(pick2 * (frontier + 1)) AS INTEGER)
           WHEN pick < {BACK_SHARE + AHEAD_SHARE} THEN least({len(STAGES) - 1}, frontier + 1)
           ELSE frontier END AS stage
    FROM b
  )
  SELECT id AS customer_id,
    -- one timestamp per burst: bursts spaced by gap_s, jitter below one gap
    TIMESTAMP '2025-01-01' + to_seconds(start_s + CAST(floor(bk * gap_s
      + u(c * 65536 + bk, 12) * gap_s * 0.8) AS BIGINT)) AS timestamp,
    CASE WHEN u(c * 65536 + k, 13) < {UNMAPPED_SHARE}
      THEN ({_sql_list(UNMAPPED)})[1 + CAST(floor(u(c * 65536 + k, 14) * {len(UNMAPPED)}) AS INTEGER)]
      ELSE ({_sql_list([m[0] for m in mapped])})[1 + stage * {per_stage}
        -- touchpoints within a stage are skewed towards the first
        + CAST(floor(pow(u(c * 65536 + k, 15), 1.5) * {n_tp}) AS INTEGER) * {len(ACTIONS)}
        + CAST(floor(u(c * 65536 + k, 16) * {len(ACTIONS)}) AS INTEGER)]
    END AS event,
    segment,
    ({_sql_list(DEVICES)})[1 + device] AS device
  FROM s ORDER BY timestamp
) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000);
DROP TABLE cu;
"""
    )
    os.replace(tmp, path)  # a part exists only when complete
    return events


#: how each id variant is derived from the int64 log (same customers, same rows)
ID_EXPR = {
    "text": "'C-' || lpad(CAST(customer_id AS VARCHAR), 19, '0')",
    "uuid": "CAST(md5(CAST(customer_id AS VARCHAR)) AS UUID)",
}


def _connect(memory_limit: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"preserve_insertion_order": False, "memory_limit": memory_limit})
    con.execute("SET enable_progress_bar = false")
    return con


def generate(
    n_events: int, out: Path, seed: int, id_type: str = "int64", *, memory_limit: str = "3GB"
) -> dict[str, Any]:
    """Write (or reuse) the log of ``n_events`` events with ``id_type`` ids under ``out``.

    Returns
    -------
    dict
        ``glob`` (the Parquet parts), ``events``, ``customers``, ``parts``,
        ``bytes`` (on disk), ``seconds`` (spent generating it), ``reused`` (found complete).
    """
    if id_type not in ID_TYPES:
        raise ValueError(f"id_type must be one of {ID_TYPES}, not {id_type!r}")
    folder = out / f"loggen{VERSION}_{n_events}_{seed}_{id_type}"
    meta_path = folder / "meta.json"
    if meta_path.exists():
        return {**json.loads(meta_path.read_text()), "reused": True}
    start = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    con = _connect(memory_limit)
    if id_type == "int64":
        done, first, k = 0, 0, 0
        while done < n_events:
            stop = first + CUSTOMERS_PER_PART
            done += _write_part(con, first, stop, n_events - done, folder / f"part-{k:05d}.parquet", seed)
            first, k = stop, k + 1
    else:
        base = Path(generate(n_events, out, seed, "int64", memory_limit=memory_limit)["glob"]).parent
        for part in sorted(base.glob("part-*.parquet")):
            tmp = folder / (part.stem + ".tmp")
            con.execute(
                f"COPY (SELECT {ID_EXPR[id_type]} AS customer_id, * EXCLUDE (customer_id) "
                f"FROM read_parquet('{part}')) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)"
            )
            os.replace(tmp, folder / part.name)
    glob = str(folder / "part-*.parquet")
    events, customers = con.execute(
        f"SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM read_parquet('{glob}')"
    ).fetchone()
    con.close()
    parts = sorted(folder.glob("part-*.parquet"))
    meta = {
        "glob": glob,
        "id_type": id_type,
        "events": int(events),
        "customers": int(customers),
        "parts": len(parts),
        "bytes": sum(p.stat().st_size for p in parts),
        "seconds": round(time.perf_counter() - start, 1),
    }
    tmp_meta = meta_path.with_suffix(".tmp")
    tmp_meta.write_text(json.dumps(meta))
    os.replace(tmp_meta, meta_path)  # the log counts as complete only once this exists
    return {**meta, "reused": False}


def describe(glob: str) -> dict[str, Any]:
    """Shape statistics of a generated log (for the bench's header): sizes, ties, unmapped share."""
    con = _connect("2GB")
    unmapped = _sql_list(list(UNMAPPED))
    row = con.execute(
        f"""
WITH e AS (SELECT * FROM read_parquet('{glob}')),
per AS (SELECT customer_id, COUNT(*) AS n FROM e GROUP BY 1),
inst AS (SELECT customer_id, timestamp, COUNT(*) AS n FROM e GROUP BY 1, 2)
SELECT (SELECT COUNT(*) FROM per), (SELECT MAX(n) FROM per), (SELECT COUNT(*) FROM per WHERE n >= 1000),
  (SELECT SUM(n) FILTER (WHERE n >= 1000) FROM per) / (SELECT SUM(n) FROM per),
  (SELECT SUM(n) FILTER (WHERE n > 1) FROM inst) / (SELECT SUM(n) FROM inst),
  (SELECT AVG(CAST(list_contains({unmapped}, event) AS DOUBLE)) FROM e),
  (SELECT COUNT(DISTINCT segment) FROM e)
"""
    ).fetchone()
    con.close()
    keys = ("customers", "max_events", "customers_1000plus", "share_1000plus", "tied_share", "unmapped_share",
            "segments")  # fmt: skip
    return dict(zip(keys, row, strict=True))
