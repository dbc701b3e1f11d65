"""The bundled demo data and templates: real cuts equal their sources, illustrative figures agree with the
strategy's published ones, templates match their documentation, and `load_demo` imports everything, idempotently."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from desktop.errors import Cancelled
from desktop.importers.demo import demo_files, load_demo
from desktop.resources import resources_dir

ROOT = Path(__file__).resolve().parents[2]
DEMO = resources_dir() / "demo"
TEMPLATES = resources_dir() / "templates"
WARD_CODES = [f"E05013{n}" for n in range(792, 810)]

CRIME = DEMO / "03_MPS_Ward_Level_Crime_Westminster_202307-202506.csv"
LOOKUP = DEMO / "01_Ward_to_LAD_Dec2023_ONS_Westminster.csv"
POPULATIONS = DEMO / "02_westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"
PAS = DEMO / "06_PAS_Dashboard_Borough_City_of_Westminster.csv"
ASB = DEMO / "04_ward_asb_counts_Westminster_202307-202506_ILLUSTRATIVE.csv"
LFB = DEMO / "05_LFB_incidents_Westminster_202307-202506_ILLUSTRATIVE.csv"
SURVEYS = DEMO / "07_survey_results_USS_VCOP_ILLUSTRATIVE.csv"
PRIORITIES = DEMO / "08_panel_priorities_ILLUSTRATIVE.csv"
STOP_SEARCH = DEMO / "14_stop_and_search_Westminster_202407-202506_ILLUSTRATIVE.csv"


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def _year(month: str) -> int:
    """0 for Jul 2023-Jun 2024, 1 for Jul 2024-Jun 2025."""
    return 0 if month < "2024-07" else 1


# --- the files ---------------------------------------------------------------------------------------------


def test_demo_files_in_import_order_and_labelled() -> None:
    files = demo_files()
    assert [p.name for p in files] == sorted(p.name for p in DEMO.iterdir() if p.suffix in (".csv", ".geojson"))
    assert [p.name[:2] for p in files] == [f"{i:02d}" for i in range(1, 15)]
    assert files[:2] == [LOOKUP, POPULATIONS], "wards must be known before the counts arrive"
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    for path in files:
        assert path.name in readme
    for path in (ASB, LFB, SURVEYS, PRIORITIES, STOP_SEARCH):
        assert path.stem.endswith("_ILLUSTRATIVE")
    assert "DERIVED" in POPULATIONS.name
    assert "Open Government Licence v3.0" in readme
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in readme


def test_real_cuts_are_westminster_only_and_agree_on_the_wards() -> None:
    crime = _rows(CRIME)
    assert len(crime) == 484
    assert {r["LookUp_BoroughName"] for r in crime} == {"Westminster"}
    crime_wards = {(r["WardCode"], r["WardName"]) for r in crime}
    pops = {(r["ward_code"], r["ward_name"]) for r in _rows(POPULATIONS)}
    lookup = {(r["WD23CD"], r[" WardName"]) for r in _rows(LOOKUP, "utf-8-sig")}
    assert sorted(c for c, _ in crime_wards) == WARD_CODES
    assert crime_wards == pops == lookup
    pas = _rows(PAS)
    assert len(pas) == 291 and {r["Borough"] for r in pas} == {"City of Westminster"}


def _lines_as_published(src: Path, column: int, value: str) -> bytes:
    """The header line plus every line whose `column` is `value`, done here independently of the generator."""
    lines = src.read_bytes().splitlines(keepends=True)
    kept = [lines[0]]
    for line in lines[1:]:
        row = next(csv.reader([line.decode("utf-8-sig")]))
        if row[column] == value:
            kept.append(line)
    return b"".join(kept)


def test_crime_cut_equals_the_westminster_rows_of_the_real_edition(shared_data: Path) -> None:
    import pandas as pd

    src = shared_data / "mps-ward-crime" / "MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
    real = pd.read_csv(src, dtype=str, keep_default_na=False)
    expected = real[real["LookUp_BoroughName"] == "Westminster"].reset_index(drop=True)
    demo = pd.read_csv(CRIME, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(demo, expected)
    assert CRIME.read_bytes() == _lines_as_published(src, 4, "Westminster")


def test_pas_lookup_and_population_cuts_are_byte_exact(shared_data: Path) -> None:
    pas_src = shared_data / "pas" / "PAS_Dashboard_Borough.csv"
    assert PAS.read_bytes() == _lines_as_published(pas_src, 2, "City of Westminster")
    assert b'"0,' in PAS.read_bytes() and PAS.read_bytes().startswith(b"Date,Survey,Borough,Measure,Proportion,MPS,,,,")
    lookup_src = (
        shared_data / "ons" / "Ward_to_Local_Authority_District_(December_2023)_Lookup_in_the_United_Kingdom.csv"
    )
    assert LOOKUP.read_bytes() == _lines_as_published(lookup_src, 3, "E09000033")
    assert LOOKUP.read_bytes().startswith(b"\xef\xbb\xbfWD23CD, WardName,")
    pop_src = shared_data / "populations" / "westminster_2022wards_census2021_pop_DERIVED_bestfit.csv"
    assert POPULATIONS.read_bytes() == pop_src.read_bytes()


# --- illustrative figures against the strategy's -------------------------------------------------------------


def test_lfb_incidents_match_the_published_totals_and_layout() -> None:
    assert LFB.stat().st_size < 6_000_000
    with LFB.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [dict(zip(header, r, strict=True)) for r in reader]
    assert len(header) == 39 and header[0] == "IncidentNumber" and "Notional Cost (£)" in header
    per_year: dict[int, int] = defaultdict(int)
    false_alarms: dict[int, int] = defaultdict(int)
    per_ward: dict[str, int] = defaultdict(int)
    months = {
        m: i
        for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)
    }
    for row in rows:
        assert re.fullmatch(r"\d\d [A-Z][a-z]{2} 20\d\d", row["DateOfCall"]), row["DateOfCall"]
        day, mon, year = row["DateOfCall"].split()
        month = f"{year}-{months[mon]:02d}"
        assert "2023-07" <= month <= "2025-06"
        per_year[_year(month)] += 1
        false_alarms[_year(month)] += row["IncidentGroup"] == "False Alarm"
        per_ward[row["IncGeo_WardNameNew"]] += 1
        assert row["IncGeo_BoroughName"] == "WESTMINSTER" and row["IncGeo_WardCode"] in WARD_CODES
        assert row["IncidentGroup"] in ("Fire", "False Alarm", "Special Service")
    for year in (0, 1):  # 8,863 incidents, 5,697 false alarms a year (2022)
        assert abs(per_year[year] - 8_863) / 8_863 < 0.04
        assert abs(false_alarms[year] - 5_697) / 5_697 < 0.04
    assert len({r["IncidentNumber"] for r in rows}) == len(rows)
    busiest = sorted(per_ward, key=per_ward.__getitem__, reverse=True)[:2]
    assert set(busiest) == {"West End", "St James's"}
    stops = {r["StopCodeDescription"] for r in rows}
    assert {"AFA", "False alarm - Good intent", "False alarm - Malicious", "Primary Fire", "Secondary Fire"} <= stops


def test_lfb_header_is_the_real_one(shared_data: Path) -> None:
    real = (shared_data / "lfb" / "LFB Incident data.csv").read_bytes().splitlines()[0]
    assert LFB.read_bytes().splitlines()[0] == real


def test_asb_counts_match_the_published_total_with_a_seasonal_pattern() -> None:
    rows = _rows(ASB)
    assert list(rows[0]) == ["ward_code", "ward_name", "month", "asb_incidents"]
    assert len(rows) == 24 * 18 and {r["ward_code"] for r in rows} == set(WARD_CODES)
    per_year: dict[int, int] = defaultdict(int)
    per_ward: dict[str, int] = defaultdict(int)
    per_calendar_month: dict[int, int] = defaultdict(int)
    for row in rows:
        n = int(row["asb_incidents"])
        per_year[_year(row["month"])] += n
        per_ward[row["ward_name"]] += n
        per_calendar_month[int(row["month"][5:])] += n
    for year in (0, 1):
        assert abs(per_year[year] - 12_242) / 12_242 < 0.03
    assert max(per_ward, key=per_ward.__getitem__) == "West End"
    summer = sum(per_calendar_month[m] for m in (6, 7, 8))
    winter = sum(per_calendar_month[m] for m in (1, 2, 3))
    assert summer > 1.15 * winter


def _pooled(rows: list[dict[str, str]], area: str, measure: str) -> float:
    chosen = [r for r in rows if r["area"] == area and r["measure"] == measure]
    return sum(int(r["positives"]) for r in chosen) / sum(int(r["base_n"]) for r in chosen)


def test_survey_results_agree_with_the_strategy_and_use_the_exact_measure_names() -> None:
    from desktop.store.measures import USS_MEASURES, VCOP_RIGHTS

    rows = _rows(SURVEYS)
    assert list(rows[0]) == ["survey", "area_type", "area", "period_end", "measure", "base_n", "value", "positives"]
    assert {r["measure"] for r in rows if r["survey"] == "USS"} == set(USS_MEASURES)
    assert {r["measure"] for r in rows if r["survey"] == "VCOP"} == set(VCOP_RIGHTS)
    assert {(r["area_type"], r["area"]) for r in rows} == {
        ("borough", "Westminster"),
        ("BCU", "Central West"),
        ("London", "London"),
    }
    ends = sorted({r["period_end"] for r in rows})
    assert ends[0] == "2023-09-30" and ends[-1] == "2025-06-30" and len(ends) == 8
    for row in rows:
        assert 0 <= float(row["value"]) <= 1
        if row["base_n"]:
            assert abs(float(row["value"]) - int(row["positives"]) / int(row["base_n"])) < 0.0006
    assert abs(_pooled(rows, "Central West", "overall satisfaction") - 0.65) < 0.02
    assert abs(_pooled(rows, "Central West", "make a Victim Personal Statement") - 0.58) < 0.02
    assert abs(_pooled(rows, "Central West", "referral to support services") - 0.47) < 0.02
    assert abs(_pooled(rows, "Central West", "information about compensation") - 0.13) < 0.02
    borough_uss = [int(r["base_n"]) for r in rows if r["area"] == "Westminster" and r["survey"] == "USS"]
    assert min(borough_uss) < 50 <= max(borough_uss), "some borough bases must fall below the minimum base"
    bcu_uss = [int(r["base_n"]) for r in rows if r["area"] == "Central West" and r["survey"] == "USS"]
    assert all(150 <= n <= 500 for n in bcu_uss)
    series = [float(r["value"]) for r in rows if r["area"] == "Westminster" and r["measure"] == "overall satisfaction"]
    assert len(set(series)) == 8 and max(series) - min(series) > 0.03, "survey values should look like real noise"


def test_priorities_cover_the_named_wards_with_valid_fields() -> None:
    rows = _rows(PRIORITIES)
    assert list(rows[0]) == [
        "ward_code", "ward_name", "priority", "theme", "set_on", "status", "review_date", "measure_before",
        "measure_after", "action", "action_owner", "action_due", "action_done",
    ]  # fmt: skip
    names = {r["ward_name"] for r in rows}
    assert {"West End", "St James's", "Church Street", "Queen's Park", "Pimlico North"} <= names
    codes = {r["ward_name"]: r["ward_code"] for r in _rows(POPULATIONS)}
    for row in rows:
        assert row["ward_code"] == codes[row["ward_name"]]
        assert row["status"] in ("open", "closed") and row["priority"] and row["action"]
        for col in ("set_on", "review_date", "action_due", "action_done"):
            assert row[col] == "" or re.fullmatch(r"20\d\d-\d\d-\d\d", row[col])
        if row["status"] == "closed":
            assert row["measure_after"]
    assert {r["status"] for r in rows} == {"open", "closed"}


# --- templates -------------------------------------------------------------------------------------------------


def _documented_columns() -> dict[str, list[str]]:
    """Template stem -> the columns its README section's table lists, in order."""
    text = (TEMPLATES / "README.md").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        found = re.search(r"`(\w+_template)\.xlsx`", section.splitlines()[0])
        if found:
            out[found.group(1)] = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    return out


