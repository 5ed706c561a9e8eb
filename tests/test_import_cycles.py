"""No import cycle among the package's module-level imports.

The graph is read from the source with :mod:`ast` (nothing is imported):
an edge ``a -> b`` for every ``import``/``from ... import`` that runs when
``a`` is imported (module and class bodies, ``if``/``try`` blocks; not
``if TYPE_CHECKING:``). Imports inside functions run later, at call time,
and are listed apart: they are how an optional or heavy module is reached
lazily, and may close a loop without making a cycle at import time.
A package's own ``__init__`` is not counted as imported by its submodules
(Python runs it first, but a package importing its submodules is the
ordinary layout, not a cycle).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cjm_jupyter"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The package modules an import statement in ``module`` loads (others are dropped)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            head = ".".join(base + ([node.module] if node.module else []))
        else:
            head = node.module or ""
        # ``from pkg import name``: the submodule ``pkg.name`` when there is one, else ``pkg``
        names = [f"{head}.{a.name}" if f"{head}.{a.name}" in MODULES else head for a in node.names]
    return sorted({name for name in names if name in MODULES})


def _imports(module: str, path: Path) -> tuple[set[str], set[str]]:
    """(module-level, function-level) imports of ``module`` within the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    top: set[str] = set()
    lazy: set[str] = set()

    def walk(nodes: list[ast.stmt], deferred: bool) -> None:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                (lazy if deferred else top).update(_targets(node, module, is_package))
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                walk(node.body, True)
            elif isinstance(node, ast.If) and _is_type_checking(node):
                walk(node.orelse, deferred)
            else:
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, ast.stmt):
                        walk([child], deferred)

    walk(tree.body, False)
    return top - {module}, lazy - top - {module}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (as a closed path) per strongly connected component larger than a node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(_path_in(component, edges))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def _path_in(component: set[str], edges: dict[str, set[str]]) -> list[str]:
    """A closed path through the component, for the message (breadth-first back to the start)."""
    start = min(component)
    came: dict[str, str] = {}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(edges[v] & component):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(came[path[-1]])
                return [start, *reversed(path[:-1]), start] if v != start else [start, start]
            if w not in came:
                came[w] = v
                queue.append(w)
    return sorted(component)  # pragma: no cover - a component always closes


def test_the_graph_is_read():
    # the reader sees both kinds of import (guards against a walker that finds nothing)
    top, lazy = GRAPH["cjm_jupyter.analytics.sessions"]
    assert {"cjm_jupyter.analytics._session_sql", "cjm_jupyter.analytics.engines"} <= top
    assert "cjm_jupyter.analytics.engines.spark" in lazy
    top, lazy = GRAPH["cjm_jupyter.analytics.engines"]
    assert "cjm_jupyter.analytics.engines.spark" not in top and "cjm_jupyter.analytics.engines.spark" in lazy


def test_cycle_finder_reports_a_closed_path():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(edges) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_level_import_cycle():
    cycles = _cycles({name: top for name, (top, _) in GRAPH.items()})
    text = "\n".join(" -> ".join(cycle) for cycle in cycles)
    print(text or "no module-level import cycle")
    assert not cycles, f"module-level import cycles:\n{text}"


def test_engines_do_not_import_the_metric_layer():
    # engines/* sits below the metrics: it never reaches sessions, analysis, measure, not even lazily
    above = {f"cjm_jupyter.analytics.{name}" for name in ("sessions", "analysis", "measure", "metrics")}
    for name, (top, lazy) in GRAPH.items():
        if name.startswith("cjm_jupyter.analytics.engines"):
            assert not (top | lazy) & above, name


def test_no_cycle_in_analytics_even_through_lazy_imports():
    # The engines used to reach each other in a circle through lazy imports
    # (_inputs -> _spark -> _inputs, with sessions); counting function-level imports
    # too, analytics has none. Elsewhere the package still has two such lazy loops
    # (plots._common <-> plots.map.*, io.csv_io <-> model.journey): not asserted here.
    inside = {name for name in GRAPH if name.startswith("cjm_jupyter.analytics")}
    cycles = _cycles({name: (top | lazy) & inside for name, (top, lazy) in GRAPH.items() if name in inside})
    assert not cycles, "\n".join(" -> ".join(cycle) for cycle in cycles)
