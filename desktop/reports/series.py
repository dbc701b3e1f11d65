"""One theme's monthly figures for every ward of the borough, with each ward's coverage, and the one way a pack
compares two periods of them (`Series.change`), so no table, tile or sentence can compare periods the data does not
fully cover."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.analysis import dispersion, frames, spc
from desktop.analysis.breaks import Break, find_breaks, fold
from desktop.analysis.change import Change, compare_covered
from desktop.analysis.coverage import EMPTY, Coverage, area_coverage, area_facts, theme_types
from desktop.analysis.themes import Theme
from desktop.analysis.trend import monthly_trend
from desktop.months import month_label, months_between
from desktop.reports.build_context import Context
from desktop.reports.model import TrendChart
from desktop.store import figures

if TYPE_CHECKING:
    import pandas as pd

Period = tuple[str, str]


@dataclass
class Series:
    """One theme's counts (ward_code, month, group, count) for the borough's wards, and each ward's coverage."""

    key: str
    label: str
    unit: str  # "recorded crimes" / "ASB incidents"
    frame: pd.DataFrame
    coverage: dict[str, Coverage]  # ward code -> the months its figures fully cover
    wards: list[str]  # every ward of the comparison (the borough's), whether or not it has figures
    sensitive: bool = False
    source: str = ""
    note: str = ""
    breaks: list[Break] = field(default_factory=list)  # relabelled categories inside the comparison window
    frozen: dict[str, str] = field(default_factory=dict)  # group -> why it is not compared (an unbridged break)
    broken: str = ""  # why the whole series is not compared (a theme made of sub-categories that were relabelled)
    # the two 12-month periods a ward's month-to-month dispersion is estimated over (docs/methods.md)
    blocks: tuple[Period, Period] | None = None
    _phi: dict[tuple[str | None, str | None], dispersion.Dispersion] = field(default_factory=dict)
    _monthly: dict[tuple[str, str | None], dict[str, float]] = field(default_factory=dict)
    _sums: dict[tuple[str, str], dict[tuple[str, str], int]] = field(default_factory=dict)
    _rows: list[tuple[str, str, str, int]] = field(default_factory=list)
    _by_ward: dict[tuple[str, str], dict[str, dict[str, int]]] = field(default_factory=dict)

    # --- coverage and comparison ------------------------------------------------------------------------------

    def cover(self, code: str | None = None) -> Coverage:
        """A ward's coverage; for None, the borough's (months complete for every ward)."""
        if code is not None:
            return self.coverage.get(code, EMPTY)
        found = [self.coverage.get(c, EMPTY) for c in self.wards]
        if not found:
            return EMPTY
        out = found[0]
        for one in found[1:]:
            out = out & one
        return out

    def change(self, code: str | None, current: Period, previous: Period, group: str | None = None) -> Change:
        """The change from `previous` to `current` for a ward (None: the borough), or one of its groups (table
        rows): compared only when the ward's (or borough's) figures fully cover both periods."""
        cov = self.cover(code)
        span = len(months_between(*current))
        cur_months, prev_months = cov.count(*current), cov.count(*previous)
        reason = self.broken or (self.frozen.get(group, "") if group is not None else "")
        found = dispersion.NONE
        if cur_months >= span and prev_months >= span and not reason:
            found = self.dispersion(code, group)
        return compare_covered(
            self.count(code, current, group),
            self.count(code, previous, group),
            cur_months,
            prev_months,
            span,
            reason,
            found,
        )

    def monthly(self, code: str | None, group: str | None = None) -> dict[str, float]:
        """month -> count for a ward (None: every ward of the borough), all groups or one."""
        if not self._monthly:
            for ward, grp, month, count in self._cells():
                for key in ((ward, grp), (ward, None), ("", grp), ("", None)):
                    one = self._monthly.setdefault(key, {})
                    one[month] = one.get(month, 0.0) + count
        return dict(self._monthly.get((code or "", group), {}))

    def dispersion(self, code: str | None, group: str | None = None) -> dispersion.Dispersion:
        """The ward's (or borough's) month-to-month dispersion over the two comparison years, each month expected
        to follow the pattern of the rest of the borough (a borough has no wider pattern here: its months are taken
        as flat within each year)."""
        key = (code, group)
        if key not in self._phi:
            if self.blocks is None:
                self._phi[key] = dispersion.NONE
            else:
                cov = self.cover(code)
                counts = self.monthly(code, group)
                held = [[m for m in months_between(*b) if m in cov.complete] for b in self.blocks]
                full = {m: counts.get(m, 0.0) for b in held for m in b}
                pattern = None
                if code is not None:  # the rest of the borough: a big ward does not set its own pattern
                    borough = self.monthly(None, group)
                    pattern = {m: borough.get(m, 0.0) - counts.get(m, 0.0) for m in full}
                self._phi[key] = dispersion.estimate(full, held, pattern)
        return self._phi[key]

    def count(self, code: str | None, period: Period, group: str | None = None) -> int:
        codes = self.wards if code is None else [code]
        if group is not None:
            return sum(self.groups(c, *period).get(group, 0) for c in codes)
        return sum(self.totals(*period, codes).values())

    # --- sums ---------------------------------------------------------------------------------------------

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

    def has_data(self) -> bool:
        return bool(len(self.frame))


