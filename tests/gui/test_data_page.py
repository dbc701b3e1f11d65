"""The Data page, driven through its real widgets: import (picker, drop, folder), results, rejected rows, bad
files shown in place with the store unchanged, Cancel, and Remove after a confirmation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.gui._pages import MPS_RECENT, POPULATIONS, open_window, sources, wait_idle


@pytest.mark.real
def test_import_every_real_extract_through_the_page(qtbot, data_dir, shared_data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    files = sorted(str(p) for p in shared_data.rglob("*.csv"))
    window = open_window(qtbot)
    page = window.data_page
    assert page.stack.currentWidget() is page.welcome  # first run: the empty-store panel
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    window.import_action.trigger()  # File > Import files… (Ctrl+I) opens the picker
    assert page.taskbar.isVisible() or page.results
    wait_idle(qtbot, window, timeout=300000)

    assert page.results_model.rowCount() == len(files)
    by_name = {r.file_name: r for r in page.results}
    assert by_name[Path(MPS_RECENT).name].status == "imported"
    assert by_name["LFB Mobilisation data.csv"].status == "not needed"  # a calm note, not a failure or a traceback
    imported = [r for r in page.results if r.status == "imported"]
    assert page.sources_model.rowCount() == len(imported) == len(sources())
    assert page.stack.currentWidget() is page.splitter
    assert "latest complete month Jun 2025" in window.status.text()
    assert f"{len(imported)} sources" in window.status.text()
    assert not page.banner.isHidden()  # says how many failed and what to do


def test_drop_a_file_imports_it(qtbot, data_dir, shared_data) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.data_page
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared_data / POPULATIONS))])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    page.dropEvent(event)
    wait_idle(qtbot, window)
    assert [r.status for r in page.results] == ["imported"]
    assert page.sources_model.rowCount() == 1
    assert page.banner.level == "success"

    page.import_paths([str(shared_data / POPULATIONS)])  # the same bytes again
    wait_idle(qtbot, window)
    assert page.results[0].status == "already imported"
    assert "Already imported" in page.results_model.text(0, 6)
    assert page.sources_model.rowCount() == 1


def test_bad_file_shows_its_error_in_place_and_leaves_the_store_unchanged(
    qtbot, data_dir, shared_data, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.data_page
    page.import_paths([str(shared_data / POPULATIONS)])
    wait_idle(qtbot, window)
    before = sources()

    bad = tmp_path / "minutes of the panel <b>draft.csv"  # markup in a name is shown as typed
    bad.write_text("Item,Owner,Notes\n1,Sgt Smith,<b>bold</b> text\n", encoding="utf-8")
    page.import_paths([str(bad)])
    wait_idle(qtbot, window)

    assert sources() == before
    assert page.results[0].status == "failed"
    assert page.results_model.text(0, 1) == "FAILED"
    assert page.results[0].message and page.results[0].message in page.results_model.text(0, 6)
    assert page.results[0].message in page.details.toPlainText()
    assert page.banner.level == "error" and bad.name in page.banner.message()
    assert page.banner.text.textFormat() == Qt.TextFormat.PlainText
    assert 0 in page.results_model.emphasis  # drawn bold, not by colour alone
    assert page.sources_model.rowCount() == len(before)


def test_rejected_rows_can_be_copied_and_saved(qtbot, data_dir, shared_data, tmp_path) -> None:  # type: ignore[no-untyped-def]
    lines = (shared_data / MPS_RECENT).read_text(encoding="utf-8-sig").splitlines()[:40]
    header, rows = lines[0], lines[1:]
    cells = rows[5].split(",")
    cells[-1] = "lots"  # a count that is not a number
    rows[5] = ",".join(cells)
    bad = tmp_path / "ward crime with a typo.csv"
    bad.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    window = open_window(qtbot)
    page = window.data_page
    page.import_paths([str(bad)])
    wait_idle(qtbot, window)
    result = page.results[0]
    assert result.rejections, result.summary()
    assert page.rejections_model.rowCount() == len(result.rejections)
    assert page.copy_button.isEnabled()
    page.rejections_view.selectAll()
    text = page.rejections_view.copy_selection()
    assert "lots" in text and QGuiApplication.clipboard().text() == text
    out = tmp_path / "rejected.csv"
    page.rejections_view.save_csv(out)
    saved = out.read_text(encoding="utf-8-sig")
    assert saved.startswith("Row,Column,Value,Reason") and "lots" in saved
    assert sources() == []

    assert page.skip_button.isVisibleTo(page)  # the way out the message offers
    page.skip_button.click()
    wait_idle(qtbot, window)
    again = page.results[0]
    assert again.status == "imported" and again.rows_rejected == 1, again.summary()
    assert len(sources()) == 1


def test_cancel_stops_an_import_and_keeps_nothing_half_done(qtbot, data_dir, shared_data) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.data_page
    page.import_paths([str(shared_data / MPS_RECENT)])
    assert page.taskbar.busy()
    page.taskbar.cancel_button.click()
    wait_idle(qtbot, window)
    assert page.banner.level == "info" and "cancelled" in page.banner.message().lower()
    assert sources() == []
    assert not page.taskbar.isVisible()


def test_remove_asks_first_then_removes(qtbot, data_dir, shared_data, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.data_page
    page.import_paths([str(shared_data / POPULATIONS)])
    wait_idle(qtbot, window)
    page.sources_view.selectRow(0)
    assert page.remove_button.isEnabled()

    asked: list[str] = []

    def answer(button):  # type: ignore[no-untyped-def]
        def question(parent, title, text, *args):  # type: ignore[no-untyped-def]
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    page.remove_button.click()
    wait_idle(qtbot, window)
    assert len(sources()) == 1 and Path(POPULATIONS).name in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    page.sources_view.selectRow(0)
    page.remove_button.click()
    wait_idle(qtbot, window)
    assert sources() == []
    assert page.sources_model.rowCount() == 0
    assert page.banner.level == "success"
    assert "Store: empty" in window.status.text()
