"""The Settings page: the partnership's name, marking, thresholds, high-footfall wards and "What can I do?"
contacts; where the data and logs live; export/import of the whole settings file (one JSON file an analyst can
give every officer). Saved to paths.settings_path()."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.errors import WardBriefError
from desktop.views.widgets import MessageBanner, open_folder, plain_label

MARKINGS = ["OFFICIAL", "OFFICIAL-SENSITIVE", "NOT PROTECTIVELY MARKED", ""]


class SettingsPage(QWidget):
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_settings")
        self.banner = MessageBanner()
        self.dirty = False
        self.current: Any = None

        self.organisation = QLineEdit()
        self.borough = QLineEdit()
        self.borough.setToolTip(
            "Your home area: the borough(s) whose wards are listed and looked up by name (separate several with ;). "
            "Leave empty to use the borough(s) of the first crime extract imported."
        )
        self.borough.setPlaceholderText("e.g. Westminster (empty: from the first crime extract)")
        self.marking = QComboBox()
        self.marking.setEditable(True)
        self.marking.addItems(MARKINGS)
        self.prepared_by = QLineEdit()
        self.prepared_by.setPlaceholderText("e.g. Community Safety Analyst, Westminster City Council")
        self.threshold = QSpinBox()
        self.threshold.setRange(1, 100)
        self.threshold.setToolTip("In public packs, counts from 1 up to one below this are shown as '<N'")
        self.min_base = QSpinBox()
        self.min_base.setRange(1, 100000)
        self.min_base.setToolTip("Survey results with a smaller base are replaced by a larger area's figure")
        self.footfall = QPlainTextEdit()
        self.footfall.setTabChangesFocus(True)
        self.footfall.setPlaceholderText("One ward name per line")
        self.footfall.setMaximumHeight(self.fontMetrics().height() * 5)
        form = QFormLayout()
        form.addRow("&Organisation", self.organisation)
        form.addRow("Bo&rough", self.borough)
        form.addRow("Mar&king", self.marking)
        form.addRow("Prepared b&y", self.prepared_by)
        form.addRow(
            self._buddy("Small-number &threshold", self.threshold),
            self._with_note(self.threshold, 'public packs show smaller counts in sensitive themes as "<N"'),
        )
        form.addRow(
            self._buddy("Minimum survey b&ase", self.min_base),
            self._with_note(self.min_base, "smaller survey samples are replaced by a larger area's result"),
        )
        form.addRow("Hi&gh-footfall wards", self.footfall)
        pack_box = QGroupBox("Packs")
        pack_box.setLayout(form)

        self.contacts = QTableWidget(0, 2)
        self.contacts.setHorizontalHeaderLabels(["Heading", "What to do / who to contact"])
        self.contacts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.contacts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts.setWordWrap(True)
        self.contacts.setTabKeyNavigation(False)
        self.contacts.setMinimumHeight(self.fontMetrics().height() * 12)
        self.contacts.itemChanged.connect(self._changed)
        add = QPushButton("Add co&ntact")
        add.clicked.connect(self.add_contact)
        remove = QPushButton("Remove contact")
        remove.clicked.connect(self.remove_contact)
        up = QPushButton("Move up")
        up.clicked.connect(lambda: self.move_contact(-1))
        down = QPushButton("Move down")
        down.clicked.connect(lambda: self.move_contact(1))
        defaults = QPushButton("Restore default contacts")
        defaults.clicked.connect(self.default_contacts)
        contact_buttons = QHBoxLayout()
        for button in (add, remove, up, down):
            contact_buttons.addWidget(button)
        contact_buttons.addStretch(1)
        contact_buttons.addWidget(defaults)
        contacts_box = QGroupBox('"What can I do?" contacts (the last page of every pack)')
        cl = QVBoxLayout(contacts_box)
        cl.addWidget(self.contacts)
        cl.addLayout(contact_buttons)

        self.data_label = plain_label(selectable=True)
        self.log_label = plain_label(selectable=True)
        open_data = QPushButton("Open data fo&lder")
        open_data.clicked.connect(lambda: open_folder(paths.data_dir()))
        open_logs = QPushButton("Open log folder")
        open_logs.clicked.connect(lambda: open_folder(paths.log_dir()))
        where = QFormLayout()
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_label, 1)
        data_row.addWidget(open_data)
        log_row = QHBoxLayout()
        log_row.addWidget(self.log_label, 1)
        log_row.addWidget(open_logs)
        where.addRow("Data and store", data_row)
        where.addRow("Logs", log_row)
        where_box = QGroupBox("Where WardBrief keeps things")
        where_box.setLayout(where)

        self.save_button = QPushButton("Sa&ve settings")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("&Undo changes")
        self.revert_button.clicked.connect(self.load)
        export = QPushButton("E&xport settings…")
        export.setToolTip("Write these settings to one file to give to other officers")
        export.clicked.connect(self.export_settings)
        import_ = QPushButton("I&mport settings…")
        import_.setToolTip("Use a settings file from your analyst (replaces these settings)")
        import_.clicked.connect(self.import_settings)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.revert_button)
        buttons.addStretch(1)
        buttons.addWidget(export)
        buttons.addWidget(import_)

        inner = QWidget()
        il = QVBoxLayout(inner)
        il.addWidget(pack_box)
        il.addWidget(contacts_box, 1)
        il.addWidget(where_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

        for edit in (self.organisation, self.borough, self.prepared_by):
            edit.textEdited.connect(self._changed)
        self.marking.currentTextChanged.connect(self._changed)
        self.threshold.valueChanged.connect(self._changed)
        self.min_base.valueChanged.connect(self._changed)
        self.footfall.textChanged.connect(self._changed)
        self.load()

    @staticmethod
    def _buddy(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        return label

    @staticmethod
    def _with_note(field: QWidget, note: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field)
        row.addWidget(plain_label(note), 1)
        return row

    # --- form <-> Settings ---------------------------------------------------------------------------------

    def load(self) -> None:
        from desktop.settings import Settings, load_settings

        try:
            settings = load_settings(paths.settings_path())
            self.banner.dismiss()
        except WardBriefError as exc:
            settings = Settings()
            self.banner.show_error(exc.message, exc.next_step + " The defaults are shown until then.")
        self.show_settings(settings)
        self.dirty = False
        self._update_buttons()

    def show_settings(self, settings: Any) -> None:
        self.current = settings
        self.organisation.setText(settings.organisation)
        self.borough.setText(settings.borough)
        self.marking.setCurrentText(settings.marking)
        self.prepared_by.setText(settings.prepared_by)
        self.threshold.setValue(int(settings.small_number_threshold))
        self.min_base.setValue(int(settings.min_survey_base))
        self.footfall.setPlainText("\n".join(settings.high_footfall_wards))
        self.set_contacts([(c.heading, c.text) for c in settings.contacts])
        self.data_label.setText(str(paths.data_dir()))
        self.log_label.setText(str(paths.log_dir()))

    def set_contacts(self, contacts: list[tuple[str, str]]) -> None:
        self.contacts.blockSignals(True)
        self.contacts.setRowCount(0)
        for heading, text in contacts:
            row = self.contacts.rowCount()
            self.contacts.insertRow(row)
            self.contacts.setItem(row, 0, QTableWidgetItem(heading))
            self.contacts.setItem(row, 1, QTableWidgetItem(text))
        self.contacts.blockSignals(False)
        self.contacts.resizeColumnToContents(0)
        self.contacts.resizeRowsToContents()

    def contact_rows(self) -> list[tuple[str, str]]:
        rows = []
        for row in range(self.contacts.rowCount()):
            cells = [self.contacts.item(row, c) for c in (0, 1)]
            heading, text = (c.text().strip() if c is not None else "" for c in cells)
            if heading or text:
                rows.append((heading, text))
        return rows

    def collect(self) -> Any:
        """The settings the form shows, validated (raises WardBriefError)."""
        from dataclasses import replace

        from desktop.settings import Contact

        for number, (heading, text) in enumerate(self.contact_rows(), 1):
            if not heading or not text:
                raise WardBriefError(f"Contact {number} needs both a heading and a text.", "Fill it in or remove it.")
        settings = replace(
            self.current,
            organisation=self.organisation.text().strip(),
            borough=self.borough.text().strip(),
            marking=self.marking.currentText().strip(),
            prepared_by=self.prepared_by.text().strip(),
            small_number_threshold=self.threshold.value(),
            min_survey_base=self.min_base.value(),
            high_footfall_wards=[w.strip() for w in self.footfall.toPlainText().splitlines() if w.strip()],
            contacts=[Contact(h, t) for h, t in self.contact_rows()],
        )
        settings.validate()
        return settings

    def _changed(self, *_: Any) -> None:
        self.dirty = True
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty)
        self.revert_button.setEnabled(self.dirty)

    def save(self) -> bool:
        from desktop.settings import save_settings

        try:
            settings = self.collect()
            save_settings(settings, paths.settings_path())
        except WardBriefError as exc:
            self.banner.show_error(exc.message, exc.next_step)
            return False
        except OSError as exc:
            self.banner.show_error(f"The settings could not be saved ({exc}).", "Check the data folder is writable.")
            return False
        self.current = settings
        self.dirty = False
        self._update_buttons()
        self.banner.show_success("Settings saved. The next pack uses them.")
        self.saved.emit()
        return True

    def confirm_discard(self) -> bool:
        """Before the window closes: offer to save unsaved changes. False = stay open."""
        if not self.dirty:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved settings",
            "You changed the settings but did not save them. Save them now?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # --- contacts ------------------------------------------------------------------------------------------

    def add_contact(self) -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        self.contacts.setItem(row, 0, QTableWidgetItem(""))
        self.contacts.setItem(row, 1, QTableWidgetItem(""))
        self.contacts.setCurrentCell(row, 0)
        item = self.contacts.item(row, 0)
        if item is not None:
            self.contacts.editItem(item)
        self._changed()

    def remove_contact(self) -> None:
        row = self.contacts.currentRow()
        if row >= 0:
            self.contacts.removeRow(row)
            self._changed()

    def move_contact(self, step: int) -> None:
        row = self.contacts.currentRow()
        rows = self.contact_rows_all()
        target = row + step
        if row < 0 or not 0 <= target < len(rows):
            return
        rows[row], rows[target] = rows[target], rows[row]
        self.set_contacts(rows)
        self.contacts.setCurrentCell(target, 0)
        self._changed()

    def contact_rows_all(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.contacts.rowCount()):
            cells = [self.contacts.item(row, c) for c in (0, 1)]
            out.append(tuple(c.text() if c is not None else "" for c in cells))
        return out  # type: ignore[return-value]

    def default_contacts(self) -> None:
        from desktop.settings import default_contacts

        self.set_contacts([(c.heading, c.text) for c in default_contacts()])
        self._changed()

    # --- export / import -----------------------------------------------------------------------------------

    def export_settings(self) -> None:
        from desktop.settings import save_settings

        name, _ = QFileDialog.getSaveFileName(
            self, "Export settings", str(Path.home() / "wardbrief-settings.json"), "Settings (*.json)"
        )
        if not name:
            return
        try:
            save_settings(self.collect(), Path(name))
        except (WardBriefError, OSError) as exc:
            message, step = (exc.message, exc.next_step) if isinstance(exc, WardBriefError) else (str(exc), "")
            self.banner.show_error(f"The settings were not exported: {message}", step)
            return
        self.banner.show_success(f"Settings exported to {name}. Give this file to officers to import.")

    def import_settings(self) -> None:
        from desktop.settings import load_settings

        name, _ = QFileDialog.getOpenFileName(self, "Import settings", str(Path.home()), "Settings (*.json)")
        if not name:
            return
        try:
            settings = load_settings(Path(name))
        except WardBriefError as exc:
            self.banner.show_error(
                f"That file cannot be used as WardBrief settings: {exc.message}",
                "Ask your analyst for the file they made with Export settings…; your settings were not changed.",
            )
            return
        self.show_settings(settings)
        if self.save():
            self.banner.show_success(f"Settings imported from {name} and saved.")
