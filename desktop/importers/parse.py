"""Vectorised parsers for the text cells of extracts: months, dates, counts and proportions.

Each parser returns the parsed values and a mask of the cells it could not read, so the caller can reject exactly
those rows with the cell's own text. Months and dates repeat a lot, so they are parsed once per distinct value.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_D_MON_Y = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})$")
_MON_Y = re.compile(r"^([A-Za-z]{3,9})[ -](\d{4})$")


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return False
    if day is None:
        return True
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def date_text(value: str) -> str | None:
    """'01 Jan 2009', '31/12/2014', '2024-01-31' (or with a time) -> '2009-01-01'; None if not a date."""
    text = value.strip()
    if found := _ISO.match(text):
        y, m, d = int(found.group(1)), int(found.group(2)), found.group(3)
        if d is not None and _valid(y, m, int(d)):
            return f"{y:04d}-{m:02d}-{int(d):02d}"
        return None
    if found := _DMY.match(text):
        d, m, y = (int(g) for g in found.groups())
        return f"{y:04d}-{m:02d}-{d:02d}" if _valid(y, m, d) else None
    if found := _D_MON_Y.match(text):
        mon = MONTHS.get(found.group(2)[:3].lower())
        d, y = int(found.group(1)), int(found.group(3))
        return f"{y:04d}-{mon:02d}-{d:02d}" if mon and _valid(y, mon, d) else None
    return None


def month_text(value: str) -> str | None:
    """'2024-01', '202401', 'Jan 2024', a date in any form date_text reads -> '2024-01'; None if not a month."""
    text = value.strip()
    if found := _COMPACT.match(text):
        y, m = int(found.group(1)), int(found.group(2))
        return f"{y:04d}-{m:02d}" if _valid(y, m) else None
    if (found := _ISO.match(text)) and found.group(3) is None:
        y, m = int(found.group(1)), int(found.group(2))
        return f"{y:04d}-{m:02d}" if _valid(y, m) else None
    if found := _MON_Y.match(text):
        mon = MONTHS.get(found.group(1)[:3].lower())
        y = int(found.group(2))
        return f"{y:04d}-{mon:02d}" if mon and _valid(y, mon) else None
    day = date_text(text)
    return day[:7] if day else None


def map_unique(series: Any, func: Any) -> tuple[Any, Any]:
    """Apply `func` (text -> value | None) once per distinct value. Returns (values, bad mask)."""
    uniques = series.unique()
    table = {u: func(u) for u in uniques}
    values = series.map(table)
    return values, values.isna()


def map_distinct(series: Any, func: Any) -> Any:
    """`func` applied once per distinct value of `series`, as an object Series with the same index (a factorised
    lookup: several times faster than `Series.map(dict)` on long columns)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series.to_numpy(), use_na_sentinel=False)
    table = np.empty(len(uniques), dtype=object)
    table[:] = [func(u) for u in uniques]
    return pd.Series(table[codes], index=series.index, dtype=object)


def _as_text(series: Any, func: Any) -> tuple[Any, Any]:
    """Parsed text values as an object column (None where unreadable, never float NaN), so comparisons with text
    always work; and the mask of unreadable cells."""
    values = map_distinct(series, func)
    return values, values.isna()


def parse_months(series: Any) -> tuple[Any, Any]:
    return _as_text(series, month_text)


def parse_dates(series: Any) -> tuple[Any, Any]:
    return _as_text(series, date_text)


def parse_counts(series: Any) -> tuple[Any, Any, Any]:
    """Whole, non-negative numbers ('1,234' and '12.0' allowed). Returns (int values, not-a-number mask,
    negative mask); rejected cells hold 0 in the values."""
    import pandas as pd

    text = series
    is_text = text.dtype == object or str(text.dtype) == "str"
    if is_text and len(text) > 1000:  # counts repeat a lot: parse each distinct text once
        codes, uniques = pd.factorize(text.to_numpy(), use_na_sentinel=False)
        if len(uniques) * 4 < len(text):
            values, bad, negative = parse_counts(pd.Series(uniques, dtype=object))
            return tuple(  # type: ignore[return-value]
                pd.Series(part.to_numpy()[codes], index=series.index, name=series.name)
                for part in (values, bad, negative)
            )
    if is_text and text.str.contains(",", regex=False).any():
        text = text.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = numbers.isna() | (numbers % 1 != 0) | (numbers.abs() > 1e15)  # 1e15: no real count is that big
    negative = ~bad & (numbers < 0)
    values = numbers.where(~(bad | negative), 0).astype("int64")
    return values, bad, negative


def proportion_value(text: str) -> float | None:
    """'0,56' (decimal comma), '0.56', '56', '56%' -> 0.56. None if not a proportion in 0..1 (or 0..100)."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if not raw:
        return None
    percent = raw.endswith("%")
    raw = raw.rstrip("%")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    if value != value or value < 0:
        return None
    if percent or value > 1:
        value = value / 100
    return value if 0 <= value <= 1 else None


def parse_proportions(series: Any) -> tuple[Any, Any]:
    return map_unique(series, proportion_value)
