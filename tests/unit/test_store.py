from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import StoreError, applied_migrations, open_store, schema
from desktop.store.priorities import Action, Priority, list_priorities, save_priority

MIGRATIONS = ["m001_initial", "m002_generation", "m003_series_and_coverage", "m004_stop_search", "m005_boundary"]


def test_migrations_on_empty_db_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = open_store(path)
    assert applied_migrations(db) == MIGRATIONS
    for table in ("source", "ward", "crime_count", "survey_result", "priority", "priority_action"):
        assert table in db.table_names()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    db.execute("INSERT INTO ward (code, name) VALUES ('E05000001', 'Test')")
    db.conn.commit()
    db.close()
    again = open_store(path)
    assert applied_migrations(again) == MIGRATIONS
    assert again.execute("SELECT name FROM ward").fetchone()[0] == "Test"
    assert not (tmp_path / "backups").exists(), "no migration ran, so no backup is needed"


def test_backup_taken_before_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    db = open_store(path)
    db.execute("INSERT INTO ward (code, name) VALUES ('E05000001', 'Kept')")
    db.conn.commit()
    db.close()

    def m002_add_column(db):  # type: ignore[no-untyped-def]
        db.execute("ALTER TABLE ward ADD COLUMN note TEXT")

    extra = schema.migrations._Migration("m002_add_column", m002_add_column)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, extra])
    db = open_store(path)
    assert "note" in db["ward"].columns_dict
    copies = list((tmp_path / "backups").glob("s-*-before-m002_add_column.db"))
    assert len(copies) == 1
    old = sqlite3.connect(copies[0])
    assert old.execute("SELECT name FROM ward").fetchone()[0] == "Kept"
    assert "note" not in [r[1] for r in old.execute("PRAGMA table_info(ward)")]


def test_failed_migration_points_at_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.db"
    open_store(path).close()

    def m002_broken(db):  # type: ignore[no-untyped-def]
        db.execute("ALTER TABLE no_such_table ADD COLUMN x TEXT")

    extra = schema.migrations._Migration("m002_broken", m002_broken)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, extra])
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "wardbrief restore" in str(info.value)
    assert list((tmp_path / "backups").glob("*.db"))


def test_corrupt_file_refused_and_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    garbage = b"this is not a database at all" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "not an SQLite database" in info.value.message
    assert path.read_bytes() == garbage


def test_damaged_pages_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    db = open_store(path)
    db.execute("CREATE TABLE filler (x TEXT)")
    db.conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 2000)
    db.conn.commit()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(path.read_bytes())
    for offset in range(8192, len(data) - 4096, 4096):  # scribble over page contents, keep the header
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        open_store(path)
    assert "damaged" in info.value.message or "not an SQLite" in info.value.message
    assert path.read_bytes() == before


def test_priorities_round_trip(db) -> None:  # type: ignore[no-untyped-def]
    prio = Priority(None, "E05013806", "Phone snatching on Oxford Street", theme="theft", set_on="2025-04-01")
    prio.actions = [Action(None, "High-visibility patrols at peak times", owner="SNT", due="2025-06-30")]
    pid = save_priority(db, prio)
    got = list_priorities(db, "E05013806")
    assert [p.title for p in got] == ["Phone snatching on Oxford Street"]
    assert got[0].actions[0].owner == "SNT"
    got[0].status = "closed"
    got[0].actions = []
    save_priority(db, got[0])
    again = list_priorities(db, "E05013806")
    assert again[0].id == pid and again[0].status == "closed" and again[0].actions == []
    assert list_priorities(db, "E05013806", include_closed=False) == []


def test_m003_gives_older_figures_their_force_and_coverage(tmp_path: Path) -> None:
    """A store from before m003: police.uk rows take their file's force, and each file's months become coverage
    rows (every type for a whole month and for the Met's ward files, the list of types for a police.uk file
    filtered by type)."""
    import sqlite3

    from sqlite_utils import Database

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(path))
    schema.migrations.apply(db, stop_before="m003_series_and_coverage")
    db.execute(
        "INSERT INTO source (id, kind, series, file_name, sha256, imported_at) VALUES "
        "(1, 'policeuk_street', 'policeuk-street:City of London Police', 'a.csv', 'x', '2026-01-01'), "
        "(2, 'mps_crime', 'mps-ward-crime', 'b.csv', 'y', '2026-01-01'), "
        "(3, 'policeuk_street', 'policeuk-street:Metropolitan Police Service', 'c.csv', 'z', '2026-01-01')"
    )
    rows = [(1, "E05000001", "2023-03", "policeuk", f"TYPE {i}", 2) for i in range(8)]
    rows += [(2, "E05000001", "2023-03", "mps", "BURGLARY", 5), (3, "E05000001", "2023-04", "policeuk", "BURGLARY", 3)]
    db.conn.executemany(
        "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, count) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.commit()
    db.conn.close()
    db = open_store(path)
    forces = dict(db.execute("SELECT DISTINCT source_id, series FROM crime_count").fetchall())
    assert forces == {1: "City of London Police", 2: "", 3: "Metropolitan Police Service"}
    coverage = db.execute(
        "SELECT source_id, taxonomy, series, month, total, types FROM source_month ORDER BY 1"
    ).fetchall()
    assert coverage == [
        (1, "policeuk", "City of London Police", "2023-03", 16, "*"),
        (2, "mps", "", "2023-03", 5, "*"),
        (3, "policeuk", "Metropolitan Police Service", "2023-04", 3, '["BURGLARY"]'),
    ]
    db.close()
