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
