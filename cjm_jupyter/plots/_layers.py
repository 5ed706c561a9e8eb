"""Left-to-right layering of transition graphs, shared by the flow and the graph.

Journeys are read left to right in time, so both pictures put every node in a
column (*layer*) such that most transitions point right. With a journey the
columns follow stage order (and, inside a stage, touchpoint order along the
flow); without one they come from the flow itself: a depth-first search
marks the transitions that close a cycle as *back* edges and the rest, a
DAG, is layered by longest path. A hand-written layering keeps the order
readable and deterministic, which a force-directed layout (networkx's
``spring_layout``) does not, and spares a dependency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import ValidationError
from . import _common as c
from . import _slots as sl

if TYPE_CHECKING:
    from ..model import Journey

__all__ = ["OLD_KEYWORDS", "transitions", "on_journey", "layered_nodes"]

#: the transitions frame's old column keywords of ``flow`` and ``interaction_graph`` (before
#: ``_col``), accepted for one release with a warning
OLD_KEYWORDS = {"source": "source_col", "target": "target_col", "count": "count_col"}


def transitions(
    data: pd.DataFrame, *, source: str, target: str, count: str, what: str = "flow data"
) -> pd.DataFrame:
    """Check a tidy transitions frame and normalise it.

    Returns
    -------
    DataFrame
        ``source``, ``target`` (str), ``count`` (float >= 0) plus the optional
        ``customers`` and ``median_time`` columns when present; rows with a
        zero count are kept (they draw as hairlines).
    """
    # keyed by the keyword that named each column: the error message says which to fix
    c.as_frame(data, {"source_col": source, "target_col": target, "count_col": count}, what=what)
    for col in (source, target):
        if data[col].isna().any():
            raise ValidationError(f"has a missing value; every row needs a {col}", frame=what, column=col)
    out = pd.DataFrame(
        {
            "source": [str(v) for v in data[source]],
            "target": [str(v) for v in data[target]],
            "count": c.numeric_column(data, count, what=what).to_numpy(),
        }
    )
    for extra in ("customers", "median_time"):
        if extra in data.columns and extra not in (source, target, count):
            out[extra] = data[extra].to_numpy()
    dup = out.duplicated(["source", "target"])
    if dup.any():
        row = out[dup].iloc[0]
        raise ValidationError(
            f"transition {row['source']!r} → {row['target']!r} appears twice; "
            "the frame has one row per (source, target)",
            frame=what,
            column=source,
            value=row["source"],
        )
    return out


def on_journey(edges: pd.DataFrame, journey: Journey) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rename nodes given by id or name to the journey's ids.

    Returns the renamed edges and the placement of each id (see
    :func:`~._slots.match_journey_nodes`); a transition that repeats once
    names are resolved raises.
    """
    names = list(dict.fromkeys([*edges["source"], *edges["target"]]))
    placed = sl.match_journey_nodes(journey, names)
    key = placed["key"].to_dict()
    edges = edges.assign(source=edges["source"].map(key), target=edges["target"].map(key))
    dup = edges.duplicated(["source", "target"])
    if dup.any():
        row = edges[dup].iloc[0]
        raise ValidationError(
            f"transition {row['source']!r} → {row['target']!r} appears twice once ids and names are "
            "matched to the journey; the frame has one row per (source, target)",
            frame="flow data",
            value=row["source"],
        )
    return edges, placed.drop_duplicates("key").set_index("key", drop=False)


