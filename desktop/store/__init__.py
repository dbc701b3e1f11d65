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
from desktop.faults import fault_cause, next_step_for
from desktop.store.journal import set_aside_foreign_journal
from desktop.store.schema import migrations

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(WardBriefError):
    """The store cannot be opened or changed; the message says why and what to do."""


BUSY_MESSAGE = "The store is busy: another WardBrief window or command is writing to it."
BUSY_NEXT_STEP = "Try again in a moment."


class StoreBusy(StoreError):  # reads naturally: except StoreBusy
    """Another process held the store's write lock for longer than BUSY_TIMEOUT_MS; nothing was changed."""

    def __init__(self, message: str = BUSY_MESSAGE, next_step: str = BUSY_NEXT_STEP) -> None:
        super().__init__(message, next_step)


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "database is locked" / "busy" (another connection holds the write lock)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def newer_migrations(db: Database) -> list[str]:
    """Updates recorded in the store that this version does not know: a newer WardBrief wrote it."""
    if not db[migrations.migrations_table].exists():
        return []
    known = {m.name for m in migrations._migrations}
    rows = db.execute(
        f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", [migrations.name]
    ).fetchall()
    return [str(r[0]) for r in rows if r[0] not in known]


def newer_store_error(where: object, unknown: list[str], done: str = "nothing was changed") -> StoreError:
    return StoreError(
        f"This store ({where}) was made by a newer WardBrief (it has updates this version does not know: "
        f"{', '.join(unknown)}); this version will not write to it, so {done}.",
        "Update WardBrief to the newest version (ask whoever installs it for you), then try again.",
    )


def store_file(db: Database) -> str:
    """The store's file name, for messages (":memory:" for an in-memory store)."""
    try:
        row = db.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return "the store"
    return str(row[2]) if row and row[2] else ":memory:"


def _write_failed(db: Database, exc: BaseException) -> StoreError | None:
    """StoreBusy, or a plain StoreError for a machine fault (disk full, read-only store), else None."""
    if isinstance(exc, sqlite3.OperationalError) and is_busy(exc):
        return StoreBusy()
    cause = fault_cause(exc) if isinstance(exc, sqlite3.Error | OSError) else None
    if cause is None:
        return None
    return StoreError(
        f"The store {store_file(db)} could not be changed: {cause}. Nothing from this change was stored.",
        next_step_for(cause),
    )


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction, all or nothing, that takes the write lock at once (BEGIN IMMEDIATE).

    A second writer waits up to BUSY_TIMEOUT_MS for the lock, then gets StoreBusy (a WardBriefError the user can
    act on), never a bare sqlite3 error; a full disk or a read-only store is a StoreError in plain words, and a
    store written by a newer WardBrief is refused before anything is written. Taking the lock first also avoids
    SQLite's immediate SQLITE_BUSY when a transaction that began by reading tries to write after another process
    committed. Nested use is a savepoint.
    """
    if db.conn.in_transaction:
        try:
            with db.atomic():
                yield db
        except sqlite3.Error as exc:
            failed = _write_failed(db, exc)
            if failed is not None:
                raise failed from exc
            raise
        return
    unknown = newer_migrations(db)
    if unknown:
        raise newer_store_error(store_file(db), unknown)
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        failed = _write_failed(db, exc)
        if failed is not None:
            raise failed from exc
        raise
    try:
        yield db
    except BaseException as exc:
        if db.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.conn.rollback()
        failed = _write_failed(db, exc) if isinstance(exc, sqlite3.Error) else None
        if failed is not None:
            raise failed from exc
        raise
    try:
        db.conn.commit()
    except sqlite3.Error as exc:
        if db.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                db.conn.rollback()
        failed = _write_failed(db, exc)
        if failed is not None:
            raise failed from exc
        raise


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def looks_whole(path: Path) -> bool:
    """Whether a copy is a whole SQLite file: its header, and as many bytes as the header says it has pages
    (a 0-byte or cut-short copy, e.g. one written onto a full disk, is not)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError:
        return False
    if size < 512 or len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter, valid_for = header[24:28], header[92:96]
    if pages and counter == valid_for:  # the header's page count is current: the file must hold every page
        return size >= pages * page_size
    return size % page_size == 0


