"""Guarantee 1, crash safety, for editing priorities: SIGKILL a process that inserts, edits and deletes priorities
(each with its actions) at seeded random moments. Every time the store must open, pass PRAGMA integrity_check, hold
every acknowledged edit, and hold each priority either wholly at one version or not at all (never a priority with
another version's actions, never orphan actions)."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from desktop.store import open_store
from tests.reliability.helpers import check_priorities_against_log, integrity, kill_and_collect, spawn, wait_for_line

QUICK_TRIALS = 6
LONG_TRIALS = 40


def _kill_loop(tmp_path: Path, trials: int, seed: int) -> dict[str, int]:
    path = tmp_path / "wardbrief.db"
    open_store(path).close()
    rng = random.Random(seed)
    inside = writes = 0
    for trial in range(trials):
        tag = f"t{trial}"
        kept = _stored_all(path, exclude=tag)
        proc = spawn("priorities", str(path), tag, "0", str(seed * 1000 + trial))
        try:
            wait_for_line(proc, "ready")
            time.sleep(rng.uniform(0.01, 0.6))
        finally:
            lines = kill_and_collect(proc)
        assert integrity(path) == ["ok"], f"trial {trial}: integrity check failed"
        open_store(path).close()  # the app opens it (and would refuse a damaged one)
        inside += check_priorities_against_log(path, tag, lines)
        writes += sum(1 for line in lines if line.startswith("ok "))
        assert _stored_all(path, exclude=tag) == kept, "another trial's priorities changed"
    return {"trials": trials, "killed_inside_a_write": inside, "acknowledged_writes": writes}


def _stored_all(path: Path, exclude: str) -> list[tuple[str, int]]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(
            "SELECT p.title, count(a.id) FROM priority p LEFT JOIN priority_action a ON a.priority_id = p.id "
            "WHERE p.title NOT LIKE ? GROUP BY p.id ORDER BY p.id",
            [exclude + "|%"],
        ).fetchall()
    finally:
        conn.close()


def test_kill_while_editing_priorities_quick(tmp_path: Path) -> None:
    stats = _kill_loop(tmp_path, QUICK_TRIALS, seed=71)
    assert stats["acknowledged_writes"] > QUICK_TRIALS
    print(f"\npriorities kill loop (quick): {stats}")


@pytest.mark.slow
def test_kill_while_editing_priorities_long(tmp_path: Path) -> None:
    stats = _kill_loop(tmp_path, LONG_TRIALS, seed=7001)
    print(f"\npriorities kill loop (long): {stats}")
    assert stats["killed_inside_a_write"] >= LONG_TRIALS // 3, "too few kills landed inside a transaction"
