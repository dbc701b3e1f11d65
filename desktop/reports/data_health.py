"""'Data health' in About these figures: what each series the pack uses holds (complete, provisional, missing and
type-filtered months), relabelled categories, revisions between editions, and police.uk crimes with no location,
so a reader can see how far the figures can be trusted before reading them."""

from __future__ import annotations

from desktop import kinds
from desktop.analysis import frames
from desktop.analysis.breaks import describe
from desktop.analysis.findings import n
from desktop.analysis.frames import SeriesMonths, tidy_labels
from desktop.analysis.themes import theme_map
from desktop.months import month_label, months_between, span_label
from desktop.reports.build_context import Context
from desktop.reports.model import Block, Bullets, Paragraph
from desktop.reports.series import crime_series
from desktop.store import figures

SERIES_NAMES = {"mps": "Met ward-level crime", "policeuk": "data.police.uk street crime", "asb": "ASB counts"}


def _series_line(name: str, found: SeriesMonths) -> str:
    complete = sorted(found.complete)
    held = sorted(found.files)
    if not complete:
        return f"{name}: no complete month yet."
    count = f"{len(complete)} month{'s' if len(complete) > 1 else ''}"
    text = f"{name}: complete figures for {span_label(complete, 'short')} ({count})"
    gaps = [m for m in months_between(complete[0], held[-1]) if m not in found.files]
    if gaps:
        text += f"; nothing for {span_label(gaps, 'short')}"
    if found.partial:
        text += f"; provisional (not fully counted): {span_label(sorted(found.partial), 'short')}"
    filtered = [m for m, f in found.files.items() if not f.every_type and not f.partial and f.some_types]
    if filtered:
        text += f"; only some crime types for {span_label(filtered, 'short')}"
    return text + "."


def _series_lines(ctx: Context) -> list[str]:
    lines = []
    for taxonomy in ("mps", "policeuk"):
        rows = ctx.crime[ctx.crime["taxonomy"] == taxonomy]
        if rows.empty:
            continue
        found = frames.series_months(ctx.db, "crime_count", taxonomy)
        used = rows.groupby("series")["count"].sum().sort_values(ascending=False)
        for series in used.index.tolist():
            if str(series) in found:
                label = SERIES_NAMES[taxonomy] + (f", {series}" if series else "")
                lines.append(_series_line(label, found[str(series)]))
    if ctx.wants("asb"):
        found = frames.series_months(ctx.db, "asb_count")
        rows = figures.asb_frame(ctx.db, ctx.ward_codes, ctx.window_start, ctx.periods.reference)
        for series in rows.groupby("series")["count"].sum().sort_values(ascending=False).index.tolist():
            if str(series) in found:
                label = "ASB incidents" + (f" (data.police.uk, {series})" if series else " (ASB extract)")
                lines.append(_series_line(label, found[str(series)]))
    return lines


def _break_lines(ctx: Context) -> list[str]:
    lines: list[str] = []
    themes = [t for t in ctx.chosen("crime") if t.has_categories] or [theme_map()["all_crime"]]
    for theme in themes:
        for brk in crime_series(ctx, theme).breaks:
            text = describe(brk, tidy_labels(brk.changed + (brk.parent,)))
            if text not in lines:
                lines.append(text)
    return lines


def _revision_lines(ctx: Context) -> list[str]:
    names = {int(r["id"]): r for r in figures.sources(ctx.db)}
    lines = []
    for rev in figures.revisions(ctx.db, ctx.ward_codes):
        src = names.get(int(rev["source_id"]))
        if src is None:
            continue
        what = f"{kinds.source_label(src['kind'])} ({src['file_name']})"
        area = f"{ctx.borough}'s wards" if ctx.borough else "these wards"
        if rev["later"]:  # a later file's partly counted figures: this earlier one's stayed in force
            text = (
                f"{what} stays in force for {n(rev['shared'])} figures for {area} that a file imported later also "
                f"gave, as that file's were partly counted; {n(rev['changed'])} differ, by up to {n(rev['largest'])}"
            )
        elif not rev["changed"]:
            lines.append(f"{what} restated {n(rev['shared'])} figures an earlier edition held for {area}, unchanged.")
            continue
        else:
            text = (
                f"{what} revised {n(rev['changed'])} of the {n(rev['shared'])} figures an earlier edition held for "
                f"{area}; the largest change was {n(rev['largest'])}"
            )
        example = rev.get("example")
        if example and rev["changed"]:
            ward, month, category, subcategory, other, kept = example
            where = tidy_labels([subcategory or category]).get(subcategory or category, category)
            change = f"{n(kept)} kept, {n(other)} in the later file" if rev["later"] else f"{n(other)} to {n(kept)}"
            text += f" ({ctx.names.get(ward, ward)}, {where}, {month_label(month)}: {change})"
        lines.append(text + ".")
    return lines


def _location_lines(ctx: Context) -> list[str]:
    lines = []
    for row in figures.unlocated(ctx.db):
        if row["no_location"]:
            share = row["no_location"] / row["rows"]
            lines.append(
                f"data.police.uk file {row['file_name']}: {n(row['no_location'])} of {n(row['rows'])} crimes "
                f"({share:.1%}) have no location, so they are counted in no ward."
            )
    return lines


def data_health(ctx: Context) -> list[Block]:
    lines = _series_lines(ctx) + _break_lines(ctx) + _revision_lines(ctx) + _location_lines(ctx)
    if not lines:
        return []
    return [Paragraph("Data health", "lead"), Bullets(lines)]
