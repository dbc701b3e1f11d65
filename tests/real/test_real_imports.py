"""Every real extract in ../shared/data imported, checked against sums computed independently with pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from desktop.importers import import_file
from desktop.importers.sources import list_sources, remove_source

pytestmark = pytest.mark.real
NEW = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
OLD = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202009-202208.csv"
WESTMINSTER = [f"E05013{n}" for n in range(792, 810)]


def _month_cols(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.isdigit()]


def test_every_file_imports(db, shared_data: Path) -> None:
    files = sorted(p for p in shared_data.rglob("*.csv"))
    assert len(files) >= 12
    for path in files:
        result = import_file(db, path)
        if "Mobilisation" in path.name:
            assert result.status == "not needed" and "Incident Records" in result.message  # a calm note
            continue
        assert result.ok, result.summary()
        assert result.rows_rejected == 0 and result.rows_stored > 0, result.summary()
    assert len(list_sources(db)) == len(files) - 1
    # same bytes again: nothing changes
    before = db.execute("SELECT count(*) FROM crime_count").fetchone()[0]
    assert all(import_file(db, p).status == "already imported" for p in files if "Mobilisation" not in p.name)
    assert db.execute("SELECT count(*) FROM crime_count").fetchone()[0] == before


def test_westminster_r12_of_the_real_edition(db, shared_data: Path) -> None:
    result = import_file(db, shared_data / NEW)
    assert result.ok and (result.first_month, result.last_month) == ("2023-07", "2025-06")
    frame = pd.read_csv(shared_data / NEW)
    r12_cols = [c for c in _month_cols(frame) if "202407" <= c <= "202506"]
    expected = int(frame[frame.WardCode.isin(WESTMINSTER)][r12_cols].to_numpy().sum())
    got = db.execute(
        f"SELECT sum(count) FROM crime_count WHERE current = 1 AND month BETWEEN '2024-07' AND '2025-06' "
        f"AND ward_code IN ({','.join('?' * len(WESTMINSTER))})",
        WESTMINSTER,
    ).fetchone()[0]
    assert got == expected and expected > 50_000
    assert db.execute("SELECT sum(count) FROM crime_count").fetchone()[0] == int(
        frame[_month_cols(frame)].to_numpy().sum()
    )
    wards = db.execute("SELECT count(*) FROM ward WHERE borough_name = 'Westminster'").fetchone()[0]
    assert wards == 18
    assert db.execute("SELECT borough_name FROM ward WHERE code = 'E05013570'").fetchone() == ("Hillingdon",)
    assert any("Aviation Security (SO18)" in w for w in result.warnings)
    # the burglary rename inside the window: both rows land on one current category, nothing double counted
    resid = frame[frame.MinorText.isin(["BURGLARY IN A DWELLING", "BURGLARY - RESIDENTIAL"])][_month_cols(frame)]
    got_resid = db.execute("SELECT sum(count) FROM crime_count WHERE subcategory = 'BURGLARY - RESIDENTIAL'").fetchone()
    assert got_resid[0] == int(resid.to_numpy().sum())


def test_old_edition_totals(db, shared_data: Path) -> None:
    result = import_file(db, shared_data / OLD)
    frame = pd.read_csv(shared_data / OLD)
    assert result.ok and result.rows_stored == len(frame) == 22_168
    assert db.execute("SELECT sum(count) FROM crime_count").fetchone()[0] == int(
        frame[_month_cols(frame)].to_numpy().sum()
    )
    old_wm = frame[frame.LookUp_BoroughName == "Westminster"].WardCode.nunique()
    assert old_wm == 20
    assert db.execute("SELECT count(*) FROM ward WHERE code BETWEEN 'E05000630' AND 'E05000649'").fetchone()[0] == 20


def _edition(frame: pd.DataFrame, months: list[str], path: Path, bump: int = 0) -> Path:
    cols = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]
    part = frame[cols + months].copy()
    if bump:
        part[months] = part[months] + bump
    part.to_csv(path, index=False)
    return path


def test_overlapping_real_editions_supersede_keep_history_and_removal_restores(
    db, shared_data: Path, tmp_path: Path
) -> None:
    frame = pd.read_csv(shared_data / NEW)
    frame = frame[frame.LookUp_BoroughName == "Westminster"]
    months = _month_cols(frame)
    first = _edition(frame, months[:15], tmp_path / "edition-a.csv")  # 202307..202409
    second = _edition(frame, months[6:], tmp_path / "edition-b.csv", bump=1)  # 202401..202506, revised (+1)
    a = import_file(db, first)
    b = import_file(db, second)
    assert a.ok and b.ok
    n_rows = len(frame)

    def current(month: str) -> int:
        return int(
            db.execute("SELECT sum(count) FROM crime_count WHERE current = 1 AND month = ?", [month]).fetchone()[0]
        )

    def expected(month: str, bump: int = 0) -> int:
        return int(frame[month.replace("-", "")].sum()) + bump * n_rows

    assert current("2023-08") == expected("2023-08")  # only A
    assert current("2024-03") == expected("2024-03", 1)  # both: B (newer) in force
    history = db.execute(
        "SELECT count(*), sum(count) FROM crime_count WHERE current = 0 AND superseded_by = ?", [b.source_id]
    ).fetchone()
    overlap = [m for m in months[6:15]]
    assert history[0] > 0 and history[1] == int(frame[overlap].to_numpy().sum())
    remove_source(db, b.source_id)
    assert current("2024-03") == expected("2024-03")
    assert db.execute("SELECT count(*) FROM crime_count WHERE month > '2024-09'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM crime_count WHERE current = 0").fetchone()[0] == 0


def test_real_partial_month_flagged(db, shared_data: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(shared_data / NEW)
    months = _month_cols(frame)
    frame[months[-1]] = frame[months[-1]] // 4  # the last month published a week in
    result = import_file(db, _edition(frame, months, tmp_path / "partial.csv"))
    assert result.ok and result.partial_months == ["2025-06"]
    assert db.execute("SELECT DISTINCT partial FROM crime_count WHERE month = '2025-06'").fetchall() == [(1,)]


def test_policeuk_totals(db, shared_data: Path) -> None:
    from desktop.importers.wards import lsoa_to_ward

    for name in ("2023-03-city-of-london-street.csv", "2024-01-metropolitan-street.BURGLARY-ONLY.csv"):
        path = shared_data / "policeuk" / name
        result = import_file(db, path)
        assert result.ok
        frame = pd.read_csv(path, dtype=str)
        lookup = lsoa_to_ward(db)
        frame["ward"] = frame["LSOA code"].map(lookup)
        asb = frame["Crime type"] == "Anti-social behaviour"
        crimes = db.execute("SELECT sum(count) FROM crime_count WHERE source_id = ?", [result.source_id]).fetchone()[0]
        assert crimes == int((frame.ward.notna() & ~asb).sum())
        asb_n = db.execute(
            "SELECT coalesce(sum(count), 0) FROM asb_count WHERE source_id = ?", [result.source_id]
        ).fetchone()[0]
        assert asb_n == int((frame.ward.notna() & asb).sum())
        assert result.rows_stored == len(frame)
        assert any(f"{int(frame['LSOA code'].isna().sum())} rows have no location" in w for w in result.warnings)
    wm = db.execute(
        "SELECT count(*) FROM street_crime s JOIN ward w ON w.code = s.ward_code "
        "WHERE w.borough_name = 'Westminster' AND s.month = '2024-01'"
    ).fetchone()[0]
    assert wm == 282  # shared/data README: 282 street rows in Westminster LSOAs


def test_pas_real(db, shared_data: Path) -> None:
    path = shared_data / "pas" / "PAS_Dashboard_Borough.csv"
    result = import_file(db, path)
    assert result.ok and result.rows_stored == 9312
    frame = pd.read_csv(path, dtype=str, decimal=",")
    wm = frame[(frame.Borough == "City of Westminster") & (frame.Measure == "Trust MPS")]
    got = db.execute(
        "SELECT period_end, value FROM survey_result WHERE area = 'Westminster' AND measure = 'trust the MPS' "
        "ORDER BY period_end"
    ).fetchall()
    want = sorted(
        (pd.to_datetime(d, dayfirst=True).strftime("%Y-%m-%d"), float(v.replace(",", ".")))
        for d, v in zip(wm.Date, wm.Proportion, strict=True)
    )
    assert got == want


def test_populations_real(db, shared_data: Path) -> None:
    result = import_file(db, shared_data / "populations" / "census2021_usual_residents_by_age6_lsoa21_westminster.csv")
    assert result.ok
    derived = pd.read_csv(shared_data / "populations" / "westminster_2022wards_census2021_pop_DERIVED_bestfit.csv")
    got = dict(db.execute("SELECT code, population FROM ward WHERE population IS NOT NULL").fetchall())
    assert got == dict(zip(derived.ward_code, derived.usual_residents_2021_census_bestfit_lsoa_sum, strict=True))
    assert sum(got.values()) == 204_243


def test_lookups_real(db, shared_data: Path) -> None:
    ons = shared_data / "ons"
    r1 = import_file(db, ons / "Ward_to_Local_Authority_District_(December_2023)_Lookup_in_the_United_Kingdom.csv")
    r2 = import_file(db, ons / "LSOA_(2021)_to_Electoral_Ward_(2025)_to_LAD_(2025)_Best_Fit_Lookup_in_EW_v2.csv")
    assert r1.ok and r2.ok
    assert db.execute("SELECT count(*) FROM lsoa_ward").fetchone()[0] == 35_672
    named = db.execute("SELECT borough_name FROM ward WHERE name = 'Westminster'").fetchall()
    assert ("Cheshire West and Chester",) in named
    assert db.execute("SELECT count(*) FROM ward WHERE borough_code = 'E09000033'").fetchone()[0] == 18
