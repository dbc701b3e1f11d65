"""SQL over the store's current figures, returned as pandas frames or plain rows for the analysis and the builder.

Only rows with `current = 1` are read: the figure in force for each key, after newer editions superseded older ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop.analysis.themes import Theme
from desktop.months import detect_partial

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
    # INDEXED BY: the planner otherwise picks crime_count_current and scans every current row (30x slower)
    sql = (
        f"SELECT {', '.join(CRIME_COLUMNS)} FROM crime_count INDEXED BY crime_count_key "
        f"WHERE taxonomy IN ('mps', 'policeuk') AND ward_code IN ({_marks(ward_codes)}) "
        "AND month BETWEEN ? AND ? AND current = 1"
    )
    return _frame(db, sql, [*ward_codes, start, end], CRIME_COLUMNS)


def preferred_taxonomy(frame: pd.DataFrame) -> dict[str, str]:
    """Per ward: 'mps' when it has Met figures (the fuller taxonomy), else 'policeuk'."""
    out: dict[str, str] = {}
    for (ward, taxonomy), _ in frame.groupby(["ward_code", "taxonomy"]):
        if taxonomy == "mps" or ward not in out:
            out[str(ward)] = str(taxonomy)
    return out


_SEP = "\x1f"


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep each ward's preferred taxonomy and add a `_key` column (taxonomy, category, subcategory) so that
    theme_frame can match each distinct category once, however many rows share it."""
    taxonomy = preferred_taxonomy(frame)
    out = frame[frame["taxonomy"] == frame["ward_code"].map(taxonomy)].copy()
    out["_key"] = out["taxonomy"] + _SEP + out["category"] + _SEP + out["subcategory"]
    return out


def theme_frame(frame: pd.DataFrame, theme: Theme) -> pd.DataFrame:
    """Rows of `frame` (crime_frame) in `theme`, using each ward's preferred taxonomy, with a `group` column for the
    theme's table (Met MinorText, or MajorText when breakdown = 'major'; the crime type for police.uk)."""
    import pandas as pd

    if frame.empty or not theme.has_categories:
        return pd.DataFrame(columns=[*CRIME_COLUMNS, "group"])
    if "_key" not in frame.columns:
        frame = prepare(frame)
    matched = [k for k in frame["_key"].unique() if theme.matches(*str(k).split(_SEP))]
    out = frame[frame["_key"].isin(matched)].copy()
    use_major = (out["taxonomy"] != "mps") | (theme.breakdown == "major") | (out["subcategory"] == "")
    out["group"] = out["category"].where(use_major, out["subcategory"])
    out["group"] = out["group"].map({g: _tidy_label(g) for g in out["group"].unique()})
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


_TOTALS_CACHE: dict[tuple[Any, ...], tuple[dict[str, float], set[str]]] = {}


def month_totals(db: Database, table: str, taxonomy: str | None = None) -> tuple[dict[str, float], set[str]]:
    """(month -> total of current figures, months flagged partial) over the whole store for `table`
    ('crime_count' or 'asb_count'). It reads every current row and a batch asks for it once per pack, so it is
    cached on the store's file and generation (a change by any connection or process raises the generation; an
    in-memory store is never cached, as two of them could share a generation)."""
    from desktop.store.queries import generation, store_identity

    identity = store_identity(db)
    if not identity:
        return _month_totals(db, table, taxonomy)
    key = (identity, generation(db), table, taxonomy)
    if key not in _TOTALS_CACHE:
        if len(_TOTALS_CACHE) > 64:
            _TOTALS_CACHE.clear()
        _TOTALS_CACHE[key] = _month_totals(db, table, taxonomy)
    totals, flagged = _TOTALS_CACHE[key]
    return dict(totals), set(flagged)


def _month_totals(db: Database, table: str, taxonomy: str | None) -> tuple[dict[str, float], set[str]]:
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
    """Months the store holds current figures for (any ward)."""
    return set(month_totals(db, table, taxonomy)[0])


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
