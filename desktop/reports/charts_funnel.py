"""The funnel plot as vector SVG (Qt-free): every ward's rate per 1,000 residents against its residents, the
borough's target rate, and the 95% and 99.8% limits (analysis/funnel.py). Same rules as charts.py: Okabe-Ito,
never colour alone (the pack's own ward is a large filled square with a bold label, high-footfall wards open
diamonds, wards beyond a limit labelled by name), DejaVu Sans text kept as text."""

from __future__ import annotations

import math
from typing import Any

from desktop.reports.charts_style import (
    _RC,
    BLACK,
    BLUE,
    FONT_SIZE,
    GREY,
    LIGHT_GREY,
    MM,
    ORANGE,
    _figure,
    _line_handle,
    _margins,
    _style_axes,
    _thousands,
    _to_svg,
    legend_columns,
    legend_height_pt,
    text_width_pt,
)
from desktop.reports.model import FunnelChart, FunnelPoint

FUNNEL_HEIGHT_MM = 85.0


def funnel_svg(chart: FunnelChart, width_mm: float = 170.0, height_mm: float = FUNNEL_HEIGHT_MM) -> bytes:
    import matplotlib

    with matplotlib.rc_context(_RC):
        fig = _figure(width_mm, height_mm)
        ax = fig.add_subplot()
        _style_axes(ax)
        ax.axhline(chart.target, color=GREY, linewidth=1.2, zorder=2)
        ax.plot(chart.xs, chart.upper95, color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2)
        ax.plot(chart.xs, chart.lower95, color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), zorder=2)
        ax.plot(chart.xs, chart.upper998, color=BLACK, linewidth=0.9, linestyle=":", zorder=2)
        ax.plot(chart.xs, chart.lower998, color=BLACK, linewidth=0.9, linestyle=":", zorder=2)
        # the scale is set by the wards judged and the limits; a high-footfall ward far above them is drawn at the
        # top edge as an arrow with its rate written beside it (else every other ward is squashed flat at the bottom)
        judged = [p.rate for p in chart.points if not p.footfall]
        top = max(judged + [max(chart.upper998, default=0.0), chart.target, 0.0]) * 1.3 or 1.0
        ceiling = top * 0.97

        def y_of(p: FunnelPoint) -> float:
            return min(p.rate, ceiling)

        usual = [p for p in chart.points if not p.highlight and not p.footfall]
        ax.plot(
            [p.population for p in usual], [p.rate for p in usual], linestyle="none", marker="o", markersize=4.2,
            color=BLUE, markeredgecolor=BLACK, markeredgewidth=0.5, zorder=4,
        )  # fmt: skip
        foot = [p for p in chart.points if p.footfall and not p.highlight]
        for p in foot:
            ax.plot(
                [p.population], [y_of(p)], linestyle="none", marker="^" if p.rate > ceiling else "D",
                markersize=6, markerfacecolor="white", markeredgecolor=BLACK, markeredgewidth=1.0, zorder=4,
            )  # fmt: skip
        own = [p for p in chart.points if p.highlight]
        for p in own:
            ax.plot(
                [p.population], [y_of(p)], linestyle="none", marker="^" if p.rate > ceiling else "s",
                markersize=7.5, color=ORANGE, markeredgecolor=BLACK, markeredgewidth=1.1, zorder=5,
            )  # fmt: skip
        xmax = max([p.population for p in chart.points] + chart.xs) * 1.04
        ax.set_xlim(0, xmax)
        ax.set_ylim(0, top)
        ax.xaxis.set_major_formatter(_thousands())
        ax.grid(axis="both", color=LIGHT_GREY, linewidth=0.5)
        ax.set_axisbelow(True)
        ax.set_xlabel("residents")
        ax.set_ylabel(chart.y_label)
        handles = [
            _line_handle(color=GREY, linewidth=1.2, label="Borough rate (high footfall left out)"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=(0, (4, 2.5)), label="95% limits"),
            _line_handle(color=BLACK, linewidth=0.9, linestyle=":", label="99.8% limits"),
            _line_handle(color=ORANGE, marker="s", linestyle="none", markeredgecolor=BLACK, label="This ward"),
        ]
        if foot:
            handles.append(
                _line_handle(color=BLACK, marker="D", markerfacecolor="white", linestyle="none", label="High footfall")
            )
        if not own:
            handles.pop(3)
        tick_w = max((text_width_pt(f"{t:,.0f}") for t in ax.get_yticks()), default=20.0)
        line_h = FONT_SIZE * 1.25
        left = tick_w + 3 + 3.5 + line_h + 6
        width_pt = width_mm * MM * 72
        ncol = legend_columns([h.get_label() for h in handles], width_pt - left, 3)
        rows = math.ceil(len(handles) / ncol)
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=ncol, borderaxespad=0.2)
        label_w = max((text_width_pt(p.label) for p in chart.points), default=20.0)
        _margins(
            fig,
            left=left,
            bottom=3 + 3.5 + 2 * line_h + 4,
            right=min(label_w, 90.0) * 0.5 + 6,
            top=legend_height_pt(rows),
        )
        _label_points(ax, chart, ceiling, width_pt)
        return _to_svg(fig)


