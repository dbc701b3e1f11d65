"""Months, the one place for them (Qt-free): 'YYYY-MM' arithmetic, how a month reads, and which months of a
series are partial (far below the months around them: not fully counted when published).

Importers, analysis, reports and views all use these; nothing else does month arithmetic or names months.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Mapping
from typing import Literal

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
# The newest month of a series is the one a publisher may still be counting: under 80% of the median of the 12
# months before it, it is not taken as complete (a first reviewer's store with the last month counted at 60% gave
# 'clear fall' verdicts). A real fall that deep is reported once the next month is in; docs/methods.md.
LATEST_FRACTION = 0.8
NEIGHBOURS = 12
MIN_NEIGHBOURS = 3  # a month with fewer neighbours than this cannot be judged


def parse_month(month: str) -> tuple[int, int]:
    """(year, month) of 'YYYY-MM' (also accepts 'YYYYMM'); ValueError when it is not a month."""
    text = str(month).strip()
    if len(text) == 6 and text.isdigit():
        text = f"{text[:4]}-{text[4:]}"
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()):
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    year, mon = int(text[:4]), int(text[5:])
    if not 1 <= mon <= 12:
        raise ValueError(f"not a month (YYYY-MM): {month!r}")
    return year, mon


def is_month(text: str) -> bool:
    try:
        parse_month(text)
    except ValueError:
        return False
    return True


def add_months(month: str, n: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(start: str, end: str) -> list[str]:
    """Every month from start to end inclusive (empty when end is before start)."""
    (y1, m1), (y2, m2) = parse_month(start), parse_month(end)
    count = (y2 * 12 + m2) - (y1 * 12 + m1) + 1
    return [add_months(start, i) for i in range(max(count, 0))]


def this_month() -> str:
    return dt.date.today().strftime("%Y-%m")


Style = Literal["long", "short", "axis"]


def month_label(month: str | None, style: Style = "long", blank: str = "") -> str:
    """How a month reads: 'June 2025' (long), 'Jun 2025' (short), 'Jun 25' (axis: chart ticks). `blank` for no
    month; anything that is not a month comes back as it is (never an exception in a label)."""
    if not month:
        return blank
    try:
        year, mon = parse_month(month[:7] if len(month) > 7 else month)
    except ValueError:
        return str(month)
    name = MONTH_NAMES[mon - 1]
    if style == "long":
        return f"{name} {year}"
    if style == "short":
        return f"{name[:3]} {year}"
    return f"{name[:3]} {year % 100:02d}"


def range_label(start: str, end: str, style: Style = "long") -> str:
    """'July 2024 to June 2025' (one month: 'June 2025')."""
    if start == end:
        return month_label(end, style)
    return f"{month_label(start, style)} to {month_label(end, style)}"


def span_label(months: list[str] | set[str], style: Style = "long") -> str:
    """Months as short runs: 'March 2023', 'January to March 2024', 'May 2023 and January to March 2024'."""
    ordered = sorted(set(months))
    runs: list[tuple[str, str]] = []
    for month in ordered:
        if runs and add_months(runs[-1][1], 1) == month:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    parts = [range_label(a, b, style) for a, b in runs]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def detect_partial(totals: Mapping[str, float]) -> set[str]:
    """Months of ONE series whose total is under half the median of the 12 months before them (or, with fewer
    than 3 months before, the 12 after them; with fewer than 3 either side, both together): a month the publisher
    had not finished counting (DESIGN §5). The newest month is held to LATEST_FRACTION of the months before it.
    A month with fewer than 3 neighbours is never flagged."""
    months = sorted(totals)
    flagged: set[str] = set()
    for i, month in enumerate(months):
        before = [totals[m] for m in months[max(0, i - NEIGHBOURS) : i]]
        after = [totals[m] for m in months[i + 1 : i + 1 + NEIGHBOURS]]
        if len(before) >= MIN_NEIGHBOURS:
            neighbours = before
        elif len(after) >= MIN_NEIGHBOURS:
            neighbours = after
        else:
            neighbours = before + after
        if len(neighbours) < MIN_NEIGHBOURS:
            continue
        median = statistics.median(neighbours)
        newest = i == len(months) - 1 and neighbours is before
        if median > 0 and totals[month] < (LATEST_FRACTION if newest else PARTIAL_FRACTION) * median:
            flagged.add(month)
    return flagged


def latest_complete(totals: Mapping[str, float], flagged: set[str]) -> str | None:
    """The latest month that is neither flagged partial in the store nor partial by the rule (a safety net)."""
    detected = detect_partial(totals)
    complete = [m for m in totals if m not in flagged and m not in detected]
    return max(complete) if complete else None
