"""The XLSX appendix: a sheet per table, numbers numeric with formats, formula-like text neutralised."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.reports.model import Column, Pack, Section, Table
from desktop.reports.xlsx import ATTRIBUTION, readable_sheet_name, safe_text, sheet_name, sheet_names, write_xlsx
from tests.data.sample_pack import sample_pack


@pytest.fixture
def workbook(tmp_path: Path):  # type: ignore[no-untyped-def]
    pack = sample_pack()
    path = write_xlsx(pack, tmp_path / "West_End.xlsx")
    return pack, load_workbook(path)


def sheet_of(pack, table: Table) -> str:  # type: ignore[no-untyped-def]
    return sheet_names(pack)[pack.tables().index(table)]


def _header_row(ws, table: Table) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=1, max_row=20):
        if [c.value for c in row[: len(table.columns)]] == [c.name for c in table.columns]:
            return row[0].row
    raise AssertionError(f"no header row in {ws.title}")


def test_contents_sheet_then_a_sheet_per_table(workbook) -> None:  # type: ignore[no-untyped-def]
    pack, wb = workbook
    assert wb.sheetnames[0] == "Contents"
    assert wb.sheetnames[1:] == sheet_names(pack)
    assert "Crime by category" in wb.sheetnames  # readable names from the titles, not internal keys
    contents = [str(c.value) for row in wb["Contents"].iter_rows() for c in row if c.value is not None]
    assert ATTRIBUTION in contents
    assert "West End (E05013806)" in contents and "12 months to June 2025" in contents
    assert any(s.startswith("Public") for s in contents)
    assert all(src in contents for src in pack.sources)


def test_numbers_stay_numbers_with_formats(workbook) -> None:  # type: ignore[no-untyped-def]
    pack, wb = workbook
    table = next(t for t in pack.tables() if t.key == "ward_comparison")
    ws = wb[sheet_of(pack, table)]
    head = _header_row(ws, table)
    assert ws.freeze_panes == f"A{head + 1}"
    first = [c for c in ws[head + 1]]
    assert first[0].value == "West End" and first[2].value == 21457
    assert first[2].number_format == "#,##0"
    assert isinstance(first[4].value, float) and first[4].number_format == "+0%;-0%;0%"
    assert first[0].font.bold  # highlighted row
    assert ws["A1"].value == table.title
    above = [ws.cell(r, 1).value for r in range(1, head)]
    assert "Units: recorded crimes, count" in above and any(str(v).startswith("Source:") for v in above)
    totals = sum(ws.cell(r, 3).value for r in range(head + 1, head + 1 + len(table.rows)))
    assert totals == sum(int(r[2]) for r in table.rows)  # type: ignore[arg-type]


def test_pct_format_and_suppressed_cells(workbook) -> None:  # type: ignore[no-untyped-def]
    pack, wb = workbook
    vcop = next(t for t in pack.tables() if t.key == "vcop_rights")
    ws = wb[sheet_of(pack, vcop)]
    head = _header_row(ws, vcop)
    cell = ws.cell(head + 1, 2)
    assert cell.value == pytest.approx(0.91) and cell.number_format == "0%"
    cats = next(t for t in pack.tables() if t.key == "categories")
    ws = wb[sheet_of(pack, cats)]
    head = _header_row(ws, cats)
    values = [ws.cell(r, 3).value for r in range(head + 1, ws.max_row + 1)]
    assert "<5" in values
    assert sum(isinstance(v, int) for v in values) == len(values) - 1


def test_formula_like_text_is_neutralised(tmp_path: Path) -> None:
    evil = ['=HYPERLINK("http://x.invalid","click")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain"]
    table = Table("t", "=title", [Column("Text"), Column("N", "int")], [[e, -5] for e in evil])
    pack = Pack("ward", "T", "X", "T", "B", "p", "2025-06", "OFFICIAL", "=org", "+me", "2025-08-01")
    pack.sections = [Section("s", "S", [table])]
    wb = load_workbook(write_xlsx(pack, tmp_path / "evil.xlsx"))
    ws = wb["Title"]
    texts = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    for e in evil[:-2]:
        assert "'" + e in texts, e
    assert any(str(t).startswith("'") and str(t).endswith("CR") for t in texts)  # XML turns CR into LF
    assert "plain" in texts and "'=title" in texts
    for row in ws.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
    assert ws.cell(ws.max_row, 2).value == -5  # negative NUMBERS are numbers, not neutralised text
    contents = [c.value for row in wb["Contents"].iter_rows() for c in row if c.value]
    assert "'+me" in contents and "'=org" in contents


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = {"contents"}
    names = [sheet_name(k, taken) for k in ["a/b:c*d?e[f]g\\h", "x" * 40, "x" * 40, "Contents", "History", ""]]
    assert len(set(n.lower() for n in names)) == len(names)
    for n in names:
        assert len(n) <= 31 and not any(ch in n for ch in "[]:*?/\\") and n
    assert names[0] == "a_b_c_d_e_f_g_h"
    assert names[2].endswith("_2")
    assert names[3].lower() != "contents"


def test_safe_text() -> None:
    assert safe_text("=1") == "'=1" and safe_text("ok") == "ok" and safe_text("a\x00b") == "ab"


def test_readable_sheet_names_come_from_titles() -> None:
    title = "Violence against the person in West End by category, 12 months to June 2025 against the 12 months before"
    assert readable_sheet_name(title, "West End") == "Violence against the person"
    assert (
        readable_sheet_name("West End: every theme in this pack, 12 months", "West End") == "Every theme in this pack"
    )
    assert readable_sheet_name("Theft in West End by category, 12 months", "West End") == "Theft by category"
    assert readable_sheet_name("=cmd|' /C calc'!A0", "") == "Cmd|' C calc'!A0"  # no formula start, no slash
