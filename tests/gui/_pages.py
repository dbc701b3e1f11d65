"""Helpers shared by the page tests: a real MainWindow on a temporary data dir, and waits for its work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop import paths

MPS_RECENT = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
POPULATIONS = "populations/westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"


def idle(window: Any) -> bool:
    return not window.runner.busy() and not window._refreshing


def wait_idle(qtbot: Any, window: Any, timeout: int = 60000) -> None:
    qtbot.waitUntil(lambda: idle(window), timeout=timeout)


def open_window(qtbot: Any) -> Any:
    from desktop.views.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.summary is not None or not window.banner.isHidden(), timeout=30000)
    wait_idle(qtbot, window)
    return window


def close_window(qtbot: Any, window: Any) -> None:
    window.close()
    qtbot.waitUntil(lambda: not window.runner.busy(), timeout=30000)


_SEEDED: dict[tuple[str, ...], Path] = {}  # files -> a store already holding them (built once per test session)


def seed_store(*files: Path) -> None:
    """Import files straight through the core (fast set-up for pages that need data). The first test to ask for a
    set of files imports them; later tests get a copy of that store file (its generation and ids are the same)."""
    import shutil
    import tempfile

    from desktop.importers import import_file
    from desktop.store import open_store

    key = tuple(str(f) for f in files)
    target = paths.store_path()
    if key in _SEEDED and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_SEEDED[key], target)
        return
    db = open_store(target)
    try:
        for path in files:
            result = import_file(db, path)
            assert result.ok, result.summary()
    finally:
        db.close()
    if key not in _SEEDED and len(files) > 0:
        cached = Path(tempfile.mkdtemp(prefix="wardbrief-seed-")) / "store.db"
        shutil.copyfile(target, cached)
        _SEEDED[key] = cached


def sources() -> list[dict[str, Any]]:
    from desktop.importers.sources import list_sources
    from desktop.store import open_store

    db = open_store(paths.store_path())
    try:
        return list_sources(db)
    finally:
        db.close()
