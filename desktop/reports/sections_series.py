"""The borough comparison table of one theme, and a ward's table by category, built from its Series (series.py)
with disclosure control, so every pack and the overview hide exactly the same cells."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.analysis.change import Change
from desktop.analysis.rates import BoroughComparison, compare_with_borough, is_high_footfall, rate_per_1000
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import BOROUGH, display_name, plan
from desktop.reports.fair import Fair, fair
from desktop.reports.model import CellValue, Column, Table
from desktop.reports.series import Series, asb_series, crime_series, trend_chart

__all__ = ["Series", "asb_series", "category_table", "crime_series", "trend_chart", "ward_comparison"]


@dataclass
class WardComparison:
    """Every ward's R12 and previous R12 for one theme, the hidden cells, and the table that shows them."""

    r12: dict[str, int]
    previous: dict[str, int]
    changes: dict[str, Change]
    hidden: set[str]  # ward codes whose R12 or previous count is hidden (public packs, sensitive themes)
    borough_hidden: bool
    ranked: bool  # every ward's last 12 months complete, so ranks and shares mean something
    borough_change: Change
    table: Table
    fair: Fair | None = None  # where each shown ward sits on the funnel plot (reports/fair.py)

    def comparison(self, ctx: Context, code: str) -> BoroughComparison:
        return compare_with_borough(
            code,
            {c: float(v) for c, v in self.r12.items()},
            ctx.populations,
            is_high_footfall(ctx.names.get(code, ""), ctx.settings.high_footfall_wards),
        )


COVERAGE_NOTE = (
    "No change is given where the store does not hold complete figures for every month of both periods; the "
    "Significance column then says how many months it holds, and a part-year previous total is not shown."
)
RANK_NOTE = "Ranks and shares are not given: not every ward's figures cover all 12 months."


def ward_comparison(ctx: Context, series: Series) -> WardComparison:
    key = f"wards:{series.key}"
    if key in ctx.cache:
        cached: WardComparison = ctx.cache[key]
        return cached
    codes = ctx.ward_codes
    p = ctx.periods
    r12 = series.totals(*p.r12, codes)
    prev = series.totals(*p.previous, codes)
    changes = {c: series.change(c, p.r12, p.previous) for c in codes}
    borough_change = series.change(None, p.r12, p.previous)
    ranked = series.cover(None).covers(*p.r12)  # ranks and shares only when every ward's year is complete
    order = sorted(codes, key=lambda c: (-r12[c], ctx.names[c]))
    values = [[r12[c], prev[c]] for c in order] + [[sum(r12.values()), sum(prev.values())]]
    texts = _plan_texts(ctx, series, [*order, BOROUGH], series.label)
    hidden_rows = {r for r, _ in texts}
    hidden_codes = {order[r] for r in hidden_rows if r < len(order)}
    found = fair(ctx, r12, hidden_codes, ranked)
    pops = ctx.populations
    rows: list[list[CellValue]] = []
    for r, (code, (cur, before)) in enumerate(zip([*order, ""], values, strict=True)):
        name = ctx.names[code] if code else f"{ctx.borough or 'All wards'} (all wards)"
        change = changes[code] if code else borough_change
        # a previous total is shown only when it covers its whole year: a part-year total invites a false comparison
        row: list[CellValue] = [name, cur, before if change.comparable else None, None, "", None, None, None, ""]
        for col in (0, 1):
            if (r, col) in texts:
                row[1 + col] = texts[(r, col)]
        if r not in hidden_rows:
            pct = change.pct
            row[3] = None if pct is None else pct / 100
            row[4] = change.label
            pop = sum(p or 0 for p in pops.values()) if not code else pops.get(code)
            row[5] = rate_per_1000(cur, pop) if (code or all(pops.values())) and change.complete else None
            if ranked:
                row[6] = (1 + sum(1 for c in codes if r12[c] > cur)) if code else None
                if len(order) not in hidden_rows and values[-1][0]:
                    row[7] = cur / values[-1][0]
            if code and found is not None:
                row[8] = found.text(code)
        rows.append(row)
    focus = ctx.ward["code"] if ctx.ward else None
    notes = _comparison_notes(ctx, series, bool(texts))
    if any(not ch.comparable and not ch.reason for ch in [*changes.values(), borough_change]):
        notes.insert(0, COVERAGE_NOTE)
    if not ranked:
        notes.insert(0, RANK_NOTE)
    table = Table(
        key=f"wards_{series.key}"[:31],
        title=f"{series.label}: all wards of {ctx.borough or 'the borough'}, {p.label}",
        columns=[
            Column("Ward", "text", 2.2),
            Column("Last 12 months", "int", 0.9),
            Column("Previous 12 months", "int", 0.9),
            Column("Change", "signed_pct", 0.7),
            Column("Significance", "text", 1.7),
            Column("Per 1,000 residents", "rate", 0.9),
            Column("Rank", "int", 0.5),
            Column("Share of borough", "share", 0.7),
            Column("For its size", "text", 1.2),
        ],
        rows=rows,
        units=f"{series.unit}, count; rate per 1,000 residents; rank 1 = most; share of the borough's total; "
        "for its size: the ward's rate against the funnel plot's limits",
        source=series.source,
        notes=notes,
        highlight_rows=[i for i, c in enumerate(order) if c == focus],
        total_row=True,
    )
    result = WardComparison(
        r12=r12,
        previous=prev,
        changes=changes,
        hidden=hidden_codes,
        borough_hidden=len(order) in hidden_rows,
        ranked=ranked,
        borough_change=borough_change,
        table=table,
        fair=found,
    )
    ctx.cache[key] = result
    return result


