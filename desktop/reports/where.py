"""The "Where" section: a map of the ward with its neighbours, its LSOAs shaded by police.uk counts for each chosen
crime theme over twelve months, and the top police.uk places as a numbered table keyed to markers on the map.

police.uk places every crime at an anonymous "snap point" near where it happened (a street or a landmark such as
"Nightclub"), so a place is approximate and the section says so. What a sensitive theme may show is decided by the
disclosure plan (`location_rule`): no points, no places table and no cell under the threshold in a public pack.
"""

from __future__ import annotations

import json
from typing import Any

from desktop import geo
from desktop.analysis.themes import Theme
from desktop.months import add_months, month_label, range_label, span_label
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import LocationRule, location_rule, small_counts
from desktop.reports.maps import class_breaks, class_labels, class_of
from desktop.reports.model import Block, CellValue, Column, MapArea, MapChart, Paragraph, Section, Table
from desktop.store import figures, places

MAX_MAPS = 3  # maps per pack: the first chosen crime themes with police.uk figures
TOP_PLACES = 10
ATTRIBUTION = (
    "Boundaries: Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2022."
)
SNAP_NOTE = (
    "police.uk moves each crime to one of a set of anonymous \u201csnap points\u201d near where it happened (the centre "
    "of a street, or a landmark such as a car park or a nightclub), so places are approximate, and a crime near a "
    "ward's edge may be counted in the next ward. The counts are police.uk's, which differ a little from the Met's "
    "ward figures elsewhere in this pack (see About these figures)."
)


def street_window(ctx: Context, codes: list[str]) -> tuple[str, str] | None:
    """The twelve months of police.uk street crimes to map: to the pack's month when the store holds it, else to the
    latest month held before it (or the latest at all)."""
    months = places.street_months(ctx.db, codes)
    if not months:
        return None
    upto = [m for m in months if m <= ctx.periods.reference]
    end = upto[-1] if upto else months[-1]
    return add_months(end, -11), end


def held_types(ctx: Context, start: str, end: str) -> set[str] | None:
    """The police.uk crime types the store's files cover in start..end (None = every type)."""
    types: set[str] = set()
    for _, month, _, held in figures.source_months(ctx.db, "crime_count", "policeuk"):
        if not start <= month <= end:
            continue
        if held == "*":
            return None
        types |= set(json.loads(held))
    return types


def _area(shape: geo.Shape, shade: int = -1, label: str = "") -> MapArea:
    return MapArea(shape.code, shape.name, shape.polygons, shade, label)


def ward_lsoas(ctx: Context, ward: geo.Shape, named: set[str]) -> tuple[list[geo.Shape], list[geo.Shape]]:
    """The ward's LSOAs (those police.uk placed in it by the LSOA-to-ward lookup, and those mostly inside it), and
    the LSOAs partly inside it that police.uk counts in a neighbouring ward (drawn outlined, without a number)."""
    x0, y0, x1, y1 = ward.bbox
    near = places.shapes(ctx.db, "lsoa", near=(x0, y0, x1, y1))
    inside, partly = [], []
    for shape in near:
        x, y = geo.grid_points(shape, 120)
        share = float(ward.contains(x, y).mean()) if len(x) else 0.0
        if shape.code in named or share > 0.5:
            inside.append(shape)
        elif share >= 0.1:
            partly.append(shape)
    return inside, partly


def neighbours(ctx: Context, ward: geo.Shape) -> list[geo.Shape]:
    x0, y0, x1, y1 = ward.bbox
    dx, dy = (x1 - x0) * 0.25, (y1 - y0) * 0.25
    return [s for s in places.shapes(ctx.db, "ward", near=(x0 - dx, y0 - dy, x1 + dx, y1 + dy)) if s.code != ward.code]


def top_places(rows: Any, n: int = TOP_PLACES) -> list[tuple[str, float, float, int]]:
    """(location, lon, lat, crimes) of the busiest snap points, most first (ties by name); places with one crime
    are left out (a single crime says nothing about a place)."""
    located = rows.dropna(subset=["longitude", "latitude"])
    if not len(located):
        return []
    counts = located.groupby(["location", "longitude", "latitude"], dropna=False).size().reset_index(name="n")
    counts = counts[counts["n"] >= 2].sort_values(["n", "location"], ascending=[False, True]).head(n)
    return [
        (str(r.location or "Unnamed place"), float(r.longitude), float(r.latitude), int(r.n))
        for r in counts.itertuples()
    ]


