from __future__ import annotations

import sys

from desktop.views.main_window import PAGE_NAMES, MainWindow
from tests.gui._pages import close_window, open_window


def test_main_window_shows_its_pages(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tabs = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert tabs == list(PAGE_NAMES)
    assert str(data_dir) in window.about_text()


def test_window_module_does_not_import_pandas_or_matplotlib() -> None:
    import subprocess

    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from desktop.views.main_window import MainWindow; w = MainWindow(); w.show(); app.processEvents();"
        "bad = [m for m in ('pandas', 'matplotlib') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_start_up_builds_only_the_data_page() -> None:
    """The Briefing, Priorities and Settings pages (and QtPdf, for the preview) wait until their tab is opened."""
    import subprocess

    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
        "from PySide6.QtWidgets import QApplication; app = QApplication([]);"
        "from desktop.views.main_window import MainWindow; w = MainWindow(); w.show(); app.processEvents();"
        "mods = ('PySide6.QtPdf', 'PySide6.QtPdfWidgets', 'desktop.views.briefing_page',"
        " 'desktop.views.priorities_page', 'desktop.views.settings_page');"
        "bad = [m for m in mods if m in sys.modules];"
        "bad += [n for n in ('Briefing', 'Priorities', 'Settings') if w.is_built(n)];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_page_is_built_when_its_tab_is_opened(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from tests.gui._pages import close_window, open_window

    window = open_window(qtbot)
    try:
        assert window.is_built("Data") and not window.is_built("Priorities")
        placeholder = window.tabs.widget(2)
        window.tabs.setCurrentIndex(2)  # what a click on the tab (or Alt+P) does
        assert window.is_built("Priorities")
        page = window.tabs.currentWidget()
        assert page is window.priorities_page is window.page("Priorities") and page is not placeholder
        assert window.tabs.currentIndex() == 2 and window.tabs.count() == len(PAGE_NAMES)
        assert window.tabs.tabText(2) == "&Priorities"
        assert page.summary is window.summary  # the store summary already loaded reaches the new page
        assert not window.is_built("Briefing") and not window.is_built("Settings")
    finally:
        close_window(qtbot, window)


def test_a_restored_tab_is_built_after_the_window_is_shown(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from desktop.views.widgets import window_settings
    from tests.gui._pages import close_window, open_window

    settings = window_settings()
    settings.setValue("window/tab", 3)
    settings.sync()
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.is_built("Settings") and window.tabs.currentIndex() == 3  # not built before the first show
    window.close()
    window = open_window(qtbot)
    try:
        assert window.is_built("Settings")  # built just after the first paint (an empty store then opens on Data)
        assert window.tabs.widget(3) is window.settings_page
    finally:
        close_window(qtbot, window)


def test_every_output_button_has_its_menu_action(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    """A first user found Save HTML… on the Briefing page but not in the Briefing menu."""
    window = open_window(qtbot)
    try:
        texts = {a.text().replace("&", "") for a in window.pack_actions}
        page = window.briefing_page
        for button in (page.print_button, page.pdf_button, page.xlsx_button, page.html_button):
            assert button.text().replace("&", "") in texts, button.text()
    finally:
        close_window(qtbot, window)


def test_a_long_message_scrolls_by_whole_lines_and_starts_at_its_first(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A first user saw the pack's advice in the banner with lines cut in half at top and bottom."""
    from desktop.views.widgets import MessageBanner

    banner = MessageBanner()
    qtbot.addWidget(banner)
    banner.resize(600, banner.height())
    banner.show_success("\n".join(f"Advice line {i}" for i in range(12)))
    bar = banner.text_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.singleStep() == banner.fontMetrics().lineSpacing()
    bar.setValue(bar.maximum())
    banner.show_success("\n".join(f"Other advice {i}" for i in range(12)))
    assert bar.value() == 0
