"""Figure tables: the one list of the store's tables that hold a source's figures, and how editions of them meet
(Qt-free). Supersession (importers/supersede.py), removing a source (importers/sources.py), an import's bookkeeping
(importers/job.py) and the store's counts read it; a new figure table is one entry here plus its migration.

Contracts (DESIGN.md §3): every row points at its `source` (ON DELETE CASCADE), so removing a source removes exactly
its figures. A table with `keys` keeps every edition's rows: `current = 1` marks the one in force for its key, the
others keep `current = 0` and `superseded_by` (the revision history). A table without keys is a record of what each
file held (police.uk's street crimes and outcomes) and is never superseded.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FigureTable:
    name: str
    period: str  # the column holding the month (or the period's end)
    group: str = ""  # the column a slice is taken per ("taxonomy", "survey"): a source's rows span its groups
    keys: tuple[str, ...] = ()  # what editions compete on; () = never superseded
    keys_by_group: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a group with a key of its own
    partial: bool = False  # rows carry a `partial` flag: a partial figure never replaces a complete one

    @property
    def supersedes(self) -> bool:
        return bool(self.keys)

    def key_for(self, group: str | None) -> tuple[str, ...]:
        return self.keys_by_group.get(group or "", self.keys)


FIGURE_TABLES: tuple[FigureTable, ...] = (
    FigureTable(
        "crime_count",
        "month",
        group="taxonomy",
        # a newer Met edition restates whole ward-months; each police force's figures stand alone, and a police.uk
        # file filtered to some crime types replaces only those types
        keys=("taxonomy", "ward_code", "month"),
        keys_by_group={"policeuk": ("taxonomy", "series", "ward_code", "month", "category")},
        partial=True,
    ),
    # an ASB extract (series '') also takes precedence over police.uk ASB counts for its wards and months
    FigureTable("asb_count", "month", keys=("series", "ward_code", "month"), partial=True),
    FigureTable(
        "survey_result", "period_end", group="survey", keys=("survey", "area_type", "area", "measure", "period_end")
    ),
    FigureTable("fire_incident", "month", keys=("incident_number",)),
    FigureTable("street_crime", "month"),
    FigureTable("outcome", "month"),
)
BY_NAME = {t.name: t for t in FIGURE_TABLES}
SUPERSEDING = tuple(t.name for t in FIGURE_TABLES if t.supersedes)
# tables a kind may fill that are not figure tables: lookups and priorities (rows with a source_id to delete) and
# the population columns of `ward` (set, and cleared when their source goes)
LOOKUP_TABLES = ("ward", "lsoa_ward", "priority", "ward.population")
