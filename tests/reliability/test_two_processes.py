"""Guarantee 2, two processes on one store (the window and the CLI, or two windows): no corruption, no lost write,
readers never see half a change, and a writer that cannot get the lock waits (busy_timeout) and then says so in
plain words rather than failing with SQLite's "database is locked"."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desktop.store import BUSY_MESSAGE, BUSY_TIMEOUT_MS, StoreBusy, open_store
from desktop.store.backup import backup_store
from desktop.store.priorities import Priority, list_priorities, save_priority
from tests.reliability.helpers import (
    MET_NEW,
    check_priorities_against_log,
    dump,
    integrity,
    kill_and_collect,
    run_cli,
    seed_store,
    spawn,
    wait_for_line,
)


def test_writer_waits_for_a_short_lock_then_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "wardbrief.db"
    open_store(path).close()
    holder = spawn("hold-lock", str(path), "1.0")
    try:
        wait_for_line(holder, "locked")
        db = open_store(path)  # opening and reading never wait for a writer (WAL)
        start = time.monotonic()
        save_priority(db, Priority(None, "E05013806", "saved once the lock was free"))
        waited = time.monotonic() - start
        db.close()
    finally:
        kill_and_collect(holder)
    assert 0.5 < waited < BUSY_TIMEOUT_MS / 1000
    assert [r[2] for r in dump(path)["priority"]] == ["saved once the lock was free"]


def test_writer_that_cannot_get_the_lock_says_the_store_is_busy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = data / "wardbrief.db"
    seed_store(path)
    backup_store(path, tmp_path / "b.db")
    before = dump(path)
    holder = spawn("hold-lock", str(path), "30")
    try:
        wait_for_line(holder, "locked")
        db = open_store(path)
        assert len(list_priorities(db, "E05013806")) == 3, "reading works while another process writes"
        start = time.monotonic()
        with pytest.raises(StoreBusy) as info:
            save_priority(db, Priority(None, "E05013806", "cannot be saved yet"))
        waited = time.monotonic() - start
        db.close()
        assert str(info.value) == BUSY_MESSAGE + " Try again in a moment."
        assert BUSY_TIMEOUT_MS / 1000 - 0.5 < waited < BUSY_TIMEOUT_MS / 1000 + 3

        done = run_cli(["restore", str(tmp_path / "b.db")], data)  # the CLI, as a second process, meets the same lock
        assert done.returncode == 1
        assert "The store is busy" in done.stderr and "Traceback" not in done.stderr
        assert not list((data / "backups").glob("*before-restore*")), (
            "no misleading copy of a restore that did not happen"
        )
    finally:
        lines = kill_and_collect(holder)
    assert "released" not in lines
    assert integrity(path) == ["ok"]
    assert dump(path) == before, "nothing was written by the writers that gave up, nor by the killed lock holder"


def _two_writers_and_a_reader(tmp_path: Path, per_writer: int, read_seconds: float) -> dict[str, int]:
    path = tmp_path / "wardbrief.db"
    open_store(path).close()
    reader = spawn("reader", str(path), str(read_seconds))
    writers = {
        tag: spawn("priorities", str(path), tag, str(per_writer), str(i)) for i, tag in enumerate(("gui", "cli"))
    }
    logs = {}
    for tag, proc in writers.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
        logs[tag] = out.splitlines()
    out, err = reader.communicate(timeout=300)
    assert reader.returncode == 0, err[-2000:]
    _, reads, _, bad = out.splitlines()[-1].split()
    assert int(bad) == 0, "a reader saw a half-written priority"
    assert integrity(path) == ["ok"]
    for tag, lines in logs.items():
        assert lines[-1] == "done"
        assert not [line for line in lines if line.startswith("busy")], "a writer gave up although the other was quick"
        check_priorities_against_log(path, tag, lines[:-1])
    acked = sum(1 for lines in logs.values() for line in lines if line.startswith("ok "))
    return {"writes": acked, "reads": int(reads)}


def test_two_writers_and_a_reader_quick(tmp_path: Path) -> None:
    stats = _two_writers_and_a_reader(tmp_path, per_writer=300, read_seconds=2)
    assert stats["writes"] == 600 and stats["reads"] > 0


@pytest.mark.slow
def test_two_writers_and_a_reader_long(tmp_path: Path) -> None:
    stats = _two_writers_and_a_reader(tmp_path, per_writer=5000, read_seconds=20)
    print(f"\ntwo writers and a reader (long): {stats}")
    assert stats["writes"] == 10000


def test_import_and_removal_while_another_process_holds_the_lock_say_busy(tmp_path: Path, shared_data: Path) -> None:
    """The importers' transactions meet the same lock: a failed ImportResult / a WardBriefError that says the store
    is busy, not "database is locked" in a generic "could not be read" message, and nothing changes."""
    from desktop.errors import WardBriefError
    from desktop.importers import import_file
    from desktop.importers.sources import remove_source
    from tests.reliability.helpers import head_rows, signature

    path = tmp_path / "wardbrief.db"
    small = head_rows(shared_data / MET_NEW, tmp_path / "met-head.csv", 300)
    db = open_store(path)
    assert import_file(db, small).ok
    sid = db.execute("SELECT id FROM source").fetchone()[0]
    db.close()
    before = signature(path)
    other = head_rows(shared_data / MET_NEW, tmp_path / "met-head-2.csv", 200)
    holder = spawn("hold-lock", str(path), "30")
    try:
        wait_for_line(holder, "locked")
        db = open_store(path)
        result = import_file(db, other)
        assert not result.ok
        assert result.message.startswith(BUSY_MESSAGE), result.message
        with pytest.raises(WardBriefError) as info:
            remove_source(db, sid)
        assert str(info.value).startswith(BUSY_MESSAGE)
        db.close()
    finally:
        kill_and_collect(holder)
    assert signature(path) == before


def test_cli_import_while_the_window_saves_priorities(tmp_path: Path, shared_data: Path) -> None:
    """`wardbrief import` in one process while another (the window) keeps saving priorities: both complete, every
    acknowledged priority edit is there, the import is whole, and the store is intact."""
    from tests.reliability.helpers import head_rows, signature

    data = tmp_path / "data"
    path = data / "wardbrief.db"
    open_store(path).close()
    extract = head_rows(shared_data / MET_NEW, tmp_path / "met-head.csv", 3000)
    window = spawn("priorities", str(path), "gui", "0", "5")
    try:
        wait_for_line(window, "ready")
        done = run_cli(["import", str(extract)], data)
        time.sleep(0.2)
    finally:
        lines = kill_and_collect(window)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = len(extract.read_text(encoding="utf-8").splitlines()) - 1  # about 3,000: the cut ends with a whole ward
    assert f"{rows:,} of {rows:,} rows stored" in done.stdout
    assert integrity(path) == ["ok"]
    busy = [line for line in lines if line.startswith("busy")]
    assert all(BUSY_MESSAGE in line for line in busy)
    check_priorities_against_log(path, "gui", lines)
    assert sum(1 for line in lines if line.startswith("ok ")) > 10, "the window kept saving during the import"
    reference = tmp_path / "reference.db"
    db = open_store(reference)
    from desktop.importers import import_file

    assert import_file(db, extract).ok
    db.close()
    got, want = signature(path), signature(reference)
    for key in want:
        if not key.startswith("priority"):
            assert got[key] == want[key], key