def _theme_types(theme: Theme, taxonomy: str) -> frozenset[str] | None:
    if taxonomy == "mps":
        return theme_types(theme.mps_major) if theme.mps_major and not theme.mps_minor else None
    return theme_types(theme.policeuk)


def crime_coverage(ctx: Context, theme: Theme) -> dict[str, Coverage]:
    """Each ward's coverage for a crime theme, in the taxonomy its figures come from."""
    out: dict[str, Coverage] = {}
    for taxonomy in ("mps", "policeuk"):
        key = f"facts:{taxonomy}"
        if key not in ctx.cache:  # the same for every theme: worked out once per pack
            rows = ctx.crime[ctx.crime["taxonomy"] == taxonomy]
            files = frames.series_months(ctx.db, "crime_count", taxonomy)
            ctx.cache[key] = (area_facts(rows, files), files)
        facts, files = ctx.cache[key]
        if facts:
            out.update(area_coverage(facts, files, _theme_types(theme, taxonomy), lists_every_area=taxonomy == "mps"))
    return out


def _breaks(ctx: Context, theme: Theme, frame: pd.DataFrame) -> tuple[list[Break], dict[str, str], str]:
    """Relabelled Met categories inside the comparison window: the breaks, the table rows (groups) they stop from
    comparing, and why the whole theme cannot compare (a theme made of sub-categories that changed); bridged
    breaks rename their members' rows to the concordance group's label in `frame`."""
    rows = frame[(frame["taxonomy"] == "mps") & (frame["month"] >= ctx.periods.previous[0])]
    if rows.empty:
        return [], {}, ""
    level = "major" if theme.breakdown == "major" else "minor"
    keys = ["category", "subcategory"] if level == "minor" else ["category"]
    spans_frame = rows.groupby(keys)["month"].agg(["min", "max"])
    spans = {
        (k if isinstance(k, tuple) else (k, "")): (str(a), str(b))
        for k, a, b in zip(spans_frame.index.tolist(), spans_frame["min"], spans_frame["max"], strict=True)
    }
    found = find_breaks(spans, rows["month"].unique().tolist(), level)
    frozen: dict[str, str] = {}
    broken = ""
    minors = {fold(m) for m in theme.mps_minor}
    for brk in found:
        reason = f"categories relabelled in {month_label(brk.month, 'short')}"
        if brk.group is not None:
            members = frame["category"].map(fold).eq(brk.parent) & frame["subcategory"].map(fold).isin(
                brk.group.members
            )
            frame.loc[members, "group"] = brk.group.label
            if minors and not brk.group.members <= minors and minors & brk.group.members:
                broken = reason  # the theme holds only some of the group's members: it changed meaning
            continue
        if level == "minor":
            in_major = frame["category"].map(fold).eq(brk.parent)
            affected = set(frame.loc[in_major, "group"])
        else:
            affected = set(frame.loc[frame["category"].map(fold).isin(brk.changed), "group"])
        frozen.update(dict.fromkeys(affected, reason))
        if minors and any(fold(g) in minors for g in affected):
            broken = reason
    return found, frozen, broken