def test_templates_headers_match_the_documented_columns() -> None:
    from openpyxl import load_workbook

    documented = _documented_columns()
    assert set(documented) == {"survey_results_template", "asb_counts_template", "priorities_template"}
    assert documented["survey_results_template"] == [
        "survey", "area_type", "area", "period_end", "measure", "base_n", "value", "positives",
    ]  # fmt: skip
    for stem, columns in documented.items():
        csv_text = (TEMPLATES / f"{stem}.csv").read_text(encoding="utf-8")
        assert csv_text == ",".join(columns) + "\n"
        book = load_workbook(TEMPLATES / f"{stem}.xlsx", read_only=True)
        data = book.worksheets[0]
        assert [c.value for c in next(data.iter_rows(max_row=1))] == columns
        assert data.max_row == 1, "a blank template has its heading row only"
        notes = [row[0] for row in book["Notes"].iter_rows(values_only=True) if row]
        assert set(columns) <= set(notes), "every column is explained on the Notes sheet"
        book.close()


def test_survey_template_lists_the_valid_measures() -> None:
    from openpyxl import load_workbook

    from desktop.store.measures import PAS_MEASURES, USS_MEASURES, VCOP_RIGHTS

    book = load_workbook(TEMPLATES / "survey_results_template.xlsx", read_only=True)
    cols = list(zip(*book["Measures"].iter_rows(min_row=2, values_only=True), strict=True))
    book.close()
    assert [tuple(v for v in col if v) for col in cols] == [USS_MEASURES, VCOP_RIGHTS, PAS_MEASURES]
    readme = " ".join((TEMPLATES / "README.md").read_text(encoding="utf-8").split())
    for name in (*USS_MEASURES, *VCOP_RIGHTS, *PAS_MEASURES):
        assert name in readme


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_filled_templates_import(db, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """A user's filled copy of each template is recognised and imported (the data sheet is found by its header)."""
    from openpyxl import load_workbook

    from desktop.importers import import_file

    assert import_file(db, LOOKUP).ok
    rows = {
        "survey_results_template": [["VCOP", "BCU", "Central West", "2025-06-30", "VPS", "", "58%", ""]],
        "asb_counts_template": [["E05013808", "West End", "2025-06", "231"]],
        "priorities_template": [
            [
                "E05013806",
                "St James's",
                "Fewer thefts",
                "Theft",
                "2025-01-14",
                "open",
                "",
                "",
                "",
                "Patrols",
                "",
                "",
                "",
            ]
        ],
    }
    for stem, data in rows.items():
        target = tmp_path / f"{stem}.{fmt}"
        if fmt == "csv":
            text = (TEMPLATES / f"{stem}.csv").read_text(encoding="utf-8")
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(data)
            target.write_text(text + buf.getvalue(), encoding="utf-8")
        else:
            book = load_workbook(TEMPLATES / f"{stem}.xlsx")
            for row in data:
                book.worksheets[0].append(row)
            book.save(target)
        result = import_file(db, target)
        assert result.status == "imported", result.summary()
        assert result.rows_stored == 1
    value = db.execute("SELECT value, measure FROM survey_result").fetchall()
    assert value == [(0.58, "make a Victim Personal Statement")]


# --- load_demo -------------------------------------------------------------------------------------------------


TABLES = ("source", "ward", "crime_count", "asb_count", "fire_incident", "survey_result", "priority")


def _counts(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def test_load_demo_imports_everything_then_is_a_no_op(db) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int]] = []
    results = load_demo(db, progress=lambda done, total, message: seen.append((done, total)))
    assert len(results) == len(demo_files()) == 14
    for result in results:
        assert result.status == "imported", result.summary()
        assert result.rows_rejected == 0 and not result.rejections
        assert result.rows_stored == result.rows_read > 0
    kinds = [r.kind for r in results]
    assert kinds == [
        "ward_lookup",
        "ward_population",
        "mps_crime",
        "asb",
        "lfb_incidents",
        "pas",
        "surveys",
        "priorities",
        "boundaries",
        "boundaries",
        "boundaries",
        "policeuk_street",
        "policeuk_outcomes",
        "policeuk_stop_search",
    ]
    assert seen[-1][0] == seen[-1][1] and all(a[0] <= b[0] for a, b in zip(seen, seen[1:], strict=False))
    wards = db.execute("SELECT code, borough_name, population FROM ward ORDER BY code").fetchall()
    assert [w[0] for w in wards] == WARD_CODES
    assert all(w[1] == "Westminster" and w[2] for w in wards)
    before = _counts(db)
    assert before["fire_incident"] == sum(1 for _ in LFB.open(encoding="utf-8")) - 1
    again = load_demo(db)
    assert [r.status for r in again] == ["already imported"] * 14
    assert _counts(db) == before


def test_load_demo_can_be_cancelled(db) -> None:  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 1

    with pytest.raises(Cancelled):
        load_demo(db, cancelled=cancelled)
    done = db.execute("SELECT count(*) FROM source").fetchone()[0]
    assert done <= 1


def test_the_generator_reproduces_every_file_byte_for_byte() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_demo_data.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
