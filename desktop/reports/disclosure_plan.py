"""Disclosure control across a whole public pack, and across every pack of the borough.

The same count appears in several places: a ward's theft total is a row of its all-crime table, the total of its
theft table, a line of the borough's theft comparison (shown in every ward's pack and the overview), a tile, a
sentence. Hiding a cell in one table is useless if another table shows it, and a cell chosen to protect a small
count in one table may be a total or a part in another. So the plan puts every count the packs can show into one
system: each cell is (area, measure, period), each table line with a total is an equation, and secondary
suppression runs over all of them together (desktop/analysis/disclosure.py), preferring cells that appear in only
one table. Every table then takes its hidden cells from the plan, so all packs of a borough hide the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from desktop.analysis import disclosure
from desktop.analysis.themes import Theme, bundled_themes, theme_map
from desktop.reports.build_context import Context
from desktop.reports.series import Series, crime_series

BOROUGH = "\x00borough"
Key = tuple[str, str, str]  # (ward code or BOROUGH, measure name folded, "r12" | "prev")


def fold(name: str) -> str:
    return " ".join(str(name).split()).casefold()


@lru_cache(maxsize=1)
def aliases() -> dict[str, str]:
    """A category's folded name -> the label of the theme that is exactly that category ('vehicle offences' ->
    'Vehicle crime'), so one count has one name wherever it is shown."""
    out: dict[str, str] = {}
    for theme in theme_map().values():
        if not theme.is_crime:
            continue
        if len(theme.mps_major) == 1 and not theme.mps_minor and theme.mps_major[0] != "*":
            out[fold(theme.mps_major[0])] = theme.label
        if len(theme.mps_minor) >= 1 and not theme.mps_major:
            for minor in theme.mps_minor:
                out[fold(minor)] = theme.label
    return out


def display_name(group: str) -> str:
    return aliases().get(fold(group), group)


@dataclass
class Plan:
    threshold: int
    primary: set[Key] = field(default_factory=set)
    secondary: set[Key] = field(default_factory=set)

    def text(self, area: str, measure: str, period: str) -> str | None:
        key = (area, fold(measure), period)
        if key in self.primary:
            return f"<{self.threshold}"
        if key in self.secondary:
            return disclosure.SECONDARY
        return None

    def hides(self, area: str, measure: str) -> bool:
        return any(self.text(area, measure, p) is not None for p in ("r12", "prev"))


def _themes(ctx: Context) -> list[Theme]:
    """Every crime theme whose figures a pack of this borough can show: the chosen ones, all crime, the sensitive
    ones, and whole-category themes a tile may fall back to."""
    chosen = {t.key for t in ctx.chosen("crime")}
    out = []
    for theme in theme_map().values():
        if not (theme.is_crime and theme.has_categories):
            continue
        if theme.key in chosen or theme.key == "all_crime" or ctx.sensitive(theme) or theme.mps_major:
            out.append(theme)
    return out


def plan(ctx: Context) -> Plan:
    """The borough's disclosure plan for these options (cached on the context); empty for internal packs."""
    if "plan" in ctx.cache:
        cached: Plan = ctx.cache["plan"]
        return cached
    result = Plan(ctx.threshold)
    ctx.cache["plan"] = result
    if not ctx.public:
        return result
    values: dict[Key, int] = {}
    sensitive: set[Key] = set()
    lines: list[tuple[list[Key], Key]] = []
    chosen = {t.key for t in ctx.chosen("crime")}
    codes = ctx.ward_codes
    periods = {"r12": ctx.periods.r12, "prev": ctx.periods.previous}
    for theme in _themes(ctx):
        series = crime_series(ctx, theme)
        name = fold(theme.label)
        for pid, (start, end) in periods.items():
            if pid == "prev" and not any(series.cover(c).covers(start, end) for c in codes):
                continue  # no previous figures are shown
            totals = series.totals(start, end, codes)
            for code in codes:
                values[(code, name, pid)] = totals[code]
                if ctx.sensitive(theme):
                    sensitive.add((code, name, pid))
            values[(BOROUGH, name, pid)] = sum(totals.values())
            if ctx.sensitive(theme):  # a whole borough's small count is as disclosive as a ward's
                sensitive.add((BOROUGH, name, pid))
            lines.append(([(c, name, pid) for c in codes], (BOROUGH, name, pid)))
            if theme.key not in chosen:
                continue
            for code in codes:
                groups = set(series.groups(code, *ctx.periods.r12)) | set(series.groups(code, *ctx.periods.previous))
                if len(groups) < 2:
                    continue  # no category table is shown for a single category
                counts = series.groups(code, start, end)
                parts = []
                for group in groups:
                    key = (code, fold(display_name(group)), pid)
                    values[key] = counts.get(group, 0)
                    if sensitive_group(ctx, series, group):
                        sensitive.add(key)
                    parts.append(key)
                lines.append((parts, (code, name, pid)))
    keys = sorted(values)
    index = {k: i for i, k in enumerate(keys)}
    grid = [[values[k]] for k in keys]
    flags = [[k in sensitive] for k in keys]
    constraints = [disclosure.Constraint(tuple((index[p], 0) for p in parts), (index[t], 0)) for parts, t in lines]
    seen: dict[Key, int] = {}
    for parts, total in lines:
        for k in [*parts, total]:
            seen[k] = seen.get(k, 0) + 1
    # ward-level theme totals are shown in many places (tiles, sentences, several tables): hide them last
    shown_widely = {(index[k], 0) for k in keys if seen.get(k, 0) > 1 or (k[0] != BOROUGH and k[1] in _labels())}
    sup = disclosure.suppress(grid, flags, ctx.threshold, constraints, avoid=shown_widely)
    result.primary = {keys[r] for r, _ in sup.primary}
    result.secondary = {keys[r] for r, _ in sup.secondary}
    return result


