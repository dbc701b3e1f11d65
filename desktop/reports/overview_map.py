"""The borough overview's map: every ward shaded by its rate of recorded crime per 1,000 residents over the last 12
months (five classes of sequential grey), with each ward's name and rate printed on it and the high-footfall wards,
where a resident rate misleads, in bold. (When the expected-ranges work gives each ward a verdict, the shading can
show that instead.)"""

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
    breaks = rate_breaks(list(rates.values()))
    labels = class_labels(breaks, lowest=int(min(rates.values())))
    flagged = [c for c in rates if is_high_footfall(ctx.names.get(c, ""), ctx.settings.high_footfall_wards)]
    areas = []
    for shape in shapes:
        rate = rates.get(shape.code)
        name = ctx.names.get(shape.code, shape.name)
        short = textwrap.fill(
            name, 10, break_long_words=False
        )  # two short lines collide less with the neighbours' labels than one long one
        text = f"{short}\n{rate:,.0f}" if rate is not None else short
        areas.append(MapArea(shape.code, name, shape.polygons, class_of(round(rate), breaks) if rate else -1, text))
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
    blocks: list[Block] = [
        Paragraph(
            f"Where in {ctx.borough} crime is most concentrated for the people who live there. The rate uses "
            "Census 2021 residents; wards that draw large numbers of visitors and workers have high rates that do "
            "not mean their residents are at more risk."
        ),
        chart,
    ]
    return Section("overview:map", "The borough's wards on a map", blocks)
