"""The canonical survey measures (DESIGN.md §4): the values `survey_result.measure` holds. Shared by the importers,
the templates and the analysis.

Measure names are matched case-insensitively, ignoring punctuation and extra spaces; a few names used by the
publishers (e.g. the MOPAC PAS dashboard's '"Good Job" local') are mapped to the canonical names here.
"""

from __future__ import annotations

import re

USS_MEASURES: tuple[str, ...] = (
    "ease of contact",
    "police actions",
    "follow-up",
    "treatment",
    "overall satisfaction",
)

PAS_MEASURES: tuple[str, ...] = (
    "good job locally",
    "relied on to be there",
    "treat everyone fairly",
    "deal with what matters to the community",
    "understand the issues that affect this community",
    "listen to concerns",
    "well informed about local policing",
    "trust the MPS",
    "know how to contact ward officer",
)

VCOP_RIGHTS: tuple[str, ...] = (
    "understand and be understood",
    "crime recorded without unjustified delay",
    "information when reporting",
    "referral to support services",
    "information about compensation",
    "information about the investigation and prosecution",
    "make a Victim Personal Statement",
    "information about the trial",
    "information about the outcome and any appeal",
    "expenses and property returned",
    "information about the offender after conviction",
    "make a complaint",
)

MEASURES: dict[str, tuple[str, ...]] = {"USS": USS_MEASURES, "PAS": PAS_MEASURES, "VCOP": VCOP_RIGHTS}
SURVEYS: tuple[str, ...] = ("PAS", "USS", "VCOP")
SURVEY_LABELS = {
    "PAS": "Public Attitude Survey (trust and confidence)",
    "USS": "User Satisfaction Survey (victim satisfaction)",
    "VCOP": "Victims' Code of Practice compliance (the 12 rights)",
}

# Publishers' names (normalised by `_key`) -> canonical measure.
_ALIASES: dict[str, dict[str, str]] = {
    "PAS": {
        "good job local": "good job locally",
        "good job": "good job locally",
        "police do a good job in the local area": "good job locally",
        "trust mps": "trust the MPS",
        "trust": "trust the MPS",
        "trust the police": "trust the MPS",
        "contact ward officer": "know how to contact ward officer",
        "informed local": "well informed about local policing",
        # the dashboard's "Understand issues" is its own question, not "deal with what matters" (a reviewer's find)
        "understand issues": "understand the issues that affect this community",
        "understand local issues": "understand the issues that affect this community",
        "deal with what matters": "deal with what matters to the community",
        "relied on": "relied on to be there",
        "treat everyone fairly": "treat everyone fairly",
        "fair treatment": "treat everyone fairly",
        "listen to concerns": "listen to concerns",
    },
    "USS": {
        "ease of contacting": "ease of contact",
        "actions taken": "police actions",
        "follow up": "follow-up",
        "followup": "follow-up",
        "kept informed": "follow-up",
        "overall": "overall satisfaction",
        "satisfaction": "overall satisfaction",
        "whole experience": "overall satisfaction",
    },
    "VCOP": {
        "victim personal statement": "make a Victim Personal Statement",
        "vps": "make a Victim Personal Statement",
        "information about compensation": "information about compensation",
        "compensation": "information about compensation",
        "referral to support": "referral to support services",
        "complaint": "make a complaint",
    },
}


def _key(text: str) -> str:
    """Lower case, quotes and punctuation dropped, spaces collapsed: '"Good Job" local' -> 'good job local'."""
    text = text.replace("\u2019", "'").lower()
    text = re.sub(r"[\"'`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


_LOOKUP: dict[str, dict[str, str]] = {
    survey: {**{_key(m): m for m in names}, **{_key(a): c for a, c in _ALIASES.get(survey, {}).items()}}
    for survey, names in MEASURES.items()
}


def canonical_measure(survey: str, name: str) -> str | None:
    """The canonical name of `name` in `survey` ('PAS' | 'USS' | 'VCOP'), or None when it is not one of them."""
    table = _LOOKUP.get(survey.upper())
    if table is None:
        return None
    return table.get(_key(name))


def canonical_survey(name: str) -> str | None:
    key = _key(name).upper().replace(" ", "")
    aliases = {"PAS": "PAS", "USS": "USS", "VCOP": "VCOP", "VCOPCOMPLIANCE": "VCOP", "VICTIMSCODE": "VCOP"}
    return aliases.get(key)


def valid_measures_text(survey: str) -> str:
    names = MEASURES.get(survey.upper(), ())
    return "; ".join(names)
