"""The periods a pack compares: the reference month M, R12 (M-11..M), previous R12 (M-23..M-12), "since the last
panel" (last 3 months vs the same 3 a year earlier), and how they read. Months themselves: desktop/months.py."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.months import MONTH_NAMES, add_months, month_label, months_between, parse_month, range_label


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
