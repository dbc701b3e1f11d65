"""Synthetic extracts for the benchmarks, written to a temp dir (deterministic; real London ward and LSOA codes)."""

from __future__ import annotations

import csv
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

LONG_HEADER = ["ward_code", "ward_name", "borough_name", "month", "category", "subcategory", "count"]
CATEGORIES = [
    ("THEFT", "SHOPLIFTING"),
    ("THEFT", "OTHER THEFT"),
    ("THEFT", "THEFT FROM THE PERSON"),
    ("THEFT", "BICYCLE THEFT"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY"),
    ("BURGLARY", "BURGLARY - RESIDENTIAL"),
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY"),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY"),
    ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE"),
    ("DRUG OFFENCES", "POSSESSION OF DRUGS"),
    ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE"),
]
POLICEUK_HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
CRIME_TYPES = [
    "Anti-social behaviour",
    "Violence and sexual offences",
    "Other theft",
    "Theft from the person",
    "Shoplifting",
    "Vehicle crime",
    "Burglary",
    "Public order",
    "Criminal damage and arson",
    "Drugs",
    "Robbery",
    "Bicycle theft",
    "Other crime",
    "Possession of weapons",
]
OUTCOMES = [
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Under investigation",
    "Status update unavailable",
    "",
]


def london_lookup() -> list[tuple[str, str, str, str]]:
    """(lsoa_code, lsoa_name, ward_code, ward_name, borough) rows of the bundled London lookup."""
    from desktop.resources import resource

    with resource("lookups", "london_lsoa21_to_ward.csv").open(encoding="utf-8", newline="") as fh:
        return [
            (r["lsoa21_code"], r["lsoa21_name"], r["ward_code"], r["ward_name"], r["lad_name"])
            for r in csv.DictReader(fh)
        ]


def months(n: int, end_year: int = 2025, end_month: int = 6) -> list[str]:
    out = []
    y, m = end_year, end_month
    for _ in range(n):
        out.append(f"{y}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def long_crime_rows(n_rows: int) -> list[list[object]]:
    """n_rows distinct (ward, month, category) rows with Poisson-ish counts."""
    rng = random.Random(1)
    wards = sorted({(w, name, b) for _, _, w, name, b in london_lookup()})
    n_months = max(1, -(-n_rows // (len(wards) * len(CATEGORIES))))
    rows: list[list[object]] = []
    for month in months(n_months):
        for code, name, borough in wards:
            for major, minor in CATEGORIES:
                rows.append([code, name, borough, month, major, minor, rng.randint(0, 60)])
                if len(rows) == n_rows:
                    return rows
    return rows


def write_long_crime_csv(path: Path, n_rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(LONG_HEADER)
        writer.writerows(long_crime_rows(n_rows))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]], title: str | None = None) -> Path:
    """A minimal valid XLSX (inline strings), fast enough for 500k rows; Excel and calamine read it."""

    def cell(ref: str, value: object) -> str:
        if isinstance(value, int | float):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    letters = [chr(ord("A") + i) for i in range(len(header))]
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    ]
    start = 1
    if title:
        parts.append(f'<row r="1">{cell("A1", title)}</row>')
        start = 3
    for i, row in enumerate([header, *rows]):
        r = start + i
        parts.append(
            f'<row r="{r}">' + "".join(cell(f"{c}{r}", v) for c, v in zip(letters, row, strict=False)) + "</row>"
        )
    parts.append("</sheetData></worksheet>")
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
        zf.writestr("xl/worksheets/sheet1.xml", "".join(parts))
    return path


def write_policeuk_month(
    path: Path, month: str, n_rows: int, lookup: list[tuple[str, str, str, str, str]], seed: int
) -> Path:
    """A full-Met-size police.uk street file: ~90k rows, ASB ~30% with blank Crime ID, ~1% no location."""
    rng = random.Random(seed)
    force = "Metropolitan Police Service"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(POLICEUK_HEADER)
        for i in range(n_rows):
            kind = CRIME_TYPES[0] if rng.random() < 0.3 else rng.choice(CRIME_TYPES[1:])
            crime_id = "" if kind == CRIME_TYPES[0] else f"{seed:04d}{i:060d}"
            if rng.random() < 0.01:
                writer.writerow([crime_id, month, force, force, "", "", "No location", "", "", kind, "", ""])
                continue
            lsoa, name = lookup[rng.randrange(len(lookup))][:2]
            lon, lat = -0.5 + rng.random() * 0.8, 51.3 + rng.random() * 0.4
            outcome = "" if kind == CRIME_TYPES[0] else rng.choice(OUTCOMES)
            writer.writerow(
                [
                    crime_id,
                    month,
                    force,
                    force,
                    f"{lon:.6f}",
                    f"{lat:.6f}",
                    "On or near Some Street",
                    lsoa,
                    name,
                    kind,
                    outcome,
                    "",
                ]
            )
    return path
