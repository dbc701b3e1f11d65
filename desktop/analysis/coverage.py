"""Coverage: which months of a series a pack may use to compare two periods (Qt-free, pure).

The one rule (DESIGN §5, "coverage before comparison"): a comparison of two periods is made only when BOTH are fully
covered by complete months of the series the figures come from. Otherwise the figure is shown with how many months
it covers and no change, % or verdict. Every consumer (tiles, findings, tables, the overview, the XLSX, priorities)
asks a `Coverage`; none decides for itself.

A month of a series is complete when
- a file of that series holds the month, not flagged partial when imported (source_month), and covers the theme's
  crime types (a file filtered to burglary covers burglary, not all crime);
- the area's own figures for it are not partial (the current rows' flag) and, where the series lists every area in
  every month (the Met's ward file), the area has figures that month;
- it is not partial by the safety-net rule applied to the series' own monthly totals for the area (a file imported
  alone could not be judged against neighbours it did not have yet).
Months a series holds but that are not complete are `partial` (provisional: drawn open on charts, named once).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from desktop.months import detect_partial, months_between

ALL = "*"


@dataclass(frozen=True)
class MonthFiles:
    """What the files of one series hold for one month: whether one of them covers every crime type completely,
    the types covered completely by files filtered by type, and whether any file holds the month only partially."""

    every_type: bool = False
    some_types: frozenset[str] = frozenset()
    partial: bool = False

    def covers(self, types: frozenset[str] | None) -> bool:
        """Whether these files cover `types` completely (None: every crime type)."""
        if self.every_type:
            return True
        return types is not None and bool(types) and types <= self.some_types


def month_files(rows: Iterable[tuple[str, int, str]]) -> dict[str, MonthFiles]:
    """(month, partial, types) rows of source_month for one series -> month -> MonthFiles. `types` is '*' or a
    JSON list of category names."""
    import json

    acc: dict[str, tuple[bool, set[str], bool]] = {}
    for month, partial, types in rows:
        every, some, part = acc.get(month, (False, set(), False))
        if partial:
            part = True
        elif types == ALL:
            every = True
        else:
            some |= {str(t).upper() for t in json.loads(types)}
        acc[month] = (every, some, part)
    return {m: MonthFiles(every, frozenset(some), part) for m, (every, some, part) in acc.items()}


@dataclass(frozen=True)
class Coverage:
    """The months of one series (for one area and theme) that are complete, and those it holds only partially."""

    complete: frozenset[str] = frozenset()
    partial: frozenset[str] = frozenset()
    reasons: tuple[str, ...] = field(default=(), compare=False)  # why some months are missing or partial

    @property
    def held(self) -> frozenset[str]:
        """Months with figures, complete or not (a held month with no row for the area is a true zero)."""
        return self.complete | self.partial

    def count(self, start: str, end: str) -> int:
        """Complete months from start to end."""
        return sum(1 for m in months_between(start, end) if m in self.complete)

    def covers(self, start: str, end: str) -> bool:
        """Whether every month from start to end is complete."""
        return all(m in self.complete for m in months_between(start, end))

    def comparable(self, *periods: tuple[str, str]) -> bool:
        """The one test every comparison passes: each period fully covered by complete months."""
        return all(self.covers(*p) for p in periods)

    def provisional_in(self, start: str, end: str) -> list[str]:
        return [m for m in months_between(start, end) if m in self.partial]

    def describe(self, start: str, end: str) -> str:
        """'8 of 12 months' (the complete months of the period)."""
        return f"{self.count(start, end)} of {len(months_between(start, end))} months"

    def __and__(self, other: Coverage) -> Coverage:
        """Months complete in both (e.g. every ward of a borough); partial where either is partial."""
        complete = self.complete & other.complete
        return Coverage(
            complete,
            (self.partial | other.partial) - complete,
            tuple(dict.fromkeys(self.reasons + other.reasons)),
        )


def series_coverage(
    files: Mapping[str, MonthFiles],
    types: frozenset[str] | None,
    *,
    present: Iterable[str] | None = None,
    partial_rows: Iterable[str] = (),
    detected: Iterable[str] = (),
) -> Coverage:
    """The coverage of one area and theme in one series.

    `files`: month -> MonthFiles of the series; `types`: the theme's crime types in the series (None = every type);
    `present`: for a series that lists every area in every month, the months the area has figures (None: the
    series omits areas with nothing to count, so a month its files hold counts as zero where the area has no row);
    `partial_rows`: months whose figures for the area are flagged partial; `detected`: months the safety-net rule
    finds partial in the series' totals for the area.
    """
    flagged = set(partial_rows) | set(detected)
    there = None if present is None else set(present)
    complete: set[str] = set()
    partial: set[str] = set()
    filtered = False
    for month, held in files.items():
        if there is not None and month not in there:
            continue
        if not held.covers(types):
            if held.partial:
                partial.add(month)  # a file holds the month, but only partly counted
            else:
                filtered = True  # only files filtered to other crime types hold it: no figure for this theme
            continue
        (partial if month in flagged else complete).add(month)
    reasons = ("filtered",) if filtered else ()
    return Coverage(frozenset(complete), frozenset(partial), reasons)


EMPTY = Coverage()


def theme_types(names: Iterable[str]) -> frozenset[str] | None:
    """A theme's crime types in one taxonomy as coverage compares them (upper case); None for every type."""
    found = frozenset(" ".join(str(n).split()).upper() for n in names)
    return None if not found or ALL in found else found


