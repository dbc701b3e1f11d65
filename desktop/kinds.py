"""Extract kinds: the one registry of every kind of file WardBrief reads (Qt-free, no imports of its own).

Each `KindSpec` says how a kind is recognised (the column headings it requires, found by signature in
desktop/importers/detect.py), what the user is told (its label on the Data page, the longer description listed when a
file matches no kind, and the name it goes by in a pack's sources), which function stores it
(desktop/importers/<module>.<function>), and which store tables it fills (so removing a file knows what to undo).
Adding a kind means adding one entry here and one handler module; docs/extending.md has the recipe, and
tests/unit/test_registries.py fails if any kind lacks a part.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_COLUMNS = 100  # a kind's default most columns (the real extracts have 4 to 39)


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str  # on the Data page and in import results: "Met ward-level crime"
    source_label: str  # in a pack's sources: "MPS Ward Level Crime (London Datastore)"
    layout: str  # listed when a file matches no kind: "Met ward-level crime (wide, one column per month)"
    # each requirement: acceptable normalised names, or a regex (as "re:...") any column must match
    requires: tuple[tuple[str, ...], ...]
    expects: str  # the columns, as the user sees them in the error listing
    streamed: bool = False  # long kinds are read in parts; others whole
    extra: str = ""  # "module.function" under desktop.importers: a further check of the header names
    max_columns: int = MAX_COLUMNS  # more than this and the file is refused before it is read
    handler: str = ""  # "module.function" under desktop.importers that stores a file of this kind
    # the store tables it fills ("ward.population": the population columns of `ward`)
    tables: tuple[str, ...] = ()

    def matches(self, names: list[str]) -> bool:
        present = set(names)
        for options in self.requires:
            if not any(_present(opt, names, present) for opt in options):
                return False
        return bool(resolve(self.extra)(names)) if self.extra else True

    def handler_function(self) -> Callable[..., Any]:
        return resolve(self.handler)


def resolve(name: str) -> Callable[..., Any]:
    """'mps_crime.import_wide' -> desktop.importers.mps_crime.import_wide (imported when first needed, so start-up
    does not load every importer)."""
    module, func = name.rsplit(".", 1)
    found: Callable[..., Any] = getattr(importlib.import_module(f"desktop.importers.{module}"), func)
    return found


def _present(option: str, names: list[str], present: set[str]) -> bool:
    if option.startswith("re:"):
        pattern = re.compile(option[3:])
        return any(pattern.match(n) for n in names)
    return option in present


KINDS: tuple[KindSpec, ...] = (
    KindSpec(
        "mps_crime",
        "Met ward-level crime",
        "MPS Ward Level Crime (London Datastore)",
        "Met ward-level crime (wide, one column per month)",
        (("majortext",), ("minortext",), ("wardcode", "ward_code")),
        "MajorText, MinorText, WardName, WardCode, LookUp_BoroughName, then one YYYYMM column per month",
        extra="month_headers.has_month_columns",
        max_columns=5 + 12 * 40,  # forty years of months
        handler="mps_crime.import_wide",
        tables=("crime_count", "ward"),
    ),
    KindSpec(
        "mps_crime_long",
        "Ward crime counts (long layout)",
        "Met recorded crime by ward",
        "Ward crime counts (long: one row per ward, month and category)",
        (("wardcode", "ward_code"), ("month",), ("majortext", "category"), ("count", "value", "crimes")),
        "ward_code (or WardCode), ward_name, borough_name, month, category (or MajorText), subcategory, count",
        streamed=True,
        handler="mps_crime.import_long",
        tables=("crime_count", "ward"),
    ),
    KindSpec(
        "policeuk_street",
        "police.uk street crimes",
        "data.police.uk street-level crime",
        "police.uk street crimes",
        (("crime_id",), ("month",), ("falls_within",), ("lsoa_code",), ("crime_type",)),
        "Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, "
        "Crime type, Last outcome category, Context",
        streamed=True,
        handler="policeuk.import_street",
        tables=("street_crime", "crime_count", "asb_count", "ward"),
    ),
    KindSpec(
        "policeuk_outcomes",
        "police.uk outcomes",
        "data.police.uk outcomes",
        "police.uk outcomes",
        (("crime_id",), ("month",), ("lsoa_code",), ("outcome_type",)),
        "Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA code, LSOA name, Outcome type",
        streamed=True,
        handler="policeuk.import_outcomes",
        tables=("outcome",),
    ),
    KindSpec(
        "policeuk_stop_search",
        "police.uk stop and search",
        "data.police.uk stop and search",
        "police.uk stop and search",
        (("type",), ("date",), ("object_of_search",), ("legislation",), ("outcome",)),
        "Type, Date, Part of a policing operation, Policing operation, Latitude, Longitude, Gender, Age range, "
        "Self-defined ethnicity, Officer-defined ethnicity, Legislation, Object of search, Outcome, "
        "Outcome linked to object of search, Removal of more than just outer clothing",
        streamed=True,
        handler="stop_search.import_stop_search",
        tables=("stop_search",),
    ),
    KindSpec(
        "lfb_incidents",
        "LFB incident records",
        "LFB Incident Records (London Datastore)",
        "LFB incident records",
        (("incidentnumber",), ("dateofcall",), ("incidentgroup",)),
        "IncidentNumber, DateOfCall, IncidentGroup, StopCodeDescription, PropertyCategory, IncGeo_WardCode, "
        "IncGeo_WardNameNew, FirstPumpArriving_AttendanceTime, ...",
        streamed=True,
        handler="lfb.import_incidents",
        tables=("fire_incident",),
    ),
    KindSpec(
        "lfb_mobilisation",
        "LFB mobilisation records",
        "LFB Mobilisation Records",
        "LFB mobilisation records",
        (("incidentnumber",), ("resourcemobilisationid", "resource_code")),
        "IncidentNumber, ResourceMobilisationId, Resource_Code, DateAndTimeMobilised, ... (not used by WardBrief)",
        handler="lfb.refuse_mobilisation",
        tables=(),
    ),
    KindSpec(
        "pas",
        "MOPAC PAS dashboard",
        "MOPAC Public Attitude Survey",
        "MOPAC PAS dashboard (borough)",
        (("date",), ("borough",), ("measure",), ("proportion",)),
        "Date, Survey, Borough, Measure, Proportion, MPS",
        handler="pas.import_pas",
        tables=("survey_result",),
    ),
    KindSpec(
        "surveys",
        "Survey results (USS / VCOP / PAS template)",
        "Victim satisfaction / Victims' Code return",
        "Survey results template (USS / VCOP / PAS)",
        (("survey",), ("area_type",), ("area",), ("period_end",), ("measure",), ("value", "positives")),
        "survey, area_type, area, period_end, measure, base_n, value, positives",
        handler="surveys.import_surveys",
        tables=("survey_result", "ward"),
    ),
    KindSpec(
        "boundaries",
        "Ward or LSOA boundaries",
        "Boundaries (ONS Open Geography Portal)",
        "Ward or LSOA boundaries (GeoJSON, WGS84 lon/lat or British National Grid)",
        # a GeoJSON feature's property names, with "geometry" added by detection (importers/geojson.py)
        (("geometry",), ("re:^(wd|lsoa)\\d\\dcd$",)),
        "a GeoJSON FeatureCollection whose features carry WD22CD/WD23CD... or LSOA21CD..., and a name (WD22NM...)",
        max_columns=200,
        handler="boundaries.import_boundaries",
        tables=("boundary",),
    ),
    KindSpec(
        "lsoa_lookup",
        "LSOA to ward lookup",
        "LSOA to ward lookup",
        "LSOA to ward lookup (ONS)",
        (("re:^lsoa\\d\\dcd$",), ("re:^wd\\d\\dcd$",)),
        "LSOA21CD, LSOA21NM, WD25CD, WD25NM, LAD25CD, LAD25NM (any year's codes)",
        handler="lookups.import_lsoa_lookup",
        tables=("lsoa_ward", "ward"),
    ),
    KindSpec(
        "ward_lookup",
        "Ward to local authority lookup",
        "Ward lookup",
        "Ward to local authority lookup (ONS)",
        (("re:^wd\\d\\dcd$",), ("re:^lad\\d\\dcd$",)),
        "WD23CD, WD23NM (or WardName), LAD23CD, LAD23NM (any year's codes)",
        handler="lookups.import_ward_lookup",
        tables=("ward",),
    ),
    KindSpec(
        "lsoa_population",
        "LSOA populations",
        "Population by LSOA",
        "LSOA populations (Census)",
        (("re:^lsoa\\d\\d_?(cd|code)$", "lsoa_code"), ("re:^(usual_residents|population)",)),
        "lsoa21_code, lsoa21_name, (age_group,) usual_residents",
        max_columns=250,  # single years of age
        handler="lookups.import_lsoa_population",
        tables=("ward.population",),
    ),
    KindSpec(
        "ward_population",
        "Ward populations",
        "Ward populations",
        "Ward populations",
        (("ward_code", "wardcode"), ("re:^(usual_residents|population|residents)",)),
        "ward_code, ward_name, population (or usual_residents...), year",
        max_columns=250,
        handler="lookups.import_ward_population",
        tables=("ward.population",),
    ),
    KindSpec(
        "asb",
        "Ward ASB counts",
        "Anti-social behaviour incidents",
        "Ward ASB counts",
        (("ward_code", "wardcode"), ("month",), ("asb_incidents", "asb_count", "asb")),
        "ward_code, ward_name, month, asb_incidents",
        handler="asb.import_asb",
        tables=("asb_count", "ward"),
    ),
    KindSpec(
        "priorities",
        "Panel priorities",
        "Panel priorities",
        "Panel priorities",
        (("ward_code", "wardcode"), ("priority",), ("action",)),
        "ward_code, ward_name, priority, theme, set_on, status, review_date, measure_before, measure_after, "
        "action, action_owner, action_due, action_done",
        handler="priorities.import_priorities",
        tables=("priority", "ward"),
    ),
)
BY_KIND = {spec.kind: spec for spec in KINDS}


def label(kind: str) -> str:
    """The Data page's name for a kind ('Met ward-level crime'); the kind itself when unknown."""
    spec = BY_KIND.get(kind)
    return spec.label if spec else (kind or "unknown kind")


def source_label(kind: str) -> str:
    """A pack's name for a kind's files ('MPS Ward Level Crime (London Datastore)')."""
    spec = BY_KIND.get(kind)
    return spec.source_label if spec else kind


def order(kind: str) -> int:
    """Where a kind's files come in a list of sources (the registry's order: crime first, then the rest)."""
    return list(BY_KIND).index(kind) if kind in BY_KIND else len(BY_KIND)
