"""Months and periods: the reference month M, R12 (M-11..M), previous R12 (M-23..M-12), "since the last panel"
(last 3 months vs the same 3 a year earlier), partial-month detection and plain-English labels."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
PARTIAL_FRACTION = 0.5  # a month under half the median of its neighbours is partial (DESIGN §5)
NEIGHBOURS = 12


def parse_month(month: str) -> tuple[int, int]:
    """(year, month) of 'YYYY-MM' (also accepts 'YYYYMM'); ValueError when it is not a month."""
    text = month.strip()
    if len(text) == 6 and text.isdigit():
        text = f"{text[:4]}-{text[4:]}"
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()):
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    year, mon = int(text[:4]), int(text[5:])
    if not 1 <= mon <= 12:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return year, mon


def add_months(month: str, n: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> list[str]:
    """Every month from start to end inclusive (empty when end is before start)."""
    (y1, m1), (y2, m2) = parse_month(start), parse_month(end)
    count = (y2 * 12 + m2) - (y1 * 12 + m1) + 1
    return [add_months(start, i) for i in range(max(count, 0))]


def month_label(month: str, short: bool = False) -> str:
    """'June 2025' (or 'Jun 2025' when short)."""
    year, mon = parse_month(month)
    name = MONTH_NAMES[mon - 1]
    return f"{name[:3] if short else name} {year}"


def range_label(start: str, end: str) -> str:
    """'July 2024 to June 2025'."""
    return f"{month_label(start)} to {month_label(end)}"


@dataclass(frozen=True)
class Periods:
    """The periods a pack compares, all derived from the reference month."""

    reference: str
    r12: tuple[str, str]
    previous: tuple[str, str]
    recent: tuple[str, str]  # "since the last panel": the last 3 months
    recent_year_ago: tuple[str, str]  # the same 3 months a year earlier

    @classmethod
    def for_month(cls, month: str) -> Periods:
        parse_month(month)
        return cls(
            reference=month,
            r12=(add_months(month, -11), month),
            previous=(add_months(month, -23), add_months(month, -12)),
            recent=(add_months(month, -2), month),
            recent_year_ago=(add_months(month, -14), add_months(month, -12)),
        )

    @property
    def label(self) -> str:
        """'12 months to June 2025'."""
        return f"12 months to {month_label(self.reference)}"

    @property
    def previous_label(self) -> str:
        return f"12 months to {month_label(self.previous[1])}"

    @property
    def recent_label(self) -> str:
        """'April to June 2025' (the quarter since the last panel)."""
        start, end = self.recent
        first = MONTH_NAMES[parse_month(start)[1] - 1]
        if parse_month(start)[0] == parse_month(end)[0]:
            return f"{first} to {month_label(end)}"
        return range_label(start, end)

    def r12_months(self) -> list[str]:
        return months_between(*self.r12)

    def previous_months(self) -> list[str]:
        return months_between(*self.previous)


def detect_partial(totals: dict[str, float]) -> set[str]:
    """Months whose total is under half the median of the 12 months before them (or, within the first 12 months
    of the series, the 12 after them): a month the publisher had not finished counting (DESIGN §5)."""
    months = sorted(totals)
    flagged: set[str] = set()
    for i, month in enumerate(months):
        before = [totals[m] for m in months[max(0, i - NEIGHBOURS) : i]]
        after = [totals[m] for m in months[i + 1 : i + 1 + NEIGHBOURS]]
        neighbours = before if len(before) >= 3 else after if len(after) >= 3 else before + after
        if len(neighbours) < 3:
            continue
        median = statistics.median(neighbours)
        if median > 0 and totals[month] < PARTIAL_FRACTION * median:
            flagged.add(month)
    return flagged


def latest_complete(months_totals: dict[str, float], flagged: set[str]) -> str | None:
    """The latest month that is neither flagged partial in the store nor partial by the rule (a safety net)."""
    detected = detect_partial(months_totals)
    complete = [m for m in months_totals if m not in flagged and m not in detected]
    return max(complete) if complete else None
