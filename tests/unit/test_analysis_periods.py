"""Periods, month arithmetic and partial months (DESIGN §5)."""

from __future__ import annotations

import pytest

from desktop.analysis.periods import Periods
from desktop.months import (
    add_months,
    detect_partial,
    latest_complete,
    month_label,
    months_between,
    parse_month,
    span_label,
)


def test_month_arithmetic_crosses_years() -> None:
    assert add_months("2025-06", -11) == "2024-07"
    assert add_months("2025-06", -23) == "2023-07"
    assert add_months("2024-12", 1) == "2025-01"
    assert add_months("2025-01", -1) == "2024-12"
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_between("2025-02", "2025-01") == []
    assert parse_month("202506") == (2025, 6)
    with pytest.raises(ValueError):
        parse_month("2025-13")


def test_periods_and_labels() -> None:
    p = Periods.for_month("2025-06")
    assert p.r12 == ("2024-07", "2025-06")
    assert p.previous == ("2023-07", "2024-06")
    assert p.recent == ("2025-04", "2025-06")
    assert p.recent_year_ago == ("2024-04", "2024-06")
    assert len(p.r12_months()) == 12 and len(p.previous_months()) == 12
    assert not set(p.r12_months()) & set(p.previous_months())
    assert p.label == "12 months to June 2025"
    assert p.recent_label == "April to June 2025"
    assert Periods.for_month("2025-01").recent_label == "November 2024 to January 2025"
    assert month_label("2025-06", "short") == "Jun 2025"
    assert month_label("2025-06", "axis") == "Jun 25"
    assert month_label(None, blank="-") == "-" and month_label("soon") == "soon"
    assert span_label(["2024-01", "2024-03", "2024-02", "2023-05"]) == "May 2023 and January 2024 to March 2024"


def _series(n: int, start: str = "2023-07", level: float = 1000.0) -> dict[str, float]:
    return {add_months(start, i): level + (i % 3) * 10 for i in range(n)}


def test_partial_last_month_detected_and_never_reference() -> None:
    totals = _series(24)
    last = max(totals)
    totals[last] = 300.0  # under half the median of the 12 before
    assert detect_partial(totals) == {last}
    assert latest_complete(totals, set()) == add_months(last, -1)


def test_flagged_month_never_reference_even_if_it_looks_complete() -> None:
    totals = _series(24)
    last = max(totals)
    assert latest_complete(totals, {last}) == add_months(last, -1)


def test_partial_first_month_detected_from_following_months() -> None:
    totals = _series(24)
    first = min(totals)
    totals[first] = 100.0
    assert first in detect_partial(totals)


def test_a_real_fall_of_a_third_is_not_partial() -> None:
    totals = _series(24)
    middle = sorted(totals)[-2]
    totals[middle] = 700.0
    assert detect_partial(totals) == set()


def test_a_fall_of_a_third_in_the_newest_month_waits_for_the_next_month() -> None:
    """The newest month is the one a publisher may still be counting: a fall that deep is not the reference until
    a later month shows it was real (docs/methods.md)."""
    totals = _series(24)
    newest = max(totals)
    totals[newest] = 700.0
    assert detect_partial(totals) == {newest}
    totals[add_months(newest, 1)] = 700.0
    assert detect_partial(totals) == {add_months(newest, 1)}  # still the newest; the month before now stands


def test_empty_store_has_no_reference_month() -> None:
    assert latest_complete({}, set()) is None
