"""Met ward-level recorded crime: the London Datastore's wide file (one YYYYMM column per month, any edition) and
a long layout (one row per ward, month and category) for extracts other partnerships produce.

Categories are stored in canonical form (categories.py: upper case, older names renamed to current ones).
Ward codes of any boundary set are kept as given (pre-2022 editions use the old codes). Labels in the borough
column that are not London boroughs, e.g. "Aviation Security (SO18)", are Met policing units: their rows are kept,
and the summary says so. Each ward seen is added to (or refreshed in) the `ward` table.
"""

from __future__ import annotations

from typing import Any

from desktop.importers.categories import canonicalise, unknown_categories, unknown_text
from desktop.importers.errors import ImportFailed
from desktop.importers.job import ImportJob, SeenKeys
from desktop.importers.month_headers import month_columns, not_real_months
from desktop.importers.parse import parse_counts, parse_months
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import WARD_CODE, WardInfo, canonical_borough, upsert_wards
from desktop.months import this_month

INSERT = (
    "INSERT INTO crime_count (source_id, ward_code, month, taxonomy, category, subcategory, count) "
    "VALUES (?, ?, ?, 'mps', ?, ?, ?)"
)
LONG_COLUMNS = {
    "ward_code": ("ward_code", "wardcode"),
    "ward_name": ("ward_name", "wardname"),
    "borough": ("borough_name", "lookup_boroughname", "borough"),
    "month": ("month",),
    "major": ("category", "majortext"),
    "minor": ("subcategory", "minortext"),
    "count": ("count", "value", "crimes"),
}


def _pick(frame: Any, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in frame.columns), None)


class _Wards:
    """Wards and pseudo-boroughs seen in a file."""

    def __init__(self) -> None:
        self.wards: dict[str, WardInfo] = {}
        self.pseudo: dict[str, int] = {}

    def add(self, frame: Any, code: str, name: str | None, borough: str | None) -> None:
        cols = [c for c in (code, name, borough) if c]
        for row in frame[cols].drop_duplicates(subset=[code]).itertuples(index=False):
            values = dict(zip(cols, row, strict=True))
            label = values.get(borough, "") if borough else ""
            canon, known = canonical_borough(label) if label else ("", True)
            if values[code] not in self.wards:
                self.wards[values[code]] = WardInfo(
                    values[code], values.get(name, "") if name else "", None, canon if known and canon else None
                )
        if borough:
            for label, n in frame[borough].value_counts().items():
                canon, known = canonical_borough(str(label))
                if label and not known:
                    self.pseudo[canon] = self.pseudo.get(canon, 0) + int(n)

    def finish(self, job: ImportJob) -> None:
        upsert_wards(job.db, self.wards.values(), job.source_id)
        for label, n in sorted(self.pseudo.items()):
            job.warnings.append(
                f"'{label}' ({n:,} rows) is not a London borough but a Met policing unit; its rows are kept, "
                "under their ward codes."
            )


def _check_codes(job: ImportJob, frame: Any, code_col: str, label: str) -> Any:
    """Ward codes trimmed and upper-cased; malformed ones rejected (each distinct code checked once)."""
    import numpy as np
    import pandas as pd

    raw = frame[code_col]
    codes, uniques = pd.factorize(raw.to_numpy(), use_na_sentinel=False)
    clean = [u.strip().upper() for u in uniques]
    valid = np.array([bool(WARD_CODE.match(c)) for c in clean], dtype=bool)
    bad = pd.Series(~valid[codes], index=frame.index)
    frame[code_col] = pd.Series(np.array(clean, dtype=object)[codes], index=frame.index, dtype=object)
    return job.reject_mask(frame, bad, label, "not a ward code (expected e.g. E05013808)", shown=code_col)


def _canonicalise(job: ImportJob, frame: Any, major: str, minor: str | None, renames: set[str]) -> None:
    frame["_cat"], frame["_sub"], renamed = canonicalise(frame[major], frame[minor] if minor else None)
    renames.update(renamed)


