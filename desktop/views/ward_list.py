"""The ward chooser: a borough filter, a search box and a list of wards to tick (with All and None).

Two things the user can tell apart: the **current ward** — the one clicked (or chosen with Enter), named in bold
above the list, whose pack is previewed, printed and saved — and the **ticks**, which only choose the wards a batch
writes. The current ward stays current when a search hides it or the selection is cleared; only choosing another
ward changes it. Names are shown as plain text through an item model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
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

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
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
        self.search.textChanged.connect(lambda *_: self._show_current())
        self.search.returnPressed.connect(self._choose_single_match)
        self.search.installEventFilter(self)
        self.view = QListView()
        self.view.setModel(self.proxy)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.setAccessibleName("Wards: click one to make it the current ward; tick boxes choose wards for a batch")
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.activated.connect(self._choose_index)
        self._current: str | None = None
        self.current_label = plain_label(wrap=True)
        self.current_label.setObjectName("current_ward")
        font = self.current_label.font()
        font.setBold(True)
        self.current_label.setFont(font)
        # two lines always: a long name wrapping (or a short one not) never moves the list below
        self.current_label.setFixedHeight(self.current_label.fontMetrics().lineSpacing() * 2 + 2)
        self.current_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.all_button = QPushButton("&All")
        self.all_button.setToolTip("Tick every ward shown")
        self.all_button.clicked.connect(lambda: self.tick_visible(True))
        self.none_button = QPushButton("&None")
        self.none_button.setToolTip("Untick every ward shown")
        self.none_button.clicked.connect(lambda: self.tick_visible(False))
        self.count = plain_label(wrap=True)
        self.count.setObjectName("ticked_count")
        self.note = ""
        self._quiet = False  # True while filling or ticking many rows: one ticks_changed at the end
        self.model.itemChanged.connect(self._item_changed)

        label = QLabel("&Wards")
        label.setBuddy(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.current_label)
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
        self._show_current()

    def set_wards(self, wards: list[dict[str, Any]], home_borough: str = "", remembered: str | None = None) -> None:
        """Fill the list, keeping the ticks and the current ward where the same wards come back (or choosing the
        `remembered` one, e.g. from the last session). No ward is made current for the user."""
        ticked = set(self.ticked_codes())
        current = self._current or remembered
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
        codes = {w.get("code") for w in wards}
        previous = self._current
        self._current = current if current in codes else None
        if self._current is not None:
            self._highlight(self._current)
        self._ticks_changed()
        self._show_current()
        if self._current != previous:
            self.current_changed.emit()

    def _borough_changed(self, text: str) -> None:
        self.proxy.set_borough(text)
        self._ticks_changed()
        self._show_current()

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
        """The current ward: the one the user chose, whether or not the list shows it now."""
        return self._current

    def select_code(self, code: str) -> bool:
        """Make `code` the current ward (and highlight it if shown). False when the list does not hold it."""
        if code not in {item.data(CODE_ROLE) for item in self._items()}:
            return False
        self._set_current(code)
        self._highlight(code)
        return True

    def _highlight(self, code: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(CODE_ROLE) == code:
                self.view.setCurrentIndex(index)
                return

    def _set_current(self, code: str | None) -> None:
        if code != self._current:
            self._current = code
            self._show_current()
            self.current_changed.emit()

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:  # a cleared selection leaves the current ward as it was (the label still names it)
            self._set_current(str(indexes[0].data(CODE_ROLE)))

    def _choose_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._set_current(str(index.data(CODE_ROLE)))

    def _choose_single_match(self) -> None:
        """Enter in the search box with exactly one ward shown makes that ward current."""
        if self.proxy.rowCount() == 1:
            index = self.proxy.index(0, 0)
            self.view.setCurrentIndex(index)
            self._choose_index(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        """Down (or Page Down) in the search box moves into the list."""
        down = (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in down
            and self.proxy.rowCount()
        ):
            self.view.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.view.currentIndex().isValid():
                self.view.setCurrentIndex(self.proxy.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def _show_current(self) -> None:
        code = self._current
        if code is None:
            self.current_label.setText("Current ward: none yet (click one below)")
            return
        text = f"Current ward: {self.name_of(code)}"
        shown = any(self.proxy.index(r, 0).data(CODE_ROLE) == code for r in range(self.proxy.rowCount()))
        self.current_label.setText(text if shown else f"{text} (not in the list shown)")

    def _item_changed(self, *_: Any) -> None:
        if not self._quiet:
            self._ticks_changed()

    def set_note(self, note: str) -> None:
        self.note = note
        self._ticks_changed()

    def _ticks_changed(self, *_: Any) -> None:
        n, shown = len(self.ticked_codes()), self.proxy.rowCount()
        text = f"{n} ticked for a batch of packs · {shown} shown"
        self.count.setText(f"{text}\n{self.note}" if self.note else text)
        self.ticks_changed.emit()
