"""The Briefing page: choose wards, month, themes, mode and meeting date; Generate shows the real pages; then
Print…, Save PDF…, Save XLSX…, or save packs for every ticked ward at once (one progress bar, Cancel)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import operations
from desktop.tasks import TaskRunner
from desktop.views.briefing_outputs import PackOutputs
from desktop.views.date_field import HINT, DateField
from desktop.views.preview import PdfPreview
from desktop.views.ward_list import WardList
from desktop.views.widgets import MessageBanner, TaskBar, plain_label, window_settings


def _month_label(month: str) -> str:
    from desktop.views.data_widgets import month_label

    return month_label(month)


class BriefingPage(PackOutputs, QWidget):
    go_to_data = Signal()
    state_changed = Signal()  # what Generate/Print/Save can do has changed: the window's menu follows
    ward_chosen = Signal(str)  # the current ward (code): the Priorities page follows it

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_briefing")
        self.runner = runner
        self.summary: operations.StoreSummary | None = None
        self.generated: operations.Generated | None = None
        self._after_generate: Callable[[], Any] | None = None  # a save or print waiting for a fresh pack
        self.last_batch: list[Path] = []
        self.theme_boxes: dict[str, QCheckBox] = {}
        self.banner = MessageBanner()
        self.taskbar = TaskBar()
        self.taskbar.idle.connect(self._update_buttons)

        self.wards = WardList()
        self.wards.current_changed.connect(self._current_ward_changed)
        self.wards.setEnabled(False)  # until the store summary has filled it: no click is lost to a reload
        self.wards.ticks_changed.connect(self._update_buttons)

        self.month = QComboBox()
        self.month.setAccessibleName("Reference month")
        self.month.currentIndexChanged.connect(self._options_changed)
        self.public = QRadioButton("P&ublic (small numbers hidden)")
        self.internal = QRadioButton("Int&ernal (every count shown)")
        self.public.setChecked(True)
        mode_group = QButtonGroup(self)
        mode_group.addButton(self.public)
        mode_group.addButton(self.internal)
        self.public.toggled.connect(self._options_changed)
        mode = QVBoxLayout()
        mode.addWidget(self.public)
        mode.addWidget(self.internal)
        self.summary_box = QCheckBox("Two-page s&ummary")
        self.summary_box.setToolTip("At a glance, key findings, priorities and who to contact, on two A4 sides")
        self.large_print = QCheckBox("&Large print (16 pt)")
        self.large_print.setToolTip("Body text of at least 16 pt, tables and charts re-flowed to fit (PDF and HTML)")
        for box in (self.summary_box, self.large_print):
            box.toggled.connect(self._options_changed)
        edition = QVBoxLayout()
        edition.addWidget(self.summary_box)
        edition.addWidget(self.large_print)
        self.meeting_on = QCheckBox("Panel &meeting on")
        self.meeting_on.setChecked(True)
        self.meeting = DateField(date.today().isoformat(), "Panel meeting date")
        self.meeting_on.toggled.connect(self.meeting.setEnabled)
        self.meeting_on.toggled.connect(self._options_changed)
        self.meeting.changed.connect(self._options_changed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        month_label = plain_label("Reference m&onth", wrap=False)
        month_label.setBuddy(self.month)
        form.addRow(month_label, self.month)
        form.addRow("Mode", mode)
        form.addRow("Edition", edition)
        form.addRow(self.meeting_on, self.meeting)
        self.themes_box = QGroupBox("&Themes in the pack")
        self.themes_grid = QGridLayout(self.themes_box)

        self.generate_button = QPushButton("&Generate preview")
        self.generate_button.setToolTip("Make the current ward's pack and show it in the preview (Ctrl+G)")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.print_button = QPushButton("P&rint…")
        self.print_button.setToolTip("Print the previewed pack (Ctrl+P)")
        self.print_button.clicked.connect(self.print_pack)
        self.pdf_button = QPushButton("Sa&ve PDF…")
        self.pdf_button.setToolTip("Save the previewed pack as a PDF file (Ctrl+S)")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.xlsx_button = QPushButton("Save &XLSX…")
        self.xlsx_button.setToolTip("Save every table in the pack as a spreadsheet appendix")
        self.xlsx_button.clicked.connect(self.save_xlsx)
        self.html_button = QPushButton("Save &HTML…")
        self.html_button.setToolTip(
            "Save the pack as one accessible web page (headings, tables and described charts, for screen readers "
            "and for publishing on a website)"
        )
        self.html_button.clicked.connect(self.save_html)
        self.batch_button = QPushButton("Save pac&ks for ticked wards…")
        self.batch_button.setToolTip(
            "Write a pack for every ticked ward into a folder you choose (the current ward is not included unless "
            "it is ticked)"
        )
        self.batch_button.clicked.connect(self.write_batch)
        self.batch_xlsx = QCheckBox("with XLSX appendices")
        self.batch_html = QCheckBox("with accessible HTML pages")
        self.batch_overview = QCheckBox("and a borough overview")
        self.batch_overview.setChecked(True)
        outputs = QGridLayout()
        outputs.addWidget(self.generate_button, 0, 0, 1, 3)
        outputs.addWidget(self.print_button, 1, 0)
        outputs.addWidget(self.pdf_button, 1, 1)
        outputs.addWidget(self.xlsx_button, 1, 2)
        outputs.addWidget(self.html_button, 2, 0, 1, 3)
        many = QGroupBox("Many wards at once")
        many_layout = QVBoxLayout(many)
        many_layout.addWidget(self.batch_button)
        many_layout.addWidget(self.batch_xlsx)
        many_layout.addWidget(self.batch_html)
        many_layout.addWidget(self.batch_overview)

        self.preview = PdfPreview()
        self.no_data_button = QPushButton("Go to the Data page")
        self.no_data_button.clicked.connect(self.go_to_data.emit)
        self.no_data_button.hide()

        options = QWidget()
        olayout = QVBoxLayout(options)
        olayout.addLayout(form)
        # every button in view without scrolling, even at 1024x640; the long list of themes comes last
        olayout.addLayout(outputs)
        olayout.addWidget(self.taskbar)
        olayout.addWidget(self.no_data_button)
        olayout.addWidget(many)
        olayout.addWidget(self.themes_box)
        olayout.addStretch(1)
        self.options_scroll = QScrollArea()
        self.options_scroll.setWidgetResizable(True)
        self.options_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.options_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.options_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.options_scroll.setWidget(options)
        self.options_scroll.setMinimumWidth(options.minimumSizeHint().width())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("briefing_splitter")
        self.splitter.addWidget(self.wards)
        self.splitter.addWidget(self.options_scroll)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 5)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self._update_buttons()

    # --- what the store holds ------------------------------------------------------------------------------

    def settings(self) -> Any:
        return operations.current_settings()

    def set_summary(self, summary: operations.StoreSummary) -> None:
        self.summary = summary
        settings = self.settings()
        remembered = window_settings().value("briefing/ward")
        self.wards.set_wards(summary.wards, settings.borough, str(remembered) if remembered else None)
        self.wards.setEnabled(True)
        stale = len(summary.stale_wards)
        notes = []
        if stale:
            notes.append(
                f"{stale} ward{'s' if stale != 1 else ''} with no figures in the pack's 12 months (old boundaries) "
                "not listed."
            )
        if len(summary.home_boroughs) > 1 and not settings.borough.strip():
            notes.append("Set your borough in Settings to list only its wards.")
        self.wards.set_note(" ".join(notes))
        chosen = self.month.currentData()
        self.month.blockSignals(True)
        self.month.clear()
        for m in summary.months:
            latest = " (latest complete month)" if m == summary.reference_month else ""
            self.month.addItem(_month_label(m) + latest, m)
        index = self.month.findData(chosen) if chosen else 0
        self.month.setCurrentIndex(max(index, 0))
        self.month.blockSignals(False)
        self._build_themes(summary.themes, settings.default_themes)
        if not summary.wards:
            self.preview.show_placeholder(
                "There are no wards with crime figures in the store yet.\n"
                "Import a Met ward-level crime extract on the Data page, or load the demo data there."
            )
        elif self.generated is None:
            self.preview.show_placeholder(
                "Choose a ward on the left and press Generate preview (Ctrl+G) to see its pack here."
            )
        self.no_data_button.setVisible(not summary.wards)
        self._refresh_stale()
        self._update_buttons()

    def settings_changed(self) -> None:
        """Saved settings (marking, thresholds, contacts) change the next pack: the preview may be out of date."""
        self._refresh_stale()

    # --- is the preview still what the user asks for? ------------------------------------------------------

    def stale_reasons(self) -> list[str]:
        made = self.generated
        if made is None:
            return []
        generation = self.summary.generation if self.summary is not None else made.generation
        return operations.stale_reasons(made, self.wards.current_code(), self.options(), self.settings(), generation)

    def _refresh_stale(self) -> None:
        self.preview.set_stale("; ".join(self.stale_reasons()))

    def ask_rebuild(self, reasons: list[str]) -> bool:
        """Ask before using a pack that is out of date. (A method, so tests can answer it.)"""
        answer = QMessageBox.question(
            self,
            "The preview is out of date",
            "The previewed pack no longer matches what you have chosen:\n\n- "
            + "\n- ".join(reasons)
            + "\n\nMake the pack again now and then carry on?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _fresh_or_rebuild(self, then: Callable[[], Any]) -> bool:
        """True when the preview is up to date. Otherwise ask; on yes, make it again and run `then` after."""
        reasons = self.stale_reasons()
        if not reasons:
            return True
        if self.ask_rebuild(reasons):
            self._after_generate = then
            if not self.generate():
                self._after_generate = None
        return False

    def _current_ward_changed(self) -> None:
        code = self.wards.current_code()
        if code:
            window_settings().setValue("briefing/ward", code)
            self.ward_chosen.emit(code)
        self._options_changed()

    def _build_themes(self, themes: list[Any], defaults: list[str], reset: bool = False) -> None:
        ticked = {k for k, box in self.theme_boxes.items() if box.isChecked()}
        keep = bool(self.theme_boxes) and not reset
        for box in self.theme_boxes.values():
            self.themes_grid.removeWidget(box)
            box.deleteLater()
        self.theme_boxes = {}
        for theme in themes:
            box = QCheckBox(str(theme.label))
            box.setToolTip(str(theme.key))
            on = theme.key in ticked if keep else (theme.key in defaults if defaults else bool(theme.default))
            box.setChecked(on)
            box.toggled.connect(self._options_changed)
            self.theme_boxes[str(theme.key)] = box
        self._theme_columns = 0
        self._lay_out_themes()
        self._set_tab_order()

    def _lay_out_themes(self) -> None:
        """Themes in two columns where the window is wide, one where it is narrow (e.g. 1024 px), so the options
        never clip their text and the preview keeps a readable width. The options' minimum width follows."""
        columns = 2 if self.width() >= 1150 else 1
        if columns == getattr(self, "_theme_columns", 0):
            return
        self._theme_columns = columns
        for i, box in enumerate(self.theme_boxes.values()):
            self.themes_grid.removeWidget(box)
            self.themes_grid.addWidget(box, i // columns, i % columns)
        options = self.options_scroll.widget()
        if options is None:
            return
        layout = options.layout()
        if layout is not None:
            layout.activate()
        scrollbar = self.options_scroll.verticalScrollBar().sizeHint().width()
        self.options_scroll.setMinimumWidth(options.minimumSizeHint().width() + scrollbar + 4)

    def resizeEvent(self, event: Any) -> None:  # Qt override
        super().resizeEvent(event)
        self._lay_out_themes()

    def _set_tab_order(self) -> None:
        """Tab follows the work: wards, then the options top to bottom, the outputs, then the preview."""
        w, p = self.wards, self.preview
        chain: list[QWidget] = [w.borough, w.search, w.view, w.all_button, w.none_button, self.month]
        chain += [self.public, self.internal, self.summary_box, self.large_print, self.meeting_on, self.meeting]
        chain += [self.generate_button, self.print_button, self.pdf_button, self.xlsx_button, self.html_button]
        chain += [self.no_data_button]
        chain += [self.batch_button, self.batch_xlsx, self.batch_html, self.batch_overview]
        chain += list(self.theme_boxes.values())
        chain += [p.fit_width, p.fit_page, p.zoom_out, p.zoom_in, p.view]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def chosen_themes(self) -> list[str]:
        return [k for k, box in self.theme_boxes.items() if box.isChecked()]

    def options(self) -> Any:
        from desktop.reports.options import PackOptions

        meeting = None
        if self.meeting_on.isChecked():
            with contextlib.suppress(ValueError):  # _check_ready says so before a pack is made
                meeting = self.meeting.value()
        return PackOptions(
            month=self.month.currentData(),
            themes=self.chosen_themes(),
            public=self.public.isChecked(),
            meeting_date=meeting,
            summary=self.summary_box.isChecked(),
            large_print=self.large_print.isChecked(),
        )

    def _options_changed(self, *_: Any) -> None:
        self._refresh_stale()
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.taskbar.busy()
        has_wards = bool(self.summary and self.summary.wards)
        self.generate_button.setEnabled(not busy and has_wards and self.wards.current_code() is not None)
        have = self.generated is not None and not busy
        for button in (self.print_button, self.pdf_button, self.xlsx_button, self.html_button):
            button.setEnabled(have)
        self.batch_button.setEnabled(not busy and bool(self.wards.ticked_codes()))
        n = len(self.wards.ticked_codes())
        self.batch_button.setText(f"Save pac&ks for {n} ticked ward{'s' if n != 1 else ''}…")
        self.state_changed.emit()

    def _check_ready(self) -> bool:
        if self.taskbar.busy():
            self.banner.show_warning("A pack is still being made.", "Wait for it to finish, or press Cancel.")
            return False
        if not self.chosen_themes():
            self.banner.show_warning("No themes are ticked.", "Tick at least one theme for the pack.")
            return False
        if self.meeting_on.isChecked():
            try:
                self.meeting.value()
            except ValueError as exc:
                self.banner.show_warning(f"The panel meeting date '{exc}' is not a date.", HINT)
                self.meeting.setFocus()
                return False
        return True

    # --- generate and preview ------------------------------------------------------------------------------

    def generate(self) -> bool:
        code = self.wards.current_code()  # only the current ward: never a ticked or first-listed one
        if code is None:
            self.banner.show_warning("No ward is chosen.", "Click a ward in the list on the left first.")
            return False
        if not self._check_ready():
            return False
        self.banner.dismiss()
        name = self.wards.name_of(code)
        self.taskbar.start(
            self.runner,
            "generate",
            operations.generate_pack,
            code,
            self.options(),
            on_success=self._generated,
            on_failure=self._generate_failed,
            on_cancel=self._generate_cancelled,
            message=f"Making the pack for {name}…",
        )
        self._update_buttons()
        return True

    def _generate_failed(self, exc: BaseException) -> None:
        self._after_generate = None
        self.banner.show_failure(exc)

    def _generate_cancelled(self) -> None:
        self._after_generate = None
        self.banner.show_info("Generating the preview was cancelled; the last preview stays.")

    def _generated(self, result: operations.Generated) -> None:
        then, self._after_generate = self._after_generate, None
        try:
            pages = self.preview.load(result.pdf, f"{result.pack.title} · {result.pack.period_label}")
        except Exception as exc:  # shown in place
            self.banner.show_failure(exc)
            return
        self.generated = result
        self._refresh_stale()
        # with the advice for staff (never printed): e.g. which extract would complete the pack
        advice = list(getattr(result.pack, "advice", []) or [])
        ready = f"{result.pack.title}: {pages} page{'s' if pages != 1 else ''} ready."
        self.banner.show_success("\n".join([ready, *(["To complete it:"] + advice if advice else [])]))
        self._update_buttons()
        if then is not None:
            then()
