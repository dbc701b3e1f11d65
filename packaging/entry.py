"""Entry script of the frozen WardBrief executable: the window by default, CLI subcommands when given.

On Windows the executable is built without a console (so officers never see a black window). When it is started
from a terminal with a subcommand (`WardBrief.exe selftest OUT`, `WardBrief.exe import FILE`), attach to that
terminal so the subcommand's output and messages are visible.
"""

from __future__ import annotations

import os
import sys


def _attach_parent_console() -> None:
    if sys.platform != "win32" or len(sys.argv) < 2 or sys.stdout is not None:
        return
    try:
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):  # ATTACH_PARENT_PROCESS
            sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
            sys.stderr = sys.stdout
    except Exception:  # no console is fine: the self-test also writes its report to a file
        pass


def _persistent_matplotlib_cache() -> None:
    """PyInstaller points matplotlib at a fresh temporary config dir on every start, so its font list would be
    rebuilt each time. A one-folder build has stable paths, so keep the cache in the user's cache folder instead
    (matplotlib rebuilds it by itself if a cached font file ever goes missing, e.g. after an upgrade)."""
    if not getattr(sys, "frozen", False):
        return
    try:
        from platformdirs import user_cache_dir

        os.environ["MPLCONFIGDIR"] = os.path.join(user_cache_dir("WardBrief", appauthor=False), "matplotlib")
    except Exception:  # the temporary folder PyInstaller set up still works
        pass


def _bench_quit_when_shown() -> None:
    """Benchmarks only (bench/bench_frozen.py sets WARDBRIEF_BENCH_SHOWN=1): print "window shown" as soon as a
    window is first exposed on screen, then quit. The timing is taken by the benchmark, from process start."""
    if not os.environ.get("WARDBRIEF_BENCH_SHOWN"):
        return
    import time

    started = float(os.environ.get("WARDBRIEF_BENCH_T0", "0") or 0)
    if started:
        print(f"entry script reached {time.time() - started:.3f}", flush=True)
    from PySide6.QtCore import QEvent, QObject, QTimer

    from desktop.app import create_app

    app = create_app()

    class Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
            if event.type() == QEvent.Type.Expose and obj.isWindowType() and obj.isExposed():  # type: ignore[attr-defined]
                print("window shown", flush=True)
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.closeAllWindows)  # closeEvent stops background tasks; then exec() ends
            return False

    app.installEventFilter(Watcher(app))


if __name__ == "__main__":
    # Batch packs use a process pool ("spawn"): a worker started from the frozen executable must run the worker,
    # not a second copy of the app. freeze_support() does that and returns at once in the main process.
    import multiprocessing

    _persistent_matplotlib_cache()  # before freeze_support, so pool workers share the cache too
    multiprocessing.freeze_support()
    _attach_parent_console()
    _bench_quit_when_shown()
    from desktop.cli import main

    sys.exit(main())
