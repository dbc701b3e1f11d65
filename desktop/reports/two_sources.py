""" "Two sources, one truth": where the store holds both the Met's ward figures and police.uk's for the same months,
About these figures shows both totals and the difference, and says why they differ. Also the boundaries'
attribution line, which must travel with any map."""

from __future__ import annotations

from desktop.analysis.themes import Theme, theme_map
from desktop.months import span_label
from desktop.reports.build_context import Context
from desktop.reports.model import Block, CellValue, Column, Paragraph, Table
from desktop.reports.where import ATTRIBUTION, held_types
from desktop.store import figures, places

WHY = (
    "Why they differ: the Met counts each crime in the ward where it was recorded as happening; police.uk first moves "
    "each crime to an anonymous snap point nearby and places it in the LSOA of that point, and an LSOA is given to "
    "one ward as a whole (best fit), so crimes near a ward's edge can move to the next ward. police.uk also leaves "
    "out crimes with no usable location ('No location'), and the two are published from the force's records at "
    "different dates, so later corrections reach one and not the other."
)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _theme_for(types: set[str] | None) -> Theme | None:
    """The theme that covers exactly the police.uk types the files hold (all crime when they hold every type)."""
    themes = theme_map()
    if types is None:
        return themes["all_crime"]
    wanted = {_fold(t) for t in types}
    return next(
        (t for t in themes.values() if t.is_crime and t.policeuk and {_fold(x) for x in t.policeuk} == wanted), None
    )


def two_sources(ctx: Context) -> list[Block]:
    codes = [str(ctx.ward["code"])] if ctx.ward else ctx.ward_codes
    area = str(ctx.ward["name"]) if ctx.ward else ctx.borough
    frame = figures.crime_frame(ctx.db, codes, "0000-00", "9999-99")
    if frame.empty:
        return []
    by_tax = {tax: set(frame.loc[frame["taxonomy"] == tax, "month"]) for tax in ("mps", "policeuk")}
    both = sorted(by_tax["mps"] & by_tax["policeuk"])
    if not both:
        return []
    types = held_types(ctx, both[0], both[-1])
    theme = _theme_for(types)
    if theme is None:
        return [Paragraph("Two sources: the police.uk files in the store match no single theme to compare.", "small")]
    rows = frame[frame["month"].isin(both)]
    parts = zip(rows["taxonomy"], rows["category"], rows["subcategory"], strict=True)
    keep = [theme.matches(t, c, s) for t, c, s in parts]
    rows = rows[keep]
    met = int(rows.loc[rows["taxonomy"] == "mps", "count"].sum())
    puk = int(rows.loc[rows["taxonomy"] == "policeuk", "count"].sum())
    table_rows: list[list[CellValue]] = [
        ["Met ward-level figures", met],
        ["police.uk (street-level crime)", puk],
        ["Difference (police.uk minus Met)", puk - met],
    ]
    return [
        Paragraph("Two sources, one truth", "lead"),
        Table(
            key="two_sources",
            title=f"{theme.label} in {area}, {span_label(both)}: both sources",
            columns=[Column("Source", "text", 3.0), Column("Crimes", "int")],
            rows=table_rows,
            units="recorded crimes, count",
            source=ctx.source_text("mps_crime", "policeuk_street", short=True),
            notes=[WHY],
        ),
    ]


def map_attribution(ctx: Context) -> str | None:
    """The OS/ONS attribution line when the store holds boundaries (every pack with a map)."""
    return ATTRIBUTION if places.has_boundaries(ctx.db, "ward") else None