def area_coverage(
    frame: object,
    files: Mapping[str, MonthFiles | object],
    types: frozenset[str] | None,
    *,
    lists_every_area: bool,
) -> dict[str, Coverage]:
    """Coverage per area (ward code) of one taxonomy's figures for a set of areas.

    `frame`: the areas' current rows of the taxonomy (pandas: ward_code, month, series, count, partial; every
    category, not just the theme's); `files`: series -> month -> MonthFiles (or an object with `.files`);
    `types`: the theme's types (None = every type); `lists_every_area`: the series has a row for every area in
    every month it holds (the Met's ward file), so an area with no row that month is not covered.

    Each area takes the series that holds most of its figures (a border ward of Westminster counts under the Met,
    not the City of London Police, though both add to its counts). The safety-net rule runs on each series'
    monthly totals over these areas.
    """
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    if frame.empty:
        return {}
    by_series = frame.groupby(["ward_code", "series"], sort=False)["count"].sum().reset_index()
    by_series = by_series.sort_values(["ward_code", "count", "series"], ascending=[True, False, True])
    main = {str(w): str(s) for w, s in by_series.drop_duplicates("ward_code")[["ward_code", "series"]].values}
    series_files: dict[str, Mapping[str, MonthFiles]] = {
        str(k): (v if isinstance(v, Mapping) else v.files)  # type: ignore[attr-defined]
        for k, v in files.items()
    }
    detected: dict[str, set[str]] = {}
    totals = frame.groupby(["series", "month"], sort=False)["count"].sum()
    per_series: dict[str, dict[str, float]] = {}
    for (name, month), total in zip(totals.index.tolist(), totals.tolist(), strict=True):
        held = series_files.get(str(name), {}).get(str(month))
        if held is not None and held.every_type:
            per_series.setdefault(str(name), {})[str(month)] = float(total)
    for name, months in per_series.items():
        detected[name] = detect_partial(months)
    present: dict[str, set[str]] = {}
    flagged: dict[tuple[str, str], set[str]] = {}
    keys = frame[["ward_code", "series", "month", "partial"]].drop_duplicates()
    for ward, series, month, partial in keys.itertuples(index=False):
        present.setdefault(str(ward), set()).add(str(month))
        if partial:
            flagged.setdefault((str(ward), str(series)), set()).add(str(month))
    return {
        ward: series_coverage(
            series_files.get(series, {}),
            types,
            present=present.get(ward, set()) if lists_every_area else None,
            partial_rows=flagged.get((ward, series), set()),
            detected=detected.get(series, set()),
        )
        for ward, series in main.items()
    }
