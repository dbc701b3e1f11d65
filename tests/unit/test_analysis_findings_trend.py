"""Key findings in plain English, and the monthly trend with its 12-month rolling mean."""

from __future__ import annotations

import pytest

from desktop.analysis.change import compare
from desktop.analysis.findings import Item, change_sentence, key_findings
from desktop.analysis.periods import add_months
from desktop.analysis.trend import monthly_trend


def test_sentences() -> None:
    assert (
        change_sentence("Theft from the person", compare(1560, 1204))
        == "Theft from the person rose from 1,204 to 1,560 in the last 12 months (+30%), a clear rise: more than "
        "its usual ups and downs."
    )
    assert "fell from 30 to 10" in change_sentence("Robbery", compare(10, 30))
    assert "within its normal ups and downs" in change_sentence("Burglary", compare(105, 100))
    assert "too few to tell" in change_sentence("Arson", compare(3, 1))
    # large counts, Poisson only: +2% has some evidence, and the sentence hedges it
    assert (
        change_sentence("Theft from the person", compare(16696, 16317))
        == "Theft from the person rose from 16,317 to 16,696 in the last 12 months (+2%): some evidence of a real "
        "rise, though normal ups and downs could still explain it."
    )


def test_small_significant_changes_rank_below_larger_ones() -> None:
    items = [
        Item("Theft", compare(16696, 16317)),  # significant, +2%: small; difference 379
        Item("Robbery", compare(120, 80)),  # significant, +50%; difference 40
        Item("Burglary", compare(300, 290)),  # not significant
    ]
    found = key_findings(items, limit=3)
    assert [s.split()[0].rstrip(":") for s in found] == ["Robbery", "Theft", "Burglary"]
    assert "(+2%): some evidence" in found[1]


def test_ranking_significant_first_then_size_and_hidden_never_spoken() -> None:
    items = [
        Item("Burglary", compare(300, 290)),  # not significant, small
        Item("Theft", compare(2000, 2400)),  # significant, large
        Item("Robbery", compare(120, 80)),  # significant, smaller
        Item("Sexual offences", compare(30, 3), hidden=True),
        Item("Arson", compare(4, 1)),  # too few
        Item("All recorded crime", compare(5000, 5010), headline=True),
    ]
    found = key_findings(items, extra=["65% of victims were satisfied."], limit=5)
    assert found[0].startswith("All recorded crime")
    assert found[1].startswith("Theft fell") and found[2].startswith("Robbery rose")
    assert found[3].startswith("Burglary")
    assert found[-1] == "65% of victims were satisfied."
    assert not any("Sexual" in s or "Arson" in s for s in found)


def test_trend_rolling_mean_and_provisional_months() -> None:
    start = "2022-07"
    months = [add_months(start, i) for i in range(37)]  # 36 complete months + 1 partial month after M
    counts = {m: float(i + 1) for i, m in enumerate(months)}
    reference = months[35]
    trend = monthly_trend(counts, reference, covered=set(months), partial={months[36]})
    assert trend.months[0] == start and trend.months[-1] == months[36]
    assert trend.provisional[-1] and not any(trend.provisional[:-1])
    assert trend.rolling[10] is None
    assert trend.rolling[11] == pytest.approx(sum(range(1, 13)) / 12)
    assert trend.rolling[35] == pytest.approx(sum(range(25, 37)) / 12)
    assert trend.rolling[36] is None  # a provisional month never enters the average


def test_trend_starts_at_first_covered_month_and_fills_true_zeros() -> None:
    covered = {add_months("2023-07", i) for i in range(24)}
    counts = {"2023-07": 5.0}  # every other covered month had no crimes of this theme: zero, not missing
    trend = monthly_trend(counts, "2025-06", covered=covered)
    assert len(trend.months) == 24 and trend.values[0] == 5.0 and trend.values[1] == 0.0


def test_trend_for_an_earlier_reference_month_ends_there() -> None:
    covered = {add_months("2023-07", i) for i in range(25)}  # to 2025-07, the last partial
    trend = monthly_trend({}, "2025-03", covered=covered, partial={"2025-07"})
    assert trend.months[-1] == "2025-03" and not any(trend.provisional)
    trend = monthly_trend({}, "2025-06", covered=covered, partial={"2025-07"})
    assert trend.months[-1] == "2025-07" and trend.provisional[-1]
