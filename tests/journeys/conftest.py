"""The journey suite's fixtures: a private X display (Xvfb) per run, the desktop (xcb) platform, real input
(xdotool), and a fresh data folder per journey, seeded from the bundled real Westminster extracts when asked.

Run on its own (`make journeys`, or `pytest tests/journeys`): Qt picks its platform once per process, so these
journeys cannot share a process with the offscreen suite (tests/conftest.py leaves this folder out of any run
that does not name it). Set WARDBRIEF_JOURNEY_DISPLAY=:N to use an X server you started yourself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.journeys._x import Display, given_display, missing_tools, require_tools, start_xvfb

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
# Real published extracts, cut to Westminster (resources/demo/README.md): the ward lookup, populations, the Met's
# ward-level crime (Jul 2023 - Jun 2025) and the PAS dashboard (quarterly back to Dec 2014).
SEED_FILES = (
    "01_Ward_to_LAD_Dec2023_ONS_Westminster.csv",
    "02_westminster_2022wards_census2021_pop_DERIVED_bestfit.csv",
    "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv",
    "06_PAS_Dashboard_Borough_City_of_Westminster.csv",
)
BIG_SIZE = (1366, 768)
_APP: Any = None  # the QApplication, kept alive for the session
SMALL_SIZE = (1024, 640)


def _display(size: tuple[int, int], factory: pytest.TempPathFactory) -> Iterator[Display]:
    require_tools()
    given = os.environ.get("WARDBRIEF_JOURNEY_DISPLAY")
    if given and size == BIG_SIZE:
        yield given_display(given)
        return
    display = start_xvfb(*size, factory.mktemp("xvfb"))
    try:
        yield display
    finally:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None and os.environ.get("DISPLAY") == display.name:
            display.stop_after_exit()
        else:
            display.stop()


@pytest.fixture(scope="session")
def xdisplay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Display]:
    """The 1366x768 display every in-process journey (and the app it drives) uses."""
    yield from _display(BIG_SIZE, tmp_path_factory)


@pytest.fixture(scope="session")
def small_display(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Display]:
    """A 1024x640 display, for a separate app process (a QApplication lives on one display)."""
    yield from _display(SMALL_SIZE, tmp_path_factory)


@pytest.fixture(scope="session")
def qapp_args(xdisplay: Display) -> list[str]:
    """pytest-qt makes the QApplication after this: on our X display, with the desktop platform."""
    os.environ["DISPLAY"] = xdisplay.name
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ.pop("QT_SCALE_FACTOR", None)
    xcb_loads()
    return ["wardbrief-journeys"]


def xcb_loads() -> None:
    """Qt aborts the whole process when its xcb plugin cannot load (a missing libxcb-cursor0, say): try it in a
    child first, and skip (or, under CI=true, fail) with Qt's own words."""
    import subprocess
    import sys

    probe = "from PySide6.QtWidgets import QApplication; QApplication(['probe']).platformName()"
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    if run.returncode == 0:
        return
    reason = "Qt's xcb platform does not load here: " + " ".join(run.stderr.split())[-600:]
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str], qapp_cls: Any, pytestconfig: pytest.Config) -> Iterator[Any]:
    """The QApplication, checked to be on xcb (a journey under offscreen would prove nothing)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import create_app

    global _APP
    app = _APP = QApplication.instance() or create_app(qapp_args)
    platform = app.platformName()
    if platform != "xcb":
        pytest.fail(f"journeys need the xcb platform, Qt chose {platform!r} (run them on their own)", pytrace=False)
    yield app


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed extracts, made once per run and copied for each journey that wants data."""
    from desktop import paths
    from tests.gui._pages import seed_store

    folder = tmp_path_factory.mktemp("seeded")
    paths.set_data_dir(folder)
    try:
        seed_store(*(DEMO / name for name in SEED_FILES))
    finally:
        paths.set_data_dir(None)
    return folder


@pytest.fixture
def seeded(data_dir: Path, seed_template: Path) -> Path:
    """This journey's fresh data folder, holding a copy of the seeded store."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for item in seed_template.iterdir():
        if item.is_file() and item.name.startswith("wardbrief.db"):
            shutil.copy2(item, data_dir / item.name)
    return data_dir


@pytest.fixture
def shot_dir() -> Path:
    """Where journeys leave screenshots: $WARDBRIEF_SHOTS (e.g. docs/screenshots), else build/journey-shots."""
    folder = Path(os.environ.get("WARDBRIEF_SHOTS") or ROOT / "build" / "journey-shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_report_header(config: pytest.Config) -> str:
    missing = missing_tools()
    return f"journeys: X tools {'missing: ' + ', '.join(missing) if missing else 'present'}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed journey leaves a screenshot of its display in build/journey-failures (to see what went wrong)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when != "call" or not report.failed:
        return
    xserver = getattr(item, "funcargs", {}).get("xdisplay")
    if xserver is None or missing_tools():
        return
    from tests.journeys._x import screenshot

    try:
        path = screenshot(xserver.name, ROOT / "build" / "journey-failures" / f"{item.name}.png")
        report.sections.append(("journey screenshot", str(path)))
    except Exception:  # a screenshot is a nicety
        pass
