"""The `*-100.png` screenshots are now retaken by the journey suite at 1366x768 on Xvfb with real input:
`WARDBRIEF_SHOTS=docs/screenshots make journeys JOURNEY_ARGS="-k screenshots"` (tests/journeys/test_screenshots.py).
This script still takes the 150% set.

Take the user guide's screenshots: `python docs/screenshots/take.py OUTDIR [SCALE]` under a real X server
(e.g. `Xvfb :99 -screen 0 1600x1000x24 &` then DISPLAY=:99) with QT_SCALE_FACTOR set for 150%.

Loads the demo data into a temporary data folder, then grabs each page of the real window at 1280x800 logical
pixels (or the screen's size at larger scales)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("WARDBRIEF_DATA_DIR", tempfile.mkdtemp(prefix="wardbrief-shots-"))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main() -> int:
    out = Path(sys.argv[1])
    suffix = sys.argv[2] if len(sys.argv) > 2 else "100"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("WardBrief")
    from desktop.views.main_window import MainWindow

    window = MainWindow()
    screen = window.screen().availableGeometry()
    window.resize(min(1280, screen.width() - 20), min(800, screen.height() - 40))
    window.show()
    steps: list = []

    def idle() -> bool:
        return not window.runner.busy() and not window._refreshing

    def snap(name: str):  # type: ignore[no-untyped-def]
        def run() -> None:
            window.grab().save(str(out / f"{name}-{suffix}.png"))

        return run

    def first_run() -> None:
        snap("welcome")()

    def load_demo() -> None:
        window.data_page.load_demo()

    def bad_import() -> None:
        from desktop.resources import resource

        demo = resource("demo", "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv")
        lines = demo.read_text(encoding="utf-8-sig").splitlines()[:30]
        cells = lines[7].split(",")
        cells[-1] = "n/a"
        lines[7] = ",".join(cells)
        bad = Path(os.environ["WARDBRIEF_DATA_DIR"]) / "ward crime June (edited by hand).csv"
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        window.data_page.import_paths([str(bad)])

    def briefing() -> None:
        page = window.briefing_page
        window.tabs.setCurrentWidget(page)
        codes = {w["name"]: w["code"] for w in window.summary.wards}
        page.wards.set_ticked([codes[n] for n in ("West End", "St James's", "Marylebone") if n in codes])
        page.wards.select_code(codes.get("West End", ""))
        page.generate()

    def priorities() -> None:
        page = window.priorities_page
        window.tabs.setCurrentWidget(page)
        codes = {w["name"]: w["code"] for w in window.summary.wards}
        page.select_ward(codes.get("West End", ""))

    def settings() -> None:
        window.tabs.setCurrentWidget(window.settings_page)

    def data() -> None:
        window.tabs.setCurrentWidget(window.data_page)

    steps = [
        first_run,
        load_demo,
        data,
        snap("data"),
        bad_import,
        snap("data-error"),
        briefing,
        snap("briefing"),
        priorities,
        snap("priorities"),
        settings,
        snap("settings"),
        app.quit,
    ]

    def tick() -> None:
        if not idle():
            QTimer.singleShot(300, tick)
            return
        step = steps.pop(0)
        step()
        QTimer.singleShot(2500, tick)

    QTimer.singleShot(2500, tick)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
