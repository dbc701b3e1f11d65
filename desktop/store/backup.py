"""Back up the whole store to a file, and restore it from one (Qt-free; the CLI and the window call these).

A backup is one self-contained SQLite file (no `-wal` beside it) taken with SQLite's online backup API, so it is
consistent even while the window or another command is using the store. Restoring checks the file first (an SQLite
database, intact, holding WardBrief's tables, made by this version or an older one), keeps the current store aside
in `backups/` as a timestamped copy, then writes the backup into the store, again through the online backup API, so
another open window sees either the old store or the restored one, never a mix.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from desktop.atomic import replacing
from desktop.faults import MachineFault, fault_cause, next_step_for
from desktop.store import (
    BUSY_MESSAGE,
    BUSY_TIMEOUT_MS,
    SQLITE_MAGIC,
    StoreBusy,
    StoreError,
    backups_dir,
    check_copy,
    open_store,
    verified_copy,
)
from desktop.store.journal import set_aside_foreign_journal
from desktop.store.schema import migrations

log = logging.getLogger(__name__)

# Tables every WardBrief store has had since the first version (m001); a file without them is not a store.
CORE_TABLES = frozenset(
    {
        "source",
        "ward",
        "lsoa_ward",
        "crime_count",
        "asb_count",
        "survey_result",
        "fire_incident",
        "priority",
        "priority_action",
    }
)


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _unique(path: Path) -> Path:
    """`path`, or `path` with -2, -3 ... before the suffix when it already exists."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def _is_busy(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _counts(conn: sqlite3.Connection) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in ("source", "priority", "priority_action"):
        try:
            out[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        except sqlite3.Error:
            out[table] = 0
    return out


def _describe(counts: dict[str, int]) -> str:
    def n(count: int, one: str, many: str) -> str:
        return f"{count:,} {one if count == 1 else many}"

    return (
        f"{n(counts['source'], 'imported file', 'imported files')}, "
        f"{n(counts['priority'], 'panel priority', 'panel priorities')} "
        f"with {n(counts['priority_action'], 'action', 'actions')}"
    )


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        yield conn
    finally:
        conn.close()


# --- backup ------------------------------------------------------------------------------------------------


def backup_store(db_path: Path, target: Path) -> str:
    """Write a consistent copy of the store at `db_path` to `target` (a file, or a folder to put one in).

    Returns a message for the user. Raises StoreError when there is nothing to back up, the store is damaged or
    busy, or the target cannot be written (a MachineFault naming the cause, e.g. "the disk is full"). The copy is
    written beside the target, checked, then renamed into place (desktop.atomic), so a failed backup never leaves
    a half-written file under the chosen name, nor replaces an earlier backup there.
    """
    db_path = Path(db_path).expanduser().resolve()
    target = Path(target).expanduser()
    if not db_path.exists():
        raise StoreError(
            f"There is no store at {db_path} yet, so there is nothing to back up.",
            "Import an extract first (wardbrief import FILE), or pass --data-dir to choose another data folder.",
        )
    if target.is_dir():
        target = target / f"{db_path.stem}-backup-{_stamp()}.db"
    target = target.resolve()
    if target == db_path:
        raise StoreError(f"{target} is the store itself.", "Choose another file name for the backup.")
    if not target.parent.is_dir():
        raise StoreError(f"The folder {target.parent} does not exist.", "Create it, or choose another folder.")
    db = open_store(db_path)  # refuses a damaged store; brings an old one up to date first (keeping a copy)
    try:
        verified_copy(db.conn, target, "The backup")
        with _connect(target) as conn:
            counts = _counts(conn)
    except sqlite3.Error as exc:
        if _is_busy(exc):
            raise StoreBusy() from exc
        cause = fault_cause(exc)
        raise StoreError(f"The backup to {target} failed ({cause or exc}).", next_step_for(cause or "")) from exc
    finally:
        db.close()
    log.info("backed up %s to %s", db_path, target)
    return f"Backed up the store ({_describe(counts)}) to {target}."


# --- restore -----------------------------------------------------------------------------------------------


def _not_a_store(source_file: Path, why: str) -> StoreError:
    return StoreError(
        f"{source_file} is not a WardBrief backup ({why}). The current store has not been changed.",
        "Choose a file written by 'wardbrief backup' or File > Back up, or one of the copies in the backups folder.",
    )


def _validate(staged: Path, source_file: Path) -> dict[str, int]:
    """Check a staged copy is an intact WardBrief store this version can open; return its counts."""
    try:
        with _connect(staged) as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            if [r[0] for r in rows] != ["ok"]:
                detail = "; ".join(str(r[0]) for r in rows[:2])
                raise _not_a_store(source_file, f"it is damaged: {detail}")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            missing = CORE_TABLES - tables
            if missing or migrations.migrations_table not in tables:
                raise _not_a_store(source_file, "it is an SQLite database but does not hold WardBrief's tables")
            applied = [
                r[0]
                for r in conn.execute(
                    f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", [migrations.name]
                )
            ]
            known = {m.name for m in migrations._migrations}
            unknown = [name for name in applied if name not in known]
            if unknown:
                raise StoreError(
                    f"{source_file} was written by a newer version of WardBrief (it has updates this version "
                    f"does not know: {', '.join(unknown)}). The current store has not been changed.",
                    "Install the newer version of WardBrief to restore this backup.",
                )
            if altered := _altered_columns(conn, applied):
                raise _not_a_store(source_file, f"its tables were altered: {altered}")
            return _counts(conn)
    except sqlite3.DatabaseError as exc:
        raise _not_a_store(source_file, f"it is damaged or not a database: {exc}") from exc


def _reference_columns(applied: list[str]) -> dict[str, set[str]]:
    """Each table's columns in a store with exactly the updates `applied` (built in memory from the migrations)."""
    from sqlite_utils import Database

    ref = Database(memory=True)
    for migration in migrations._migrations:
        if migration.name in applied:
            migration.fn(ref)
    return {t: {c.name for c in ref[t].columns} for t in ref.table_names()}


def _altered_columns(conn: sqlite3.Connection, applied: list[str]) -> str:
    """What is missing from the backup's tables against the schema its updates should have made ('' if nothing)."""
    problems: list[str] = []
    for table, wanted in sorted(_reference_columns(applied).items()):
        have = {str(r[1]) for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if not have:
            problems.append(f"no table {table}")
        elif missing := sorted(wanted - have):
            problems.append(f"{table} has no column {', '.join(missing)}")
    return "; ".join(problems[:3])


def _stage(source_file: Path, db_path: Path) -> Path:
    """Copy the backup's bytes next to the store, so the user's file is only ever read, never opened for writing."""
    staged = _unique(db_path.parent / f".{db_path.stem}-restoring-{_stamp()}.db")
    try:
        shutil.copyfile(source_file, staged)
    except OSError as exc:
        with contextlib.suppress(OSError):
            staged.unlink()
        cause = fault_cause(exc) or str(exc)
        if exc.filename is not None and Path(exc.filename) == source_file:
            raise StoreError(
                f"Cannot read {source_file} ({cause}). The current store has not been changed.",
                "Check the file is there and you can open it.",
            ) from exc
        raise StoreError(
            f"Cannot copy the backup into {db_path.parent}: {cause}. The current store has not been changed.",
            next_step_for(cause),
        ) from exc
    return staged


def _current_is_sound(db_path: Path) -> bool:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    with db_path.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            return False
    try:
        with _connect(db_path) as conn:
            return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()] == ["ok"]
    except sqlite3.DatabaseError:
        return False


def _keep_aside(db_path: Path, sound: bool) -> Path | None:
    """Copy the current store into backups/ before it is replaced, verified before anything relies on it (a full
    disk leaves no copy, never a 0-byte one). Returns the copy, or None if there was none."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    aside = _unique(backups_dir(db_path) / f"{db_path.stem}-{_stamp()}-before-restore.db")
    if sound:
        with _connect(db_path) as conn:
            return verified_copy(conn, aside, "The copy of the current store")
    # damaged: keep its bytes exactly as they are (and its WAL), for whoever wants to look at them
    wal = db_path.with_name(db_path.name + "-wal")
    for source, copy in ((db_path, aside), (wal, aside.with_name(aside.name + "-wal"))):
        if source.exists():
            _copy_bytes(source, copy)
    return aside


def _copy_bytes(source: Path, copy: Path) -> None:
    size = source.stat().st_size

    def same_size(tmp: Path) -> None:
        if tmp.stat().st_size != size:
            raise OSError(5, f"the copy has {tmp.stat().st_size:,} of {size:,} bytes")

    with replacing(copy, "The copy of the current store", same_size) as tmp:
        shutil.copyfile(source, tmp)


def _give_up_when_busy(status: int, remaining: int, total: int) -> None:
    """Python's backup() retries a locked destination forever; after one busy_timeout wait, give up instead."""
    if status in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED: the busy handler has already waited BUSY_TIMEOUT_MS
        raise sqlite3.OperationalError("database is locked")


def _replace(staged: Path, db_path: Path, sound: bool) -> None:
    if sound:
        # Write into the live file through SQLite: other connections (an open window) see old or new, never a mix.
        with _connect(db_path) as dest:
            page_size = int(dest.execute("PRAGMA page_size").fetchone()[0])
            with _connect(staged) as src:
                if int(src.execute("PRAGMA page_size").fetchone()[0]) != page_size:
                    src.execute(f"PRAGMA page_size = {page_size}")  # a WAL store only accepts its own page size
                    src.execute("VACUUM")
                src.backup(dest, progress=_give_up_when_busy)
        return
    # A damaged or missing store cannot be written through SQLite: swap the file, dropping its stale journal.
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + suffix).unlink()
    os.replace(staged, db_path)


