"""Three promises of the user guide that only a real screen can check, driven with the real pointer and keyboard on
a 1366x768 X display: the control that has the keyboard wears a visible ring; the user guide (Help, F1) stays open
beside the window without blocking it; and every date the window shows reads one way, like "5 Dec 2026"."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QWidget

from tests.journeys._drive import (
    click,
    click_at,
    click_row,
    display,
    focus_window,
    key,
    move_to,
    settle,
    type_text,
    when_modal,
)
from tests.journeys._window import briefing, click_ward, close_window, wait_idle, ward_codes, window_on_screen
from tests.journeys._x import wait_window

# --- 1. the focus ring -----------------------------------------------------------------------------------------

RING_CONTRAST = 3.0  # WCAG 2.4.13: the focus indicator's pixels change by at least 3:1 between unfocused and focused
RING_BAND = 4  # px from the control's edge in which the ring must be drawn
RING_COVERAGE = 0.8  # of each side's length (rounded corners and anti-aliasing take the rest)


@dataclass(eq=False)
class Shot:
    """The window as the X server shows it, with the widget that had the keyboard when it was taken."""

    focus: QWidget
    pixels: np.ndarray
    rects: dict[int, QRect]  # id(widget) -> its rectangle in the window, for each control fully on screen


def screen_pixels(window: QWidget) -> np.ndarray:
    """The window's pixels read back from the X server (what the user sees), as a height x width x RGB array."""
    image = window.screen().grabWindow(window.winId()).toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(image.height(), image.bytesPerLine())
    return rows[:, : image.width() * 3].reshape(image.height(), image.width(), 3).copy()


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of each pixel."""
    c = rgb.astype(float) / 255
    c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return np.asarray(c @ np.array([0.2126, 0.7152, 0.0722]))


def ring_sides(focused: np.ndarray, unfocused: np.ndarray) -> dict[str, float]:
    """For each side of a control, the share of its length where some pixel within RING_BAND of the edge changes
    by RING_CONTRAST or more when the control takes the keyboard: a ring all round scores about 1 on every side."""
    a, b = luminance(focused), luminance(unfocused)
    strong = (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05) >= RING_CONTRAST
    band = RING_BAND
    return {
        "top": float(strong[:band].any(axis=0).mean()),
        "bottom": float(strong[-band:].any(axis=0).mean()),
        "left": float(strong[:, :band].any(axis=1).mean()),
        "right": float(strong[:, -band:].any(axis=1).mean()),
    }


def describe(widget: QWidget) -> str:
    """How a failure names a control: its type and its words (or, without words, its accessible name)."""
    text = getattr(widget, "text", None)
    words = repr(text().replace("&", "")) if callable(text) and text() else widget.accessibleName()
    return f"{type(widget).__name__} {words}".strip()


def unclipped(widget: QWidget, window: QWidget) -> QRect | None:
    """The widget's rectangle in the window, when no parent (a scroll area, the window's edge) clips any of it."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()).contains(rect):
            return None
        parent = parent.parentWidget()
    return rect if window.rect().contains(rect) else None


def crop(pixels: np.ndarray, rect: QRect) -> np.ndarray:
    return pixels[rect.top() : rect.bottom() + 1, rect.left() : rect.right() + 1]


