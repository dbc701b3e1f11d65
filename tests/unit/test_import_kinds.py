"""Each kind's own rules: surveys template, PAS quirks, LFB, the long crime layout (streamed), priorities,
populations and lookups matched by code."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.importers import import_file
from desktop.importers.sources import remove_source
from desktop.store.measures import PAS_MEASURES, USS_MEASURES, VCOP_RIGHTS, canonical_measure

SURVEY_HEAD = "survey,area_type,area,period_end,measure,base_n,value,positives\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_measure_lists() -> None:
    assert len(VCOP_RIGHTS) == 12 and len(USS_MEASURES) == 5 and len(PAS_MEASURES) == 9
    assert canonical_measure("PAS", '"Good Job" local') == "good job locally"
    assert canonical_measure("PAS", "Trust MPS") == "trust the MPS"
    assert canonical_measure("PAS", "Understand issues") == "understand the issues that affect this community"
    assert canonical_measure("PAS", "Deal with what matters") == "deal with what matters to the community"
    assert canonical_measure("VCOP", "Make a victim personal statement") == "make a Victim Personal Statement"
    assert canonical_measure("USS", "Overall Satisfaction") == "overall satisfaction"
    assert canonical_measure("USS", "trust the MPS") is None


def test_survey_values_in_every_form(db, tmp_path: Path) -> None:
    text = SURVEY_HEAD + (
        "USS,BCU,Central West,2024-03-31,Overall satisfaction,400,0.65,\n"
        "USS,BCU,Central West,31/03/2024,Treatment,400,81,\n"
        "VCOP,borough,City of Westminster,2024-03,make a Victim Personal Statement,,58%,\n"
        "VCOP,ward,e05013808,2024-03-31,information about compensation,120,,16\n"
        'PAS,London,London,2024-03-31,trust the MPS,,"0,77",\n'
    )
    result = import_file(db, write(tmp_path, "surveys.csv", text))
    assert result.ok, result.summary()
    got = db.execute(
        "SELECT survey, area_type, area, period_end, measure, base_n, round(value, 4) FROM survey_result ORDER BY id"
    ).fetchall()
    assert got == [
        ("USS", "BCU", "Central West", "2024-03-31", "overall satisfaction", 400, 0.65),
        ("USS", "BCU", "Central West", "2024-03-31", "treatment", 400, 0.81),
        ("VCOP", "borough", "Westminster", "2024-03-31", "make a Victim Personal Statement", None, 0.58),
        ("VCOP", "ward", "E05013808", "2024-03-31", "information about compensation", 120, round(16 / 120, 4)),
        ("PAS", "London", "London", "2024-03-31", "trust the MPS", None, 0.77),
    ]


def test_unknown_measure_is_rejected_with_the_valid_list(db, tmp_path: Path) -> None:
    text = SURVEY_HEAD + "USS,BCU,Central West,2024-03-31,Happiness,400,0.65,\n"
    result = import_file(db, write(tmp_path, "s.csv", text))
    assert not result.ok
    reason = str(result.rejections[0])
    assert "Happiness" in reason and "ease of contact" in reason and "overall satisfaction" in reason


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("USS,BCU,Central West,2024-03-31,Treatment,400,1.7%x,", "value"),
        ("USS,BCU,Central West,2024-03-31,Treatment,400,,", "value"),
        ("USS,BCU,Central West,2024-03-31,Treatment,10,,12", "positives"),
        ("USS,region,Central West,2024-03-31,Treatment,10,0.5,", "area_type"),
        ("XYZ,BCU,Central West,2024-03-31,Treatment,10,0.5,", "survey"),
        ("USS,ward,E05999999,2024-03-31,Treatment,10,0.5,", "area"),
        ("USS,BCU,Central West,2099-03-31,Treatment,10,0.5,", "period_end"),
        ("USS,BCU,Central West,someday,Treatment,10,0.5,", "period_end"),
        ("USS,BCU,Central West,2024-03-31,Treatment,many,0.5,", "base_n"),
    ],
)
def test_survey_bad_cells(db, tmp_path: Path, row: str, column: str) -> None:
    result = import_file(db, write(tmp_path, "s.csv", SURVEY_HEAD + row + "\n"))
    assert not result.ok and result.rejections[0].column == column, result.summary()
    assert db.execute("SELECT count(*) FROM source").fetchone()[0] == 0


def test_pas_quirks(db, tmp_path: Path) -> None:
    text = (
        "Date,Survey,Borough,Measure,Proportion,MPS,,,,\n"
        '31/12/2023,PAS,City of Westminster,"""Good Job"" local","0,56","0,67",,,,\n'
        '31/12/2023,PAS,Richmond Upon Thames,Trust MPS,"0,80","0,73",,,,\n'
        '31/3/2024,PAS,Camden,Contact ward officer,"0,10","0,12",,,Trust,"0,71"\n'
    )
    result = import_file(db, write(tmp_path, "pas.csv", text))
    assert result.ok, result.summary()
    rows = db.execute("SELECT area_type, area, period_end, measure, value FROM survey_result ORDER BY id").fetchall()
    assert ("borough", "Westminster", "2023-12-31", "good job locally", 0.56) in rows
    assert ("borough", "Richmond upon Thames", "2023-12-31", "trust the MPS", 0.8) in rows
    assert ("London", "London", "2024-03-31", "know how to contact ward officer", 0.12) in rows
    assert any("stray cell" in w for w in result.warnings)


