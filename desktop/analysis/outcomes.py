"""What happened to reported crimes (police.uk outcomes), in plain groups, with Wilson intervals (pure pandas).

Each crime takes its latest outcome: from the outcomes files where they name its Crime ID, else the street file's
"Last outcome category" (police.uk's latest as at that file). Outcomes take months to settle (a charge can follow
months after the crime), so the shares are for crimes reported in a window that ends SETTLE_MONTHS before the
latest outcome month the store holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop.analysis.surveys import wilson

SETTLE_MONTHS = 6
CHARGED = "Charged or summonsed"
OTHER_FORMAL = "Other formal action (caution, penalty notice, community resolution)"
NO_SUSPECT = "Investigation complete, no suspect identified"
UNABLE = "Unable to prosecute, or not in the public interest"
UNDER = "Still under investigation"
NOT_KNOWN = "Other, or not known"
GROUPS = (CHARGED, OTHER_FORMAL, NO_SUSPECT, UNABLE, UNDER, NOT_KNOWN)

_BY_WORD: tuple[tuple[str, str], ...] = (
    # police.uk outcome texts, matched by a lower-case fragment, first match wins
    ("no suspect identified", NO_SUSPECT),
    ("unable to prosecute", UNABLE),
    ("not in the public interest", UNABLE),
    ("under investigation", UNDER),
    ("awaiting court", CHARGED),
    ("charged", CHARGED),
    ("court", CHARGED),  # court result unavailable, court case unable to proceed
    ("offender", CHARGED),  # offender sent to prison, fined, given a conditional discharge... (court results)
    ("defendant", CHARGED),
    ("sentenced", CHARGED),
    ("caution", OTHER_FORMAL),
    ("penalty notice", OTHER_FORMAL),
    ("community resolution", OTHER_FORMAL),
    ("local resolution", OTHER_FORMAL),
    ("warning", OTHER_FORMAL),  # cannabis / khat / drugs possession warning
)
# court results that are formal action out of court despite naming the offender
_OUT_OF_COURT = ("offender given a caution", "offender given penalty notice", "offender given a drugs possession")


def group_of(outcome: object) -> str:
    text = str(outcome or "").strip().lower()
    if not text or text == "nan" or "status update unavailable" in text:
        return NOT_KNOWN
    if text.startswith(_OUT_OF_COURT):
        return OTHER_FORMAL
    return next((group for word, group in _BY_WORD if word in text), NOT_KNOWN)


def latest_outcome(street: Any, outcomes: dict[str, tuple[str, str]]) -> list[str]:
    """Each street crime's latest outcome text: the outcomes files' by Crime ID, else the street file's own."""
    out = []
    for crime_id, last in zip(street["crime_id"], street["last_outcome"], strict=True):
        found = outcomes.get(str(crime_id)) if crime_id else None
        out.append(found[1] if found else str(last or ""))
    return out


@dataclass(frozen=True)
class Share:
    group: str
    count: int
    base: int
    share: float
    lower: float
    upper: float


def shares(groups: list[str]) -> list[Share]:
    """The share of crimes in each group, in GROUPS order, with Wilson 95% intervals (empty for no crimes)."""
    base = len(groups)
    if not base:
        return []
    out = []
    for group in GROUPS:
        n = sum(1 for g in groups if g == group)
        lo, hi = wilson(n / base, base)
        out.append(Share(group, n, base, n / base, lo, hi))
    return out