def _report_unknown(job: ImportJob, pairs: set[tuple[str, str]]) -> None:
    """Say which category names WardBrief does not know: no theme may count them (a relabelling, most likely)."""
    unknown = unknown_categories(pairs)
    if unknown:
        job.warnings.append(
            f"Crime categories WardBrief does not know: {unknown_text(unknown)}. They count in All crime, but a "
            "theme may not count them, and its section would then say it has no figures. If the Met has renamed a "
            "category, add the new name to that theme's categories in resources/themes.toml (or ask whoever "
            "looks after WardBrief)."
        )


def _report_renames(job: ImportJob, renames: set[str]) -> None:
    if renames:
        shown = sorted(renames)
        more = f" (and {len(shown) - 8} more)" if len(shown) > 8 else ""
        job.warnings.append(
            "Older category names were renamed to current ones so editions line up: " + "; ".join(shown[:8]) + more
        )


CUT_FROM_WARDS = 5  # from this many wards on, the other wards show how many rows a whole ward has


def refuse_cut_short(frame: Any, code: str, name: str | None) -> None:
    """The Met's file lists every category for each ward, ward after ward (23 to 30 rows each): a last ward with
    fewer rows than any other ward, and well under the usual number, is a file cut off at a row boundary (a
    download that stopped), which would otherwise replace that ward's figures with some of its categories."""
    if frame.empty or frame[code].nunique() < CUT_FROM_WARDS:
        return
    sizes = frame.groupby(code, sort=False).size()
    last = frame[code].iloc[-1]
    usual = float(sizes.median())
    fewest_other = int(sizes.drop(last).min())
    if sizes[last] < fewest_other and sizes[last] < 0.8 * usual:
        label = frame[name].iloc[-1] if name else last
        raise ImportFailed(
            f"This file looks cut off: its last ward ({label}) has only {sizes[last]} category rows where the other "
            f"wards have about {usual:.0f}, so the download or copy stopped part-way; nothing was imported.",
            "Download or copy the file again, check it ends with the last ward's rows, then import it.",
        )


def import_wide(job: ImportJob) -> None:
    """The London Datastore file: MajorText, MinorText, WardName, WardCode, LookUp_BoroughName, YYYYMM..."""
    import pandas as pd

    ((frame, _),) = list(job.table.chunks())
    job.require_columns(frame, ["majortext", "minortext"], "Met ward crime")
    code = _pick(frame, ("wardcode", "ward_code"))
    assert code is not None
    name, borough = _pick(frame, ("wardname", "ward_name")), _pick(frame, ("lookup_boroughname", "borough_name"))
    month_cols: dict[str, str | None] = dict(month_columns(list(frame.columns)))  # 202406, Jun-24, 01/06/2024...
    future = [c for c, m in month_cols.items() if m is None or m > this_month()] + not_real_months(list(frame.columns))
    if future:
        raise ImportFailed(
            f"The month column(s) {', '.join(future)} are in the future or not real months.",
            "Check the file's column headings (YYYYMM, e.g. 202406) and export it again.",
        )
    if len(set(month_cols.values())) < len(month_cols):
        twice = sorted({m for m in month_cols.values() if list(month_cols.values()).count(m) > 1 and m})
        raise ImportFailed(
            f"Two columns name the same month ({', '.join(twice)}), so its figures would be counted twice.",
            "Remove the repeated month column, then import the file again.",
        )
    frame = split_blank_and_notes(frame, ["majortext", code], job.table.notes, True)
    job.rows_read = len(frame)
    frame = _check_codes(job, frame, code, "WardCode")
    for col in ("majortext", "minortext"):
        frame[col] = frame[col].str.strip()
        frame = job.reject_mask(frame, frame[col] == "", col, "the category is blank")
    dup = frame.duplicated(subset=[code, "majortext", "minortext"], keep="first")
    frame = job.reject_mask(
        frame, dup, "MinorText", "duplicate row: same ward and category as an earlier row", shown="minortext"
    )
    refuse_cut_short(frame, code, name)
    counts: dict[str, Any] = {}
    bad_rows = pd.Series(False, index=frame.index)
    for col in month_cols:
        values, bad, negative = parse_counts(frame[col])
        job.report_cells(frame, bad, col, "not a whole number")
        job.report_cells(frame, negative, col, "a count cannot be negative")
        bad_rows |= bad | negative
        counts[col] = values
    frame = job.drop_rows(frame, bad_rows)
    renames: set[str] = set()
    _canonicalise(job, frame, "majortext", "minortext", renames)
    _report_renames(job, renames)
    _report_unknown(job, set(zip(frame["_cat"], frame["_sub"], strict=True)))
    seen = _Wards()
    seen.add(frame, code, name, borough)
    months = [m for m in month_cols.values() if m]
    long = pd.DataFrame(
        {
            "ward": frame[code].repeat(len(months)).to_numpy(),
            "month": _tile(months, len(frame)),
            "cat": frame["_cat"].repeat(len(months)).to_numpy(),
            "sub": frame["_sub"].repeat(len(months)).to_numpy(),
            "count": pd.concat([counts[c][frame.index] for c in month_cols], axis=1).to_numpy().ravel(),
        }
    )
    if long.duplicated(subset=["ward", "month", "cat", "sub"]).any():  # renamed categories meet: add them up
        long = long.groupby(["ward", "month", "cat", "sub"], as_index=False, sort=False).sum()
    job.add_month_totals("crime_count", long["month"], long["count"], categories=long["cat"])
    job.series = "mps-ward-crime"
    job.taxonomy = "mps"
    job.step(f"storing {len(long):,} ward-month figures")
    job.bulk_load("crime_count", len(long))
    job.rows_stored = len(frame)
    job.write(INSERT, _rows(job.source_id, long))
    seen.finish(job)


