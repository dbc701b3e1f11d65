"""Composition root: logging, the crash handler, QApplication, the store and the main window.

Qt is imported only inside `run_gui`, so the CLI never pays for it; pandas and matplotlib are imported only by
the work that needs them, after the window is shown.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from desktop import APP_NAME, __version__, paths

log = logging.getLogger("desktop")
QUIT_WAIT_MS = 3000  # how long quitting waits for cancelled background work to stop before leaving anyway

_crash_relay: Any = None  # carries a worker thread's crash report to the GUI thread (see install_excepthook)
_quitting = False


def setup_logging(level: int = logging.INFO) -> logging.Handler | None:
    """Log to a rotating file in the log dir (1 MB x 5). Safe to call more than once."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_wardbrief", False):
            return handler
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:  # a read-only or full disk must not stop the app
        print(f"warning: cannot write the log file ({exc})", file=sys.stderr)
        return None
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler._wardbrief = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    root.setLevel(level)
    return file_handler


def log_path() -> str:
    return str(paths.log_file())


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return f"{APP_NAME} {__version__} on {sys.platform}, Python {sys.version.split()[0]}\n\n{details}"


def on_gui_thread() -> bool:
    """Qt widgets (the crash dialog among them) may only be made on the thread that made the QApplication."""
    return threading.current_thread() is threading.main_thread()


def _show_crash_dialog(report: str) -> None:
    """On the GUI thread only, and not while quitting (the report is in the log either way)."""
    if _quitting or not on_gui_thread():
        return
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.closingDown():
        return
    from desktop.views.crash_dialog import show_crash_dialog

    show_crash_dialog(report, log_path())


def _make_crash_relay() -> None:
    """A QObject living on the GUI thread: a worker thread emits its report, the GUI thread shows the dialog."""
    global _crash_relay
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    app = QCoreApplication.instance()
    if app is None or _crash_relay is not None or not on_gui_thread():
        return

    class CrashRelay(QObject):
        report = Signal(str)

        @Slot(str)
        def show(self, report: str) -> None:
            try:
                _show_crash_dialog(report)
            except Exception:  # the report is logged already
                log.exception("could not show the crash dialog")

    _crash_relay = CrashRelay(app)
    _crash_relay.report.connect(_crash_relay.show)
    app.aboutToQuit.connect(_set_quitting)
    if hasattr(app, "lastWindowClosed"):  # closing the window is quitting too (the loop ends after it)
        app.lastWindowClosed.connect(_set_quitting)


def _set_quitting() -> None:
    global _quitting
    _quitting = True


def install_excepthook() -> None:
    """Unexpected errors go to the log and to a crash dialog with copyable details, never to a silent exit.

    The dialog is only ever made on the GUI thread: an error on another thread is logged there and its report
    is handed to the GUI thread (a queued signal), which shows it unless the application is quitting."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            report = crash_report(exc_type, exc, tb)
            log.critical("unhandled exception on thread %s\n%s", threading.current_thread().name, report)
            if on_gui_thread():
                _show_crash_dialog(report)
            elif _crash_relay is not None and not _quitting:
                _crash_relay.report.emit(report)
        except Exception:  # the hook itself must never raise
            sys.__excepthook__(exc_type, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None and not issubclass(args.exc_type, SystemExit):
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook
    _make_crash_relay()


def create_app(argv: list[str] | None = None) -> Any:
    """The QApplication, created once with WardBrief's names and high-DPI policy (also used by the self-test)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop.qt_refs import keep_singletons_alive

    keep_singletons_alive()  # PySide6 on Python < 3.12: see qt_refs.py
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    return app


def run_gui(argv: list[str] | None = None) -> int:
    app = create_app(argv)
    setup_logging()
    install_excepthook()
    log.info("%s %s starting; data in %s", APP_NAME, __version__, paths.data_dir())

    from desktop.views.main_window import MainWindow

    window = MainWindow()
    app.aboutToQuit.connect(lambda: window.shutdown(QUIT_WAIT_MS))  # QApplication.quit() without a close
    window.show()
    code = int(app.exec())
    return finish(window, code)


def finish(window: Any, code: int) -> int:
    """After the event loop: make sure no background work keeps the process alive. Work still running after
    its cancel and a short wait (say a read from a stalled network drive) is abandoned: its store transaction
    was never committed, so SQLite rolls it back the next time the store is opened."""
    if window.shutdown(QUIT_WAIT_MS):
        return code
    log.warning("leaving with background work still running; it is rolled back")
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)
