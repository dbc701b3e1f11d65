"""The borough overview pack: every ward side by side on one or two pages (all recorded crime: R12, previous,
change and significance, rate, rank, share; then the chosen themes as a ward-by-theme matrix), the borough trend,
and "About these figures"."""

from __future__ import annotations

from sqlite_utils import Database

from desktop.analysis.funnel import POSITION_TEXT
from desktop.analysis.rates import is_high_footfall
from desktop.analysis.themes import theme_map
from desktop.errors import WardBriefError
from desktop.reports import fair
from desktop.reports.about import about_section
from desktop.reports.build_context import Context, make_context
from desktop.reports.model import Block, Bullets, CellValue, Column, Pack, Paragraph, Section, Table
from desktop.reports.options import PackOptions
from desktop.reports.overview_map import overview_map_section
from desktop.reports.pack_shell import finish, new_pack
from desktop.reports.sections_series import WardComparison, crime_series, trend_chart, ward_comparison
from desktop.settings import Settings
from desktop.store import figures


def build_overview(db: Database, borough_name: str, options: PackOptions, settings: Settings) -> Pack:
    """All wards of a borough side by side."""
    borough = figures.borough_name(db, borough_name)
    if borough is None:
        raise WardBriefError(
            f"No wards of '{borough_name}' are in the store.",
            "Check the borough name in Settings, or import a crime extract or ward lookup that covers it.",
        )
    ctx = make_context(db, borough, options, settings)
    if not ctx.wards:
        raise WardBriefError(
            f"The store holds no recent crime figures for the wards of {ctx.borough}.",
            "Import a crime extract covering the borough.",
        )
    pack = new_pack(ctx, "overview", f"{ctx.borough}: all wards", "", ctx.borough)
    themes = theme_map()
    all_crime = crime_series(ctx, themes["all_crime"])
    wc = ward_comparison(ctx, all_crime)
    blocks: list[Block] = [
        Paragraph(
            f"Every ward of {ctx.borough}: recorded crime in the {ctx.periods.label} against the 12 months before. "
            "A 'clear' change is larger than the ward's own normal ups and downs would produce (allowing for how much "
            "its months vary); 'some evidence' means it probably is; 'within normal variation' means the figures "
            "cannot tell it from the usual ups and downs; 'too few to tell' means the numbers are too small to call "
            "a trend. 'For its size' places each ward's rate against the borough's on a funnel plot.",
        ),
        trend_chart(ctx, all_crime, None, f"All recorded crime in {ctx.borough}, by month", ctx.borough),
        wc.table,  # after the trend: the two fit on one page together (the table can split; the chart cannot)
    ]
    if wc.fair is not None:
        blocks.append(
            fair.chart(
                ctx, wc.fair, None, f"All recorded crime: every ward of {ctx.borough} for its size, {ctx.periods.label}"
            )
        )
        blocks.append(Bullets(_fair_lines(ctx, wc)))
    footfall = [n for n in ctx.names.values() if is_high_footfall(n, settings.high_footfall_wards)]
    if footfall:
        blocks.append(
            Paragraph(
                f"{', '.join(footfall)}: very large numbers of visitors and workers make rates per resident misleading; "
                "compare counts and trends.",
                "caveat",
            )
        )
    pack.sections.append(Section("overview", "All wards side by side", blocks))
    chosen = [t for t in ctx.chosen("crime") if t.has_categories and t.key != "all_crime"]
    if chosen:
        comparisons = [(t.short_label, ward_comparison(ctx, crime_series(ctx, t))) for t in chosen]
        pack.sections.append(
            Section(
                "overview:themes",
                "Themes by ward",
                [
                    _matrix(ctx, comparisons, wc),
                    Paragraph("Changes beyond normal variation", "lead"),
                    Paragraph(
                        "Wards whose 12-month change shows at least some evidence of being more than their normal "
                        "ups and downs; 'clear' marks the strong cases."
                    ),
                    Bullets(_changes(ctx, comparisons)),
                ],
                new_page=False,
            )
        )
    if (mapped := overview_map_section(ctx, wc)) is not None:
        pack.sections.append(mapped)
    pack.sections.append(about_section(ctx))
    finish(pack, ctx)
    return pack


def _fair_lines(ctx: Context, wc: WardComparison) -> list[str]:
    """Which wards the funnel plot places outside the range expected for their size."""
    assert wc.fair is not None
    lines = []
    for position in ("higher", "somewhat higher", "somewhat lower", "lower"):
        wards = sorted(
            ctx.names[c] for c, p in wc.fair.positions.items() if p == position and c not in wc.fair.footfall
        )
        if wards:
            lines.append(f"{POSITION_TEXT[position][:1].upper()}{POSITION_TEXT[position][1:]}: {', '.join(wards)}.")
    judged = sum(1 for c in wc.fair.positions if c not in wc.fair.footfall)
    inside = sum(1 for c, p in wc.fair.positions.items() if p == "as expected" and c not in wc.fair.footfall)
    lines.append(f"Within the range expected for their size: {inside} of the {judged} wards judged.")
    if wc.fair.footfall:
        lines.append(
            f"Not judged (high footfall: visitors are not residents): {', '.join(sorted(ctx.names[c] for c in wc.fair.footfall))}."
        )
    return lines


def _cell(comparison: WardComparison, name: str, column: int) -> CellValue:
    row = next(r for r in comparison.table.rows if r[0] == name)
    return row[column]


def _matrix(ctx: Context, comparisons: list[tuple[str, WardComparison]], order_by: WardComparison) -> Table:
    """Ward x theme: last 12 months and % change for each chosen theme (hidden cells stay hidden)."""
    names = [str(r[0]) for r in order_by.table.rows]
    columns = [Column("Ward", "text", 1.9)]
    for label, _ in comparisons:
        columns += [Column(label, "int", 1.0), Column("+/-", "signed_pct", 0.6)]
    rows: list[list[CellValue]] = []
    for name in names:
        row: list[CellValue] = [name]
        for _, comparison in comparisons:
            total_name = str(comparison.table.rows[-1][0])
            key = total_name if name == names[-1] else name
            row += [_cell(comparison, key, 1), _cell(comparison, key, 3)]
        rows.append(row)
    notes = [n for _, c in comparisons for n in c.table.notes if n.startswith("To protect")][:1]
    return Table(
        key="themes_by_ward",
        title=f"Themes by ward, {ctx.periods.label} (change against the 12 months before)",
        columns=columns,
        rows=rows,
        units="recorded crimes, count; change in %",
        source=comparisons[0][1].table.source,
        notes=notes,
        total_row=True,
    )


def _changes(ctx: Context, comparisons: list[tuple[str, WardComparison]]) -> list[str]:
    lines = []
    for label, comparison in comparisons:
        parts = []
        for verdict, word in (("fall", "falls"), ("rise", "rises")):
            wards = [
                (code, ch)
                for code, ch in comparison.changes.items()
                if ch.verdict == verdict and code not in comparison.hidden
            ]
            wards.sort(key=lambda item: -abs(item[1].difference))
            if wards:
                listed = ", ".join(
                    f"{ctx.names[c]} ({ch.pct_text()}{', clear' if ch.strength == 'clear' else ''})" for c, ch in wards
                )
                parts.append(f"{word} in {listed}")
        lines.append(f"{label}: " + ("; ".join(parts) if parts else "every ward within normal variation") + ".")
    return lines
