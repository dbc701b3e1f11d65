"""A neighbourhood officer's month, end to end through the real window: first run on an empty store, load the
demo data from the welcome panel, choose a ward, preview (Ctrl+G), print (Ctrl+P) - keyboard shortcuts included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from tests.gui._pages import close_window, open_window, wait_idle


def test_first_run_demo_preview_and_print(qtbot, data_dir, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    data = window.data_page
    assert window.tabs.currentWidget() is data and data.stack.currentWidget() is data.welcome
    assert window.status.text().startswith("Store: empty")

    data.welcome.demo_button.click()
    wait_idle(qtbot, window, timeout=300000)
    assert data.results and all(r.ok for r in data.results), [r.summary() for r in data.results]
    assert data.sources_model.rowCount() == len(data.results)
    status = window.status.text()
    assert f"Store: {len(data.results)} sources" in status and "latest complete month" in status

    picked: list[bool] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (picked.append(True), ([], ""))[1])
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)  # Import files… is Ctrl+I
    assert picked

    briefing = window.briefing_page
    window.tabs.setCurrentWidget(briefing)
    assert briefing.wards.model.rowCount() >= 18
    west_end = next(w["code"] for w in window.summary.wards if w["name"] == "West End")
    briefing.wards.select_code(west_end)
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)  # Generate is Ctrl+G
    assert briefing.taskbar.isVisible()
    wait_idle(qtbot, window, timeout=120000)
    assert briefing.preview.page_count() > 3, briefing.banner.message()

    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    monkeypatch.setattr(briefing, "_printer", lambda: printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # Print… is Ctrl+P
    from pypdf import PdfReader

    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(str(printed)).pages).split())
    assert "West End" in text

    priorities = window.priorities_page
    window.tabs.setCurrentWidget(priorities)
    wait_idle(qtbot, window)
    assert priorities.ward.count() >= 18
    close_window(qtbot, window)


def test_help_menu_guide_and_about(qtbot, data_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from desktop.views.dialogs import UserGuideDialog

    window = open_window(qtbot)
    shown: list[str] = []
    monkeypatch.setattr(UserGuideDialog, "show", lambda self: shown.append(self.browser.toPlainText()))
    window.show_user_guide()  # not modal: shown beside the window
    assert shown and "Import" in shown[0]
    about: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: about.append(text))
    window.show_about()
    assert str(data_dir) in about[0] and "Open Government Licence" in about[0]
    close_window(qtbot, window)


def test_damaged_store_is_reported_where_the_user_is(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from desktop import paths

    paths.store_path().write_bytes(b"this is not a database" * 100)
    window = open_window(qtbot)
    assert window.banner.level == "error"
    assert "not a WardBrief store" in window.banner.message()
    assert window.banner.details_button.isHidden()  # an expected problem: message and next step, no traceback
    assert "cannot be read" in window.status.text()
    close_window(qtbot, window)


def test_back_up_and_restore_from_the_file_menu(qtbot, data_dir, shared_data, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from tests.gui._pages import POPULATIONS, sources

    window = open_window(qtbot)
    window.data_page.import_paths([str(shared_data / POPULATIONS)])
    wait_idle(qtbot, window)
    backup = tmp_path / "backup.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
    window.backup_store()
    wait_idle(qtbot, window)
    assert backup.stat().st_size > 0 and window.banner.level == "success"

    window.data_page.sources_view.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.data_page.remove_selected()
    wait_idle(qtbot, window)
    assert sources() == [] and "Store: empty" in window.status.text()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    window.restore_store()
    wait_idle(qtbot, window)
    assert window.banner.level == "success", window.banner.message()
    assert len(sources()) == 1 and "Store: 1 source" in window.status.text()
    assert window.data_page.sources_model.rowCount() == 1

    bad = tmp_path / "holiday photo.db"
    bad.write_bytes(b"\x89PNG not a store")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.restore_store()
    wait_idle(qtbot, window)
    assert window.banner.level == "error" and "not a WardBrief backup" in window.banner.message()
    assert len(sources()) == 1
    close_window(qtbot, window)
