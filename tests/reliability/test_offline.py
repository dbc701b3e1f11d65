"""Guarantee 5, offline: import, pack (PDF, XLSX, overview, batch) and the window's workflow run with the network
refused (sockets, DNS); no connection is even tried, and Qt's network module is never loaded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import nonet
from tests.reliability.helpers import PYTHON, ROOT, child_env


@pytest.fixture
def no_network() -> Iterator[list[str]]:
    nonet.ATTEMPTS.clear()
    nonet.install()
    try:
        yield nonet.ATTEMPTS
    finally:
        nonet.uninstall()


def test_the_harness_refuses_connections(no_network: list[str]) -> None:
    import socket
    import urllib.request

    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    with pytest.raises(OSError):
        urllib.request.urlopen("http://example.org", timeout=1)
    with pytest.raises(OSError):
        socket.socket()
    left, right = socket.socketpair()  # local pipes are not the network
    left.close()
    right.close()
    assert len(no_network) >= 3
    no_network.clear()


def test_import_and_packs_offline(  # type: ignore[no-untyped-def]
    no_network: list[str], qapp, data_dir: Path, shared_data: Path, tmp_path: Path
) -> None:
    from desktop import paths
    from desktop.importers import import_file
    from desktop.importers.demo import load_demo
    from desktop.reports.batch import write_packs
    from desktop.reports.build import build_overview, build_pack
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import render_pdf
    from desktop.reports.xlsx import write_xlsx
    from desktop.settings import load_settings
    from desktop.store import open_store

    db = open_store(paths.store_path())
    assert all(r.ok for r in load_demo(db))
    assert import_file(db, shared_data / "policeuk/2023-03-city-of-london-street.csv").ok
    settings = load_settings(paths.settings_path())
    code = db.execute("SELECT code FROM ward WHERE name = 'West End'").fetchone()[0]
    pack = build_pack(db, code, PackOptions(), settings)
    assert render_pdf(pack, tmp_path / "west-end.pdf").stat().st_size > 0
    assert write_xlsx(pack, tmp_path / "west-end.xlsx").stat().st_size > 0
    render_pdf(build_overview(db, "Westminster", PackOptions(public=False), settings), tmp_path / "overview.pdf")
    db.close()
    written = write_packs(paths.store_path(), [code], PackOptions(), tmp_path / "batch", xlsx=True, workers=1)
    assert written
    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules


def test_window_workflow_offline(no_network: list[str], qtbot, data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Open the window, import through the Data page's worker, generate a preview, save the PDF, back up."""
    from PySide6.QtWidgets import QFileDialog

    from tests.gui._pages import close_window, open_window, wait_idle

    window = open_window(qtbot)
    try:
        files = sorted((ROOT / "resources" / "demo").glob("*.csv"))
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in files], ""))
        window.import_files()
        wait_idle(qtbot, window, timeout=180000)
        assert window.summary is not None and not window.summary.empty
        page = window.briefing_page
        window.tabs.setCurrentWidget(page)
        code = next(w["code"] for w in page.summary.wards if w["name"] == "West End")
        assert page.wards.select_code(code)
        window.generate_action.trigger()
        wait_idle(qtbot, window, timeout=180000)
        assert page.banner.level == "success", page.banner.message()
        target = tmp_path / "pack.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        page.pdf_button.click()
        wait_idle(qtbot, window)
        assert target.stat().st_size > 0
        backup = tmp_path / "backup.db"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(backup), ""))
        window.backup_store()
        wait_idle(qtbot, window)
        assert backup.exists()
    finally:
        close_window(qtbot, window)
    assert no_network == []
    assert "PySide6.QtNetwork" not in sys.modules


def test_selftest_command_offline(tmp_path: Path) -> None:
    """The packaged app's own self-test (demo import, packs, window) in a child process with the network refused."""
    code = (
        "import sys; from tests.reliability import nonet; nonet.install(); from desktop.cli import main; "
        "rc = main(); print('QtNetwork loaded' if 'PySide6.QtNetwork' in sys.modules else 'QtNetwork not loaded'); "
        "sys.exit(rc)"
    )
    done = subprocess.run(
        [PYTHON, "-c", code, "selftest", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=600,
        env=child_env(),
        cwd=str(ROOT),
    )
    assert "network access attempted" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "QtNetwork not loaded" in done.stdout
