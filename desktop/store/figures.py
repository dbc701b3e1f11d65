"""Reads of the store's figures in force (`current = 1`) for packs and their analysis (Qt-free): crime, ASB and
fire rows of a set of wards, survey results, wards, sources, what each file holds per month, revisions between
editions. Reports and analysis read the store only through these and store/queries.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    import pandas as pd

CRIME_COLUMNS = ["ward_code", "month", "taxonomy", "series", "category", "subcategory", "count", "partial"]


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _frame(db: Database, sql: str, params: Sequence[Any], columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    cursor = db.execute(sql, list(params))
    return pd.DataFrame(cursor.fetchall(), columns=columns)


def crime_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    """Current crime counts of the given wards for months start..end (both taxonomies)."""
    if not ward_codes:
        return _frame(db, "SELECT 1 WHERE 0", [], CRIME_COLUMNS)
    # INDEXED BY: the planner otherwise picks crime_count_current and scans every current row (30x slower)
    sql = (
        f"SELECT {', '.join(CRIME_COLUMNS)} FROM crime_count INDEXED BY crime_count_key "
        f"WHERE taxonomy IN ('mps', 'policeuk') AND ward_code IN ({_marks(ward_codes)}) "
        "AND month BETWEEN ? AND ? AND current = 1"
    )
    return _frame(db, sql, [*ward_codes, start, end], CRIME_COLUMNS)


def source_months(db: Database, table: str, taxonomy: str) -> list[tuple[str, str, int, str]]:
    """(series, month, partial, types) of every file's months for `table` (and, for crime, `taxonomy`)."""
    tax = " AND m.taxonomy = ?" if table == "crime_count" else ""
    rows = db.execute(
        "SELECT m.series, m.month, m.partial, m.types FROM source_month m JOIN source s ON s.id = m.source_id "
        f"WHERE s.status = 'ok' AND m.tbl = ?{tax}",
        [table, taxonomy] if tax else [table],
    ).fetchall()
    return [(str(a), str(b), int(c), str(d)) for a, b, c, d in rows]


def series_totals(db: Database, table: str, taxonomy: str) -> list[tuple[str, str, float, int]]:
    """(series, month, total, any partial) of the current figures of `table` over the whole store."""
    tax = " AND taxonomy = ?" if table == "crime_count" else ""
    rows = db.execute(
        f"SELECT series, month, SUM(count), MAX(partial) FROM {table} WHERE current = 1{tax} GROUP BY series, month",
        [taxonomy] if tax else [],
    ).fetchall()
    return [(str(a), str(b), float(c or 0), int(d or 0)) for a, b, c, d in rows]


def data_as_at(db: Database) -> str | None:
    """When the latest file in the store was imported (ISO date), None for an empty store."""
    row = db.execute("SELECT MAX(imported_at) FROM source WHERE status = 'ok'").fetchone()
    return str(row[0])[:10] if row and row[0] else None


def borough_name(db: Database, name_or_code: str) -> str | None:
    """The store's spelling of a borough given by name (any case) or code; None when no ward is in it."""
    row = db.execute(
        "SELECT borough_name FROM ward WHERE lower(borough_name) = lower(?) OR borough_code = ? LIMIT 1",
        [name_or_code, name_or_code],
    ).fetchone()
    return str(row[0]) if row and row[0] else None


def fire_span(db: Database) -> tuple[str | None, str | None]:
    """First and last month of the LFB incidents in force."""
    first, last = db.execute("SELECT MIN(month), MAX(month) FROM fire_incident WHERE current = 1").fetchone()
    return (str(first) if first else None, str(last) if last else None)


def has_rows(db: Database, table: str, where: str = "1", params: Sequence[Any] = ()) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1", list(params)).fetchone() is not None


def asb_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    cols = ["ward_code", "month", "series", "count", "partial"]
    if not ward_codes:
        return _frame(db, "SELECT 1, 1, 1, 1, 1 WHERE 0", [], cols)
    sql = (
        "SELECT ward_code, month, series, count, partial FROM asb_count WHERE current = 1 AND month BETWEEN ? AND ? "
        f"AND ward_code IN ({_marks(ward_codes)})"
    )
    return _frame(db, sql, [start, end, *ward_codes], cols)


FIRE_COLUMNS = ["ward_code", "month", "incident_group", "stop_code", "property_category", "attendance_seconds"]