def theme_map(
    ctx: Context, theme: Theme, rows: Any, ward: geo.Shape, lsoas: list[geo.Shape], others: list[geo.Shape],
    window: tuple[str, str], rule: LocationRule, partly: list[geo.Shape] | None = None,
) -> list[Block]:  # fmt: skip
    name = ward.name
    counts = rows.groupby("lsoa_code").size().to_dict()
    values = {s.code: int(counts.get(s.code, 0)) for s in lsoas}
    if rule.floor:
        # sensitive: counts 1 to floor-1 read "<5", and a further cell "[c]" wherever the ward's total (shown for
        # police.uk-only wards in the theme's own section) would give a lone hidden cell away; hidden cells are not
        # shaded either, since a class would narrow them down
        texts = dict(zip(values, small_counts(list(values.values()), rule.floor)[:-1], strict=True))
        shown = [v for c, v in values.items() if texts[c].replace(",", "").isdigit()]
        breaks = class_breaks(shown, 4)
        areas = [
            _area(s, class_of(values[s.code], breaks) if texts[s.code].replace(",", "").isdigit() else -1,
                  texts[s.code])
            for s in lsoas
        ]  # fmt: skip
    else:
        breaks = class_breaks(list(values.values()), 4)
        areas = [_area(s, class_of(values[s.code], breaks), rule.text(values[s.code])) for s in lsoas]
    shaded = [values[a.code] for a in areas if a.shade >= 0]
    labels = class_labels(breaks, lowest=min(shaded) if shaded else 0)
    areas += [_area(s) for s in partly or []]  # outlined: police.uk counts them in a neighbouring ward
    found = top_places(rows) if rule.points else []
    span = range_label(*window)
    total = f" ({len(rows):,} crimes)" if rule.total else ""
    types = sorted({str(t).capitalize() for t in rows["crime_type"]})
    label = (
        theme.label
        if len(types) > 2 or theme.label.casefold() in {t.casefold() for t in types}
        else (f"{theme.label} ({' and '.join(types).lower()} only)")
    )
    chart = MapChart(
        title=f"{label}: police.uk crimes by LSOA in {name}, {span}{total}",
        areas=areas,
        classes=labels,
        legend_title="Crimes per LSOA",
        unshaded="; ".join(
            t
            for t in (
                "LSOAs partly in the ward that police.uk counts in a neighbouring ward" if partly else "",
                f"<{rule.floor} and [c]: counts hidden to protect victims (not shaded)" if rule.floor else "",
            )
            if t
        ),
        focus=[_area(ward)],
        context=[_area(s) for s in others],
        markers=[(i, lon, lat) for i, (_, lon, lat, _) in enumerate(found, start=1)],
        attribution=ATTRIBUTION,
        alt_text=f"Map of {name} and its neighbouring wards, its {len(lsoas)} LSOAs shaded by police.uk "
        f"{theme.label.lower()} counts, {span}.",
    )
    blocks: list[Block] = [chart]
    if not rule.points:
        blocks.append(
            Paragraph(
                f"{theme.label} is a sensitive theme: this public pack shows no places and no count under "
                f"{rule.floor}.",
                "caveat",
            )
        )
        return blocks
    if found:
        table_rows: list[list[CellValue]] = [[i, place, n] for i, (place, _, _, n) in enumerate(found, start=1)]
        blocks.append(
            Table(
                key=f"places_{theme.key}"[:31],
                title=f"{label}: the places with most police.uk crimes in {name}, {span}",
                columns=[
                    Column("No.", "int", 0.4),
                    Column("Place (police.uk snap point)", "text", 3.0),
                    Column("Crimes", "int", 0.8),
                ],  # fmt: skip
                rows=table_rows,
                units="crimes at the snap point, count",
                source=ctx.source_text("policeuk_street"),
                notes=["The number is the marker on the map above."],
            )
        )
    else:
        blocks.append(
            Paragraph(f"No place in {name} had more than one police.uk {theme.label.lower()} crime.", "small")
        )
    return blocks


def where_section(ctx: Context) -> Section:
    section = Section("where", "Where: places in the ward")
    if ctx.ward is None:
        return section
    code, name = str(ctx.ward["code"]), str(ctx.ward["name"])
    found = places.shapes(ctx.db, "ward", codes=[code])
    if not found:
        section.blocks.append(Paragraph(f"The store holds no boundary for {name}, so there is no map.", "caveat"))
        ctx.advise("Where: import ward and LSOA boundaries (GeoJSON from the ONS Open Geography Portal).")
        return section
    ward = found[0]
    ward.name = name
    others = neighbours(ctx, ward)
    window = street_window(ctx, [code])
    frame = places.street_frame(ctx.db, [code], *window) if window else None
    lsoas, partly = ward_lsoas(ctx, ward, set(frame["lsoa_code"].dropna()) if frame is not None else set())
    if frame is None or window is None or not len(frame):
        section.blocks.append(
            MapChart(
                title=f"{name} and its neighbours",
                areas=[_area(s) for s in lsoas + partly],
                focus=[_area(ward)],
                context=[_area(s) for s in others],
                attribution=ATTRIBUTION,
            )  # fmt: skip
        )
        section.blocks.append(
            Paragraph(f"The store holds no police.uk street crimes for {name}, so no places are shown.", "caveat")
        )
        ctx.advise("Where: import police.uk street crime files (data.police.uk) for the last 12 months.")
        return section
    held = places.street_months(ctx.db, [code])
    in_window = [m for m in held if window[0] <= m <= window[1]]
    types = held_types(ctx, *window)
    intro = (
        f"Where in {name} the crimes reported to police.uk happened, {range_label(*window)}: police.uk files in the "
        f"store cover {span_label(in_window)} ({len(in_window)} of these 12 months)."
    )
    if window[1] < ctx.periods.reference:
        intro += f" The rest of this pack runs to {month_label(ctx.periods.reference)}."
    if types is not None:
        intro += f" Those files hold only these crime types: {', '.join(sorted(types))}."
    section.blocks.append(Paragraph(intro))
    shown = 0
    seen: list[set[int]] = []
    for theme in ctx.chosen("crime"):
        if shown >= MAX_MAPS:
            break
        if types is not None and not any(theme.matches("policeuk", t) for t in types):
            continue
        rows = frame[[theme.matches("policeuk", t) for t in frame["crime_type"]]]
        if not len(rows) or set(rows.index) in seen:  # files of one type: "all crime" and "burglary" are one map
            continue
        seen.append(set(rows.index))
        section.blocks += theme_map(
            ctx, theme, rows, ward, lsoas, others, window, location_rule(ctx, theme), partly=partly
        )
        shown += 1
    if not shown:
        section.blocks.append(Paragraph("None of the chosen themes has police.uk crimes in these months.", "caveat"))
    section.blocks.append(Paragraph(SNAP_NOTE, "small"))
    return section
