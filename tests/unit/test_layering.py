"""The layers of DESIGN.md §2: imports point one way, and Qt stays out of the core."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "desktop"
WIDGET_ALLOWED = {"views", "app.py", "tasks.py"}
QT_FREE = {"store", "importers", "analysis"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _modules() -> list[tuple[Path, set[str]]]:
    return [(p, _imports(p)) for p in PKG.rglob("*.py")]


def test_only_views_app_and_tasks_import_qtwidgets() -> None:
    offenders = []
    for path, names in _modules():
        top = path.relative_to(PKG).parts[0]
        if top in WIDGET_ALLOWED:
            continue
        if any("QtWidgets" in n or "QtPrintSupport" in n and "reports" not in str(path) for n in names):
            offenders.append(str(path.relative_to(PKG)))
    assert offenders == []


def test_core_is_qt_free() -> None:
    offenders = []
    for path, names in _modules():
        if path.relative_to(PKG).parts[0] in QT_FREE and any(n.startswith(("PySide6", "shiboken")) for n in names):
            offenders.append(str(path.relative_to(PKG)))
    assert offenders == []


def test_core_never_imports_views() -> None:
    offenders = []
    for path, names in _modules():
        top = path.relative_to(PKG).parts[0]
        if top in {"store", "importers", "analysis", "reports"} and any(n.startswith("desktop.views") for n in names):
            offenders.append(str(path.relative_to(PKG)))
        if top == "store" and any(
            n.startswith(("desktop.importers", "desktop.analysis", "desktop.reports")) for n in names
        ):
            offenders.append(str(path.relative_to(PKG)))
    assert offenders == []


# docs/architecture.md's layers, lowest first: a module may import its own layer and any lower one, never a higher
# one (imports inside functions included). The CLI may start the window (app); nothing below may.
RANKS: dict[str, int] = {
    "leaf": 0,
    "store": 1,
    "importers": 2,
    "analysis": 2,
    "reports": 3,
    "operations": 4,
    "tasks": 5,
    "views": 6,
    "app": 7,
    "selftest": 7,
    "cli": 8,
    "__main__": 9,
}
LEAVES = {"errors", "months", "paths", "resources", "kinds", "settings", "atomic", "faults", "qt_refs", "geo", ""}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    top = module.split(".")[1] if "." in module else ""
    return "leaf" if top in LEAVES else top


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = {n for n in _imports(path) if n in modules}
        graph[name] = {n for n in found if n != name and not n.startswith(name + ".")}
    return graph


def test_every_layer_is_known() -> None:
    unknown = sorted({_layer(m) for m in _graph()} - set(RANKS))
    assert unknown == [], "add these to RANKS and to docs/architecture.md's table"


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{m} -> {d}" for m, deps in _graph().items() for d in deps if RANKS.get(_layer(d), 0) > RANKS.get(_layer(m), 0)
    ]
    assert sorted(upward) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    graph = _graph()
    # a package's __init__ re-exporting its own modules is not a cycle between layers
    for name in graph:
        graph[name] = {d for d in graph[name] if not (name.count(".") == 1 and d.startswith(name + "."))}
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_a_monster() -> None:
    big = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if len(p.read_text(encoding="utf-8").splitlines()) > 450]
    assert big == [], "split these modules (DESIGN.md: no module over ~400 lines)"
