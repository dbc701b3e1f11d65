"""Issue 12, the store's faults: a foreign journal, a store from a newer WardBrief, a backup with altered tables,
safety copies on a full disk, and the machine's faults (full disk, read-only store, a data folder that cannot be
made) said in one plain sentence with no traceback and the store unchanged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.reliability.faults_helpers import (
    POPULATION,
    SHARED,
    can_make_read_only,
    can_mount_tmpfs,
    cli,
    cli_on_small_disk,
    plain,
    westminster_csv,
)
from tests.reliability.helpers import PYTHON, dump, integrity, seed_store

# A database of another program, left mid-transaction: its hot rollback journal is what gets copied beside ours.
FOREIGN_CRASH = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 2")
conn.execute("CREATE TABLE t (x)")
conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(2000)])
conn.execute("BEGIN")
conn.execute("UPDATE t SET x = 'y' || x")  # spills pages to the file: the journal is hot
os._exit(0)
"""


@pytest.fixture(scope="module")
def crashed_other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another program's database and its hot journal, as its crash left them (made once, copied by each test)."""
    other = tmp_path_factory.mktemp("other") / "other.db"
    subprocess.run([PYTHON, "-c", FOREIGN_CRASH, str(other)], check=True, timeout=60)
    assert other.with_name("other.db-journal").stat().st_size > 0
    return other


