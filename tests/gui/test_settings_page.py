"""The Settings page and the window's remembered state: edits persist across a restart of the window, export and
import of the one settings file, a bad file refused in place, unsaved changes offered on close."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop import paths
from desktop.settings import load_settings
from tests.gui._pages import close_window, open_window, seed_store, wait_idle


def test_settings_persist_across_a_restart(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.settings_page
    window.tabs.setCurrentWidget(page)
    assert not page.save_button.isEnabled()
    page.organisation.setText("Safer Testborough Partnership")
    page.organisation.textEdited.emit("Safer Testborough Partnership")
    page.marking.setCurrentText("OFFICIAL-SENSITIVE")
    page.prepared_by.setText("A. Analyst")
    page.threshold.setValue(10)
    page.min_base.setValue(80)
    page.footfall.setPlainText("West End\nSt James's\nMarylebone")
    page.add_contact()
    row = page.contacts.rowCount() - 1
    page.contacts.item(row, 0).setText("Ward panel chair")
    page.contacts.item(row, 1).setText("chair@example.org")
    assert page.save_button.isEnabled()
    page.save_button.click()
    assert page.banner.level == "success"
    window.resize(790, 560)  # the offscreen screen is small; restoreGeometry keeps a window on its screen
    qtbot.waitUntil(lambda: window.height() == 560)
    size = window.size()
    window.briefing_page.splitter.setSizes([300, 600])
    sizes = window.briefing_page.splitter.sizes()
    close_window(qtbot, window)

    saved = load_settings(paths.settings_path())
    assert saved.organisation == "Safer Testborough Partnership"
    assert saved.small_number_threshold == 10 and saved.min_survey_base == 80
    assert saved.contacts[-1].heading == "Ward panel chair"

    again = open_window(qtbot)
    page = again.settings_page
    assert page.organisation.text() == "Safer Testborough Partnership"
    assert page.marking.currentText() == "OFFICIAL-SENSITIVE"
    assert page.prepared_by.text() == "A. Analyst"
    assert page.threshold.value() == 10 and page.min_base.value() == 80
    assert page.footfall.toPlainText().splitlines() == ["West End", "St James's", "Marylebone"]
    assert page.contact_rows()[-1] == ("Ward panel chair", "chair@example.org")
    assert again.tabs.currentWidget() is again.data_page  # an empty store opens on the first-run panel
    assert again.size() == size
    assert again.briefing_page.splitter.sizes() == sizes
    assert str(data_dir) in page.data_label.text()
    close_window(qtbot, again)


def test_export_then_import_settings(qtbot, data_dir, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.settings_page
    page.threshold.setValue(3)
    assert page.save()
    shared = tmp_path / "partnership-settings.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(shared), ""))
    page.export_settings()
    assert json.loads(shared.read_text(encoding="utf-8"))["small_number_threshold"] == 3

    page.threshold.setValue(9)
    assert page.save()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(shared), ""))
    page.import_settings()
    assert page.threshold.value() == 3
    assert load_settings(paths.settings_path()).small_number_threshold == 3
    assert page.banner.level == "success"

    bad = tmp_path / "not settings.json"
    bad.write_text("this is not json", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    page.import_settings()
    assert page.banner.level == "error" and "not changed" in page.banner.message()
    assert load_settings(paths.settings_path()).small_number_threshold == 3
    close_window(qtbot, window)


def test_incomplete_contact_is_refused_in_place(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.settings_page
    page.add_contact()
    page.contacts.item(page.contacts.rowCount() - 1, 0).setText("Heading only")
    assert not page.save()
    assert page.banner.level == "error" and "heading and a text" in page.banner.message()
    page.remove_contact()
    assert page.save()
    close_window(qtbot, window)


def test_unsaved_changes_are_offered_on_close(qtbot, data_dir, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot)
    page = window.settings_page
    page.threshold.setValue(12)
    assert page.dirty
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    assert not window.close()  # stays open
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert window.close()
    assert load_settings(paths.settings_path()).small_number_threshold == 12


def test_damaged_settings_file_is_reported_with_defaults_shown(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    paths.settings_path().write_text("{broken", encoding="utf-8")
    window = open_window(qtbot)
    page = window.settings_page
    assert page.banner.level == "error" and "settings" in page.banner.message().lower()
    assert page.organisation.text()  # the defaults, so the app still works
    close_window(qtbot, window)


def test_saving_the_borough_narrows_the_ward_lists_at_once(qtbot, data_dir, shared_data) -> None:  # type: ignore[no-untyped-def]
    """A first user set Borough = Westminster and saved: the Briefing list kept all 679 London wards (and its note
    still asked for a borough) until the app was restarted."""
    edition = shared_data / "mps-ward-crime" / "MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
    seed_store(edition)
    window = open_window(qtbot)
    try:
        wait_idle(qtbot, window)
        brief = window.briefing_page
        qtbot.waitUntil(lambda: brief.wards.model.rowCount() > 600, timeout=60000)
        assert "Set your borough" in brief.wards.note
        page = window.settings_page
        window.tabs.setCurrentWidget(page)
        page.borough.setText("Westminster")
        page.borough.textEdited.emit("Westminster")
        page.save_button.click()
        assert page.banner.level == "success"
        qtbot.waitUntil(lambda: brief.wards.model.rowCount() == 18, timeout=60000)
        assert "Set your borough" not in brief.wards.note
        wait_idle(qtbot, window)
        prio = window.priorities_page
        qtbot.waitUntil(lambda: prio.ward.count() <= 40, timeout=30000)  # Westminster's wards, old boundaries too
    finally:
        close_window(qtbot, window)


def test_a_remembered_window_too_small_for_use_is_not_restored(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    """A first user's window, last maximised on a 1366x768 screen, reopened at 393x400 on a 1024x640 one."""
    window = open_window(qtbot)
    window.resize(393, 400)
    qtbot.waitUntil(lambda: window.width() == 393)
    close_window(qtbot, window)
    window = open_window(qtbot)
    try:
        assert window.width() >= 760 or window.isMaximized(), window.size()
    finally:
        close_window(qtbot, window)
