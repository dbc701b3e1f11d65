"""The X side of the journeys: a private Xvfb server, xdotool input, screenshots. No Qt here.

Every journey gets a real X display (Xvfb, started here unless WARDBRIEF_JOURNEY_DISPLAY names one) and real
input events through the XTEST extension (xdotool), so focus, shortcuts, modal dialogs and the window manager-less
placement behave as on a user's desktop, not as under Qt's offscreen platform.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "xdotool")
APT_PACKAGES = "xvfb xauth xdotool imagemagick poppler-utils libxcb-cursor0 libxkbcommon-x11-0 libegl1"


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def require_tools(*extra: str) -> None:
    """Skip (locally) or fail (under CI=true) when the X tools are not installed."""
    missing = missing_tools() + [tool for tool in extra if shutil.which(tool) is None]
    if not missing:
        return
    message = f"journeys need {', '.join(missing)} (Debian: apt-get install {APT_PACKAGES})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class Display:
    name: str
    width: int
    height: int
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def stop_after_exit(self) -> None:
        """Stop the server once this process has exited: its QApplication keeps its X connection to the end, and
        Qt quits with "The X11 connection broke" (exit 1) if the server goes first."""
        if self.process is None or self.process.poll() is not None:
            return
        watch = f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 0.2; done; kill {self.process.pid}"
        subprocess.Popen(["sh", "-c", watch], start_new_session=True, stdin=subprocess.DEVNULL)


def start_xvfb(width: int, height: int, log_dir: Path) -> Display:
    """A fresh Xvfb on a display number it picks itself (-displayfd): it skips numbers in use, so parallel test
    workers, and anyone else's X server, never share or race for a display."""
    read_end, write_end = os.pipe()
    log = log_dir / "xvfb.log"
    try:
        with log.open("wb") as out:
            process = subprocess.Popen(
                ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"]
                + ["-noreset"],
                stdout=out,
                stderr=subprocess.STDOUT,
                pass_fds=(write_end,),
            )
        os.close(write_end)
        write_end = -1
        number = _read_display_number(read_end, process, timeout=20)
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
    if number is None:
        process.kill()
        process.wait(5)
        raise RuntimeError(f"Xvfb did not start; its log is {log}: {log.read_text(errors='replace')[-500:]}")
    display = Display(f":{number}", width, height, process, log)
    display.env = {"DISPLAY": display.name}
    return display


def _read_display_number(fd: int, process: subprocess.Popen[bytes], timeout: float) -> int | None:
    """The number Xvfb writes to -displayfd once it accepts connections (None if it exits or takes too long)."""
    deadline = time.monotonic() + timeout
    text = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            chunk = os.read(fd, 64)
            if not chunk:
                break  # Xvfb closed it: exited without a display
            text += chunk
            if text.endswith(b"\n"):
                return int(text)
        elif process.poll() is not None:
            break
    return None


def given_display(name: str) -> Display:
    """A display someone else started (WARDBRIEF_JOURNEY_DISPLAY): its size is read with xdotool."""
    out = subprocess.run(
        ["xdotool", "getdisplaygeometry"],
        env={**os.environ, "DISPLAY": name},
        capture_output=True,
        text=True,
        timeout=10,
    )
    width, height = (int(v) for v in out.stdout.split())
    return Display(name, width, height, env={"DISPLAY": name})


def xdo(display: str, *args: str, timeout: float = 20, check: bool = True) -> str:
    """Run xdotool against `display`; returns its output."""
    result = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"xdotool {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout.strip()


def find_windows(display: str, name: str) -> list[str]:
    """Visible windows whose title matches the regular expression `name` (none: an empty list)."""
    out = xdo(display, "search", "--onlyvisible", "--name", name, check=False)
    return [line for line in out.splitlines() if line.strip()]


def wait_window(display: str, name: str, timeout: float = 30, gone: bool = False) -> list[str]:
    """Wait until a visible window titled `name` exists (or, with gone=True, until none does)."""
    deadline = time.monotonic() + timeout
    while True:
        found = find_windows(display, name)
        if bool(found) != gone:
            return found
        if time.monotonic() > deadline:
            state = "still shown" if gone else "not shown"
            raise TimeoutError(f"window {name!r} {state} after {timeout:.0f} s")
        time.sleep(0.2)


def window_name(display: str, window: str) -> str:
    return xdo(display, "getwindowname", window, check=False)


def screenshot(display: str, path: Path, window: str = "root") -> Path:
    """The screen (or one X window) as a PNG, through ImageMagick's `import` (xwd + convert as a fallback)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DISPLAY": display}
    if shutil.which("import"):
        subprocess.run(["import", "-window", window, str(path)], env=env, check=True, timeout=30)
    else:
        dump = path.with_suffix(".xwd")
        subprocess.run(["xwd", "-root" if window == "root" else "-id", *([] if window == "root" else [window])]
                       + ["-out", str(dump)], env=env, check=True, timeout=30)  # fmt: skip
        subprocess.run(["convert", str(dump), str(path)], check=True, timeout=30)
        dump.unlink()
    return path


def pdf_text(path: Path) -> str:
    """The text of a PDF, whitespace folded (pdftotext from poppler-utils; pypdf when it is missing)."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60)
        text = out.stdout
    else:
        from pypdf import PdfReader

        text = " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return " ".join(text.replace("’", "'").split())
