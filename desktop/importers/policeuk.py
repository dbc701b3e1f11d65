"""data.police.uk street-level crimes and outcomes: one month or many, any force, read in parts (any size).

Street files: each crime goes to `street_crime` with its ward (from the LSOA -> ward lookup: the store's, over the
bundled London one) and is counted into `crime_count` (taxonomy 'policeuk', category = the crime type in upper
case) per ward and month. Anti-social behaviour rows (blank Crime ID) are counted into `asb_count` per ward and
month instead. Rows with no location (blank LSOA) or an LSOA outside the lookup, and rows of forces other than the
file's own, are not lost: they are stored in `street_crime` with no ward, counted, and reported - but cannot be
counted in any ward. Outcome files go to `outcome` in the same way.

Counts are kept per force ("Falls within", the `series`): the Met's and the City of London Police's files for one
month add up in a border ward instead of replacing each other, and a file filtered to some crime types (e.g. burglary
only) replaces only those types (supersede.py), and covers only those types (source_month, for coverage).

police.uk repeats some Crime IDs (a crime re-published with a new outcome), so repeated IDs are not rejected.

Known limitation - re-downloaded months: a newer download of a month already in the store supersedes its ward
counts correctly (`crime_count`/`asb_count`, with revision history), but both downloads' `street_crime` and
`outcome` rows stay, so those two tables hold the month twice. Packs and analysis use only the counts, so no
figure is doubled; anything reading `street_crime`/`outcome` directly must keep to the source in force. They are
not deleted on import because `remove_source` could not then restore them (the rows are not kept elsewhere).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from desktop.importers.categories import clean
from desktop.importers.job import ImportJob
from desktop.importers.parse import parse_months
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import WardInfo, lsoa_to_ward, upsert_wards

ASB = "ANTI-SOCIAL BEHAVIOUR"
STREET_INSERT = (
    "INSERT INTO street_crime (source_id, crime_id, month, force, lsoa_code, ward_code, crime_type, last_outcome, "
    "location, longitude, latitude) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
OUTCOME_INSERT = (
    "INSERT INTO outcome (source_id, crime_id, month, lsoa_code, ward_code, outcome_type) VALUES (?, ?, ?, ?, ?, ?)"
)


class _Placement:
    """Counts of rows that could not be put in a ward, for the summary."""

    def __init__(self) -> None:
        self.no_location = 0
        self.outside: Counter[str] = Counter()
        self.forces: Counter[str] = Counter()

    def add(self, frame: Any) -> None:
        self.no_location += int((frame["lsoa_code"] == "").sum())
        outside = frame[(frame["lsoa_code"] != "") & frame["_ward"].isna()]
        if len(outside):
            names = outside["lsoa_name"] if "lsoa_name" in outside.columns else outside["lsoa_code"]
            self.outside.update(names.value_counts().to_dict())
        if "falls_within" in frame.columns:
            self.forces.update(frame["falls_within"].value_counts().to_dict())

    def warn(self, job: ImportJob, what: str) -> None:
        if self.no_location:
            job.warnings.append(
                f"{_n(self.no_location, what)} no location (blank LSOA), so they cannot be placed in a ward; "
                "they are kept but counted in no ward."
            )
        n_out = sum(self.outside.values())
        if n_out:
            examples = ", ".join(str(k) for k, _ in self.outside.most_common(3))
            job.warnings.append(
                f"{_n(n_out, what, 'is', 'are')} in LSOAs outside the ward lookup (e.g. {examples}); they are kept but "
                "counted in no ward. Import an ONS LSOA-to-ward lookup that covers them if you need them."
            )
        if len(self.forces) > 1:
            main, _ = self.forces.most_common(1)[0]
            others = sum(n for force, n in self.forces.items() if force != main)
            job.warnings.append(
                f"{_n(others, what, 'belongs', 'belong')} to forces other than {main}; they are kept as they are."
            )

    def main_force(self) -> str:
        return str(self.forces.most_common(1)[0][0]) if self.forces else ""


def _n(count: int, what: str, one: str = "has", many: str = "have") -> str:
    """'1 row has', '3 rows have' (what: 'row' or 'outcome')."""
    return f"{count:,} {what} {one}" if count == 1 else f"{count:,} {what}s {many}"


def _common(job: ImportJob, frame: Any, is_last: bool, lookup: dict[str, str], needed: list[str]) -> Any:
    frame = split_blank_and_notes(frame, ["month", needed[-1]], job.table.notes, is_last)
    job.rows_read += len(frame)
    frame["month"], bad = parse_months(frame["month"])
    frame = job.reject_mask(frame, bad, "Month", "not a month (expected e.g. 2024-01)", shown="month")
    frame = job.reject_future_months(frame, "month", "Month")
    for col in needed:
        frame = job.reject_mask(frame, frame[col].str.strip() == "", col, "this cell must not be blank")
    frame["lsoa_code"] = frame["lsoa_code"].str.strip().str.upper()
    frame["_ward"] = frame["lsoa_code"].map(lookup)
    return frame


def _none_if_blank(series: Any) -> list[Any]:
    return [v if v else None for v in series.tolist()]


def _numbers(frame: Any, col: str) -> list[Any]:
    import pandas as pd

    if col not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[col], errors="coerce")
    return [None if v != v else float(v) for v in values.tolist()]


def _text(frame: Any, col: str) -> list[Any]:
    return _none_if_blank(frame[col]) if col in frame.columns else [None] * len(frame)


def import_street(job: ImportJob) -> None:
    lookup = lsoa_to_ward(job.db)
    place = _Placement()
    crimes: Any = None
    asb: Any = None
    wards_seen: set[str] = set()
    for frame, is_last in job.table.chunks():
        job.require_columns(frame, ["crime_id", "month", "lsoa_code", "crime_type"], "police.uk street")
        frame = _common(job, frame, is_last, lookup, ["crime_type"])
        frame["_type"] = frame["crime_type"].map({t: clean(t) for t in frame["crime_type"].unique()})
        place.add(frame)
        is_asb = frame["_type"] == ASB
        frame["_force"] = frame["falls_within"].str.strip() if "falls_within" in frame.columns else ""
        placed = frame[frame["_ward"].notna()]
        wards_seen.update(placed["_ward"].unique().tolist())
        by_key = placed.groupby(["_force", "_ward", "month", "_type"], sort=False).size()
        asb_part = by_key[by_key.index.get_level_values(3) == ASB].droplevel(3)
        crime_part = by_key[by_key.index.get_level_values(3) != ASB]
        crimes = crime_part if crimes is None else crimes.add(crime_part, fill_value=0)
        asb = asb_part if asb is None else asb.add(asb_part, fill_value=0)
        rows = frame[~is_asb]
        job.bulk_load("street_crime", max(len(frame), job.facts.size // 250))
        job.step("storing crimes", int(frame["_row"].iloc[-1]) if len(frame) else None)
        job.write(
            STREET_INSERT,
            zip(
                [job.source_id] * len(rows),
                _text(rows, "crime_id"),
                rows["month"].tolist(),
                _text(rows, "falls_within"),
                _none_if_blank(rows["lsoa_code"]),
                [None if w != w else w for w in rows["_ward"].tolist()],
                rows["crime_type"].str.strip().tolist(),
                _text(rows, "last_outcome_category"),
                _text(rows, "location"),
                _numbers(rows, "longitude"),
                _numbers(rows, "latitude"),
                strict=True,
            ),
        )
        job.rows_stored += len(frame)
    place.warn(job, "row")
    job.series = f"policeuk-street:{place.main_force()}"
    job.taxonomy = "policeuk"
    if crimes is not None and len(crimes):
        crimes = crimes.astype("int64").reset_index()
        crimes.columns = ["force", "ward", "month", "cat", "count"]
        job.add_month_totals(
            "crime_count", crimes["month"], crimes["count"], series=crimes["force"], categories=crimes["cat"]
        )
        job.write(
            "INSERT INTO crime_count (source_id, series, ward_code, month, taxonomy, category, subcategory, count) "
            "VALUES (?, ?, ?, ?, 'policeuk', ?, '', ?)",
            zip(
                [job.source_id] * len(crimes),
                crimes["force"],
                crimes["ward"],
                crimes["month"],
                crimes["cat"],
                crimes["count"].tolist(),
                strict=True,
            ),
        )
    if asb is not None and len(asb):
        asb = asb.astype("int64").reset_index()
        asb.columns = ["force", "ward", "month", "count"]
        job.add_month_totals("asb_count", asb["month"], asb["count"], series=asb["force"])
        job.write(
            "INSERT INTO asb_count (source_id, series, ward_code, month, count) VALUES (?, ?, ?, ?, ?)",
            zip(
                [job.source_id] * len(asb),
                asb["force"],
                asb["ward"],
                asb["month"],
                asb["count"].tolist(),
                strict=True,
            ),
        )
    _months_of_unplaced(job)
    _ensure_wards(job, wards_seen)


def _months_of_unplaced(job: ImportJob) -> None:
    for (month,) in job.db.execute(
        "SELECT DISTINCT month FROM street_crime WHERE source_id = ?", [job.source_id]
    ).fetchall():
        job.months.add(month)


def _ensure_wards(job: ImportJob, codes: set[str]) -> None:
    """Wards counted here that the `ward` table lacks are added from the bundled lookup (names, boroughs)."""
    from desktop.importers.wards import bundled_wards

    have = {r[0] for r in job.db.execute("SELECT code FROM ward").fetchall()}
    bundled = bundled_wards()
    missing = [bundled.get(c) or WardInfo(c, c, None, None) for c in sorted(codes) if c not in have]
    if missing:
        upsert_wards(job.db, missing, job.source_id)


def import_outcomes(job: ImportJob) -> None:
    lookup = lsoa_to_ward(job.db)
    place = _Placement()
    for frame, is_last in job.table.chunks():
        job.require_columns(frame, ["crime_id", "month", "lsoa_code", "outcome_type"], "police.uk outcomes")
        frame = _common(job, frame, is_last, lookup, ["outcome_type"])
        place.add(frame)
        job.months.update(frame["month"].unique().tolist())
        job.bulk_load("outcome", max(len(frame), job.facts.size // 250))
        job.step("storing outcomes", int(frame["_row"].iloc[-1]) if len(frame) else None)
        job.write(
            OUTCOME_INSERT,
            zip(
                [job.source_id] * len(frame),
                _text(frame, "crime_id"),
                frame["month"].tolist(),
                _none_if_blank(frame["lsoa_code"]),
                [None if w != w else w for w in frame["_ward"].tolist()],
                frame["outcome_type"].str.strip().tolist(),
                strict=True,
            ),
        )
        job.rows_stored += len(frame)
    place.warn(job, "outcome")
    job.series = f"policeuk-outcomes:{place.main_force()}"
