"""Monthly figures of one theme for every ward of the borough, and the borough comparison table built from them
(with disclosure control, so every pack and the overview hide exactly the same cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.analysis import queries
from desktop.analysis.change import Change, compare, unavailable
from desktop.analysis.rates import BoroughComparison, compare_with_borough, is_high_footfall, rate_per_1000
from desktop.analysis.themes import Theme
from desktop.analysis.trend import monthly_trend
from desktop.months import months_between
from desktop.reports.build_context import Context
from desktop.reports.disclosure_plan import BOROUGH, display_name, plan
from desktop.reports.model import CellValue, Column, Table, TrendChart

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Series:
    """One theme's counts (ward_code, month, group, count) for the borough's wards."""

    key: str
    label: str
    unit: str  # "recorded crimes" / "ASB incidents"
    frame: pd.DataFrame
    covered: set[str]
    partial: set[str]
    sensitive: bool = False
    source: str = ""
    note: str = ""
    _sums: dict[tuple[str, str], dict[tuple[str, str], int]] = field(default_factory=dict)
    _rows: list[tuple[str, str, str, int]] = field(default_factory=list)
    _by_ward: dict[tuple[str, str], dict[str, dict[str, int]]] = field(default_factory=dict)

    def _cells(self) -> list[tuple[str, str, str, int]]:
        """(ward, group, month, count) rows, summed once; period sums then run over plain tuples (pandas'
        per-call overhead would otherwise dominate: a pack asks for ~70 period sums)."""
        key = ("", "")
        if key not in self._sums:
            sums = self.frame.groupby(["ward_code", "group", "month"])["count"].sum()
            self._rows = [
                (str(w), str(g), str(m), int(v))
                for (w, g, m), v in zip(sums.index.tolist(), sums.tolist(), strict=True)
            ]
            self._sums[key] = {}
        return self._rows

    def _period(self, start: str, end: str) -> dict[tuple[str, str], int]:
        """(ward, group) -> count over start..end, computed once per period (every ward and table reuses it)."""
        key = (start, end)
        if key not in self._sums:
            out: dict[tuple[str, str], int] = {}
            for ward, group, month, count in self._cells():
                if start <= month <= end:
                    out[(ward, group)] = out.get((ward, group), 0) + count
            self._sums[key] = out
        return self._sums[key]

    def totals(self, start: str, end: str, codes: list[str]) -> dict[str, int]:
        out = dict.fromkeys(codes, 0)
        for (ward, _), value in self._period(start, end).items():
            if ward in out:
                out[ward] += value
        return out

    def months(self, codes: list[str] | None = None) -> dict[str, float]:
        f = self.frame if codes is None else self.frame[self.frame["ward_code"].isin(codes)]
        return {str(k): float(v) for k, v in f.groupby("month")["count"].sum().items()}

    def groups(self, code: str, start: str, end: str) -> dict[str, int]:
        key = (start, end)
        if key not in self._by_ward:
            by_ward: dict[str, dict[str, int]] = {}
            for (w, g), v in self._period(start, end).items():
                by_ward.setdefault(w, {})[g] = v
            self._by_ward[key] = by_ward
        return dict(self._by_ward[key].get(code, {}))

    def covers(self, start: str, end: str) -> bool:
        """Whether the store holds figures for every month from start to end."""
        return set(months_between(start, end)) <= self.covered

    def has_data(self) -> bool:
        return bool(len(self.frame))


def crime_series(ctx: Context, theme: Theme) -> Series:
    key = f"series:{theme.key}"
    if key not in ctx.cache:
        frame = queries.theme_frame(ctx.crime, theme)
        ctx.cache[key] = Series(
            key=theme.key,
            label=theme.label,
            unit="recorded crimes",
            frame=frame[["ward_code", "month", "group", "count"]],
            covered=ctx.crime_covered,
            partial=ctx.crime_partial,
            sensitive=ctx.sensitive(theme),
            source=ctx.source_text("mps_crime", "mps_crime_long", "policeuk_street"),
            note=theme.note,
        )
    series: Series = ctx.cache[key]
    return series


def asb_series(ctx: Context) -> Series:
    if "series:asb" not in ctx.cache:
        end = max([ctx.periods.reference, *queries.covered_months(ctx.db, "asb_count")])
        frame = queries.asb_frame(ctx.db, ctx.ward_codes, ctx.window_start, end)
        frame["group"] = "Anti-social behaviour incidents"
        ctx.cache["series:asb"] = Series(
            key="asb",
            label="Anti-social behaviour",
            unit="ASB incidents",
            frame=frame[["ward_code", "month", "group", "count"]],
            covered=queries.covered_months(ctx.db, "asb_count"),
            partial=queries.partial_months(ctx.db, "asb_count"),
            source=ctx.source_text("asb", "policeuk_street"),
        )
    series: Series = ctx.cache["series:asb"]
    return series


def trend_chart(ctx: Context, series: Series, codes: list[str] | None, title: str) -> TrendChart:
    trend = monthly_trend(series.months(codes), ctx.periods.reference, series.covered, series.partial)
    prov = [m for m, p in zip(trend.months, trend.provisional, strict=True) if p]
    alt = f"{title}: {len(trend.months)} months with the 12-month average"
    if prov:
        alt += f"; provisional: {', '.join(prov)}"
    return TrendChart(
        title=title,
        months=trend.months,
        values=trend.values,
        rolling=trend.rolling,
        provisional=trend.provisional,
        y_label=f"{series.unit} a month",
        alt_text=alt + ".",
    )


@dataclass
class WardComparison:
    """Every ward's R12 and previous R12 for one theme, the hidden cells, and the table that shows them."""

    r12: dict[str, int]
    previous: dict[str, int]
    changes: dict[str, Change]
    hidden: set[str]  # ward codes whose R12 or previous count is hidden (public packs, sensitive themes)
    borough_hidden: bool
    table: Table

    def comparison(self, ctx: Context, code: str) -> BoroughComparison:
        return compare_with_borough(
            code,
            {c: float(v) for c, v in self.r12.items()},
            ctx.populations,
            is_high_footfall(ctx.names.get(code, ""), ctx.settings.high_footfall_wards),
        )


