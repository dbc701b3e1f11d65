"""The importers on small real excerpts (tests/data, OGL v3.0): real quirks without ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from desktop.importers import import_file

DATA = Path(__file__).resolve().parents[1] / "data"


def test_both_met_editions_line_up(db) -> None:
    old = import_file(db, DATA / "mps_ward_crime_202009-202208_westminster_excerpt.csv")
    new = import_file(db, DATA / "mps_ward_crime_202307-202506_westminster_excerpt.csv")
    assert old.ok and new.ok, (old.summary(), new.summary())
    for name, result in (("202009-202208", old), ("202307-202506", new)):
        frame = pd.read_csv(DATA / f"mps_ward_crime_{name}_westminster_excerpt.csv")
        months = [c for c in frame.columns if c.isdigit()]
        stored = db.execute("SELECT sum(count) FROM crime_count WHERE source_id = ?", [result.source_id]).fetchone()[0]
        assert stored == int(frame[months].to_numpy().sum())
    # Title Case old names and UPPER CASE new names meet in one canonical form
    cats = {r[0] for r in db.execute("SELECT DISTINCT category FROM crime_count")}
    assert all(c == c.upper() for c in cats)
    # MinorText values with quoted commas are read as one cell (and renamed to the current name)
    assert old.rows_stored == 60
    assert (
        db.execute(
            "SELECT count(*) FROM crime_count WHERE subcategory = 'OTHER OFFENCES PUBLIC ORDER' AND source_id = ?",
            [old.source_id],
        ).fetchone()[0]
        > 0
    )
    # old ward codes kept as given, named from the file
    assert db.execute("SELECT name, borough_name FROM ward WHERE code = 'E05000630'").fetchone() == (
        "Abbey Road",
        "Westminster",
    )


def test_policeuk_excerpt(db) -> None:
    result = import_file(db, DATA / "policeuk_2023-03_city_of_london_street_excerpt.csv")
    assert result.ok
    frame = pd.read_csv(DATA / "policeuk_2023-03_city_of_london_street_excerpt.csv", dtype=str)
    asb = int((frame["Crime type"] == "Anti-social behaviour").sum())
    placed_asb = db.execute("SELECT coalesce(sum(count), 0) FROM asb_count").fetchone()[0]
    crimes = db.execute("SELECT count(*) FROM street_crime").fetchone()[0]
    assert crimes == len(frame) - asb
    counted = db.execute("SELECT sum(count) FROM crime_count").fetchone()[0]
    placed = db.execute("SELECT count(*) FROM street_crime WHERE ward_code IS NOT NULL").fetchone()[0]
    assert counted == placed
    assert placed_asb <= asb


def test_pas_excerpt(db) -> None:
    result = import_file(db, DATA / "pas_dashboard_borough_excerpt.csv")
    assert result.ok, result.summary()
    assert result.rows_stored == 41
    assert db.execute("SELECT count(*) FROM survey_result WHERE area = 'Westminster'").fetchone()[0] == 40
    assert any("stray cell" in w for w in result.warnings)


def test_ward_lookup_and_population_excerpts(db) -> None:
    assert import_file(db, DATA / "ons_ward_to_lad_dec2023_excerpt.csv").ok
    assert import_file(db, DATA / "westminster_2022wards_census2021_pop_DERIVED_bestfit.csv").ok
    rows = db.execute("SELECT borough_name, count(*), sum(population) FROM ward GROUP BY 1 ORDER BY 1").fetchall()
    assert rows == [("Cheshire West and Chester", 1, None), ("Westminster", 18, 204243)]


def test_lfb_excerpt(db) -> None:
    result = import_file(db, DATA / "lfb_incident_records_first20.csv")
    assert result.ok and result.rows_stored == 20
    assert (result.first_month, result.last_month) == ("2009-01", "2009-01")
    assert db.execute("SELECT count(*) FROM fire_incident WHERE borough_name = 'Wandsworth'").fetchone()[0] > 0
