"""The matrix benchmark's event-log generator (bench/loggen.py) and its hand-written DuckDB queries.

The generator's promises (exact size, id variants of one log, skew, ties,
unmapped events, back-and-forth stages, segments) are what the benchmark's
matrix claims to measure, and the hand-written queries must compute what
``analyze`` computes, or the ratio compares unequal work.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import analytics_matrix
import loggen

N = 30_000


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("loggen")
    return {t: loggen.generate(N, out, 3, t) for t in loggen.ID_TYPES}


def _all(sql: str) -> list[tuple]:
    return duckdb.connect().execute(sql).fetchall()


def _one(sql: str) -> object:
    return _all(sql)[0][0]


def _rows(glob: str, customer: str = "customer_id") -> list[tuple]:
    sql = f"SELECT {customer}, timestamp, event, segment, device FROM read_parquet('{glob}') ORDER BY ALL"
    return _all(sql)


def test_exact_size_and_reuse(logs: dict[str, dict]) -> None:
    assert {m["events"] for m in logs.values()} == {N}
    assert len({m["customers"] for m in logs.values()}) == 1
    again = loggen.generate(N, Path(logs["int64"]["glob"]).parents[1], 3, "int64")
    assert again["reused"] is True and again["events"] == N


def test_rows_do_not_depend_on_the_part_size(logs: dict[str, dict], tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(loggen, "CUSTOMERS_PER_PART", 700)
    small = loggen.generate(N, tmp_path, 3, "int64")
    assert small["parts"] > 1
    assert _rows(small["glob"]) == _rows(logs["int64"]["glob"])


def test_id_variants_are_the_same_log(logs: dict[str, dict]) -> None:
    types = {
        t: _one(f"SELECT typeof(customer_id) FROM read_parquet('{m['glob']}') LIMIT 1")
        for t, m in logs.items()
    }
    assert types == {"int64": "BIGINT", "text": "VARCHAR", "uuid": "UUID"}
    ints = _rows(logs["int64"]["glob"])
    for t in ("text", "uuid"):
        back = loggen.ID_EXPR[t]
        assert sorted(_rows(logs[t]["glob"])) == sorted(
            _all(f"SELECT {back}, timestamp, event, segment, device FROM '{logs['int64']['glob']}'")
        )
    assert _one(f"SELECT min(customer_id) >= 0 FROM read_parquet('{logs['int64']['glob']}')")
    assert len(ints) == N
    text = _one(f"SELECT customer_id FROM read_parquet('{logs['text']['glob']}') LIMIT 1")
    assert text.startswith("C-") and len(text) == 21 and text[2:].isdigit()


def test_shape(logs: dict[str, dict]) -> None:
    shape = loggen.describe(logs["int64"]["glob"])
    assert shape["segments"] == 4
    assert 0.08 < shape["unmapped_share"] < 0.12
    assert shape["tied_share"] > 0.2  # several events of a customer at one instant
    assert shape["max_events"] >= 1000  # the long tail
    glob = logs["int64"]["glob"]
    # one segment per customer; some customer's stage order goes back
    per_customer = "SELECT COUNT(DISTINCT segment) n FROM read_parquet('{}') GROUP BY customer_id"
    assert _one(f"SELECT max(n) FROM ({per_customer.format(glob)})") == 1
    stage_of = {name: s for name, s, _ in loggen.event_names()}
    seqs: dict[int, list[int]] = {}
    for c, _, e in _all(f"SELECT customer_id, timestamp, event FROM '{glob}' ORDER BY 1, 2"):
        if e in stage_of:
            seqs.setdefault(c, []).append(stage_of[e])
    assert any(any(b < a for a, b in itertools.pairwise(s)) for s in seqs.values())


@pytest.mark.parametrize("level", analytics_matrix.LEVELS)
@pytest.mark.parametrize("segmented", [False, True])
def test_hand_written_queries_compute_what_analyze_computes(logs: dict, level: str, segmented: bool) -> None:
    glob = logs["uuid" if segmented else "int64"]["glob"]
    _, ours = analytics_matrix.run_ours(glob, level, segmented)
    _, ddb = analytics_matrix.run_duckdb(glob, level, segmented)
    analytics_matrix.verify(f"{level}:{segmented}", ours, ddb)
    assert ours["transitions"] and ours["funnel"]
