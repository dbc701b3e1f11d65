"""Promises of the user guide that only a real screen can check, driven with the real pointer and keyboard on a
1366x768 X display: the control that has the keyboard wears a visible ring; the user guide (Help, F1) stays open
beside the window without blocking it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from tests.journeys._drive import (
    click,
    click_at,
    display,
    focus_window,
    key,
    move_to,
    settle,
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
    for control in (page.wards.search, page.wards.view, page.wards.all_button, page.generate_button):
        assert control in checked, f"Tab never reached {describe(control)} (reached: {sorted(kinds)})"
    assert {"QCheckBox", "QRadioButton", "QComboBox", "QDateEdit"} <= kinds, f"Tab reached only {sorted(kinds)}"
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
