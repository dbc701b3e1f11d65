"""The "At a glance" section and one section per crime theme (and ASB): trend, categories, borough comparison
and what changed, in plain English."""

from __future__ import annotations

from desktop.analysis import frames
from desktop.analysis.breaks import describe
from desktop.analysis.change import Change
from desktop.analysis.findings import Item, change_sentence, key_findings, n
from desktop.analysis.frames import tidy_labels
from desktop.analysis.rates import footfall_warning, share_text
from desktop.analysis.themes import Theme, theme_map
from desktop.importers.categories import unknown_categories, unknown_text
from desktop.months import month_label
from desktop.reports import fair
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import display_name, plan
from desktop.reports.model import (
    BarChart,
    Block,
    Bullets,
    CellValue,
    Column,
    FunnelChart,
    Paragraph,
    Section,
    Table,
    Tile,
    Tiles,
    TrendChart,
    Variation,
)
from desktop.reports.sections_series import (
    Series,
    WardComparison,
    asb_series,
    category_table,
    crime_series,
    trend_chart,
    ward_comparison,
)

ARROWS = {"up": "\u25b2", "down": "\u25bc", "flat": "\u25ba"}


def _ward(ctx: Context) -> tuple[str, str]:
    assert ctx.ward is not None
    return str(ctx.ward["code"]), str(ctx.ward["name"])


def change_text(change: Change) -> str:
    if not change.comparable:
        return change.coverage_text
    if change.verdict == "too few" and change.current == change.previous == 0:
        return "none in either year"
    return f"{ARROWS[change.direction]} {change.pct_text().lstrip('+-')} vs {n(change.previous)}"


def variation(change: Change) -> Variation:
    """The tile's icon: a rise beyond normal variation is a concern, a fall an improvement (crime and ASB: lower
    is better); a change within normal variation is common-cause variation."""
    if change.significant:
        return "concern" if change.verdict == "rise" else "improvement"
    return "common" if change.verdict == "no change" else "none"


def tile(ctx: Context, series: Series, label: str) -> Tile:
    code, _ = _ward(ctx)
    if not series.has_data():
        return Tile(label, "no data", "", "", "not in the store")
    wc = ward_comparison(ctx, series)
    if code in wc.hidden:
        shown = wc.table.rows[_row_of(wc, ctx, code)][1]
        value = str(shown) if isinstance(shown, str) and shown.startswith("<") else "not shown"
        return Tile(label, value, "", "small numbers: hidden to protect victims", "")
    change = wc.changes[code]
    cmp = wc.comparison(ctx, code)
    context = cmp.rank_text() if wc.ranked else ""
    if wc.ranked and cmp.share is not None and not wc.borough_hidden:  # a share and a count would give a hidden total
        context = f"{share_text(cmp.share)} of borough \u00b7 {context}"
    if wc.fair is not None and wc.fair.text(code) and code not in wc.fair.footfall:
        context = f"{context} \u00b7 {wc.fair.text(code)}" if context else wc.fair.text(code)
    return Tile(
        label=label,
        value=n(change.current),
        change=change_text(change),
        significance=change.label if change.comparable else "no change given",
        context=context,
        direction=change.direction if change.verdict not in ("too few", "unavailable") else "none",
        significant=change.strength == "clear" and not change.small,  # a heavy frame: a clear change of some size
        variation=variation(change),
    )


def _row_of(wc: WardComparison, ctx: Context, code: str) -> int:
    name = ctx.names[code]
    return next(i for i, row in enumerate(wc.table.rows) if row[0] == name)


def top_themes(ctx: Context, count: int = 2) -> list[Theme]:
    """The largest non-sensitive crime themes in the ward (chosen themes first, then any other)."""
    code, _ = _ward(ctx)
    # whole Met major categories only, so two tiles never count the same crimes (theft and theft from the person)
    pool = [t for t in ctx.chosen("crime") if t.key != "all_crime" and not ctx.sensitive(t) and t.mps_major]
    if len(pool) < count:
        extra = [t for t in theme_map().values() if t.is_crime and t.mps_major and t.key != "all_crime"]
        pool += [t for t in extra if t not in pool and not ctx.sensitive(t)]
    sizes = {t.key: crime_series(ctx, t).totals(*ctx.periods.r12, [code])[code] for t in pool}
    return sorted(pool, key=lambda t: -sizes[t.key])[:count]


