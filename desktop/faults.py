"""Plain words for the machine's faults (Qt-free): a full disk, a read-only folder, a file open elsewhere.

The data is not to blame when these happen, so the messages name the real cause ("the disk is full") and what to do
about it, never "check the file opens in Excel". One place maps OS and SQLite errors to those words; the CLI, the
importers, the store and the output writers all use it.
"""

from __future__ import annotations

import errno
import sqlite3

from desktop.errors import WardBriefError

# SQLite primary result codes (https://sqlite.org/rescode.html)
SQLITE_PERM = 3
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14

DISK_FULL = "the disk is full"
READ_ONLY = "the store is read-only (its file or its folder cannot be written)"

_ERRNO_WORDS = {
    errno.ENOSPC: DISK_FULL,
    errno.EDQUOT: "your disk quota is used up",
    errno.EFBIG: "the file is bigger than this disk or account allows (the disk may be full)",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "you do not have permission to write there",
    errno.EPERM: "you do not have permission to write there",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "that name is a folder",
    errno.EIO: "the disk reported a read or write error (it may be failing or disconnected)",
    errno.ENAMETOOLONG: "the name is too long",
    errno.EBUSY: "the file is in use",
}
# Windows error numbers (OSError.winerror) that say more than errno does
_WINERROR_WORDS = {
    5: "Windows refused access (the file may be open in another program, or the folder is not yours to write)",
    32: "the file is open in another program",
    33: "the file is open in another program",
    39: DISK_FULL,
    112: DISK_FULL,
}


class MachineFault(WardBriefError):
    """The computer, not the data, stopped the work: a full disk, a read-only folder, a file open elsewhere.
    Nothing was half-written; the message names the cause and what to do."""

    def __reduce__(self) -> tuple[type[MachineFault], tuple[str, str]]:  # whole across processes (batch workers)
        return (type(self), (self.message, self.next_step))


def os_cause(exc: OSError) -> str:
    """'the disk is full', 'you do not have permission to write there', ... or the OS's own words."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINERROR_WORDS:
        return _WINERROR_WORDS[winerror]
    if exc.errno in _ERRNO_WORDS:
        return _ERRNO_WORDS[exc.errno]
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[0].lower() + text[1:] if text else text


def sqlite_cause(exc: BaseException) -> str | None:
    """The plain cause of an SQLite error the machine caused (full, read-only, I/O), else None."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return DISK_FULL
    if primary in (SQLITE_READONLY, SQLITE_PERM) or "readonly database" in text:
        return READ_ONLY
    if primary == SQLITE_IOERR or "disk i/o error" in text:
        return "the disk reported a write error (it may be full, failing or disconnected)"
    if primary == SQLITE_CANTOPEN or "unable to open database file" in text:
        return "the store's file or folder cannot be opened (it may be read-only or on a disconnected drive)"
    return None


def fault_cause(exc: BaseException) -> str | None:
    """The plain cause when `exc` is a machine fault (an OSError, or SQLite's full / read-only / I/O), else None."""
    if isinstance(exc, OSError):
        return os_cause(exc)
    return sqlite_cause(exc)


def next_step_for(cause: str) -> str:
    """What to do about a cause from `fault_cause`."""
    if cause == DISK_FULL or "quota" in cause or "bigger than" in cause:
        return "Free some space on that disk (or choose another one), then try again."
    if cause == READ_ONLY:
        return "Make the data folder writable (or copy it somewhere you can write and pass --data-dir), then try again."
    if "another program" in cause:
        return "Close the file in the other program (e.g. Excel or a PDF viewer), or choose another folder, then try again."
    if "permission" in cause or "read-only" in cause:
        return "Choose a folder you can write to, then try again."
    if "in use" in cause:
        return "Close it in the other program (e.g. Excel or a PDF viewer), then try again."
    if "does not exist" in cause or "not a folder" in cause:
        return "Check the folder's name, or create it, then try again."
    return "Check the disk and the folder, then try again."


__all__ = ["MachineFault", "os_cause", "sqlite_cause", "fault_cause", "next_step_for", "DISK_FULL", "READ_ONLY"]
