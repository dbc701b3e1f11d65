"""'About these figures': the sources, definitions, caveats and data health that end every pack, and the pack's
provisional months."""

from __future__ import annotations

import json

from desktop import kinds
from desktop.analysis.change import ALPHA, MIN_TOTAL
from desktop.analysis.rates import is_high_footfall
from desktop.analysis.themes import theme_map
from desktop.months import month_label, span_label
from desktop.reports.build_context import Context
from desktop.reports.data_health import data_health
from desktop.reports.model import Bullets, CellValue, Column, Paragraph, Section, Table
from desktop.reports.series import crime_series
from desktop.reports.two_sources import map_attribution, two_sources
from desktop.store import figures

METHODS_DOC = "docs/methods.md ('How WardBrief tells the unusual from the ups and downs')"


def about_section(ctx: Context) -> Section:
    rows: list[list[CellValue]] = []
    listed = sorted(figures.sources(ctx.db), key=lambda r: kinds.order(r["kind"]))  # crime first
    for row in listed:
        partial = ", ".join(month_label(m) for m in json.loads(row["partial_months"] or "[]"))
        rows.append(
            [
                kinds.source_label(row["kind"]),
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
        "Change over 12 months: each ward's monthly figures go up and down more than chance alone would make them "
        "(events, seasons, operations), so a change is judged against the ward's own normal ups and downs, measured "
        "from its months over the two years (allowing for the borough's seasonal pattern). 'Clear': a change that "
        "large would come from normal variation less than 1 time in 500; 'some evidence': less than 1 "
        f"time in 20 (p < {ALPHA}); 'within normal variation': the figures cannot tell it from the usual ups and "
        "downs, which does not mean nothing happened. Where the months vary no more than chance, or the counts are "
        f"small, the exact test for two counts is used. With fewer than {MIN_TOTAL} events in the two years "
        "together, no change is called a trend: 'too few to tell'.",
        "Monthly charts are process-control charts (NHS 'Making Data Count'): the grey line is the average, the "
        "dashed lines the usual range (process limits, average ± 2.66 × the average month-to-month "
        "change). A triangle marks an unusual month: beyond a limit, 7 or more in a row on one side of the "
        "average, 6 or more rising or falling, or 2 of 3 close to a limit. Months not yet fully counted are never marked; "
        "the limits start again where the Met changed its categories.",
        "For its size: each ward's rate per 1,000 residents on a funnel plot against the borough's rate, with 95% "
        "and 99.8% limits that are wider for small wards and widened for the differences between wards that "
        "chance does not explain (Spiegelhalter's method, as used by OHID Fingertips). High-footfall wards are "
        "shown but not judged. Tiles show the 12-month verdict as an icon and words: H (a rise beyond normal "
        "variation, whether clear or with some evidence; the words say which), L (a fall, likewise), a line of dots "
        "(within normal variation).",
        f"Methods, formulas, assumptions and references: {METHODS_DOC} in the WardBrief documentation.",
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
    if (attribution := map_attribution(ctx)) is not None:
        caveats.append(f"Maps. {attribution}")
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
            *two_sources(ctx),
            *data_health(ctx),
        ],
    )


def provisional_months(ctx: Context) -> list[str]:
    """The partial months of the recorded crime figures this pack shows (the ward's, or for an overview every
    ward's), in the months it draws."""

    series = crime_series(ctx, theme_map()["all_crime"])
    cov = series.cover(str(ctx.ward["code"]) if ctx.ward else None)
    return sorted(m for m in cov.partial if m >= ctx.window_start)


def _sensitive_labels(ctx: Context) -> list[str]:
    themes = theme_map()
    return [themes[k].label.lower() if k in themes else k.replace("_", " ") for k in ctx.settings.sensitive_themes]