LFB_HEAD = "IncidentNumber,DateOfCall,IncidentGroup,StopCodeDescription,PropertyCategory,IncGeo_BoroughName,IncGeo_WardCode,IncGeo_WardNameNew,FirstPumpArriving_AttendanceTime\n"


def test_lfb_dates_and_resupply(db, tmp_path: Path) -> None:
    first = (
        LFB_HEAD + "1,01 Jan 2024,False Alarm,AFA,Non Residential,WESTMINSTER,E05013808,West End,300\n"
        "2,02/01/2024,Fire,Primary Fire,Dwelling,WESTMINSTER,E05013808,West End,\n"
    )
    second = (
        LFB_HEAD + "2,02/01/2024,Fire,Secondary Fire,Outdoor,WESTMINSTER,E05013808,West End,250\n"
        "3,05/02/2024,Special Service,Special Service,Road Vehicle,WESTMINSTER,,,\n"
    )
    r1 = import_file(db, write(tmp_path, "lfb1.csv", first))
    r2 = import_file(db, write(tmp_path, "lfb2.csv", second))
    assert r1.ok and r2.ok, (r1.summary(), r2.summary())
    assert any("no ward code" in w for w in r2.warnings)
    cur = db.execute(
        "SELECT incident_number, date, stop_code, borough_name, attendance_seconds FROM fire_incident "
        "WHERE current = 1 ORDER BY incident_number"
    ).fetchall()
    assert cur == [
        ("1", "2024-01-01", "AFA", "Westminster", 300.0),
        ("2", "2024-01-02", "Secondary Fire", "Westminster", 250.0),
        ("3", "2024-02-05", "Special Service", "Westminster", None),
    ]
    remove_source(db, r2.source_id)
    assert db.execute("SELECT stop_code FROM fire_incident WHERE incident_number = '2' AND current = 1").fetchone() == (
        "Primary Fire",
    )


def test_lfb_duplicate_incident_rejected(db, tmp_path: Path) -> None:
    text = LFB_HEAD + "7,01 Jan 2024,Fire,Primary Fire,Dwelling,WESTMINSTER,E05013808,West End,300\n" * 2
    result = import_file(db, write(tmp_path, "lfb.csv", text))
    assert not result.ok and "incident number" in str(result.rejections[0])


