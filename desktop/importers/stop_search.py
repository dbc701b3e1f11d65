"""data.police.uk stop and search: one row per search (a force's monthly `…-stop-and-search.csv`, any number of
months), read in parts.

The file has no LSOA and no force column: the force is taken from the file's name when it follows police.uk's
naming (`2024-01-metropolitan-stop-and-search.csv`), and each search keeps its latitude and longitude so it can be
placed in a ward once ward boundaries are in the store. Searches with no coordinates are kept and counted. Dates
carry a time and a time zone ('2024-01-04T07:41:00+00:00'); the month is the date's.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.importers.job import ImportJob
from desktop.importers.parse import parse_dates
from desktop.importers.placement import place_stop_searches
from desktop.importers.reader import split_blank_and_notes

INSERT = (
    "INSERT INTO stop_search (source_id, force, date, month, type, operation, latitude, longitude, gender, "
    "age_range, self_ethnicity, officer_ethnicity, legislation, object_of_search, outcome, outcome_linked, "
    "removal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
FILE_NAME = re.compile(r"^\d{4}-\d{2}-(?P<force>[a-z0-9-]+?)-stop-and-search", re.IGNORECASE)
DATE_PART = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def force_from_name(name: str) -> str:
    """'2024-01-metropolitan-stop-and-search.csv' -> 'metropolitan' ('' when the name does not say)."""
    found = FILE_NAME.match(name)
    return found.group("force").lower() if found else ""


def _text(frame: Any, col: str) -> list[Any]:
    if col not in frame.columns:
        return [None] * len(frame)
    return [v.strip() or None for v in frame[col].tolist()]


def _coordinates(job: ImportJob, frame: Any) -> tuple[Any, list[Any], list[Any]]:
    """Latitude and longitude as numbers (None where blank); a cell that is not a number is a rejected row."""
    import pandas as pd

    out = []
    for col, label in (("latitude", "Latitude"), ("longitude", "Longitude")):
        raw = (
            frame[col].fillna("").astype(str).str.strip() if col in frame.columns else pd.Series("", index=frame.index)
        )
        value = pd.to_numeric(raw, errors="coerce")
        frame = job.reject_mask(frame, (raw != "") & value.isna(), label, "not a number", shown=col)
        out.append(value)
    lat, lon = (v[frame.index] for v in out)
    return (
        frame,
        [None if pd.isna(v) else float(v) for v in lat.tolist()],
        [None if pd.isna(v) else float(v) for v in lon.tolist()],
    )


def import_stop_search(job: ImportJob) -> None:
    force = force_from_name(job.facts.path.name)
    no_location = 0
    for frame, is_last in job.table.chunks():
        job.require_columns(frame, ["type", "date", "object_of_search", "outcome"], "police.uk stop and search")
        frame = split_blank_and_notes(frame, ["type", "date"], job.table.notes, is_last)
        job.rows_read += len(frame)
        frame = job.reject_mask(frame, frame["type"].str.strip() == "", "Type", "this cell must not be blank")
        dates = frame["date"].str.strip().str.extract(DATE_PART, expand=False).fillna(frame["date"])
        frame["_date"], bad = parse_dates(dates)
        frame = job.reject_mask(
            frame, bad, "Date", "not a date (expected e.g. 2024-01-04T07:41:00+00:00)", shown="date"
        )
        frame["_month"] = frame["_date"].str[:7]
        frame = job.reject_future_months(frame, "_month", "Date")
        frame, lat, lon = _coordinates(job, frame)
        no_location += sum(1 for a, b in zip(lat, lon, strict=True) if a is None or b is None)
        job.months.update(frame["_month"].unique().tolist())
        job.step("storing searches", int(frame["_row"].iloc[-1]) if len(frame) else None)
        job.write(
            INSERT,
            zip(
                [job.source_id] * len(frame),
                [force or None] * len(frame),
                frame["_date"].tolist(),
                frame["_month"].tolist(),
                frame["type"].str.strip().tolist(),
                _text(frame, "policing_operation"),
                lat,
                lon,
                _text(frame, "gender"),
                _text(frame, "age_range"),
                _text(frame, "self-defined_ethnicity"),
                _text(frame, "officer-defined_ethnicity"),
                _text(frame, "legislation"),
                _text(frame, "object_of_search"),
                _text(frame, "outcome"),
                _text(frame, "outcome_linked_to_object_of_search"),
                _text(frame, "removal_of_more_than_just_outer_clothing"),
                strict=True,
            ),
        )
        job.rows_stored += len(frame)
    if no_location:
        job.warnings.append(
            f"{no_location:,} searches have no location, so they cannot be placed in a ward; they are kept and counted."
        )
    job.series = f"policeuk-stop-search:{force}"
    placed = place_stop_searches(job.db, job.source_id)
    if placed:
        job.warnings.append(f"{placed:,} searches were placed in wards by their coordinates (ward boundaries).")
