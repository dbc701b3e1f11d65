"""Measuring and drawing text for the PDF/print renderer: the layout context and the simple flowables.

All sizes are in device pixels of the paint device (QPdfWriter or QPrinter), converted from points and millimetres
with `Ctx.pt()` / `Ctx.mm()`; fonts are sized in points, so Qt scales them for the device. Text from the model is
drawn with `QPainter.drawText(point, str)`, which never interprets markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPagedPaintDevice, QPainter

from desktop.qt_refs import keep_singletons_alive
from desktop.reports.editions import LARGE_PRINT_PT
from desktop.reports.pdf_text import clean

keep_singletons_alive()  # PySide6 on Python < 3.12: see qt_refs.py

FAMILY = "DejaVu Sans"

# Greyscale-safe inks: text is black or near-black; greys are far enough apart to tell in print
INK = QColor("#000000")
INK_SOFT = QColor("#333333")
RULE = QColor("#595959")
FILL_HEADER = QColor("#D9D9D9")
FILL_ZEBRA = QColor("#F2F2F2")
FILL_HIGHLIGHT = QColor("#E3E3E3")

# Large print (editions.py): sizes are scaled so body text (10 pt) reads 16 pt, and nothing is under 16 pt
LARGE_TEXT = 1.6

# Type sizes in points (body >= 9.5, tables >= 8.5)
BODY = 10.0
SMALL = 8.5
TABLE = 8.5
LEAD = 11.5
HEADING = 16.0


class Ctx:
    """What layout needs to know about the device: resolution, fonts and their metrics."""

    def __init__(self, device: QPagedPaintDevice, family: str = FAMILY, large_print: bool = False) -> None:
        self.device = device
        self.large_print = large_print  # every text size goes through `size()`: at least 16 pt, in proportion
        self.dpi = float(device.logicalDpiY())
        self.family = family
        self.width = float(device.width())
        self.height = float(device.height())
        self._fonts: dict[tuple[float, bool, bool], QFont] = {}
        self._metrics: dict[tuple[float, bool, bool], QFontMetricsF] = {}
        self._widths: dict[tuple[str, float, bool, bool], float] = {}
        self._wrapped: dict[tuple[str, float, float, bool, bool], list[str]] = {}
        # the height of a page's content area (set by pdf_layout.paginate): a block that cannot split (a chart, a
        # map) is drawn no taller than this, so it never runs into the footer, whatever its scale (large print)
        self.page_room: float | None = None

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def pt(self, value: float) -> float:
        return value * self.dpi / 72.0

    def size(self, size: float) -> float:
        """The printed size of text the layout asks for at `size` points: as asked, or in large print scaled by
        LARGE_TEXT and never under LARGE_PRINT_PT (RNIB clear print: 16 pt)."""
        return max(LARGE_PRINT_PT, size * LARGE_TEXT) if self.large_print else size

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        key = (size, bold, italic)
        if key not in self._fonts:
            font = QFont(self.family)
            font.setPointSizeF(self.size(size))
            font.setBold(bold)
            font.setItalic(italic)
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            font.setKerning(True)
            for tag in ("liga", "clig"):  # no ligatures: "figures" must stay searchable and copyable as typed
                font.setFeature(QFont.Tag(tag), 0)
            self._fonts[key] = font
        return self._fonts[key]

    def metrics(self, size: float, bold: bool = False, italic: bool = False) -> QFontMetricsF:
        key = (size, bold, italic)
        if key not in self._metrics:
            self._metrics[key] = QFontMetricsF(self.font(size, bold, italic), self.device)
        return self._metrics[key]

    def line_height(self, size: float, bold: bool = False) -> float:
        return self.metrics(size, bold).height() * 1.18

    def text_width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        key = (text, size, bold, italic)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = self.metrics(size, bold, italic).horizontalAdvance(text)
        return width

    def wrap(self, text: str, size: float, width: float, bold: bool = False, italic: bool = False) -> list[str]:
        """Greedy word wrap to `width` (each word measured once); words longer than a line (URLs) break between
        characters."""
        key = (text, size, width, bold, italic)
        if key in self._wrapped:
            return list(self._wrapped[key])
        fm = self.metrics(size, bold, italic)
        space = self.text_width(" ", size, bold, italic)
        lines: list[str] = []
        for para in clean(text).split("\n"):
            line, line_w = "", 0.0
            for word in para.split(" "):
                word_w = self.text_width(word, size, bold, italic)
                if not line or line_w + space + word_w > width:
                    if line:
                        lines.append(line)
                    while word_w > width and len(word) > 1:
                        cut = _fit_chars(fm, word, width)
                        soft = max(word.rfind(ch, 0, cut) for ch in "/-_.?&=")
                        if soft >= cut // 2:  # break a URL or file name after a / - _ . rather than mid-word
                            cut = soft + 1
                        lines.append(word[:cut])
                        word = word[cut:]
                        word_w = self.text_width(word, size, bold, italic)
                    line, line_w = word, word_w
                else:
                    line, line_w = f"{line} {word}", line_w + space + word_w
            lines.append(line)
        self._wrapped[key] = lines
        return list(lines)

    def draw_text(
        self,
        painter: QPainter,
        x: float,
        top: float,
        text: str,
        size: float,
        bold: bool = False,
        italic: bool = False,
        color: QColor = INK,
    ) -> None:
        """One line of plain text with its top at `top`."""
        painter.setFont(self.font(size, bold, italic))
        painter.setPen(color)
        painter.drawText(QPointF(x, top + self.metrics(size, bold, italic).ascent()), text)


def _fit_chars(fm: QFontMetricsF, word: str, width: float) -> int:
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fm.horizontalAdvance(word[:mid]) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


class Flowable:
    """Something placed in the page flow: it knows its height for a width, may split, and draws itself."""

    keep_with_next = False
    keep_together = False  # split only when it does not fit on a page of its own

    def height(self, ctx: Ctx, width: float) -> float:
        raise NotImplementedError

    def min_height(self, ctx: Ctx, width: float) -> float:
        """The least that must fit for this to start on the current page (its first unsplittable piece): exactly
        what `split` would put first, so a block that is let start on a page can always be split there."""
        return self.height(ctx, width)

    def split(self, ctx: Ctx, width: float, avail: float, force: bool = False) -> tuple[Flowable, Flowable] | None:
        """A first part that fits in `avail` and the rest, or None when it cannot split there. With `force` (it does
        not fit on an empty page) the widow and orphan rules give way: a split is better than text over the footer."""
        return None

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        raise NotImplementedError


@dataclass
class TextBlock(Flowable):
    """A wrapped paragraph (optionally a bullet with a hanging indent). Splits between lines."""

    text: str
    size: float = BODY
    bold: bool = False
    italic: bool = False
    color: QColor = field(default_factory=lambda: INK)
    before_pt: float = 0.0
    after_pt: float = 5.0
    bullet: str = ""
    indent_mm: float = 0.0
    keep_with_next: bool = False
    lines: list[str] | None = None  # set when this is the tail of a split

    def _lines(self, ctx: Ctx, width: float) -> list[str]:
        if self.lines is None:
            self.lines = ctx.wrap(self.text, self.size, self._text_width(ctx, width), self.bold, self.italic)
        return self.lines

    def _text_width(self, ctx: Ctx, width: float) -> float:
        return width - ctx.mm(self.indent_mm) - (ctx.mm(4.5) if self.bullet else 0.0)

    def height(self, ctx: Ctx, width: float) -> float:
        lh = ctx.line_height(self.size, self.bold)
        return ctx.pt(self.before_pt) + len(self._lines(ctx, width)) * lh + ctx.pt(self.after_pt)

    def min_height(self, ctx: Ctx, width: float) -> float:
        lines = self._lines(ctx, width)
        if len(lines) < 4:  # two lines each side at least: a paragraph of three lines does not split
            return self.height(ctx, width)
        return ctx.pt(self.before_pt) + 2 * ctx.line_height(self.size, self.bold)

    def split(self, ctx: Ctx, width: float, avail: float, force: bool = False) -> tuple[Flowable, Flowable] | None:
        lines = self._lines(ctx, width)
        lh = ctx.line_height(self.size, self.bold)
        fit = int((avail - ctx.pt(self.before_pt)) // lh)
        least = 1 if force else 2  # no widows or orphans of a single line, unless it cannot be helped
        if fit < least or len(lines) - fit < least:
            fit = min(fit, len(lines) - least)
        if fit < least:
            return None
        head = TextBlock(**{**self.__dict__, "lines": lines[:fit], "after_pt": 0.0})
        tail = TextBlock(**{**self.__dict__, "lines": lines[fit:], "before_pt": 0.0, "bullet": ""})
        if self.bullet:  # the rest hangs under the first line's text
            tail.indent_mm = self.indent_mm + 4.5
        return head, tail

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        lh = ctx.line_height(self.size, self.bold)
        top = y + ctx.pt(self.before_pt)
        left = x + ctx.mm(self.indent_mm)
        if self.bullet:
            ctx.draw_text(painter, left, top, self.bullet, self.size, self.bold, False, self.color)
            left += ctx.mm(4.5)
        for line in self._lines(ctx, width):
            ctx.draw_text(painter, left, top, line, self.size, self.bold, self.italic, self.color)
            top += lh


@dataclass
class Spacer(Flowable):
    mm_: float

    def height(self, ctx: Ctx, width: float) -> float:
        return ctx.mm(self.mm_)

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        return None


@dataclass
class Stack(Flowable):
    """Flowables kept together on one page (e.g. a contact heading and its text), split between items only
    when the whole does not fit on a page."""

    items: list[Flowable]
    keep_with_next: bool = False
    keep_together: bool = True

    def height(self, ctx: Ctx, width: float) -> float:
        return sum(item.height(ctx, width) for item in self.items)

    def min_height(self, ctx: Ctx, width: float) -> float:
        return self.height(ctx, width)

    def split(self, ctx: Ctx, width: float, avail: float, force: bool = False) -> tuple[Flowable, Flowable] | None:
        used, cut = 0.0, 0
        for i, item in enumerate(self.items):
            h = item.height(ctx, width)
            if used + h > avail:
                break
            used, cut = used + h, i + 1
        if cut == 0 or cut == len(self.items):
            return None
        return Stack(self.items[:cut]), Stack(self.items[cut:], self.keep_with_next)

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        for item in self.items:
            item.draw(painter, ctx, x, y, width)
            y += item.height(ctx, width)
