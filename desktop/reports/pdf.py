"""The briefing pack as PDF and on paper, from ONE paint path.

`render_pdf` (QPdfWriter) and `print_pack` (QPrinter) both hand their QPagedPaintDevice to `paint_pack`, which lays
the pack out (pass 1: pages and their contents, so "page x of y" is known) and paints it with QPainter (pass 2).
A4 portrait with explicit margins; bundled DejaVu Sans; text drawn as text (selectable) and never interpreted as
markup; charts as vector SVG. Uses QtGui/QtSvg only (QtPrintSupport is imported only by callers that print).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF
from PySide6.QtGui import (
    QFontDatabase,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from desktop.atomic import write_bytes
from desktop.errors import WardBriefError
from desktop.reports import pdf_summary
from desktop.reports.model import Pack
from desktop.reports.pdf_base import FAMILY, INK, INK_SOFT, RULE, Ctx
from desktop.reports.pdf_layout import Page, paginate
from desktop.reports.pdf_text import clean, cover_details, data_status

log = logging.getLogger(__name__)

MARGINS_MM = QMarginsF(15, 11, 15, 11)  # left, top, right, bottom: inside every printer's unprintable edge
HEADER_MM = 13.0  # header band at the top of the printable area (pages after the cover)
FOOTER_MM = 11.0
PDF_DPI = 1200

_app: Any = None
_fonts_family: str | None = None


def ensure_gui_app() -> QGuiApplication:
    """The running Q(Gui)Application, or a new one (offscreen when there is no display: CLI, worker processes)."""
    global _app
    app = QGuiApplication.instance()
    if app is None:
        no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        if sys.platform.startswith("linux") and no_display and not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        _app = QGuiApplication([sys.argv[0] if sys.argv else "wardbrief"])
        app = _app
    register_fonts()
    return app  # type: ignore[return-value]


def register_fonts() -> str:
    """Register the bundled fonts once; return the family to use (falls back to Qt's default if missing)."""
    global _fonts_family
    if _fonts_family is not None:
        return _fonts_family
    from desktop.resources import resources_dir

    folder = resources_dir() / "fonts"
    families: set[str] = set()
    for ttf in sorted(folder.glob("*.ttf")):
        font_id = QFontDatabase.addApplicationFont(str(ttf))
        if font_id < 0:
            log.warning("could not load the bundled font %s", ttf)
            continue
        families.update(QFontDatabase.applicationFontFamilies(font_id))
    if FAMILY not in families:
        log.warning("bundled font %s missing from %s; packs will use the system default font", FAMILY, folder)
    _fonts_family = FAMILY if FAMILY in families else ""
    return _fonts_family


def page_layout() -> QPageLayout:
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
    )


def render_pdf(pack: Pack, path: str | os.PathLike[str]) -> Path:
    """Write the pack as an A4 PDF at `path`: drawn in memory, then saved whole or not at all (desktop.atomic), so a
    full disk or an unwritable folder leaves any earlier copy as it was and says so in plain words. A large-print
    pack has no text under 16 pt; a summary pack (editions.summary_pack) is fitted to two pages."""
    ensure_gui_app()
    target = Path(path)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(page_layout())
    writer.setTitle(clean(f"{pack.title} - {pack.period_label}"))
    writer.setCreator("WardBrief")
    if hasattr(writer, "setAuthor"):  # Qt 6.8+
        writer.setAuthor(clean(pack.prepared_by or pack.organisation))
    paint_pack(pack, writer)
    del writer  # finishes the document
    buffer.close()
    return write_bytes(target, bytes(data.data()), "The PDF", _pdf_problem)


def _pdf_problem(data: bytes) -> str | None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return "the drawing did not produce a whole PDF"
    return None


def print_pack(pack: Pack, printer: Any) -> None:
    """Print the pack on a QPrinter (already chosen in a print dialog): the same painting as the PDF."""
    ensure_gui_app()
    if not printer.setPageLayout(page_layout()):
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    paint_pack(pack, printer)


def header_height(ctx: Ctx) -> float:
    """The running header's band: HEADER_MM, or more when large print needs it for its two lines."""
    return max(ctx.mm(HEADER_MM), ctx.line_height(9.5, True) + ctx.line_height(9) + ctx.mm(4.5))


