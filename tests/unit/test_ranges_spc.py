"""XmR limits and the special-cause rules, against examples worked by hand (docs/methods.md)."""

from __future__ import annotations

import pytest

from desktop.analysis.spc import Signal, spc, xmr_limits

BASE = [10.0, 12, 11, 13, 12, 10, 11, 12, 13, 11, 12, 11]  # sum 138, mean 11.5; moving ranges sum 15 over 11
MONTHS = [f"20{23 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]


def test_limits_by_hand() -> None:
    lim = xmr_limits(BASE)
    assert lim is not None
    assert lim.centre == pytest.approx(11.5)
    assert lim.mr_bar == pytest.approx(15 / 11)
    assert lim.upper == pytest.approx(11.5 + 2.66 * 15 / 11)  # 15.127
    assert lim.lower == pytest.approx(11.5 - 2.66 * 15 / 11)  # 7.873


def test_common_cause_only() -> None:
    res = spc(MONTHS[:12], BASE)
    assert res.has_limits() and res.signals == {}


def test_point_outside_limits() -> None:
    vals = [*BASE, 30.0]  # 13 points: mean 168/13 = 12.92; mR sum 15 + 19 = 34 over 12 = 2.833; UCL = 20.46
    res = spc(MONTHS[:13], vals)
    lim = res.limits[12]
    assert lim is not None and lim.upper == pytest.approx(168 / 13 + 2.66 * 34 / 12)
    assert res.signal(12) == Signal("outside", "high")
    assert all(res.signal(i) is None or res.signal(i) != Signal("outside", "high") for i in range(12))


def test_run_of_seven_below_centre() -> None:
    # 7 low months after 7 high ones: mean 10.5 (none beyond the limits, mR small), each half a run
    vals = [11.0, 12, 11, 12, 11, 12, 11, 10, 9, 10, 9, 10, 9, 10]
    res = spc(MONTHS[:14], vals)
    assert all(Signal("run", "high") in res.signals.get(i, []) for i in range(7))
    assert all(Signal("run", "low") in res.signals.get(i, []) for i in range(7, 14))
    short = [11.0, 12, 11, 12, 11, 12, 10, 9, 10, 9, 10, 9, 10, 11]  # 6 high then 7 low then 1 high: one run only
    res2 = spc(MONTHS[:14], short)
    assert not any(s.rule == "run" and s.side == "high" for sig in res2.signals.values() for s in sig)


def test_trend_of_six() -> None:
    vals = [10.0, 12, 10, 12, 10, 12, 8, 9, 10, 11, 12, 13, 10, 12]  # 8..13: six rising points (5 steps)
    res = spc(MONTHS[:14], vals)
    assert [i for i in range(14) if Signal("trend", "high") in res.signals.get(i, [])] == [6, 7, 8, 9, 10, 11]
    five = [10.0, 12, 10, 12, 10, 12, 8, 9, 10, 11, 12, 10, 12, 10]  # only 5 rising points
    assert not any(s.rule == "trend" for sig in spc(MONTHS[:14], five).signals.values() for s in sig)
    flat = [10.0, 12, 10, 12, 10, 12, 8, 9, 10, 10, 11, 12, 13, 12]  # a tie breaks the trend
    assert not any(s.rule == "trend" for sig in spc(MONTHS[:14], flat).signals.values() for s in sig)


def test_two_of_three_near_a_limit() -> None:
    # sum 178 over 18 -> mean 9.889; moving ranges sum 30 over 17 -> mR-bar 1.765; upper limit 14.58;
    # outer third above 9.889 + 2/3 x 2.66 x 1.765 = 13.02: months 7 and 9 (14 each), with a 10 between them
    vals = [10.0, 11, 9, 10, 11, 9, 10, 14, 10, 14, 9, 9, 8, 9, 10, 9, 8, 8]
    lim = xmr_limits(vals)
    assert lim is not None and lim.centre == pytest.approx(178 / 18) and lim.mr_bar == pytest.approx(30 / 17)
    assert lim.upper == pytest.approx(14.583, abs=1e-3)
    res = spc(MONTHS[:18], vals)
    near = [i for i in range(18) if Signal("near", "high") in res.signals.get(i, [])]
    assert near == [7, 9]  # the two months in the outer third, not the one between them
    assert res.signal(8) is None and res.signal(7) == Signal("near", "high")


def test_provisional_month_never_a_special_cause_nor_in_limits() -> None:
    vals = [*BASE, 2.0]  # a half-counted month: far below the lower limit, but provisional
    res = spc(MONTHS[:13], vals, [False] * 12 + [True])
    assert res.signal(12) is None
    lim = res.limits[0]
    assert lim is not None and lim.centre == pytest.approx(11.5)  # the provisional month is not in the mean


def test_a_trend_never_reaches_over_a_provisional_month() -> None:
    """A reviewer halved May: the chart then read June as 'part of 1 months falling in a row', its trend running
    over the half-counted month. Six falling months with a provisional one among them are no trend."""
    vals = [*BASE, 14.0, 13, 12, 11, 5, 10, 9]  # 14 > 13 > 12 > 11, a provisional 5, then 10 > 9
    provisional = [False] * 16 + [True, False, False]
    res = spc(MONTHS[:19], vals, provisional)
    assert not any(s.rule == "trend" for sig in res.signals.values() for s in sig)
    whole = spc(MONTHS[:19], [*BASE, 14.0, 13, 12, 11, 10.5, 10, 9])  # the same months all counted: a trend
    assert Signal("trend", "low") in whole.signals.get(18, [])


def test_break_restarts_limits() -> None:
    vals = BASE + [v * 3 for v in BASE]  # the categories changed at month 12: a new level, its own limits
    res = spc(MONTHS[:24], vals, breaks={MONTHS[12]})
    assert res.restarts == [0, 12]
    first, second = res.limits[0], res.limits[12]
    assert first is not None and second is not None
    assert first.centre == pytest.approx(11.5) and second.centre == pytest.approx(34.5)
    assert res.signals == {}  # without the restart every later month would be "outside"
    assert spc(MONTHS[:24], vals).signals  # ... as it is when the break is not known


def test_too_few_months_for_limits() -> None:
    res = spc(MONTHS[:8], BASE[:8])
    assert not res.has_limits() and res.signals == {}
    gap = BASE[:6] + [None] + BASE[:6]  # a gap restarts: two stretches of 6 are both too short
    assert not spc(MONTHS[:13], gap).has_limits()
