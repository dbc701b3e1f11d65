"""Large print on paper keeps inside the page: checked from the demo's large-print PDFs themselves with pypdf.

Every piece of text the PDF draws (body, tables, and the text inside charts and maps, which QtSvg writes as text) is
read with its position and size. No piece of the page's content may reach into the running footer or header, or
past the side margins (where a chart's or a map's frame ends, so its text would be cut off); no page but the last
is left holding a lone heading or a line or two; and the cover has every contents entry and the marking row."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.reports.editions import apply_edition

WARDS = {"E05013806": "St James's", "E05013808": "West End", "E05013794": "Church Street"}
TOLERANCE_PT = 0.75  # rounding in the PDF's matrices and in measuring text with another font engine
DESCENT = 0.24  # DejaVu Sans: how far below the baseline its glyphs reach, as a share of the size
ASCENT = 0.93
PAGE_OF = re.compile(r"Page \d+ of \d+")
MIN_LINES = 3  # a page (not the last) with fewer lines of text than this is a wasted page


@pytest.fixture(scope="module")
def packs(demo_db: Any, tmp_path_factory: pytest.TempPathFactory, qapp: Any) -> dict[str, tuple[Any, Path]]:
    """The large-print public pack of each ward (and the large-print summary of one) with its PDF."""
    from desktop.reports.build import build_pack
    from desktop.reports.options import PackOptions
    from desktop.reports.pdf import render_pdf
    from desktop.settings import Settings

    folder = tmp_path_factory.mktemp("large_print_pdfs")
    out: dict[str, tuple[Any, Path]] = {}
    for code, name in WARDS.items():
        full = build_pack(demo_db, code, PackOptions(), Settings())
        editions = [("large", apply_edition(full, large_print=True))]
        if code == "E05013808":
            editions.append(("summary", apply_edition(full, summary=True, large_print=True)))
        for label, pack in editions:
            out[f"{name} {label}"] = (pack, render_pdf(pack, folder / f"{code}-{label}.pdf"))
    return out


@dataclass
class Piece:
    """One drawn piece of text: its baseline's start (PDF points, y up), size, direction and weight."""

    text: str
    x: float
    y: float
    size: float
    dx: float  # unit vector of the baseline (1, 0 for ordinary text; 0, 1 for a chart's rotated axis label)
    dy: float
    bold: bool

    def width(self) -> float:
        """The advance of the text in points, measured by Qt in the bundled font (as the renderer measures)."""
        from desktop.reports import pdf

        ctx = _measure()
        return ctx.text_width(self.text, self.size, self.bold) * 72.0 / pdf.PDF_DPI

    def box(self) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of the ink, roughly: the advance along the baseline, ascent and descent."""
        w = self.width()
        xs = [self.x, self.x + self.dx * w]
        ys = [self.y, self.y + self.dy * w]
        # the text's "up" is the baseline turned a quarter anticlockwise
        ux, uy = -self.dy, self.dx
        for k in (ASCENT, -DESCENT):
            xs += [self.x + ux * k * self.size, self.x + self.dx * w + ux * k * self.size]
            ys += [self.y + uy * k * self.size, self.y + self.dy * w + uy * k * self.size]
        return min(xs), min(ys), max(xs), max(ys)


_MEASURE: list[Any] = []


def _measure() -> Any:
    """A layout context on a PDF device at the renderer's resolution, in ordinary print (sizes as asked)."""
    if not _MEASURE:
        from PySide6.QtGui import QPdfWriter

        from desktop.reports import pdf
        from desktop.reports.pdf_base import Ctx

        writer = QPdfWriter(str(Path("/dev/null")))
        writer.setResolution(pdf.PDF_DPI)
        writer.setPageLayout(pdf.page_layout())
        _MEASURE.append((writer, Ctx(writer, pdf.register_fonts() or "DejaVu Sans")))
    return _MEASURE[0][1]


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def pieces(page: Any) -> list[Piece]:
    """The page's text in the order it was drawn."""
    out: list[Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        text = text.replace("\t", " ").strip("\n")
        if not text.strip():
            return
        m = _mul(tm, cm)
        scale = math.hypot(m[0], m[1])
        base = str(font.get("/BaseFont", "")) if font else ""
        out.append(Piece(text, m[4], m[5], size * math.hypot(m[2], m[3]), m[0] / scale, m[1] / scale, "Bold" in base))

    page.extract_text(visitor_text=visit)
    return out


@dataclass
class Frame:
    """Where a page's content may go (PDF points, y up), from the renderer's own margins and bands."""

    left: float
    right: float
    top: float  # below the running header (the cover has none: its top margin)
    bottom: float  # above the running footer


def frames(large_print: bool) -> tuple[Frame, Frame]:
    """The cover's frame and every other page's."""
    from PySide6.QtGui import QPdfWriter

    from desktop.reports import pdf
    from desktop.reports.pdf_base import Ctx

    writer = QPdfWriter(str(Path("/dev/null")))
    writer.setResolution(pdf.PDF_DPI)
    writer.setPageLayout(pdf.page_layout())
    ctx = Ctx(writer, pdf.register_fonts() or "DejaVu Sans", large_print)
    px = 72.0 / pdf.PDF_DPI
    mm = 72.0 / 25.4
    m = pdf.MARGINS_MM
    page_w, page_h = 210 * mm, 297 * mm
    left, right = m.left() * mm, page_w - m.right() * mm
    bottom = m.bottom() * mm + pdf.footer_height(ctx) * px
    top = page_h - m.top() * mm
    return Frame(left, right, top, bottom), Frame(left, right, top - pdf.header_height(ctx) * px, bottom)


def body(page_pieces: list[Piece], frame: Frame, number: int) -> list[Piece]:
    """The page's content: without the running header (drawn first: its title, section and marking lines) and the
    footer (drawn last, from its "Page n of m"). Content that strays into either band is drawn between them, so it
    stays in the content and is caught."""
    pages = [i for i, p in enumerate(page_pieces) if PAGE_OF.fullmatch(p.text.strip())]
    end = pages[-1] if pages else len(page_pieces)
    start = 0
    if number > 1:
        while start < min(end, 3) and page_pieces[start].y > frame.top:
            start += 1
    return page_pieces[start:end]


def _where(piece: Piece) -> str:
    return f"{piece.text[:50]!r} at ({piece.x:.0f}, {piece.y:.0f}), {piece.size:.1f} pt"


def test_no_text_crosses_into_the_footer_or_header_or_off_the_page(packs: dict[str, tuple[Any, Path]]) -> None:
    cover, inner = frames(large_print=True)
    faults: list[str] = []
    for name, (_pack, path) in packs.items():
        for number, page in enumerate(PdfReader(path).pages, start=1):
            frame = cover if number == 1 else inner
            every = pieces(page)
            assert any(PAGE_OF.fullmatch(p.text.strip()) for p in every), f"{name} p{number}: no footer found"
            for piece in body(every, frame, number):
                left, low, right, high = piece.box()
                where = f"{name} p{number}: {_where(piece)}"
                if low < frame.bottom - TOLERANCE_PT:
                    faults.append(f"{where} reaches {frame.bottom - low:.1f} pt into the footer")
                if number > 1 and high > frame.top + TOLERANCE_PT:
                    faults.append(f"{where} reaches {high - frame.top:.1f} pt into the header")
                if left < frame.left - TOLERANCE_PT or right > frame.right + TOLERANCE_PT:
                    faults.append(f"{where} runs {max(frame.left - left, right - frame.right):.1f} pt off the side")
    assert not faults, f"{len(faults)} pieces of text outside the page's frame:\n" + "\n".join(faults[:40])


def test_no_page_holds_only_a_heading_or_a_line_or_two(packs: dict[str, tuple[Any, Path]]) -> None:
    """Every page but the last holds at least MIN_LINES lines of text, and none ends with a section's heading."""
    cover, inner = frames(large_print=True)
    faults: list[str] = []
    for name, (pack, path) in packs.items():
        headings = {s.title for s in pack.sections}
        reader = PdfReader(path)
        for number, page in enumerate(reader.pages, start=1):
            content = body(pieces(page), cover if number == 1 else inner, number)
            if number == len(reader.pages):
                continue
            lines = {round(p.y) for p in content if p.dy == 0}
            if len(lines) < MIN_LINES:
                faults.append(f"{name} p{number}: {len(lines)} line(s): {[p.text[:40] for p in content]}")
            lowest = min(content, key=lambda p: p.y, default=None)
            if lowest is not None and lowest.text in headings and lowest.dy == 0:
                faults.append(f"{name} p{number}: ends with the heading {lowest.text!r}")
    assert not faults, "\n".join(faults)


def test_large_print_cover_lists_every_section_and_the_marking(packs: dict[str, tuple[Any, Path]]) -> None:
    """The cover has the marking row the ordinary cover has, and the contents ("In this pack", continued on the
    next page when the cover is full) name every section with the page it starts on."""
    for name, (pack, path) in packs.items():
        if pack.edition == "summary":
            continue
        reader = PdfReader(path)
        cover = [p.text for p in pieces(reader.pages[0])]
        assert "Marking" in cover and "In this pack" in cover, name
        front = " ".join(" ".join(p.text for p in pieces(page)) for page in reader.pages[:2])
        front = " ".join(front.split())
        for n, section in enumerate(pack.sections, start=1):
            first_word = section.title.split()[0]
            assert f"{n}. {first_word}" in front, (name, n, section.title)
