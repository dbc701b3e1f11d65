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


def test_no_module_is_a_monster() -> None:
    big = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py") if len(p.read_text(encoding="utf-8").splitlines()) > 450]
    assert big == [], "split these modules (DESIGN.md: no module over ~400 lines)"
