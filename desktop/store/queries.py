"""Read-only queries the CLI, the analysis and the views share (Qt-free)."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def generation(db: Database) -> int:
    """The store's generation: it rises with every committed change to sources, wards, lookups and priorities
    (schema.py m002), so anything built from the store can tell whether it is out of date."""
    row = db.execute("SELECT generation FROM store_state WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def store_identity(db: Database) -> str:
    """The store's file path ('' for an in-memory store): with `generation`, a key that no other store shares."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return str(file or "")
    return ""


def wards(db: Database, borough: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT code, name, borough_code, borough_name, population, population_year, population_source FROM ward"
    params: list[Any] = []
    if borough:
        sql += " WHERE lower(borough_name) = lower(?) OR borough_code = ?"
        params = [borough, borough]
    sql += " ORDER BY borough_name, name"
    return list(db.query(sql, params))


def wards_with_data(db: Database) -> list[dict[str, Any]]:
    """Wards that have at least one current crime figure, with borough names (what a pack can be made for)."""
    sql = """
        SELECT w.code, w.name, w.borough_code, w.borough_name, w.population
        FROM ward w
        WHERE w.code IN (SELECT c.ward_code FROM crime_count c WHERE c.current = 1)
        ORDER BY w.borough_name, w.name
    """
    return list(db.query(sql))


def wards_with_figures(db: Database, start: str, end: str) -> list[dict[str, Any]]:
    """Wards with recorded crime in force between start and end (what a pack for that period can be made for):
    not wards whose only figures are outside the period, e.g. a neighbouring force's stray rows of another month."""
    sql = """
        SELECT w.code, w.name, w.borough_code, w.borough_name, w.population
        FROM ward w
        WHERE w.code IN (SELECT c.ward_code FROM crime_count c
                         WHERE c.current = 1 AND c.count > 0 AND c.month BETWEEN ? AND ?)
        ORDER BY w.borough_name, w.name
    """
    return list(db.query(sql, [start, end]))


def crime_months(db: Database) -> list[str]:
    """The months holding current recorded-crime figures (what a pack's reference month can be)."""
    rows = db.execute("SELECT DISTINCT month FROM crime_count WHERE current = 1 ORDER BY month").fetchall()
    return [str(r[0]) for r in rows]


def ward_crime_months(db: Database) -> dict[str, tuple[str, str]]:
    """First and last month of each ward's current crime figures (to tell wards on old boundaries, whose figures
    stop when the boundaries changed, from wards a pack can be made for now)."""
    rows = db.execute(
        "SELECT ward_code, min(month), max(month) FROM crime_count WHERE current = 1 GROUP BY ward_code"
    ).fetchall()
    return {str(code): (str(first), str(last)) for code, first, last in rows}


def counts(db: Database) -> dict[str, int]:
    """Row counts of the main tables, for status lines."""
    tables = [
        "source",
        "ward",
        "crime_count",
        "street_crime",
        "asb_count",
        "fire_incident",
        "survey_result",
        "priority",
    ]
    return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}
