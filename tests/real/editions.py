"""Hostile variants of the real extracts for the honesty tests (issue 10): Met ward-crime editions cut to some
months, with a month made partial or sub-categories relabelled as newer Met editions do; police.uk files given to
another force or filtered by crime type. Everything starts from the published files in ../shared/data."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from desktop.reports.model import Bullets, Pack, Paragraph, Table, Tiles
from desktop.reports.pdf_text import format_cell

NEW_EDITION = "mps-ward-crime/MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
CITY_STREET = "policeuk/2023-03-city-of-london-street.csv"
MET_BURGLARY = "policeuk/2024-01-metropolitan-street.BURGLARY-ONLY.csv"
ID = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]


def westminster(shared: Path) -> pd.DataFrame:
    """Westminster's rows of the Jul 2023 - Jun 2025 Met edition (18 wards, every category)."""
    frame = pd.read_csv(shared / NEW_EDITION, dtype=str)
    return frame[frame["LookUp_BoroughName"] == "Westminster"].reset_index(drop=True)


def month_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if re.fullmatch(r"\d{6}", c)]


def write_edition(
    frame: pd.DataFrame,
    path: Path,
    months: Iterable[str] | None = None,
    change: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Path:
    """A wide Met file holding only `months` (YYYYMM; default all), after `change` (e.g. a relabelling)."""
    keep = list(months) if months is not None else month_columns(frame)
    out = frame[ID + keep].copy()
    if change is not None:
        out = change(out)
    out.to_csv(path, index=False)
    return path


def scale(frame: pd.DataFrame, month: str, factor: float) -> pd.DataFrame:
    """Counts of one month times `factor` (a month published before counting finished)."""
    out = frame.copy()
    out[month] = (out[month].astype(int) * factor).astype(int).astype(str)
    return out


def split(frame: pd.DataFrame, major: str, old: str, parts: list[tuple[str, float]]) -> pd.DataFrame:
    """Each `old` sub-category row becomes one row per new sub-category with that share of its counts (the
    last part takes the remainder, so the parts add up to the old row exactly)."""
    months = month_columns(frame)
    rows = frame[(frame["MajorText"] == major) & (frame["MinorText"] == old)]
    keep = frame.drop(rows.index)
    new = []
    for _, row in rows.iterrows():
        left = {m: int(row[m]) for m in months}
        for i, (name, share) in enumerate(parts):
            piece = row.copy()
            piece["MinorText"] = name
            for m in months:
                value = left[m] if i == len(parts) - 1 else int(int(row[m]) * share)
                left[m] -= value
                piece[m] = str(value)
            new.append(piece)
    return pd.concat([keep, pd.DataFrame(new)], ignore_index=True)


def newer_list(frame: pd.DataFrame, *, death_by_driving: bool = False) -> pd.DataFrame:
    """The sub-category list of newer Met editions: residential burglary split into a home and an unconnected
    building, stalking and harassment out of violence without injury (and, optionally, death or serious injury by
    illegal driving out of violence with injury)."""
    out = split(
        frame,
        "BURGLARY",
        "BURGLARY - RESIDENTIAL",
        [("RES BURGLARY OF A HOME", 0.8), ("RES BURGLARY OF UNCONNECTED BUILDING", 0.2)],
    )
    # the real edition still lists the old name until Feb 2024: fold it in first, as the importer does
    out = split(out, "BURGLARY", "BURGLARY IN A DWELLING", [("RES BURGLARY OF A HOME", 1.0)])
    out = split(
        out,
        "VIOLENCE AGAINST THE PERSON",
        "VIOLENCE WITHOUT INJURY",
        [("VIOLENCE WITHOUT INJURY", 0.75), ("STALKING AND HARASSMENT", 0.25)],
    )
    if death_by_driving:
        out = split(
            out,
            "VIOLENCE AGAINST THE PERSON",
            "VIOLENCE WITH INJURY",
            [("VIOLENCE WITH INJURY", 0.97), ("DEATH SERIOUS INJURY ILLEGAL DRIVING", 0.03)],
        )
    ids = ["MajorText", "MinorText", "WardName", "WardCode", "LookUp_BoroughName"]
    months = month_columns(out)
    summed = (
        out.assign(**{m: out[m].astype(int) for m in months}).groupby(ids, as_index=False, sort=False)[months].sum()
    )
    return summed.assign(**{m: summed[m].astype(str) for m in months})


def police_file(shared: Path, name: str, path: Path, change: Callable[[pd.DataFrame], pd.DataFrame]) -> Path:
    frame = pd.read_csv(shared / name, dtype=str, keep_default_na=False)
    change(frame).to_csv(path, index=False)
    return path


# --- reading a pack --------------------------------------------------------------------------------------------


def texts(pack: Pack) -> list[str]:
    """Every sentence and cell a reader sees (tiles, paragraphs, bullets, table cells and notes)."""
    out: list[str] = []
    for section in pack.sections:
        for block in section.blocks:
            if isinstance(block, Tiles):
                for tile in block.tiles:
                    out += [tile.label, tile.value, tile.change, tile.significance, tile.context]
            elif isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, Bullets):
                out += block.items
            elif isinstance(block, Table):
                out.append(block.title)
                out += block.notes
                for row in block.rows:
                    out += [format_cell(v, c.fmt) for v, c in zip(row, block.columns, strict=False)]
    return [t for t in out if t]


CLAIM = re.compile(
    r"significant (rise|fall)|clear (rise|fall)|evidence of a|\b(rose|fell) from\b|small (rise|fall)", re.IGNORECASE
)


def claims(pack: Pack) -> list[str]:
    """Every text that claims a rise or a fall."""
    return [t for t in texts(pack) if CLAIM.search(t)]


def table(pack: Pack, key: str) -> Table:
    return next(t for t in pack.tables() if t.key == key)


def row(tab: Table, name: str) -> list[Any]:
    return next(r for r in tab.rows if r[0] == name)
