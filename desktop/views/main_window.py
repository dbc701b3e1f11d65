"""The main window: four pages (Data, Briefing, Priorities, Settings), a Help menu and a store status line.

The window is built and shown before pandas or matplotlib are imported; pages load their data through the task
runner after the window is up.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from desktop import APP_NAME, __version__, paths
from desktop.tasks import TaskRunner

PAGE_NAMES = ("Data", "Briefing", "Priorities", "Settings")


class PlaceholderPage(QWidget):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(f"page_{name.lower()}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name}"))
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.runner = TaskRunner(self)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.pages: dict[str, QWidget] = {}
        for name in PAGE_NAMES:
            page = PlaceholderPage(name)
            self.pages[name] = page
            self.tabs.addTab(page, f"&{name}")
        self.setCentralWidget(self.tabs)
        self.status = QLabel("")
        self.statusBar().addPermanentWidget(self.status, 1)
        self._build_menu()
        self._restore_geometry()

    def _build_menu(self) -> None:
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About WardBrief", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def about_text(self) -> str:
        return (
            f"{APP_NAME} {__version__}\n\n"
            f"Data folder: {paths.data_dir()}\nLogs: {paths.log_dir()}\n\n"
            "Contains public sector information licensed under the Open Government Licence v3.0 "
            "(Metropolitan Police Service, Home Office data.police.uk, London Fire Brigade, MOPAC, ONS)."
        )

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 800)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        QSettings().setValue("window/geometry", self.saveGeometry())
        self.runner.cancel_all()
        self.runner.wait(5000)
        super().closeEvent(event)
