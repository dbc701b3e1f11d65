"""Ward lookups (ONS) and ward populations. Wards are matched by CODE, never by name.

- Ward -> local authority lookup (e.g. WD23CD, WD23NM or " WardName", LAD23CD, LAD23NM): adds or refreshes `ward`
  rows (name, borough code and name).
- LSOA -> ward best-fit lookup (e.g. LSOA21CD, LSOA21NM, WD25CD, WD25NM, LAD25CD, LAD25NM): fills `lsoa_ward`
  (used over the bundled London lookup to place police.uk rows) and adds or refreshes the wards.
- Ward populations (ward_code, ward_name, a population column such as usual_residents_2021_census_bestfit_lsoa_sum,
  optionally year): sets each ward's population, year and a label of where it came from.
- LSOA populations (lsoa21_code, usual_residents; age-band rows are added up): summed to wards through the LSOA
  lookup; only wards whose every LSOA is in the file get a population.
Removing a population source clears the populations it set; removing a lookup source removes its LSOA rows.
"""

from __future__ import annotations

import re
from typing import Any

from desktop.importers.errors import ImportFailed
from desktop.importers.job import ImportJob
from desktop.importers.parse import parse_counts
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import WARD_CODE, known_wards, lsoa_to_ward

UPSERT_WARD = """
    INSERT INTO ward (code, name, borough_code, borough_name, source_id) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT(code) DO UPDATE SET name = excluded.name,
        borough_code = COALESCE(excluded.borough_code, ward.borough_code),
        borough_name = COALESCE(excluded.borough_name, ward.borough_name)
"""


def _find(frame: Any, pattern: str, *names: str) -> str | None:
    for name in names:
        if name in frame.columns:
            return name
    rx = re.compile(pattern)
    return next((c for c in frame.columns if rx.match(c)), None)


def _clean_codes(job: ImportJob, frame: Any, col: str, label: str, rx: str) -> Any:
    frame[col] = frame[col].str.strip().str.upper()
    bad = ~frame[col].str.match(rx)
    return job.reject_mask(frame, bad, label, "not a valid ONS code", shown=col)


def _ward_rows(job: ImportJob, frame: Any, code: str, name: str | None, lad: str | None, lad_name: str | None) -> int:
    cols = frame[[c for c in (code, name, lad, lad_name) if c]].drop_duplicates(subset=[code])
    rows = [
        (
            r[code],
            (r[name].strip() if name else "") or r[code],
            (r[lad].strip() if lad else "") or None,
            (r[lad_name].strip() if lad_name else "") or None,
            job.source_id,
        )
        for r in cols.to_dict("records")
    ]
    job.write(UPSERT_WARD, rows)
    return len(rows)


