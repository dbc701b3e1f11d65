"""Ward ASB counts template: ward_code, ward_name, month, asb_incidents (one row per ward and month).

Ward codes must be ones the store knows (its wards or the bundled London lookup); a month whose total is far below
its neighbours is flagged partial like crime. A newer file's figures supersede an older one's for the same ward and
month (and police.uk ASB counts for them), keeping the older as revision history.
"""

from __future__ import annotations

from desktop.importers.job import ImportJob
from desktop.importers.parse import parse_counts, parse_months
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import WardInfo, upsert_wards


def import_asb(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    code = "ward_code" if "ward_code" in frame.columns else "wardcode"
    count = next(c for c in ("asb_incidents", "asb_count", "asb") if c in frame.columns)
    frame = split_blank_and_notes(frame, [code, "month", count], job.table.notes, True)
    job.rows_read = len(frame)
    frame, known = job.reject_unknown_wards(frame, code, "check it, or import a ward lookup that includes it")
    frame["_month"], bad = parse_months(frame["month"])
    frame = job.reject_mask(frame, bad, "month", "not a month (expected e.g. 2024-06)", shown="month")
    frame = job.reject_future_months(frame, "_month", "month")
    values, bad, negative = parse_counts(frame[count])
    frame["_count"] = values
    frame = job.reject_mask(frame, bad, count, "not a whole number", shown=count)
    frame = job.reject_mask(frame, negative, count, "a count cannot be negative", shown=count)
    dup = frame.duplicated(subset=[code, "_month"], keep="first")
    frame = job.reject_mask(frame, dup, "month", "duplicate: this ward and month appear earlier", shown="month")
    names = dict(zip(frame[code], frame["ward_name"], strict=True)) if "ward_name" in frame.columns else {}
    wards = []
    for c in sorted(set(frame[code])):
        ref = known[c]
        wards.append(WardInfo(c, ref.name or names.get(c, ""), ref.borough_code, ref.borough_name))
    upsert_wards(job.db, wards, job.source_id)
    job.add_month_totals("asb_count", frame["_month"], frame["_count"])
    job.write(
        "INSERT INTO asb_count (source_id, ward_code, month, count) VALUES (?, ?, ?, ?)",
        zip([job.source_id] * len(frame), frame[code], frame["_month"], frame["_count"].tolist(), strict=True),
    )
    job.rows_stored = len(frame)
    job.series = "asb-ward-counts"
