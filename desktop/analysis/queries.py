"""SQL over the store's current figures, returned as pandas frames or plain rows for the analysis and the builder.

Only rows with `current = 1` are read: the figure in force for each key, after newer editions superseded older ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop.analysis.periods import detect_partial
from desktop.analysis.themes import Theme

if TYPE_CHECKING:
    import pandas as pd

CRIME_COLUMNS = ["ward_code", "month", "taxonomy", "category", "subcategory", "count", "partial"]


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
    sql = (
        f"SELECT {', '.join(CRIME_COLUMNS)} FROM crime_count WHERE current = 1 AND month BETWEEN ? AND ? "
        f"AND ward_code IN ({_marks(ward_codes)})"
    )
    return _frame(db, sql, [start, end, *ward_codes], CRIME_COLUMNS)


def preferred_taxonomy(frame: pd.DataFrame) -> dict[str, str]:
    """Per ward: 'mps' when it has Met figures (the fuller taxonomy), else 'policeuk'."""
    out: dict[str, str] = {}
    for (ward, taxonomy), _ in frame.groupby(["ward_code", "taxonomy"]):
        if taxonomy == "mps" or ward not in out:
            out[str(ward)] = str(taxonomy)
    return out


def theme_frame(frame: pd.DataFrame, theme: Theme) -> pd.DataFrame:
    """Rows of `frame` (crime_frame) in `theme`, using each ward's preferred taxonomy, with a `group` column for the
    theme's table (Met MinorText, or MajorText when breakdown = 'major'; the crime type for police.uk)."""
    import pandas as pd

    if frame.empty or not theme.has_categories:
        return pd.DataFrame(columns=[*CRIME_COLUMNS, "group"])
    taxonomy = preferred_taxonomy(frame)
    keep = frame["taxonomy"] == frame["ward_code"].map(taxonomy)
    frame = frame[keep]
    keys = frame[["taxonomy", "category", "subcategory"]].drop_duplicates()
    matched = {
        (t, c, s) for t, c, s in keys.itertuples(index=False, name=None) if theme.matches(str(t), str(c), str(s))
    }
    mask = [
        (t, c, s) in matched for t, c, s in zip(frame["taxonomy"], frame["category"], frame["subcategory"], strict=True)
    ]
    out = frame[mask].copy()
    use_major = (out["taxonomy"] != "mps") | (theme.breakdown == "major") | (out["subcategory"] == "")
    out["group"] = out["category"].where(use_major, out["subcategory"])
    out["group"] = out["group"].map(_tidy_label)
    return out


def _tidy_label(text: str) -> str:
    """'THEFT FROM THE PERSON' -> 'Theft from the person' (acronyms kept)."""
    text = str(text)
    if not text.isupper():
        return text
    words = text.lower().split()
    keep = {"nfib": "NFIB", "misc": "Misc", "unauth": "unauth", "veh": "veh", "agg": "agg"}
    words = [keep.get(w, w) for w in words]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


def month_totals(db: Database, table: str, taxonomy: str | None = None) -> tuple[dict[str, float], set[str]]:
    """(month -> total of current figures, months flagged partial) over the whole store for `table`
    ('crime_count' or 'asb_count')."""
    where = "current = 1" + (" AND taxonomy = ?" if taxonomy else "")
    params = [taxonomy] if taxonomy else []
    totals: dict[str, float] = {}
    flagged: set[str] = set()
    for month, total, partial in db.execute(
        f"SELECT month, SUM(count), MAX(partial) FROM {table} WHERE {where} GROUP BY month", params
    ).fetchall():
        totals[str(month)] = float(total or 0)
        if partial:
            flagged.add(str(month))
    return totals, flagged


def partial_months(db: Database, table: str, taxonomy: str | None = None) -> set[str]:
    """Months flagged partial in the store, plus any the §5 rule finds (a safety net)."""
    totals, flagged = month_totals(db, table, taxonomy)
    return flagged | detect_partial(totals)


def covered_months(db: Database, table: str, taxonomy: str | None = None) -> set[str]:
    where = "current = 1" + (" AND taxonomy = ?" if taxonomy else "")
    params = [taxonomy] if taxonomy else []
    return {str(r[0]) for r in db.execute(f"SELECT DISTINCT month FROM {table} WHERE {where}", params).fetchall()}


def has_rows(db: Database, table: str, where: str = "1", params: Sequence[Any] = ()) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1", list(params)).fetchone() is not None


def asb_frame(db: Database, ward_codes: Sequence[str], start: str, end: str) -> pd.DataFrame:
    cols = ["ward_code", "month", "count", "partial"]
    if not ward_codes:
        return _frame(db, "SELECT 1, 1, 1, 1 WHERE 0", [], cols)
    sql = (
        "SELECT ward_code, month, count, partial FROM asb_count WHERE current = 1 AND month BETWEEN ? AND ? "
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
          AND EXISTS (SELECT 1 FROM crime_count c WHERE c.ward_code = w.code AND c.current = 1
                      AND c.month BETWEEN ? AND ?)
        ORDER BY w.name
    """
    return list(db.query(sql, [borough_name, start, end]))


def sources(db: Database) -> list[dict[str, Any]]:
    sql = (
        "SELECT id, kind, series, file_name, imported_at, first_month, last_month, partial_months, rows_stored "
        "FROM source WHERE status = 'ok' ORDER BY kind, first_month, id"
    )
    return list(db.query(sql))
