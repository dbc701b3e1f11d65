"""Composition root: logging, the crash handler, QApplication, the store and the main window.

Qt is imported only inside `run_gui`, so the CLI never pays for it; pandas and matplotlib are imported only by
the work that needs them, after the window is shown.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from types import TracebackType
from typing import Any

from desktop import APP_NAME, __version__, paths

log = logging.getLogger("desktop")
LOG_FILE = "wardbrief.log"


def setup_logging(level: int = logging.INFO) -> logging.Handler | None:
    """Log to a rotating file in the log dir (1 MB x 5). Safe to call more than once."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, "_wardbrief", False):
            return handler
    try:
        file_handler = logging.handlers.RotatingFileHandler(
            paths.log_dir() / LOG_FILE, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
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
    return str(paths.log_dir() / LOG_FILE)


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    return f"{APP_NAME} {__version__} on {sys.platform}, Python {sys.version.split()[0]}\n\n{details}"


def install_excepthook() -> None:
    """Unexpected errors go to the log and to a crash dialog with copyable details, never to a silent exit."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = crash_report(exc_type, exc, tb)
        log.critical("unhandled exception\n%s", report)
        try:
            from desktop.views.crash_dialog import show_crash_dialog

            show_crash_dialog(report, log_path())
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook


def create_app(argv: list[str] | None = None) -> Any:
    """The QApplication, created once with WardBrief's names and high-DPI policy (also used by the self-test)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

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
    window.show()
    return int(app.exec())


def main() -> int:
    """Entry point of the windowed executable (no console)."""
    from desktop.cli import main as cli_main

    return cli_main(sys.argv[1:])
