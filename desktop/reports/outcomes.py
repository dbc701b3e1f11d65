"""The outcomes section: what happened to the crimes reported in the ward, from police.uk, in plain groups with
Wilson intervals and the borough alongside (analysis/outcomes.py). Crimes are taken from a window that ends
SETTLE_MONTHS before the latest outcome the store holds, so most have reached their outcome; when the store holds
nothing that old, the latest crimes are shown and the section says their outcomes have not settled. A ward base
under the survey minimum is handled as for surveys: the borough's shares are shown, and the section says so."""

from __future__ import annotations

from desktop.analysis.outcomes import SETTLE_MONTHS, group_of, latest_outcome, shares
from desktop.months import add_months, month_label, range_label, span_label
from desktop.reports.build_context import Context
from desktop.reports.model import BarChart, Block, CellValue, Column, Paragraph, Section, Table
from desktop.reports.where import held_types
from desktop.store import places

ASB = "anti-social behaviour"


def _window(ctx: Context, months: list[str]) -> tuple[str, str, bool]:
    """(start, end, settled) of the twelve months of crimes whose outcomes are shown."""
    span = places.outcome_months(ctx.db)
    latest = max(months[-1], span[1] if span else months[-1])
    settle_end = min(add_months(latest, -SETTLE_MONTHS), ctx.periods.reference)
    if any(m <= settle_end for m in months):
        end = max(m for m in months if m <= settle_end)
        return add_months(end, -11), end, True
    end = max([m for m in months if m <= ctx.periods.reference] or months)
    return add_months(end, -11), end, False


def _types_held(ctx: Context, months: list[str]) -> set[str] | None:
    """The crime types the police.uk files cover in the months the borough has crimes in (None = every type): a
    month of another force's whole file does not hide that this borough's month is burglary only."""
    types: set[str] = set()
    for month in months:
        held = held_types(ctx, month, month)
        if held is None:
            return None
        types |= held
    return types


def _type_name(crime_type: str) -> str:
    """'BURGLARY' -> 'Burglary' (police.uk's own spelling is kept when it is not all capitals)."""
    return crime_type.capitalize() if crime_type.isupper() else crime_type


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def outcomes_section(ctx: Context) -> Section:
    section = Section("outcomes", "What happened next: outcomes of reported crimes", new_page=False)
    if ctx.ward is None:
        return section
    code, name = str(ctx.ward["code"]), str(ctx.ward["name"])
    months = places.street_months(ctx.db, ctx.ward_codes)
    if not months:
        section.blocks.append(Paragraph("The store holds no police.uk crimes for this borough.", "caveat"))
        ctx.advise("Outcomes: import police.uk street crime and outcomes files (data.police.uk).")
        return section
    start, end, settled = _window(ctx, months)
    borough = places.street_frame(ctx.db, ctx.ward_codes, start, end)
    borough = borough[borough["crime_type"].str.casefold() != ASB]
    ward = borough[borough["ward_code"] == code]
    found = places.latest_outcomes(ctx.db, [str(c) for c in borough["crime_id"] if c])
    b_groups = [group_of(o) for o in latest_outcome(borough, found)]
    w_groups = [group_of(o) for o in latest_outcome(ward, found)]
    span = range_label(start, end)
    intro = (
        f"What had happened, by the latest police.uk outcome in the store, to the {len(ward):,} crimes reported in "
        f"{name} from {span}, with the {len(borough):,} in {ctx.borough or 'the borough'} alongside."
    )
    in_window = [m for m in months if start <= m <= end]
    if len(in_window) < 12:  # say what the figures are: a reviewer read 70 January burglaries as a year's crimes
        intro += (
            f" police.uk files in the store cover {span_label(in_window)} for {ctx.borough or 'the borough'} "
            f"({len(in_window)} of these 12 months)."
        )
    if settled:
        intro += (
            f" Outcomes take months to settle, so these are crimes reported at least {SETTLE_MONTHS} months before "
            "the latest outcome data."
        )
    section.blocks.append(Paragraph(intro))
    if not settled:
        section.blocks.append(
            Paragraph(
                f"These crimes are recent (to {month_label(end)}): many outcomes were not final when the data were "
                f"published, and some will change. Crimes reported at least {SETTLE_MONTHS} months before the "
                "latest outcome data would give a settled picture.",
                "caveat",
            )
        )
    types = _types_held(ctx, in_window)
    if types is not None:
        section.blocks.append(
            Paragraph(
                f"The police.uk files for these months hold only: {', '.join(sorted(_type_name(t) for t in types))}.",
                "caveat",
            )
        )
    if not len(borough):
        return section
    w_shares, b_shares = shares(w_groups), shares(b_groups)
    small = len(ward) < ctx.settings.min_survey_base
    rows: list[list[CellValue]] = []
    for i, b in enumerate(b_shares):
        w = w_shares[i] if w_shares else None
        ward_share = None if small or w is None else w.share
        interval = "" if small or w is None else f"{_pct(w.lower)}–{_pct(w.upper)}"
        rows.append([b.group, w.count if w else 0, ward_share, interval, b.share, f"{_pct(b.lower)}–{_pct(b.upper)}"])
    notes = [
        "Groups of police.uk outcome categories; a crime counts once, at its latest outcome. 95% intervals are "
        "Wilson score intervals."
    ]
    if small:
        notes.append(
            f"{name} had {len(ward):,} crimes, fewer than the {ctx.settings.min_survey_base} a share needs here "
            f"(as for surveys), so only the borough's shares are shown."
        )
    blocks: list[Block] = [
        Table(
            key="outcomes",
            title=f"Outcomes of crimes reported in {name}, {span}",
            columns=[
                Column("Outcome", "text", 2.6),
                Column("Ward crimes", "int", 0.8),
                Column("Ward share", "pct", 0.8),
                Column("95% interval", "text", 1.0),
                Column("Borough share", "pct", 0.8),
                Column("Borough 95% interval", "text", 1.0),
            ],
            rows=rows,
            units="crimes, count and share of crimes reported",
            source=ctx.source_text("policeuk_street", "policeuk_outcomes"),
            notes=notes,
        )
    ]
    chosen = b_shares if small or not w_shares else w_shares
    blocks.append(
        BarChart(
            title=f"Share of crimes by outcome, {'the borough' if chosen is b_shares else name}, {span}",
            labels=[s.group for s in chosen],
            values=[s.share for s in chosen],
            lower=[s.lower for s in chosen],
            upper=[s.upper for s in chosen],
            value_format="pct",
            alt_text="Bar chart of the share of crimes in each outcome group, with 95% intervals.",
        )
    )
    section.blocks += blocks
    return section
