"""The local SQLite store (Qt-free). `open_store(path)` is the only way in."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from desktop.errors import WardBriefError
from desktop.store.schema import migrations

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(WardBriefError):
    """The store cannot be opened or changed; the message says why and what to do."""


BUSY_MESSAGE = "The store is busy: another WardBrief window or command is writing to it."
BUSY_NEXT_STEP = "Try again in a moment."


class StoreBusy(StoreError):  # noqa: N818 - reads naturally: except StoreBusy
    """Another process held the store's write lock for longer than BUSY_TIMEOUT_MS; nothing was changed."""

    def __init__(self, message: str = BUSY_MESSAGE, next_step: str = BUSY_NEXT_STEP) -> None:
        super().__init__(message, next_step)


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "database is locked" / "busy" (another connection holds the write lock)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction, all or nothing, that takes the write lock at once (BEGIN IMMEDIATE).

    A second writer waits up to BUSY_TIMEOUT_MS for the lock, then gets StoreBusy (a WardBriefError the user can
    act on), never a bare sqlite3 error. Taking the lock first also avoids SQLite's immediate SQLITE_BUSY when a
    transaction that began by reading tries to write after another process committed. Nested use is a savepoint.
    """
    if db.conn.in_transaction:
        try:
            with db.atomic():
                yield db
        except sqlite3.OperationalError as exc:
            if is_busy(exc):
                raise StoreBusy() from exc
            raise
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise StoreBusy() from exc
        raise
    try:
        yield db
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.rollback()
        if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
            raise StoreBusy() from exc
        raise
    try:
        db.conn.commit()
    except sqlite3.OperationalError as exc:
        if db.conn.in_transaction:
            db.conn.rollback()
        if is_busy(exc):
            raise StoreBusy() from exc
        raise


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def latest_backup(db_path: Path) -> Path | None:
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return None
    copies = sorted(folder.glob(f"{db_path.stem}-*.db"))
    return copies[-1] if copies else None


def _backup_hint(db_path: Path) -> str:
    backup = latest_backup(db_path)
    if backup:
        return f'The last good copy is {backup}; restore it with: wardbrief restore "{backup}"'
    return "No backup copy exists yet; import your extracts again into a new data folder (--data-dir)."


def copy_database(conn: sqlite3.Connection, target: Path) -> Path:
    """A consistent copy of an open database (SQLite's online backup: safe with WAL and other readers)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    dest = sqlite3.connect(str(target))
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[Database]:
    """Several reads that see one consistent state of the store, even while another process commits between them
    (without it each SELECT sees the latest commit, e.g. a priority from before an edit with the actions from after).
    For reads only; inside an open transaction it just yields."""
    if db.conn.in_transaction:
        yield db
        return
    db.execute("BEGIN")  # deferred: the first SELECT fixes the snapshot
    try:
        yield db
    finally:
        if db.conn.in_transaction:
            db.conn.rollback()


def _check_file(db_path: Path) -> None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return
    with db_path.open("rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise StoreError(
            f"{db_path} is not a WardBrief store (it is not an SQLite database); it has not been changed.",
            _backup_hint(db_path),
        )


def _integrity_check(db: Database, db_path: Path) -> None:
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        rows = [(str(exc),)]
    if [r[0] for r in rows] != ["ok"]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        raise StoreError(
            f"The store {db_path} is damaged ({detail}); WardBrief will not write to it.",
            _backup_hint(db_path),
        )


def _configure(conn: sqlite3.Connection, in_memory: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not in_memory:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")


def open_store(path: str | Path) -> Database:
    """Open (creating if needed) the store at `path` (or ":memory:"), checked and migrated.

    A damaged file is refused, never overwritten. Before any migration runs on an existing store, a copy is
    taken in `backups/` beside it.
    """
    in_memory = str(path) == ":memory:"
    db_path = Path(path)
    if not in_memory:
        db_path = db_path.expanduser().resolve()
        db_path.parent.mkdir(parents=True, exist_ok=True)
        _check_file(db_path)
    try:
        conn = sqlite3.connect(":memory:" if in_memory else str(db_path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(
            f"Cannot open the store {db_path}: {exc}.", "Check the folder exists and is writable."
        ) from exc
    db = Database(conn)
    try:
        if not in_memory:
            _integrity_check(db, db_path)
        _configure(conn, in_memory)
        _migrate(db, db_path, in_memory)
    except BaseException:
        conn.close()
        raise
    return db


def _migrate(db: Database, db_path: Path, in_memory: bool) -> None:
    pending = migrations.pending(db)
    if not pending:
        return
    has_data = bool(db.table_names())
    backup: Path | None = None
    if has_data and not in_memory:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = copy_database(db.conn, backups_dir(db_path) / f"{db_path.stem}-{stamp}-before-{pending[0].name}.db")
        log.info("backed up %s to %s before migrating", db_path, backup)
    try:
        migrations.apply(db)
    except Exception as exc:
        where = f" The copy taken before it is {backup}." if backup else ""
        raise StoreError(
            f"Updating the store {db_path} to this version of WardBrief failed ({exc}).{where}",
            f'Restore it with: wardbrief restore "{backup}"' if backup else "Report this with the log file.",
        ) from exc


def applied_migrations(db: Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


__all__ = [
    "StoreError",
    "StoreBusy",
    "write_transaction",
    "read_snapshot",
    "is_busy",
    "open_store",
    "copy_database",
    "latest_backup",
    "applied_migrations",
]
