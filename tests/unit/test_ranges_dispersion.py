"""The dispersion estimate against a reference quasi-Poisson fit (statsmodels), and the graded 12-month verdict."""

from __future__ import annotations

import math
import random

import pytest

from desktop.analysis import dispersion as disp
from desktop.analysis.change import compare, poisson_test

MONTHS = [f"{2023 + i // 12}-{i % 12 + 1:02d}" for i in range(24)]
BLOCKS = [MONTHS[:12], MONTHS[12:]]


def _series(seed: int, level: float, noise: float) -> tuple[dict[str, float], dict[str, float]]:
    rng = random.Random(seed)
    season = [1.0 + 0.25 * math.sin(2 * math.pi * i / 12) for i in range(24)]
    borough = {m: 5000 * s * rng.uniform(0.97, 1.03) for m, s in zip(MONTHS, season, strict=True)}
    ward = {}
    for i, m in enumerate(MONTHS):
        mu = level * season[i] * (1.1 if i >= 12 else 1.0) * math.exp(rng.gauss(0, noise))
        ward[m] = float(_poisson(rng, mu))
    return ward, borough


def _poisson(rng: random.Random, mu: float) -> int:
    # normal approximation is enough for a test series of this size
    return max(0, round(rng.gauss(mu, math.sqrt(mu))))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_phi_matches_statsmodels_quasi_poisson(seed: int) -> None:
    sm = pytest.importorskip("statsmodels.api")
    np = pytest.importorskip("numpy")
    ward, borough = _series(seed, 300.0, 0.15)
    found = disp.estimate(ward, BLOCKS, borough, winsor=0.0)  # no winsorising: the plain Pearson estimate
    y = np.array([ward[m] for m in MONTHS])
    year = np.array([[1.0, 0.0]] * 12 + [[0.0, 1.0]] * 12)
    offset = np.log(np.array([borough[m] for m in MONTHS]))
    fit = sm.GLM(y, year, family=sm.families.Poisson(), offset=offset).fit(scale="X2")
    assert found.raw == pytest.approx(fit.scale, rel=1e-6)


def test_winsorising_tames_one_wild_month() -> None:
    ward, borough = _series(4, 300.0, 0.05)
    plain = disp.estimate(ward, BLOCKS, borough, winsor=0.0)
    ward[MONTHS[5]] *= 2.5  # one month with a big event
    wild = disp.estimate(ward, BLOCKS, borough, winsor=0.0)
    tamed = disp.estimate(ward, BLOCKS, borough)
    assert wild.raw > 5 * plain.raw and tamed.raw < wild.raw / 3


def test_winsorise_by_hand() -> None:
    # 11 values 0..10: 10th percentile = 1, 90th = 9 (linear interpolation between order statistics)
    assert disp.winsorise([float(v) for v in range(11)]) == [1.0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9]


def test_small_counts_and_poisson_series_use_the_exact_test() -> None:
    few = {m: 2.0 for m in MONTHS}
    assert not disp.estimate(few, BLOCKS).estimated  # 2 a month: too small to estimate phi
    calm = {m: 100.0 for m in MONTHS}
    assert disp.estimate(calm, BLOCKS).phi == 1.0  # no extra variation: floored at 1
    change = compare(1300, 1200, dispersion=disp.estimate(calm, BLOCKS))
    assert change.method == "exact" and change.p_value == pytest.approx(poisson_test(1300, 1200))


def test_overdispersion_softens_the_verdict() -> None:
    # 12,000 against 13,000 (-7.7%): p ~ 1e-12 by Poisson; with phi = 9 (sd x3) z = -1000/sqrt(9 x 25000) = -2.11
    noisy = disp.Dispersion(9.0, 24, 9.0)
    plain = compare(12000, 13000)
    assert plain.label == "clear fall"
    quasi = compare(12000, 13000, dispersion=noisy)
    assert quasi.method == "quasi" and quasi.phi == 9.0
    assert quasi.p_value == pytest.approx(math.erfc(1000 / math.sqrt(9 * 25000) / math.sqrt(2)))
    assert quasi.label == "some evidence of a fall"
    assert compare(12000, 12500, dispersion=noisy).label == "within normal variation"
    assert compare(9000, 13000, dispersion=noisy).label == "clear fall"


def test_quasi_p_matches_scipy_normal() -> None:
    stats = pytest.importorskip("scipy.stats")
    for cur, prev, phi in [(500, 430, 2.0), (12000, 13000, 9.0), (80, 120, 1.5)]:
        z = (cur - prev) / math.sqrt(phi * (cur + prev))
        assert disp.quasi_poisson_p(cur, prev, phi) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
