"""Which edition's figure is in force (`current = 1`) for each key: set-based SQL, run after every import and removal.

The keys editions compete on are in store/schema.py (e.g. Met crime by ward and month; police.uk crime by force,
ward, month and crime type). An ASB extract (series '') also takes precedence over police.uk ASB counts for the same
ward and month.

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

from desktop.store.schema import BY_NAME, SUPERSEDING

ORDER = "partial ASC, s.last_month DESC, c.source_id DESC"
ORDER_NO_PARTIAL = "s.last_month DESC, c.source_id DESC"


@dataclass(frozen=True)
class Slice:
    """The part of one table a source touched: `where` is SQL on alias-free columns, with its parameters, and the
    key columns whose editions compete (store/schema.py)."""

    table: str
    where: str
    params: tuple[Any, ...]
    keys: tuple[str, ...] = ()

    @property
    def key_columns(self) -> tuple[str, ...]:
        return self.keys or BY_NAME[self.table].keys


def slice_of(table: str, group: str | None, first: str, last: str) -> Slice:
    """The rows of a figure table in one group (e.g. a crime taxonomy; None for a table without groups) from
    `first` to `last`, with that group's key."""
    spec = BY_NAME[table]
    where = f"{spec.period} BETWEEN ? AND ?"
    params: tuple[Any, ...] = (first, last)
    if spec.group:
        where = f"{spec.group} = ? AND {where}"
        params = (group, *params)
    return Slice(table, where, params, spec.key_for(group))


def slices_for_source(db: Database, source_id: int, tables: tuple[str, ...] = SUPERSEDING) -> list[Slice]:
    """The slices of the superseding `tables` that `source_id` has rows in (read before its rows are removed)."""
    out: list[Slice] = []
    for name in tables:
        spec = BY_NAME[name]
        group = spec.group or "NULL"
        for value, first, last in db.execute(
            f"SELECT {group}, min({spec.period}), max({spec.period}) FROM {name} WHERE source_id = ? GROUP BY 1",
            [source_id],
        ).fetchall():
            if first is not None:
                out.append(slice_of(name, value, first, last))
    return out


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
    has_partial = BY_NAME[table].partial
    partial_col = ", c.partial" if has_partial else ""
    order = ORDER if has_partial else ORDER_NO_PARTIAL
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
