"""The window on a small laptop screen, 1024x640 (issue 11, item 11): nothing cut off, a preview wide enough to
read. The window runs in its own process on a 1024x640 Xvfb (see layout_probe.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.journeys._x import Display

ROOT = Path(__file__).resolve().parents[2]
MIN_PREVIEW = 420  # px: an A4 page fitted to this width shows body text at ~5 px, the least that still reads


def probe(display: Display, seed_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The window on `display` (its own process), measured by layout_probe.py."""
    import shutil

    size = f"{display.width}x{display.height}"
    tmp_path = tmp_path_factory.mktemp(f"layout-{size}")
    seeded = tmp_path / "data"
    shutil.copytree(seed_template, seeded)
    shots = ROOT / "build" / "journey-shots" / size
    out = tmp_path / "layout.json"
    env = {**os.environ, "DISPLAY": display.name, "QT_QPA_PLATFORM": "xcb", "WARDBRIEF_DATA_DIR": str(seeded)}
    env.pop("QT_SCALE_FACTOR", None)
    run = subprocess.run(
        [sys.executable, "-m", "tests.journeys.layout_probe", str(out), str(shots)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, f"the layout probe failed ({run.returncode}):\n{run.stderr[-3000:]}"
    facts: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    assert facts["screen"][0] <= display.width, facts
    return facts


@pytest.fixture(scope="module")
def small_screen(
    small_display: Display, seed_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    return probe(small_display, seed_template, tmp_path_factory)


@pytest.fixture(scope="module")
def big_screen(xdisplay: Display, seed_template: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return probe(xdisplay, seed_template, tmp_path_factory)


def test_briefing_controls_are_not_cut_off_at_1366x768(big_screen: dict[str, Any]) -> None:
    hidden = [name for name, whole in big_screen["briefing"]["fully_visible"].items() if not whole]
    assert not hidden, f"cut off at 1366x768: {hidden} ({big_screen})"


def test_briefing_controls_are_not_cut_off_at_1024x640(small_screen: dict[str, Any]) -> None:
    hidden = [name for name, whole in small_screen["briefing"]["fully_visible"].items() if not whole]
    assert not hidden, f"cut off at 1024x640: {hidden} ({small_screen})"


def test_the_preview_is_wide_enough_to_read_at_1024x640(small_screen: dict[str, Any]) -> None:
    width = small_screen["briefing"]["preview_width"]
    assert width >= MIN_PREVIEW, f"the preview is {width} px wide at 1024x640 ({small_screen['briefing']})"


def test_settings_can_always_be_saved_at_1024x640(small_screen: dict[str, Any]) -> None:
    # A choice: at 640 px the Settings fields scroll (an analyst's once-a-year page; every field is reached by Tab),
    # but Save, Revert, Export and Import sit outside the scrolling part and are always in view.
    assert small_screen["settings"]["save_visible"], "Save settings is cut off at 1024x640"
