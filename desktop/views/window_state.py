"""The main window's remembered size, page and splitter positions (window.ini), and the size it opens at when
there is none that fits this screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget, QWidget

from desktop.views.widgets import window_settings

MIN_SIZE = (760, 480)  # a remembered window smaller than this (or than the screen) is not restored


def restore(window: QMainWindow, tabs: QTabWidget) -> None:
    settings = window_settings()
    geometry = settings.value("window/geometry")
    if geometry is None or not window.restoreGeometry(geometry) or not fits_its_screen(window):
        default_size(window)
    restore_splitters(window)
    tab = settings.value("window/tab")
    if tab is not None:
        tabs.setCurrentIndex(int(tab))


def save(window: QMainWindow, tabs: QTabWidget) -> None:
    settings = window_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/tab", tabs.currentIndex())
    for splitter in window.findChildren(QSplitter):  # pages never opened keep their saved positions
        if splitter.objectName():
            settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
    settings.sync()


def restore_splitters(root: QWidget) -> None:
    settings = window_settings()
    for splitter in root.findChildren(QSplitter):
        if splitter.objectName():
            state = settings.value(f"splitters/{splitter.objectName()}")
            if state is not None:
                splitter.restoreState(state)


def default_size(window: QMainWindow) -> None:
    screen = window.screen().availableGeometry()
    window.resize(min(1280, int(screen.width() * 0.9)), min(860, int(screen.height() * 0.9)))
    if screen.width() < 1400 or screen.height() < 800:  # a laptop screen: use all of it from the start
        window.setGeometry(screen)
        window.setWindowState(Qt.WindowState.WindowMaximized)


def fits_its_screen(window: QMainWindow) -> bool:
    """A remembered size made on another screen can come back tiny (a first user's 1366x768 window reopened at
    393x400 on a 1024x640 screen) or bigger than the screen: then the default size is used instead."""
    screen = window.screen().availableGeometry()
    size = window.normalGeometry().size() if window.isMaximized() else window.size()
    smallest = min(MIN_SIZE[0], screen.width()), min(MIN_SIZE[1], screen.height())
    if size.width() < smallest[0] or size.height() < smallest[1]:
        return False
    return size.width() <= screen.width() + 16 and size.height() <= screen.height() + 16
