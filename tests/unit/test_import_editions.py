"""Editions: re-import is a no-op, a newer edition supersedes and keeps history, a partial month never replaces a
complete one, removing a source restores exactly what it superseded."""

from __future__ import annotations

from pathlib import Path

from desktop.importers import import_file, import_files
from desktop.importers.sources import format_sources, list_sources, remove_source
from desktop.months import detect_partial

WARDS = [("E05013808", "West End"), ("E05013806", "St James's")]


def edition(tmp_path: Path, name: str, months: list[str], value, upper: bool = True) -> Path:  # type: ignore[no-untyped-def]
    """A wide Met file: two wards x two categories, count = value(ward_index, month)."""
    cats = [("THEFT", "SHOPLIFTING"), ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY")]
    if not upper:
        cats = [(a.title(), b.title()) for a, b in cats]
    lines = ["MajorText,MinorText,WardName,WardCode,LookUp_BoroughName," + ",".join(months)]
    for i, (code, ward) in enumerate(WARDS):
        for major, minor in cats:
            lines.append(f"{major},{minor},{ward},{code},Westminster," + ",".join(str(value(i, m)) for m in months))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def months(first_year: int, first_month: int, n: int) -> list[str]:
    out = []
    y, m = first_year, first_month
    for _ in range(n):
        out.append(f"{y}{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def current_total(db, month: str) -> int:  # type: ignore[no-untyped-def]
    return int(
        db.execute(
            "SELECT coalesce(sum(count), 0) FROM crime_count WHERE current = 1 AND month = ?", [month]
        ).fetchone()[0]
    )


def test_reimport_same_bytes_is_a_no_op(db, tmp_path: Path) -> None:
    path = edition(tmp_path, "a.csv", months(2023, 1, 12), lambda i, m: 10)
    first = import_file(db, path)
    assert first.status == "imported" and first.rows_stored == 4
    copy = tmp_path / "renamed copy.csv"
    copy.write_bytes(path.read_bytes())
    again = import_file(db, copy)
    assert again.status == "already imported" and again.ok and again.source_id == first.source_id
    assert "nothing changed" in again.summary()
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM crime_count").fetchone()[0] == 4 * 12


def test_newer_edition_supersedes_and_keeps_history_and_removal_restores(db, tmp_path: Path) -> None:
    old = edition(tmp_path, "old.csv", months(2023, 1, 24), lambda i, m: 10)
    new = edition(tmp_path, "new.csv", months(2024, 1, 24), lambda i, m: 20, upper=False)  # revised, Title Case
    r_old, r_new = import_files(db, [old, new])
    assert r_old.ok and r_new.ok
    assert current_total(db, "2023-06") == 40  # only the old edition has it
    assert current_total(db, "2024-06") == 80  # overlap: the newer edition is in force
    assert current_total(db, "2025-06") == 80
    history = db.execute(
        "SELECT count(*), sum(count), min(superseded_by), max(superseded_by) FROM crime_count "
        "WHERE current = 0 AND month = '2024-06'"
    ).fetchone()
    assert history == (4, 40, r_new.source_id, r_new.source_id)
    # one category name per key whatever the case: the editions line up
    assert db.execute("SELECT count(DISTINCT subcategory) FROM crime_count").fetchone()[0] == 2
    assert any("superseded" in w or "revision" in w for w in r_new.warnings)
    listed = {s["id"]: s for s in list_sources(db)}
    assert listed[r_old.source_id]["superseded_figures"] == 4 * 12
    assert "superseded by newer editions" in format_sources(list_sources(db))

    message = remove_source(db, r_new.source_id)
    assert "back in force" in message
    assert current_total(db, "2024-06") == 40
    assert current_total(db, "2025-06") == 0
    assert (
        db.execute("SELECT count(*) FROM crime_count WHERE current = 0 OR superseded_by IS NOT NULL").fetchone()[0] == 0
    )


def test_older_edition_imported_later_does_not_win(db, tmp_path: Path) -> None:
    new = edition(tmp_path, "new.csv", months(2024, 1, 24), lambda i, m: 20)
    old = edition(tmp_path, "old.csv", months(2023, 1, 24), lambda i, m: 10)
    import_files(db, [new, old])
    assert current_total(db, "2024-06") == 80
    assert current_total(db, "2023-06") == 40


def test_partial_month_is_flagged_and_never_replaces_a_complete_one(db, tmp_path: Path) -> None:
    # edition A: complete to 2024-06. Edition B: to 2024-07, whose last month and an overlapping one are partial-low
    a = edition(tmp_path, "a.csv", months(2023, 1, 18), lambda i, m: 50)
    b = edition(
        tmp_path, "b.csv", months(2023, 2, 18), lambda i, m: 5 if m == "202406" else (7 if m == "202407" else 55)
    )
    ra = import_file(db, a)
    rb = import_file(db, b)
    assert ra.partial_months == []
    assert rb.partial_months == ["2024-06", "2024-07"]
    assert "Partial month(s) flagged: Jun 2024, Jul 2024" in rb.summary()
    assert db.execute(
        "SELECT DISTINCT partial FROM crime_count WHERE source_id = ? AND month = '2024-07'", [rb.source_id]
    ).fetchall() == [(1,)]
    assert current_total(db, "2024-06") == 200  # A's complete figure stays in force over B's partial one
    assert current_total(db, "2024-05") == 220  # B's complete revision wins
    assert current_total(db, "2024-07") == 28  # only B has it: partial, but the only figure there is
    listed = {s["id"]: s for s in list_sources(db)}
    assert listed[rb.source_id]["partial_months"] == ["2024-06", "2024-07"]


def test_partial_rule() -> None:
    series = {f"2024-{m:02d}": 100 for m in range(1, 13)} | {"2025-01": 49, "2025-02": 51, "2025-03": 100}
    assert detect_partial(series) == {"2025-01"}
    start = {"2024-01": 10} | {f"2024-{m:02d}": 100 for m in range(2, 13)}
    assert detect_partial(start) == {"2024-01"}  # at the start of a series: judged against the months after it
    assert detect_partial({"2024-01": 1, "2024-02": 100}) == set()  # too few neighbours to judge
    steady = {f"2024-{m:02d}": 100.0 for m in range(1, 13)}
    assert detect_partial({**steady, "2025-01": 79}) == {"2025-01"}  # the newest month is held to 80%
    assert detect_partial({**steady, "2025-01": 81}) == set()
    assert detect_partial({**steady, "2025-01": 60, "2025-02": 100}) == set()  # in the middle, half


def test_policeuk_months_supersede_and_remove(db, tmp_path: Path) -> None:
    head = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    row = "{id},2024-01,Metropolitan Police Service,Metropolitan Police Service,-0.13,51.51,On or near X,E01004763,Westminster 018C,{t},,\n"
    first = tmp_path / "2024-01-metropolitan-street.csv"
    first.write_text(head + row.format(id="a", t="Burglary") + row.format(id="", t="Anti-social behaviour"))
    second = tmp_path / "2024-01-metropolitan-street (re-download).csv"
    second.write_text(
        head
        + "".join(row.format(id=f"b{i}", t="Burglary") for i in range(3))
        + row.format(id="", t="Anti-social behaviour") * 2
    )
    r1, r2 = import_files(db, [first, second])
    assert r1.ok and r2.ok
    ward = db.execute("SELECT ward_code FROM lsoa_ward WHERE lsoa_code = 'E01004763'").fetchone()
    assert ward is None  # the bundled London lookup places it; nothing was written to lsoa_ward
    assert (
        db.execute("SELECT sum(count) FROM crime_count WHERE current = 1 AND taxonomy = 'policeuk'").fetchone()[0] == 3
    )
    assert db.execute("SELECT sum(count) FROM asb_count WHERE current = 1").fetchone()[0] == 2
    remove_source(db, r2.source_id)
    assert db.execute("SELECT sum(count) FROM crime_count WHERE current = 1").fetchone()[0] == 1
    assert db.execute("SELECT sum(count) FROM asb_count WHERE current = 1").fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM street_crime").fetchone()[0] == 1


def test_remove_unknown_source_says_what_to_do(db) -> None:
    import pytest

    from desktop.errors import WardBriefError

    with pytest.raises(WardBriefError, match="wardbrief sources"):
        remove_source(db, 999)


def _indexes(db) -> set[str]:  # type: ignore[no-untyped-def]
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


def test_bulk_load_rebuilds_indexes_and_a_failure_rolls_the_drop_back(db, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop.importers import job

    monkeypatch.setattr(job, "BULK_MIN_ROWS", 1)
    before = _indexes(db)
    assert {"crime_count_key", "crime_count_current", "crime_count_source"} <= before
    bad = edition(tmp_path, "bad.csv", months(2023, 1, 12), lambda i, m: "x" if m == "202305" and i else 3)
    assert not import_file(db, bad).ok
    assert _indexes(db) == before
    good = edition(tmp_path, "good.csv", months(2023, 1, 12), lambda i, m: 3)
    result = import_file(db, good)
    assert result.ok and _indexes(db) == before
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM crime_count WHERE taxonomy = 'mps' AND ward_code = 'E05013808'"
    ).fetchall()
    assert "crime_count_key" in str(plan)


def test_a_single_month_file_is_judged_against_the_store(db, tmp_path: Path) -> None:
    head = "ward_code,ward_name,month,asb_incidents\n"
    for m in range(1, 13):
        path = tmp_path / f"asb-2023-{m:02d}.csv"
        path.write_text(head + f"E05013808,West End,2023-{m:02d},100\nE05013806,St James's,2023-{m:02d},50\n")
        assert import_file(db, path).partial_months == []
    low = tmp_path / "asb-2024-01.csv"
    low.write_text(head + "E05013808,West End,2024-01,30\nE05013806,St James's,2024-01,20\n")
    result = import_file(db, low)
    assert result.partial_months == ["2024-01"]
    # another area's figures do not count as neighbours
    other = tmp_path / "asb-other.csv"
    other.write_text(head + "E05013792,Abbey Road,2024-01,5\n")
    assert import_file(db, other).partial_months == []
