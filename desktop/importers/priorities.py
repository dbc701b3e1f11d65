"""Panel priorities template: one row per action; rows with the same ward and priority make one priority.

Columns: ward_code, ward_name, priority, theme, set_on, status, review_date, measure_before, measure_after,
action, action_owner, action_due, action_done. Dates as YYYY-MM-DD or dd/mm/yyyy; status open or closed (blank is
open; done/complete/achieved count as closed). A priority already in the store for the same ward with the same
title is updated from the file (its actions replaced); others are added. Removing the source removes the
priorities it brought in.
"""

from __future__ import annotations

from typing import Any

from desktop.importers.job import ImportJob
from desktop.importers.parse import date_text
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import upsert_wards

STATUS = {
    "": "open",
    "open": "open",
    "in progress": "open",
    "ongoing": "open",
    "active": "open",
    "new": "open",
    "closed": "closed",
    "done": "closed",
    "complete": "closed",
    "completed": "closed",
    "achieved": "closed",
}
DATE_COLUMNS = ("set_on", "review_date", "action_due", "action_done")
TEXT_COLUMNS = ("theme", "measure_before", "measure_after", "action", "action_owner")


def _cell(frame: Any, col: str) -> Any:
    import pandas as pd

    return frame[col].str.strip() if col in frame.columns else pd.Series("", index=frame.index)


def import_priorities(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    code = "ward_code" if "ward_code" in frame.columns else "wardcode"
    frame = split_blank_and_notes(frame, [code, "priority"], job.table.notes, True)
    job.rows_read = len(frame)
    frame, known = job.reject_unknown_wards(frame, code, "e.g. E05013808")
    frame["priority"] = frame["priority"].str.strip()
    frame = job.reject_mask(frame, frame["priority"] == "", "priority", "a priority needs a title")
    frame["_status"] = _cell(frame, "status").str.lower().map(STATUS)
    frame = job.reject_mask(frame, frame["_status"].isna(), "status", "must be open or closed", shown="status")
    for col in DATE_COLUMNS:
        raw = _cell(frame, col)
        parsed = raw.map(lambda v: date_text(v) if v else "")
        frame = (
            job.reject_mask(frame, parsed.isna(), col, "not a date (YYYY-MM-DD or dd/mm/yyyy)", shown=col)
            if col in frame.columns
            else frame
        )
        frame["_" + col] = parsed[frame.index].map(lambda v: v or None)
    for col in TEXT_COLUMNS:
        frame["_" + col] = _cell(frame, col)
    upsert_wards(job.db, [known[c] for c in sorted(set(frame[code]))], job.source_id)
    added = updated = actions = 0
    for (ward, title), group in frame.groupby([code, "priority"], sort=False):
        first = group.iloc[0]
        existing = job.db.execute(
            "SELECT id FROM priority WHERE ward_code = ? AND lower(title) = lower(?)", [ward, title]
        ).fetchone()
        values = [
            first["_theme"],
            first["_set_on"],
            first["_status"],
            first["_review_date"],
            first["_measure_before"],
            first["_measure_after"],
            job.source_id,
        ]
        if existing:
            pid = int(existing[0])
            job.db.execute(
                "UPDATE priority SET theme = ?, set_on = ?, status = ?, review_date = ?, measure_before = ?, "
                "measure_after = ?, source_id = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now') WHERE id = ?",
                [*values, pid],
            )
            job.db.execute("DELETE FROM priority_action WHERE priority_id = ?", [pid])
            updated += 1
        else:
            cur = job.db.execute(
                "INSERT INTO priority (ward_code, title, theme, set_on, status, review_date, measure_before, "
                "measure_after, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [ward, title, *values],
            )
            pid = int(cur.lastrowid or 0)
            added += 1
        rows = [
            (pid, r["_action"], r["_action_owner"], r["_action_due"], r["_action_done"])
            for r in group.to_dict("records")
            if r["_action"]
        ]
        job.write("INSERT INTO priority_action (priority_id, text, owner, due, done_on) VALUES (?, ?, ?, ?, ?)", rows)
        actions += len(rows)
    job.rows_stored = len(frame)
    job.series = "priorities"
    job.warnings.append(f"{added} priorities added, {updated} updated, with {actions} actions.")
