"""The PDF flowable of a chart: a matplotlib SVG (charts.py, charts_funnel.py) drawn as vectors, titled, with the
sentence that says what its marks mean beneath. Large print lays the chart out on a narrower canvas and scales it up;
the drawing is never taller than a page has room for, so it never runs over the footer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgRenderer

from desktop.reports import charts, charts_funnel
from desktop.reports.editions import LARGE_CHART_SCALE
from desktop.reports.model import BarChart, FunnelChart, TrendChart
from desktop.reports.pdf_base import BODY, INK_SOFT, SMALL, Ctx, Flowable, TextBlock


@dataclass
class ChartFlow(Flowable):
    """A matplotlib SVG drawn as vectors by QSvgRenderer, with its title above and a key sentence below."""

    chart: TrendChart | BarChart | FunnelChart
    _svg: bytes = b""
    _svg_h_mm: float = 0.0
    _title: list[str] = field(default_factory=list)
    _note: list[str] = field(default_factory=list)

    def _prepare(self, ctx: Ctx, width: float) -> None:
        if self._svg:
            return
        # large print: laid out on a narrower canvas, then drawn at full width, so its text grows with the body
        scale = LARGE_CHART_SCALE if ctx.large_print else 1.0
        if isinstance(self.chart, FunnelChart):
            note = charts_funnel.funnel_note(self.chart)
        else:
            note = charts.legend_note(self.chart)
        self._title = ctx.wrap(self.chart.title, BODY, width, True)
        self._note = ctx.wrap(note, SMALL, width) if note else []
        canvas = width / ctx.mm(1) / scale
        most = self._max_svg_mm(ctx, self._natural_mm(canvas) * scale)
        limit = most / scale if most is not None else None
        if isinstance(self.chart, FunnelChart):
            height_mm = charts_funnel.FUNNEL_HEIGHT_MM if limit is None else min(charts_funnel.FUNNEL_HEIGHT_MM, limit)
            self._svg = charts_funnel.funnel_svg(self.chart, canvas, height_mm)
        else:
            self._svg, height_mm = charts.chart_svg(self.chart, canvas, limit)
        self._svg_h_mm = height_mm * scale

    def _natural_mm(self, canvas_mm: float) -> float:
        """The drawing's own height on a canvas this wide (mm of the canvas)."""
        if isinstance(self.chart, FunnelChart):
            return charts_funnel.FUNNEL_HEIGHT_MM
        if isinstance(self.chart, TrendChart):
            return charts.TREND_HEIGHT_MM
        return charts.bar_height_mm(self.chart, canvas_mm)

    def _max_svg_mm(self, ctx: Ctx, natural_mm: float) -> float | None:
        """How tall (mm on paper) the drawing may be: a chart cannot split, and one drawn at large print's scale (twice
        or more its ordinary height) would otherwise run over the footer. It, its title and its note fit on one page,
        shrinking the drawing a little if need be; when that would squash it, the drawing keeps its height and the
        note (large print's only) runs on to the next page (`split`). None when the page's room is not known."""
        if ctx.page_room is None:
            return None
        room = ctx.page_room - ctx.mm(5) - len(self._title) * ctx.line_height(BODY, True)
        whole = room - len(self._note) * ctx.line_height(SMALL)
        if not ctx.large_print or len(self._note) < 4 or whole >= ctx.mm(natural_mm) * SQUASH:
            return max(whole, ctx.mm(40)) / ctx.mm(1)
        return max(room - 2 * ctx.line_height(SMALL), ctx.mm(40)) / ctx.mm(1)

    def _text_h(self, ctx: Ctx) -> float:
        return len(self._title) * ctx.line_height(BODY, True) + len(self._note) * ctx.line_height(SMALL)

    def height(self, ctx: Ctx, width: float) -> float:
        self._prepare(ctx, width)
        return self._text_h(ctx) + ctx.mm(self._svg_h_mm) + ctx.mm(5)

    def _splits(self, ctx: Ctx, width: float) -> bool:
        """Only a drawing whose note cannot be on its page splits: between its note's lines, two at least each side."""
        return ctx.page_room is not None and len(self._note) >= 4 and self.height(ctx, width) > ctx.page_room

    def min_height(self, ctx: Ctx, width: float) -> float:
        if not self._splits(ctx, width):
            return self.height(ctx, width)
        return self.height(ctx, width) - (len(self._note) - 2) * ctx.line_height(SMALL) - ctx.mm(5)

    def split(self, ctx: Ctx, width: float, avail: float, force: bool = False) -> tuple[Flowable, Flowable] | None:
        if not self._splits(ctx, width):
            return None
        lh = ctx.line_height(SMALL)
        fixed = self.height(ctx, width) - len(self._note) * lh - ctx.mm(5)
        fit = min(int((avail - fixed) // lh), len(self._note) - 2)
        if fit < 2:
            return None
        head = replace(self, _note=self._note[:fit])
        tail = TextBlock("", SMALL, color=INK_SOFT, after_pt=ctx.mm(5) / ctx.pt(1), lines=self._note[fit:])
        return head, tail

    def draw(self, painter: QPainter, ctx: Ctx, x: float, y: float, width: float) -> None:
        self._prepare(ctx, width)
        for line in self._title:
            ctx.draw_text(painter, x, y, line, BODY, True)
            y += ctx.line_height(BODY, True)
        painter.setFont(ctx.font(BODY))  # QtSvg takes unspecified font properties from the painter
        renderer = QSvgRenderer(QByteArray(self._svg))
        renderer.render(painter, QRectF(x, y, width, ctx.mm(self._svg_h_mm)))
        y += ctx.mm(self._svg_h_mm)
        for line in self._note:
            ctx.draw_text(painter, x, y, line, SMALL, False, False, INK_SOFT)
            y += ctx.line_height(SMALL)


SQUASH = 0.85  # a chart may be drawn this much shorter than its own height to keep its note on its page
