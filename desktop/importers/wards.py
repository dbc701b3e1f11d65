"""Wards: the bundled London LSOA->ward lookup, ward-code checks, borough names, and upserting `ward` rows.

Wards are matched by code, never by name (a ward called "Westminster" exists in Cheshire West and Chester).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from desktop.resources import resource

WARD_CODE = re.compile(r"^[EWSN]\d{8}$")
LONDON_LOOKUP = ("lookups", "london_lsoa21_to_ward.csv")
BOROUGH_ALIASES = {"city of westminster": "Westminster", "westminster city": "Westminster"}


@dataclass(frozen=True)
class WardInfo:
    code: str
    name: str
    borough_code: str | None
    borough_name: str | None


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[dict[str, str], dict[str, WardInfo]]:
    lsoa: dict[str, str] = {}
    wards: dict[str, WardInfo] = {}
    with resource(*LONDON_LOOKUP).open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            lsoa[row["lsoa21_code"]] = row["ward_code"]
            if row["ward_code"] not in wards:
                wards[row["ward_code"]] = WardInfo(row["ward_code"], row["ward_name"], row["lad_code"], row["lad_name"])
    return lsoa, wards


def bundled_wards() -> dict[str, WardInfo]:
    return _bundled()[1]


@functools.lru_cache(maxsize=1)
def london_boroughs() -> dict[str, str]:
    """lower-case name -> the canonical borough name (the 33 London local authorities)."""
    names = {w.borough_name for w in bundled_wards().values() if w.borough_name}
    return {n.lower(): n for n in names}


def canonical_borough(name: str) -> tuple[str, bool]:
    """('City of Westminster' -> 'Westminster', True); an unknown label comes back as given with False."""
    text = " ".join(name.split())
    key = text.lower()
    if key in BOROUGH_ALIASES:
        return BOROUGH_ALIASES[key], True
    known = london_boroughs()
    if key in known:
        return known[key], True
    return text, False


def lsoa_to_ward(db: Database) -> dict[str, str]:
    """LSOA -> ward: the store's lookup (imported from ONS) over the bundled London one."""
    mapping = dict(_bundled()[0])
    for lsoa, ward in db.execute("SELECT lsoa_code, ward_code FROM lsoa_ward").fetchall():
        mapping[lsoa] = ward
    return mapping


def known_wards(db: Database) -> dict[str, WardInfo]:
    """Every ward code the store knows: its `ward` table over the bundled London lookup."""
    known = dict(bundled_wards())
    for code, name, bcode, bname in db.execute("SELECT code, name, borough_code, borough_name FROM ward").fetchall():
        base = known.get(code)
        known[code] = WardInfo(
            code,
            name,
            bcode or (base.borough_code if base else None),
            bname or (base.borough_name if base else None),
        )
    return known


def upsert_wards(db: Database, wards: Iterable[WardInfo], source_id: int) -> int:
    """Insert or refresh ward rows. Names/boroughs are filled from the bundled lookup where the file lacks them;
    a ward's population and its source are never touched here."""
    bundled = bundled_wards()
    rows = []
    for w in wards:
        ref = bundled.get(w.code)
        rows.append(
            (
                w.code,
                w.name or (ref.name if ref else w.code),
                (ref.borough_code if ref else None) or w.borough_code,
                (ref.borough_name if ref else None) or w.borough_name,
                source_id,
            )
        )
    db.conn.executemany(
        """
        INSERT INTO ward (code, name, borough_code, borough_name, source_id) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(code) DO UPDATE SET
            name = CASE WHEN excluded.name != excluded.code THEN excluded.name ELSE ward.name END,
            borough_code = COALESCE(excluded.borough_code, ward.borough_code),
            borough_name = COALESCE(excluded.borough_name, ward.borough_name)
        """,
        rows,
    )
    return len(rows)