def test_long_crime_layout_streams_in_parts(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.importers import detect

    monkeypatch.setattr(detect, "CHUNK_ROWS", 7)  # many small parts: state must carry across them
    lines = ["ward_code,ward_name,borough_name,month,category,subcategory,count"]
    total = 0
    for m in range(1, 13):
        for code, name in (("E05013808", "West End"), ("E05013806", "St James's")):
            for cat, sub in (("Theft", "Shoplifting"), ("THEFT", "Theft from Person")):
                n = m + len(sub)
                total += n
                lines.append(f"{code},{name},Westminster,2024-{m:02d},{cat},{sub},{n}")
    path = write(tmp_path, "long.csv", "\n".join(lines) + "\n")
    result = import_file(db, path)
    assert result.ok, result.summary()
    assert result.rows_stored == 48 and db.execute("SELECT sum(count) FROM crime_count").fetchone()[0] == total
    assert db.execute("SELECT DISTINCT subcategory FROM crime_count ORDER BY 1").fetchall() == [
        ("SHOPLIFTING",),
        ("THEFT FROM THE PERSON",),
    ]
    dup = write(tmp_path, "dup.csv", "\n".join([*lines, lines[3]]) + "\n")  # a repeat many parts later
    result = import_file(db, dup)
    assert not result.ok and result.rejections[0].row == 50 and "duplicate" in result.rejections[0].reason


def test_priorities_grouped_by_ward_and_priority(db, tmp_path: Path) -> None:
    head = "ward_code,ward_name,priority,theme,set_on,status,review_date,measure_before,measure_after,action,action_owner,action_due,action_done\n"
    text = head + (
        "E05013808,West End,Phone snatching,theft,01/04/2024,open,2024-07-01,120 a month,,Plain-clothes patrols,SNT,2024-05-01,\n"
        "E05013808,West End,Phone snatching,theft,01/04/2024,open,2024-07-01,120 a month,,Street briefings,BID,2024-06-01,2024-05-20\n"
        "E05013806,St James's,Rough sleeping ASB,asb,2024-01-10,Done,,,,,,,\n"
    )
    result = import_file(db, write(tmp_path, "prio.csv", text))
    assert result.ok, result.summary()
    from desktop.store.priorities import list_priorities

    west_end = list_priorities(db, "E05013808")
    assert [p.title for p in west_end] == ["Phone snatching"]
    assert [a.text for a in west_end[0].actions] == ["Plain-clothes patrols", "Street briefings"]
    assert west_end[0].actions[1].done_on == "2024-05-20" and west_end[0].set_on == "2024-04-01"
    assert list_priorities(db, "E05013806")[0].status == "closed"
    remove_source(db, result.source_id)
    assert db.execute("SELECT count(*) FROM priority").fetchone()[0] == 0


def test_ward_population_matched_by_code_not_name(db, tmp_path: Path) -> None:
    lookup = (
        "\ufeffWD23CD, WardName,WD23NMW,LAD23CD,LAD23NM\nE05012345,Westminster,,E06000050,Cheshire West and Chester\n"
    )
    assert import_file(db, write(tmp_path, "lookup.csv", lookup)).ok
    pops = "ward_code,ward_name,usual_residents_2021_census_bestfit_lsoa_sum,n_lsoa21\nE05013808,West End,11000,7\n"
    result = import_file(db, write(tmp_path, "pop.csv", pops))
    assert result.ok
    rows = db.execute(
        "SELECT code, name, borough_name, population, population_year, population_source FROM ward ORDER BY code"
    ).fetchall()
    assert rows == [
        ("E05012345", "Westminster", "Cheshire West and Chester", None, None, None),
        ("E05013808", "West End", "Westminster", 11000, 2021, "Census 2021 (derived best-fit from LSOAs)"),
    ]
    remove_source(db, result.source_id)
    assert db.execute("SELECT population FROM ward WHERE code = 'E05013808'").fetchone() == (None,)


def test_policeuk_rows_outside_the_lookup_are_counted_not_lost(db, tmp_path: Path) -> None:
    head = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
    rows = [
        "a,2024-01,Metropolitan Police Service,Metropolitan Police Service,,,On or near X,E01004763,Westminster 018C,Burglary,,",
        "b,2024-01,Metropolitan Police Service,Metropolitan Police Service,,,No location,,,Burglary,,",
        "c,2024-01,Metropolitan Police Service,Metropolitan Police Service,,,On or near Y,E01030000,Elmbridge 006B,Burglary,,",
        "d,2024-01,Surrey Police,Surrey Police,,,On or near Z,E01030001,Elmbridge 006C,Robbery,,",
    ]
    result = import_file(db, write(tmp_path, "street.csv", head + "\n".join(rows) + "\n"))
    assert result.ok and result.rows_stored == 4
    joined = " ".join(result.warnings)
    assert (
        "1 row has no location" in joined
        and "2 rows are in LSOAs outside" in joined
        and "Surrey" not in joined.split("other than")[0]
    )
    assert "forces other than Metropolitan Police Service" in joined
    assert db.execute("SELECT count(*), count(ward_code) FROM street_crime").fetchone() == (4, 1)
    assert db.execute("SELECT sum(count) FROM crime_count").fetchone() == (1,)


def test_survey_results_resupplied_supersede_and_removal_restores(db, tmp_path: Path) -> None:
    first = write(
        tmp_path, "uss-q1.csv", SURVEY_HEAD + "USS,BCU,Central West,2024-03-31,Overall satisfaction,400,0.60,\n"
    )
    second = write(
        tmp_path,
        "uss-q1-revised.csv",
        SURVEY_HEAD
        + "USS,BCU,Central West,2024-03-31,Overall satisfaction,420,0.65,\n"
        + "USS,BCU,Central West,2024-06-30,Overall satisfaction,410,0.66,\n",
    )
    r1, r2 = import_file(db, first), import_file(db, second)
    assert r1.ok and r2.ok

    def in_force() -> list[tuple[str, float]]:
        return db.execute(
            "SELECT period_end, value FROM survey_result WHERE current = 1 ORDER BY period_end"
        ).fetchall()

    assert in_force() == [("2024-03-31", 0.65), ("2024-06-30", 0.66)]
    assert db.execute("SELECT superseded_by FROM survey_result WHERE source_id = ?", [r1.source_id]).fetchone() == (
        r2.source_id,
    )
    remove_source(db, r2.source_id)
    assert in_force() == [("2024-03-31", 0.6)]