def ward_comparison(ctx: Context, series: Series) -> WardComparison:
    key = f"wards:{series.key}"
    if key in ctx.cache:
        cached: WardComparison = ctx.cache[key]
        return cached
    codes = ctx.ward_codes
    r12 = series.totals(*ctx.periods.r12, codes)
    comparable = series.covers(*ctx.periods.previous)
    prev = series.totals(*ctx.periods.previous, codes)
    order = sorted(codes, key=lambda c: (-r12[c], ctx.names[c]))
    values = [[r12[c], prev[c]] for c in order] + [[sum(r12.values()), sum(prev.values())]]
    texts = _plan_texts(ctx, series, [*order, BOROUGH], series.label)
    hidden_rows = {r for r, _ in texts}
    pops = ctx.populations
    changes = {c: compare(r12[c], prev[c]) if comparable else unavailable(r12[c]) for c in codes}
    rows: list[list[CellValue]] = []
    for r, (code, (cur, before)) in enumerate(zip([*order, ""], values, strict=True)):
        name = ctx.names[code] if code else f"{ctx.borough or 'All wards'} (all wards)"
        change = changes[code] if code else compare(cur, before) if comparable else unavailable(cur)
        row: list[CellValue] = [name, cur, before if comparable else None, None, "", None, None, None]
        for col in (0, 1):
            if (r, col) in texts:
                row[1 + col] = texts[(r, col)]
        if r not in hidden_rows:
            pct = change.pct
            row[3] = None if pct is None else pct / 100
            row[4] = change.label
            pop = sum(p or 0 for p in pops.values()) if not code else pops.get(code)
            row[5] = rate_per_1000(cur, pop) if (code or all(pops.values())) else None
            row[6] = (1 + sum(1 for c in codes if r12[c] > cur)) if code else None
            if len(order) not in hidden_rows and values[-1][0]:
                row[7] = cur / values[-1][0]
        rows.append(row)
    focus = ctx.ward["code"] if ctx.ward else None
    table = Table(
        key=f"wards_{series.key}"[:31],
        title=f"{series.label}: all wards of {ctx.borough or 'the borough'}, {ctx.periods.label}",
        columns=[
            Column("Ward", "text", 2.2),
            Column("Last 12 months", "int", 0.9),
            Column("Previous 12 months", "int", 0.9),
            Column("Change", "signed_pct", 0.7),
            Column("Significance", "text", 1.7),
            Column("Per 1,000 residents", "rate", 0.9),
            Column("Rank", "int", 0.5),
            Column("Share of borough", "pct", 0.7),
        ],
        rows=rows,
        units=f"{series.unit}, count; rate per 1,000 residents; rank 1 = most; share of the borough's total",
        source=series.source,
        notes=_comparison_notes(ctx, series, bool(texts)),
        highlight_rows=[i for i, c in enumerate(order) if c == focus],
        total_row=True,
    )
    result = WardComparison(
        r12=r12,
        previous=prev,
        changes=changes,
        hidden={order[r] for r in hidden_rows if r < len(order)},
        borough_hidden=len(order) in hidden_rows,
        table=table,
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
    cells come from the borough's disclosure plan (disclosure_plan.py)."""
    cur = series.groups(code, *ctx.periods.r12)
    comparable = series.covers(*ctx.periods.previous)
    before = series.groups(code, *ctx.periods.previous) if comparable else {}
    groups = sorted(set(cur) | set(before), key=lambda g: (-cur.get(g, 0), g))
    values = [[cur.get(g, 0), before.get(g, 0)] for g in groups]
    values.append([sum(cur.values()), sum(before.values())])
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
        a, b = values[r]
        change = compare(a, b) if comparable else unavailable(a)
        row: list[CellValue] = [name, a, b if comparable else None, None, None, "", None]
        hidden = False
        for col in (0, 1):
            if (r, col) in texts:
                row[1 + col] = texts[(r, col)]
                hidden = True
        if not hidden:
            row[3] = change.difference if comparable else None
            row[4] = None if change.pct is None else change.pct / 100
            row[5] = change.label
            row[6] = rate_per_1000(a, pop)
        rows.append(row)
    notes = [suppression_note(ctx.threshold)] if texts else []
    if series.note:
        notes.append(series.note)
    if is_high_footfall(ctx.names.get(code, ""), ctx.settings.high_footfall_wards):
        notes.append("Rates per resident overstate the risk here: most people in the ward are visitors or workers.")
    return Table(
        key=f"cat_{series.key}"[:31],
        title=f"{series.label} in {ctx.names.get(code, code)} by category, {ctx.periods.label} against the 12 months before",
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


TOTAL = "__total__"


def sensitive_group(ctx: Context, series: Series, group: str) -> bool:
    if series.sensitive:
        return True
    themes = ctx.cache.get("sensitive_themes")
    if themes is None:
        from desktop.analysis.themes import bundled_themes

        themes = [t for t in bundled_themes() if ctx.sensitive(t) and t.has_categories]
        ctx.cache["sensitive_themes"] = themes
    return any(t.matches("mps", group, "") or t.matches("mps", "", group) for t in themes)
