"""The richer flowables of the pack: headline tiles and tables that span pages (charts: pdf_charts.py)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

from desktop.reports.model import Table, Tile
from desktop.reports.pdf_base import (
    BODY,
    FILL_HEADER,
    FILL_HIGHLIGHT,
    FILL_ZEBRA,
    INK,
    INK_SOFT,
    RULE,
    SMALL,
    TABLE,
    Ctx,
    Flowable,
)
from desktop.reports.pdf_text import NUMERIC_FORMATS, clean, format_cell

ARROWS = {"up": "▲", "down": "▼"}
HIGHLIGHT_MARK = "▶ "
MIN_ROWS = 3  # a table split leaves at least this many rows on each page


def _pen(ctx: Ctx, color: object, width_pt: float) -> QPen:
    pen = QPen(color)
    pen.setWidthF(ctx.pt(width_pt))
    return pen


# --- tiles --------------------------------------------------------------------------------------------------


def tile_columns(n: int, large_print: bool = False) -> int:
    if large_print:  # a 16 pt label and a 35 pt number need half the page's width
        return min(max(n, 1), 2)
    return 3 if n in (3, 5, 6, 9) else min(max(n, 1), 4)


@dataclass
class TileRow(Flowable):
    """One row of headline tiles: a box each, a big number, an arrow and words for direction and significance."""

    tiles: list[Tile]
    columns: int

    def _geometry(self, ctx: Ctx, width: float) -> tuple[float, float]:
        gap = ctx.mm(3)
        return (width - gap * (self.columns - 1)) / self.columns, gap

    def _content(self, tile: Tile, ctx: Ctx, inner: float) -> list[tuple[str, float, bool]]:
        # the label keeps clear of the variation icon in the top right corner
        label_w = inner - ctx.mm(ICON_MM + 1.5) if any(t.variation != "none" for t in self.tiles) else inner
        label = ctx.wrap(tile.label, 9.5, label_w, True)
        rows = max(len(ctx.wrap(t.label, 9.5, label_w, True)) for t in self.tiles)
        label += [""] * (rows - len(label))  # big numbers line up across the row
        lines: list[tuple[str, float, bool]] = [(t, 9.5, True) for t in label]
        lines.append((clean(tile.value), VALUE_PT, True))
        change = clean(tile.change)
        arrow = ARROWS.get(tile.direction, "")
        if arrow and change and not change.startswith(("▲", "▼")):
            change = f"{arrow} {change}"
        elif arrow and not change:
            change = arrow
        lines += [(t, BODY, False) for t in ctx.wrap(change, BODY, inner)] if change else []
        lines += (
            [(t, 9.5, tile.significant) for t in ctx.wrap(tile.significance, 9.5, inner)] if tile.significance else []
        )
        lines += [(t, 9.0, False) for t in ctx.wrap(tile.context, 9.0, inner)] if tile.context else []
        return lines

    def height(self, ctx: Ctx, width: float) -> float:
        tile_w, _ = self._geometry(ctx, width)
        inner = tile_w - ctx.mm(5)
        tallest = max(
            sum(ctx.line_height(size, bold) for _t, size, bold in self._content(t, ctx, inner)) for t in self.tiles
        )
        return tallest + ctx.mm(5) + ctx.mm(3)

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        tile_w, gap = self._geometry(ctx, width)
        box_h = self.height(ctx, width) - ctx.mm(3)
        for i, tile in enumerate(self.tiles):
            left = x + i * (tile_w + gap)
            painter.setPen(_pen(ctx, INK if tile.significant else RULE, 1.6 if tile.significant else 0.7))
            painter.setBrush(FILL_ZEBRA if tile.significant else QColor("white"))
            painter.drawRect(QRectF(left, y, tile_w, box_h))
            top = y + ctx.mm(2.5)
            for text, size, bold in self._content(tile, ctx, tile_w - ctx.mm(5)):
                ctx.draw_text(painter, left + ctx.mm(2.5), top, text, size, bold, False, INK)
                top += ctx.line_height(size, bold)
            if tile.variation != "none":
                d = ctx.mm(ICON_MM)
                variation_icon(painter, ctx, left + tile_w - ctx.mm(2) - d, y + ctx.mm(2), d, tile.variation)


VALUE_PT = 22.0
ICON_MM = 8.0
ICON_FILL = {"concern": QColor("#E69F00"), "improvement": QColor("#0072B2"), "common": QColor("#D9D9D9")}
ICON_LETTER = {"concern": "H", "improvement": "L"}


def variation_icon(painter: QPainter, ctx: Ctx, x: float, y: float, d: float, kind: str) -> None:
    """A variation icon after NHS "Making Data Count": a circle holding a bold H (special cause, higher: a concern
    for crime), L (lower: an improvement) or a flat line of dots (common cause only). The letter and the dots carry
    the meaning in greyscale; the fill (Okabe-Ito orange / blue / grey) only repeats it."""
    painter.save()
    painter.setPen(_pen(ctx, INK, 0.9))
    painter.setBrush(ICON_FILL.get(kind, QColor("white")))
    painter.drawEllipse(QRectF(x, y, d, d))
    letter = ICON_LETTER.get(kind)
    if letter:
        font = ctx.font(13.0, True)
        painter.setFont(font)
        painter.setPen(QColor("white") if kind == "improvement" else INK)
        painter.drawText(QRectF(x, y, d, d), int(Qt.AlignmentFlag.AlignCenter), letter)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(INK)
        r = d * 0.07
        for i in range(5):
            cx = x + d * (0.22 + 0.14 * i)
            cy = y + d / 2 + (d * 0.06 if i % 2 else -d * 0.06)
            painter.drawEllipse(QRectF(cx - r, cy - r, 2 * r, 2 * r))
    painter.restore()


# --- tables -------------------------------------------------------------------------------------------------


def column_widths(ctx: Ctx, table: Table, width: float, padding: float) -> list[float]:
    """Automatic table layout (as browsers do it): every column gets at least its longest unbreakable piece (a
    header word, a number, a word of text), then the space left goes to the columns whose text would otherwise
    wrap, in proportion to how much they would need; `Column.width` shares out whatever is left after that."""
    if not table.columns:
        return []
    mins, maxs = column_extents(ctx, table, width, padding)
    weights = [max(c.width, 0.1) for c in table.columns]
    if sum(maxs) <= width:
        spare = width - sum(maxs)
        return [m + spare * w / sum(weights) for m, w in zip(maxs, weights, strict=True)]
    if sum(mins) <= width:
        spare = width - sum(mins)
        wants = [hi - lo for hi, lo in zip(maxs, mins, strict=True)]
        return [lo + spare * want / sum(wants) for lo, want in zip(mins, wants, strict=True)]
    return [m * width / sum(mins) for m in mins]  # even the minimums do not fit: long words will break


def split_columns(ctx: Ctx, table: Table, width: float) -> list[Table]:
    """A table too wide for the page without breaking words (large print) as several tables, each with the first
    column (the row headings) and as many of the others as fit; the notes go with the last. Re-flow, not shrink."""
    mins, _ = column_extents(ctx, table, width, 2 * ctx.mm(1.5))
    if sum(mins) <= width or len(table.columns) < 3:
        return [table]
    groups: list[list[int]] = []
    group, used = [0], mins[0]
    for c in range(1, len(table.columns)):
        if used + mins[c] > width and len(group) > 1:
            groups.append(group)
            group, used = [0], mins[0]
        group.append(c)
        used += mins[c]
    groups.append(group)
    parts = []
    for i, cols in enumerate(groups):
        last = i == len(groups) - 1
        names = ", ".join(table.columns[c].name for c in cols[1:])
        parts.append(
            Table(
                key=f"{table.key}_{i + 1}",
                title=table.title if i == 0 else f"{table.title} (continued: {names})",
                columns=[table.columns[c] for c in cols],
                rows=[[row[c] if c < len(row) else None for c in cols] for row in table.rows],
                units=table.units if last else "",
                source=table.source if last else "",
                notes=table.notes if last else [],
                highlight_rows=table.highlight_rows,
                total_row=table.total_row,
            )
        )
    return parts


def column_extents(ctx: Ctx, table: Table, width: float, padding: float) -> tuple[list[float], list[float]]:
    """Each column's least width (its longest unbreakable piece, at most 40% of `width`) and the width that holds
    its longest cell on one line, padding included."""
    mins: list[float] = []
    maxs: list[float] = []
    last = len(table.rows) - 1
    for c, col in enumerate(table.columns):
        low = max((ctx.text_width(w, TABLE, True) for w in col.name.split()), default=0.0)
        high = low
        numeric = col.fmt in NUMERIC_FORMATS
        for r, row in enumerate(table.rows):
            text = format_cell(row[c] if c < len(row) else None, col.fmt)
            if c == 0 and r in table.highlight_rows:
                text = HIGHLIGHT_MARK + text
            bold = r in table.highlight_rows or (table.total_row and r == last)
            full = ctx.text_width(text, TABLE, bold)
            high = max(high, full)
            low = max([low, full] if numeric else [low] + [ctx.text_width(p, TABLE, bold) for p in text.split()])
        mins.append(min(low, width * 0.4) + padding)
        maxs.append(max(min(low, width * 0.4), high) + padding)
    return mins, maxs


@dataclass
class TableFlow(Flowable):
    """A table whose header repeats on every page it spans; rows are never split; the caption (units, source,
    notes) follows the last part."""

    table: Table
    rows: list[int] | None = None  # indexes into table.rows; None = all
    continued: bool = False
    caption: bool = True
    show_title: bool = True

    def __post_init__(self) -> None:
        if self.rows is None:
            self.rows = list(range(len(self.table.rows)))
        self._cache: dict[str, object] = {}

    # geometry
    def _widths(self, ctx: Ctx, width: float) -> list[float]:
        """Column widths: each at least its longest header word and (numbers) its widest value or (text) its
        longest word, so nothing breaks mid-word when it can be helped; the rest shared by `Column.width`."""
        key = f"w{width:.0f}"
        if key not in self._cache:
            self._cache[key] = column_widths(ctx, self.table, width, 2 * self._pad(ctx)[0])
        return self._cache[key]  # type: ignore[return-value]

    def _pad(self, ctx: Ctx) -> tuple[float, float]:
        return ctx.mm(1.5), ctx.mm(1.0)

    def _cell_lines(self, ctx: Ctx, width: float, row: int) -> list[list[str]]:
        key = f"r{row}"
        if key not in self._cache:
            values = self.table.rows[row]
            bold = self._bold(row)
            pad_x, _ = self._pad(ctx)
            out = []
            for c, (col, w) in enumerate(zip(self.table.columns, self._widths(ctx, width), strict=False)):
                text = format_cell(values[c] if c < len(values) else None, col.fmt)
                if c == 0 and row in self.table.highlight_rows:
                    text = HIGHLIGHT_MARK + text
                out.append(ctx.wrap(text, TABLE, w - 2 * pad_x, bold))
            self._cache[key] = out
        return self._cache[key]  # type: ignore[return-value]

    def _bold(self, row: int) -> bool:
        return row in self.table.highlight_rows or (self.table.total_row and row == len(self.table.rows) - 1)

    def _row_h(self, ctx: Ctx, width: float, row: int) -> float:
        lines = max((len(cell) for cell in self._cell_lines(ctx, width, row)), default=1)
        return lines * ctx.line_height(TABLE, self._bold(row)) + 2 * self._pad(ctx)[1]

    def _header_lines(self, ctx: Ctx, width: float) -> list[list[str]]:
        pad_x, _ = self._pad(ctx)
        return [
            ctx.wrap(col.name, TABLE, w - 2 * pad_x, True)
            for col, w in zip(self.table.columns, self._widths(ctx, width), strict=True)
        ]

    def _header_h(self, ctx: Ctx, width: float) -> float:
        lines = max((len(c) for c in self._header_lines(ctx, width)), default=1)
        return lines * ctx.line_height(TABLE, True) + 2 * self._pad(ctx)[1]

    def _title_lines(self, ctx: Ctx, width: float) -> list[str]:
        if not self.show_title:
            return []
        title = clean(self.table.title) + (" (continued)" if self.continued else "")
        return ctx.wrap(title, BODY, width, True)

    def _caption_lines(self, ctx: Ctx, width: float) -> list[str]:
        if not self.caption:
            return []
        parts = []
        if self.table.units:
            parts.append(f"Units: {self.table.units}.")
        if self.table.source:
            parts.append(f"Source: {self.table.source}.")
        if self.table.highlight_rows:
            parts.append(f"{HIGHLIGHT_MARK.strip()} and bold: highlighted row.")
        lines = ctx.wrap(" ".join(parts), SMALL, width) if parts else []
        for note in self.table.notes:
            lines += ctx.wrap(note, SMALL, width)
        return lines

    def _fixed_h(self, ctx: Ctx, width: float) -> float:
        return len(self._title_lines(ctx, width)) * ctx.line_height(BODY, True) + self._header_h(ctx, width)

    def _tail_h(self, ctx: Ctx, width: float) -> float:
        return len(self._caption_lines(ctx, width)) * ctx.line_height(SMALL) + ctx.mm(5)

    def height(self, ctx: Ctx, width: float) -> float:
        rows = self.rows or []
        return (
            self._fixed_h(ctx, width)
            + sum(self._row_h(ctx, width, r) for r in rows)
            + self._tail_h(ctx, width)
            + ctx.mm(1.5)
        )

    def min_height(self, ctx: Ctx, width: float) -> float:
        """The title, header and the first MIN_ROWS rows (what `split` leaves at the foot of a page at least), or
        the whole table when it has too few rows to split."""
        rows = self.rows or []
        if len(rows) < 2 * MIN_ROWS:
            return self.height(ctx, width)
        first = sum(self._row_h(ctx, width, r) for r in rows[:MIN_ROWS])
        return self._fixed_h(ctx, width) + ctx.mm(1.5) + ctx.mm(5) + first

    def split(self, ctx: Ctx, width: float, avail: float, force: bool = False) -> tuple[Flowable, Flowable] | None:
        rows = self.rows or []
        least = 1 if force else MIN_ROWS  # a table taller than a page splits wherever it must
        used = self._fixed_h(ctx, width) + ctx.mm(1.5) + ctx.mm(5)  # the head has no caption, only the gap
        k = 0
        for r in rows:
            h = self._row_h(ctx, width, r)
            if used + h > avail:
                break
            used += h
            k += 1
        if k >= len(rows):  # every row fits but the caption does not: carry the last rows over with it
            k = len(rows) - 1
        if len(rows) - k < least:  # no widowed row (or lone total) on the next page
            k = len(rows) - least
        if k < min(least, len(rows)):  # nor an orphaned row at the foot of this one
            return None
        head = TableFlow(self.table, rows[:k], self.continued, caption=False, show_title=self.show_title)
        tail = TableFlow(self.table, rows[k:], continued=True, caption=self.caption, show_title=self.show_title)
        head._cache = tail._cache = self._cache
        return head, tail

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        widths = self._widths(ctx, width)
        pad_x, pad_y = self._pad(ctx)
        for line in self._title_lines(ctx, width):
            ctx.draw_text(painter, x, y, line, BODY, True)
            y += ctx.line_height(BODY, True)
        head_h = self._header_h(ctx, width)
        painter.fillRect(QRectF(x, y, width, head_h), FILL_HEADER)
        self._draw_cells(painter, ctx, x, y + pad_y, widths, self._header_lines(ctx, width), True, TABLE)
        y += head_h
        painter.setPen(_pen(ctx, INK, 0.8))
        painter.drawLine(QRectF(x, y, width, 0).topLeft(), QRectF(x, y, width, 0).topRight())
        last = len(self.table.rows) - 1
        for r in self.rows or []:
            h = self._row_h(ctx, width, r)
            if r in self.table.highlight_rows:
                painter.fillRect(QRectF(x, y, width, h), FILL_HIGHLIGHT)
            elif r % 2 == 1:
                painter.fillRect(QRectF(x, y, width, h), FILL_ZEBRA)
            if self.table.total_row and r == last:
                painter.setPen(_pen(ctx, INK, 0.8))
                painter.drawLine(QRectF(x, y, width, 0).topLeft(), QRectF(x, y, width, 0).topRight())
            self._draw_cells(painter, ctx, x, y + pad_y, widths, self._cell_lines(ctx, width, r), self._bold(r), TABLE)
            y += h
        painter.setPen(_pen(ctx, RULE, 0.6))
        painter.drawLine(QRectF(x, y, width, 0).topLeft(), QRectF(x, y, width, 0).topRight())
        y += ctx.mm(1.5)
        for line in self._caption_lines(ctx, width):
            ctx.draw_text(painter, x, y, line, SMALL, False, False, INK_SOFT)
            y += ctx.line_height(SMALL)

    def _draw_cells(
        self,
        painter: QPainter,
        ctx: Ctx,
        x: float,
        top: float,
        widths: list[float],
        cells: list[list[str]],
        bold: bool,
        size: float,
    ) -> None:
        pad_x, _ = self._pad(ctx)
        lh = ctx.line_height(size, bold)
        for col, w, lines in zip(self.table.columns, widths, cells, strict=False):
            right = col.fmt in NUMERIC_FORMATS
            y = top
            for line in lines:
                tx = x + w - pad_x - ctx.text_width(line, size, bold) if right else x + pad_x
                ctx.draw_text(painter, tx, y, line, size, bold)
                y += lh
            x += w
