"""Qt-free text helpers shared by the PDF and HTML renderers: cell formatting, dates, and cleaning text from data."""

from __future__ import annotations

import math
import re
from datetime import date

from desktop.months import MONTH_NAMES, month_label, span_label
from desktop.reports.model import CellValue, Pack

NUMERIC_FORMATS = {"int", "pct", "pct1", "share", "points", "rate", "float1", "signed_pct", "p"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """Plain, printable text: control characters dropped, tabs as spaces (never markup)."""
    text = str(text)
    if text.isprintable():  # the usual case: nothing to clean
        return text
    return _CONTROL.sub("", text).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")


def format_cell(value: CellValue, fmt: str) -> str:
    """How a table cell reads in the PDF. Fractions (0-1) for pct formats; strings (e.g. "<5") pass through."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if fmt == "int":
        return f"{value:,.0f}"
    if fmt == "pct":
        return f"{value * 100:.0f}%"
    if fmt == "share":
        return "<1%" if 0 < value < 0.01 else f"{value * 100:.0f}%"  # a small share never reads as none
    if fmt == "points":
        return f"{value:+.0f} pts" if round(value) else "0 pts"
    if fmt == "pct1":
        return f"{value * 100:.1f}%"
    if fmt in ("rate", "float1"):
        return f"{value:,.1f}"
    if fmt == "signed_pct":
        pct = value * 100
        if round(pct) == 0:
            return "0%"
        return f"+{pct:.0f}%" if pct > 0 else f"-{abs(pct):.0f}%"
    if fmt == "p":
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return clean(value)


def long_date(iso: str) -> str:
    """'2025-08-04' -> '4 August 2025'; anything else is returned as it is."""
    try:
        d = date.fromisoformat(iso[:10])
    except (ValueError, TypeError):
        return clean(iso)
    return f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}"


def provisional_text(months: list[str]) -> str:
    """The cover's word on partial months: 'July 2025: far below the months around it (likely not fully counted), so
    drawn open and never compared' ('' for none)."""
    if not months:
        return ""
    return f"{span_label(months)}: far below the months around it (likely not fully counted), so drawn open and never compared"


def data_status(reference_month: str, imported: str, short: bool = False) -> str:
    """What a chair needs to know about how current the pack is: the latest month of figures and when the
    extracts were imported, e.g. 'Figures to June 2025; latest extract imported 25 November 2026'."""
    parts = []
    if reference_month:
        parts.append(f"Figures to {month_label(reference_month)}")
    if imported:
        parts.append(f"{'imported' if short else 'latest extract imported'} {long_date(imported)}")
    text = (" \u00b7 " if short else "; ").join(parts)
    return text[:1].upper() + text[1:] if text else ""


def cover_details(pack: Pack) -> list[tuple[str, str]]:
    """The cover's labelled facts (meeting, period, area, marking, audience, who, data as at, provisional months),
    the same in every renderer."""
    details = [
        ("Panel meeting", long_date(pack.meeting_date) if pack.meeting_date else "not set"),
        ("Period", f"{clean(pack.period_label)} (reference month {month_label(pack.reference_month)})"),
        ("Area", f"{clean(pack.area_name)} ({clean(pack.area_code)})" if pack.area_code else clean(pack.area_name)),
        ("Marking", clean(pack.marking) or "none"),
        (
            "Audience",
            "Public (small numbers suppressed)" if pack.mode == "public" else "Internal (not for publication)",
        ),
        ("Prepared by", clean(pack.prepared_by) or clean(pack.organisation)),
        ("On behalf of", clean(pack.organisation)),
        ("Data as at", data_status(pack.reference_month, pack.data_as_at) or "unknown"),
    ]
    if pack.provisional:
        details.append(("Provisional", provisional_text(pack.provisional)))
    return details
