"""The real MainWindow in this process, on the journey display, and what the journeys read back from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.gui._pages import close_window, open_window, wait_idle
from tests.journeys._drive import click_row, focus_window, key, settle

__all__ = ["close_window", "open_window", "wait_idle"]


def window_on_screen(qtbot: Any) -> Any:
    """The real window, shown, idle and holding the X input focus."""
    window = open_window(qtbot)
    focus_window(qtbot, window)
    return window


def briefing(qtbot: Any, window: Any) -> Any:
    """Open the Briefing page the way a user does (Alt+B) and wait until its ward list is filled."""
    key(qtbot, "alt+b")
    qtbot.waitUntil(lambda: window.is_built("Briefing"), timeout=10000)
    page = window.briefing_page
    qtbot.waitUntil(lambda: page.wards.proxy.rowCount() > 0, timeout=30000)
    wait_idle(qtbot, window)
    settle(qtbot, 300)
    return page


def ward_codes(window: Any) -> dict[str, str]:
    return {str(w["name"]): str(w["code"]) for w in (window.summary.wards if window.summary else [])}


def row_of(wards: Any, name: str) -> int:
    for row in range(wards.proxy.rowCount()):
        if wards.proxy.index(row, 0).data() == name:
            return row
    raise AssertionError(f"{name!r} is not shown in the ward list")


def click_ward(qtbot: Any, wards: Any, name: str, modifier: str = "") -> None:
    click_row(qtbot, wards.view, row_of(wards, name), modifier=modifier)


def highlighted(wards: Any) -> set[str]:
    """The wards the user can see as chosen: the highlighted (selected) rows, and a ward named in a visible
    "current ward" label (objectName `current_ward`) if the page has one."""
    from PySide6.QtWidgets import QLabel

    from desktop.views.ward_list import CODE_ROLE

    shown = {str(index.data(CODE_ROLE)) for index in wards.view.selectionModel().selectedIndexes()}
    label = wards.findChild(QLabel, "current_ward")
    if label is not None and label.isVisible():
        text = label.text()
        for row in range(wards.model.rowCount()):
            item = wards.model.item(row)
            if item.text() and item.text() in text:
                shown.add(str(item.data(CODE_ROLE)))
    return shown


def record_generated(monkeypatch: Any) -> list[str]:
    """Every ward code a pack is made for from now on (operations.generate_pack, wrapped)."""
    from desktop import operations

    made: list[str] = []
    real = operations.generate_pack

    def generate_pack(code: str, *args: Any, **kwargs: Any) -> Any:
        made.append(str(code))
        return real(code, *args, **kwargs)

    monkeypatch.setattr(operations, "generate_pack", generate_pack)
    return made


def crime_months(data_dir: Path) -> set[str]:
    import sqlite3

    db = sqlite3.connect(f"file:{data_dir / 'wardbrief.db'}?mode=ro", uri=True)
    try:
        return {str(row[0]) for row in db.execute("SELECT DISTINCT month FROM crime_count")}
    finally:
        db.close()