def import_ward_lookup(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    code = _find(frame, r"^wd\d\dcd$")
    name = _find(frame, r"^wd\d\dnm$", "wardname", "ward_name")
    lad = _find(frame, r"^lad\d\dcd$")
    lad_name = _find(frame, r"^lad\d\dnm$")
    assert code and lad
    frame = split_blank_and_notes(frame, [code, lad], job.table.notes, True)
    job.rows_read = len(frame)
    frame = _clean_codes(job, frame, code, code.upper(), WARD_CODE.pattern)
    dup = frame.duplicated(subset=[code], keep="first") & ~frame.duplicated(subset=[code, lad], keep="first")
    frame = job.reject_mask(
        frame, dup, code.upper(), "this ward appears earlier with a different local authority", shown=code
    )
    frame = frame.drop_duplicates(subset=[code])
    job.rows_stored = len(frame)
    n = _ward_rows(job, frame, code, name, lad, lad_name)
    job.series = f"ward-lookup:{code[2:4]}"
    job.warnings.append(f"{n:,} wards added or refreshed.")


def import_lsoa_lookup(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    lsoa = _find(frame, r"^lsoa\d\dcd$")
    lsoa_name = _find(frame, r"^lsoa\d\dnm$")
    code = _find(frame, r"^wd\d\dcd$")
    name = _find(frame, r"^wd\d\dnm$")
    lad = _find(frame, r"^lad\d\dcd$")
    lad_name = _find(frame, r"^lad\d\dnm$")
    assert lsoa and code
    frame = split_blank_and_notes(frame, [lsoa, code], job.table.notes, True)
    job.rows_read = len(frame)
    frame = _clean_codes(job, frame, lsoa, lsoa.upper(), r"^[EWSN]0\d{7}$")
    frame = _clean_codes(job, frame, code, code.upper(), WARD_CODE.pattern)
    dup = frame.duplicated(subset=[lsoa], keep="first")
    frame = job.reject_mask(frame, dup, lsoa.upper(), "this LSOA appears earlier in the file", shown=lsoa)
    job.write(
        "INSERT OR REPLACE INTO lsoa_ward (lsoa_code, lsoa_name, ward_code, source_id) VALUES (?, ?, ?, ?)",
        zip(
            frame[lsoa].tolist(),
            frame[lsoa_name].str.strip().tolist() if lsoa_name else [None] * len(frame),
            frame[code].tolist(),
            [job.source_id] * len(frame),
            strict=True,
        ),
    )
    job.rows_stored = len(frame)
    n = _ward_rows(job, frame, code, name, lad, lad_name)
    job.series = f"lsoa-lookup:{lsoa[4:6]}-{code[2:4]}"
    job.warnings.append(f"{len(frame):,} LSOAs placed in {n:,} wards.")


def _set_populations(job: ImportJob, pops: dict[str, int], year: int | None, label: str) -> None:
    known = known_wards(job.db)
    have = {r[0] for r in job.db.execute("SELECT code FROM ward").fetchall()}
    new = [known[c] for c in pops if c not in have and c in known]
    job.write(UPSERT_WARD, [(w.code, w.name, w.borough_code, w.borough_name, job.source_id) for w in new])
    job.write(
        "UPDATE ward SET population = ?, population_year = ?, population_source = ?, source_id = ? WHERE code = ?",
        [(pop, year, label, job.source_id, code) for code, pop in pops.items()],
    )


def _year(text: str) -> int | None:
    found = re.search(r"(19|20)\d\d", text)
    return int(found.group(0)) if found else None


def import_ward_population(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    code = _find(frame, r"^ward_?code$", "ward_code", "wardcode")
    pop = _find(frame, r"^(usual_residents|population|residents)")
    assert code and pop
    frame = split_blank_and_notes(frame, [code, pop], job.table.notes, True)
    job.rows_read = len(frame)
    frame, _known = job.reject_unknown_wards(frame, code, "import a ward lookup that includes it first")
    values, bad, negative = parse_counts(frame[pop])
    frame = job.reject_mask(frame, bad | negative, pop, "not a whole number of people", shown=pop)
    frame = job.reject_mask(
        frame, frame.duplicated(subset=[code]), "ward_code", "this ward appears earlier", shown=code
    )
    year_col = _find(frame, r"^(population_)?year$")
    year = None
    if year_col and len(frame):
        years = {y for y in frame[year_col].str.strip() if y}
        year = int(next(iter(years))) if len(years) == 1 and next(iter(years)).isdigit() else None
    year = year or _year(pop)
    if "census" in pop and ("bestfit" in pop or "lsoa" in pop):
        label = f"Census {year or 2021} (derived best-fit from LSOAs)"
    elif "census" in pop:
        label = f"Census {year or ''}".strip()
    else:
        label = f"{job.facts.path.name}" + (f" ({year})" if year else "")
    pops = dict(zip(frame[code], values[frame.index].astype(int).tolist(), strict=True))
    _set_populations(job, pops, year, label)
    job.rows_stored = len(pops)
    job.series = "ward-population"
    job.warnings.append(f"Populations set for {len(pops):,} wards: {label}.")


def import_lsoa_population(job: ImportJob) -> None:
    ((frame, _),) = list(job.table.chunks())
    lsoa = _find(frame, r"^lsoa\d\d_?(cd|code)$", "lsoa_code")
    pop = _find(frame, r"^(usual_residents|population)")
    assert lsoa and pop
    frame = split_blank_and_notes(frame, [lsoa, pop], job.table.notes, True)
    job.rows_read = len(frame)
    frame = _clean_codes(job, frame, lsoa, lsoa, r"^[EWSN]0\d{7}$")
    values, bad, negative = parse_counts(frame[pop])
    frame = job.reject_mask(frame, bad | negative, pop, "not a whole number of people", shown=pop)
    frame["_pop"] = values[frame.index]
    band = _find(frame, r"^age", "age_group", "sex")
    key = [lsoa, band] if band else [lsoa]
    frame = job.reject_mask(frame, frame.duplicated(subset=key), lsoa, "this row appears earlier", shown=lsoa)
    per_lsoa = frame.groupby(lsoa)["_pop"].sum()
    lookup = lsoa_to_ward(job.db)
    wards_of = per_lsoa.index.map(lambda c: lookup.get(c))
    outside = int(wards_of.isna().sum())
    by_ward = per_lsoa[wards_of.notna()].groupby(wards_of[wards_of.notna()]).sum()
    # a ward gets a population only when all its LSOAs are in the file
    need: dict[str, int] = {}
    for ward in lookup.values():
        need[ward] = need.get(ward, 0) + 1
    got = per_lsoa[wards_of.notna()].groupby(wards_of[wards_of.notna()]).size()
    complete = {str(w): int(by_ward[w]) for w in by_ward.index if got[w] == need.get(str(w), 0)}
    if not complete:
        raise ImportFailed(
            "None of the wards these LSOAs fall in is complete in the file, so no ward population can be worked out.",
            "Include every LSOA of the wards you need, or import ward populations directly.",
        )
    found = re.match(r"^lsoa(\d\d)", lsoa)
    year = 2000 + int(found.group(1)) if found else None
    label = f"Census {year or ''} usual residents, summed from LSOAs to wards (best fit)".replace("  ", " ")
    _set_populations(job, complete, year, label)
    job.rows_stored = len(frame)
    job.series = "lsoa-population"
    job.warnings.append(f"Populations set for {len(complete):,} wards: {label}.")
    partial = len(by_ward) - len(complete)
    if partial:
        job.warnings.append(
            f"{partial:,} wards have only some of their LSOAs in the file; their populations were not set."
        )
    if outside:
        job.warnings.append(f"{outside:,} LSOAs are not in the ward lookup and were not counted.")
