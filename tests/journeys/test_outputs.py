"""What the Briefing page makes and saves (issue 11, items 4, 5, 6 and 7), driven with the real pointer and keys
on a 1366x768 X display."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.journeys._drive import click, focus_window, global_centre, key, settle, type_text, visible_fully, when_modal
from tests.journeys._window import (
    briefing,
    click_ward,
    close_window,
    crime_months,
    wait_idle,
    window_on_screen,
)
from tests.journeys._x import pdf_text

STALE_MARKS = ("out of date", "generate again", "stale")


def preview_marked_stale(page: Any) -> bool:
    """Does anything the user can read on or above the preview say the pack is out of date?"""
    from PySide6.QtWidgets import QLabel

    labels = [label.text() for label in page.preview.findChildren(QLabel) if not label.isHidden()]
    text = " ".join([*labels, page.banner.message()]).lower()
    return any(mark in text for mark in STALE_MARKS)


def generate(qtbot: Any, window: Any, page: Any, ward: str) -> None:
    click_ward(qtbot, page.wards, ward)
    click(qtbot, page.generate_button)
    wait_idle(qtbot, window, timeout=120000)
    assert page.generated is not None and page.preview.page_count() > 0, page.banner.message()


def test_batch_cancel_keeps_finished_packs_says_so_and_stops_within_a_second(
    qtbot: Any, seeded: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Item 4: tick every ward, save their packs, Cancel once the first file is written."""
    out = tmp_path / "packs"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    click(qtbot, page.wards.all_button)
    assert len(page.wards.ticked_codes()) >= 6
    click(qtbot, page.batch_button)
    qtbot.waitUntil(lambda: any(p.suffix == ".pdf" for p in out.iterdir()), timeout=120000)
    finished = sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")
    assert page.taskbar.isVisible(), "the batch ended before Cancel could be pressed"
    cancel = page.taskbar.cancel_button
    where = cancel.mapTo(window, cancel.rect().topLeft())
    assert visible_fully(cancel), (
        f"Cancel is not fully on screen while the batch runs (at {where.x()},{where.y()} in the window, "
        f"{cancel.width()}x{cancel.height()}; shown region {cancel.visibleRegion().boundingRect()})"
    )
    click(qtbot, cancel, ms=0)
    pressed = time.monotonic()
    qtbot.waitUntil(lambda: not page.taskbar.busy(), timeout=30000)
    took = time.monotonic() - pressed
    wait_idle(qtbot, window)
    left = sorted(p.name for p in out.iterdir() if p.suffix == ".pdf")
    assert set(finished) <= set(left), f"Cancel deleted finished packs: {sorted(set(finished) - set(left))}"
    message = page.banner.message()
    assert str(out) in message or f"{len(left)} " in message, f"the message does not say what was kept: {message!r}"
    assert took <= 1.0, f"the batch took {took:.1f} s to stop after Cancel (and wrote {len(left) - len(finished)} more)"
    close_window(qtbot, window)


