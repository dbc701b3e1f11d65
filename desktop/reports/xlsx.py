"""The XLSX appendix: every table of the pack on its own sheet, numbers kept as numbers (openpyxl, Qt-free).

A contents sheet first (area, period, mode, marking, sources, the OGL attribution and a link to every table), then
one sheet per `Table` with its title, units, source and notes above a frozen header row. Text that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

from desktop.atomic import write_bytes
from desktop.months import month_label
from desktop.reports.model import CellValue, Pack, Table
from desktop.reports.pdf_text import NUMERIC_FORMATS, data_status, long_date, provisional_text

ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
NUMBER_FORMATS = {
    "int": "#,##0",
    "pct": "0%",
    "share": '[=0]0%;[<0.01]"<1%";0%',  # as the PDF: a share under 1% reads "<1%", never "0%"
    "points": '+0" pts";-0" pts";0" pts"',
    "pct1": "0.0%",
    "rate": "#,##0.0",
    "float1": "#,##0.0",
    "signed_pct": "+0%;-0%;0%",
    "p": "0.000",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
RESERVED_SHEETS = {"contents", "history"}


def safe_text(value: str) -> str:
    """Text as text: control characters removed; a formula-like start neutralised with an apostrophe."""
    text = _ILLEGAL.sub("", value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def sheet_name(key: str, taken: set[str]) -> str:
    """A valid, unique sheet name (<= 31 characters, none of []:*?/\\, not blank, not reserved)."""
    base = _BAD_SHEET_CHARS.sub("_", key).strip().strip("'") or "Table"
    base = base[:31]
    name, n = base, 2
    while name.lower() in taken or name.lower() in RESERVED_SHEETS:
        suffix = f"_{n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


_TRAILING = {"by", "in", "of", "the", "and", "to", "a", "for", "on", "with", "against"}


def readable_sheet_name(title: str, area: str) -> str:
    """A sheet name a reader understands, from a table's title: the part before the period, without the area's
    name, cut at a word to fit Excel's 31 characters ("Theft in West End by category, 12 months to …" ->
    "Theft by category")."""
    text = title.split(", ")[0]
    if area:
        text = text.replace(f"{area}: ", "").replace(f" in {area}", "").replace(f" for {area}", "")
    text = _BAD_SHEET_CHARS.sub(" ", text).strip()
    words: list[str] = []
    for word in text.split():
        if len(" ".join([*words, word])) > 31:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in _TRAILING:
        words.pop()
    name = " ".join(words).lstrip("=+-@'\t\r ")
    return name[:1].upper() + name[1:]


def sheet_names(pack: Pack) -> list[str]:
    """The sheet of each of the pack's tables, in order (after the Contents sheet)."""
    taken = {"contents"}
    return [sheet_name(readable_sheet_name(t.title, pack.area_name) or t.key, taken) for t in pack.tables()]


def _cell_value(value: CellValue) -> Any:
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and value != value:  # NaN: leave the cell empty
        return None
    return value


def write_xlsx(pack: Pack, path: str | os.PathLike[str]) -> Path:
    """Write the appendix to `path`, whole or not at all (desktop.atomic: a failure leaves any earlier copy)."""
    from openpyxl import Workbook

    target = Path(path)
    wb = Workbook()
    contents = wb.active
    contents.title = "Contents"
    tables = pack.tables()
    names = sheet_names(pack)
    _contents_sheet(contents, pack, list(zip(names, tables, strict=True)))
    for name, table in zip(names, tables, strict=True):
        _table_sheet(wb.create_sheet(name), table)
    wb.properties.title = f"{pack.title} - {pack.period_label} (data appendix)"
    wb.properties.creator = "WardBrief"
    buffer = io.BytesIO()
    wb.save(buffer)
    write_bytes(target, buffer.getvalue(), "The spreadsheet", _xlsx_problem)
    return target


def _xlsx_problem(data: bytes) -> str | None:
    if not data.startswith(b"PK\x03\x04") or b"PK\x05\x06" not in data[-4096:]:
        return "the workbook was not made whole"
    return None


def _contents_sheet(ws: Any, pack: Pack, sheets: list[tuple[str, Table]]) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    ws.append([safe_text(f"{pack.title}: data appendix")])
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        ("Area", f"{pack.area_name} ({pack.area_code})" if pack.area_code else pack.area_name),
        ("Borough", pack.borough_name),
        ("Period", pack.period_label),
        ("Reference month", month_label(pack.reference_month)),
        ("Mode", "Public: counts of 1-4 in sensitive themes shown as <5" if pack.mode == "public" else "Internal"),
        ("Marking", pack.marking),
        ("Panel meeting", long_date(pack.meeting_date) if pack.meeting_date else ""),
        ("Prepared by", pack.prepared_by),
        ("Organisation", pack.organisation),
        ("Data as at", data_status(pack.reference_month, pack.data_as_at)),
        ("Provisional", provisional_text(pack.provisional)),
    ]
    ws.append([])
    for label, value in rows:
        ws.append([label, safe_text(str(value))])
        ws.cell(ws.max_row, 1).font = bold
    ws.append([])
    ws.append(["Sources"])
    ws.cell(ws.max_row, 1).font = bold
    for source in pack.sources:
        ws.append(["", safe_text(source)])
    ws.append(["", ATTRIBUTION])
    ws.append([])
    ws.append(["Sheet", "Table"])
    ws.cell(ws.max_row, 1).font = bold
    ws.cell(ws.max_row, 2).font = bold
    for name, table in sheets:
        ws.append([name, safe_text(table.title)])
        link = ws.cell(ws.max_row, 1)
        link.hyperlink = f"#'{name}'!A1"
        link.font = Font(underline="single", color="0563C1")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90


def _table_sheet(ws: Any, table: Table) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    ws.append([safe_text(table.title)])
    ws["A1"].font = Font(bold=True, size=12)
    if table.units:
        ws.append([safe_text(f"Units: {table.units}")])
    if table.source:
        ws.append([safe_text(f"Source: {table.source}")])
    for note in table.notes:
        ws.append([safe_text(f"Note: {note}")])
    ws.append([])
    ws.append([safe_text(c.name) for c in table.columns])
    header_row = ws.max_row
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    for col in range(1, len(table.columns) + 1):
        cell = ws.cell(header_row, col)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=Side(style="thin"))
    last = len(table.rows) - 1
    widths = [len(c.name) for c in table.columns]
    for r, values in enumerate(table.rows):
        ws.append([_cell_value(v) for v in values[: len(table.columns)]])
        row = ws.max_row
        strong = r in table.highlight_rows or (table.total_row and r == last)
        for c, column in enumerate(table.columns):
            cell = ws.cell(row, c + 1)
            value = values[c] if c < len(values) else None
            if isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = NUMBER_FORMATS.get(column.fmt, "General")
            elif column.fmt in NUMERIC_FORMATS:
                cell.alignment = Alignment(horizontal="right")  # "<5" sits where the number would
            if strong:
                cell.font = Font(bold=True)
            widths[c] = max(widths[c], len(_shown(value, column.fmt)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[_column_letter(c)].width = max(8, min(60, width + 2))
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    ws.print_title_rows = f"{header_row}:{header_row}"


def _shown(value: CellValue, fmt: str) -> str:
    if isinstance(value, int | float) and fmt in ("pct", "pct1", "share", "points", "signed_pct"):
        return "-100.0%"
    if isinstance(value, int | float):
        return f"{value:,.1f}"
    return "" if value is None else str(value)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))
