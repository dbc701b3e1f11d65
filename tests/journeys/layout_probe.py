"""Open the real window on whatever X display DISPLAY names, go through its pages, and write what a user could
see as JSON (plus one screenshot per page): `python -m tests.journeys.layout_probe OUT.json SHOTS_DIR`.

A separate process because a QApplication lives on one display: the journey suite's own QApplication is on the
1366x768 display, this one runs on the 1024x640 one (test_layout.py). WARDBRIEF_DATA_DIR must name a seeded store.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def fully_visible(widget: Any) -> bool:
    """Shown, and no part of it clipped by a scroll area, a splitter or the window's edge."""
    from PySide6.QtGui import QRegion

    if not widget.isVisible():
        return False
    return bool(widget.visibleRegion() == QRegion(widget.rect()))


def wait(app: Any, seconds: float, until: Any = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            return
        time.sleep(0.02)


def main() -> int:
    out, shots = Path(sys.argv[1]), Path(sys.argv[2])
    shots.mkdir(parents=True, exist_ok=True)
    from desktop.app import create_app

    app = create_app(["wardbrief-probe"])
    from desktop.views.main_window import MainWindow

    window = MainWindow()
    window.show()
    wait(app, 30, lambda: window.summary is not None and not window.runner.busy())
    screen = window.screen().availableGeometry()
    facts: dict[str, Any] = {
        "screen": [screen.width(), screen.height()],
        "window": [window.frameGeometry().width(), window.frameGeometry().height()],
    }
    page = window.briefing_page
    window.tabs.setCurrentWidget(page)
    wait(app, 30, lambda: page.wards.proxy.rowCount() > 0 and not window.runner.busy())
    wait(app, 0.5)
    window.grab().save(str(shots / "briefing.png"))
    facts["briefing"] = {
        "preview_width": page.preview.width(),
        "options_width": page.options_scroll.width(),
        "wards_width": page.wards.width(),
        "fully_visible": {
            name: fully_visible(widget)
            for name, widget in {
                "Generate preview": page.generate_button,
                "Save PDF": page.pdf_button,
                "Save XLSX": page.xlsx_button,
                "Save packs for ticked wards": page.batch_button,
                "with XLSX appendices": page.batch_xlsx,
                "with accessible HTML pages": page.batch_html,
                "and a borough overview": page.batch_overview,
            }.items()
        },
    }
    settings = window.settings_page
    window.tabs.setCurrentWidget(settings)
    wait(app, 1.0)
    window.grab().save(str(shots / "settings.png"))
    from PySide6.QtWidgets import QAbstractScrollArea

    bars = [
        area.verticalScrollBar().isVisible() for area in settings.findChildren(QAbstractScrollArea) if area.isVisible()
    ]
    facts["settings"] = {"scrolls": any(bars), "save_visible": fully_visible(settings.save_button)}
    priorities = window.priorities_page
    window.tabs.setCurrentWidget(priorities)
    wait(app, 1.0, lambda: not window.runner.busy())
    window.grab().save(str(shots / "priorities.png"))
    out.write_text(json.dumps(facts, indent=2), encoding="utf-8")
    window.close()
    wait(app, 0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
