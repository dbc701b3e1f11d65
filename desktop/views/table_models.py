"""A plain-text table model and a table view that copies (Ctrl+C) and saves (CSV) what it shows.

Item models never interpret HTML, so whatever a file or a user typed is shown exactly as text.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def safe_csv_cell(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (a rejected value can be anything)."""
    return "'" + text if text.startswith(FORMULA_START) else text


class RowsModel(QAbstractTableModel):
    """Rows of values under fixed headers; each row may carry a payload (the object it shows).

    Rows in `emphasis` are drawn bold and tagged in their tooltip (never by colour alone).
    """

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[list[Any]] = []
        self.payloads: list[Any] = []
        self.emphasis: set[int] = set()

    def set_rows(self, rows: Sequence[Sequence[Any]], payloads: Sequence[Any] | None = None) -> None:
        self.beginResetModel()
        self.rows = [list(r) for r in rows]
        self.payloads = list(payloads) if payloads is not None else [None] * len(self.rows)
        self.emphasis = set()
        self.endResetModel()

    def append_row(self, row: Sequence[Any], payload: Any = None, emphasis: bool = False) -> None:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(list(row))
        self.payloads.append(payload)
        if emphasis:
            self.emphasis.add(n)
        self.endInsertRows()

    def clear(self) -> None:
        self.set_rows([])

    def payload(self, row: int) -> Any:
        return self.payloads[row] if 0 <= row < len(self.payloads) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt override
        return 0 if parent.isValid() else len(self.headers)

    def text(self, row: int, column: int) -> str:
        values = self.rows[row]
        return cell_text(values[column]) if column < len(values) else ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = self.text(row, column)
            if role == Qt.ItemDataRole.DisplayRole:
                return text.replace("\n", " ")
            if len(text) <= 40 and "\n" not in text:
                return None
            # Qt renders a tooltip that looks like HTML as rich text (and loads any <img> it names): escape it
            return "<qt>" + html.escape(text).replace("\n", "<br>") + "</qt>"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            value = self.rows[row][column] if column < len(self.rows[row]) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row in self.emphasis:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if section < len(self.headers) else None
        return None

    def as_lines(self, rows: Sequence[int] | None = None, columns: Sequence[int] | None = None) -> list[list[str]]:
        rows = range(len(self.rows)) if rows is None else rows
        columns = range(len(self.headers)) if columns is None else columns
        return [[self.text(r, c) for c in columns] for r in rows]


class CopyTableView(QTableView):
    """A read-only table: row selection, Ctrl+C copies the selection as tab-separated text, and a context menu
    offers Copy, Select all and Save as CSV…"""

    def __init__(self, model: RowsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.rows_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside it)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.6))
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.copy_action = QAction("&Copy", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_action.triggered.connect(self.copy_selection)
        self.addAction(self.copy_action)
        select_all = QAction("Select &all", self)
        select_all.triggered.connect(self.selectAll)
        self.addAction(select_all)
        self.save_action = QAction("&Save as CSV…", self)
        self.save_action.triggered.connect(self.ask_save_csv)
        self.addAction(self.save_action)
        self.csv_name = "table.csv"

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.selectionModel().selectedIndexes()})

    def current_row(self) -> int:
        rows = self.selected_rows()
        return rows[0] if rows else -1

    def copy_selection(self) -> str:
        rows = self.selected_rows() or list(range(self.rows_model.rowCount()))
        lines = [self.rows_model.headers, *self.rows_model.as_lines(rows)]
        text = "\n".join("\t".join(cell.replace("\t", " ") for cell in line) for line in lines)
        QGuiApplication.clipboard().setText(text)
        return text

    def save_csv(self, path: Path) -> Path:
        with Path(path).open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(self.rows_model.headers)
            for line in self.rows_model.as_lines():
                writer.writerow([safe_csv_cell(cell) for cell in line])
        return Path(path)

    def ask_save_csv(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(self, "Save as CSV", self.csv_name, "CSV files (*.csv)")
        if name:
            self.save_csv(Path(name))

    def fit_columns(self, max_chars: int = 40, stretch: int | None = None) -> None:
        """Size columns to their content, never wider than about `max_chars` characters; `stretch` (a column)
        takes the spare width instead of the last one."""
        header = self.horizontalHeader()
        self.resizeColumnsToContents()
        limit = self.fontMetrics().averageCharWidth() * max_chars
        for column in range(self.rows_model.columnCount()):
            if column == stretch:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
            elif self.columnWidth(column) > limit:
                self.setColumnWidth(column, limit)
        if stretch is not None:
            header.setStretchLastSection(False)
