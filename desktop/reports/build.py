"""Build a briefing pack (the Qt-free model in model.py) from the store: `build_pack` for one ward,
`build_overview` for all wards of a borough. Sections follow DESIGN.md §6; the figures are defined in §5 and
computed in desktop/analysis. Renderers (pdf.py, xlsx.py) draw the result."""

from __future__ import annotations

import json
from datetime import date

from sqlite_utils import Database

from desktop.analysis import queries
from desktop.analysis.change import ALPHA, MIN_TOTAL
from desktop.analysis.rates import is_high_footfall
from desktop.analysis.themes import Theme, bundled_themes, theme_map
from desktop.errors import WardBriefError
from desktop.months import month_label, span_label
from desktop.reports.build_context import KIND_LABELS, Context, make_context, reference_month
from desktop.reports.data_health import data_health
from desktop.reports.model import Bullets, CellValue, Column, Pack, Paragraph, Section, Table
from desktop.reports.options import PackOptions
from desktop.reports.sections_crime import asb_section, glance_section, theme_section
from desktop.reports.sections_other import (
    contacts_section,
    fire_section,
    survey_findings,
    trust_section,
    victims_section,
)
from desktop.reports.sections_priorities import priorities_section
from desktop.settings import Settings

__all__ = ["available_themes", "build_overview", "build_pack", "reference_month"]


def build_overview(db: Database, borough_name: str, options: PackOptions, settings: Settings) -> Pack:
    """All wards of a borough side by side (see overview.py)."""
    from desktop.reports.overview import overview_pack

    return overview_pack(db, borough_name, options, settings)


def available_themes() -> list[Theme]:
    """Every theme in resources/themes.toml (each has .key, .label, .default), in file order."""
    return list(bundled_themes())


def _data_as_at(db: Database) -> str:
    row = db.execute("SELECT MAX(imported_at) FROM source WHERE status = 'ok'").fetchone()
    return str(row[0])[:10] if row and row[0] else date.today().isoformat()


def new_pack(ctx: Context, kind: str, title: str, code: str, name: str) -> Pack:
    return Pack(
        kind="ward" if kind == "ward" else "overview",
        title=title,
        area_code=code,
        area_name=name,
        borough_name=ctx.borough,
        period_label=ctx.periods.label,
        reference_month=ctx.periods.reference,
        marking=ctx.settings.marking,
        organisation=ctx.settings.organisation,
        prepared_by=ctx.options.prepared_by or ctx.settings.prepared_by,
        data_as_at=_data_as_at(ctx.db),
        meeting_date=ctx.options.meeting_date or "",
        mode="public" if ctx.public else "internal",
    )


def build_pack(db: Database, ward_code: str, options: PackOptions, settings: Settings) -> Pack:
    """The briefing pack for one ward."""
    ward = queries.ward_row(db, ward_code)
    if ward is None:
        raise WardBriefError(
            f"Ward {ward_code} is not in the store.",
            "Run `wardbrief wards` to list the wards, or import a crime extract or ward lookup that includes it.",
        )
    ctx = make_context(db, ward.get("borough_name"), options, settings, ward)
    name = str(ward["name"])
    pack = new_pack(ctx, "ward", f"{name} ward", ward_code, name)
    wanted = {t.kind for t in ctx.themes}
    extra = survey_findings(ctx) if "victims" in wanted else []
    pack.sections.append(glance_section(ctx, extra))
    for theme in ctx.chosen("crime"):
        pack.sections.append(theme_section(ctx, theme))
    if "asb" in wanted:
        pack.sections.append(asb_section(ctx))
    if "victims" in wanted:
        pack.sections.append(victims_section(ctx))
    if "trust" in wanted:
        pack.sections.append(trust_section(ctx))
    if "fire" in wanted:
        pack.sections.append(fire_section(ctx))
    if "priorities" in wanted:
        pack.sections.append(priorities_section(ctx))
    pack.sections.append(contacts_section(ctx))
    pack.sections.append(about_section(ctx))
    finish(pack, ctx)
    return pack


def finish(pack: Pack, ctx: Context) -> None:
    """What every pack carries besides its sections: its sources, its provisional months (named on the cover) and
    the advice for whoever makes it (shown in the window, never printed)."""
    pack.sources = source_lines(ctx)
    pack.provisional = provisional_months(ctx)
    pack.advice = list(ctx.cache.get("advice", []))


def source_lines(ctx: Context) -> list[str]:
    lines = []
    for row in queries.sources(ctx.db):
        span = f", {row['first_month']} to {row['last_month']}" if row["first_month"] else ""
        lines.append(f"{KIND_LABELS.get(row['kind'], row['kind'])}: {row['file_name']}{span}")
    return lines


