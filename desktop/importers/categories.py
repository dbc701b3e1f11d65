"""Canonical crime category names, so editions that spell or name categories differently line up.

Canonical form: upper case, spaces collapsed, trimmed (the Met's 2023+ editions are UPPER CASE; older ones Title
Case). A small alias map renames the older Met sub-categories to the names the current editions use; where an older
edition split a current sub-category into several (e.g. the many "Miscellaneous Crimes Against Society" lines), they
all map to the current one, so their counts add up to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from desktop.importers.parse import map_distinct

MAJOR_ALIASES: dict[str, str] = {
    "MISC CRIMES AGAINST SOCIETY": "MISCELLANEOUS CRIMES AGAINST SOCIETY",
    "FRAUD AND FORGERY": "FRAUD AND FORGERY",
}

# (canonical major, old minor) -> current minor; ("*", old minor) applies under any major
MINOR_ALIASES: dict[tuple[str, str], str] = {
    ("*", "DOMESTIC BURGLARY"): "BURGLARY - RESIDENTIAL",
    ("*", "BURGLARY IN A DWELLING"): "BURGLARY - RESIDENTIAL",
    ("*", "BURGLARY - BUSINESS AND COMMUNITY"): "BURGLARY BUSINESS AND COMMUNITY",
    ("*", "BURGLARY NON-DWELLING"): "BURGLARY BUSINESS AND COMMUNITY",
    ("*", "DRUG TRAFFICKING"): "TRAFFICKING OF DRUGS",
    ("*", "THEFT FROM PERSON"): "THEFT FROM THE PERSON",
    ("*", "THEFT FROM A MOTOR VEHICLE"): "THEFT FROM A VEHICLE",
    ("*", "THEFT OR TAKING OF A MOTOR VEHICLE"): "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
    ("*", "OTHER OFFENCES AGAINST THE STATE, OR PUBLIC ORDER"): "OTHER OFFENCES PUBLIC ORDER",
    ("*", "RACIALLY OR RELIGIOUSLY AGGRAVATED PUBLIC FEAR, AL"): "RACE OR RELIGIOUS AGG PUBLIC FEAR",
    ("*", "RACIALLY OR RELIGIOUSLY AGGRAVATED PUBLIC FEAR, ALARM OR DISTRESS"): "RACE OR RELIGIOUS AGG PUBLIC FEAR",
}
# Majors whose older editions had many minors and whose current editions have one line.
COLLAPSED_MAJORS: dict[str, str] = {
    "MISCELLANEOUS CRIMES AGAINST SOCIETY": "MISC CRIMES AGAINST SOCIETY",
    "POSSESSION OF WEAPONS": "POSSESSION OF WEAPONS",
}


# The Met's published categories (canonical names), editions 2020-2025 and the 2025 restatements the concordance
# bridges: a name outside this list is one WardBrief does not know (a relabelling, or a new category), which the
# import says and a theme section with no figures names, since no theme may be counting it.
MET_CATEGORIES: dict[str, frozenset[str]] = {
    "ARSON AND CRIMINAL DAMAGE": frozenset({"ARSON", "CRIMINAL DAMAGE"}),
    "BURGLARY": frozenset({"BURGLARY - RESIDENTIAL", "BURGLARY BUSINESS AND COMMUNITY", "RES BURGLARY OF A HOME",
                           "RES BURGLARY OF UNCONNECTED BUILDING", "RESIDENTIAL - HOME", "RESIDENTIAL - OUTBUILDING",
                           "RESIDENTIAL - GENERAL"}),
    "DRUG OFFENCES": frozenset({"POSSESSION OF DRUGS", "TRAFFICKING OF DRUGS"}),
    "FRAUD AND FORGERY": frozenset({"FRAUD AND FORGERY"}),
    "HISTORIC FRAUD AND FORGERY": frozenset({"HISTORIC FRAUD AND FORGERY"}),
    "MISCELLANEOUS CRIMES AGAINST SOCIETY": frozenset({"MISC CRIMES AGAINST SOCIETY"}),
    "NFIB FRAUD": frozenset({"NFIB"}),
    "POSSESSION OF WEAPONS": frozenset({"POSSESSION OF WEAPONS"}),
    "PUBLIC ORDER OFFENCES": frozenset({"OTHER OFFENCES PUBLIC ORDER", "PUBLIC FEAR ALARM OR DISTRESS",
                                       "RACE OR RELIGIOUS AGG PUBLIC FEAR", "VIOLENT DISORDER"}),
    "ROBBERY": frozenset({"ROBBERY OF BUSINESS PROPERTY", "ROBBERY OF PERSONAL PROPERTY"}),
    "SEXUAL OFFENCES": frozenset({"OTHER SEXUAL OFFENCES", "RAPE"}),
    "THEFT": frozenset({"BICYCLE THEFT", "OTHER THEFT", "SHOPLIFTING", "THEFT FROM THE PERSON"}),
    "VEHICLE OFFENCES": frozenset({"AGGRAVATED VEHICLE TAKING", "INTERFERING WITH A MOTOR VEHICLE",
                                  "THEFT FROM A VEHICLE", "THEFT OR UNAUTH TAKING OF A MOTOR VEH"}),
    "VIOLENCE AGAINST THE PERSON": frozenset({"HOMICIDE", "VIOLENCE WITH INJURY", "VIOLENCE WITHOUT INJURY",
                                             "STALKING AND HARASSMENT"}),
}  # fmt: skip


def unknown_categories(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (canonical) names among `pairs` of (category, subcategory) that WardBrief does not know: (category, "")
    for an unknown category, (category, subcategory) for an unknown sub-category of a known one."""
    out: set[tuple[str, str]] = set()
    for major, minor in pairs:
        known = MET_CATEGORIES.get(major)
        if known is None:
            out.add((major, ""))
        elif minor and minor not in known:
            out.add((major, minor))
    return sorted(out)