def glance_section(ctx: Context, extra_findings: list[str]) -> Section:
    code, name = _ward(ctx)
    themes = theme_map()
    all_crime = crime_series(ctx, themes["all_crime"])
    tiles = [tile(ctx, all_crime, "Recorded crime")]
    tiles += [tile(ctx, crime_series(ctx, t), t.label) for t in top_themes(ctx)]
    asb = asb_series(ctx)
    tiles.append(
        tile(ctx, asb, "ASB incidents") if asb.has_data() else Tile("ASB incidents", "no data", "", "", "not imported")
    )
    items = [_item(ctx, all_crime, "Recorded crime", code, headline=True)]
    for theme in ctx.chosen("crime"):
        if theme.key != "all_crime" and theme.has_categories:
            items.append(_item(ctx, crime_series(ctx, theme), theme.label, code))
    if asb.has_data() and ctx.wants("asb"):
        items.append(_item(ctx, asb, "Anti-social behaviour", code))
    findings = key_findings(items, extra_findings, limit=5) or ["There are too few figures in the store to say more."]
    trend = trend_chart(ctx, all_crime, [code], f"All recorded crime in {name}, by month", name)
    trend.verdict = _verdict(ctx, all_crime, code)
    chart: Block = trend
    if code in ward_comparison(ctx, all_crime).hidden:
        chart = Paragraph(
            "Monthly figures are not shown: they would reveal a count hidden to protect victims.", "caveat"
        )
    # the chart stays on this page (DESIGN §6 sketch); the summary table may run on to the next, where the first
    # theme section follows it without a page break
    blocks: list[Block] = [Tiles(tiles), Paragraph("Key findings", "lead"), Bullets(findings), chart]
    summary = _summary_table(ctx, code, name)
    if summary is not None:
        blocks.append(summary)
    provisional = (
        [m for m, p in zip(chart.months, chart.provisional, strict=True) if p] if isinstance(chart, TrendChart) else []
    )
    if provisional:
        blocks.append(
            Paragraph(
                f"{', '.join(month_label(m) for m in provisional)}: provisional (far below the months around it, so "
                "likely not fully counted), drawn open and not used as the reference month.",
                "caveat",
            )
        )
    return Section("glance", "At a glance", blocks)


def _summary_table(ctx: Context, code: str, name: str) -> Table | None:
    """One line per chosen theme: last 12 months, the 12 before, change, significance, rank in the borough."""
    series = [crime_series(ctx, t) for t in ctx.chosen("crime") if t.has_categories]
    if ctx.wants("asb") and asb_series(ctx).has_data():
        series.append(asb_series(ctx))
    rows: list[list[CellValue]] = []
    for one in series:
        if not one.has_data():
            continue
        wc = ward_comparison(ctx, one)
        row = wc.table.rows[_row_of(wc, ctx, code)]
        rank = f"{row[6]} of {len(wc.r12)}" if row[6] is not None else ""
        rows.append([one.label, row[1], row[2], row[3], row[4], rank])
    if len(rows) < 2:
        return None
    return Table(
        key="glance",
        title=f"{name}: every theme in this pack, {ctx.periods.label} against the 12 months before",
        columns=[
            Column("Theme", "text", 2.4),
            Column("Last 12 months", "int", 0.9),
            Column("Previous 12 months", "int", 0.9),
            Column("Change", "signed_pct", 0.7),
            Column("Significance", "text", 1.8),
            Column("Rank in borough", "text", 0.9),
        ],
        rows=rows,
        units="recorded crimes or ASB incidents, count; rank 1 = most in the borough",
        source=ctx.source_text("mps_crime", "mps_crime_long", "policeuk_street", "asb", short=True),
        notes=["Themes overlap (e.g. theft from the person is part of theft); each is shown in full in its section."],
    )


def _verdict(ctx: Context, series: Series, code: str) -> str:
    """The 12-month verdict a ward's trend chart illustrates (the same sentence as "What changed"); none when the
    ward's counts are hidden (the chart is not shown then either)."""
    wc = ward_comparison(ctx, series)
    return "" if code in wc.hidden else change_sentence(series.label, wc.changes[code])


def _item(ctx: Context, series: Series, label: str, code: str, headline: bool = False) -> Item:
    wc = ward_comparison(ctx, series)
    return Item(label, wc.changes[code], hidden=code in wc.hidden, headline=headline)


