"""Change between two periods and whether it is more than chance: the exact conditional test for two Poisson
counts (given the total x1 + x2, x1 is binomial with p = e1 / (e1 + e2); p = 0.5 for equal periods).

The two-sided p-value sums the probabilities of every outcome no more likely than the one observed, as
scipy.stats.binomtest does, in log space so that counts of tens of thousands neither overflow nor underflow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from desktop.analysis import dispersion as disp

ALPHA = 0.05
SMALL_PCT = 5.0  # a significant change smaller than this (in %) is called "small": large counts make tiny shifts
#                  significant, and a resident should not read +2% as a crime wave
MIN_TOTAL = 10  # below this many events in the two periods together, no change is called a trend
_RELATIVE = 1 + 1e-7  # scipy's tolerance for "no more likely than observed"
_NEGLIGIBLE = 1e-17

Verdict = Literal["rise", "fall", "no change", "too few", "unavailable"]
Method = Literal["exact", "quasi"]


def _log_pmf(k: int, n: int, log_p: float, log_q: float) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * log_p + (n - k) * log_q


def _tail_sum(start: int, step: int, n: int, log_p: float, log_q: float, log_ref: float) -> float:
    """Sum of exp(log_pmf - log_ref) from `start` outwards (step -1 or +1) to the end of the support, stopping once
    terms are negligible (the pmf falls monotonically away from the mode, so the rest is smaller still). Each term
    comes from the last by the ratio of neighbouring binomial probabilities, so only the first needs lgamma."""
    odds = math.exp(log_p - log_q)  # p / q
    term = math.exp(_log_pmf(start, n, log_p, log_q) - log_ref)
    total = 0.0
    k = start
    while 0 <= k <= n:
        total += term
        if term < _NEGLIGIBLE * max(total, 1.0) or term == 0.0:
            break
        if step < 0:
            term *= k / ((n - k + 1) * odds) if k > 0 else 0.0
        else:
            term *= (n - k) * odds / (k + 1) if k < n else 0.0
        k += step
    return total


def binom_two_sided_p(x: int, n: int, p: float = 0.5) -> float:
    """Exact two-sided p-value of observing x successes in n trials with success probability p."""
    if n < 0 or not 0 <= x <= n:
        raise ValueError(f"need 0 <= x <= n, got x={x}, n={n}")
    if not 0 < p < 1:
        raise ValueError(f"p must be strictly between 0 and 1, got {p}")
    if n == 0:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_obs = _log_pmf(x, n, log_p, log_q)
    threshold = log_obs + math.log(_RELATIVE)
    mode = min(n, max(0, math.floor((n + 1) * p)))
    # pmf increases up to the mode and decreases after it; find the outcomes on the far side of the mode from x
    # that are no more likely than x (binary search on the monotone side), then add the two tails.
    if x == mode or _log_pmf(mode, n, log_p, log_q) <= threshold:
        return 1.0
    if x < mode:
        near = _tail_sum(x, -1, n, log_p, log_q, log_obs)
        lo, hi = mode, n + 1  # first k > mode with log_pmf(k) <= threshold
        while lo < hi:
            mid = (lo + hi) // 2
            if _log_pmf(mid, n, log_p, log_q) <= threshold:
                hi = mid
            else:
                lo = mid + 1
        far = _tail_sum(lo, +1, n, log_p, log_q, log_obs) if lo <= n else 0.0
    else:
        near = _tail_sum(x, +1, n, log_p, log_q, log_obs)
        lo, hi = -1, mode  # last k < mode with log_pmf(k) <= threshold
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if _log_pmf(mid, n, log_p, log_q) <= threshold:
                lo = mid
            else:
                hi = mid - 1
        far = _tail_sum(lo, -1, n, log_p, log_q, log_obs) if lo >= 0 else 0.0
    return min(1.0, math.exp(log_obs) * (near + far))


def poisson_test(current: int, previous: int, exposure_ratio: float = 1.0) -> float:
    """p-value that the rates behind two Poisson counts differ; exposure_ratio = current period / previous period
    (1.0 for two 12-month periods)."""
    p = exposure_ratio / (1.0 + exposure_ratio)
    return binom_two_sided_p(current, current + previous, p)


def pct_change(current: float, previous: float) -> float | None:
    """Percentage change; None when the previous figure is zero (a change from nothing has no percentage)."""
    if previous == 0:
        return None
    return 100.0 * (current - previous) / previous


@dataclass(frozen=True)
class Change:
    current: int
    previous: int
    p_value: float | None  # None when too few to test, or not comparable
    verdict: Verdict
    # complete months behind each figure, of `span` months a period has; a comparison is made only when both
    # periods are fully covered (desktop/analysis/coverage.py)
    current_months: int = 12
    previous_months: int = 12
    span: int = 12
    reason: str = ""  # why no comparison is made when the months are there (e.g. the categories were relabelled)
    # the month-to-month dispersion allowed for (1.0: Poisson) and the test used (docs/methods.md)
    phi: float = 1.0
    method: Method = "exact"

    @property
    def comparable(self) -> bool:
        return self.verdict != "unavailable"

    @property
    def complete(self) -> bool:
        """Whether the current figure covers every month of its period."""
        return self.current_months >= self.span

    @property
    def difference(self) -> int:
        return self.current - self.previous

    @property
    def pct(self) -> float | None:
        return pct_change(self.current, self.previous) if self.comparable else None

    @property
    def significant(self) -> bool:
        return self.verdict in ("rise", "fall")

    @property
    def small(self) -> bool:
        """A significant change that is small in size (|change| < SMALL_PCT %): real, but not much."""
        pct = self.pct
        return self.significant and pct is not None and abs(pct) < SMALL_PCT

    @property
    def direction(self) -> Literal["up", "down", "flat"]:
        return "up" if self.current > self.previous else "down" if self.current < self.previous else "flat"

    @property
    def coverage_text(self) -> str:
        """Why no comparison is made, in a few words: 'covers 9 of 12 months', 'year before: 8 of 12 months',
        'no earlier year in the store' ('' when comparable)."""
        if self.comparable:
            return ""
        if self.reason:
            return self.reason
        if not self.complete:
            return f"covers {self.current_months} of {self.span} months"
        if self.previous_months == 0:
            return "no earlier year in the store"
        return f"year before: {self.previous_months} of {self.span} months"

    @property
    def strength(self) -> Literal["clear", "some", "none"]:
        """How strong the evidence of a real change is: 'clear' (p < 0.002, beyond 99.8% limits), 'some'
        (p < 0.05), 'none' (within normal variation, too few, or not compared)."""
        if not self.significant:
            return "none"
        return "clear" if self.p_value is not None and self.p_value < disp.CLEAR else "some"

    @property
    def label(self) -> str:
        """'clear rise', 'some evidence of a fall', 'small but clear rise', 'within normal variation', 'too few to
        tell', or why no comparison is made ('covers 9 of 12 months')."""
        if self.verdict == "unavailable":
            return self.coverage_text
        if self.significant:
            small = "small " if self.small else ""
            if self.strength == "clear":
                return f"small but clear {self.verdict}" if self.small else f"clear {self.verdict}"
            return f"some evidence of a {small}{self.verdict}"
        return {"no change": "within normal variation", "too few": "too few to tell"}[self.verdict]

    def pct_text(self) -> str:
        """'+30%', '-19%', '0%', or 'new' when the previous figure was zero."""
        if self.verdict == "unavailable":
            return ""
        pct = self.pct
        if pct is None:
            return "new" if self.current else "0%"
        return f"{pct:+.0f}%" if abs(pct) >= 1 or pct == 0 else f"{pct:+.1f}%"


