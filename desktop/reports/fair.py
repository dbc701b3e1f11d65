"""Fair ward comparison: where each ward of the borough sits on a funnel plot of its rate per 1,000 residents
(analysis/funnel.py), in words for the tables, tiles and sentences, and as a chart.

Disclosure: the target rate and the over-dispersion are fitted only from wards whose counts the pack shows, and a
hidden ward gets no position and no point, so nothing about a hidden count can be worked out from a limit or a
point (tests/unit/test_ranges_pack.py). High-footfall wards are drawn but left out of the fit: visitors make their
rates per resident meaningless as a yardstick for the others.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from desktop.analysis import funnel
from desktop.analysis.rates import is_high_footfall
from desktop.reports.build_context import Context
from desktop.reports.model import FunnelChart, FunnelPoint

CURVE_POINTS = 48

SHORT: dict[funnel.Position, str] = {
    "higher": "higher than expected",
    "somewhat higher": "somewhat higher than expected",
    "as expected": "as expected for its size",
    "somewhat lower": "somewhat lower than expected",
    "lower": "lower than expected",
}


@dataclass
class Fair:
    fit: funnel.Funnel
    positions: dict[str, funnel.Position]  # shown wards with a population, footfall wards included
    footfall: set[str]
    counts: dict[str, int]  # shown wards only
    populations: dict[str, int]

    def text(self, code: str) -> str:
        """The comparison cell: 'higher than expected' / 'high footfall: not judged' / '' (no position)."""
        if code in self.footfall and code in self.positions:
            return "high footfall: not judged"
        position = self.positions.get(code)
        return SHORT[position] if position else ""


def fair(ctx: Context, r12: Mapping[str, int], hidden: Collection[str], complete: bool) -> Fair | None:
    """The funnel fit for one theme's last 12 months, or None when it cannot be fair: a period not complete for
    every ward, too few wards with a population, or no crimes."""
    if not complete:
        return None
    footfall = {c for c in r12 if is_high_footfall(ctx.names.get(c, ""), ctx.settings.high_footfall_wards)}
    pops = {c: int(p) for c, p in ctx.populations.items() if p}
    shown = {c: int(v) for c, v in r12.items() if c not in hidden and c in pops}
    fit = funnel.fit({c: float(v) for c, v in shown.items()}, {c: float(p) for c, p in pops.items()}, footfall)
    if fit is None:
        return None
    positions = {c: fit.position(float(v), float(pops[c])) for c, v in shown.items()}
    return Fair(fit, positions, footfall & set(shown), shown, pops)


def sentence(ctx: Context, found: Fair, code: str, label: str) -> str:
    """'West End: 612.3 per 1,000 residents, higher than expected for its size (borough rate 95.1; funnel plot).'"""
    name = ctx.names.get(code, code)
    rate = 1000 * found.counts[code] / found.populations[code]
    borough = 1000 * found.fit.target
    if code in found.footfall:
        return (
            f"{name}'s {label.lower()} rate of {rate:,.1f} per 1,000 residents is not judged against the others: "
            "visitors and workers, not residents, are most of the people there."
        )
    words = funnel.POSITION_TEXT[found.positions[code]]
    return (
        f"Compared fairly with the borough's other wards, {name}'s {rate:,.1f} per 1,000 residents is {words} "
        f"({borough:,.1f} per 1,000 across the borough's wards{' other than high-footfall ones' if found.footfall else ''}; "
        "see the funnel plot)."
    )


def chart(ctx: Context, found: Fair, code: str | None, title: str) -> FunnelChart:
    pops = [found.populations[c] for c in found.positions]
    lo, hi = min(pops) * 0.6, max(pops) * 1.04
    xs = [lo + (hi - lo) * i / (CURVE_POINTS - 1) for i in range(CURVE_POINTS)]
    limits: dict[str, list[float]] = {"l95": [], "u95": [], "l998": [], "u998": []}
    target = found.fit.target
    for x in xs:
        expected = x * target
        for level, lo_key, hi_key in (("95", "l95", "u95"), ("99.8", "l998", "u998")):
            a, b = found.fit.ratio_limits(expected, level)
            limits[lo_key].append(1000 * target * a)
            limits[hi_key].append(1000 * target * b)
    points = [
        FunnelPoint(
            label=ctx.names.get(c, c),
            population=float(found.populations[c]),
            rate=1000 * found.counts[c] / found.populations[c],
            position=found.positions[c],
            highlight=c == code,
            footfall=c in found.footfall,
        )
        for c in sorted(found.positions, key=lambda c: ctx.names.get(c, c))
    ]
    out = [p for p in points if p.position != "as expected" and not p.footfall]
    alt = f"Funnel plot of {len(points)} wards' rates per 1,000 residents against their residents"
    if code is not None and code in found.positions:
        alt += f"; {sentence(ctx, found, code, 'crime')}"
    if out:
        alt += "; outside the 95% limits: " + ", ".join(f"{p.label} ({SHORT[p.position]})" for p in out)  # type: ignore[index]
    return FunnelChart(
        title=title,
        points=points,
        target=1000 * target,
        xs=xs,
        lower95=limits["l95"],
        upper95=limits["u95"],
        lower998=limits["l998"],
        upper998=limits["u998"],
        adjusted=found.fit.tau2 > 0,
        alt_text=alt + ".",
    )
