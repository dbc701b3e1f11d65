"""SQL over the store's current figures, returned as pandas frames or plain rows for the analysis and the builder.

Only rows with `current = 1` are read: the figure in force for each key, after newer editions superseded older ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop.analysis.coverage import MonthFiles, month_files
from desktop.analysis.themes import Theme
from desktop.months import detect_partial

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


def tidy_labels(names: Sequence[str]) -> dict[str, str]:
    """Upper-case category names -> how tables show them ('THEFT FROM THE PERSON' -> 'Theft from the person')."""
    return {n: _tidy_label(n) for n in names if n}


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


@dataclass(frozen=True)
class SeriesMonths:
    """One series' months across the whole store: what its files hold (source_month), the total of its current
    figures per month, and the months whose current figures are flagged partial."""

    files: dict[str, MonthFiles]
    totals: dict[str, float]
    flagged: frozenset[str]

    @cached_property
    def detected(self) -> frozenset[str]:
        """Months the safety-net rule finds partial among those the files hold for every type (a file filtered
        by type is not judged against whole months)."""
        whole = {m: t for m, t in self.totals.items() if m in self.files and self.files[m].every_type}
        return frozenset(detect_partial(whole))

    @cached_property
    def complete(self) -> frozenset[str]:
        """Months held completely for every crime type."""
        return frozenset(
            m for m, f in self.files.items() if f.every_type and m not in self.flagged and m not in self.detected
        )

    @property
    def partial(self) -> frozenset[str]:
        """Months held, but only partly counted."""
        held = {m for m, f in self.files.items() if f.every_type or f.partial}
        return frozenset(held - self.complete)


_SERIES_CACHE: dict[tuple[Any, ...], dict[str, SeriesMonths]] = {}


def series_months(db: Database, table: str, taxonomy: str = "") -> dict[str, SeriesMonths]:
    """Series -> SeriesMonths for `table` ('crime_count' with taxonomy 'mps' or 'policeuk'; 'asb_count'), over the
    whole store. It reads every current row and a batch asks for it once per pack, so it is cached on the store's
    file and generation (a change by any connection or process raises the generation; an in-memory store is never
    cached, as two of them could share a generation)."""
    from desktop.store.queries import generation, store_identity

    identity = store_identity(db)
    if not identity:
        return _series_months(db, table, taxonomy)
    key = (identity, generation(db), table, taxonomy)
    if key not in _SERIES_CACHE:
        if len(_SERIES_CACHE) > 64:
            _SERIES_CACHE.clear()
        _SERIES_CACHE[key] = _series_months(db, table, taxonomy)
    return _SERIES_CACHE[key]


def _series_months(db: Database, table: str, taxonomy: str) -> dict[str, SeriesMonths]:
    tax = " AND taxonomy = ?" if table == "crime_count" else ""
    params = [taxonomy] if tax else []
    files: dict[str, list[tuple[str, int, str]]] = {}
    for series, month, partial, types in db.execute(
        "SELECT m.series, m.month, m.partial, m.types FROM source_month m JOIN source s ON s.id = m.source_id "
        f"WHERE s.status = 'ok' AND m.tbl = ?{tax.replace('taxonomy', 'm.taxonomy')}",
        [table, *params],
    ).fetchall():
        files.setdefault(str(series), []).append((str(month), int(partial), str(types)))
    totals: dict[str, dict[str, float]] = {}
    flagged: dict[str, set[str]] = {}
    for series, month, total, partial in db.execute(
        f"SELECT series, month, SUM(count), MAX(partial) FROM {table} WHERE current = 1{tax} GROUP BY series, month",
        params,
    ).fetchall():
        totals.setdefault(str(series), {})[str(month)] = float(total or 0)
        if partial:
            flagged.setdefault(str(series), set()).add(str(month))
    return {
        name: SeriesMonths(month_files(rows), totals.get(name, {}), frozenset(flagged.get(name, set())))
        for name, rows in files.items()
    }


def main_series(found: dict[str, SeriesMonths]) -> str | None:
    """The series a store mostly holds (e.g. the Met's own police.uk files beside the City of London's): the one
    with the most complete months, then the largest total."""
    if not found:
        return None
    return max(found, key=lambda s: (len(found[s].complete), sum(found[s].totals.values()), s))


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
    """For each source in force that restated figures an earlier edition held for these wards: how many figures
    both held, how many it changed, and the largest change (with where and when)."""
    if not ward_codes:
        return []
    sql = f"""
        SELECT o.superseded_by AS source_id, count(*) AS shared, sum(o.count != n.count) AS changed,
               max(abs(o.count - n.count)) AS largest
        FROM crime_count o JOIN crime_count n
          ON n.source_id = o.superseded_by AND n.taxonomy = o.taxonomy AND n.series = o.series
         AND n.ward_code = o.ward_code AND n.month = o.month AND n.category = o.category
         AND n.subcategory = o.subcategory
        WHERE o.current = 0 AND o.superseded_by IS NOT NULL AND o.ward_code IN ({_marks(ward_codes)})
        GROUP BY o.superseded_by
    """
    out = []
    for row in db.query(sql, list(ward_codes)):
        detail = db.execute(
            f"""
            SELECT n.ward_code, n.month, n.category, n.subcategory, o.count, n.count
            FROM crime_count o JOIN crime_count n
              ON n.source_id = o.superseded_by AND n.taxonomy = o.taxonomy AND n.series = o.series
             AND n.ward_code = o.ward_code AND n.month = o.month AND n.category = o.category
             AND n.subcategory = o.subcategory
            WHERE o.superseded_by = ? AND o.current = 0 AND o.ward_code IN ({_marks(ward_codes)})
              AND abs(o.count - n.count) = ? LIMIT 1
            """,
            [row["source_id"], *ward_codes, row["largest"]],
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