def unavailable(
    current: int, current_months: int = 12, previous_months: int = 0, span: int = 12, reason: str = ""
) -> Change:
    """A figure with nothing to compare it with: its own period or the earlier one is not fully covered by
    complete months (by default: the store does not cover the earlier period at all), or `reason`."""
    return Change(current, 0, None, "unavailable", current_months, previous_months, span, reason)


def compare(
    current: int,
    previous: int,
    exposure_ratio: float = 1.0,
    alpha: float = ALPHA,
    dispersion: disp.Dispersion = disp.NONE,
) -> Change:
    """Classify the change from `previous` to `current` (counts over equal periods unless exposure_ratio says),
    allowing for the series' own month-to-month `dispersion` (dispersion.py); the exact Poisson test when that is
    about 1, not estimated, or the periods differ in length. Callers with figures from the store use
    `compare_covered`, which checks both periods are complete first."""
    if current < 0 or previous < 0:
        raise ValueError("counts cannot be negative")
    if current + previous < MIN_TOTAL:
        return Change(current, previous, None, "too few")
    method: Method = "exact"
    if exposure_ratio == 1.0 and not disp.uses_exact(dispersion):
        p = disp.quasi_poisson_p(current, previous, dispersion.phi)
        method = "quasi"
    else:
        p = poisson_test(current, previous, exposure_ratio)
    if p < alpha:
        verdict: Verdict = "rise" if current * 1.0 > previous * exposure_ratio else "fall"
    else:
        verdict = "no change"
    return Change(current, previous, p, verdict, phi=dispersion.phi if method == "quasi" else 1.0, method=method)


def compare_covered(
    current: int,
    previous: int,
    current_months: int,
    previous_months: int,
    span: int,
    reason: str = "",
    dispersion: disp.Dispersion = disp.NONE,
) -> Change:
    """`compare`, only when both periods are fully covered by complete months (`*_months` of `span`) and nothing
    else (`reason`, e.g. relabelled categories) stops the comparison; otherwise the figure with how many months it
    covers, or the reason, and no change, % or verdict."""
    if current_months < span or previous_months < span or reason:
        return unavailable(current, current_months, previous_months, span, reason)
    ch = compare(current, previous, dispersion=dispersion)
    return Change(ch.current, ch.previous, ch.p_value, ch.verdict, span, span, span, "", ch.phi, ch.method)