def crime_series(ctx: Context, theme: Theme) -> Series:
    key = f"series:{theme.key}"
    if key not in ctx.cache:
        frame = frames.theme_frame(ctx.crime, theme)
        breaks, frozen, broken = _breaks(ctx, theme, frame)
        ctx.cache[key] = Series(
            key=theme.key,
            label=theme.label,
            unit="recorded crimes",
            frame=frame[["ward_code", "month", "group", "count"]],
            coverage=crime_coverage(ctx, theme),
            wards=ctx.ward_codes,
            sensitive=ctx.sensitive(theme),
            source=ctx.source_text("mps_crime", "mps_crime_long", "policeuk_street"),
            note=theme.note,
            breaks=breaks,
            frozen=frozen,
            broken=broken,
            blocks=(ctx.periods.r12, ctx.periods.previous),
        )
    series: Series = ctx.cache[key]
    return series


def asb_series(ctx: Context) -> Series:
    if "series:asb" not in ctx.cache:
        files = frames.series_months(ctx.db, "asb_count")
        held = [m for s in files.values() for m in s.files]
        end = max([ctx.periods.reference, *held])
        frame = figures.asb_frame(ctx.db, ctx.ward_codes, ctx.window_start, end)
        coverage = area_coverage(area_facts(frame, files), files, None, lists_every_area=False)
        frame["group"] = "Anti-social behaviour incidents"
        ctx.cache["series:asb"] = Series(
            key="asb",
            label="Anti-social behaviour",
            unit="ASB incidents",
            frame=frame[["ward_code", "month", "group", "count"]],
            coverage=coverage,
            wards=ctx.ward_codes,
            source=ctx.source_text("asb", "policeuk_street"),
            blocks=(ctx.periods.r12, ctx.periods.previous),
        )
    series: Series = ctx.cache["series:asb"]
    return series


def restart_months(series: Series) -> list[str]:
    """Months where the theme's own meaning changed (an unbridged relabelling of the categories it is made of):
    its SPC limits restart there. A relabelling inside the theme that leaves its total whole (a frozen table row)
    does not break the monthly total."""
    if not series.broken:
        return []
    return sorted({b.month for b in series.breaks if not b.bridged})


def trend_chart(ctx: Context, series: Series, codes: list[str] | None, title: str, area: str = "") -> TrendChart:
    """The monthly SPC chart of one ward (or, for None, the borough): months the ward's figures do not cover are
    gaps, its partial months are drawn provisional and are never special causes, and the limits restart at a
    series break (analysis/spc.py)."""
    cov = series.cover(codes[0] if codes and len(codes) == 1 else None)
    trend = monthly_trend(series.months(codes), ctx.periods.reference, cov.held, cov.partial)
    prov = [m for m, p in zip(trend.months, trend.provisional, strict=True) if p]
    result = spc.spc(trend.months, trend.values, trend.provisional, restart_months(series))
    alt = f"{title}: {len(trend.months)} months"
    summary = ""
    chart = TrendChart(
        title=title,
        months=trend.months,
        values=trend.values,
        rolling=trend.rolling,
        provisional=trend.provisional,
        y_label=f"{series.unit} a month",
    )
    if result.has_limits():
        chart.centre = [lim.centre if lim else None for lim in result.limits]
        chart.lower = [max(0.0, lim.lower) if lim else None for lim in result.limits]
        chart.upper = [lim.upper if lim else None for lim in result.limits]
        chart.special = [
            f"{s.side}:{s.rule}" if (s := result.signal(i)) is not None else "" for i in range(len(trend.months))
        ]
        last = spc.latest_index(result, trend.provisional)
        counted = [
            i for i, (v, p) in enumerate(zip(trend.values, trend.provisional, strict=True)) if v is not None and not p
        ]
        if counted and last != counted[-1]:  # never a sentence about an older month (a reviewer's April in a June pack)
            i = counted[-1]
            summary = (
                f"{month_label(trend.months[i])}'s {trend.values[i]:,.0f} has no usual range to compare with: "
                "fewer than 12 complete months since the figures restarted (after a gap, or a change of categories)."
            )
        elif last is not None:
            summary = spc.sentence(result, last, area or ctx.borough or "the borough", month_label(trend.months[last]))
        alt += ", with the average and the usual range (process limits)"
        flagged = sum(1 for s in chart.special if s)
        if flagged:
            alt += f"; {flagged} months outside common-cause variation"
    else:
        alt += " with the 12-month average"
    if prov:
        alt += f"; provisional: {', '.join(prov)}"
    chart.summary = summary
    chart.alt_text = alt + "." + (f" {summary}" if summary else "")
    return chart
