"""The real app as a separate process (`python -m desktop`, the GUI) on the journey's X display.

Used where only a process can tell: crashes (a segfault kills the test runner otherwise), exit codes, stderr
("QObject: shared QObject was deleted directly") and files written. The app is driven by keyboard shortcuts and
typed text through xdotool; progress is read from what a user or the disk can see (window titles, the store,
files), never from inside the process.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from tests.journeys._x import find_windows, wait_window, xdo

ROOT = Path(__file__).resolve().parents[2]
MAIN_TITLE = "^WardBrief$"
BAD_STDERR = ("QObject", "Segmentation fault", "Traceback", "Fatal Python error", "deallocating None")


class App:
    """One run of the app; `quit()` presses Ctrl+Q and returns the exit code."""

    def __init__(self, display: str, data_dir: Path, work: Path) -> None:
        self.display = display
        self.data_dir = data_dir
        self.stdout = work / "app-stdout.txt"
        self.stderr = work / "app-stderr.txt"
        env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "WARDBRIEF_DATA_DIR": str(data_dir),
            "PYTHONFAULTHANDLER": "1",  # a segfault prints the Python stack to stderr
            "MPLBACKEND": "Agg",
        }
        env.pop("QT_SCALE_FACTOR", None)
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "desktop"], cwd=ROOT, env=env, stdout=out, stderr=err
            )
        self.window = self._wait_main_window()

    def _wait_main_window(self, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the app exited at start ({self.process.returncode}): {self.errors()}")
            found = find_windows(self.display, MAIN_TITLE)
            if found:
                window = found[-1]
                time.sleep(1.0)  # the first paint and the store summary after it
                self.focus(window)
                return window
            time.sleep(0.2)
        raise TimeoutError(f"no WardBrief window after {timeout:.0f} s: {self.errors()}")

    # --- input -------------------------------------------------------------------------------------------

    def focus(self, window: str | None = None) -> None:
        xdo(self.display, "windowfocus", "--sync", window or self.window, check=False, timeout=5)

    def key(self, *keys: str, pause: float = 0.3) -> None:
        self.alive()
        xdo(self.display, "key", "--clearmodifiers", "--delay", "60", *keys)
        time.sleep(pause)

    def type(self, text: str, pause: float = 0.3) -> None:
        self.alive()
        xdo(self.display, "type", "--delay", "15", text)
        time.sleep(pause)

    def menu(self, accelerator: str, item: str) -> None:
        """Open a menu by its Alt accelerator and choose an item by its underlined letter."""
        self.alive()
        self.focus()
        # Alt held down around the letter: QMenuBar misses a combined "alt+x" from xdotool's --clearmodifiers
        xdo(self.display, "keydown", "alt", "key", accelerator, "keyup", "alt")
        time.sleep(0.5)
        self.key(item)

    def closed(self, title: str, timeout: float = 10) -> None:
        """Wait for the window titled `title` to go, then give the main window the focus back."""
        wait_window(self.display, title, timeout, gone=True)
        time.sleep(0.2)
        self.focus()

    def dialog(self, title: str, timeout: float = 30) -> str:
        """Wait for a window titled `title` (a regular expression), focus it and return its id."""
        window = self.wait_for(f"the {title!r} window", lambda: find_windows(self.display, title), timeout)[-1]
        time.sleep(0.4)
        self.focus(window)
        return window

    def file_dialog(self, title: str, path: Path, timeout: float = 30) -> None:
        """Answer a Qt file dialog by typing a whole path into its file name box, then Enter."""
        self.dialog(title, timeout)
        self.key("ctrl+a")
        self.type(str(path))
        self.key("Return", pause=0.6)
        if find_windows(self.display, title):  # a completer popup took the first Enter
            self.key("Return", pause=0.6)
        wait_window(self.display, title, 10, gone=True)
        self.focus()  # no window manager hands the focus back to the main window

    # --- state ---------------------------------------------------------------------------------------------

    def alive(self) -> None:
        if self.process.poll() is not None:
            raise AssertionError(f"the app died (exit {self.process.returncode}): {self.errors()}")

    def errors(self) -> str:
        if not self.stderr.exists():
            return ""
        text = self.stderr.read_text(encoding="utf-8", errors="replace")
        return "\n".join(line for line in text.splitlines() if not line.startswith("Extension modules:"))[-3000:]

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the store the way any other reader may (read-only; WAL lets it run beside the app)."""
        store = self.data_dir / "wardbrief.db"
        if not store.exists():
            return []
        db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=10)
        try:
            return list(db.execute(sql, params))
        except sqlite3.OperationalError:
            return []
        finally:
            db.close()

    def wait_for(self, what: str, check: Any, timeout: float = 60, every: float = 0.3) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.alive()
            value = check()
            if value:
                return value
            time.sleep(every)
        raise TimeoutError(f"{what}: not seen after {timeout:.0f} s")

    def previews(self) -> set[Path]:
        """The rendered previews in the data folder's cache (a new one appears when a pack has been made)."""
        return set((self.data_dir / "cache").glob("preview-*.pdf"))

    def generate(self, timeout: float = 60) -> None:
        """Ctrl+G, then wait for the new preview (best effort: without one, Save waits for the pack instead)."""
        before = self.previews()
        self.focus()
        self.key("ctrl+g")
        with contextlib.suppress(TimeoutError):
            self.wait_for("a new preview", lambda: self.previews() - before, timeout=timeout)
        time.sleep(0.5)

    def save_pdf_when_ready(self, target: Path, timeout: float = 120) -> None:
        """Ctrl+S until the Save dialog opens (it does once a pack is in the preview), then save to `target`."""
        deadline = time.monotonic() + timeout
        title = "^Save the pack as PDF"
        while time.monotonic() < deadline:
            self.focus()
            self.key("ctrl+s", pause=0.2)
            try:
                wait_window(self.display, title, 3)
            except TimeoutError:
                continue
            self.file_dialog(title, target)
            self.wait_for(f"{target.name} written", target.exists, timeout=60)
            return
        raise TimeoutError(f"no pack to save after {timeout:.0f} s: {self.errors()}")

    def quit(self, timeout: float = 30) -> int:
        """Ctrl+Q on the main window; the exit code (a crash shows as a negative signal number or 139)."""
        if self.process.poll() is None:
            self.focus()
            xdo(self.display, "key", "--clearmodifiers", "ctrl+q", check=False)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"the app did not quit within {timeout:.0f} s of Ctrl+Q") from None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def bad_stderr(self) -> list[str]:
        text = self.errors()
        return [line for line in text.splitlines() if any(bad in line for bad in BAD_STDERR)]
