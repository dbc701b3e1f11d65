"""The main window: four pages (Data, Briefing, Priorities, Settings), the menus and a store status line.

The window is built and shown before pandas or matplotlib are imported; the store summary (sources, wards,
months) is loaded through the task runner just after the window is up, and again whenever a page changes the
store. Window size, page and splitter positions are remembered in `window.ini` in the data folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__, paths
from desktop.tasks import TaskRunner
from desktop.views import work
from desktop.views.briefing_page import BriefingPage
from desktop.views.data_page import DataPage
from desktop.views.priorities_page import PrioritiesPage
from desktop.views.settings_page import SettingsPage
from desktop.views.widgets import MessageBanner, plain_label

PAGE_NAMES = ("Data", "Briefing", "Priorities", "Settings")


def window_settings() -> QSettings:
    """Window state lives in the data folder (so a test's temporary data folder keeps its own)."""
    return QSettings(str(paths.data_dir() / "window.ini"), QSettings.Format.IniFormat)


def status_text(summary: work.StoreSummary) -> str:
    from desktop.views.data_widgets import month_label

    if summary.empty:
        return "Store: empty · load the demo data or import your extracts on the Data page"
    n = len(summary.sources)
    parts = [f"Store: {n} source{'s' if n != 1 else ''}"]
    if summary.reference_month:
        parts.append(f"latest complete month {month_label(summary.reference_month)}")
    else:
        parts.append("no complete month of crime figures yet")
    k = len(summary.partial_months)
    if k:
        parts.append(f"{k} partial month{'s' if k != 1 else ''} flagged")
    return " · ".join(parts)


def load_style() -> str:
    """The bundled stylesheet (colours and borders only), or none if it is missing."""
    from desktop.resources import resources_dir

    path = resources_dir() / "style.qss"
    return path.read_text(encoding="utf-8") if path.is_file() else ""


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(load_style())
        self.runner = TaskRunner(self)
        self.summary: work.StoreSummary | None = None
        self._refreshing = False
        self._refresh_again = False
        self._first_show = True

        self.banner = MessageBanner()
        self.data_page = DataPage(self.runner)
        self.briefing_page = BriefingPage(self.runner)
        self.priorities_page = PrioritiesPage(self.runner)
        self.settings_page = SettingsPage()
        self.pages: dict[str, QWidget] = dict(
            zip(PAGE_NAMES, [self.data_page, self.briefing_page, self.priorities_page, self.settings_page], strict=True)
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for name, page in self.pages.items():
            self.tabs.addTab(page, f"&{name}")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.status = plain_label(wrap=False)
        self.status.setObjectName("store_status")
        self.statusBar().addPermanentWidget(self.status, 1)

        self.data_page.store_changed.connect(self.refresh_store)
        self.priorities_page.store_changed.connect(self.refresh_store)
        self.settings_page.saved.connect(self.briefing_page.settings_changed)
        self.briefing_page.go_to_data.connect(lambda: self.tabs.setCurrentWidget(self.data_page))
        self._build_menu()
        self._restore_state()

    # --- menus ---------------------------------------------------------------------------------------------

    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = self._action(
            file_menu, "&Import files…", self.import_files, "Ctrl+I", "Import extract files into the store"
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Back up store…", self.backup_store, tip="Save a copy of the whole store")
        self._action(file_menu, "&Restore store…", self.restore_store, tip="Replace the store with a backup copy")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        brief_menu = self.menuBar().addMenu("Br&iefing")
        self.generate_action = self._action(brief_menu, "&Generate preview", self.generate, "Ctrl+G")
        self.print_action = self._action(brief_menu, "&Print…", self.print_pack, QKeySequence.StandardKey.Print)
        self._action(brief_menu, "Print pre&view…", lambda: self.briefing_page.print_preview())
        self._action(brief_menu, "&Save PDF…", lambda: self.briefing_page.save_pdf(), QKeySequence.StandardKey.Save)
        self._action(brief_menu, "Save &XLSX…", lambda: self.briefing_page.save_xlsx())
        self._action(brief_menu, "Save packs for &ticked wards…", lambda: self.briefing_page.write_batch())

        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&User guide", self.show_user_guide, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About WardBrief", self.show_about)

    def import_files(self) -> None:
        self.tabs.setCurrentWidget(self.data_page)
        self.data_page.choose_files()

    def generate(self) -> None:
        self.tabs.setCurrentWidget(self.briefing_page)
        self.briefing_page.generate()

    def print_pack(self) -> None:
        self.tabs.setCurrentWidget(self.briefing_page)
        self.briefing_page.print_pack()

    # --- the store -----------------------------------------------------------------------------------------

    def refresh_store(self) -> None:
        """Reload the store summary in the background and hand it to every page (coalesced)."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self.status.setText("Store: reading…")
        self.runner.run(
            "store summary",
            work.store_summary,
            on_success=self._apply_summary,
            on_failure=self._summary_failed,
            on_end=self._refresh_ended,
        )

    def _refresh_ended(self) -> None:
        self._refreshing = False
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_store()

    def _apply_summary(self, summary: work.StoreSummary) -> None:
        first = self.summary is None
        self.summary = summary
        self.status.setText(status_text(summary))
        for page in (self.data_page, self.briefing_page, self.priorities_page):
            page.set_summary(summary)
        if first and summary.empty:
            self.tabs.setCurrentWidget(self.data_page)

    def _summary_failed(self, exc: BaseException) -> None:
        self.status.setText("Store: cannot be read (see the message above)")
        self.banner.show_failure(exc)

    def _busy_message(self) -> bool:
        if self.runner.busy():
            self.banner.show_warning(
                "WardBrief is still working.", "Wait for the current task to finish, or cancel it."
            )
            return True
        return False

    def backup_store(self) -> None:
        suggested = str(Path.home() / f"wardbrief-backup-{date.today():%Y-%m-%d}.db")
        name, _ = QFileDialog.getSaveFileName(self, "Back up the store", suggested, "WardBrief store (*.db)")
        if not name:
            return
        self.runner.run(
            "backup",
            work.backup,
            Path(name),
            on_success=lambda message: self.banner.show_success(str(message)),
            on_failure=self.banner.show_failure,
        )

    def restore_store(self) -> None:
        if self._busy_message():
            return
        name, _ = QFileDialog.getOpenFileName(self, "Restore the store from a backup", str(Path.home()), "*.db")
        if not name:
            return
        answer = QMessageBox.question(
            self,
            "Restore the store",
            f"Replace the store with this backup?\n\n{Path(name).name}\n\nEverything imported or edited since that "
            "backup is replaced. The current store is kept aside in the data folder, so this can be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.run(
            "restore",
            work.restore,
            Path(name),
            on_success=lambda message: self.banner.show_success(str(message)),
            on_failure=self.banner.show_failure,
            on_end=self.refresh_store,
        )

    # --- help ----------------------------------------------------------------------------------------------

    def about_text(self) -> str:
        return (
            f"{APP_NAME} {__version__}\n\n"
            f"Data folder: {paths.data_dir()}\nLogs: {paths.log_dir()}\n\n"
            "Contains public sector information licensed under the Open Government Licence v3.0 "
            "(Metropolitan Police Service, Home Office data.police.uk, London Fire Brigade, MOPAC, ONS)."
        )

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}", self.about_text())

    def show_user_guide(self) -> None:
        from desktop.views.dialogs import UserGuideDialog

        UserGuideDialog(self).exec()

    # --- window state --------------------------------------------------------------------------------------

    def _splitters(self) -> list[QSplitter]:
        return [s for s in self.findChildren(QSplitter) if s.objectName()]

    def _restore_state(self) -> None:
        settings = window_settings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry()
            self.resize(min(1280, int(screen.width() * 0.9)), min(860, int(screen.height() * 0.9)))
        for splitter in self._splitters():
            state = settings.value(f"splitters/{splitter.objectName()}")
            if state is not None:
                splitter.restoreState(state)
        tab = settings.value("window/tab")
        if tab is not None:
            self.tabs.setCurrentIndex(int(tab))

    def save_state(self) -> None:
        settings = window_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/tab", self.tabs.currentIndex())
        for splitter in self._splitters():
            settings.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        settings.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            work.clear_cache()
            QTimer.singleShot(50, self.refresh_store)  # after the window is painted

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.settings_page.confirm_discard():
            event.ignore()
            return
        self.save_state()
        self.runner.cancel_all()
        self.runner.wait(10000)
        super().closeEvent(event)