def test_tab_shows_a_ring_round_every_control_of_the_briefing_page(qtbot: Any, seeded: Path) -> None:
    """Tab from the ward search round the whole Briefing page with real key presses. After each press the window
    is read back from the X server: the control that has the keyboard must differ from its unfocused self by a
    ring on all four sides, each pixel of it at 3:1 or more against the same pixel unfocused."""
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    click_ward(qtbot, page.wards, "West End")  # a current ward: Generate preview is enabled, so in the Tab chain
    screen = window.screen().geometry()
    move_to(qtbot, QPoint(screen.right(), screen.bottom()))  # no hover look on any control
    key(qtbot, "alt+w")
    assert page.wards.search.hasFocus()

    shots: list[Shot] = []
    for _ in range(120):
        focus = QApplication.focusWidget()
        assert focus is not None
        controls = [
            w for w in page.findChildren(QWidget) if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible()
        ]
        rects = {id(w): rect for w in [*controls, focus] if (rect := unclipped(w, window)) is not None}
        shots.append(Shot(focus, screen_pixels(window), rects))
        key(qtbot, "Tab", ms=120)
        if QApplication.focusWidget() is page.wards.search:
            break
    else:
        raise AssertionError("Tab never came back to the ward search box")

    checked: list[QWidget] = []
    failures: list[str] = []
    for index, shot in enumerate(shots):
        widget = shot.focus
        if not page.isAncestorOf(widget) or any(s.focus is widget for s in shots[:index]):
            continue  # the window's tab bar; a date edit's second and third sections
        rect = shot.rects.get(id(widget))
        assert rect is not None, f"{describe(widget)} has the keyboard but is not wholly on screen"
        # the same control, at the same place, without the keyboard: the nearest shot that shows it so
        others = sorted(
            (abs(n - index), n)
            for n, s in enumerate(shots)
            if s.focus is not widget and s.rects.get(id(widget)) == rect
        )
        assert others, f"{describe(widget)} was never on screen at the same place without the keyboard"
        area = rect.adjusted(-1, -1, 1, 1).intersected(window.rect())
        sides = ring_sides(crop(shot.pixels, area), crop(shots[others[0][1]].pixels, area))
        checked.append(widget)
        if min(sides.values()) < RING_COVERAGE:
            failures.append(f"{describe(widget)}: {', '.join(f'{k} {v:.0%}' for k, v in sides.items())}")

    kinds = {type(w).__name__ for w in checked}
    for control in (page.wards.search, page.wards.view, page.wards.all_button, page.generate_button, page.meeting.line):
        assert control in checked, f"Tab never reached {describe(control)} (reached: {sorted(kinds)})"
    assert {"QCheckBox", "QRadioButton", "QComboBox"} <= kinds, f"Tab reached only {sorted(kinds)}"
    assert not failures, (
        f"{len(failures)} of {len(checked)} controls show no focus ring (share of each side with a 3:1 change "
        "when focused):\n  " + "\n  ".join(failures)
    )
    close_window(qtbot, window)


# --- 2. Help is modeless ---------------------------------------------------------------------------------------

GUIDE_TITLE = "WardBrief user guide"


def guide_window() -> QWidget | None:
    shown = [w for w in QApplication.topLevelWidgets() if w.windowTitle() == GUIDE_TITLE and w.isVisible()]
    return shown[0] if shown else None


