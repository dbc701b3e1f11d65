"""The Data page: drop or pick extract files, watch them import (with Cancel), read each file's result and its
rejected rows in place, and manage the files in the store (Remove, after a confirmation).

A bad file never raises a dialog with a traceback: its row in the results says what is wrong and what to do,
and the store is left as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import operations
from desktop.tasks import TaskRunner
from desktop.views.data_widgets import DropZone, WelcomePanel, kind_label, month_label, months_text, result_notes
from desktop.views.table_models import CopyTableView, RowsModel
from desktop.views.widgets import MessageBanner, TaskBar, plain_label

FILE_FILTER = "Extracts (*.csv *.xlsx *.xlsm *.txt *.geojson *.json *.shp *.zip);;All files (*)"
SOURCE_HEADERS = ["ID", "File", "Kind", "Months", "Rows stored", "Rejected", "Imported", "Notes"]
RESULT_HEADERS = ["File", "Result", "Kind", "Months", "Rows stored", "Rejected", "Notes"]
REJECTION_HEADERS = ["Row", "Column", "Value", "Reason"]


def imported_text(stamp: Any) -> str:
    """When a file was imported, in the window's one date style: '2026-12-05T07:35:12' -> '5 Dec 2026 07:35'."""
    from desktop.views.date_field import show_date

    text = str(stamp or "")
    return f"{show_date(text)} {text[11:16]}".strip()