def layered_nodes(edges: pd.DataFrame, journey: Journey | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Columns and in-column order for the nodes of ``edges``.

    Parameters
    ----------
    edges : DataFrame
        From :func:`transitions` (and :func:`on_journey` with a journey).
    journey : Journey, optional
        Nodes are then stage or touchpoint ids, placed in stage order.

    Returns
    -------
    nodes : DataFrame
        Indexed by node: ``name`` (display name: the journey's name of the
        stage or touchpoint, else the node itself), ``layer`` (int column),
        ``order`` (position in the column, 0 = top), ``stage`` (name or
        ``—``), ``stage_key``, ``in_count``, ``out_count``, ``volume`` (the
        larger of the two).
    forward : Series of bool
        Per edge: True when it points to a later column (False for loops and
        edges back in the journey).
    """
    names = list(dict.fromkeys([*edges["source"], *edges["target"]]))
    if journey is not None:
        placed = sl.match_journey_nodes(journey, names)
        layer, order = _journey_layers(edges, placed)
        stage, stage_key, display = placed["stage"], placed["stage_key"], placed["name"]
    else:
        layer, order = _flow_layers(edges, names)
        stage = pd.Series(c.MISSING, index=names)
        stage_key = pd.Series("", index=names)
        display = pd.Series(names, index=names)
    nodes = pd.DataFrame(index=pd.Index(names, name="node"))
    nodes["name"] = display
    nodes["layer"] = pd.Series(layer)
    nodes["order"] = pd.Series(order)
    nodes["stage"] = stage
    nodes["stage_key"] = stage_key
    nodes["in_count"] = edges.groupby("target")["count"].sum().reindex(names, fill_value=0.0)
    nodes["out_count"] = edges.groupby("source")["count"].sum().reindex(names, fill_value=0.0)
    nodes["volume"] = nodes[["in_count", "out_count"]].max(axis=1)
    forward = edges["target"].map(nodes["layer"]) > edges["source"].map(nodes["layer"])
    return nodes, forward


def _journey_layers(edges: pd.DataFrame, placed: pd.DataFrame) -> tuple[dict[str, int], dict[str, int]]:
    """Stage bands left to right; inside a stage, touchpoints linked by flow get successive columns."""
    rank = placed["rank"].to_dict()
    stage_of = placed["stage_key"].to_dict()
    preds: dict[str, list[str]] = defaultdict(list)
    for s, t in zip(edges["source"], edges["target"], strict=True):
        if stage_of[s] == stage_of[t] and rank[t] > rank[s]:
            preds[t].append(s)
    local: dict[str, int] = {}
    for node in sorted(rank, key=rank.__getitem__):
        local[node] = max((local[p] + 1 for p in preds[node]), default=0)
    width: dict[str, int] = {}
    for node, lay in local.items():
        width[stage_of[node]] = max(width.get(stage_of[node], 0), lay + 1)
    offset, start = {}, 0
    for key in sorted(width, key=lambda k: placed.loc[placed["stage_key"] == k, "stage_rank"].iloc[0]):
        offset[key] = start
        start += width[key]
    layer = {n: offset[stage_of[n]] + local[n] for n in rank}
    return layer, _order_by(layer, rank)


def _flow_layers(edges: pd.DataFrame, names: Sequence[str]) -> tuple[dict[str, int], dict[str, int]]:
    """Longest-path layers of the DAG left after dropping DFS back edges; barycentre order."""
    succ: dict[str, list[str]] = defaultdict(list)
    has_pred = set()
    for s, t in zip(edges["source"], edges["target"], strict=True):
        succ[s].append(t)
        if s != t:
            has_pred.add(t)
    back = _back_edges(succ, [n for n in names if n not in has_pred] + list(names))
    dag = [(s, t) for s, t in zip(edges["source"], edges["target"], strict=True) if (s, t) not in back]
    layer = {n: 0 for n in names}
    for node in _topological(names, dag):
        for s, t in dag:
            if s == node:
                layer[t] = max(layer[t], layer[s] + 1)
    first_seen = {n: i for i, n in enumerate(names)}
    order = _order_by(layer, first_seen)
    return layer, _barycentre(layer, order, edges, back)


def _back_edges(succ: dict[str, list[str]], starts: Sequence[str]) -> set[tuple[str, str]]:
    """Edges that close a cycle in a depth-first search from ``starts`` (iterative)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    back: set[tuple[str, str]] = set()
    for root in starts:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(succ.get(root, ())))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                back.add((node, child))
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(succ.get(child, ()))))
    return back


def _topological(names: Sequence[str], dag: Sequence[tuple[str, str]]) -> list[str]:
    indegree = dict.fromkeys(names, 0)
    for _, t in dag:
        indegree[t] += 1
    ready = [n for n in names if indegree[n] == 0]
    out = []
    while ready:
        node = ready.pop(0)
        out.append(node)
        for s, t in dag:
            if s == node:
                indegree[t] -= 1
                if indegree[t] == 0:
                    ready.append(t)
    return out


def _order_by(layer: dict[str, int], key: dict[str, float] | dict[str, int]) -> dict[str, int]:
    order: dict[str, int] = {}
    counters: dict[int, int] = defaultdict(int)
    for node in sorted(layer, key=lambda n: (layer[n], key[n])):
        order[node] = counters[layer[node]]
        counters[layer[node]] += 1
    return order


def _barycentre(
    layer: dict[str, int], order: dict[str, int], edges: pd.DataFrame, back: set[tuple[str, str]]
) -> dict[str, int]:
    """One left-to-right sweep: sort each column by the count-weighted mean position of its sources."""
    incoming: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for s, t, w in zip(edges["source"], edges["target"], edges["count"], strict=True):
        if (s, t) not in back and s != t:
            incoming[t].append((s, float(w) or 1e-9))
    for lay in sorted(set(layer.values()))[1:]:
        column = [n for n in layer if layer[n] == lay]
        weight = {}
        for n in column:
            preds = incoming[n]
            total = sum(w for _, w in preds)
            weight[n] = sum(order[p] * w for p, w in preds) / total if total else order[n]
        for i, n in enumerate(sorted(column, key=lambda m: (weight[m], order[m]))):
            order[n] = i
    return order
