"""Reads for maps and places (Qt-free): boundaries in force, police.uk records of wards or LSOAs, outcomes of
crimes, and stop and search records. Like store/figures.py, the only way reports and analysis reach these tables.

A code's boundary in force is the one from the newest boundary file that holds it, so importing a finer or newer
file replaces a coarser one and removing it brings the old one back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop import geo

if TYPE_CHECKING:
    import pandas as pd

IN_FORCE = "id IN (SELECT max(id) FROM boundary WHERE level = ? GROUP BY code)"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _shape(row: Sequence[Any]) -> geo.Shape:
    code, name, parent, geometry = row
    polygons = [[[(float(x), float(y)) for x, y in ring] for ring in poly] for poly in json.loads(geometry)]
    return geo.Shape(str(code), str(name or code), polygons, str(parent or ""))


def has_boundaries(db: Database, level: str) -> bool:
    return db.execute("SELECT 1 FROM boundary WHERE level = ? LIMIT 1", [level]).fetchone() is not None


def shapes(
    db: Database,
    level: str,
    *,
    codes: Sequence[str] | None = None,
    near: tuple[float, float, float, float] | None = None,
) -> list[geo.Shape]:
    """Boundaries in force at `level` ('ward' | 'lsoa'): all, those of `codes`, or those whose box meets `near`."""
    sql = f"SELECT code, name, parent_code, geometry FROM boundary WHERE level = ? AND {IN_FORCE}"
    params: list[Any] = [level, level]
    if codes is not None:
        if not codes:
            return []
        sql += f" AND code IN ({_marks(codes)})"
        params += list(codes)
    if near is not None:
        x0, y0, x1, y1 = near
        sql += " AND max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?"
        params += [x0, x1, y0, y1]
    return [_shape(r) for r in db.execute(sql + " ORDER BY code", params).fetchall()]


def boundary_sources(db: Database) -> list[str]:
    """File names of the boundary files in the store (for a map's attribution)."""
    rows = db.execute("SELECT DISTINCT s.file_name FROM source s JOIN boundary b ON b.source_id = s.id").fetchall()
    return sorted(str(r[0]) for r in rows)


STREET_COLUMNS = ["crime_id", "month", "lsoa_code", "ward_code", "crime_type", "last_outcome", "location",
                  "longitude", "latitude"]  # fmt: skip


def street_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    """police.uk street crimes placed in the given wards, months start..end."""
    return _placed(db, "street_crime", STREET_COLUMNS, ward_codes, start, end)


def _placed(
    db: Database, table: str, columns: list[str], ward_codes: Sequence[str], start: str, end: str
) -> pd.DataFrame:
    """`columns` of the records in `table` placed in the given wards, months start..end."""
    import pandas as pd

    if not ward_codes:
        return pd.DataFrame(columns=columns)
    rows = db.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE ward_code IN ({_marks(ward_codes)}) AND month BETWEEN ? AND ?",
        [*ward_codes, start, end],
    ).fetchall()
    return pd.DataFrame(rows, columns=columns)


def street_months(db: Database, ward_codes: Sequence[str]) -> list[str]:
    """The months the store holds police.uk street crimes for in these wards, oldest first."""
    if not ward_codes:
        return []
    rows = db.execute(
        f"SELECT DISTINCT month FROM street_crime WHERE ward_code IN ({_marks(ward_codes)}) ORDER BY month",
        list(ward_codes),
    ).fetchall()
    return [str(r[0]) for r in rows]


def latest_outcomes(db: Database, crime_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """The latest outcome (month, outcome type) the outcomes files give for each crime id."""
    out: dict[str, tuple[str, str]] = {}
    ids = [c for c in crime_ids if c]
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        rows = db.execute(
            f"SELECT crime_id, month, outcome_type FROM outcome WHERE crime_id IN ({_marks(part)}) ORDER BY month, id",
            part,
        ).fetchall()
        for crime_id, month, kind in rows:
            out[str(crime_id)] = (str(month), str(kind))
    return out


def outcome_months(db: Database) -> tuple[str, str] | None:
    """The first and last month of the outcomes in the store (None when there are none)."""
    row = db.execute("SELECT min(month), max(month) FROM outcome").fetchone()
    return (str(row[0]), str(row[1])) if row and row[0] else None


SEARCH_COLUMNS = ["ward_code", "month", "type", "legislation", "object_of_search", "outcome", "outcome_linked",
                  "self_ethnicity", "age_range", "gender", "latitude", "longitude"]  # fmt: skip


def search_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    """Stop and search records placed in the given wards, months start..end."""
    return _placed(db, "stop_search", SEARCH_COLUMNS, ward_codes, start, end)


def search_months(db: Database) -> list[str]:
    rows = db.execute("SELECT DISTINCT month FROM stop_search ORDER BY month").fetchall()
    return [str(r[0]) for r in rows]


def unplaced_searches(db: Database, source_id: int | None = None) -> list[tuple[int, float, float]]:
    """(id, lon, lat) of stop and search records with coordinates and no ward yet."""
    sql = (
        "SELECT id, longitude, latitude FROM stop_search "
        "WHERE ward_code IS NULL AND latitude IS NOT NULL AND longitude IS NOT NULL"
    )
    params: list[Any] = []
    if source_id is not None:
        sql += " AND source_id = ?"
        params.append(source_id)
    return [(int(a), float(b), float(c)) for a, b, c in db.execute(sql, params).fetchall()]
