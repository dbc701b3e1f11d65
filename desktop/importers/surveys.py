"""Survey results in WardBrief's template (USS victim satisfaction, VCOP Victims' Code compliance, and PAS).

Columns: survey, area_type, area, period_end, measure, base_n, value, positives (resources/templates/).
- survey: PAS, USS or VCOP. area_type: ward, borough, BCU or London. area: a ward CODE for wards (names repeat
  across the country), a borough name, a BCU name, or "London".
- period_end: the last day of the survey period, YYYY-MM-DD or dd/mm/yyyy (a month, e.g. 2024-03, means its last
  day).
- measure: one of the lists in measures.py (case and punctuation do not matter); others are rejected with the list.
- value as 0-1, 0-100 or "58%"; or leave it blank and give positives with base_n. base_n may be blank.
"""

from __future__ import annotations

import calendar
from typing import Any

from desktop.importers.job import ImportJob
from desktop.importers.parse import date_text, month_text, parse_counts, parse_proportions
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import canonical_borough, known_wards, upsert_wards
from desktop.months import this_month
from desktop.store.measures import SURVEYS, canonical_measure, canonical_survey, valid_measures_text

INSERT = (
    "INSERT INTO survey_result (source_id, survey, area_type, area, period_end, measure, base_n, value) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
AREA_TYPES = {"ward": "ward", "borough": "borough", "bcu": "BCU", "london": "London", "mps": "London"}


def period_end_text(value: str) -> str | None:
    day = date_text(value)
    if day:
        return day
    month = month_text(value)
    if month:
        year, mon = int(month[:4]), int(month[5:])
        return f"{month}-{calendar.monthrange(year, mon)[1]:02d}"
    return None


def reject_bad_measures(job: ImportJob, frame: Any, survey_col: str, measure_col: str, label: str) -> Any:
    """Canonical measure names in `_measure`; rows with unknown measures rejected with the valid list."""
    pairs = frame[[survey_col, measure_col]].drop_duplicates()
    names = {(s, m): canonical_measure(s, m) for s, m in pairs.itertuples(index=False)}
    frame["_measure"] = [names[(s, m)] for s, m in zip(frame[survey_col], frame[measure_col], strict=True)]
    for survey in frame.loc[frame["_measure"].isna(), survey_col].unique():
        mask = frame["_measure"].isna() & (frame[survey_col] == survey)
        frame = job.reject_mask(
            frame,
            mask,
            label,
            f"not a {survey} measure; the {survey} measures are: {valid_measures_text(survey)}",
            shown=measure_col,
        )
    return frame


def reject_duplicates(job: ImportJob, frame: Any, key: list[str], label: str, shown: str) -> Any:
    dup = frame.duplicated(subset=key, keep="first")
    return job.reject_mask(
        frame, dup, label, "duplicate: the same survey, area, period and measure appear earlier", shown=shown
    )


def write_results(job: ImportJob, frame: Any) -> None:
    job.months.update(p[:7] for p in frame["_period"].unique().tolist())
    base = [None if b != b or b is None else int(b) for b in frame["_base"].tolist()]
    job.write(
        INSERT,
        zip(
            [job.source_id] * len(frame),
            frame["_survey"].tolist(),
            frame["_area_type"].tolist(),
            frame["_area"].tolist(),
            frame["_period"].tolist(),
            frame["_measure"].tolist(),
            base,
            [round(float(v), 6) for v in frame["_value"].tolist()],
            strict=True,
        ),
    )


def import_surveys(job: ImportJob) -> None:
    import pandas as pd

    ((frame, _),) = list(job.table.chunks())
    frame = split_blank_and_notes(frame, ["survey", "area", "measure"], job.table.notes, True)
    job.rows_read = len(frame)
    frame["_survey"] = frame["survey"].map(lambda s: canonical_survey(s) or "")
    frame = job.reject_mask(
        frame, frame["_survey"] == "", "survey", f"not a survey WardBrief knows ({', '.join(SURVEYS)})", shown="survey"
    )
    frame["_area_type"] = frame["area_type"].map(lambda s: AREA_TYPES.get(s.strip().lower(), ""))
    frame = job.reject_mask(
        frame, frame["_area_type"] == "", "area_type", "must be ward, borough, BCU or London", shown="area_type"
    )
    frame = _areas(job, frame)
    frame["_period"] = frame["period_end"].map(period_end_text)
    frame = job.reject_mask(
        frame,
        frame["_period"].isna(),
        "period_end",
        "not a date (expected YYYY-MM-DD or dd/mm/yyyy)",
        shown="period_end",
    )
    frame = job.reject_mask(
        frame,
        frame["_period"].str[:7] > this_month(),
        "period_end",
        "the period ends in the future",
        shown="period_end",
    )
    frame = reject_bad_measures(job, frame, "_survey", "measure", "measure")
    base_raw = frame["base_n"].str.strip() if "base_n" in frame.columns else pd.Series("", index=frame.index)
    base, bad, negative = parse_counts(base_raw.where(base_raw != "", "0"))
    frame = job.reject_mask(frame, bad | negative, "base_n", "not a whole number of respondents", shown="base_n")
    frame["_base"] = base[frame.index].where(base_raw[frame.index] != "", None).astype(object)
    frame = _values(job, frame)
    frame = reject_duplicates(
        job, frame, ["_survey", "_area_type", "_area", "_period", "_measure"], "measure", "measure"
    )
    write_results(job, frame)
    job.rows_stored = len(frame)
    job.series = "surveys:" + "+".join(sorted(frame["_survey"].unique().tolist()))


def _areas(job: ImportJob, frame: Any) -> Any:
    areas = []
    known = known_wards(job.db)
    bad = []
    used_wards = set()
    for area_type, area in zip(frame["_area_type"], frame["area"], strict=True):
        text = " ".join(area.split())
        if area_type == "ward":
            code = text.upper()
            ok = code in known
            if ok:
                used_wards.add(code)
            areas.append(code)
            bad.append(not ok)
        elif area_type == "borough":
            areas.append(canonical_borough(text)[0])
            bad.append(not text)
        elif area_type == "London":
            areas.append("London")
            bad.append(False)
        else:
            areas.append(text)
            bad.append(not text)
    frame["_area"] = areas
    mask = pd_series(bad, frame.index)
    frame = job.reject_mask(
        frame,
        mask,
        "area",
        "for a ward give a ward code the store knows (e.g. E05013808); import a ward lookup first if it is new",
        shown="area",
    )
    have = {r[0] for r in job.db.execute("SELECT code FROM ward").fetchall()}
    missing = [known[c] for c in sorted(used_wards) if c not in have]
    if missing:
        upsert_wards(job.db, missing, job.source_id)
    return frame


def pd_series(values: list[bool], index: Any) -> Any:
    import pandas as pd

    return pd.Series(values, index=index, dtype=bool)


def _values(job: ImportJob, frame: Any) -> Any:
    import pandas as pd

    raw = frame["value"].str.strip() if "value" in frame.columns else pd.Series("", index=frame.index)
    values, bad = parse_proportions(raw.where(raw != "", "0"))
    values = values.where(raw != "", None)
    frame = job.reject_mask(
        frame, (raw != "") & bad, "value", "not a proportion (use 0-1, 0-100 or e.g. 58%)", shown="value"
    )
    values = values[frame.index]
    blank = values.isna()
    if blank.any():
        pos_raw = frame["positives"].str.strip() if "positives" in frame.columns else pd.Series("", index=frame.index)
        pos, bad_pos, neg = parse_counts(pos_raw.where(pos_raw != "", "-1"))
        base = frame["_base"]
        missing = blank & ((pos_raw == "") | base.isna() | (base.fillna(0) == 0))
        frame = job.reject_mask(
            frame, missing, "value", "no value: give a value, or positives and base_n", shown="value"
        )
        bad_pos = blank[frame.index] & (
            bad_pos[frame.index] | (pos[frame.index] > frame["_base"].fillna(0).astype("int64"))
        )
        frame = job.reject_mask(
            frame, bad_pos, "positives", "positives must be a whole number no bigger than base_n", shown="positives"
        )
        values = values[frame.index]
        computed = pos[frame.index] / frame["_base"].astype("float64")
        values = values.where(values.notna(), computed)
    frame["_value"] = values.astype("float64")
    return frame