def _what_changed(ctx: Context, series: Series, wc: WardComparison, code: str, name: str) -> list[str]:
    if code in wc.hidden:
        return [
            f"The numbers of {series.label.lower()} in {name} are small enough that showing them could identify "
            "victims, so this public pack does not give them. The internal pack shows every count."
        ]
    change = wc.changes[code]
    lines = [change_sentence(series.label, change)]
    recent = series.change(code, ctx.periods.recent, ctx.periods.recent_year_ago)
    if not recent.comparable:
        recent_line = ""
    elif _small(ctx, series, [recent.current, recent.previous]):
        recent_line = (
            f"Since the last panel ({ctx.periods.recent_label}): the three-month counts are small enough to identify "
            "victims, so this public pack does not give them."
        )
    else:
        recent_line = (
            f"Since the last panel ({ctx.periods.recent_label}): {n(recent.current)} against {n(recent.previous)} "
            f"in the same months a year before, {('a ' if recent.strength == 'clear' else '') + recent.label}."
        )
    if recent_line:
        lines.append(recent_line)
    cmp = wc.comparison(ctx, code)
    if wc.ranked and not wc.borough_hidden and cmp.share is not None and len(wc.r12) > 1:
        text = (
            f"{name} had {share_text(cmp.share)} of {ctx.borough or 'the borough'}'s total "
            f"({cmp.rank_text()} of its wards)"
        )
        if cmp.high_footfall:
            text += "; a rate per resident would mislead here, as so many people in the ward are visitors"
        elif cmp.ward_rate is not None and cmp.borough_rate is not None:
            text += f"; {cmp.ward_rate:,.1f} per 1,000 residents against {cmp.borough_rate:,.1f} across the borough"
        lines.append(text + ".")
    if wc.fair is not None and code in wc.fair.positions and code not in wc.fair.footfall:
        lines.append(fair.sentence(ctx, wc.fair, code, series.label))
    if cmp.high_footfall and series.key == "all_crime":
        lines.append(footfall_warning(name))
    return lines


def break_notes(series: Series) -> list[str]:
    """What the pack does about each relabelling of categories inside the comparison window, in plain words."""
    return [describe(brk, tidy_labels(brk.changed + (brk.parent,))) for brk in series.breaks]


def _small(ctx: Context, series: Series, counts: list[float]) -> bool:
    """Whether a public pack must not show these counts of a sensitive theme (any from 1 to threshold-1)."""
    return ctx.public and series.sensitive and any(0 < c < ctx.threshold for c in counts)


def _category_changes(ctx: Context, series: Series, code: str) -> list[str]:
    p = ctx.periods
    cur = series.groups(code, *p.r12)
    before = series.groups(code, *p.previous)
    if len(set(cur) | set(before)) < 2:
        return []
    found = plan(ctx)
    groups = [g for g in set(cur) | set(before) if series.key == "asb" or not found.hides(code, display_name(g))]
    changes = [(display_name(g), series.change(code, p.r12, p.previous, group=g)) for g in groups]
    significant = sorted((c for c in changes if c[1].significant), key=lambda c: (c[1].small, -abs(c[1].difference)))
    return [change_sentence(g, ch) for g, ch in significant[:2]]


def theme_section(ctx: Context, theme: Theme) -> Section:
    code, name = _ward(ctx)
    section = Section(f"theme:{theme.key}", theme.label, new_page=False)
    if theme.description:
        section.blocks.append(Paragraph(theme.description))
    if not theme.has_categories:
        section.blocks.append(Paragraph(theme.note or "No figures for this theme are in the store.", "caveat"))
        return section
    series = crime_series(ctx, theme)
    taxonomy = ctx.cache.setdefault("taxonomy", frames.preferred_taxonomy(ctx.crime)).get(code, "mps")
    if taxonomy == "policeuk" and not theme.policeuk:
        section.blocks.append(
            Paragraph(
                f"Not available for {name}: the store holds only data.police.uk figures for this ward, and "
                f"data.police.uk does not publish {theme.label.lower()} as a separate crime type.",
                "caveat",
            )
        )
        ctx.advise(f"{theme.label}: import the Met's ward-level crime file to see this theme for {name}.")
        return section
    if not series.has_data():
        section.blocks.append(Paragraph(_no_figures(ctx, theme), "caveat"))
        if theme.note:
            section.blocks.append(Paragraph(theme.note, "caveat"))
        return section
    return _series_section(ctx, section, series, code, name, theme)