def _plan_texts(ctx: Context, series: Series, areas: list[str], measure: str) -> dict[tuple[int, int], str]:
    """(row, 0 = last 12 months | 1 = previous) -> "<5" / "[c]" for the hidden cells of these areas' rows."""
    if series.key == "asb":
        return {}
    found = plan(ctx)
    out: dict[tuple[int, int], str] = {}
    for r, area in enumerate(areas):
        for col, period in enumerate(("r12", "prev")):
            text = found.text(area, measure, period)
            if text is not None:
                out[(r, col)] = text
    return out


def _comparison_notes(ctx: Context, series: Series, hidden: bool) -> list[str]:
    notes = []
    if hidden:
        notes.append(suppression_note(ctx.threshold))
    footfall = [n for n in ctx.names.values() if is_high_footfall(n, ctx.settings.high_footfall_wards)]
    if footfall:
        notes.append(
            f"Rates per resident mislead for {', '.join(footfall)}: very large numbers of visitors, workers and "
            "commuters are not residents."
        )
    if any(not p for p in ctx.populations.values()):
        notes.append("Rates are blank where the store has no population for the ward.")
    return notes


def suppression_note(threshold: int) -> str:
    return (
        f"To protect victims, counts of 1 to {threshold - 1} are shown as <{threshold}, and [c] marks a further "
        f"count hidden so that a number under {threshold} cannot be worked out by subtraction."
    )


def category_table(ctx: Context, series: Series, code: str) -> Table:
    """The ward's categories in the theme: R12, previous, change, significance, rate; with a total row. Hidden
    cells come from the borough's disclosure plan (disclosure_plan.py); changes from `Series.change`, so a
    period the ward's figures do not fully cover is never compared."""
    p = ctx.periods
    cur = series.groups(code, *p.r12)
    before = series.groups(code, *p.previous)
    groups = sorted(set(cur) | set(before), key=lambda g: (-cur.get(g, 0), g))
    changes = [series.change(code, p.r12, p.previous, group=g) for g in groups]
    changes.append(series.change(code, p.r12, p.previous))
    texts: dict[tuple[int, int], str] = {}
    if series.key != "asb":
        found = plan(ctx)
        for r, group in enumerate([*groups, series.label]):
            for col, period in enumerate(("r12", "prev")):
                text = found.text(code, display_name(group), period)
                if text is not None:
                    texts[(r, col)] = text
    pop = ctx.populations.get(code)
    rows: list[list[CellValue]] = []
    for r, name in enumerate([*(display_name(g) for g in groups), f"Total: {series.label.lower()}"]):
        change = changes[r]
        row: list[CellValue] = [
            name,
            change.current,
            change.previous if change.comparable else None,
            None,
            None,
            "",
            None,
        ]
        hidden = False
        for col in (0, 1):
            if (r, col) in texts:
                row[1 + col] = texts[(r, col)]
                hidden = True
        if not hidden:
            row[3] = change.difference if change.comparable else None
            row[4] = None if change.pct is None else change.pct / 100
            row[5] = change.label
            row[6] = rate_per_1000(change.current, pop) if change.complete else None
        rows.append(row)
    notes = [suppression_note(ctx.threshold)] if texts else []
    if any(not ch.comparable and not ch.reason for ch in changes):
        notes.insert(0, COVERAGE_NOTE)
    if any(ch.reason for ch in changes):
        notes.insert(0, "No change is given for categories the Met relabelled within these two years (see above).")
    if series.note:
        notes.append(series.note)
    if is_high_footfall(ctx.names.get(code, ""), ctx.settings.high_footfall_wards):
        notes.append("Rates per resident overstate the risk here: most people in the ward are visitors or workers.")
    return Table(
        key=f"cat_{series.key}"[:31],
        title=f"{series.label} in {ctx.names.get(code, code)} by category, {p.label} against the 12 months before",
        columns=[
            Column("Category", "text", 2.4),
            Column("Last 12 months", "int", 0.9),
            Column("Previous 12 months", "int", 0.9),
            Column("Difference", "int", 0.9),
            Column("Change", "signed_pct", 0.7),
            Column("Significance", "text", 1.9),
            Column("Per 1,000 residents", "rate", 0.9),
        ],
        rows=rows,
        units=f"{series.unit}, count; rate per 1,000 residents (last 12 months)",
        source=series.source,
        notes=notes,
        total_row=True,
    )