def _tile(months: list[str], n: int) -> Any:
    import numpy as np

    return np.tile(np.array(months, dtype=object), n)


def _rows(source_id: int, long: Any) -> Any:
    return zip(
        [source_id] * len(long),
        long["ward"].tolist(),
        long["month"].tolist(),
        long["cat"].tolist(),
        long["sub"].tolist(),
        long["count"].astype("int64").tolist(),
        strict=True,
    )


def import_long(job: ImportJob) -> None:
    """One row per ward, month and category, read in parts (any length)."""
    import pandas as pd

    seen = _Wards()
    renames: set[str] = set()
    categories: set[tuple[str, str]] = set()
    seen_keys = SeenKeys()
    job.series = "crime-counts-long"
    job.taxonomy = "mps"
    for frame, is_last in job.table.chunks():
        job.bulk_load("crime_count", max(len(frame), job.facts.size // 60))
        cols = {k: _pick(frame, names) for k, names in LONG_COLUMNS.items()}
        code, month, major, count = cols["ward_code"], cols["month"], cols["major"], cols["count"]
        assert code and month and major and count
        frame = split_blank_and_notes(frame, [code, month, count], job.table.notes, is_last)
        job.rows_read += len(frame)
        frame = _check_codes(job, frame, code, code)
        frame["_month"], bad = parse_months(frame[month])
        frame = job.reject_mask(frame, bad, month, "not a month (expected e.g. 2024-06)")
        frame = job.reject_future_months(frame, "_month", month)
        values, bad, negative = parse_counts(frame[count])
        frame["_count"] = values
        frame = job.reject_mask(frame, bad, count, "not a whole number")
        frame = job.reject_mask(frame, negative, count, "a count cannot be negative")
        minor = cols["minor"]
        key = [code, "_month", major] + ([minor] if minor else [])
        hashes = pd.util.hash_pandas_object(frame[key], index=False).to_numpy()
        dup = pd.Series(seen_keys.check_and_add(hashes), index=frame.index)
        frame = job.reject_mask(frame, dup, count, "duplicate row: same ward, month and category as an earlier row")
        _canonicalise(job, frame, major, minor, renames)
        categories.update(zip(frame["_cat"], frame["_sub"], strict=True))
        seen.add(frame, code, cols["ward_name"], cols["borough"])
        job.add_month_totals("crime_count", frame["_month"], frame["_count"], categories=frame["_cat"])
        job.step("storing rows", int(frame["_row"].iloc[-1]) if len(frame) else None)
        long = pd.DataFrame({"ward": frame[code], "month": frame["_month"], "cat": frame["_cat"], "sub": frame["_sub"]})
        long["count"] = frame["_count"]
        job.rows_stored += job.write(INSERT, _rows(job.source_id, long))
    _report_renames(job, renames)
    _report_unknown(job, categories)
    seen.finish(job)
