"""MOPAC Public Attitude Survey dashboard data, borough level (London Datastore "PAS_T&Cdashboard" sheets).

Columns Date (dd/mm/yyyy, the quarter's end), Survey, Borough, Measure, Proportion, MPS. Copes with decimal commas
("0,56"), trailing empty columns and stray cells beyond them (ignored and reported), "City of Westminster" for
Westminster and other spellings of borough names. Measures are mapped to the canonical PAS names (desktop/store/measures.py).
Each row is stored as a borough figure (survey 'PAS', base_n unknown); the MPS column - the London-wide figure -
is stored once per quarter and measure as area_type 'London'.
"""

from __future__ import annotations

from typing import Any

from desktop.importers.job import ImportJob
from desktop.importers.parse import parse_dates, parse_proportions
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.surveys import reject_bad_measures, reject_duplicates, write_results
from desktop.importers.wards import canonical_borough
from desktop.months import this_month


def _stray_cells(job: ImportJob, frame: Any) -> Any:
    extra = [c for c in frame.columns if c.startswith("unnamed")]
    for col in extra:
        for row, value in zip(frame["_row"], frame[col], strict=True):
            if value.strip():
                job.table.notes.stray_cells.append((int(row), value.strip()))
    return frame.drop(columns=extra)


def import_pas(job: ImportJob) -> None:
    import pandas as pd

    ((frame, _),) = list(job.table.chunks())
    frame = _stray_cells(job, frame)
    frame = split_blank_and_notes(frame, ["date", "borough", "measure"], job.table.notes, True)
    job.rows_read = len(frame)
    if "survey" in frame.columns:
        other = ~frame["survey"].str.strip().str.upper().isin(["PAS", ""])
        frame = job.reject_mask(frame, other, "Survey", "only PAS rows belong in this file", shown="survey")
    frame["_survey"] = "PAS"
    frame["_period"], bad = parse_dates(frame["date"])
    frame = job.reject_mask(frame, bad, "Date", "not a date (expected dd/mm/yyyy)", shown="date")
    frame = job.reject_mask(frame, frame["_period"].str[:7] > this_month(), "Date", "in the future", shown="date")
    names = {b: canonical_borough(b) for b in frame["borough"].unique()}
    frame["_area"] = frame["borough"].map(lambda b: names[b][0])
    frame = job.reject_mask(frame, frame["_area"] == "", "Borough", "blank", shown="borough")
    unknown = sorted({n for n, known in names.values() if n and not known})
    if unknown:
        job.warnings.append(f"Area names that are not London boroughs were kept as given: {', '.join(unknown[:5])}.")
    frame = reject_bad_measures(job, frame, "_survey", "measure", "Measure")
    frame["_value"], bad = parse_proportions(frame["proportion"])
    frame = job.reject_mask(frame, bad, "Proportion", "not a proportion (e.g. 0,56 or 0.56)", shown="proportion")
    frame["_area_type"] = "borough"
    frame["_base"] = None
    frame = reject_duplicates(job, frame, ["_period", "_area", "_measure"], "Measure", "measure")
    write_results(job, frame)
    job.rows_stored = len(frame)
    if "mps" in frame.columns:
        london = frame[frame["mps"].str.strip() != ""].copy()
        london["_value"], bad = parse_proportions(london["mps"])
        london = london[~bad]
        spread = london.groupby(["_period", "_measure"])["_value"].agg(["min", "max"])
        if len(spread) and ((spread["max"] - spread["min"]) > 0.005).any():
            job.warnings.append("The MPS (London) column differs between rows of the same quarter; the first is used.")
        london = london.drop_duplicates(subset=["_period", "_measure"], keep="first").assign(
            _area="London", _area_type="London", _base=None
        )
        write_results(job, pd.DataFrame(london))
    job.series = "pas-borough"
