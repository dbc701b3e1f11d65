"""Victim experience (USS, Victims' Code), trust and confidence (PAS), fire incidents and false alarms, panel
priorities, "What can I do?" and "About these figures". A section with no data says plainly what to import."""

from __future__ import annotations

import statistics
from typing import Any

from desktop.analysis.change import compare_covered
from desktop.analysis.findings import satisfaction_sentence, vcop_sentence
from desktop.analysis.surveys import (
    Area,
    SurveyFigure,
    area_chain,
    best_figure,
    weakest,
    year_earlier,
)
from desktop.months import month_label, months_between
from desktop.reports.build_context import Context
from desktop.reports.model import (
    BarChart,
    Block,
    Bullets,
    CellValue,
    Column,
    ContactList,
    Paragraph,
    Section,
    Table,
)
from desktop.store import figures
from desktop.store.measures import USS_MEASURES, VCOP_RIGHTS

SURVEY_TEMPLATE_HINT = (
    "Victim experience: fill in the survey template (resources/templates, columns survey, area_type, area, period_end, measure, base_n, "
    "value) with your force's USS and Victims' Code returns and import it on the Data page."
)


def _chain(ctx: Context) -> list[Area]:
    ward = ctx.ward or {}
    return area_chain(ward.get("code"), ward.get("name"), ctx.borough or None)


def survey_figures(ctx: Context, survey: str, measures: tuple[str, ...]) -> dict[str, SurveyFigure]:
    key = f"survey:{survey}"
    if key not in ctx.cache:
        rows = figures.survey_rows(ctx.db, survey)
        wanted = {m.casefold(): m for m in measures}
        found: dict[str, SurveyFigure] = {}
        names = sorted({str(r["measure"]) for r in rows}, key=lambda m: (m.casefold() not in wanted, m))
        for measure in names:
            fig = best_figure([r for r in rows if r["measure"] == measure], _chain(ctx), ctx.settings.min_survey_base)
            if fig is not None:
                found[measure] = fig
        ctx.cache[key] = (found, rows)
    held: dict[str, SurveyFigure] = ctx.cache[key][0]
    return held


def survey_findings(ctx: Context) -> list[str]:
    out = []
    vcop = survey_figures(ctx, "VCOP", VCOP_RIGHTS)
    low = weakest(vcop.values())
    if low is not None and len(vcop) > 1:
        out.append(vcop_sentence(low, len(vcop), len(VCOP_RIGHTS)))
    uss = survey_figures(ctx, "USS", USS_MEASURES)
    overall = next((f for m, f in uss.items() if m.casefold() == "overall satisfaction"), None)
    if overall is not None:
        out.append(satisfaction_sentence(overall))
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _period(period_end: str) -> str:
    try:
        return month_label(period_end[:7])
    except ValueError:
        return period_end


def _survey_table(key: str, title: str, figures: list[tuple[str, SurveyFigure | None]], source: str) -> Table:
    rows: list[list[CellValue]] = []
    for label, fig in figures:
        if fig is None:
            rows.append([_cap(label), None, "", None, "not in the return", "", ""])
            continue
        ci = f"{fig.lower:.0%}\u2013{fig.upper:.0%}" if fig.lower is not None and fig.upper is not None else ""
        rows.append([_cap(label), fig.value, ci, fig.base, fig.area_text, _period(fig.period_end), _cap(fig.note)])
    return Table(
        key=key,
        title=title,
        columns=[
            Column("Measure", "text", 2.6),
            Column("Value", "pct", 0.7),
            Column("95% interval", "text", 1.1),
            Column("Base (n)", "int", 0.7),
            Column("Area used", "text", 1.4),
            Column("Period to", "text", 0.9),
            Column("Note", "text", 1.8),
        ],
        rows=rows,
        units="share of respondents (%); base = number of respondents",
        source=source,
        notes=[
            "The 95% interval is the Wilson score interval: the range the true figure very likely lies in, given the "
            "number of people asked.",
        ],
    )


def _interval_chart(title: str, figures: list[tuple[str, SurveyFigure]], highlight: list[int]) -> BarChart:
    mixed = len({f.area_text for _, f in figures}) > 1  # say which area each bar is for when they differ
    return BarChart(
        title=title,
        labels=[_cap(label) + (f" ({f.area_type})" if mixed else "") for label, f in figures],
        values=[f.value for _, f in figures],
        lower=[f.lower for _, f in figures],
        upper=[f.upper for _, f in figures],
        highlight=highlight,
        value_format="pct",
        alt_text="; ".join(f"{label}: {f.value:.0%}" for label, f in figures),
    )


