"""The partnership's home area: the borough(s) whose wards the window lists and whose names the CLI looks up.

Settings may name the boroughs ("Westminster", or "Camden; Islington"). Left empty, the home area is the
borough of the first crime extract imported (every borough it covers, when that extract covers several). Ward
names match ignoring case, spacing and the style of apostrophe, so "st james’s" finds "St James's"; a name is
looked up in the home area first, so a UK-wide ONS lookup's Dundee "West End" does not make Westminster's
ambiguous.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlite_utils import Database

from desktop.errors import WardBriefError
from desktop.months import add_months
from desktop.store.queries import ward_crime_months, wards_with_data

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})


def name_key(name: str) -> str:
    """A ward or borough name as a lookup key: case, accents' forms, spacing and apostrophe style ignored."""
    text = unicodedata.normalize("NFKC", str(name)).translate(_APOSTROPHES).casefold()
    return re.sub(r"\s+", " ", text).strip()


def configured_boroughs(text: str) -> list[str]:
    """The boroughs named in Settings ("Westminster" or "Camden; Islington"), in order."""
    return [part.strip() for part in re.split(r"[;,\n]", text or "") if part.strip()]


def home_boroughs(db: Database, configured: str = "") -> list[str]:
    """The home area's borough names as the store spells them (empty when the store has no wards yet).

    Named boroughs that the store knows win; otherwise the boroughs of the first crime extract."""
    known = {
        name_key(str(name)): str(name)
        for name, code in db.execute("SELECT DISTINCT borough_name, borough_code FROM ward").fetchall()
        if name
    }
    codes = {
        str(code).upper(): str(name)
        for name, code in db.execute("SELECT DISTINCT borough_name, borough_code FROM ward").fetchall()
        if name and code
    }
    named = [known.get(name_key(b)) or codes.get(b.strip().upper()) for b in configured_boroughs(configured)]
    chosen = [b for b in named if b]
    if chosen:
        return list(dict.fromkeys(chosen))
    first = db.execute("SELECT min(source_id) FROM crime_count").fetchone()
    if not first or first[0] is None:
        return []
    rows = db.execute(
        "SELECT DISTINCT w.borough_name FROM crime_count c JOIN ward w ON w.code = c.ward_code "
        "WHERE c.source_id = ? AND w.borough_name IS NOT NULL ORDER BY w.borough_name",
        [first[0]],
    ).fetchall()
    return [str(r[0]) for r in rows]


def split_recent(
    db: Database, rows: list[dict[str, Any]], reference: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`rows` of wards split into those with crime figures in the 12 months to `reference` and the rest: wards on
    old boundaries, whose figures stop when the boundaries changed, so a pack for them now would be empty."""
    start = add_months(reference, -11)
    last = {code: months[1] for code, months in ward_crime_months(db).items()}
    recent = [w for w in rows if last.get(str(w["code"]), "") >= start]
    return recent, [w for w in rows if last.get(str(w["code"]), "") < start]


def in_home(rows: list[dict[str, Any]], home: list[str]) -> list[dict[str, Any]]:
    """The `rows` of wards in the home area's boroughs; all of them when there is no home area yet."""
    keys = {name_key(b) for b in home}
    return [w for w in rows if name_key(str(w.get("borough_name") or "")) in keys] if keys else rows


def home_wards_to_pack(
    db: Database, home: list[str], reference: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The home area's wards with figures, split as `split_recent` does when there is a reference month (what
    `pack --all` makes packs for, and the wards on old boundaries it leaves out)."""
    local = in_home(wards_with_data(db), home)
    return split_recent(db, local, reference) if local and reference else (local, [])


def _newest(db: Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Of wards sharing a name, those whose figures run to within 12 months of the newest (so a ward on current
    boundaries wins over its namesake on the boundaries before, e.g. Westminster's West End before May 2022)."""
    last = {code: months[1] for code, months in ward_crime_months(db).items()}
    ends = [last.get(str(r["code"]), "") for r in rows]
    newest = max(ends)
    if not newest:
        return rows
    return [r for r, end in zip(rows, ends, strict=True) if end and end > add_months(newest, -12)]


def _candidates(db: Database, term: str) -> list[dict[str, Any]]:
    key = name_key(term)
    rows = db.query("SELECT code, name, borough_name FROM ward ORDER BY borough_name, name")
    return [r for r in rows if name_key(str(r["name"] or "")) == key]


def resolve_wards(db: Database, terms: list[str], home: list[str] | None = None) -> list[str]:
    """Ward codes for codes or names. A name is looked up in the home area first, then everywhere; a name that
    still matches wards in more than one borough must be given as a code (the message lists them)."""
    home_keys = {name_key(b) for b in home or []}
    codes: list[str] = []
    for term in terms:
        term = term.strip()
        row = db.execute("SELECT code FROM ward WHERE code = ?", [term.upper()]).fetchone()
        if row:
            codes.append(str(row[0]))
            continue
        rows = _candidates(db, term)
        local = [r for r in rows if name_key(str(r["borough_name"] or "")) in home_keys]
        matches = local or rows
        if len(matches) > 1:
            matches = _newest(db, matches)
        if len(matches) == 1:
            codes.append(str(matches[0]["code"]))
        elif not matches:
            raise WardBriefError(
                f"No ward called '{term}' is in the store.",
                "Run `wardbrief wards` to list the wards, or import a ward lookup or crime extract first.",
            )
        else:
            options = ", ".join(f"{r['code']} ({r['borough_name']})" for r in matches)
            in_home = bool(local) and len({name_key(str(r["borough_name"] or "")) for r in matches}) == 1
            raise WardBriefError(
                f"'{term}' names more than one ward: {options}.",
                "Give the ward code instead (`wardbrief wards` lists them)."
                if in_home
                else "Give the ward code instead, or set your borough in Settings so names are looked up there first.",
            )
    return codes
