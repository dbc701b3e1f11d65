"""Rates, ranks and shares; survey values with Wilson intervals and the minimum-base fallback."""

from __future__ import annotations

import math

import pytest

from desktop.analysis.rates import compare_with_borough, is_high_footfall, rank_of, rate_per_1000, share
from desktop.analysis.surveys import area_chain, bcu_of, best_figure, weakest, wilson, year_earlier


def test_rate_per_1000() -> None:
    assert rate_per_1000(250, 12_500) == pytest.approx(20.0)
    assert rate_per_1000(5, None) is None
    assert rate_per_1000(5, 0) is None


def test_rank_share_and_borough_rate() -> None:
    counts = {"A": 500.0, "B": 120.0, "C": 300.0, "D": 80.0}
    pops = {"A": 10_000, "B": 12_000, "C": 15_000, "D": None}
    assert rank_of(counts, "A") == (1, 4)
    assert rank_of(counts, "D") == (4, 4)
    assert rank_of({"A": 5.0, "B": 5.0, "C": 1.0}, "B") == (1, 3)  # ties share the better rank
    assert share(120, 1000) == pytest.approx(0.12)
    cmp = compare_with_borough("C", counts, pops)
    assert (cmp.rank, cmp.of) == (2, 4)
    assert cmp.borough_count == 1000 and cmp.share == pytest.approx(0.3)
    assert cmp.ward_rate == pytest.approx(20.0)
    # borough rate over wards with a population only: (500 + 120 + 300) / 37,000 * 1000
    assert cmp.borough_rate == pytest.approx(920 / 37_000 * 1000)
    assert cmp.rate_ratio == pytest.approx(20.0 / (920 / 37_000 * 1000))
    assert cmp.rank_text() == "rank 2 of 4" and cmp.share_text() == "30% of borough"


def test_high_footfall_matching_ignores_case_and_apostrophe_style() -> None:
    wards = ["West End", "St James's"]
    assert is_high_footfall("St James\u2019s", wards)
    assert is_high_footfall("west  end", wards)
    assert not is_high_footfall("Westbourne", wards)


def test_wilson_known_values() -> None:
    # 58/100: centre (0.58 + 1.96^2/200) / (1 + 1.96^2/100) = 0.57705, half-width 0.09497 -> 0.4821 .. 0.6720
    lo, hi = wilson(0.58, 100)
    assert lo == pytest.approx(0.48206, abs=2e-5) and hi == pytest.approx(0.67202, abs=2e-5)
    # independent formula: centre +- half-width, z = 1.96
    z, p, n = 1.959963984540054, 0.5, 40
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert wilson(0.5, 40) == pytest.approx((centre - half, centre + half))
    assert wilson(0.0, 30)[0] == 0.0 and wilson(1.0, 30)[1] == pytest.approx(1.0)


def _row(area_type: str, area: str, base: int | None, value: float, period: str = "2025-03") -> dict[str, object]:
    return {
        "survey": "VCOP",
        "area_type": area_type,
        "area": area,
        "period_end": period,
        "measure": "information about compensation",
        "base_n": base,
        "value": value,
    }


def test_min_base_falls_back_to_smallest_area_that_meets_it_and_says_so() -> None:
    rows = [
        _row("ward", "E05013808", 22, 0.2),
        _row("borough", "Westminster", 41, 0.18),
        _row("BCU", "Central West", 412, 0.13),
        _row("London", "London", 5000, 0.15),
    ]
    chain = area_chain("E05013808", "West End", "City of Westminster")
    assert [a.area_type for a in chain] == ["ward", "borough", "BCU", "London"]
    fig = best_figure(rows, chain, 50)
    assert fig is not None
    assert fig.area_type == "BCU" and fig.value == 0.13 and fig.base == 412
    assert "ward base 22 is below 50" in fig.note and "borough base 41 is below 50" in fig.note
    assert fig.lower == pytest.approx(wilson(0.13, 412)[0])
    # with a ward base that meets the minimum, the ward is used and nothing needs saying
    rows[0]["base_n"] = 60
    fig = best_figure(rows, chain, 50)
    assert fig is not None and fig.area_type == "ward" and fig.note == ""


def test_pas_has_no_base_and_says_so() -> None:
    rows = [_row("borough", "Westminster", None, 0.77)]
    fig = best_figure(rows, area_chain(None, None, "Westminster"), 50)
    assert fig is not None and fig.base is None and fig.lower is None and fig.note == "base not published"


def test_latest_period_and_year_earlier() -> None:
    rows = [
        _row("borough", "Westminster", None, 0.70, "2023-12"),
        _row("borough", "Westminster", None, 0.74, "2024-12"),
        _row("borough", "Westminster", None, 0.72, "2024-09"),
    ]
    fig = best_figure(rows, area_chain(None, None, "Westminster"), 50)
    assert fig is not None and fig.period_end == "2024-12"
    before = year_earlier(rows, fig)
    assert before is not None and before.period_end == "2023-12" and before.value == 0.70


def test_bcu_and_weakest() -> None:
    assert bcu_of("City of Westminster") == "Central West"
    assert bcu_of("Kingston upon Thames") == "South West"
    assert bcu_of("Nowhere") is None
    a = best_figure([_row("London", "London", 100, 0.4)], area_chain(None, None, None), 50)
    b = best_figure([_row("London", "London", 100, 0.2)], area_chain(None, None, None), 50)
    assert a is not None and b is not None and weakest([a, b]) is b
