"""Monthly series for the trend charts: 24-36 months up to the reference month (plus any later provisional
months), a 12-month rolling mean, and which months are provisional."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from desktop.months import add_months, months_between

WINDOW = 12
DEFAULT_MONTHS = 36


@dataclass(frozen=True)
class Trend:
    months: list[str]
    values: list[float | None]  # None where the store holds no figures for that month
    rolling: list[float | None]  # mean of the 12 months to each month; None until 12 complete months exist
    provisional: list[bool]

    def complete_values(self) -> list[float]:
        return [v for v, p in zip(self.values, self.provisional, strict=True) if v is not None and not p]


def rolling_mean(values: list[float | None], provisional: list[bool], window: int = WINDOW) -> list[float | None]:
    """Trailing mean over `window` months; undefined where any month in the window is missing or provisional."""
    out: list[float | None] = []
    for i in range(len(values)):
        if i + 1 < window:
            out.append(None)
            continue
        chunk = values[i + 1 - window : i + 1]
        if any(v is None for v in chunk) or any(provisional[i + 1 - window : i + 1]):
            out.append(None)
        else:
            out.append(sum(v for v in chunk if v is not None) / window)
    return out


def monthly_trend(
    counts: Mapping[str, float],
    reference: str,
    covered: Collection[str],
    partial: Collection[str] = (),
    months: int = DEFAULT_MONTHS,
) -> Trend:
    """The series ending at `reference` (and running on through any partial months just after it, marked
    provisional).

    `counts` maps month -> count for the area and theme; `covered` holds every month the store has figures for
    (a covered month with no row is a true zero, an uncovered one is unknown). The series starts at the first
    covered month within the window, so a store holding 24 months draws 24, not 12 empty ones.
    """
    partial_set = set(partial)
    # months after the reference month are drawn only when they are the provisional tail of the series (an
    # earlier reference month chosen by the user ends the chart there)
    later = sorted(m for m in covered if m > reference)
    tail: list[str] = []
    for month in later:
        if month != add_months(tail[-1] if tail else reference, 1) or month not in partial_set:
            break
        tail.append(month)
    end = tail[-1] if tail else reference
    window = [m for m in months_between(add_months(reference, -(months - 1)), end)]
    first = next((i for i, m in enumerate(window) if m in covered), None)
    window = window[first:] if first is not None else []
    values: list[float | None] = [float(counts.get(m, 0)) if m in covered else None for m in window]
    provisional = [m in partial_set or m > reference for m in window]
    return Trend(window, values, rolling_mean(values, provisional), provisional)
