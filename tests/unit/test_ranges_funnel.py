"""Funnel limits against exact Poisson quantiles from scipy, and Spiegelhalter's over-dispersion adjustment by hand."""

from __future__ import annotations

import math

import pytest

from desktop.analysis import funnel


@pytest.mark.parametrize("mu", [0.5, 3.0, 7.5, 20.0, 104.2, 1000.0, 25_431.7])
def test_quantiles_match_scipy(mu: float) -> None:
    stats = pytest.importorskip("scipy.stats")
    for p in (0.001, 0.025, 0.5, 0.975, 0.999):
        assert funnel.poisson_quantile(p, mu) == int(stats.poisson.ppf(p, mu)), (p, mu)
    for k in (0, int(mu * 0.9), int(mu), int(mu * 1.1) + 1):
        assert funnel.poisson_cdf(k, mu) == pytest.approx(stats.poisson.cdf(k, mu), rel=1e-9, abs=1e-14)


def test_interpolated_limit_lies_between_neighbouring_counts() -> None:
    stats = pytest.importorskip("scipy.stats")
    for mu in (4.0, 50.0, 900.0):
        for p in (0.001, 0.025, 0.975, 0.999):
            r = stats.poisson.ppf(p, mu)
            limit = funnel.poisson_limit(p, mu)
            assert r - 1 <= limit <= r
            # by hand: r - (F(r) - p) / (F(r) - F(r - 1))
            hi, lo = stats.poisson.cdf(r, mu), stats.poisson.cdf(r - 1, mu)
            assert limit == pytest.approx(r - (hi - p) / (hi - lo), abs=1e-7)


def test_no_overdispersion_gives_exact_poisson_limits() -> None:
    pops = {f"w{i}": 10_000.0 for i in range(8)}
    obs = {f"w{i}": 500.0 + d for i, d in enumerate([-5, 3, 0, 4, -2, 1, -3, 2])}  # far less spread than Poisson
    fit = funnel.fit(obs, pops)
    assert fit is not None and fit.tau2 == 0.0 and fit.target == pytest.approx(4000 / 80_000)
    lo, hi = fit.ratio_limits(500.0, "99.8")
    assert lo == pytest.approx(funnel.poisson_limit(0.001, 500.0) / 500)
    assert hi == pytest.approx(funnel.poisson_limit(0.999, 500.0) / 500)
    assert fit.position(500.0 + 3.5 * math.sqrt(500), 10_000) == "higher"
    assert fit.position(500.0 + 2.5 * math.sqrt(500), 10_000) == "somewhat higher"
    assert fit.position(500.0, 10_000) == "as expected"


def test_tau2_by_hand() -> None:
    # five wards of 10,000 residents: 100, 150, 200, 250, 300 -> target 0.02, E = 200 each
    # z = (O - 200) / sqrt(200) = -7.07, -3.54, 0, 3.54, 7.07; winsorised 10%/90% (interpolated: -5.66, 5.66)
    pops = {f"w{i}": 10_000.0 for i in range(5)}
    obs = {f"w{i}": float(v) for i, v in enumerate([100, 150, 200, 250, 300])}
    fit = funnel.fit(obs, pops)
    assert fit is not None
    zs = [(v - 200) / math.sqrt(200) for v in (100, 150, 200, 250, 300)]
    lo, hi = zs[0] + 0.4 * (zs[1] - zs[0]), zs[4] - 0.4 * (zs[4] - zs[3])
    phi = sum(min(max(z, lo), hi) ** 2 for z in zs) / 5
    assert fit.phi == pytest.approx(phi)
    # tau^2 = (n phi - (n - 1)) / (sum w - sum w^2 / sum w), w = E = 200
    assert fit.tau2 == pytest.approx((5 * phi - 4) / (1000 - 5 * 200**2 / 1000))
    lo95, hi95 = fit.ratio_limits(200.0, "95")
    assert hi95 == pytest.approx(1 + 1.959964 * math.sqrt(1 / 200 + fit.tau2), rel=1e-6)
    # the widest wards are now "somewhat", not far beyond 99.8% limits as they would be by Poisson alone
    assert fit.position(300.0, 10_000) in ("somewhat higher", "as expected")


def test_excluded_wards_do_not_set_the_target() -> None:
    pops = {f"w{i}": 10_000.0 for i in range(6)}
    obs = {f"w{i}": 200.0 for i in range(6)} | {"w5": 5000.0}  # a West End
    fit = funnel.fit(obs, pops, exclude={"w5"})
    assert fit is not None and fit.target == pytest.approx(0.02) and fit.wards == 5
    assert funnel.fit(obs, pops, exclude={"w1", "w2"}) is None  # too few wards left
