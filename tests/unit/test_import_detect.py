"""Detection by header signature (never file name), encodings, titles and notes around the table, XLSX sheets."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.importers import import_file
from desktop.importers.detect import match_kind
from desktop.kinds import KINDS

ASB = "ward_code,ward_name,month,asb_incidents\nE05013808,West End,2024-01,10\nE05013806,St James's,2024-01,7\n"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("MajorText,MinorText,WardName,WardCode,LookUp_BoroughName,202401", "mps_crime"),
        ("ward_code,ward_name,borough_name,month,category,subcategory,count", "mps_crime_long"),
        (
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context",
            "policeuk_street",
        ),
        (
            "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type",
            "policeuk_outcomes",
        ),
        ("IncidentNumber,DateOfCall,CalYear,IncidentGroup,StopCodeDescription", "lfb_incidents"),
        ("IncidentNumber,CalYear,HourOfCall,ResourceMobilisationId,Resource_Code", "lfb_mobilisation"),
        ("Date,Survey,Borough,Measure,Proportion,MPS,,,,", "pas"),
        ("survey,area_type,area,period_end,measure,base_n,value,positives", "surveys"),
        ("\ufeffLSOA21CD,LSOA21NM,WD25CD,WD25NM,LAD25CD,LAD25NM", "lsoa_lookup"),
        ("\ufeffWD23CD, WardName,WD23NMW,LAD23CD,LAD23NM", "ward_lookup"),
        ("lsoa21_code,lsoa21_name,age_group,usual_residents", "lsoa_population"),
        ("ward_code,ward_name,usual_residents_2021_census_bestfit_lsoa_sum,n_lsoa21", "ward_population"),
        ("ward_code,ward_name,month,asb_incidents", "asb"),
        (" Ward Code , Priority ,Theme, Action ", "priorities"),
    ],
)
def test_kind_from_header(header: str, kind: str) -> None:
    spec = match_kind(header.split(","))
    assert spec is not None and spec.kind == kind


def test_every_kind_has_an_expected_columns_text() -> None:
    assert all(spec.expects and spec.label for spec in KINDS)


def test_file_name_does_not_matter(db, tmp_path: Path) -> None:
    path = tmp_path / "MPS_Ward_Level_Crime_most_recent_24_months.csv"  # a misleading name
    path.write_text(ASB)
    result = import_file(db, path)
    assert result.ok and result.kind == "asb"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(db, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "asb.csv"
    path.write_bytes(ASB.replace("St James's", "St James\u2019s \u00e9").encode(encoding))
    result = import_file(db, path)
    assert result.ok, result.summary()
    assert db.execute("SELECT count(*) FROM asb_count").fetchone()[0] == 2


def test_title_rows_above_and_notes_below_are_skipped_and_reported(db, tmp_path: Path) -> None:
    text = (
        "Westminster ASB incidents,,,\nPrepared by the CSP team,,,\n,,,\n"
        + ASB
        + ",,,\nSource: Metropolitan Police CAD,,,\n"
    )
    path = tmp_path / "asb.csv"
    path.write_text(text)
    result = import_file(db, path)
    assert result.ok and result.rows_stored == 2, result.summary()
    joined = " ".join(result.warnings)
    assert "3 title or blank row(s) above" in joined
    assert "notes row(s) below the table were ignored" in joined and "Source: Metropolitan" in joined


def test_header_names_are_trimmed(db, tmp_path: Path) -> None:
    path = tmp_path / "asb.csv"
    path.write_text(" Ward_Code , Ward Name ,MONTH , asb_incidents \n E05013808 ,West End, 2024-01 , 10 \n")
    assert import_file(db, path).ok


def test_xlsx_with_title_rows_and_data_on_the_second_sheet(db, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["This workbook holds ASB counts for the panel."])
    sheet = book.create_sheet("Data")
    sheet.append(["Westminster ASB counts"])
    sheet.append([])
    sheet.append(["ward_code", "ward_name", "month", "asb_incidents"])
    sheet.append(["E05013808", "West End", dt.datetime(2024, 1, 1), 10])  # a real date cell
    sheet.append(["E05013806", "St James's", "2024-02", "7"])  # numbers stored as text
    sheet.append([])
    sheet.append(["Notes: figures are provisional"])
    path = tmp_path / "asb.xlsx"
    book.save(path)
    result = import_file(db, path)
    assert result.ok, result.summary()
    assert db.execute("SELECT month, count FROM asb_count ORDER BY month").fetchall() == [
        ("2024-01", 10),
        ("2024-02", 7),
    ]
    assert any("notes row" in w for w in result.warnings)


def test_wide_crime_xlsx_matches_the_csv(db, tmp_path: Path) -> None:
    import openpyxl

    rows = [
        ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", 202401, 202402],
        ["THEFT", "SHOPLIFTING", "West End", "E05013808", "Westminster", 10, 11],
        ["THEFT", "OTHER THEFT", "West End", "E05013808", "Westminster", 100, 90],
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "wide.xlsx")
    result = import_file(db, tmp_path / "wide.xlsx")
    assert result.ok and (result.first_month, result.last_month) == ("2024-01", "2024-02")
    assert db.execute("SELECT sum(count) FROM crime_count").fetchone()[0] == 211
