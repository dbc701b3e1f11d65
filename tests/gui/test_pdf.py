"""The PDF renderer: text a reader (and a test) can find, running header/footer, repeated table headers, size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.reports.model import Column, Pack, Section, Table
from desktop.reports.pdf import render_pdf
from tests.data.sample_pack import KNOWN, sample_overview, sample_pack


@pytest.fixture(scope="module")
def pack_pdf(qapp, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:  # type: ignore[no-untyped-def]
    path = render_pdf(sample_pack(), tmp_path_factory.mktemp("pdf") / "West_End.pdf")
    pages = [_flat(p.extract_text() or "") for p in PdfReader(str(path)).pages]
    return path, pages


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_cover_and_every_section_heading(pack_pdf: tuple[Path, list[str]]) -> None:
    _path, pages = pack_pdf
    cover = _flat(pages[0])
    for expected in ("West End ward", "Westminster", "15 July 2025", "12 months to June 2025", "OFFICIAL"):
        assert expected in cover
    assert "Prepared by" in cover and "Data as at" in cover
    # how current the pack is: the latest month of figures and the date the extracts were imported
    assert "Figures to June 2025; latest extract imported 4 August 2025" in cover
    assert "About these figures" in cover  # no ligatures: words stay searchable
    text = _flat(" ".join(pages))
    for heading in sample_pack().headings():
        assert heading in text, heading


def test_known_numbers_are_text(pack_pdf: tuple[Path, list[str]]) -> None:
    _path, pages = pack_pdf
    text = _flat(" ".join(pages))
    assert KNOWN["r12_total"] in text and KNOWN["theft_r12"] in text
    assert "significant fall" in text and "▼" in text and "▲" in text


def test_page_x_of_y_and_running_header(pack_pdf: tuple[Path, list[str]]) -> None:
    _path, pages = pack_pdf
    n = len(pages)
    assert n >= 10
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in page
        if i > 1:
            assert "West End ward" in page and "12 months to June 2025" in page and "OFFICIAL" in page


def test_long_table_repeats_its_header(pack_pdf: tuple[Path, list[str]]) -> None:
    _path, pages = pack_pdf
    with_table = [p for p in pages if "Crime by category" in p]
    assert len(with_table) >= 2, "the sample category table spans pages"
    for page in with_table:
        assert "Major category" in page and "Previous 12" in page
    assert any("(continued)" in p for p in with_table[1:])


def test_markup_in_data_is_shown_as_text(pack_pdf: tuple[Path, list[str]]) -> None:
    _path, pages = pack_pdf
    text = _flat(" ".join(pages))
    assert "<b>not bold</b>" in text
    assert "<img src=" in text
    assert '=HYPERLINK("http://evil.invalid")' in text


def test_ten_page_pack_is_under_1_mb(pack_pdf: tuple[Path, list[str]]) -> None:
    path, pages = pack_pdf
    assert len(pages) >= 10
    assert path.stat().st_size < 1_000_000


def test_fonts_are_embedded_and_charts_vector(pack_pdf: tuple[Path, list[str]]) -> None:
    path, _pages = pack_pdf
    reader = PdfReader(str(path))
    fonts: set[str] = set()
    images = 0
    for page in reader.pages:
        res = page["/Resources"]
        for font in (res.get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        for xobj in (res.get("/XObject") or {}).values():
            if xobj.get_object().get("/Subtype") == "/Image":
                images += 1
    assert any("DejaVuSans" in f for f in fonts)
    assert images == 0


def test_rows_are_never_split(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows: list[list[str | int | float | None]] = [
        [f"Row {i:03d} first line of a long cell that wraps onto a second line for sure", i] for i in range(150)
    ]
    table = Table("t", "Many rows", [Column("Text", "text", 1.0), Column("N", "int", 0.3)], rows)
    pack = Pack("ward", "Test ward", "X", "Test", "B", "12 months to June 2025", "2025-06", "OFFICIAL", "Org", "", "")
    pack.sections = [Section("t", "Table section", [table])]
    pages = [_flat(p.extract_text() or "") for p in PdfReader(str(render_pdf(pack, tmp_path / "t.pdf"))).pages]
    text = _flat(" ".join(pages))
    for i in range(150):
        assert f"Row {i:03d} first line of a long cell that wraps onto a second line for sure" in text
    for page in pages[1:]:
        assert "Text" in page and "N" in page  # header on every page of the table


def test_overview_pack_renders(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = render_pdf(sample_overview(), tmp_path / "overview.pdf")
    text = _flat(" ".join(p.extract_text() or "" for p in PdfReader(str(path)).pages))
    assert "Westminster: all wards" in text and "West End" in text and "Abbey Road" in text


def test_print_uses_the_same_paint_path(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    from desktop.reports.pdf import print_pack

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_pack(sample_pack(), printer)
    del printer
    pages = [_flat(p.extract_text() or "") for p in PdfReader(str(tmp_path / "printed.pdf")).pages]
    assert len(pages) >= 10
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert "At a glance" in _flat(" ".join(pages))
    assert PdfReader(str(tmp_path / "printed.pdf")).pages[0].mediabox.width == pytest.approx(595, abs=2)


def test_no_partial_file_left_on_failure(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pack = sample_pack()
    pack.sections[0].blocks.append(object())  # type: ignore[arg-type]
    path = render_pdf(pack, tmp_path / "odd.pdf")  # an unknown block is shown as text, not a crash
    assert path.exists()
    assert not list(tmp_path.glob(".*.part"))


def test_contact_headings_stay_with_their_text(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    from desktop.reports.model import ContactList
    from desktop.reports.pdf import FOOTER_MM, HEADER_MM, page_layout
    from desktop.reports.pdf_base import Ctx, Stack
    from desktop.reports.pdf_layout import paginate

    contacts = [(f"Route {i}", "Call or write to us. " * (1 + i % 7)) for i in range(60)]
    pack = Pack("ward", "Test ward", "X", "Test", "B", "12 months to June 2025", "2025-06", "OFFICIAL", "Org", "", "")
    pack.sections = [Section("contacts", "What can I do?", [ContactList(contacts)])]
    writer = QPdfWriter(str(tmp_path / "x.pdf"))
    writer.setPageLayout(page_layout())
    ctx = Ctx(writer)
    pages = paginate(ctx, pack, ctx.mm(HEADER_MM), ctx.height - ctx.mm(FOOTER_MM), 0.0, ctx.width)
    assert len(pages) > 3
    stacks = [p.item for page in pages for p in page.items if isinstance(p.item, Stack)]
    assert len(stacks) == 60 and all(len(s.items) == 2 for s in stacks)
    for page in pages[1:]:
        for placed in page.items:
            assert placed.y + placed.item.height(ctx, ctx.width) <= ctx.height - ctx.mm(FOOTER_MM) + 1


@pytest.mark.real
def test_real_west_end_pack_pdf_and_xlsx(qapp, shared_data: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real Met edition: the PDF shows the ward, every heading and the R12 total an independent pandas sum
    gives; the XLSX appendix opens and its category total is the same number."""
    import pandas as pd
    from openpyxl import load_workbook

    from desktop.importers import import_file
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.reports.xlsx import write_xlsx
    from desktop.settings import Settings
    from desktop.store import open_store
    from desktop.store.home_area import resolve_wards

    edition = shared_data / "mps-ward-crime" / "MPS_Ward_Level_Crime_most_recent_24_months_202307-202506.csv"
    db = open_store(tmp_path / "wardbrief.db")
    assert import_file(db, edition).ok
    code = resolve_wards(db, ["West End"])[0]
    pack = build_pack(db, code, PackOptions(month="2025-06"), Settings())
    db.close()
    frame = pd.read_csv(edition)
    rows = frame[(frame["WardCode"] == code) & (frame["MajorText"].str.upper() != "NFIB FRAUD")]
    r12 = int(rows[[f"2024{m:02d}" for m in range(7, 13)] + [f"2025{m:02d}" for m in range(1, 7)]].sum().sum())

    pdf = render_pdf(pack, tmp_path / "West_End.pdf")
    pages = [_flat(p.extract_text() or "") for p in PdfReader(str(pdf)).pages]
    text = " ".join(pages)
    assert "West End" in pages[0] and f"{r12:,}" in text
    for heading in pack.headings():
        assert heading in text, heading
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]

    wb = load_workbook(write_xlsx(pack, tmp_path / "West_End.xlsx"))
    ws = wb["All recorded crime by category"]
    totals = [row for row in ws.iter_rows(values_only=True) if row and str(row[0]).startswith("Total")]
    assert totals and totals[-1][1] == r12


def test_wrap_fits_and_breaks_urls_at_slashes(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPdfWriter

    from desktop.reports.pdf import page_layout
    from desktop.reports.pdf_base import Ctx

    writer = QPdfWriter(str(tmp_path / "w.pdf"))
    writer.setPageLayout(page_layout())
    ctx = Ctx(writer)
    text = "Ask for a case review: www.westminster.gov.uk/leisure-libraries-and-community/community-trigger today"
    width = ctx.mm(60)
    lines = ctx.wrap(text, 10, width)
    assert len(lines) >= 3
    assert all(ctx.text_width(line, 10) <= width + 0.5 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any(line.endswith(("/", "-")) for line in lines)
