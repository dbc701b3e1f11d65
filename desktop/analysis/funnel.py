"""Funnel plots: is a ward's count higher or lower than expected for its size, allowing for chance and for the
extra variation every ward has (docs/methods.md)?

Each ward's expected count E = residents x the target rate (the wards' total over their residents). Under chance
alone the observed count O is Poisson(E): its 95% and 99.8% limits are exact Poisson quantiles, interpolated as
in Spiegelhalter (2005) so the funnel is a smooth curve. Wards differ by more than chance (housing, night-time
economy, transport hubs), so, as in Spiegelhalter's method used by PHE/OHID Fingertips, the spread is measured by
winsorised z-scores z = (O - E) / sqrt(E) (10% each tail) and, when phi = mean(z^2) shows over-dispersion, an
additive between-ward variance tau^2 widens the limits: ratio O/E within 1 +/- z_q sqrt(1/E + tau^2).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal

from desktop.analysis.dispersion import winsorise

LEVELS = {"95": 0.975, "99.8": 0.999}  # upper quantiles; the lower limits use 1 - q
Z = {"95": 1.959963984540054, "99.8": 3.090232306167813}
MIN_WARDS = 5

Position = Literal["higher", "somewhat higher", "as expected", "somewhat lower", "lower"]


def _log_pmf(k: int, mu: float) -> float:
    return k * math.log(mu) - mu - math.lgamma(k + 1)


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu), summed in log space from the mode outwards (stable for large mu)."""
    if k < 0:
        return 0.0
    if mu <= 0:
        return 1.0
    mode = int(mu)
    if k < mode:  # the lower tail: sum down from k
        total, term, j = 0.0, math.exp(_log_pmf(k, mu)), k
        while j >= 0 and term > 0:
            total += term
            if term < 1e-17 * total:
                break
            term *= j / mu
            j -= 1
        return min(1.0, total)
    # the upper tail: 1 - sum from k+1 upwards
    total, term, j = 0.0, math.exp(_log_pmf(k + 1, mu)), k + 1
    while term > 0:
        total += term
        if term < 1e-17 * max(total, 1e-300):
            break
        term *= mu / (j + 1)
        j += 1
    return max(0.0, 1.0 - total)


def poisson_quantile(p: float, mu: float) -> int:
    """The smallest r with P(X <= r) >= p (as scipy.stats.poisson.ppf)."""
    if not 0 < p < 1:
        raise ValueError("p must be in (0, 1)")
    if mu <= 0:
        return 0
    # start near the normal approximation and walk
    r = max(0, int(mu + (math.sqrt(mu) * _z(p)) - 1))
    while r > 0 and poisson_cdf(r - 1, mu) >= p:
        r -= 1
    while poisson_cdf(r, mu) < p:
        r += 1
    return r


def _z(p: float) -> float:
    """The standard normal quantile (Acklam's rational approximation; good to ~1e-9, used only as a start)."""
    a = [-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02, 1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00]  # fmt: skip
    b = [-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01]  # fmt: skip
    c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00, -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00]  # fmt: skip
    d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00]
    if p < 0.02425:
        q = math.sqrt(-2 * math.log(p))
        return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / (
            (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
        )
    if p > 1 - 0.02425:
        return -_z(1 - p)
    q = p - 0.5
    r = q * q
    return (
        (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    )


def poisson_limit(p: float, mu: float) -> float:
    """The p-quantile of Poisson(mu) as a continuous count, interpolated between r - 1 and r (Spiegelhalter
    2005, appendix A.1.1): r - (F(r) - p) / (F(r) - F(r - 1))."""
    r = poisson_quantile(p, mu)
    hi, lo = poisson_cdf(r, mu), poisson_cdf(r - 1, mu)
    if hi <= lo:
        return float(r)
    return r - (hi - p) / (hi - lo)


@dataclass(frozen=True)
class Funnel:
    target: float  # the target rate (count per resident)
    phi: float  # mean squared winsorised z-score (1 = chance alone)
    tau2: float  # additive between-ward variance on the O/E scale (0 = none)
    wards: int  # wards behind the target and tau^2

    def ratio_limits(self, expected: float, level: str) -> tuple[float, float]:
        """Lower and upper limits of O/E for a ward expecting `expected` (exact Poisson when tau^2 = 0)."""
        if expected <= 0:
            return (0.0, math.inf)
        if self.tau2 <= 0:
            q = LEVELS[level]
            return (poisson_limit(1 - q, expected) / expected, poisson_limit(q, expected) / expected)
        half = Z[level] * math.sqrt(1 / expected + self.tau2)
        return (max(0.0, 1 - half), 1 + half)

    def position(self, observed: float, population: float) -> Position:
        expected = population * self.target
        ratio = observed / expected if expected > 0 else math.inf
        lo998, hi998 = self.ratio_limits(expected, "99.8")
        lo95, hi95 = self.ratio_limits(expected, "95")
        if ratio > hi998:
            return "higher"
        if ratio > hi95:
            return "somewhat higher"
        if ratio < lo998:
            return "lower"
        if ratio < lo95:
            return "somewhat lower"
        return "as expected"


def fit(observed: Mapping[str, float], population: Mapping[str, float], exclude: Collection[str] = ()) -> Funnel | None:
    """The target rate and over-dispersion from every ward with a population except `exclude` (high-footfall
    wards, whose resident rates mislead, and wards whose counts a public pack hides). None with too few wards."""
    used = [c for c in observed if c not in exclude and (population.get(c) or 0) > 0]
    if len(used) < MIN_WARDS:
        return None
    total_o = sum(observed[c] for c in used)
    total_p = sum(float(population[c]) for c in used)
    if total_o <= 0:
        return None
    target = total_o / total_p
    expected = {c: float(population[c]) * target for c in used}
    z = [(observed[c] - expected[c]) / math.sqrt(expected[c]) for c in used]
    n = len(z)
    phi = sum(v * v for v in winsorise(z)) / n
    weights = [expected[c] for c in used]  # 1 / s^2 with s^2 = 1 / E on the ratio scale
    sw = sum(weights)
    denom = sw - sum(w * w for w in weights) / sw
    tau2 = max(0.0, (n * phi - (n - 1)) / denom) if denom > 0 else 0.0
    return Funnel(target, phi, tau2, n)


POSITION_TEXT: dict[Position, str] = {
    "higher": "higher than expected for its size",
    "somewhat higher": "somewhat higher than expected for its size",
    "as expected": "within the range expected for its size",
    "somewhat lower": "somewhat lower than expected for its size",
    "lower": "lower than expected for its size",
}
