"""London Fire Brigade incident records (London Datastore), read in parts: the full published file is ~250 MB.

DateOfCall may be "01 Jan 2009" or dd/mm/yyyy. The ward is IncGeo_WardCode with IncGeo_WardNameNew (or
IncGeo_WardName); the borough name is given in Title Case. Incidents with no ward code are kept and counted.
An incident number repeated inside one file is a rejected row; an incident imported again in a newer file
supersedes the older record (supersede.py), so the store keeps one current record per incident.

The LFB *mobilisation* file is recognised but not imported: the incident file already carries each incident's
first-pump attendance time, which is what the pack uses.
"""

from __future__ import annotations

from typing import Any

from desktop.importers.errors import NotNeeded
from desktop.importers.job import ImportJob, SeenKeys
from desktop.importers.parse import parse_dates
from desktop.importers.reader import split_blank_and_notes
from desktop.importers.wards import canonical_borough

INSERT = (
    "INSERT INTO fire_incident (source_id, incident_number, date, month, ward_code, ward_name, borough_name, "
    "incident_group, stop_code, special_service_type, property_category, property_type, attendance_seconds) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _col(frame: Any, *names: str) -> list[Any]:
    for name in names:
        if name in frame.columns:
            return [v.strip() or None for v in frame[name].tolist()]
    return [None] * len(frame)


def import_incidents(job: ImportJob) -> None:
    import pandas as pd

    seen = SeenKeys()
    no_ward = 0
    for frame, is_last in job.table.chunks():
        job.require_columns(frame, ["incidentnumber", "dateofcall", "incidentgroup"], "LFB incident")
        frame = split_blank_and_notes(frame, ["incidentnumber", "dateofcall"], job.table.notes, is_last)
        job.rows_read += len(frame)
        frame["incidentnumber"] = frame["incidentnumber"].str.strip()
        frame = job.reject_mask(frame, frame["incidentnumber"] == "", "IncidentNumber", "no incident number")
        frame["_date"], bad = parse_dates(frame["dateofcall"])
        frame = job.reject_mask(
            frame, bad, "DateOfCall", "not a date (expected e.g. 01 Jan 2024 or 01/01/2024)", shown="dateofcall"
        )
        frame["_month"] = frame["_date"].str[:7]
        frame = job.reject_future_months(frame, "_month", "DateOfCall")
        frame = job.reject_mask(frame, frame["incidentgroup"].str.strip() == "", "IncidentGroup", "blank")
        if "firstpumparriving_attendancetime" in frame.columns:
            raw = frame["firstpumparriving_attendancetime"].str.strip()
            secs = pd.to_numeric(raw, errors="coerce")
            bad = ((raw != "") & secs.isna()) | (secs < 0)
            frame = job.reject_mask(
                frame,
                bad,
                "FirstPumpArriving_AttendanceTime",
                "not a number of seconds",
                shown="firstpumparriving_attendancetime",
            )
            frame["_secs"] = secs[frame.index]
        else:
            frame["_secs"] = float("nan")
        hashes = pd.util.hash_pandas_object(frame["incidentnumber"], index=False).to_numpy()
        dup = pd.Series(seen.check_and_add(hashes), index=frame.index)
        frame = job.reject_mask(
            frame, dup, "IncidentNumber", "the same incident number appears earlier in the file", shown="incidentnumber"
        )
        ward_codes = _col(frame, "incgeo_wardcode")
        no_ward += sum(1 for w in ward_codes if w is None)
        boroughs = frame["incgeo_boroughname"] if "incgeo_boroughname" in frame.columns else None
        names = (
            boroughs.map({b: canonical_borough(b)[0] if b.strip() else None for b in boroughs.unique()}).tolist()
            if boroughs is not None
            else [None] * len(frame)
        )
        job.months.update(frame["_month"].unique().tolist())
        job.bulk_load("fire_incident", max(len(frame), job.facts.size // 400))
        job.step("storing incidents", int(frame["_row"].iloc[-1]) if len(frame) else None)
        job.write(
            INSERT,
            zip(
                [job.source_id] * len(frame),
                frame["incidentnumber"].tolist(),
                frame["_date"].tolist(),
                frame["_month"].tolist(),
                ward_codes,
                _col(frame, "incgeo_wardnamenew", "incgeo_wardname"),
                names,
                frame["incidentgroup"].str.strip().tolist(),
                _col(frame, "stopcodedescription"),
                _col(frame, "specialservicetype"),
                _col(frame, "propertycategory"),
                _col(frame, "propertytype"),
                [None if v != v else float(v) for v in frame["_secs"].tolist()],
                strict=True,
            ),
        )
        job.rows_stored += len(frame)
    if no_ward:
        job.warnings.append(f"{no_ward:,} incidents have no ward code; they are kept but counted in no ward.")
    job.series = "lfb-incidents"


def refuse_mobilisation(job: ImportJob) -> None:
    raise NotNeeded(
        "This is the LFB mobilisation file (one row per fire engine sent). WardBrief does not need it, because the "
        "LFB incident records file already carries each incident's first-pump attendance time; nothing was stored, "
        "and nothing is wrong.",
        "For fire figures in the packs, import the 'LFB Incident Records' file from the London Datastore.",
    )