def unknown_text(unknown: list[tuple[str, str]], name: Callable[[str], str] = str.capitalize) -> str:
    """'Robbery offences; Pickpocketing (a sub-category of Theft)', names written by `name`."""
    return "; ".join(
        f"{name(minor)} (a sub-category of {name(major)})" if minor else name(major) for major, minor in unknown
    )


def clean(text: str) -> str:
    return " ".join(str(text).split()).upper()


def canonical(major: str, minor: str) -> tuple[str, str]:
    """(major, minor) in canonical form, old names renamed to current ones."""
    big = clean(major)
    big = MAJOR_ALIASES.get(big, big)
    small = clean(minor)
    if big in COLLAPSED_MAJORS:
        return big, COLLAPSED_MAJORS[big]
    small = MINOR_ALIASES.get((big, small), MINOR_ALIASES.get(("*", small), small))
    return big, small


def canonicalise(major: Any, minor: Any | None) -> tuple[Any, Any, list[str]]:
    """Vectorised `canonical` over pandas Series (each distinct value looked up once). Returns (category,
    subcategory, renames that changed more than case, for the summary)."""
    cat = map_distinct(major, lambda m: MAJOR_ALIASES.get(clean(m), clean(m)))
    if minor is None:
        return cat, cat.map(lambda _: ""), []
    minors: dict[Any, str] = {}

    def minor_name(m: Any) -> str:
        minors[m] = MINOR_ALIASES.get(("*", clean(m)), clean(m))
        return minors[m]

    sub = map_distinct(minor, minor_name)
    renamed = sorted({f"{m.strip()} -> {c}" for m, c in minors.items() if clean(m) != c})
    collapsed = cat.isin(list(COLLAPSED_MAJORS))
    if collapsed.any():
        sub = sub.where(~collapsed, cat.map(COLLAPSED_MAJORS))
        n = minor[collapsed].nunique()
        if n > 1:
            renamed.append(
                f"{n} sub-categories of {', '.join(sorted(set(cat[collapsed])))} combined as in current editions"
            )
    return cat, sub, renamed
