"""Survey figures (PAS trust and confidence, USS victim satisfaction, Victims' Code compliance): each value with a
Wilson 95% interval where its base is known, taken from the smallest area whose base meets the minimum
(ward -> borough -> BCU -> London), saying which area was used and why."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Z95 = 1.959963984540054

# The pack lists every right of the Victims' Code in the Code's order, even when a return leaves some out, so a
# missing right is seen rather than silently dropped.
# The Met's 12 Basic Command Units and their boroughs, for the BCU step of the fallback.
BCU_BOROUGHS: dict[str, tuple[str, ...]] = {
    "Central West": ("Westminster", "Kensington and Chelsea", "Hammersmith and Fulham"),
    "Central North": ("Camden", "Islington"),
    "Central East": ("Hackney", "Tower Hamlets"),
    "Central South": ("Lambeth", "Southwark"),
    "East": ("Barking and Dagenham", "Havering", "Redbridge"),
    "North": ("Enfield", "Haringey"),
    "North East": ("Newham", "Waltham Forest"),
    "North West": ("Barnet", "Brent", "Harrow"),
    "South": ("Bromley", "Croydon", "Sutton"),
    "South East": ("Bexley", "Greenwich", "Lewisham"),
    "South West": ("Kingston upon Thames", "Merton", "Richmond upon Thames", "Wandsworth"),
    "West": ("Ealing", "Hillingdon", "Hounslow"),
}
AREA_ORDER = ("ward", "borough", "BCU", "London")


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    text = text.replace("&", "and").replace("\u2019", "'").casefold()
    for prefix in ("city of ", "london borough of ", "royal borough of "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in (" bcu", " area"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return " ".join(text.replace("-", " ").split())


def bcu_of(borough: str) -> str | None:
    wanted = _fold(borough)
    for bcu, boroughs in BCU_BOROUGHS.items():
        if any(_fold(b) == wanted for b in boroughs):
            return bcu
    return None


def wilson(p: float, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion p observed in n responses."""
    if n <= 0:
        raise ValueError("the base must be positive")
    if not 0 <= p <= 1:
        raise ValueError("a proportion lies between 0 and 1")
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class SurveyFigure:
    survey: str
    measure: str
    value: float  # 0-1
    base: int | None
    lower: float | None
    upper: float | None
    area_type: str
    area: str
    period_end: str
    note: str = ""  # why this area was used, or "base not published"

    @property
    def area_text(self) -> str:
        return "London" if self.area_type == "London" else f"{self.area} ({self.area_type})"


@dataclass(frozen=True)
class Area:
    area_type: str
    names: tuple[str, ...]  # any of these names matches (e.g. a ward's code and its name)

    def matches(self, row: Mapping[str, Any]) -> bool:
        if row["area_type"] != self.area_type:
            return False
        if self.area_type == "London":
            return True
        got = _fold(str(row["area"]))
        return any(got == _fold(n) for n in self.names)


def area_chain(ward_code: str | None, ward_name: str | None, borough: str | None) -> list[Area]:
    """Areas from smallest to largest: the ward, its borough, its BCU, London."""
    chain: list[Area] = []
    if ward_code or ward_name:
        chain.append(Area("ward", tuple(n for n in (ward_code, ward_name) if n)))
    if borough:
        chain.append(Area("borough", (borough,)))
        bcu = bcu_of(borough)
        if bcu:
            chain.append(Area("BCU", (bcu,)))
    chain.append(Area("London", ("London",)))
    return chain


def _figure(row: Mapping[str, Any], note: str = "") -> SurveyFigure:
    base = row["base_n"]
    value = float(row["value"])
    lower, upper = wilson(value, int(base)) if base else (None, None)
    if not base and not note:
        note = "base not published"
    return SurveyFigure(
        survey=str(row["survey"]),
        measure=str(row["measure"]),
        value=value,
        base=int(base) if base else None,
        lower=lower,
        upper=upper,
        area_type=str(row["area_type"]),
        area=str(row["area"]),
        period_end=str(row["period_end"]),
        note=note,
    )


def _latest(rows: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    rows = list(rows)
    return max(rows, key=lambda r: str(r["period_end"])) if rows else None


def best_figure(rows: Iterable[Mapping[str, Any]], chain: list[Area], min_base: int) -> SurveyFigure | None:
    """The latest figure for one measure from the smallest area in `chain` whose base meets `min_base`.

    `rows` are survey_result rows for one survey and measure. An area whose figure has no published base is used
    as it is (its note says "base not published"); when no area meets the minimum, the largest base is used and
    the note says so."""
    rows = list(rows)
    skipped: list[str] = []
    fallback: Mapping[str, Any] | None = None
    for area in chain:
        row = _latest(r for r in rows if area.matches(r))
        if row is None:
            continue
        base = row["base_n"]
        if base is None:
            note = "base not published" + (f"; {', '.join(skipped)}" if skipped else "")
            return _figure(row, note)
        if int(base) >= min_base:
            note = f"{', '.join(skipped)}; {row['area_type']} figure shown" if skipped else ""
            return _figure(row, note)
        skipped.append(f"{area.area_type} base {int(base)} is below {min_base}")
        if fallback is None or int(base) > int(fallback["base_n"]):
            fallback = row
    if fallback is not None:
        return _figure(fallback, f"no area reaches a base of {min_base}; treat with caution")
    return None


def year_earlier(rows: Iterable[Mapping[str, Any]], figure: SurveyFigure) -> SurveyFigure | None:
    """The same measure and area about a year before `figure` (the closest period end 10-14 months earlier)."""
    target_year, target_month = int(figure.period_end[:4]) - 1, int(figure.period_end[5:7])
    best: tuple[int, Mapping[str, Any]] | None = None
    for row in rows:
        if row["measure"] != figure.measure or row["area_type"] != figure.area_type:
            continue
        if _fold(str(row["area"])) != _fold(figure.area):
            continue
        end = str(row["period_end"])
        gap = abs((int(end[:4]) * 12 + int(end[5:7])) - (target_year * 12 + target_month))
        if gap <= 2 and (best is None or gap < best[0]):
            best = (gap, row)
    return _figure(best[1]) if best else None


def weakest(figures: Iterable[SurveyFigure]) -> SurveyFigure | None:
    figures = list(figures)
    return min(figures, key=lambda f: f.value) if figures else None
