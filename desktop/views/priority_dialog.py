"""Add or edit one panel priority and its actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.views.date_field import HINT, DateField, parse_date, show_date
from desktop.views.widgets import MessageBanner, plain_label

ACTION_HEADERS = ["Action", "Owner", "Due", "Done on"]


class OptionalDate(QWidget):
    """A date that may be left unset: a tick box beside a typed date (date_field.DateField)."""

    def __init__(self, label: str, value: str | None) -> None:
        super().__init__()
        self.label = label.replace("&", "")
        self.enabled = QCheckBox(label)
        self.edit = DateField(value or date.today().isoformat(), self.label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.set_value(value)

    def set_value(self, value: str | None) -> None:
        self.enabled.setChecked(bool(value))
        self.edit.setEnabled(bool(value))
        self.edit.set_value(value or date.today().isoformat())

    def value(self) -> str | None:
        """The ISO date when ticked (None when not); ValueError, in words, when what was typed is not a date."""
        if not self.enabled.isChecked():
            return None
        try:
            iso = self.edit.value()
        except ValueError as exc:
            raise ValueError(f"{self.label}: '{exc}' is not a date. {HINT}") from exc
        if iso is None:
            raise ValueError(f"{self.label} is ticked but has no date. Type one, or untick it.")
        return iso


class PriorityDialog(QDialog):
    def __init__(self, priority: Any, themes: list[str], ward_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.priority = priority
        self.setWindowTitle(f"{'Edit' if priority.id else 'Add'} a priority · {ward_name}")
        self.banner = MessageBanner(reserve=False)
        self.title = QLineEdit(priority.title)
        self.title.setPlaceholderText("e.g. Reduce phone snatches around the station")
        self.theme = QComboBox()
        self.theme.setEditable(True)
        self.theme.addItems(themes)
        self.theme.setCurrentText(priority.theme)
        self.set_on = OptionalDate("S&et on", priority.set_on or date.today().isoformat())
        self.status = QComboBox()
        self.status.addItem("Open", "open")
        self.status.addItem("Closed", "closed")
        self.status.setCurrentIndex(max(self.status.findData(priority.status), 0))
        self.review = OptionalDate("&Review on", priority.review_date)
        self.before = QLineEdit(priority.measure_before)
        self.before.setPlaceholderText("e.g. 42 phone thefts in the 3 months to March")
        self.after = QLineEdit(priority.measure_after)
        self.after.setPlaceholderText("filled in at review")
        self.notes = QPlainTextEdit(priority.notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.fontMetrics().height() * 5)
        form = QFormLayout()
        self.ward_label = plain_label(ward_name, wrap=True)
        self.ward_label.setObjectName("priority_ward")
        font = self.ward_label.font()
        font.setBold(True)
        self.ward_label.setFont(font)
        form.addRow("Ward", self.ward_label)
        form.addRow("&Title", self.title)
        form.addRow("T&heme", self.theme)
        form.addRow("", self.set_on)
        form.addRow("Stat&us", self.status)
        form.addRow("", self.review)
        form.addRow("Measure &before", self.before)
        form.addRow("Measure &after", self.after)
        form.addRow("&Notes", self.notes)

        self.actions_table = QTableWidget(0, len(ACTION_HEADERS))
        self.actions_table.setHorizontalHeaderLabels(ACTION_HEADERS)
        header = self.actions_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.actions_table.setColumnWidth(1, self.fontMetrics().averageCharWidth() * 28)
        for column in (2, 3):
            self.actions_table.setColumnWidth(column, self.fontMetrics().horizontalAdvance("00/00/0000") + 24)
        self.actions_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_table.setTabKeyNavigation(False)
        for action in priority.actions:
            self.add_action_row([action.text, action.owner, show_date(action.due), show_date(action.done_on)])
        add = QPushButton("A&dd action")
        add.clicked.connect(lambda: self.add_action_row(["", "", "", ""], edit=True))
        remove = QPushButton("Remo&ve action")
        remove.clicked.connect(self.remove_action_row)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(add)
        buttons_row.addWidget(remove)
        buttons_row.addStretch(1)
        buttons_row.addWidget(plain_label(HINT, wrap=False))

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        actions_label = QLabel("Acti&ons (what will be done, by whom, by when)")
        actions_label.setBuddy(self.actions_table)
        layout.addWidget(actions_label)
        layout.addWidget(self.actions_table, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(box)
        self.resize(self.fontMetrics().averageCharWidth() * 120, self.fontMetrics().height() * 42)
        self._opened_as = self._typed()

    def _typed(self) -> tuple[Any, ...]:
        """Everything the user can type here, to tell an edited dialog from an untouched one."""
        cells = tuple(
            self._cell(r, c) for r in range(self.actions_table.rowCount()) for c in range(len(ACTION_HEADERS))
        )
        dates = tuple((d.enabled.isChecked(), d.edit.line.text()) for d in (self.set_on, self.review))
        texts = (self.title.text(), self.theme.currentText(), self.before.text(), self.after.text())
        return (*texts, self.notes.toPlainText(), self.status.currentIndex(), dates, cells)

    def reject(self) -> None:
        """Cancel, Esc or the close button: work typed here is not dropped without asking (a first user lost a
        priority's title to Esc)."""
        if self._typed() != self._opened_as:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self,
                "Discard changes?",
                "Discard what you typed for this priority?\nChoose Cancel to go back to it and save it.",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def add_action_row(self, values: list[str], edit: bool = False) -> None:
        row = self.actions_table.rowCount()
        self.actions_table.insertRow(row)
        for column, value in enumerate(values):
            self.actions_table.setItem(row, column, QTableWidgetItem(value))
        if edit:
            self.actions_table.setCurrentCell(row, 0)
            item = self.actions_table.item(row, 0)
            if item is not None:
                self.actions_table.editItem(item)

    def remove_action_row(self) -> None:
        rows = sorted({i.row() for i in self.actions_table.selectedIndexes()}, reverse=True)
        for row in rows or [self.actions_table.currentRow()]:
            if row >= 0:
                self.actions_table.removeRow(row)

    def _cell(self, row: int, column: int) -> str:
        item = self.actions_table.item(row, column)
        return item.text().strip() if item is not None else ""

    def collect(self) -> Any:
        """The edited priority; raises ValueError with a message the user can act on."""
        from desktop.store.priorities import Action

        title = self.title.text().strip()
        if not title:
            raise ValueError("A priority needs a title. Type what the panel agreed to work on.")
        actions = []
        for row in range(self.actions_table.rowCount()):
            text = self._cell(row, 0)
            if not text and not any(self._cell(row, c) for c in (1, 2, 3)):
                continue
            if not text:
                raise ValueError(f"Action {row + 1} has an owner or date but no text. Type what will be done.")
            try:
                due, done = parse_date(self._cell(row, 2)), parse_date(self._cell(row, 3))
            except ValueError as exc:
                raise ValueError(f"Action {row + 1}: '{exc}' is not a date. {HINT}") from exc
            actions.append(Action(id=None, text=text, owner=self._cell(row, 1), due=due, done_on=done))
        prio = self.priority
        prio.title = title
        prio.theme = self.theme.currentText().strip()
        prio.set_on = self.set_on.value()
        prio.status = str(self.status.currentData())
        prio.review_date = self.review.value()
        prio.measure_before = self.before.text().strip()
        prio.measure_after = self.after.text().strip()
        prio.notes = self.notes.toPlainText().strip()
        prio.actions = actions
        return prio

    def accept(self) -> None:
        try:
            self.collect()
        except ValueError as exc:
            self.banner.show_error(str(exc))
            return
        super().accept()
