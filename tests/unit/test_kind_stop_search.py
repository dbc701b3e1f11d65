"""police.uk stop and search, the kind added by following docs/extending.md (kinds.py, importers/stop_search.py,
store/schema.py): found by its headings, every search stored with its coordinates, bad rows reported, removable."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop.importers import import_file
from desktop.importers.sources import remove_source
from tests.conftest import TEST_DATA

SAMPLE = TEST_DATA / "policeuk_stop_and_search_2024-01_sample.csv"


def _named(tmp_path: Path) -> Path:
    """The sample under police.uk's own file name, which says the force."""
    path = tmp_path / "2024-01-metropolitan-stop-and-search.csv"
    shutil.copyfile(SAMPLE, path)
    return path


def test_found_by_its_headings_and_stored(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_file(db, _named(tmp_path))
    assert result.ok and result.kind == "policeuk_stop_search", result.message
    assert result.kind_label == "police.uk stop and search"
    assert result.rows_stored == 5 and (result.first_month, result.last_month) == ("2024-01", "2024-01")
    rows = db.execute("SELECT force, date, type, latitude, outcome FROM stop_search ORDER BY date").fetchall()
    assert rows[0] == ("metropolitan", "2024-01-04", "Person search", 51.511941, "A no further action disposal")
    assert rows[3][3] is None  # no coordinates: kept, and said
    assert any("1 searches have no location" in w for w in result.warnings)


def test_a_bad_date_is_a_rejected_row_and_nothing_is_stored(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text(SAMPLE.read_text(encoding="utf-8").replace("2024-01-09T14:02:00+00:00", "soon"), encoding="utf-8")
    result = import_file(db, bad)
    assert not result.ok and [r.column for r in result.rejections] == ["Date"]
    assert db.execute("SELECT count(*) FROM stop_search").fetchone()[0] == 0


def test_removing_the_file_removes_its_searches(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = import_file(db, _named(tmp_path))
    assert result.source_id is not None
    message = remove_source(db, result.source_id)
    assert "5 figures" in message
    assert db.execute("SELECT count(*) FROM stop_search").fetchone()[0] == 0


def test_a_row_with_half_its_coordinates_imports_unplaced(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Found by the fuzzer: a latitude without a longitude crashed ward placement (float(None))."""
    lines = _named(tmp_path).read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[5] = ""  # Longitude
    lines[1] = ",".join(cells)
    half = tmp_path / "stop-and-search-half.csv"
    half.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(db, half)
    assert result.ok, result.summary()
    row = db.execute("SELECT latitude, longitude, ward_code FROM stop_search ORDER BY id LIMIT 1").fetchone()
    assert row[1] is None and row[2] is None