def _no_figures(ctx: Context, theme: Theme) -> str:
    """Why a theme has no figures; when the extracts hold Met categories WardBrief does not know, names them, as
    the theme's figures may be among them under a new name (they still count in All crime)."""
    label = theme.label.lower()
    mps = ctx.crime[ctx.crime["taxonomy"] == "mps"] if len(ctx.crime) else ctx.crime
    unknown = unknown_categories(set(zip(mps["category"], mps["subcategory"].fillna(""), strict=True)))
    if not unknown:
        return f"The store holds no {label} figures for these wards."
    names = unknown_text(unknown, lambda n: display_name(tidy_labels([n])[n]))
    ctx.advise(
        f"{theme.label}: no figures under the Met category names this theme counts, but the extracts hold names "
        f"WardBrief does not know ({names}). If the Met has renamed the category, add the new name to the theme in "
        "resources/themes.toml."
    )
    return (
        f"No {label} figures are in the store under the category names this section counts. The extracts also "
        f"hold crime categories WardBrief does not know: {names}. If {label} has been renamed, its figures are "
        "among those: counted in All crime, but not here."
    )


def asb_section(ctx: Context) -> Section:
    code, name = _ward(ctx)
    theme = theme_map().get("asb")
    section = Section("asb", theme.label if theme else "Anti-social behaviour", new_page=False)
    series = asb_series(ctx)
    if theme and theme.description:
        section.blocks.append(Paragraph(theme.description))
    if not series.has_data():
        section.blocks.append(Paragraph("No anti-social behaviour figures are in the store.", "caveat"))
        ctx.advise(
            "Anti-social behaviour: import data.police.uk street-level files (their 'Anti-social behaviour' rows are "
            "counted by ward) or an ASB extract with ward_code, month and asb_incidents columns."
        )
        return section
    return _series_section(ctx, section, series, code, name, None)


def _series_section(
    ctx: Context, section: Section, series: Series, code: str, name: str, theme: Theme | None
) -> Section:
    wc = ward_comparison(ctx, series)
    section.blocks.append(Paragraph("What changed", "lead"))
    lines = _what_changed(ctx, series, wc, code, name)
    if code not in wc.hidden:
        lines += _category_changes(ctx, series, code) if not series.sensitive or not ctx.public else []
    section.blocks.append(Bullets(lines))
    for text in break_notes(series):
        section.blocks.append(Paragraph(text, "caveat"))
    if code not in wc.hidden and series.key != "all_crime":  # the all-crime trend is on the At a glance page
        chart = trend_chart(ctx, series, [code], f"{series.label} in {name}, by month", name)
        chart.verdict = _verdict(ctx, series, code)
        if _small(ctx, series, [v for v in chart.values if v is not None]):
            section.blocks.append(
                Paragraph(
                    f"Monthly figures are not shown: in a public pack, months with 1 to {ctx.threshold - 1} "
                    f"{series.label.lower()} could identify victims. The internal pack has the monthly chart.",
                    "caveat",
                )
            )
        else:
            section.blocks.append(chart)
    if len(set(series.groups(code, *ctx.periods.r12)) | set(series.groups(code, *ctx.periods.previous))) > 1:
        section.blocks.append(category_table(ctx, series, code))
    if ctx.public and (series.sensitive or wc.hidden or wc.borough_hidden):
        section.blocks.append(wc.table)  # a table can say "<5"; a bar chart cannot hide a bar
    elif wc.fair is not None and code in wc.fair.positions:
        section.blocks.append(funnel_chart(ctx, series, wc, code))
    elif len(wc.r12) > 1:
        section.blocks.append(_comparison_chart(ctx, series, wc, code))
    return section


def funnel_chart(ctx: Context, series: Series, wc: WardComparison, code: str | None) -> FunnelChart:
    assert wc.fair is not None
    return fair.chart(
        ctx,
        wc.fair,
        code,
        f"{series.label}: every ward of {ctx.borough or 'the borough'} for its size, {ctx.periods.label}",
    )


def _comparison_chart(ctx: Context, series: Series, wc: WardComparison, code: str) -> BarChart:
    order = sorted(wc.r12, key=lambda c: (-wc.r12[c], ctx.names[c]))
    mean = sum(wc.r12.values()) / len(wc.r12)
    rank = order.index(code) + 1
    return BarChart(
        title=f"{series.label}: every ward of {ctx.borough or 'the borough'}, {ctx.periods.label}",
        labels=[ctx.names[c] for c in order],
        values=[float(wc.r12[c]) for c in order],
        highlight=[order.index(code)],
        value_format="int",
        reference=mean,
        reference_label="ward average",
        alt_text=f"{ctx.names[code]} is ranked {rank} of {len(order)} wards, with {n(wc.r12[code])} "
        f"against a ward average of {n(mean)}.",
    )