def test_the_user_guide_stays_open_beside_a_window_that_still_works(qtbot: Any, seeded: Path) -> None:
    """F1 opens the guide; with it open, click a ward, press Ctrl+G and Ctrl+Tab in the main window: each works and
    the guide stays open. Escape closes it; opened again from the Help menu, its Close button closes it."""
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    codes = ward_codes(window)
    click_ward(qtbot, page.wards, "Hyde Park")
    wait_idle(qtbot, window)

    key(qtbot, "F1")
    wait_window(display(), f"^{GUIDE_TITLE}$", timeout=10)
    guide = guide_window()
    assert guide is not None, "F1 did not open the user guide"
    # beside the window's right-hand side (a user drags it there), leaving the ward list and the buttons in view
    frame = window.frameGeometry()
    guide.move(frame.right() - guide.frameGeometry().width(), frame.top() + 40)
    settle(qtbot)
    focus_window(qtbot, guide)  # the guide has the keyboard, as it does when it opens

    click_ward(qtbot, page.wards, "Pimlico North")
    wait_idle(qtbot, window)
    assert page.wards.current_code() == codes["Pimlico North"], (
        "with the guide open, clicking Pimlico North in the ward list did not make it the current ward "
        f"(current: {page.wards.name_of(page.wards.current_code() or '') or 'none'}): the guide blocks the window"
    )
    key(qtbot, "ctrl+g")
    qtbot.waitUntil(lambda: page.generated is not None, timeout=120000)
    wait_idle(qtbot, window, timeout=120000)
    assert page.generated is not None and page.generated.ward_code == codes["Pimlico North"], (
        "Ctrl+G with the guide open did not make Pimlico North's pack"
    )
    key(qtbot, "ctrl+Tab", ms=300)
    assert window.tabs.currentWidget() is window.priorities_page, "Ctrl+Tab with the guide open did not turn the page"
    assert guide_window() is guide, "the guide closed while the main window was used"

    focus_window(qtbot, guide)
    key(qtbot, "Escape")
    qtbot.waitUntil(lambda: guide_window() is None, timeout=5000)
    wait_window(display(), f"^{GUIDE_TITLE}$", timeout=10, gone=True)

    focus_window(qtbot, window)
    menu_bar = window.menuBar()
    help_menu = next(a for a in menu_bar.actions() if a.text() == "&Help")
    click_at(qtbot, menu_bar.mapToGlobal(menu_bar.actionGeometry(help_menu).center()))
    menu = help_menu.menu()
    qtbot.waitUntil(menu.isVisible, timeout=5000)
    user_guide = next(a for a in menu.actions() if a.text() == "&User guide")
    click_at(qtbot, menu.mapToGlobal(menu.actionGeometry(user_guide).center()))
    qtbot.waitUntil(lambda: guide_window() is not None, timeout=10000)
    guide = guide_window()
    assert guide is not None
    close_button = guide.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    click(qtbot, close_button)
    qtbot.waitUntil(lambda: guide_window() is None, timeout=5000)
    assert window.isVisible()
    close_window(qtbot, window)


# --- 3. one date style -----------------------------------------------------------------------------------------

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
LONG_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
NOT_HOUSE_STYLE = {
    "ISO (2026-12-05)": re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    "numeric (12/05/2026, 5.12.26)": re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),
    "a day with a leading zero (05 Dec 2026)": re.compile(rf"\b0\d ({MONTHS}|{LONG_MONTHS})\b"),
    "a long month (5 December 2026)": re.compile(rf"\b\d{{1,2}} ({LONG_MONTHS}) \d{{4}}\b"),
    "month first (Dec 5, 2026)": re.compile(rf"\b({MONTHS}|{LONG_MONTHS})\.? \d{{1,2}}(st|nd|rd|th)?,? \d{{4}}\b"),
    "no year (5 Dec)": re.compile(rf"\b\d{{1,2}} ({MONTHS})\b(?! \d{{4}})"),
}