def _label_points(ax: Any, chart: FunnelChart, ceiling: float, width_pt: float) -> None:
    """Name the pack's own ward, the wards beyond a limit and the high-footfall ones beside their marks: to the
    right, or to the left when the name would run off the chart (its edge is the page's: text there is cut off).
    Wards off the scale share the top edge, so their labels are stacked downwards. Call once the margins are set."""
    box = ax.get_position()
    x0, x1 = ax.get_xlim()
    pad = 6 + 2 * 0.3 * FONT_SIZE + 4  # the offset from the mark, the label's white box, a margin
    drop = 0.0  # wards off the scale share the top edge: their labels are stacked downwards
    for p in chart.points:
        if not (p.highlight or p.position != "as expected" or p.footfall):
            continue
        lines = [f"{p.label} ({p.rate:,.0f}, off the scale)"] if p.rate > ceiling else [p.label]
        at = (box.x0 + box.width * (p.population - x0) / ((x1 - x0) or 1.0)) * width_pt  # points from the left
        room = max(at, width_pt - at) - pad
        if p.rate > ceiling and text_width_pt(lines[0], p.highlight) > room:  # two lines: the name, then the rate
            lines = [p.label, f"({p.rate:,.0f}, off the scale)"]
        wide = max(text_width_pt(line, p.highlight) for line in lines)
        right = at + wide + pad <= width_pt or width_pt - at >= at
        dy = 0.0
        if p.rate > ceiling:
            dy = -drop - FONT_SIZE * 1.3 * (len(lines) - 1) / 2
            drop += FONT_SIZE * 1.3 * len(lines)
        ax.annotate(
            "\n".join(lines), (p.population, min(p.rate, ceiling)), xytext=(6 if right else -6, dy),
            textcoords="offset points", va="center", ha="left" if right else "right", linespacing=1.15,
            fontweight="bold" if p.highlight else "normal", color=BLACK, zorder=6,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
        )  # fmt: skip


def funnel_note(chart: FunnelChart) -> str:
    adjusted = (
        " The limits are widened for the extra variation between wards that chance alone does not explain "
        "(Spiegelhalter's method)."
        if chart.adjusted
        else ""
    )
    return (
        "Each dot is a ward: its rate against its number of residents. Solid line: the borough rate (high-footfall "
        "wards left out); dashed curves: 95% limits; dotted curves: 99.8% limits. A ward inside the curves is within "
        "the range expected for its size; small wards scatter more by chance, so the funnel is wider for them. "
        "High-footfall wards (open diamonds; a triangle at the top edge when far off the scale) are drawn but not "
        "judged: their visitors are not residents." + adjusted
    )