def _labels() -> set[str]:
    return {fold(t.label) for t in theme_map().values() if t.is_crime}


def sensitive_group(ctx: Context, series: Series, group: str) -> bool:
    if series.sensitive:
        return True
    themes = ctx.cache.get("sensitive_themes")
    if themes is None:
        themes = [t for t in bundled_themes() if ctx.sensitive(t) and t.has_categories]
        ctx.cache["sensitive_themes"] = themes
    return any(t.matches("mps", group, "") or t.matches("mps", "", group) for t in themes)


# --- maps and location tables ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationRule:
    """What a map or a table of places may show for a theme (reports/where.py). police.uk places are a second view
    of the same crimes the plan protects, so in a public pack a sensitive theme shows no points and no places
    table, prints no cell from 1 to threshold-1 (it reads "<5"), and prints no total its cells could be taken from.
    """

    points: bool  # numbered markers and the table of places
    floor: int  # counts from 1 to floor-1 print as "<floor"; 0 = every count prints
    total: bool  # the ward's police.uk total may be printed beside the cells

    def text(self, count: int) -> str:
        if self.floor and 0 < count < self.floor:
            return disclosure.primary_text(self.floor)
        return f"{count:,}"


def location_rule(ctx: Context, theme: Theme) -> LocationRule:
    if ctx.public and ctx.sensitive(theme):
        return LocationRule(points=False, floor=ctx.threshold, total=False)
    return LocationRule(points=True, floor=0, total=True)


def small_counts(counts: list[int], threshold: int, with_total: bool = True) -> list[str]:
    """Counts of the parts of one whole (e.g. searches by ethnicity), as printed in a public pack: 1 to threshold-1
    read "<threshold", and further cells hide ("[c]") so none can be worked out from the total (analysis/disclosure.py).
    With `with_total` the last text is the total's."""
    values = [[c] for c in counts] + ([[sum(counts)]] if with_total else [])
    sensitive = [[True] for _ in counts] + ([[False]] if with_total else [])
    constraints = disclosure.column_constraints(len(counts), [0]) if with_total else []
    hidden = disclosure.suppress(values, sensitive, threshold, constraints)
    return [hidden.text((r, 0), threshold) or f"{row[0]:,}" for r, row in enumerate(values)]
