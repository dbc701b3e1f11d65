"""Guarantee 7, recovery: backup and restore round-trip everything (priorities included), refuse what is not a
WardBrief store without touching the current one, and a failed migration leaves a copy the app says how to restore."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.store import StoreError, open_store, schema
from desktop.store.backup import backup_store, restore_store
from desktop.store.priorities import Priority, delete_priority, list_priorities, save_priority
from tests.reliability.helpers import dump, integrity, run_cli, seed_store


def _store(data_dir: Path) -> Path:
    return data_dir / "wardbrief.db"


def _change_everything(path: Path) -> None:
    """Edits after a backup: a new priority, a deleted one, an edited one, a removed source."""
    db = open_store(path)
    try:
        prios = list_priorities(db, "E05013806")
        delete_priority(db, prios[0].id or 0)
        prios[1].title = "Edited after the backup"
        prios[1].actions = []
        save_priority(db, prios[1])
        save_priority(db, Priority(None, "E05013806", "Added after the backup"))
        with db.atomic():
            db.execute("DELETE FROM source WHERE sha256 = 'sha-a'")
    finally:
        db.close()


def test_cli_backup_and_restore_round_trip_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    seed_store(_store(data))
    before = dump(_store(data))
    assert before["priority"] and before["priority_action"] and before["crime_count"]

    backup = tmp_path / "usb" / "westminster.db"
    backup.parent.mkdir()
    assert main(["--data-dir", str(data), "backup", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "3 panel priorities with 6 actions" in out and str(backup) in out
    assert not Path(str(backup) + "-wal").exists(), "a backup is one self-contained file"
    assert integrity(backup) == ["ok"]
    assert sqlite3.connect(backup).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert dump(backup) == before

    _change_everything(_store(data))
    changed = dump(_store(data))
    assert changed != before

    assert main(["--data-dir", str(data), "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert "Restored the store" in out
    assert dump(_store(data)) == before, "restore brings back every row of every table, priorities included"
    assert integrity(_store(data)) == ["ok"]

    # The store it replaced was kept aside, and the message says how to go back to it.
    aside = Path(re.search(r'wardbrief restore "([^"]+)"', out).group(1))  # type: ignore[union-attr]
    assert aside.parent == data / "backups" and aside.name.endswith("-before-restore.db")
    assert dump(aside) == changed
    assert main(["--data-dir", str(data), "restore", str(aside)]) == 0
    assert dump(_store(data)) == changed, "undoing a restore works the same way"


def test_backup_and_restore_in_child_processes(tmp_path: Path) -> None:
    """The real `wardbrief` command line, in its own process, as a user runs it."""
    data = tmp_path / "data"
    seed_store(_store(data), n_priorities=5)
    before = dump(_store(data))
    folder = tmp_path / "backups-here"
    folder.mkdir()
    done = run_cli(["backup", str(folder)], data)
    assert done.returncode == 0, done.stderr
    (written,) = list(folder.glob("wardbrief-backup-*.db"))
    _change_everything(_store(data))
    done = run_cli(["restore", str(written)], data)
    assert done.returncode == 0, done.stderr
    assert dump(_store(data)) == before


def test_backup_sees_only_committed_work_while_another_connection_writes(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    seed_store(path)
    committed = dump(path)
    other = open_store(path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO priority (ward_code, title) VALUES ('E05013806', 'uncommitted')")
    try:
        backup_store(path, tmp_path / "b.db")  # readers never wait for a writer in WAL mode
    finally:
        other.conn.rollback()
        other.close()
    assert dump(tmp_path / "b.db") == committed


def test_restore_is_seen_by_a_window_that_has_the_store_open(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    seed_store(path, tag="old")
    backup_store(path, tmp_path / "old.db")
    open_window = open_store(path)  # e.g. the GUI, holding its connection
    try:
        save_priority(open_window, Priority(None, "E05013806", "made after the backup"))
        restore_store(tmp_path / "old.db", path)
        titles = [p.title for p in list_priorities(open_window, "E05013806")]
        assert "made after the backup" not in titles and len(titles) == 3
        save_priority(open_window, Priority(None, "E05013806", "the window keeps working"))
    finally:
        open_window.close()
    assert integrity(path) == ["ok"]
    assert len(dump(path)["priority"]) == 4


def _damaged_copy(good: Path, target: Path) -> None:
    data = bytearray(good.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):
        data[offset : offset + 300] = b"\xa5" * 300
    target.write_bytes(bytes(data))


def _newer_version_copy(good: Path, target: Path) -> None:
    target.write_bytes(good.read_bytes())
    conn = sqlite3.connect(target)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('wardbrief', 'm099_future', 'x')"
    )
    conn.commit()
    conn.close()


def _foreign_sqlite(good: Path, target: Path) -> None:
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda good, t: t.write_text("MajorText,MinorText\nTHEFT,x\n"), "not an SQLite database"),
        (lambda good, t: t.write_bytes(b""), "not an SQLite database"),
        (lambda good, t: t.write_bytes(good.read_bytes()[:5000]), "not a WardBrief backup"),
        (_damaged_copy, "damaged"),
        (_foreign_sqlite, "does not hold WardBrief's tables"),
        (_newer_version_copy, "newer version of WardBrief"),
    ],
    ids=["csv", "empty", "truncated", "damaged", "foreign-sqlite", "newer-version"],
)
def test_restore_refuses_what_is_not_a_good_store_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make, expected: str
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    seed_store(_store(data))
    good = tmp_path / "good.db"
    backup_store(_store(data), good)
    seed_store(_store(data), tag="b")  # the current store differs from the good backup
    current = dump(_store(data))
    bad = tmp_path / "bad.db"
    make(good, bad)
    bad_bytes = bad.read_bytes()

    assert main(["--data-dir", str(data), "restore", str(bad)]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert "has not been changed" in err
    assert dump(_store(data)) == current
    assert bad.read_bytes() == bad_bytes, "the file being restored is only read"
    assert not list(data.glob(".*restoring*")), "no staging file is left behind"


def test_restore_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "restore", str(tmp_path / "nope.db")]) == 1
    assert "There is no file" in capsys.readouterr().err


def test_backup_with_no_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "backup", str(tmp_path / "b.db")]) == 1
    assert "nothing to back up" in capsys.readouterr().err
    assert not (tmp_path / "b.db").exists()


def test_backup_to_a_missing_folder_or_onto_the_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    seed_store(path)
    with pytest.raises(StoreError, match="does not exist"):
        backup_store(path, tmp_path / "no" / "such" / "b.db")
    with pytest.raises(StoreError, match="the store itself"):
        backup_store(path, path)
    with pytest.raises(StoreError, match="the store itself"):
        restore_store(path, path)


def test_restore_into_a_fresh_data_folder(tmp_path: Path) -> None:
    seed_store(tmp_path / "old" / "wardbrief.db")
    backup_store(tmp_path / "old" / "wardbrief.db", tmp_path / "b.db")
    message = restore_store(tmp_path / "b.db", tmp_path / "new" / "wardbrief.db")
    assert "kept as" not in message, "nothing to keep aside"
    assert dump(tmp_path / "new" / "wardbrief.db") == dump(tmp_path / "b.db")


def test_restore_over_a_damaged_store_keeps_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    seed_store(path)
    backup_store(path, tmp_path / "b.db")
    db = open_store(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    _damaged_copy(path, path)
    damaged = path.read_bytes()
    with pytest.raises(StoreError, match="damaged"):
        open_store(path)
    message = restore_store(tmp_path / "b.db", path)
    (aside,) = list((tmp_path / "backups").glob("*-before-restore.db"))
    assert aside.read_bytes() == damaged and str(aside) in message
    open_store(path).close()
    assert dump(path) == dump(tmp_path / "b.db")


def _register(monkeypatch: pytest.MonkeyPatch, name: str, fn, transactional: bool = True) -> None:  # type: ignore[no-untyped-def]
    extra = schema.migrations._Migration(name, fn, transactional)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, extra])


def test_restore_of_an_older_backup_brings_it_up_to_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wardbrief.db"
    seed_store(path)
    backup_store(path, tmp_path / "old-version.db")

    def m002_ward_note(db):  # type: ignore[no-untyped-def]
        db.execute("ALTER TABLE ward ADD COLUMN note TEXT")

    _register(monkeypatch, "m002_ward_note", m002_ward_note)
    open_store(path).close()  # this version migrates the live store
    restore_store(tmp_path / "old-version.db", path)
    db = open_store(path)
    assert "note" in db["ward"].columns_dict
    assert len(list_priorities(db, "E05013806")) == 3
    db.close()


def test_failed_migration_leaves_a_copy_and_the_message_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """End to end: a migration that fails half-way (one that cannot run in a transaction) loses the priorities; the
    app's message names the copy taken before it and the exact command; running that command brings them back."""
    data = tmp_path / "data"
    seed_store(_store(data))
    before = dump(_store(data))

    def m002_half_done(db):  # type: ignore[no-untyped-def]
        db.execute("DROP TABLE priority_action")
        raise RuntimeError("disk full")

    _register(monkeypatch, "m002_half_done", m002_half_done, transactional=False)
    assert main(["--data-dir", str(data), "wards"]) == 1
    err = capsys.readouterr().err
    assert "failed (disk full)" in err and "Traceback" not in err
    copy = Path(re.search(r'wardbrief restore "([^"]+)"', err).group(1))  # type: ignore[union-attr]
    assert copy.exists() and copy.parent == data / "backups" and "before-m002_half_done" in copy.name
    assert "priority_action" not in dump(_store(data)), "the failed migration did damage the store"

    monkeypatch.undo()  # the user installs the fixed version, then runs the command the message gave
    assert main(["--data-dir", str(data), "restore", str(copy)]) == 0
    capsys.readouterr()
    assert dump(_store(data)) == before


def test_window_back_up_and_restore_round_trip(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """File > Back up and File > Restore in the window (dialogs answered by the test): the same round trip."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from desktop import paths
    from tests.gui._pages import close_window, open_window, wait_idle

    seed_store(paths.store_path())
    before = dump(paths.store_path())
    window = open_window(qtbot)
    try:
        target = tmp_path / "window-backup.db"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        window.backup_store()
        wait_idle(qtbot, window)
        assert dump(target) == before
        assert "Backed up the store" in window.banner.message()

        _change_everything(paths.store_path())
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        window.restore_store()
        wait_idle(qtbot, window)
        assert "Restored the store" in window.banner.message(), window.banner.message()
        assert dump(paths.store_path()) == before
    finally:
        close_window(qtbot, window)