def shown_texts(window: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything the window shows in words: labels, buttons, fields, every cell and heading of
    its lists and tables, banners (labels too), the status line and the title."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractSpinBox,
        QComboBox,
        QGroupBox,
        QHeaderView,
        QLabel,
        QLineEdit,
        QTabBar,
    )

    found: list[tuple[str, str]] = [("window title", window.windowTitle())]
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        name = describe(widget)
        if isinstance(widget, QLabel):
            found.append((name, re.sub(r"<[^>]+>", " ", widget.text())))
        elif isinstance(widget, (QAbstractButton, QLineEdit, QAbstractSpinBox)):
            found.append((name, widget.text()))
        elif isinstance(widget, QGroupBox):
            found.append((name, widget.title()))
        elif isinstance(widget, QComboBox):
            found += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTabBar):
            found += [(f"{name} tab", widget.tabText(i)) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            model = widget.model()
            label = widget.accessibleName() or type(widget).__name__
            for column in range(model.columnCount()):
                found.append((f"{label} heading", str(model.headerData(column, Qt.Orientation.Horizontal) or "")))
                for row in range(model.rowCount()):
                    heading = str(model.headerData(column, Qt.Orientation.Horizontal) or column)
                    found.append((f"{label} row {row + 1} '{heading}'", str(model.index(row, column).data() or "")))
    return found


def test_every_date_the_window_shows_reads_like_5_dec_2026(qtbot: Any, seeded: Path) -> None:
    """Make a pack, add a priority with an action due 14/04/2027 (typed the UK way), then walk every page: no
    ISO, numeric, long-month or yearless date anywhere; the sources' import dates, the priority's dates and the
    action's due date are shown in the house style (priority_dialog.show_date)."""
    from desktop.views.date_field import show_date

    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    click_ward(qtbot, page.wards, "West End")
    key(qtbot, "ctrl+g")
    qtbot.waitUntil(lambda: page.generated is not None, timeout=120000)
    wait_idle(qtbot, window, timeout=120000)

    key(qtbot, "alt+p")
    qtbot.waitUntil(lambda: window.is_built("Priorities"), timeout=10000)
    priorities = window.priorities_page
    wait_idle(qtbot, window)
    assert priorities.ward.currentText() == "West End"

    def fill(dialog: Any) -> None:
        dialog.title.setFocus()
        type_text(qtbot, "Phone snatches on Oxford Street")
        key(qtbot, "alt+r")  # tick "Review on": its date appears
        click(qtbot, dialog.review.edit.line)  # type a whole date over it (QDateEdit kept today's day: 5 Jan 2027)
        key(qtbot, "ctrl+a")
        type_text(qtbot, "20 Jan 2027")
        add = next(b for b in dialog.findChildren(QPushButton) if b.text() == "A&dd action")
        click(qtbot, add)
        type_text(qtbot, "Extra patrols at Oxford Circus")
        key(qtbot, "Tab")
        type_text(qtbot, "PC Ahmed")
        key(qtbot, "Tab")
        type_text(qtbot, "14/04/2027")
        key(qtbot, "Return")
        click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save))

    when_modal(fill)
    click(qtbot, priorities.add_button)
    qtbot.waitUntil(lambda: priorities.model.rowCount() == 1, timeout=30000)
    wait_idle(qtbot, window)
    saved = priorities.priorities[0]
    assert [a.due for a in saved.actions] == ["2027-04-14"], f"the action was saved as {saved.actions}"
    assert saved.review_date == "2027-01-20", f"'20 Jan 2027' typed in Review on was saved as {saved.review_date}"

    seen: list[tuple[str, str, str]] = []  # (page, where, text)
    seen += [("Priorities", where, text) for where, text in shown_texts(window) if text.strip()]
    for _ in range(3):  # Ctrl+Tab: Settings, Data, Briefing
        key(qtbot, "ctrl+Tab", ms=300)
        wait_idle(qtbot, window)
        name = window.tabs.tabText(window.tabs.currentIndex()).replace("&", "")
        if name == "Data":
            click_row(qtbot, window.data_page.sources_view, 0)  # a file's full result shows underneath
        seen += [(name, where, text) for where, text in shown_texts(window) if text.strip()]
    assert {p for p, _, _ in seen} == {"Priorities", "Settings", "Data", "Briefing"}

    wrong = [
        f"{page_name} page, {where}: {text!r} ({style})"
        for page_name, where, text in seen
        for style, pattern in NOT_HOUSE_STYLE.items()
        if pattern.search(text)
    ]
    assert not wrong, "dates not in the house style (like 5 Dec 2026):\n  " + "\n  ".join(wrong)

    db = sqlite3.connect(f"file:{seeded / 'wardbrief.db'}?mode=ro", uri=True)
    try:
        imported = {str(row[0])[:10] for row in db.execute("SELECT imported_at FROM source")}
    finally:
        db.close()
    expected = {
        "Priorities": {show_date(saved.set_on), show_date(saved.review_date), show_date("2027-04-14")},
        "Data": {show_date(day) for day in imported},
    }
    for page_name, dates in expected.items():
        texts = " | ".join(text for p, _, text in seen if p == page_name)
        missing = sorted(d for d in dates if d not in texts)
        assert not missing, f"the {page_name} page never shows {missing} (house style for its dates)"
    assert show_date(date(2026, 12, 5).isoformat()) == "5 Dec 2026"  # the style itself, as the user guide shows it
    close_window(qtbot, window)
