"""Quitting while background work runs: the process ends promptly, no handler reaches a closed window, and the
crash dialog is never attempted from a worker thread (Qt widgets off the GUI thread hang or crash the app)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.tasks import TaskRunner

ROOT = Path(__file__).resolve().parents[2]

# Runs the real `run_gui` with a task that ignores Cancel for 60 s and then fails; quits 0.5 s in.
SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    import desktop.views.crash_dialog as crash_dialog
    from desktop.app import create_app, run_gui

    def spy(report, log_file):
        where = "GUI" if threading.current_thread() is threading.main_thread() else "WORKER"
        print("DIALOG", where, flush=True)

    crash_dialog.show_crash_dialog = spy
    how = sys.argv[1]

    def stubborn(*, progress=None, cancelled=None):
        for i in range(600):  # 60 s, whatever Cancel says
            time.sleep(0.1)
            progress(i, 600, "working")
            if cancelled() and i % 5 == 0:
                try:  # an error on this thread that reaches the hook while the app quits
                    raise RuntimeError("worker error while quitting")
                except RuntimeError:
                    sys.excepthook(*sys.exc_info())
        raise ValueError("late failure")

    def start():
        window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow")
        window.data_page.taskbar.start(
            window.runner, "stubborn", stubborn, message="working", on_failure=window.banner.show_failure
        )
        threading.Thread(target=lambda: 1 / 0, name="helper").start()  # a plain Python thread failing too
        print("STARTED", flush=True)
        QTimer.singleShot(500, QApplication.quit if how == "quit" else window.close)

    app = create_app()
    QTimer.singleShot(300, start)
    code = run_gui()
    print("EXIT", code, flush=True)  # not reached when the stubborn work is abandoned (os._exit)
    sys.exit(code)
    """
)


@pytest.mark.parametrize("how", ["quit", "close"])
def test_quitting_during_a_stubborn_task_does_not_hang(tmp_path: Path, how: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WARDBRIEF_DATA_DIR=str(tmp_path / "data"))
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["HOME"] = str(tmp_path)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(tmp_path / name)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT, how], env=env, capture_output=True, text=True, timeout=40, cwd=tmp_path
        )
    except subprocess.TimeoutExpired as exc:  # the bug: the app hung at exit
        pytest.fail(f"WardBrief did not exit within 40 s of {how}: {exc.stdout!r} {exc.stderr!r}")
    elapsed = time.monotonic() - started
    out = proc.stdout
    assert "STARTED" in out, out + proc.stderr
    assert proc.returncode == 0, out + proc.stderr
    assert elapsed < 25, f"took {elapsed:.1f} s"  # the task alone would take 60 s
    assert "DIALOG WORKER" not in out, out
    # the helper thread's error (before quitting) is shown once, on the GUI thread; errors while quitting are logged
    assert out.count("DIALOG GUI") <= 1, out
    assert "Fatal" not in proc.stderr and "Abort" not in proc.stderr, proc.stderr


def test_a_worker_error_reaches_the_dialog_on_the_gui_thread(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import desktop.app as app_module
    import desktop.views.crash_dialog as crash_dialog

    shown: list[tuple[str, str]] = []

    def spy(report: str, log_file: str) -> None:
        shown.append((threading.current_thread().name, report))

    monkeypatch.setattr(crash_dialog, "show_crash_dialog", spy)
    monkeypatch.setattr(app_module, "_crash_relay", None)
    monkeypatch.setattr(app_module, "_quitting", False)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    app_module.install_excepthook()

    def fail() -> None:
        raise ValueError("worker boom")

    worker = threading.Thread(target=fail, name="worker-1")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    thread_name, report = shown[0]
    assert thread_name == threading.main_thread().name  # handed over, not made on the worker
    assert "worker boom" in report


def test_the_crash_dialog_refuses_a_worker_thread(qapp) -> None:  # type: ignore[no-untyped-def]
    from desktop.views.crash_dialog import show_crash_dialog

    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            show_crash_dialog("report", "log")
        except RuntimeError as exc:
            errors.append(exc)

    worker = threading.Thread(target=attempt)
    worker.start()
    worker.join(10)
    assert not worker.is_alive() and errors and "GUI thread" in str(errors[0])


def _until_cancel(*, progress: Any, cancelled: Any) -> str:
    for _ in range(1000):
        if cancelled():
            return "stopped"  # returns normally: the runner reports it as cancelled
        time.sleep(0.01)
    return "done"


def test_shutdown_cancels_waits_and_silences_handlers(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    calls: list[str] = []
    runner.run(
        "long",
        _until_cancel,
        on_success=lambda _: calls.append("success"),
        on_cancel=lambda: calls.append("cancel"),
        on_end=lambda: calls.append("end"),
    )
    started = time.monotonic()
    assert runner.shutdown(3000)
    assert time.monotonic() - started < 3
    qtbot.waitUntil(lambda: not runner.busy(), timeout=5000)  # the runner still forgets the task
    qtbot.wait(50)
    assert calls == []  # nothing reached the (closing) window
    late = runner.run("after", _until_cancel, on_end=lambda: calls.append("late"))
    assert late.is_cancelled() and not late.running and not runner.busy()  # nothing new starts


def test_a_handler_of_a_destroyed_widget_is_skipped(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel
    from shiboken6 import Shiboken

    runner = TaskRunner()
    label = QLabel()
    ended: list[bool] = []
    gate = threading.Event()

    def wait_for_gate(*, progress: Any, cancelled: Any) -> str:
        gate.wait(10)
        return "result"

    runner.run("late", wait_for_gate, on_success=label.setText, on_end=lambda: ended.append(True))
    Shiboken.delete(label)
    gate.set()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)  # no "already deleted" error reached the test
    assert not runner.busy()


def test_closing_the_window_stops_its_work(qtbot, data_dir) -> None:  # type: ignore[no-untyped-def]
    from tests.gui._pages import open_window

    window = open_window(qtbot)
    results: list[Any] = []
    window.data_page.taskbar.start(window.runner, "long", _until_cancel, message="working", on_success=results.append)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3.5
    assert not window.runner.busy() or window.runner.wait(1000)
    qtbot.wait(50)
    assert results == []
