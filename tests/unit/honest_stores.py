"""Random stores for the honesty property test (issue 10): Met ward-crime editions that overlap, leave gaps, carry
partial months and move to the newer sub-category list; police.uk files from two forces, filtered by type or
partly counted. Each store knows its own truth (which months of each series are complete, which partial, which
sub-category list is in force) so a test can check every pack against it independently of the app's own rules.

The files are written in the real layouts (the Met's wide CSV, police.uk's street CSV) and imported through the
importers, as a user would."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from desktop.months import add_months, months_between

START = "2021-01"
SPAN = 48  # months on the timeline: Jan 2021 to Dec 2024
WARDS = [
    ("E05013808", "West End", ["E01004715", "E01004736", "E01004737"]),
    ("E05013806", "St James's", ["E01004731", "E01004732", "E01004733"]),
    ("E05013804", "Queen's Park", ["E01004718", "E01004719", "E01004720"]),
]
CITY_LSOA = "E01000001"  # Aldersgate, City of London
OLD_LIST = [
    ("BURGLARY", "BURGLARY - RESIDENTIAL", 9),
    ("BURGLARY", "BURGLARY BUSINESS AND COMMUNITY", 5),
    ("THEFT", "SHOPLIFTING", 20),
    ("THEFT", "THEFT FROM THE PERSON", 30),
    ("THEFT", "OTHER THEFT", 25),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY", 12),
    ("VIOLENCE AGAINST THE PERSON", "VIOLENCE WITHOUT INJURY", 16),
    ("ROBBERY", "ROBBERY OF PERSONAL PROPERTY", 6),
    ("DRUG OFFENCES", "POSSESSION OF DRUGS", 7),
    ("VEHICLE OFFENCES", "THEFT FROM A VEHICLE", 8),
    ("ARSON AND CRIMINAL DAMAGE", "CRIMINAL DAMAGE", 6),
    ("PUBLIC ORDER OFFENCES", "PUBLIC FEAR ALARM OR DISTRESS", 7),
]
SPLITS = {  # the newer list: old sub-category -> (new name, share); the concordance bridges these
    "BURGLARY - RESIDENTIAL": [("RES BURGLARY OF A HOME", 0.8), ("RES BURGLARY OF UNCONNECTED BUILDING", 0.2)],
    "VIOLENCE WITHOUT INJURY": [("VIOLENCE WITHOUT INJURY", 0.75), ("STALKING AND HARASSMENT", 0.25)],
}
UNBRIDGED = {"VIOLENCE WITH INJURY": [("VIOLENCE WITH INJURY", 0.9), ("DEATH SERIOUS INJURY ILLEGAL DRIVING", 0.1)]}
VIOLENCE_ROWS = ["Violence with injury", "Violence without injury", "Stalking and harassment",
                 "Death serious injury illegal driving", "Violence without injury, with stalking and harassment"]  # fmt: skip
RELABELLED = ["Burglary - residential", "Res burglary of a home", "Res burglary of unconnected building",
              "Violence without injury", "Stalking and harassment"]  # fmt: skip
POLICE_TYPES = [
    ("Anti-social behaviour", 12),
    ("Burglary", 6),
    ("Shoplifting", 9),
    ("Theft from the person", 14),
    ("Other theft", 10),
    ("Violence and sexual offences", 15),
    ("Robbery", 3),
    ("Drugs", 4),
    ("Vehicle crime", 4),
    ("Criminal damage and arson", 3),
    ("Public order", 4),
    ("Bicycle theft", 2),
]
MET, CITY = "Metropolitan Police Service", "City of London Police"


def month(i: int) -> str:
    return add_months(START, i)


def level(w: int, base: int, i: int, revision: int = 0) -> int:
    """A steady count with a little seasonality (never close to half its neighbours, so never taken for partial);
    an edition's revision moves it by a few per cent."""
    season = (0, 2, 1, 3, 2, 0, 1, 3, 2, 1, 0, 2)[i % 12]
    return int(round((base * (w + 2) + season) * (1 + 0.03 * revision)))


@dataclass(frozen=True)
class Edition:
    first: int  # month index of its first month
    length: int
    partial_first: bool
    partial_last: bool
    newer_list: int  # 0: the older sub-category list; 1: the newer; 2: the newer, with death by driving split out
    revision: int

    @property
    def indexes(self) -> list[int]:
        return list(range(self.first, min(self.first + self.length, SPAN)))

    def partial(self) -> set[int]:
        idx = self.indexes
        return ({idx[0]} if self.partial_first else set()) | ({idx[-1]} if self.partial_last else set())


@dataclass(frozen=True)
class PoliceFile:
    force: str
    index: int
    filtered: bool  # burglary only
    partial: bool