def fire_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    if not ward_codes:
        return _frame(db, "SELECT 1, 1, 1, 1, 1, 1 WHERE 0", [], FIRE_COLUMNS)
    sql = (
        f"SELECT {', '.join(FIRE_COLUMNS)} FROM fire_incident WHERE current = 1 AND month BETWEEN ? AND ? "
        f"AND ward_code IN ({_marks(ward_codes)})"
    )
    return _frame(db, sql, [start, end, *ward_codes], FIRE_COLUMNS)


def survey_rows(db: Database, survey: str) -> list[dict[str, Any]]:
    sql = (
        "SELECT survey, area_type, area, period_end, measure, base_n, value FROM survey_result "
        "WHERE current = 1 AND survey = ? ORDER BY period_end"
    )
    return list(db.query(sql, [survey]))


def ward_row(db: Database, ward_code: str) -> dict[str, Any] | None:
    rows = list(db.query("SELECT * FROM ward WHERE code = ?", [ward_code]))
    return rows[0] if rows else None


def borough_wards(db: Database, borough_name: str | None, start: str, end: str) -> list[dict[str, Any]]:
    """The borough's wards that have current crime figures between start and end (so old-boundary wards of an
    earlier edition are left out of comparisons)."""
    if not borough_name:
        return []
    sql = """
        SELECT w.code, w.name, w.population, w.population_year, w.population_source FROM ward w
        WHERE lower(w.borough_name) = lower(?)
          AND EXISTS (SELECT 1 FROM crime_count c INDEXED BY crime_count_key
                      WHERE c.taxonomy IN ('mps', 'policeuk') AND c.ward_code = w.code
                      AND c.month BETWEEN ? AND ? AND c.current = 1)
        ORDER BY w.name
    """
    return list(db.query(sql, [borough_name, start, end]))


def sources(db: Database) -> list[dict[str, Any]]:
    sql = (
        "SELECT id, kind, series, file_name, imported_at, first_month, last_month, partial_months, rows_stored "
        "FROM source WHERE status = 'ok' ORDER BY kind, first_month, id"
    )
    return list(db.query(sql))


def revisions(db: Database, ward_codes: Sequence[str]) -> list[dict[str, Any]]:
    """For each source in force that holds figures another file also held for these wards: how many figures both
    held, how many differ, and the largest difference (with where and when). `later` is 1 when the other file was
    imported after it (its figures were partly counted, so the earlier ones stayed in force), 0 when the source
    in force is the later edition that restated them."""
    if not ward_codes:
        return []
    pairs = """
        FROM crime_count o JOIN crime_count n
          ON n.source_id = o.superseded_by AND n.taxonomy = o.taxonomy AND n.series = o.series
         AND n.ward_code = o.ward_code AND n.month = o.month AND n.category = o.category
         AND n.subcategory = o.subcategory
        WHERE o.current = 0 AND o.superseded_by IS NOT NULL"""
    sql = f"""
        SELECT o.superseded_by AS source_id, o.source_id > o.superseded_by AS later, count(*) AS shared,
               sum(o.count != n.count) AS changed, max(abs(o.count - n.count)) AS largest
        {pairs} AND o.ward_code IN ({_marks(ward_codes)})
        GROUP BY o.superseded_by, later ORDER BY o.superseded_by, later
    """
    out = []
    for row in db.query(sql, list(ward_codes)):
        detail = db.execute(
            f"""
            SELECT n.ward_code, n.month, n.category, n.subcategory, o.count, n.count
            {pairs} AND o.superseded_by = ? AND (o.source_id > o.superseded_by) = ?
              AND o.ward_code IN ({_marks(ward_codes)}) AND abs(o.count - n.count) = ? LIMIT 1
            """,
            [row["source_id"], row["later"], *ward_codes, row["largest"]],
        ).fetchone()
        out.append({**row, "example": detail})
    return out


def unlocated(db: Database) -> list[dict[str, Any]]:
    """Per police.uk street file: its rows, and how many have no location (blank LSOA), so are in no ward."""
    sql = """
        SELECT s.id AS source_id, s.file_name, count(*) AS rows, sum(c.lsoa_code IS NULL) AS no_location
        FROM street_crime c JOIN source s ON s.id = c.source_id WHERE s.status = 'ok'
        GROUP BY s.id ORDER BY s.id
    """
    return list(db.query(sql))