def victims_section(ctx: Context) -> Section:
    section = Section("victims", "Victim experience")
    uss = survey_figures(ctx, "USS", USS_MEASURES)
    vcop = survey_figures(ctx, "VCOP", VCOP_RIGHTS)
    source = ctx.source_text("surveys")
    if not uss and not vcop:
        section.blocks.append(
            Paragraph("No victim satisfaction (USS) or Victims' Code compliance figures are in the store.", "caveat")
        )
        ctx.advise(SURVEY_TEMPLATE_HINT)
        return section
    section.blocks.append(
        Paragraph(
            "How satisfied victims were with the police, and whether they received each of their 12 rights under the "
            f"Victims' Code. Figures come from the smallest area with at least {ctx.settings.min_survey_base} "
            "respondents (ward, then borough, then BCU, then London); the table says which was used."
        )
    )
    if uss:
        items = [(m, uss.get(m)) for m in USS_MEASURES] + [(m, f) for m, f in uss.items() if m not in USS_MEASURES]
        section.blocks.append(_survey_table("uss", "Victim satisfaction (User Satisfaction Survey)", items, source))
    else:
        section.blocks.append(Paragraph("No User Satisfaction Survey figures are in the store.", "caveat"))
    if vcop:
        rights = [(r, vcop.get(r)) for r in VCOP_RIGHTS] + [(m, f) for m, f in vcop.items() if m not in VCOP_RIGHTS]
        present = [(r, f) for r, f in rights if f is not None]
        low = weakest(f for _, f in present)
        idx = [i for i, (_, f) in enumerate(present) if f is low]
        section.blocks.append(
            _interval_chart("Victims' Code: share of victims whose right was met (weakest marked)", present, idx)
        )
        table = _survey_table("vcop", "Victims' Code compliance: all 12 rights", rights, source)
        table.highlight_rows = [i for i, (_, f) in enumerate(rights) if f is low]
        missing = [r for r, f in rights if f is None]
        if missing:
            table.notes.append(f"{len(missing)} of the 12 rights are not in the return imported.")
        section.blocks.append(table)
        if low is not None:
            section.blocks.append(Bullets([vcop_sentence(low, len(present), len(VCOP_RIGHTS))]))
    else:
        section.blocks.append(Paragraph("No Victims' Code compliance figures are in the store.", "caveat"))
    return section


def trust_section(ctx: Context) -> Section:
    section = Section("trust", "Trust and confidence")
    figures = survey_figures(ctx, "PAS", ())
    rows_all: list[dict[str, Any]] = ctx.cache.get("survey:PAS", ({}, []))[1]
    if not figures:
        section.blocks.append(Paragraph("No Public Attitude Survey (PAS) figures are in the store.", "caveat"))
        ctx.advise(
            "Trust and confidence: download the MOPAC PAS trust and confidence dashboard data (borough sheet) from "
            "the London Datastore and import it."
        )
        return section
    rows: list[list[CellValue]] = []
    for measure, fig in figures.items():
        before = year_earlier(rows_all, fig)
        london = best_figure(
            [
                r
                for r in rows_all
                if r["measure"] == measure and r["area_type"] == "London" and r["period_end"] == fig.period_end
            ],
            [Area("London", ("London",))],
            1,
        )
        change = None if before is None else round(100 * (fig.value - before.value), 1)  # percentage points
        rows.append(
            [
                _cap(measure),
                fig.value,
                before.value if before else None,
                change,
                london.value if london else None,
                fig.area_text,
                _period(fig.period_end),
            ]
        )
    section.blocks.append(
        Paragraph(
            "The share of residents who agree with each statement about policing in their area (MOPAC Public Attitude "
            "Survey), for the borough and for London, now and a year earlier. The PAS does not publish bases, so no "
            "interval can be given; changes of a few points may be noise."
        )
    )
    section.blocks.append(
        Table(
            key="pas",
            title="Trust and confidence (Public Attitude Survey)",
            columns=[
                Column("Measure", "text", 2.4),
                Column("Latest", "pct", 0.8),
                Column("A year earlier", "pct", 0.9),
                Column("Change (points)", "points", 0.9),
                Column("London", "pct", 0.8),
                Column("Area", "text", 1.4),
                Column("Period to", "text", 0.9),
            ],
            rows=rows,
            units="share of residents agreeing (%); change in percentage points",
            source=ctx.source_text("pas", "surveys"),
            notes=["Base not published: the PAS dashboard gives proportions only."],
        )
    )
    return section


