"""Dates the user types or picks, in the window's one style ("5 Dec 2026").

A typed date is read whole: "20 Jan 2027", "20 January 2027", "20/01/2027", "20/1/27" or "2027-01-20". Qt's
QDateEdit edits a date section by section, so typing "20 Jan 2027" over "5 Dec 2026" gave 5 Jan 2027 and
"14/03/2027" changed nothing, silently (a first user's finding): a DateField is a line edit that says when what
was typed is not a date, with a calendar beside it for those who prefer to pick.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QCalendarWidget, QHBoxLayout, QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

HINT = "Type dates like 14 Apr 2026 (or 14/04/2026)."


def parse_date(text: str) -> str | None:
    """'' -> None; '14 Apr 2026', '14 April 2026', '14/04/2026', '14/4/26' or '2026-04-14' -> '2026-04-14'.
    Raises ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(text) from None
    for pattern in ("%d %b %Y", "%d %B %Y"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(" ".join(text.split()).title(), pattern).date().isoformat()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", text)
    if not match:
        raise ValueError(text)
    day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 2000
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise ValueError(text) from None  # '31/02/2027', not 'day is out of range for month


def show_date(iso: str | None) -> str:
    """'2026-12-05' -> '5 Dec 2026', the window's one date style ('' for none)."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso[:10])
        return f"{day.day} {day:%b %Y}"
    except ValueError:
        return iso


class DateField(QWidget):
    """A typed date with a calendar button. `value()` is the ISO date, None when blank; ValueError when the text
    is not a date (the caller says so in words). `changed` fires when the date it holds changes."""

    changed = Signal()

    def __init__(self, value: str | None = None, name: str = "Date") -> None:
        super().__init__()
        self.line = QLineEdit(show_date(value))
        self.line.setPlaceholderText("e.g. 14 Apr 2026")
        self.line.setAccessibleName(name)
        self.line.setToolTip(HINT)
        self.line.setMaximumWidth(150)
        self.pick = QToolButton()
        self.pick.setText("Calendar")
        self.pick.setAccessibleName(f"{name}: choose from a calendar")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard types the date; the calendar is for the mouse
        menu = QMenu(self.pick)
        self.calendar = QCalendarWidget()
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._show_calendar)
        self.pick.setMenu(menu)
        self.menu = menu
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.pick)
        self.setFocusProxy(self.line)
        self._last = self._current()
        self.line.editingFinished.connect(self._typed)

    def value(self) -> str | None:
        return parse_date(self.line.text())

    def set_value(self, iso: str | None) -> None:
        self.line.setText(show_date(iso))
        self._note_change()

    def _current(self) -> str | None:
        try:
            return self.value()
        except ValueError:
            return None

    def _typed(self) -> None:
        iso = self._current()
        if iso is not None:
            self.line.setText(show_date(iso))  # "20/1/27" reads back as "20 Jan 2027"
        self._note_change()

    def _picked(self, day: QDate) -> None:
        self.set_value(day.toString("yyyy-MM-dd"))
        self.menu.hide()

    def _show_calendar(self) -> None:
        iso = self._current()
        shown = QDate.fromString(iso, "yyyy-MM-dd") if iso else QDate.currentDate()
        self.calendar.setSelectedDate(shown)

    def _note_change(self) -> None:
        now = self._current()
        if now != self._last:
            self._last = now
            self.changed.emit()
