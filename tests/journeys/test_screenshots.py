"""The user guide's window screenshots, taken from a journey on the 1366x768 display: first run, the demo data
loaded from the welcome panel, a hand-edited file's rejected rows, a ward's pack, its priorities, the settings.

Saved into $WARDBRIEF_SHOTS (`WARDBRIEF_SHOTS=docs/screenshots make journeys JOURNEY_ARGS="-k screenshots"`
retakes the guide's `*-100.png`), else build/journey-shots. Each is the X server's own picture of the window
(ImageMagick `import -window`), so it shows what the screen shows, popups and focus included.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from tests.journeys._drive import click, key, settle
from tests.journeys._window import briefing, click_ward, close_window, wait_idle, ward_codes, window_on_screen
from tests.journeys._x import screenshot

ROOT = Path(__file__).resolve().parents[2]


def snap(qtbot: Any, window: Any, folder: Path, name: str) -> Path:
    """The window as the X server shows it (painted, after a moment to settle)."""
    window.repaint()
    settle(qtbot, 600)
    return screenshot(os.environ["DISPLAY"], folder / f"{name}-100.png", str(int(window.winId())))


def hand_edited_extract(folder: Path) -> Path:
    """The Met extract as someone edited it by hand: one count typed as "n/a" (a rejected row to show)."""
    demo = ROOT / "resources" / "demo" / "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv"
    lines = demo.read_text(encoding="utf-8-sig").splitlines()[:30]
    cells = lines[7].split(",")
    cells[-1] = "n/a"
    lines[7] = ",".join(cells)
    bad = folder / "ward crime June (edited by hand).csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return bad


def test_user_guide_screenshots(qtbot: Any, data_dir: Path, tmp_path: Path, shot_dir: Path, monkeypatch: Any) -> None:
    window = window_on_screen(qtbot)
    data = window.data_page
    assert data.stack.currentWidget() is data.welcome
    shots = [snap(qtbot, window, shot_dir, "welcome")]

    click(qtbot, data.welcome.demo_button)
    wait_idle(qtbot, window, timeout=300000)
    assert data.results and all(r.ok for r in data.results), [r.summary() for r in data.results]
    shots.append(snap(qtbot, window, shot_dir, "data"))

    bad = hand_edited_extract(tmp_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(bad)], ""))
    key(qtbot, "ctrl+i")
    qtbot.waitUntil(lambda: bool(data.results) and data.results[0].file_name == bad.name, timeout=60000)
    wait_idle(qtbot, window)
    shots.append(snap(qtbot, window, shot_dir, "data-error"))

    page = briefing(qtbot, window)
    codes = ward_codes(window)
    for name in ("Marylebone", "St James's", "West End"):
        click_ward(qtbot, page.wards, name)
        key(qtbot, "space")
    assert len(page.wards.ticked_codes()) == 3
    click(qtbot, page.generate_button)
    wait_idle(qtbot, window, timeout=120000)
    assert page.generated is not None, page.banner.message()
    shots.append(snap(qtbot, window, shot_dir, "briefing"))

    key(qtbot, "alt+p")
    qtbot.waitUntil(lambda: window.is_built("Priorities"), timeout=10000)
    wait_idle(qtbot, window)
    priorities = window.priorities_page
    if priorities.ward_code() != codes["West End"]:
        priorities.select_ward(codes["West End"])  # item 9: the page does not follow the Briefing ward yet
        wait_idle(qtbot, window)
    settle(qtbot, 300)
    shots.append(snap(qtbot, window, shot_dir, "priorities"))

    key(qtbot, "alt+s")
    qtbot.waitUntil(lambda: window.is_built("Settings"), timeout=10000)
    settle(qtbot, 300)
    shots.append(snap(qtbot, window, shot_dir, "settings"))
    assert all(p.stat().st_size > 10_000 for p in shots)
    close_window(qtbot, window)
