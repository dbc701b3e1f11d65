"""What every part of a pack needs to know, gathered once: the periods, the ward and its borough's wards, the
chosen themes, the crime figures of the whole borough, and which counts disclosure control hides."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop import kinds
from desktop.analysis import frames
from desktop.analysis.periods import Periods
from desktop.analysis.themes import Theme, bundled_themes, resolve_keys
from desktop.errors import WardBriefError
from desktop.months import add_months, month_label
from desktop.reports.options import PackOptions
from desktop.settings import Settings
from desktop.store import figures

if TYPE_CHECKING:
    import pandas as pd

TREND_MONTHS = 36

SERIES_TABLES = (("crime_count", "mps"), ("crime_count", "policeuk"), ("asb_count", ""))


def store_series(db: Database) -> frames.SeriesMonths | None:
    """The months of the series a pack's reference month comes from: the Met's ward figures when the store has
    them, else its main police.uk force, else ASB counts; None for an empty store."""
    for table, taxonomy in SERIES_TABLES:
        found = frames.series_months(db, table, taxonomy)
        main = frames.main_series(found)
        if main is not None:
            return found[main]
    return None


def pack_months(db: Database) -> list[str]:
    """Months a pack can be made for (complete months of the store's main series), newest first."""
    series = store_series(db)
    return sorted(series.complete, reverse=True) if series else []


def reference_month(db: Database) -> str | None:
    """The latest complete month of recorded crime in the store (never a month flagged or detected as partial, nor
    one held only by a file filtered to some crime types); ASB months when the store has no crime figures; None
    for an empty store."""
    months = pack_months(db)
    return months[0] if months else None


@dataclass
class Context:
    db: Database
    settings: Settings
    options: PackOptions
    periods: Periods
    borough: str
    wards: list[dict[str, Any]]  # the borough's wards with figures, by name
    themes: list[Theme]
    crime: pd.DataFrame  # the wards' current crime rows (each ward's preferred taxonomy), every category
    ward: dict[str, Any] | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def public(self) -> bool:
        return self.options.public

    @property
    def threshold(self) -> int:
        return self.settings.small_number_threshold

    @property
    def window_start(self) -> str:
        return add_months(self.periods.reference, -(TREND_MONTHS - 1))

    @cached_property
    def ward_codes(self) -> list[str]:
        return [str(w["code"]) for w in self.wards]

    @cached_property
    def names(self) -> dict[str, str]:
        return {str(w["code"]): str(w["name"]) for w in self.wards}

    @cached_property
    def populations(self) -> dict[str, int | None]:
        return {str(w["code"]): (int(w["population"]) if w["population"] else None) for w in self.wards}

    def advise(self, text: str) -> None:
        """Note something the person making the pack could do to fill a gap (shown in the window, not printed)."""
        advice: list[str] = self.cache.setdefault("advice", [])
        if text not in advice:
            advice.append(text)

    def sensitive(self, theme: Theme) -> bool:
        return theme.sensitive or theme.key in self.settings.sensitive_themes

    def chosen(self, kind: str) -> list[Theme]:
        return [t for t in self.themes if t.kind == kind]

    def wants(self, kind: str) -> bool:
        return any(t.kind == kind for t in self.themes)

    def source_text(self, *wanted: str, short: bool = False) -> str:
        """'MPS Ward Level Crime (London Datastore): file.csv, July 2023 to June 2025' for the sources of the
        `wanted` kinds
        (`short`: the names of the sources only, e.g. for a summary whose details are in the sections)."""
        parts: list[str] = []
        for row in figures.sources(self.db):
            if row["kind"] not in wanted:
                continue
            if short:
                label = kinds.source_label(row["kind"])
                if label not in parts:
                    parts.append(label)
                continue
            span = ""
            if row["first_month"] and row["last_month"]:
                span = f", {month_label(row['first_month'])} to {month_label(row['last_month'])}"
            parts.append(f"{kinds.source_label(row['kind'])}: {row['file_name']}{span}")
        return "; ".join(parts) or "figures in the WardBrief store (source file not recorded)"


def _check_month(db: Database, month: str, latest: str) -> None:
    series = store_series(db)
    held = series.complete | series.partial if series else frozenset()
    if series is not None and month in series.partial:
        raise WardBriefError(
            f"{month_label(month)} is only partly counted in the store, so it cannot be the reference month.",
            f"Choose {month_label(latest)} (the latest complete month) or earlier.",
        )
    if month > latest:
        raise WardBriefError(
            f"The store has no complete figures for {month_label(month)}.",
            f"Choose {month_label(latest)} (the latest complete month) or earlier, or import a newer extract.",
        )
    if series is not None and month not in held:
        raise WardBriefError(
            f"The store has no recorded crime figures for {month_label(month)}.",
            f"Choose a month from {month_label(min(series.complete))} to {month_label(latest)}.",
        )


def make_context(
    db: Database, borough: str | None, options: PackOptions, settings: Settings, ward: dict[str, Any] | None = None
) -> Context:
    latest = reference_month(db)
    if latest is None:
        raise WardBriefError(
            "The store holds no complete month of recorded crime, so there is nothing to report on yet.",
            "Import a crime extract (e.g. the Met's ward-level crime file) on the Data page, or load the demo data.",
        )
    month = options.month or latest
    try:
        periods = Periods.for_month(month)
    except ValueError as exc:
        raise WardBriefError(f"'{month}' is not a month.", "Give the month as YYYY-MM, e.g. 2025-06.") from exc
    _check_month(db, month, latest)
    themes = resolve_keys(options.themes or settings.default_themes, bundled_themes())
    start = add_months(month, -(TREND_MONTHS - 1))
    held = [
        m
        for _, taxonomy in SERIES_TABLES[:2]
        for s in frames.series_months(db, "crime_count", taxonomy).values()
        for m in s.files
    ]
    end = max([month, *held])
    wards = figures.borough_wards(db, borough, periods.r12[0], month)
    if ward is not None and ward["code"] not in {w["code"] for w in wards}:
        wards.append({k: ward.get(k) for k in ("code", "name", "population", "population_year", "population_source")})
    codes = [str(w["code"]) for w in wards]
    crime = frames.prepare(figures.crime_frame(db, codes, start, end))
    return Context(
        db=db,
        settings=settings,
        options=options,
        periods=periods,
        borough=borough or "",
        wards=sorted(wards, key=lambda w: str(w["name"])),
        themes=themes,
        crime=crime,
        ward=ward,
    )
