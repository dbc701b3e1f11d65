"""The store's figures shaped for a pack (Qt-free): each ward's preferred crime taxonomy, a theme's rows with the
group its table shows them under, category labels as tables show them, and each series' months (what its files
hold, its totals, which months are complete). The SQL is in desktop/store/figures.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from desktop.analysis.coverage import MonthFiles, month_files
from desktop.analysis.themes import Theme
from desktop.months import detect_partial
from desktop.store import figures
from desktop.store.figures import CRIME_COLUMNS
from desktop.store.queries import generation, store_identity

if TYPE_CHECKING:
    import pandas as pd


def preferred_taxonomy(frame: pd.DataFrame) -> dict[str, str]:
    """Per ward: 'mps' when it has Met figures (the fuller taxonomy), else 'policeuk'."""
    out: dict[str, str] = {}
    for (ward, taxonomy), _ in frame.groupby(["ward_code", "taxonomy"]):
        if taxonomy == "mps" or ward not in out:
            out[str(ward)] = str(taxonomy)
    return out


_SEP = "\x1f"


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep each ward's preferred taxonomy and add a `_key` column (taxonomy, category, subcategory) so that
    theme_frame can match each distinct category once, however many rows share it."""
    taxonomy = preferred_taxonomy(frame)
    out = frame[frame["taxonomy"] == frame["ward_code"].map(taxonomy)].copy()
    out["_key"] = out["taxonomy"] + _SEP + out["category"] + _SEP + out["subcategory"]
    return out


def theme_frame(frame: pd.DataFrame, theme: Theme) -> pd.DataFrame:
    """Rows of `frame` (crime_frame) in `theme`, using each ward's preferred taxonomy, with a `group` column for the
    theme's table (Met MinorText, or MajorText when breakdown = 'major'; the crime type for police.uk)."""
    import pandas as pd

    if frame.empty or not theme.has_categories:
        return pd.DataFrame(columns=[*CRIME_COLUMNS, "group"])
    if "_key" not in frame.columns:
        frame = prepare(frame)
    matched = [k for k in frame["_key"].unique() if theme.matches(*str(k).split(_SEP))]
    out = frame[frame["_key"].isin(matched)].copy()
    use_major = (out["taxonomy"] != "mps") | (theme.breakdown == "major") | (out["subcategory"] == "")
    out["group"] = out["category"].where(use_major, out["subcategory"])
    out["group"] = out["group"].map({g: _tidy_label(g) for g in out["group"].unique()})
    return out


def tidy_labels(names: Sequence[str]) -> dict[str, str]:
    """Upper-case category names -> how tables show them ('THEFT FROM THE PERSON' -> 'Theft from the person')."""
    return {n: _tidy_label(n) for n in names if n}


def _tidy_label(text: str) -> str:
    """'THEFT FROM THE PERSON' -> 'Theft from the person' (acronyms kept)."""
    text = str(text)
    if not text.isupper():
        return text
    words = text.lower().split()
    keep = {"nfib": "NFIB", "misc": "Misc", "unauth": "unauth", "veh": "veh", "agg": "agg"}
    words = [keep.get(w, w) for w in words]
    out = " ".join(words)
    return out[:1].upper() + out[1:]


@dataclass(frozen=True)
class SeriesMonths:
    """One series' months across the whole store: what its files hold (source_month), the total of its current
    figures per month, and the months whose current figures are flagged partial."""

    files: dict[str, MonthFiles]
    totals: dict[str, float]
    flagged: frozenset[str]

    @cached_property
    def detected(self) -> frozenset[str]:
        """Months the safety-net rule finds partial among those the files hold for every type (a file filtered
        by type is not judged against whole months)."""
        whole = {m: t for m, t in self.totals.items() if m in self.files and self.files[m].every_type}
        return frozenset(detect_partial(whole))

    @cached_property
    def complete(self) -> frozenset[str]:
        """Months held completely for every crime type."""
        return frozenset(
            m for m, f in self.files.items() if f.every_type and m not in self.flagged and m not in self.detected
        )

    @property
    def partial(self) -> frozenset[str]:
        """Months held, but only partly counted."""
        held = {m for m, f in self.files.items() if f.every_type or f.partial}
        return frozenset(held - self.complete)


_SERIES_CACHE: dict[tuple[Any, ...], dict[str, SeriesMonths]] = {}


def series_months(db: Database, table: str, taxonomy: str = "") -> dict[str, SeriesMonths]:
    """Series -> SeriesMonths for `table` ('crime_count' with taxonomy 'mps' or 'policeuk'; 'asb_count'), over the
    whole store. It reads every current row and a batch asks for it once per pack, so it is cached on the store's
    file and generation (a change by any connection or process raises the generation; an in-memory store is never
    cached, as two of them could share a generation)."""
    identity = store_identity(db)
    if not identity:
        return _series_months(db, table, taxonomy)
    key = (identity, generation(db), table, taxonomy)
    if key not in _SERIES_CACHE:
        if len(_SERIES_CACHE) > 64:
            _SERIES_CACHE.clear()
        _SERIES_CACHE[key] = _series_months(db, table, taxonomy)
    return _SERIES_CACHE[key]


def _series_months(db: Database, table: str, taxonomy: str) -> dict[str, SeriesMonths]:
    files: dict[str, list[tuple[str, int, str]]] = {}
    for series, month, partial, types in figures.source_months(db, table, taxonomy):
        files.setdefault(series, []).append((month, partial, types))
    totals: dict[str, dict[str, float]] = {}
    flagged: dict[str, set[str]] = {}
    for series, month, total, partial in figures.series_totals(db, table, taxonomy):
        totals.setdefault(series, {})[month] = total
        if partial:
            flagged.setdefault(series, set()).add(month)
    return {
        name: SeriesMonths(month_files(rows), totals.get(name, {}), frozenset(flagged.get(name, set())))
        for name, rows in files.items()
    }


def main_series(found: dict[str, SeriesMonths]) -> str | None:
    """The series a store mostly holds (e.g. the Met's own police.uk files beside the City of London's): the one
    with the most complete months, then the largest total."""
    if not found:
        return None
    return max(found, key=lambda s: (len(found[s].complete), sum(found[s].totals.values()), s))
