"""Which edition's figure is in force (`current = 1`) for each key: set-based SQL, run after every import and removal.

Keys (schema.py contract): Met crime_count (taxonomy, ward_code, month): a newer Met edition restates whole ward-months;
police.uk crime_count (taxonomy, series, ward_code, month, category): each force's figures stand alone (the Met's and
the City of London's files for one month add up) and a file filtered to some crime types replaces only those types;
asb_count (series, ward_code, month), where an ASB extract (series '') takes precedence over police.uk ASB counts for
the same ward and month; survey_result (survey, area_type, area, measure, period_end); fire_incident
(incident_number).

The edition in force for a key is the one whose figure is not partial, with the latest `last_month`, ties going to
the latest import; when every edition has the key as partial, the latest of those. The others keep their rows with
`current = 0` and `superseded_by` = the source in force (the revision history).

Each recompute works on a coarse slice that contains every affected key (e.g. the taxonomy and the month range a
source covers): recomputing an unaffected key gives the same answer, so the slice only needs to be big enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

ORDER = "partial ASC, s.last_month DESC, c.source_id DESC"
ORDER_NO_PARTIAL = "s.last_month DESC, c.source_id DESC"


@dataclass(frozen=True)
class Slice:
    """The part of one table a source touched: `where` is SQL on alias-free columns, with its parameters, and the
    key columns whose editions compete (default: the table's)."""

    table: str
    where: str
    params: tuple[Any, ...]
    keys: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        return self.keys or KEYS[self.table]


def crime_slice(taxonomy: str, first: str, last: str) -> Slice:
    """The crime_count rows of one taxonomy in a month range, with that taxonomy's key."""
    keys = POLICEUK_CRIME_KEYS if taxonomy == "policeuk" else KEYS["crime_count"]
    return Slice("crime_count", "taxonomy = ? AND month BETWEEN ? AND ?", (taxonomy, first, last), keys)


ALL_TABLES = ("crime_count", "asb_count", "survey_result", "fire_incident")


def slices_for_source(db: Database, source_id: int, tables: tuple[str, ...] = ALL_TABLES) -> list[Slice]:
    """The slices of the superseding `tables` that `source_id` has rows in (read before its rows are removed)."""
    out: list[Slice] = []
    if "crime_count" in tables:
        for tax, first, last in db.execute(
            "SELECT taxonomy, min(month), max(month) FROM crime_count WHERE source_id = ? GROUP BY taxonomy",
            [source_id],
        ).fetchall():
            out.append(crime_slice(tax, first, last))
    if "asb_count" in tables:
        first, last = db.execute(
            "SELECT min(month), max(month) FROM asb_count WHERE source_id = ?", [source_id]
        ).fetchone()
        if first is not None:
            out.append(Slice("asb_count", "month BETWEEN ? AND ?", (first, last)))
    if "survey_result" in tables:
        for survey, first, last in db.execute(
            "SELECT survey, min(period_end), max(period_end) FROM survey_result WHERE source_id = ? GROUP BY survey",
            [source_id],
        ).fetchall():
            out.append(Slice("survey_result", "survey = ? AND period_end BETWEEN ? AND ?", (survey, first, last)))
    if "fire_incident" in tables:
        first, last = db.execute(
            "SELECT min(month), max(month) FROM fire_incident WHERE source_id = ?", [source_id]
        ).fetchone()
        if first is not None:
            out.append(Slice("fire_incident", "month BETWEEN ? AND ?", (first, last)))
    return out


KEYS = {
    "crime_count": ("taxonomy", "ward_code", "month"),
    "asb_count": ("series", "ward_code", "month"),
    "survey_result": ("survey", "area_type", "area", "measure", "period_end"),
    "fire_incident": ("incident_number",),
}
POLICEUK_CRIME_KEYS = ("taxonomy", "series", "ward_code", "month", "category")
HAS_PARTIAL = {"crime_count", "asb_count"}


def _others_overlap(db: Database, piece: Slice, source_id: int | None) -> bool:
    """Whether any other source has rows in the slice (if not, every row of the slice is simply current)."""
    sql = f"SELECT 1 FROM {piece.table} WHERE {piece.where}"
    params: list[Any] = list(piece.params)
    if source_id is not None:
        sql += " AND source_id != ?"
        params.append(source_id)
    sql += " LIMIT 1"
    return db.execute(sql, params).fetchone() is not None


def recompute(db: Database, piece: Slice, source_id: int | None = None) -> int:
    """Set `current`/`superseded_by` for every key in the slice. `source_id`: the source just imported (its
    slice needs no work when nothing else overlaps it). Returns the number of keys with more than one edition."""
    table = piece.table
    keys = piece.key_columns
    if source_id is not None and not _others_overlap(db, piece, source_id):
        return 0
    key_cols = ", ".join(f"c.{k}" for k in keys)
    partial_col = ", c.partial" if table in HAS_PARTIAL else ""
    order = ORDER if table in HAS_PARTIAL else ORDER_NO_PARTIAL
    where = _alias_where(piece.where)
    db.execute("DROP TABLE IF EXISTS temp._win")
    db.execute(
        f"""
        CREATE TEMP TABLE _win AS
        SELECT {", ".join(keys)}, source_id, n_editions FROM (
            SELECT {key_cols}, c.source_id,
                   ROW_NUMBER() OVER (PARTITION BY {key_cols} ORDER BY {order}) AS rn,
                   COUNT(*) OVER (PARTITION BY {key_cols}) AS n_editions
            FROM (SELECT DISTINCT {key_cols}, c.source_id{partial_col}
                  FROM {table} c WHERE {where}) c
            JOIN source s ON s.id = c.source_id
        ) WHERE rn = 1
        """,
        list(piece.params),
    )
    db.execute(f"CREATE INDEX temp._win_key ON _win ({', '.join(keys)})")
    match = " AND ".join(f"{table}.{k} = w.{k}" for k in keys)
    db.execute(
        f"""
        UPDATE {table}
        SET current = ({table}.source_id = w.source_id),
            superseded_by = CASE WHEN {table}.source_id = w.source_id THEN NULL ELSE w.source_id END
        FROM _win w
        WHERE {match}
          AND (current != ({table}.source_id = w.source_id)
               OR superseded_by IS NOT (CASE WHEN {table}.source_id = w.source_id THEN NULL ELSE w.source_id END))
        """
    )
    revised = int(db.execute("SELECT count(*) FROM _win WHERE n_editions > 1").fetchone()[0])
    db.execute("DROP TABLE temp._win")
    if table == "asb_count":
        _extract_precedence(db, piece)
    return revised


def _extract_precedence(db: Database, piece: Slice) -> None:
    """An ASB extract (series '') is the partnership's own count for its wards and months: police.uk ASB counts
    for the same ward and month step aside for it (they are a second measure of the same incidents, not more)."""
    extract = (
        "SELECT e.source_id FROM asb_count e WHERE e.current = 1 AND e.series = '' "
        "AND e.ward_code = asb_count.ward_code AND e.month = asb_count.month LIMIT 1"
    )
    db.execute(
        f"UPDATE asb_count SET current = 0, superseded_by = ({extract}) "
        f"WHERE {piece.where} AND series != '' AND current = 1 AND EXISTS ({extract})",
        list(piece.params),
    )


def _alias_where(where: str) -> str:
    """'taxonomy = ? AND month BETWEEN ? AND ?' -> the same on alias c (BETWEEN's AND kept)."""
    out: list[str] = []
    for word in where.split(" "):
        if word and word[0].isalpha() and word.upper() not in {"AND", "BETWEEN", "IN", "OR", "NOT", "IS", "NULL"}:
            out.append(f"c.{word}")
        else:
            out.append(word)
    return " ".join(out)


def recompute_all(db: Database, slices: list[Slice], source_id: int | None = None) -> int:
    return sum(recompute(db, piece, source_id) for piece in slices)
