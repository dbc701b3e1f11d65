"""The Priorities page: a ward's panel priorities and their actions; add, edit, close or reopen, delete.

Saved in the store (store.priorities), so they appear in the next pack's "Panel priorities and actions" section.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import operations
from desktop.tasks import TaskRunner
from desktop.views.date_field import show_date
from desktop.views.priority_dialog import PriorityDialog
from desktop.views.table_models import CopyTableView, RowsModel
from desktop.views.widgets import MessageBanner, plain_label, window_settings

PRIORITY_HEADERS = ["Priority", "Theme", "Set on", "Status", "Review", "Before", "After", "Actions done"]
ACTION_HEADERS = ["Action", "Owner", "Due", "Done on"]


class PrioritiesPage(QWidget):
    store_changed = Signal()

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_priorities")
        self.runner = runner
        self.summary: operations.StoreSummary | None = None
        self.priorities: list[Any] = []
        self._pending_select: int | None = None
        remembered = window_settings().value("briefing/ward")
        # the Briefing page's current ward (from the last session until it says otherwise)
        self._following: str | None = str(remembered) if remembered else None
        self.banner = MessageBanner()
        self.ward = QComboBox()
        self.ward.setMinimumContentsLength(24)
        self.ward.currentIndexChanged.connect(self.load)
        ward_label = QLabel("&Ward")
        ward_label.setBuddy(self.ward)
        top = QHBoxLayout()
        top.addWidget(ward_label)
        top.addWidget(self.ward, 1)
        top.addWidget(plain_label("Open and recently closed priorities appear in the ward's next pack.", wrap=True), 2)

        self.model = RowsModel(PRIORITY_HEADERS)
        self.table = CopyTableView(self.model)
        self.table.csv_name = "priorities.csv"
        self.table.selectionModel().selectionChanged.connect(self._show_actions)
        self.table.doubleClicked.connect(lambda *_: self.edit_selected())
        self.details = plain_label(selectable=True)
        self.details.setObjectName("priority_details")
        self.actions_model = RowsModel(ACTION_HEADERS)
        self.actions_view = CopyTableView(self.actions_model)
        self.add_button = QPushButton("&Add priority…")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("&Edit…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.close_button = QPushButton("C&lose priority")
        self.close_button.clicked.connect(self.toggle_closed)
        self.delete_button = QPushButton("Dele&te…")
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.close_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        pbox = QGroupBox("Priorities")
        pl = QVBoxLayout(pbox)
        pl.addWidget(self.table)
        pl.addLayout(buttons)
        abox = QGroupBox("The selected priority and its actions")
        al = QVBoxLayout(abox)
        al.addWidget(self.details)
        al.addWidget(self.actions_view, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("priorities_splitter")
        self.splitter.addWidget(pbox)
        self.splitter.addWidget(abox)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    # --- wards and loading ---------------------------------------------------------------------------------

    def set_summary(self, summary: operations.StoreSummary) -> None:
        self.summary = summary
        home = summary.home_boroughs
        wards = summary.wards or [w for w in summary.all_wards if w.get("borough_name") in home]
        current = self.ward_code() or self._following
        self.ward.blockSignals(True)
        self.ward.clear()
        boroughs = {w.get("borough_name") for w in wards}
        for w in wards:
            name = str(w.get("name") or w.get("code"))
            label = f"{name} ({w.get('borough_name')})" if len(boroughs) > 1 else name
            self.ward.addItem(label, w.get("code"))
        index = self.ward.findData(current) if current else -1
        if index < 0 and len(boroughs) > 1:
            index = next((i for i, w in enumerate(wards) if w.get("borough_name") == home), 0)
        self.ward.setCurrentIndex(max(index, 0) if wards else -1)
        self.ward.blockSignals(False)
        if not wards:
            self.banner.show_info("There are no wards in the store yet. Import extracts on the Data page first.")
        elif self.banner.level == "info":
            self.banner.dismiss()
        self.load()

    def follow_ward(self, code: str) -> None:
        """Show the ward the Briefing page has made current (when this page lists it)."""
        if code != self.ward_code():
            self._following = code
            self.select_ward(code)

    def ward_code(self) -> str | None:
        data = self.ward.currentData()
        return str(data) if data else None

    def select_ward(self, code: str) -> bool:
        index = self.ward.findData(code)
        if index >= 0:
            self.ward.setCurrentIndex(index)
        return index >= 0

    def load(self, *_: Any) -> None:
        code = self.ward_code()
        if code is None:
            self._fill([])
            return
        self.runner.run(
            "priorities", operations.list_priorities, code, on_success=self._fill, on_failure=self.banner.show_failure
        )

    def _fill(self, priorities: list[Any]) -> None:
        self.priorities = list(priorities)
        rows = []
        for p in self.priorities:
            done = sum(1 for a in p.actions if a.done_on)
            rows.append(
                [
                    p.title,
                    p.theme,
                    show_date(p.set_on),
                    "Closed" if p.status == "closed" else "Open",
                    show_date(p.review_date),
                    p.measure_before,
                    p.measure_after,
                    f"{done} of {len(p.actions)}" if p.actions else "none yet",
                ]
            )
        self.model.set_rows(rows, self.priorities)
        self.table.fit_columns(24, stretch=0)
        if self._pending_select is not None:
            ids = [p.id for p in self.priorities]
            if self._pending_select in ids:
                self.table.selectRow(ids.index(self._pending_select))
            self._pending_select = None
        elif self.priorities:
            self.table.selectRow(0)
        self._show_actions()

    def selected(self) -> Any:
        return self.model.payload(self.table.current_row())

    def _show_actions(self) -> None:
        prio = self.selected()
        actions = prio.actions if prio is not None else []
        self.actions_model.set_rows([[a.text, a.owner, show_date(a.due), show_date(a.done_on)] for a in actions])
        self.actions_view.fit_columns(40, stretch=0)
        self.details.setText(self._details_text(prio))
        self._update_buttons()

    @staticmethod
    def _details_text(prio: Any) -> str:
        if prio is None:
            return "Select a priority above to see it in full."
        lines = [prio.title]
        if prio.measure_before:
            lines.append(f"Measure before: {prio.measure_before}")
        if prio.measure_after:
            lines.append(f"Measure after: {prio.measure_after}")
        if prio.notes:
            lines.append(f"Notes: {prio.notes}")
        return "\n".join(lines)

    def _update_buttons(self) -> None:
        prio = self.selected()
        self.add_button.setEnabled(self.ward_code() is not None)
        for button in (self.edit_button, self.close_button, self.delete_button):
            button.setEnabled(prio is not None)
        self.close_button.setText(
            "Re&open priority" if prio is not None and prio.status == "closed" else "C&lose priority"
        )

    # --- editing -------------------------------------------------------------------------------------------

    def theme_labels(self) -> list[str]:
        return [str(t.label) for t in self.summary.themes] if self.summary else []

    def run_dialog(self, dialog: PriorityDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def add(self) -> None:
        from desktop.store.priorities import Priority

        code = self.ward_code()
        if code is None:
            return
        self._edit(Priority(id=None, ward_code=code, title=""))

    def edit_selected(self) -> None:
        prio = self.selected()
        if prio is not None:
            self._edit(prio)

    def _edit(self, prio: Any) -> None:
        import copy

        draft = copy.deepcopy(prio)
        dialog = PriorityDialog(draft, self.theme_labels(), self.ward.currentText(), self)
        try:
            if self.run_dialog(dialog):
                self.save(dialog.priority)
        finally:
            dialog.deleteLater()  # not left as a child until exit: Qt destroyed it after Python at quit (a crash)

    def save(self, prio: Any) -> None:
        self.runner.run(
            "save priority",
            operations.save_priority,
            prio,
            on_success=lambda priority_id: self._saved(priority_id, prio),
            on_failure=self.banner.show_failure,
        )

    def _saved(self, priority_id: int, prio: Any = None) -> None:
        self.banner.show_success(f"Priority saved for {self.ward.currentText()}. It will appear in its next pack.")
        self._pending_select = int(priority_id)
        if prio is not None and prio.ward_code == self.ward_code():  # shown at once; the reload below confirms it
            prio.id = int(priority_id)
            self._fill([p for p in self.priorities if p.id != prio.id] + [prio])
            self._pending_select = int(priority_id)
        self.load()
        self.store_changed.emit()  # a previewed pack of this ward is now out of date

    def toggle_closed(self) -> None:
        import copy

        prio = self.selected()
        if prio is None:
            return
        draft = copy.deepcopy(prio)
        draft.status = "open" if prio.status == "closed" else "closed"
        self.save(draft)

    def _deleted(self, _: Any = None) -> None:
        self.banner.show_success("Priority deleted.")
        self.load()
        self.store_changed.emit()

    def delete_selected(self) -> None:
        prio = self.selected()
        if prio is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete a priority",
            f"Delete this priority and its {len(prio.actions)} action(s)?\n\n{prio.title}\n\n"
            "To keep it in the record but stop working on it, choose Close priority instead.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.run(
            "delete priority",
            operations.delete_priority,
            int(prio.id),
            on_success=self._deleted,
            on_failure=self.banner.show_failure,
        )
