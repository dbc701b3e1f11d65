"""Shared fixtures. Qt runs offscreen: set here, before any test module can import Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.qt_refs import keep_singletons_alive

keep_singletons_alive()  # the suite drives Qt for hours of calls: see desktop/qt_refs.py

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="run the long profiles (kill loops, big fuzz runs)")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The journeys (tests/journeys) run on a real X display with the xcb platform, which a process picks once:
    they run only when named (`make journeys`, `pytest tests/journeys`), never inside the offscreen suite."""
    journeys = Path(__file__).resolve().parent / "journeys"
    if collection_path.resolve() != journeys:
        return None
    named = [Path(str(arg).split("::")[0]).resolve() for arg in config.args]
    return not any(p == journeys or journeys in p.parents for p in named)


# Under CI=true a test may skip only for these reasons; any other skip (e.g. real-data tests skipping because
# ../shared/data was not found, or a browser or X server missing) fails the run, so CI never passes by not testing.
ALLOWED_CI_SKIPS = (
    "long profile: run with --runslow",
    "the real full disk below covers it",
    "this PySide6 does not drop references to None",
)
_UNEXPECTED_SKIPS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and os.environ.get("CI") == "true":
        reason = str(report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr)
        if not any(allowed in reason for allowed in ALLOWED_CI_SKIPS):
            _UNEXPECTED_SKIPS.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _UNEXPECTED_SKIPS:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(f"CI=true and {len(_UNEXPECTED_SKIPS)} test(s) skipped for a reason CI does not allow:")
            for line in _UNEXPECTED_SKIPS:
                reporter.write_line(f"  {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="long profile: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _a_qapplication_first(request: pytest.FixtureRequest) -> None:
    """Make the QApplication before any test runs, as the app does. Rendering a PDF makes a window-less
    QGuiApplication when none exists (reports/pdf.py), and a widget made after that aborts the process ("Must
    construct a QApplication before a QWidget"); which test comes first depends on the order (pytest-xdist)."""
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        request.getfixturevalue("qapp")


@pytest.fixture
def shared_data() -> Path:
    """The real extracts in ../shared/data; tests that need them skip only when that folder is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data dir for the app (store, settings, logs), isolated from the user's real one."""
    from desktop import paths

    folder = tmp_path / "data"
    monkeypatch.setenv(paths.ENV_VAR, str(folder))
    paths.set_data_dir(None)
    yield folder
    paths.set_data_dir(None)


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh store in a temporary file."""
    from desktop.store import open_store

    store = open_store(tmp_path / "wardbrief.db")
    yield store
    store.close()