def latest_backup(db_path: Path) -> Path | None:
    """The newest copy in backups/ that is whole (never a 0-byte or cut-short file)."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return None
    copies = sorted(folder.glob(f"{db_path.stem}-*.db"), reverse=True)
    return next((copy for copy in copies if looks_whole(copy)), None)


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


def check_copy(path: Path) -> None:
    """Refuse a copy that is not one whole, intact, self-contained SQLite file (switches it out of WAL first)."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    if [r[0] for r in rows] != ["ok"] or not looks_whole(path):
        detail = "; ".join(str(r[0]) for r in rows[:2])
        raise StoreError(
            f"The copy written to {path} did not pass SQLite's integrity check ({detail}); it was not kept.",
            "Check the disk (free space, errors) and try again.",
        )


def verified_copy(conn: sqlite3.Connection, target: Path, what: str = "The safety copy") -> Path:
    """Copy an open database to `target`, whole or not at all: written beside it, checked (check_copy), then
    renamed into place (desktop.atomic). A full disk leaves no file, never a 0-byte "copy"."""
    from desktop.atomic import replacing

    with replacing(target, what, check_copy) as tmp:
        try:
            copy_database(conn, tmp)
        finally:
            for side in ("-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    tmp.with_name(tmp.name + side).unlink()
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


def _cannot_open(db_path: Path, exc: BaseException) -> StoreError | None:
    """A plain StoreError when the machine, not damage, stops the store opening (read-only, full disk)."""
    cause = fault_cause(exc)
    if cause is None:
        return None
    return StoreError(f"The store {db_path} cannot be opened: {cause}. Nothing was changed.", next_step_for(cause))


def _integrity_check(db: Database, db_path: Path) -> None:
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        if (fault := _cannot_open(db_path, exc)) is not None:
            raise fault from exc
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

    A damaged file is refused, never overwritten; a rollback journal beside it that is not its own is set aside
    first (store/journal.py). Before any migration runs on an existing store, a verified copy is taken in
    `backups/` beside it. A store that cannot be opened for a machine reason (read-only, full disk) says so.
    """
    in_memory = str(path) == ":memory:"
    db_path = Path(path)
    if not in_memory:
        db_path = db_path.expanduser().resolve()
        try:
            db_path.parent.mkdir(parents=True, exist_ok=True)
            _check_file(db_path)
            set_aside_foreign_journal(db_path, backups_dir(db_path))
        except OSError as exc:
            raise StoreError(
                f"The store {db_path} cannot be opened: {fault_cause(exc)}. Nothing was changed.",
                next_step_for(fault_cause(exc) or ""),
            ) from exc
    try:
        conn = sqlite3.connect(":memory:" if in_memory else str(db_path), timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(
            f"Cannot open the store {db_path}: {fault_cause(exc) or exc}.", "Check the folder exists and is writable."
        ) from exc
    db = Database(conn)
    try:
        if not in_memory:
            _integrity_check(db, db_path)
        try:
            _configure(conn, in_memory)
        except sqlite3.Error as exc:
            if (fault := _cannot_open(db_path, exc)) is not None:
                raise fault from exc
            raise
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
        target = backups_dir(db_path) / f"{db_path.stem}-{stamp}-before-{pending[0].name}.db"
        backup = verified_copy(db.conn, target, "The copy taken before updating the store")
        log.info("backed up %s to %s before migrating", db_path, backup)
    try:
        migrations.apply(db)
    except Exception as exc:
        where = f" The copy taken before it is {backup}." if backup else ""
        if (cause := fault_cause(exc)) is not None:
            raise StoreError(
                f"Updating the store {db_path} to this version of WardBrief failed: {cause}.{where}",
                next_step_for(cause),
            ) from exc
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
    "verified_copy",
    "check_copy",
    "looks_whole",
    "latest_backup",
    "newer_migrations",
    "newer_store_error",
    "applied_migrations",
]
