"""The Briefing page through its real widgets: choose a ward, Generate (a real preview of the rendered PDF),
Save PDF (text holds the ward name), Save XLSX, Print (through the print dialog, to a PDF printer), and batch
packs for ticked wards with one progress bar and a Cancel that stops cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop import paths
from tests.gui._pages import MPS_RECENT, POPULATIONS, close_window, open_window, seed_store, wait_idle


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return " ".join(text.split())  # Qt's PDFs space words with tabs


@pytest.fixture
def window(qtbot, data_dir, shared_data):  # type: ignore[no-untyped-def]
    from desktop.settings import Settings, save_settings

    seed_store(shared_data / MPS_RECENT, shared_data / POPULATIONS)
    save_settings(Settings(borough="Westminster"), paths.settings_path())  # the partnership's home area
    win = open_window(qtbot)
    win.tabs.setCurrentWidget(win.briefing_page)
    yield win
    close_window(qtbot, win)


def code_of(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return next(w["code"] for w in page.summary.wards if w["name"] == name)


def test_page_offers_wards_months_and_default_themes(window) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    names = {w["name"] for w in page.summary.wards if w["borough_name"] == "Westminster"}
    assert {"West End", "St James's", "Marylebone"} <= names
    assert page.month.currentData() == "2025-06"  # the latest complete month is the default
    assert "latest complete month" in page.month.currentText()
    assert page.chosen_themes() and "all_crime" in page.chosen_themes()
    # the home area from Settings scopes the list: only Westminster's wards, so no borough filter is needed
    assert page.summary.home_boroughs == ["Westminster"]
    assert {w["borough_name"] for w in page.summary.wards} == {"Westminster"}
    assert not page.wards.borough.isVisibleTo(page)
    assert page.wards.current_code() is None and "none yet" in page.wards.current_label.text()

    page.wards.search.setText("james")
    assert page.wards.proxy.rowCount() == 1
    page.wards.all_button.click()
    assert page.wards.ticked_codes() == [code_of(page, "St James's")]
    page.wards.search.clear()
    page.wards.all_button.click()
    assert len(page.wards.ticked_codes()) == page.wards.proxy.rowCount() >= 18
    page.wards.none_button.click()
    assert page.wards.ticked_codes() == []
    assert not page.batch_button.isEnabled()


def test_generate_preview_then_save_pdf_xlsx_and_print(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    assert page.wards.select_code(code_of(page, "West End"))
    page.internal.setChecked(True)
    window.generate_action.trigger()  # Briefing > Generate preview (Ctrl+G)
    wait_idle(qtbot, window, timeout=120000)
    assert page.banner.level == "success", page.banner.message()
    assert page.preview.page_count() >= 3
    assert "page 1 of" in page.preview.page_label.text()
    assert page.generated is not None and page.generated.pack.mode == "internal"

    target = tmp_path / "out" / "west end.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page.pdf_button.click()
    wait_idle(qtbot, window)
    assert "West End" in pdf_text(target)
    assert str(target) in page.banner.message()

    xlsx = tmp_path / "out" / "west end.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(xlsx), ""))
    page.xlsx_button.click()
    wait_idle(qtbot, window, timeout=60000)
    assert xlsx.stat().st_size > 0

    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printed = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    monkeypatch.setattr(page, "_printer", lambda: printer)
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert page.print_pack()

    assert "West End" in pdf_text(printed)


def test_changing_options_marks_the_preview_stale(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    page.wards.select_code(code_of(page, "Marylebone"))
    page.generate()
    wait_idle(qtbot, window, timeout=120000)
    assert not page.preview.is_stale()
    page.internal.setChecked(True)
    assert page.preview.is_stale() and "options" in page.preview.stale.text()
    page.public.setChecked(True)  # back to what the pack was made with: up to date again
    assert not page.preview.is_stale()
    page.wards.select_code(code_of(page, "West End"))
    assert "another ward" in page.preview.stale.text()


def test_no_themes_is_refused_in_place(window) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    page.wards.select_code(code_of(page, "Marylebone"))
    for box in page.theme_boxes.values():
        box.setChecked(False)
    assert not page.generate()
    assert page.banner.level == "warning" and "theme" in page.banner.message()


def test_batch_for_three_wards_then_cancel_a_bigger_one(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    page.wards.select_code(code_of(page, "Abbey Road"))
    three = [code_of(page, n) for n in ("West End", "St James's", "Marylebone")]
    page.wards.set_ticked(three)
    assert "3 ticked wards" in page.batch_button.text()
    page.batch_overview.setChecked(False)
    out = tmp_path / "packs"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out))
    page.batch_button.click()
    assert page.taskbar.isVisible()
    wait_idle(qtbot, window, timeout=300000)
    assert page.banner.level == "success", page.banner.message()
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3 and len(page.last_batch) == 3
    assert any("West End" in pdf_text(p) for p in pdfs)

    out2 = tmp_path / "cancelled"
    out2.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(out2))
    page.wards.all_button.click()
    page.batch_button.click()
    qtbot.waitUntil(lambda: page.taskbar.bar.maximum() > 0, timeout=60000)  # the batch has started
    page.taskbar.cancel_button.click()
    wait_idle(qtbot, window, timeout=300000)
    assert page.banner.level == "info" and "cancelled" in page.banner.message()
    assert not page.taskbar.isVisible()
    assert not list(out2.glob("*.part")) and not list(out2.glob(".*.part"))
    assert page.generate_button.isEnabled() and page.batch_button.isEnabled()


def test_wards_on_old_boundaries_are_left_out(qtbot, data_dir, shared_data) -> None:  # type: ignore[no-untyped-def]
    old = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202009-202208.csv"
    seed_store(shared_data / MPS_RECENT, shared_data / old)
    window = open_window(qtbot)
    page = window.briefing_page
    assert page.wards.borough.isVisibleTo(page)  # every London borough is in the extract
    page.wards.borough.setCurrentText("Westminster")
    names = [page.wards.proxy.index(r, 0).data() for r in range(page.wards.proxy.rowCount())]
    assert len(names) == 18 and len(set(names)) == 18  # not the 20 pre-2022 wards beside them
    assert "old boundaries" in page.wards.count.text()
    page.wards.all_button.click()
    assert len(page.wards.ticked_codes()) == 18
    close_window(qtbot, window)


def test_generate_failures_and_cancel_are_shown_in_place(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from desktop import operations
    from desktop.errors import Cancelled, WardBriefError

    page = window.briefing_page
    page.wards.select_code(code_of(page, "West End"))

    def expected(*args, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        raise WardBriefError("No crime figures for June 2025.", "Import the June extract first.")

    monkeypatch.setattr(operations, "generate_pack", expected)
    page.generate_button.click()
    wait_idle(qtbot, window)
    assert page.banner.level == "error"
    assert "Import the June extract first." in page.banner.message()
    assert page.banner.details_button.isHidden()  # an expected problem: no traceback offered

    def bug(*args, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        raise KeyError("tile")

    monkeypatch.setattr(operations, "generate_pack", bug)
    assert page.generate_button.isEnabled()  # a task that fails at once still re-enables the buttons
    page.generate_button.click()
    wait_idle(qtbot, window)
    assert "unexpected" in page.banner.message() and "wardbrief.log" in page.banner.message()
    assert page.banner.details_button.isVisibleTo(page)  # copyable details in the crash dialog

    def slow(*args, progress=None, cancelled=None):  # type: ignore[no-untyped-def]
        for _ in range(500):
            if cancelled():
                raise Cancelled()
            time.sleep(0.01)

    monkeypatch.setattr(operations, "generate_pack", slow)
    page.generate_button.click()
    page.taskbar.cancel_button.click()
    wait_idle(qtbot, window)
    assert page.banner.level == "info" and "cancelled" in page.banner.message()
    assert page.generate_button.isEnabled()


def test_summary_edition_and_save_html_from_the_window(qtbot, window, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = window.briefing_page
    page.wards.select_code(code_of(page, "St James's"))
    page.summary_box.setChecked(True)
    page.generate_button.click()
    wait_idle(qtbot, window, timeout=120000)
    assert page.generated is not None and page.preview.page_count() == 2  # the two-page summary is previewed
    page.large_print.setChecked(True)
    assert page.preview.is_stale()  # a different edition asked for: the preview says so
    page.large_print.setChecked(False)
    html = tmp_path / "st james.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(html), ""))
    page.html_button.click()
    wait_idle(qtbot, window)
    text = html.read_text(encoding="utf-8")
    assert '<html lang="en-GB"' in text and "St James" in text
    assert str(html) in page.banner.message()
