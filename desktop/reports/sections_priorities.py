"""Panel priorities and actions: each priority with its status, actions, and the measure before and after. When a
priority's theme names a theme of the pack (its key, or a label it starts with: "Theft and phone snatching"), the
store's own figures are added: the 12 months before the priority was set against the latest 12 months."""

from __future__ import annotations

from desktop.analysis.findings import n
from desktop.analysis.themes import Theme, theme_map
from desktop.months import add_months, month_label
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import plan
from desktop.reports.model import Paragraph, PriorityBlock, Section
from desktop.reports.sections_series import Series, asb_series, crime_series
from desktop.store.priorities import Priority, list_priorities


def _theme_for(text: str) -> Theme | None:
    wanted = " ".join(text.casefold().split())
    if not wanted:
        return None
    themes = [t for t in theme_map().values() if t.kind in ("crime", "asb") and (t.has_categories or t.kind == "asb")]
    for theme in themes:
        if wanted in (theme.key, theme.label.casefold(), theme.short_label.casefold()):
            return theme
    # a label followed by more words ("Theft and phone snatching"); short names are too loose for this
    # ("Violence against women and girls" is not violence against the person)
    starts = [t for t in themes if wanted.startswith(t.label.casefold() + " ")]
    return max(starts, key=lambda t: len(t.label), default=None)


def measured(ctx: Context, prio: Priority) -> str:
    """'Theft in the 12 months to September 2024: 30,100; in the 12 months to June 2025: 28,264 (clear fall).'
    Empty when the theme is not one of the pack's, the set-on date is unknown, or the store does not cover it."""
    theme = _theme_for(prio.theme)
    if theme is None or not prio.set_on or ctx.ward is None:
        return ""
    code = str(ctx.ward["code"])
    series: Series = asb_series(ctx) if theme.kind == "asb" else crime_series(ctx, theme)
    try:
        before_end = add_months(prio.set_on[:7], -1)
    except ValueError:
        return ""
    before_start = add_months(before_end, -11)
    if before_start < ctx.window_start or before_end >= ctx.periods.r12[1]:
        return ""
    change = series.change(code, ctx.periods.r12, (before_start, before_end))
    if not change.comparable:
        return ""  # the year before the priority, or the last year, is not fully in the store: no measure
    before, now = change.previous, change.current
    if ctx.public and series.sensitive and any(0 < v < ctx.threshold for v in (before, now)):
        return ""
    if theme.kind == "crime" and plan(ctx).hides(code, theme.label):
        return ""  # disclosure control hides this ward's figure for the theme
    return (
        f"From the store: {theme.label.lower()} in the 12 months to {month_label(before_end)} (before the priority "
        f"was set): {n(before)}; in the {ctx.periods.label}: {n(now)} ({change.label})."
    )


def priorities_section(ctx: Context) -> Section:
    section = Section("priorities", "Panel priorities and actions")
    code = str(ctx.ward["code"]) if ctx.ward else ""
    prios = list_priorities(ctx.db, code)
    if not prios:
        section.blocks.append(Paragraph("No priorities are recorded for this ward.", "caveat"))
        ctx.advise(
            "Priorities: add the panel's priorities and actions on the Priorities page (or import a priorities "
            "sheet) and they will appear with the measure before and after."
        )
        return section
    for p in prios:
        notes = " ".join(x for x in (p.notes, measured(ctx, p)) if x)
        section.blocks.append(
            PriorityBlock(
                title=p.title,
                theme=p.theme,
                status=p.status,
                set_on=p.set_on or "",
                review_date=p.review_date or "",
                measure_before=p.measure_before,
                measure_after=p.measure_after,
                actions=[(a.text, a.owner, a.due or "", a.done_on or "") for a in p.actions],
                notes=notes,
            )
        )
    return section
