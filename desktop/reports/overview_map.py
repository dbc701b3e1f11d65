"""The borough overview's map: every ward shaded by where it sits against the range expected for its size (the
funnel plot's verdict, reports/fair.py), lighter lower and darker higher, with its name and rate per 1,000 residents
printed on it; high-footfall wards, which the funnel does not judge, are dashed and in bold. Without a funnel fit
(no populations), wards are shaded by rate in five classes instead."""

from __future__ import annotations

import textwrap

from desktop.analysis.rates import is_high_footfall
from desktop.reports.build_context import Context
from desktop.reports.maps import class_labels, class_of
from desktop.reports.model import Block, MapArea, MapChart, Paragraph, Section
from desktop.reports.sections_series import WardComparison
from desktop.reports.where import ATTRIBUTION
from desktop.store import places

CLASSES = 5
VERDICTS = ("lower", "somewhat lower", "as expected", "somewhat higher", "higher")  # lightest to darkest


def rate_breaks(rates: list[float], classes: int = CLASSES) -> list[int]:
    """Upper bounds (whole numbers) of equal-count classes of rates, strictly rising."""
    ordered = sorted(rates)
    out: list[int] = []
    for i in range(1, classes + 1):
        bound = int(round(ordered[min(len(ordered) - 1, (i * len(ordered)) // classes - 1)] + 0.499))
        if not out or bound > out[-1]:
            out.append(bound)
    return out


def overview_map_section(ctx: Context, comparison: WardComparison) -> Section | None:
    """The map section, or None when the store holds no boundaries for these wards."""
    shapes = places.shapes(ctx.db, "ward", codes=ctx.ward_codes)
    if not shapes:
        ctx.advise("Overview: import ward boundaries (GeoJSON) to map the borough's wards.")
        return None
    rates: dict[str, float] = {}
    for code in ctx.ward_codes:
        pop = ctx.populations.get(code)
        if pop and code in comparison.r12 and code not in comparison.hidden:
            rates[code] = comparison.r12[code] * 1000 / pop
    if not rates:
        return None
    flagged = [c for c in rates if is_high_footfall(ctx.names.get(c, ""), ctx.settings.high_footfall_wards)]
    fair = comparison.fair
    breaks = rate_breaks(list(rates.values()))
    if fair is not None:  # the expected-ranges verdict: lighter = lower than expected for its size
        labels = [p[:1].upper() + p[1:] for p in VERDICTS]
        classes = {c: VERDICTS.index(p) for c, p in fair.positions.items() if c not in fair.footfall}
    else:
        labels = class_labels(breaks, lowest=int(min(rates.values())))
        classes = {c: class_of(round(r), breaks) for c, r in rates.items()}
    areas = []
    for shape in shapes:
        rate = rates.get(shape.code)
        name = ctx.names.get(shape.code, shape.name)
        # two short lines collide less with the neighbours' labels than one long one
        short = textwrap.fill(name, 10, break_long_words=False)
        text = f"{short}\n{rate:,.0f}" if rate is not None else short
        areas.append(MapArea(shape.code, name, shape.polygons, classes.get(shape.code, -1), text))
    if fair is not None:
        chart = MapChart(
            title=f"Recorded crime by ward against the range expected for its size, {ctx.periods.label}",
            areas=areas,
            classes=labels,
            legend_title="",
            shading="lighter grey: lower than expected for a ward of its size, darker: higher (funnel plot); the "
            "number under each name: crimes per 1,000 residents",
            flagged=flagged,
            flag_label="high-footfall wards",
            unshaded="high-footfall wards, not judged (visitors and workers are not residents)",
            attribution=ATTRIBUTION,
            alt_text=f"Map of {ctx.borough}'s wards shaded by where each sits on the funnel plot; numbers are "
            "crimes per 1,000 residents.",
            height_mm=150.0,
        )
        intro = (
            f"Where each ward of {ctx.borough} sits against the range expected for a ward of its size (the funnel "
            "plot): lighter is lower than expected, darker higher. The number under each name is its rate per "
            "1,000 residents (Census 2021)."
        )
    else:
        chart = MapChart(
            title=f"Recorded crime per 1,000 residents by ward, {ctx.periods.label}",
            areas=areas,
            classes=labels,
            legend_title="Crimes per 1,000 residents",
            flagged=flagged,
            flag_label="high-footfall wards, where visitors and workers make a rate per resident misleading",
            attribution=ATTRIBUTION,
            alt_text=f"Map of {ctx.borough}'s wards shaded by recorded crime per 1,000 residents.",
            height_mm=150.0,
        )
        intro = (
            f"Where in {ctx.borough} crime is most concentrated for the people who live there. The rate uses "
            "Census 2021 residents; wards that draw large numbers of visitors and workers have high rates that do "
            "not mean their residents are at more risk."
        )
    blocks: list[Block] = [Paragraph(intro), chart]
    return Section("overview:map", "The borough's wards on a map", blocks)
