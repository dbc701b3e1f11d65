"""Rates per 1,000 residents, the high-footfall caveat, and how a ward compares with its borough (rank, share,
rate against the borough rate)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def rate_per_1000(count: float, population: int | None) -> float | None:
    """Count per 1,000 residents; None when the population is unknown or zero."""
    if not population or population <= 0:
        return None
    return 1000.0 * count / population


def _fold(name: str) -> str:
    return " ".join(name.replace("\u2019", "'").replace("`", "'").casefold().split())


def is_high_footfall(ward_name: str, high_footfall_wards: Iterable[str]) -> bool:
    """Whether a ward is one of the configured high-footfall wards (case, spacing and apostrophe style ignored)."""
    folded = _fold(ward_name)
    return any(folded == _fold(w) for w in high_footfall_wards)


FOOTFALL_WARNING = (
    "{ward} draws very large numbers of visitors, workers and commuters, so a rate per resident overstates the risk "
    "to anyone there; compare counts and trends, not resident rates."
)


def footfall_warning(ward_name: str) -> str:
    return FOOTFALL_WARNING.format(ward=ward_name)


def rank_of(values: Mapping[str, float], key: str) -> tuple[int, int]:
    """(rank, number ranked) of `key` among `values`, 1 = highest; ties share the better rank."""
    if key not in values:
        raise KeyError(key)
    mine = values[key]
    return 1 + sum(1 for v in values.values() if v > mine), len(values)


def share_text(share: float) -> str:
    """A share of a total: '41%', '0.5%' -> '<1%' (a small share is never rounded to nothing), '0%' for none."""
    if share <= 0:
        return "0%"
    if share < 0.01:
        return "<1%"
    return f"{share:.0%}"


def share(part: float, whole: float) -> float | None:
    """part / whole (0-1); None when the whole is zero."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class BoroughComparison:
    ward_count: int
    borough_count: int
    rank: int
    of: int
    share: float | None  # ward / borough, 0-1
    ward_rate: float | None  # per 1,000 residents
    borough_rate: float | None
    high_footfall: bool = False

    @property
    def rate_ratio(self) -> float | None:
        if self.ward_rate is None or not self.borough_rate:
            return None
        return self.ward_rate / self.borough_rate

    def rank_text(self) -> str:
        return f"rank {self.rank} of {self.of}"

    def share_text(self) -> str:
        return "" if self.share is None else f"{share_text(self.share)} of borough"


def compare_with_borough(
    ward_code: str,
    counts: Mapping[str, float],
    populations: Mapping[str, int | None],
    high_footfall: bool = False,
) -> BoroughComparison:
    """Compare one ward's count with all the borough's wards (`counts` holds every ward, this one included).
    The borough rate uses only wards with a known population, so it is like-for-like with the ward rates."""
    rank, of = rank_of(counts, ward_code)
    total = sum(counts.values())
    known = [c for c in counts if populations.get(c)]
    pop_total = sum(int(populations[c] or 0) for c in known)
    borough_rate = rate_per_1000(sum(counts[c] for c in known), pop_total) if known else None
    return BoroughComparison(
        ward_count=int(counts[ward_code]),
        borough_count=int(total),
        rank=rank,
        of=of,
        share=share(counts[ward_code], total),
        ward_rate=rate_per_1000(counts[ward_code], populations.get(ward_code)),
        borough_rate=borough_rate,
        high_footfall=high_footfall,
    )