def footer_height(ctx: Ctx) -> float:
    return max(ctx.mm(FOOTER_MM), ctx.mm(3) + 2 * ctx.line_height(9, True) + ctx.mm(0.5))


def paint_pack(pack: Pack, device: QPagedPaintDevice) -> int:
    """Lay the pack out for `device`, then paint every page. Returns the number of pages."""
    family = register_fonts()
    ctx = Ctx(device, family or FAMILY, pack.large_print)
    top = header_height(ctx)
    bottom = ctx.height - footer_height(ctx)
    summary = pack.edition == "summary"
    front = 1  # the cover; and a page for the contents when they do not fit on it (large print)
    if summary:
        pack, pages = pdf_summary.fit(ctx, pack, top, bottom, pdf_summary.masthead_height(ctx, pack))
    else:
        front = 1 if contents_on_cover(ctx, pack) else 2
        pages = paginate(ctx, pack, top, bottom, 0.0, ctx.width, front=front)
        if front == 2:
            pages[1].section = CONTENTS
    painter = QPainter()
    if not painter.begin(device):
        raise WardBriefError("The pack could not be drawn on this printer or file.", "Try another printer or folder.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for number, page in enumerate(pages, start=1):
            if number > 1 and not device.newPage():
                raise WardBriefError("The printer refused a new page.", "Check the printer and try again.")
            if number == 1 and not summary:
                _cover(painter, ctx, pack, _first_pages(pages), contents=front == 1)
            elif number == 2 and front == 2:
                _header(painter, ctx, pack, page)
                _contents(painter, ctx, pack, _first_pages(pages), top, bottom)
            else:
                if number == 1:
                    pdf_summary.draw_masthead(painter, ctx, pack, 0.0)
                else:
                    _header(painter, ctx, pack, page)
                for placed in page.items:
                    painter.save()
                    placed.item.draw(painter, ctx, placed.x, placed.y, placed.width)
                    painter.restore()
            _footer(painter, ctx, pack, number, len(pages))
    finally:
        painter.end()
    return len(pages)


def _rule(painter: QPainter, ctx: Ctx, y: float, width_pt: float = 0.6) -> None:
    pen = QPen(RULE)
    pen.setWidthF(ctx.pt(width_pt))
    painter.setPen(pen)
    painter.drawLine(QPointF(0, y), QPointF(ctx.width, y))


def _right(painter: QPainter, ctx: Ctx, top: float, text: str, size: float, bold: bool = False) -> None:
    ctx.draw_text(painter, ctx.width - ctx.text_width(text, size, bold), top, text, size, bold)


def _fit(ctx: Ctx, text: str, size: float, width: float, bold: bool = False) -> str:
    """Shorten `text` with an ellipsis so it fits on one line."""
    if ctx.text_width(text, size, bold) <= width:
        return text
    while text and ctx.text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text + "…"


def _header(painter: QPainter, ctx: Ctx, pack: Pack, page: Page) -> None:
    marking = clean(pack.marking)
    mark_w = ctx.text_width(marking, 10, True) + ctx.mm(4)
    left = f"{clean(pack.title)}  ·  {clean(pack.period_label)}"
    ctx.draw_text(painter, 0, 0, _fit(ctx, left, 9.5, ctx.width - mark_w, True), 9.5, True)
    if page.section:
        ctx.draw_text(
            painter,
            0,
            ctx.line_height(9.5, True),
            _fit(ctx, clean(page.section), 9, ctx.width - mark_w),
            9,
            False,
            False,
            INK_SOFT,
        )
    if marking:
        _right(painter, ctx, 0, marking, 10, True)
    _rule(painter, ctx, header_height(ctx) - ctx.mm(3.5), 0.8)


def _footer(painter: QPainter, ctx: Ctx, pack: Pack, number: int, total: int) -> None:
    y = ctx.height - footer_height(ctx) + ctx.mm(3)
    _rule(painter, ctx, y - ctx.mm(1.5))
    page_text = f"Page {number} of {total}"
    if ctx.large_print:  # two lines: organisation and page; how current and the marking
        _right(painter, ctx, y, page_text, 8.5, True)
        room = ctx.width - ctx.text_width(page_text, 8.5, True) - ctx.mm(4)
        ctx.draw_text(painter, 0, y, _fit(ctx, clean(pack.organisation), 8.5, room), 8.5)
        y += ctx.line_height(8.5)
        marking = clean(pack.marking)
        room = ctx.width - (ctx.text_width(marking, 9, True) + ctx.mm(4) if marking else 0)
        middle = data_status(pack.reference_month, pack.data_as_at, short=True)
        ctx.draw_text(painter, 0, y, _fit(ctx, middle, 8.5, room), 8.5)
        if marking:
            _right(painter, ctx, y, marking, 9, True)
        return
    ctx.draw_text(painter, 0, y, _fit(ctx, clean(pack.organisation), 8.5, ctx.width * 0.4), 8.5)
    middle = data_status(pack.reference_month, pack.data_as_at, short=True)
    if middle:
        ctx.draw_text(painter, (ctx.width - ctx.text_width(middle, 8.5)) / 2, y, middle, 8.5)
    _right(painter, ctx, y, page_text, 8.5, True)
    if pack.marking:
        marking = clean(pack.marking)
        ctx.draw_text(
            painter, (ctx.width - ctx.text_width(marking, 9, True)) / 2, y + ctx.line_height(8.5), marking, 9, True
        )


def _first_pages(pages: list[Page]) -> dict[str, int]:
    first: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for title in page.starts:
            first.setdefault(title, number)
    return first


COVER_NOTE = (
    "Figures are recorded crime and survey results as published; a change is called clear only when it is larger "
    "than the ward's own normal ups and downs (see 'About these figures')."
)
CONTENTS = "In this pack"


def _say(painter: QPainter | None, ctx: Ctx, x: float, top: float, text: str, size: float, *style: Any) -> None:
    """Draw one line, or nothing when only measuring (painter None): the cover is measured by the code that draws
    it, so what the layout decides (does the contents list fit?) is what gets painted."""
    if painter is not None:
        ctx.draw_text(painter, x, top, text, size, *style)


def _cover_details(painter: QPainter | None, ctx: Ctx, pack: Pack) -> float:
    """The cover from its marking to its labelled facts; returns the y under them."""
    w = ctx.width
    marking = clean(pack.marking)
    if marking:
        _say(painter, ctx, (w - ctx.text_width(marking, 11, True)) / 2, 0, marking, 11, True)
    y = ctx.mm(10 if ctx.large_print else 38)
    kicker = "Borough overview" if pack.kind == "overview" else "Neighbourhood ward panel briefing"
    _say(painter, ctx, 0, y, kicker.upper(), 11, True, False, INK_SOFT)
    y += ctx.line_height(11, True) + ctx.mm(2)
    for line in ctx.wrap(pack.title, 30, w, True):
        _say(painter, ctx, 0, y, line, 30, True)
        y += ctx.line_height(30, True)
    if pack.kind == "ward" and pack.borough_name:
        _say(painter, ctx, 0, y, clean(pack.borough_name), 16)
        y += ctx.line_height(16)
    y += ctx.mm(3)
    _say(painter, ctx, 0, y, clean(pack.period_label), 14, True)
    y += ctx.line_height(14, True) + ctx.mm(5)
    if painter is not None:
        pen = QPen(INK)
        pen.setWidthF(ctx.pt(2))
        painter.setPen(pen)
        painter.drawLine(QPointF(0, y), QPointF(ctx.mm(40), y))
    y += ctx.mm(8)
    details = cover_details(pack)
    if ctx.large_print:  # the same facts as the ordinary cover; "on behalf of" only when it says something new
        by = dict(details).get("Prepared by")
        details = [(k, v) for k, v in details if not (k == "On behalf of" and v == by)]
    label_w = max(ctx.mm(38), max(ctx.text_width(label, 10.5, True) for label, _ in details) + ctx.mm(4))
    for label, value in details:
        _say(painter, ctx, 0, y, label, 10.5, True, False, INK_SOFT)
        for line in ctx.wrap(value, 10.5, w - label_w):
            _say(painter, ctx, label_w, y, line, 10.5)
            y += ctx.line_height(10.5)
        y += ctx.mm(1.5)
    return y + ctx.mm(6)


def _contents(
    painter: QPainter | None, ctx: Ctx, pack: Pack, first_pages: dict[str, int], y: float, bottom: float
) -> float | None:
    """The contents list ("In this pack") from `y`: every section and the page it starts on. Returns the y under
    it, or None when it does not fit above `bottom` (then nothing is drawn). Large print takes the whole width,
    or two columns balanced by their wrapped lines when one is too long, and wraps a long title (a cut title is
    no use); ordinary print has the room for one column of one line each."""
    contents = [s.title for s in pack.sections]
    if not contents:
        return y
    gap = ctx.mm(6)
    number_w = ctx.text_width("888", 10) if ctx.large_print else 0.0  # large print: the bare number, measured wide

    def entries(col: float) -> list[tuple[str, list[str]]]:
        out = []
        for n, title in enumerate(contents, start=1):
            page = str(first_pages.get(title, ""))
            text = f"{n}.  {clean(title)}"
            if ctx.large_print:
                out.append((page, ctx.wrap(text, 10, col - number_w - ctx.mm(3))))
            else:
                page = f"page {page}" if page else ""
                out.append((page, [_fit(ctx, text, 10, col - ctx.text_width(page, 10) - ctx.mm(3))]))
        return out

    lh = ctx.line_height(10)
    head = ctx.line_height(11.5, True) + ctx.mm(1)
    col, per_column = (ctx.width, len(contents)) if ctx.large_print else (ctx.mm(110), len(contents))
    laid = entries(col)
    if ctx.large_print and y + head + sum(len(lines) for _, lines in laid) * lh > bottom:
        col = (ctx.width - gap) / 2
        laid = entries(col)
        heights = [len(lines) for _, lines in laid]
        per_column = next((i for i in range(1, len(heights)) if sum(heights[:i]) >= sum(heights) / 2), len(heights))
    columns = [laid[:per_column], laid[per_column:]]
    lowest = y + head + max(sum(len(lines) for _, lines in c) for c in columns) * lh
    if lowest > bottom:
        return None
    _say(painter, ctx, 0, y, CONTENTS, 11.5, True)
    for c, column in enumerate(columns):
        x, top = c * (col + gap), y + head
        for page, lines in column:
            if page:
                _say(painter, ctx, x + col - ctx.text_width(page, 10), top, page, 10)
            for line in lines:
                _say(painter, ctx, x, top, line, 10)
                top += lh
    return lowest


def contents_on_cover(ctx: Ctx, pack: Pack) -> bool:
    """Whether the cover has room for the contents list (large print's may not: it then has a page of its own)."""
    bottom = ctx.height - footer_height(ctx) - ctx.mm(2)
    return _contents(None, ctx, pack, {}, _cover_details(None, ctx, pack), bottom) is not None


def _cover(painter: QPainter, ctx: Ctx, pack: Pack, first_pages: dict[str, int], contents: bool = True) -> None:
    w = ctx.width
    y = _cover_details(painter, ctx, pack)
    bottom = ctx.height - footer_height(ctx) - ctx.mm(2)
    if contents:
        y = _contents(painter, ctx, pack, first_pages, y, bottom) or y
    elif pack.sections:  # large print: the list is on the next page
        ctx.draw_text(painter, 0, y, CONTENTS, 11.5, True)
        y += ctx.line_height(11.5, True) + ctx.mm(1)
        for line in ctx.wrap("The list of what is in this pack is on page 2.", 10, w):
            ctx.draw_text(painter, 0, y, line, 10)
            y += ctx.line_height(10)
    bottom = ctx.height - footer_height(ctx) - ctx.mm(4)
    lines = ctx.wrap(COVER_NOTE, 9.5, w)
    if y > bottom - len(lines) * ctx.line_height(9.5):  # large print: no room left for the note
        return
    y = bottom - len(lines) * ctx.line_height(9.5)
    for line in lines:
        ctx.draw_text(painter, 0, y, line, 9.5, False, True, INK_SOFT)
        y += ctx.line_height(9.5)


__all__ = ["render_pdf", "print_pack", "paint_pack", "ensure_gui_app", "register_fonts", "page_layout"]
