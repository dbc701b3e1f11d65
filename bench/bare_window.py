"""The floor for "window shown": a bare PySide6 QMainWindow, frozen the same way as WardBrief (one folder).

bench/bench_frozen.py builds it with PyInstaller and times it from process start to the first expose of the
window, exactly as it times the frozen WardBrief window (packaging/entry.py, WARDBRIEF_BENCH_SHOWN=1). Qt is
imported after the "entry script reached" line, as in WardBrief, so the two bootstrap figures compare.
"""

from __future__ import annotations

import os
import sys
import time


def main() -> int:
    started = float(os.environ.get("WARDBRIEF_BENCH_T0", "0") or 0)
    if started:
        print(f"entry script reached {time.time() - started:.3f}", flush=True)
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # Qt override
            if event.type() == QEvent.Type.Expose and obj.isWindowType() and obj.isExposed():  # type: ignore[attr-defined]
                print("window shown", flush=True)
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    app = QApplication(sys.argv[:1])
    app.installEventFilter(Watcher(app))
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.setCentralWidget(QLabel("A bare QMainWindow"))
    window.resize(1100, 750)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