def fire_section(ctx: Context) -> Section:
    section = Section("fire", "Fire incidents and false alarms", new_page=False)
    code = str(ctx.ward["code"]) if ctx.ward else ""
    name = str(ctx.ward["name"]) if ctx.ward else ""
    start = ctx.periods.previous[0]
    frame = figures.fire_frame(ctx.db, ctx.ward_codes, start, ctx.periods.reference)
    if not figures.has_rows(ctx.db, "fire_incident", "current = 1"):
        section.blocks.append(Paragraph("No London Fire Brigade incident records are in the store.", "caveat"))
        ctx.advise("Fire: download 'LFB Incident Records' from the London Datastore and import it.")
        return section
    ward = frame[frame["ward_code"] == code]
    if not len(ward):
        last = figures.fire_span(ctx.db)[1]
        section.blocks.append(
            Paragraph(
                f"The LFB records in the store have no incidents in {name} between {month_label(start)} and "
                f"{month_label(ctx.periods.reference)} (the latest record is from {month_label(last)}).",
                "caveat",
            )
        )
        ctx.advise("Fire: import a recent edition of 'LFB Incident Records' to fill this section.")
        return section
    r12 = ward[ward["month"] >= ctx.periods.r12[0]]
    prev = ward[ward["month"] <= ctx.periods.previous[1]]
    first, last = figures.fire_span(ctx.db)
    held = [m for m in months_between(str(first), str(last))] if first and last else []
    p = ctx.periods
    cur_months, prev_months = (sum(1 for m in months_between(*x) if m in held) for x in (p.r12, p.previous))
    groups = sorted(set(ward["incident_group"]))
    rows: list[list[CellValue]] = []
    for group in [*groups, "All incidents"]:
        a = len(r12) if group == "All incidents" else int((r12["incident_group"] == group).sum())
        b = len(prev) if group == "All incidents" else int((prev["incident_group"] == group).sum())
        ch = compare_covered(a, b, cur_months, prev_months, 12)
        rows.append([group, a, b if ch.comparable else None, None if ch.pct is None else ch.pct / 100, ch.label])
    source = ctx.source_text("lfb_incidents")
    blocks: list[Block] = [
        Table(
            key="fire_groups",
            title=f"Incidents attended in {name} by type, {ctx.periods.label}",
            columns=[
                Column("Incident type", "text", 2),
                Column("Last 12 months", "int"),
                Column("Previous 12 months", "int"),
                Column("Change", "signed_pct", 0.8),
                Column("Significance", "text", 1.6),
            ],
            rows=rows,
            units="incidents attended, count",
            source=source,
            total_row=True,
        )
    ]
    alarms = r12[r12["incident_group"].str.casefold().str.contains("false")]
    if len(alarms):
        by_cat = alarms["property_category"].fillna("Not recorded").value_counts()
        blocks.append(
            Table(
                key="fire_false_alarms",
                title=f"False alarms in {name} by property category, {ctx.periods.label}",
                columns=[
                    Column("Property category", "text", 2.4),
                    Column("False alarms", "int"),
                    Column("Share", "share", 0.8),
                ],
                rows=[[str(k), int(v), int(v) / len(alarms)] for k, v in by_cat.items()],
                units="false alarms attended, count; share of the ward's false alarms",
                source=source,
            )
        )
    blocks.append(Bullets(_attendance_lines(ctx, frame, code, name)))
    section.blocks.extend(blocks)
    return section


def _median_minutes(values: Any) -> float | None:
    clean = [float(v) for v in values if v is not None and v == v and float(v) > 0]
    return statistics.median(clean) / 60 if clean else None


def _mmss(minutes: float) -> str:
    secs = round(minutes * 60)
    return f"{secs // 60} min {secs % 60:02d} s"


def _attendance_lines(ctx: Context, frame: Any, code: str, name: str) -> list[str]:
    r12 = frame[frame["month"] >= ctx.periods.r12[0]]
    prev = frame[frame["month"] <= ctx.periods.previous[1]]
    ward_now = _median_minutes(r12[r12["ward_code"] == code]["attendance_seconds"])
    ward_before = _median_minutes(prev[prev["ward_code"] == code]["attendance_seconds"])
    borough_now = _median_minutes(r12["attendance_seconds"])
    if ward_now is None:
        return ["No first-pump attendance times are recorded for these incidents."]
    text = f"Median time for the first fire engine to arrive in {name}: {_mmss(ward_now)} in the last 12 months"
    if ward_before is not None:
        text += f" ({_mmss(ward_before)} the year before)"
    if borough_now is not None:
        text += f"; {_mmss(borough_now)} across {ctx.borough or 'the borough'}"
    return [text + "."]


def contacts_section(ctx: Context) -> Section:
    return Section(
        "contacts",
        "What can I do?",
        [ContactList([(c.heading, c.text) for c in ctx.settings.contacts])],
        new_page=False,
    )
