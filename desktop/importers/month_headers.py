"""Month column headings in every form Excel produces (Qt-free), for the wide Met ward-level crime layout.

The London Datastore writes `202307`. A file saved again from Excel may carry `2023-07`, `Jul-23`, `Jul 2023`,
`July 2023`, `01/07/2023` (or the US `7/1/2023` on a US-locale machine), `2023-07-01` (an XLSX date cell, as
reader.cell_text shows it, any day of the month), or an Excel serial day number such as `45108` (a date cell whose
format Excel did not keep). Headings are compared in their normalised form (detect.norm: lower case, spaces as `_`).

Day/month order: UK order (DD/MM) unless the headings only make sense as US order (MM/DD), e.g. `7/31/2023`, or as a
run of months (`7/1/2023`, `8/1/2023`, ...), which UK order would read as days of January.
"""

from __future__ import annotations

import datetime as dt
import re

MONTH_NAMES = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}
_COMPACT = re.compile(r"^((?:19|20)\d\d)-?(0[1-9]|1[0-2])$")  # 202307, 2023-07
_ISO_DAY = re.compile(r"^((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?:[_t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)(?:_\d{1,2}:\d{2}(?::\d{2})?)?$")
_NAMED = re.compile(r"^([a-z]{3,9})[-_ ']?(\d{2}|(?:19|20)\d\d)$")  # jul-23, jul_2023, july_2023, jul'23
_SERIAL = re.compile(r"^(\d{5})(?:\.0+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)
SERIAL_RANGE = (29221, 73051)  # 1980-01-01 .. 2099-12-31


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if 1980 <= year <= 2099 and 1 <= month <= 12 else None


def _named(text: str) -> str | None:
    found = _NAMED.match(text)
    if not found:
        return None
    name, year_text = found.groups()
    month = MONTH_NAMES.get(name[:3])
    if month is None or (len(name) > 3 and not _is_month_name(name)):
        return None
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return _month(year, month)


def _is_month_name(name: str) -> bool:
    full = dt.date(2000, MONTH_NAMES[name[:3]], 1).strftime("%B").lower()
    return full.startswith(name) or name in ("sept",)


def _plain(text: str) -> str | None:
    """The month a heading names, in any form that needs no day/month order decision."""
    if found := _COMPACT.match(text):
        return _month(int(found.group(1)), int(found.group(2)))
    if found := _ISO_DAY.match(text):
        year, month, day = (int(g) for g in found.groups())
        try:
            dt.date(year, month, day)
        except ValueError:
            return None
        return _month(year, month)
    if found := _SERIAL.match(text):
        serial = int(found.group(1))
        if SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
            when = EXCEL_EPOCH + dt.timedelta(days=serial)
            return _month(when.year, when.month)
        return None
    return _named(text)


def _slashed(text: str, us_order: bool) -> str | None:
    found = _SLASHED.match(text)
    if not found:
        return None
    first, second, year = (int(g) for g in found.groups())
    day, month = (second, first) if us_order else (first, second)
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return _month(year, month)


def month_columns(names: list[str]) -> dict[str, str]:
    """{normalised heading: 'YYYY-MM'} for every heading that names a month (others are left out)."""
    found: dict[str, str] = {}
    slashed: list[str] = []
    for name in names:
        if (month := _plain(name)) is not None:
            found[name] = month
        elif _SLASHED.match(name):
            slashed.append(name)
    if slashed:
        uk = {n: m for n in slashed if (m := _slashed(n, us_order=False)) is not None}
        us = {n: m for n in slashed if (m := _slashed(n, us_order=True)) is not None}
        distinct_uk, distinct_us = len(set(uk.values())), len(set(us.values()))
        use_us = len(us) > len(uk) or (len(us) == len(uk) and distinct_us > distinct_uk)
        found.update(us if use_us else uk)
    return found


def has_month_columns(names: list[str]) -> bool:
    return bool(month_columns(names))


def not_real_months(names: list[str]) -> list[str]:
    """Headings shaped like YYYYMM that name no real month (202313): an error, never silently ignored."""
    found = month_columns(names)
    return [n for n in names if re.fullmatch(r"(?:19|20)\d\d-?\d\d", n) and n not in found]


__all__ = ["month_columns", "has_month_columns", "not_real_months"]
