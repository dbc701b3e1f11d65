"""The blank templates users fill in by hand (CSV and XLSX): survey results (USS / VCOP / PAS), ward ASB counts and
panel priorities. Each XLSX has the data sheet first (its header row is what WardBrief's importer recognises) and
the notes on other sheets. Written byte-for-byte reproducibly (fixed document dates and zip timestamps).
Used by tools/make_demo_data.py; the columns are documented in resources/templates/README.md.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from desktop.store.measures import PAS_MEASURES, USS_MEASURES, VCOP_RIGHTS  # DESIGN.md §4

SURVEY_COLUMNS = ["survey", "area_type", "area", "period_end", "measure", "base_n", "value", "positives"]
ASB_COLUMNS = ["ward_code", "ward_name", "month", "asb_incidents"]
PRIORITY_COLUMNS = [
    "ward_code", "ward_name", "priority", "theme", "set_on", "status", "review_date", "measure_before",
    "measure_after", "action", "action_owner", "action_due", "action_done",
]  # fmt: skip

# column -> (what to put, example, required?)
SURVEY_NOTES = {
    "survey": ("Which survey: USS (victim satisfaction), VCOP (Victims' Code compliance) or PAS (public attitudes).",
               "USS", "yes"),
    "area_type": ("The kind of area the figure is for: ward, borough, BCU or London.", "BCU", "yes"),
    "area": ("The area's name: a ward code (e.g. E05013808) for a ward, otherwise the borough, BCU or 'London'.",
             "Central West", "yes"),
    "period_end": ("The last day of the period the figure covers, as YYYY-MM-DD (an Excel date also works).",
                   "2025-06-30", "yes"),
    "measure": ("One of the measure names on the 'Measures' sheet, for the survey in column A (case and "
                "punctuation do not matter).", "overall satisfaction", "yes"),
    "base_n": ("How many people answered (the base). A whole number, or leave blank if not known: without a base "
               "WardBrief cannot show a confidence interval or apply the minimum base.", "284", "no"),
    "value": ("The proportion answering positively. Any of: 0.58, 58, 58% (0-1, 0-100 or a percentage). "
              "May be left blank when positives and base_n are given.", "0.65", "value or positives"),
    "positives": ("How many answered positively. With base_n, WardBrief works out the value (when a row has a "
                  "value too, the value is used).", "185", "value or positives"),
}  # fmt: skip
ASB_NOTES = {
    "ward_code": ("The ward's ONS code (E05...). Wards are matched by code, never by name.", "E05013808", "yes"),
    "ward_name": ("The ward's name, for your reference (not used to match).", "West End", "no"),
    "month": ("The calendar month, as YYYY-MM (e.g. 2025-06); 'Jun 2025' and 202506 also work.", "2025-06", "yes"),
    "asb_incidents": ("The number of anti-social behaviour incidents (calls/reports) in the ward that month. "
                      "A whole number, 0 or more.", "231", "yes"),
}  # fmt: skip
PRIORITY_NOTES = {
    "ward_code": ("The ward's ONS code (E05...).", "E05013806", "yes"),
    "ward_name": ("The ward's name, for your reference.", "St James's", "no"),
    "priority": ("The priority the panel set, in a few words. Repeat it on every row of its actions.",
                 "Bring down shoplifting on Piccadilly", "yes"),
    "theme": ("The theme it belongs to, e.g. Theft and phone snatching; Anti-social behaviour; Drug dealing; "
              "Violence against women and girls; Serious youth violence; Burglary; Fire safety and false alarms.",
              "Theft and phone snatching", "no"),
    "set_on": ("The date of the panel meeting that set it (YYYY-MM-DD).", "2024-10-09", "no"),
    "status": ("open or closed.", "open", "no (open)"),
    "review_date": ("When the panel will next review it (YYYY-MM-DD).", "2025-07-09", "no"),
    "measure_before": ("The figure the panel wants to move, when it was set.", "Shoplifting, Jul-Sep 2024: 412",
                       "no"),
    "measure_after": ("The same figure at review.", "Shoplifting, Apr-Jun 2025: 350", "no"),
    "action": ("One action agreed for the priority: one row per action.",
               "Joint days of action with store security", "yes"),
    "action_owner": ("Who will do it.", "Neighbourhood policing team", "no"),
    "action_due": ("When it is due (YYYY-MM-DD).", "2025-03-31", "no"),
    "action_done": ("When it was done (YYYY-MM-DD); blank while outstanding.", "2025-03-28", "no"),
}  # fmt: skip

FIXED_TIME = (2025, 7, 1, 0, 0, 0)
TEXT_COLUMNS = {"period_end", "ward_code", "month", "set_on", "review_date", "action_due", "action_done"}


def _xlsx(path: Path, data_sheet: str, columns: list[str], notes: dict[str, tuple[str, str, str]], intro: str,
          measures: bool = False) -> None:  # fmt: skip
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = data_sheet
    ws.append(columns)
    bold = Font(bold=True)
    for index, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(14, min(40, len(notes[name][1]) + 4))
        if name in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    lists = {"survey": '"USS,VCOP,PAS"', "area_type": '"ward,borough,BCU,London"', "status": '"open,closed"'}
    if measures:
        lists["measure"] = "Measures!$A$2:$C$13"
    for name, formula in lists.items():
        if name in columns:
            letter = get_column_letter(columns.index(name) + 1)
            check = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
            check.add(f"{letter}2:{letter}5000")
            ws.add_data_validation(check)

    info = wb.create_sheet("Notes")
    info.append([intro])
    info["A1"].font = Font(bold=True)
    info.append([])
    info.append(["Column", "What to put", "Example", "Required"])
    for cell in info[3]:
        cell.font = bold
    for name in columns:
        info.append([name, *notes[name]])
    info.append([])
    info.append(["Put the data on the first sheet, one row per record, under the heading row. Do not rename the "
                 "headings. Blank rows, and notes below the table, are ignored."])  # fmt: skip
    info.append(["Full documentation: resources/templates/README.md in the WardBrief folder."])
    for letter, width in zip("ABCD", (18, 100, 36, 18), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=4):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")

    if measures:
        sheet = wb.create_sheet("Measures")
        sheet.append(["USS measures", "VCOP rights (Victims' Code)", "PAS measures"])
        for cell in sheet[1]:
            cell.font = bold
        for i in range(12):
            sheet.append([names[i] if i < len(names) else None for names in (USS_MEASURES, VCOP_RIGHTS, PAS_MEASURES)])
        for letter in "ABC":
            sheet.column_dimensions[letter].width = 52

    fixed = dt.datetime(*FIXED_TIME)
    wb.properties.creator = "WardBrief"
    wb.properties.created = fixed
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_reproducible_zip(buf.getvalue()))


def _reproducible_zip(data: bytes) -> bytes:
    """The same workbook with fixed zip timestamps and a fixed 'modified' date (openpyxl stamps the save time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-07-01T00:00:00Z", body)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, body)
    return out.getvalue()


def write_templates(folder: Path) -> None:
    jobs = [
        ("survey_results_template", "Survey results", SURVEY_COLUMNS, SURVEY_NOTES, True,
         "WardBrief survey results template: USS victim satisfaction, Victims' Code (VCOP) compliance and PAS."),
        ("asb_counts_template", "ASB counts", ASB_COLUMNS, ASB_NOTES, False,
         "WardBrief ward ASB counts template: one row per ward and month."),
        ("priorities_template", "Priorities", PRIORITY_COLUMNS, PRIORITY_NOTES, False,
         "WardBrief panel priorities template: one row per action (repeat the priority on each of its rows)."),
    ]  # fmt: skip
    for stem, sheet, columns, notes, measures, intro in jobs:
        (folder / f"{stem}.csv").write_text(",".join(columns) + "\n", encoding="utf-8", newline="")
        _xlsx(folder / f"{stem}.xlsx", sheet, columns, notes, intro, measures)