def _foreign_journal(crashed: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "other"
    folder.mkdir()
    for name in ("other.db", "other.db-journal"):
        shutil.copyfile(crashed.with_name(name), folder / name)
    return folder / "other.db-journal"


def test_a_foreign_hot_journal_is_set_aside_not_played_back(tmp_path: Path, crashed_other: Path) -> None:
    from desktop.store import open_store

    store = tmp_path / "data" / "wardbrief.db"
    store.parent.mkdir()
    seed_store(store)
    before = dump(store)
    shutil.copyfile(_foreign_journal(crashed_other, tmp_path), store.with_name("wardbrief.db-journal"))

    db = open_store(store)  # today: SQLite plays the journal back and the store is "malformed"
    db.close()
    assert integrity(store) == ["ok"] and dump(store) == before
    assert not store.with_name("wardbrief.db-journal").exists()
    aside = list((store.parent / "backups").glob("wardbrief.db-journal-set-aside-*"))
    note = [p for p in aside if p.suffix == ".txt"]
    assert len(aside) == 2 and note and "did not belong to the store" in note[0].read_text()


def test_the_stores_own_hot_journal_is_left_for_sqlite(tmp_path: Path, crashed_other: Path) -> None:
    """A rollback-mode database's own journal (a real crash) is never taken away from it."""
    from desktop.store.journal import foreign_reason, set_aside_foreign_journal

    journal = _foreign_journal(crashed_other, tmp_path)
    own = journal.with_name("other.db")
    assert foreign_reason(own, journal) is None
    assert set_aside_foreign_journal(own, tmp_path / "aside") is None and journal.exists()
    conn = sqlite3.connect(own)  # SQLite rolls its own transaction back: the table is as before it
    assert conn.execute("SELECT count(*) FROM t WHERE x LIKE 'y%'").fetchone()[0] == 0
    conn.close()


def _newer_store(data: Path) -> Path:
    store = data / "wardbrief.db"
    data.mkdir(parents=True, exist_ok=True)
    seed_store(store)
    conn = sqlite3.connect(store)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('wardbrief', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    return store


def test_a_store_from_a_newer_wardbrief_is_not_written_to(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = _newer_store(data)
    before = dump(store)
    imported = cli(["import", str(POPULATION)], data) if POPULATION.exists() else None
    removed = cli(["sources", "--remove", "1"], data)
    for result in [r for r in (imported, removed) if r is not None]:
        text = plain(result)
        assert result.returncode == 1 and "made by a newer WardBrief" in text and "m099_from_the_future" in text
        assert "Update WardBrief" in text
    assert dump(store) == before
    assert cli(["sources"], data).returncode == 0  # reading it is still fine


def test_a_backup_with_altered_tables_is_refused_by_restore(tmp_path: Path) -> None:
    from desktop.store.backup import restore_store

    data = tmp_path / "data"
    data.mkdir()
    store = data / "wardbrief.db"
    seed_store(store)
    before = dump(store)
    altered = tmp_path / "altered.db"
    seed_store(altered, tag="b")
    conn = sqlite3.connect(altered)
    conn.execute("ALTER TABLE source RENAME COLUMN sha256 TO sha_256")  # "no such column: sha256" at the next import
    conn.commit()
    conn.close()
    from desktop.store import StoreError

    with pytest.raises(StoreError, match="tables were altered: source has no column sha256"):
        restore_store(altered, store)
    assert dump(store) == before


DISK_FULL_RESTORE = """
import errno, os, sys
from pathlib import Path
import desktop.store, desktop.store.backup
from desktop.store.backup import restore_store
real = desktop.store.copy_database
def full(conn, target):  # the safety copy hits a full disk part-way
    real(conn, target)
    with open(target, "r+b") as fh:
        fh.truncate(0)
    raise OSError(errno.ENOSPC, "No space left on device", str(target))
for module in (desktop.store, desktop.store.backup):  # wherever the copy is made from
    if hasattr(module, "copy_database"):
        module.copy_database = full
try:
    print(restore_store(Path(sys.argv[1]), Path(sys.argv[2])))
except Exception as exc:
    print("ERROR", type(exc).__name__, exc)
"""


def test_restore_on_a_full_disk_leaves_no_empty_safety_copy(tmp_path: Path) -> None:
    """Restore's copy of the current store hits a full disk: no 0-byte "-before-restore" copy is left, and the
    damaged-store message never offers one as "the last good copy"."""
    from desktop.store import latest_backup

    data = tmp_path / "data"
    data.mkdir()
    store = data / "wardbrief.db"
    seed_store(store)
    before = dump(store)
    backup = tmp_path / "good.db"
    seed_store(backup, tag="b")
    done = subprocess.run(
        [PYTHON, "-c", DISK_FULL_RESTORE, str(backup), str(store)], capture_output=True, text=True, timeout=60
    )
    assert "ERROR" in done.stdout and "the disk is full" in done.stdout, done.stdout + done.stderr
    assert "Nothing was restored" in done.stdout
    assert dump(store) == before
    copies = list((data / "backups").glob("*.db")) if (data / "backups").exists() else []
    assert not [c for c in copies if c.stat().st_size == 0], copies
    assert not list(data.rglob("*.part"))
    # and a 0-byte copy made by an older version is never offered as the last good copy
    (data / "backups").mkdir(exist_ok=True)
    (data / "backups" / "wardbrief-20990101-000000-before-restore.db").write_bytes(b"")
    assert latest_backup(store) is None or latest_backup(store).stat().st_size > 0  # type: ignore[union-attr]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
def test_disk_full_during_import_is_one_plain_sentence(tmp_path: Path) -> None:
    """The store cannot grow past 400 kB (RLIMIT_FSIZE: SQLite's writes fail as on a full disk)."""
    data = tmp_path / "data"
    store = data / "wardbrief.db"
    cli(["import", str(POPULATION)], data)
    before = dump(store)
    result = cli(["import", str(westminster_csv(tmp_path))], data, max_file_bytes=400_000)
    text = plain(result)
    assert result.returncode == 1 and "could not be changed" in text and "full" in text, text
    assert "Check the file opens in Excel" not in text and "report this" not in text
    assert integrity(store) == ["ok"] and dump(store) == before


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
@pytest.mark.skipif(not can_mount_tmpfs(), reason="needs root to mount a small tmpfs in a private namespace")
def test_import_onto_a_really_full_disk(tmp_path: Path) -> None:
    """The data folder on a tmpfs with 64 kB free: SQLite's "database or disk is full" and a log that cannot grow."""
    data = tmp_path / "data"
    cli(["import", str(POPULATION)], data)
    before = dump(data / "wardbrief.db")
    result = cli_on_small_disk(
        ["--data-dir", "{disk}", "import", str(westminster_csv(tmp_path))], data, tmp_path / "after", 64 * 1024
    )
    text = plain(result)
    assert result.returncode == 1 and "the disk is full" in text and "Free some space" in text, text
    assert "Check the file opens in Excel" not in text
    assert (
        integrity(tmp_path / "after" / "wardbrief.db") == ["ok"] and dump(tmp_path / "after" / "wardbrief.db") == before
    )


def _make_read_only(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            path.chmod(0o444)
    folder.chmod(0o555)


@pytest.mark.skipif(not can_make_read_only(), reason="needs setpriv to make files read-only for root")
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not present")
def test_a_read_only_store_is_said_plainly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = data / "wardbrief.db"
    assert cli(["import", str(POPULATION)], data).returncode == 0
    cli(["backup", str(tmp_path / "first.db")], data)  # leaves no -wal/-shm beside the store
    for side in ("wardbrief.db-wal", "wardbrief.db-shm"):
        (data / side).unlink(missing_ok=True)
    before = dump(store)
    shutil.rmtree(data / "logs", ignore_errors=True)
    _make_read_only(data)
    try:
        for args in (["import", str(westminster_csv(tmp_path))], ["sources", "--remove", "1"]):
            result = cli(args, data, read_only_rules=True)
            text = plain(result)
            assert result.returncode == 1 and "read-only" in text, text
            assert "damaged" not in text and "Check the file opens in Excel" not in text
            assert "Check the disk has space" not in text
        backup = cli(["backup", str(tmp_path / "copy.db")], data, read_only_rules=True)
        text = plain(backup)
        assert "Check the disk has space" not in text and "damaged" not in text
        assert backup.returncode == 0 or "read-only" in text, text
    finally:
        data.chmod(0o755)
        for path in data.iterdir():
            path.chmod(0o644)
    assert dump(store) == before


def test_a_data_folder_that_cannot_be_created_is_said_plainly(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should go")
    result = cli(["sources"], blocker / "data")
    text = plain(result)
    assert result.returncode == 1 and "data folder" in text and "--data-dir" in text, text
    if can_make_read_only():
        parent = tmp_path / "locked"
        parent.mkdir()
        parent.chmod(0o555)
        try:
            result = cli(["sources"], parent / "data", read_only_rules=True)
        finally:
            parent.chmod(0o755)
        text = plain(result)
        assert result.returncode == 1 and "permission" in text and "--data-dir" in text, text


def test_backup_to_a_full_disk_keeps_the_earlier_backup(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    seed_store(data / "wardbrief.db")
    target = tmp_path / "backup.db"
    assert cli(["backup", str(target)], data).returncode == 0
    earlier = target.read_bytes()
    seed_store(data / "wardbrief.db", tag="c")  # the store grows: the next backup needs more room
    result = cli(["backup", str(target)], data, max_file_bytes=os.path.getsize(target) - 4096)
    text = plain(result)
    assert result.returncode == 1 and "could not be saved" in text and "full" in text, text
    assert target.read_bytes() == earlier
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]
