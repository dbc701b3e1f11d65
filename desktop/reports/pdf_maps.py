"""The PDF flowable of a map block: the map's SVG (reports/maps.py) drawn as vectors, titled, with its key and the
boundaries' attribution beneath (as text, so it stays selectable)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.reports import maps
from desktop.reports.editions import LARGE_MAP_SCALE
from desktop.reports.model import MapChart
from desktop.reports.pdf_base import BODY, SMALL, Ctx
from desktop.reports.pdf_charts import ChartFlow


@dataclass
class MapFlow(ChartFlow):
    chart: MapChart  # type: ignore[assignment]

    def _natural_mm(self, canvas_mm: float) -> float:
        return maps.map_height_mm(self.chart, canvas_mm)

    def _prepare(self, ctx: Ctx, width: float) -> None:
        if self._svg:
            return
        # large print: laid out on a narrower canvas and drawn at full width, so the names and counts reach 16 pt
        scale = LARGE_MAP_SCALE if ctx.large_print else 1.0
        self._title = ctx.wrap(self.chart.title, BODY, width, True)
        note = maps.legend_note(self.chart)
        self._note = ctx.wrap(note, SMALL, width) if note else []
        canvas = width / ctx.mm(1) / scale
        most = self._max_svg_mm(ctx, self._natural_mm(canvas) * scale)  # the map, its title and its note on a page
        limit = most / scale if most is not None else None
        self._svg, height_mm = maps.map_svg(self.chart, canvas, limit)
        self._svg_h_mm = height_mm * scale
