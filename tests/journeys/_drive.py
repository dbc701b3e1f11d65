"""Real input for in-process journeys: xdotool moves the real pointer and presses real keys on the X display this
test process's QApplication uses (xcb); Qt then reads the events from the X server like any user's."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from tests.journeys._x import xdo


def display() -> str:
    return os.environ["DISPLAY"]


def settle(qtbot: Any, ms: int = 150) -> None:
    """Let Qt read and handle the X events xdotool just sent."""
    QApplication.processEvents()
    qtbot.wait(ms)


def global_centre(widget: QWidget) -> QPoint:
    return widget.mapToGlobal(widget.rect().center())


def move_to(qtbot: Any, point: QPoint) -> None:
    xdo(display(), "mousemove", "--sync", str(point.x()), str(point.y()))
    settle(qtbot, 60)


def click_at(qtbot: Any, point: QPoint, *, modifier: str = "", ms: int = 200) -> None:
    move_to(qtbot, point)
    if modifier:
        xdo(display(), "keydown", modifier, "click", "1", "keyup", modifier)
    else:
        xdo(display(), "click", "1")
    settle(qtbot, ms)


def click(qtbot: Any, widget: QWidget, *, modifier: str = "", ms: int = 200) -> None:
    """Click the middle of `widget` with the real pointer (it must be visible on screen)."""
    assert widget.isVisible(), f"{widget!r} is not visible"
    click_at(qtbot, global_centre(widget), modifier=modifier, ms=ms)


def click_row(qtbot: Any, view: Any, row: int, *, modifier: str = "") -> None:
    """Click the middle of a list or table row (its text, not its check box)."""
    index = view.model().index(row, 0)
    view.scrollTo(index)
    settle(qtbot, 50)
    rect = view.visualRect(index)
    click_at(qtbot, view.viewport().mapToGlobal(rect.center()), modifier=modifier)


def key(qtbot: Any, *keys: str, ms: int = 200) -> None:
    xdo(display(), "key", "--clearmodifiers", "--delay", "40", *keys)
    settle(qtbot, ms)


def type_text(qtbot: Any, text: str, ms: int = 200) -> None:
    xdo(display(), "type", "--delay", "15", text)
    settle(qtbot, ms)


def focus_window(qtbot: Any, window: QWidget) -> None:
    """Give the window the X input focus (there is no window manager on Xvfb to do it on a click)."""
    window.raise_()
    window.activateWindow()
    xdo(display(), "windowfocus", "--sync", str(int(window.winId())), check=False, timeout=5)
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    settle(qtbot, 100)


def when_modal(callback: Callable[[QWidget], None], timeout_ms: int = 20000) -> list[str]:
    """Run `callback(dialog)` once a modal dialog is up (inside its own event loop, so the test can act on it
    while `exec()` blocks the code that opened it). Returns a list that gets the dialog's title."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout_ms / 1000

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.isVisible():
            seen.append(dialog.windowTitle())
            callback(dialog)
            return
        if time.monotonic() < deadline:
            QTimer.singleShot(50, poll)

    QTimer.singleShot(50, poll)
    return seen


def visible_fully(widget: QWidget) -> bool:
    """Nothing of `widget` clipped by its parents (a scroll area, a splitter, the window edge)."""
    from PySide6.QtGui import QRegion

    return widget.isVisible() and bool(widget.visibleRegion() == QRegion(widget.rect()))