@dataclass
class Store:
    editions: list[Edition]
    police: list[PoliceFile]
    order: list[int] = field(default_factory=list)  # import order over editions + police files

    # --- what is true of the store, worked out from how it was made -------------------------------------------

    def met_in_force(self) -> dict[int, Edition]:
        """Month index -> the edition whose figures are in force: complete before partial, then the latest last
        month, then the latest imported."""
        rank = {k: n for n, k in enumerate(self.order)}
        out: dict[int, tuple[tuple[int, str, int], Edition]] = {}
        for k, ed in enumerate(self.editions):
            last = month(ed.indexes[-1])
            for i in ed.indexes:
                key = (0 if i not in ed.partial() else -1, last, rank[k])
                if i not in out or key > out[i][0]:
                    out[i] = (key, ed)
        return {i: e for i, (_, e) in out.items()}

    def complete(self) -> set[str]:
        """Months complete in the series the packs use (the Met's file when there is one, else the Met's own
        police.uk files, which every ward's crimes mostly belong to)."""
        if self.editions:
            return {month(i) for i, ed in self.met_in_force().items() if i not in ed.partial()}
        return {month(f.index) for f in self.police if f.force == MET and not f.filtered and not f.partial}

    def partial(self) -> set[str]:
        if self.editions:
            return {month(i) for i, ed in self.met_in_force().items() if i in ed.partial()}
        held = {month(f.index) for f in self.police if f.force == MET and not f.filtered}
        return held - self.complete()

    def lists_in(self, first: str, last: str) -> set[int]:
        """Which sub-category lists (Edition.newer_list) the figures in force between first and last are on."""
        force = self.met_in_force()
        return {force[i].newer_list for i in force if first <= month(i) <= last}

    # --- files ----------------------------------------------------------------------------------------------

    def write(self, folder: Path) -> list[Path]:
        files = [self._write_edition(folder, k, ed) for k, ed in enumerate(self.editions)]
        files += [self._write_police(folder, k, f) for k, f in enumerate(self.police)]
        return [files[k] for k in self.order]

    def _write_edition(self, folder: Path, k: int, ed: Edition) -> Path:
        cols = [month(i).replace("-", "") for i in ed.indexes]
        path = folder / f"mps_edition_{k}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName", *cols])
            for w, (code, name, _) in enumerate(WARDS):
                for major, minor, base in OLD_LIST:
                    splits = {**SPLITS, **UNBRIDGED} if ed.newer_list == 2 else SPLITS
                    parts = splits.get(minor, [(minor, 1.0)]) if ed.newer_list else [(minor, 1.0)]
                    for n, (label, share) in enumerate(parts):
                        counts = []
                        for i in ed.indexes:
                            whole = level(w, base, i, ed.revision)
                            value = (
                                whole - sum(int(whole * s) for _, s in parts[:-1])
                                if n == len(parts) - 1
                                else int(whole * share)
                            )
                            counts.append(value // 10 if i in ed.partial() else value)
                        out.writerow([major, label, name, code, "Westminster", *counts])
        return path

    def _write_police(self, folder: Path, k: int, f: PoliceFile) -> Path:
        path = folder / f"{month(f.index)}-{'met' if f.force == MET else 'city'}-{k}-street.csv"
        head = ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code",
                "LSOA name", "Crime type", "Last outcome category", "Context"]  # fmt: skip
        serial = 0
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(head)
            for w, (_, _, lsoas) in enumerate(WARDS):
                types = [t for t in POLICE_TYPES if not f.filtered or t[0] == "Burglary"]
                for crime_type, base in types:
                    count = (
                        level(w, base, f.index) if f.force == MET else (1 if w == 0 else 0)
                    )  # the City: a border ward
                    count = count // 10 if f.partial else count
                    for n in range(count):
                        serial += 1
                        crime_id = "" if crime_type == "Anti-social behaviour" else f"{k:02d}{serial:08d}"
                        lsoa = lsoas[n % len(lsoas)]
                        out.writerow([crime_id, month(f.index), f.force, f.force, "-0.13", "51.51", "On or near X",
                                      lsoa, "Westminster 000A", crime_type, "Under investigation", ""])  # fmt: skip
            if f.force == CITY:  # the City's own crimes, in its own ward
                for crime_type, base in POLICE_TYPES:
                    for _ in range(base):
                        serial += 1
                        out.writerow([f"c{k}{serial:07d}", month(f.index), CITY, CITY, "-0.09", "51.52", "On or near Y",
                                      CITY_LSOA, "City of London 001A", crime_type, "", ""])  # fmt: skip
        return path


@st.composite
def editions(draw: st.DrawFn) -> Edition:
    length = draw(st.integers(8, 26))
    first = draw(st.integers(0, SPAN - 8))
    return Edition(
        first=first,
        length=length,
        partial_first=draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else False,
        partial_last=draw(st.booleans()),
        newer_list=draw(st.integers(0, 2)),
        revision=draw(st.integers(0, 2)),
    )


@st.composite
def stores(draw: st.DrawFn) -> Store:
    """One to three Met editions (sometimes none: a police.uk-only store), police.uk months from the Met and the
    City (a border ward), some filtered to burglary, a partly counted one where the Met has three complete months
    for it to be judged against."""
    eds = draw(st.lists(editions(), min_size=0, max_size=3))
    police: list[PoliceFile] = []
    if eds:
        met_months = sorted(draw(st.sets(st.integers(SPAN - 12, SPAN - 1), max_size=3)))
    else:  # a police.uk-only store: a run of months, sometimes long enough to compare two years, with gaps
        run = draw(st.integers(6, 26))
        gaps = draw(st.sets(st.integers(SPAN - run, SPAN - 2), max_size=2))
        met_months = [i for i in range(SPAN - run, SPAN) if i not in gaps]
    police += [PoliceFile(MET, i, False, False) for i in met_months]
    if met_months and draw(st.booleans()):
        police.append(PoliceFile(CITY, draw(st.sampled_from(met_months)), False, False))
    if met_months and draw(st.booleans()):
        police.append(PoliceFile(MET, draw(st.sampled_from(met_months)), True, False))  # a burglary-only re-download
    free = [i for i in range(SPAN - 12, SPAN) if i not in met_months]
    if not eds and len(met_months) >= 6 and free and draw(st.booleans()):
        police.append(PoliceFile(MET, draw(st.sampled_from(free)), False, True))
    n = len(eds) + len(police)
    order = draw(st.permutations(list(range(n))))
    return Store(eds, police, list(order))


def months_of(first: str, last: str) -> list[str]:
    return months_between(first, last)
