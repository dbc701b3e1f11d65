"""What is in the store, file by file, and removing one file's figures (restoring what it had superseded)."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from desktop import kinds
from desktop.errors import WardBriefError
from desktop.importers.result import month_label
from desktop.importers.supersede import recompute_all, slices_for_source
from desktop.kinds import BY_KIND
from desktop.store import write_transaction
from desktop.store.schema import FIGURE_TABLES, SUPERSEDING


def list_sources(db: Database) -> list[dict[str, Any]]:
    """Every imported file, oldest first, with its months, rows, partial months, warnings and how many of its
    figures are in force now (`current_figures`) or superseded by a newer edition (`superseded_figures`)."""
    rows = list(db.query("SELECT * FROM source ORDER BY id"))
    counts: dict[int, list[int]] = {}
    for table in SUPERSEDING:
        for sid, cur, sup in db.execute(
            f"SELECT source_id, sum(current), sum(1 - current) FROM {table} GROUP BY source_id"
        ).fetchall():
            pair = counts.setdefault(sid, [0, 0])
            pair[0] += int(cur or 0)
            pair[1] += int(sup or 0)
    for row in rows:
        row["label"] = kinds.label(row["kind"])
        row["partial_months"] = json.loads(row["partial_months"] or "[]")
        row["warnings"] = json.loads(row["warnings"] or "[]")
        cur, sup = counts.get(row["id"], [0, 0])
        row["current_figures"] = cur
        row["superseded_figures"] = sup
    return rows


def format_sources(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "The store is empty. Import an extract with: wardbrief import FILE (or load the demo: wardbrief demo)."
    lines = []
    for row in rows:
        period = ""
        if row["first_month"]:
            first, last = month_label(row["first_month"]), month_label(row["last_month"])
            period = first if first == last else f"{first} to {last}"
        line = f"{row['id']:>4}  {row['label']:<34} {period:<22} {row['rows_stored']:>9,} rows  {row['file_name']}"
        lines.append(line)
        extra = []
        if row["superseded_figures"]:
            extra.append(f"{row['superseded_figures']:,} figures superseded by newer editions")
        if row["partial_months"]:
            extra.append("partial: " + ", ".join(month_label(m) for m in row["partial_months"]))
        if row["rows_rejected"]:
            extra.append(f"{row['rows_rejected']:,} rows rejected")
        if extra:
            lines.append("      " + "; ".join(extra))
    return "\n".join(lines)


def _undo(db: Database, table: str, source_id: int) -> str:
    """Undo what a source put in a table that is not a figure table (figure rows go with the source itself)."""
    if table == "ward.population":
        n = db.execute(
            "UPDATE ward SET population = NULL, population_year = NULL, population_source = NULL WHERE source_id = ?",
            [source_id],
        ).rowcount
        return f" Populations cleared for {n} wards."
    if table == "lsoa_ward":
        n = db.execute("DELETE FROM lsoa_ward WHERE source_id = ?", [source_id]).rowcount
        return f" {n:,} LSOA placements removed (the bundled London lookup still applies)."
    if table == "priority":
        n = db.execute("DELETE FROM priority WHERE source_id = ?", [source_id]).rowcount
        return f" {n} priorities removed."
    return ""  # figure tables (cascade) and `ward` rows (kept: other sources name the same wards)


def remove_source(db: Database, source_id: int) -> str:
    """Remove exactly that source's figures and restore what it superseded. Returns a message for the user."""
    row = db.execute("SELECT id, kind, file_name FROM source WHERE id = ?", [source_id]).fetchone()
    if row is None:
        raise WardBriefError(
            f"There is no source {source_id} in the store.", "Run `wardbrief sources` to see the sources and their ids."
        )
    _, kind, file_name = row
    with write_transaction(db):  # waits for another writer, then StoreBusy (a WardBriefError)
        slices = slices_for_source(db, source_id)
        figures = sum(
            int(db.execute(f"SELECT count(*) FROM {t.name} WHERE source_id = ?", [source_id]).fetchone()[0])
            for t in FIGURE_TABLES
        )
        restored = sum(
            int(db.execute(f"SELECT count(*) FROM {t} WHERE superseded_by = ?", [source_id]).fetchone()[0])
            for t in SUPERSEDING
        )
        extra = "".join(_undo(db, table, source_id) for table in BY_KIND[kind].tables) if kind in BY_KIND else ""
        db.execute("DELETE FROM source WHERE id = ?", [source_id])
        recompute_all(db, slices)
    message = f"Removed source {source_id} ({file_name}): {figures:,} figures."
    if restored:
        message += f" {restored:,} figures it had superseded are back in force."
    return message + extra