def test_batch_file_names_say_public_or_internal(qtbot: Any, seeded: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """Item 13: a folder of packs must show which are safe to hand out (public) and which are internal."""
    out = tmp_path / "packs"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    click_ward(qtbot, page.wards, "Hyde Park")
    key(qtbot, "space")
    click(qtbot, page.batch_button)
    qtbot.waitUntil(lambda: not page.taskbar.busy(), timeout=120000)
    wait_idle(qtbot, window)
    names = sorted(p.name for p in out.glob("*.pdf"))
    assert names, page.banner.message()
    assert all(("public" in name.lower()) or ("internal" in name.lower()) for name in names), (
        f"batch file names carry no public/internal marker: {names}"
    )
    close_window(qtbot, window)


def test_a_priority_added_after_generating_marks_the_preview_stale_and_save_is_never_silent(
    qtbot: Any, seeded: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """Item 5: generate, add a priority for that ward, come back: the preview says it is out of date, and Save
    PDF either rebuilds or asks; it never writes a pack without the new priority."""
    target = tmp_path / "west end.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    generate(qtbot, window, page, "West End")
    assert not preview_marked_stale(page)

    key(qtbot, "alt+p")
    qtbot.waitUntil(lambda: window.is_built("Priorities"), timeout=10000)
    priorities = window.priorities_page
    wait_idle(qtbot, window)
    if priorities.ward.currentText() != "West End":
        priorities.select_ward(page.wards.current_code() or "")
        wait_idle(qtbot, window)
    title = "Cycle thefts outside the theatres"

    def fill(dialog: Any) -> None:
        dialog.title.setFocus()
        type_text(qtbot, title)
        key(qtbot, "Return")

    when_modal(fill)
    click(qtbot, priorities.add_button)
    qtbot.waitUntil(lambda: any(title in str(p.title) for p in priorities.priorities), timeout=30000)
    wait_idle(qtbot, window)

    focus_window(qtbot, window)  # no window manager gives it back when the dialog closes
    key(qtbot, "alt+b")
    qtbot.waitUntil(page.isVisible, timeout=5000)
    settle(qtbot, 500)
    assert preview_marked_stale(page), (
        f"after adding a priority the preview is not marked out of date: {page.preview.title.text()!r}"
    )

    answers: list[str] = []

    def answer(dialog: Any) -> None:  # a question about the stale pack: take its default answer
        answers.append(dialog.windowTitle())
        if isinstance(dialog, QMessageBox):
            key(qtbot, "Return")

    when_modal(answer, timeout_ms=5000)
    key(qtbot, "ctrl+s")
    qtbot.wait(1000)
    wait_idle(qtbot, window, timeout=120000)
    qtbot.waitUntil(lambda: target.exists() or page.banner.message() != "", timeout=30000)
    wait_idle(qtbot, window)
    if target.exists():
        assert title in pdf_text(target), "Save PDF silently wrote a pack without the priority added since"
    else:
        assert answers or preview_marked_stale(page), "Save PDF of a stale pack did nothing and said nothing"
    close_window(qtbot, window)


def test_the_month_list_offers_only_months_with_crime_figures(qtbot: Any, seeded: Path) -> None:
    """Item 6: the store holds PAS results back to 2014 but crime figures only from July 2023."""
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    offered = {str(page.month.itemData(i)) for i in range(page.month.count())}
    months = crime_months(seeded)
    assert offered, "no months offered"
    extra = sorted(offered - months)
    assert not extra, f"{len(extra)} months offered without crime figures, e.g. {extra[:3]}"
    click(qtbot, page.month)  # open the list the user sees
    settle(qtbot, 300)
    key(qtbot, "Escape")
    close_window(qtbot, window)


def test_messages_do_not_move_the_controls(qtbot: Any, seeded: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """Item 7: a button and a ward row stay where they were when a message appears (no misclicks)."""
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    click_ward(qtbot, page.wards, "Bayswater")
    row = page.wards.view.visualRect(page.wards.proxy.index(1, 0))
    watched = {
        "Generate preview": lambda: global_centre(page.generate_button),
        "the second ward": lambda: page.wards.view.viewport().mapToGlobal(row.center()),
        "the tabs": lambda: global_centre(window.tabs.tabBar()),
    }
    before = {name: where() for name, where in watched.items()}
    click(qtbot, page.generate_button)  # a message: the pack is ready
    wait_idle(qtbot, window, timeout=120000)
    settle(qtbot, 300)
    assert page.banner.message() or window.banner.message(), "no message appeared"
    moved = {name: (before[name], where()) for name, where in watched.items() if where() != before[name]}
    assert not moved, "a message moved: " + "; ".join(
        f"{name} from {a.x()},{a.y()} to {b.x()},{b.y()}" for name, (a, b) in moved.items()
    )
    close_window(qtbot, window)


def test_open_folder_that_cannot_open_says_so(qtbot: Any, seeded: Path, tmp_path: Path, monkeypatch: Any) -> None:
    """Item 7: after Save PDF, "Open folder" on the message; where no file manager opens, the user is told."""
    from PySide6.QtGui import QDesktopServices

    target = tmp_path / "saved" / "pack.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    asked: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: asked.append(url.toLocalFile()) or False)
    window = window_on_screen(qtbot)
    page = briefing(qtbot, window)
    generate(qtbot, window, page, "West End")
    key(qtbot, "ctrl+s")
    qtbot.waitUntil(target.exists, timeout=30000)
    wait_idle(qtbot, window)
    before = page.banner.message()
    assert page.banner.action_button.isVisible(), "no Open folder button after saving"
    click(qtbot, page.banner.action_button)
    settle(qtbot, 300)
    assert asked, "Open folder did not ask the desktop to open anything"
    after = " ".join(b.message() for b in (page.banner, window.banner) if b.message())
    said = after.replace(str(tmp_path), "").lower()
    assert after != before and any(w in said for w in ("could not", "cannot", "can't", "failed")), (
        f"Open folder failed and nothing said so (message: {after!r})"
    )
    close_window(qtbot, window)
