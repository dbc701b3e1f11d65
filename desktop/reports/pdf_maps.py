"""The PDF flowable of a map block: the map's SVG (reports/maps.py) drawn as vectors, titled, with its key and the
boundaries' attribution beneath (as text, so it stays selectable)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.reports import maps
from desktop.reports.model import MapChart
from desktop.reports.pdf_base import BODY, SMALL, Ctx
from desktop.reports.pdf_blocks import ChartFlow


@dataclass
class MapFlow(ChartFlow):
    chart: MapChart  # type: ignore[assignment]

    def _prepare(self, ctx: Ctx, width: float) -> None:
        if self._svg:
            return
        self._svg, self._svg_h_mm = maps.map_svg(self.chart, width / ctx.mm(1))
        self._title = ctx.wrap(self.chart.title, BODY, width, True)
        note = maps.legend_note(self.chart)
        self._note = ctx.wrap(note, SMALL, width) if note else []