class DataPage(QWidget):
    store_changed = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_data")
        self.runner = runner
        self.setAcceptDrops(True)
        self.results: list[Any] = []
        self.last_files: list[Path] = []  # the files of the last import, in the order of `results`
        self.summary: operations.StoreSummary | None = None

        self.banner = MessageBanner()
        self.drop_zone = DropZone()
        self.drop_zone.pick_button.clicked.connect(self.choose_files)
        self.taskbar = TaskBar()
        self.taskbar.idle.connect(self._update_buttons)
        self.welcome = WelcomePanel()
        self.welcome.demo_button.clicked.connect(self.load_demo)
        self.welcome.import_button.clicked.connect(self.choose_files)

        self.sources_model = RowsModel(SOURCE_HEADERS)
        self.sources_view = CopyTableView(self.sources_model)
        self.sources_view.csv_name = "sources.csv"
        self.sources_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setToolTip("Remove the selected file's figures from the store (asks first)")
        self.remove_button.clicked.connect(self.remove_selected)
        sources_box = QGroupBox("Files in the store")
        box = QVBoxLayout(sources_box)
        box.addWidget(self.sources_view)
        buttons = QHBoxLayout()
        buttons.addWidget(
            plain_label("Removing a file removes exactly its figures and brings back any it had replaced."), 1
        )
        buttons.addWidget(self.remove_button)
        box.addLayout(buttons)

        self.results_model = RowsModel(RESULT_HEADERS)
        self.results_view = CopyTableView(self.results_model)
        self.results_view.csv_name = "import-results.csv"
        self.results_view.selectionModel().selectionChanged.connect(self._show_result_details)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setObjectName("result_details")
        self.details.setPlaceholderText("Select a file above to see what happened to it.")
        self.rejections_model = RowsModel(REJECTION_HEADERS)
        self.rejections_view = CopyTableView(self.rejections_model)
        self.rejections_view.csv_name = "rejected-rows.csv"
        self.copy_button = QPushButton("C&opy rejected rows")
        self.copy_button.clicked.connect(self.rejections_view.copy_selection)
        self.save_button = QPushButton("Sa&ve rejected rows…")
        self.save_button.clicked.connect(self.rejections_view.ask_save_csv)
        self.skip_button = QPushButton("Import &without the bad rows")
        self.skip_button.setToolTip(
            "Store the file's good rows and keep the list of rejected ones (only if leaving those rows out is right)"
        )
        self.skip_button.clicked.connect(self.import_skipping_bad_rows)
        results_box = self.results_box = QGroupBox("Last import")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.results_view, 3)
        ll.addWidget(self.details, 2)
        right = self.rejections_pane = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.rejections_label = plain_label("Rejected rows")
        rl.addWidget(self.rejections_label)
        rl.addWidget(self.rejections_view, 1)
        rbuttons = QHBoxLayout()
        rbuttons.addStretch(1)
        rbuttons.addWidget(self.skip_button)
        rbuttons.addWidget(self.copy_button)
        rbuttons.addWidget(self.save_button)
        rl.addLayout(rbuttons)
        self.results_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.results_splitter.setObjectName("results_splitter")
        self.results_splitter.addWidget(left)
        self.results_splitter.addWidget(right)
        self.results_splitter.setStretchFactor(0, 3)
        self.results_splitter.setStretchFactor(1, 2)
        self.results_splitter.setChildrenCollapsible(False)
        rbox = QVBoxLayout(results_box)
        rbox.addWidget(self.results_splitter)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("data_splitter")
        self.splitter.addWidget(sources_box)
        self.splitter.addWidget(results_box)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([400, 500])
        self.reading = plain_label("Reading the store…")
        self.reading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.reading)  # until the first summary: never a false "your store is empty"
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)
        self.stack.setCurrentWidget(self.reading)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.drop_zone)
        layout.addWidget(self.taskbar)
        layout.addWidget(self.stack, 1)
        self._show_rejections([])
        self.results_box.hide()  # until something is imported in this session
        self._update_buttons()

    # --- store state ---------------------------------------------------------------------------------------

    def set_summary(self, summary: operations.StoreSummary) -> None:
        self.summary = summary
        rows, payloads = [], []
        for s in summary.sources:
            notes = []
            partial = operations._as_list(s.get("partial_months"))
            if partial:
                notes.append("Partial: " + ", ".join(month_label(m) for m in partial))
            notes += operations._as_list(s.get("warnings"))
            if s.get("status") not in (None, "", "ok", "imported"):
                notes.insert(0, str(s.get("status")))
            rows.append(
                [
                    s.get("id"),
                    s.get("file_name", ""),
                    str(s.get("label") or kind_label(str(s.get("kind", "")))),
                    months_text(s.get("first_month"), s.get("last_month")),
                    s.get("rows_stored"),
                    s.get("rows_rejected"),
                    imported_text(s.get("imported_at")),
                    "; ".join(notes),
                ]
            )
            payloads.append(s)
        self.sources_model.set_rows(rows, payloads)
        self.sources_view.fit_columns(30)
        self.stack.setCurrentWidget(self.welcome if summary.empty and not self.results else self.splitter)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.taskbar.busy()
        self.remove_button.setEnabled(not busy and self.sources_view.current_row() >= 0)
        self.drop_zone.pick_button.setEnabled(not busy)
        self.welcome.demo_button.setEnabled(not busy)
        self.welcome.import_button.setEnabled(not busy)

    # --- drag and drop -------------------------------------------------------------------------------------

    @staticmethod
    def _local_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if self._local_files(event) and not self.taskbar.busy():
            event.acceptProposedAction()
            self.drop_zone.set_active(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # Qt override
        self.drop_zone.set_active(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.drop_zone.set_active(False)
        files = self._local_files(event)
        if files:
            event.acceptProposedAction()
            self.import_paths(files)

    # --- importing -----------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Import extract files", str(Path.home()), FILE_FILTER)
        if names:
            self.import_paths(names)

    def _start(self, name: str, fn: Any, *args: Any, message: str) -> bool:
        if self.taskbar.busy():
            self.banner.show_warning("An import is already running.", "Wait for it to finish, or press Cancel.")
            return False
        self.banner.dismiss()
        self.results.clear()  # the same list the work function appends to
        self.results_model.clear()
        self.details.clear()
        self._show_rejections([])
        self.stack.setCurrentWidget(self.splitter)
        self.results_box.show()
        self.taskbar.start(
            self.runner,
            name,
            fn,
            *args,
            on_failure=self.banner.show_failure,
            on_cancel=self._import_cancelled,
            on_end=self._import_ended,
            message=message,
        )
        self._update_buttons()
        return True

    def import_paths(self, names: list[str]) -> bool:
        files = operations.expand_paths([str(n) for n in names])
        if not files:
            self.banner.show_warning("There were no CSV or XLSX files in what you chose.", "Choose extract files.")
            return False
        self.last_files = files
        return self._start("import", operations.import_files, files, self.results, message="Importing…")

    def import_skipping_bad_rows(self) -> bool:
        row = self.results_view.current_row()
        result = self.results_model.payload(row)
        if result is None or result.ok or not result.rejections or row >= len(self.last_files):
            return False
        path = self.last_files[row]
        self.last_files = [path]
        return self._start(
            "import",
            operations.import_files,
            [path],
            self.results,
            True,
            message=f"Importing {path.name} without its bad rows…",
        )

    def load_demo(self) -> bool:
        self.last_files = []
        return self._start("demo", operations.load_demo, self.results, message="Loading the demo data…")

    def _import_cancelled(self) -> None:
        kept = sum(1 for r in self.results if r.status == "imported")
        self.banner.show_info(
            f"Import cancelled. {kept} file(s) finished before you pressed Cancel were kept; the file being read "
            "when you cancelled was not imported. Import it again when you are ready."
        )

    def _import_ended(self) -> None:
        self._show_results(self.results)
        self._update_buttons()
        self.store_changed.emit()

    def _show_results(self, results: list[Any]) -> None:
        self.results_model.clear()
        for r in results:
            row = [
                r.file_name,
                {
                    "imported": "Imported",
                    "already imported": "Already imported",
                    "failed": "FAILED",
                    "not needed": "Not needed",
                }.get(r.status, r.status),
                r.kind_label if r.kind else "",
                months_text(r.first_month, r.last_month),
                r.rows_stored,
                r.rows_rejected,
                result_notes(r),
            ]
            self.results_model.append_row(row, r, emphasis=r.status == "failed" or bool(r.partial_months))
        self.results_view.fit_columns()
        if not results:
            return
        failed = [r for r in results if not r.ok]
        first = results.index(failed[0]) if failed else 0
        self.results_view.selectRow(first)
        if self.banner.level == "info" and not self.banner.isHidden():
            return  # the cancel message stays
        if failed:
            names = ", ".join(r.file_name for r in failed)
            self.banner.show_error(
                f"{len(failed)} of {len(results)} file(s) could not be imported: {names}. "
                "Nothing from those files was stored.",
                "Select the file below to see why and what to do.",
            )
        else:
            stored = sum(r.rows_stored for r in results)
            unneeded = [r.file_name for r in results if r.status == "not needed"]
            calm = (
                f" {len(unneeded)} file(s) WardBrief does not need were left out, and nothing is wrong: "
                f"{', '.join(unneeded)} (select it below to see why)."
                if unneeded
                else ""
            )
            self.banner.show_success(f"{len(results)} file(s) done; {stored:,} rows stored.{calm}")

    def _show_result_details(self) -> None:
        result = self.results_model.payload(self.results_view.current_row())
        if result is None:
            self.details.clear()
            self._show_rejections([])
            return
        self.details.setPlainText(result.summary())
        self._show_rejections(result.rejections)

    def _show_rejections(self, rejections: list[Any]) -> None:
        self.rejections_model.set_rows([[r.row, r.column, r.value, r.reason] for r in rejections])
        self.rejections_label.setText(
            f"Rejected rows ({len(rejections):,}): copy them (Ctrl+C) or save them to fix the file"
            if rejections
            else "Rejected rows: none for the selected file"
        )
        self.copy_button.setEnabled(bool(rejections))
        self.save_button.setEnabled(bool(rejections))
        result = self.results_model.payload(self.results_view.current_row())
        self.skip_button.setVisible(bool(rejections) and result is not None and not result.ok)
        self.rejections_pane.setVisible(bool(rejections))  # room for the results when there is nothing to show
        if rejections:
            self.rejections_view.fit_columns()

    # --- removing a source ---------------------------------------------------------------------------------

    def remove_selected(self) -> None:
        source = self.sources_model.payload(self.sources_view.current_row())
        if source is None or self.taskbar.busy():
            return
        name, sid = source.get("file_name", ""), source.get("id")
        answer = QMessageBox.question(
            self,
            "Remove a file",
            # a fixed first line: Qt then reads the whole text as plain text (a file name could hold markup)
            f"Remove this file from the store?\n\n{name} (source {sid})\n\nIts figures are removed, and any figures it had "
            "replaced come back. Packs made after this will not include it. You can import the file again later.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.taskbar.start(
            self.runner,
            "remove",
            operations.remove_source,
            int(sid),
            on_success=lambda message: self.banner.show_success(str(message)),
            on_failure=self.banner.show_failure,
            on_end=self._removed,
            message=f"Removing {name}…",
        )
        self._update_buttons()

    def _removed(self) -> None:
        self._update_buttons()
        self.store_changed.emit()

    def busy(self) -> bool:
        return self.taskbar.busy()
