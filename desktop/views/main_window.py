"""The main window: four pages (Data, Briefing, Priorities, Settings), the menus and a store status line.

Start-up is kept cheap: only the Data page (the first-run page) is built with the window. The Briefing, Priorities
and Settings pages, and what they import (QtPdf for the preview), are built the first time their tab is opened or
the page is asked for (`window.briefing_page`, `window.page("Briefing")`); until then their tab holds a light
placeholder. The window is shown before pandas or matplotlib are imported; the store summary (sources, wards,
months) is loaded through the task runner just after the first paint, and again whenever a page changes the
store. Window size, page and splitter positions are remembered in `window.ini` in the data folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, __version__, operations, paths
from desktop.tasks import TaskRunner
from desktop.views import window_state
from desktop.views.data_page import DataPage
from desktop.views.widgets import MessageBanner, plain_label

if TYPE_CHECKING:
    from desktop.views.briefing_page import BriefingPage
    from desktop.views.priorities_page import PrioritiesPage
    from desktop.views.settings_page import SettingsPage

PAGE_NAMES = ("Data", "Briefing", "Priorities", "Settings")


def status_text(summary: operations.StoreSummary) -> str:
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


class PagePlaceholder(QWidget):
    """What a page's tab holds until the page is first opened (then the real page replaces it)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(f"placeholder_{name.lower()}")
        layout = QVBoxLayout(self)
        label = plain_label(f"Opening the {name} page…", wrap=False)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(load_style())
        self.runner = TaskRunner(self)
        self.summary: operations.StoreSummary | None = None
        self._refreshing = False
        self._refresh_again = False
        self._first_show = True
        self._swapping = False

        self.banner = MessageBanner(reserve=False)
        self.data_page = DataPage(self.runner)
        self._built: dict[str, QWidget] = {"Data": self.data_page}
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for name in PAGE_NAMES:
            self.tabs.addTab(self._built.get(name) or PagePlaceholder(name), f"&{name}")
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
        self.tabs.currentChanged.connect(self._tab_changed)
        self._build_menu()
        self._restore_state()

    # --- pages, built on first use -------------------------------------------------------------------------

    @property
    def briefing_page(self) -> BriefingPage:
        return self.page("Briefing")  # type: ignore[return-value]

    @property
    def priorities_page(self) -> PrioritiesPage:
        return self.page("Priorities")  # type: ignore[return-value]

    @property
    def settings_page(self) -> SettingsPage:
        return self.page("Settings")  # type: ignore[return-value]

    def is_built(self, name: str) -> bool:
        return name in self._built

    def page(self, name: str) -> QWidget:
        """The named page, built now if it has not been opened yet (its tab's placeholder is replaced)."""
        page = self._built.get(name)
        if page is None:
            page = self._make_page(name)
            self._built[name] = page
            self._swap_in(name, page)
            window_state.restore_splitters(page)
            if self.summary is not None and hasattr(page, "set_summary"):
                page.set_summary(self.summary)
        return page

    def _make_page(self, name: str) -> QWidget:
        if name == "Briefing":
            from desktop.views.briefing_page import BriefingPage

            briefing = BriefingPage(self.runner)
            briefing.go_to_data.connect(lambda: self.tabs.setCurrentWidget(self.data_page))
            briefing.state_changed.connect(self._sync_actions)
            briefing.ward_chosen.connect(self._ward_chosen)
            return briefing
        if name == "Priorities":
            from desktop.views.priorities_page import PrioritiesPage

            priorities = PrioritiesPage(self.runner)
            priorities.store_changed.connect(self.refresh_store)
            if self.is_built("Briefing") and self.briefing_page.wards.current_code():
                priorities.follow_ward(str(self.briefing_page.wards.current_code()))
            return priorities
        if name == "Settings":
            from desktop.views.settings_page import SettingsPage

            settings = SettingsPage()
            settings.saved.connect(self._settings_saved)
            return settings
        raise KeyError(name)

    def _swap_in(self, name: str, page: QWidget) -> None:
        index = PAGE_NAMES.index(name)
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        self._swapping = True
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, f"&{name}")
            self.tabs.setCurrentIndex(current)
        finally:
            self._swapping = False
        if placeholder is not None:
            placeholder.deleteLater()

    def _tab_changed(self, index: int) -> None:
        """Opening a page's tab builds it (once the window is up; before that, `showEvent` does it)."""
        if not self._swapping and not self._first_show and 0 <= index < len(PAGE_NAMES):
            self.page(PAGE_NAMES[index])

    def _build_current_page(self) -> None:
        index = self.tabs.currentIndex()
        if 0 <= index < len(PAGE_NAMES):
            self.page(PAGE_NAMES[index])

    def _ward_chosen(self, code: str) -> None:
        """The Briefing page's current ward is the ward the Priorities page shows."""
        if self.is_built("Priorities"):
            self.priorities_page.follow_ward(code)

    def _sync_actions(self) -> None:
        """A menu action (and its shortcut) is enabled exactly when its button on the Briefing page is."""
        page = self.briefing_page
        self.generate_action.setEnabled(page.generate_button.isEnabled())
        for action in self.pack_actions:
            action.setEnabled(page.print_button.isEnabled())
        self.batch_action.setEnabled(page.batch_button.isEnabled())

    def _settings_saved(self) -> None:
        if self.is_built("Briefing"):
            self.briefing_page.settings_changed()
        self.refresh_store()  # the borough names the home area: the ward lists follow it at once, not next start

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
        self.pack_actions = [
            self.print_action,
            self._action(brief_menu, "Print pre&view…", lambda: self.briefing_page.print_preview()),
            self._action(
                brief_menu, "&Save PDF…", lambda: self.briefing_page.save_pdf(), QKeySequence.StandardKey.Save
            ),
            self._action(brief_menu, "Save &XLSX…", lambda: self.briefing_page.save_xlsx()),
            self._action(brief_menu, "Save &HTML…", lambda: self.briefing_page.save_html()),
        ]
        self.batch_action = self._action(
            brief_menu, "Save packs for &ticked wards…", lambda: self.briefing_page.write_batch()
        )
        # no pack exists until the Briefing page has made one; once built, the page keeps these in step
        for action in self.pack_actions:
            action.setEnabled(False)

        go_menu = self.menuBar().addMenu("&Go")
        self._action(go_menu, "&Next page", lambda: self._step_page(1), "Ctrl+Tab")
        self._action(go_menu, "&Previous page", lambda: self._step_page(-1), "Ctrl+Shift+Tab")

        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&User guide", self.show_user_guide, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&About WardBrief", self.show_about)

    def _step_page(self, step: int) -> None:
        """Ctrl+Tab / Ctrl+Shift+Tab: the next or previous page, every page in turn."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

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
        if self.runner.closed:
            return
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self.status.setText("Store: reading…")
        self.runner.run(
            "store summary",
            operations.store_summary,
            on_success=self._apply_summary,
            on_failure=self._summary_failed,
            on_end=self._refresh_ended,
        )

    def _refresh_ended(self) -> None:
        self._refreshing = False
        if self._refresh_again:
            self._refresh_again = False
            self.refresh_store()

    def _apply_summary(self, summary: operations.StoreSummary) -> None:
        first = self.summary is None
        self.summary = summary
        self.status.setText(status_text(summary))
        for page in list(self._built.values()):
            if hasattr(page, "set_summary"):
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
            operations.backup,
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
            operations.restore,
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

        # not modal: the guide stays open beside the window while the user follows it
        if getattr(self, "_guide", None) is None:
            self._guide = UserGuideDialog(self)
        self._guide.show()
        self._guide.raise_()
        self._guide.activateWindow()

    # --- window state (views/window_state.py) ----------------------------------------------------------------

    def _restore_state(self) -> None:
        window_state.restore(self, self.tabs)

    def save_state(self) -> None:
        window_state.save(self, self.tabs)

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        if self._first_show:
            self._first_show = False
            QTimer.singleShot(0, self._build_current_page)  # a restored tab other than Data: after the first paint
            QTimer.singleShot(50, self._after_first_paint)

    def _after_first_paint(self) -> None:
        operations.clear_cache()
        self.refresh_store()

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        if self.is_built("Settings") and not self.settings_page.confirm_discard():
            event.ignore()
            return
        self.save_state()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self, msecs: int = 3000) -> bool:
        """Cancel background work and wait up to `msecs` for it; no task reports to the pages after this.
        True when nothing is left running."""
        return self.runner.shutdown(msecs)