def about_section(ctx: Context) -> Section:
    rows: list[list[CellValue]] = []
    order = list(KIND_LABELS)  # crime first, then ASB, fire, surveys, lookups
    listed = sorted(queries.sources(ctx.db), key=lambda r: order.index(r["kind"]) if r["kind"] in order else 99)
    for row in listed:
        partial = ", ".join(month_label(m) for m in json.loads(row["partial_months"] or "[]"))
        rows.append(
            [
                KIND_LABELS.get(row["kind"], row["kind"]),
                row["file_name"],
                month_label(row["first_month"]) if row["first_month"] else "",
                month_label(row["last_month"]) if row["last_month"] else "",
                partial,
                str(row["imported_at"])[:10],
            ]
        )
    sources = Table(
        key="sources",
        title="Sources used",
        columns=[
            Column("Data", "text", 2.3),
            Column("File", "text", 2.7),
            Column("From", "text", 0.9),
            Column("To", "text", 0.9),
            Column("Partial months", "text", 1),
            Column("Imported", "text", 0.9),
        ],
        rows=rows,
        units="files imported into WardBrief",
        source="WardBrief store",
    )
    p = ctx.periods
    definitions = [
        f"Last 12 months (R12): {month_label(p.r12[0])} to {month_label(p.r12[1])}. Previous 12 months: "
        f"{month_label(p.previous[0])} to {month_label(p.previous[1])}. Since the last panel: {p.recent_label} "
        "against the same three months a year earlier.",
        f"Reference month: {month_label(p.reference)}, the latest month the store holds complete figures for. A month "
        "whose total is far below the months around it (under half their median) is treated as not yet fully "
        "counted: it is marked provisional and never used as the reference month or read as a fall.",
        "Significance: a change is called significant when it is larger than the ups and downs that chance alone "
        f"produces in counts this size (exact test for two counts, p < {ALPHA}: a change that large would arise by "
        "chance less than 1 time in 20). 'No significant change' does not mean nothing happened, only that the "
        f"figures cannot tell a real change from chance. With fewer than {MIN_TOTAL} events in the two years "
        "together, no change is called a trend: 'too few to tell'.",
        "Coverage: a change between two periods is given only when the store holds complete figures for every "
        "month of both, from the same series; otherwise the figure is shown with how many months it covers and no "
        "change. Where the Met relabelled or split its categories between the two periods, categories are compared "
        "only through a maintained concordance (shown together as one row), or not at all.",
        "Rate per 1,000 residents: the count divided by the ward's resident population, times 1,000.",
        "Survey figures: the share of respondents, with a 95% interval (Wilson) where the number asked is known.",
    ]
    caveats = [
        "Recorded crime is not all crime: it counts what was reported to and recorded by the police. Changes in "
        "reporting, recording and police activity (e.g. drugs and weapons searches) move the figures too.",
        "Crimes are placed in the ward where they were recorded as happening; fraud reported to Action Fraud is left "
        "out because it has no ward.",
    ]
    pops = {str(w.get("population_source") or "") for w in ctx.wards if w.get("population")}
    if pops:
        caveats.append(
            "Populations: "
            + "; ".join(sorted(s for s in pops if s) or ["from the ward table"])
            + ". Where a population is derived (e.g. Census 2021 small areas summed to wards) it is approximate."
        )
    footfall = [n for n in ctx.names.values() if is_high_footfall(n, ctx.settings.high_footfall_wards)]
    if footfall:
        caveats.append(
            f"{', '.join(footfall)} draw very large numbers of visitors and workers, so rates per resident overstate "
            "the risk there; compare counts and trends instead."
        )
    if ctx.public:
        caveats.append(
            f"This is a public pack: in sensitive themes ({', '.join(_sensitive_labels(ctx))}) counts of 1 to "
            f"{ctx.threshold - 1} are shown as <{ctx.threshold}, and [c] marks further counts hidden so the small ones "
            "cannot be worked out by subtraction."
        )
    else:
        caveats.append("This is an internal pack: every count is shown. Do not publish it as it stands.")
    provisional = provisional_months(ctx)
    if provisional:
        caveats.append(
            f"Provisional (not fully counted when published, so drawn open and never compared): "
            f"{span_label(provisional)}."
        )
    return Section(
        "about",
        "About these figures",
        [
            sources,
            Paragraph("Definitions", "lead"),
            Bullets(definitions),
            Paragraph("Caveats", "lead"),
            Bullets(caveats),
            *data_health(ctx),
        ],
    )


def provisional_months(ctx: Context) -> list[str]:
    """The partial months of the recorded crime figures this pack shows (the ward's, or for an overview every
    ward's), in the months it draws."""
    from desktop.reports.series import crime_series

    series = crime_series(ctx, theme_map()["all_crime"])
    cov = series.cover(str(ctx.ward["code"]) if ctx.ward else None)
    return sorted(m for m in cov.partial if m >= ctx.window_start)


def _sensitive_labels(ctx: Context) -> list[str]:
    themes = theme_map()
    return [themes[k].label.lower() if k in themes else k.replace("_", " ") for k in ctx.settings.sensitive_themes]
