"""Every output file is written whole or not at all (Qt-free): PDFs, XLSX appendices, backups, settings.

The new content goes to a hidden temporary file in the target's own folder (`.<name>.<random>.part`), is flushed and
fsync'd, checked (read back and compared, plus any format check the caller gives), and only then renamed over the
target with `os.replace`, which is atomic on one file system. Any failure removes the temporary file and leaves the
old target exactly as it was; the error is a `MachineFault` that says what the OS said in plain words ("the disk is
full") and that the previous copy is unchanged.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.errors import WardBriefError
from desktop.faults import MachineFault, fault_cause, next_step_for

PART_SUFFIX = ".part"
WRITE_BLOCK = 1024 * 1024


def temp_name(target: Path) -> Path:
    """A hidden temporary name beside `target`, unique to this attempt."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{PART_SUFFIX}")


def is_temp_file(path: Path) -> bool:
    """Whether `path` is a temporary file left by an interrupted write (a killed process)."""
    return path.name.startswith(".") and path.name.endswith(PART_SUFFIX)


def fault(what: str, target: Path, exc: BaseException, existed: bool) -> MachineFault:
    """The plain error for a failed write of `target` ("The PDF x could not be saved: the disk is full. ...")."""
    cause = fault_cause(exc) or f"{type(exc).__name__}: {exc}"
    kept = " The copy that was already there is unchanged." if existed else " Nothing was saved under that name."
    return MachineFault(f"{what} {target} could not be saved: {cause}.{kept}", next_step_for(cause))


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def replacing(target: str | os.PathLike[str], what: str, check: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target` to write; when the block ends, fsync it, run `check(tmp)` (raise to
    refuse it), and rename it over `target`. On any error the temporary file is removed, `target` is untouched,
    and a machine fault (OSError, SQLite's "disk is full") becomes a MachineFault in plain words."""
    target = Path(target)
    existed = target.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise fault(what, target, exc, existed) from exc
    tmp = temp_name(target)
    try:
        yield tmp
        _fsync_file(tmp)
        if check is not None:
            check(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, WardBriefError) or not isinstance(exc, OSError | sqlite3.Error):
            raise
        if isinstance(exc, sqlite3.Error) and fault_cause(exc) is None:
            raise
        raise fault(what, target, exc, existed) from exc
    _fsync_dir(target.parent)


def _write_all(path: Path, data: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags, 0o666)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view[:WRITE_BLOCK])
            if written <= 0:  # pragma: no cover - the OS raises rather than writing nothing
                raise OSError(28, "No space left on device")
            view = view[written:]
    finally:
        os.close(fd)


def _same_bytes(path: Path, data: bytes) -> None:
    """Read the file back: the disk must hold exactly what was written (a short or damaged write is refused)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(WRITE_BLOCK):
            digest.update(block)
            size += len(block)
    if size != len(data) or digest.digest() != hashlib.sha256(data).digest():
        raise OSError(5, f"the file read back is not what was written ({size:,} of {len(data):,} bytes)")


def write_bytes(
    target: str | os.PathLike[str], data: bytes, what: str, check: Callable[[bytes], str | None] | None = None
) -> Path:
    """Write `data` to `target` atomically (see the module). `check(data)` returns a reason to refuse the content
    (e.g. "it does not end like a PDF"), or None; it runs before anything touches the disk. Returns `target`."""
    target = Path(target)
    if check is not None and (reason := check(data)):
        raise MachineFault(
            f"{what} {target} was not saved: {reason}. The copy that was already there is unchanged.",
            "Try again; if it happens again, report it with the log file.",
        )
    with replacing(target, what, lambda tmp: _same_bytes(tmp, data)) as tmp:
        _write_all(tmp, data)
    return target


__all__ = ["replacing", "write_bytes", "temp_name", "is_temp_file", "fault", "PART_SUFFIX"]
