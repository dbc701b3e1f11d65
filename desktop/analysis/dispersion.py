"""How much a ward's monthly counts vary beyond what chance (Poisson) allows, and a 12-month verdict that allows
for it (docs/methods.md).

Dispersion phi: a quasi-Poisson fit of the ward's monthly counts with one level per 12-month block (so a real
change between the years is not mistaken for noise), each month's expected count following the borough's monthly
pattern in that block (seasons, events, borough-wide operations): mu_t = block total x borough_t / borough block
total. phi = sum of squared Pearson residuals (x_t - mu_t) / sqrt(mu_t), winsorised at the 10th and 90th
percentiles, over the residual degrees of freedom (months - blocks). Floored at 1: a ward is never treated as
less variable than chance.

Verdict: the 12-month change c against p is tested with z = (c - p) / sqrt(phi x (c + p)) (under no change, each
12-month sum has variance phi x its mean); when phi is about 1 or the counts are small the exact Poisson test
(change.py) is used instead. Graded: p < 0.002 (beyond 99.8% limits) "clear", p < 0.05 "some evidence",
otherwise "within normal variation".
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

WINSOR = 0.10  # Spiegelhalter (2005): pull the top and bottom 10% of residuals in to the 10th/90th percentiles
PHI_ONE = 1.2  # a dispersion at or below this is "about 1": the exact Poisson test is used
MIN_MEAN = 5.0  # fewer than this many a month on average: too small to estimate phi; exact Poisson test
MIN_MONTHS = 12
CLEAR = 0.002
SOME = 0.05


@dataclass(frozen=True)
class Dispersion:
    phi: float  # >= 1
    months: int  # months behind the estimate
    raw: float  # the winsorised estimate before the floor at 1 (nan when not estimated)

    @property
    def estimated(self) -> bool:
        return self.months > 0


NONE = Dispersion(1.0, 0, math.nan)


def winsorise(values: Sequence[float], share: float = WINSOR) -> list[float]:
    """Values pulled in to the `share` and 1-`share` quantiles (linear interpolation between order statistics)."""
    if not values:
        return []
    ordered = sorted(values)
    lo, hi = _quantile(ordered, share), _quantile(ordered, 1 - share)
    return [min(max(v, lo), hi) for v in values]


def _quantile(ordered: Sequence[float], q: float) -> float:
    pos = q * (len(ordered) - 1)
    i = int(math.floor(pos))
    j = min(i + 1, len(ordered) - 1)
    return ordered[i] + (ordered[j] - ordered[i]) * (pos - i)


def pearson_residuals(
    counts: Mapping[str, float], blocks: Sequence[Sequence[str]], pattern: Mapping[str, float] | None = None
) -> tuple[list[float], int]:
    """Pearson residuals of the block-level fit, and the number of blocks fitted (each a free parameter). A month
    the borough pattern has nothing for falls back to a flat level within its block."""
    residuals: list[float] = []
    fitted = 0
    for block in blocks:
        months = [m for m in block if m in counts]
        total = sum(counts[m] for m in months)
        if not months:
            continue
        fitted += 1
        weights = [float(pattern.get(m, 0.0)) if pattern else 0.0 for m in months]
        if sum(weights) <= 0 or any(w <= 0 for w in weights):
            weights = [1.0] * len(months)
        scale = total / sum(weights)
        for m, w in zip(months, weights, strict=True):
            mu = w * scale
            if mu > 0:
                residuals.append((counts[m] - mu) / math.sqrt(mu))
    return residuals, fitted


def estimate(
    counts: Mapping[str, float],
    blocks: Sequence[Sequence[str]],
    pattern: Mapping[str, float] | None = None,
    winsor: float = WINSOR,
) -> Dispersion:
    """phi from monthly counts grouped into blocks (e.g. the two 12-month periods compared)."""
    n = sum(1 for b in blocks for m in b if m in counts)
    total = sum(counts[m] for b in blocks for m in b if m in counts)
    if n < MIN_MONTHS or total / max(n, 1) < MIN_MEAN:
        return NONE
    residuals, fitted = pearson_residuals(counts, blocks, pattern)
    dof = len(residuals) - fitted
    if dof <= 0:
        return NONE
    z = winsorise(residuals, winsor) if winsor > 0 else residuals
    raw = sum(v * v for v in z) / dof
    return Dispersion(max(1.0, raw), len(residuals), raw)


def normal_two_sided(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))


def quasi_poisson_p(current: int, previous: int, phi: float) -> float:
    """Two-sided p-value of the change between two equal-length sums of over-dispersed counts."""
    if current + previous == 0:
        return 1.0
    return normal_two_sided((current - previous) / math.sqrt(phi * (current + previous)))


def uses_exact(dispersion: Dispersion) -> bool:
    return not dispersion.estimated or dispersion.phi <= PHI_ONE


def strength(p: float | None) -> str:
    """'clear' / 'some' / 'none' from a p-value."""
    if p is None:
        return "none"
    return "clear" if p < CLEAR else "some" if p < SOME else "none"
