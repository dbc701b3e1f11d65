"""The batch's worker processes die with their parent, and are stopped at once when the batch stops (Qt-free here).

A worker that outlives `wardbrief pack --all` (its parent killed, or the window gone) would go on drawing and writing
packs nobody asked for, holding ~230 MB each, and keep multiprocessing's resource tracker alive with it. So each
worker watches its parent three ways:
- Linux: `prctl(PR_SET_PDEATHSIG, SIGTERM)`: the kernel signals the worker the moment the parent's thread ends;
- everywhere: a watchdog thread that checks the parent every WATCH_SECONDS (POSIX: the parent pid changes when it
  dies; Windows: a wait on the parent's process handle);
- on either, the worker removes its own unfinished temporary files (named with its pid, desktop.atomic) and exits.
When the batch stops (Cancel, Ctrl-C, SIGTERM, a full disk), `stop_pool` kills the workers instead of waiting for
the packs they are drawing, so nothing more is written after it returns.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

WATCH_SECONDS = 0.25
STOP_WAIT_SECONDS = 3.0

_out_dirs: set[Path] = set()  # folders this worker writes to (for removing its own temporary files on the way out)


def note_out_dir(folder: Path) -> None:
    _out_dirs.add(folder)


def remove_temp_files(folder: Path, pids: set[int]) -> None:
    """Remove the temporary `.<name>.<pid>-<hex>.part` files that processes `pids` left in `folder`."""
    from desktop.atomic import PART_SUFFIX

    for pid in pids:
        for path in folder.glob(f".*.{pid}-*{PART_SUFFIX}"):
            with contextlib.suppress(OSError):
                path.unlink()


def _leave() -> None:
    for folder in list(_out_dirs):
        remove_temp_files(folder, {os.getpid()})
    os._exit(1)


def _linux_death_signal() -> None:
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGTERM), 0, 0, 0)


def _watch_posix(parent_pid: int) -> None:
    import time

    while True:
        if os.getppid() != parent_pid:
            _leave()
        time.sleep(WATCH_SECONDS)


def _watch_windows(parent_pid: int) -> None:  # pragma: no cover - Windows only
    import ctypes

    synchronize, infinite = 0x00100000, 0xFFFFFFFF
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, parent_pid)
    if not handle:
        _leave()  # the parent is already gone
    kernel32.WaitForSingleObject(handle, infinite)
    _leave()


def die_with_parent(parent_pid: int) -> None:
    """Called first in each worker: leave when the parent process `parent_pid` is gone (see the module)."""
    signal.signal(signal.SIGTERM, lambda _signum, _frame: _leave())
    if sys.platform.startswith("linux"):
        _linux_death_signal()
    watch = _watch_windows if sys.platform == "win32" else _watch_posix
    threading.Thread(target=watch, args=(parent_pid,), name="parent-watch", daemon=True).start()
    if sys.platform != "win32" and os.getppid() != parent_pid:  # the parent died before the watch began
        _leave()


def stop_pool(pool: Any) -> set[int]:
    """Stop a ProcessPoolExecutor now: queued work is dropped, running workers are killed (not waited for).
    Returns the workers' pids (for removing their temporary files)."""
    processes = dict(getattr(pool, "_processes", None) or {})  # (Python 3.14 adds pool.kill_workers())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        with contextlib.suppress(ProcessLookupError, OSError, AttributeError):
            process.kill()
    for process in processes.values():
        with contextlib.suppress(Exception):
            process.join(STOP_WAIT_SECONDS)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True)
    return {int(pid) for pid in processes}


__all__ = ["die_with_parent", "stop_pool", "remove_temp_files", "note_out_dir"]