def restore_store(source_file: Path, db_path: Path) -> str:
    """Replace the store at `db_path` with the backup `source_file`; the current store is kept in backups/.

    Returns a message for the user that names the copy kept aside (and how to go back to it). Raises StoreError,
    with the current store unchanged, when the file is not an intact WardBrief store this version can open or
    when the store is busy.
    """
    source_file = Path(source_file).expanduser().resolve()
    db_path = Path(db_path).expanduser().resolve()
    if not source_file.is_file():
        raise StoreError(f"There is no file {source_file}.", "Check the name and folder of the backup file.")
    if source_file == db_path:
        raise StoreError(f"{source_file} is the store itself.", "Choose a backup file to restore from.")
    with source_file.open("rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise _not_a_store(source_file, "it is not an SQLite database")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    staged = _stage(source_file, db_path)
    try:
        counts = _validate(staged, source_file)
        check_copy(staged)
        set_aside_foreign_journal(db_path, backups_dir(db_path))
        sound = _current_is_sound(db_path)
        aside = _keep_aside(db_path, sound)
        try:
            _replace(staged, db_path, sound)
        except BaseException:
            if aside is not None:  # nothing was replaced, so the copy would only mislead
                aside.unlink(missing_ok=True)
            raise
    except MachineFault as exc:
        raise StoreError(f"Nothing was restored: {exc.message}", exc.next_step) from exc
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, sqlite3.Error) and _is_busy(exc):
            raise StoreBusy(BUSY_MESSAGE + " Nothing was restored.") from exc
        cause = fault_cause(exc)
        raise StoreError(
            f"Restoring from {source_file} failed ({cause or exc}); the current store has not been changed.",
            next_step_for(cause or ""),
        ) from exc
    finally:
        for leftover in (staged, staged.with_name(staged.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    open_store(db_path).close()  # brings a backup from an older version up to date (keeping a copy first)
    log.info("restored %s from %s (previous store kept as %s)", db_path, source_file, aside)
    lines = [f"Restored the store from {source_file}: {_describe(counts)}."]
    if aside is not None:
        lines.append(f'The store it replaced is kept as {aside}; to go back to it: wardbrief restore "{aside}"')
    return "\n".join(lines)


__all__ = ["backup_store", "restore_store", "CORE_TABLES"]
