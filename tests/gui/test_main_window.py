from __future__ import annotations

import sys

from desktop.views.main_window import PAGE_NAMES, MainWindow


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
