"""The store's write lock is taken only for an import's writes, not while it reads and checks the file."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

from desktop.importers import import_file, mps_crime
from desktop.store import open_store
from desktop.store.priorities import Priority, save_priority
from tests.unit.test_import_editions import current_total, edition, months


def _slow_parse(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Patch the Met importer's count parsing (mid-parse) to signal it started and wait for `go`."""
    started, go = threading.Event(), threading.Event()
    real = mps_crime.parse_counts

    def parse_counts(values: Any) -> Any:
        started.set()
        assert go.wait(20), "the test never released the parse"
        return real(values)

    monkeypatch.setattr(mps_crime, "parse_counts", parse_counts)
    return started, go


def _run(db_path: Path, path: Path, out: dict[str, Any]) -> threading.Thread:
    def work() -> None:
        store = open_store(db_path)
        try:
            out["result"] = import_file(store, path)
        finally:
            store.close()

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_another_writer_does_not_wait_while_an_import_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db_path = tmp_path / "wardbrief.db"
    db = open_store(db_path)
    assert import_file(db, edition(tmp_path, "old.csv", months(2023, 1, 12), lambda i, m: 10)).ok
    started, go = _slow_parse(monkeypatch)
    out: dict[str, Any] = {}
    thread = _run(db_path, edition(tmp_path, "new.csv", months(2023, 7, 12), lambda i, m: 20), out)
    try:
        assert started.wait(20)
        t0 = time.perf_counter()
        pid = save_priority(db, Priority(id=None, ward_code="E05013808", title="Shoplifting on Oxford Street"))
        waited = time.perf_counter() - t0
    finally:
        go.set()
        thread.join(30)
    assert waited < 1.0, f"the priority waited {waited:.2f}s for the import's lock"
    assert pid and out["result"].ok, out["result"].message
    assert current_total(db, "2023-12") == 4 * 20  # the newer edition went in whole after the priority
    assert db.execute("SELECT count(*) FROM priority").fetchone()[0] == 1
    db.close()


def test_same_bytes_imported_elsewhere_during_the_parse_is_a_no_op(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = tmp_path / "wardbrief.db"
    db = open_store(db_path)
    path = edition(tmp_path, "a.csv", months(2023, 1, 12), lambda i, m: 10)
    started, go = _slow_parse(monkeypatch)
    out: dict[str, Any] = {}
    thread = _run(db_path, path, out)
    try:
        assert started.wait(20)
        monkeypatch.undo()  # this connection's import parses at full speed
        first = import_file(db, path)
    finally:
        go.set()
        thread.join(30)
    assert first.status == "imported"
    late = out["result"]
    assert late.status == "already imported" and late.source_id == first.source_id
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM crime_count").fetchone()[0] == 4 * 12
    db.close()


def test_a_failed_parse_never_took_the_lock(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202301\nTHEFT,SHOP,W,E05013808,X,-4\n")
    result = import_file(db, path)
    assert not result.ok and not db.conn.in_transaction
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 0
