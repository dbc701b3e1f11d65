"""The exact conditional test for two Poisson counts, checked against sums of binomial probabilities."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.analysis.change import binom_two_sided_p, compare, pct_change, poisson_test


def brute_p(x: int, n: int, p: float = 0.5) -> float:
    """Two-sided exact p-value by summing every binomial probability no larger than the observed one."""
    pmf = [math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1)]
    return min(1.0, sum(v for v in pmf if v <= pmf[x] * (1 + 1e-7)))


def test_known_value_30_vs_10() -> None:
    # By hand: 2 * sum_{k<=10} C(40,k) / 2^40 = 2 * 1221246132 / 2^40... computed with math.comb below.
    expected = 2 * sum(math.comb(40, k) for k in range(11)) / 2**40
    assert expected == pytest.approx(0.0022214337732, rel=1e-9)
    assert poisson_test(30, 10) == pytest.approx(expected, rel=1e-9)
    assert poisson_test(10, 30) == pytest.approx(expected, rel=1e-9)


def test_equal_counts_give_p_one() -> None:
    assert poisson_test(20, 20) == 1.0
    assert poisson_test(0, 0) == 1.0


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 150), st.integers(0, 150), st.sampled_from([0.5, 0.25, 0.6, 0.9]))
def test_matches_brute_force(a: int, b: int, p: float) -> None:
    n = a + b
    assert binom_two_sided_p(a, n, p) == pytest.approx(brute_p(a, n, p), rel=1e-9, abs=1e-300)


def test_large_counts_do_not_overflow() -> None:
    # 30,000 vs 31,000: a 3% fall on a huge base is significant; the values must be finite and in (0, 1].
    p = poisson_test(30000, 31000)
    assert 0 < p < 0.01
    assert poisson_test(30000, 30050) > 0.5


def test_classification() -> None:
    rise = compare(1560, 1204)
    assert rise.verdict == "rise" and rise.label == "clear rise" and rise.pct_text() == "+30%"
    assert rise.difference == 356 and rise.direction == "up"
    fall = compare(10, 30)
    assert fall.verdict == "fall" and fall.significant
    same = compare(105, 100)
    assert same.verdict == "no change" and same.label == "within normal variation"
    assert not same.significant and same.p_value is not None and same.p_value > 0.05
    assert not rise.small and not same.small
    tiny = compare(6, 1)  # 7 events: never called a trend, even though 6 vs 1 looks dramatic
    assert tiny.verdict == "too few" and tiny.p_value is None and tiny.label == "too few to tell"


def test_small_but_significant_change_on_large_counts() -> None:
    # 16,317 -> 16,696 is +2.3%: significant with counts this large, but small in size, and said so
    ch = compare(16696, 16317)
    assert ch.verdict == "rise" and ch.significant and ch.small
    assert ch.label == "some evidence of a small rise"
    fall = compare(30000, 31000)  # -3.2%
    assert fall.small and fall.label == "small but clear fall"
    assert not compare(1050, 1000).small  # +5%, not significant: not "small but significant"
    assert not compare(21000, 20000).small  # +5% exactly and significant: an ordinary significant rise
    assert compare(21000, 20000).label == "clear rise"


def test_pct_change_handles_zero_baseline() -> None:
    assert pct_change(12, 0) is None
    assert compare(12, 0).pct_text() == "new"
    assert compare(0, 0).pct_text() == "0%"
    assert pct_change(75, 100) == pytest.approx(-25.0)
