"""The store's schema, as sqlite-utils Migrations (append new migrations; never edit an applied one), and the
registry of figure tables (FIGURE_TABLES, at the end).

Contracts (DESIGN.md §3):
- every stored figure points at its `source` row; removing a source removes exactly its figures;
- `crime_count`, `asb_count` and `survey_result` keep every edition's figures. `current = 1` marks the figure in
  force for its key; older editions' figures stay with `current = 0` and `superseded_by` naming the source that
  replaced them (revision history). A partial month never replaces a complete one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("wardbrief")

SCHEMA_V1 = """
CREATE TABLE source (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    series TEXT NOT NULL DEFAULT '',
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    size_bytes INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL DEFAULT 0,
    rows_stored INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    first_month TEXT,
    last_month TEXT,
    partial_months TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'ok',
    warnings TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT ''
);

CREATE TABLE rejected_row (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    row_number INTEGER,
    column_name TEXT,
    value TEXT,
    reason TEXT NOT NULL
);
CREATE INDEX rejected_row_source ON rejected_row(source_id);

CREATE TABLE ward (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    borough_code TEXT,
    borough_name TEXT,
    population INTEGER,
    population_year INTEGER,
    population_source TEXT,
    source_id INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX ward_borough ON ward(borough_name);

CREATE TABLE lsoa_ward (
    lsoa_code TEXT PRIMARY KEY,
    lsoa_name TEXT,
    ward_code TEXT NOT NULL,
    source_id INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX lsoa_ward_ward ON lsoa_ward(ward_code);

CREATE TABLE crime_count (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    ward_code TEXT NOT NULL,
    month TEXT NOT NULL,
    taxonomy TEXT NOT NULL CHECK (taxonomy IN ('mps', 'policeuk')),
    category TEXT NOT NULL,
    subcategory TEXT NOT NULL DEFAULT '',
    count INTEGER NOT NULL CHECK (count >= 0),
    partial INTEGER NOT NULL DEFAULT 0,
    current INTEGER NOT NULL DEFAULT 1,
    superseded_by INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX crime_count_key ON crime_count(taxonomy, ward_code, month);
CREATE INDEX crime_count_source ON crime_count(source_id);
CREATE INDEX crime_count_current ON crime_count(current, taxonomy, month);

CREATE TABLE street_crime (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    crime_id TEXT,
    month TEXT NOT NULL,
    force TEXT,
    lsoa_code TEXT,
    ward_code TEXT,
    crime_type TEXT NOT NULL,
    last_outcome TEXT,
    location TEXT,
    longitude REAL,
    latitude REAL
);
CREATE INDEX street_crime_ward_month ON street_crime(ward_code, month);
CREATE INDEX street_crime_source ON street_crime(source_id);

CREATE TABLE outcome (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    crime_id TEXT,
    month TEXT NOT NULL,
    lsoa_code TEXT,
    ward_code TEXT,
    outcome_type TEXT NOT NULL
);
CREATE INDEX outcome_ward_month ON outcome(ward_code, month);
CREATE INDEX outcome_source ON outcome(source_id);

CREATE TABLE asb_count (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    ward_code TEXT NOT NULL,
    month TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count >= 0),
    partial INTEGER NOT NULL DEFAULT 0,
    current INTEGER NOT NULL DEFAULT 1,
    superseded_by INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX asb_count_key ON asb_count(ward_code, month);
CREATE INDEX asb_count_source ON asb_count(source_id);

CREATE TABLE fire_incident (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    incident_number TEXT NOT NULL,
    date TEXT NOT NULL,
    month TEXT NOT NULL,
    ward_code TEXT,
    ward_name TEXT,
    borough_name TEXT,
    incident_group TEXT NOT NULL,
    stop_code TEXT,
    special_service_type TEXT,
    property_category TEXT,
    property_type TEXT,
    attendance_seconds REAL,
    current INTEGER NOT NULL DEFAULT 1,
    superseded_by INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX fire_incident_ward_month ON fire_incident(ward_code, month);
CREATE INDEX fire_incident_number ON fire_incident(incident_number);
CREATE INDEX fire_incident_source ON fire_incident(source_id);

CREATE TABLE survey_result (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
    survey TEXT NOT NULL CHECK (survey IN ('PAS', 'USS', 'VCOP')),
    area_type TEXT NOT NULL CHECK (area_type IN ('ward', 'borough', 'BCU', 'London')),
    area TEXT NOT NULL,
    period_end TEXT NOT NULL,
    measure TEXT NOT NULL,
    base_n INTEGER,
    value REAL NOT NULL CHECK (value >= 0 AND value <= 1),
    current INTEGER NOT NULL DEFAULT 1,
    superseded_by INTEGER REFERENCES source(id) ON DELETE SET NULL
);
CREATE INDEX survey_result_key ON survey_result(survey, area_type, area, measure, period_end);
CREATE INDEX survey_result_source ON survey_result(source_id);

CREATE TABLE priority (
    id INTEGER PRIMARY KEY,
    ward_code TEXT NOT NULL,
    title TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    set_on TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    review_date TEXT,
    measure_before TEXT NOT NULL DEFAULT '',
    measure_after TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    source_id INTEGER REFERENCES source(id) ON DELETE SET NULL,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE INDEX priority_ward ON priority(ward_code);

CREATE TABLE priority_action (
    id INTEGER PRIMARY KEY,
    priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due TEXT,
    done_on TEXT,
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now'))
);
CREATE INDEX priority_action_priority ON priority_action(priority_id);
"""


@migrations()
def m001_initial(db: Database) -> None:
    for statement in SCHEMA_V1.split(";"):
        if statement.strip():
            db.execute(statement)


def pending(db: Database) -> list[str]:
    return [m.name for m in migrations.pending(db)]


# Tables whose every change must make what was built from the store out of date (packs, previews, caches). Figure
# tables are not listed: every import and removal writes its `source` row, so watching `source` covers them, and
# a trigger per figure row would slow a 500k-row import.
WATCHED_TABLES = ("source", "ward", "lsoa_ward", "priority", "priority_action")


@migrations()
def m002_generation(db: Database) -> None:
    """A store-wide generation number, raised by every committed change to what a pack shows: a preview or cache
    built at generation g is out of date once the store is past g (whichever window or command changed it)."""
    db.execute(
        "CREATE TABLE store_state (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL DEFAULT 0)"
    )
    db.execute("INSERT INTO store_state (id, generation) VALUES (1, 0)")
    for table in WATCHED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_generation AFTER {event} ON {table} "
                "BEGIN UPDATE store_state SET generation = generation + 1 WHERE id = 1; END"
            )


# A police.uk file whose month holds at least this many distinct crime types covers every type (a whole force's
# month has 13-14); fewer means it was filtered (e.g. burglary only) and covers just the types it holds. The Met's
# ward files always hold every category.
ALL_TYPES_FROM = 6


@migrations()
def m003_series_and_coverage(db: Database) -> None:
    """Figures by series, and what each file covers.

    - `crime_count.series` / `asb_count.series`: the police force a police.uk figure belongs to ("Falls within"),
      '' for the Met's ward file and ASB extracts. Two forces' files for the same month add up; they never
      supersede each other.
    - `source_month`: one row per file, table, series and month it holds: the month's total, whether it was
      partial, and the crime types it covers ('*' = all; else a JSON list, for a file filtered to some types).
      Coverage (desktop/analysis/coverage.py) reads it: a month counts as covered only by a complete file.
    """
    db.execute("ALTER TABLE crime_count ADD COLUMN series TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE asb_count ADD COLUMN series TEXT NOT NULL DEFAULT ''")
    db.execute(
        """
        CREATE TABLE source_month (
            source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            tbl TEXT NOT NULL CHECK (tbl IN ('crime_count', 'asb_count')),
            taxonomy TEXT NOT NULL DEFAULT '',
            series TEXT NOT NULL DEFAULT '',
            month TEXT NOT NULL,
            total INTEGER NOT NULL DEFAULT 0,
            partial INTEGER NOT NULL DEFAULT 0,
            types TEXT NOT NULL DEFAULT '*',
            PRIMARY KEY (source_id, tbl, taxonomy, series, month)
        )
        """
    )
    db.execute("CREATE INDEX source_month_month ON source_month(tbl, taxonomy, series, month)")
    # figures imported before this version: police.uk rows take their file's main force
    for table in ("crime_count", "asb_count"):
        db.execute(
            f"""
            UPDATE {table} SET series = (
                SELECT substr(s.series, instr(s.series, ':') + 1) FROM source s
                WHERE s.id = {table}.source_id AND s.series LIKE 'policeuk-street:%')
            WHERE source_id IN (SELECT id FROM source WHERE series LIKE 'policeuk-street:%')
            """
        )
    derive_source_months(db)


@migrations()
def m004_stop_search(db: Database) -> None:
    """data.police.uk stop and search: one row per search, with its coordinates (no LSOA is published)."""
    db.execute(
        """
        CREATE TABLE stop_search (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            force TEXT,
            date TEXT NOT NULL,
            month TEXT NOT NULL,
            type TEXT NOT NULL,
            operation TEXT,
            latitude REAL,
            longitude REAL,
            ward_code TEXT,
            gender TEXT,
            age_range TEXT,
            self_ethnicity TEXT,
            officer_ethnicity TEXT,
            legislation TEXT,
            object_of_search TEXT,
            outcome TEXT,
            outcome_linked TEXT,
            removal TEXT
        )
        """
    )
    db.execute("CREATE INDEX stop_search_ward_month ON stop_search(ward_code, month)")
    db.execute("CREATE INDEX stop_search_source ON stop_search(source_id)")


@migrations()
def m005_boundary(db: Database) -> None:
    """Ward and LSOA boundaries (GeoJSON, desktop/importers/boundaries.py): one row per area per file, polygons in
    WGS84 lon/lat as JSON ([polygon [ring [lon, lat]...]...]) with the bounding box; the newest file's shape of a
    code is the one in force (store/places.py)."""
    db.execute(
        """
        CREATE TABLE boundary (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
            level TEXT NOT NULL CHECK (level IN ('ward', 'lsoa')),
            code TEXT NOT NULL,
            name TEXT,
            parent_code TEXT,
            parent_name TEXT,
            min_lon REAL NOT NULL,
            min_lat REAL NOT NULL,
            max_lon REAL NOT NULL,
            max_lat REAL NOT NULL,
            geometry TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX boundary_code ON boundary(level, code)")
    db.execute("CREATE INDEX boundary_parent ON boundary(level, parent_code)")
    db.execute("CREATE INDEX boundary_source ON boundary(source_id)")


def derive_source_months(db: Database) -> None:
    """source_month rows for every source that has figures but none recorded (stores from before m003, and stores
    that tests fill with SQL): one per table, taxonomy, series and month, with the month's total, whether it was
    partial, and the types it holds ('*' from ALL_TYPES_FROM categories up)."""
    db.execute(
        f"""
        INSERT OR IGNORE INTO source_month (source_id, tbl, taxonomy, series, month, total, partial, types)
        SELECT source_id, 'crime_count', taxonomy, series, month, sum(count), max(partial),
               CASE WHEN taxonomy != 'policeuk' OR count(DISTINCT category) >= {ALL_TYPES_FROM} THEN '*'
                    ELSE json_group_array(DISTINCT category) END
        FROM crime_count WHERE source_id NOT IN (SELECT source_id FROM source_month WHERE tbl = 'crime_count')
        GROUP BY source_id, taxonomy, series, month
        """
    )
    db.execute(
        """
        INSERT OR IGNORE INTO source_month (source_id, tbl, taxonomy, series, month, total, partial, types)
        SELECT source_id, 'asb_count', '', series, month, sum(count), max(partial), '*'
        FROM asb_count WHERE source_id NOT IN (SELECT source_id FROM source_month WHERE tbl = 'asb_count')
        GROUP BY source_id, series, month
        """
    )


# --- figure tables: the one list of the tables that hold a source's figures -----------------------------------------
#
# Supersession (importers/supersede.py), removing a source (importers/sources.py), an import's bookkeeping
# (importers/job.py) and the store's counts read it; a new figure table is its migration above plus one entry here.
# Every row points at its `source` (ON DELETE CASCADE), so removing a source removes exactly its figures. A table
# with `keys` keeps every edition's rows: `current = 1` marks the one in force for its key, the others keep
# `current = 0` and `superseded_by` (the revision history). A table without keys is a record of what each file
# held (police.uk's street crimes and outcomes) and is never superseded.


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
    FigureTable("stop_search", "month"),
)
BY_NAME = {t.name: t for t in FIGURE_TABLES}
SUPERSEDING = tuple(t.name for t in FIGURE_TABLES if t.supersedes)
# tables a kind may fill that are not figure tables: lookups and priorities (rows with a source_id to delete), the
# population columns of `ward` (set, and cleared when their source goes) and boundaries (removed with their source)
LOOKUP_TABLES = ("ward", "lsoa_ward", "priority", "ward.population", "boundary")
