"""The ward chooser: a borough filter, a search box and a list of wards to tick (with All and None).

The highlighted ward is the one previewed; the ticked wards are the ones a batch writes. Names are shown as
plain text through an item model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.views.widgets import plain_label

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
BOROUGH_ROLE = Qt.ItemDataRole.UserRole + 2
ALL_BOROUGHS = "All boroughs"


class WardFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.borough = ""
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_borough(self, borough: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+
            self.beginFilterChange()
            self.borough = "" if borough == ALL_BOROUGHS else borough
            self.endFilterChange()
        else:
            self.borough = "" if borough == ALL_BOROUGHS else borough
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        index = self.sourceModel().index(row, 0, parent)
        if self.borough and index.data(BOROUGH_ROLE) != self.borough:
            return False
        return super().filterAcceptsRow(row, parent)


class WardList(QWidget):
    ticks_changed = Signal()
    current_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.proxy = WardFilter(self)
        self.proxy.setSourceModel(self.model)
        self.borough = QComboBox()
        self.borough.setAccessibleName("Borough")
        self.borough.currentTextChanged.connect(self._borough_changed)
        self.borough.hide()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search wards")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.search.textChanged.connect(self._ticks_changed)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.selectionModel().currentChanged.connect(lambda *_: self.current_changed.emit())
        self.all_button = QPushButton("&All")
        self.all_button.setToolTip("Tick every ward shown")
        self.all_button.clicked.connect(lambda: self.tick_visible(True))
        self.none_button = QPushButton("&None")
        self.none_button.setToolTip("Untick every ward shown")
        self.none_button.clicked.connect(lambda: self.tick_visible(False))
        self.count = plain_label(wrap=True)
        self.note = ""
        self._quiet = False  # True while filling or ticking many rows: one ticks_changed at the end
        self.model.itemChanged.connect(self._item_changed)

        label = QLabel("&Wards")
        label.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.borough)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.count)
        self._ticks_changed()

    def set_wards(self, wards: list[dict[str, Any]], home_borough: str = "") -> None:
        """Fill the list, keeping the ticks and the highlighted ward where the same wards come back."""
        ticked = set(self.ticked_codes())
        current = self.current_code()
        self._quiet = True
        self.model.clear()
        for ward in wards:
            item = QStandardItem(str(ward.get("name") or ward.get("code")))
            item.setData(ward.get("code"), CODE_ROLE)
            item.setData(str(ward.get("borough_name") or ""), BOROUGH_ROLE)
            item.setToolTip(f"{ward.get('code')} · {ward.get('borough_name') or ''}")
            item.setCheckable(True)
            item.setEditable(False)
            item.setCheckState(Qt.CheckState.Checked if ward.get("code") in ticked else Qt.CheckState.Unchecked)
            self.model.appendRow(item)
        self._quiet = False
        boroughs = sorted({str(w.get("borough_name") or "") for w in wards} - {""})
        self.borough.blockSignals(True)
        self.borough.clear()
        if len(boroughs) > 1:
            self.borough.addItem(ALL_BOROUGHS)
        self.borough.addItems(boroughs)
        self.borough.setVisible(len(boroughs) > 1)
        wanted = home_borough if home_borough in boroughs else (boroughs[0] if len(boroughs) == 1 else "")
        self.borough.setCurrentText(wanted or ALL_BOROUGHS)
        self.borough.blockSignals(False)
        self.proxy.set_borough(self.borough.currentText() if boroughs else "")
        if current is not None:
            self.select_code(current)
        if self.current_code() is None and self.proxy.rowCount():
            self.view.setCurrentIndex(self.proxy.index(0, 0))
        self._ticks_changed()

    def _borough_changed(self, text: str) -> None:
        self.proxy.set_borough(text)
        self._ticks_changed()
        if self.proxy.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.proxy.index(0, 0))

    def _items(self) -> list[QStandardItem]:
        return [self.model.item(r) for r in range(self.model.rowCount())]

    def tick_visible(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self._quiet = True
        for row in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(row, 0))
            self.model.itemFromIndex(source).setCheckState(state)
        self._quiet = False
        self._ticks_changed()

    def set_ticked(self, codes: list[str]) -> None:
        self._quiet = True
        for item in self._items():
            on = item.data(CODE_ROLE) in codes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._quiet = False
        self._ticks_changed()

    def ticked_codes(self) -> list[str]:
        return [str(i.data(CODE_ROLE)) for i in self._items() if i.checkState() == Qt.CheckState.Checked]

    def name_of(self, code: str) -> str:
        for item in self._items():
            if item.data(CODE_ROLE) == code:
                return item.text()
        return code

    def current_code(self) -> str | None:
        index = self.view.currentIndex()
        return str(index.data(CODE_ROLE)) if index.isValid() else None

    def select_code(self, code: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(CODE_ROLE) == code:
                self.view.setCurrentIndex(index)
                return True
        return False

    def _item_changed(self, *_: Any) -> None:
        if not self._quiet:
            self._ticks_changed()

    def set_note(self, note: str) -> None:
        self.note = note
        self._ticks_changed()

    def _ticks_changed(self, *_: Any) -> None:
        n, shown = len(self.ticked_codes()), self.proxy.rowCount()
        text = f"{n} ticked for saving packs · {shown} shown"
        self.count.setText(f"{text}\n{self.note}" if self.note else text)
        self.ticks_changed.emit()
