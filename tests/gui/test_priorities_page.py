"""The Priorities page through its real widgets and dialog: add (with actions), see them listed, find them in the
next pack's text, close/reopen, delete after a confirmation; bad input is refused in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from desktop.views.date_field import parse_date, show_date
from desktop.views.priority_dialog import PriorityDialog
from tests.gui._pages import MPS_RECENT, POPULATIONS, close_window, open_window, seed_store, wait_idle

TITLE = "<b>Phone snatches</b> around Oxford Circus"


def fill_and_accept(title: str, actions: list[list[str]]):  # type: ignore[no-untyped-def]
    def exec_(self: PriorityDialog) -> int:
        self.title.setText(title)
        self.theme.setCurrentText("Theft")
        self.before.setText("42 phone thefts in the 3 months to March 2025")
        for row in actions:
            self.add_action_row(row)
        self.accept()
        return self.result()

    return exec_


@pytest.fixture
def window(qtbot, data_dir, shared_data):  # type: ignore[no-untyped-def]
    seed_store(shared_data / MPS_RECENT, shared_data / POPULATIONS)
    win = open_window(qtbot)
    win.tabs.setCurrentWidget(win.priorities_page)
    yield win
    close_window(qtbot, win)


def west_end(window) -> str:  # type: ignore[no-untyped-def]
    return next(w["code"] for w in window.summary.wards if w["name"] == "West End")


def test_a_priority_added_here_appears_in_the_next_pack(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.priorities_page
    assert page.select_ward(west_end(window))
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 0
    monkeypatch.setattr(
        PriorityDialog,
        "exec",
        fill_and_accept(TITLE, [["Extra patrols at the station exit", "PS Khan", "30/04/2025", ""]]),
    )
    page.add_button.click()
    wait_idle(qtbot, window)
    assert page.banner.level == "success"
    assert page.model.rowCount() == 1
    assert page.model.text(0, 0) == TITLE  # shown as typed, never as markup
    assert page.model.text(0, 3) == "Open"
    assert page.actions_model.rowCount() == 1
    assert page.actions_model.text(0, 2) == "30 Apr 2025"

    briefing = window.briefing_page
    window.tabs.setCurrentWidget(briefing)
    briefing.wards.select_code(west_end(window))
    briefing.generate()
    wait_idle(qtbot, window, timeout=120000)
    out = tmp_path / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    briefing.save_pdf()
    wait_idle(qtbot, window)
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(out)).pages).split())
    assert "Phone snatches" in text and "Extra patrols at the station exit" in text


def test_close_reopen_and_delete(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.priorities_page
    page.select_ward(west_end(window))
    wait_idle(qtbot, window)
    monkeypatch.setattr(PriorityDialog, "exec", fill_and_accept("Cycle theft at the racks", []))
    page.add_button.click()
    wait_idle(qtbot, window)
    page.table.selectRow(0)
    page.close_button.click()
    wait_idle(qtbot, window)
    assert page.model.text(0, 3) == "Closed"
    assert "Reopen" in page.close_button.text().replace("&", "")
    page.close_button.click()
    wait_idle(qtbot, window)
    assert page.model.text(0, 3) == "Open"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    page.delete_button.click()
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.delete_button.click()
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 0


def test_dialog_refuses_bad_input_in_place(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from desktop.store.priorities import Priority

    dialog = PriorityDialog(Priority(id=None, ward_code="X", title=""), ["Theft"], "West End")
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "title" in dialog.banner.message()
    dialog.title.setText("Drug dealing in the square")
    dialog.add_action_row(["Closure order", "Council ASB team", "next Tuesday", ""])
    dialog.accept()
    assert "next Tuesday" in dialog.banner.message() and "14 Apr 2026" in dialog.banner.message()
    dialog.actions_table.item(0, 2).setText("14/4/26")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.priority.actions[0].due == "2026-04-14"


def test_parse_date() -> None:
    assert parse_date("") is None
    assert parse_date("2026-04-14") == "2026-04-14"
    assert parse_date("14/04/2026") == "2026-04-14"
    assert parse_date("1.2.25") == "2025-02-01"
    assert parse_date("14 Apr 2026") == parse_date("14 april 2026") == "2026-04-14"  # as the window shows dates
    assert show_date("2026-04-14") == "14 Apr 2026"
    with pytest.raises(ValueError):
        parse_date("31/02/2026")
    with pytest.raises(ValueError):
        parse_date("soon")


def test_page_says_what_to_do_with_an_empty_store(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.priorities_page
    assert page.ward.count() == 0 and not page.add_button.isEnabled()
    assert "Data page" in page.banner.message()
    close_window(qtbot, window)
    assert Path(data_dir).is_dir()


def test_escape_asks_before_dropping_what_was_typed(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A first user typed a title, pressed Esc, and the dialog closed with the text gone, unasked."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.store.priorities import Priority

    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked: list[str] = []

    def question(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = PriorityDialog(Priority(id=None, ward_code="E05013808", title=""), [], "West End")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # untouched: closes without a question
    assert not dialog.isVisible() and asked == []
    dialog.show()
    dialog.title.setText("Phone snatches on Oxford Street")
    dialog.reject()  # Cancel: the dialog and its text stay
    assert dialog.isVisible() and dialog.title.text() == "Phone snatches on Oxford Street" and len(asked) == 1
    dialog.reject()  # Discard: it closes
    assert not dialog.isVisible() and len(asked) == 2 and "Discard" in asked[0]
